"""The faster paths of report loading (issue 13, item 8) give what the slower ones did.

- an .xlsx sheet is read by a lean row parser: the same texts as openpyxl's read-only
  cells, row for row, whatever the sheet's oddities (rows missing or out of order,
  cells without a reference, rich and inline strings, dates, booleans, errors);
- header names are normalized with `str.split` instead of a regular expression;
- duplicate rows and bad values are looked for by a cheap pass first: a file with one
  is still refused naming the same lines;
- dates are parsed per distinct value or per line, depending on how they repeat: the
  same values either way.
"""

from __future__ import annotations

import random
import re
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lianxing.errors import InputError
from lianxing.ingest import mapped_source, tabular, workbook_text
from lianxing.store.database import Database
from lianxing.store.table_load import SAMPLE_ROWS, StagedField, TableLoader

# ---- xlsx ------------------------------------------------------------------------


def _reference_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The sheet's texts as read before the lean parser: openpyxl's read-only cells."""
    general = workbook_text.number_shown("General")
    out = []
    with warnings.catch_warnings(), mapped_source.workbook_rows(path, values_only=False) as rows:
        warnings.simplefilter("ignore")
        for number, cells in rows:
            texts = []
            for cell in cells:
                value = cell.value
                if isinstance(value, int | float) and not isinstance(value, bool):
                    shown = workbook_text.number_shown(str(cell.number_format))
                    texts.append(workbook_text.number_text(value, shown))
                else:
                    texts.append(workbook_text.cell_text(value, general))
            while texts and not texts[-1].strip():
                texts.pop()
            out.append((number, texts))
    return out


def _lean_rows(path: Path) -> list[tuple[int, list[str]]]:
    with workbook_text._opened(path) as sheet:
        return list(sheet.rows())


def _styled_workbook(path: Path) -> dict[str, str]:
    """A workbook whose styles hold a date, a percent, a money and a count format;
    returns each format's style id (as the sheet XML writes it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    formats = {"date": "mmm dd, yyyy", "percent": "0.00%", "money": '"$"#,##0.00'}
    formats |= {"count": "#,##0", "time": "yyyy-mm-dd h:mm:ss"}
    for column, number_format in enumerate(formats.values(), start=1):
        cell = sheet.cell(row=1, column=column, value=1.5)
        cell.number_format = number_format
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    styles = re.findall(r'<c r="([A-Z]+)1" s="(\d+)"', xml)
    by_column = dict(styles)
    return {name: by_column[chr(ord("A") + i)] for i, name in enumerate(formats)}


