"""Issue 12 (ingest): no line is dropped silently, amounts parse the same in Python and
SQL, decompression and sniffing are bounded, folder imports skip what they cannot read,
and Chinese cost, rate and ERP files are read."""

from __future__ import annotations

import gzip
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import amazon_ads, csv_sheet, mapped_source, textfile
from lianxing.money import parse_amount
from lianxing.store import sql_macros


def _settlement(path: Path, description: str) -> Path:
    rows = [
        v2_row("other-transaction", "other-transaction", description, "6028.78"),
        v2_row("Order", "ItemPrice", "Principal", "20.00", order="111-1", sku="A", qty="1"),
    ]
    return write_v2(path, rows)


# ---- item 11: a line longer than the reader's limit ------------------------------------
def test_line_longer_than_reader_buffer_refuses_the_file_naming_the_line(
    lx: Lianxing, tmp_path: Path
) -> None:
    # 33 MB: beyond the CSV reader's buffer, where it used to drop the line unreported.
    path = _settlement(tmp_path / "long.txt", "Previous Reserve Amount Balance" + " " * 33_000_000)
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    assert caught.value.key == "file.line_too_long"
    assert caught.value.problems[0].line == 3
    assert ledger_fingerprint(lx) == before


def test_report_with_a_line_beyond_the_reader_buffer_is_refused_by_the_cli(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "ws")])
    header = ["return-date", "order-id", "sku", "quantity", "detailed-disposition", "reason"]
    lines = [
        "\t".join(header),
        "\t".join(["2026-10-03", "111-1", "MUG", "1", "SELLABLE", "x" * 33_000_000]),
        "\t".join(["2026-10-04", "111-2", "MUG", "1", "SELLABLE", "ok"]),
    ]
    path = tmp_path / "returns.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_cli(["-w", str(tmp_path / "ws"), "import", "--store", "us", str(path)])
    assert result.exit_code == 2
    assert "line 2" in result.stderr and "1.0 MB" in result.stderr


@pytest.mark.parametrize("split", [0, 1, 5, 9, 10, 11, 17])
def test_first_long_line_finds_lines_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: int
) -> None:
    monkeypatch.setattr(textfile, "CHUNK", 10)
    path = tmp_path / "f.txt"
    path.write_bytes(b"a\n" + b"b" * split + b"\n" + b"c" * 12 + b"\nd\n")
    expected = (2, split) if split > 8 else (3, 12)
    assert textfile.first_long_line(path, limit=8) == expected


def test_first_long_line_without_a_long_line_is_none(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"12345678\n12345678\n12345678")
    assert textfile.first_long_line(path, limit=8) is None
    path.write_bytes(b"12345678\n123456789")
    assert textfile.first_long_line(path, limit=8) == (2, 9)


# ---- item 16: the Python and SQL amount parsers agree ----------------------------------
_AMOUNT_CHARS = "0123456789" * 3 + ",.-+$ " + "e٣"
_amount_texts = st.one_of(
    st.text(alphabet=_AMOUNT_CHARS, max_size=22),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str),
    st.builds(
        lambda sign, dollar, value, style: sign + dollar + style.format(value),
        st.sampled_from(["", "-", "+"]),
        st.sampled_from(["", "$"]),
        st.decimals(min_value=0, max_value=Decimal("1e15"), places=5),
        st.sampled_from(["{}", "{:,}", "{:.2f}", "{:,.4f}", "{:.5f}"]),
    ),
)


@pytest.fixture(scope="module")
def sql_amount() -> Iterator[Callable[[str], Decimal | None]]:
    con = duckdb.connect()
    sql_macros.install(con)

    def parse(text: str) -> Decimal | None:
        row = con.execute("SELECT lx_amount(lx_text(?))", [text]).fetchone()
        return None if row is None else row[0]

    yield parse
    con.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$5", Decimal(5)),
        ("-$5.25", Decimal("-5.25")),
        ("1.23456", None),
        ("0.00001", None),
        ("1,234.5678", Decimal("1234.5678")),
        ("95,00", Decimal("95.00")),
        ("$-5", None),
        ("٣", None),
        ("123456789012345", None),
    ],
)
def test_amount_parsers_agree_on_known_spellings(
    sql_amount: Callable[[str], Decimal | None], text: str, expected: Decimal | None
) -> None:
    assert parse_amount(text) == expected
    assert sql_amount(text) == expected


