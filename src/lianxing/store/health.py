"""Read side of data health: what each store's sources cover, and what is missing.

Coverage is per store and kind of source: the dates the files cover (a settlement's
period, else the business dates of its rows), the gaps between them, when the last
file came, and how many reconcile. Gaps tolerate a day between settlement periods and
a few days for reports whose range is known only from their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from lianxing.store.database import Database
from lianxing.store.measure_days import TABLE as MEASURES

# Kinds whose files carry their own period (settlement-like): any missing day is a gap.
PERIOD_KINDS = ("amazon_settlement_v2", "amazon_settlement_legacy", "walmart_recon")
# Snapshots describe one day each: days between two snapshots are no gap.
SNAPSHOT_KINDS = ("amazon_inventory_planning", "amazon_long_term_storage")
# Reports whose range is known only from their rows (a day without a return or an ad
# click has no row): only a week without rows counts as a gap.
ROW_DATED_TOLERANCE_DAYS = 7


def coverage(db: Database) -> list[dict[str, Any]]:
    """One row per store and kind of source."""
    period_kinds = ", ".join(f"'{k}'" for k in PERIOD_KINDS)
    snapshot_kinds = ", ".join(f"'{k}'" for k in SNAPSHOT_KINDS)
    cursor = db.con.execute(
        f"""WITH live AS (
                SELECT *, coalesce(period_start::DATE, date_from) AS lo,
                       coalesce(period_end::DATE, date_to) AS hi,
                       CASE WHEN kind IN ({period_kinds}) THEN 1
                            -- invoices and sheets (mapped files) come when they come:
                            -- the dates between them are no gap
                            WHEN starts_with(kind, 'mapped_') THEN NULL
                            WHEN kind IN ({snapshot_kinds}) THEN NULL
                            ELSE {ROW_DATED_TOLERANCE_DAYS} END AS tolerance
                FROM sources WHERE superseded_by IS NULL
            ),
            ordered AS (
                SELECT *, max(hi) OVER (PARTITION BY store_id, kind ORDER BY lo, source_id
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                          AS covered
                FROM live
            ),
            unmapped AS (
                SELECT source_id, count(*) AS n FROM ledger WHERE category = 'unmapped'
                GROUP BY ALL
            )
            SELECT o.store_id, o.kind, any_value(o.platform) AS platform,
                   count(*) AS files, sum(o.row_count)::BIGINT AS row_count,
                   min(o.lo) AS date_from, max(o.hi) AS date_to,
                   max(o.imported_at) AS last_import,
                   count(*) FILTER (WHERE o.reconciled) AS reconciled_files,
                   count(*) FILTER (WHERE o.reconciled IS NOT NULL) AS reconciling_files,
                   coalesce(sum(u.n), 0)::BIGINT AS unmapped_rows,
                   list(struct_pack(date_from := (o.covered + 1)::DATE,
                                    date_to := (o.lo - 1)::DATE) ORDER BY o.lo)
                       FILTER (WHERE o.lo > o.covered + o.tolerance) AS gaps
            FROM ordered o LEFT JOIN unmapped u USING (source_id)
            GROUP BY o.store_id, o.kind
            ORDER BY o.store_id NULLS FIRST, o.kind"""
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["gaps"] = [(g["date_from"], g["date_to"]) for g in row["gaps"] or []]
    return rows


def old_estimates(db: Database, days: int = 30) -> list[tuple[str, int, date | None]]:
    """(store, order items, oldest date) estimated more than `days` before the store's
    latest settled date and still not settled: a settlement is probably missing."""
    return db.con.execute(
        """WITH settled AS (
               SELECT store_id, max(business_date) AS last_day FROM ledger
               WHERE basis = 'settled' GROUP BY ALL),
           items AS (
               SELECT DISTINCT store_id, order_id, sku FROM ledger
               WHERE basis = 'settled' AND event = 'order' AND order_id IS NOT NULL)
           SELECT e.store_id, count(DISTINCT (e.order_id, e.sku))::BIGINT,
                  min(e.business_date)
           FROM ledger e JOIN settled s USING (store_id)
           WHERE e.basis = 'estimated' AND e.business_date < s.last_day - ?::INTEGER
             AND NOT EXISTS (SELECT 1 FROM items i WHERE i.store_id = e.store_id
                             AND i.order_id = e.order_id AND i.sku IS NOT DISTINCT FROM e.sku)
           GROUP BY ALL ORDER BY 1""",
        [days],
    ).fetchall()


def last_settled_day(db: Database) -> dict[str, date]:
    """Each store's newest settled platform money (a freight invoice or overhead sheet
    imported yesterday says nothing about whether the platform's reports still come)."""
    rows = db.con.execute(
        """SELECT l.store_id, max(l.business_date) FROM ledger l JOIN sources s USING (source_id)
           WHERE l.basis = 'settled' AND NOT starts_with(s.kind, 'mapped_') GROUP BY ALL"""
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def has_facts(db: Database, table: str, store_id: str) -> bool:
    row = db.con.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE store_id = ?)", [store_id])
    found = row.fetchone()
    return bool(found and found[0])


def source_ends(db: Database) -> dict[str, dict[str, date | None]]:
    """Store → kind of its live (not replaced) files → the last day they cover."""
    rows = db.con.execute(
        "SELECT store_id, kind, max(coalesce(period_end::DATE, date_to)) FROM sources "
        "WHERE superseded_by IS NULL AND store_id IS NOT NULL GROUP BY ALL"
    ).fetchall()
    found: dict[str, dict[str, date | None]] = {}
    for store, kind, last in rows:
        found.setdefault(store, {})[kind] = last
    return found


def has_measure_rows(db: Database, store_id: str, measures: Sequence[str]) -> bool:
    """Whether the KPI measure table has rows of any of `measures` (its columns) for
    the store: money a source would give that came anyway (ad charges in settlements)."""
    columns = {
        c[0]
        for c in db.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
            [MEASURES],
        ).fetchall()
    }
    wanted = [m for m in measures if m in columns]
    if not wanted:
        return False
    present = " OR ".join(f'"{m}" IS NOT NULL AND "{m}" <> 0' for m in wanted)
    found = db.con.execute(
        f"SELECT EXISTS (SELECT 1 FROM {MEASURES} WHERE store_id = ? AND ({present}))",
        [store_id],
    ).fetchone()
    return bool(found and found[0])
