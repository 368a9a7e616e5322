"""Demo data: one believable year of a US Amazon FBA seller's files, in real formats.

`write_demo_files` writes what such a seller would download or keep by hand:

* Amazon "flat file V2" settlement reports (tab-separated, one per 14-day period),
  with orders, refunds, promotions, fees, storage, subscription, advertising,
  reimbursements, removals and the rolling reserve;
* a COGS sheet in CNY (the seller buys in China), with mid-year cost changes and two
  selling SKUs deliberately left without a cost;
* a daily USD→CNY rate table.

The files exist to exercise the real importers and reports end to end (`lianxing demo`,
tests, benchmarks), so they follow the platform formats exactly: every settlement's
summary `total-amount` is the exact sum of its rows, like Amazon's.

Everything is drawn from `random.Random` streams seeded from `seed`: the same seed and
scale give byte-identical files. Random floats only pick quantities, prices from a
ladder and probabilities; every money amount is a `Decimal` rounded to the cent.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from lianxing import demo_long_term, demo_platforms, demo_reports, demo_sheets, demo_transactions
from lianxing.formats import AMAZON_SETTLEMENT_V2_COLUMNS

# The demo store's zone: settlements date an item by its posting day there.
_LA = ZoneInfo("America/Los_Angeles")

__all__ = ["SETTLEMENT_V2_HEADER", "DemoFiles", "write_demo_files"]

SETTLEMENT_V2_HEADER = AMAZON_SETTLEMENT_V2_COLUMNS
COGS_HEADER: tuple[str, ...] = ("sku", "effective_from", "unit_cost", "currency", "freight", "duty")
FX_HEADER: tuple[str, ...] = ("date", "from", "to", "rate")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CURRENCY = "USD"
MARKETPLACE = "Amazon.com"
PERIOD_DAYS = 14
# Amazon closes US settlement periods at midnight Pacific, i.e. 08:00 UTC.
PERIOD_CUTOFF_HOUR = 8

# Orders per day at scale=1 before seasonality; tuned so a year has roughly 20k
# order items (the brief asks for 15k–30k).
BASE_ORDERS_PER_DAY = 40.0
COMMISSION_RATE = Decimal("0.15")
MIN_COMMISSION_PER_UNIT = Decimal("0.30")
REFUND_COMMISSION_CREDIT = Decimal("0.80")
REFUND_ADMIN_RATE = Decimal("0.20")
REFUND_ADMIN_CAP = Decimal("5.00")
SUBSCRIPTION_FEE = Decimal("39.99")
# The months whose storage charge is partly a long-term storage fee, and that part.
LONG_TERM_MONTHS = (2, 8)
LONG_TERM_SHARE = Decimal("0.25")
CNY_PER_USD_FOR_COSTS = Decimal("7.2")

# (category code, number of SKUs, how much more than average it sells in Nov–Dec).
_CATEGORIES: tuple[tuple[str, int, float], ...] = (
    ("KITCH", 10, 1.3),
    ("HOME", 9, 1.1),
    ("PET", 7, 0.8),
    ("FIT", 7, 0.6),
    ("OFFICE", 6, 0.9),
    ("BABY", 6, 1.0),
    ("TOYS", 5, 1.8),
)
# Typical US private-label price points, cheap ones more common.
_PRICE_LADDER: tuple[str, ...] = (
    "9.99",
    "12.99",
    "14.99",
    "16.99",
    "19.99",
    "22.99",
    "24.99",
    "27.99",
    "29.99",
    "34.99",
    "39.99",
    "44.99",
    "49.99",
    "54.99",
    "59.99",
)
_PRICE_WEIGHTS: tuple[float, ...] = (6, 7, 9, 8, 10, 7, 8, 5, 6, 4, 4, 2, 2, 1, 1)
# Combined state + local sales tax rates a US buyer may pay; 0 for the states without
# sales tax (OR, MT, NH, DE, AK).
_TAX_RATES: tuple[str, ...] = (
    "0",
    "0.04",
    "0.06",
    "0.0625",
    "0.065",
    "0.07",
    "0.0725",
    "0.0825",
    "0.0875",
    "0.095",
)
_TAX_WEIGHTS: tuple[float, ...] = (5, 6, 14, 12, 12, 16, 14, 10, 6, 5)
# Month-by-month demand relative to an average month (index 0 = January).
_MONTH_FACTOR: tuple[float, ...] = (
    0.82,
    0.78,
    0.88,
    0.90,
    0.95,
    0.98,
    1.05,
    0.95,
    0.95,
    1.05,
    1.85,
    2.05,
)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class DemoFiles:
    """Paths of the files `write_demo_files` wrote, and the SKUs of the demo catalog."""

    settlements: list[Path]
    cogs: Path
    fx: Path
    skus: list[str]
    reports: list[Path] = field(default_factory=list)  # Amazon's other reports
    # (code, price, base FBA fee, popularity) and the first unit cost of each SKU (CNY):
    # what the costing part of the demo (demo_costing) builds specs and batches from.
    catalog: list[tuple[str, Decimal, Decimal, float]] = field(default_factory=list)
    unit_costs: dict[str, Decimal] = field(default_factory=dict)
    platforms: list[Path] = field(default_factory=list)  # Walmart and Shopify files
    sheets: list[Path] = field(default_factory=list)  # freight, customs, ERP (mapped)


@dataclass(frozen=True)
class _Sku:
    code: str
    price: Decimal
    popularity: float
    fba_fee: Decimal
    return_rate: float
    q4_affinity: float
    removal_fee: Decimal
    launch: date | None  # None: sold all year


@dataclass
class _Event:
    """Rows that share one posting: an order item, a refund, a fee, a reserve move."""

    posted: datetime
    transaction_type: str
    lines: list[tuple[str, str, Decimal]]  # (amount-type, amount-description, amount)
    order_id: str = ""
    adjustment_id: str = ""
    shipment_id: str = ""
    order_item_code: str = ""
    sku: str = ""
    quantity: int | None = None
    ordered: datetime | None = None  # purchase time of an order (for the order report)


@dataclass
class _Ids:
    """Unique random identifiers in Amazon's shapes."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def _claim(self, candidate: str) -> bool:
        if candidate in self.used:
            return False
        self.used.add(candidate)
        return True

    def order_id(self) -> str:
        rng = self.rng
        while True:
            # US order ids start 111-114; the rest carries no meaning.
            prefix = rng.choice(("111", "112", "113", "114"))
            candidate = f"{prefix}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            if self._claim(candidate):
                return candidate

    def digits(self, n: int) -> str:
        while True:
            candidate = str(self.rng.randrange(10 ** (n - 1), 10**n))
            if self._claim(candidate):
                return candidate

    def shipment_id(self) -> str:
        while True:
            candidate = "D" + "".join(self.rng.choice(_ALNUM) for _ in range(8))
            if self._claim(candidate):
                return candidate


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _dec(value: float, places: str = "0.0001") -> Decimal:
    """A random float as a Decimal factor; only for multiplying money, never as money."""
    return Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _fmt_amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _fmt_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _stream(seed: int, name: str) -> random.Random:
    # Separate streams keep the catalog and costs identical across `scale` values:
    # only the order stream consumes more numbers when volume grows. String seeds are
    # hashed with SHA-512 by `random`, so they do not depend on PYTHONHASHSEED.
    return random.Random(f"lianxing-demo:{seed}:{name}")


