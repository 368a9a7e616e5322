"""Per-unit marketplace fees of selling a product at a price on a day.

`estimate` gives the per-order fees (Amazon referral + FBA fulfillment, Walmart
referral, Shopify Payments); storage, the aged-inventory surcharge, the low-inventory
fee and inbound placement are separate functions because they are not charged per
order. Every figure comes from the fee book, and every `FeeLine` names the table, the
row and the source it came from and whether that figure is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from lianxing.errors import InputError
from lianxing.fees.schedules import (
    AgedTable,
    FeeBook,
    FulfillmentRow,
    FulfillmentTable,
    LowInventoryTable,
    Origin,
    PaymentTable,
    PlacementTable,
    ReferralCategory,
    ReferralTable,
    Schedule,
    StorageTable,
)
from lianxing.fees.size_tier import SizeTier, size_tier
from lianxing.product_specs import ProductSpec

CENT = Decimal("0.01")
CUBIC_INCHES_PER_FOOT = Decimal(1728)  # a unit conversion, not a fee figure

PLATFORMS = ("amazon", "walmart", "shopify")
FULFILMENTS = ("fba", "fbm")
REFERRAL_KINDS = {"amazon": "amazon_referral", "walmart": "walmart_referral"}

# FeeLine.category: the ledger category (data/categories.toml) each fee is booked under.
LEDGER = {
    "referral": "platform_fees.referral",
    "fba_fulfillment": "fulfillment.fba",
    "storage": "storage.monthly",
    "aged_surcharge": "storage.aged_surcharge",
    "low_inventory": "storage.low_inventory",
    "placement": "inbound.placement",
    "payment": "payment_processing.shopify_payments",
}


@dataclass(frozen=True)
class FeeLine:
    name: str  # stable id: "referral", "fba_fulfillment", "storage", ...
    category: str  # the ledger category it corresponds to
    amount: Decimal  # a cost, positive, per unit, cents
    currency: str
    source: str
    confirmed: bool
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "category": self.category,
            "amount": str(self.amount),
            "currency": self.currency,
            "source": self.source,
            "confirmed": self.confirmed,
            "note": self.note,
        }


@dataclass(frozen=True)
class FeeEstimate:
    sku: str
    platform: str
    price: Decimal
    day: date
    currency: str
    size_tier: SizeTier | None
    referral_fee: Decimal
    fulfillment_fee: Decimal | None
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def confirmed(self) -> bool:
        return all(line.confirmed for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        tier = self.size_tier
        return {
            "sku": self.sku,
            "platform": self.platform,
            "price": str(self.price),
            "date": self.day.isoformat(),
            "currency": self.currency,
            "size_tier": tier.name if tier else None,
            "shipping_weight_oz": str(tier.shipping_weight_oz) if tier else None,
            "referral_fee": str(self.referral_fee),
            "fulfillment_fee": None if self.fulfillment_fee is None else str(self.fulfillment_fee),
            "total": str(self.total),
            "confirmed": self.confirmed,
            "lines": [line.as_json() for line in self.lines],
        }


# ---- helpers -------------------------------------------------------------------------------


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_price(price: Decimal, sku: str = "") -> None:
    if not isinstance(price, Decimal) or not price.is_finite() or price <= 0:
        raise InputError.at("fees.bad_price", price=str(price), sku=sku)


def _line(
    name: str,
    amount: Decimal,
    schedule: Schedule,
    what: str,
    origin: Origin,
    note: str | None = None,
) -> FeeLine:
    notes = [n for n in (note, origin.note) if n]
    return FeeLine(
        name=name,
        category=LEDGER[name],
        amount=cents(amount),
        currency=schedule.currency,
        source=f"{schedule.label} · {what} · {origin.source}",
        confirmed=origin.confirmed,
        note="; ".join(notes) or None,
    )


def _money(value: Decimal) -> str:
    return f"${value}"


# ---- referral ------------------------------------------------------------------------------


def _rate_amount(category: ReferralCategory, price: Decimal) -> Decimal:
    """The percentage part of a referral fee, unrounded."""
    if category.rule == "marginal":
        total, floor = Decimal(0), Decimal(0)
        for band in category.bands:
            top = price if band.up_to is None else min(price, band.up_to)
            if top > floor:
                total += (top - floor) * band.percent / 100
            floor = top if band.up_to is None else band.up_to
        return total
    band = next(b for b in category.bands if b.up_to is None or price <= b.up_to)
    return price * band.percent / 100


def _pick_category(
    table: ReferralTable, platform: str, category: str | None, sku: str
) -> tuple[ReferralCategory, str | None]:
    if category is None or not category.strip():
        raise InputError.at("fees.no_category", sku=sku, platform=platform)
    found = table.find(category)
    if found is not None:
        return found, None
    catch_all = table.catch_all
    if catch_all is None:
        raise InputError.at(
            "fees.unknown_category",
            sku=sku,
            category=category,
            platform=platform,
            known=", ".join(table.names),
        )
    note = (
        f"category '{category}' is not in the {platform} schedule: "
        f"the catch-all '{catch_all.name}' ({catch_all.describe()}) applied"
    )
    return catch_all, note


def referral_fee(
    book: FeeBook,
    platform: str,
    category: str | None,
    price: Decimal,
    day: date,
    sku: str = "",
) -> FeeLine:
    """The referral fee of one unit at `price` (the total sales price) on `day`: the
    category's rate, but at least the table's per-item minimum."""
    _check_price(price, sku)
    kind = REFERRAL_KINDS.get(platform)
    if kind is None:
        known = ", ".join(REFERRAL_KINDS)
        raise InputError.at("fees.unknown_platform", platform=platform, known=known)
    schedule, table = book.table(kind, day, ReferralTable)
    chosen, note = _pick_category(table, platform, category, sku)
    amount = cents(_rate_amount(chosen, price))
    minimum = table.minimum_fee
    if minimum is not None and amount < minimum:
        amount = minimum
        applied = f"the {_money(minimum)} per-item minimum applied"
        note = f"{note}; {applied}" if note else applied
    what = f"{chosen.name}: {chosen.describe()}"
    if minimum is not None:
        what += f", minimum {_money(minimum)}"
    return _line("referral", amount, schedule, what, chosen.origin, note)


# ---- FBA fulfillment -----------------------------------------------------------------------


def _row_fee(row: FulfillmentRow, weight_oz: Decimal) -> Decimal:
    if row.above_oz is None or row.step_oz is None or row.step_fee is None:
        return row.fee
    over = max(Decimal(0), weight_oz - row.above_oz)
    steps = (over / row.step_oz).to_integral_value(rounding=ROUND_CEILING)
    return row.fee + steps * row.step_fee


def _describe_row(row: FulfillmentRow, band_label: str) -> str:
    limit = f" ≤ {row.up_to_oz} oz" if row.up_to_oz is not None else ""
    text = f"{row.tier}{limit}, {band_label}"
    if row.step_fee is not None:
        step = f"{_money(row.step_fee)} per {row.step_oz} oz above {row.above_oz} oz"
        text += f" ({_money(row.fee)} + {step})"
    return text


def _find_row(
    schedule: Schedule, table: FulfillmentTable, tier: SizeTier, band: str
) -> FulfillmentRow:
    rows = [r for r in table.rows if r.tier == tier.name and (r.bands is None or band in r.bands)]
    if not rows:
        raise InputError.at(
            "fees.no_rate",
            file=schedule.origin.file,
            line=schedule.origin.line,
            table=schedule.label,
            tier=tier.name,
        )
    weight = tier.shipping_weight_oz
    rows.sort(key=lambda r: (r.up_to_oz is None, r.up_to_oz))
    for row in rows:
        if row.up_to_oz is None or weight <= row.up_to_oz:
            return row
    raise InputError.at(
        "fees.weight_beyond_table",
        file=schedule.origin.file,
        line=rows[-1].origin.line,
        table=schedule.label,
        tier=tier.name,
        weight_oz=str(weight),
        max_oz=str(rows[-1].up_to_oz),
    )


def fba_fulfillment_fee(book: FeeBook, tier: SizeTier, price: Decimal, day: date) -> FeeLine:
    """The FBA fulfillment fee of one unit of `tier` sold at `price` on `day`."""
    _check_price(price)
    schedule, table = book.table("amazon_fba_fulfillment", day, FulfillmentTable)
    band = table.band(price)
    row = _find_row(schedule, table, tier, band.id)
    amount = _row_fee(row, tier.shipping_weight_oz)
    what = f"{_describe_row(row, band.label)}, shipping weight {tier.shipping_weight_oz} oz"
    return _line("fba_fulfillment", amount, schedule, what, row.origin, schedule.origin.note)


# ---- Shopify Payments ----------------------------------------------------------------------


def payment_fee(book: FeeBook, price: Decimal, day: date, plan: str | None = None) -> FeeLine:
    """Shopify Payments' card fee on one order of `price` (plan default "basic")."""
    _check_price(price)
    schedule, table = book.table("shopify_payments", day, PaymentTable)
    wanted = plan or "basic"
    found = table.find(wanted)
    if found is None:
        known = ", ".join(p.plan for p in table.plans)
        raise InputError.at("fees.unknown_plan", plan=wanted, known=known)
    amount = price * found.percent / 100 + found.fixed
    what = f"{found.plan} plan: {found.percent}% + {_money(found.fixed)}"
    return _line("payment", amount, schedule, what, found.origin, schedule.origin.note)


