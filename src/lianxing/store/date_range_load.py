"""SQL of Amazon's Date Range transaction report, and the rule that counts it once.

Every row of the report is kept whole in `date_range_rows`; the ledger holds the rows
that count. A row counts unless

- the flat-file settlement of its settlement id is imported (that file is the record;
  the report only explains it), or
- another live report holds the same transaction (same values; identical rows within
  one file are numbered, so a transaction twice in a file is two) — the earliest
  imported report's copy counts, so two overlapping reports add each transaction once.

`recount` re-applies the rule to the given settlement ids; it runs inside the
transaction of every import or forget that can change the answer (a report, a
settlement, `lianxing sources forget`), so the ledger is the same whatever order the
files came in. The importer (`lianxing.ingest.amazon_date_range`) decides what the
columns mean; this module only runs the SQL.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lianxing.store.database import Database
from lianxing.store.settlement_load import LEDGER_COLUMNS, sql_literal

KIND = "amazon_date_range"
# Zone names the report writes after its times, as minutes east of UTC.
ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "PST": -480, "PDT": -420, "MST": -420, "MDT": -360,
    "CST": -360, "CDT": -300, "EST": -300, "EDT": -240, "BST": 60, "CET": 60, "MEZ": 60,
    "CEST": 120, "MESZ": 120, "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600,
    "AEDT": 660,
}  # fmt: skip
# The shapes of its local times: US 'Jan 1, 2024 12:34:56 AM', UK '1 Jan 2024 12:34:56',
# DE '01.01.2024 00:12:34', and ISO.
TIME_FORMATS = (
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %H:%M:%S",
    "%d %b %Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


# A UTC offset as the zone: its hours (at most 14) and minutes ('GMT+05:30', '-0800').
OFFSET = r"(?:UTC|GMT)?[+-](0[0-9]|1[0-4]|[0-9])(?::?([0-5][0-9]))?"
# A zone after the time: 'PST', 'UTC', 'GMT+01:00', '+0100'.
ZONE_PATTERN = r"\s((?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?|[A-Z]{1,4})$"


def _flat_file(alias: str) -> str:
    """SQL: the flat-file settlement of row `alias`'s settlement id is imported."""
    return f"""EXISTS (SELECT 1 FROM sources f WHERE f.settlement_id = {alias}.settlement_id
                AND starts_with(f.kind, 'amazon_settlement') AND f.superseded_by IS NULL)"""


def _live(ids: str) -> str:
    """SQL: the kept rows of the settlement ids `ids` (an SQL list) of live reports."""
    return f"""(SELECT d.* FROM date_range_rows d JOIN sources s ON s.source_id = d.source_id
        WHERE s.superseded_by IS NULL AND d.settlement_id IN (SELECT unnest({ids})))"""


def _chosen(ids: str) -> str:
    """SQL: the kept rows of the settlement ids `ids` (an SQL list) that count once
    across overlapping reports — each transaction copy from the earliest report."""
    return f"""(SELECT * EXCLUDE (first_source) FROM (
        SELECT d.*, min(d.source_id) OVER (
                   PARTITION BY d.settlement_id, d.row_key, d.copy_no) AS first_source
        FROM date_range_rows d JOIN sources s ON s.source_id = d.source_id
        WHERE s.superseded_by IS NULL AND d.settlement_id IN (SELECT unnest({ids})))
      WHERE source_id = first_source)"""


def row_key(texts: Sequence[str], numbers: Sequence[str], present: Collection[str]) -> str:
    """SQL naming a transaction by its values, whatever columns its file has and however
    it writes an amount: the `texts` fields as written, the `numbers` fields parsed (an
    amount column the file lacks is 0, as an empty cell is). Every name is a field name
    of the importer's, never text from the file."""
    parts = [f'"{k}__text"' if k in present else "NULL::VARCHAR" for k in texts]
    parts += [
        f'CAST(coalesce("{k}", 0)::DECIMAL(18, 4) AS VARCHAR)' if k in present else "'0.0000'"
        for k in numbers
    ]
    return "md5(to_json([" + ", ".join(parts) + "]))"