# ---- catalog, costs and rates -----------------------------------------------------


def _catalog(rng: random.Random, year: int) -> list[_Sku]:
    codes = [f"LX-{cat}-{i:03d}" for cat, count, _ in _CATEGORIES for i in range(1, count + 1)]
    affinity = {cat: q4 for cat, _, q4 in _CATEGORIES}
    # Long tail: popularity follows Zipf over a shuffled rank, so a few SKUs carry most
    # of the sales and the tail still sells a handful a week.
    ranks = list(range(1, len(codes) + 1))
    rng.shuffle(ranks)
    # Two low-to-mid sellers launch during the year (a realistic "new product" story).
    launch_codes = {codes[i] for i, r in enumerate(ranks) if r in (24, 37)}
    skus: list[_Sku] = []
    for code, rank in zip(codes, ranks, strict=True):
        price = Decimal(rng.choices(_PRICE_LADDER, weights=_PRICE_WEIGHTS)[0])
        # Bigger items cost more and pay a higher FBA fee; the fee range is the 2025
        # standard-size table from small ($3.06) to large standard ($7.50).
        size = min(1.0, max(0.0, (float(price) - 9.99) / 50.0 + rng.gauss(0.0, 0.2)))
        fba_fee = _money(Decimal("3.06") + Decimal("4.44") * _dec(size))
        removal_fee = Decimal("1.04") if size < 0.4 else Decimal("1.53")
        launch = None
        if code in launch_codes:
            launch = date(year, rng.randint(4, 8), 1)
        category = code.split("-")[1]
        skus.append(
            _Sku(
                code=code,
                price=price,
                popularity=1.0 / rank,
                fba_fee=fba_fee,
                return_rate=rng.uniform(0.03, 0.08),
                q4_affinity=affinity[category] * rng.uniform(0.8, 1.2),
                removal_fee=removal_fee,
                launch=launch,
            )
        )
    return skus


