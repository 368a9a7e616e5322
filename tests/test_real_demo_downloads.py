"""The demo writes Amazon reports as sellers download them from Seller Central: a
comma-separated, quoted returns file and long-term storage fee reports whose fees add
up to the long-term storage charges of the demo's settlements, all imported."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import V2_HEADER
from lianxing.app import Lianxing
from lianxing.demo_data import DemoFiles, write_demo_files

COL = {name: i for i, name in enumerate(V2_HEADER)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return write_demo_files(tmp_path_factory.mktemp("demo"))


def _settlement_charges(demo: DemoFiles) -> dict[str, Decimal]:
    """Long-term storage charged in the settlements, by month posted."""
    charges: dict[str, Decimal] = defaultdict(Decimal)
    for path in demo.settlements:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[2:]:
                if row[COL["amount-description"]] == "StorageRenewalBilling":
                    charges[row[COL["posted-date"]][:7]] -= Decimal(row[COL["amount"]])
    return dict(charges)


def _downloads(demo: DemoFiles, prefix: str) -> list[Path]:
    return [p for p in demo.reports if p.name.startswith(prefix)]


def test_long_term_storage_reports_add_up_to_the_settlements_charges(demo: DemoFiles) -> None:
    charges = _settlement_charges(demo)
    assert len(charges) == 2 and all(c > 0 for c in charges.values())
    reports = _downloads(demo, "long-term-storage-fees-")
    assert {p.suffix for p in reports} == {".txt", ".csv"}
    fees: dict[str, Decimal] = defaultdict(Decimal)
    for path in reports:
        delimiter = "\t" if path.suffix == ".txt" else ","
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=delimiter):
                fees[row["snapshot-date"][:7]] += Decimal(row["amount-charged"])
    assert dict(fees) == charges


def test_a_returns_file_is_seller_centrals_quoted_csv(demo: DemoFiles) -> None:
    (download,) = [p for p in _downloads(demo, "fba-customer-returns-") if p.suffix == ".csv"]
    first = download.read_bytes().split(b"\r\n", 1)[0]
    assert first.startswith(b'"return-date","order-id","sku"')
    with download.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 100 and all(len(r) == len(rows[0]) for r in rows)
    assert all(r[0] >= "2025-07" for r in rows[1:])


@pytest.mark.slow
def test_demo_imports_them_and_splits_the_long_term_charge(tmp_path: Path) -> None:
    from lianxing.demo import run_demo

    run_demo(tmp_path / "demo", scale=1, seed=7)
    with Lianxing.open(tmp_path / "demo") as lx:
        kinds = {(r["kind"], r["files"]) for r in lx.coverage() if r["store_id"] == "amazon-us"}
        assert {("amazon_long_term_storage", 2), ("amazon_returns", 2)} <= kinds
        aged = {r["category"]: r for r in lx.profit(by="category").rows}["storage.aged_surcharge"]
        assert aged["amount"] < 0 and aged["rows"] == 16  # two charges, eight SKUs each
        health = {row["store_id"]: row for row in lx.store_health()}["amazon-us"]
        assert health["storage_unallocated"] == 0  # every long-term charge split to SKUs
        assert lx.db.query("SELECT count(*) FROM returns WHERE day >= ?", [date(2025, 7, 1)]) != [
            (0,)
        ]
