"""Small comma-separated sheets a user writes by hand (unit costs, exchange rates).

Columns are found by name (case and spaces ignored); every bad value is reported with
its line and column, all at once, before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from lianxing.errors import InputError, Problem
from lianxing.ingest import mapped_source, sniff, textfile
from lianxing.ingest.textfile import read_small_text
from lianxing.money import is_currency, normalize_currency, parse_amount
from lianxing.store import ledger
from lianxing.store.database import Database

MAX_PROBLEMS = 20


@dataclass
class Sheet:
    path: Path
    encoding: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (physical line, values by column name)
    ignored: list[str]


SHEET_HEADERS = {
    "cogs": {"sku", "effective_from", "unit_cost", "currency"},
    "fx": {"date", "from", "to", "rate"},
}


def column_name(header: str) -> str:
    """A header as a column name: 'Effective From', 'effective-from' → effective_from."""
    return re.sub(r"[\s_-]+", "_", header.strip().strip('"').strip().lower())


def _first_row(path: Path) -> list[str]:
    """The header cells of a sheet, from its first bytes (or a workbook's first row)."""
    if sniff.is_workbook(path):
        if path.stat().st_size > textfile.MAX_SHEET_BYTES:
            return []  # bigger than any sheet read whole: not one (sniff, never load)
        try:
            with mapped_source.workbook_rows(path) as rows:
                for _number, cells in rows:
                    return [mapped_source.cell_text(c) for c in cells]
        except InputError:
            return []
        return []
    with path.open("rb") as handle:
        first = handle.readline(4096)
    text = first.decode("utf-8", "replace").lstrip("\ufeff")
    return next(csv.reader([text]), []) if text.strip() else []


def sheet_kind(path: Path) -> str | None:
    """'cogs' or 'fx' when the file's first line is the header of such a sheet."""
    try:
        names = {column_name(n) for n in _first_row(path)}
    except (OSError, csv.Error):
        return None
    for kind, required in SHEET_HEADERS.items():
        if required <= names:
            return kind
    return None


def _text_lines(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """(physical line, cells) of every line of a CSV sheet, and its encoding."""
    text, encoding = read_small_text(path)
    # newline="": a stray carriage return inside a line stays in its field instead of
    # breaking the reader.
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            lines.append((reader.line_num, values))
    except csv.Error as exc:
        raise InputError.at(
            "file.bad_line", file=str(path), line=reader.line_num, detail=str(exc)
        ) from exc
    return lines, encoding


def _workbook_lines(path: Path) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of a workbook's first sheet."""
    size = path.stat().st_size
    if size > textfile.MAX_SHEET_BYTES:
        raise InputError.at(
            "file.too_large",
            file=str(path),
            size=f"{size / 1048576:.1f} MB",
            limit=f"{textfile.MAX_SHEET_BYTES / 1048576:.1f} MB",
        )
    with mapped_source.workbook_rows(path) as rows:
        return [(n, [mapped_source.cell_text(c) for c in cells]) for n, cells in rows]


def read_sheet(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> Sheet:
    """A CSV sheet (UTF-8, windows-1252 or Chinese GB18030) or an .xlsx workbook's first
    sheet; header names are matched without case, spaces or hyphens."""
    if sniff.is_workbook(path):
        lines, encoding = _workbook_lines(path), "xlsx"
    else:
        lines, encoding = _text_lines(path)
    if not lines:
        raise InputError.at("file.empty", file=str(path))
    (_first, raw_header), lines = lines[0], lines[1:]
    header = [column_name(h) for h in raw_header]
    while header and not header[-1] and encoding == "xlsx":
        header.pop()  # a workbook's row may run past its last filled cell
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError.at(
            "csv.columns_missing",
            file=str(path),
            line=1,
            missing=", ".join(missing),
            expected=", ".join([*required, *optional]),
        )
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            raise InputError.at(
                "file.duplicate_column", file=str(path), line=1, column=name, name=name
            )
        seen.add(name)
    rows = []
    problems = []
    for line, values in lines:
        if not any(v.strip() for v in values):
            continue
        if encoding == "xlsx":  # a row's cells stop at its last filled one, or run on
            values = _fit(values, len(header))
        if len(values) != len(header):
            problems.append(
                Problem(
                    "file.columns", {"found": len(values), "expected": len(header)}, str(path), line
                )
            )
            continue
        rows.append((line, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    if problems:
        raise InputError(problems[0].key, problems=problems[:MAX_PROBLEMS])
    ignored = [h for h in header if h not in (*required, *optional)]
    return Sheet(path, encoding, header, rows, ignored)


def _fit(values: list[str], width: int) -> list[str]:
    """A workbook row as wide as its header, unless it holds cells beyond it."""
    if len(values) > width and not any(v.strip() for v in values[width:]):
        return values[:width]
    return values + [""] * (width - len(values))


_DAY = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日")


def parse_day(value: str) -> date | None:
    """A date as sheets write it: 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日."""
    match = _DAY.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = match.group(1, 3, 4) if match.group(1) is not None else match.group(5, 6, 7)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class Checker:
    """Collects value problems for one sheet, so all are reported together."""

    def __init__(self, path: Path):
        self.path = str(path)
        self.problems: list[Problem] = []

    def fail(self, key: str, line: int, column: str, **params: str) -> None:
        self.problems.append(Problem(key, dict(params), self.path, line, column))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems[0].key, problems=self.problems[:MAX_PROBLEMS])

    def text(
        self, line: int, row: dict[str, str], column: str, max_length: int = 200
    ) -> str | None:
        value = row.get(column, "")
        if not value:
            self.fail("value.required", line, column)
            return None
        if len(value) > max_length or any(ord(ch) < 32 for ch in value):
            self.fail("value.sku", line, column, value=value[:40])
            return None
        return value

    def day(self, line: int, row: dict[str, str], column: str) -> date | None:
        value = row.get(column, "")
        day = parse_day(value)
        if day is None:
            self.fail("value.date", line, column, value=value)
        return day

    def amount(
        self,
        line: int,
        row: dict[str, str],
        column: str,
        *,
        default: Decimal | None = None,
        positive: bool = False,
        low: Decimal = Decimal(0),
        high: Decimal = Decimal("9999999"),
        places: int = 4,
    ) -> Decimal | None:
        """A non-negative number within [low, high] with at most `places` decimals.

        The bounds keep every later product (units × cost, amount × rate) inside the
        database's DECIMAL range; silent rounding of extra decimals is refused too.
        """
        value = row.get(column, "")
        if not value and default is not None:
            return default
        # Extra decimals are parsed so the range check can say how many are allowed.
        amount = parse_amount(value, places=20)
        if amount is None or (positive and amount == 0):
            key = "value.rate" if positive else "value.amount"
            self.fail(key, line, column, value=value)
            return None
        exponent = amount.as_tuple().exponent
        if not low <= amount <= high or (isinstance(exponent, int) and -exponent > places):
            self.fail(
                "value.range",
                line,
                column,
                value=value,
                low=str(low),
                high=str(high),
                places=str(places),
            )
            return None
        return amount

    def currency(self, line: int, row: dict[str, str], column: str) -> str | None:
        value = normalize_currency(row.get(column, ""))
        if not is_currency(value):
            self.fail("value.currency", line, column, value=row.get(column, ""))
            return None
        return value


@dataclass
class SheetImport:
    file: str
    status: str  # imported | unchanged
    source_id: int
    kind: str  # cogs | fx
    rows: int = 0
    keys: int = 0  # distinct SKUs (costs) or currency pairs (rates)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = ""  # as read: utf-8, gb18030, windows-1252, xlsx
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # message, params


def write_sheet(
    db: Database,
    path: Path,
    kind: str,
    encoding: str,
    ignored: list[str],
    rows: list[ledger.CostRow] | list[ledger.RateRow],
    keys: int,
) -> SheetImport:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    same = ledger.find_by_sha(db, digest, kind)
    if same is not None:
        return SheetImport(str(path), "unchanged", same.source_id, kind, ignored_columns=ignored)
    record = ledger.SourceRecord(
        kind=kind,
        file_name=path.name,
        file_path=str(path),
        sha256=digest,
        encoding=encoding,
        row_count=len(rows),
    )
    with db.transaction():
        source_id = ledger.next_source_id(db)
        ledger.insert_source(db, source_id, record)
        if kind == "cogs":
            ledger.upsert_costs(db, source_id, rows)  # type: ignore[arg-type]
        else:
            ledger.upsert_rates(db, source_id, rows)  # type: ignore[arg-type]
    return SheetImport(str(path), "imported", source_id, kind, len(rows), keys, ignored, encoding)
