"""The fee audit: what Amazon charged against what its own schedules say it should have,
and the reimbursements the data shows are owed.

FBA fees. For every settled order item the FBA fulfillment fee charged per unit is
compared with the fee the schedule in force on the item's day gives for the product's
own dimensions and weight (its size tier and shipping weight) at the item's price. A
higher charge is almost always a re-measured product: Amazon's warehouse recorded other
dimensions or another weight and every later unit pays the higher tier. Items are
grouped into claims per store, SKU and month, with the overcharge in money, the rows of
the settlement files that charged it, and which weight the charged fee would fit —
evidence for a case in Seller Central ("FBA fee overcharge, please re-measure").

Reimbursements. From the data Lianxing has:
- refunded orders whose units the returns report never shows back, once the return
  window (45 days by default) has passed since the refund, and no inventory
  reimbursement names the order;
- returns the returns report marks damaged by the carrier or in Amazon's warehouse
  (not by the customer), valued at the unit's cost.
- units the Inventory Ledger shows lost (reason M, 5) or damaged in Amazon's warehouses
  (E, 6, 7, H, K, U) at least the window before the last day of data, less units found
  again and units the settlements already reimbursed for the SKU, valued at unit cost.
Without an Inventory Ledger import that last check has nothing to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianxing.errors import LianxingError
from lianxing.fees.estimate import fba_fulfillment_fee
from lianxing.fees.schedules import FeeBook
from lianxing.fees.size_tier import SizeTier, size_tier
from lianxing.product_specs import ProductSpec
from lianxing.store import costing_store
from lianxing.store.database import Database

CENT = Decimal("0.01")
SIZE_TIERS, FBA_FEES = "amazon_size_tiers", "amazon_fba_fulfillment"  # schedule kinds
RETURN_WINDOW_DAYS = 45
MAX_EVIDENCE = 50  # file:line references kept per claim (the CSV export has them all)


@dataclass
class FeeClaim:
    store: str
    sku: str
    period: str  # YYYY-MM
    items: int
    units: int
    charged: Decimal
    expected: Decimal
    overcharge: Decimal
    currency: str
    charged_per_unit: Decimal  # the most frequent per-unit charge of the period
    expected_per_unit: Decimal
    size_tier: str
    shipping_weight_oz: Decimal
    fits: str | None  # which shipping weight the charged fee would fit
    schedule: str
    first_day: date
    last_day: date
    evidence: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        return {
            "store": self.store, "sku": self.sku, "period": self.period, "items": self.items,
            "units": self.units, "charged": self.charged, "expected": self.expected,
            "overcharge": self.overcharge, "currency": self.currency,
            "charged_per_unit": self.charged_per_unit,
            "expected_per_unit": self.expected_per_unit, "size_tier": self.size_tier,
            "shipping_weight_oz": self.shipping_weight_oz, "fits": self.fits,
            "schedule": self.schedule, "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(), "evidence": ", ".join(self.evidence),
        }  # fmt: skip


@dataclass
class AuditReport:
    claims: list[FeeClaim]
    reimbursements: list[dict[str, Any]]
    items_checked: int
    items_overcharged: int
    items_undercharged: int
    unaudited: dict[str, str]  # sku → why it could not be checked
    as_of: date | None
    inventory_ledger: bool = False  # whether warehouse losses could be checked

    @property
    def overcharge(self) -> Decimal:
        return sum((c.overcharge for c in self.claims), Decimal(0)).quantize(CENT)

    @property
    def owed(self) -> dict[str, Decimal]:
        """What the reimbursements are worth, per currency (unit costs may be in CNY)."""
        found: dict[str, Decimal] = {}
        for r in self.reimbursements:
            if r["amount"] is not None:
                found[r["currency"]] = found.get(r["currency"], Decimal(0)) + r["amount"]
        return {c: a.quantize(CENT) for c, a in sorted(found.items())}

    @property
    def owed_text(self) -> str:
        return ", ".join(f"{a} {c}" for c, a in self.owed.items()) or "0"


def _fits(
    book: FeeBook, spec: ProductSpec, tier: SizeTier, per_unit: Decimal, price: Decimal, day: date
) -> str | None:
    """Which measurement the charged fee fits, as evidence for the claim: the shipping
    weights at which the product would pay `per_unit`, with its own dimensions, else with
    its shortest side taller (the usual re-measure: a flat item recorded as thicker)."""
    assert spec.height_in is not None and spec.width_in is not None
    shortest = min(spec.length_in or spec.height_in, spec.width_in, spec.height_in)
    for side in (None, Decimal("1"), Decimal("2"), Decimal("4"), Decimal("8")):
        if side is not None and side <= shortest:
            continue
        trial_spec = spec if side is None else replace(spec, height_in=side)
        found: list[tuple[Decimal, str]] = []
        ounces = Decimal(1)
        while ounces <= 2400:  # to 150 lb: an ounce at a time below 3 lb, then a pound
            try:
                trial = size_tier(book, replace(trial_spec, weight_oz=ounces), day)
                fee: Decimal | None = fba_fulfillment_fee(book, trial, price, day).amount
            except LianxingError:
                fee = None
            if fee == per_unit:
                found.append((trial.shipping_weight_oz.normalize(), trial.name))
            ounces += 1 if ounces < 48 else 16
        if found:
            low, high = found[0][0], found[-1][0]
            what = f"{found[0][1]} at {low:f}–{high:f} oz"
            if side is not None:
                what += f" with a side of {side} in"
            ours = tier.shipping_weight_oz.normalize()
            return f"{what} (the spec: {tier.name}, {ours:f} oz)"
    return None


def _tables_on(book: FeeBook, day: date) -> tuple[str, str] | None:
    """The size-tier and FBA tables in force on `day` (None when one is missing: the
    estimate then fails with the gap named)."""
    try:
        return (book.covering(SIZE_TIERS, day).label, book.covering(FBA_FEES, day).label)
    except LianxingError:
        return None


def fba_claims(
    db: Database,
    book: FeeBook,
    store_ids: Sequence[str],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[FeeClaim], int, int, int, dict[str, str]]:
    """Overcharge claims per store, SKU and month; items checked, over- and
    under-charged; SKUs not checked with the reason."""
    specs = costing_store.specs(db)
    # Fees change only when a table does: the cache is per SKU, price and pair of tables
    # in force (size tiers, FBA fees), not per day.
    expected_cache: dict[tuple[str, Decimal, Any], Any] = {}
    tables: dict[date, Any] = {}
    fits_cache: dict[tuple[str, Decimal, Decimal, Any], str | None] = {}
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    unaudited: dict[str, str] = {}
    checked = over = under = 0
    for item in costing_store.fba_charges(db, store_ids, date_from, date_to):
        spec = specs.get(item.sku)
        if spec is None or not spec.has_dimensions:
            unaudited.setdefault(item.sku, "no_dimensions" if spec else "no_spec")
            continue
        price = (item.revenue / item.units).quantize(CENT, ROUND_HALF_UP)
        if item.day not in tables:
            tables[item.day] = _tables_on(book, item.day)
        key = (item.sku, price, tables[item.day] or item.day)
        if key not in expected_cache:
            try:
                tier = size_tier(book, spec, item.day)
                expected_cache[key] = (tier, fba_fulfillment_fee(book, tier, price, item.day))
            except LianxingError as exc:
                expected_cache[key] = exc
        found = expected_cache[key]
        if isinstance(found, LianxingError):
            unaudited.setdefault(item.sku, found.key)
            continue
        tier, fee = found
        checked += 1
        expected = fee.amount * item.units
        if item.fba_fee <= expected:
            under += item.fba_fee < expected
            continue
        over += 1
        period = item.day.strftime("%Y-%m")
        group = groups.setdefault(
            (item.store_id, item.sku, period),
            {"items": [], "tier": tier, "fee": fee, "spec": spec, "price": price,
             "tables": key[2]},
        )  # fmt: skip
        group["items"].append((item, expected))
    claims = []
    for (store, sku, period), group in sorted(groups.items()):
        items = group["items"]
        charged = sum((i.fba_fee for i, _ in items), Decimal(0)).quantize(CENT)
        expected = sum((e for _, e in items), Decimal(0)).quantize(CENT)
        units = sum(i.units for i, _ in items)
        per_unit = [(i.fba_fee / i.units).quantize(CENT, ROUND_HALF_UP) for i, _ in items]
        common = max(set(per_unit), key=lambda v: (per_unit.count(v), v))
        tier, fee = group["tier"], group["fee"]
        fits_key = (sku, common, group["price"], group["tables"])
        if fits_key not in fits_cache:
            fits_cache[fits_key] = _fits(book, group["spec"], tier, common, group["price"],
                                         items[0][0].day)  # fmt: skip
        evidence = [ref for i, _ in items for ref in i.evidence.split(",")][:MAX_EVIDENCE]
        claims.append(
            FeeClaim(
                store, sku, period, len(items), units, charged, expected, charged - expected,
                items[0][0].currency, common, fee.amount, tier.name, tier.shipping_weight_oz,
                fits_cache[fits_key],
                fee.source, min(i.day for i, _ in items), max(i.day for i, _ in items),
                evidence,
            )
        )  # fmt: skip
    return claims, checked, over, under, unaudited


def reimbursements(
    db: Database, store_ids: Sequence[str], *, as_of: date | None, window: int
) -> list[dict[str, Any]]:
    """Reimbursements the data shows are owed (see the module docstring)."""
    if as_of is None:
        return []
    found: list[dict[str, Any]] = []
    cutoff = as_of - timedelta(days=window)
    for row in costing_store.unreturned_refunds(db, store_ids, cutoff):
        missing = row["units"] - row["returned"]
        amount = (row["amount"] * missing / row["units"]).quantize(CENT, ROUND_HALF_UP)
        found.append({
            "kind": "refund_not_returned", "store": row["store"], "order_id": row["order_id"],
            "sku": row["sku"], "day": row["day"].isoformat(), "units": missing,
            "amount": amount, "currency": row["currency"],
            "basis": f"refunded {row['units']}, returned {row['returned']}, "
                     f"{(as_of - row['day']).days} days ago",
            "evidence": row["evidence"],
        })  # fmt: skip
    for row in costing_store.warehouse_losses(db, store_ids, cutoff):
        cost = costing_store.unit_cost_on(db, row["sku"], row["day"])
        found.append({
            "kind": "warehouse_lost_damaged", "store": row["store"], "order_id": None,
            "sku": row["sku"], "day": row["day"].isoformat(), "units": row["owed"],
            "amount": (cost[0] * row["owed"]).quantize(CENT, ROUND_HALF_UP) if cost else None,
            "currency": cost[1] if cost else None,
            "basis": f"lost {row['lost']}, damaged {row['damaged']}, found {row['found']}, "
                     f"reimbursed {row['reimbursed']} (inventory ledger)",
            "evidence": row["evidence"],
        })  # fmt: skip
    for row in costing_store.damaged_returns(db, store_ids):
        cost = costing_store.unit_cost_on(db, row["sku"], row["day"])
        found.append({
            "kind": row["disposition"].lower(), "store": row["store"],
            "order_id": row["order_id"], "sku": row["sku"], "day": row["day"].isoformat(),
            "units": row["units"],
            "amount": (cost[0] * row["units"]).quantize(CENT, ROUND_HALF_UP) if cost else None,
            "currency": cost[1] if cost else None,
            "basis": "unit cost" if cost else "no unit cost known",
            "evidence": row["evidence"],
        })  # fmt: skip
    return found


def audit(
    db: Database,
    book: FeeBook,
    amazon_stores: Sequence[str],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    window: int = RETURN_WINDOW_DAYS,
) -> AuditReport:
    claims, checked, over, under, unaudited = fba_claims(
        db, book, amazon_stores, date_from=date_from, date_to=date_to
    )
    as_of = costing_store.last_day(db)
    owed = reimbursements(db, amazon_stores, as_of=as_of, window=window)
    ledger = costing_store.has_inventory_ledger(db, amazon_stores)
    return AuditReport(claims, owed, checked, over, under, unaudited, as_of, ledger)
