"""Walmart recon reports of a folder, checked and written straight from their group.

`batch_stage` reads a folder's recon reports (one layout) with one `read_csv` into
`lx_group_<n>`. The general path then copies each file's rows out twice (`lx_stage`,
then `lx_rows` from the whole group parsed into a wide table) and checks them with a
dozen statements each — more work than the rows themselves. Here:

- a file of a staged group is opened as `tabular.read_report` opens it, but its rows
  are not copied out (`open_read`);
- the whole group is parsed once, each distinct text once, into a narrow table (the
  parsed fields the ledger needs, a flag for any value the checks would report and a
  hash of each row's texts), and one aggregate gives every file's findings: its rows,
  bad values, repeated rows, period and Total Payable, currencies, undated money
  rows, absurd unit counts and the sum of its amounts;
- the code combinations of the whole group are mapped once (per code map);
- each clean file is written by ONE INSERT from the group's table, the rows and order
  of the general path's two passes.

A file with anything to report (a bad value, a duplicated row, several periods, no
summary, a wrong currency ...) takes the general path, which names the problem as
before; so does every file the group read cannot serve as it is (blank lines, another
encoding, mixed line ends, a trailer line, lines the reader rejected, a group the
reader refused). Nothing written differs: the same rows, the same order, the same sums.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count
from pathlib import Path

from lianxing.categories import UNMAPPED
from lianxing.codemap import CodeMap
from lianxing.errors import InputError
from lianxing.ingest import delimited, textfile, workbook_text
from lianxing.ingest.tabular import OpenReport, ReportFormat, plan_fields
from lianxing.ingest.textfile import TextFile
from lianxing.store import batch_stage, ledger
from lianxing.store.database import Database
from lianxing.store.settlement_load import LEDGER_COLUMNS, sql_literal
from lianxing.store.table_load import MAX_TEXT, PARSERS, StagedField, TableLoader
from lianxing.workspace import Store, Workspace

ProgressFn = Callable[[int, int], None]

# Rows that are money, and the rows whose Ship Qty counts (see walmart_recon).
MONEY = "coalesce(lower(transaction_type), '') <> 'paymentsummary' AND amount IS NOT NULL"
PRICE = "coalesce(lower(amount_type), '') = 'product price'"
# At most 999,999 units a line (as settlements): units × unit cost stays in DECIMAL(18, 4).
MAX_UNITS = 999_999
_SERIAL = count()


@dataclass(frozen=True)
class FileFacts:
    """What the checks of one file found (only clean files are written from here)."""

    rows: int
    clean: bool  # every value parses, none missing or too long, no row repeated
    starts: int  # distinct Period Start Dates, Period End Dates, Total Payables
    ends: int
    totals: int
    start: date | None
    end: date | None
    total: Decimal | None
    currencies: tuple[str, ...]  # distinct upper-cased currencies
    undated: bool  # a money row without a posted time
    huge: bool  # a Ship Qty above the limit
    rows_sum: Decimal

    def summary(self) -> tuple[date, date, Decimal, Decimal]:
        """(period start, period end, Total Payable, sum of the money rows)."""
        assert self.start is not None and self.end is not None and self.total is not None
        return self.start, self.end, self.total, self.rows_sum

    def passes(self, currency: str, max_total: Decimal) -> bool:
        """Nothing for the general path to report."""
        return (
            self.rows > 0
            and self.clean
            and self.starts == self.ends == self.totals == 1
            and self.total is not None
            and abs(self.total) < max_total
            and all(c == currency.upper() for c in self.currencies)
            and not self.undated
            and not self.huge
            and abs(self.rows_sum) < max_total
        )


@dataclass
class _Prepared:
    group: batch_stage.Group
    key: tuple[tuple[StagedField, ...], str]  # fields and time zone the rows are for
    table: str  # the group's rows, parsed (see _parse_group)
    facts: dict[int, FileFacts]
    # code map fingerprint -> (mapping table, whether some combination is unmapped)
    maps: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def drop(self, db: Database) -> None:
        for name in (self.table, *(m[0] for m in self.maps.values())):
            db.con.execute(f"DROP TABLE IF EXISTS temp.{name}")


@dataclass(frozen=True)
class CleanFile:
    """A clean file of a group, ready to be written (`write_ledger`)."""

    facts: FileFacts
    index: int  # the file's place in its group
    table: str  # the group's parsed rows
    mapping: str  # the group's code combinations, mapped
    unmapped: bool  # some combination of the group maps to no category


# The groups prepared on each database (forgotten with it).
_PREPARED: weakref.WeakKeyDictionary[Database, list[_Prepared]] = weakref.WeakKeyDictionary()


def slice_of(db: Database, report: OpenReport, trailer: bool) -> batch_stage.Slice | None:
    """The file's place in its folder group, when the loader staged it from there and
    its lines are numbered as the group numbers them (no blank line, no trailer)."""
    if trailer or report.text.blank_lines:
        return None
    staged = db.staged_groups
    if not isinstance(staged, batch_stage.StagedGroups):
        return None
    found = staged.by_file.get(str(report.text.utf8_path))
    layout = batch_stage.Layout(
        len(report.text.header(report.fmt.delimiter)),
        tuple(f.column for f in report.fields),
        report.fmt.delimiter,
        report.fmt.quoted,
    )
    if found is None or found.group.layout != layout:
        return None
    if not found.group.staged or found.group.failed:
        return None
    return found


def clean(
    db: Database,
    found: batch_stage.Slice,
    fields: Sequence[StagedField],
    store: Store,
    codemap: CodeMap,
    layout: str,
    max_total: Decimal,
) -> CleanFile | None:
    """The slice's file when the checks leave nothing to report, with its code
    combinations mapped (the whole group at once, on its first file); else None.
    Call it outside the file's transaction: what it makes serves the whole group."""
    prepared = _prepared(db, found.group, (tuple(fields), store.timezone))
    facts = prepared.facts.get(found.index)
    if facts is None or not facts.passes(store.currency, max_total):
        return None
    fingerprint = codemap.fingerprint
    if fingerprint not in prepared.maps:
        prepared.maps[fingerprint] = _map_codes(db, prepared.table, codemap, layout)
    mapping, unmapped = prepared.maps[fingerprint]
    return CleanFile(facts, found.index, prepared.table, mapping, unmapped)


