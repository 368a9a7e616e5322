"""Open a mapped file for the staged pipeline: its header, and a readable copy if needed.

A UTF-8 CSV whose header is on the first line is read as it is. Anything else — an
.xlsx workbook, a GBK/GB18030 export, a header below a title row — is first written
as a UTF-8 CSV in the workspace's temp folder, with one extra column (`LINE_COLUMN`)
holding each row's line in the original file (the spreadsheet's row number), so
every error still names the line the user sees. Empty rows are left out. The copy is
deleted however the import ends.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from lianxing import private
from lianxing.errors import InputError, Problem
from lianxing.ingest import sniff, textfile, workbook_open
from lianxing.ingest.mapping_file import Mapping

LINE_COLUMN = "lx__line"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls
MAX_LINE = 1024 * 1024
CHUNK = 8 * 1024 * 1024
CANDIDATES = (",", "\t", ";", "|")


@dataclass
class Prepared:
    """The file as the database will read it."""

    path: Path  # the file itself, or the UTF-8 copy
    header: list[str]
    delimiter: str
    encoding: str
    sha256: str  # of the original bytes
    line_column: str | None = None  # set for copies


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _magic(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(8)


def is_workbook(path: Path) -> bool:
    """An .xlsx workbook (a zip file), whatever its name."""
    return _magic(path).startswith(ZIP_MAGIC)


def check_file(path: Path) -> None:
    if path.is_dir():
        raise InputError.at("file.is_folder", path=str(path))
    if not path.is_file():
        raise InputError.at("file.missing", path=str(path))
    if path.stat().st_size == 0:
        raise InputError.at("file.empty", file=str(path))
    if _magic(path).startswith(OLE_MAGIC):
        raise InputError.at("mapping.xls", file=str(path))


def guess_delimiter(line: str) -> str:
    """The candidate delimiter that splits the header line into the most fields."""
    counts = [(line.count(d), -n) for n, d in enumerate(CANDIDATES)]
    best = max(counts)
    return CANDIDATES[-best[1]] if best[0] > 0 else ","


def _split(line: str, delimiter: str, quote: bool) -> list[str]:
    reader = csv.reader(
        [line], delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE
    )
    try:
        return [cell.strip() for cell in next(reader, [])]
    except csv.Error:  # a broken header line: split it plainly; the reader names the line
        return [cell.strip().strip('"') for cell in line.split(delimiter)]


def _codec(mapping: Mapping) -> str:
    # GB18030 is a superset of GBK: a GBK file always decodes with it.
    return {"utf-8": "utf-8-sig", "gbk": "gb18030"}.get(mapping.encoding, mapping.encoding)


def _encoding_problem(path: Path, mapping: Mapping, detail: str, line: int | None) -> InputError:
    problems = [Problem("file.encoding", {"detail": detail}, str(path), line)]
    if mapping.encoding == "utf-8":
        problems.append(Problem("mapping.gbk_hint", {}, str(mapping.path)))
    return InputError(problems[0].key, problems=problems)


def for_file(path: Path, mapping: Mapping) -> Mapping:
    """The mapping as it reads this file: one reading UTF-8 (the default) reads a file
    of Chinese GB18030/GBK text as such (the import says so) rather than refusing it."""
    if mapping.encoding != "utf-8" or not path.is_file() or is_workbook(path):
        return mapping
    stat = path.stat()
    if _sniff_encoding(str(path), stat.st_size, stat.st_mtime_ns) == "gbk":
        return replace(mapping, encoding="gbk")
    return mapping


@functools.lru_cache(maxsize=16)
def _sniff_encoding(name: str, _size: int, _mtime_ns: int) -> str:
    """'utf-8' unless the bytes are not UTF-8 but Chinese GB18030 text ('gbk');
    streamed, so any size costs one chunk of memory."""
    for codec in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(codec)()
        high = isolated = 0
        try:
            with open(name, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
                    if codec != "utf-8":
                        counts = textfile.high_bytes(chunk)
                        high, isolated = high + counts[0], isolated + counts[1]
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8":
            return "utf-8"
        if textfile.looks_like_gbk(high, isolated) or isolated == 0:
            return "gbk"
    return "utf-8"  # neither: the reader names the first bad byte


def read_header(path: Path, mapping: Mapping) -> tuple[list[str], str]:
    """(header cells, delimiter) of the file as the mapping describes it."""
    check_file(path)
    mapping = for_file(path, mapping)
    if is_workbook(path):
        with workbook_rows(path, mapping.sheet) as rows:
            for number, cells in rows:
                if number == mapping.header_row:
                    return _header_cells(cells), ","
        raise InputError.at("mapping.no_header", file=str(path), row=mapping.header_row)
    raw = b""
    with path.open("rb") as handle:
        for _ in range(mapping.header_row):
            raw = handle.readline(MAX_LINE)
            if not raw:
                raise InputError.at("mapping.no_header", file=str(path), row=mapping.header_row)
    if mapping.header_row == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    if b"\x00" in raw:
        raise _encoding_problem(path, mapping, "NUL bytes: UTF-16 or a binary file", None)
    try:
        line = raw.decode(_codec(mapping)).rstrip("\r\n")
    except UnicodeDecodeError as exc:
        detail = f"byte 0x{raw[exc.start]:02x} in the header"
        raise _encoding_problem(path, mapping, detail, mapping.header_row) from exc
    delimiter = mapping.delimiter or guess_delimiter(line)
    header = _split(line, delimiter, mapping.quote)
    if not any(header):
        raise InputError.at("mapping.no_header", file=str(path), row=mapping.header_row)
    return header, delimiter


def needs_copy(path: Path, mapping: Mapping) -> bool:
    return is_workbook(path) or mapping.encoding != "utf-8" or mapping.header_row > 1


@contextmanager
def prepare(path: Path, mapping: Mapping, temp_dir: Path, sha: str) -> Iterator[Prepared]:
    """The file ready for `tabular.read_report`; a copy is removed afterwards."""
    header, delimiter = read_header(path, mapping)
    mapping = for_file(path, mapping)
    if not needs_copy(path, mapping):
        yield Prepared(path, header, delimiter, "utf-8", sha)
        return
    private.folder(temp_dir)  # a copy of the user's file: owner only
    target = temp_dir / f"mapped-{sha[:16]}-{uuid.uuid4().hex[:8]}.csv"
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            if is_workbook(path):
                encoding = "xlsx"
                width = _write_workbook(path, mapping, writer)
            else:
                encoding = mapping.encoding
                width = _write_text(path, mapping, delimiter, writer)
        if width == 0:
            raise InputError.at("mapping.no_header", file=str(path), row=mapping.header_row)
        yield Prepared(target, [LINE_COLUMN, *header], ",", encoding, sha, LINE_COLUMN)
    finally:
        target.unlink(missing_ok=True)


def _write_text(path: Path, mapping: Mapping, delimiter: str, writer: Any) -> int:
    """Transcode a text file from its header row on; returns the header width."""
    problems: list[Problem] = []
    line = mapping.header_row
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=_codec(mapping), newline="")
        try:
            for _ in range(mapping.header_row - 1):
                text.readline()
            reader = csv.reader(
                text,
                delimiter=delimiter,
                quoting=csv.QUOTE_MINIMAL if mapping.quote else csv.QUOTE_NONE,
            )
            header = [h.strip() for h in next(reader, [])]
            width = len(header)
            writer.writerow([LINE_COLUMN, *header])
            offset = mapping.header_row - 1
            while True:
                start = offset + reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                line = start
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > width and not any(c.strip() for c in cells[width:]):
                    cells = cells[:width]
                if len(cells) != width:
                    problems.append(
                        Problem(
                            "file.columns",
                            {"found": len(cells), "expected": width},
                            str(path),
                            start,
                        )
                    )
                    if len(problems) >= 20:
                        break
                    continue
                writer.writerow([start, *cells])
        except UnicodeDecodeError as exc:
            detail = f"byte 0x{exc.object[exc.start]:02x} is not {mapping.encoding}"
            raise _encoding_problem(path, mapping, detail, line + 1) from exc
        except csv.Error as exc:
            raise InputError.at(
                "file.bad_line", file=str(path), line=line + 1, detail=str(exc)[:200]
            ) from exc
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return width


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 0.1 + 0.2 is stored as 0.30000000000000004.
        # Six decimals keep every real value and drop that binary noise.
        number = Decimal(repr(value))
        if number.is_finite():
            number = number.quantize(Decimal("0.000001")) if abs(number) < 10**12 else number
            text = format(number.normalize(), "f")
            return "0" if text in ("-0", "") else text
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _header_cells(cells: Iterable[Any]) -> list[str]:
    header = [cell_text(c).strip() for c in cells]
    while header and not header[-1]:
        header.pop()
    return header


@contextmanager
def workbook_rows(
    path: Path, sheet_name: str | None = None, *, values_only: bool = True
) -> Iterator[Iterator[tuple[int, tuple[Any, ...]]]]:
    """(row number, cell values) of a sheet (default the first), streamed (read-only);
    with `values_only=False` the cells themselves (their number formats)."""
    sniff.refuse_zip_bomb(path)
    # Opened from a handle, not by name: a workbook saved as "….csv" reads too.
    with path.open("rb") as handle, _opened_book(path, handle) as book:
        yield from _sheet_rows(path, book, sheet_name, values_only)


@contextmanager
def _opened_book(path: Path, handle: BinaryIO) -> Iterator[Any]:
    try:
        book = workbook_open.open_read_only(handle)
    except InputError:
        raise
    except Exception as exc:  # a broken zip or XML raises any of a dozen types
        raise InputError.at("mapping.bad_xlsx", file=str(path), detail=_detail(exc)) from exc
    try:
        yield book
    finally:
        book.close()


def _sheet_rows(
    path: Path, book: Any, sheet_name: str | None, values_only: bool
) -> Iterator[Iterator[tuple[int, tuple[Any, ...]]]]:
    try:
        if sheet_name is not None:
            if sheet_name not in book.sheetnames:
                raise InputError.at(
                    "mapping.no_sheet",
                    file=str(path),
                    sheet=sheet_name,
                    sheets=", ".join(book.sheetnames),
                )
            sheet = book[sheet_name]
        else:
            sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the stored size may be wrong: read every row
        rows = sheet.iter_rows(values_only=values_only)
        yield _guarded(path, enumerate(rows, start=1))
    except InputError:
        raise
    except Exception as exc:
        raise InputError.at("mapping.bad_xlsx", file=str(path), detail=_detail(exc)) from exc


def _guarded(
    path: Path, rows: Iterator[tuple[int, tuple[Any, ...]]]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows of a sheet; a sheet that breaks while streaming is an input error."""
    try:
        yield from rows
    except Exception as exc:
        raise InputError.at("mapping.bad_xlsx", file=str(path), detail=_detail(exc)) from exc


def _detail(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _write_workbook(path: Path, mapping: Mapping, writer: Any) -> int:
    """Write the sheet from its header row on; returns the header width."""
    width = 0
    with workbook_rows(path, mapping.sheet) as rows:
        for number, cells in rows:
            if number < mapping.header_row:
                continue
            if number == mapping.header_row:
                header = _header_cells(cells)
                width = len(header)
                writer.writerow([LINE_COLUMN, *header])
                continue
            texts = [cell_text(c) for c in cells[:width]]
            if not any(t.strip() for t in texts):
                continue
            texts.extend([""] * (width - len(texts)))
            writer.writerow([number, *texts])
    return width
