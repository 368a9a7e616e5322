"""Reports saved as .xlsx (issue 13, item 4): read like their CSV twins, cells as shown.

The Ads console and Seller Central let a seller download a report as .xlsx; its cells
are typed (date cells, whole numbers, money as binary floats such as
2.9699999999999998 under a format showing cents). Such a file imports to exactly the
numbers and line numbers (sheet rows) of the CSV download; an old .xls, a PDF or a
screenshot is named for what it is.
"""

from __future__ import annotations

import math
import random
import stat
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, v2_row, write_table, write_v2
from lianxing import demo_reports
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import sniff, workbook_text
from lianxing.store.table_load import TableLoader

ADS = list(demo_reports.ADS_HEADER)  # the console download's header
MONEY = '"$"#,##0.00'
COUNT = "#,##0"
PERCENT = "0.00%"
# Number formats of the console's workbook by column (others: text or General cells).
ADS_SHOWN = {"Date": "mmm dd, yyyy", "Impressions": COUNT, "Clicks": COUNT}
ADS_SHOWN |= {"Click-Thru Rate (CTR)": PERCENT, "Spend": MONEY, "7 Day Total Sales ": MONEY}
ADS_SHOWN |= {"7 Day Total Orders (#)": COUNT, "7 Day Total Units (#)": COUNT}
ADS_FORMATS = [ADS_SHOWN.get(name) for name in ADS]
SPEND, SALES = ADS.index("Spend"), ADS.index("7 Day Total Sales ")
# (day, campaign, sku, impressions, clicks, spend, sales, orders)
AD_ROWS = [
    (date(2026, 3, 1), "SP - Mugs", "MUG", 12_345, 41, "2.97", "1234.50", 3),
    (date(2026, 3, 1), "SP - Cups", "CUP", 800, 7, "0.10", "0.00", 0),
    (date(2026, 3, 2), "SP - Mugs", "MUG", 1_200, 10, "1005.30", "2.20", 1),
    (date(2026, 3, 2), "SP, Brand", "CUP", 950, 12, "13.01", "45.07", 2),
]
BUSINESS = list(demo_reports.BUSINESS_HEADER)
BUSINESS_SHOWN = {"Sessions - Total": COUNT, "Page Views - Total": COUNT}
BUSINESS_SHOWN |= {"Featured Offer (Buy Box) Percentage": PERCENT, "Units Ordered": COUNT}
BUSINESS_SHOWN |= {"Unit Session Percentage": PERCENT, "Ordered Product Sales": MONEY}
BUSINESS_SHOWN |= {"Total Order Items": COUNT}
BUSINESS_FORMATS = [BUSINESS_SHOWN.get(name) for name in BUSINESS]
# (child asin, sku, sessions, page views, buy box %, units, sales, items)
BUSINESS_ROWS = [
    ("B0CHILD001", "MUG", 1_234, 1_800, "96.50", 40, "1034.60", 38),
    ("B0CHILD002", "CUP", 88, 120, "100.00", 3, "29.97", 3),
    ("B0CHILD003", "BOWL", 5, 9, "0.00", 0, "0.00", 0),
]
FACTS = {
    "ad_spend": "line, day, campaign, ad_group, sku, asin, impressions, clicks, spend, sales, "
    "orders, units, currency",
    "traffic": "line, date_from, date_to, parent_asin, asin, sku, sessions, page_views, "
    "buy_box, units_ordered, ordered_sales, order_items, currency",
}


