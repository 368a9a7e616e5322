"""KPIs compiled to SQL: one query over the day-level measures, grouped as asked.

Measures are additive per store, SKU and day (`kpi_days`): money from the ledger as
the profit report counts it (estimates superseded, charges split, COGS and returns
lines, converted to the reporting currency), ad facts, returns and traffic. A KPI
compiles to an expression over the sums of measures in the group, so a ratio is always
the ratio of the sums at the grain shown — never an average of ratios — and `lx_ratio`
keeps it an exact decimal (NULL, never 0 or infinity, when the denominator is 0).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from lianxing.store import reports
from lianxing.store.database import Database

# Measures the money ledger gives (besides one per report column).
LEDGER_MEASURES = ("units", "units_refunded", "orders", "cogs", "net_profit", "referral_fees")
FACT_MEASURES = (
    "ad_report_spend",
    "ad_sales",
    "ad_clicks",
    "ad_impressions",
    "ad_orders",
    "ad_units",
    "returned_units",
    "unsellable_units",
    "sessions",
    "page_views",
    "units_ordered",
)
# Period labels from a date column {d}. Measures are grouped by period straight away
# (they are additive): no day-level table in between.
PERIODS = {
    "day": "strftime({d}, '%Y-%m-%d')",
    "week": "strftime(date_trunc('week', {d}), '%Y-%m-%d')",
    "month": "strftime({d}, '%Y-%m')",
    "quarter": "strftime({d}, '%Y') || '-Q' || quarter({d})",
    "year": "strftime({d}, '%Y')",
    "total": "'total'",
}
GROUPS = {
    "store": "d.store_id",
    "platform": "p.platform",
    "sku": "d.sku",
    # From the workspace's products.csv (loaded by `load_products`); a SKU not in it
    # groups under none (null).
    "parent": "pr.parent",
    "category": "pr.category",
    "owner": "pr.owner",
    "tag": "tg.tag",  # a SKU with two tags counts under both
    "total": None,
}
PRODUCT_GROUPS = ("parent", "category", "owner", "tag")


def load_products(
    db: Database, products: Sequence[tuple[str, Any, Any, Any, tuple[str, ...]]]
) -> None:
    """The products file as the temporary tables the KPI query joins: (sku, parent,
    category, owner, tags)."""
    con = db.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lx_products "
        "(sku VARCHAR, parent VARCHAR, category VARCHAR, owner VARCHAR)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE lx_product_tags (sku VARCHAR, tag VARCHAR)")
    db.insert_many("INSERT INTO lx_products {rows}", [row[:4] for row in products])
    db.insert_many(
        "INSERT INTO lx_product_tags {rows}",
        [(row[0], tag) for row in products for tag in row[4]],
    )


def measure_names(columns: Sequence[str]) -> set[str]:
    return {*LEDGER_MEASURES, *columns, *FACT_MEASURES, *SNAPSHOT_MEASURES}


# Measures that change when an ad or storage charge is split across SKUs, or that
# include COGS lines: a query using none of them skips that work.
SPLIT_MEASURES = {"advertising", "storage", "net_profit"}
COGS_MEASURES = {"cogs", "returns", "net_profit"}
AD_MEASURES = {"ad_report_spend", "ad_sales", "ad_clicks", "ad_impressions", "ad_orders",
               "ad_units"}  # fmt: skip
RETURN_MEASURES = {"returned_units", "unsellable_units"}
TRAFFIC_MEASURES = {"sessions", "page_views", "units_ordered"}
# Snapshot measures: each SKU's value on its last inventory snapshot in the period (not
# a sum over time), summed over the SKUs of a group.
SNAPSHOT_MEASURES = {"available_units", "units_shipped_t30", "aged_units_181_plus",
                     "inventory_age_units"}  # fmt: skip
COUNT_MEASURES = {"units", "units_refunded", "orders", "ad_clicks", "ad_impressions",
                  "ad_orders", "ad_units", "returned_units", "unsellable_units", "sessions",
                  "page_views", "units_ordered", *SNAPSHOT_MEASURES}  # fmt: skip
# Each KPI is rounded by its unit in the query itself: money to the cent, ratios to 4
# places (as fractions), counts are whole.
ROUNDING = {"money": 2, "money_per_unit": 2, "percent": 4, "ratio": 4, "days": 1}


class Compiler:
    """Turns KPI definitions into SQL expressions over `sum(measure)`."""

    def __init__(self, kpis: Mapping[str, Any], measures: set[str]):
        self.kpis = kpis
        self.measures = measures

    def rounded(self, name: str) -> str:
        """The KPI's expression, rounded by its unit."""
        kpi = self.kpis.get(name)
        places = ROUNDING.get(kpi.unit) if kpi is not None else None
        expression = self.expression(name)
        return f"round({expression}, {places})" if places is not None else expression

    def measures_used(self, names: Sequence[str]) -> set[str]:
        """Every measure the KPIs `names` are computed from, through derived ones."""
        found: set[str] = set()
        todo = list(names)
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            kpi = self.kpis.get(name)
            if kpi is None:
                found.add(name)
            elif kpi.kind in ("simple", "snapshot"):
                found.add(kpi.measure)
            else:
                todo.extend(kpi.references())
        return found

    def expression(self, name: str) -> str:
        kpi = self.kpis.get(name)
        if kpi is None:
            return f'coalesce(sum(d."{name}"), 0)'
        if kpi.kind == "snapshot":
            # No snapshot in the group is no value (n/a), not zero units in stock.
            return f'sum(d."{kpi.measure}")'
        if kpi.kind == "simple":
            total = f'coalesce(sum(d."{kpi.measure}"), 0)'
            return f"(-{total})" if kpi.sign == -1 else total
        if kpi.kind == "ratio":
            return f"lx_ratio({self.expression(kpi.numerator)}, {self.expression(kpi.denominator)})"
        return self._node(ast.parse(kpi.expression, mode="eval").body)

    def _node(self, node: ast.expr) -> str:
        if isinstance(node, ast.Name):
            return self.expression(node.id)
        if isinstance(node, ast.Constant):
            return f"{Decimal(str(node.value))}"
        if isinstance(node, ast.UnaryOp):
            inner = self._node(node.operand)
            return f"(-{inner})" if isinstance(node.op, ast.USub) else inner
        assert isinstance(node, ast.BinOp)
        left, right = self._node(node.left), self._node(node.right)
        if isinstance(node.op, ast.Div):
            return f"lx_ratio({left}, {right})"
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}[type(node.op)]
        return f"({left} {op} {right})"


