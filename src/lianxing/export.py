"""Tables written to files a spreadsheet opens: XLSX (numbers as numbers, money to the
cent) or CSV (UTF-8 with a byte-order mark, so Excel reads Chinese names right).

A file is written to a temporary name beside its place and moved there at the end, so a
failed export never leaves half a payroll sheet behind.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from lianxing.errors import InputError

SUFFIXES = (".xlsx", ".csv")


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
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lianxing-", suffix=suffix)
    os.close(handle)
    try:
        if suffix == ".csv":
            with open(temporary, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow([labels.get(c, c) for c in columns])
                for row in rows:
                    writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        else:
            _xlsx(Path(temporary), rows, columns, labels, title, money)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _xlsx(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    labels: Mapping[str, str],
    title: str,
    money: Sequence[str],
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([labels.get(c, c) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Decimals go in as numbers (a spreadsheet sums them); text stays text.
        sheet.append([_cell(row.get(c)) for c in columns])
    for index, column in enumerate(columns, start=1):
        if column in money:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "#,##0.00"
        width = max(len(str(labels.get(column, column))), 10)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width + 2
    sheet.freeze_panes = "A2"
    book.save(path)


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    return str(value)
