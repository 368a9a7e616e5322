"""Physical line numbers in quoted CSV files whose fields hold line breaks.

A quoted field may span lines (a return's customer comment, a Shopify order's note),
so a file's rows no longer match its physical lines one to one. The reader numbers
rows; the extra lines — lines that start inside a quoted field, and empty lines
between rows — shift every row below them, exactly as blank lines do
(`settlement_load.blank_shifts`). Looked for only when the file has more lines than
rows and blank lines: a file without such fields pays one count of its line feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

CHUNK = 1 << 20


def _physical_lines(path: Path) -> int:
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def extra_lines(path: Path, rows: int, blank_lines: Sequence[int]) -> list[int] | None:
    """The physical numbers of lines that start no row (continuations inside quotes,
    empty lines between rows), or None when every line past the header and the blank
    lines is a row of its own (`rows` rows read)."""
    if _physical_lines(path) - 1 - len(blank_lines) <= rows:
        return None
    found: list[int] = []
    inside = False
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number > 1 and (inside or line.strip(b"\r\n") == b""):
                found.append(number)
            if line.count(b'"') % 2:
                inside = not inside
    return found
