"""KPI reports: the declared KPIs, computed over any grouping and period.

`build_kpis` runs the compiled query of `lianxing.store.kpi_sql`, which rounds each
value by its unit: money to the cent, ratios and percentages to 4 places (as fractions:
0.25, not 25), counts whole. A ratio with nothing under it stays None ("n/a"), never 0.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianxing.categories import CategoryTree
from lianxing.errors import InputError, LianxingError
from lianxing.kpi_sources import measure_sources
from lianxing.kpis import Kpi
from lianxing.store import kpi_sql, measure_days, reports
from lianxing.store.database import Database

RATIO_PLACES = Decimal("0.0001")


@dataclass
class KpiReport:
    names: list[str]
    by: str
    period: str
    currency: str
    basis: str
    rows: list[dict[str, Any]]
    sql: str


def compile_query(
    db: Database,
    tree: CategoryTree,
    kpis: dict[str, Kpi],
    names: list[str],
    *,
    by: str,
    period: str,
    currency: str,
    fee_tax_recoverable: bool,
    stores: list[tuple[str, str]],
    date_from: date | None = None,
    date_to: date | None = None,
    store_id: str | None = None,
    basis: str = "all",
    direct: bool = False,
    person: str | None = None,
) -> tuple[str, dict[str, Any]]:
    unknown = [n for n in names if n not in kpis]
    if unknown:
        raise InputError.at(
            "kpi.unknown", kpi=", ".join(unknown), known=", ".join(sorted(kpis))[:400]
        )
    if by not in kpi_sql.GROUPS:
        raise InputError.at("kpi.bad_by", choices=", ".join(kpi_sql.GROUPS))
    if period not in kpi_sql.PERIODS:
        raise InputError.at("kpi.bad_period", choices=", ".join(kpi_sql.PERIODS))
    if basis not in reports.BASES:
        raise InputError.at("report.bad_basis", choices=", ".join(reports.BASES))
    compiler = kpi_sql.Compiler(kpis, set(), measure_sources())
    return _query(
        db,
        tree,
        compiler,
        names,
        currency=currency,
        fee_tax_recoverable=fee_tax_recoverable,
        flt=reports.LedgerFilter(date_from, date_to, store_id, basis),
        by=by,
        period=period,
        stores=stores,
        direct=direct,
        person=person,
    )


def ensure_measures(db: Database, tree: CategoryTree, fee_tax_recoverable: bool) -> None:
    """Bring the KPI measure table up to date."""
    kinds = tree.kinds(fee_tax_recoverable=fee_tax_recoverable)
    categories = [(c.code, kinds[c.code], c.column) for c in tree.categories]
    measure_days.ensure(db, categories, [c.id for c in tree.columns])


def _query(
    db: Database,
    tree: CategoryTree,
    compiler: kpi_sql.Compiler,
    names: list[str],
    *,
    currency: str,
    fee_tax_recoverable: bool,
    flt: reports.LedgerFilter,
    direct: bool = False,
    **grouping: Any,
) -> tuple[str, dict[str, Any]]:
    """The compiled query and its parameters; refuses money no rate converts.

    The query reads the KPI measure table, brought up to date first; with `direct` it
    computes the same rows from the ledger inside the query instead (tests compare the
    two; nothing is written)."""
    kinds = tree.kinds(fee_tax_recoverable=fee_tax_recoverable)
    categories = [(c.code, kinds[c.code], c.column) for c in tree.categories]
    columns = [c.id for c in tree.columns]
    compiler.measures = kpi_sql.measure_names(columns)
    compiler.grain(grouping["period"], flt.date_from, flt.date_to)
    if direct:
        source = f"({measure_days.build_sql(db, categories, columns)})"
    else:
        measure_days.ensure(db, categories, columns)
        source = measure_days.TABLE
    used = compiler.measures_used(names) if names else set()
    shown = {r.currency for r in used} | {None}
    codes = {c: currency if c is None else c for c in shown}
    convert = {c: reports.needs_conversion(db, code) for c, code in codes.items()}
    longest = max((r.window or 0 for r in used), default=0)
    # A rolling window reads days before --from: their money needs a rate too.
    checked = (
        reports.LedgerFilter(flt.date_from - timedelta(days=longest - 1), flt.date_to,
                             flt.store_id, flt.basis)
        if longest and flt.date_from else flt
    )  # fmt: skip
    for c, code in sorted(codes.items(), key=lambda kv: kv[1]):
        if not convert[c]:
            continue
        missing = measure_days.missing_rates(db, source, code, checked)
        if {r.measure for r in used if r.currency == c} & kpi_sql.AD_MEASURES:
            # Ad-report money too: without a rate it would drop out of ad KPIs unseen.
            missing += reports.missing_fact_rates(db, code)
        if missing:
            found, day = missing[0]
            raise LianxingError("fx.missing", pair=f"{found}→{code}", date=day.isoformat())
    roll_span = None
    if any(r.window for r in used):
        first, last = measure_days.date_span(db, source)
        roll_span = (flt.date_from or first or date.today(), flt.date_to or last or date.today())
    sql, params = kpi_sql.kpi_query(
        compiler,
        names,
        flt=flt,
        convert=convert,
        source=source,
        roll_span=roll_span,
        **grouping,
    )
    params["rc"] = currency
    return sql, params


def measure_sums(
    db: Database,
    tree: CategoryTree,
    measures: list[str],
    **options: Any,
) -> list[dict[str, Any]]:
    """Raw sums of measures per group (no KPI definitions, no rounding): what the
    profit bridge decomposes."""
    flt = reports.LedgerFilter(
        options.pop("date_from", None),
        options.pop("date_to", None),
        options.pop("store_id", None),
        options.pop("basis", "all"),
    )
    sql, params = _query(db, tree, kpi_sql.Compiler({}, set()), measures, flt=flt, **options)
    return kpi_sql.run(db, sql, params)


def build_kpis(
    db: Database,
    tree: CategoryTree,
    kpis: dict[str, Kpi],
    names: list[str],
    **options: Any,
) -> KpiReport:
    sql, params = compile_query(db, tree, kpis, names, **options)
    # Values come rounded by unit from the query (money to the cent, ratios to 4 places).
    decimals = [n for n in names if kpis[n].unit != "count"]
    rows = kpi_sql.run(db, sql, params, decimals)
    return KpiReport(
        names,
        options["by"],
        options["period"],
        options["currency"],
        options.get("basis", "all"),
        rows,
        sql,
    )


COMPARES = ("previous", "yoy")


def _months_back(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def shift(day: date, period: str, compare: str) -> date:
    """The day one period (previous) or one year (yoy) earlier."""
    if compare == "yoy":
        return day - timedelta(days=364) if period == "week" else _months_back(day, 12)
    if period == "day":
        return day - timedelta(days=1)
    if period == "week":
        return day - timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    return _months_back(day, months)


def shift_end(day: date, period: str, compare: str) -> date:
    """The last day of the earlier range: a range ending on a month's last day ends on
    the earlier month's last day (Feb 28 → Jan 31, Jun 30 → Mar 31)."""
    if period in ("day", "week"):
        return shift(day, period, compare)
    return shift(day + timedelta(days=1), period, compare) - timedelta(days=1)


