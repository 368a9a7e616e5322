"""Which delimiter a report's file uses, told from its header line.

Amazon delivers its flat-file reports tab-separated through the API, and Seller Central
offers most of them as a ".csv" download too: comma-separated, every field quoted, often
windows-1252 (FBA customer returns, inventory age and health, monthly and long-term
storage fees). A `ReportFormat` names the delimiters its report comes with
(`delimiter`, then `also_delimited`); the header line says which one this file uses, and
the format as written — that delimiter, and whether fields are quoted — is the one the
file is read with (`OpenReport.fmt` keeps it).

Rules:
- the report's own delimiter is tried first, then the others, in order; the first whose
  cells carry the signature wins;
- a comma-separated file is read quoted the RFC 4180 way;
- a tab-separated file is read unquoted (a '"' in a product title is a character) unless
  its header line starts with a quote, as some re-saved downloads do.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tabular imports this module at run time
    from lianxing.ingest.tabular import ReportFormat


def header_cells(line: str, delimiter: str) -> list[str]:
    """The header names of a line split by `delimiter` (a comma line read as CSV)."""
    if delimiter == ",":
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error:  # a broken first line: the importer names the problem
            cells = line.split(",")
    else:
        cells = line.split(delimiter)
    return [cell.strip().strip('"').strip() for cell in cells]


def guess_cells(line: str) -> list[str]:
    """Header names of a line whose delimiter is not known yet: tab when it has one."""
    return header_cells(line, "\t" if "\t" in line else ",")


def written_as(fmt: ReportFormat, line: str) -> ReportFormat | None:
    """`fmt` as this header line writes it (delimiter, quoting), or None when the line
    is not the header of `fmt`'s report under any of its delimiters."""
    for delimiter in (fmt.delimiter, *fmt.also_delimited):
        if not fmt.matches(header_cells(line, delimiter)):
            continue
        quoted = delimiter == "," or line.lstrip().startswith('"') or fmt.quoted
        if (delimiter, quoted) == (fmt.delimiter, fmt.quoted):
            return fmt
        return replace(fmt, delimiter=delimiter, quoted=quoted)
    return None
