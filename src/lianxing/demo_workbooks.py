"""The demo's .xlsx downloads, written the way the Ads console writes its workbooks.

Amazon's workbook cells are typed: dates are date cells, counts whole numbers, money
and rates binary floats whose number format shows cents or a percentage. Its floats
carry arithmetic noise (`2.9699999999999998` where the console shows $2.97), so the
demo writes every other money cell one binary step off its value: the importer must
read what the cell shows, not what the float holds.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

# Number formats as the Ads console's workbook uses them.
DATE = "mmm dd, yyyy"
COUNT = "#,##0"
MONEY = '"$"#,##0.00'
PERCENT = "0.00%"
RATIO = "0.00"
# A fixed time stamp: the same data gives the same workbook properties.
_STAMP = datetime(2026, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def noisy(amount: Decimal, index: int) -> float:
    """`amount` as a binary float; on odd `index` one step below (Amazon's sums)."""
    value = float(amount)
    return math.nextafter(value, -math.inf) if index % 2 and value else value


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    formats: Sequence[str | None],
    *,
    title: str = "Sheet1",
) -> Path:
    """One sheet: the header in row 1, then the rows, column i in `formats[i]`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = _STAMP
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        cells: list[object] = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format is None or value is None or isinstance(value, str):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    packed = io.BytesIO()
    book.save(packed)
    # The zip's entries and the "modified" property carry the time of writing: fix
    # them, so the same data gives the same bytes.
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", data)
            out.writestr(fixed, data)
    return path


def day_cell(day: date) -> datetime:
    """A date cell (Excel stores days as date-times at midnight)."""
    return datetime(day.year, day.month, day.day)
