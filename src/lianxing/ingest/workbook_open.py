"""Open an .xlsx workbook to stream its sheets, without measuring them first.

openpyxl's read-only mode sizes every sheet when the workbook is opened; a sheet that
has no `<dimension>` element up front (openpyxl's own write-only files, many exports)
is read through to its end for that, once per opening and per sheet. Lianxing never
uses the stored size (a sheet's rows are read until they end, `reset_dimensions`), so
its sheets are opened unsized: one pass over a sheet, not one more per opening.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, BinaryIO


@functools.cache
def _unsized_sheet() -> Any:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            """Not measured: rows are read until they end."""

    return UnsizedSheet


def open_read_only(path: Path | BinaryIO) -> Any:
    """The workbook (read-only, cached values of formulas), its worksheets unsized;
    chart sheets are left out. Close it with `.close()` (and an open file given, after
    it). From an open file, openpyxl does not go by the name: a workbook saved as
    "….csv" opens too."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(
        str(path) if isinstance(path, Path) else path, read_only=True, data_only=True
    )
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheet_class = _unsized_sheet()
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = sheet_class(reader.wb, sheet.name, rel.target, reader.shared_strings)
            worksheet.sheet_state = sheet.state
            reader.wb._sheets.append(worksheet)
    except BaseException:
        reader.archive.close()
        raise
    return reader.wb
