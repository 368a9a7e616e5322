"""KPIs compiled to SQL: one query over additive measures, grouped as asked.

Measures are additive per store, SKU and period (`kpi_days`): money from the KPI
measure table (`lianxing.store.measure_days`: the ledger as the profit report counts
it — estimates superseded, charges split, COGS and returns lines — kept per store, SKU
and day and converted here by each day's rate), ad facts, returns, traffic and
inventory snapshots. A KPI compiles to an expression over the sums of measures in the
group, so a ratio is always the ratio of the sums at the grain shown — never an average
of ratios — and `lx_ratio` keeps it an exact decimal (NULL, never 0 or infinity, when
the denominator is 0).

A measure a KPI needs is a `Ref`: the measure, the currency its money is in (the
report's, unless the KPI fixes one, as `net_profit_cny` does) and, for a rolling KPI,
the trailing window in days. Each distinct ref is one column of `kpi_days`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lianxing.store import kpi_cover, reports
from lianxing.store.database import Database
from lianxing.store.measure_days import TABLE as MEASURE_TABLE

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
# Period labels from the period's first day {d}.
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
    # From the workspace's people.yaml (loaded by `load_people`): who owned the row's
    # store or SKU on its day, and that person's team; nobody: none (null).
    "person": "w.person",
    "team": "pp.team",
    "total": None,
}
PRODUCT_GROUPS = ("parent", "category", "owner", "tag")
PEOPLE_GROUPS = ("person", "team")


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


def load_people(
    db: Database,
    people: Sequence[tuple[str, str, str | None]],
    spans: Sequence[tuple[str, str | None, str | None, date, date | None, int]],
) -> None:
    """The team as the temporary tables the KPI query joins: people (id, name, team)
    and ownership spans (person, store or None, SKU or None, first day, last day or
    None, level: the most specific scope in force on a day wins)."""
    con = db.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lx_people (person VARCHAR, name VARCHAR, team VARCHAR)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lx_owner_spans (person VARCHAR, store_id VARCHAR, "
        "sku VARCHAR, start_day DATE, end_day DATE, level INTEGER)"
    )
    db.insert_many("INSERT INTO lx_people {rows}", list(people))
    db.insert_many("INSERT INTO lx_owner_spans {rows}", list(spans))


# Who owned each (store, SKU, day) of the KPI rows: the most specific span in force.
# A SKU (or tag) span names its SKU and a store span its store, so each kind is found by
# an equality join — never by comparing every row with every span.
OWNERS = """
    owner_keys AS (SELECT DISTINCT store_id, sku, day FROM kpi_days),
    owner_matches AS (
        SELECT k.store_id, k.sku, k.day, o.person, o.level
        FROM owner_keys k JOIN lx_owner_spans o ON o.sku = k.sku
        WHERE (o.store_id IS NULL OR o.store_id = k.store_id)
          AND k.day >= o.start_day AND (o.end_day IS NULL OR k.day <= o.end_day)
        UNION ALL
        SELECT k.store_id, k.sku, k.day, o.person, o.level
        FROM owner_keys k JOIN lx_owner_spans o ON o.store_id = k.store_id
        WHERE o.sku IS NULL
          AND k.day >= o.start_day AND (o.end_day IS NULL OR k.day <= o.end_day)
    ),
    owners AS (
        SELECT store_id, sku, day, arg_max(person, level) AS person
        FROM owner_matches GROUP BY ALL
    )"""
OWNER_JOINS = """LEFT JOIN owners w ON w.store_id = d.store_id
        AND w.sku IS NOT DISTINCT FROM d.sku AND w.day = d.day
    LEFT JOIN lx_people pp ON pp.person = w.person"""


def measure_names(columns: Sequence[str]) -> set[str]:
    return {*LEDGER_MEASURES, *columns, *FACT_MEASURES, *SNAPSHOT_MEASURES}


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
# Measures from the fact tables; every other one is a column of the measure table.
FACT_SOURCES_MEASURES = {*AD_MEASURES, *RETURN_MEASURES, *TRAFFIC_MEASURES, *SNAPSHOT_MEASURES}
# The first day of the period a date {d} is in: measures are grouped by it (a date is
# cheaper to group by than a text label) and the label is made once per output row.
PERIOD_STARTS = {
    "day": "{d}",
    "week": "date_trunc('week', {d})::DATE",
    "month": "date_trunc('month', {d})::DATE",
    "quarter": "date_trunc('quarter', {d})::DATE",
    "year": "date_trunc('year', {d})::DATE",
    "total": "DATE '1970-01-01'",
}
# A period's last day from its first day {d} (rolling KPIs end there, or on the last
# day shown when that is earlier: $roll_hi).
PERIOD_ENDS = {
    "day": "{d}",
    "week": "({d} + 6)",
    "month": "last_day({d})",
    "quarter": "({d} + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE",
    "year": "make_date(year({d}), 12, 31)",
    "total": "$roll_hi",
}
# Each KPI is rounded by its unit in the query itself: money to the cent, ratios to 4
# places (as fractions), counts are whole.
# Grains below a month: KPIs with `below_month` read their substitutes there.
SHORT_PERIODS = ("day", "week")
ROUNDING = {"money": 2, "money_per_unit": 2, "percent": 4, "ratio": 4, "days": 1}


@dataclass(frozen=True)
class Ref:
    """A measure as a KPI needs it: in a currency (None: the report's) and over the
    period itself or the trailing `window` days to the period's last day."""

    measure: str
    currency: str | None = None
    window: int | None = None

    @property
    def column(self) -> str:
        name = self.measure
        if self.currency:
            name += f"@{self.currency}"
        if self.window:
            name += f"~{self.window}d"
        return name

    @property
    def base(self) -> Ref:
        """The same measure over the period itself (what a window sums)."""
        return Ref(self.measure, self.currency)


class Compiler:
    """Turns KPI definitions into SQL expressions over `sum(measure)`.

    `sources` maps a measure to the source it needs (`lianxing.kpi_sources`): where no
    file of that source covers any row of a group, its sum is NULL (no data), not 0."""

    def __init__(
        self, kpis: Mapping[str, Any], measures: set[str], sources: Mapping[str, Any] | None = None
    ):
        self.kpis = kpis
        self.measures = measures
        self.sources = dict(sources or {})
        # Day or week grain: KPIs read their `below_month` substitutes.
        self.short = False

    def grain(self, period: str, first: date | None = None, last: date | None = None) -> None:
        """Compile for `period` over `first`..`last`: day and week are below a month, and
        so is any period when the range cuts a month (a single day, 3–20 March)."""
        cut = (first is not None and first.day != 1) or (
            last is not None and (last + timedelta(days=1)).day != 1
        )
        self.short = period in SHORT_PERIODS or cut

    def _swap(self, kpi: Any, name: str) -> str:
        """The KPI or measure `kpi` reads for `name` at this grain."""
        if not self.short:
            return name
        swapped: str = dict(kpi.below_month).get(name, name)
        return swapped

    def references(self, kpi: Any) -> list[str]:
        """What `kpi` is computed from at this grain."""
        if kpi.kind in ("simple", "snapshot"):
            return [kpi.measure]
        if kpi.kind == "ratio":
            return [self._swap(kpi, kpi.numerator), self._swap(kpi, kpi.denominator)]
        if kpi.kind == "rolling":
            return [self._swap(kpi, kpi.of)]
        tree = ast.parse(kpi.expression, mode="eval")
        names = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})
        return [self._swap(kpi, n) for n in names]

    def sources_used(self, used: set[Ref]) -> dict[str, tuple[str, ...]]:
        """The sources (name → kinds) the measures `used` need."""
        found = (self.sources[r.measure] for r in used if r.measure in self.sources)
        return {s.name: tuple(s.kinds) for s in found}

    def _sum(self, ref: Ref) -> str:
        """The sum of a measure over the group: 0 when it has no rows, unless the
        measure needs a source that covers none of the group's rows (then NULL)."""
        total = f'sum(d."{ref.column}")'
        source = self.sources.get(ref.measure)
        if source is None:
            return f"coalesce({total}, 0)"
        return f"coalesce({total}, CASE WHEN bool_or({kpi_cover.flag(source.name)}) THEN 0 END)"

    def rounded(self, name: str) -> str:
        """The KPI's expression, rounded by its unit."""
        kpi = self.kpis.get(name)
        places = ROUNDING.get(kpi.unit) if kpi is not None else None
        expression = self.expression(name)
        return f"round({expression}, {places})" if places is not None else expression

    def measures_used(self, names: Sequence[str]) -> set[Ref]:
        """Every measure the KPIs `names` are computed from, through derived ones, each
        in the currency and window the KPIs on the way ask for."""
        found: set[Ref] = set()
        todo = [(name, None, None) for name in names]
        seen: set[tuple[str, str | None, int | None]] = set()
        while todo:
            item = todo.pop()
            if item in seen:
                continue
            seen.add(item)
            name, currency, window = item
            kpi = self.kpis.get(name)
            if kpi is None:
                found.add(self._ref(name, currency, window))
                continue
            currency = kpi.currency or currency
            if kpi.kind == "rolling":
                window = kpi.window
            if kpi.kind in ("simple", "snapshot"):
                found.add(self._ref(kpi.measure, currency, window))
            else:
                todo.extend((ref, currency, window) for ref in self.references(kpi))
        return found

    @staticmethod
    def _ref(measure: str, currency: str | None, window: int | None) -> Ref:
        # Counts have no currency: one column serves every KPI that counts them.
        return Ref(measure, None if measure in COUNT_MEASURES else currency, window)

    def expression(self, name: str, currency: str | None = None, window: int | None = None) -> str:
        kpi = self.kpis.get(name)
        if kpi is None:
            return self._sum(self._ref(name, currency, window))
        currency = kpi.currency or currency
        if kpi.kind == "snapshot":
            # No snapshot in the group is no value (n/a), not zero units in stock.
            return f'sum(d."{self._ref(kpi.measure, currency, window).column}")'
        if kpi.kind == "simple":
            total = self._sum(self._ref(kpi.measure, currency, window))
            return f"(-{total})" if kpi.sign == -1 else total
        if kpi.kind == "ratio":
            numerator = self.expression(self._swap(kpi, kpi.numerator), currency, window)
            denominator = self.expression(self._swap(kpi, kpi.denominator), currency, window)
            return f"lx_ratio({numerator}, {denominator})"
        if kpi.kind == "rolling":
            return self.expression(self._swap(kpi, kpi.of), currency, kpi.window)
        return self._node(ast.parse(kpi.expression, mode="eval").body, currency, window, kpi)

    def _node(
        self, node: ast.expr, currency: str | None, window: int | None, kpi: Any = None
    ) -> str:
        if isinstance(node, ast.Name):
            name = self._swap(kpi, node.id) if kpi is not None else node.id
            return self.expression(name, currency, window)
        if isinstance(node, ast.Constant):
            return f"{Decimal(str(node.value))}"
        if isinstance(node, ast.UnaryOp):
            inner = self._node(node.operand, currency, window, kpi)
            return f"(-{inner})" if isinstance(node.op, ast.USub) else inner
        assert isinstance(node, ast.BinOp)
        left = self._node(node.left, currency, window, kpi)
        right = self._node(node.right, currency, window, kpi)
        if isinstance(node.op, ast.Div):
            return f"lx_ratio({left}, {right})"
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}[type(node.op)]
        return f"({left} {op} {right})"


