"""Amazon FBA Inventory Ledger, detailed view: every inventory event as a fact.

Units only (never ledger money); columns by name in either download (.txt, .csv with
every field quoted) and the API's spellings; reason codes kept, unknown ones counted;
bad values named before anything is written; overlapping downloads count once.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import ledger_fingerprint, run_cli, write_table
from lianxing import i18n
from lianxing.app import Lianxing
from lianxing.demo_data import write_demo_files
from lianxing.errors import InputError
from lianxing.ingest import amazon_inventory_ledger, registry
from lianxing.ingest.ledger_messages import MESSAGES
from lianxing.ingest.tabular import ImportOptions

STORE = "amazon-us"
OPTIONS = ImportOptions(STORE)
# The detailed view's download header as Seller Central writes it (help page
# G4FKT5KQWFFJ7LDN; `Date and Time` is in downloads only), written out here on purpose
# rather than imported from the code.
HEADER = [
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Event Type",
    "Reference ID",
    "Quantity",
    "Fulfillment Center",
    "Disposition",
    "Reason",
    "Country",
    "Reconciled Quantity",
    "Unreconciled Quantity",
    "Date and Time",
]
# The API documentation's spelling of the same columns, plus a Store column.
API_HEADER = [h.replace(" ", "") if " " in h and h != "Date and Time" else h for h in HEADER]
API_HEADER.append("Store")
COLUMNS = [
    "day",
    "sku",
    "fnsku",
    "asin",
    "event_type",
    "reference_id",
    "quantity",
    "fulfillment_center",
    "disposition",
    "reason",
    "country",
    "reconciled",
    "unreconciled",
]


def event(
    when: str,
    event_type: str,
    quantity: str,
    *,
    sku: str = "SLU_2PK",
    reason: str = "",
    reference: str = "",
    fc: str = "LGB3",
    disposition: str = "SELLABLE",
    reconciled: str = "",
    unreconciled: str = "",
) -> dict[str, str]:
    month, day, year = when.split("/")
    return {
        "Date": when,
        "FNSKU": "X001" + sku[:2],
        "ASIN": "B0000" + sku[:2],
        "MSKU": sku,
        "Title": 'How Deep Lies the Shadow, 12" edition',
        "Event Type": event_type,
        "Reference ID": reference,
        "Quantity": quantity,
        "Fulfillment Center": fc,
        "Disposition": disposition,
        "Reason": reason,
        "Country": "US",
        "Reconciled Quantity": reconciled,
        "Unreconciled Quantity": unreconciled,
        "Date and Time": f"{year}-{month}-{day}T10:00:00-0700",
    }


# Seller Central's own example (reason M, 16 lost, 5 found since, 11 not), and the other
# kinds of event around it.
EVENTS = [
    event("05/26/2021", "Adjustments", "-16", reason="M", reference="21188081",
          reconciled="5", unreconciled="11"),
    event("05/26/2021", "Adjustments", "1", reason="F", reference="2108808", fc="JFK8",
          reconciled="1", unreconciled="0"),
    event("05/27/2021", "Receipts", "120", reference="FBA15ABCDE", fc="ONT8"),
    event("05/27/2021", "Shipments", "-1", sku="MUG-12"),
    event("05/27/2021", "Shipments", "-1", sku="MUG-12"),  # a second, identical shipment
    event("05/28/2021", "CustomerReturns", "1", reference="111-0000001-0000001",
          disposition="CUSTOMER_DAMAGED"),
    event("05/28/2021", "WhseTransfers", "-4", reference="77001", fc="LGB3"),
    event("05/29/2021", "WhseTransfers", "4", reference="77001", fc="MDW2"),
    event("05/29/2021", "Adjustments", "-2", reason="E", reference="13895071006",
          reconciled="0", unreconciled="2"),
    event("05/29/2021", "Adjustments", "2", reason="P", reference="13895071060",
          disposition="WAREHOUSE_DAMAGED"),
    event("05/30/2021", "VendorReturns", "-3", reference="REMOVAL-1"),
]  # fmt: skip
EXPECTED = [
    (date(2021, 5, 26), "SLU_2PK", "X001SL", "B0000SL", "Adjustments", "21188081", -16,
     "LGB3", "SELLABLE", "M", "US", 5, 11),
    (date(2021, 5, 26), "SLU_2PK", "X001SL", "B0000SL", "Adjustments", "2108808", 1,
     "JFK8", "SELLABLE", "F", "US", 1, 0),
    (date(2021, 5, 27), "SLU_2PK", "X001SL", "B0000SL", "Receipts", "FBA15ABCDE", 120,
     "ONT8", "SELLABLE", None, "US", None, None),
    (date(2021, 5, 27), "MUG-12", "X001MU", "B0000MU", "Shipments", None, -1,
     "LGB3", "SELLABLE", None, "US", None, None),
    (date(2021, 5, 27), "MUG-12", "X001MU", "B0000MU", "Shipments", None, -1,
     "LGB3", "SELLABLE", None, "US", None, None),
    (date(2021, 5, 28), "SLU_2PK", "X001SL", "B0000SL", "CustomerReturns",
     "111-0000001-0000001", 1, "LGB3", "CUSTOMER_DAMAGED", None, "US", None, None),
    (date(2021, 5, 28), "SLU_2PK", "X001SL", "B0000SL", "WhseTransfers", "77001", -4,
     "LGB3", "SELLABLE", None, "US", None, None),
    (date(2021, 5, 29), "SLU_2PK", "X001SL", "B0000SL", "WhseTransfers", "77001", 4,
     "MDW2", "SELLABLE", None, "US", None, None),
    (date(2021, 5, 29), "SLU_2PK", "X001SL", "B0000SL", "Adjustments", "13895071006", -2,
     "LGB3", "SELLABLE", "E", "US", 0, 2),
    (date(2021, 5, 29), "SLU_2PK", "X001SL", "B0000SL", "Adjustments", "13895071060", 2,
     "LGB3", "WAREHOUSE_DAMAGED", "P", "US", None, None),
    (date(2021, 5, 30), "SLU_2PK", "X001SL", "B0000SL", "VendorReturns", "REMOVAL-1", -3,
     "LGB3", "SELLABLE", None, "US", None, None),
]  # fmt: skip


def write_quoted(path: Path, header: list[str], rows: list[dict[str, str]], delimiter: str) -> Path:
    """Every field quoted, as Seller Central's .csv download (and some .txt) writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[row.get(c, "") for c in header] for row in rows])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def events_in(lx: Lianxing) -> list[tuple[Any, ...]]:
    return lx.db.query(f"SELECT {', '.join(COLUMNS)} FROM inventory_events ORDER BY line")