def add_times(db: Database, field: str, timezone: str, key: str) -> None:
    """Give lx_rows its posted time (UTC), business date in the store's zone, and the
    key (SQL from `row_key`) and copy number that name each transaction."""
    zones = " ".join(f"WHEN '{name}' THEN {minutes}" for name, minutes in ZONES.items())
    offset = sql_literal(OFFSET)
    formats = "[" + ", ".join(sql_literal(f) for f in TIME_FORMATS) + "]"
    tz = sql_literal(timezone)
    text = f'"{field}__text"'
    db.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lx_times AS
        WITH t AS (
            SELECT raw, v, CASE WHEN z IN ('AM', 'PM') THEN '' ELSE z END AS zone FROM (
                SELECT raw, v, regexp_extract(v, {sql_literal(ZONE_PATTERN)}, 1) AS z
                FROM (SELECT raw, replace(replace(replace(replace(raw, 'a.m.', 'AM'), 'p.m.',
                             'PM'), 'A.M.', 'AM'), 'P.M.', 'PM') AS v
                      FROM (SELECT DISTINCT {text} AS raw FROM lx_rows WHERE raw IS NOT NULL)))
        ),
        p AS (
            SELECT raw, zone,
                try_strptime(regexp_replace(trim(v[1:length(v) - length(zone)]),
                                            '^([A-Za-z]{{3}})\\.', '\\1'), {formats}) AS local,
                CASE WHEN zone = '' THEN 0
                     WHEN regexp_full_match(zone, {offset})
                     THEN (CASE WHEN contains(zone, '-') THEN -1 ELSE 1 END)
                          * (TRY_CAST(regexp_extract(zone, {offset}, 1) AS INTEGER) * 60
                             + coalesce(TRY_CAST(nullif(regexp_extract(zone, {offset}, 2), '')
                                                 AS INTEGER), 0))
                     WHEN regexp_matches(zone, '[+-]') THEN NULL  -- +25:99 is no offset
                     ELSE CASE zone {zones} END
                END AS offset_minutes
            FROM t
        )
        SELECT raw,
               CASE WHEN local IS NULL OR offset_minutes IS NULL THEN NULL
                    WHEN zone = '' THEN timezone({tz}, local)
                    ELSE timezone('UTC', local - offset_minutes * INTERVAL 1 MINUTE)
               END AS posted_at
        FROM p"""
    )
    db.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lx_rows AS
        SELECT *, row_number() OVER (PARTITION BY row_key ORDER BY line)::INTEGER AS copy_no
        FROM (SELECT r.*, x.posted_at, timezone({tz}, x.posted_at)::DATE AS business_date,
                     {key} AS row_key
              FROM lx_rows r LEFT JOIN lx_times x ON x.raw = r.{text})
        ORDER BY line"""
    )
    db.con.execute("DROP TABLE IF EXISTS temp.lx_times")


def shift_lines(db: Database, lines: int) -> None:
    """Number lx_rows by the file's own lines (the reader saw it without its preamble)."""
    if lines:
        db.con.execute("UPDATE lx_rows SET line = line + ?", [lines])