def _uncosted(skus: list[_Sku], rng: random.Random) -> set[str]:
    """Two SKUs that sell steadily all year but have no COGS row."""
    steady = sorted((s for s in skus if s.launch is None), key=lambda s: (-s.popularity, s.code))[
        8:30
    ]
    return {s.code for s in rng.sample(steady, 2)}


def _cogs_rows(
    skus: list[_Sku],
    uncosted: set[str],
    rng: random.Random,
    year: int,
    landed: dict[str, tuple[Decimal, Decimal, Decimal]] | None = None,
) -> list[list[str]]:
    """Unit cost and sea freight per unit. Duty is not in the sheet: the customs
    entries (demo_sheets) carry it, and `landed` gets each SKU's (duty rate, unit cost,
    freight) for them."""
    rows: list[list[str]] = []
    for sku in skus:
        # Draw for every SKU, costed or not, so that the choice of uncosted SKUs does
        # not shift the numbers of all the others.
        share = _dec(rng.uniform(0.20, 0.35))
        unit_cost = _money(sku.price * CNY_PER_USD_FOR_COSTS * share)
        freight = _money((sku.fba_fee - Decimal("2.50")) * _dec(rng.uniform(3.5, 6.0)))
        duty_rate = Decimal(rng.choice(("0", "0.039", "0.065", "0.075", "0.25")))
        changes = rng.random() < 0.34
        change_month = rng.randint(3, 10)
        cost_step = _dec(rng.uniform(0.90, 1.15))
        freight_step = _dec(rng.uniform(0.85, 1.30))
        if landed is not None:
            landed[sku.code] = (duty_rate, unit_cost, freight)
        if sku.code in uncosted:
            continue
        start = sku.launch or date(year, 1, 1)
        rows.append(_cogs_row(sku.code, start, unit_cost, freight, ZERO))
        if changes and date(year, change_month, 1) > start:
            new_cost = _money(unit_cost * cost_step)
            rows.append(
                _cogs_row(
                    sku.code,
                    date(year, change_month, 1),
                    new_cost,
                    _money(freight * freight_step),
                    ZERO,
                )
            )
    return rows


def _cogs_row(code: str, start: date, cost: Decimal, freight: Decimal, duty: Decimal) -> list[str]:
    return [code, start.isoformat(), f"{cost:.2f}", "CNY", f"{freight:.2f}", f"{duty:.2f}"]


def _fx_rows(rng: random.Random, year: int) -> list[list[str]]:
    # A slow mean-reverting walk in units of 0.0001 CNY, kept inside 7.10–7.30 by
    # reflection; integers keep the walk exact.
    low, high, centre = 71000, 73000, 72000
    level = rng.randint(71700, 72300)
    rows: list[list[str]] = []
    day = date(year - 1, 12, 1)
    while day <= date(year, 12, 31):
        rows.append([day.isoformat(), "USD", "CNY", f"{level // 10000}.{level % 10000:04d}"])
        level += round(rng.gauss(0.0, 22.0) + (centre - level) * 0.01)
        if level > high:
            level = 2 * high - level
        if level < low:
            level = 2 * low - level
        day += timedelta(days=1)
    return rows


# ---- demand ------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _demand_calendar(year: int) -> tuple[dict[date, float], set[date]]:
    """Demand multiplier per day (month, deal events, weekday, a gentle growth trend)
    and the deal days, when more orders carry a promotion."""
    prime_day = _nth_weekday(year, 7, 1, 2)  # second Tuesday of July, four days
    fall_deal = date(year, 10, 7) + timedelta(days=(1 - date(year, 10, 7).weekday()) % 7)
    black_friday = _nth_weekday(year, 11, 3, 4) + timedelta(days=1)
    cyber_monday = black_friday + timedelta(days=3)
    calendar: dict[date, float] = {}
    deal_days: set[date] = set()
    day = date(year, 1, 1)
    while day.year == year:
        factor = _MONTH_FACTOR[day.month - 1]
        if prime_day <= day < prime_day + timedelta(days=4):
            factor *= 2.6
            deal_days.add(day)
        elif fall_deal <= day < fall_deal + timedelta(days=2):
            factor *= 1.7
            deal_days.add(day)
        elif black_friday <= day <= cyber_monday:
            factor *= 1.8
            deal_days.add(day)
        elif day.month == 12 and day.day >= 21:
            # After the last ship-by-Christmas date gifts move to gift cards.
            factor *= 0.5 if day.day == 25 else 0.8
        factor *= (1.06, 1.0, 0.98, 0.97, 0.98, 0.95, 1.04)[day.weekday()]
        factor *= 1.0 + 0.15 * day.timetuple().tm_yday / 365
        calendar[day] = factor
        day += timedelta(days=1)
    return calendar, deal_days