@settings(max_examples=400, deadline=None)
@given(text=_amount_texts)
def test_python_and_sql_amount_parsers_give_the_same_answer(
    sql_amount: Callable[[str], Decimal | None], text: str
) -> None:
    assert parse_amount(text) == sql_amount(text)


# ---- item 17: decompression and sniffing are bounded -----------------------------------
_ADS_HEAD = b'[{"date": "2026-10-01", "campaignId": "1", "campaignName": "C", '
_ADS_HEAD += b'"advertisedSku": "MUG", "cost": 1.5}'


def test_gzip_bomb_is_refused_at_the_unpacked_limit(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(amazon_ads, "MAX_JSON_BYTES", 4096)
    bomb = tmp_path / "sp.json.gz"
    bomb.write_bytes(gzip.compress(_ADS_HEAD + b" " * 100_000 + b"]"))
    assert len(bomb.read_bytes()) < 4096  # small packed, large unpacked
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(bomb, store_id="us")
    assert caught.value.key == "file.unpacked_too_large"
    assert caught.value.problems[0].file == str(bomb)
    assert ledger_fingerprint(lx) == before


def test_gzip_whose_trailer_understates_its_size_is_still_bounded(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(_ADS_HEAD + b" " * 10_000 + b"]"))
    packed[-4:] = (10).to_bytes(4, "little")  # the declared size lies
    path = tmp_path / "sp.json.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(InputError) as caught:
        amazon_ads.read_json_bytes(path, limit=1000)
    assert caught.value.key == "file.unpacked_too_large"


def test_corrupt_json_gz_is_named_as_a_damaged_file(lx: Lianxing, tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(_ADS_HEAD + b"]" + b" " * 5000))
    for i in range(12, 40):
        packed[i] ^= 0xFF  # the deflate stream, not the gzip header
    path = tmp_path / "sp.json.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="us")
    assert caught.value.key == "file.bad_gzip"
    assert caught.value.problems[0].file == str(path)


def test_cost_sheet_larger_than_the_sheet_limit_is_refused_before_reading(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textfile, "MAX_SHEET_BYTES", 200)
    path = tmp_path / "cogs.csv"
    rows = "".join(f"SKU{i},2026-01-01,1.00,USD\n" for i in range(20))
    path.write_text("sku,effective_from,unit_cost,currency\n" + rows, "utf-8")
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    assert caught.value.key == "file.too_large"
    assert lx.db.con.execute("SELECT count(*) FROM cogs").fetchone() == (0,)


def test_background_scan_reads_nothing_once_stopped(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"a,b\n1,2\n")
    stop = threading.Event()
    stop.set()
    seen: list[int] = []
    textfile._scan_bytes(path, 8, lambda done, _total: seen.append(done), stop)
    assert seen == []


# ---- item 20 (formats): a wrong-format file is named for what it is ---------------------
def _zip(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, "<x/>")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("statement.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "file.is_pdf"),
        ("receipt.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20), "file.is_image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20), "file.is_image"),
        ("costs.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "file.is_xls"),
        ("unicode.txt", "sku\tunit_cost\nA\t1\n".encode("utf-16"), "file.is_utf16"),
        ("unicode2.txt", "sku\tunit_cost\nA\t1\n".encode("utf-16-le"), "file.is_utf16"),
        ("report.txt.gz", gzip.compress(b"settlement-id\tx\n1\t2\n", mtime=0), "file.is_gzip"),
        ("reports.zip", "zip:data/report.txt", "file.is_archive"),
        ("letter.docx", "zip:word/document.xml", "file.is_office"),
        ("unknown.xlsx", "zip:xl/workbook.xml", "file.is_xlsx"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value[1:] else "",
)
def test_wrong_format_file_is_named_for_what_it_is(
    lx: Lianxing, tmp_path: Path, name: str, content: bytes | str, key: str
) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        _zip(path, content.removeprefix("zip:"))
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    assert caught.value.key == key
    assert caught.value.problems[0].file == str(path)


def test_cost_import_of_a_pdf_names_it(lx: Lianxing, tmp_path: Path) -> None:
    path = tmp_path / "cogs.csv"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(InputError) as caught:
        lx.import_costs(path)
    assert caught.value.key == "file.is_pdf"


# ---- item 19: a folder import imports every readable file -------------------------------
def _downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "a-statement.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    rows = [v2_row("Order", "ItemPrice", "Principal", "20.00", order="1", sku="A", qty="1")]
    write_v2(folder / "b-settlement.txt", rows, settlement_id="1")
    (folder / "c-photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(24))
    (folder / "d-notes.txt").write_text("shopping list\n", "utf-8")
    return folder


def test_folder_import_skips_unreadable_files_and_imports_the_rest(tmp_path: Path) -> None:
    folder = _downloads(tmp_path)
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert "b-settlement.txt: settlement 1" in result.stdout
    assert "1 imported, 0 unchanged, 3 skipped, 0 failed" in result.stdout
    assert "Skipped: a-statement.pdf, c-photo.png, d-notes.txt" in result.stdout
    assert "a-statement.pdf: This is a PDF document" in result.stderr
    again = run_cli(["-w", str(tmp_path / "ws"), "import", str(folder)])
    assert "0 imported, 1 unchanged, 3 skipped, 0 failed" in again.stdout


def test_folder_import_goes_on_after_a_failed_file_and_exits_non_zero(tmp_path: Path) -> None:
    folder = _downloads(tmp_path)
    bad = [v2_row("Order", "ItemPrice", "Principal", "x", order="2", sku="A", qty="1")]
    write_v2(folder / "a-broken.txt", bad, settlement_id="2", total="0")
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(folder), "-f", "json"])
    assert result.exit_code == 2
    rows = {Path(r["file"]).name: r for r in json.loads(result.stdout)}
    assert rows["b-settlement.txt"]["status"] == "imported"
    assert rows["a-broken.txt"]["status"] == "failed"
    assert rows["a-broken.txt"]["error"] == "value.amount"
    assert rows["c-photo.png"]["status"] == "skipped"
    assert "Failed (not imported, nothing of them written): a-broken.txt" in result.stderr


def test_a_pdf_named_on_the_command_line_fails_rather_than_being_skipped(tmp_path: Path) -> None:
    folder = _downloads(tmp_path)
    run_cli(["init", str(tmp_path / "ws")])
    named = [str(folder / "a-statement.pdf"), str(folder / "b-settlement.txt")]
    result = run_cli(["-w", str(tmp_path / "ws"), "import", *named])
    assert result.exit_code == 2
    assert "1 imported, 0 unchanged, 0 skipped, 1 failed" in result.stdout


# ---- item 20: Chinese cost, rate and ERP files ------------------------------------------
def test_gbk_cost_sheet_with_slash_dates_and_yuan_words_is_read_and_says_so(
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "成本.csv"
    text = (
        "SKU,Effective From,Unit Cost,Currency\n"
        "婴儿杯-01,2025/1/5,5.5,人民币\n"
        "婴儿杯-02,2025年1月6日,6,￥\n"
        "婴儿杯-03,2025-1-7,7,RMB\n"
    )
    sheet.write_bytes(text.encode("gbk"))
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(sheet)])
    assert result.exit_code == 0, result.stderr
    assert "GB18030" in result.stdout
    with Lianxing.open(tmp_path / "ws") as lx:
        rows = lx.db.query("SELECT sku, effective_from, unit_cost, currency FROM cogs ORDER BY 1")
    assert rows == [
        ("婴儿杯-01", date(2025, 1, 5), Decimal("5.5"), "CNY"),
        ("婴儿杯-02", date(2025, 1, 6), Decimal("6"), "CNY"),
        ("婴儿杯-03", date(2025, 1, 7), Decimal("7"), "CNY"),
    ]


