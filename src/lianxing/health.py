"""Data health: what is imported, what is missing, and what needs a person.

`coverage` answers "what do I have" per store and kind of source; `store_health` adds
per store what makes its profit less than complete (SKUs without cost, ad and storage
charges not split to SKUs, the share of profit still estimated). `checks` turns both
into the list `lianxing doctor` prints: each check passes, warns or fails, and names
the files, SKUs or dates to look at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lianxing.categories import CategoryTree
from lianxing.errors import LianxingError
from lianxing.i18n import language, t
from lianxing.kpi_report import ensure_measures
from lianxing.kpi_sources import catalogue_sources, measure_sources
from lianxing.profit import build_profit
from lianxing.store import costing_store, health, kpi_sql, reports
from lianxing.store.database import Database
from lianxing.workspace import Config

# A store whose newest settled money is older than this has probably stopped syncing
# (settlements come every 14 days).
STALE_AFTER_DAYS = 21
ESTIMATE_UNSETTLED_DAYS = 30
# A report a KPI needs that ends more than this before the store's settled money, in an
# earlier month: the periods after it show no data (a download that stopped).
SOURCE_LAG_DAYS = 7
# The facts that split each kind of account-level charge across SKUs (for the doctor's
# hint that no such report was imported).
SPLIT_BY = {
    "advertising.amazon": "ad_spend",
    "storage.monthly": "storage_fees",
    "storage.aged_surcharge": "long_term_storage_fees",
}


@dataclass
class Check:
    id: str
    status: str  # ok | warn | fail
    message: tuple[str, dict[str, Any]]  # i18n key and parameters
    details: list[str] = field(default_factory=list)


def coverage(db: Database) -> list[dict[str, Any]]:
    rows = health.coverage(db)
    for row in rows:
        total = row.pop("reconciling_files")
        row["reconciled"] = f"{row.pop('reconciled_files')}/{total}" if total else None
        row["gaps"] = ", ".join(f"{a}…{b}" for a, b in row["gaps"]) or None
    return rows


def store_health(db: Database, tree: CategoryTree, config: Config) -> list[dict[str, Any]]:
    """Per store: SKUs sold without cost, unsplit ad/storage charges, estimated share."""
    unsplit: dict[tuple[str, str], Decimal] = {
        (s, c): Decimal(a) for s, c, a, _cur in reports.unallocated(db, reports.LedgerFilter())
    }
    rows = []
    for store in config.stores:
        flt = reports.LedgerFilter(store_id=store.id)
        net: Decimal | None
        estimated: Decimal | None
        share: Decimal | None = None
        try:
            kwargs: dict[str, Any] = {
                "by": "store",
                "currency": store.currency,
                "fee_tax_recoverable": config.fee_tax_recoverable,
                "store_id": store.id,
            }
            report = build_profit(db, tree, **kwargs)
            net, estimated = report.net_profit, report.estimated
            sales = sum((r["sales"] for r in report.rows), Decimal(0))
            if sales and estimated:
                # Of sales, not of profit: a share of a profit near zero means nothing.
                guess = build_profit(db, tree, basis="estimated", **kwargs)
                estimated_sales = sum((r["sales"] for r in guess.rows), Decimal(0))
                share = (estimated_sales / sales).quantize(Decimal("0.0001"))
        except LianxingError:  # money in another currency without a rate: see doctor
            net = estimated = None
        rows.append(
            {
                "store_id": store.id,
                "platform": store.platform,
                "currency": store.currency,
                "skus_without_cost": len(reports.skus_without_cost(db, flt)),
                "ads_unallocated": unsplit.get((store.id, "advertising.amazon"), Decimal(0)),
                "storage_unallocated": unsplit.get((store.id, "storage.monthly"), Decimal(0))
                + unsplit.get((store.id, "storage.aged_surcharge"), Decimal(0)),
                "net_profit": net,
                "estimated": estimated,
                "estimated_share": share,
            }
        )
    return rows


def missing_sources(
    db: Database,
    tree: CategoryTree,
    config: Config,
    kpis: Mapping[str, Any],
    owners: Mapping[str, list[str]],
) -> Check:
    """Which store (and whose) has no file of a source its KPIs need, or files that end
    well before its settled money: those KPIs are "no data" there (after the end),
    never 0 (`sources:` of the KPI catalogue)."""
    imported = health.source_ends(db)
    settled = health.last_settled_day(db)
    ensure_measures(db, tree, config.fee_tax_recoverable)
    compiler = kpi_sql.Compiler(kpis, set(), measure_sources())
    lang = language()
    details = []
    for store in config.stores:
        whose = f" ({', '.join(owners[store.id])})" if owners.get(store.id) else ""
        for source in catalogue_sources():
            mine = {k: d for k, d in imported.get(store.id, {}).items() if k in source.kinds}
            last = max((d for d in mine.values() if d is not None), default=None)
            paid = settled.get(store.id)
            if mine and not _ends_early(last, paid):
                continue
            if not mine and health.has_measure_rows(db, store.id, source.measures):
                continue  # its rows are there anyway (ad charges in settlements)
            affected = sorted(
                n for n in kpis if {r.measure for r in compiler.measures_used([n])}
                & set(source.measures)
            )  # fmt: skip
            shown = ", ".join(affected[:6]) + (", …" if len(affected) > 6 else "")
            end = f" {t('doctor.source_ends', day=last, settled=paid)}" if mine else ""
            details.append(f"{store.id}{whose} · {source.label[lang]}{end}: {shown}")
    if details:
        return Check("kpi_sources", "warn", ("doctor.missing_kpi_sources", {}), details)
    return Check("kpi_sources", "ok", ("doctor.kpi_sources", {}))


def _ends_early(last: date | None, paid: date | None) -> bool:
    """Whether a report's last day leaves a later month of settled money without it."""
    if last is None or paid is None:
        return False
    return (paid - last).days > SOURCE_LAG_DAYS and (paid.year, paid.month) > (
        last.year,
        last.month,
    )