def as_api(row: dict[str, str]) -> dict[str, str]:
    return {API_HEADER[HEADER.index(k)]: v for k, v in row.items()} | {"Store": "Example"}


LAYOUTS = {
    "txt": lambda p, rows: write_table(p / "ledger.txt", HEADER, rows),
    "csv quoted": lambda p, rows: write_quoted(p / "ledger.csv", HEADER, rows, ","),
    "txt quoted": lambda p, rows: write_quoted(p / "ledger.txt", HEADER, rows, "\t"),
    "csv minimal": lambda p, rows: write_table(p / "ledger.csv", HEADER, rows, delimiter=","),
    "api": lambda p, rows: write_table(p / "api.tsv", API_HEADER, [as_api(r) for r in rows]),
    "shuffled": lambda p, rows: write_table(p / "shuffled.txt", HEADER[::-1], rows),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_real_format_imports_every_event(lx: Lianxing, tmp_path: Path, layout: str) -> None:
    path = LAYOUTS[layout](tmp_path, EVENTS)
    found = registry.detect(path)
    assert found is not None and found[0].kind == "amazon_inventory_ledger"
    result = lx.import_file(path, store_id=STORE)
    assert (result.kind, result.status, result.rows, result.written) == (
        "amazon_inventory_ledger",
        "imported",
        11,
        11,
    )
    assert (result.date_from, result.date_to) == (date(2021, 5, 26), date(2021, 5, 30))
    assert result.notes == []  # every event type and reason code is a known one
    assert {"Title", "Date and Time"} <= set(result.ignored_columns)
    assert events_in(lx) == EXPECTED
    # Units, never money; the SKU ↔ ASIN/FNSKU pairs are remembered.
    assert lx.db.query("SELECT count(*) FROM ledger") == [(0,)]
    assert lx.db.query("SELECT sku, asin, fnsku FROM sku_aliases ORDER BY sku") == [
        ("MUG-12", "B0000MU", "X001MU"),
        ("SLU_2PK", "B0000SL", "X001SL"),
    ]
    assert lx.db.query("SELECT kind, date_from, date_to FROM sources") == [
        ("amazon_inventory_ledger", date(2021, 5, 26), date(2021, 5, 30))
    ]


def test_no_buyer_or_product_text_is_stored(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(LAYOUTS["txt"](tmp_path, EVENTS), store_id=STORE)
    columns = [r[0] for r in lx.db.query(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'inventory_events' ORDER BY ordinal_position"
    )]  # fmt: skip
    assert columns == ["source_id", "line", "store_id", *COLUMNS[:1], "sku", "fnsku", "asin",
                       *COLUMNS[4:]]  # fmt: skip
    assert lx.db.query("SELECT count(*) FROM inventory_events WHERE reason LIKE '%Shadow%'") == [
        (0,)
    ]


def test_unknown_codes_are_kept_and_counted(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        *EVENTS[:3],
        event("06/01/2021", "Liquidations", "-2", reference="L1"),
        event("06/01/2021", "Adjustments", "-1", reason="Z9", reference="A1"),
        event("06/02/2021", "Adjustments", "-1", reason="Z9", reference="A2"),
        event("06/02/2021", "Adjustments", "1", reason="Inventory found", reference="A3"),
        # Known, written another way: no note.
        event("06/03/2021", "Customer Returns", "1", reference="111-2"),
        event("06/03/2021", "adjustments", "-1", reason="m", reference="A4"),
    ]
    result = lx.import_file(LAYOUTS["txt"](tmp_path, rows), store_id=STORE)
    assert result.written == 9
    assert result.notes == [
        ("ledger.unknown_event_types", {"count": 1, "values": "Liquidations ×1"}),
        ("ledger.unknown_reasons", {"count": 3, "values": "Z9 ×2, Inventory found ×1"}),
    ]
    stored = lx.db.query(
        "SELECT event_type, reason, quantity FROM inventory_events WHERE line > 4 ORDER BY line"
    )
    assert stored == [
        ("Liquidations", None, -2),
        ("Adjustments", "Z9", -1),
        ("Adjustments", "Z9", -1),
        ("Adjustments", "Inventory found", 1),
        ("Customer Returns", None, 1),
        ("adjustments", "m", -1),
    ]
    # The notes read in both languages, with the same placeholders.
    monkeypatch.setattr(i18n, "MESSAGES", {**i18n.MESSAGES, **MESSAGES})
    assert "Liquidations ×1" in i18n.t(result.notes[0][0], **result.notes[0][1])
    monkeypatch.setattr(i18n, "_current", "zh")
    assert "调整原因代码" in i18n.t(result.notes[1][0], **result.notes[1][1])


def test_every_known_reason_code_is_documented() -> None:
    doc = amazon_inventory_ledger.__doc__ or ""
    for code in amazon_inventory_ledger.REASON_CODES:
        assert f"{code} (" in doc or f"{code}, " in doc or f", {code} " in doc, code
    assert set(MESSAGES) == {"ledger.unknown_event_types", "ledger.unknown_reasons"}


@pytest.mark.parametrize(
    ("column", "value", "key"),
    [
        ("Date", "2021-13-45", "value.date"),
        ("Date", "26/05/2021", "value.date"),
        ("Date", "", "value.required"),
        ("Quantity", "two", "value.quantity"),
        ("Quantity", "1.5", "value.quantity"),
        ("Quantity", "12345678", "value.quantity"),
        ("Reconciled Quantity", "x", "value.quantity"),
        ("Event Type", "", "value.required"),
    ],
)
@pytest.mark.parametrize("layout", ["txt", "csv quoted"])
def test_bad_values_named_and_nothing_written(
    lx: Lianxing, tmp_path: Path, layout: str, column: str, value: str, key: str
) -> None:
    lx.import_file(LAYOUTS["txt"](tmp_path, EVENTS[:2]), store_id=STORE)
    before = ledger_fingerprint(lx)
    rows = [*EVENTS[:4], {**EVENTS[4], column: value}, *EVENTS[5:]]
    folder = tmp_path / "bad"
    folder.mkdir()
    path = LAYOUTS[layout](folder, rows)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id=STORE)
    problem = caught.value.problems[0]
    assert (problem.key, problem.file, problem.line, problem.column) == (
        key,
        str(path),
        6,  # the header is line 1
        column,
    )
    assert ledger_fingerprint(lx) == before


def test_every_bad_value_is_listed(lx: Lianxing, tmp_path: Path) -> None:
    rows = [
        {**EVENTS[0], "Quantity": "lots"},
        EVENTS[1],
        {**EVENTS[2], "Date": "May 32, 2021"},
        {**EVENTS[3], "Unreconciled Quantity": "-"},
    ]
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(LAYOUTS["txt"](tmp_path, rows), store_id=STORE)
    assert [(p.line, p.column, p.key) for p in caught.value.problems] == [
        (2, "Quantity", "value.quantity"),
        (4, "Date", "value.date"),
        (5, "Unreconciled Quantity", "value.quantity"),
    ]
    assert ledger_fingerprint(lx) == before


def test_bad_files_refused(lx: Lianxing, tmp_path: Path) -> None:
    before = ledger_fingerprint(lx)

    def refused(path: Path) -> str:
        with pytest.raises(InputError) as caught:
            amazon_inventory_ledger.import_inventory_ledger(
                lx.db, lx.workspace, path, options=OPTIONS
            )
        assert ledger_fingerprint(lx) == before
        return caught.value.key

    no_type = [h for h in HEADER if h != "Event Type"]
    assert refused(write_table(tmp_path / "a.txt", no_type, EVENTS)) == "report.columns_missing"
    assert refused(write_table(tmp_path / "b.txt", HEADER, [])) == "file.no_rows"
    short = write_table(tmp_path / "c.txt", HEADER, EVENTS)
    short.write_text(short.read_text() + "\t".join(["x"] * 3) + "\n")
    assert refused(short) == "file.columns"
    other = write_table(tmp_path / "d.txt", ["sku", "quantity"], [{"sku": "A", "quantity": "1"}])
    assert refused(other) == "report.wrong_kind"


def test_same_file_again_is_unchanged(lx: Lianxing, tmp_path: Path) -> None:
    path = LAYOUTS["csv quoted"](tmp_path, EVENTS)
    lx.import_file(path, store_id=STORE)
    before = ledger_fingerprint(lx)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    again = lx.import_file(copy)  # the one Amazon store now
    assert (again.kind, again.status) == ("amazon_inventory_ledger", "unchanged")
    assert ledger_fingerprint(lx) == before
    assert len(events_in(lx)) == 11


def test_overlapping_later_download_replaces_the_overlap(lx: Lianxing, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    lx.import_file(LAYOUTS["txt"](tmp_path / "a", EVENTS), store_id=STORE)
    # A month later: 3 more of the 16 lost units were found (reconciled 8, not 5), the
    # same two shipments are there again, and new days follow.
    later = [
        {**EVENTS[0], "Reconciled Quantity": "8", "Unreconciled Quantity": "8"},
        *EVENTS[1:5],
        event("06/10/2021", "Adjustments", "1", reason="F", reference="21188081"),
        event("06/11/2021", "Shipments", "-2", sku="MUG-12"),
    ]
    result = lx.import_file(LAYOUTS["csv quoted"](tmp_path / "b", later), store_id=STORE)
    assert (result.status, result.written, result.replaced_rows) == ("imported", 7, 5)
    assert lx.db.query(
        "SELECT reconciled, unreconciled FROM inventory_events WHERE reason = 'M'"
    ) == [(8, 8)]
    # Each event once: the days of the first file only it had are still there.
    assert lx.db.query(
        "SELECT event_type, sum(quantity), count(*) FROM inventory_events GROUP BY 1 ORDER BY 1"
    ) == [
        ("Adjustments", -14, 5),
        ("CustomerReturns", 1, 1),
        ("Receipts", 120, 1),
        ("Shipments", -4, 3),
        ("VendorReturns", -3, 1),
        ("WhseTransfers", 0, 2),
    ]


def test_cli_imports_the_ledger(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    path = LAYOUTS["csv quoted"](tmp_path, EVENTS)
    done = run_cli(["-w", str(ws), "import", str(path), "--store", STORE])
    assert done.exit_code == 0, done.stderr
    bad = write_table(tmp_path / "bad.txt", HEADER, [{**EVENTS[0], "Quantity": "two"}])
    refused = run_cli(["-w", str(ws), "import", str(bad), "--store", STORE])
    assert refused.exit_code == 2
    assert "bad.txt" in refused.stderr and "Quantity" in refused.stderr


# ---- the demo -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = write_demo_files(tmp_path_factory.mktemp("demo"))
    (path,) = [p for p in files.reports if p.name.startswith("inventory-ledger-")]
    return path


def test_demo_writes_the_ledger_and_it_imports(demo_ledger: Path, lx: Lianxing) -> None:
    assert demo_ledger.name == "inventory-ledger-2025.csv"
    assert demo_ledger.parent.name == "sources"
    with demo_ledger.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == HEADER
    assert demo_ledger.read_text("utf-8").startswith('"Date","FNSKU",')  # all quoted
    result = lx.import_file(demo_ledger, store_id=STORE)
    assert (result.kind, result.notes) == ("amazon_inventory_ledger", [])
    assert result.date_from is not None and result.date_to is not None
    assert (result.date_from.year, result.date_to.year) == (2025, 2025)
    by_reason = dict(lx.db.query(
        "SELECT reason, sum(quantity) FROM inventory_events WHERE reason IS NOT NULL GROUP BY 1"
    ))  # fmt: skip
    assert set(by_reason) == {"M", "F", "E", "P"}
    assert by_reason["M"] < 0 and 0 < by_reason["F"] < -by_reason["M"]
    assert by_reason["E"] < 0 and by_reason["P"] == -by_reason["E"]
    quarters = lx.db.query(
        "SELECT quarter(day), sum(-quantity) FROM inventory_events WHERE reason = 'M' "
        "GROUP BY 1 ORDER BY 1"
    )
    assert [q for q, _ in quarters] == [1, 2, 3, 4]
    assert all(3 <= units <= 9 for _, units in quarters)  # a handful each quarter
    # A lost adjustment's found units are its reconciled ones.
    assert lx.db.query(
        """SELECT count(*) FROM inventory_events m WHERE m.reason = 'M'
           AND (m.reconciled <> coalesce((SELECT sum(f.quantity) FROM inventory_events f
                WHERE f.reason = 'F' AND f.reference_id = m.reference_id), 0)
                OR m.reconciled + m.unreconciled <> -m.quantity)"""
    ) == [(0,)]
    # Shipments follow the order volume: every day of the year but the first ships.
    shipped = lx.db.query(
        "SELECT count(DISTINCT day), sum(-quantity) FROM inventory_events "
        "WHERE event_type = 'Shipments'"
    )[0]
    assert shipped[0] >= 360 and shipped[1] > 10_000


def test_demo_ledger_is_reproducible(demo_ledger: Path, tmp_path: Path) -> None:
    again = write_demo_files(tmp_path)
    (path,) = [p for p in again.reports if p.name == demo_ledger.name]
    assert path.read_bytes() == demo_ledger.read_bytes()
