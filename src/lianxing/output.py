"""Print a list of rows as a readable table, CSV or JSON.

Every table a command prints goes through `emit`, so `--format json|csv` works
everywhere. JSON carries money as exact decimal strings ("12.34"), never floats.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json")


def _trim(value: Decimal) -> Decimal:
    """Drop sub-cent zeros the database keeps (9585.7900 → 9585.79), never digits."""
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):  # a band target: [floor, ceiling]
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(_trim(value), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):  # a band target: floor–ceiling
        return "–".join(str(_plain(v)) for v in value)
    return _plain(value)


def to_json(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(
        [{k: _plain(v) for k, v in row.items()} for row in rows], ensure_ascii=False, indent=2
    )


def dumps(value: Any) -> str:
    """Any nesting of dicts and lists as JSON, money as exact decimal strings."""

    def plain(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: plain(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [plain(v) for v in item]
        return _plain(item)

    return json.dumps(plain(value), ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{_trim(value):,}"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    console: Console | None = None,
    stream: TextIO | None = None,
    percent: Sequence[str] = (),
) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        out.write(to_json([{c: row.get(c) for c in columns} for row in rows]) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
        return
    labels = labels or {}
    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for column in columns:
        sample = next((r.get(column) for r in rows if r.get(column) is not None), None)
        numeric = isinstance(sample, int | Decimal) and not isinstance(sample, bool)
        # Fold long ids and file names rather than cut them: they are how a figure is
        # traced back to its source line.
        table.add_column(
            labels.get(column, column), justify="right" if numeric else "left", overflow="fold"
        )
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if column in percent and value is not None:
                cells.append(f"{Decimal(value) * 100:.1f}%")
            elif column == "line" or column.endswith("_id"):
                cells.append("—" if value is None else str(value))  # an id, not a quantity
            else:
                cells.append(_cell(value))
        table.add_row(*cells)
    (console or make_console(out)).print(table)


def make_console(stream: TextIO | None = None, *, stderr: bool = False) -> Console:
    """A console that never squeezes a report: piped output gets a wide page."""
    target = stream or (sys.stderr if stderr else sys.stdout)
    width = None if target.isatty() else 200
    return Console(file=stream, stderr=stderr, width=width, soft_wrap=False)
