"""Print a list of rows as a readable table, CSV or JSON.

Every table a command prints goes through `emit`, so `--format json|csv` works
everywhere. JSON carries money as exact decimal strings ("12.34"), never floats.

A table never breaks a value over two lines: a number, SKU, order id, date or name is
shown whole or its column is left out. The columns that fit the window are shown (the
row's key first, then the headline figures, then the rest in order) and a note on
standard error names the others; free text (descriptions, messages, file names) is cut
with an ellipsis first. `--columns` and `--all` choose otherwise (`table_options`).
"""

from __future__ import annotations

import csv
import difflib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from rich.cells import cell_len
from rich.console import Console, ConsoleDimensions
from rich.table import Table
from rich.text import Text

from lianxing.errors import InputError
from lianxing.export import band_text, formula_safe
from lianxing.i18n import language, t

FORMATS = ("table", "csv", "json")
PIPE_WIDTH = 200  # a table printed into a pipe or a file
# Shown before the other columns when not all fit: the figures a table is read for.
HEADLINE = ("period", "sku", "name", "scope", "net_profit", "margin", "sales", "cogs", "amount",
            "currency", "total", "payout", "overcharge", "change", "value", "goal",
            "status", "attainment", "points")  # fmt: skip
# Text that may be cut with an ellipsis rather than leave a column out.
TEXT_MIN = 16  # a cut text column keeps at least this many cells
HEADER_WORD = 14  # a header word longer than this is folded rather than widen the column
# Columns that name one thing (never cut, even when long).
ID_COLUMNS = {"sku", "store", "store_id", "order_id", "person", "period", "kpi", "scope",
              "target", "asin", "fnsku", "parent", "settlement_id", "line", "category",
              "kind", "id", "column", "check"}  # fmt: skip


@dataclass
class TableOptions:
    """What the command line chose for the tables of one command."""

    columns: tuple[str, ...] = ()  # --columns: the first table's columns, in this order
    show_all: bool = False  # --all: every column, however wide the table gets
    bom: bool = False  # --bom: a byte-order mark before CSV on standard output
    sheets: list[Collected] | None = None  # --out FILE.xlsx: the tables, not printed
    picked: bool = False  # --columns was applied (to the first table)
    bom_written: bool = False


@dataclass
class Collected:
    """A table kept for a workbook."""

    title: str | None
    rows: Sequence[Mapping[str, Any]]
    columns: list[str]
    labels: Mapping[str, str]
    percent: Sequence[str] = field(default_factory=tuple)


_options = TableOptions()


@contextmanager
def table_options(options: TableOptions) -> Iterator[TableOptions]:
    """Use `options` for every table emitted inside the block."""
    global _options
    saved, _options = _options, options
    try:
        yield options
    finally:
        _options = saved


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
        return band_text(value)
    return formula_safe(_plain(value))


def _quoted(value: Any) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


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
    labels = labels or {}
    columns = _picked(columns, labels)
    if _options.sheets is not None:
        _options.sheets.append(Collected(title, rows, columns, labels, tuple(percent)))
        return
    out = stream or sys.stdout
    if fmt == "json":
        out.write(to_json([{c: row.get(c) for c in columns} for row in rows]) + "\n")
        return
    if fmt == "csv":
        if _options.bom and not _options.bom_written:
            out.write("\ufeff")
            _options.bom_written = True
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            cells = [_csv_cell(row.get(c)) for c in columns]
            if any(isinstance(c, str) and "\r" in c for c in cells):
                out.write(",".join(map(_quoted, cells)) + "\n")  # csv quotes no lone CR
            else:
                writer.writerow(cells)
        return
    cells = [[_one_line(_shown(row.get(c), c, percent)) for c in columns] for row in rows]
    _print_table(cells, rows, columns, labels, title, caption, console or make_console(out))


def _picked(columns: Sequence[str], labels: Mapping[str, str]) -> list[str]:
    """The first table's columns as --columns names them (an id or a header)."""
    if not _options.columns or _options.picked:
        return list(columns)
    _options.picked = True
    known = {str(labels.get(c, c)).casefold(): c for c in columns}
    known.update({c.casefold(): c for c in columns})
    chosen = [known.get(name.strip().casefold()) for name in _options.columns]
    unknown = [n for n, c in zip(_options.columns, chosen, strict=True) if c is None]
    if unknown:
        names = {n.casefold(): n for c in columns for n in (c, str(labels.get(c, c)))}
        close = difflib.get_close_matches(unknown[0].strip().casefold(), list(names), n=1)
        near = names[close[0]] if close else None
        raise InputError.at(
            "table.unknown_column" if near is None else "table.unknown_column_near",
            value=", ".join(unknown),
            known=", ".join(columns),
            suggestion=near or "",
        )
    return list(dict.fromkeys(c for c in chosen if c is not None))