# ---- settlement periods ------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    settlement_id: str
    start: datetime
    end: datetime

    @property
    def deposit(self) -> datetime:
        return self.end + timedelta(days=2)


def _periods(rng: random.Random, year: int) -> list[_Period]:
    start = datetime(year, 1, 1, PERIOD_CUTOFF_HOUR)
    year_end = datetime(year + 1, 1, 1, PERIOD_CUTOFF_HOUR)
    count = (year_end - start).days // PERIOD_DAYS
    ident = rng.randrange(11_000_000_000, 13_000_000_000)
    periods: list[_Period] = []
    for i in range(count):
        begin = start + timedelta(days=PERIOD_DAYS * i)
        # The last period runs to the year's end (15 days, or 16 in a leap year), the
        # way Amazon stretches a period now and then.
        end = year_end if i == count - 1 else begin + timedelta(days=PERIOD_DAYS)
        periods.append(_Period(str(ident), begin, end))
        ident += rng.randrange(180_000, 950_000)
    return periods


# ---- events ------------------------------------------------------------------------


def _random_time(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(seconds=rng.randrange(86_400))


@dataclass
class _OrderGenerator:
    rng: random.Random
    ids: _Ids
    skus: list[_Sku]
    scale: int
    # The FBA fee per unit by SKU, unit price and day (the demo's rate card); without
    # one, each SKU pays its catalogue fee all year.
    fba_fee: Callable[[str, Decimal, date], Decimal] | None = None
    events: list[_Event] = field(default_factory=list)
    # Order principal per order day: advertising spend follows sales.
    daily_sales: dict[date, Decimal] = field(default_factory=dict)

    def run(self, calendar: dict[date, float], deal_days: set[date]) -> None:
        rng = self.rng
        tax_rates = [Decimal(r) for r in _TAX_RATES]
        for day, factor in calendar.items():
            active = [s for s in self.skus if s.launch is None or s.launch <= day]
            weights = [
                s.popularity * (1.0 + (s.q4_affinity - 1.0) * (day.month >= 11)) for s in active
            ]
            cum = list(itertools.accumulate(weights))
            lam = BASE_ORDERS_PER_DAY * self.scale * factor
            n_orders = max(0, round(rng.gauss(lam, math.sqrt(lam))))
            promo_chance = 0.25 if day in deal_days else 0.10
            self.daily_sales[day] = ZERO
            for _ in range(n_orders):
                first = rng.choices(active, cum_weights=cum)[0]
                items = [first]
                if rng.random() < 0.08:  # bought together: a second, different SKU
                    second = rng.choices(active, cum_weights=cum)[0]
                    if second is not first:
                        items.append(second)
                self._order(
                    day, items, rng.choices(tax_rates, weights=_TAX_WEIGHTS)[0], promo_chance
                )

    def _order(self, day: date, items: list[_Sku], tax_rate: Decimal, promo_chance: float) -> None:
        rng = self.rng
        ordered = _random_time(rng, day)
        # FBA charges and pays when the shipment leaves the warehouse.
        posted = ordered + timedelta(seconds=rng.randrange(1_800, 40 * 3_600))
        order_id = self.ids.order_id()
        shipment_id = self.ids.shipment_id()
        # Buyers without Prime sometimes pay for shipping; Amazon charges it back.
        shipping = (
            Decimal(rng.choice(("2.99", "3.99", "4.99", "5.99"))) if rng.random() < 0.06 else ZERO
        )
        for n, sku in enumerate(items):
            u = rng.random()
            qty = 1 if u < 0.85 else 2 if u < 0.96 else 3
            principal = sku.price * qty
            promo = ZERO
            if rng.random() < promo_chance:
                if rng.random() < 0.5:
                    promo = _money(principal * Decimal(rng.choice(("0.10", "0.15", "0.20"))))
                else:
                    promo = Decimal(rng.choice(("1.00", "2.00", "3.00", "5.00")))
            item_shipping = shipping if n == 0 else ZERO
            tax = _money((principal - promo) * tax_rate)
            shipping_tax = _money(item_shipping * tax_rate)
            # Referral fee: 15% of the undiscounted item price with a $0.30-per-unit floor;
            # a simplification (real rates vary by category) that keeps fees easy to check.
            commission = max(_money(principal * COMMISSION_RATE), MIN_COMMISSION_PER_UNIT * qty)
            per_unit = (
                sku.fba_fee
                if self.fba_fee is None
                else self.fba_fee(sku.code, sku.price, posted.astimezone(_LA).date())
            )
            fba = per_unit * qty
            lines: list[tuple[str, str, Decimal]] = [("ItemPrice", "Principal", principal)]
            if tax:
                lines.append(("ItemPrice", "Tax", tax))
            if item_shipping:
                lines.append(("ItemPrice", "Shipping", item_shipping))
                if shipping_tax:
                    lines.append(("ItemPrice", "ShippingTax", shipping_tax))
            if tax:
                lines.append(("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", -tax))
            if shipping_tax:
                lines.append(
                    ("ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", -shipping_tax)
                )
            lines.append(("ItemFees", "FBAPerUnitFulfillmentFee", -fba))
            lines.append(("ItemFees", "Commission", -commission))
            if item_shipping:
                lines.append(("ItemFees", "ShippingChargeback", -item_shipping))
            if promo:
                lines.append(("Promotion", "Principal", -promo))
            item_code = self.ids.digits(14)
            self.events.append(
                _Event(
                    posted=posted,
                    transaction_type="Order",
                    lines=lines,
                    order_id=order_id,
                    shipment_id=shipment_id,
                    order_item_code=item_code,
                    sku=sku.code,
                    quantity=qty,
                    ordered=ordered,
                )
            )
            self.daily_sales[day] += principal - promo
            if rng.random() < sku.return_rate:
                self._refund(
                    posted,
                    order_id,
                    item_code,
                    sku,
                    qty,
                    tax,
                    commission,
                    promo,
                    item_shipping,
                    shipping_tax,
                )

    def _refund(
        self,
        shipped: datetime,
        order_id: str,
        item_code: str,
        sku: _Sku,
        qty: int,
        tax: Decimal,
        commission: Decimal,
        promo: Decimal,
        shipping: Decimal,
        shipping_tax: Decimal,
    ) -> None:
        rng = self.rng
        # Most returns come back within a few weeks; a few trickle in much later.
        delay = 3.0 + min(57.0, rng.expovariate(1 / 10))
        posted = shipped + timedelta(days=delay)
        refunded = qty if qty == 1 or rng.random() < 0.7 else rng.randint(1, qty - 1)
        part = Decimal(refunded) / Decimal(qty)
        orig_commission = _money(commission * part)
        refund_tax = _money(tax * part)
        refund_promo = _money(promo * part)
        lines: list[tuple[str, str, Decimal]] = [("ItemPrice", "Principal", -sku.price * refunded)]
        if refund_tax:
            lines.append(("ItemPrice", "Tax", -refund_tax))
        full = refunded == qty
        if full and shipping:
            lines.append(("ItemPrice", "Shipping", -shipping))
            if shipping_tax:
                lines.append(("ItemPrice", "ShippingTax", -shipping_tax))
        if refund_tax:
            lines.append(("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", refund_tax))
        if full and shipping_tax:
            lines.append(("ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", shipping_tax))
        lines.append(("ItemFees", "Commission", _money(orig_commission * REFUND_COMMISSION_CREDIT)))
        lines.append(
            (
                "ItemFees",
                "RefundCommission",
                -min(REFUND_ADMIN_CAP, _money(orig_commission * REFUND_ADMIN_RATE)),
            )
        )
        if full and shipping:
            lines.append(("ItemFees", "ShippingChargeback", shipping))
        if refund_promo:
            lines.append(("Promotion", "Principal", refund_promo))
        self.events.append(
            _Event(
                posted=posted,
                transaction_type="Refund",
                lines=lines,
                order_id=order_id,
                adjustment_id=self.ids.digits(14),
                order_item_code=item_code,
                sku=sku.code,
                quantity=refunded,
            )
        )


def _other(
    posted: datetime,
    description: str,
    amount: Decimal,
    *,
    sku: str = "",
    quantity: int | None = None,
) -> _Event:
    return _Event(
        posted=posted,
        transaction_type="other-transaction",
        lines=[("other-transaction", description, amount)],
        sku=sku,
        quantity=quantity,
    )


def _advertising(
    rng: random.Random,
    daily_sales: dict[date, Decimal],
    scale: int,
    spend_log: dict[date, Decimal] | None = None,
) -> list[_Event]:
    """Sponsored-ads charges: Amazon bills each time the accrued spend hits a threshold
    and sweeps the remainder at month end, so a settlement holds several charges.
    Each day's spend goes to `spend_log` (the ads report splits it by SKU)."""
    threshold = Decimal(500 * scale)
    events: list[_Event] = []
    accrued = ZERO
    month_ratio = {m: _dec(rng.uniform(0.08, 0.12)) for m in range(1, 13)}
    days = list(daily_sales)
    for i, day in enumerate(days):
        spend = _money(daily_sales[day] * month_ratio[day.month] * _dec(rng.uniform(0.8, 1.2)))
        accrued += spend
        if spend_log is not None:
            spend_log[day] = spend
        month_end = i == len(days) - 1 or days[i + 1].month != day.month
        if accrued >= threshold or (month_end and accrued > ZERO):
            posted = _random_time(rng, day + timedelta(days=1))
            events.append(
                _Event(
                    posted=posted,
                    transaction_type="ServiceFee",
                    lines=[("Cost of Advertising", "TransactionTotalAmount", -accrued)],
                )
            )
            accrued = ZERO
    return events


def _account_events(
    rng: random.Random,
    skus: list[_Sku],
    scale: int,
    year: int,
    storage_log: dict[date, Decimal] | None = None,
    long_term_log: dict[date, Decimal] | None = None,
) -> list[_Event]:
    """Storage, subscription, inbound freight, reimbursements and removals. Each
    month's storage charge goes to `storage_log` under the month stored, and each
    long-term storage charge to `long_term_log` under its snapshot day."""
    events: list[_Event] = []
    popular = sorted(skus, key=lambda s: (-s.popularity, s.code))
    subscription_day = rng.randint(3, 25)
    for month in range(1, 13):
        # Storage for the previous month posts around the 7th–12th. Inventory builds up
        # before Q4 and Amazon's rate per cubic foot triples from October to December,
        # so the charges for Oct–Dec (and December's, posted in January) are the big ones.
        stored_month = 12 if month == 1 else month - 1
        cubic_feet = (
            260 * scale * (1.0 + 0.9 * (stored_month in (9, 10, 11)) + 0.4 * (stored_month == 12))
        )
        rate = Decimal("2.40") if stored_month >= 10 else Decimal("0.78")
        storage = _money(_dec(cubic_feet * rng.uniform(0.9, 1.1), "0.01") * rate)
        if long_term_log is not None and month in LONG_TERM_MONTHS:
            # Part of February's and August's storage is the long-term storage fee of
            # stock over a year old: assessed on the 15th, charged on a line of its own.
            aged = _money(storage * LONG_TERM_SHARE)
            storage -= aged
            long_term_log[date(year, month, 15)] = aged
            posted = datetime(year, month, 17, 9, 30)
            events.append(_other(posted, "StorageRenewalBilling", -aged))
        if storage_log is not None:
            storage_log[date(year - (month == 1), stored_month, 1)] = storage
        events.append(
            _other(
                _random_time(rng, date(year, month, rng.randint(7, 12))), "Storage Fee", -storage
            )
        )
        events.append(
            _other(
                _random_time(rng, date(year, month, subscription_day)),
                "Subscription Fee",
                -SUBSCRIPTION_FEE,
            )
        )
    # Partnered-carrier inbound shipments every five to seven weeks, more before Q4.
    day = date(year, 1, 1) + timedelta(days=rng.randint(5, 20))
    while day.year == year:
        heavy = 1.8 if day.month in (8, 9, 10) else 1.0
        fee = _money(
            Decimal(str(rng.randint(180, 650) * scale)) * _dec(heavy * rng.uniform(0.9, 1.1))
        )
        events.append(_other(_random_time(rng, day), "FBAInboundTransportationFee", -fee))
        day += timedelta(days=rng.randint(35, 49) if heavy == 1.0 else rng.randint(18, 28))
    # A few warehouse reimbursements a quarter, mostly for the SKUs with most stock.
    for quarter in range(4):
        for _ in range(rng.randint(2, 5) * scale):
            sku = rng.choices(popular, weights=[s.popularity for s in popular])[0]
            first = sku.launch or date(year, 1, 1)
            month = rng.randint(quarter * 3 + 1, quarter * 3 + 3)
            day = date(year, month, rng.randint(1, 28))
            if day < first:
                continue
            qty = rng.choice((1, 1, 1, 2, 3))
            per_unit = _money(sku.price * _dec(rng.uniform(0.45, 0.65)))
            reason = "WAREHOUSE_DAMAGE" if rng.random() < 0.6 else "WAREHOUSE_LOST"
            events.append(
                _Event(
                    posted=_random_time(rng, day),
                    transaction_type="other-transaction",
                    lines=[("FBA Inventory Reimbursement", reason, per_unit * qty)],
                    sku=sku.code,
                    quantity=qty,
                )
            )
    # Rare clean-ups of slow sellers: removal orders or disposals of stale stock.
    for _ in range(rng.randint(2, 4)):
        sku = rng.choice(popular[-20:])
        qty = rng.randint(5, 40) * scale
        kind = rng.choice(("DisposalComplete", "RemovalComplete"))
        day = date(year, rng.randint(2, 12), rng.randint(1, 28))
        events.append(
            _other(_random_time(rng, day), kind, -sku.removal_fee * qty, sku=sku.code, quantity=qty)
        )
    return events


# ---- writing -----------------------------------------------------------------------


def _event_rows(settlement_id: str, event: _Event) -> Iterator[list[str]]:
    posted_date = event.posted.strftime("%Y-%m-%d")
    posted_stamp = _fmt_stamp(event.posted)
    on_order = bool(event.order_id)
    marketplace = MARKETPLACE if on_order else ""
    fulfillment = "AFN" if on_order else ""
    quantity = "" if event.quantity is None else str(event.quantity)
    for amount_type, description, amount in event.lines:
        yield [
            settlement_id,
            "",
            "",
            "",
            "",
            "",
            event.transaction_type,
            event.order_id,
            "",
            event.adjustment_id,
            event.shipment_id,
            marketplace,
            amount_type,
            description,
            _fmt_amount(amount),
            fulfillment,
            posted_date,
            posted_stamp,
            event.order_item_code,
            "",
            "",
            event.sku,
            quantity,
        ]


def _write_settlements(
    directory: Path, periods: list[_Period], events: list[_Event], rng: random.Random
) -> list[Path]:
    starts = [p.start for p in periods]
    buckets: list[list[_Event]] = [[] for _ in periods]
    for event in events:
        i = bisect.bisect_right(starts, event.posted) - 1
        # Postings before the first or after the last period belong to settlements of
        # other years; drop them.
        if 0 <= i < len(periods) and event.posted < periods[i].end:
            buckets[i].append(event)
    paths: list[Path] = []
    previous_reserve = ZERO
    for period, bucket in zip(periods, buckets, strict=True):
        # Python's sort is stable: same-second events keep their generation order.
        bucket.sort(key=lambda e: e.posted)
        # Amazon holds back roughly the net of orders not yet delivered (DD+7), i.e.
        # about the last week's sales.
        week_ago = period.end - timedelta(days=7)
        recent = sum(
            (
                amount
                for e in bucket
                if e.transaction_type == "Order" and e.posted >= week_ago
                for _, description, amount in e.lines
                if description == "Principal"
            ),
            ZERO,
        )
        reserve = _money(recent * _dec(rng.uniform(0.50, 0.65)))
        if period is periods[0]:
            # The seller did not start this year: the first period releases a reserve
            # held back by last December's final settlement.
            previous_reserve = _money(reserve * _dec(rng.uniform(0.9, 1.2)))
        moves: list[_Event] = []
        if previous_reserve:
            moves.append(_other(period.start, "Previous Reserve Amount Balance", previous_reserve))
        body = moves + bucket
        if reserve:
            body.append(
                _other(period.end - timedelta(seconds=1), "Current Reserve Amount", -reserve)
            )
        previous_reserve = reserve
        rows = [row for e in body for row in _event_rows(period.settlement_id, e)]
        total = sum((Decimal(row[14]) for row in rows), ZERO)
        summary = [
            period.settlement_id,
            _fmt_stamp(period.start),
            _fmt_stamp(period.end),
            _fmt_stamp(period.deposit),
            _fmt_amount(total),
            CURRENCY,
        ] + [""] * (len(SETTLEMENT_V2_HEADER) - 6)
        path = directory / f"{period.settlement_id}.txt"
        with path.open("w", encoding="utf-8", newline="") as handle:
            # QUOTE_NONE without an escape character makes csv refuse a value that
            # would need quoting, so a stray tab or newline cannot corrupt the file.
            writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
            writer.writerow(SETTLEMENT_V2_HEADER)
            writer.writerow(summary)
            writer.writerows(rows)
        paths.append(path)
    return paths


def _write_csv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


FbaCard = Callable[
    [list[tuple[str, Decimal, Decimal, float]]], Callable[[str, Decimal, date], Decimal]
]


def write_demo_files(
    directory: Path,
    *,
    scale: int = 1,
    seed: int = 7,
    year: int = 2025,
    fba_card: FbaCard | None = None,
) -> DemoFiles:
    """Write a year of demo seller files into `directory/sources/` and return their paths.

    `scale` multiplies order volume (and the costs that grow with it: advertising
    thresholds, storage, inbound freight, reimbursements); scale=1 is roughly 20k order
    items. The same `seed`, `scale` and `year` always produce byte-identical files.
    """
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale}")
    sources = Path(directory) / "sources"
    sources.mkdir(parents=True, exist_ok=True)

    skus = _catalog(_stream(seed, "catalog"), year)
    cost_rng = _stream(seed, "costs")
    uncosted = _uncosted(skus, cost_rng)
    cogs_path = sources / "cogs.csv"
    landed: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    _write_csv(cogs_path, COGS_HEADER, _cogs_rows(skus, uncosted, cost_rng, year, landed))
    fx_path = sources / "fx.csv"
    _write_csv(fx_path, FX_HEADER, _fx_rows(_stream(seed, "fx"), year))

    calendar, deal_days = _demand_calendar(year)
    catalog = [(s.code, s.price, s.fba_fee, s.popularity) for s in skus]
    orders = _OrderGenerator(
        _stream(seed, "orders"), _Ids(_stream(seed, "ids")), skus, scale,
        fba_card(catalog) if fba_card else None,
    )  # fmt: skip
    orders.run(calendar, deal_days)
    account_rng = _stream(seed, "account")
    events = orders.events
    spend: dict[date, Decimal] = {}
    storage: dict[date, Decimal] = {}
    events += _advertising(account_rng, orders.daily_sales, scale, spend)
    long_term: dict[date, Decimal] = {}
    events += _account_events(account_rng, skus, scale, year, storage, long_term)

    settlement_rng = _stream(seed, "settlements")
    periods = _periods(settlement_rng, year)
    settlement_paths = _write_settlements(sources, periods, events, settlement_rng)
    seller = demo_reports.SellerYear(
        year=year,
        products=[demo_reports.Product(s.code, s.price, s.popularity) for s in skus],
        orders=[_order_line(e) for e in orders.events if e.transaction_type == "Order"],
        refunds=[
            demo_reports.RefundLine(e.posted, e.order_id, e.sku, e.quantity or 0)
            for e in orders.events
            if e.transaction_type == "Refund"
        ],
        ad_spend=spend,
        storage=storage,
        long_term_storage=long_term,
    )
    return DemoFiles(
        settlements=settlement_paths,
        cogs=cogs_path,
        fx=fx_path,
        skus=[s.code for s in skus],
        catalog=catalog,
        unit_costs={code: v[1] for code, v in landed.items()},
        reports=[
            *demo_reports.write_amazon_reports(sources, seller, seed=seed),
            *demo_long_term.write_long_term_storage(sources, seller, seed=seed),
            # Two settlements (in March) also as the Date Range transaction report: it
            # only explains them, the flat files count.
            demo_transactions.write_date_range(sources, settlement_paths[4:6]),
        ],
        platforms=demo_platforms.write_platform_files(
            sources,
            [demo_platforms.Item(s.code, s.price, s.popularity) for s in skus],
            year=year,
            scale=scale,
            seed=seed,
        ),
        sheets=demo_sheets.write_sheets(
            sources,
            Path(directory) / "mappings",
            [demo_sheets.Product(s.code, s.price, s.popularity, *landed[s.code]) for s in skus],
            year=year,
            scale=scale,
            seed=seed,
        ),
    )


def _order_line(event: _Event) -> demo_reports.OrderLine:
    amounts = {(t, d): a for t, d, a in event.lines}
    return demo_reports.OrderLine(
        ordered=event.ordered or event.posted,
        order_id=event.order_id,
        sku=event.sku,
        quantity=event.quantity or 0,
        principal=amounts[("ItemPrice", "Principal")],
        promotion=-amounts.get(("Promotion", "Principal"), ZERO),
        shipping=amounts.get(("ItemPrice", "Shipping"), ZERO),
    )
