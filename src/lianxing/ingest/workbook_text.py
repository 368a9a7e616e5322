"""Reports saved as .xlsx workbooks: the first sheet read as the text a CSV download holds.

The Ads console and Seller Central offer their reports as .xlsx too. Such a file is
recognised by its first sheet's first row (the header, as in the CSV download) and
written, row for row, as a UTF-8 copy in the workspace's temp folder (owner only,
deleted after the import), delimited as the report's text version is. The report's
own reader then reads that copy, so an .xlsx gets the same checks as its CSV twin and
every error names the .xlsx file and the sheet row (an empty row is an empty line).

Cells are written as the sheet shows them, never with binary noise: Excel stores
money as binary floats (`2.9699999999999998`), so a number is rounded to Excel's 15
significant digits, then to the decimals its number format shows (`"$"#,##0.00` →
cents) — but never to fewer than cents (`#,##0` shows 2.97 as "3"; it is read 2.97);
a percentage format writes `12.34%` (the reader's percent form); a date cell writes
an ISO date (`2026-10-01`, with ` 13:05:00` when it has a time). Line breaks
inside a cell become spaces (a line stays a row), as does the delimiter itself where
the report's text version is not quoted.

Bounded work: the sheet is streamed; a workbook whose parts unpack beyond
`sniff.MAX_XLSX_UNPACKED` is refused before it is opened (a zip bomb), and a sheet
beyond `MAX_CELLS` cells while it is read.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from lianxing import private
from lianxing.errors import InputError
from lianxing.ingest import mapped_source, sniff
from lianxing.ingest.textfile import TextFile

# Cells read from one sheet, empty ones inside rows included: far beyond any report
# (a year of daily Sponsored Products rows is well under a million cells).
MAX_CELLS = 10_000_000
# Excel's last row: a row numbered beyond it (a damaged or hostile file) would be
# preceded by that many empty rows.
MAX_ROWS = 1_048_576
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
# Parts of a number format that are not digit placeholders: "text", \x, [colour/locale].
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_PLACES = re.compile(r"\.([0#?]+)")

T = TypeVar("T")


def is_workbook(path: Path) -> bool:
    """An .xlsx workbook whatever its name (a zip holding `xl/`), else False."""
    try:
        return sniff.is_workbook(path)
    except InputError:
        return False


@dataclass(frozen=True)
class _Shown:
    """How a number format shows numbers: decimals (None: as stored) and percent."""

    decimals: int | None
    percent: bool


_GENERAL = _Shown(None, False)


def number_shown(number_format: str) -> _Shown:
    """The decimals and percent sign a number format shows (its first section)."""
    section = _first_section(number_format or "General")
    plain = _LITERALS.sub("", section)
    if plain.strip().lower() in ("general", "@", "") or re.search(r"[eE][+-]|/", plain):
        return _Shown(None, "%" in plain)  # General, text, scientific, fraction: as stored
    if not re.search(r"[0#?]", plain):
        return _Shown(None, "%" in plain)
    places = _PLACES.search(plain)
    return _Shown(len(places.group(1)) if places else 0, "%" in plain)


def _first_section(number_format: str) -> str:
    """The format for positive numbers: up to the first ';' outside quotes."""
    quoted = False
    for i, char in enumerate(number_format):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return number_format[:i]
    return number_format


def number_text(value: float | int, shown: _Shown) -> str:
    """A stored number as the cell shows it: 2.9699999999999998 with cents → '2.97'."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # the report's reader names it as a bad value
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if number and isinstance(value, float):
        # Excel keeps 15 significant digits; anything further is binary noise.
        number = number.quantize(Decimal(1).scaleb(number.adjusted() - 14), ROUND_HALF_UP)
    if shown.percent:
        number *= 100
    stored = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    places = shown.decimals
    if places is None:  # as stored: no trailing zeros, no exponent
        places = stored
    elif not shown.percent and (places < 2 < stored or places < stored <= 2):
        # A (non-percent) format showing fewer than cents ("#,##0") never drops a value's cents:
        # 2.97 stays 2.97, 1/3 becomes 0.33, a whole count stays whole.
        places = 2 if stored > 2 else stored
    with suppress(InvalidOperation):  # too many digits for those decimals: as stored
        number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = format(number, "f")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.00 shows as 0.00
    return text + ("%" if shown.percent else "")