def _days_sql(
    categories: Sequence[tuple[str, str, str | None]],
    columns: Sequence[str],
    where: str,
    feats: reports.Features,
    basis: str,
    convert: bool,
    used: set[str],
    period: str,
    fact_filter: str,
) -> str:
    """`kpi_days`: the measures `used`, per store, SKU and period, in the reporting
    currency. Parts no used measure needs (the ad split, COGS lines, fact tables) are
    left out of the query; `fact_filter` ({d}: the fact's date column) keeps the facts
    to the dates and store asked for, as `where` does the ledger."""
    label = PERIODS[period]
    parts: list[str] = []
    days: list[str] = []
    ledger = used - AD_MEASURES - RETURN_MEASURES - TRAFFIC_MEASURES - SNAPSHOT_MEASURES
    if ledger:
        needed = reports.Features(
            feats.estimates,
            feats.allocation and bool(used & SPLIT_MEASURES),
            feats.returns and bool(used & COGS_MEASURES),
        )
        sums = {
            "units": "coalesce(sum(quantity) FILTER (WHERE event = 'order'), 0)",
            "units_refunded": "coalesce(sum(quantity) FILTER (WHERE event = 'refund'), 0)",
            "cogs": "sum(amount_rc) FILTER (WHERE kind = 'pnl' AND col = 'cogs')",
            "net_profit": "sum(amount_rc) FILTER (WHERE kind = 'pnl')",
            "referral_fees": "sum(amount_rc) FILTER (WHERE category = 'platform_fees.referral')",
        }
        for column in columns:
            sums[column] = f"sum(amount_rc) FILTER (WHERE kind = 'pnl' AND col = '{column}')"
        # Only the sums a KPI asked for: a distinct count of orders is not free.
        selected = "".join(
            f',\n               {sql} AS "{m}"' for m, sql in sums.items() if m in used
        )
        parts.append(
            reports.money_and_converted_sql(
                categories, where, needed, basis, convert, cogs=bool(used & COGS_MEASURES)
            )
        )
        parts.append(f"""
    money_days AS (
        SELECT store_id, sku, {label.format(d="business_date")} AS period{selected}
        FROM converted GROUP BY ALL
    )""")
        days.append("SELECT * FROM money_days")
        if "orders" in used:
            # A distinct count among the other sums would slow them all: apart, each
            # order is found once per store, SKU and period, then counted.
            parts.append(f"""
    order_days AS (
        SELECT store_id, sku, period, count(*) AS orders
        FROM (SELECT DISTINCT store_id, sku, {label.format(d="business_date")} AS period,
                     order_id
              FROM converted WHERE event = 'order' AND quantity > 0 AND order_id IS NOT NULL)
        GROUP BY ALL
    )""")
            days.append("SELECT * FROM order_days")
    if used & AD_MEASURES:
        # Fact money (ad sales, report spend) converts at the rate of its day, like
        # ledger money; a fact in the reporting currency needs no rate.
        rate = (
            "CASE WHEN f.currency = $rc THEN 1::DECIMAL(18, 10) ELSE r.rate END"
            if convert
            else "1::DECIMAL(18, 10)"
        )
        rate_join = (
            """ASOF LEFT JOIN (SELECT day, from_currency, rate FROM fx_rates
                              WHERE to_currency = $rc) r
                 ON r.from_currency = f.currency AND f.day >= r.day"""
            if convert
            else ""
        )
        parts.append(f"""
    ad_days AS (
        SELECT f.store_id, f.sku, {label.format(d="f.day")} AS period,
               sum(f.spend * {rate})::DECIMAL(18, 4) AS ad_report_spend,
               sum(f.sales * {rate})::DECIMAL(18, 4) AS ad_sales,
               sum(f.clicks) AS ad_clicks, sum(f.impressions) AS ad_impressions,
               sum(f.orders) AS ad_orders, sum(f.units) AS ad_units
        FROM ad_spend f {rate_join}
        WHERE {fact_filter.format(d="f.day", s="f.store_id")}
        GROUP BY ALL
    )""")
        days.append("SELECT * FROM ad_days")
    if used & RETURN_MEASURES:
        parts.append(f"""
    return_days AS (
        SELECT store_id, sku, {label.format(d="day")} AS period,
               sum(quantity) AS returned_units,
               coalesce(sum(quantity) FILTER (WHERE NOT sellable), 0) AS unsellable_units
        FROM returns WHERE {fact_filter.format(d="day", s="store_id")} GROUP BY ALL
    )""")
        days.append("SELECT * FROM return_days")
    if used & TRAFFIC_MEASURES:
        parts.append(f"""
    traffic_days AS (
        SELECT store_id, sku, {label.format(d="date_from")} AS period,
               sum(sessions) AS sessions, sum(page_views) AS page_views,
               sum(units_ordered) AS units_ordered
        FROM traffic WHERE {fact_filter.format(d="date_from", s="store_id")} GROUP BY ALL
    )""")
        days.append("SELECT * FROM traffic_days")
    if used & SNAPSHOT_MEASURES:
        parts.append(f"""
    inventory_days AS (
        SELECT i.store_id, i.sku, i.period,
               arg_max(i.available, i.snapshot) AS available_units,
               arg_max(i.units_shipped_t30, i.snapshot) AS units_shipped_t30,
               arg_max(a.aged, i.snapshot) AS aged_units_181_plus,
               arg_max(a.total, i.snapshot) AS inventory_age_units
        FROM (SELECT *, {label.format(d="snapshot")} AS period FROM inventory
              WHERE {fact_filter.format(d="snapshot", s="store_id")}) i
        LEFT JOIN (SELECT store_id, sku, snapshot,
                          coalesce(sum(units) FILTER (WHERE min_days >= 181), 0) AS aged,
                          sum(units) AS total
                   FROM inventory_age GROUP BY ALL) a
          ON a.store_id = i.store_id AND a.sku = i.sku AND a.snapshot = i.snapshot
        GROUP BY i.store_id, i.sku, i.period
    )""")
        days.append("SELECT * FROM inventory_days")
    # Every measure used exists as a column, even when no part gives it (no rows: the
    # sums are 0), and the grouping columns exist even with no part at all.
    present = "".join(
        f', NULL::{"BIGINT" if m in COUNT_MEASURES else "DECIMAL(18, 4)"} AS "{m}"'
        for m in sorted(used)
    )
    empty = "SELECT NULL::VARCHAR AS store_id, NULL::VARCHAR AS sku, NULL::VARCHAR AS period"
    days.append(f"{empty}{present} WHERE FALSE")
    parts.append(f"""
    kpi_days AS ({" UNION ALL BY NAME ".join(days)})""")
    return ",".join(parts)


