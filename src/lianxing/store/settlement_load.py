"""Load a settlement file into the ledger with set-based SQL.

A million-row settlement must import in seconds, so rows never pass through Python one
by one. The file is staged as text (`lx_stage`), turned into one row per amount with
parsed values (`lx_parsed`), checked, and written to `ledger` inside one transaction.
The importer (`lianxing.ingest.amazon_settlement`) decides what the columns mean; this
module only runs the SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from lianxing.errors import InputError
from lianxing.store.database import Database

# Every ledger column but `basis` and `reference`, in table order (settlements are
# settled money with no campaign or shipment).
LEDGER_COLUMNS = """source_id, line, cell, store_id, posted_at, business_date, settlement_id,
    order_id, order_item_id, sku, quantity, event, category, transaction_type, amount_type,
    amount_description, amount, currency, mapping_rule"""

TEMP_TABLES = (
    "lx_stage",
    "lx_parsed",
    "lx_qty",
    "lx_map",
    "lx_blank",
    "lx_rejects",
    "lx_rejects_scan",
)


def blank_shifts(blank_lines: Sequence[int]) -> list[tuple[int, int]]:
    """(first data row k, lines it is pushed down) at each run of blank lines: the j-th
    blank line b_j shifts rows k >= b_j - 1 - j. Blank lines in a row share their k,
    and only the run's full count may stand for it (an as-of join picks one per k)."""
    shifts = {b - 1 - j: j for j, b in enumerate(sorted(blank_lines), start=1)}
    return sorted(shifts.items())


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def first_row(con: duckdb.DuckDBPyConnection, table: str = "lx_stage") -> int:
    """The rowid of a staged table's first row: 0, except inside a transaction (a
    folder's batch), where new rows are numbered from a large base. Rows stay in file
    order and numbered without gaps either way, so `rowid - first_row` is the row."""
    row = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {table}").fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class AmountColumn:
    """One column holding amounts, and SQL for the codes that describe its amounts."""

    column: str  # staged identifier, e.g. c14
    header: str  # its name in the file, for error messages
    amount_type_sql: str
    amount_description_sql: str
    code_columns: tuple[str, ...] = ()  # staged columns the two SQL expressions read


@dataclass(frozen=True)
class SettlementColumns:
    """Staged identifiers of the fields the loader reads (None: not in this file)."""

    settlement_id: str
    total_amount: str
    currency: str
    transaction_type: str
    amounts: Sequence[AmountColumn]
    start: str | None = None
    end: str | None = None
    deposit: str | None = None
    order_id: str | None = None
    adjustment_id: str | None = None
    shipment_id: str | None = None
    marketplace: str | None = None
    order_item_id: str | None = None
    sku: str | None = None
    quantity: str | None = None
    posted: tuple[str, ...] = ()  # first non-empty wins
    posted_header: str = "posted-date"

    def used(self) -> list[str]:
        """Every staged column the import reads."""
        names = [
            self.settlement_id,
            self.total_amount,
            self.currency,
            self.transaction_type,
            self.start,
            self.end,
            self.deposit,
            self.order_id,
            self.adjustment_id,
            self.shipment_id,
            self.marketplace,
            self.order_item_id,
            self.sku,
            self.quantity,
            *self.posted,
        ]
        for amount in self.amounts:
            names.extend([amount.column, *amount.code_columns])
        return [n for n in names if n]


@dataclass(frozen=True)
class Reject:
    line: int
    column: str | None
    error_type: str
    message: str


@dataclass(frozen=True)
class BadValue:
    line: int
    column: str
    problem: str  # amount | date | quantity | settlement
    value: str | None


@dataclass(frozen=True)
class Summary:
    settlement_id: str | None
    total_amount_text: str | None
    currency: str | None
    start_text: str | None
    end_text: str | None
    deposit_text: str | None
    transaction_type: str | None