def cell_text(value: Any, shown: _Shown) -> str:
    """A cell's value as its report's CSV download writes it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value, shown)
    return _LINE_BREAK.sub(" ", mapped_source.cell_text(value))


class _Sheet:
    """The first sheet of a workbook, row by row as text, with bounded work."""

    def __init__(self, path: Path, sheet: Any, rows: Iterator[tuple[int, tuple[Any, ...]]]):
        self.path = path
        self._sheet = sheet
        self._rows = rows
        self.cells = 0
        self._formats: dict[Any, _Shown] = {}
        self._texts: dict[str, str] = {}  # a text cell's value → its text (they repeat)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(sheet row, cell texts without trailing empty cells) of every row."""
        text = self._text
        for number, cells in self._rows:
            self.cells += max(1, len(cells))
            if number > MAX_ROWS:
                raise InputError.at("workbook.too_many_rows", file=str(self.path), limit=MAX_ROWS)
            if self.cells > MAX_CELLS:
                raise InputError.at(
                    "workbook.too_many_cells", file=str(self.path), line=number, limit=MAX_CELLS
                )
            texts = [text(value, style) for value, style in cells]
            while texts and not texts[-1].strip():
                texts.pop()
            yield number, texts

    def _text(self, value: Any, style: Any) -> str:
        """A cell's text (`cell_text` in its number format), from its value and style."""
        if value is None:
            return ""
        if value.__class__ is str:
            known = self._texts.get(value)
            if known is None:
                known = self._texts[value] = cell_text(value, _GENERAL)
            return known
        if not isinstance(value, int | float) or isinstance(value, bool):
            return cell_text(value, _GENERAL)
        shown = self._formats.get(style)
        if shown is None:
            shown = self._formats[style] = number_shown(str(self._number_format(style)))
        return _number_text(isinstance(value, float), value, shown)

    def _number_format(self, style: Any) -> Any:
        """The number format of cells of this style, as openpyxl's cell gives it."""
        from openpyxl.cell.read_only import ReadOnlyCell

        return ReadOnlyCell(self._sheet, 0, 0, None, "n", style).number_format


@functools.lru_cache(maxsize=1 << 16)
def _number_text(is_float: bool, value: float | int, shown: _Shown) -> str:
    """`number_text`, once per value and format (`is_float` keeps 1 and 1.0 apart)."""
    return number_text(value, shown)


@functools.cache
def _row_parser() -> Any:
    """openpyxl's sheet parser with a lean row reader: the values its read-only cells
    hold (workbook opened with data_only), without building a cell object per value;
    an inline string that is only text is read directly."""
    from openpyxl.cell.text import Text
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import (
        INLINE_STRING,
        VALUE_TAG,
        WorkSheetParser,
        _cast_number,
    )

    plain_text = INLINE_STRING[: -len("is")] + "t"

    class RowParser(WorkSheetParser):  # type: ignore[misc]
        def parse_row(self, row: Any) -> tuple[int, list[tuple[int, Any, Any]]]:
            """(row number, [(column, value, style id)]) as WorkSheetParser reads them."""
            number = row.get("r")
            if number is not None:
                try:
                    self.row_counter = int(number)
                except ValueError:
                    val = float(number)
                    if val.is_integer():
                        self.row_counter = int(val)
                    else:
                        raise ValueError(f"{number} is not a valid row number") from None
            else:
                self.row_counter += 1
            self.col_counter = 0
            cell = self.cell
            return self.row_counter, [cell(el) for el in row]

        def cell(self, element: Any) -> tuple[int, Any, Any]:
            """WorkSheetParser.parse_cell's column, value and style id (data_only)."""
            get = element.get
            data_type = get("t", "n")
            coordinate = get("r")
            style_id = get("s", 0)
            if style_id:
                style_id = int(style_id)
            value = None
            if data_type != "inlineStr":
                value = element.findtext(VALUE_TAG, None) or None
            if coordinate:
                column = coordinate_to_tuple(coordinate)[1]
                self.col_counter = column
            else:
                self.col_counter += 1
                column = self.col_counter
            if value is not None:
                if data_type == "n":
                    value = _cast_number(value)
                    if style_id in self.date_formats:
                        try:
                            value = from_excel(
                                value, self.epoch, timedelta=style_id in self.timedelta_formats
                            )
                        except (OverflowError, ValueError):
                            value = "#VALUE!"  # openpyxl: an error cell
                elif data_type == "s":
                    value = self.shared_strings[int(value)]
                elif data_type == "b":
                    value = bool(int(value))
                elif data_type == "d":
                    value = from_ISO8601(value)
            elif data_type == "inlineStr":
                child = element.find(INLINE_STRING)
                if child is not None:
                    if not child.attrib and len(child) == 1 and child[0].tag == plain_text:
                        value = child[0].text or ""  # <is><t>…</t></is>: its text
                    else:
                        value = Text.from_tree(child).content
            return column, value, style_id

    return RowParser


