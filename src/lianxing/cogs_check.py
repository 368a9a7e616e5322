"""Missing unit costs, said wherever profit is shown or paid on.

A SKU sold on a date no unit cost covers has no COGS: its net profit — and every KPI,
score and payout built on it — is too high. `lianxing profit` has always said so;
`kpi show`, `team score`, `team payout` and reviews say it too, for the dates they
cover (issue 12).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from lianxing.i18n import t
from lianxing.store import kpi_sql, reports
from lianxing.store.database import Database

# Measures whose value leaves COGS out when a unit cost is missing.
COGS_MEASURES = frozenset({"cogs", "net_profit"})
SHOWN = 10


def uses_cogs(kpis: Mapping[str, Any], names: Sequence[str]) -> bool:
    """Whether any of the KPIs `names` is computed from COGS (net profit, margin, ROI…)."""
    used = kpi_sql.Compiler(kpis, set()).measures_used(list(names))
    return any(r.measure in COGS_MEASURES for r in used)


def missing_costs(
    db: Database,
    date_from: date | None = None,
    date_to: date | None = None,
    store_id: str | None = None,
) -> list[tuple[str, int]]:
    """(SKU, units) sold in the dates on a day no unit cost covers."""
    return reports.skus_without_cost(db, reports.LedgerFilter(date_from, date_to, store_id))


def warning(missing: Sequence[tuple[str, int]], key: str = "cogs.missing") -> str | None:
    """The warning for `missing` (None when nothing is missing), naming the first SKUs."""
    if not missing:
        return None
    names = ", ".join(f"{sku} ({units})" for sku, units in missing[:SHOWN])
    names += f" … +{len(missing) - SHOWN}" if len(missing) > SHOWN else ""
    return t(key, count=len(missing), skus=names)
