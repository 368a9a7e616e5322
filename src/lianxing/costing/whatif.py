"""What-if unit economics: a SKU's price, every fee, landed cost, profit, margin and
break-even ACoS now and under a scenario, side by side; and the same summed over a
store's recent sales ("if the China tariff rose 10 points, store profit changes by …").

"Now" is the product's latest landed lot (its goods, freight, duty, MPF, HMF and
placement per unit), else its cost list entry converted to USD, and the fee schedules in
force on the chosen day. A scenario may change:
- the price (`price`), which moves the referral and payment fees and the FBA price band;
- the tariff: `+10` adds ten points of duty on the goods value (program "scenario"),
  `=25%` (or `25%`) replaces every duty of the line by 25 % of the goods value; a bare
  `10` is refused as ambiguous;
- the freight mode (`sea` | `air`): freight per unit re-costed at the rate the seller's
  own batches of that mode paid (USD per cubic foot by sea, per ounce by air);
- the day (`day`), which picks other fee schedules (the January fee changes).
Nothing is written: this reads the ledger, the lots and the schedules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianxing.errors import InputError
from lianxing.fees.estimate import cubic_feet, estimate
from lianxing.fees.schedules import FeeBook
from lianxing.product_specs import ProductSpec
from lianxing.store import costing_store
from lianxing.store.database import Database

CENT = Decimal("0.01")
FOUR = Decimal("0.0001")
PARTS = ("goods", "freight", "duty", "mpf", "hmf", "placement")


@dataclass(frozen=True)
class Scenario:
    price: Decimal | None = None
    tariff_add: Decimal | None = None  # a fraction added to the duty rate
    tariff_set: Decimal | None = None  # a fraction replacing every duty
    freight: str | None = None  # sea | air
    day: date | None = None

    @property
    def empty(self) -> bool:
        return self == Scenario()


def parse_tariff(text: str) -> tuple[Decimal | None, Decimal | None]:
    """(add, set) from '+10' / '-5%' (points added) or '=25%' / '=25' / '25%' (the new
    rate). A bare '10' is refused: ten points more, or a duty of 10 %, is the user's to say."""
    match = re.fullmatch(r"\s*([+=-]?)\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*", text)
    if not match or not (match.group(1) or match.group(3)):
        raise InputError.at("whatif.bad_tariff", value=text)
    number = Decimal(match.group(2)) / 100
    if number > 5:
        raise InputError.at("whatif.bad_tariff", value=text)
    if match.group(1) == "+":
        return number, None
    if match.group(1) == "-":
        return -number, None
    return None, number


@dataclass
class UnitCost:
    """Landed cost of one unit by part, USD, and where it came from."""

    parts: dict[str, Decimal]
    source: str
    mode: str | None = None
    duty_rate: Decimal | None = None  # the duty ÷ goods of the lot it came from

    @property
    def total(self) -> Decimal:
        return sum(self.parts.values(), Decimal(0))


def unit_cost(db: Database, sku: str, day: date) -> UnitCost | None:
    """The SKU's latest landed lot arrived by `day` (else its latest), else the cost list."""
    lots = [x for x in costing_store.lots(db) if x["sku"] == sku]
    if lots:
        arrived = [x for x in lots if x["arrived_on"] <= day] or lots
        lot = arrived[-1]
        parts = {p: (Decimal(lot[p]) / lot["units"]).quantize(FOUR, ROUND_HALF_UP) for p in PARTS}
        rate = Decimal(lot["duty"]) / Decimal(lot["goods"]) if lot["goods"] else None
        return UnitCost(parts, f"{lot['file_name']}:{lot['line']} ({lot['batch_id']})",
                        lot["mode"], rate)  # fmt: skip
    row = db.con.execute(
        """SELECT c.unit_cost, c.freight, c.duty, c.currency, s.file_name, c.line
           FROM cogs c JOIN sources s USING (source_id)
           WHERE c.sku = ? AND c.effective_from <= ? ORDER BY c.effective_from DESC LIMIT 1""",
        [sku, day],
    ).fetchone()
    if row is None:
        return None
    rate = Decimal(1)
    if row[3] != "USD":
        found = db.con.execute(
            """SELECT rate FROM fx_rates WHERE from_currency = ? AND to_currency = 'USD'
               AND day <= ? ORDER BY day DESC LIMIT 1""",
            [row[3], day],
        ).fetchone()
        if found is None:
            raise InputError.at("fx.missing", pair=f"{row[3]}→USD", date=day.isoformat())
        rate = Decimal(found[0])
    values = [(Decimal(v) * rate).quantize(FOUR, ROUND_HALF_UP) for v in row[:3]]
    parts = dict.fromkeys(PARTS, Decimal(0))
    parts["goods"], parts["freight"], parts["duty"] = values
    return UnitCost(parts, f"{row[4]}:{row[5]} (cost list, {row[3]})")