def _currency_sql(currency: str | None) -> str:
    """The currency a ref's money is shown in: the report's ($rc) or a fixed one (the
    loader allows only three letters, so the literal is safe)."""
    return "$rc" if currency is None else f"'{currency}'"


@dataclass(frozen=True)
class _Span:
    """Which dates and store a group of parts reads: the names of the date parameters
    (None: no bound) and whether the store and basis are filtered."""

    date_from: str | None
    date_to: str | None
    store: bool
    basis: str

    def facts(self, day: str, store: str) -> str:
        clauses = ["TRUE"]
        if self.date_from:
            clauses.append(f"{day} >= ${self.date_from}")
        if self.date_to:
            clauses.append(f"{day} <= ${self.date_to}")
        if self.store:
            clauses.append(f"{store} = $store")
        return " AND ".join(clauses)

    def money(self) -> str:
        where = self.facts("m.business_date", "m.store_id")
        return where if self.basis == "all" else f"{where} AND m.basis = '{self.basis}'"


def _converted(
    column: str,
    ref: Ref,
    targets: dict[str | None, int],
    convert: Mapping[str | None, bool],
    total: bool = True,
) -> str:
    """SQL: the sum of money column `column` (alias m or f) in the ref's currency, by
    the rate of the row's day (`r{i}`, from `_rates`); the value itself, not the sum,
    when `total` is false."""
    value = column
    if ref.measure not in COUNT_MEASURES and convert.get(ref.currency, True):
        # Widened first: DuckDB keeps a product of two narrow decimals narrow.
        value = f"{column}::DECIMAL(38, 4) * r{targets[ref.currency]}.rate"
    return f"sum({value})" if total else value


