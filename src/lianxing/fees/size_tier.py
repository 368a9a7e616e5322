"""The Amazon size tier of a product, from its dimensions and unit weight.

The tier rules are data (`amazon_size_tiers` tables, see docs/fees.md): a unit belongs
to the first tier whose limits it does not exceed, each tier weighing it by unit weight
or by the greater of unit and dimensional weight. The resulting shipping weight is what
the FBA fulfillment table is looked up by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from lianxing.errors import InputError
from lianxing.fees.schedules import FeeBook, SizeTierTable, TierRule
from lianxing.product_specs import ProductSpec

OUNCES_PER_POUND = Decimal(16)  # a unit conversion, not a fee figure
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class SizeTier:
    name: str  # "small_standard" | "large_standard" | "large_bulky" | "extra_large_..."
    longest_in: Decimal
    median_in: Decimal
    shortest_in: Decimal
    length_girth_in: Decimal
    unit_weight_oz: Decimal
    dim_weight_oz: Decimal
    shipping_weight_oz: Decimal  # what the fee table is looked up by
    source: str
    confirmed: bool = True


@dataclass(frozen=True)
class _Measures:
    longest: Decimal
    median: Decimal
    shortest: Decimal
    weight_oz: Decimal

    @property
    def length_girth(self) -> Decimal:
        return self.longest + 2 * (self.median + self.shortest)


def _measures(spec: ProductSpec) -> _Measures:
    sides = (spec.length_in, spec.width_in, spec.height_in)
    if spec.weight_oz is None or any(side is None for side in sides):
        raise InputError.at("fees.no_dimensions", file=spec.file, line=spec.line, sku=spec.sku)
    known = [side for side in sides if side is not None]
    if any(not v.is_finite() or v <= 0 for v in (*known, spec.weight_oz)):
        raise InputError.at("fees.bad_dimensions", file=spec.file, line=spec.line, sku=spec.sku)
    longest, median, shortest = sorted(known, reverse=True)
    return _Measures(longest, median, shortest, spec.weight_oz)


def dim_weight_oz(table: SizeTierTable, m: _Measures, rule: TierRule | None) -> Decimal:
    """Volume / divisor in pounds, as ounces rounded UP to 1/100 oz (rounding up never
    under-states a fee). A tier with a minimum side counts the two shorter sides as at
    least that long."""
    floor = rule.dim_min_side_in if rule is not None else None
    median, shortest = m.median, m.shortest
    if floor is not None:
        median, shortest = max(median, floor), max(shortest, floor)
    pounds = m.longest * median * shortest / table.dim_divisor
    return (pounds * OUNCES_PER_POUND).quantize(_HUNDREDTH, rounding=ROUND_CEILING)


def _shipping_weight(table: SizeTierTable, m: _Measures, rule: TierRule) -> Decimal:
    if rule.weight == "unit":
        return m.weight_oz
    return max(m.weight_oz, dim_weight_oz(table, m, rule))


def _fits(rule: TierRule, m: _Measures, shipping_oz: Decimal) -> bool:
    checks = (
        (rule.max_shipping_weight_oz, shipping_oz),
        (rule.max_longest_in, m.longest),
        (rule.max_median_in, m.median),
        (rule.max_shortest_in, m.shortest),
        (rule.max_length_girth_in, m.length_girth),
    )
    return all(limit is None or value <= limit for limit, value in checks)


def size_tier(book: FeeBook, spec: ProductSpec, day: date) -> SizeTier:
    """The size tier of `spec` under the tier rules in force on `day`.
    InputError "fees.no_dimensions" if the spec lacks dimensions or weight."""
    m = _measures(spec)
    schedule, table = book.table("amazon_size_tiers", day, SizeTierTable)
    for rule in table.tiers:
        shipping = _shipping_weight(table, m, rule)
        if _fits(rule, m, shipping):
            source = f"{schedule.label} · {rule.name} · {rule.origin.source}"
            if rule.weight == "greater" and table.dim_source:
                source += f" · {table.dim_source}"
            return SizeTier(
                name=rule.name,
                longest_in=m.longest,
                median_in=m.median,
                shortest_in=m.shortest,
                length_girth_in=m.length_girth,
                unit_weight_oz=m.weight_oz,
                dim_weight_oz=dim_weight_oz(table, m, rule),
                shipping_weight_oz=shipping,
                source=source,
                confirmed=rule.origin.confirmed,
            )
    raise InputError.at(
        "fees.no_tier",
        file=schedule.origin.file,
        line=schedule.origin.line,
        sku=spec.sku,
        table=schedule.label,
    )