def _exists(db: Database, tables: Sequence[str]) -> bool:
    """Are the temporary tables there (a rolled-back batch takes what it made)?"""
    row = db.con.execute(
        """SELECT count(*) FROM duckdb_tables()
           WHERE database_name = 'temp' AND list_contains(?, table_name)""",
        [list(tables)],
    ).fetchone()
    return row == (len(set(tables)),)


def _prepared(
    db: Database, group: batch_stage.Group, key: tuple[tuple[StagedField, ...], str]
) -> _Prepared:
    entries = _PREPARED.setdefault(db, [])
    for entry in entries:
        if entry.group is group and entry.key == key:
            if _exists(db, [entry.table, *(m[0] for m in entry.maps.values())]):
                return entry
            break
    staged = db.staged_groups
    current = staged.groups if isinstance(staged, batch_stage.StagedGroups) else []
    # This group's rows parsed for other fields or lost, and earlier folders' groups.
    for old in [e for e in entries if e.group is group or all(e.group is not g for g in current)]:
        entries.remove(old)
        old.drop(db)
    table = f"lx_walmart_rows_{next(_SERIAL)}"
    _parse_group(db, group.table, table, key[0], key[1])
    entry = _Prepared(group, key, table, _check_group(db, table))
    entries.append(entry)
    return entry


