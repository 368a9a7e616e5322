"""The demo's Date Range transaction report (`…CustomTransaction.csv`).

Written from two of the demo's settlement flat files, transaction by transaction, as
Seller Central shows the same money: so the report only *explains* settlements whose
flat files the demo also imports — the demo's profit is the same with it or without it,
and its import says that the report's rows match each settlement's total exactly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

PREAMBLE = (
    "Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions",
    "All amounts in USD, unless specified",
    "Definitions:",
    "Sales tax collected: Includes sales tax collected from buyers for product sales, "
    "shipping, and gift wrap.",
    "Selling fees: Includes variable closing fees and referral fees.",
    "Other transaction fees: Includes shipping chargebacks, shipping holdbacks, per-item "
    "fees  and sales tax collection fees.",
    'Other: Includes non-order transaction amounts. For more details, see the "Type" and '
    '"Description" columns for each order ID.',
)
HEADER = (
    "date/time", "settlement id", "type", "order id", "sku", "description", "quantity",
    "marketplace", "account type", "fulfillment", "order city", "order state",
    "order postal", "tax collection model", "product sales", "product sales tax",
    "shipping credits", "shipping credits tax", "gift wrap credits", "giftwrap credits tax",
    "Regulatory Fee", "Tax On Regulatory Fee", "promotional rebates",
    "promotional rebates tax", "marketplace withheld tax", "selling fees", "fba fees",
    "other transaction fees", "other", "total",
)  # fmt: skip
_MONEY = HEADER[14:29]
_LA = ZoneInfo("America/Los_Angeles")
# A settlement's (amount type, description) → the report's column.
_COLUMN = {
    ("ItemPrice", "Principal"): "product sales",
    ("ItemPrice", "Tax"): "product sales tax",
    ("ItemPrice", "Shipping"): "shipping credits",
    ("ItemPrice", "ShippingTax"): "shipping credits tax",
    ("ItemFees", "Commission"): "selling fees",
    ("ItemFees", "RefundCommission"): "selling fees",
    ("ItemFees", "FBAPerUnitFulfillmentFee"): "fba fees",
    ("ItemFees", "ShippingChargeback"): "other transaction fees",
}
# A settlement's account-level code → the report's (type, description).
_ACCOUNT = {
    "Storage Fee": ("FBA Inventory Fee", "FBA storage fee"),
    "Subscription Fee": ("Service Fee", "Subscription"),
    "FBAInboundTransportationFee": ("Service Fee", "FBA Inbound Transportation Fee"),
    "DisposalComplete": ("FBA Inventory Fee", "FBA Removal Order: Disposal Fee"),
    "RemovalComplete": ("FBA Inventory Fee", "FBA Removal Order: Removal Fee"),
}


def _stamp(text: str) -> str:
    """'2025-03-02 15:00:00 UTC' as the US report writes it: 'Mar 2, 2025 7:00:00 AM PST'."""
    moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(_LA)
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M:%S} {local:%p} {local:%Z}"


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _transactions(
    rows: list[dict[str, str]],
) -> Iterator[tuple[dict[str, str], dict[str, Decimal]]]:
    """(fields, amounts by column) per transaction of a V2 flat file's rows."""
    body = rows[1:]
    groups: dict[tuple[str, ...], tuple[dict[str, str], dict[str, Decimal]]] = {}
    for row in body:
        kind, at, ad = row["transaction-type"], row["amount-type"], row["amount-description"]
        key = (kind, row["order-id"], row["adjustment-id"], row["order-item-code"],
               row["sku"], row["posted-date-time"], "" if row["order-id"] else ad)  # fmt: skip
        fields, amounts = groups.setdefault(key, ({}, {}))
        if not fields:
            fields.update(_fields(row))
        column = (
            _COLUMN.get((at, ad))
            or ("marketplace withheld tax" if at == "ItemWithheldTax" else None)
            or ("promotional rebates" if at == "Promotion" else None)
            or "other"
        )
        amounts[column] = amounts.get(column, Decimal(0)) + Decimal(row["amount"])
    yield from groups.values()


def _fields(row: dict[str, str]) -> dict[str, str]:
    """The report's type, description and item fields for a settlement row."""
    kind, at, ad = row["transaction-type"], row["amount-type"], row["amount-description"]
    fields = {"date/time": _stamp(row["posted-date-time"]), "order id": row["order-id"],
              "sku": row["sku"], "quantity": row["quantity-purchased"]}  # fmt: skip
    if row["order-id"]:
        fields.update(
            type=kind,
            description=row["sku"],
            marketplace="amazon.com",
            fulfillment="Amazon",
            **{"tax collection model": "MarketplaceFacilitator"},
        )
    elif kind == "ServiceFee":
        fields.update(type="Service Fee", description=at)
    elif at == "FBA Inventory Reimbursement":
        fields.update(type="Adjustment", description=f"FBA Inventory Reimbursement - {ad}")
    else:
        kind, description = _ACCOUNT.get(ad, (ad, ""))
        fields.update(type=kind, description=description)
    return fields


def write_date_range(directory: Path, settlements: Sequence[Path]) -> Path:
    """A Date Range transaction report holding every transaction of `settlements` (V2
    flat files) and their payouts to the bank."""
    rows = []
    for path in settlements:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = list(csv.DictReader(handle, delimiter="\t"))
        settlement_id, total = lines[0]["settlement-id"], Decimal(0)
        for fields, amounts in _transactions(lines):
            total += sum(amounts.values(), Decimal(0))
            row = {**fields, "settlement id": settlement_id}
            row.update({c: _amount(amounts.get(c, Decimal(0))) for c in _MONEY})
            row["total"] = _amount(sum(amounts.values(), Decimal(0)))
            rows.append(row)
        deposit = lines[0]["deposit-date"]
        rows.append({"date/time": _stamp(deposit), "settlement id": settlement_id,
                     "type": "Transfer", "description": "To account ending in: 042",
                     **{c: "0.00" for c in _MONEY}, "other": _amount(-total),
                     "total": _amount(-total)})  # fmt: skip
    first = rows[0]["date/time"].split(",")[0].replace(" ", "")
    name = f"{_year(rows[0])}{first}-{_year(rows[-1])}"
    name += rows[-1]["date/time"].split(",")[0].replace(" ", "") + "CustomTransaction.csv"
    target = directory / name
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerows([line] for line in PREAMBLE)
        writer.writerow(HEADER)
        writer.writerows([row.get(c, "") for c in HEADER] for row in rows)
    return target


def _year(row: dict[str, str]) -> str:
    return row["date/time"].split(", ")[1][:4]