def test_gbk_rate_sheet_is_read(lx: Lianxing, tmp_path: Path) -> None:
    sheet = tmp_path / "汇率.csv"
    sheet.write_bytes("date,from,to,rate,备注\n2025/1/1,USD,人民币,7.2,月初\n".encode("gbk"))
    result = lx.import_file(sheet)
    assert (result.kind, result.status, result.encoding) == ("fx", "imported", "gb18030")
    assert lx.db.query("SELECT to_currency FROM fx_rates WHERE NOT derived") == [("CNY",)]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_xlsx_cost_and_rate_sheets_import(lx: Lianxing, tmp_path: Path) -> None:
    costs = _workbook(
        tmp_path / "costs.xlsx",
        [
            ["SKU", "Effective From", "Unit Cost", "Currency", None],
            ["MUG", datetime(2025, 1, 5), 12.3, "CNY"],
            [],
            ["CUP", "2025/2/1", 4, "¥"],
        ],
    )
    result = lx.import_file(costs)
    assert (result.kind, result.rows, result.encoding) == ("cogs", 2, "xlsx")
    assert lx.db.query("SELECT sku, effective_from, unit_cost, currency FROM cogs ORDER BY 1") == [
        ("CUP", date(2025, 2, 1), Decimal("4"), "CNY"),
        ("MUG", date(2025, 1, 5), Decimal("12.3"), "CNY"),
    ]
    rates = _workbook(
        tmp_path / "rates.xlsx",
        [["date", "from", "to", "rate"], ["2025-01-01", "USD", "CNY", 7.25]],
    )
    assert lx.import_rates(rates).rows == 2  # and its derived inverse