def noisy(text: str, index: int) -> float:
    """The amount as Amazon's workbook holds it: a binary float, every other one a
    step below its value (2.97 → 2.9699999999999998)."""
    value = float(Decimal(text))
    return math.nextafter(value, -math.inf) if index % 2 and value else value


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None] = (),
) -> Path:
    """A workbook whose first sheet holds `rows`; data cells in column i get formats[i]."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(number, column, value)
            if number > 1 and column <= len(formats) and formats[column - 1]:
                cell.number_format = formats[column - 1]  # type: ignore[assignment]
    book.save(path)
    return path


def ads_xlsx(path: Path, rows: Sequence[tuple[Any, ...]] = AD_ROWS) -> Path:
    cells: list[list[Any]] = [ADS]
    for n, (day, campaign, sku, impressions, clicks, spend, sales, orders) in enumerate(rows):
        values = {
            "Date": datetime(day.year, day.month, day.day),
            "Click-Thru Rate (CTR)": clicks / impressions,
            "Spend": noisy(spend, n),
            "7 Day Total Sales ": noisy(sales, n + 1),
        }
        values |= _ad_counts(campaign, sku, impressions, clicks, orders)
        cells.append([values.get(name) for name in ADS])
    return write_xlsx(path, cells, ADS_FORMATS)


def _ad_counts(campaign: str, sku: str, impressions: int, clicks: int, orders: int) -> Any:
    """The text and whole-number cells of an ads row, by column."""
    return {
        "Currency": "USD",
        "Campaign Name": campaign,
        "Ad Group Name": "Group 1",
        "Advertised SKU": sku,
        "Advertised ASIN": "B0" + sku,
        "Impressions": impressions,
        "Clicks": clicks,
        "7 Day Total Orders (#)": orders,
        "7 Day Total Units (#)": orders,
    }


def ads_csv(path: Path, rows: Sequence[tuple[Any, ...]] = AD_ROWS) -> Path:
    lines = []
    for day, campaign, sku, impressions, clicks, spend, sales, orders in rows:
        values = {
            k: f"{v:,}" if isinstance(v, int) else v
            for k, v in _ad_counts(campaign, sku, impressions, clicks, orders).items()
        }
        values |= {
            "Date": day.strftime("%b %d, %Y"),
            "Click-Thru Rate (CTR)": f"{clicks / impressions * 100:.2f}%",
            "Spend": f"${Decimal(spend):,.2f}",
            "7 Day Total Sales ": f"${Decimal(sales):,.2f}",
        }
        lines.append(values)
    return write_table(path, ADS, lines, delimiter=",")


def business_xlsx(path: Path) -> Path:
    cells: list[list[Any]] = [BUSINESS]
    for n, (child, sku, sessions, views, box, units, sales, items) in enumerate(BUSINESS_ROWS):
        values = _business_cells(child, sku, sessions, views, units, items)
        values |= {
            "Featured Offer (Buy Box) Percentage": float(Decimal(box) / 100),
            "Unit Session Percentage": units / sessions,
            "Ordered Product Sales": noisy(sales, n),
        }
        cells.append([values.get(name) for name in BUSINESS])
    return write_xlsx(path, cells, BUSINESS_FORMATS)


def _business_cells(child: str, sku: str, sessions: int, views: int, units: int, items: int) -> Any:
    return {
        "(Parent) ASIN": "B0PARENT01",
        "(Child) ASIN": child,
        "Title": f"Title of {sku}",
        "SKU": sku,
        "Sessions - Total": sessions,
        "Page Views - Total": views,
        "Units Ordered": units,
        "Total Order Items": items,
    }


def business_csv(path: Path) -> Path:
    lines = []
    for child, sku, sessions, views, box, units, sales, items in BUSINESS_ROWS:
        values = {
            k: f"{v:,}" if isinstance(v, int) else v
            for k, v in _business_cells(child, sku, sessions, views, units, items).items()
        }
        values |= {
            "Featured Offer (Buy Box) Percentage": f"{box}%",
            "Unit Session Percentage": f"{units / sessions * 100:.2f}%",
            "Ordered Product Sales": f"${Decimal(sales):,.2f}",
        }
        lines.append(values)
    return write_table(path, BUSINESS, lines, delimiter=",")


def facts(lx: Lianxing, table: str) -> list[tuple[Any, ...]]:
    return lx.db.query(f"SELECT {FACTS[table]} FROM {table} ORDER BY line")


@pytest.fixture
def twin(tmp_path: Path) -> Iterator[Lianxing]:
    """A second workspace, for the CSV twin."""
    with Lianxing.init(tmp_path / "twin") as facade:
        yield facade


# ---- the same numbers as the CSV download -----------------------------------------------
def test_xlsx_ads_report_imports_the_same_facts_and_lines_as_its_csv_twin(
    lx: Lianxing, twin: Lianxing, tmp_path: Path
) -> None:
    book = lx.import_file(ads_xlsx(tmp_path / "sp.xlsx"), store_id="us")
    text = twin.import_file(ads_csv(tmp_path / "sp.csv"), store_id="us")
    assert (book.kind, book.status, book.rows) == ("amazon_ads_sp", "imported", 4)
    assert (book.date_from, book.date_to) == (text.date_from, text.date_to)
    assert facts(lx, "ad_spend") == facts(twin, "ad_spend")
    spend = [row[8] for row in facts(lx, "ad_spend")]  # column 8 of FACTS: spend
    assert spend == [Decimal("2.97"), Decimal("0.10"), Decimal("1005.30"), Decimal("13.01")]
    assert lx.db.query("SELECT file_name, encoding, row_count FROM sources") == [
        ("sp.xlsx", "xlsx", 4)
    ]


def test_xlsx_business_report_imports_the_same_traffic_as_its_csv_twin(
    lx: Lianxing, twin: Lianxing, tmp_path: Path
) -> None:
    name = "BusinessReport_2026-03-01_2026-03-31"
    book = lx.import_file(business_xlsx(tmp_path / f"{name}.xlsx"), store_id="us")
    twin.import_file(business_csv(tmp_path / f"{name}.csv"), store_id="us")
    assert (book.kind, book.rows) == ("amazon_business_report", 3)
    assert facts(lx, "traffic") == facts(twin, "traffic")
    first = facts(lx, "traffic")[0]
    assert (first[1], first[2]) == (date(2026, 3, 1), date(2026, 3, 31))  # from the name
    assert (first[8], first[10]) == (Decimal("0.965"), Decimal("1034.60"))


def test_binary_float_money_cells_become_the_cents_they_show(lx: Lianxing, tmp_path: Path) -> None:
    rows = [(date(2026, 3, 1), "A", "MUG", 100, 3, "2.97", "8.91", 1)]
    path = ads_xlsx(tmp_path / "sp.xlsx", rows)
    cells = _cells(path, 2)
    cells[SPEND] = 2.9699999999999998  # exactly what Amazon's workbook holds
    cells[SALES] = 8.9100000000000001
    write_xlsx(path, [ADS, cells], ADS_FORMATS)
    lx.import_file(path, store_id="us")
    assert lx.db.query("SELECT spend, sales FROM ad_spend") == [(Decimal("2.97"), Decimal("8.91"))]


def _cells(path: Path, row: int) -> list[Any]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet is not None
    return [c.value for c in sheet[row]]


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (2.9699999999999998, MONEY, "2.97"),
        (2.9699999999999998, "General", "2.97"),
        (1.005, "0.00", "1.01"),  # Excel rounds what it shows half away from zero
        (0.30000000000000004, "General", "0.3"),
        (1234.5, "#,##0.00_);[Red](#,##0.00)", "1234.50"),
        (-1234.5, "#,##0.00_);[Red](#,##0.00)", "-1234.50"),
        (0.5, "[$€-407] #,##0.00", "0.50"),
        (0.1234, "0.00%", "12.34%"),
        (0.965, "0%", "97%"),
        (-0.001, "0.00", "0.00"),
        (3.0, "General", "3"),
        (12, "#,##0", "12"),
        (2.9699999999999998, "#,##0", "2.97"),  # a format without cents never drops them
        (2.5, "#,##0", "2.5"),
        (1 / 3, "#,##0", "0.33"),
        (1 / 3, "0.0", "0.33"),
        (1e20, "General", "100000000000000000000"),
        (5.0, "0.0E+00", "5"),  # scientific: as stored, not rounded away
    ],
)
def test_number_formats_decide_the_decimals_written(
    value: float, number_format: str, shown: str
) -> None:
    assert workbook_text.number_text(value, workbook_text.number_shown(number_format)) == shown


def test_date_cells_are_written_as_iso_dates_and_times() -> None:
    general = workbook_text.number_shown("General")
    assert workbook_text.cell_text(datetime(2026, 3, 1), general) == "2026-03-01"
    assert workbook_text.cell_text(datetime(2026, 3, 1, 13, 5), general) == "2026-03-01 13:05:00"
    assert workbook_text.cell_text("two\nlines", general) == "two lines"


# ---- errors name the .xlsx file, the sheet row and the column --------------------------
def test_bad_value_in_xlsx_names_the_file_sheet_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = ads_xlsx(tmp_path / "sp.xlsx")
    cells = [ADS, *(_cells(path, n) for n in range(2, 6))]
    cells[3][SPEND] = "twelve"  # sheet row 4
    write_xlsx(path, [*cells[:2], [], *cells[2:]], ADS_FORMATS)  # an empty row 3: now row 5
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(path), "--store", "us"])
    assert result.exit_code == 2
    assert f"{path}, line 5, column 'Spend': 'twelve' is not an amount." in result.stderr
    with Lianxing.open(tmp_path / "ws") as lx:
        assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]
        assert lx.db.query("SELECT count(*) FROM ad_spend") == [(0,)]
    assert list((tmp_path / "ws" / ".lianxing-tmp").iterdir()) == []


def test_empty_rows_and_trailing_empty_cells_are_read_past_keeping_sheet_rows(
    lx: Lianxing, tmp_path: Path
) -> None:
    path = ads_xlsx(tmp_path / "sp.xlsx")
    rows = [_cells(path, n) for n in range(1, 6)]
    rows[2][SALES:] = []  # the row ends early: its last cells are empty
    rows = [[*r, None, ""] for r in rows]  # and empty cells past the header
    write_xlsx(path, [*rows[:3], [], [None, ""], *rows[3:], [], [None]], ADS_FORMATS)
    lx.import_file(path, store_id="us")
    assert [r[0] for r in facts(lx, "ad_spend")] == [2, 3, 6, 7]
    assert lx.db.query("SELECT sales FROM ad_spend WHERE line = 3") == [(None,)]


def test_consecutive_blank_lines_in_a_csv_report_shift_line_numbers_by_all_of_them(
    lx: Lianxing, tmp_path: Path
) -> None:
    path = ads_csv(tmp_path / "sp.csv")
    lines = path.read_text("utf-8").splitlines()
    lines[3] = lines[3].replace("$1,005.30", "twelve")
    path.write_text("\n".join([*lines[:3], "", "", *lines[3:]]) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (6, "Spend")


def test_consecutive_blank_lines_in_a_settlement_shift_line_numbers_by_all_of_them(
    lx: Lianxing, tmp_path: Path
) -> None:
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "20.00", order="1", sku="A", qty="1"),
        v2_row("Order", "ItemPrice", "Principal", "x", order="2", sku="A", qty="1"),
    ]
    path = write_v2(tmp_path / "s.txt", rows, total="20.00")
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines[:3], "", "", "", *lines[3:]]) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    assert caught.value.problems[0].line == 7


def test_a_cell_beyond_the_header_is_refused_naming_the_row(lx: Lianxing, tmp_path: Path) -> None:
    path = ads_xlsx(tmp_path / "sp.xlsx")
    rows = [ADS, *(_cells(path, n) for n in range(2, 6))]
    rows[2] = [*rows[2], None, "stray"]
    write_xlsx(path, rows, ADS_FORMATS)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert (caught.value.problems[0].file, caught.value.problems[0].line) == (str(path), 3)
    assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]


def test_sheet_copy_is_owner_only_and_deleted_after_the_import(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    stage = TableLoader.stage

    def watched(self: TableLoader, utf8_path: str, *args: Any, **kwargs: Any) -> Any:
        modes.append(stat.S_IMODE(Path(utf8_path).stat().st_mode))
        return stage(self, utf8_path, *args, **kwargs)

    monkeypatch.setattr(TableLoader, "stage", watched)
    lx.import_file(ads_xlsx(tmp_path / "sp.xlsx"), store_id="us")
    assert modes and all(mode == 0o600 for mode in modes)
    assert list(lx.workspace.temp_dir.iterdir()) == []


# ---- bounded work ----------------------------------------------------------------------
def test_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ads_xlsx(tmp_path / "sp.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b" " * 5000)
    monkeypatch.setattr(sniff, "MAX_XLSX_PART", 4096)

    def never(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("opened")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert caught.value.key == "file.unpacked_too_large"
    monkeypatch.setattr(sniff, "MAX_XLSX_PART", 1 << 30)
    monkeypatch.setattr(sniff, "MAX_XLSX_UNPACKED", 4096)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert caught.value.key == "file.unpacked_too_large"


def test_workbooks_open_without_reading_each_sheet_through_to_measure_it(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.worksheet._reader import WorkSheetParser

    def measured(*_args: Any) -> None:
        raise AssertionError("a sheet was read through just to measure it")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", measured)
    assert lx.import_file(ads_xlsx(tmp_path / "sp.xlsx"), store_id="us").rows == 4


def test_sheet_beyond_the_cell_limit_is_refused_naming_the_row(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook_text, "MAX_CELLS", 3 * len(ADS))  # three full rows
    path = ads_xlsx(tmp_path / "sp.xlsx")
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert caught.value.key == "workbook.too_many_cells"
    assert (caught.value.problems[0].file, caught.value.problems[0].line) == (str(path), 4)
    assert list(lx.workspace.temp_dir.iterdir()) == []


def test_sheet_with_a_row_past_excels_last_row_is_refused_before_reading_empty_rows(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ads_xlsx(tmp_path / "sp.xlsx")
    rows: list[list[Any]] = [_cells(path, n) for n in range(1, 6)]
    write_xlsx(path, [*rows, *([[]] * 30), rows[1]], ADS_FORMATS)  # the last at row 36
    monkeypatch.setattr(workbook_text, "MAX_ROWS", 20)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert caught.value.key == "workbook.too_many_rows"
    assert caught.value.problems[0].file == str(path)
    assert list(lx.workspace.temp_dir.iterdir()) == []


# ---- what is not a report is named for what it is ---------------------------------------
def ole_file(stream: str) -> bytes:
    """An Office 97–2003 file whose directory holds `stream` (Workbook: an .xls)."""
    header = bytearray(512)
    header[:8] = sniff.OLE
    header[30:32] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[48:52] = (0).to_bytes(4, "little")  # the directory starts at sector 0
    entries = "Root Entry".encode("utf-16-le").ljust(128, b"\0")
    entries += stream.encode("utf-16-le").ljust(128, b"\0")
    return bytes(header) + entries.ljust(512, b"\0")


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        ("BusinessReport.xls", ole_file("Workbook"), "old Excel 97–2003 workbook (.xls)"),
        ("sp-report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "This is a PDF document"),
        ("ads.png", b"\x89PNG\r\n\x1a\n" + bytes(24), "This is an image (PNG, a screenshot?)"),
        ("report.doc", ole_file("WordDocument"), "This is a .doc document"),
    ],
)
def test_xls_pdf_and_images_get_their_own_message_and_a_non_zero_exit(
    tmp_path: Path, name: str, content: bytes, shown: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(path)])
    assert result.exit_code == 2
    assert shown in result.stderr
    assert "download" in result.stderr.lower() or "Download" in result.stderr
    assert "UTF-8 and retry" not in result.stderr


def test_xls_message_is_in_chinese_too(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(ole_file("Workbook"))
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["--lang", "zh", "-w", str(tmp_path / "ws"), "import", str(path)])
    assert result.exit_code == 2
    assert "旧版 Excel 97–2003 工作簿（.xls）" in result.stderr


def test_folder_import_reads_xlsx_reports_and_skips_an_xls(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    ads_xlsx(folder / "a-sp.xlsx")
    (folder / "b-old.xls").write_bytes(ole_file("Workbook"))
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(folder), "--store", "us"])
    assert result.exit_code == 0, result.stderr
    assert "1 imported, 0 unchanged, 1 skipped, 0 failed" in result.stdout


# ---- a workbook that looks like one format but is another -------------------------------
def test_xlsx_named_like_an_ads_report_holding_a_business_report_is_read_as_one(
    lx: Lianxing, tmp_path: Path
) -> None:
    path = business_xlsx(tmp_path / "sponsored-products-2026-03.xlsx")
    result = lx.import_file(path, store_id="us")
    assert (result.kind, result.rows) == ("amazon_business_report", 3)
    assert lx.db.query("SELECT count(*) FROM ad_spend") == [(0,)]


def test_xlsx_with_the_ads_header_over_business_values_is_refused_by_row_and_column(
    lx: Lianxing, tmp_path: Path
) -> None:
    business = business_xlsx(tmp_path / "b.xlsx")
    rows = [_cells(business, n)[: len(ADS)] for n in range(2, 5)]
    path = write_xlsx(tmp_path / "sp.xlsx", [ADS, *rows])
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    found = {(p.file, p.line, p.column) for p in caught.value.problems}
    assert (str(path), 2, "Date") in found
    assert ledger_fingerprint(lx)[1][0] == 0


def test_xlsx_report_whose_header_is_below_a_title_row_is_named_an_unknown_workbook(
    lx: Lianxing, tmp_path: Path
) -> None:
    path = ads_xlsx(tmp_path / "sp.xlsx")
    rows = [["Sponsored Products advertised product report"]]
    rows += [_cells(path, n) for n in range(1, 6)]
    write_xlsx(path, rows, ADS_FORMATS)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert caught.value.key == "file.is_xlsx"


def test_xlsx_cost_sheet_is_still_a_cost_sheet(lx: Lianxing, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "costs.xlsx",
        [["SKU", "Effective From", "Unit Cost", "Currency"], ["MUG", "2026-01-01", 3, "USD"]],
    )
    assert lx.import_file(path).kind == "cogs"


# ---- fuzz: mutated workbooks import or are refused cleanly ------------------------------
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JUNK_CELLS: list[Any] = [
    None,
    "",
    "abc",
    "$1,2",
    -1,
    0,
    1e300,
    float("nan"),
    2.9699999999999998,
    datetime(1900, 1, 1),
    True,
    "9" * 40,
    "a\nb",
    "x,y",
    '"',
]


@pytest.fixture(scope="module")
def fuzz_lx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lianxing]:
    """One workspace for every example: a failed import must leave it as it was."""
    with Lianxing.init(tmp_path_factory.mktemp("xlsx-fuzz") / "ws") as facade:
        yield facade


def _fuzz_import(lx: Lianxing, path: Path) -> None:
    before = ledger_fingerprint(lx)
    try:
        result = lx.import_file(path, store_id="us")
    except InputError as exc:
        assert ledger_fingerprint(lx) == before
        assert exc.problems and exc.problems[0].file == str(path)
        for problem in exc.problems:
            if problem.key.startswith("value."):
                assert problem.line is not None and problem.line >= 2 and problem.column
    else:
        assert result.status in ("imported", "unchanged")
    assert list(lx.workspace.temp_dir.iterdir()) == []


@FUZZ
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=6))
def test_workbooks_with_mutated_cells_import_or_are_refused_cleanly(
    fuzz_lx: Lianxing, seed: int, edits: int
) -> None:
    rng = random.Random(seed)
    folder = fuzz_lx.workspace.root.parent
    base = (
        ads_xlsx(folder / "base.xlsx") if rng.random() < 0.7 else business_xlsx(folder / "b.xlsx")
    )
    rows = [_cells(base, n) for n in range(1, 5 if base.name == "b.xlsx" else 6)]
    for _ in range(edits):
        row = rows[rng.randrange(len(rows))]
        choice = rng.random()
        if choice < 0.6:
            row[rng.randrange(len(row))] = rng.choice(JUNK_CELLS)
        elif choice < 0.8:
            rows.insert(rng.randrange(1, len(rows) + 1), [rng.choice(JUNK_CELLS)])
        elif len(rows) > 1:
            del rows[rng.randrange(1, len(rows))]
    formats = ADS_FORMATS if base.name == "base.xlsx" else BUSINESS_FORMATS
    name = "BusinessReport_2026-03-01_2026-03-31.xlsx" if base.name == "b.xlsx" else "sp.xlsx"
    _fuzz_import(fuzz_lx, write_xlsx(folder / name, rows, formats))


WORKBOOK: list[bytes] = []


@FUZZ
@given(st.integers(min_value=0, max_value=2**32))
def test_workbooks_with_mutated_bytes_import_or_are_refused_cleanly(
    fuzz_lx: Lianxing, seed: int
) -> None:
    folder = fuzz_lx.workspace.root.parent
    if not WORKBOOK:
        WORKBOOK.append(ads_xlsx(folder / "bytes-base.xlsx").read_bytes())
    rng = random.Random(seed)
    data = bytearray(WORKBOOK[0])
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = folder / "mutated.xlsx"
    path.write_bytes(bytes(data))
    _fuzz_import(fuzz_lx, path)


# ---- every report kind read through the same path ---------------------------------------
@pytest.fixture(scope="module")
def demo_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lianxing.demo_data import write_demo_files

    folder = tmp_path_factory.mktemp("xlsx-demo")
    write_demo_files(folder)
    return folder / "sources"


def as_workbook(text: Path, target: Path, limit: int = 600) -> Path:
    """The report's first `limit` lines as a workbook of text cells (as Excel saves a
    downloaded report it opened)."""
    import csv

    tab = text.suffix == ".txt"
    with text.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(
            handle, delimiter="\t" if tab else ",", quoting=csv.QUOTE_NONE if tab else 0
        )
        rows = [row for _, row in zip(range(limit), reader, strict=False)]
    return write_xlsx(target, rows)


def every_row(lx: Lianxing) -> list[Any]:
    from conftest import FACT_TABLES

    found = []
    for table in ("ledger", *FACT_TABLES):
        found.append(lx.db.query(f"SELECT * EXCLUDE (source_id) FROM {table} ORDER BY ALL"))
    return found


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("all-orders-2025-12-18.txt", "amazon_all_orders"),
        ("fba-customer-returns-2025-h1.txt", "amazon_returns"),
        ("fba-customer-returns-2025-h2.csv", "amazon_returns"),
        ("storage-fees-2025-01.txt", "amazon_storage_fees"),
        ("inventory-planning-2025-12-31.txt", "amazon_inventory_planning"),
        ("inventory-ledger-2025.csv", "amazon_inventory_ledger"),
        ("walmart-recon-01142025.csv", "walmart_recon"),
        ("shopify-orders-2025-01.csv", "shopify_orders"),
        ("shopify-payments-2025-01.csv", "shopify_payments"),
    ],
)
def test_every_report_kind_saved_as_xlsx_imports_like_its_text_download(
    lx: Lianxing, twin: Lianxing, tmp_path: Path, demo_sources: Path, name: str, kind: str
) -> None:
    text = tmp_path / name
    as_workbook(demo_sources / name, tmp_path / "book.xlsx")
    rows = _cells_of(tmp_path / "book.xlsx")
    delimiter = "\t" if text.suffix == ".txt" else ","
    import csv

    with text.open("w", encoding="utf-8", newline="") as out:  # the same lines as text
        if delimiter == "\t":
            out.writelines("\t".join(r) + "\n" for r in rows)
        else:
            csv.writer(out, lineterminator="\n").writerows(rows)
    book = tmp_path / (text.stem + ".xlsx")
    (tmp_path / "book.xlsx").rename(book)
    store = "us" if kind.startswith("amazon") else None
    result = lx.import_file(book, store_id=store)
    assert (result.kind, result.status) == (kind, "imported")
    twin.import_file(text, store_id=store)
    assert every_row(lx) == every_row(twin)
    assert lx.db.query("SELECT encoding FROM sources") == [("xlsx",)]


def _cells_of(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet is not None
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


# ---- the demo --------------------------------------------------------------------------
def test_demo_writes_a_june_ads_workbook_that_imports_like_its_csv_twin(
    lx: Lianxing, twin: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twins: list[Path] = []
    workbook = demo_reports._ads_workbook

    def both(path: Path, rows: Sequence[Any]) -> Path:
        twins.append(demo_reports._ads_csv(tmp_path / "twin.csv", rows))
        return workbook(path, rows)

    monkeypatch.setattr(demo_reports, "_ads_workbook", both)
    products = [demo_reports.Product(code, Decimal("20"), 1.0) for code in ("MUG-CUPS-1", "BOWL-X")]
    orders = [
        demo_reports.OrderLine(
            datetime(2025, month, day, 12),
            f"O{month}{day}{sku}",
            sku,
            1,
            Decimal("19.99"),
            Decimal("0"),
            Decimal("0"),
        )
        for month in (5, 6)
        for day in (1, 2, 3)
        for sku in ("MUG-CUPS-1", "BOWL-X")
    ]
    spend = {date(2025, m, d): Decimal("7.77") for m in (5, 6) for d in (1, 2, 3)}
    data = demo_reports.SellerYear(2025, products, orders, [], spend, {})
    written = demo_reports._ads(tmp_path, data, random.Random(3))
    assert [p.name for p in written] == [
        "sponsored-products-2025-05.csv",
        "sponsored-products-2025-06.xlsx",
    ]
    lx.import_file(written[1], store_id="us")
    twin.import_file(twins[0], store_id="us")
    assert facts(lx, "ad_spend") == facts(twin, "ad_spend")
    total = lx.db.query("SELECT sum(spend) FROM ad_spend")[0][0]
    assert total == Decimal("23.31")


def test_a_zip_needing_an_unknown_version_to_extract_is_refused_not_a_crash(
    lx: Lianxing, tmp_path: Path
) -> None:
    """Python's zipfile raises NotImplementedError for a central directory entry that
    asks for extract version 16.4 (found by the byte fuzz test, seed 896)."""
    book = ads_xlsx(tmp_path / "ads.xlsx")
    data = bytearray(book.read_bytes())
    entry = data.find(b"PK\x01\x02")
    assert entry > 0
    data[entry + 6 : entry + 8] = (164).to_bytes(2, "little")  # version needed to extract
    book.write_bytes(bytes(data))
    with pytest.raises(InputError):
        lx.import_file(book)
    assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]


def test_demo_workbook_is_the_same_bytes_for_the_same_data(tmp_path: Path) -> None:
    import time

    from lianxing import demo_workbooks

    rows = [[demo_workbooks.day_cell(date(2025, 6, 1)), demo_workbooks.noisy(Decimal("2.97"), 1)]]
    formats = [demo_workbooks.DATE, demo_workbooks.MONEY]
    first = demo_workbooks.write_xlsx(tmp_path / "a.xlsx", ["Date", "Spend"], rows, formats)
    time.sleep(2.1)  # a zip records times to two seconds
    second = demo_workbooks.write_xlsx(tmp_path / "b.xlsx", ["Date", "Spend"], rows, formats)
    assert first.read_bytes() == second.read_bytes()
    assert workbook_text.header_cells(second) == ["Date", "Spend"]