def shift_label(label: str, period: str, compare: str) -> str:
    """The period label the row is compared with (2026-10 → 2026-09 or 2025-10)."""
    if period == "month":
        first = date.fromisoformat(label + "-01")
        return _months_back(first, 12 if compare == "yoy" else 1).strftime("%Y-%m")
    if period == "quarter":
        year, quarter = int(label[:4]), int(label[-1])
        back = 4 if compare == "yoy" else 1
        index = year * 4 + quarter - 1 - back
        return f"{index // 4}-Q{index % 4 + 1}"
    if period == "year":
        return str(int(label) - 1)
    if period in ("day", "week"):
        return shift(date.fromisoformat(label), period, compare).isoformat()
    return label  # total: the earlier range has the same label


def change(kpi: Kpi, now: Any, before: Any) -> Decimal | None:
    """Difference, or percent change as a fraction, by the KPI's `compare`."""
    if now is None or before is None:
        return None
    if kpi.compare == "difference":
        return Decimal(now) - Decimal(before)
    if Decimal(before) == 0:
        return None
    return ((Decimal(now) - Decimal(before)) / abs(Decimal(before))).quantize(
        RATIO_PLACES, ROUND_HALF_UP
    )


def compare_rows(report: KpiReport, before: KpiReport, kpis: dict[str, Kpi], compare: str) -> None:
    """Add `NAME_before` and `NAME_change` to every row of `report`."""
    key = report.by if report.by != "total" else None
    earlier = {(r.get(key) if key else None, r["period"]): r for r in before.rows}
    for row in report.rows:
        match = earlier.get(
            (row.get(key) if key else None, shift_label(row["period"], report.period, compare))
        )
        for name in report.names:
            then = match.get(name) if match else None
            row[f"{name}_before"] = then
            row[f"{name}_change"] = change(kpis[name], row[name], then)
