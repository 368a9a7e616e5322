"""Mapped CSV/XLSX files: ERP exports, freight invoices, customs entries, ad spend and
overheads, each described by a YAML mapping file (docs/mapping.md)."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from decimal import Decimal
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, ledger_fingerprint, run_cli, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest.mapping_file import load_mapping, read_mapping
from lianxing.ingest.tabular import ReportImport
from lianxing.workspace import Store

EXAMPLES = REPO / "docs" / "examples"

FREIGHT_MAPPING = """\
kind: charges
name: sea-freight
store: amazon-us
platform: amazon
columns:
  reference: 提单号
  date: 开船日期
  sku: SKU
  weight: 毛重(kg)
  amount: 运费
  currency: 币种
category: logistics.first_mile_sea
allocate:
  by: weight
"""
FREIGHT_HEADER = ["提单号", "开船日期", "SKU", "箱数", "毛重(kg)", "运费", "币种"]
FREIGHT_ROWS = [
    # SH001: 1,200.00 over 50.5 + 30 + 19.5 kg; SH002: 333.33 over 7 + 3 kg
    ["SH001", "2026/10/01", "MUG", "10", "50.5", "1,200.00", "USD"],
    ["SH001", "2026/10/01", "CUP", "5", "30", "", "USD"],
    ["SH001", "2026/10/01", "BOWL", "3", "19.5", "", "USD"],
    ["SH002", "2026年10月5日", "MUG", "2", "7", "$333.33", "USD"],
    ["SH002", "2026年10月5日", "CUP", "1", "3", "", ""],
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_rows(
    path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8"
) -> Path:
    return write_table(
        path,
        header,
        [dict(zip(header, r, strict=True)) for r in rows],
        delimiter=",",
        encoding=encoding,
    )


def add_store(lx: Lianxing, store_id: str = "amazon-com") -> None:
    lx.workspace.add_store(Store(store_id, "amazon", "amazon.com", "USD", "America/Los_Angeles"))
    lx.workspace.save()


def ledger(lx: Lianxing, where: str = "TRUE") -> list[tuple[object, ...]]:
    return lx.db.query(
        "SELECT line, sku, reference, category, amount, basis, currency FROM ledger "
        f"WHERE {where} ORDER BY line, category"
    )


@pytest.fixture
def freight(tmp_path: Path) -> tuple[Path, Path]:
    data = write_rows(tmp_path / "freight.csv", FREIGHT_HEADER, FREIGHT_ROWS)
    return data, write(tmp_path / "freight.yaml", FREIGHT_MAPPING)


# ---- charges ---------------------------------------------------------------------------
def test_freight_invoice_split_by_weight_adds_up(lx: Lianxing, freight: tuple[Path, Path]) -> None:
    data, mapping = freight
    result = lx.import_mapped(data, mapping)
    assert result.status == "imported" and result.kind == "mapped_charges:sea-freight"
    assert result.store_id == "amazon-us" and result.new_store is not None
    assert result.ignored_columns == ["箱数"]
    sea = "logistics.first_mile_sea"
    assert ledger(lx) == [
        (2, "MUG", "SH001", sea, Decimal("-606.0000"), "settled", "USD"),
        (3, "CUP", "SH001", sea, Decimal("-360.0000"), "settled", "USD"),
        (4, "BOWL", "SH001", sea, Decimal("-234.0000"), "settled", "USD"),
        (5, "MUG", "SH002", sea, Decimal("-233.3310"), "settled", "USD"),
        (6, "CUP", "SH002", sea, Decimal("-99.9990"), "settled", "USD"),
    ]
    sums = lx.db.query("SELECT reference, sum(amount) FROM ledger GROUP BY 1 ORDER BY 1")
    assert sums == [("SH001", Decimal("-1200.0000")), ("SH002", Decimal("-333.3300"))]
    days = lx.db.query("SELECT DISTINCT business_date::VARCHAR FROM ledger ORDER BY 1")
    assert days == [("2026-10-01",), ("2026-10-05",)]
    assert lx.stale_mappings() == []
    by_sku = {r["sku"]: r for r in lx.profit(by="sku").rows}
    assert by_sku["MUG"]["logistics"] == Decimal("-839.33")

    before = ledger_fingerprint(lx)
    assert lx.import_mapped(data, mapping).status == "unchanged"
    assert ledger_fingerprint(lx) == before
    # The same file with an edited mapping replaces its earlier rows, never adds to them.
    write(
        mapping,
        FREIGHT_MAPPING.replace("by: weight", "by: units").replace(
            "  weight: 毛重(kg)", "  units: 箱数"
        ),
    )
    again = lx.import_mapped(data, mapping)
    assert again.status == "replaced" and again.replaced_rows == 5
    assert ("mapping.remapped", {"source": result.source_id}) in again.notes
    assert lx.db.query("SELECT sum(amount), count(*) FROM ledger") == [(Decimal("-1533.3300"), 5)]
    assert ledger(lx)[0][4] == Decimal("-666.6667")  # 10 of 18 boxes
    renamed = write(
        mapping.with_name("renamed.yaml"),
        mapping.read_text("utf-8").replace("name: sea-freight", "name: sea-freight-2"),
    )
    twice = lx.import_mapped(data, renamed)
    assert twice.status == "unchanged" and twice.source_id == again.source_id
    assert ("mapping.already_imported", {"source": again.source_id, "kind": again.kind}) in (
        twice.notes
    )


def test_split_that_cannot_be_exact_puts_the_rounding_on_the_last_row(
    lx: Lianxing, tmp_path: Path
) -> None:
    rows = [
        ["S1", "2026-10-01", sku, "1", "1", "100.00" if sku == "A" else "", "USD"] for sku in "ABC"
    ]
    data = write_rows(tmp_path / "f.csv", FREIGHT_HEADER, rows)
    lx.import_mapped(data, write(tmp_path / "m.yaml", FREIGHT_MAPPING))
    assert [r[4] for r in ledger(lx)] == [
        Decimal("-33.3333"),
        Decimal("-33.3333"),
        Decimal("-33.3334"),
    ]


def test_repeated_totals_and_shipments_without_weights(lx: Lianxing, tmp_path: Path) -> None:
    mapping = write(
        tmp_path / "m.yaml",
        FREIGHT_MAPPING.replace("  by: weight", "  by: weight\n  total: repeated"),
    )
    rows = [
        ["S1", "2026-10-01", "A", "1", "1", "90.00", "USD"],
        ["S1", "2026-10-01", "B", "1", "2", "90.00", "USD"],
        ["S2", "2026-10-02", "", "", "", "12.00", "USD"],  # no SKU rows: kept whole
    ]
    result = lx.import_mapped(write_rows(tmp_path / "f.csv", FREIGHT_HEADER, rows), mapping)
    assert [(*r[:2], r[4]) for r in ledger(lx)] == [
        (2, "A", Decimal("-30.0000")),
        (3, "B", Decimal("-60.0000")),
        (4, None, Decimal("-12.0000")),
    ]
    assert ("mapping.unallocated", {"count": 1, "by": "weight"}) in result.notes
    rows[1][5] = "91.00"
    with pytest.raises(InputError) as caught:
        lx.import_mapped(write_rows(tmp_path / "g.csv", FREIGHT_HEADER, rows), mapping)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == ("mapping.repeated_total", 3, "运费")


CUSTOMS = """\
Entry No,Entry Date,SKU,Entered Value,Duty,MPF,HMF
ABC-1234567-8,10/12/2026,,,"1,250.00",32.71,15.63
ABC-1234567-8,10/12/2026,MUG,"6,000.00",,,
ABC-1234567-8,10/12/2026,CUP,"4,000.00",,,
"""


def test_customs_entry_duty_mpf_hmf_split_by_value(lx: Lianxing, tmp_path: Path) -> None:
    mapping = EXAMPLES / "customs-entry.yaml"
    text = CUSTOMS.replace("HMF\n", "HMF,Brokerage\n").replace("15.63\n", "15.63,95\n")
    text = text.replace(",,,\n", ",,,,\n")
    data = write(tmp_path / "entry.csv", text)
    add_store(lx)
    result = lx.import_mapped(data, mapping, store_id="amazon-com")
    assert result.written == 8 and result.store_id == "amazon-com"
    rows = lx.db.query(
        "SELECT sku, category, amount, business_date::VARCHAR FROM ledger ORDER BY sku, category"
    )
    assert rows == [
        ("CUP", "duties.hmf", Decimal("-6.2520"), "2026-10-12"),
        ("CUP", "duties.mpf", Decimal("-13.0840"), "2026-10-12"),
        ("CUP", "duties.tariffs", Decimal("-500.0000"), "2026-10-12"),
        ("CUP", "logistics.customs_brokerage", Decimal("-38.0000"), "2026-10-12"),
        ("MUG", "duties.hmf", Decimal("-9.3780"), "2026-10-12"),
        ("MUG", "duties.mpf", Decimal("-19.6260"), "2026-10-12"),
        ("MUG", "duties.tariffs", Decimal("-750.0000"), "2026-10-12"),
        ("MUG", "logistics.customs_brokerage", Decimal("-57.0000"), "2026-10-12"),
    ]
    duties = {r["category"]: r["amount"] for r in lx.profit(by="category").rows}
    assert duties["duties.mpf"] == Decimal("-32.71") and duties["duties.hmf"] == Decimal("-15.63")


def test_google_ads_spend_with_title_rows(lx: Lianxing, tmp_path: Path) -> None:
    text = (
        "Campaign report\n"
        '"October 1, 2026 - October 2, 2026"\n'
        "Day,Campaign,Currency code,Clicks,Cost\n"
        '2026-10-01,Brand US,USD,120,"1,234.50"\n'
        "2026-10-02,Brand US,USD,80,$88.10\n"
        "2026-10-02,Generic,USD,0,0.00\n"
    )
    data = write(tmp_path / "google.csv", text)
    mapping = EXAMPLES / "google-ads.yaml"
    add_store(lx)
    result = lx.import_mapped(data, mapping, store_id="amazon-com")
    assert result.written == 2 and result.ignored_columns == ["Clicks"]
    assert lx.db.query("SELECT line, reference, category, amount FROM ledger ORDER BY line") == [
        (4, "Brand US", "advertising.google", Decimal("-1234.5000")),
        (5, "Brand US", "advertising.google", Decimal("-88.1000")),
    ]
    bad = write(tmp_path / "bad.csv", text.replace("$88.10", "8B.1O"))
    with pytest.raises(InputError) as caught:
        lx.import_mapped(bad, mapping, store_id="amazon-com")
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == ("value.amount", 5, "Cost")
    assert problem.params["value"] == "8B.1O"


def test_overheads_with_a_category_column(lx: Lianxing, tmp_path: Path) -> None:
    text = (
        "日期,凭证号,类别,金额\n"
        '2026-10-31,V001,工资,"¥45,000.00"\n'
        "2026-10-31,V002,软件,￥1,299元\n"
        "2026-10-31,V003,,800\n"
        "2026-10-31,V004,团建,2000\n"
        "2026-10-31,V005,overhead.compliance,3500\n"
    ).replace("￥1,299元", '"￥1,299元"')
    data = write(tmp_path / "overheads.csv", text)
    add_store(lx)
    result = lx.import_mapped(data, EXAMPLES / "overheads.yaml", store_id="amazon-com")
    assert lx.db.query("SELECT line, category, amount, currency FROM ledger ORDER BY line") == [
        (2, "overhead.staff", Decimal("-45000.0000"), "CNY"),
        (3, "overhead.software", Decimal("-1299.0000"), "CNY"),
        (4, "overhead.other", Decimal("-800.0000"), "CNY"),
        (5, "unmapped", Decimal("-2000.0000"), "CNY"),
        (6, "overhead.compliance", Decimal("-3500.0000"), "CNY"),
    ]
    assert [(u.amount_description, u.rows) for u in result.unmapped] == [("团建", 1)]


# ---- costs -----------------------------------------------------------------------------
def test_erp_cost_export_with_chinese_headers(lx: Lianxing, tmp_path: Path) -> None:
    text = (
        "MSKU,品名,生效日期,采购单价,单件头程,单件关税,币种\n"
        "MUG,马克杯,2026/10/01,¥12.50,3.2,0.8,RMB\n"
        'CUP,杯子,2026年9月1日,"1,008.00",,,人民币\n'
    )
    data = write(tmp_path / "costs.csv", "\ufeff" + text)
    mapping = EXAMPLES / "lingxing-costs.yaml"
    result = lx.import_mapped(data, mapping)
    assert result.status == "imported" and result.rows == 2 and result.ignored_columns == ["品名"]
    assert lx.db.query(
        "SELECT sku, effective_from::VARCHAR, unit_cost, freight, duty, currency, line "
        "FROM cogs ORDER BY sku"
    ) == [
        ("CUP", "2026-09-01", Decimal("1008.0000"), Decimal("0"), Decimal("0"), "CNY", 3),
        ("MUG", "2026-10-01", Decimal("12.5000"), Decimal("3.2"), Decimal("0.8"), "CNY", 2),
    ]
    assert lx.import_mapped(data, mapping).status == "unchanged"
    bad = write(tmp_path / "bad.csv", text + "BOX,盒,2026/13/01,1,,,CNY\n")
    with pytest.raises(InputError) as caught:
        lx.import_mapped(bad, mapping)
    where = [(p.key, p.line, p.column, p.params.get("value")) for p in caught.value.problems]
    assert where == [("value.date", 4, "生效日期", "2026/13/01")]
    bad = write(
        tmp_path / "bad.csv", text + "MUG,马克杯,2026/10/01,-1,,,CNY\nBOX,盒,2026/10/01,1,,,\n"
    )
    with pytest.raises(InputError) as caught:
        lx.import_mapped(bad, mapping)
    where = [(p.key, p.line, p.column) for p in caught.value.problems]
    assert where == [
        ("value.range", 4, "采购单价"),
        ("csv.duplicate_key", 4, "MSKU"),
        ("value.required", 5, "币种"),
    ]


# ---- orders ----------------------------------------------------------------------------
ERP_ORDERS = """\
订单号,MSKU,订购时间,数量,销售额,买家运费,促销折扣,币种,订单状态,买家姓名
111-1,MUG,2026-03-03 10:00:00,2,40.00,,,USD,已发货,
111-2,MUG,2026-03-04 10:00:00,1,20.00,4.99,-2.00,USD,已发货,
111-3,MUG,2026-03-04 11:00:00,1,20.00,,,USD,已取消,
"""


def settled_order(order_id: str, price: str) -> list[dict[str, str]]:
    return [
        v2_row("Order", "ItemPrice", "Principal", price, order=order_id, sku="MUG", qty="2"),
        v2_row("Order", "ItemFees", "Commission", "-6.00", order=order_id, sku="MUG", qty="2"),
    ]


def test_erp_orders_are_estimates_until_settled(tmp_path: Path) -> None:
    orders = write(tmp_path / "orders.csv", ERP_ORDERS)
    settlement = write_v2(tmp_path / "s.txt", settled_order("111-1", "39.00"))
    mapping = EXAMPLES / "erp-orders.yaml"
    totals = set()
    for n, sequence in enumerate(permutations(["orders", "settlement"])):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for name in sequence:
                if name == "orders":
                    result = lx.import_mapped(orders, mapping)
                    assert result.notes == [("mapping.left_out", {"count": 1})]
                    assert "买家姓名" in result.ignored_columns
                else:
                    lx.import_file(settlement)
            rows = lx.profit(by="store").rows
            totals.add((rows[0]["net_profit"], rows[0]["estimated"], rows[0]["units"]))
            estimated = lx.db.query(
                "SELECT order_id, category, amount, quantity, business_date::VARCHAR "
                "FROM ledger WHERE basis = 'estimated' ORDER BY order_id, category"
            )
            # Beijing 10:00 is the evening before in Los Angeles.
            assert ("111-2", "revenue.product", Decimal("20.0000"), 1, "2026-03-03") in estimated
            assert (
                "111-2",
                "revenue.promotion",
                Decimal("-2.0000"),
                None,
                "2026-03-03",
            ) in estimated
    # settled 39 - 6; estimated 111-2: 20 + 4.99 - 2 less fees 3.00 per unit
    assert totals == {(Decimal("33.00") + Decimal("19.99"), Decimal("19.99"), 3)}


def test_overlapping_erp_exports_count_once(lx: Lianxing, tmp_path: Path) -> None:
    mapping = EXAMPLES / "erp-orders.yaml"
    lx.import_mapped(write(tmp_path / "a.csv", ERP_ORDERS), mapping)
    later = ERP_ORDERS.replace(
        "111-1,MUG,2026-03-03 10:00:00,2,40.00", "111-1,MUG,2026-03-03 10:00:00,2,38.00"
    )
    result = lx.import_mapped(write(tmp_path / "b.csv", later), mapping)
    assert result.replaced_rows == 4
    assert lx.db.query("SELECT sum(amount) FROM ledger WHERE category = 'revenue.product'") == [
        (Decimal("58.0000"),)
    ]


# ---- xlsx, encodings -------------------------------------------------------------------
def write_workbook(path: Path, rows: list[list[object]], sheet: str = "账单") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_xlsx_rows_keep_their_spreadsheet_numbers(lx: Lianxing, tmp_path: Path) -> None:
    from datetime import datetime

    mapping = write(
        tmp_path / "m.yaml",
        FREIGHT_MAPPING + "file:\n  sheet: 账单\n  header_row: 3\n",
    )
    rows: list[list[object]] = [
        ["海运账单 2026-10"],
        [],
        FREIGHT_HEADER,
        ["SH001", datetime(2026, 10, 1), "MUG", 10, 50.5, 1200, "USD"],
        [],  # a blank row between shipments
        ["SH001", datetime(2026, 10, 1), "CUP", 5, 0.1 + 0.2, None, "USD"],
    ]
    data = write_workbook(tmp_path / "freight.xlsx", rows)
    result = lx.import_mapped(data, mapping)
    assert result.rows == 2
    assert [(r[0], r[1]) for r in ledger(lx)] == [(4, "MUG"), (6, "CUP")]
    assert lx.db.query("SELECT sum(amount) FROM ledger") == [(Decimal("-1200.0000"),)]
    assert not list(lx.workspace.temp_dir.glob("mapped-*"))  # the copy is gone

    rows[5][4] = "heavy"
    bad = write_workbook(tmp_path / "bad.xlsx", rows)
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_mapped(bad, mapping)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column) == (str(bad), 6, "毛重(kg)")
    assert ledger_fingerprint(lx) == before
    other = write(tmp_path / "o.yaml", FREIGHT_MAPPING + "file:\n  sheet: Sheet9\n")
    with pytest.raises(InputError) as caught:
        lx.import_mapped(bad, other)
    assert caught.value.key == "mapping.no_sheet" and "账单" in str(caught.value)


def test_gbk_files_are_read_as_gb18030_and_say_so(lx: Lianxing, tmp_path: Path) -> None:
    data = write_rows(tmp_path / "gbk.csv", FREIGHT_HEADER, FREIGHT_ROWS, encoding="gbk")
    result = lx.import_mapped(data, write(tmp_path / "m.yaml", FREIGHT_MAPPING))
    assert isinstance(result, ReportImport) and result.written == 5
    assert ("file.read_as_gb18030", {}) in result.notes
    assert lx.db.query("SELECT encoding FROM sources") == [("gbk",)]


def test_a_mapping_saying_gbk_reads_it_without_a_note(lx: Lianxing, tmp_path: Path) -> None:
    data = write_rows(tmp_path / "gbk.csv", FREIGHT_HEADER, FREIGHT_ROWS, encoding="gbk")
    mapping = write(tmp_path / "m.yaml", FREIGHT_MAPPING + "file:\n  encoding: gbk\n")
    result = lx.import_mapped(data, mapping)
    assert isinstance(result, ReportImport) and result.written == 5
    assert all(key != "file.read_as_gb18030" for key, _params in result.notes)


def test_bytes_neither_utf8_nor_chinese_are_refused_with_the_hint(
    lx: Lianxing, tmp_path: Path
) -> None:
    ascii_header = ["ref", "day", "sku", "boxes", "kg", "fee", "cur"]
    english = FREIGHT_MAPPING
    for old, new in zip(FREIGHT_HEADER, ascii_header, strict=True):
        english = english.replace(f": {old}\n", f": {new}\n")
    row = b"SH\x81,2026/10/01,MUG,10,50.5,1200.00,USD\n"  # 0x81: no encoding's letter
    broken = tmp_path / "broken.csv"
    broken.write_bytes(",".join(ascii_header).encode() + b"\n" + row)
    with pytest.raises(InputError) as caught:
        lx.import_mapped(broken, write(tmp_path / "e.yaml", english))
    assert [p.key for p in caught.value.problems] == ["file.encoding", "mapping.gbk_hint"]


# ---- mapping files ---------------------------------------------------------------------
def test_every_example_mapping_is_valid() -> None:
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert len(examples) >= 6
    for path in examples:
        load_mapping(path)
    docs = (REPO / "docs" / "mapping.md").read_text("utf-8")
    for path in examples:
        assert path.name in docs, path.name


def test_the_samples_in_mapping_md_check_clean(lx: Lianxing, tmp_path: Path) -> None:
    import re

    add_store(lx)
    add_store(lx, "shopify-us")
    doc = (REPO / "docs" / "mapping.md").read_text("utf-8")
    found = []
    for section in doc.split("\n### ")[1:]:
        name = re.search(r"— `([a-z-]+\.yaml)`", section)
        sample = re.search(r"such as `([^`]+)`:\n\n```text\n(.*?)```", section, re.S)
        if name and sample:
            found.append((name.group(1), sample.group(1), sample.group(2)))
    assert len(found) >= 6
    for name, sample, text in found:
        data = write(tmp_path / sample, text)
        check = lx.mapping_check(data, EXAMPLES / name)
        assert check.problems == [] and check.rows, name


def test_bad_mapping_files_list_every_problem(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.yaml",
        "kind: charges\n"
        "stor: amazon-us\n"
        "columns:\n"
        "  date: Day\n"
        "  amount: Cost\n"
        "  campaign: Campaign\n"
        "category: advertising.gogle\n"
        "cancelled: [x]\n",
    )
    mapping, problems = read_mapping(bad)
    assert mapping is None
    found = {(p.key, p.line, p.column) for p in problems}
    assert found == {
        ("mapping.unknown_key", 2, "stor"),
        ("mapping.unknown_key", 6, "columns.campaign"),
        ("mapping.bad_category", 7, "category"),
        ("mapping.not_for_kind", 8, "cancelled"),
        ("mapping.currency_needed", 1, "currency"),
    }
    text = str(InputError(problems[0].key, problems=problems))
    assert "'stor'" in text and "advertising.gogle" in text and "line 8" in text
    syntax = write(tmp_path / "syntax.yaml", "kind: charges\ncolumns: [date: Day\ncurrency: USD\n")
    with pytest.raises(InputError) as caught:
        load_mapping(syntax)
    problem = caught.value.problems[0]
    assert problem.key == "mapping.yaml" and problem.file == str(syntax) and problem.line == 3
    assert "syntax.yaml, line 3" in str(caught.value)
    # YAML type guessing never applies: NO is Norway's krone, 00123 a header.
    odd = write(
        tmp_path / "odd.yaml",
        "kind: charges\nname: no\ncolumns: {date: 00123, amount: on}\ncurrency: usd\n"
        "category: overhead.other\n",
    )
    mapping = load_mapping(odd)
    assert mapping.name == "no" and mapping.columns["date"].headers == ("00123",)
    assert mapping.currency == "USD"
    assert mapping.amounts[0].headers == ("on",)


def test_missing_columns_are_named_by_their_yaml_key(
    lx: Lianxing, freight: tuple[Path, Path], tmp_path: Path
) -> None:
    data, _ = freight
    mapping = write(
        tmp_path / "m.yaml",
        FREIGHT_MAPPING.replace("毛重(kg)", "重量").replace("运费", "金额"),
    )
    with pytest.raises(InputError) as caught:
        lx.import_mapped(data, mapping)
    found = [(p.params["setting"], p.params["header"]) for p in caught.value.problems]
    assert found == [("columns.weight", "重量"), ("columns.amount", "金额")]


# ---- mapping check ---------------------------------------------------------------------
def test_mapping_check_previews_and_writes_nothing(
    lx: Lianxing, freight: tuple[Path, Path]
) -> None:
    data, mapping = freight
    ws = str(lx.workspace.root)
    before = ledger_fingerprint(lx)
    lx.close()
    good = run_cli(["-w", ws, "mapping", "check", str(data), str(mapping), "--rows", "2"])
    assert good.exit_code == 0, good.stderr
    assert "SH001" in good.stdout and "-606" in good.stdout and "SH002" not in good.stdout
    shown = run_cli(["-w", ws, "mapping", "check", str(data), str(mapping), "-f", "json"])
    body = json.loads(shown.stdout)
    assert body["problems"] == [] and len(body["preview"]) == 5
    assert Decimal(body["preview"][4]["amount"]) == Decimal("-99.999")
    data.write_text(data.read_text("utf-8").replace("50.5", "5O.5").replace("$333.33", "3x"))
    bad = run_cli(["-w", ws, "mapping", "check", str(data), str(mapping), "-f", "json"])
    assert bad.exit_code == 2
    problems = [(p["line"], p["column"], p["key"]) for p in json.loads(bad.stdout)["problems"]]
    assert problems == [(2, "毛重(kg)", "value.number"), (5, "运费", "value.amount")]
    table = run_cli(["-w", ws, "--lang", "zh", "mapping", "check", str(data), str(mapping)])
    assert table.exit_code == 2 and "第 2 行" in table.stderr and "5O.5" in table.stderr
    wrong = write(mapping.with_name("w.yaml"), "kind: charge\ncolumns: {}\n")
    broken = run_cli(["-w", ws, "mapping", "check", str(data), str(wrong)])
    assert broken.exit_code == 2 and "w.yaml" in broken.stderr and "kind" in broken.stderr
    with Lianxing.open(ws) as again:
        assert ledger_fingerprint(again) == before


def test_cli_import_with_mapping_and_by_header(tmp_path: Path, freight: tuple[Path, Path]) -> None:
    data, mapping = freight
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    done = run_cli(["-w", str(ws), "import", str(data), "--mapping", str(mapping)])
    assert done.exit_code == 0, done.stderr
    assert "mapped_charges:sea-freight" in done.stdout and "箱数" in done.stdout
    # A folder of such files imports by header once the mapping is in <workspace>/mappings.
    (ws / "mappings").mkdir()
    shutil.copy(mapping, ws / "mappings" / "freight.yaml")
    (tmp_path / "folder").mkdir()
    other = write_rows(tmp_path / "folder" / "f2.csv", FREIGHT_HEADER, FREIGHT_ROWS[:1])
    by_header = run_cli(["-w", str(ws), "import", str(tmp_path / "folder"), "-f", "json"])
    assert by_header.exit_code == 0, by_header.stderr
    assert json.loads(by_header.stdout)[0]["kind"] == "mapped_charges:sea-freight"
    shutil.copy(mapping, ws / "mappings" / "again.yaml")
    other.write_text(other.read_text("utf-8") + "SH009,2026-10-09,CUP,1,1,5,USD\n", "utf-8")
    tie = run_cli(["-w", str(ws), "import", str(other)])
    assert tie.exit_code == 2 and "--mapping" in tie.stderr


# ---- bad input -------------------------------------------------------------------------
def test_bad_input_is_refused_whole(lx: Lianxing, tmp_path: Path) -> None:
    mapping = write(tmp_path / "m.yaml", FREIGHT_MAPPING)
    before = ledger_fingerprint(lx)
    cases = {
        "empty": ("", "file.empty"),
        "header only": (",".join(FREIGHT_HEADER) + "\n", "file.no_rows"),
        "bad date": ("SH1,2026-02-30,A,1,1,5,USD\n", "value.date"),
        "two currencies": (
            "SH1,2026-02-03,A,1,1,5,USD\nSH2,2026-02-03,A,1,1,5,CNY\n",
            "mapping.currency_mixed",
        ),
        "not a currency": ("SH1,2026-02-03,A,1,1,5,dollars\n", "value.currency"),
        "duplicate weightless": ("SH1,2026-02-03,A,1,,5,USD\n", "value.required"),
        "no shipment": (",2026-02-03,A,1,1,5,USD\n", "value.required"),
        "huge": ("SH1,2026-02-03,A,1,1,99999999999,USD\n", "value.range"),
        "short line": ("SH1,2026-02-03,A\n", "file.columns"),
    }
    for name, (body, key) in cases.items():
        text = body if name in ("empty", "header only") else ",".join(FREIGHT_HEADER) + "\n" + body
        data = write(tmp_path / f"{name}.csv", text)
        with pytest.raises(InputError) as caught:
            lx.import_mapped(data, mapping)
        assert caught.value.key == key, (name, caught.value.key, str(caught.value))
        assert ledger_fingerprint(lx) == before, name
    assert "amazon-us" not in lx.workspace.config_path.read_text("utf-8")
    ads = write(
        tmp_path / "ads.yaml",
        "kind: charges\nstore: amazon-us\nplatform: amazon\ncolumns: {date: Day, amount: Cost}\n"
        "currency: USD\ncategory: advertising.google\n",
    )
    dup = write(tmp_path / "dup.csv", "Day,Cost\n2026-10-01,5\n2026-10-01,5\n")
    with pytest.raises(InputError) as caught:
        lx.import_mapped(dup, ads)
    assert caught.value.key == "file.duplicate_row" and caught.value.problems[0].line == 3
    no_store = write(
        tmp_path / "ns.yaml",
        "kind: charges\ncolumns: {date: Day, amount: Cost}\n"
        "currency: USD\ncategory: advertising.google\n",
    )
    with pytest.raises(InputError) as caught:
        lx.import_mapped(dup, no_store)
    assert caught.value.key == "mapping.store_needed"
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InputError) as caught:
        lx.import_mapped(xls, ads)
    assert caught.value.key == "mapping.xls"


# ---- fuzz ------------------------------------------------------------------------------
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FREIGHT_BYTES = (
    ",".join(FREIGHT_HEADER)
    + "\n"
    + "\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in FREIGHT_ROWS)
    + "\n"
).encode("utf-8")
JUNK = [b",", b"\n", b'"', b"\r\n", b"\t", b"\xff", b"\xe4\xb8", b"-", b"9" * 30, b"", b"\x00"]


@pytest.fixture(scope="module")
def fuzz_lx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lianxing]:
    """One workspace for every example: a failed import must leave it as it was."""
    root = tmp_path_factory.mktemp("fuzz")
    write(root / "m.yaml", FREIGHT_MAPPING)
    with Lianxing.init(root / "ws") as lx:
        yield lx


def _fuzz_import(lx: Lianxing, name: str, data: bytes) -> None:
    root = lx.workspace.root.parent
    path = root / name
    path.write_bytes(data)
    before = ledger_fingerprint(lx)
    try:
        result = lx.import_mapped(path, root / "m.yaml")
    except InputError:
        assert ledger_fingerprint(lx) == before
    else:
        assert result.status in ("imported", "unchanged")
        assert lx.mapping_check(path, root / "m.yaml").problems == []


@FUZZ
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=6))
def test_mutated_files_import_or_fail_cleanly(fuzz_lx: Lianxing, seed: int, edits: int) -> None:
    rng = random.Random(seed)
    data = bytearray(FREIGHT_BYTES)
    for _ in range(edits):
        at = rng.randrange(len(data) + 1)
        if rng.random() < 0.5 and data:
            del data[at : at + rng.randint(1, 8)]
        else:
            data[at:at] = rng.choice(JUNK)
    _fuzz_import(fuzz_lx, "f.csv", bytes(data))


@FUZZ
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_workbooks_import_or_fail_cleanly(fuzz_lx: Lianxing, seed: int) -> None:
    if not WORKBOOK:
        book = write_workbook(
            fuzz_lx.workspace.root.parent / "base.xlsx", [FREIGHT_HEADER, *FREIGHT_ROWS]
        )
        WORKBOOK.append(book.read_bytes())
    rng = random.Random(seed)
    data = bytearray(WORKBOOK[0])
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    _fuzz_import(fuzz_lx, "f.xlsx", bytes(data))


WORKBOOK: list[bytes] = []
