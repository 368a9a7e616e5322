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
PERIODS = {
    "day": "strftime(day, '%Y-%m-%d')",
    "week": "strftime(date_trunc('week', day), '%Y-%m-%d')",
    "month": "strftime(day, '%Y-%m')",
    "quarter": "strftime(day, '%Y') || '-Q' || quarter(day)",
    "year": "strftime(day, '%Y')",
    "total": "'total'",
}
GROUPS = {"store": "d.store_id", "platform": "p.platform", "sku": "d.sku", "total": None}


def measure_names(columns: Sequence[str]) -> set[str]:
    return {*LEDGER_MEASURES, *columns, *FACT_MEASURES}


class Compiler:
    """Turns KPI definitions into SQL expressions over `sum(measure)`."""

    def __init__(self, kpis: Mapping[str, Any], measures: set[str]):
        self.kpis = kpis
        self.measures = measures

    def expression(self, name: str) -> str:
        kpi = self.kpis.get(name)
        if kpi is None:
            return f'coalesce(sum(d."{name}"), 0)'
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
) -> str:
    """`kpi_days`: every measure per store, SKU and day, in the reporting currency."""
    money = ",\n               ".join(
        f"sum(amount_rc) FILTER (WHERE kind = 'pnl' AND col = '{c}') AS \"{c}\"" for c in columns
    )
    # Fact money (ad sales, report spend) converts at the rate of its day, like ledger
    # money; a fact in the reporting currency needs no rate.
    rate = (
        """CASE WHEN f.currency = $rc THEN 1::DECIMAL(18, 10) ELSE r.rate END"""
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
    return f"""{reports.money_and_converted_sql(categories, where, feats, basis, convert)},
    money_days AS (
        SELECT store_id, sku, business_date AS day,
               coalesce(sum(quantity) FILTER (WHERE event = 'order'), 0) AS units,
               coalesce(sum(quantity) FILTER (WHERE event = 'refund'), 0) AS units_refunded,
               count(DISTINCT order_id) FILTER (WHERE event = 'order' AND quantity > 0)
                   AS orders,
               {money},
               sum(amount_rc) FILTER (WHERE kind = 'pnl' AND col = 'cogs') AS cogs,
               sum(amount_rc) FILTER (WHERE kind = 'pnl') AS net_profit,
               sum(amount_rc) FILTER (WHERE category = 'platform_fees.referral')
                   AS referral_fees
        FROM converted GROUP BY ALL
    ),
    ad_days AS (
        SELECT f.store_id, f.sku, f.day,
               sum(f.spend * {rate})::DECIMAL(18, 4) AS ad_report_spend,
               sum(f.sales * {rate})::DECIMAL(18, 4) AS ad_sales,
               sum(f.clicks) AS ad_clicks, sum(f.impressions) AS ad_impressions,
               sum(f.orders) AS ad_orders, sum(f.units) AS ad_units
        FROM ad_spend f {rate_join}
        GROUP BY ALL
    ),
    return_days AS (
        SELECT store_id, sku, day, sum(quantity) AS returned_units,
               coalesce(sum(quantity) FILTER (WHERE NOT sellable), 0) AS unsellable_units
        FROM returns GROUP BY ALL
    ),
    traffic_days AS (
        SELECT store_id, sku, date_from AS day, sum(sessions) AS sessions,
               sum(page_views) AS page_views, sum(units_ordered) AS units_ordered
        FROM traffic GROUP BY ALL
    ),
    kpi_days AS (
        SELECT * FROM money_days
        UNION ALL BY NAME SELECT * FROM ad_days
        UNION ALL BY NAME SELECT * FROM return_days
        UNION ALL BY NAME SELECT * FROM traffic_days
    )"""


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
    keys.append(f"{PERIODS[period]} AS period")
    values = [f'{compiler.expression(n)} AS "{n}"' for n in names]
    outer = ["TRUE"]
    if flt.date_from:
        outer.append("d.day >= $date_from")
        params["date_from"] = flt.date_from
    if flt.date_to:
        outer.append("d.day <= $date_to")
        params["date_to"] = flt.date_to
    if flt.store_id:
        outer.append("d.store_id = $store")
        params["store"] = flt.store_id
    if not stores:
        stores = [("", "")]
    platforms = ", ".join(
        "('" + s.replace("'", "''") + "', '" + p.replace("'", "''") + "')" for s, p in stores
    )
    selected = ",\n           ".join([*keys, *values])
    sql = f"""WITH {_days_sql(categories, columns, where, feats, flt.basis, convert)},
    store_platforms(store_id, platform) AS (VALUES {platforms})
    SELECT {selected}
    FROM kpi_days d LEFT JOIN store_platforms p USING (store_id)
    WHERE {" AND ".join(outer)}
    GROUP BY ALL
    ORDER BY ALL NULLS LAST"""
    return sql, params


def run(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cursor = db.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