def checks(
    db: Database,
    tree: CategoryTree,
    config: Config,
    *,
    stale_files: list[str],
    today: date,
    kpis: Mapping[str, Any] | None = None,
    owners: Mapping[str, list[str]] | None = None,
) -> list[Check]:
    """Every check `lianxing doctor` runs, in the order a person should act on them."""
    found: list[Check] = []
    sources = reports.sources(db)
    if not sources:
        return [Check("sources", "fail", ("doctor.no_sources", {}))]

    bad = [s["file_name"] for s in sources if s["reconciled"] is False]
    found.append(
        Check("reconciliation", "fail", ("doctor.unreconciled", {"count": len(bad)}), bad)
        if bad
        else Check("reconciliation", "ok", ("doctor.reconciled", {}))
    )
    unmapped = reports.unmapped_codes(db)
    found.append(
        Check(
            "unmapped",
            "fail",
            ("doctor.unmapped", {"count": len(unmapped)}),
            [
                " / ".join(
                    c or "—" for c in (u.transaction_type, u.amount_type, u.amount_description)
                )
                + f" ({u.file_name}:{u.first_line})"
                for u in unmapped
            ],
        )
        if unmapped
        else Check("unmapped", "ok", ("doctor.mapped", {}))
    )
    found.append(
        Check("mappings", "fail", ("doctor.stale", {"count": len(stale_files)}), stale_files)
        if stale_files
        else Check("mappings", "ok", ("doctor.mappings_current", {}))
    )
    missing = reports.skus_without_cost(db, reports.LedgerFilter())
    found.append(
        Check(
            "costs",
            "fail",
            ("doctor.missing_costs", {"count": len(missing)}),
            [f"{sku} ({units})" for sku, units in missing],
        )
        if missing
        else Check("costs", "ok", ("doctor.costs", {}))
    )
    unsized = costing_store.skus_without_specs(db)
    found.append(
        Check(
            "specs",
            "warn",
            ("doctor.missing_specs", {"count": len(unsized)}),
            [f"{sku} ({units})" for sku, units in unsized],
        )
        if unsized
        else Check("specs", "ok", ("doctor.specs", {}))
    )
    try:
        build_profit(
            db,
            tree,
            by="store",
            currency=config.reporting_currency,
            fee_tax_recoverable=config.fee_tax_recoverable,
        )
        found.append(Check("rates", "ok", ("doctor.rates", {})))
    except LianxingError as exc:
        found.append(Check("rates", "fail", ("doctor.missing_rates", dict(exc.params))))

    gaps = [f"{r['store_id'] or '-'} · {r['kind']}: {r['gaps']}" for r in coverage(db) if r["gaps"]]
    found.append(
        Check("gaps", "warn", ("doctor.gaps", {"count": len(gaps)}), gaps)
        if gaps
        else Check("gaps", "ok", ("doctor.no_gaps", {}))
    )
    last = health.last_settled_day(db)
    stale = [
        f"{store}: {day}"
        for store, day in sorted(last.items())
        if (today - day).days > STALE_AFTER_DAYS
    ]
    found.append(
        Check("fresh", "warn", ("doctor.stale_data", {"days": STALE_AFTER_DAYS}), stale)
        if stale
        else Check("fresh", "ok", ("doctor.fresh", {}))
    )
    old = health.old_estimates(db, ESTIMATE_UNSETTLED_DAYS)
    found.append(
        Check(
            "estimates",
            "warn",
            ("doctor.old_estimates", {"days": ESTIMATE_UNSETTLED_DAYS}),
            [f"{store}: {n} ({first}…)" for store, n, first in old],
        )
        if old
        else Check("estimates", "ok", ("doctor.estimates", {}))
    )
    unsplit = []
    for store, category, amount, currency in reports.unallocated(db, reports.LedgerFilter()):
        table = SPLIT_BY.get(category, "storage_fees")
        hint = "" if health.has_facts(db, table, store) else " *"
        unsplit.append(f"{store} · {category}: {amount.quantize(Decimal('0.01'))} {currency}{hint}")
    found.append(
        Check("allocation", "warn", ("doctor.unallocated", {"count": len(unsplit)}), unsplit)
        if unsplit
        else Check("allocation", "ok", ("doctor.allocated", {}))
    )
    if kpis is not None:
        found.append(missing_sources(db, tree, config, kpis, owners or {}))
    return found
