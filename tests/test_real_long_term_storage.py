"""The long-term storage fee report: its own kind, never an inventory snapshot.

Its fees are facts that split the settlement's long-term storage charge across SKUs in
the month of the snapshot, as the storage fee report splits the monthly storage
charge; the settlement stays the money (counted once).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_real_amazon_delimiters import flat_file

from conftest import ledger_fingerprint, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import amazon_inventory, amazon_long_term_storage, registry
from lianxing.ingest.tabular import ImportOptions

STORE = "amazon-com"
# The headers as the report's documentation and downloads write them (not the code's).
CURRENT = ["snapshot-date", "sku", "fnsku", "asin", "product-name", "condition",
           "per-unit-volume", "currency", "volume-unit", "country", "qty-charged",
           "amount-charged", "surcharge-age-tier", "rate-surcharge"]  # fmt: skip
OLD = ["snapshot-date", "sku", "fnsku", "asin", "product-name", "condition",
       "qty-charged-12-mo-long-term-storage-fee", "per-unit-volume", "currency",
       "12-mo-long-terms-storage-fee", "qty-charged-6-mo-long-term-storage-fee",
       "6-mo-long-terms-storage-fee", "volume-unit", "country",
       "enrolled-in-small-and-light"]  # fmt: skip


def current_row(sku: str, fee: str, tier: str = "181-210", **extra: str) -> dict[str, str]:
    return {
        "snapshot-date": extra.get("snapshot", "2026-03-15"),
        "sku": sku,
        "fnsku": "X0" + sku,
        "asin": "B0" + sku,
        "product-name": f"{sku}, big",
        "condition": "New",
        "per-unit-volume": "0.25",
        "currency": "USD",
        "volume-unit": "cubic feet",
        "country": "US",
        "qty-charged": extra.get("units", "4"),
        "amount-charged": fee,
        "surcharge-age-tier": tier,
        "rate-surcharge": "0.50",
    }


def old_row(sku: str, fee_12: str, fee_6: str, units_12: str, units_6: str) -> dict[str, str]:
    return {
        "snapshot-date": "2026-03-15",
        "sku": sku,
        "fnsku": "X0" + sku,
        "asin": "B0" + sku,
        "product-name": sku,
        "condition": "New",
        "qty-charged-12-mo-long-term-storage-fee": units_12,
        "per-unit-volume": "0.25",
        "currency": "USD",
        "12-mo-long-terms-storage-fee": fee_12,
        "qty-charged-6-mo-long-term-storage-fee": units_6,
        "6-mo-long-terms-storage-fee": fee_6,
        "volume-unit": "cubic feet",
        "country": "US",
        "enrolled-in-small-and-light": "No",
    }


CURRENT_ROWS = [current_row("MUG", "15.00"), current_row("MUG", "5.00", "271-300", units="1"),
                current_row("CUP", "10.00", units="2")]  # fmt: skip
OLD_ROWS = [old_row("MUG", "12.00", "8.00", "1", "3"), old_row("CUP", "0.00", "10.00", "", "2")]
OPTIONS = ImportOptions(STORE)


def settlement(tmp: Path, charge: str = "-30.00") -> Path:
    return write_v2(
        tmp / "settlement.txt",
        [
            v2_row("Order", "ItemPrice", "Principal", "40.00", order="1", sku="MUG", qty="2"),
            v2_row("Order", "ItemPrice", "Principal", "15.00", order="2", sku="CUP", qty="1"),
            v2_row("other-transaction", "other-transaction", "StorageRenewalBilling", charge,
                   when="2026-03-16 10:00:00 UTC"),
        ],
    )  # fmt: skip


@pytest.mark.parametrize(("header", "data"), [(CURRENT, CURRENT_ROWS), (OLD, OLD_ROWS)])
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_either_layout_in_either_delimiter_writes_fees_per_sku_and_snapshot(
    tmp_path: Path, header: list[str], data: list[dict[str, str]], delimiter: str
) -> None:
    path = flat_file(tmp_path / "ltsf.txt", header, data, delimiter=delimiter, encoding="cp1252")
    found = registry.detect(path)
    assert found is not None and found[0].kind == "amazon_long_term_storage"
    with Lianxing.init(tmp_path / "ws") as lx:
        result = lx.import_file(path, store_id=STORE)
        assert (result.kind, result.written, result.currency) == (
            "amazon_long_term_storage",
            len(data),
            "USD",
        )
        facts = lx.db.query(
            "SELECT strftime(snapshot, '%Y-%m-%d'), sku, sum(fee), sum(units) "
            "FROM long_term_storage_fees GROUP BY ALL ORDER BY sku"
        )
        assert facts == [
            ("2026-03-15", "CUP", Decimal("10.00"), 2),
            ("2026-03-15", "MUG", Decimal("20.00"), 4 + 1 if header is CURRENT else 1 + 3),
        ]
        # Nothing went to the inventory tables, and no money to the ledger.
        assert lx.db.query("SELECT count(*) FROM inventory") == [(0,)]
        assert lx.db.query("SELECT count(*) FROM ledger") == [(0,)]
        assert lx.import_file(path).status == "unchanged"


def test_old_layout_units_stay_unknown_when_neither_column_states_them(tmp_path: Path) -> None:
    path = flat_file(tmp_path / "ltsf.txt", OLD, [old_row("MUG", "1.00", "", "", "")])
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(path, store_id=STORE)
        assert lx.db.query("SELECT fee, units FROM long_term_storage_fees") == [
            (Decimal("1.00"), None)
        ]


def _by_sku(lx: Lianxing) -> dict[str | None, tuple[Decimal, Decimal]]:
    return {r["sku"]: (r["storage"], r["net_profit"]) for r in lx.profit(by="sku").rows}


def test_settlement_charge_is_split_by_the_report_in_any_import_order(tmp_path: Path) -> None:
    files = {
        "settlement": settlement(tmp_path),
        "ltsf": flat_file(tmp_path / "ltsf.csv", CURRENT, CURRENT_ROWS, delimiter=","),
    }
    seen = []
    for n, order in enumerate(permutations(files)):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for name in order:
                lx.import_file(files[name], store_id=STORE)
            seen.append(_by_sku(lx))
            store = lx.profit(by="store").rows[0]
            assert store["storage"] == Decimal("-30.00")  # the settlement's charge, once
            assert lx.store_health()[0]["storage_unallocated"] == 0
    assert seen[0] == seen[1]
    # 20:10 → the charge of 30 splits 20 and 10; nothing is left on no SKU.
    assert seen[0]["MUG"][0] == Decimal("-20.00") and seen[0]["CUP"][0] == Decimal("-10.00")
    assert None not in seen[0]


def test_without_the_report_the_charge_stays_on_the_store_and_is_named(tmp_path: Path) -> None:
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(settlement(tmp_path), store_id=STORE)
        assert _by_sku(lx)[None][0] == Decimal("-30.00")
        assert lx.store_health()[0]["storage_unallocated"] == Decimal("-30.00")
        allocation = next(c for c in lx.doctor() if c.id == "allocation")
        assert allocation.status == "warn"
        assert any("storage.aged_surcharge" in d and d.endswith("*") for d in allocation.details)


def test_a_report_of_another_month_does_not_split_this_months_charge(tmp_path: Path) -> None:
    february = [current_row("MUG", "15.00", snapshot="2026-02-15")]
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(settlement(tmp_path), store_id=STORE)
        lx.import_file(flat_file(tmp_path / "ltsf.txt", CURRENT, february), store_id=STORE)
        assert _by_sku(lx)[None][0] == Decimal("-30.00")


def test_the_same_snapshot_downloaded_twice_counts_once(tmp_path: Path) -> None:
    first = flat_file(tmp_path / "a.txt", CURRENT, CURRENT_ROWS)
    again = flat_file(tmp_path / "b.csv", CURRENT, [current_row("MUG", "16.00")], delimiter=",")
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(first, store_id=STORE)
        result = lx.import_file(again, store_id=STORE)
        assert result.replaced_rows == 1
        assert lx.db.query(
            "SELECT sku, age_tier, fee FROM long_term_storage_fees ORDER BY sku, age_tier"
        ) == [
            ("CUP", "181-210", Decimal("10.00")),
            ("MUG", "181-210", Decimal("16.00")),
            ("MUG", "271-300", Decimal("5.00")),
        ]


# ---- a file that looks like one report but is another ---------------------------------
INVENTORY = ["snapshot-date", "sku", "fnsku", "asin", "product-name", "condition", "available",
             "inv-age-0-to-90-days", "inv-age-91-to-180-days", "currency"]  # fmt: skip
HEALTH = ["snapshot-date", "fnsku", "sku", "product-name", "condition", "sellable-quantity",
          "unsellable-quantity", "inv-age-0-to-90-days", "inv-age-91-to-180-days",
          "inv-age-181-to-270-days", "inv-age-271-to-365-days", "inv-age-365-plus-days",
          "units-shipped-last-30-days", "asin", "qty-to-be-charged-ltsf-12-mo",
          "projected-ltsf-12-mo"]  # fmt: skip


@pytest.mark.parametrize("header", [CURRENT, OLD])
def test_long_term_storage_report_is_never_read_as_inventory(
    lx: Lianxing, tmp_path: Path, header: list[str]
) -> None:
    data = CURRENT_ROWS if header is CURRENT else OLD_ROWS
    path = flat_file(tmp_path / "ltsf.txt", header, data)
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        amazon_inventory.import_inventory(lx.db, lx.workspace, path)
    assert caught.value.key == "report.wrong_kind"
    assert ledger_fingerprint(lx) == before


@pytest.mark.parametrize("header", [INVENTORY, HEALTH])
def test_inventory_reports_are_never_read_as_long_term_storage(
    lx: Lianxing, tmp_path: Path, header: list[str]
) -> None:
    """The inventory health report projects long-term storage fees: not a charge."""
    row = {"snapshot-date": "2026-03-15", "sku": "MUG", "fnsku": "X0MUG", "asin": "B0MUG",
           "available": "3", "sellable-quantity": "3", "qty-to-be-charged-ltsf-12-mo": "2",
           "projected-ltsf-12-mo": "1.50"}  # fmt: skip
    path = flat_file(tmp_path / "inventory.txt", header, [row])
    found = registry.detect(path)
    assert found is not None and found[0].kind == "amazon_inventory_planning"
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        amazon_long_term_storage.import_long_term_storage(lx.db, lx.workspace, path)
    assert caught.value.key == "report.wrong_kind"
    assert ledger_fingerprint(lx) == before


# ---- bad input ---------------------------------------------------------------------------
BAD = [
    ("amount-charged", "ten", "value.amount"),
    ("amount-charged", "", "value.required"),
    ("snapshot-date", "2026-15-03", "value.date"),
    ("qty-charged", "1.5", "value.quantity"),
    ("qty-charged", "12345678", "value.quantity"),
    ("currency", "dollars", "value.currency"),
    ("sku", "", "value.required"),
]


@pytest.mark.parametrize(("column", "value", "key"), BAD)
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_bad_values_are_named_with_file_line_and_column(
    lx: Lianxing, tmp_path: Path, column: str, value: str, key: str, delimiter: str
) -> None:
    data = [CURRENT_ROWS[0], {**CURRENT_ROWS[2], column: value}]
    path = flat_file(tmp_path / "ltsf.csv", CURRENT, data, delimiter=delimiter)
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id=STORE)
    problem = caught.value.problems[0]
    assert (problem.key, problem.file, problem.line, problem.column) == (
        key,
        str(path),
        3,
        column,
    )
    assert ledger_fingerprint(lx) == before


def test_a_repeated_line_is_refused(lx: Lianxing, tmp_path: Path) -> None:
    path = flat_file(tmp_path / "ltsf.txt", CURRENT, [*CURRENT_ROWS, CURRENT_ROWS[0]])
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id=STORE)
    assert (caught.value.key, caught.value.problems[0].line) == ("file.duplicate_row", 5)


@pytest.fixture(scope="module")
def fuzz_lx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lianxing]:
    with Lianxing.init(tmp_path_factory.mktemp("fuzz") / "ws") as facade:
        yield facade


SAMPLES = {
    "current": (CURRENT, CURRENT_ROWS),
    "old": (OLD, OLD_ROWS),
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_long_term_storage_reports_import_or_are_refused_whole(
    fuzz_lx: Lianxing, tmp_path: Path, data: st.DataObject
) -> None:
    """Mutated files of both layouts, both delimiters, both encodings: imported, or
    refused naming the file (and a line, for a problem on one), nothing half-written."""
    header, rows = SAMPLES[data.draw(st.sampled_from(list(SAMPLES)))]
    delimiter = data.draw(st.sampled_from(["\t", ","]))
    encoding = data.draw(st.sampled_from(["utf-8", "cp1252"]))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    text = flat_file(folder / "s", header, rows, delimiter=delimiter, encoding=encoding)
    raw = text.read_bytes()
    cut = data.draw(st.integers(0, len(raw) - 1))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from([b"\t", b",", b'"', b"\n", b"\r", b"$", b"-", b"9" * 12, b"\xe9"])
    )
    target = folder / "fuzz.txt"
    target.write_bytes(raw[:cut] + junk + raw[cut + data.draw(st.integers(0, 3)) :])
    before = ledger_fingerprint(fuzz_lx)
    try:
        amazon_long_term_storage.import_long_term_storage(
            fuzz_lx.db, fuzz_lx.workspace, target, options=OPTIONS
        )
    except InputError as exc:
        assert ledger_fingerprint(fuzz_lx) == before
        assert exc.problems and all(p.file == str(target) for p in exc.problems)


def test_a_report_in_a_currency_no_store_uses_is_refused_not_put_in_the_only_store(
    tmp_path: Path,
) -> None:
    """A GBP long-term storage report in a USD-only workspace went into the US store and
    would split its aged-inventory charge (found by QA, issue 13)."""
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_settlement(settlement(tmp_path), store_id=STORE)
        rows = [{**current_row("MUG", "15.00"), "currency": "GBP", "country": "GB"}]
        report = flat_file(tmp_path / "ltsf-uk.txt", CURRENT, rows)
        with pytest.raises(InputError) as caught:
            lx.import_file(report)
        assert caught.value.key == "store.currency_none"
        assert "GBP" in str(caught.value) and "amazon-com (USD)" in str(caught.value)
        assert lx.db.query("SELECT count(*) FROM long_term_storage_fees") == [(0,)]
        lx.import_file(report, store_id="amazon-uk")  # said which store: imported
        assert lx.db.query("SELECT DISTINCT store_id FROM long_term_storage_fees") == [
            ("amazon-uk",)
        ]