def _parse_group(
    db: Database, source: str, table: str, fields: Sequence[StagedField], timezone: str
) -> None:
    """Parse the group's rows once into `table`: each row's file and line, a flag for
    a value `TableLoader.bad_values` might report, a hash of its texts (duplicates),
    and the parsed fields the checks and the ledger need. Every field is parsed as
    `TableLoader.parse` parses it; each cell is read and trimmed once, each distinct
    text parsed once."""
    tz = sql_literal(timezone)
    columns = sorted({f.column for f in fields}, key=lambda c: int(c[1:]))
    raw = sorted({f.column for f in fields if f.type == "text"}, key=lambda c: int(c[1:]))
    typed: dict[str, list[tuple[int, StagedField]]] = {}  # column -> its parsed fields
    parsed, bad = [], []
    for n, f in enumerate(fields):
        text = f"t.t_{f.column}"
        if f.type != "text":
            # Each distinct text is parsed once: dates, times and also amounts and
            # counts (a year of recon reports writes a few hundred distinct amounts).
            typed.setdefault(f.column, []).append((n, f))
            value = f"d_{f.column}.v{n}"
        else:
            value = f"left({text}, {MAX_TEXT})"
        parsed.append(f'{value} AS "{f.name}"')
        if f.type != "text":
            bad.append(f'(t_{f.column} IS NOT NULL AND "{f.name}" IS NULL)')
        if f.required:
            bad.append(f"t_{f.column} IS NULL")
    dictionaries = [
        f"""d_{column} AS (SELECT t, {
            ", ".join(f"{PARSERS[f.type].format(v='t', tz=tz)} AS v{n}" for n, f in typed_fields)
        } FROM (SELECT DISTINCT t_{column} AS t FROM t) WHERE t IS NOT NULL)"""
        for column, typed_fields in typed.items()
    ]
    joins = [f"LEFT JOIN d_{column} ON d_{column}.t = t.t_{column}" for column in typed]
    # A text field too long or with control characters. Checked on the untrimmed cells:
    # a trimmed text is part of its cell, so a clean cell has a clean text.
    cells = [f"coalesce(strlen({c}) > {MAX_TEXT}, FALSE)" for c in raw]
    if raw:
        cells.append(
            f"""coalesce(regexp_matches(concat_ws(',', {", ".join(raw)}),
                '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]'), FALSE)"""
        )
    bad.append("raw_bad")
    names = {f.name for f in fields}

    def get(name: str) -> str:
        return f'"{name}"' if name in names else "NULL"

    texts = ", ".join(f"lx_text({c}) AS t_{c}" for c in columns)
    db.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
            WITH t AS MATERIALIZED (
                SELECT lx_file, rowid AS lx_rowid, {texts},
                       {" OR ".join(cells) or "FALSE"} AS raw_bad
                FROM {source}),
            f AS (SELECT lx_file, min(lx_rowid) AS first FROM t GROUP BY lx_file)
            {"".join(", " + d for d in dictionaries)}
            SELECT lx_file, (lx_rowid - first + 2)::INTEGER AS line,
                   {" OR ".join(bad)} AS bad,
                   hash({", ".join(f"t_{c}" for c in columns)}) AS key,
                   {get("period_start")} AS period_start, {get("period_end")} AS period_end,
                   {get("total_payable")} AS total_payable,
                   upper({get("currency")}) AS currency,
                   {get("posted")} AS posted, {get("posted_day")} AS posted_day,
                   {get("transaction_type")} AS transaction_type,
                   {get("amount_type")} AS amount_type,
                   {get("description")} AS amount_description,
                   {get("order_id")}::VARCHAR AS order_id,
                   {get("order_line")}::VARCHAR AS order_item_id,
                   {get("sku")}::VARCHAR AS sku,
                   {get("ship_qty")} AS ship_qty, {get("amount")} AS amount
            FROM (SELECT t.*, {", ".join(parsed)} FROM t {" ".join(joins)}) p
            JOIN f USING (lx_file)"""
    )


def _check_group(db: Database, table: str) -> dict[int, FileFacts]:
    """Every file's findings, from the group's parsed rows."""
    rows = db.con.execute(
        f"""SELECT lx_file, count(*), NOT bool_or(bad) AND count(DISTINCT key) = count(*),
                   count(DISTINCT period_start), count(DISTINCT period_end),
                   count(DISTINCT total_payable),
                   min(period_start), min(period_end), min(total_payable),
                   list(DISTINCT currency) FILTER (WHERE currency IS NOT NULL),
                   coalesce(bool_or(posted IS NULL AND ({MONEY})), FALSE),
                   coalesce(bool_or(ship_qty > {MAX_UNITS} OR ship_qty < -{MAX_UNITS}), FALSE),
                   coalesce(sum(amount) FILTER (WHERE {MONEY}), 0)
            FROM {table} GROUP BY lx_file"""
    ).fetchall()
    return {
        int(r[0]): FileFacts(
            rows=int(r[1]),
            clean=bool(r[2]),
            starts=int(r[3]),
            ends=int(r[4]),
            totals=int(r[5]),
            start=r[6],
            end=r[7],
            total=None if r[8] is None else Decimal(r[8]),
            currencies=tuple(r[9] or ()),
            undated=bool(r[10]),
            huge=bool(r[11]),
            rows_sum=Decimal(r[12]),
        )
        for r in rows
    }


# The general path's cells of a clean file: every money row with an amount, and the
# Product Price rows with units too (their Ship Qty counts once a line).
QUANTITY = f"CASE WHEN {PRICE} THEN ship_qty END"
CELL = f"{MONEY} AND (amount <> 0 OR {QUANTITY} IS NOT NULL AND {QUANTITY} <> 0)"


def _map_codes(db: Database, table: str, codemap: CodeMap, layout: str) -> tuple[str, bool]:
    """A table mapping every code combination of the group's cells (see map_cells),
    and whether any of them maps to no category."""
    name = f"lx_walmart_map_{next(_SERIAL)}"
    combos = db.con.execute(
        f"""SELECT DISTINCT transaction_type, amount_type, amount_description, posted_day
            FROM {table} WHERE {CELL}"""
    ).fetchall()
    db.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {name} (code_tt VARCHAR, code_at VARCHAR,
            code_ad VARCHAR, day DATE, category VARCHAR, event VARCHAR, rule VARCHAR)"""
    )
    mapping, kinds = [], {}
    for tt, at, ad, day in combos:
        category, rule = codemap.resolve(layout, tt, at, ad, day)
        if tt not in kinds:  # one look per transaction type, not per day
            kinds[tt] = codemap.kind(tt)
        mapping.append((tt, at, ad, day, category, kinds[tt], rule))
    db.insert_many(f"INSERT INTO {name} {{rows}}", mapping)
    return name, any(m[4] == UNMAPPED for m in mapping)


