"""The KPI measure table: the ledger's money rules applied once, kept per store, SKU,
day, currency and basis.

Every KPI over money (sales, fees, COGS, net profit, …) needs the same expensive work
first: estimates superseded by settlements, unsettled fees estimated, account-level ad
and storage charges split across SKUs, COGS and returns lines. That work is done once
into `kpi_measure_days` and reused by every KPI query, target check and bridge until
the data changes. The table stays in each amount's own currency and keeps the basis,
so conversion (by the rate of each day) and the basis and date filters apply at query
time — the same exact sums as doing it all per ledger row, because a day's rate is one
number for all of that day's amounts.

Whether the table is current is decided by a fingerprint of the build SQL (which holds
the category tree) and of every table it reads: the list of sources (each import,
replacement or removal changes it) and the row counts. A stale table is rebuilt in one
transaction before the query that needs it, so no KPI ever reads money the ledger no
longer has.

Orders are counted on the first day an order item (store, order, SKU) sold in the
counted rows, so they add up over days like every other measure.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime

from lianxing.store import reports
from lianxing.store.database import Database

TABLE = "kpi_measure_days"
# Tables the build reads; their row counts go into the fingerprint beside the sources.
INPUTS = ("ledger", "cogs", "ad_spend", "storage_fees", "sku_aliases", "returns",
          "estimate_versions", "landed_lots", "fee_estimates",
          "long_term_storage_fees")  # fmt: skip


def _money(condition: str, name: str) -> str:
    """A money sum of the table. A store's money of one SKU, day and currency fits 18
    digits with room to spare; the narrower type halves what every KPI query reads (an
    overflow would be an error, never a wrong number)."""
    return f'sum(amount) FILTER (WHERE {condition})::DECIMAL(18, 4) AS "{name}"'


def build_sql(
    db: Database, categories: Sequence[tuple[str, str, str | None]], columns: Sequence[str]
) -> str:
    """The SELECT that gives the table's rows (all dates, every store, both bases).

    Parts the data has no use for (no estimates, nothing to split, no returns) are left
    out, as the profit report does; the fingerprint covers the data, so a table built
    without a part is rebuilt when the data comes to need it."""
    money = reports.money_lines_sql(categories, "TRUE", reports.features(db), "all", cogs=True)
    sums = [
        "coalesce(sum(quantity) FILTER (WHERE event = 'order'), 0)::BIGINT AS units",
        "coalesce(sum(quantity) FILTER (WHERE event = 'refund'), 0)::BIGINT AS units_refunded",
        "NULL::BIGINT AS orders",
        _money("kind = 'pnl' AND col = 'cogs'", "cogs"),
        _money("kind = 'pnl'", "net_profit"),
        _money("category = 'platform_fees.referral'", "referral_fees"),
    ]
    for column in columns:
        quoted = column.replace("'", "''")
        sums.append(_money(f"kind = 'pnl' AND col = '{quoted}'", column))
    listed = ",\n           ".join(sums)
    return f"""WITH {money},
    sums AS (
        SELECT store_id, sku, business_date, currency, basis,
               {listed}
        FROM money GROUP BY store_id, sku, business_date, currency, basis
    ),
    order_items AS (
        -- Each order item once, on the first day it sold: orders add up over days.
        SELECT store_id, sku, order_id, min(business_date) AS business_date,
               arg_min(currency, business_date) AS currency,
               arg_min(basis, business_date) AS basis
        FROM money WHERE event = 'order' AND quantity > 0 AND order_id IS NOT NULL
        GROUP BY store_id, sku, order_id
    ),
    order_days AS (
        SELECT store_id, sku, business_date, currency, basis, count(*)::BIGINT AS orders
        FROM order_items GROUP BY ALL
    )
    -- An order item's first day is one of its rows' days: its group is in `sums`.
    SELECT s.* EXCLUDE (orders), coalesce(o.orders, 0)::BIGINT AS orders
    FROM sums s LEFT JOIN order_days o
      ON o.store_id = s.store_id AND o.sku IS NOT DISTINCT FROM s.sku
     AND o.business_date = s.business_date AND o.currency = s.currency
     AND o.basis = s.basis"""


def _state(db: Database) -> str:
    """Every input's state in one string: the sources (ids, replacements, content
    hashes, mapping rules, import times) and each input table's row count."""
    counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in INPUTS)
    row = db.con.execute(
        f"""SELECT (SELECT coalesce(string_agg(concat_ws('|', source_id, superseded_by, sha256,
                                                         mapping_fingerprint, imported_at,
                                                         row_count), ','
                                               ORDER BY source_id), '')
                    FROM sources), {counts},
                  -- What the landed lots and fee estimates were derived from (schedules,
                  -- specs, batches): new figures must reach every KPI.
                  (SELECT string_agg(fingerprint, ',' ORDER BY name) FROM measure_cache
                   WHERE name IN ('costing', 'cost_method'))"""
    ).fetchone()
    assert row is not None
    return "/".join(str(v) for v in row)