def bad_times(db: Database, field: str, limit: int = 10) -> list[tuple[int, str]]:
    """(line, value) of the first date/time values that do not read."""
    rows = db.con.execute(
        f"""SELECT line, "{field}__text" FROM lx_rows
            WHERE "{field}__text" IS NOT NULL AND posted_at IS NULL ORDER BY line LIMIT ?""",
        [limit],
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def wrong_totals(
    db: Database, parts: Sequence[str], total: str, limit: int = 10
) -> list[tuple[int, str, Decimal]]:
    """(line, total as written, sum of the parts) of rows whose total is not the sum."""
    summed = " + ".join(f'coalesce("{p}", 0)' for p in parts) or "0"
    rows = db.con.execute(
        f"""SELECT line, "{total}__text", ({summed})::DECIMAL(18, 4) AS parts FROM lx_rows
            WHERE "{total}" IS DISTINCT FROM parts ORDER BY line LIMIT ?""",
        [limit],
    ).fetchall()
    return [(int(r[0]), str(r[1]), Decimal(r[2])) for r in rows]


def unsettled(db: Database, total: str) -> tuple[int, Decimal]:
    """(rows, sum of their totals) of rows with no settlement id yet."""
    row = db.con.execute(
        f'SELECT count(*), coalesce(sum("{total}"), 0) FROM lx_rows WHERE settlement_id IS NULL'
    ).fetchone()
    return (int(row[0]), Decimal(row[1])) if row else (0, Decimal(0))


def write(db: Database, *, source_id: int, store_id: str, currency: str) -> list[str]:
    """Keep lx_cells (mapped) as this source's rows; returns their settlement ids."""
    db.con.execute(
        """INSERT INTO date_range_rows
        SELECT ?, c.line, c.cell, ?, c.posted_at, c.business_date, c.settlement_id,
               c.order_id, c.sku, c.quantity, m.event, m.category, c.transaction_type,
               c.amount_type, c.amount_description, coalesce(c.amount, 0), ?, m.rule,
               r.row_key, r.copy_no
        FROM lx_cells c
        JOIN lx_rows r ON r.line = c.line
        JOIN lx_map m
          ON coalesce(m.code_tt, '') = coalesce(c.transaction_type, '')
         AND coalesce(m.code_at, '') = coalesce(c.amount_type, '')
         AND coalesce(m.code_ad, '') = coalesce(c.amount_description, '')
         AND m.day = c.business_date
        WHERE c.settlement_id IS NOT NULL""",
        [source_id, store_id, currency],
    )
    return settlement_ids(db, [source_id])


def settlement_ids(db: Database, source_ids: Sequence[int]) -> list[str]:
    """The settlement ids the given sources hold: a settlement's own, a report's rows'."""
    rows = db.con.execute(
        """SELECT settlement_id FROM sources
           WHERE source_id IN (SELECT unnest($ids)) AND settlement_id IS NOT NULL
           UNION SELECT DISTINCT settlement_id FROM date_range_rows
           WHERE source_id IN (SELECT unnest($ids))""",
        {"ids": list(source_ids)},
    ).fetchall()
    return sorted(str(r[0]) for r in rows)


def drop(db: Database, source_id: int) -> None:
    """Forget a report's kept rows (its import was superseded)."""
    db.con.execute("DELETE FROM date_range_rows WHERE source_id = ?", [source_id])


def recount(db: Database, ids: Sequence[str]) -> None:
    """Put in the ledger exactly the report rows of these settlement ids that count."""
    if not ids:
        return
    # Without report rows of these settlements there is nothing to decide (and a big
    # settlement's import pays no pass over the ledger).
    held = db.con.execute(
        "SELECT EXISTS (SELECT 1 FROM date_range_rows WHERE settlement_id IN (SELECT unnest(?)))",
        [list(ids)],
    ).fetchone()
    if not (held and held[0]):
        return
    params = {"ids": list(ids), "kind": KIND}
    db.con.execute(
        """DELETE FROM ledger WHERE settlement_id IN (SELECT unnest($ids))
           AND source_id IN (SELECT source_id FROM sources WHERE kind = $kind)""",
        params,
    )
    # Rows of one live report only (its first import, typically): each is its own
    # transaction's earliest copy, so all count (without ranking every row).
    live = db.con.execute(
        f"SELECT count(DISTINCT d.source_id) FROM {_live('$ids')} d", {"ids": list(ids)}
    ).fetchone()
    chosen = _live("$ids") if live == (1,) else _chosen("$ids")
    db.con.execute(
        f"""INSERT INTO ledger ({LEDGER_COLUMNS}, basis)
        SELECT source_id, line, cell, store_id, posted_at, business_date, settlement_id,
               order_id, NULL, sku, quantity, event, category, transaction_type, amount_type,
               amount_description, amount, currency, mapping_rule, 'settled'
        FROM {chosen} d WHERE NOT {_flat_file("d")}""",
        {"ids": list(ids)},
    )


@dataclass(frozen=True)
class Explained:
    """A settlement both a flat file and a transaction report hold."""

    settlement_id: str
    report_sum: Decimal  # its report rows (one copy of each), payouts to the bank left out
    settlement_total: Decimal  # the flat file's total-amount
    currency: str

    @property
    def difference(self) -> Decimal:
        return self.report_sum - self.settlement_total


def explained(db: Database, ids: Sequence[str]) -> list[Explained]:
    """For each of these settlement ids with a flat file and report rows: both sums."""
    if not ids:
        return []
    rows = db.con.execute(
        f"""SELECT d.settlement_id, sum(d.amount), any_value(f.total_amount),
                   any_value(f.currency)
            FROM {_chosen("$ids")} d
            JOIN sources f ON f.settlement_id = d.settlement_id
             AND starts_with(f.kind, 'amazon_settlement') AND f.superseded_by IS NULL
            WHERE d.category <> 'transfers.payout'
            GROUP BY d.settlement_id ORDER BY d.settlement_id""",
        {"ids": list(ids)},
    ).fetchall()
    return [Explained(str(r[0]), Decimal(r[1]), Decimal(r[2]), str(r[3])) for r in rows]


def counted_rows(db: Database, source_id: int) -> tuple[int, int]:
    """(rows of the report in the ledger, rows kept): the difference explains others."""
    row = db.con.execute(
        """SELECT (SELECT count(*) FROM ledger WHERE source_id = $s),
                  (SELECT count(*) FROM date_range_rows WHERE source_id = $s)""",
        {"s": source_id},
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
