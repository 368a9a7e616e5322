"""The demo Amazon seller's other reports, consistent with its settlements.

Besides settlements a seller downloads the All Orders report, the Sponsored Products
advertised-product report, the monthly storage fee report, FBA customer returns, an
inventory planning snapshot, the Inventory Ledger (detailed view) and the Business
Report. `write_amazon_reports` writes each in its real format from the same events the
settlements were built from, so they agree the way real reports agree: a day's ad
spend by SKU adds up to what the settlements charge, a month's storage fees by ASIN add
up to that month's charge, every return is a refunded order item, the inventory ledger
ships what was ordered. The last days of the year also get orders that are in the
order report but in no settlement yet: they are the estimated profit.

Every random choice comes from its own `random.Random` stream, so adding these reports
did not change a byte of the settlements.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from lianxing import demo_workbooks

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

ALL_ORDERS_HEADER = (
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
)
ADS_HEADER = (
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Advertised SKU",
    "Advertised ASIN",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
)
STORAGE_HEADER = (
    "asin",
    "fnsku",
    "product_name",
    "fulfillment_center",
    "country_code",
    "longest_side",
    "median_side",
    "shortest_side",
    "measurement_units",
    "weight",
    "weight_units",
    "item_volume",
    "volume_units",
    "product_size_tier",
    "average_quantity_on_hand",
    "average_quantity_pending_removal",
    "estimated_total_item_volume",
    "month_of_charge",
    "storage_utilization_ratio",
    "base_rate",
    "utilization_surcharge_rate",
    "currency",
    "estimated_monthly_storage_fee",
    "dangerous_goods_storage_type",
)
RETURNS_HEADER = (
    "return-date",
    "order-id",
    "sku",
    "asin",
    "fnsku",
    "product-name",
    "quantity",
    "fulfillment-center-id",
    "detailed-disposition",
    "reason",
    "status",
    "license-plate-number",
    "customer-comments",
)
INVENTORY_HEADER = (
    "snapshot-date",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "available",
    "pending-removal-quantity",
    "inv-age-0-to-90-days",
    "inv-age-91-to-180-days",
    "inv-age-181-to-270-days",
    "inv-age-271-to-365-days",
    "inv-age-365-plus-days",
    "currency",
    "units-shipped-t7",
    "units-shipped-t30",
    "units-shipped-t60",
    "units-shipped-t90",
    "your-price",
    "sales-price",
    "sell-through",
    "days-of-supply",
    "estimated-excess-quantity",
    "weeks-of-cover-t30",
    "estimated-storage-cost-next-month",
)
BUSINESS_HEADER = (
    "(Parent) ASIN",
    "(Child) ASIN",
    "Title",
    "SKU",
    "Sessions - Total",
    "Sessions - Total - B2B",
    "Session Percentage - Total",
    "Page Views - Total",
    "Page Views - Total - B2B",
    "Featured Offer (Buy Box) Percentage",
    "Units Ordered",
    "Units Ordered - B2B",
    "Unit Session Percentage",
    "Ordered Product Sales",
    "Ordered Product Sales - B2B",
    "Total Order Items",
    "Total Order Items - B2B",
)
LEDGER_HEADER = (
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Event Type",
    "Reference ID",
    "Quantity",
    "Fulfillment Center",
    "Disposition",
    "Reason",
    "Country",
    "Reconciled Quantity",
    "Unreconciled Quantity",
    "Date and Time",
)


@dataclass(frozen=True)
class Product:
    code: str
    price: Decimal
    popularity: float


@dataclass(frozen=True)
class OrderLine:
    ordered: datetime
    order_id: str
    sku: str
    quantity: int
    principal: Decimal
    promotion: Decimal  # positive: the discount given
    shipping: Decimal


@dataclass(frozen=True)
class RefundLine:
    posted: datetime
    order_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class SellerYear:
    """What the settlements were built from, for the other reports to agree with."""

    year: int
    products: Sequence[Product]
    orders: Sequence[OrderLine]
    refunds: Sequence[RefundLine]
    ad_spend: dict[date, Decimal]  # spend per day
    storage: dict[date, Decimal]  # storage charge per month stored (first day)
    # long-term storage charge per snapshot day
    long_term_storage: dict[date, Decimal] = field(default_factory=dict)


def asin(code: str) -> str:
    return "B0" + hashlib.sha256(code.encode()).hexdigest()[:8].upper()


def fnsku(code: str) -> str:
    return "X00" + hashlib.sha256(("fn" + code).encode()).hexdigest()[:7].upper()


def _title(code: str) -> str:
    return f'Lianxing {code.split("-")[1].title()} item {code[-3:]} — 12" gift set'


def _split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` split by `weights` to the cent, adding up exactly (largest remainder)."""
    whole = sum(weights, Decimal(0))
    if not whole:
        return [ZERO for _ in weights]
    exact = [total * w / whole for w in weights]
    shares = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(shares, ZERO)) / CENT)
    order = sorted(range(len(weights)), key=lambda i: (exact[i] - shares[i], -i), reverse=True)
    for i in order[: abs(left)]:
        shares[i] += CENT if left > 0 else -CENT
    return shares


