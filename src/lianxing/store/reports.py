"""Read side of the store: profit, sources, unmapped codes, missing costs and rates.

Profit is one SQL statement over the ledger: profit-and-loss rows by report column,
COGS from the unit cost in force on each sale's business date, every amount converted
to the reporting currency by the rate in force on its business date. Ratios (margin)
are computed from the sums, never summed themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lianxing.store.database import Database

GROUPINGS = {
    "sku": "sku",
    "store": "store_id",
    "day": "strftime(business_date, '%Y-%m-%d')",
    "week": "strftime(date_trunc('week', business_date), '%Y-%m-%d')",
    "month": "strftime(business_date, '%Y-%m')",
    "category": "category",
}


@dataclass(frozen=True)
class LedgerFilter:
    date_from: date | None = None
    date_to: date | None = None
    store_id: str | None = None
    basis: str = "all"  # all | settled | estimated

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"basis must be one of {BASES}")

    def sql(self, alias: str = "l") -> tuple[str, list[Any]]:
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.date_from:
            clauses.append(f"{alias}.business_date >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"{alias}.business_date <= ?")
            params.append(self.date_to)
        if self.store_id:
            clauses.append(f"{alias}.store_id = ?")
            params.append(self.store_id)
        return " AND ".join(clauses), params


def _values(rows: Sequence[tuple[str | None, ...]]) -> str:
    def lit(v: str | None) -> str:
        return "NULL" if v is None else "'" + v.replace("'", "''") + "'"

    return ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)


# Account-level charges another report splits across SKUs: (category, SQL giving
# store_id, period (first day of the month the charge posts in), sku, weight).
ALLOCATION_POOLS = {
    # Sponsored Products spend by advertised SKU, in the month it was spent.
    "advertising.amazon": """SELECT store_id, date_trunc('month', day)::DATE AS period, sku,
                                    sum(spend) AS weight
                             FROM ad_spend GROUP BY ALL""",
    # The storage fee of month M is charged in month M + 1; the report names ASIN/FNSKU.
    "storage.monthly": """SELECT f.store_id, (f.month + INTERVAL 1 MONTH)::DATE AS period,
                                 coalesce(byf.sku, bya.sku) AS sku, sum(f.fee) AS weight
                          FROM storage_fees f
                          LEFT JOIN (SELECT store_id, fnsku, min(sku) AS sku FROM sku_aliases
                                     WHERE fnsku IS NOT NULL GROUP BY ALL
                                     HAVING count(DISTINCT sku) = 1) byf
                            ON byf.store_id = f.store_id AND byf.fnsku = f.fnsku
                          LEFT JOIN (SELECT store_id, asin, min(sku) AS sku FROM sku_aliases
                                     WHERE asin IS NOT NULL GROUP BY ALL
                                     HAVING count(DISTINCT sku) = 1) bya
                            ON bya.store_id = f.store_id AND bya.asin = f.asin
                          GROUP BY ALL""",
    # The long-term storage fee (aged inventory surcharge) assessed on a snapshot day,
    # charged in the same month; the report names the SKU.
    "storage.aged_surcharge": """SELECT store_id, date_trunc('month', snapshot)::DATE AS period,
                                        sku, sum(fee) AS weight
                                 FROM long_term_storage_fees GROUP BY ALL""",
}
# Fee categories estimated for unsettled order items from their SKU's latest settlement.
ESTIMATED_FEE_PREFIXES = ("platform_fees.", "fulfillment.")
BASES = ("all", "settled", "estimated")


def _counts(alias: str, basis: str, estimates: bool = True) -> str:
    """SQL: ledger row `alias` counts under `basis` — an estimated row stops counting
    once a settled order row of the same store, order and SKU exists. Without any
    estimated rows (`estimates` false) every row counts: the check is left out, as it
    costs a pass over the ledger."""
    if not estimates:
        return "TRUE" if basis in ("all", "settled") else "FALSE"
    live = f"""({alias}.basis = 'settled' OR NOT EXISTS (
        SELECT 1 FROM ledger s WHERE s.basis = 'settled' AND s.event = 'order'
           AND s.store_id = {alias}.store_id AND s.order_id = {alias}.order_id
           AND s.sku IS NOT DISTINCT FROM {alias}.sku))"""
    if basis == "all":
        return live
    return f"{live} AND {alias}.basis = '{basis}'"


def _pool_rule() -> str:
    """Rows a report may split: Amazon's account-level ad and storage charges (Walmart's
    WFS storage, say, has no report to split it and is no gap)."""
    pools = ", ".join(f"'{c}'" for c in ALLOCATION_POOLS)
    return f"""sku IS NULL AND basis = 'settled' AND category IN ({pools})
               AND source_id IN (SELECT source_id FROM sources WHERE platform = 'amazon')"""


@dataclass(frozen=True)
class Features:
    """Which parts of the money query this database needs (skipped when empty)."""

    estimates: bool
    allocation: bool
    returns: bool = False
    lots: bool = False  # landed lots from inbound batches (COGS by FIFO or average)
    schedule_fees: bool = False  # fee estimates from the fee schedules
    cost_method: str = "fifo"  # fifo | average, for SKUs with lots


def features(db: Database) -> Features:
    """What the data needs. The cost method is the one the landed lots were last derived
    for (`lianxing.costing` records the workspace's `cost_method` with them)."""
    row = db.con.execute(
        """SELECT EXISTS (SELECT 1 FROM ledger WHERE basis = 'estimated'),
                  EXISTS (SELECT 1 FROM ad_spend) OR EXISTS (SELECT 1 FROM storage_fees)
                  OR EXISTS (SELECT 1 FROM long_term_storage_fees),
                  EXISTS (SELECT 1 FROM returns),
                  EXISTS (SELECT 1 FROM landed_lots),
                  EXISTS (SELECT 1 FROM fee_estimates),
                  (SELECT fingerprint FROM measure_cache WHERE name = 'cost_method')"""
    ).fetchone()
    assert row is not None
    method = "average" if row[5] == "average" else "fifo"
    return Features(bool(row[0]), bool(row[1]), bool(row[2]), bool(row[3]), bool(row[4]), method)


_LINE = """source_id, line, cell, store_id, business_date, sku, category, event, quantity,
           order_id, amount, currency, basis"""


def _cogs_money(feats: Features) -> str:
    """COGS lines as money rows; with returns some are `returns.unsellable`."""
    if feats.returns:
        return """SELECT c.*, 'pnl' AS kind, coalesce(cats.col, 'cogs') AS col
        FROM cogs_lines c LEFT JOIN cats USING (category)"""
    return "SELECT c.*, 'pnl' AS kind, 'cogs' AS col FROM cogs_lines c"


def money_lines_sql(
    categories: Sequence[tuple[str, str, str | None]],
    where: str,
    feats: Features = Features(False, False),
    basis: str = "all",
    cogs: bool = True,
) -> str:
    """Ledger rows as they count, plus COGS lines (unless `cogs` is false: a query that
    needs no COGS skips the join), each with kind, column and currency.

    Three rules make each dollar count once (docs/counting.md):
    - an estimated row (order report) stops counting once a settled order row of the
      same store, order and SKU exists, whatever order the files came in;
    - an unsettled item's fees are estimated from its SKU's latest settled item;
    - an account-level ad or storage charge is split across SKUs by the ads or storage
      report's cost share in its month; what no report covers stays on no SKU.
    """
    parts = [
        f"""
    cats(category, kind, col) AS (VALUES {_values(categories)}),
    raw AS (SELECT {_LINE} FROM ledger l WHERE {where})"""
    ]
    if feats.estimates:
        fee_filter = " OR ".join(f"starts_with(l.category, '{p}')" for p in ESTIMATED_FEE_PREFIXES)
        parts.append(f"""
    settled_items AS (
        SELECT DISTINCT store_id, order_id, sku FROM ledger
        WHERE basis = 'settled' AND event = 'order' AND order_id IS NOT NULL
    ),
    live AS (
        SELECT r.* FROM raw r
        WHERE r.basis = 'settled' OR NOT EXISTS (
            SELECT 1 FROM settled_items s WHERE s.store_id = r.store_id
               AND s.order_id = r.order_id AND s.sku IS NOT DISTINCT FROM r.sku)
    ),
    last_item AS (
        SELECT store_id, sku, max(struct_pack(t := posted_at, o := order_id)) AS item
        FROM ledger WHERE basis = 'settled' AND event = 'order' AND quantity > 0
              AND sku IS NOT NULL AND order_id IS NOT NULL
        GROUP BY ALL
    ),
    -- Fees and units of that whole order for the SKU (split shipments, two items).
    last_lines AS (
        SELECT l.* FROM ledger l JOIN last_item li
          ON li.store_id = l.store_id AND li.sku = l.sku AND li.item.o = l.order_id
        WHERE l.basis = 'settled' AND l.event = 'order'
    ),
    last_units AS (
        SELECT store_id, sku, sum(quantity) AS units FROM last_lines
        WHERE quantity > 0 GROUP BY ALL
    ),
    unit_fees AS (
        SELECT l.store_id, l.sku, l.category, l.currency, sum(l.amount) AS amount,
               any_value(u.units) AS units
        FROM last_lines l JOIN last_units u USING (store_id, sku)
        WHERE ({fee_filter})
        GROUP BY l.store_id, l.sku, l.category, l.currency
    ),
    est_fees AS (
        SELECT e.source_id, e.line, e.cell, e.store_id, e.business_date, e.sku, f.category,
               'order' AS event, NULL::INTEGER AS quantity, e.order_id,
               lx_prorate(f.amount, e.quantity, f.units) AS amount, f.currency,
               'estimated' AS basis
        FROM live e JOIN unit_fees f ON f.store_id = e.store_id AND f.sku = e.sku
        WHERE e.basis = 'estimated' AND e.quantity > 0{_not_scheduled(feats)}
    ){_schedule_fees_sql(feats)}""")
        counted = "SELECT * FROM live UNION ALL SELECT * FROM est_fees"
        if feats.schedule_fees:
            counted += " UNION ALL SELECT * FROM sched_fees"
    else:
        counted = "SELECT * FROM raw"
    parts.append(f"""
    counted AS ({counted})""")
    if feats.allocation:
        weights = " UNION ALL ".join(
            f"SELECT '{c}' AS category, * FROM ({sql})" for c, sql in ALLOCATION_POOLS.items()
        )
        parts.append(f"""
    pool AS (SELECT * FROM counted WHERE {_pool_rule()}),
    weights AS (
        SELECT category, store_id, period, sku, (sum(weight) * 10000)::HUGEINT AS w
        FROM ({weights}) GROUP BY ALL HAVING sum(weight) > 0
    ),
    totals AS (
        SELECT category, store_id, period, sum(w) AS total,
               coalesce(sum(w) FILTER (WHERE sku IS NOT NULL), 0) AS on_skus
        FROM weights GROUP BY ALL
    ),
    shares AS (
        SELECT p.source_id, p.line, p.cell, p.store_id, p.business_date, w.sku, p.category,
               p.event, p.quantity, p.order_id, lx_prorate(p.amount, w.w, t.total) AS amount,
               p.currency, p.basis, lx_prorate(p.amount, t.on_skus, t.total) AS target,
               row_number() OVER (PARTITION BY p.source_id, p.line, p.cell
                                  ORDER BY w.w DESC, w.sku) AS rank
        FROM pool p
        JOIN totals t ON t.store_id = p.store_id AND t.category = p.category
                     AND t.period = date_trunc('month', p.business_date)
        JOIN weights w ON w.store_id = t.store_id AND w.category = t.category
                      AND w.period = t.period
        WHERE w.sku IS NOT NULL
    ),
    -- The SKU with the largest share takes the rounding, so the shares add up to the
    -- part of the charge the report puts on SKUs exactly.
    alloc AS (
        SELECT source_id, line, cell, store_id, business_date, sku, category, event, quantity,
               order_id,
               amount + CASE WHEN rank = 1
                             THEN target - sum(amount) OVER (PARTITION BY source_id, line, cell)
                             ELSE 0 END AS amount,
               currency, basis
        FROM shares
    ),
    remainder AS (
        SELECT p.source_id, p.line, p.cell, p.store_id, p.business_date, p.sku, p.category,
               p.event, p.quantity, p.order_id, p.amount - coalesce(a.allocated, 0) AS amount,
               p.currency, p.basis
        FROM pool p LEFT JOIN (SELECT source_id, line, cell, sum(amount) AS allocated
                               FROM alloc GROUP BY ALL) a USING (source_id, line, cell)
    ),
    split AS (
        SELECT * FROM counted WHERE NOT ({_pool_rule()})
        UNION ALL SELECT * FROM alloc
        UNION ALL SELECT * FROM remainder WHERE amount <> 0
    )""")
        last = "split"
    else:
        last = "counted"
    basis_filter = "TRUE" if basis == "all" else f"basis = '{basis}'"
    parts.append(f"""
    base AS (SELECT * FROM {last} WHERE {basis_filter}),
    -- Units are summed per store, SKU and day before the cost lookup: the same exact
    -- amount, with one join per day instead of one per order row.
    day_units AS (
        SELECT store_id, business_date, sku, basis, sum(quantity) AS units
        FROM base WHERE event = 'order' AND quantity IS NOT NULL AND sku IS NOT NULL
        GROUP BY ALL
    ),{lot_costs_sql(feats) if feats.lots else ""}
    cogs_lines AS (
        SELECT b.store_id, b.business_date, b.sku, 'cogs' AS category, 'cogs_line' AS event,
               NULL::INTEGER AS quantity, NULL::VARCHAR AS order_id,
               (-(b.units * (c.unit_cost + c.freight + c.duty)))::DECIMAL(18, 4) AS amount,
               c.currency, b.basis
        FROM {"listed_units" if feats.lots else "day_units"} b
        ASOF JOIN {"unit_costs" if feats.lots else "cogs"} c
          ON c.sku = b.sku AND b.business_date >= c.effective_from
        {"UNION ALL SELECT * FROM lot_lines" if feats.lots else ""}
        {_return_lines_sql(where, feats) if feats.returns and basis != "estimated" else ""}
    ),
    money AS (
        SELECT b.store_id, b.business_date, b.sku, b.category, b.event, b.quantity,
               b.order_id, b.amount, b.currency, b.basis,
               coalesce(cats.kind, 'pnl') AS kind, coalesce(cats.col, 'unmapped') AS col
        FROM base b LEFT JOIN cats USING (category)
        {"UNION ALL " + _cogs_money(feats) if cogs else ""}
    )""")
    return ",".join(parts)


def _not_scheduled(feats: Features) -> str:
    """SQL: an estimated item the fee schedules priced is not priced again from its
    SKU's last settlement (that stays the fallback for SKUs with no spec)."""
    if not feats.schedule_fees:
        return ""
    return """
          AND NOT EXISTS (SELECT 1 FROM fee_estimates x WHERE x.store_id = e.store_id
                          AND x.order_id = e.order_id AND x.sku = e.sku)"""


def _schedule_fees_sql(feats: Features) -> str:
    """Fees the schedules expect for each unsettled item, as ledger-shaped rows placed
    on the item's first estimated row (its file, line and day)."""
    if not feats.schedule_fees:
        return ""
    return """,
    sched_items AS (
        SELECT store_id, order_id, sku,
               arg_min(struct_pack(s := source_id, l := line, c := cell, d := business_date),
                       (business_date, source_id, line, cell)) AS at
        FROM live WHERE basis = 'estimated' AND quantity > 0 AND order_id IS NOT NULL
        GROUP BY ALL
    ),
    sched_fees AS (
        SELECT i.at.s AS source_id, i.at.l AS line, i.at.c AS cell, f.store_id,
               i.at.d AS business_date, f.sku, f.category, 'order' AS event,
               NULL::INTEGER AS quantity, f.order_id, f.amount, f.currency,
               'estimated' AS basis
        FROM fee_estimates f JOIN sched_items i USING (store_id, order_id, sku)
    )"""


def lot_costs_sql(feats: Features) -> str:
    """COGS of SKUs with landed lots (inbound batches), from the first lot's arrival on.

    FIFO: the units sold of a SKU, in order of day (then store and basis), are laid end
    to end and matched against the lots laid end to end in order of arrival; each sold
    range pays the unit cost of the lots it overlaps. Units sold beyond every lot pay the
    last lot's cost. Average: each day's units pay the units-weighted average cost of
    every lot arrived by that day. Sales before a SKU's first lot keep the cost list
    (`cogs`), as do SKUs without lots.

    CTEs for the rest of the query: `listed_units` (day rows costed from the list),
    `lot_lines` (COGS lines of the others), `unit_costs` (the list up to each SKU's
    first lot, then each lot's cost, or the running average, from its arrival) and
    `sale_days` (the day each order item of a lot SKU sold), which value returns."""
    if feats.cost_method == "average":
        lot_rows = """
    lot_average AS (
        SELECT sku, arrived_on,
               (sum(units * unit_cost) OVER w / sum(units) OVER w)::DECIMAL(18, 4) AS unit_cost,
               currency
        FROM (SELECT sku, arrived_on, sum(units) AS units,
                     (sum(units * unit_cost) / sum(units)) AS unit_cost,
                     any_value(currency) AS currency
              FROM landed_lots GROUP BY sku, arrived_on)
        WINDOW w AS (PARTITION BY sku ORDER BY arrived_on)
    ),"""
        lot_costs = "SELECT sku, arrived_on, unit_cost, currency FROM lot_average"
    else:
        lot_rows = ""
        lot_costs = """SELECT sku, arrived_on, arg_max(unit_cost, batch_id) AS unit_cost,
                      any_value(currency) AS currency
               FROM landed_lots GROUP BY sku, arrived_on"""
    common = f"""
    first_lot AS (SELECT sku, min(arrived_on) AS first_day FROM landed_lots GROUP BY sku),
    listed_units AS (
        SELECT b.* FROM day_units b LEFT JOIN first_lot f ON f.sku = b.sku
        WHERE f.first_day IS NULL OR b.business_date < f.first_day
    ),
    lot_units AS (
        SELECT b.* FROM day_units b JOIN first_lot f ON f.sku = b.sku
        WHERE b.business_date >= f.first_day
    ),{lot_rows}
    unit_costs AS (
        SELECT c.sku, c.effective_from, c.unit_cost, c.freight, c.duty, c.currency
        FROM cogs c LEFT JOIN first_lot f ON f.sku = c.sku
        WHERE f.first_day IS NULL OR c.effective_from < f.first_day
        UNION ALL
        SELECT sku, arrived_on AS effective_from, unit_cost, 0::DECIMAL(18, 4) AS freight,
               0::DECIMAL(18, 4) AS duty, currency
        FROM ({lot_costs})
    ),
    sale_days AS (
        SELECT store_id, order_id, sku, min(business_date) AS day
        FROM ledger WHERE event = 'order' AND quantity > 0 AND order_id IS NOT NULL
          AND sku IN (SELECT sku FROM first_lot)
        GROUP BY ALL
    ),"""
    if feats.cost_method == "average":
        return (
            common
            + """
    lot_lines AS (
        SELECT b.store_id, b.business_date, b.sku, 'cogs' AS category, 'cogs_line' AS event,
               NULL::INTEGER AS quantity, NULL::VARCHAR AS order_id,
               (-(b.units * a.unit_cost))::DECIMAL(18, 4) AS amount, a.currency, b.basis
        FROM lot_units b ASOF JOIN lot_average a
          ON a.sku = b.sku AND b.business_date >= a.arrived_on
    ),"""
        )
    # The ranges are laid over every counted sale of the SKU, not only the ones the
    # report's filter keeps: a report from March must not start FIFO over in March.
    return (
        common
        + f"""
    all_lot_units AS (
        SELECT l.store_id, l.business_date, l.sku, l.basis, sum(l.quantity) AS units
        FROM ledger l JOIN first_lot f ON f.sku = l.sku AND l.business_date >= f.first_day
        WHERE l.event = 'order' AND l.quantity IS NOT NULL
          AND {_counts("l", "all", feats.estimates)}
        GROUP BY ALL
    ),
    sold_ranges AS (
        SELECT *, sum(units) OVER (PARTITION BY sku ORDER BY business_date, store_id, basis
                                   ROWS UNBOUNDED PRECEDING) AS hi
        FROM all_lot_units
    ),
    lot_ranges AS (
        SELECT sku, unit_cost, currency,
               sum(units) OVER w - units AS lo,
               CASE WHEN row_number() OVER w = count(*) OVER (PARTITION BY sku)
                    THEN 9223372036854775807 ELSE sum(units) OVER w END AS hi
        FROM landed_lots
        WINDOW w AS (PARTITION BY sku ORDER BY arrived_on, batch_id
                     ROWS UNBOUNDED PRECEDING)
    ),
    fifo_days AS (
        SELECT s.store_id, s.business_date, s.sku, s.basis, any_value(l.currency) AS currency,
               any_value(s.units) AS units,
               sum((least(s.hi, l.hi) - greatest(s.hi - s.units, l.lo)) * l.unit_cost) AS cost
        FROM sold_ranges s JOIN lot_ranges l
          ON l.sku = s.sku AND l.lo < s.hi AND l.hi > s.hi - s.units
        GROUP BY s.store_id, s.business_date, s.sku, s.basis
    ),
    lot_lines AS (
        SELECT b.store_id, b.business_date, b.sku, 'cogs' AS category,
               'cogs_line' AS event, NULL::INTEGER AS quantity, NULL::VARCHAR AS order_id,
               (-f.cost)::DECIMAL(18, 4) AS amount, f.currency, b.basis
        FROM lot_units b JOIN fifo_days f USING (store_id, business_date, sku, basis)
    ),
    -- What a unit of an order cost on the day it sold (that day's FIFO cost per unit).
    sale_unit_cost AS (
        SELECT d.store_id, d.order_id, d.sku, sum(f.cost) / sum(f.units) AS unit_cost,
               any_value(f.currency) AS currency
        FROM sale_days d JOIN fifo_days f
          ON f.store_id = d.store_id AND f.sku = d.sku AND f.business_date = d.day
        GROUP BY ALL
    ),"""
    )


def _return_lines_sql(where: str, feats: Features = Features(False, False)) -> str:
    """COGS lines for customer returns (FBA returns report), on the return date.

    Every returned unit's cost comes back out of COGS (it is back in stock); a unit
    that cannot be sold again is then written off at the same cost as
    `returns.unsellable`, so the write-off is visible rather than hidden in COGS.
    A SKU with lots values a returned unit at what it cost when its order sold, so a
    return undoes exactly what its sale took: the day's FIFO cost per unit, or the cost
    in force on the sale day (the list before the first lot, the running average); a
    return whose sale Lianxing does not have, at the cost in force on the return day.
    """
    if not feats.lots:
        return f"""
        UNION ALL
        SELECT l.store_id, l.business_date, l.sku, x.category, 'cogs_line' AS event,
               NULL::INTEGER AS quantity, l.order_id,
               (x.sign * l.quantity * (c.unit_cost + c.freight + c.duty))::DECIMAL(18, 4),
               c.currency, 'settled' AS basis
        FROM (SELECT *, day AS business_date FROM returns) l
        ASOF JOIN cogs c ON c.sku = l.sku AND l.business_date >= c.effective_from
        JOIN (VALUES ('cogs', 1, FALSE), ('returns.unsellable', -1, TRUE))
             AS x(category, sign, unsellable_only)
          ON NOT x.unsellable_only OR NOT l.sellable
        WHERE {where} AND l.quantity > 0"""
    fifo = feats.cost_method == "fifo"
    cost = "(c.unit_cost + c.freight + c.duty)"
    currency = "c.currency"
    sold = ""
    if fifo:
        cost, currency = f"coalesce(sc.unit_cost, {cost})", "coalesce(sc.currency, c.currency)"
        sold = """
        LEFT JOIN sale_unit_cost sc ON sc.store_id = l.store_id
              AND sc.order_id = l.order_id AND sc.sku = l.sku"""
    return f"""
        UNION ALL
        SELECT l.store_id, l.business_date, l.sku, x.category, 'cogs_line' AS event,
               NULL::INTEGER AS quantity, l.order_id,
               (x.sign * l.quantity * {cost})::DECIMAL(18, 4),
               {currency}, 'settled' AS basis
        FROM (SELECT r.*, r.day AS business_date, coalesce(d.day, r.day) AS cost_day
              FROM returns r LEFT JOIN sale_days d
                ON d.store_id = r.store_id AND d.order_id = r.order_id
               AND d.sku = r.sku) l
        ASOF JOIN unit_costs c ON c.sku = l.sku AND l.cost_day >= c.effective_from{sold}
        JOIN (VALUES ('cogs', 1, FALSE), ('returns.unsellable', -1, TRUE))
             AS x(category, sign, unsellable_only)
          ON NOT x.unsellable_only OR NOT l.sellable
        WHERE {where} AND l.quantity > 0"""


def _converted_sql(convert: bool = True) -> str:
    """`money` converted to the reporting currency ($rc).

    When every amount is already in the reporting currency the rate join is left out:
    it is the most expensive part of the query, and 128-bit decimals with it.
    """
    if not convert:
        return """
    converted AS (
        SELECT m.*, m.amount AS amount_rc, m.currency <> $rc AS missing_rate FROM money m
    )"""
    return """
    rates AS (SELECT day, from_currency, rate FROM fx_rates WHERE to_currency = $rc),
    converted AS (
        SELECT m.*,
               CASE WHEN m.currency = $rc THEN m.amount::DECIMAL(38, 4)
                    ELSE m.amount::DECIMAL(38, 4) * r.rate END AS amount_rc,
               m.currency <> $rc AND r.rate IS NULL AS missing_rate
        FROM money m
        ASOF LEFT JOIN rates r ON r.from_currency = m.currency AND m.business_date >= r.day
    )"""


def named_filter(flt: LedgerFilter) -> tuple[str, dict[str, Any]]:
    """The filter's WHERE clause with named parameters ($p0, ...)."""
    return _with_named(*flt.sql())


def _with_named(where: str, params: list[Any]) -> tuple[str, dict[str, Any]]:
    """Turn ? placeholders into $p0.. so they mix with the named $rc."""
    named: dict[str, Any] = {}
    parts = where.split("?")
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += f"$p{i}" + part
        named[f"p{i}"] = params[i]
    return out, named


def missing_rates(
    db: Database,
    categories: Sequence[tuple[str, str, str | None]],
    currency: str,
    flt: LedgerFilter,
    convert: bool = True,
) -> list[tuple[str, date]]:
    """(currency, earliest business date) for amounts no rate can convert."""
    if not convert:
        return []
    where, params = _with_named(*flt.sql())
    sql = f"""WITH {money_lines_sql(categories, where, features(db), flt.basis)},
        {_converted_sql(convert)}
        SELECT currency, min(business_date) FROM converted WHERE missing_rate
        GROUP BY currency ORDER BY currency"""
    return db.con.execute(sql, {"rc": currency, **params}).fetchall()


def last_business_date(db: Database) -> date | None:
    row = db.con.execute("SELECT max(business_date) FROM ledger").fetchone()
    return row[0] if row else None


def first_business_date(db: Database) -> date | None:
    row = db.con.execute("SELECT min(business_date) FROM ledger").fetchone()
    return row[0] if row else None


def missing_fact_rates(db: Database, currency: str) -> list[tuple[str, date]]:
    """(currency, earliest day) of ad-report money no rate converts to `currency`."""
    return db.con.execute(
        """SELECT f.currency, min(f.day) FROM ad_spend f
           ASOF LEFT JOIN (SELECT day, from_currency, rate FROM fx_rates
                           WHERE to_currency = $rc) r
             ON r.from_currency = f.currency AND f.day >= r.day
           WHERE f.currency <> $rc AND r.rate IS NULL
           GROUP BY ALL ORDER BY 1""",
        {"rc": currency},
    ).fetchall()


def needs_conversion(db: Database, currency: str) -> bool:
    """Whether any money (ledger or unit costs) is in another currency than `currency`."""
    return bool(currencies(db) - {currency})


def currencies(db: Database) -> set[str]:
    """Every currency money is recorded in (ledger and unit costs)."""
    rows = db.con.execute(
        "SELECT currency FROM sources WHERE currency IS NOT NULL "
        "UNION SELECT DISTINCT currency FROM cogs UNION SELECT DISTINCT currency FROM landed_lots"
    ).fetchall()
    return {r[0] for r in rows}


def profit(
    db: Database,
    *,
    by: str,
    columns: Sequence[str],
    categories: Sequence[tuple[str, str, str | None]],
    currency: str,
    flt: LedgerFilter,
    convert: bool = True,
) -> list[dict[str, Any]]:
    """Profit rows grouped by `by` (sku, store, day, week, month)."""
    key = GROUPINGS[by]
    where, params = _with_named(*flt.sql())
    sums = ",\n".join(
        f"sum(amount_rc) FILTER (WHERE kind = 'pnl' AND col = '{c}') AS \"{c}\"" for c in columns
    )
    sql = f"""WITH {money_lines_sql(categories, where, features(db), flt.basis)},
        {_converted_sql(convert)}
        SELECT {key} AS key,
               coalesce(sum(quantity) FILTER (WHERE event = 'order'), 0) AS units,
               coalesce(sum(quantity) FILTER (WHERE event = 'refund'), 0) AS units_refunded,
               count(DISTINCT order_id) FILTER (WHERE event = 'order' AND quantity > 0) AS orders,
               {sums},
               sum(amount_rc) FILTER (WHERE kind = 'pnl' AND col = 'cogs') AS cogs,
               sum(amount_rc) FILTER (WHERE kind = 'pnl') AS net_profit,
               sum(amount_rc) FILTER (WHERE kind = 'pnl' AND basis = 'estimated') AS estimated
        FROM converted
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE kind = 'pnl') > 0 OR coalesce(sum(quantity), 0) <> 0
        ORDER BY key NULLS LAST"""
    cursor = db.con.execute(sql, {"rc": currency, **params})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def profit_by_category(
    db: Database,
    *,
    categories: Sequence[tuple[str, str, str | None]],
    currency: str,
    flt: LedgerFilter,
    convert: bool = True,
) -> list[dict[str, Any]]:
    """One row per category (all kinds), COGS as its own row."""
    where, params = _with_named(*flt.sql())
    sql = f"""WITH {money_lines_sql(categories, where, features(db), flt.basis)},
        {_converted_sql(convert)}
        SELECT category, kind, col AS column_id, count(*) AS rows,
               coalesce(sum(quantity) FILTER (WHERE event = 'order'), 0) AS units,
               sum(amount_rc) AS amount,
               sum(amount_rc) FILTER (WHERE basis = 'estimated') AS estimated
        FROM converted GROUP BY ALL ORDER BY kind DESC, category"""
    cursor = db.con.execute(sql, {"rc": currency, **params})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def skus_without_cost(db: Database, flt: LedgerFilter) -> list[tuple[str, int]]:
    """SKUs with units sold on a date no unit cost covers: (sku, units)."""
    where, params = flt.sql()
    return db.con.execute(
        f"""SELECT l.sku, sum(l.quantity)::BIGINT AS units
            FROM ledger l ASOF LEFT JOIN cogs c
              ON c.sku = l.sku AND l.business_date >= c.effective_from
            WHERE {where} AND l.event = 'order' AND l.quantity IS NOT NULL
              AND l.sku IS NOT NULL AND c.sku IS NULL
              AND NOT EXISTS (SELECT 1 FROM landed_lots x
                              WHERE x.sku = l.sku AND l.business_date >= x.arrived_on)
              AND {_counts("l", flt.basis, features(db).estimates)}
            GROUP BY l.sku ORDER BY units DESC, l.sku""",
        params,
    ).fetchall()


def ledger_rows(
    db: Database,
    flt: LedgerFilter,
    *,
    sku: str | None = None,
    category: str | None = None,
    order_id: str | None = None,
    settlement_id: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The ledger rows behind a figure, each with the file and line it came from."""
    where, params = flt.sql()
    if sku is not None:
        where += " AND l.sku = ?"
        params.append(sku)
    if category is not None:
        # `platform_fees` matches the whole branch, `platform_fees.referral` one leaf.
        where += " AND (l.category = ? OR starts_with(l.category, ? || '.'))"
        params.extend([category, category])
    if order_id is not None:
        where += " AND l.order_id = ?"
        params.append(order_id)
    if settlement_id is not None:
        where += " AND l.settlement_id = ?"
        params.append(settlement_id)
    params.append(limit)
    cursor = db.con.execute(
        f"""SELECT l.business_date, l.store_id, l.settlement_id, l.order_id, l.sku,
                   l.quantity, l.event, l.category, l.transaction_type, l.amount_type,
                   l.amount_description, l.amount, l.currency, l.basis, s.file_name, l.line
            FROM ledger l JOIN sources s USING (source_id)
            WHERE {where} AND {_counts("l", flt.basis, features(db).estimates)}
            ORDER BY l.business_date, l.source_id, l.line, l.cell
            LIMIT ?""",
        params,
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class UnmappedCode:
    transaction_type: str | None
    amount_type: str | None
    amount_description: str | None
    rows: int
    amount: Decimal
    currency: str
    file_name: str
    first_line: int


def unmapped_codes(db: Database, source_id: int | None = None) -> list[UnmappedCode]:
    params: list[Any] = []
    where = "l.category = 'unmapped'"
    if source_id is not None:
        where += " AND l.source_id = ?"
        params.append(source_id)
    rows = db.con.execute(
        f"""SELECT l.transaction_type, l.amount_type, l.amount_description, count(*),
                   sum(l.amount), l.currency, arg_min(s.file_name, l.source_id * 1e9 + l.line),
                   arg_min(l.line, l.source_id * 1e9 + l.line)
            FROM ledger l JOIN sources s USING (source_id)
            WHERE {where}
            GROUP BY ALL ORDER BY count(*) DESC""",
        params,
    ).fetchall()
    return [UnmappedCode(*r) for r in rows]


def stale_sources(db: Database, fingerprints: dict[str, str]) -> list[str]:
    """File names of sources mapped with other rules than today's `fingerprints`
    (per platform); sources of a platform with no code map are never stale."""
    if not fingerprints:
        return []
    pairs = ", ".join(
        "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in pair) + ")"
        for pair in fingerprints.items()
    )
    rows = db.con.execute(
        f"""SELECT s.file_name FROM sources s
            JOIN (VALUES {pairs}) AS f(platform, fingerprint) ON f.platform = s.platform
            WHERE s.superseded_by IS NULL AND s.mapping_fingerprint IS NOT NULL
              AND s.mapping_fingerprint <> f.fingerprint
            ORDER BY s.source_id"""
    ).fetchall()
    return [r[0] for r in rows]


def sources(db: Database) -> list[dict[str, Any]]:
    cursor = db.con.execute(
        """SELECT s.source_id, s.kind, s.store_id, s.file_name, s.settlement_id,
                  s.period_start, s.period_end, s.deposit_date, s.currency,
                  s.total_amount, s.rows_sum, s.difference, s.reconciled, s.row_count,
                  (SELECT count(*) FROM ledger l
                    WHERE l.source_id = s.source_id AND l.category = 'unmapped') AS unmapped_rows,
                  s.encoding, s.sha256, s.imported_at
           FROM sources s WHERE s.superseded_by IS NULL
           ORDER BY s.kind, s.period_start NULLS LAST, s.source_id"""
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def unallocated(db: Database, flt: LedgerFilter) -> list[tuple[str, str, Decimal, str]]:
    """(store, category, amount, currency) of split-able charges left on no SKU:
    Amazon's account-level ad and storage charges no report split across SKUs."""
    where, params = _with_named(*flt.sql())
    sql = f"""WITH {
        money_lines_sql([("unmapped", "pnl", "unmapped")], where, features(db), flt.basis)
    }
        SELECT store_id, category, sum(amount), currency FROM base
        WHERE {_pool_rule()}
        GROUP BY ALL HAVING sum(amount) <> 0 ORDER BY 1, 2"""
    return db.con.execute(sql, params).fetchall()