def _rates(
    name: str,
    keys: str,
    refs: set[Ref],
    targets: dict[str | None, int],
    convert: Mapping[str | None, bool],
) -> tuple[list[str], str]:
    """Rate CTEs for the currencies the refs are shown in, and the joins that use them.

    `keys` selects the distinct (currency, day) pairs of the part's rows: each pair's
    rate is found once (as of its day) and joined by equality — far cheaper than an
    as-of join per row when there are millions of rows and a few hundred days."""
    ctes: list[str] = []
    joins: list[str] = []
    for currency in sorted({r.currency for r in refs}, key=lambda c: c or ""):
        if not convert.get(currency, True):
            continue
        i = targets[currency]
        code = _currency_sql(currency)
        ctes.append(f"""
    {name}{i} AS (
        SELECT k.currency, k.day,
               CASE WHEN k.currency = {code} THEN 1::DECIMAL(18, 10) ELSE r.rate END AS rate
        FROM ({keys}) k
        ASOF LEFT JOIN (SELECT day, from_currency, rate FROM fx_rates
                        WHERE to_currency = {code}) r
          ON r.from_currency = k.currency AND k.day >= r.day
    )""")
        joins.append(f"""
        LEFT JOIN {name}{i} r{i} ON r{i}.currency = {{alias}}.currency AND r{i}.day = {{day}}""")
    return ctes, "".join(joins)


