"""The profit bridge: why net profit changed between two periods, to the cent.

The change in net profit is split into lines that add up to it exactly:

- **volume**, **mix** and **price** split the change in net product sales (sales less
  promotions): volume = change in units × period A's average net price; mix = what the
  shift between SKUs of different prices adds (units of B at each SKU's A price, less
  units of B at A's average price); price = the rest (units of B × each SKU's change in
  price). A SKU new in B sells at its own B price, so it adds volume and mix, not price;
- **advertising**, **platform fees**, **fulfillment**, **storage**, **inbound and
  freight**, **duties**, **returns and refunds** and **COGS**: each category's change;
- **other**: everything else (shipping revenue, reimbursements, payment processing,
  overheads, ...), so the lines always sum to the total change.

Lines are grouped as demand-, ads-, platform- and supply-chain-driven. With `by`, the
same lines are given per store or SKU (volume and mix together there: how one SKU's
units moved), which is the drill-down behind each line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianxing.errors import InputError

CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")

# (line, group, measures it is the change of); volume/mix/price come from sales.
COST_LINES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("advertising", "ads", ("advertising",)),
    ("platform_fees", "platform", ("platform_fees",)),
    ("fulfillment", "platform", ("fulfillment",)),
    ("storage", "platform", ("storage",)),
    ("inbound_and_freight", "supply_chain", ("inbound", "logistics")),
    ("duties", "supply_chain", ("duties",)),
    ("returns_and_refunds", "demand", ("refunds", "returns")),
    ("cogs", "supply_chain", ("cogs",)),
)
MEASURES = (
    "units",
    "sales",
    "promotions",
    "net_profit",
    *(m for _, _, ms in COST_LINES for m in ms),
)
GROUP_OF = {"volume": "demand", "mix": "demand", "price": "demand", "other": "other"}
GROUP_OF.update({name: group for name, group, _ in COST_LINES})


@dataclass(frozen=True)
class Period:
    label: str
    first: date
    last: date


def parse_period(text: str) -> Period:
    """`2026-10` (a month), `2026-Q4`, `2026`, or one day `2026-10-05`."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return Period(value, day, day)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            first = date.fromisoformat(value + "-01")
            nxt = (first + timedelta(days=32)).replace(day=1)
            return Period(value, first, nxt - timedelta(days=1))
        match = re.fullmatch(r"(\d{4})-Q([1-4])", value, flags=re.IGNORECASE)
        if match:
            year, quarter = int(match[1]), int(match[2])
            first = date(year, 3 * quarter - 2, 1)
            nxt = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
            return Period(f"{year}-Q{quarter}", first, nxt - timedelta(days=1))
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return Period(value, date(year, 1, 1), date(year, 12, 31))
    except ValueError:
        pass
    raise InputError.at("bridge.bad_period", value=text)


@dataclass
class Bridge:
    period_from: Period
    period_to: Period
    currency: str
    net_profit_from: Decimal
    net_profit_to: Decimal
    lines: list[dict[str, Any]]  # name, group, amount
    by: str | None = None
    breakdown: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_change(self) -> Decimal:
        return self.net_profit_to - self.net_profit_from


def _dec(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _price(sales: Decimal, units: Decimal) -> Decimal | None:
    return (sales / units).quantize(PRICE_PLACES, ROUND_HALF_UP) if units else None


def decompose(
    a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]], target: Decimal | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Decimal]]]:
    """Bridge lines from per-SKU sums of period A and B; and each SKU's share of them.

    `a` and `b` map a SKU (None: money on no SKU) to its sums of MEASURES. Everything is
    Decimal; the price line takes the rounding of prices, so the lines sum to the change
    exactly. Rounded to the cent, they add up to `target` (the change of the rounded
    profits a report shows; default: the exact change, rounded).
    """
    skus = sorted(set(a) | set(b), key=lambda s: (s is None, s or ""))
    zero: dict[str, Any] = {}

    def get(side: dict[str, dict[str, Any]], sku: Any, measure: str) -> Decimal:
        return _dec(side.get(sku, zero).get(measure))

    def net_sales(side: dict[str, dict[str, Any]], sku: Any) -> Decimal:
        return get(side, sku, "sales") + get(side, sku, "promotions")

    units_a = sum((get(a, s, "units") for s in skus), Decimal(0))
    units_b = sum((get(b, s, "units") for s in skus), Decimal(0))
    sales_a = sum((net_sales(a, s) for s in skus), Decimal(0))
    sales_b = sum((net_sales(b, s) for s in skus), Decimal(0))
    average_a = _price(sales_a, units_a)
    per_sku: dict[str, dict[str, Decimal]] = {}
    at_a_prices = Decimal(0)
    for sku in skus:
        ua, ub = get(a, sku, "units"), get(b, sku, "units")
        pa = _price(net_sales(a, sku), ua)
        pb = _price(net_sales(b, sku), ub)
        base = pa if pa is not None else pb  # a SKU new in B: its own price
        quantity = (ub * base if base is not None else Decimal(0)) - (
            ua * pa if pa is not None else Decimal(0)
        )
        at_a_prices += ub * base if base is not None else Decimal(0)
        change = net_sales(b, sku) - net_sales(a, sku)
        row = {"volume_and_mix": quantity, "price": change - quantity}
        for name, _group, measures in COST_LINES:
            row[name] = sum((get(b, sku, m) - get(a, sku, m) for m in measures), Decimal(0))
        row["net_profit"] = get(b, sku, "net_profit") - get(a, sku, "net_profit")
        row["other"] = (
            row["net_profit"]
            - row["volume_and_mix"]
            - row["price"]
            - sum(row[name] for name, _, _ in COST_LINES)
        )
        per_sku[sku] = row
    if average_a is None:  # nothing sold in A: all of B's units are new volume
        volume = sum((r["volume_and_mix"] for r in per_sku.values()), Decimal(0))
        mix = Decimal(0)
    else:
        volume = (units_b - units_a) * average_a
        mix = at_a_prices - units_b * average_a
    sales_change = sales_b - sales_a
    price = sales_change - volume - mix
    totals = {
        name: sum((r[name] for r in per_sku.values()), Decimal(0)) for name, _, _ in COST_LINES
    }
    net_change = sum((r["net_profit"] for r in per_sku.values()), Decimal(0))
    other = net_change - sales_change - sum(totals.values(), Decimal(0))
    amounts = {"volume": volume, "mix": mix, "price": price, **totals, "other": other}
    # Round each line to the cent; the largest line takes the rounding, so the rounded
    # lines still add up to the rounded change.
    rounded = {k: v.quantize(CENT, ROUND_HALF_UP) for k, v in amounts.items()}
    goal = target if target is not None else net_change.quantize(CENT, ROUND_HALF_UP)
    gap = goal - sum(rounded.values(), Decimal(0))
    if gap:
        biggest = max(rounded, key=lambda k: (abs(amounts[k]), k))
        rounded[biggest] += gap
    # abs() of a zero: never print "-0.00".
    lines = [
        {"name": k, "group": GROUP_OF[k], "amount": abs(v) if v == 0 else v}
        for k, v in rounded.items()
    ]
    return lines, per_sku