# ---- the per-order estimate ----------------------------------------------------------------


def _check_options(platform: str, fulfilment: str) -> None:
    if platform not in PLATFORMS:
        raise InputError.at("fees.unknown_platform", platform=platform, known=", ".join(PLATFORMS))
    if platform == "amazon" and fulfilment not in FULFILMENTS:
        known = ", ".join(FULFILMENTS)
        raise InputError.at("fees.unknown_fulfilment", fulfilment=fulfilment, known=known)


def estimate(
    book: FeeBook,
    spec: ProductSpec,
    price: Decimal,
    day: date,
    *,
    platform: str = "amazon",
    fulfilment: str = "fba",
    plan: str | None = None,
) -> FeeEstimate:
    """Per-unit fees of selling one unit at `price` on `day`. Amazon FBA: referral + FBA
    fulfillment. Amazon FBM (fulfilment="fbm"): referral only. Walmart: referral.
    Shopify: payment (plan default "basic"). Storage/placement are NOT in the per-order
    estimate (they are separate functions)."""
    _check_price(price, spec.sku)
    _check_options(platform, fulfilment)
    if platform == "shopify":
        line = payment_fee(book, price, day, plan)
        return FeeEstimate(
            spec.sku, platform, price, day, line.currency, None, cents(Decimal(0)), None, (line,)
        )
    referral = referral_fee(book, platform, spec.category, price, day, spec.sku)
    tier, fulfilment_line = None, None
    if platform == "amazon" and fulfilment == "fba":
        tier = size_tier(book, spec, day)
        fulfilment_line = fba_fulfillment_fee(book, tier, price, day)
    lines = (referral,) if fulfilment_line is None else (referral, fulfilment_line)
    return FeeEstimate(
        sku=spec.sku,
        platform=platform,
        price=price,
        day=day,
        currency=referral.currency,
        size_tier=tier,
        referral_fee=referral.amount,
        fulfillment_fee=None if fulfilment_line is None else fulfilment_line.amount,
        lines=lines,
    )


