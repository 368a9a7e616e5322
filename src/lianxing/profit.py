"""Profit reports built from the ledger: the definitions behind every profit figure.

A report states its date basis and currency. Amounts are Decimal, rounded to the cent
only here, at the edge; margin is recomputed from the sums (never averaged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianxing.categories import CategoryTree
from lianxing.errors import InputError, LianxingError
from lianxing.money import round_money
from lianxing.store import reports
from lianxing.store.database import Database

BY_CHOICES = ("sku", "store", "day", "week", "month", "category")
DATE_BASIS = "posted"
RATIO_PLACES = Decimal("0.0001")


@dataclass
class ProfitReport:
    by: str
    currency: str
    date_basis: str
    columns: list[str]  # money columns in display order
    rows: list[dict[str, Any]]
    skus_without_cost: list[tuple[str, int]] = field(default_factory=list)
    basis: str = "all"  # settled | estimated | all (see --basis)

    @property
    def estimated(self) -> Decimal:
        """How much of the net profit shown is estimated (not settled yet)."""
        if self.by == "category":
            return sum((r["estimated"] for r in self.rows if r["kind"] == "pnl"), Decimal("0.00"))
        return sum((r["estimated"] for r in self.rows), Decimal("0.00"))

    @property
    def net_profit(self) -> Decimal:
        if self.by == "category":
            return sum((r["amount"] for r in self.rows if r["kind"] == "pnl"), Decimal("0.00"))
        return sum((r["net_profit"] for r in self.rows), Decimal("0.00"))


def _category_rows(
    tree: CategoryTree, fee_tax_recoverable: bool
) -> list[tuple[str, str, str | None]]:
    kinds = tree.kinds(fee_tax_recoverable=fee_tax_recoverable)
    return [(c.code, kinds[c.code], c.column) for c in tree.categories]


def _money(value: Any) -> Decimal:
    return round_money(Decimal(value)) if value is not None else Decimal("0.00")


def build_profit(
    db: Database,
    tree: CategoryTree,
    *,
    by: str,
    currency: str,
    fee_tax_recoverable: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    store_id: str | None = None,
    basis: str = "all",
) -> ProfitReport:
    if by not in BY_CHOICES:
        raise InputError.at("report.bad_by", choices=", ".join(BY_CHOICES))
    if basis not in reports.BASES:
        raise InputError.at("report.bad_basis", choices=", ".join(reports.BASES))
    flt = reports.LedgerFilter(date_from, date_to, store_id, basis)
    categories = _category_rows(tree, fee_tax_recoverable)
    # One look at the currencies decides whether the queries need the rate join at all.
    convert = reports.needs_conversion(db, currency)
    missing = reports.missing_rates(db, categories, currency, flt, convert)
    if missing:
        source, day = missing[0]
        raise LianxingError("fx.missing", pair=f"{source}→{currency}", date=day.isoformat())
    columns = [c.id for c in tree.columns]
    if by == "category":
        rows = []
        for found in reports.profit_by_category(
            db, categories=categories, currency=currency, flt=flt
        ):
            rows.append(
                {
                    "category": found["category"],
                    "kind": found["kind"],
                    "column": found["column_id"] if found["kind"] == "pnl" else None,
                    "rows": int(found["rows"]),
                    "units": int(found["units"]),
                    "amount": _money(found["amount"]),
                    "estimated": _money(found["estimated"]),
                }
            )
        return ProfitReport(
            by,
            currency,
            DATE_BASIS,
            ["amount"],
            rows,
            reports.skus_without_cost(db, flt),
            basis,
        )
    raw_rows = reports.profit(
        db,
        by=by,
        columns=columns,
        categories=categories,
        currency=currency,
        flt=flt,
        convert=convert,
    )
    rows = []
    for raw in raw_rows:
        row: dict[str, Any] = {by: raw["key"]}
        row["units"] = int(raw["units"])
        row["units_refunded"] = int(raw["units_refunded"])
        row["orders"] = int(raw["orders"])
        for column in columns:
            row[column] = _money(raw[column])
        row["cogs"] = _money(raw["cogs"])
        net = Decimal(raw["net_profit"] or 0)
        row["net_profit"] = round_money(net)
        sales = Decimal(raw["sales"] or 0)
        row["margin"] = (net / sales).quantize(RATIO_PLACES, ROUND_HALF_UP) if sales else None
        row["estimated"] = _money(raw["estimated"])
        rows.append(row)
    return ProfitReport(
        by,
        currency,
        DATE_BASIS,
        [*columns, "cogs"],
        rows,
        reports.skus_without_cost(db, flt),
        basis,
    )
