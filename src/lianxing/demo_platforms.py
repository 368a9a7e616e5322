"""The demo seller's Walmart.com and Shopify stores: a year of their files.

The same catalog sells on two more channels, smaller than Amazon:

* Walmart.com (fulfilled by WFS): one reconciliation report per 14-day payment period,
  with sales, tax collected and withheld, commission, WFS fees, refunds, a storage
  charge, and the `PaymentSummary` row whose Total Payable is the exact sum;
* a Shopify store: a monthly orders export (one row per line item, order totals on the
  first row, buyer columns filled as Shopify fills them) and the monthly Shopify
  Payments transactions export (a charge per paid order with its processing fee,
  refunds).

Each random choice comes from its own stream, so these files never change a byte of
the Amazon ones. Money is `Decimal`, rounded to the cent.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

WALMART_HEADER = (
    "Period Start Date", "Period End Date", "Total Payable", "Currency", "Transaction Key",
    "Transaction Posted Timestamp", "Transaction Type", "Transaction Description",
    "Customer Order #", "Customer Order line #", "Purchase Order #", "Purchase Order line #",
    "Amount", "Amount Type", "Ship Qty", "Commission Rate", "Transaction Reason Description",
    "Partner Item Id", "Partner GTIN", "Partner Item Name", "Product Tax Code",
    "Ship to State", "Ship to City", "Ship to Zipcode", "Contract Category", "Product Type",
    "Commission Rule", "Shipping Method", "Fulfillment Type", "Fulfillment Details",
)  # fmt: skip
SHOPIFY_ORDERS_HEADER = (
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total",
    "Discount Code", "Discount Amount", "Shipping Method", "Created at",
    "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
    "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing City",
    "Billing Zip", "Billing Country", "Shipping Name", "Shipping Street", "Shipping City",
    "Shipping Zip", "Shipping Country", "Notes", "Cancelled at", "Payment Method",
    "Refunded Amount", "Vendor", "Id", "Tags", "Source", "Lineitem discount", "Phone",
)  # fmt: skip
SHOPIFY_PAYMENTS_HEADER = (
    "Transaction Date", "Type", "Order", "Card Brand", "Card Source", "Payout Status",
    "Payout Date", "Payout ID", "Available On", "Amount", "Fee", "Net", "Checkout",
    "Payment Method Name", "Presentment Amount", "Presentment Currency", "Currency",
)  # fmt: skip

WALMART_ORDERS_PER_DAY = 5.0
SHOPIFY_ORDERS_PER_DAY = 6.0
WALMART_COMMISSION = Decimal("0.15")
WFS_FEE_PER_UNIT = Decimal("3.45")
SHOPIFY_FEE_RATE = Decimal("0.029")
SHOPIFY_FEE_FIXED = Decimal("0.30")


@dataclass(frozen=True)
class Item:
    code: str
    price: Decimal
    popularity: float


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _stream(seed: int, name: str) -> random.Random:
    return random.Random(f"lianxing-demo-platforms:{seed}:{name}")


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _orders_today(rng: random.Random, per_day: float, day: date) -> int:
    factor = 1.9 if day.month in (11, 12) else 1.0
    return max(0, round(rng.gauss(per_day * factor, (per_day * factor) ** 0.5)))


# ---- Walmart ---------------------------------------------------------------------------


def _walmart(
    directory: Path, items: Sequence[Item], year: int, scale: int, seed: int
) -> list[Path]:
    rng = _stream(seed, "walmart")
    weights = [i.popularity for i in items]
    start = date(year, 1, 1)
    paths = []
    po = 108_000_000 + rng.randrange(1_000_000)
    key = 0
    refunds_due: list[tuple[date, list[str], Decimal, int, Decimal]] = []
    while start.year == year:
        end = min(start + timedelta(days=13), date(year, 12, 31))
        rows: list[dict[str, str]] = []

        def add(
            day: date,
            tt: str,
            amount_type: str,
            amount: Decimal,
            fields: dict[str, str],
            *,
            rows: list[dict[str, str]] = rows,
        ) -> None:
            nonlocal key
            key += 1
            rows.append(
                {
                    "Currency": "USD",
                    "Transaction Key": f"WM{key:09d}",
                    "Transaction Posted Timestamp": day.strftime("%m/%d/%Y"),
                    "Transaction Type": tt,
                    "Amount": f"{amount:.2f}",
                    "Amount Type": amount_type,
                    **fields,
                }
            )

        day = start
        while day <= end:
            for _ in range(_orders_today(rng, WALMART_ORDERS_PER_DAY * scale, day)):
                item = rng.choices(list(items), weights=weights)[0]
                qty = 1 if rng.random() < 0.9 else 2
                price = _money(item.price * Decimal("1.05")) * qty
                tax = _money(price * Decimal(rng.choice(("0", "0.06", "0.07", "0.0825"))))
                commission = -_money(price * WALMART_COMMISSION)
                po += 1
                order = {
                    "Transaction Description": "Purchase",
                    "Customer Order #": str(po + 200_000_000),
                    "Customer Order line #": "1",
                    "Purchase Order #": str(po),
                    "Purchase Order line #": "1",
                    "Ship Qty": str(qty),
                    "Commission Rate": "15",
                    "Partner Item Id": item.code,
                    "Partner Item Name": f"Lianxing {item.code}",
                    "Ship to State": "TX",
                    "Ship to City": "AUSTIN",
                    "Ship to Zipcode": "78701",
                    "Fulfillment Type": "WFS",
                }
                add(day, "Sale", "Product Price", price, order)
                if tax:
                    add(day, "Sale", "Product tax", tax, order)
                    add(day, "Sale", "Product tax withheld", -tax, order)
                add(day, "Sale", "Commission on Product", commission, order)
                fee = {**order, "Transaction Description": "WFS Fulfillment fee"}
                add(day, "Adjustment", "WFS Fee/Reimbursement", -WFS_FEE_PER_UNIT * qty, fee)
                if rng.random() < 0.04:
                    back = day + timedelta(days=rng.randint(5, 30))
                    refunds_due.append((back, [str(po), item.code], price, qty, tax))
            day += timedelta(days=1)
        for due in [r for r in refunds_due if start <= r[0] <= end]:
            back, (po_id, code), price, qty, tax = due
            refunds_due.remove(due)
            order = {
                "Transaction Description": "Return Refund",
                "Purchase Order #": po_id,
                "Purchase Order line #": "1",
                "Ship Qty": str(qty),
                "Partner Item Id": code,
                "Fulfillment Type": "WFS",
            }
            add(back, "Refund", "Product Price", -price, order)
            add(back, "Refund", "Commission on Product", _money(price * WALMART_COMMISSION), order)
            if tax:
                add(back, "Refund", "Product tax", -tax, order)
                add(back, "Refund", "Product tax withheld", tax, order)
        storage = _money(Decimal(rng.randint(40, 90) * scale) * Decimal("0.75"))
        add(
            end,
            "Service Fee",
            "WFS Fee/Reimbursement",
            -storage,
            {"Transaction Description": "WFS StorageFee"},
        )
        total = sum((Decimal(r["Amount"]) for r in rows), ZERO)
        summary = {
            "Period Start Date": start.strftime("%m/%d/%Y"),
            "Period End Date": end.strftime("%m/%d/%Y"),
            "Total Payable": f"{total:.2f}",
            "Currency": "USD",
            "Transaction Posted Timestamp": (end + timedelta(days=3)).strftime("%m/%d/%Y"),
            "Transaction Type": "PaymentSummary",
            "Transaction Description": "Deposited in account",
        }
        lines = [[row.get(c, "") for c in WALMART_HEADER] for row in [summary, *rows]]
        paths.append(_write(directory / f"walmart-recon-{end:%m%d%Y}.csv", WALMART_HEADER, lines))
        start = end + timedelta(days=1)
    return paths


# ---- Shopify ---------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    # The shop's local time with the offset its zone has then, as Shopify writes it.
    return moment.replace(tzinfo=ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M:%S %z")


def _shopify(
    directory: Path, items: Sequence[Item], year: int, scale: int, seed: int
) -> list[Path]:
    rng = _stream(seed, "shopify")
    number = 1000
    paths = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        orders: list[list[str]] = []
        payments: list[list[str]] = []
        day = first
        while day <= last:
            for _ in range(_orders_today(rng, SHOPIFY_ORDERS_PER_DAY * scale, day)):
                number += 1
                created = datetime(day.year, day.month, day.day) + timedelta(
                    seconds=rng.randrange(3_600 * 6, 86_400)
                )
                picked = rng.sample(list(items), k=1 if rng.random() < 0.8 else 2)
                lines = [(i, 1 if rng.random() < 0.85 else 2) for i in picked]
                subtotal = sum((i.price * q for i, q in lines), ZERO)
                discount = _money(subtotal * Decimal("0.10")) if rng.random() < 0.2 else ZERO
                shipping = ZERO if subtotal >= 35 else Decimal("5.99")
                taxes = _money((subtotal - discount + shipping) * Decimal("0.0725"))
                total = subtotal - discount + shipping + taxes
                refunded = total if rng.random() < 0.03 else ZERO
                status = "refunded" if refunded else "paid"
                name = f"#{number}"
                for n, (item, qty) in enumerate(lines):
                    row = {
                        "Name": name,
                        "Email": f"buyer{number}@example.com",
                        "Lineitem quantity": str(qty),
                        "Lineitem name": f"Lianxing {item.code}",
                        "Lineitem price": f"{item.price:.2f}",
                        "Lineitem sku": item.code,
                        "Lineitem requires shipping": "true",
                        "Lineitem taxable": "true",
                        "Lineitem fulfillment status": "fulfilled",
                        "Lineitem discount": "0.00",
                        "Vendor": "Lianxing",
                    }
                    if n == 0:
                        row |= {
                            "Financial Status": status,
                            "Paid at": _stamp(created),
                            "Fulfillment Status": "fulfilled",
                            "Fulfilled at": _stamp(created + timedelta(hours=20)),
                            "Accepts Marketing": "no",
                            "Currency": "USD",
                            "Subtotal": f"{subtotal - discount:.2f}",
                            "Shipping": f"{shipping:.2f}",
                            "Taxes": f"{taxes:.2f}",
                            "Total": f"{total:.2f}",
                            "Discount Code": "WELCOME10" if discount else "",
                            "Discount Amount": f"{discount:.2f}",
                            "Shipping Method": "Standard",
                            "Created at": _stamp(created),
                            "Billing Name": "Sam Buyer",
                            "Billing Street": "12 Elm St",
                            "Billing City": "Columbus",
                            "Billing Zip": "43004",
                            "Billing Country": "US",
                            "Shipping Name": "Sam Buyer",
                            "Shipping Street": "12 Elm St",
                            "Shipping City": "Columbus",
                            "Shipping Zip": "43004",
                            "Shipping Country": "US",
                            "Payment Method": "Shopify Payments",
                            "Refunded Amount": f"{refunded:.2f}",
                            "Id": str(5_100_000_000 + number),
                            "Source": "web",
                            "Phone": "+1 555 0199",
                        }
                    orders.append([row.get(c, "") for c in SHOPIFY_ORDERS_HEADER])
                fee = _money(total * SHOPIFY_FEE_RATE) + SHOPIFY_FEE_FIXED
                payout = created.date() + timedelta(days=2)
                payments.append(_payment(created, "charge", name, total, fee, payout, number))
                if refunded:
                    back = created + timedelta(days=rng.randint(3, 12))
                    payments.append(
                        _payment(back, "refund", name, -refunded, ZERO, back.date(), number)
                    )
            day += timedelta(days=1)
        paths.append(
            _write(
                directory / f"shopify-orders-{year}-{month:02d}.csv", SHOPIFY_ORDERS_HEADER, orders
            )
        )
        paths.append(
            _write(
                directory / f"shopify-payments-{year}-{month:02d}.csv",
                SHOPIFY_PAYMENTS_HEADER,
                payments,
            )
        )
    return paths


def _payment(
    when: datetime, kind: str, order: str, amount: Decimal, fee: Decimal, payout: date, n: int
) -> list[str]:
    values = {
        "Transaction Date": _stamp(when),
        "Type": kind,
        "Order": order,
        "Card Brand": "visa",
        "Card Source": "online",
        "Payout Status": "paid",
        "Payout Date": payout.isoformat(),
        "Payout ID": str(80_000_000 + payout.toordinal()),
        "Available On": payout.isoformat(),
        "Amount": f"{amount:.2f}",
        "Fee": f"{fee:.2f}",
        "Net": f"{amount - fee:.2f}",
        "Checkout": str(30_000_000 + n),
        "Payment Method Name": "card",
        "Presentment Amount": f"{amount:.2f}",
        "Presentment Currency": "USD",
        "Currency": "USD",
    }
    return [values.get(c, "") for c in SHOPIFY_PAYMENTS_HEADER]


def write_platform_files(
    directory: Path, items: Sequence[Item], *, year: int, scale: int, seed: int
) -> list[Path]:
    """Write the Walmart and Shopify files of the demo year; returns their paths."""
    # The channels carry the catalog's best sellers, not the long tail.
    top = sorted(items, key=lambda i: (-i.popularity, i.code))[:20]
    return [
        *_walmart(directory, top, year, scale, seed),
        *_shopify(directory, top, year, scale, seed),
    ]