def freight_rates(db: Database, specs: dict[str, ProductSpec]) -> dict[str, Decimal]:
    """USD of freight per cubic foot (sea) and per ounce (air) the seller's own batches
    paid: each mode's freight over the volume or weight it carried."""
    totals: dict[str, list[Decimal]] = {}
    for lot in costing_store.lots(db):
        spec = specs.get(lot["sku"])
        if spec is None or not spec.has_dimensions:
            continue
        measure = cubic_feet(spec) if lot["mode"] == "sea" else spec.weight_oz
        assert measure is not None
        entry = totals.setdefault(lot["mode"], [Decimal(0), Decimal(0)])
        entry[0] += Decimal(lot["freight"])
        entry[1] += measure * lot["units"]
    return {mode: t[0] / t[1] for mode, t in totals.items() if t[1] > 0}


def _scenario_cost(
    base: UnitCost, scenario: Scenario, spec: ProductSpec, rates: dict[str, Decimal]
) -> UnitCost:
    parts = dict(base.parts)
    if scenario.tariff_set is not None:
        parts["duty"] = (parts["goods"] * scenario.tariff_set).quantize(FOUR, ROUND_HALF_UP)
    elif scenario.tariff_add is not None:
        extra = parts["goods"] * scenario.tariff_add
        parts["duty"] = (parts["duty"] + extra).quantize(FOUR, ROUND_HALF_UP)
    mode = base.mode
    if scenario.freight is not None and scenario.freight != base.mode:
        if scenario.freight not in rates:
            raise InputError.at("whatif.no_freight_rate", mode=scenario.freight)
        measure = cubic_feet(spec) if scenario.freight == "sea" else spec.weight_oz
        assert measure is not None
        parts["freight"] = (measure * rates[scenario.freight]).quantize(FOUR, ROUND_HALF_UP)
        if scenario.freight == "air":
            parts["hmf"] = Decimal(0)  # the harbor fee is charged on ocean freight only
        mode = scenario.freight
    return UnitCost(parts, base.source, mode, base.duty_rate)


@dataclass
class Side:
    price: Decimal
    day: date
    fees: list[dict[str, Any]]
    cost: UnitCost
    size_tier: str | None

    @property
    def fee_total(self) -> Decimal:
        return sum((Decimal(f["amount"]) for f in self.fees), Decimal(0))

    @property
    def profit(self) -> Decimal:
        return (self.price - self.fee_total - self.cost.total).quantize(CENT, ROUND_HALF_UP)

    @property
    def margin(self) -> Decimal:
        return (self.profit / self.price).quantize(FOUR, ROUND_HALF_UP)

    @property
    def break_even_acos(self) -> Decimal:
        """Ad spend ÷ ad sales at which an ad-driven sale earns nothing."""
        return max(self.margin, Decimal(0))


@dataclass
class UnitWhatIf:
    sku: str
    platform: str
    now: Side
    then: Side
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """One row per line of the comparison: name, now, scenario, change."""
        names = [f["name"] for f in self.now.fees]
        names += [f["name"] for f in self.then.fees if f["name"] not in names]

        def fee(side: Side, name: str) -> Decimal:
            return sum((Decimal(f["amount"]) for f in side.fees if f["name"] == name), Decimal(0))

        lines: list[tuple[str, Decimal, Decimal]] = [("price", self.now.price, self.then.price)]
        lines += [(f"fee:{n}", fee(self.now, n), fee(self.then, n)) for n in names]
        lines += [(f"cost:{p}", self.now.cost.parts[p], self.then.cost.parts[p]) for p in PARTS]
        lines += [
            ("landed_cost", self.now.cost.total, self.then.cost.total),
            ("fees", self.now.fee_total, self.then.fee_total),
            ("profit", self.now.profit, self.then.profit),
            ("margin", self.now.margin, self.then.margin),
            ("break_even_acos", self.now.break_even_acos, self.then.break_even_acos),
        ]
        return [{"line": n, "now": a, "scenario": b, "change": b - a} for n, a, b in lines]


def _side(
    book: FeeBook, spec: ProductSpec, price: Decimal, day: date, platform: str,
    plan: str | None, cost: UnitCost,
) -> Side:  # fmt: skip
    found = estimate(book, spec, price, day, platform=platform, plan=plan)
    fees = [line.as_json() for line in found.lines]
    return Side(price, day, fees, cost, found.size_tier.name if found.size_tier else None)