def _with_sheet(path: Path, sheet_data: str, strings: list[str] | None = None) -> Path:
    """The workbook at `path` with its first sheet's rows replaced (and shared strings)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(
        r"<sheetData>.*</sheetData>|<sheetData */>",
        f"<sheetData>{sheet_data}</sheetData>",
        xml,
        flags=re.S,
    )
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    if strings is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in strings)
        ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{ns}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
        ).encode()
        types = parts["[Content_Types].xml"].decode()
        if "sharedStrings" not in types:
            types = types.replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
            parts["[Content_Types].xml"] = types.encode()
        rels = parts["xl/_rels/workbook.xml.rels"].decode()
        if "sharedStrings" not in rels:
            rels = rels.replace(
                "</Relationships>",
                '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>',
            )
            parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    out = path.with_name(path.stem + "-odd.xlsx")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def test_lean_sheet_reader_gives_openpyxls_texts_for_an_odd_sheet(tmp_path: Path) -> None:
    s = _styled_workbook(tmp_path / "styled.xlsx")
    rich = '<is><r><t>Ri</t></r><r><rPr><b/></rPr><t xml:space="preserve">ch </t></r></is>'
    sheet = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
        '<c r="B1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t> Spend </t></is></c></row>'
        # cells without a reference, a date, a percent, money, a boolean, an error
        f'<row r="2"><c s="{s["date"]}"><v>45000</v></c><c s="{s["percent"]}"><v>0.1234</v></c>'
        f'<c s="{s["money"]}"><v>2.9699999999999998</v></c><c t="b"><v>1</v></c>'
        '<c t="e"><v>#N/A</v></c></row>'
        # row 3 missing; row 5 before row 4 (then 4 is skipped, as openpyxl does)
        f'<row r="5"><c r="C5" s="{s["count"]}"><v>12345</v></c>'
        '<c r="A5" t="str"><v>x</v></c></row>'
        '<row r="4"><c r="A4"><v>1</v></c></row>'
        # a row without cells, a rich inline string, an empty value, a time, an ISO date
        '<row r="6"/>'
        f'<row r="7"><c r="A7" t="inlineStr">{rich}</c><c r="B7"><v></v></c>'
        f'<c r="C7" s="{s["time"]}"><v>45000.5</v></c>'
        '<c r="D7" t="d"><v>2026-03-01T10:00:00</v></c>'
        '<c r="E7" t="s"><v>1</v></c><c r="F7" t="inlineStr"><is><t/></is></c>'
        '<c r="G7" t="inlineStr"/><c r="H7"><v>-0.0</v></c><c r="I7"><v>1E+20</v></c></row>'
        # a row numbered "8.0", line breaks in strings, a trailing empty cell
        '<row r="8.0"><c r="B8" t="inlineStr"><is><t>two\nlines</t></is></c>'
        '<c r="C8" t="s"><v>2</v></c><c r="D8" t="inlineStr"><is><t>  </t></is></c></row>'
        # a large style-less float, an int, a negative money value
        f'<row r="9"><c r="A9"><v>0.30000000000000004</v></c><c r="B9"><v>7</v></c>'
        f'<c r="C9" s="{s["money"]}"><v>-1005.3</v></c></row>'
    )
    path = _with_sheet(
        tmp_path / "styled.xlsx", sheet, ["Campaign &amp; more", "dup", "shared\r\nbreak"]
    )
    expected = _reference_rows(path)
    assert [n for n, _ in expected] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert _lean_rows(path) == expected
    assert workbook_text.header_cells(path) == ["Date", "Campaign & more", "Spend"]


@pytest.mark.parametrize("seed", range(6))
def test_lean_sheet_reader_matches_openpyxl_on_random_sheets(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    formats = ["General", "0.00", "#,##0", "0.00%", '"$"#,##0.00', "mmm dd, yyyy", "@", "0.0"]
    for row in range(1, 60):
        if rng.random() < 0.1:
            continue  # a missing row
        for column in range(1, rng.randint(1, 9)):
            kind = rng.random()
            value: Any
            if kind < 0.3:
                value = round(rng.uniform(-5000, 5000), rng.randint(0, 6))
            elif kind < 0.45:
                value = rng.randint(-(10**9), 10**9)
            elif kind < 0.55:
                value = datetime(2025, 1, 1, rng.randint(0, 23), rng.randint(0, 59))
            elif kind < 0.6:
                value = date(2026, rng.randint(1, 12), rng.randint(1, 28))
            elif kind < 0.65:
                value = rng.random() < 0.5
            elif kind < 0.75:
                value = None
            else:
                value = rng.choice(["SKU-1", " spaced ", "a,b", 'q"uote', "多语言", "x\ny", ""])
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = rng.choice(formats)
    path = tmp_path / f"random-{seed}.xlsx"
    book.save(path)
    assert _lean_rows(path) == _reference_rows(path)


def test_a_broken_sheet_is_still_named_a_bad_workbook(tmp_path: Path) -> None:
    _styled_workbook(tmp_path / "styled.xlsx")
    path = _with_sheet(tmp_path / "styled.xlsx", '<row r="1"><c r="A1"><v>1.2.3</v></c></row>')
    with pytest.raises(InputError) as error:
        _lean_rows(path)
    assert error.value.key == "mapping.bad_xlsx"


def test_number_texts_are_cached_apart_for_ints_and_floats() -> None:
    shown = workbook_text.number_shown("General")
    assert workbook_text._number_text(False, 1, shown) == workbook_text.number_text(1, shown)
    assert workbook_text._number_text(True, 1.0, shown) == workbook_text.number_text(1.0, shown)
    assert workbook_text._number_text(True, -0.0, shown) == workbook_text.number_text(-0.0, shown)


# ---- header names ------------------------------------------------------------------


def _old_normalize(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().strip('"').strip()).lower()


def test_header_names_normalize_as_the_regular_expression_did() -> None:
    rng = random.Random(13)
    alphabet = ' "aBc\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000É-'
    for _ in range(20_000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert tabular.normalize_header(name) == _old_normalize(name)


# ---- checks on lx_rows ---------------------------------------------------------------


@pytest.fixture
def loader(tmp_path: Path) -> Any:
    db = Database(tmp_path / "lx.duckdb")
    try:
        yield TableLoader(db)
    finally:
        db.close()


def _rows(loader: TableLoader, rows: list[tuple[Any, ...]]) -> None:
    loader.con.execute(
        """CREATE OR REPLACE TEMP TABLE lx_rows (line INTEGER, "a__text" VARCHAR, a VARCHAR,
           "b__text" VARCHAR, b DECIMAL(18, 4))"""
    )
    if rows:
        loader.con.executemany("INSERT INTO lx_rows VALUES (?, ?, ?, ?, ?)", rows)


def test_duplicate_lines_are_found_with_blank_keys_alike(loader: TableLoader) -> None:
    _rows(loader, [(2, "x", "x", None, None), (3, "y", "y", "1", 1), (4, "x", "x", None, None)])
    assert loader.duplicate_lines(["a", "b"]) == [(4, 2)]
    _rows(loader, [(2, "x", "x", "1", 1), (3, "x", "x", "2", 2)])
    assert loader.duplicate_lines(["a", "b"]) == []
    assert loader.duplicate_lines(["a"]) == [(3, 2)]
    _rows(loader, [])
    assert loader.duplicate_lines(["a"]) == []


FIELDS = [
    StagedField("a", "c0", "A", "text", required=True),
    StagedField("b", "c1", "B", "amount"),
]


@pytest.mark.parametrize(
    ("a", "b_text", "b", "found"),
    [
        ("fine", "1", 1, None),
        ("é" * 250, "1", 1, None),  # 500 bytes, 250 characters: not too long
        ("é" * 251, "1", 1, None),  # 502 bytes but 251 characters: still fine
        ("x" * 501, "1", 1, "length"),
        ("ctl\x07", "1", 1, "length"),
        ("ok", "1,2,3", None, "amount"),
        (None, None, None, "required"),
    ],
)
def test_bad_values_are_found_only_where_there_are_some(
    loader: TableLoader, a: str | None, b_text: str | None, b: Any, found: str | None
) -> None:
    _rows(loader, [(2, "fine", "fine", "1", 1), (3, a, a, b_text, b)])
    bad = loader.bad_values(FIELDS)
    assert [(v.line, v.type) for v in bad] == ([] if found is None else [(3, found)])


def test_control_character_in_one_of_several_text_fields_is_found(loader: TableLoader) -> None:
    loader.con.execute(
        """CREATE OR REPLACE TEMP TABLE lx_rows AS SELECT * FROM (VALUES
           (2, 'a', 'a', 'b', 'b'), (3, 'a', 'a', NULL, NULL), (4, NULL, NULL, 'b' || chr(31), 'b'))
           AS t(line, "x__text", x, "y__text", y)"""
    )
    fields = [StagedField("x", "c0", "X"), StagedField("y", "c1", "Y")]
    assert [(v.line, v.header, v.type) for v in loader.bad_values(fields)] == [(4, "Y", "length")]


# ---- values parsed per distinct value or per line --------------------------------------


@pytest.mark.parametrize(
    ("distinct", "rows"),
    [(3, SAMPLE_ROWS + 500), (SAMPLE_ROWS * 2, SAMPLE_ROWS + 500), (3, 200), (400, 200)],
)
def test_dates_and_amounts_parse_the_same_whether_they_repeat_or_not(
    loader: TableLoader, distinct: int, rows: int
) -> None:
    loader.con.execute(
        f"""CREATE TEMP TABLE lx_stage AS SELECT
            CASE WHEN i % 97 = 0 THEN NULL WHEN i % 89 = 0 THEN ' not a date '
                 ELSE strftime(TIMESTAMP '2025-01-01' + to_seconds(i % {distinct} * 3601),
                               '%Y-%m-%dT%H:%M:%S+00:00') END AS c0,
            'x' || i AS c1,
            CASE WHEN i % 83 = 0 THEN '1.2.3'
                 ELSE '$' || ((i % {distinct}) * 7 / 100)::DECIMAL(18, 2)::VARCHAR END AS c2,
            CASE WHEN i % 79 = 0 THEN NULL ELSE (i % {distinct} - 5)::VARCHAR END AS c3,
            ((i % {distinct}) // 4)::VARCHAR AS c4
            FROM range({rows}) t(i)"""
    )
    fields = [
        StagedField("posted", "c0", "Posted", "time"),
        StagedField("day", "c0", "Posted", "day"),
        StagedField("sku", "c1", "SKU"),
        StagedField("spend", "c2", "Spend", "amount"),
        StagedField("sales", "c2", "Sales", "money"),
        StagedField("units", "c3", "Units", "count"),
        StagedField("orders", "c4", "Orders", "count"),
    ]
    assert loader.parse(fields, timezone="America/Los_Angeles", blank_lines=[]) == rows
    got = loader.con.execute(
        'SELECT line, posted, "day", sku, spend, sales, units, orders FROM lx_rows ORDER BY line'
    ).fetchall()
    expected = loader.con.execute(
        """SELECT rowid + 2, lx_local_time(lx_text(c0), 'America/Los_Angeles'),
                  lx_local_day(lx_text(c0), 'America/Los_Angeles'), lx_text(c1),
                  lx_amount(lx_text(c2)), lx_money(lx_text(c2)), lx_count(lx_text(c3)),
                  lx_count(lx_text(c4))
           FROM lx_stage ORDER BY rowid"""
    ).fetchall()
    assert got == expected
    nulls = loader.con.execute("SELECT count(*) FROM lx_rows WHERE posted IS NULL").fetchone()
    assert nulls is not None and nulls[0] > 0