def fingerprint(db: Database, sql: str) -> str:
    return hashlib.sha256(f"{sql}\n{_state(db)}".encode()).hexdigest()


def ensure(
    db: Database, categories: Sequence[tuple[str, str, str | None]], columns: Sequence[str]
) -> bool:
    """Bring the measure table up to date; True when it had to be (re)built."""
    sql = build_sql(db, categories, columns)
    wanted = fingerprint(db, sql)
    row = db.con.execute("SELECT fingerprint FROM measure_cache WHERE name = ?", [TABLE]).fetchone()
    if row is not None and row[0] == wanted and _exists(db):
        return False
    started = time.perf_counter()
    with db.transaction() as con:
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS {sql}")
        count = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
        con.execute(
            "INSERT OR REPLACE INTO measure_cache VALUES (?, ?, ?, ?, ?)",
            [TABLE, wanted, datetime.now(UTC), count[0] if count else 0,
             time.perf_counter() - started],
        )  # fmt: skip
    return True


def _exists(db: Database) -> bool:
    row = db.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [TABLE]
    ).fetchone()
    return bool(row and row[0])


def missing_rates(
    db: Database, source: str, currency: str, flt: reports.LedgerFilter
) -> list[tuple[str, date]]:
    """(currency, earliest business date) of money in the measure rows `flt` selects
    that no rate converts to `currency` (every row counts: pass-through too, as in the
    profit report)."""
    where, params = flt.sql("m")
    if flt.basis != "all":
        where += " AND m.basis = ?"
        params.append(flt.basis)
    return db.con.execute(
        # Each (currency, day) once: the rate lookup is then a few hundred rows, not
        # one per row of the table.
        f"""SELECT k.currency, min(k.business_date)
            FROM (SELECT DISTINCT m.currency, m.business_date FROM {source} m
                  WHERE {where} AND m.currency <> ?) k
            ASOF LEFT JOIN (SELECT day, from_currency, rate FROM fx_rates
                            WHERE to_currency = ?) r
              ON r.from_currency = k.currency AND k.business_date >= r.day
            WHERE r.rate IS NULL
            GROUP BY ALL ORDER BY 1""",
        [*params, currency, currency],
    ).fetchall()


def date_span(db: Database, source: str) -> tuple[date | None, date | None]:
    """The first and last business day the measure rows have."""
    row = db.con.execute(f"SELECT min(business_date), max(business_date) FROM {source}").fetchone()
    return (row[0], row[1]) if row else (None, None)


def status(db: Database) -> dict[str, object] | None:
    """When the table was last built, how many rows, how long it took."""
    cursor = db.con.execute(
        "SELECT built_at, row_count, seconds FROM measure_cache WHERE name = ?", [TABLE]
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return {"built_at": row[0], "rows": row[1], "seconds": row[2]}