def kpi_query(
    compiler: Compiler,
    names: Sequence[str],
    *,
    categories: Sequence[tuple[str, str, str | None]],
    columns: Sequence[str],
    flt: reports.LedgerFilter,
    by: str,
    period: str,
    feats: reports.Features,
    convert: bool,
    stores: Sequence[tuple[str, str]],
) -> tuple[str, dict[str, Any]]:
    """The SQL of `kpi show` and its named parameters ($rc is the currency)."""
    where, params = reports.named_filter(flt)
    group = GROUPS[by]
    keys = [f"{group} AS {by}"] if group else []
    keys.append("d.period AS period")
    values = [f'{compiler.rounded(n)} AS "{n}"' for n in names]
    facts = ["TRUE"]
    if flt.date_from:
        facts.append("{d} >= $date_from")
        params["date_from"] = flt.date_from
    if flt.date_to:
        facts.append("{d} <= $date_to")
        params["date_to"] = flt.date_to
    if flt.store_id:
        facts.append("{s} = $store")
        params["store"] = flt.store_id
    if not stores:
        stores = [("", "")]
    platforms = ", ".join(
        "('" + s.replace("'", "''") + "', '" + p.replace("'", "''") + "')" for s, p in stores
    )
    selected = ",\n           ".join([*keys, *values])
    used = compiler.measures_used(names)
    days = _days_sql(
        categories, columns, where, feats, flt.basis, convert, used, period, " AND ".join(facts)
    )
    sql = f"""WITH {days},
    store_platforms(store_id, platform) AS (VALUES {platforms})
    SELECT {selected}
    FROM kpi_days d LEFT JOIN store_platforms p USING (store_id)
    {_product_joins(by)}
    GROUP BY ALL
    ORDER BY ALL NULLS LAST"""
    return sql, params


def _product_joins(by: str) -> str:
    if by not in PRODUCT_GROUPS:
        return ""
    if by == "tag":
        return "LEFT JOIN lx_product_tags tg ON tg.sku = d.sku"
    return "LEFT JOIN lx_products pr ON pr.sku = d.sku"


def run(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    # Only the parameters this query uses: which parts it has depends on the KPIs asked.
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    cursor = db.con.execute(sql, used)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
