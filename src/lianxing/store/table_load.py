"""Load any delimited platform report with set-based SQL.

The file is staged as text columns (`lx_stage`), every declared field parsed by a
macro into `lx_rows` (one row per data line, with its physical line number), and the
first values that do not parse are reported with line and header. Ledger-bound
reports are then unpivoted into one cell per amount (`lx_cells`), mapped to categories
and written; fact reports are written by `lianxing.store.fact_load`. The importers in
`lianxing.ingest` decide which header is which field; this module only runs the SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from lianxing.errors import InputError
from lianxing.store import batch_stage
from lianxing.store.database import Database
from lianxing.store.settlement_load import (
    LEDGER_COLUMNS,
    Reject,
    blank_shifts,
    first_row,
    sql_literal,
)

TEMP_TABLES = (
    "lx_stage",
    "lx_rows",
    "lx_cells",
    "lx_map",
    "lx_blank",
    "lx_rejects",
    "lx_rejects_scan",
)

# How each field type is parsed: SQL with {v} for the trimmed text, {tz} the store zone.
PARSERS = {
    "text": "{v}",
    "amount": "lx_amount({v})",
    "money": "lx_money({v})",
    "count": "lx_count({v})",
    "number": "lx_number({v})",
    "percent": "lx_percent({v})",
    "day": "lx_local_day({v}, {tz})",
    "time": "lx_local_time({v}, {tz})",
    "month": "lx_month({v})",
}
# Field types parsed once per distinct value (see TableLoader.parse).
DICTIONARY_TYPES = ("day", "time", "month")
# Rows sampled to tell whether a field's values repeat (see TableLoader._repeating).
SAMPLE_ROWS = 2048
# Longest text a field may hold: a hostile file must not fill the database with
# megabyte "SKUs".
MAX_TEXT = 500


@dataclass(frozen=True)
class StagedField:
    """A field of the report: its name in lx_rows, staged column and header."""

    name: str
    column: str  # c0..cN
    header: str
    type: str = "text"
    required: bool = False  # a value must be present on every row


@dataclass(frozen=True)
class BadValue:
    line: int
    header: str
    type: str  # the field type that failed, or 'required' / 'length'
    value: str | None


@dataclass(frozen=True)
class Cell:
    """One amount of a report line, and the codes that say what it is.

    `amount_type` / `amount_description` are literals, or `@field` to read a field.
    `sign` turns amounts written as positive costs into the ledger's sign convention
    (money to the seller is positive). The cell with `quantity` carries the line's
    units (never repeated on its other amounts).
    """

    amount: str
    amount_type: str
    amount_description: str
    sign: int = 1
    quantity: bool = False
    absolute: bool = False  # the report's sign is unreliable: take the size, apply `sign`


@dataclass(frozen=True)
class LedgerShape:
    """Which lx_rows fields fill which ledger columns (None: not in this report)."""

    cells: Sequence[Cell]
    transaction_type: str  # literal or @field
    time: str  # field of type 'time' (posted_at)
    day: str  # field of type 'day' (business_date)
    order_id: str | None = None
    order_item_id: str | None = None
    sku: str | None = None
    quantity: str | None = None
    settlement_id: str | None = None  # literal or @field
    reference: str | None = None
    observed: str | None = None  # field: when the source saw this version of the row


def _value(spec: str | None) -> str:
    """SQL for a literal or an @field reference."""
    if spec is None:
        return "NULL::VARCHAR"
    if spec.startswith("@"):
        return f'"{spec[1:]}"'
    return sql_literal(spec)


def _field(name: str | None) -> str:
    return f'"{name}"' if name else "NULL"


class TableLoader:
    """Runs the SQL of one report import on a database connection."""

    def __init__(self, db: Database):
        self.db = db
        self.con = db.con
        self._dictionaries: list[str] = []
        self._slice: batch_stage.Slice | None = None

    # ---- staging -------------------------------------------------------------------
    def stage(
        self,
        utf8_path: str,
        column_count: int,
        used: Sequence[str],
        *,
        delimiter: str,
        quoted: bool,
        display: str,
    ) -> list[Reject]:
        """Read the file as text columns c0..cN; return lines the reader rejected."""
        self.cleanup()
        layout = batch_stage.Layout(column_count, tuple(used), delimiter, quoted)
        self._slice = None
        staged = batch_stage.take(self.db, utf8_path, layout)  # read with its folder
        if staged is not None:
            self._slice, rejects = staged
            return rejects
        try:
            self.con.execute(
                f"""CREATE TEMP TABLE lx_stage AS SELECT {batch_stage.keep(used)}
                    FROM {batch_stage.read_sql("?", layout, "lx_rejects")})""",
                [utf8_path],
            )
        except duckdb.Error as exc:
            detail = str(exc).strip().splitlines()[0][:300]
            raise InputError.at("file.bad_line", file=display, detail=detail) from exc
        rows = self.con.execute(
            "SELECT line, column_name, error_type, error_message FROM lx_rejects "
            "ORDER BY line LIMIT 10"
        ).fetchall()
        return [Reject(int(r[0]), r[1], str(r[2]), str(r[3])) for r in rows]

    def stage_rewritten(self) -> None:
        """Say that lx_stage was changed after staging: it is then parsed on its own,
        never from its folder group (`batch_stage`). Call it before any UPDATE of
        lx_stage."""
        self._slice = None

    def staged_values(self, column: str, limit: int = 50) -> list[str]:
        """Distinct trimmed values of a staged column (before parsing)."""
        rows = self.con.execute(
            f"SELECT DISTINCT lx_text({column}) AS v FROM lx_stage WHERE v IS NOT NULL "
            f"ORDER BY v LIMIT {int(limit)}"
        ).fetchall()
        return [r[0] for r in rows]

    def parse(
        self, fields: Sequence[StagedField], *, timezone: str, blank_lines: Sequence[int]
    ) -> int:
        """Parse every field into lx_rows; returns the number of data rows."""
        if self._slice is not None and not blank_lines:
            batch_stage.parsed_rows(
                self.db,
                self._slice,
                (tuple(fields), timezone),
                lambda source, rows, extra: self._parse_sql(fields, timezone, source, rows, extra),
            )
            return self.count("lx_rows")
        base = first_row(self.con)  # see first_row: rows are numbered from it
        if blank_lines:
            # See SettlementLoader.parse: rows below blank lines shift down by their count.
            self.con.execute("CREATE OR REPLACE TEMP TABLE lx_blank (t BIGINT, shift BIGINT)")
            self.db.insert_many("INSERT INTO lx_blank {rows}", blank_shifts(blank_lines))
            rows = f"""(SELECT s.*, s.rowid - {base} + 2 + coalesce(b.shift, 0) AS line_no
                        FROM lx_stage s ASOF LEFT JOIN lx_blank b ON s.rowid - {base} >= b.t)"""
        else:
            rows = f"(SELECT *, rowid - {base} + 2 AS line_no FROM lx_stage)"
        self.con.execute(self._parse_sql(fields, timezone, "lx_stage", rows))
        return self.count("lx_rows")

    def _parse_sql(
        self, fields: Sequence[StagedField], timezone: str, source: str, rows: str, extra: str = ""
    ) -> str:
        """CREATE lx_rows from `rows` (staged columns and line_no) of table `source`."""
        tz = sql_literal(timezone)
        parts = ["line_no::INTEGER AS line"]
        joins = []
        # Fields parsed through a dictionary of their type: each distinct text of the
        # type's columns parsed once, in one place of the statement. Dates repeat on
        # many lines and converting one to the store's zone is the costliest parse
        # there is; in a small file, the work is planning the statement, and the
        # parsers are large macros whose regular expressions DuckDB prepares again at
        # every place a macro is used. But where every line has its own time (to the
        # second), or for a big file's amounts and counts (cheap to parse), looking
        # each value up would cost more than parsing it.
        sampled, repeating = self._repeating(source, [f.column for f in fields if f.type != "text"])
        small = sampled < SAMPLE_ROWS
        shared: dict[str, list[str]] = {}
        for f in fields:
            if f.type == "text":
                continue
            if small or (f.type in DICTIONARY_TYPES and f.column in repeating):
                columns = shared.setdefault(f.type, [])
                if f.column not in columns:
                    columns.append(f.column)
        shared = {
            kind: columns
            for kind, columns in shared.items()
            if len(columns) > 1 or columns[0] in repeating
        }
        dictionaries = []
        for kind, columns in shared.items():
            texts = " UNION ALL ".join(
                f"SELECT DISTINCT lx_text({c}) AS t FROM {source}" for c in columns
            )
            dictionaries.append(
                f"""p_{kind} AS MATERIALIZED (SELECT t, {PARSERS[kind].format(v="t", tz=tz)} AS v
                    FROM (SELECT DISTINCT t FROM ({texts})) WHERE t IS NOT NULL)"""
            )
        for n, f in enumerate(fields):
            text = f"lx_text({f.column})"
            parts.append(f'{text} AS "{f.name}__text"')
            if f.column in shared.get(f.type, ()):
                joins.append(f"LEFT JOIN p_{f.type} j{n} ON j{n}.t = {text}")
                parts.append(f'j{n}.v AS "{f.name}"')
                continue
            parser = PARSERS[f.type].format(v=text, tz=tz)
            if f.type == "text":
                # A text of at most MAX_TEXT bytes has at most as many characters: it
                # is kept whole without counting them (left() counts every text's).
                parser = (
                    f"CASE WHEN strlen({text}) <= {MAX_TEXT} THEN {text} "
                    f"ELSE left({text}, {MAX_TEXT}) END"
                )
            parts.append(f'{parser} AS "{f.name}"')
        with_clause = ("WITH " + ", ".join(dictionaries)) if dictionaries else ""
        order = "r.lx_file, line" if extra else "line"
        return f"""CREATE OR REPLACE TEMP TABLE lx_rows AS {with_clause}
                SELECT {", ".join(parts)}{extra} FROM {rows} r {" ".join(joins)}
                ORDER BY {order}"""

    def _repeating(self, source: str, columns: Sequence[str]) -> tuple[int, set[str]]:
        """(rows sampled, columns whose values repeat): under half of their values
        distinct in the first SAMPLE_ROWS rows of `source` (fewer rows sampled: the
        source is small). Parsed by dictionary or line by line, the values are the
        same; only the work differs."""
        wanted = sorted(set(columns))
        if not wanted:
            return 0, set()
        distinct = ", ".join(f"count(DISTINCT lx_text({c}))" for c in wanted)
        row = self.con.execute(
            f"""SELECT count(*), {distinct}
                FROM (SELECT {", ".join(wanted)} FROM {source} LIMIT {SAMPLE_ROWS})"""
        ).fetchone()
        if not row:
            return 0, set()
        rows = int(row[0])
        return rows, {c for c, n in zip(wanted, row[1:], strict=True) if 2 * int(n) <= rows}

    def count(self, table: str, where: str = "TRUE") -> int:
        row = self.con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()
        return int(row[0]) if row else 0

    def bad_values(self, fields: Sequence[StagedField], limit: int = 10) -> list[BadValue]:
        """The first values that do not parse, are missing or too long, in file order."""
        checks = []
        for f in fields:
            text = f'"{f.name}__text"'
            header = sql_literal(f.header)
            if f.type != "text":
                checks.append(
                    f"""SELECT line, {header} AS header, {sql_literal(f.type)} AS type,
                        {text} AS value FROM lx_rows
                        WHERE {text} IS NOT NULL AND "{f.name}" IS NULL"""
                )
            else:
                checks.append(
                    f"""SELECT line, {header} AS header, 'length' AS type,
                        left({text}, 60) AS value FROM lx_rows
                        WHERE length({text}) > {MAX_TEXT}
                           OR regexp_matches({text}, '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]')"""
                )
            if f.required:
                checks.append(
                    f"""SELECT line, {header} AS header, 'required' AS type,
                        NULL AS value FROM lx_rows
                        WHERE {text} IS NULL"""
                )
        if not checks or not self._any_bad_value(fields):
            return []
        # Fields read from one column (a time and its day) fail on the same value: one
        # problem, not one per field.
        rows = self.con.execute(
            f"""SELECT line, header, min(type), any_value(value)
                FROM ({" UNION ALL ".join(checks)}) AS bad
                GROUP BY line, header, CASE WHEN type IN ('day', 'time') THEN 'date' ELSE type END
                ORDER BY line, header, min(type) LIMIT {int(limit)}"""
        ).fetchall()
        return [BadValue(int(r[0]), r[1], r[2], r[3]) for r in rows]

    def _any_bad_value(self, fields: Sequence[StagedField]) -> bool:
        """Whether `bad_values` may find anything: one pass over lx_rows that errs
        only towards yes (a text longer than MAX_TEXT bytes may still be short enough
        in characters), so the detailed query runs only on files that have a problem."""
        tests = []
        texts = []
        for f in fields:
            text = f'"{f.name}__text"'
            if f.type != "text":
                tests.append(f'{text} IS NOT NULL AND "{f.name}" IS NULL')
            else:
                tests.append(f"strlen({text}) > {MAX_TEXT}")
                texts.append(text)
            if f.required:
                tests.append(f"{text} IS NULL")
        if texts:  # a control character in any text field is one in their concatenation
            tests.append(
                f"regexp_matches(concat({', '.join(texts)}), '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]')"
            )
        row = self.con.execute(
            f"SELECT EXISTS (SELECT 1 FROM lx_rows WHERE {' OR '.join(f'({t})' for t in tests)})"
        ).fetchone()
        return bool(row and row[0])

    def duplicate_lines(self, key_fields: Sequence[str], limit: int = 10) -> list[tuple[int, int]]:
        """(line, first line) of rows repeating an earlier row's key fields."""
        key = ", ".join(f'"{k}__text"' for k in key_fields)
        # Fewer distinct key hashes than rows says a key may repeat (equal keys, NULLs
        # alike, hash alike); the window over every row, which finds the lines, runs
        # only then.
        repeated = self.con.execute(
            f"SELECT count(DISTINCT hash({key})) < count(*) FROM lx_rows"
        ).fetchone()
        if not (repeated and repeated[0]):
            return []
        return [
            (int(r[0]), int(r[1]))
            for r in self.con.execute(
                f"""SELECT line, first FROM (
                        SELECT line, min(line) OVER (PARTITION BY {key}) AS first FROM lx_rows)
                    WHERE line <> first ORDER BY line LIMIT {int(limit)}"""
            ).fetchall()
        ]

    def first_other_text(
        self, field: str, expected: str, where: str = "TRUE"
    ) -> tuple[int, str] | None:
        """(line, value) of the first row whose `field` is set and is not `expected`."""
        row = self.con.execute(
            f"""SELECT line, "{field}" FROM lx_rows WHERE ({where}) AND "{field}" IS NOT NULL
                AND upper("{field}") <> ? ORDER BY line LIMIT 1""",
            [expected.upper()],
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def distinct(self, field: str) -> list[Any]:
        rows = self.con.execute(
            f'SELECT DISTINCT "{field}" FROM lx_rows WHERE "{field}" IS NOT NULL'
        ).fetchall()
        return sorted(r[0] for r in rows)

    def span(self, field: str) -> tuple[date | None, date | None]:
        row = self.con.execute(f'SELECT min("{field}"), max("{field}") FROM lx_rows').fetchone()
        return (row[0], row[1]) if row else (None, None)

    def sum(self, field: str, where: str = "TRUE") -> Any:
        row = self.con.execute(
            f'SELECT coalesce(sum("{field}"), 0) FROM lx_rows WHERE {where}'
        ).fetchone()
        return row[0] if row else 0

    # ---- ledger-bound reports ------------------------------------------------------
    def cells(self, shape: LedgerShape, where: str = "TRUE") -> None:
        """Unpivot lx_rows into lx_cells: one row per non-empty amount."""
        parts = []
        for n, cell in enumerate(shape.cells, start=1):
            quantity = f'"{shape.quantity}"' if (cell.quantity and shape.quantity) else "NULL"
            amount = f'abs("{cell.amount}")' if cell.absolute else f'"{cell.amount}"'
            parts.append(
                f"""SELECT line, {n}::SMALLINT AS cell, "{shape.time}" AS posted_at,
                    "{shape.day}" AS business_date, {_value(shape.settlement_id)} AS settlement_id,
                    {_field(shape.order_id)}::VARCHAR AS order_id,
                    {_field(shape.order_item_id)}::VARCHAR AS order_item_id,
                    {_field(shape.sku)}::VARCHAR AS sku, {quantity}::INTEGER AS quantity,
                    {_value(shape.transaction_type)} AS transaction_type,
                    {_value(cell.amount_type)} AS amount_type,
                    {_value(cell.amount_description)} AS amount_description,
                    ({int(cell.sign)} * {amount})::DECIMAL(18, 4) AS amount,
                    {_field(shape.reference)}::VARCHAR AS reference,
                    {_field(shape.observed)}::TIMESTAMPTZ AS observed_at
                FROM lx_rows
                WHERE ({where}) AND ("{cell.amount}" IS NOT NULL AND "{cell.amount}" <> 0
                                     OR {quantity} IS NOT NULL AND {quantity} <> 0)"""
            )
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE lx_cells AS {' UNION ALL '.join(parts)}")

    def code_combinations(self) -> list[tuple[str | None, str | None, str | None, date]]:
        return self.con.execute(
            """SELECT DISTINCT transaction_type, amount_type, amount_description, business_date
               FROM lx_cells"""
        ).fetchall()

    def load_mapping(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(tt, at, ad, day, category, event, rule) for every code combination."""
        self.con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_map (code_tt VARCHAR, code_at VARCHAR,
               code_ad VARCHAR, day DATE, category VARCHAR, event VARCHAR, rule VARCHAR)"""
        )
        self.db.insert_many("INSERT INTO lx_map {rows}", rows)

    def write_ledger(
        self, *, source_id: int, store_id: str, currency: str, basis: str = "settled"
    ) -> int:
        """Insert lx_cells, mapped, into the ledger; returns the rows written."""
        self.con.execute(
            f"""INSERT INTO ledger ({LEDGER_COLUMNS}, basis, reference, observed_at)
            SELECT ?, c.line, c.cell, ?, c.posted_at, c.business_date, c.settlement_id,
                   c.order_id, c.order_item_id, c.sku, c.quantity, m.event, m.category,
                   c.transaction_type, c.amount_type, c.amount_description,
                   coalesce(c.amount, 0), ?, m.rule, ?, c.reference, c.observed_at
            FROM lx_cells c
            JOIN lx_map m
              ON coalesce(m.code_tt, '') = coalesce(c.transaction_type, '')
             AND coalesce(m.code_at, '') = coalesce(c.amount_type, '')
             AND coalesce(m.code_ad, '') = coalesce(c.amount_description, '')
             AND m.day = c.business_date""",
            [source_id, store_id, currency, basis],
        )
        row = self.con.execute(
            "SELECT count(*) FROM ledger WHERE source_id = ?", [source_id]
        ).fetchone()
        return int(row[0]) if row else 0

    def replace_estimates(self, store_id: str, *, source_id: int, observed: str, live: str) -> int:
        """Keep the newest version of every estimated order item, whichever file it is in.

        An item's version in this file is its newest `observed` time over all its lines,
        counted or not (`live`: the lines that count — a cancelled item has none). Where
        an earlier file saw the item later, this file's lines of it are dropped; else
        the earlier files' rows of it are removed. `estimate_versions` remembers every
        item's newest version, so a cancellation beats an older open order in either
        import order. Returns the earlier rows removed.
        """
        match = "m.order_id = {a}.order_id AND m.sku IS NOT DISTINCT FROM {a}.sku"
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE lx_items AS
                SELECT i.*, NOT EXISTS (
                    SELECT 1 FROM estimate_versions m WHERE m.store_id = $store
                       AND {match.format(a="i")} AND m.observed_at > i.observed_at) AS wins
                FROM (SELECT order_id, sku, max("{observed}")::TIMESTAMPTZ AS observed_at,
                             bool_or(coalesce(({live}), FALSE)) AS live
                      FROM lx_rows WHERE order_id IS NOT NULL GROUP BY ALL) AS i""",
            {"store": store_id},
        )
        self.con.execute(
            f"""DELETE FROM lx_cells c WHERE EXISTS (
                    SELECT 1 FROM lx_items m WHERE NOT m.wins AND {match.format(a="c")})"""
        )
        before = self.count("ledger", "basis = 'estimated'")
        self.con.execute(
            f"""DELETE FROM ledger l WHERE l.basis = 'estimated' AND l.store_id = $store
                AND EXISTS (SELECT 1 FROM lx_items m WHERE m.wins AND {match.format(a="l")})""",
            {"store": store_id},
        )
        removed = before - self.count("ledger", "basis = 'estimated'")
        self.con.execute(
            f"""DELETE FROM estimate_versions v WHERE v.store_id = $store
                AND EXISTS (SELECT 1 FROM lx_items m WHERE m.wins AND {match.format(a="v")})""",
            {"store": store_id},
        )
        self.con.execute(
            """INSERT INTO estimate_versions
               SELECT $store, order_id, sku, observed_at, live, $source FROM lx_items
               WHERE wins""",
            {"store": store_id, "source": source_id},
        )
        self.con.execute("DROP TABLE IF EXISTS temp.lx_items")
        return removed

    def cleanup(self) -> None:
        for table in (*TEMP_TABLES, *self._dictionaries):
            self.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self._dictionaries = []