def _shown(value: Any, column: str, percent: Sequence[str]) -> str:
    if column in percent and value is not None:
        return f"{Decimal(value) * 100:.1f}%"
    if column == "line" or column.endswith("_id"):
        return "—" if value is None else str(value)  # an id, not a quantity
    return _cell(value)


def _one_line(text: str) -> str:
    """A cell on one line: line breaks inside a value (a note, a file's text) shown as
    spaces, so a row stays one line."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def _header_min(header: str) -> int:
    """Cells a header needs so that none of its words is split (long ones are folded;
    Chinese may break between any two characters)."""
    widths = [
        min(cell_len(word), 4 if cell_len(word) > len(word) else HEADER_WORD)
        for word in header.split()
    ]
    return max(widths, default=1)


def _print_table(
    cells: list[list[str]],
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    labels: Mapping[str, str],
    title: str | None,
    caption: str | None,
    console: Console,
) -> None:
    headers = [str(labels.get(c, c)) for c in columns]
    natural = [
        max([_header_min(h), *(cell_len(row[i]) for row in cells)]) for i, h in enumerate(headers)
    ]
    texts = [
        columns[i] not in ID_COLUMNS and not columns[i].endswith("_id")
        and all(isinstance(r.get(columns[i]), str | None) for r in rows)
        and natural[i] > TEXT_MIN
        for i in range(len(columns))
    ]  # fmt: skip
    keep_all = _options.show_all or bool(_options.columns)
    window = console.width
    shown, widths = fit(columns, natural, texts, window, keep_all=keep_all)
    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for i in shown:
        sample = next((r.get(columns[i]) for r in rows if r.get(columns[i]) is not None), None)
        numeric = isinstance(sample, int | Decimal) and not isinstance(sample, bool)
        table.add_column(headers[i], justify="right" if numeric else "left", width=widths[i],
                         overflow="fold")  # fmt: skip
    for row in cells:
        table.add_row(*(Text(row[i], no_wrap=True, overflow="ellipsis") for i in shown))
    needed = sum(widths[i] + 3 for i in shown) + 1
    if needed > window:  # --all, or one column wider than the window: never squeeze
        console = Console(file=console.file, width=needed, soft_wrap=False)
    console.print(table)
    hidden = [headers[i] for i in range(len(columns)) if i not in shown]
    if hidden:
        names = ("、" if language() == "zh" else ", ").join(hidden)
        make_console(stderr=True).print(
            t(
                "table.hidden_one" if len(hidden) == 1 else "table.hidden",
                count=len(hidden),
                columns=names,
                width=window,
            ),
            style="yellow",
            markup=False,
            highlight=False,
        )


def fit(
    columns: Sequence[str],
    natural: Sequence[int],
    texts: Sequence[bool],
    width: int,
    *,
    keep_all: bool = False,
) -> tuple[list[int], dict[int, int]]:
    """Which columns to show (indexes, in table order) and the width of each, so that
    the table is at most `width` cells wide: the first column always, then the
    HEADLINE ones, then the rest in order; text columns count at their cut width."""
    least = [min(n, TEXT_MIN) if text else n for n, text in zip(natural, texts, strict=True)]
    rank = {name: i for i, name in enumerate(HEADLINE)}
    order = sorted(range(len(columns)), key=lambda i: (i > 0, rank.get(columns[i], 99), i))
    chosen: list[int] = []
    used = 1  # the table's left edge; each column adds its padding and right border
    for i in order:
        if keep_all or not chosen or used + least[i] + 3 <= width:
            chosen.append(i)
            used += least[i] + 3
    widths = {i: least[i] for i in chosen}
    spare = width - used
    for i in sorted(chosen):
        grow = max(0, min(spare, natural[i] - least[i]))
        widths[i] += grow
        spare -= grow
    return sorted(chosen), widths


class _Page(Console):
    """A console whose width is taken when it prints: $COLUMNS when set, else the
    window's; output into a pipe or file gets a wide page (200)."""

    @property
    def size(self) -> ConsoleDimensions:
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return ConsoleDimensions(int(columns), 25)
        if self.is_terminal:
            return super().size
        return ConsoleDimensions(PIPE_WIDTH, 25)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


def make_console(stream: TextIO | None = None, *, stderr: bool = False) -> Console:
    """A console as wide as the window (or $COLUMNS); piped output gets a wide page."""
    return _Page(file=stream, stderr=stderr, soft_wrap=False)
