"""KPI cases as data: each file in tests/kpi_cases/ holds a small seller (settlement rows,
ads, storage, returns, traffic, costs) and KPI values computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.demo_reports import (
    ADS_HEADER,
    BUSINESS_HEADER,
    INVENTORY_HEADER,
    RETURNS_HEADER,
    STORAGE_HEADER,
)

CASES = sorted((REPO / "tests" / "kpi_cases").glob("*.yaml"))


def _build(case: dict[str, Any], tmp: Path) -> Path:
    ws = tmp / "ws"
    store = case["store"]
    with Lianxing.init(ws) as lx:
        rows = [
            v2_row(
                r["tt"], r["at"], r["ad"], r["amount"], order=r.get("order", ""),
                sku=r.get("sku", ""), qty=r.get("qty", ""), adjustment=r.get("adjustment", ""),
                when=r.get("when", "2026-03-02 15:00:00 UTC"),
            )
            for r in case["settlement"]
        ]  # fmt: skip
        lx.import_file(write_v2(tmp / "settlement.txt", rows), store_id=store)
        for key, header, name, delimiter in (
            ("ads", ADS_HEADER, "ads.csv", ","),
            ("storage", STORAGE_HEADER, "storage.txt", "\t"),
            ("returns", RETURNS_HEADER, "returns.txt", "\t"),
            ("inventory", INVENTORY_HEADER, "inventory.txt", "\t"),
        ):
            if case.get(key):
                path = write_table(tmp / name, header, case[key], delimiter=delimiter)
                lx.import_file(path, store_id=store)
        if case.get("business"):
            business = case["business"]
            path = write_table(tmp / "business.csv", BUSINESS_HEADER, business["rows"],
                               delimiter=",")  # fmt: skip
            lx.import_file(
                path,
                store_id=store,
                date_from=date.fromisoformat(business["from"]),
                date_to=date.fromisoformat(business["to"]),
            )
        for key in ("costs", "rates"):
            if case.get(key):
                (tmp / f"{key}.csv").write_text(case[key], "utf-8")
                lx.import_file(tmp / f"{key}.csv")
    return ws


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _same(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is want
    return Decimal(str(got)) == Decimal(str(want))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(path.read_text("utf-8"))
    ws = _build(case, tmp_path)
    with Lianxing.open(ws) as lx:
        for expect in case["expect"]:
            if "values" in expect:
                names = list(expect["values"])
                got = lx.kpi(
                    names, by=expect["by"], period=expect["period"],
                    currency=expect.get("currency"),
                    date_from=_day(expect.get("from")), date_to=_day(expect.get("to")),
                ).rows  # fmt: skip
                assert len(got) == 1, got
                wrong = {n: (got[0][n], v) for n, v in expect["values"].items()
                         if not _same(got[0][n], v)}  # fmt: skip
                assert not wrong, wrong
            for want in expect.get("rows", []):
                keys = {k for k in want if k not in ("period",)} - {expect["by"]}
                rows = lx.kpi(sorted(keys), by=expect["by"], period=expect["period"]).rows
                row = next(r for r in rows if r[expect["by"]] == want[expect["by"]]
                           and r["period"] == want["period"])  # fmt: skip
                wrong = {k: (row[k], want[k]) for k in keys if not _same(row[k], want[k])}
                assert not wrong, wrong


def test_every_catalogue_kpi_has_a_hand_computed_case() -> None:
    from lianxing.categories import load_categories
    from lianxing.kpis import load_kpis
    from lianxing.store import kpi_sql

    columns = [c.id for c in load_categories().columns]
    catalogue = load_kpis(kpi_sql.measure_names(columns))
    covered: set[str] = set()
    for path in CASES:
        for expect in yaml.safe_load(path.read_text("utf-8"))["expect"]:
            covered |= set(expect.get("values", {}))
            for row in expect.get("rows", []):
                covered |= set(row)
    assert sorted(set(catalogue) - covered) == []