def test_xlsx_cost_sheet_bad_value_names_its_row(lx: Lianxing, tmp_path: Path) -> None:
    costs = _workbook(
        tmp_path / "costs.xlsx",
        [["sku", "effective_from", "unit_cost", "currency"], ["MUG", "2025-13-01", 1, "USD"]],
    )
    with pytest.raises(InputError) as caught:
        lx.import_costs(costs)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == ("value.date", 2, "effective_from")


def test_a_workbook_bigger_than_any_sheet_is_not_loaded_to_sniff_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = _workbook(tmp_path / "big.xlsx", [["sku", "effective_from", "unit_cost", "currency"]])
    assert csv_sheet.sheet_kind(book) == "cogs"
    monkeypatch.setattr(textfile, "MAX_SHEET_BYTES", 100)

    def never(*_args: object) -> None:
        raise AssertionError("the workbook was loaded")

    monkeypatch.setattr(mapped_source, "workbook_rows", never)
    assert csv_sheet.sheet_kind(book) is None


def test_a_corrupt_json_gz_in_a_folder_fails_alone_and_the_rest_imports(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    packed = bytearray(gzip.compress(_ADS_HEAD + b"]" + b" " * 5000))
    for i in range(12, 40):
        packed[i] ^= 0xFF
    (folder / "a-sp.json.gz").write_bytes(bytes(packed))
    rows = [v2_row("Order", "ItemPrice", "Principal", "20.00", order="1", sku="A", qty="1")]
    write_v2(folder / "b-settlement.txt", rows, settlement_id="1")
    run_cli(["init", str(tmp_path / "ws")])
    result = run_cli(["-w", str(tmp_path / "ws"), "import", str(folder)])
    assert result.exit_code == 2
    assert "a-sp.json.gz: This gzip-compressed file is damaged" in result.stderr
    assert "1 imported, 0 unchanged, 0 skipped, 1 failed" in result.stdout
    assert "internal error" not in result.stderr.lower()