# ---- inventory fees (not per order) --------------------------------------------------------


def cubic_feet(spec: ProductSpec) -> Decimal:
    """The unit's volume in cubic feet, from its dimensions (inches)."""
    sides = (spec.length_in, spec.width_in, spec.height_in)
    if any(side is None for side in sides):
        raise InputError.at("fees.no_dimensions", file=spec.file, line=spec.line, sku=spec.sku)
    volume = Decimal(1)
    for side in sides:
        assert side is not None
        volume *= side
    return volume / CUBIC_INCHES_PER_FOOT


def monthly_storage_fee(book: FeeBook, spec: ProductSpec, month: date) -> FeeLine:
    """Monthly storage of one unit in the month of `month` (cubic feet × the rate for its
    tier and month), in cents."""
    tier = size_tier(book, spec, month)
    schedule, table = book.table("amazon_monthly_storage", month, StorageTable)
    rate = next((r for r in table.rates if tier.name in r.tiers and month.month in r.months), None)
    if rate is None:
        raise InputError.at(
            "fees.no_rate",
            file=schedule.origin.file,
            line=schedule.origin.line,
            table=schedule.label,
            tier=tier.name,
        )
    volume = cubic_feet(spec)
    what = f"{tier.name}, month {month.month}: {_money(rate.per_cubic_foot)}/ft³ × {volume:.4f} ft³"
    return _line("storage", volume * rate.per_cubic_foot, schedule, what, rate.origin)