def unit_whatif(
    db: Database,
    book: FeeBook,
    sku: str,
    scenario: Scenario,
    *,
    price: Decimal | None,
    day: date,
    sales_end: date,
    store_id: str | None = None,
    platform: str = "amazon",
    plan: str | None = None,
) -> UnitWhatIf:
    """`day` picks the fee tables and the latest lot; the price is the average of the
    30 days of sales up to `sales_end` (in `store_id`, else every store)."""
    specs = costing_store.specs(db)
    spec = specs.get(sku)
    if spec is None:
        raise InputError.at("whatif.no_spec", sku=sku)
    if price is None:
        try:
            price = recent_price(db, sku, sales_end, store_id)
        except InputError:
            if scenario.price is None:
                raise
            price = scenario.price  # nothing sold lately: compare at the price asked about
    base = unit_cost(db, sku, day)
    if base is None:
        raise InputError.at("whatif.no_cost", sku=sku)
    then_cost = _scenario_cost(base, scenario, spec, freight_rates(db, specs))
    now = _side(book, spec, price, day, platform, plan, base)
    then = _side(book, spec, scenario.price or price, scenario.day or day, platform, plan,
                 then_cost)  # fmt: skip
    return UnitWhatIf(sku, platform, now, then)


def recent_price(db: Database, sku: str, day: date, store_id: str | None = None) -> Decimal:
    """The SKU's average selling price over the 30 days up to `day`."""
    sales = costing_store.sku_sales(db, store_id, day - timedelta(days=29), day)
    units = sum(s[2] for s in sales if s[1] == sku)
    revenue = sum((s[3] for s in sales if s[1] == sku), Decimal(0))
    if not units:
        raise InputError.at("whatif.no_price", sku=sku)
    return (revenue / units).quantize(CENT, ROUND_HALF_UP)


def store_whatif(
    db: Database,
    book: FeeBook,
    scenario: Scenario,
    *,
    store_id: str | None,
    platforms: dict[str, str],
    day: date,
    sales_end: date,
    days: int = 30,
    origin: str | None = None,
    plan: str | None = None,
) -> dict[str, Any]:
    """The scenario over a store's `days` days of sales up to `sales_end`, priced with
    the fee tables and lots of `day`: per SKU the units, profit per unit now and then,
    and the change in profit over those days."""
    specs = costing_store.specs(db)
    rates = freight_rates(db, specs)
    rows: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for store, sku, units, revenue, _currency in costing_store.sku_sales(
        db, store_id, sales_end - timedelta(days=days - 1), sales_end
    ):
        spec = specs.get(sku)
        if origin and (spec is None or spec.origin != origin):
            continue
        price = (revenue / units).quantize(CENT, ROUND_HALF_UP)
        platform = platforms.get(store, "amazon")
        try:
            base = unit_cost(db, sku, day)
            if spec is None or base is None:
                reason = "no_spec" if spec is None else "no_cost"
                skipped.append({"store": store, "sku": sku, "reason": reason})
                continue
            then_cost = _scenario_cost(base, scenario, spec, rates)
            now = _side(book, spec, price, day, platform, plan, base)
            then = _side(book, spec, scenario.price or price, scenario.day or day, platform,
                         plan, then_cost)  # fmt: skip
        except InputError as exc:
            skipped.append({"store": store, "sku": sku, "reason": exc.key})
            continue
        rows.append({
            "store": store, "sku": sku, "units": units, "price": price,
            "profit_per_unit_now": now.profit, "profit_per_unit_scenario": then.profit,
            "profit_now": now.profit * units, "profit_scenario": then.profit * units,
            "change": (then.profit - now.profit) * units,
        })  # fmt: skip
    total_now = sum((r["profit_now"] for r in rows), Decimal(0))
    total_then = sum((r["profit_scenario"] for r in rows), Decimal(0))
    return {
        "store": store_id, "from": (sales_end - timedelta(days=days - 1)).isoformat(),
        "to": sales_end.isoformat(), "fees_on": day.isoformat(), "rows": rows, "skipped": skipped,
        "profit_now": total_now, "profit_scenario": total_then,
        "change": total_then - total_now,
    }  # fmt: skip


def readable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What-if rows for a table: line names in the user's language, ratios as percents."""
    from lianxing.i18n import whatif_label

    shown = []
    for row in rows:
        if row["line"] in ("margin", "break_even_acos"):
            row = {**row, **{k: f"{row[k] * 100:.1f}%" for k in ("now", "scenario")},
                   "change": f"{row['change'] * 100:+.1f} pt"}  # fmt: skip
        shown.append({**row, "line": whatif_label(row["line"])})
    return shown