def _write(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        if delimiter == "download":
            # Seller Central's ".csv" download of a flat file: every field quoted, CRLF
            # line ends (UTF-8 here; the importers read windows-1252 downloads too).
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        elif delimiter == "\t":
            # Amazon's tab-separated reports never quote: a '"' is just a character.
            writer = csv.writer(
                handle,
                delimiter="\t",
                quoting=csv.QUOTE_NONE,
                quotechar=None,
                lineterminator="\n",
            )
        else:
            writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# For the demo's other report writers (demo_long_term).
split_cents = _split
write_report = _write


def _stream(seed: int, name: str) -> random.Random:
    return random.Random(f"lianxing-demo-reports:{seed}:{name}")


# ---- All Orders ----------------------------------------------------------------------


def _all_orders(directory: Path, data: SellerYear, rng: random.Random) -> Path:
    """The order report of the last two weeks of the year, plus the first days of the
    next year: those orders are in no settlement yet (estimated profit)."""
    first = datetime(data.year, 12, 18)
    rows = []
    for line in data.orders:
        if line.ordered >= first:
            rows.append(_order_row(line, line.ordered + timedelta(hours=30)))
    weights = [p.popularity for p in data.products]
    ids = 0
    for offset in range(5):
        day = datetime(data.year + 1, 1, 1) + timedelta(days=offset)
        for _ in range(rng.randint(25, 45)):
            product = rng.choices(list(data.products), weights=weights)[0]
            quantity = 1 if rng.random() < 0.9 else 2
            ids += 1
            when = day + timedelta(seconds=rng.randrange(86_400))
            order_id = f"114-{rng.randrange(10**7):07d}-{ids:07d}"
            line = OrderLine(
                when, order_id, product.code, quantity, product.price * quantity, ZERO, ZERO
            )
            status = "Pending" if offset == 4 and rng.random() < 0.3 else "Shipped"
            rows.append(_order_row(line, when + timedelta(hours=2), status=status))
    rows.sort(key=lambda r: (r[2], r[0], r[10]))
    return _write(directory / f"all-orders-{data.year}-12-18.txt", ALL_ORDERS_HEADER, rows, "\t")


def _order_row(line: OrderLine, updated: datetime, status: str = "Shipped") -> list[str]:
    price = "" if status == "Pending" else f"{line.principal:.2f}"
    values = {
        "amazon-order-id": line.order_id,
        "purchase-date": line.ordered.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "last-updated-date": updated.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "order-status": status,
        "fulfillment-channel": "Amazon",
        "sales-channel": "Amazon.com",
        "ship-service-level": "Expedited",
        "product-name": _title(line.sku),
        "sku": line.sku,
        "asin": asin(line.sku),
        "item-status": status,
        "quantity": str(line.quantity),
        "currency": "USD",
        "item-price": price,
        "item-tax": "",
        "shipping-price": f"{line.shipping:.2f}" if line.shipping else "",
        "item-promotion-discount": f"-{line.promotion:.2f}" if line.promotion else "",
        # Buyer location as Amazon gives it; Lianxing never stores it.
        "ship-city": "SEATTLE",
        "ship-state": "WA",
        "ship-postal-code": "98101-1234",
        "ship-country": "US",
        "is-business-order": "false",
    }
    return [values.get(column, "") for column in ALL_ORDERS_HEADER]


# ---- Sponsored Products ----------------------------------------------------------------


def _sales_by_day(data: SellerYear) -> dict[date, dict[str, Decimal]]:
    found: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in data.orders:
        found[line.ordered.date()][line.sku] += line.principal - line.promotion
    return found


@dataclass(frozen=True)
class _AdRow:
    day: date
    campaign: str
    group: str
    sku: str
    impressions: int
    clicks: int
    cost: Decimal
    orders: int
    sales: Decimal


def _ads(directory: Path, data: SellerYear, rng: random.Random) -> list[Path]:
    """One console CSV per month (June as the console's .xlsx, December as the Ads
    API's gzipped JSON instead). Each day's spend is split over the SKUs sold that
    day, two campaigns each."""
    sales = _sales_by_day(data)
    by_month: dict[int, list[_AdRow]] = defaultdict(list)
    for day, spend in sorted(data.ad_spend.items()):
        skus = sorted(sales.get(day, {}))
        if not skus or not spend:
            continue
        per_sku = _split(spend, [sales[day][s] for s in skus])
        for sku, amount in zip(skus, per_sku, strict=True):
            category = sku.split("-")[1].title()
            auto, exact = _split(amount, [Decimal(6), Decimal(4)])
            for campaign, cost in (
                (f"SP - {category} - Auto", auto),
                (f"SP - {category} - Exact", exact),
            ):
                if not cost:
                    continue
                cpc = Decimal(rng.choice(("0.45", "0.62", "0.78", "0.95", "1.20")))
                clicks = max(1, int(cost / cpc))
                orders = int(clicks * rng.uniform(0.06, 0.14))
                roas = Decimal(rng.choice(("2.5", "3.2", "4.1")))
                by_month[day.month].append(
                    _AdRow(
                        day,
                        campaign,
                        f"{sku} - main",
                        sku,
                        clicks * rng.randint(150, 400),
                        clicks,
                        cost,
                        orders,
                        (cost * roas).quantize(CENT),
                    )
                )
    paths = []
    for month, rows in sorted(by_month.items()):
        name = f"sponsored-products-{data.year}-{month:02d}"
        if month == 12:
            campaigns = sorted({r.campaign for r in rows})
            records = [
                {
                    "date": r.day.isoformat(),
                    "campaignId": 100 + campaigns.index(r.campaign),
                    "campaignName": r.campaign,
                    "adGroupName": r.group,
                    "advertisedSku": r.sku,
                    "advertisedAsin": asin(r.sku),
                    "impressions": r.impressions,
                    "clicks": r.clicks,
                    "cost": str(r.cost),
                    "sales7d": str(r.sales),
                    "purchases7d": r.orders,
                    "unitsSoldClicks7d": r.orders,
                }
                for r in rows
            ]
            path = directory / f"{name}.json.gz"
            # mtime=0: the same data gives the same bytes.
            path.write_bytes(gzip.compress(json.dumps(records).encode(), mtime=0))
            paths.append(path)
            continue
        if month == 6:
            paths.append(_ads_workbook(directory / f"{name}.xlsx", rows))
            continue
        paths.append(_ads_csv(directory / f"{name}.csv", rows))
    return paths


def _ad_names(row: _AdRow) -> list[str]:
    """Portfolio, currency, campaign, ad group, SKU and ASIN of a report row."""
    return ["Lianxing", "USD", row.campaign, row.group, row.sku, asin(row.sku)]


def _ads_csv(path: Path, rows: Sequence[_AdRow]) -> Path:
    """The console's CSV download: amounts as text with '$', ',' and '%'."""
    lines = [
        [
            r.day.strftime("%b %d, %Y"),
            *_ad_names(r),
            f"{r.impressions:,}",
            f"{r.clicks:,}",
            f"{r.clicks / r.impressions * 100:.2f}%",
            f"${r.cost / r.clicks:.2f}",
            f"${r.cost:,.2f}",
            f"${r.sales:,.2f}",
            f"{r.cost / r.sales * 100:.2f}%" if r.sales else "",
            f"{r.sales / r.cost:.2f}",
            str(r.orders),
            str(r.orders),
            f"{r.orders / r.clicks * 100:.2f}%",
        ]
        for r in rows
    ]
    return _write(path, ADS_HEADER, lines, ",")


def _ads_workbook(path: Path, rows: Sequence[_AdRow]) -> Path:
    """The console's .xlsx download: typed cells, money as (noisy) binary floats."""
    book = demo_workbooks
    cells = [
        [
            book.day_cell(r.day),
            *_ad_names(r),
            r.impressions,
            r.clicks,
            r.clicks / r.impressions,
            book.noisy((r.cost / r.clicks).quantize(CENT), n),
            book.noisy(r.cost, n),
            book.noisy(r.sales, n + 1),
            float(r.cost / r.sales) if r.sales else None,
            float(r.sales / r.cost),
            r.orders,
            r.orders,
            r.orders / r.clicks,
        ]
        for n, r in enumerate(rows)
    ]
    formats = [book.DATE, None, None, None, None, None, None, book.COUNT, book.COUNT]
    formats += [book.PERCENT, book.MONEY, book.MONEY, book.MONEY, book.PERCENT, book.RATIO]
    formats += [book.COUNT, book.COUNT, book.PERCENT]
    return book.write_xlsx(path, ADS_HEADER, cells, formats, title="Sponsored Product Ad Report")


# ---- storage, returns, inventory -------------------------------------------------------


def _storage(directory: Path, data: SellerYear, rng: random.Random) -> list[Path]:
    """One monthly storage fee report per charge, its fees adding up to the charge."""
    paths = []
    weights = [Decimal(str(round(p.popularity * 1000, 3))) + 1 for p in data.products]
    for month, charge in sorted(data.storage.items()):
        fees = _split(charge, weights)
        rows = []
        for product, fee in zip(data.products, fees, strict=True):
            volume = Decimal(rng.choice(("0.0412", "0.0875", "0.1520", "0.2210")))
            units = Decimal(str(rng.randint(20, 400))) + Decimal("0.37")
            rows.append(
                [
                    asin(product.code),
                    fnsku(product.code),
                    _title(product.code),
                    rng.choice(("PHX6", "ONT8", "LGB8", "MDW2")),
                    "US",
                    "11.2",
                    "7.4",
                    "3.1",
                    "inches",
                    "1.35",
                    "pounds",
                    f"{volume}",
                    "cubic feet",
                    "Large standard-size",
                    f"{units}",
                    "0.00",
                    f"{(volume * units).quantize(Decimal('0.0001'))}",
                    month.strftime("%Y-%m"),
                    "12.4",
                    "0.78",
                    "0.00",
                    "USD",
                    f"{fee:.2f}",
                    "--",
                ]
            )
        paths.append(
            _write(directory / f"storage-fees-{month:%Y-%m}.txt", STORAGE_HEADER, rows, "\t")
        )
    return paths


_DISPOSITIONS = (
    ("SELLABLE", 70),
    ("CUSTOMER_DAMAGED", 14),
    ("DEFECTIVE", 10),
    ("CARRIER_DAMAGED", 6),
)
_REASONS = (
    "UNWANTED_ITEM",
    "NOT_AS_DESCRIBED",
    "DEFECTIVE",
    "ORDERED_WRONG_ITEM",
    "QUALITY_UNACCEPTABLE",
)


def _returns(directory: Path, data: SellerYear, rng: random.Random) -> list[Path]:
    rows = []
    for n, refund in enumerate(sorted(data.refunds, key=lambda r: (r.posted, r.order_id))):
        if refund.posted.year != data.year:
            continue
        disposition = rng.choices(
            [d for d, _ in _DISPOSITIONS], weights=[w for _, w in _DISPOSITIONS]
        )[0]
        returned = refund.posted - timedelta(days=rng.randint(1, 4))
        rows.append(
            [
                returned.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                refund.order_id,
                refund.sku,
                asin(refund.sku),
                fnsku(refund.sku),
                _title(refund.sku),
                str(refund.quantity),
                rng.choice(("PHX6", "ONT8", "LGB8", "MDW2")),
                disposition,
                rng.choice(_REASONS),
                "Unit returned to inventory",
                f"LPN{n:010d}",
                # Buyer free text: Lianxing never stores it.
                rng.choice(("", "", "Too small for my kitchen", "Arrived scratched")),
            ]
        )
    # January–June from the API (tab-separated), July–December downloaded from Seller
    # Central (comma-separated, every field quoted): the same report, read alike.
    half = (
        [r for r in rows if r[0] < f"{data.year}-07"],
        [r for r in rows if r[0] >= f"{data.year}-07"],
    )
    return [
        _write(
            directory / f"fba-customer-returns-{data.year}-h1.txt", RETURNS_HEADER, half[0], "\t"
        ),
        _write(
            directory / f"fba-customer-returns-{data.year}-h2.csv",
            RETURNS_HEADER,
            half[1],
            "download",
        ),
    ]


def _inventory(directory: Path, data: SellerYear, rng: random.Random) -> Path:
    snapshot = date(data.year, 12, 31)
    shipped: dict[str, int] = defaultdict(int)
    for line in data.orders:
        if (snapshot - line.ordered.date()).days < 30:
            shipped[line.sku] += line.quantity
    rows = []
    for product in data.products:
        t30 = shipped[product.code]
        buckets = [
            rng.randint(0, 3) * max(1, t30) // 2,
            rng.randint(0, 40),
            rng.randint(0, 20),
            rng.randint(0, 10),
            rng.randint(0, 5),
        ]
        available = sum(buckets)
        supply = round(available / (t30 / 30), 1) if t30 else 365.0
        rows.append(
            [
                snapshot.isoformat(),
                product.code,
                fnsku(product.code),
                asin(product.code),
                _title(product.code),
                "New",
                str(available),
                "0",
                *map(str, buckets),
                "USD",
                str(t30 // 4),
                str(t30),
                str(t30 * 2),
                str(t30 * 3),
                f"{product.price:.2f}",
                f"{product.price:.2f}",
                f"{(t30 / available) if available else 0:.2f}",
                f"{supply}",
                str(max(0, available - t30 * 3)),
                f"{supply / 7:.1f}",
                f"{Decimal(available) * Decimal('0.0875') * Decimal('2.40'):.2f}",
            ]
        )
    return _write(directory / f"inventory-planning-{snapshot}.txt", INVENTORY_HEADER, rows, "\t")


# ---- Inventory Ledger, detailed view ---------------------------------------------------

_CENTERS = ("PHX6", "ONT8", "LGB8", "MDW2")
_PACIFIC = ZoneInfo("America/Los_Angeles")
# Units lost (reason M) per quarter: this many SKUs lose 1-3 units each; a part of them
# is found (F) later. A few units are damaged at a centre (E, then P) each quarter.
LOST_SKUS_PER_QUARTER = 3
DAMAGED_PER_QUARTER = 1


@dataclass(frozen=True)
class _LedgerEvent:
    when: datetime  # Pacific time, as Seller Central dates the events
    sku: str
    event_type: str
    reference: str
    quantity: int
    center: str
    disposition: str = "SELLABLE"
    reason: str = ""
    reconciled: int | None = None
    unreconciled: int | None = None


def _quarters(year: int) -> list[tuple[date, date]]:
    """(first day, first day of the next quarter) of each quarter of the year."""
    starts = [date(year, month, 1) for month in (1, 4, 7, 10)]
    return list(zip(starts, [*starts[1:], date(year + 1, 1, 1)], strict=True))


def _at(rng: random.Random, day: date) -> datetime:
    """A time of `day` in Seller Central's zone (Pacific)."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=_PACIFIC)
    return midnight + timedelta(seconds=rng.randrange(6 * 3600, 22 * 3600))


def _adjustment_id(rng: random.Random) -> str:
    return str(rng.randrange(10**9, 10**10))


def _ledger_events(data: SellerYear, rng: random.Random) -> list[_LedgerEvent]:
    """The year's inventory events: receipts each quarter, a shipment line per day and
    SKU sold, a return per refund, a few transfers, and adjustments (lost, found,
    damaged)."""
    year, codes = data.year, [p.code for p in data.products]
    shipped: dict[tuple[date, str], int] = defaultdict(int)
    for line in data.orders:
        day = line.ordered.date() + timedelta(days=1)
        if day.year == year:
            shipped[(day, line.sku)] += line.quantity
    events: list[_LedgerEvent] = []
    add = events.append
    for start, end in _quarters(year):
        units: dict[str, int] = defaultdict(int)
        for (day, sku), n in shipped.items():
            if start <= day < end:
                units[sku] += n
        arrived = start + timedelta(days=rng.randint(2, 9))
        for code in codes:
            # What the quarter sells and a little more, in one shipment to two centres.
            total = int(units[code] * 1.1) + 12
            shipment = f"FBA15{rng.randrange(16**5):05X}"
            first = total * 3 // 5
            add(_LedgerEvent(_at(rng, arrived), code, "Receipts", shipment, first, "PHX6"))
            add(_LedgerEvent(_at(rng, arrived), code, "Receipts", shipment, total - first, "ONT8"))
        for _ in range(2):
            code, moved = rng.choice(codes), rng.randint(5, 20)
            source, target = rng.sample(_CENTERS, 2)
            day, transfer = start + timedelta(days=rng.randint(15, 80)), _adjustment_id(rng)
            add(_LedgerEvent(_at(rng, day), code, "WhseTransfers", transfer, -moved, source))
            later = _at(rng, day + timedelta(days=3))
            add(_LedgerEvent(later, code, "WhseTransfers", transfer, moved, target))
        for code in rng.sample(codes, LOST_SKUS_PER_QUARTER):
            lost, center = rng.randint(1, 3), rng.choice(_CENTERS)
            day, reference = start + timedelta(days=rng.randint(5, 75)), _adjustment_id(rng)
            # Fewer units found than lost, one at a time, within the year.
            found = [day + timedelta(days=rng.randint(5, 40)) for _ in range(lost - 1)]
            found = [d for d in found[: rng.randint(0, lost - 1)] if d.year == year]
            add(
                _LedgerEvent(
                    _at(rng, day), code, "Adjustments", reference, -lost, center, reason="M",
                    reconciled=len(found), unreconciled=lost - len(found),
                )
            )  # fmt: skip
            for when in found:
                add(
                    _LedgerEvent(
                        _at(rng, when), code, "Adjustments", reference, 1, rng.choice(_CENTERS),
                        reason="F", reconciled=1, unreconciled=0,
                    )
                )  # fmt: skip
        for code in rng.sample(codes, DAMAGED_PER_QUARTER):
            damaged, center = rng.randint(1, 2), rng.choice(_CENTERS)
            when = _at(rng, start + timedelta(days=rng.randint(5, 80)))
            add(
                _LedgerEvent(
                    when, code, "Adjustments", _adjustment_id(rng), -damaged, center,
                    reason="E", reconciled=0, unreconciled=damaged,
                )
            )  # fmt: skip
            # Always followed by a P: the units are back, as warehouse-damaged.
            add(
                _LedgerEvent(
                    when + timedelta(minutes=1), code, "Adjustments", _adjustment_id(rng),
                    damaged, center, "WAREHOUSE_DAMAGED", reason="P",
                )
            )  # fmt: skip
    for (day, sku), n in sorted(shipped.items()):
        shipment = f"D{rng.randrange(10**9):09d}"
        add(_LedgerEvent(_at(rng, day), sku, "Shipments", shipment, -n, rng.choice(_CENTERS)))
    for refund in sorted(data.refunds, key=lambda r: (r.posted, r.order_id)):
        day = refund.posted.date() - timedelta(days=rng.randint(1, 4))
        if day.year != year:
            continue
        disposition = rng.choices(
            [d for d, _ in _DISPOSITIONS], weights=[w for _, w in _DISPOSITIONS]
        )[0]
        add(
            _LedgerEvent(
                _at(rng, day), refund.sku, "CustomerReturns", refund.order_id, refund.quantity,
                rng.choice(_CENTERS), disposition,
            )
        )  # fmt: skip
    events.sort(key=lambda e: (e.when, e.sku, e.event_type, e.reference, e.quantity))
    return events


def _inventory_ledger(directory: Path, data: SellerYear, rng: random.Random) -> Path:
    """The Inventory Ledger's detailed view of the year, as Seller Central's .csv
    download writes it: every field quoted, US dates, reason codes."""
    rows = [
        [
            e.when.strftime("%m/%d/%Y"),
            fnsku(e.sku),
            asin(e.sku),
            e.sku,
            _title(e.sku),
            e.event_type,
            e.reference,
            str(e.quantity),
            e.center,
            e.disposition,
            e.reason,
            "US",
            "" if e.reconciled is None else str(e.reconciled),
            "" if e.unreconciled is None else str(e.unreconciled),
            e.when.strftime("%Y-%m-%dT%H:%M:%S%z"),
        ]
        for e in _ledger_events(data, rng)
    ]
    path = directory / f"inventory-ledger-{data.year}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(LEDGER_HEADER)
        writer.writerows(rows)
    return path


# ---- Business Report -------------------------------------------------------------------


def _business_reports(directory: Path, data: SellerYear, rng: random.Random) -> list[Path]:
    """Sales and traffic by child item, one per month; dates only in the file name."""
    paths = []
    for month in range(1, 13):
        first = date(data.year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        units: dict[str, int] = defaultdict(int)
        sales: dict[str, Decimal] = defaultdict(lambda: ZERO)
        items: dict[str, int] = defaultdict(int)
        for line in data.orders:
            if first <= line.ordered.date() <= last:
                units[line.sku] += line.quantity
                sales[line.sku] += line.principal - line.promotion
                items[line.sku] += 1
        total_sessions = 0
        rows = []
        for product in data.products:
            if not units[product.code]:
                continue
            sessions = units[product.code] * rng.randint(7, 14)
            total_sessions += sessions
            rows.append((product, sessions))
        lines = []
        for product, sessions in rows:
            code = product.code
            lines.append(
                [
                    asin(code.rsplit("-", 1)[0]),
                    asin(code),
                    _title(code),
                    code,
                    f"{sessions:,}",
                    "0",
                    f"{sessions / total_sessions * 100:.2f}%",
                    f"{int(sessions * 1.31):,}",
                    "0",
                    f"{rng.choice((96, 98, 99, 100))}%",
                    f"{units[code]:,}",
                    "0",
                    f"{units[code] / sessions * 100:.2f}%",
                    f"${sales[code]:,.2f}",
                    "$0.00",
                    f"{items[code]:,}",
                    "0",
                ]
            )
        name = f"BusinessReport_{first.isoformat()}_{last.isoformat()}.csv"
        paths.append(_write(directory / name, BUSINESS_HEADER, lines, ","))
    return paths


def write_amazon_reports(directory: Path, data: SellerYear, *, seed: int) -> list[Path]:
    """Write every non-settlement Amazon report of the demo year; returns their paths."""
    paths = [_all_orders(directory, data, _stream(seed, "orders"))]
    paths += _ads(directory, data, _stream(seed, "ads"))
    paths += _storage(directory, data, _stream(seed, "storage"))
    paths += _returns(directory, data, _stream(seed, "returns"))
    paths.append(_inventory(directory, data, _stream(seed, "inventory")))
    paths.append(_inventory_ledger(directory, data, _stream(seed, "inventory-ledger")))
    paths += _business_reports(directory, data, _stream(seed, "business"))
    return paths
