"""Tables written to files a spreadsheet opens: XLSX (numbers as numbers, money to the
cent) or CSV (UTF-8 with a byte-order mark, so Excel reads Chinese names right).

A file is written to a temporary name beside its place and moved there at the end, so a
failed export never leaves half a payroll sheet behind. Files are readable by their
owner only (mode 0600): pay and reviews are personal. Text that a spreadsheet would
take for a formula (= + - @ at the start) is kept as text, so a hostile name or SKU
cannot run in the payroll sheet.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from lianxing.errors import InputError

SUFFIXES = (".xlsx", ".csv")
# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE = re.compile(r"-\d+(\.\d+)?")


def formula_safe(value: Any) -> Any:
    """Text a spreadsheet would take for a formula gets a leading apostrophe; numbers,
    negative ones too, stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return value if _NEGATIVE.fullmatch(value) else "'" + value
    return value


def _csv_text(value: Any) -> Any:
    """A CSV cell: empty for nothing, text that would start a formula kept as text."""
    return "" if value is None else formula_safe(band_text(value))


def band_text(value: Any) -> Any:
    """A band target (floor, ceiling) as one cell, `20.00–60.00`; any other value as is."""
    if not isinstance(value, tuple):
        return value
    cents = Decimal("0.01")
    return "–".join(
        format(v.quantize(cents) if v == v.quantize(cents) else v, "f")
        if isinstance(v, Decimal)
        else str(v)
        for v in value
    )


def write_text(path: Path, text: str) -> Path:
    """A text file (an HTML page), written whole or not at all, owner-readable only."""

    def write(temporary: Path) -> None:
        temporary.write_text(text, "utf-8")

    return _atomic(path, write)


def write_table(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    labels: Mapping[str, str],
    *,
    title: str = "Sheet",
    money: Sequence[str] = (),
) -> Path:
    """Write `rows` (their `columns`, headed by `labels`) to `path` (.xlsx or .csv)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.at("export.bad_suffix", path=str(path), choices=", ".join(SUFFIXES))
    if suffix == ".xlsx":
        return write_sheets(path, [(title, rows, columns)], labels, money)

    def csv_file(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([labels.get(c, c) for c in columns])
            for row in rows:
                writer.writerow([_csv_text(row.get(c)) for c in columns])

    return _atomic(path, csv_file)


Sheet = tuple[str, Sequence[Mapping[str, Any]], Sequence[str]]  # title, rows, columns


def write_sheets(
    path: Path,
    sheets: Sequence[Sheet],
    labels: Mapping[str, str],
    money: Sequence[str] = (),
    percent: Sequence[str] = (),
) -> Path:
    """Write several tables to one workbook (`path` ends in .xlsx), a sheet each;
    `money` columns show cents, `percent` ones (fractions) a percentage."""
    if path.suffix.lower() != ".xlsx":
        raise InputError.at("export.bad_suffix", path=str(path), choices=".xlsx")
    return _atomic(path, lambda temporary: _xlsx(temporary, sheets, labels, money, percent))


def _atomic(path: Path, write: Any) -> Path:
    """Run `write(temporary path)` and move the result to `path`; nothing on failure.
    A place that cannot be written (a folder of that name, no permission) is bad input."""
    path = path.expanduser()
    try:
        if path.is_dir():
            raise IsADirectoryError(21, os.strerror(21))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=".lianxing-", suffix=path.suffix
        )
    except OSError as exc:
        raise InputError.at("export.cannot_write", path=str(path), reason=exc.strerror) from exc
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise InputError.at("export.cannot_write", path=str(path), reason=reason) from exc
        raise
    return path


def _xlsx(
    path: Path,
    sheets: Sequence[Sheet],
    labels: Mapping[str, str],
    money: Sequence[str],
    percent: Sequence[str] = (),
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for title, rows, columns in sheets:
        # Sheet names: at most 31 characters, none of []:*?/\
        name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
        while name in book.sheetnames:  # two tables of one title: "Sheet", "Sheet 2", …
            name = f"{name[:28]} {len(book.sheetnames) + 1}"
        sheet = book.create_sheet(name)
        sheet.append([labels.get(c, c) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            # Decimals go in as numbers (a spreadsheet sums them); text stays text.
            sheet.append([_cell(row.get(c)) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"  # shown as typed, never evaluated
        for index, column in enumerate(columns, start=1):
            shape = "#,##0.00" if column in money else "0.0%" if column in percent else None
            if shape:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = shape
            width = max(len(str(labels.get(column, column))), 10)
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = width + 2
        sheet.freeze_panes = "A2"
    book.save(path)


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, tuple):
        return band_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    return str(value)