def _parts(
    prefix: str,
    refs: set[Ref],
    label: str,
    span: _Span,
    source: str,
    convert: Mapping[str | None, bool],
    grouped: bool = True,
    owned: bool = False,
) -> tuple[list[str], list[str]]:
    """CTEs giving the `refs` (none with a window) per store, SKU and period `label`
    ({d}: a date column), named `{prefix}money_days` and so on; and the SELECTs to union.

    Each part sums its rows per store, SKU and period before the union, so the union
    carries few rows. When the measure table is the only part (`grouped` false) its
    rows go straight to the report's grouping: one aggregation instead of two. With
    `owned`, each row also keeps the day it belongs to (`day`: a snapshot's date), so
    it can go to whoever owned its store or SKU that day."""

    def day(column: str) -> str:
        return f", {column} AS day" if owned else ""

    parts: list[str] = []
    selects: list[str] = []
    shown = sorted({r.currency for r in refs}, key=lambda c: c or "")
    targets = {c: i for i, c in enumerate(shown)}

    def of(group: set[str]) -> list[Ref]:
        return sorted((r for r in refs if r.measure in group), key=lambda r: r.column)

    money = sorted(
        (r for r in refs if r.measure not in FACT_SOURCES_MEASURES), key=lambda r: r.column
    )
    if money:
        sums = "".join(
            f",\n               {_converted(f'm.{_q(r.measure)}', r, targets, convert, grouped)} "
            f"AS {_q(r.column)}"
            for r in money
        )
        keys = (
            f"SELECT DISTINCT m.currency, m.business_date AS day FROM {source} m "
            f"WHERE {span.money()}"
        )
        ctes, joins = _rates(f"{prefix}money_rates", keys, set(money), targets, convert)
        parts.extend(ctes)
        parts.append(f"""
    {prefix}money_days AS (
        SELECT m.store_id, m.sku, {label.format(d="m.business_date")} AS period
               {day("m.business_date")}{sums}
        FROM {source} m{joins.format(alias="m", day="m.business_date")}
        WHERE {span.money()}
        {"GROUP BY ALL" if grouped else ""}
    )""")
        selects.append(f"SELECT * FROM {prefix}money_days")
    ads = of(AD_MEASURES)
    if ads:
        columns = {
            "ad_report_spend": "f.spend", "ad_sales": "f.sales", "ad_clicks": "f.clicks",
            "ad_impressions": "f.impressions", "ad_orders": "f.orders", "ad_units": "f.units",
        }  # fmt: skip
        # Ad-report money converts at the rate of its day, like ledger money.
        # Ad money is kept to 1/10000 after conversion, as the ads report gives it.
        sums = "".join(
            f",\n               {_converted(columns[r.measure], r, targets, convert)}"
            + ("" if r.measure in COUNT_MEASURES else "::DECIMAL(18, 4)")
            + f" AS {_q(r.column)}"
            for r in ads
        )
        keys = (
            "SELECT DISTINCT f.currency, f.day FROM ad_spend f "
            f"WHERE {span.facts('f.day', 'f.store_id')}"
        )
        ctes, joins = _rates(f"{prefix}ad_rates", keys, set(ads), targets, convert)
        parts.extend(ctes)
        parts.append(f"""
    {prefix}ad_days AS (
        SELECT f.store_id, f.sku, {label.format(d="f.day")} AS period{day("f.day")}{sums}
        FROM ad_spend f{joins.format(alias="f", day="f.day")}
        WHERE {span.facts("f.day", "f.store_id")}
        GROUP BY ALL
    )""")
        selects.append(f"SELECT * FROM {prefix}ad_days")
    if of(RETURN_MEASURES):
        parts.append(f"""
    {prefix}return_days AS (
        SELECT store_id, sku, {label.format(d="day")} AS period{day("day")},
               sum(quantity) AS returned_units,
               coalesce(sum(quantity) FILTER (WHERE NOT sellable), 0) AS unsellable_units
        FROM returns WHERE {span.facts("day", "store_id")} GROUP BY ALL
    )""")
        selects.append(f"SELECT * FROM {prefix}return_days")
    if of(TRAFFIC_MEASURES):
        parts.append(f"""
    {prefix}traffic_days AS (
        SELECT store_id, sku, {label.format(d="date_from")} AS period{day("date_from")},
               sum(sessions) AS sessions, sum(page_views) AS page_views,
               sum(units_ordered) AS units_ordered
        FROM traffic WHERE {span.facts("date_from", "store_id")} GROUP BY ALL
    )""")
        selects.append(f"SELECT * FROM {prefix}traffic_days")
    if of(SNAPSHOT_MEASURES):
        parts.append(f"""
    {prefix}inventory_days AS (
        SELECT i.store_id, i.sku, i.period{day("max(i.snapshot)")},
               arg_max(i.available, i.snapshot) AS available_units,
               arg_max(i.units_shipped_t30, i.snapshot) AS units_shipped_t30,
               arg_max(a.aged, i.snapshot) AS aged_units_181_plus,
               arg_max(a.total, i.snapshot) AS inventory_age_units
        FROM (SELECT *, {label.format(d="snapshot")} AS period FROM inventory
              WHERE {span.facts("snapshot", "store_id")}) i
        LEFT JOIN (SELECT store_id, sku, snapshot,
                          coalesce(sum(units) FILTER (WHERE min_days >= 181), 0) AS aged,
                          sum(units) AS total
                   FROM inventory_age GROUP BY ALL) a
          ON a.store_id = i.store_id AND a.sku = i.sku AND a.snapshot = i.snapshot
        GROUP BY i.store_id, i.sku, i.period
    )""")
        selects.append(f"SELECT * FROM {prefix}inventory_days")
    return parts, selects


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _empty(refs: set[Ref], owned: bool = False) -> str:
    """A SELECT of no rows with every ref's column, so each exists even when no part
    gives it (no rows: the sums are 0), and the grouping columns exist with no part."""
    present = "".join(
        f", NULL::{'BIGINT' if r.measure in COUNT_MEASURES else 'DECIMAL(38, 4)'} AS {_q(r.column)}"
        for r in sorted(refs, key=lambda r: r.column)
    )
    return (
        f"SELECT NULL::VARCHAR AS store_id, NULL::VARCHAR AS sku, "
        f"NULL::DATE AS period{', NULL::DATE AS day' if owned else ''}{present} WHERE FALSE"
    )