def write_ledger(
    db: Database, file: CleanFile, store: Store, *, source_id: int, settlement_id: str
) -> int:
    """Write a clean file's cells, mapped, as the general path's two passes do
    (Product Price rows first, each pass in line order); returns the rows written."""
    row = db.con.execute(
        f"""INSERT INTO ledger ({LEDGER_COLUMNS}, basis, reference, observed_at)
            SELECT $source, c.line, 1::SMALLINT, $store, c.posted, c.posted_day,
                   $settlement, c.order_id, c.order_item_id, c.sku,
                   ({QUANTITY})::INTEGER, m.event, m.category, c.transaction_type,
                   c.amount_type, c.amount_description,
                   coalesce((1 * c.amount)::DECIMAL(18, 4), 0), $currency, m.rule,
                   'settled', NULL::VARCHAR, NULL::TIMESTAMPTZ
            FROM {file.table} c
            JOIN {file.mapping} m
              ON coalesce(m.code_tt, '') = coalesce(c.transaction_type, '')
             AND coalesce(m.code_at, '') = coalesce(c.amount_type, '')
             AND coalesce(m.code_ad, '') = coalesce(c.amount_description, '')
             AND m.day = c.posted_day
            WHERE c.lx_file = {int(file.index)} AND {CELL}
            ORDER BY NOT ({PRICE}), c.line""",
        {
            "source": source_id,
            "store": store.id,
            "settlement": settlement_id,
            "currency": store.currency,
        },
    ).fetchone()
    return int(row[0]) if row else 0