def aged_surcharge(book: FeeBook, spec: ProductSpec, day: date, age_days: int) -> FeeLine | None:
    """The aged-inventory surcharge of one unit `age_days` old on `day` (per cubic foot,
    or the per-unit figure where the band has one and it is greater); None below the
    first band."""
    if age_days < 0:
        raise InputError.at("fees.bad_days", field="age_days", value=age_days, sku=spec.sku)
    schedule, table = book.table("amazon_aged_surcharge", day, AgedTable)
    band = next(
        (
            b
            for b in table.bands
            if b.from_days <= age_days and (b.to_days is None or age_days <= b.to_days)
        ),
        None,
    )
    if band is None:
        return None
    volume = cubic_feet(spec)
    amount = volume * band.per_cubic_foot
    span = f"{band.from_days}–{band.to_days}" if band.to_days else f"{band.from_days}+"
    what = f"{span} days: {_money(band.per_cubic_foot)}/ft³ × {volume:.4f} ft³"
    note = None
    if band.per_unit is not None:
        what += f" or {_money(band.per_unit)}/unit if greater"
        if band.per_unit > cents(amount):
            amount, note = band.per_unit, "the per-unit figure applied (it is greater)"
    return _line("aged_surcharge", amount, schedule, what, band.origin, note)


def low_inventory_fee(
    book: FeeBook, spec: ProductSpec, day: date, days_of_supply: Decimal
) -> FeeLine | None:
    """The low-inventory-level fee per unit shipped when the SKU has `days_of_supply`
    days of supply; None when it has enough, or its tier pays no such fee."""
    if not days_of_supply.is_finite() or days_of_supply < 0:
        raise InputError.at(
            "fees.bad_days", field="days_of_supply", value=str(days_of_supply), sku=spec.sku
        )
    tier = size_tier(book, spec, day)
    schedule, table = book.table("amazon_low_inventory", day, LowInventoryTable)
    rows = sorted(
        (r for r in table.rows if r.tier == tier.name),
        key=lambda r: (r.up_to_oz is None, r.up_to_oz),
    )
    weight = tier.shipping_weight_oz
    row = next((r for r in rows if r.up_to_oz is None or weight <= r.up_to_oz), None)
    if row is None:
        return None
    band = next((b for b in row.bands if days_of_supply < b.below_days), None)
    if band is None:
        return None
    limit = f" ≤ {row.up_to_oz} oz" if row.up_to_oz is not None else ""
    what = f"{tier.name}{limit}, under {band.below_days} days of supply"
    return _line("low_inventory", band.fee, schedule, what, row.origin, schedule.origin.note)


def placement_fee(book: FeeBook, spec: ProductSpec, day: date, which: str = "max") -> FeeLine:
    """The inbound placement fee per unit (minimal split). The table holds a range; the
    estimate takes its top ("max", the default: never under-state a cost) or "min"."""
    if which not in ("min", "max"):
        raise InputError.at("fees.bad_which", which=which)
    tier = size_tier(book, spec, day)
    schedule, table = book.table("amazon_inbound_placement", day, PlacementTable)
    rows = sorted(
        (r for r in table.rows if r.tier == tier.name),
        key=lambda r: (r.up_to_oz is None, r.up_to_oz),
    )
    weight = tier.shipping_weight_oz
    row = next((r for r in rows if r.up_to_oz is None or weight <= r.up_to_oz), None)
    if row is None:
        raise InputError.at(
            "fees.no_rate",
            file=schedule.origin.file,
            line=schedule.origin.line,
            table=schedule.label,
            tier=tier.name,
        )
    amount = row.max if which == "max" else row.min
    limit = f" ≤ {row.up_to_oz} oz" if row.up_to_oz is not None else ""
    what = f"{tier.name}{limit}: {_money(row.min)}–{_money(row.max)}, {which} taken"
    return _line("placement", amount, schedule, what, row.origin, schedule.origin.note)