class SettlementLoader:
    """Runs the SQL of one settlement import on a database connection."""

    def __init__(self, db: Database):
        self.db = db
        self.con = db.con
        self.first_row = 0

    # ---- staging -------------------------------------------------------------------
    # With one amount column (V2) the file is read and parsed in one pass: `lx_parsed`
    # holds one row per line in file order, the summary first (`fused`). The legacy
    # layout, with an amount column per kind of amount, is read as text (`lx_stage`)
    # and parsed into one row per amount cell by `parse`. Either way `parse` ends with
    # the view `lx_settlement_cells`: every amount cell with its line, time and business date.
    fused: bool = False

    def stage(
        self,
        utf8_path: str,
        column_count: int,
        used: Sequence[str] | None = None,
        display: str | None = None,
        columns: SettlementColumns | None = None,
    ) -> list[Reject]:
        """Read the file; return lines with the wrong field count.

        Only the `used` columns are kept (the reader still checks every line's field
        count), which saves copying the ones the import never reads.
        """
        self.cleanup()
        self.fused = columns is not None and len(columns.amounts) == 1
        types = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(column_count)) + "}"
        # quote='' : Amazon's flat files are never quoted, and a stray '"' in a product
        # title must not swallow the rest of the file.
        source = f"""read_csv(?, delim = '\t', quote = '', escape = '', header = true,
                auto_detect = false, columns = {types}, store_rejects = true,
                rejects_table = 'lx_rejects', rejects_scan = 'lx_rejects_scan',
                max_line_size = 1048576)"""
        if columns is not None and self.fused:
            sql = f"CREATE TEMP TABLE lx_parsed AS {_one_pass_sql(columns)} FROM {source}"
        else:
            keep = ", ".join(sorted(set(used), key=lambda c: int(c[1:]))) if used else "*"
            sql = f"CREATE TEMP TABLE lx_stage AS SELECT {keep} FROM {source}"
        try:
            self.con.execute(sql, [utf8_path])
        except duckdb.Error as exc:
            # The reader's own words, without its internals: the file cannot be read.
            detail = str(exc).strip().splitlines()[0][:300]
            raise InputError.at("file.bad_line", file=display or utf8_path, detail=detail) from exc
        self.first_row = first_row(self.con, "lx_parsed" if self.fused else "lx_stage")
        rows = self.con.execute(
            "SELECT line, column_name, error_type, error_message FROM lx_rejects "
            "ORDER BY line LIMIT 10"
        ).fetchall()
        return [Reject(int(r[0]), r[1], str(r[2]), str(r[3])) for r in rows]

    def summary(self, c: SettlementColumns) -> Summary:
        """The first data row, which Amazon fills with the settlement's totals."""
        if self.fused:
            sql = """SELECT settlement_id, total_amount_text, currency_text, start_text,
                            end_text, deposit_text, transaction_type FROM lx_parsed"""
        else:

            def col(name: str | None) -> str:
                return f"lx_text({name})" if name else "NULL"

            sql = f"""SELECT {col(c.settlement_id)}, {col(c.total_amount)}, {col(c.currency)},
                       {col(c.start)}, {col(c.end)}, {col(c.deposit)}, {col(c.transaction_type)}
                FROM lx_stage"""
        row = self.con.execute(f"{sql} WHERE rowid = {self.first_row}").fetchone()
        if row is None:
            return Summary(None, None, None, None, None, None, None)
        return Summary(*row)

    def marketplace_names(self, c: SettlementColumns) -> list[str]:
        if not c.marketplace:
            return []
        column, table = ("marketplace", "lx_parsed") if self.fused else (c.marketplace, "lx_stage")
        rows = self.con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE rowid > {self.first_row}"
        ).fetchall()
        # Trim the few distinct values in Python rather than every row in SQL.
        return sorted({r[0].strip() for r in rows if r[0] and r[0].strip()})

    def parse_timestamp(self, text: str | None) -> datetime | None:
        row = self.con.execute("SELECT lx_timestamp(lx_text(?))", [text]).fetchone()
        return row[0] if row else None

    def parse_amount(self, text: str | None) -> Decimal | None:
        row = self.con.execute("SELECT lx_amount(lx_text(?))", [text]).fetchone()
        return row[0] if row else None

    # ---- parsing -------------------------------------------------------------------
    def parse(
        self,
        c: SettlementColumns,
        *,
        timezone: str,
        fallback_posted: datetime | None,
        blank_lines: Sequence[int],
    ) -> None:
        """`lx_settlement_cells`: one row per amount cell with parsed amount, time, quantity and
        business date (in the store's `timezone`)."""
        # Data row k (0 = summary) sits on physical line k + 2, pushed down by every
        # blank line above it (the reader skips blank lines).
        if blank_lines:
            # Row k is shifted by the number of blank lines b_j (sorted, j = 1..) with
            # b_j - 1 - j <= k: those lie above it once earlier shifts are counted. An
            # as-of join finds that count for every row in one pass.
            self.con.execute("CREATE OR REPLACE TEMP TABLE lx_blank (t BIGINT, shift BIGINT)")
            self.db.insert_many("INSERT INTO lx_blank {rows}", blank_shifts(blank_lines))

        def numbered(table: str, alias: str) -> str:
            """Rows of `table` (file order) with their row `rid` and physical `line_no`."""
            rid = f"{alias}.rowid - {self.first_row}"
            if not blank_lines:
                return f"(SELECT {alias}.*, {rid} AS rid, rid + 2 AS line_no FROM {table} {alias})"
            return f"""(SELECT {alias}.*, {rid} AS rid,
                               rid + 2 + coalesce(b.shift, 0) AS line_no
                        FROM {table} {alias} ASOF LEFT JOIN lx_blank b ON {rid} >= b.t)"""

        if self.fused:
            cells = f"""(SELECT r.* EXCLUDE (line, rid, line_no), r.line_no::INTEGER AS line
                        FROM {numbered("lx_parsed", "p")} AS r WHERE rid > 0)"""
        else:
            self._parse_legacy(c, numbered("lx_stage", "s"))
            cells = "lx_parsed"
        zone = sql_literal(timezone)
        fallback = (
            "NULL::TIMESTAMPTZ"
            if fallback_posted is None
            else f"{sql_literal(fallback_posted.isoformat())}::TIMESTAMPTZ"
        )
        self.con.execute(
            f"""CREATE OR REPLACE TEMP VIEW lx_settlement_cells AS
            SELECT cells.*,
                coalesce(posted_ts, timezone({zone}, posted_day::TIMESTAMP),
                         -- no time at all: the settlement's end; an unreadable one: none
                         CASE WHEN bad_posted IS NULL THEN {fallback} END) AS posted_at,
                -- a bare date already is the store's day
                coalesce(posted_day, timezone({zone}, posted_at)::DATE) AS business_date,
                line::BIGINT * 64 + cell AS cell_key
            FROM {cells} AS cells"""
        )

    def _parse_legacy(self, c: SettlementColumns, rows: str) -> None:
        """`lx_parsed` from `lx_stage`: a row per amount cell, and one for each line
        with no amount at all (the legacy layout puts an order item's quantity on such
        a line)."""
        parts = [
            f"""SELECT line_no::INTEGER AS line, {n}::SMALLINT AS cell,
                    {_parsed_columns(c, amount)}
                FROM {rows} AS r WHERE rid > 0 AND lx_text({amount.column}) IS NOT NULL"""
            for n, amount in enumerate(c.amounts, start=1)
        ]
        no_amount = " AND ".join(f"lx_text({a.column}) IS NULL" for a in c.amounts)
        parts.append(
            f"""SELECT line_no::INTEGER AS line, 0::SMALLINT AS cell,
                    {_parsed_columns(c, None)}
                FROM {rows} AS r WHERE rid > 0 AND {no_amount}"""
        )
        self.con.execute(f"CREATE TEMP TABLE lx_parsed AS {' UNION ALL '.join(parts)}")

    def bad_values(
        self, settlement_id: str, posted_header: str, quantity_header: str
    ) -> list[BadValue]:
        """The first rows whose values do not parse, in file order."""
        rows = self.con.execute(
            f"""SELECT line,
                    CASE WHEN bad_amount IS NOT NULL THEN 'amount'
                         WHEN posted_at IS NULL THEN 'date'
                         WHEN bad_quantity IS NOT NULL THEN 'quantity'
                         WHEN settlement_id IS DISTINCT FROM ? THEN 'settlement'
                    END AS problem,
                    CASE problem WHEN 'amount' THEN amount_column
                                 WHEN 'date' THEN {sql_literal(posted_header)}
                                 WHEN 'quantity' THEN {sql_literal(quantity_header)}
                                 ELSE 'settlement-id' END AS column_name,
                    CASE problem WHEN 'amount' THEN bad_amount
                                 WHEN 'date' THEN bad_posted
                                 WHEN 'quantity' THEN bad_quantity
                                 ELSE settlement_id END AS value
                FROM lx_settlement_cells WHERE problem IS NOT NULL
                ORDER BY line, cell LIMIT 10""",
            [settlement_id],
        ).fetchall()
        return [BadValue(int(r[0]), r[2], r[1], r[3]) for r in rows]

    def code_combinations(self) -> list[tuple[str | None, str | None, str | None, date]]:
        """Distinct (transaction type, amount type, description, business date)."""
        return self.con.execute(
            """SELECT DISTINCT transaction_type, amount_type, amount_description, business_date
               FROM lx_settlement_cells"""
        ).fetchall()

    def rows_sum(self) -> Decimal:
        row = self.con.execute(
            "SELECT coalesce(sum(amount), 0) FROM lx_settlement_cells"
        ).fetchone()
        return Decimal(row[0]) if row else Decimal(0)

    # ---- writing -------------------------------------------------------------------
    def load_mapping(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(tt, at, ad, day, category, event, rule) for every code combination."""
        self.con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_map (code_tt VARCHAR, code_at VARCHAR,
               code_ad VARCHAR, day DATE, category VARCHAR, event VARCHAR, rule VARCHAR)"""
        )
        if rows:  # a settlement with only its summary row has no codes at all
            self.db.insert_many("INSERT INTO lx_map {rows}", rows)

    def assign_quantities(self) -> None:
        """Each order item's quantity once: on its principal amount if it has one.

        V2 repeats quantity-purchased on every row of the item; the legacy layout puts
        it on a line of its own. Both collapse to one quantity per item here.
        """
        self.con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_qty AS
            SELECT -- the item's principal price if it has one, else its first amount by
                   -- codes: never a choice that depends on row order
                   coalesce(
                       arg_min(cell_key, struct_pack(
                           not_principal := NOT (lower(amount_type) IN ('itemprice', 'price')
                                                 AND lower(amount_description) = 'principal'),
                           amount_type := amount_type,
                           amount_description := amount_description,
                           cell_key := cell_key))
                           FILTER (WHERE amount IS NOT NULL),
                       min(cell_key)) AS cell_key,
                   max(quantity) AS quantity
            FROM lx_settlement_cells
            WHERE order_item_id IS NOT NULL OR sku IS NOT NULL
            GROUP BY transaction_type, order_id, adjustment_id, shipment_id, order_item_id, sku,
                     CASE WHEN order_item_id IS NULL AND order_id IS NULL THEN line END
            HAVING max(quantity) IS NOT NULL AND max(quantity) <> 0"""
        )

    def write(self, *, source_id: int, store_id: str, currency: str, settlement_id: str) -> int:
        """Insert the parsed rows into the ledger; returns the number of rows written."""
        self.con.execute(
            f"""INSERT INTO ledger ({LEDGER_COLUMNS})
            SELECT ?, p.line, p.cell, ?, p.posted_at, p.business_date, ?, p.order_id,
                   p.order_item_id, p.sku, q.quantity, m.event, m.category,
                   p.transaction_type, p.amount_type, p.amount_description,
                   coalesce(p.amount, 0), ?, m.rule
            FROM lx_settlement_cells p
            JOIN lx_map m
              ON coalesce(m.code_tt, '') = coalesce(p.transaction_type, '')
             AND coalesce(m.code_at, '') = coalesce(p.amount_type, '')
             AND coalesce(m.code_ad, '') = coalesce(p.amount_description, '')
             AND m.day = p.business_date
            LEFT JOIN lx_qty q ON q.cell_key = p.cell_key
            WHERE p.amount IS NOT NULL OR q.quantity IS NOT NULL""",
            [source_id, store_id, settlement_id, currency],
        )
        row = self.con.execute(
            "SELECT count(*) FROM ledger WHERE source_id = ?", [source_id]
        ).fetchone()
        return int(row[0]) if row else 0

    def cleanup(self) -> None:
        self.con.execute("DROP VIEW IF EXISTS temp.lx_settlement_cells")
        for table in TEMP_TABLES:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _text(name: str | None) -> str:
    return f"lx_text({name})" if name else "NULL::VARCHAR"


def _parsed_columns(c: SettlementColumns, amount: AmountColumn | None) -> str:
    """The parsed fields of a line for one of its amount columns (None: a line without
    amounts), as a SELECT list over its staged text columns. A value that does not
    parse keeps its text in `bad_*` for the error message."""
    posted = "coalesce(" + ", ".join(_text(p) for p in c.posted) + ")" if c.posted else "NULL"
    amount_text = _text(amount.column) if amount else "NULL::VARCHAR"
    quantity_text = _text(c.quantity)
    return f"""{_text(c.settlement_id)} AS settlement_id,
        {_text(c.transaction_type)} AS transaction_type,
        {_text(c.order_id)} AS order_id,
        {_text(c.adjustment_id)} AS adjustment_id,
        {_text(c.shipment_id)} AS shipment_id,
        {_text(c.order_item_id)} AS order_item_id,
        {_text(c.sku)} AS sku,
        {amount.amount_type_sql if amount else "NULL::VARCHAR"} AS amount_type,
        {amount.amount_description_sql if amount else "NULL::VARCHAR"} AS amount_description,
        {sql_literal(amount.header) if amount else "NULL::VARCHAR"} AS amount_column,
        lx_amount({amount_text}) AS amount,
        CASE WHEN amount IS NULL THEN {amount_text} END AS bad_amount,
        lx_quantity({quantity_text}) AS quantity,
        CASE WHEN quantity IS NULL THEN {quantity_text} END AS bad_quantity,
        -- a time (V2's posted-date-time, the legacy posted-date) or a bare date, which
        -- is a day in the store's zone
        CASE WHEN contains({posted}, ':') THEN lx_timestamp({posted}) END AS posted_ts,
        CASE WHEN NOT contains({posted}, ':') THEN lx_day({posted}) END AS posted_day,
        CASE WHEN posted_ts IS NULL AND posted_day IS NULL THEN {posted} END AS bad_posted"""


def _one_pass_sql(c: SettlementColumns) -> str:
    """The SELECT list reading a one-amount (V2) line into `lx_parsed`: its parsed
    fields, its cell (0 when it has no amount: it may still carry an order item's
    quantity) and, filled on the summary row only, the settlement's totals."""
    amount = c.amounts[0]
    return f"""SELECT NULL::INTEGER AS line,
        CASE WHEN {_text(amount.column)} IS NULL THEN 0 ELSE 1 END::SMALLINT AS cell,
        {_parsed_columns(c, amount)},
        {_text(c.marketplace)} AS marketplace,
        {_text(c.total_amount)} AS total_amount_text,
        {_text(c.currency)} AS currency_text,
        {_text(c.start)} AS start_text,
        {_text(c.end)} AS end_text,
        {_text(c.deposit)} AS deposit_text"""