def _days_sql(
    used: set[Ref],
    period: str,
    span: _Span,
    source: str,
    convert: Mapping[str | None, bool],
    owned: bool = False,
) -> str:
    """`kpi_days`: the measures `used`, per store, SKU and period (and day, when
    `owned`). Parts no used measure needs are left out of the query. Rolling refs are
    summed from the day-level measures of the `window` days up to each period's last
    day (`roll_ends`); owned, each day of a window goes to that day's owner."""
    plain = {r for r in used if r.window is None}
    rolled = sorted((r for r in used if r.window is not None), key=lambda r: r.column)
    alone = not rolled and not any(r.measure in FACT_SOURCES_MEASURES for r in plain)
    parts, selects = _parts(
        "", plain, PERIOD_STARTS[period], span, source, convert, not alone, owned
    )
    if rolled:
        longest = max(r.window or 0 for r in rolled)
        base = {r.base for r in rolled}
        roll_span = _Span("roll_from", "roll_to", span.store, span.basis)
        more, base_selects = _parts("roll_", base, "{d}", roll_span, source, convert, grouped=False)
        parts.extend(more)
        base_selects.append(_empty(base))
        ends = PERIOD_ENDS[period].format(d="c.period")
        sums = "".join(
            f",\n               sum(b.{_q(r.base.column)}) FILTER "
            f"(WHERE b.period > w.end_day - {int(r.window or 0)}) AS {_q(r.column)}"
            for r in rolled
        )
        parts.append(f"""
    roll_base AS ({" UNION ALL BY NAME ".join(base_selects)}),
    roll_ends AS (
        SELECT c.period, least({ends}, $roll_hi) AS end_day
        FROM (SELECT DISTINCT {PERIOD_STARTS[period].format(d="day")} AS period
              FROM (SELECT unnest(generate_series($roll_lo, $roll_hi, INTERVAL 1 DAY))::DATE
                    AS day)) c
    ),
    -- Each period's window as its days, so the measures join by equality.
    roll_window AS (
        SELECT e.period, e.end_day, (e.end_day - k::INTEGER) AS day
        FROM roll_ends e, range({int(longest)}) t(k)
    ),
    roll_days AS (
        SELECT b.store_id, b.sku, w.period{", b.period AS day" if owned else ""}{sums}
        FROM roll_window w JOIN roll_base b ON b.period = w.day
        GROUP BY ALL
    )""")
        selects.append("SELECT * FROM roll_days")
    selects.append(_empty(used, owned))
    parts.append(f"""
    kpi_days AS ({" UNION ALL BY NAME ".join(selects)})""")
    return ",".join(parts)