# ---- reading a file of a staged group ---------------------------------------------
@dataclass
class GroupRead:
    """A file of a staged group, opened as `tabular.read_report` opens it but without
    copying its rows out of the group (`close` when done)."""

    report: OpenReport
    found: batch_stage.Slice

    def close(self) -> None:
        _close(self.report.text)


def _close(text: TextFile) -> None:
    text.finish_quietly()
    if text.readable_path is not None:
        text.readable_path.unlink(missing_ok=True)


# The files whose rows the reader rejected, by group (the group's rejects tables).
_REJECTED: weakref.WeakKeyDictionary[Database, list[tuple[batch_stage.Group, set[str]]]] = (
    weakref.WeakKeyDictionary()
)


def open_read(
    db: Database,
    workspace: Workspace,
    path: Path,
    fmt: ReportFormat,
    progress: ProgressFn | None,
    has_trailer: Callable[[TextFile], bool],
) -> GroupRead | None:
    """The file opened from its staged group, or None whenever `read_report` might
    do anything more or else: a workbook, a file not in a staged group or not of its
    layout, a trailer line, lines the reader rejected, blank lines, mixed line ends or
    any problem (`read_report` then reads the file and names it)."""
    staged = db.staged_groups
    if not isinstance(staged, batch_stage.StagedGroups) or str(path) not in staged.by_file:
        return None
    if workbook_text.is_workbook(path):
        return None
    try:
        text = textfile.open_text(path, temp_dir=workspace.temp_dir, progress=progress)
    except InputError:
        return None
    opened = None
    try:
        opened = _open_slice(db, text, fmt, staged, has_trailer)
    except (InputError, OSError):
        pass
    finally:
        if opened is None:
            _close(text)
    return opened


def _open_slice(
    db: Database,
    text: TextFile,
    fmt: ReportFormat,
    staged: batch_stage.StagedGroups,
    has_trailer: Callable[[TextFile], bool],
) -> GroupRead | None:
    fmt = delimited.written_as(fmt, text.header_line) or fmt
    header = text.header(fmt.delimiter)
    if not fmt.matches(header):
        return None
    fields, ignored = plan_fields(header, fmt, str(text.path))
    found = staged.by_file.get(str(text.utf8_path))
    layout = batch_stage.Layout(
        len(header), tuple(f.column for f in fields), fmt.delimiter, fmt.quoted
    )
    if found is None or found.group.layout != layout:
        return None
    if not found.group.staged or found.group.failed or has_trailer(text):
        return None
    if str(text.utf8_path) in _rejected(db, found.group):
        return None
    if text.finish() or text.blank_lines:  # a copy with other line ends; blank lines
        return None
    same = ledger.find_by_sha(db, text.sha256, fmt.kind)
    return GroupRead(OpenReport(text, TableLoader(db), fields, ignored, fmt, same), found)


def _rejected(db: Database, group: batch_stage.Group) -> set[str]:
    """The group's files with lines the reader rejected (`batch_stage.take`'s)."""
    entries = _REJECTED.setdefault(db, [])
    for entry, paths in entries:
        if entry is group:
            return paths
    rows = db.con.execute(
        f"""SELECT DISTINCT s.file_path
            FROM {group.table}_rejects r JOIN {group.table}_rejects_scan s
              ON r.scan_id = s.scan_id AND r.file_id = s.file_id"""
    ).fetchall()
    paths = {str(r[0]) for r in rows}
    staged = db.staged_groups
    current = staged.groups if isinstance(staged, batch_stage.StagedGroups) else []
    entries[:] = [(g, p) for g, p in entries if any(g is c for c in current)]
    entries.append((group, paths))
    return paths