_EMPTY = (None, 0)


def _sheet_cells(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """Every row of an unsized read-only sheet as its `iter_rows` gives it — each cell
    up to the row's last one, () for a row missing from the sheet — as (value, style)."""
    book = sheet.parent
    with sheet._get_source() as src:
        parser = _row_parser()(
            src,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        counter = 1
        for idx, row in parser.parse():
            for _ in range(counter, idx):  # rows missing from the sheet
                counter += 1
                yield ()
            if counter <= idx:  # (a row repeating an earlier number is skipped)
                counter += 1
                if not row:
                    yield ()
                    continue
                width = row[-1][0]
                cells = [_EMPTY] * width
                for column, value, style in row:
                    if 1 <= column <= width:
                        cells[column - 1] = (value, style)
                yield tuple(cells)


@contextmanager
def _opened(path: Path) -> Iterator[_Sheet]:
    """The first sheet, streamed (a zip bomb refused before it is opened, a broken
    workbook named so: mapping.bad_xlsx). The reader's warnings about odd styles or
    extensions are not the user's business: the cells are read all the same.

    As `mapped_source.workbook_rows(path, values_only=False)` reads it, with the sheet
    parsed leanly (`_sheet_cells`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sniff.refuse_zip_bomb(path)
        with path.open("rb") as handle, mapped_source._opened_book(path, handle) as book:
            try:
                sheet = book.worksheets[0]
                rows = enumerate(_sheet_cells(sheet), start=1)
                yield _Sheet(path, sheet, mapped_source._guarded(path, rows))
            except InputError:
                raise
            except Exception as exc:
                raise InputError.at(
                    "mapping.bad_xlsx", file=str(path), detail=mapped_source._detail(exc)
                ) from exc


def header_cells(path: Path) -> list[str] | None:
    """The first sheet's first row (trimmed), or None when the workbook cannot be read
    (its importer, or the refusal of an unknown workbook, then says why)."""
    try:
        with _opened(path) as sheet:
            for _number, texts in sheet.rows():
                return [t.strip() for t in texts]
    except InputError:
        return None
    return None


def detect(path: Path, formats: Sequence[tuple[Any, T]]) -> tuple[Any, T] | None:
    """The first of `formats` (report format, importer) whose signature the first
    sheet's header carries, or None."""
    header = header_cells(path)
    if not header:
        return None
    for fmt, importer in formats:
        if fmt.matches(header):
            return fmt, importer
    return None


def open_sheet(path: Path, temp_dir: Path, delimiter: str, quoted: bool) -> TextFile:
    """The first sheet as a `TextFile` whose readable copy is delimited text, one line
    per sheet row (the caller deletes the copy)."""
    private.folder(temp_dir)  # a copy of a file with names and money: owner only
    target = temp_dir / f"xlsx-{uuid.uuid4().hex[:12]}.txt"
    clean = _cleaner(delimiter, quoted)
    header: list[str] = []
    blank: list[int] = []
    try:
        with _opened(path) as sheet, target.open("w", encoding="utf-8", newline="") as out:
            private.restrict(target)
            write = _writer(out, delimiter, quoted)
            pending: list[int] = []  # empty rows, written once a row follows them
            for number, texts in sheet.rows():
                if number == 1:
                    header = [t.replace(delimiter, " ").strip() for t in texts]
                    write(header)
                    continue
                if not any(t.strip() for t in texts):
                    pending.append(number)
                    continue
                if pending:
                    out.write("\n" * len(pending))
                    blank.extend(pending)
                    pending.clear()
                # A row ends at its last filled cell: the CSV twin has every column.
                texts.extend([""] * (len(header) - len(texts)))
                write([clean(t) for t in texts])
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    text = TextFile(
        path,
        path.stat().st_size,
        "xlsx",
        delimiter.join(header),
        temp_dir=temp_dir,
        readable_path=target,
    )
    text._sha256 = mapped_source.file_digest(path)
    text._blank_lines = blank
    return text


def _cleaner(delimiter: str, quoted: bool) -> Any:
    """What a cell's text must lose to stay one field: the delimiter, where unquoted."""
    if quoted:
        return lambda text: text
    return lambda text: text.replace(delimiter, " ")


def _writer(out: Any, delimiter: str, quoted: bool) -> Any:
    if quoted:
        return csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow

    def write(cells: list[str]) -> None:
        out.write(delimiter.join(cells) + "\n")

    return write
