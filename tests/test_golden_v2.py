"""A small hand-written V2 settlement with every kind of row, and the numbers a
careful accountant would get from it by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import LianxingError

O1, O2 = "111-0000001-0000001", "111-0000002-0000002"
DAY = "2026-03-02 15:00:00 UTC"


def golden_rows() -> list[dict[str, str]]:
    a = {"order": O1, "sku": "SKU-A", "qty": "2", "item": "10001", "when": DAY}
    b = {"order": O2, "sku": "SKU-B", "qty": "1", "item": "10002", "when": DAY}
    r = {
        "order": O1,
        "sku": "SKU-A",
        "qty": "1",
        "item": "10001",
        "when": "2026-03-05 10:00:00 UTC",
        "adjustment": "ADJ1",
    }
    return [
        v2_row("Order", "ItemPrice", "Principal", "40.00", **a),
        v2_row("Order", "ItemPrice", "Tax", "2.80", **a),
        v2_row("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-2.80", **a),
        v2_row("Order", "ItemFees", "Commission", "-6.00", **a),
        v2_row("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-7.00", **a),
        v2_row("Order", "Promotion", "Principal", "-4.00", **a),
        v2_row("Order", "ItemPrice", "Principal", "25.00", **b),
        v2_row("Order", "ItemPrice", "Shipping", "5.00", **b),
        v2_row("Order", "ItemPrice", "ShippingTax", "0.35", **b),
        v2_row("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", "-0.35", **b),
        v2_row("Order", "ItemFees", "Commission", "-3.75", **b),
        v2_row("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-4.50", **b),
        v2_row("Order", "ItemFees", "ShippingChargeback", "-5.00", **b),
        v2_row("Refund", "ItemPrice", "Principal", "-20.00", **r),
        v2_row("Refund", "ItemPrice", "Tax", "-1.40", **r),
        v2_row("Refund", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "1.40", **r),
        v2_row("Refund", "ItemFees", "Commission", "2.40", **r),
        v2_row("Refund", "ItemFees", "RefundCommission", "-0.60", **r),
        v2_row("Refund", "Promotion", "Principal", "2.00", **r),
        v2_row("other-transaction", "other-transaction", "Storage Fee", "-12.34", when=DAY),
        v2_row("other-transaction", "other-transaction", "Subscription Fee", "-39.99", when=DAY),
        v2_row(
            "other-transaction", "other-transaction", "Current Reserve Amount", "-100.00", when=DAY
        ),
        v2_row(
            "other-transaction",
            "other-transaction",
            "Previous Reserve Amount Balance",
            "80.00",
            when=DAY,
        ),
        v2_row(
            "other-transaction",
            "FBA Inventory Reimbursement",
            "WAREHOUSE_DAMAGE",
            "9.50",
            sku="SKU-B",
            qty="1",
            when=DAY,
        ),
        v2_row("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", "-30.00", when=DAY),
        v2_row("ServiceFee", "Cost of Advertising", "TaxAmount", "-1.50", when=DAY),
        v2_row("other-transaction", "other-transaction", "Mystery Fee", "-1.11", when=DAY),
    ]


@pytest.fixture
def golden(lx: Lianxing, tmp_path: Path) -> Lianxing:
    path = write_v2(tmp_path / "golden.txt", golden_rows())
    result = lx.import_settlement(path)
    assert result.status == "imported"
    return lx


def by_sku(facade: Lianxing, **kwargs: object) -> dict[str | None, dict[str, object]]:
    return {row["sku"]: row for row in facade.profit(by="sku", **kwargs).rows}  # type: ignore[arg-type]


def test_settlement_reconciles_to_the_payout(golden: Lianxing) -> None:
    [source] = golden.sources()
    assert source["total_amount"] == Decimal("-71.89")
    assert source["difference"] == 0
    assert source["reconciled"] is True
    assert source["store_id"] == "amazon-com"


def test_units_count_each_order_item_once(golden: Lianxing) -> None:
    rows = by_sku(golden)
    assert rows["SKU-A"]["units"] == 2  # quantity repeats on 6 rows of the item
    assert rows["SKU-A"]["units_refunded"] == 1
    assert rows["SKU-B"]["units"] == 1  # the reimbursement's unit is not a sale


def test_sales_exclude_tax_and_promotions(golden: Lianxing) -> None:
    rows = by_sku(golden)
    assert rows["SKU-A"]["sales"] == Decimal("40.00")
    assert rows["SKU-A"]["promotions"] == Decimal("-4.00")
    assert rows["SKU-A"]["refunds"] == Decimal("-18.00")
    assert rows["SKU-A"]["platform_fees"] == Decimal("-4.20")
    assert rows["SKU-B"]["other_revenue"] == Decimal("5.00")
    assert rows["SKU-B"]["fulfillment"] == Decimal("-9.50")
    assert rows["SKU-B"]["reimbursements"] == Decimal("9.50")


def test_net_profit_per_sku_and_account_level_money(golden: Lianxing) -> None:
    rows = by_sku(golden)
    assert rows["SKU-A"]["net_profit"] == Decimal("6.80")
    assert rows["SKU-B"]["net_profit"] == Decimal("26.25")
    account = rows[None]
    assert account["storage"] == Decimal("-12.34")
    assert account["advertising"] == Decimal("-30.00")
    assert account["fee_tax"] == Decimal("-1.50")
    assert account["unmapped"] == Decimal("-1.11")
    # Reserves (-100 + 80) are balance movements: not in profit.
    assert account["net_profit"] == Decimal("-84.94")
    [store] = golden.profit(by="store").rows
    assert store["net_profit"] == Decimal("-51.89")


def test_unknown_code_is_kept_and_listed(golden: Lianxing) -> None:
    [code] = golden.unmapped()
    assert code.amount_description == "Mystery Fee"
    assert code.rows == 1
    assert code.amount == Decimal("-1.11")
    assert code.first_line == 29  # header, summary, then the 27th data row


def test_fee_tax_is_a_balance_when_recoverable(golden: Lianxing) -> None:
    golden.workspace.config.fee_tax_recoverable = True
    [store] = golden.profit(by="store").rows
    assert store["net_profit"] == Decimal("-50.39")


def test_cogs_in_cny_converted_by_the_rate_of_the_sale_date(
    golden: Lianxing, tmp_path: Path
) -> None:
    cogs = tmp_path / "cogs.csv"
    cogs.write_text(
        "sku,effective_from,unit_cost,currency,freight,duty\n"
        "SKU-A,2026-01-01,35.00,CNY,3.50,1.50\n"
        "SKU-A,2026-04-01,50.00,CNY,3.50,1.50\n"
    )
    fx = tmp_path / "fx.csv"
    fx.write_text("date,from,to,rate\n2026-03-01,USD,CNY,8.0000\n")
    golden.import_costs(cogs)
    golden.import_rates(fx)
    report = golden.profit(by="sku")
    rows = {r["sku"]: r for r in report.rows}
    assert rows["SKU-A"]["cogs"] == Decimal("-10.00")  # 2 units × 40 CNY ÷ 8
    assert rows["SKU-A"]["net_profit"] == Decimal("-3.20")
    assert report.skus_without_cost == [("SKU-B", 1)]
    in_cny = by_sku(golden, currency="CNY")
    assert in_cny["SKU-B"]["net_profit"] == Decimal("210.00")
    assert in_cny["SKU-A"]["cogs"] == Decimal("-80.00")


def test_missing_rate_is_an_error_naming_pair_and_date(golden: Lianxing) -> None:
    with pytest.raises(LianxingError) as info:
        golden.profit(by="sku", currency="CNY")
    assert info.value.key == "fx.missing"
    assert "USD→CNY" in str(info.value)
    assert "2026-03-02" in str(info.value)


def test_business_date_is_in_the_store_time_zone(lx: Lianxing, tmp_path: Path) -> None:
    # 05:00 UTC on March 3rd is still March 2nd in Los Angeles.
    rows = [
        v2_row(
            "Order",
            "ItemPrice",
            "Principal",
            "10.00",
            order=O1,
            sku="S",
            qty="1",
            item="1",
            when="2026-03-03 05:00:00 UTC",
        )
    ]
    lx.import_settlement(write_v2(tmp_path / "tz.txt", rows))
    [day] = lx.profit(by="day").rows
    assert day["day"] == "2026-03-02"


def test_profit_filters_by_date_and_store(golden: Lianxing) -> None:
    rows = golden.profit(by="sku", date_from=__import__("datetime").date(2026, 3, 3)).rows
    assert {r["sku"] for r in rows} == {"SKU-A"}  # only the refund falls on/after March 3
    with pytest.raises(LianxingError):
        golden.profit(by="sku", store_id="nope")


def test_every_profit_figure_traces_to_ledger_lines(golden: Lianxing, tmp_path: Path) -> None:
    rows = golden.ledger(sku="SKU-A", category="platform_fees")
    assert sum((r["amount"] for r in rows), Decimal(0)) == by_sku(golden)["SKU-A"]["platform_fees"]
    assert sorted(r["line"] for r in rows) == [6, 19, 20]
    lines = (tmp_path / "golden.txt").read_text().split("\n")
    for row in rows:
        fields = lines[row["line"] - 1].split("\t")
        assert Decimal(fields[14]) == row["amount"]  # the 'amount' column of that line
        assert fields[13] == row["amount_description"]
    assert all(r["file_name"] == "golden.txt" for r in rows)