def kpi_query(
    compiler: Compiler,
    names: Sequence[str],
    *,
    flt: reports.LedgerFilter,
    by: str,
    period: str,
    convert: Mapping[str | None, bool],
    stores: Sequence[tuple[str, str]],
    source: str = MEASURE_TABLE,
    roll_span: tuple[date, date] | None = None,
    person: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The SQL of `kpi show` and its named parameters ($rc is the report's currency).
    With `person`, only the rows that person owned on their day count.

    `source` is the measure table (or a parenthesised SELECT giving its rows);
    `convert` says, per currency shown (None: the report's), whether any money needs a
    rate; `roll_span` is the first and last day rolling KPIs are shown for."""
    compiler.grain(period, flt.date_from, flt.date_to)
    group = GROUPS[by]
    keys = [f"{group} AS {by}"] if group else []
    keys.append("d.period AS period")
    values = [f'{compiler.rounded(n)} AS "{n}"' for n in names]
    label = PERIODS[period].format(d="g.period")
    shown = f"g.* REPLACE ({label} AS period)"
    params: dict[str, Any] = {}
    if flt.date_from:
        params["date_from"] = flt.date_from
    if flt.date_to:
        params["date_to"] = flt.date_to
    if flt.store_id:
        params["store"] = flt.store_id
    if person is not None:
        params["person"] = person
    span = _Span(
        "date_from" if flt.date_from else None,
        "date_to" if flt.date_to else None,
        bool(flt.store_id),
        flt.basis,
    )
    used = compiler.measures_used(names)
    longest = max((r.window or 0 for r in used), default=0)
    if longest:
        lo, hi = roll_span or (flt.date_from or date.min, flt.date_to or date.min)
        params.update(
            roll_lo=lo, roll_hi=hi, roll_from=lo - timedelta(days=longest - 1), roll_to=hi
        )
    selected = ",\n           ".join([*keys, *values])
    owned = by in PEOPLE_GROUPS or person is not None
    days = _days_sql(used, period, span, source, convert, owned)
    if owned:
        days += "," + OWNERS
    covered = compiler.sources_used(used)
    if covered:
        where = span.facts("c.day", "c.store_id")
        days += "," + kpi_cover.cte(covered, PERIOD_STARTS[period], where)
    platforms = ""
    if by == "platform":
        values_sql = (
            ", ".join(
                "('" + s.replace("'", "''") + "', '" + p.replace("'", "''") + "')"
                for s, p in stores
            )
            or "(NULL, NULL)"
        )
        days += f""",
    store_platforms(store_id, platform) AS (VALUES {values_sql})"""
        platforms = "LEFT JOIN store_platforms p USING (store_id)"
    sql = f"""WITH {days}
    SELECT {shown} FROM (
    SELECT {selected}
    FROM kpi_days d {platforms}
    {_product_joins(by)}{OWNER_JOINS if owned else ""}
    {kpi_cover.JOIN if covered else ""}
    {"WHERE w.person = $person" if person is not None else ""}
    GROUP BY ALL) g
    ORDER BY ALL NULLS LAST"""
    return sql, params


def _product_joins(by: str) -> str:
    if by not in PRODUCT_GROUPS:
        return ""
    if by == "tag":
        return "LEFT JOIN lx_product_tags tg ON tg.sku = d.sku"
    return "LEFT JOIN lx_products pr ON pr.sku = d.sku"


def used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters `sql` uses: which parts it has depends on the KPIs asked."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def run(
    db: Database, sql: str, params: dict[str, Any], decimals: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The query's rows as dicts, in the query's column order.

    Columns named in `decimals` come back packed into one text per row (`1.25|0.3000|`,
    empty for NULL) and are made `Decimal` here: the same exact values, at a third of
    the cost of the driver's own decimal conversion, which otherwise dominates a report
    of a million figures. The values are numbers, so the separator never occurs in one."""
    if not decimals:
        cursor = db.con.execute(sql, used_params(sql, params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    wanted = list(dict.fromkeys(decimals))
    packed = ", ".join(f"coalesce(CAST(q.{_q(c)} AS VARCHAR), '')" for c in wanted)
    # The decimal columns stay in place as NULL (free to fetch), so the dict keeps the
    # query's order when they are filled in from the packed text.
    nulls = ", ".join(f"NULL AS {_q(c)}" for c in wanted)
    wrapped = f"SELECT q.* REPLACE ({nulls}), concat_ws('|', {packed}) FROM ({sql}) q"
    cursor = db.con.execute(wrapped, used_params(wrapped, params))
    names = [d[0] for d in cursor.description][:-1]
    number = Decimal
    found = []
    for row in cursor.fetchall():
        values = dict(zip(names, row, strict=False))  # the packed text is one past them
        values.update(
            zip(wanted, [number(v) if v else None for v in row[-1].split("|")], strict=True)
        )
        found.append(values)
    return found
