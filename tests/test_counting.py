"""Each dollar once: one period seen by a settlement, an order report, ads, storage and
returns reports (with overlapping copies) gives the same profit in any import order."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import permutations
from pathlib import Path

from conftest import v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.demo_reports import (
    ADS_HEADER,
    ALL_ORDERS_HEADER,
    RETURNS_HEADER,
    STORAGE_HEADER,
)


def _files(tmp: Path) -> dict[str, Path]:
    settlement = write_v2(
        tmp / "settlement.txt",
        [
            v2_row("Order", "ItemPrice", "Principal", "40.00", order="1", sku="MUG", qty="2"),
            v2_row("Order", "ItemFees", "Commission", "-6.00", order="1", sku="MUG", qty="2"),
            v2_row("Order", "ItemPrice", "Principal", "15.00", order="2", sku="CUP", qty="1"),
            v2_row("Order", "ItemFees", "Commission", "-2.25", order="2", sku="CUP", qty="1"),
            v2_row("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", "-30.00",
                   when="2026-03-09 10:00:00 UTC"),
            v2_row("other-transaction", "other-transaction", "Storage Fee", "-9.00",
                   when="2026-03-08 10:00:00 UTC"),
        ],
    )  # fmt: skip
    orders = [
        # Order 1 settled (its estimate must vanish); 3 and 4 not settled yet.
        {"amazon-order-id": "1", "purchase-date": "2026-03-01T10:00:00+00:00",
         "last-updated-date": "2026-03-02T10:00:00+00:00", "order-status": "Shipped",
         "sales-channel": "Amazon.com", "sku": "MUG", "asin": "B0MUG", "quantity": "2",
         "currency": "USD", "item-price": "40.00"},
        {"amazon-order-id": "3", "purchase-date": "2026-03-10T10:00:00+00:00",
         "last-updated-date": "2026-03-10T12:00:00+00:00", "order-status": "Shipped",
         "sales-channel": "Amazon.com", "sku": "CUP", "asin": "B0CUP", "quantity": "1",
         "currency": "USD", "item-price": "15.00"},
    ]  # fmt: skip
    later = {**orders[1], "last-updated-date": "2026-03-11T12:00:00+00:00", "item-price": "14.00"}
    fourth = {**orders[1], "amazon-order-id": "4", "sku": "MUG", "item-price": "20.00"}
    ads = [
        {"Date": "Mar 02, 2026", "Currency": "USD", "Campaign Name": "A", "Ad Group Name": "G",
         "Advertised SKU": "MUG", "Advertised ASIN": "B0MUG", "Spend": "$20.00"},
        {"Date": "Mar 03, 2026", "Currency": "USD", "Campaign Name": "B", "Ad Group Name": "G",
         "Advertised SKU": "CUP", "Advertised ASIN": "B0CUP", "Spend": "$10.00"},
    ]  # fmt: skip
    storage = [
        {"asin": "B0MUG", "fnsku": "X0MUG", "fulfillment_center": "PHX6", "country_code": "US",
         "month_of_charge": "2026-02", "currency": "USD", "estimated_monthly_storage_fee": "2.00"},
        {"asin": "B0CUP", "fnsku": "X0CUP", "fulfillment_center": "PHX6", "country_code": "US",
         "month_of_charge": "2026-02", "currency": "USD", "estimated_monthly_storage_fee": "1.00"},
    ]  # fmt: skip
    returns = [
        {"return-date": "2026-03-12T10:00:00+00:00", "order-id": "1", "sku": "MUG",
         "asin": "B0MUG", "fnsku": "X0MUG", "quantity": "1", "detailed-disposition": "DEFECTIVE",
         "reason": "DEFECTIVE", "status": "Unit returned to inventory",
         "license-plate-number": "LPN1"},
        {"return-date": "2026-03-12T10:00:00+00:00", "order-id": "2", "sku": "CUP",
         "asin": "B0CUP", "fnsku": "X0CUP", "quantity": "1", "detailed-disposition": "SELLABLE",
         "reason": "UNWANTED_ITEM", "status": "Unit returned to inventory",
         "license-plate-number": "LPN2"},
    ]  # fmt: skip
    costs = tmp / "costs.csv"
    costs.write_text("sku,effective_from,unit_cost,currency\nMUG,2026-01-01,5,USD\n"
                     "CUP,2026-01-01,3,USD\n")  # fmt: skip
    return {
        "settlement": settlement,
        "orders": write_table(tmp / "orders.txt", ALL_ORDERS_HEADER, orders),
        "orders-later": write_table(tmp / "orders2.txt", ALL_ORDERS_HEADER, [later, fourth]),
        "ads": write_table(tmp / "ads.csv", ADS_HEADER, ads, delimiter=","),
        "ads-copy": write_table(tmp / "ads-copy.csv", ADS_HEADER, ads[:1], delimiter=","),
        "storage": write_table(tmp / "storage.txt", STORAGE_HEADER, storage),
        "returns": write_table(tmp / "returns.txt", RETURNS_HEADER, returns),
        "costs": costs,
    }


def test_every_order_of_import_gives_one_profit(tmp_path: Path) -> None:
    files = _files(tmp_path)
    orders = list(permutations(files))
    # All 40,320 orders are too many for the default run: the forward and reverse order
    # and a fixed random sample of the rest.
    sample = [orders[0], orders[-1], *random.Random(3).sample(orders[1:-1], 5)]
    seen = set()
    for n, sequence in enumerate(sample):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for name in sequence:
                lx.import_file(files[name], store_id="amazon-com")
            by_sku = {
                r["sku"]: (r["net_profit"], r["estimated"], r["advertising"], r["storage"])
                for r in lx.profit(by="sku").rows
            }
            seen.add(tuple(sorted(by_sku.items(), key=lambda kv: str(kv[0]))))
    assert len(seen) == 1
    result = dict(next(iter(seen)))
    # No charge left on no SKU: ads 20:10 and storage 2:1 split them entirely.
    assert None not in result
    mug, cup = result["MUG"], result["CUP"]
    assert (mug[2], cup[2]) == (Decimal("-20.00"), Decimal("-10.00"))
    assert (mug[3], cup[3]) == (Decimal("-6.00"), Decimal("-3.00"))
    # MUG settled: 40 - 6 - 20 ads - 6 storage - 2 x 5 COGS + 5 back for the return
    # - 5 written off (defective); estimated order 4: 20 less fees 3 (from order 1)
    # and COGS 5.
    assert mug[0] == Decimal("40") - 6 - 20 - 6 - 10 + 5 - 5 + (20 - 3 - 5)
    assert mug[1] == Decimal("12.00")
    # CUP settled: 15 - 2.25 - 10 - 3 - 3 + 3 (sellable return, no write-off); estimated
    # order 3 at its newer price 14, less fees 2.25 and COGS 3.
    assert cup[0] == Decimal("15") - Decimal("2.25") - 10 - 3 - 3 + 3 + (14 - Decimal("2.25") - 3)
    assert cup[1] == Decimal("8.75")


def test_settlement_orders_and_ads_in_every_order(tmp_path: Path) -> None:
    """The issue's own case: one period from a settlement, an order report and an ads
    report, imported in all six orders, gives one total to the cent."""
    files = _files(tmp_path)
    trio = ("settlement", "orders", "ads")
    totals = set()
    for n, sequence in enumerate(permutations(trio)):
        with Lianxing.init(tmp_path / f"trio{n}") as lx:
            for name in sequence:
                lx.import_file(files[name], store_id="amazon-com")
            rows = {r["sku"]: (r["net_profit"], r["advertising"]) for r in lx.profit(by="sku").rows}
            totals.add(tuple(sorted(rows.items(), key=lambda kv: str(kv[0]))))
    assert len(totals) == 1
    by_sku = dict(next(iter(totals)))
    assert by_sku["MUG"][1] == Decimal("-20.00") and by_sku["CUP"][1] == Decimal("-10.00")
