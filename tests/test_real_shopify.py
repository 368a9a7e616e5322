"""Real Shopify exports from shops outside the US: prices with tax included, the shop's
own UTC offset, and the Shop app's payout types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_real_repeats import fuzz_workspace, import_or_refuse
from test_shopify import ORDERS, order, tx, write_payments

from conftest import ledger_fingerprint, run_cli, write_table
from lianxing import notices
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.workspace import Store

# A UK shop's export: the same columns, with Taxes Included.
UK_HEADER = [*ORDERS, "Taxes Included"]


def uk_order(
    name: str,
    lines: list[tuple[str, str, str, str]],
    *,
    subtotal: str,
    taxes: str,
    total: str,
    shipping: str = "0.00",
    discount: str = "0.00",
    included: str = "true",
    created: str = "2024-03-04 10:00:00 +0000",
    **extra: str,
) -> list[dict[str, str]]:
    rows = order(
        name,
        lines,
        shipping=shipping,
        taxes=taxes,
        total=total,
        discount=discount,
        created=created,
        currency="GBP",
        **extra,
    )
    rows[0] |= {"Subtotal": subtotal, "Taxes Included": included}
    return rows


# Three lines, VAT 20% inside the prices: 40.00 holds 6.67 of VAT. Shares 3.335, 1.6675,
# 1.6675 round to 3.34 + 1.67 + 1.67 = 6.68: the largest (BOWL) takes the cent back.
UK1 = uk_order(
    "#UK1",
    [("BOWL", "1", "20.00", "0.00"), ("CUP", "1", "10.00", "0.00"), ("MUG", "1", "10.00", "0.00")],
    subtotal="40.00",
    taxes="6.67",
    total="40.00",
)
# A line discount, an order discount and shipping, all with VAT inside: Subtotal 22.00 +
# shipping 4.99 = 26.99 holds 4.50 of VAT, all taken out of the one line.
UK2 = uk_order(
    "#UK2",
    [("BOWL", "1", "30.00", "5.00")],
    subtotal="22.00",
    taxes="4.50",
    total="26.99",
    shipping="4.99",
    discount="8.00",
    created="2024-03-05 09:00:00 +0000",
)
# A custom item without a SKU takes its share: the SKU's sales are 20.00, not 19.00.
UK3 = uk_order(
    "#UK3",
    [("JUG", "1", "24.00", "0.00"), ("", "1", "6.00", "0.00")],
    subtotal="30.00",
    taxes="5.00",
    total="30.00",
    created="2024-03-06 09:00:00 +0000",
)
# Refunded in full: every line's sales and its VAT share are reversed.
UK4 = uk_order(
    "#UK4",
    [("CUP", "2", "12.00", "0.00")],
    subtotal="24.00",
    taxes="4.00",
    total="24.00",
    created="2024-03-07 09:00:00 +0000",
    status="refunded",
    refunded="24.00",
)
UK_ORDERS = [*UK1, *UK2, *UK3, *UK4]


def sku_sales(lx: Lianxing) -> dict[str | None, Decimal]:
    rows = lx.db.query(
        "SELECT sku, sum(amount) FROM ledger WHERE category = 'revenue.product' GROUP BY sku"
    )
    return {sku: amount for sku, amount in rows}


def test_tax_included_export_takes_vat_out_of_each_line(lx: Lianxing, tmp_path: Path) -> None:
    result = lx.import_file(write_table(tmp_path / "uk.csv", UK_HEADER, UK_ORDERS, delimiter=","))
    assert result.status == "imported" and result.currency == "GBP"
    assert not [n for n in result.notes if n[0] == "shopify.total_mismatch"]
    sales = sku_sales(lx)
    # BOWL: 20.00 - 3.33 (the largest share takes the rounding) + 30.00 - 4.50.
    assert sales["BOWL"] == Decimal("16.67") + Decimal("25.50")
    assert sales["CUP"] == Decimal("8.33") + Decimal("20.00")
    assert sales["MUG"] == Decimal("8.33")
    assert sales["JUG"] == Decimal("20.00")
    assert sales[None] == Decimal("5.00")  # the custom item's 6.00 less its 1.00 VAT
    # No tax left on an order row (no SKU, no line of its own).
    assert lx.db.query(
        "SELECT count(*) FROM ledger WHERE amount_description = 'TaxesIncluded' "
        "AND amount_type <> 'Lineitem'"
    ) == [(0,)]
    # Each order's product sales less its discounts is its Subtotal - Taxes, to the cent.
    for rows in (UK1, UK2, UK3):
        head = rows[0]
        got = lx.db.query(
            "SELECT sum(amount) FROM ledger WHERE order_id = ? AND event = 'order' AND "
            "category IN ('revenue.product', 'revenue.promotion')",
            [head["Name"]],
        )[0][0]
        assert got == Decimal(head["Subtotal"]) - Decimal(head["Taxes"]), head["Name"]
    # The refunded order nets to nothing, VAT share included.
    refunded = lx.db.query(
        "SELECT sum(amount) FROM ledger WHERE order_id = '#UK4' AND category IN "
        "('revenue.product', 'refunds.product')"
    )
    assert refunded == [(Decimal(0),)]


def test_per_sku_sales_sum_to_the_store_total(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_table(tmp_path / "uk.csv", UK_HEADER, UK_ORDERS, delimiter=","))
    by_sku = lx.profit(by="sku", currency="GBP").rows
    store = lx.profit(by="store", currency="GBP").rows[0]
    assert sum(r["sales"] for r in by_sku) == store["sales"]
    # Nothing but the custom item's own sales is on no SKU: no order-wide VAT there.
    assert [r["sales"] for r in by_sku if r["sku"] is None] == [Decimal("5.00")]
    # Sales of the orders not refunded: 40 - 6.67 + 30 - 4.50 + 30 - 5.00 (+ #UK4's 20).
    assert store["sales"] == Decimal("83.83") + Decimal("20.00")


def test_taxes_included_column_is_believed_over_the_arithmetic(
    lx: Lianxing, tmp_path: Path
) -> None:
    # A 2.00 tip makes Total = goods + 2.00, so the sum does not show that tax is
    # inside the prices; the export's Taxes Included does.
    tipped = uk_order(
        "#UK9", [("MUG", "1", "12.00", "0.00")], subtotal="12.00", taxes="2.00", total="14.00"
    )
    result = lx.import_file(write_table(tmp_path / "t.csv", UK_HEADER, tipped, delimiter=","))
    assert sku_sales(lx) == {"MUG": Decimal("10.00")}
    assert ("shopify.total_mismatch", {"count": 1, "order": "#UK9"}) in result.notes
    # And "false" is believed too: tax on top of the prices is not taken out of them.
    on_top = uk_order(
        "#UK8",
        [("CUP", "1", "10.00", "0.00")],
        subtotal="10.00",
        taxes="2.00",
        total="12.00",
        included="false",
    )
    lx.import_file(write_table(tmp_path / "f.csv", UK_HEADER, on_top, delimiter=","))
    assert sku_sales(lx)["CUP"] == Decimal("10.00")


def test_free_lines_leave_the_tax_on_the_order(lx: Lianxing, tmp_path: Path) -> None:
    # Only shipping is charged: no line has an amount to carry the tax.
    free = uk_order(
        "#UK7",
        [("GIFT", "1", "0.00", "0.00")],
        subtotal="0.00",
        taxes="1.00",
        total="6.00",
        shipping="6.00",
    )
    lx.import_file(write_table(tmp_path / "free.csv", UK_HEADER, free, delimiter=","))
    included = lx.db.query(
        "SELECT sku, amount FROM ledger WHERE amount_description = 'TaxesIncluded'"
    )
    assert included == [(None, Decimal("-1.0000"))]


ZA = [
    *order(
        "#ZA1",
        [("MUG", "1", "115.00", "0.00")],
        total="115.00",
        currency="ZAR",
        created="2024-03-01 00:15:00 +0200",
    ),
    *order(
        "#ZA2",
        [("CUP", "1", "50.00", "0.00")],
        total="50.00",
        currency="ZAR",
        created="2024-03-01 23:50:00 +0200",
    ),
]


def test_shop_at_plus_two_lands_on_the_local_day(lx: Lianxing, tmp_path: Path) -> None:
    result = lx.import_file(write_table(tmp_path / "za.csv", ORDERS, ZA, delimiter=","))
    assert result.new_store is not None
    assert (result.new_store.currency, result.new_store.timezone) == (
        "ZAR",
        "Africa/Johannesburg",
    )
    days = lx.db.query("SELECT DISTINCT order_id, business_date FROM ledger ORDER BY 1")
    assert days == [("#ZA1", date(2024, 3, 1)), ("#ZA2", date(2024, 3, 1))]
    # The zone is saved with the store.
    assert 'timezone = "Africa/Johannesburg"' in lx.workspace.config_path.read_text("utf-8")
    assert notices.take() == []


def test_zone_follows_daylight_saving_offsets(lx: Lianxing, tmp_path: Path) -> None:
    # A UK shop's winter (+0000) and summer (+0100) orders: Europe/London fits both.
    rows = [
        *uk_order("#W", [("MUG", "1", "12.00", "0.00")], subtotal="12.00", taxes="2.00",
                  total="12.00", created="2024-03-30 23:30:00 +0000"),
        *uk_order("#S", [("MUG", "1", "12.00", "0.00")], subtotal="12.00", taxes="2.00",
                  total="12.00", created="2024-04-01 00:10:00 +0100"),
    ]  # fmt: skip
    result = lx.import_file(write_table(tmp_path / "uk.csv", UK_HEADER, rows, delimiter=","))
    assert result.new_store is not None and result.new_store.timezone == "Europe/London"
    days = dict(lx.db.query("SELECT DISTINCT order_id, business_date FROM ledger"))
    assert days == {"#W": date(2024, 3, 30), "#S": date(2024, 4, 1)}


def test_configured_zone_that_conflicts_is_named_in_a_notice(lx: Lianxing, tmp_path: Path) -> None:
    lx.workspace.add_store(Store("za", "shopify", "shopify", "ZAR", "America/New_York"))
    lx.workspace.save()
    notices.take()
    # A file refused for its values says nothing about the zone.
    bad = [dict(r) for r in ZA]
    bad[1]["Lineitem quantity"] = "x"
    with pytest.raises(InputError):
        lx.import_file(write_table(tmp_path / "bad.csv", ORDERS, bad, delimiter=","))
    assert notices.take() == []
    path = write_table(tmp_path / "za.csv", ORDERS, ZA, delimiter=",")
    result = lx.import_file(path, store_id="za")
    assert result.status == "imported"
    found = notices.take()
    assert [key for key, _ in found] == ["shopify.zone_conflict"]
    params = found[0][1]
    assert params["file"] == str(path) and params["offset"] == "+0200"
    assert (params["zone"], params["zone_offset"], params["suggested"]) == (
        "America/New_York",
        "-0500",
        "Africa/Johannesburg",
    )
    # The configured zone is kept: the order of 00:15 local is on 29 February in it.
    day = lx.db.query("SELECT DISTINCT business_date FROM ledger WHERE order_id = '#ZA1'")
    assert day == [(date(2024, 2, 29),)]


def test_cli_shows_the_zone_conflict_in_both_languages(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    with Lianxing.open(ws) as lx:
        lx.workspace.add_store(Store("za", "shopify", "shopify", "ZAR", "America/New_York"))
        lx.workspace.save()
    path = write_table(tmp_path / "za.csv", ORDERS, ZA, delimiter=",")
    shown = run_cli(["-w", str(ws), "import", str(path), "--store", "za"])
    assert shown.exit_code == 0, shown.stderr
    assert "UTC+0200" in shown.stderr and 'timezone = "Africa/Johannesburg"' in shown.stderr
    again = write_table(tmp_path / "za2.csv", ORDERS, ZA[:1], delimiter=",")
    shown = run_cli(["-w", str(ws), "--lang", "zh", "import", str(again), "--store", "za"])
    assert shown.exit_code == 0, shown.stderr
    assert "时区" in shown.stderr and "Africa/Johannesburg" in shown.stderr


def test_shop_app_payout_types_land_in_their_categories(lx: Lianxing, tmp_path: Path) -> None:
    rows = [
        tx("2025-02-03 10:00:00 -0800", "shop_cash_campaign_billing_debit", "", "-12.50", "0"),
        tx("2025-02-03 11:00:00 -0800", "marketplace sales tax", "#7001", "-3.10", "0"),
        tx("2025-02-04 09:00:00 -0800", "shop_cash_credit", "#7001", "25.00", "0.75"),
    ]
    result = lx.import_file(write_payments(tmp_path / "p.csv", rows))
    assert result.unmapped == []
    found = dict(
        lx.db.query("SELECT transaction_type, category FROM ledger WHERE amount_type = 'Amount'")
    )
    assert found == {
        "shop_cash_campaign_billing_debit": "advertising.shopify",
        "marketplace sales tax": "tax.marketplace_withheld",
        "shop_cash_credit": "transfers.shop_cash",
    }
    store = lx.profit(by="store").rows[0]
    # The ad billing is an ad cost; the tax passes through; the Shop Cash credit is the
    # order money the orders export counts, not income a second time; its fee counts.
    assert store["advertising"] == Decimal("-12.50")
    assert store["payment_processing"] == Decimal("-0.75")
    assert store["net_profit"] == Decimal("-13.25")


# Finance → Payouts → Export (the payouts, not their transactions): Total and Currency
# like the transactions export, but one row per payout.
PAYOUTS = [
    "Payout Date", "Status", "Charges", "Refunds", "Adjustments", "Reserved Funds", "Fees",
    "Retried Amount", "Total", "Currency",
]  # fmt: skip


def test_payouts_summary_is_not_taken_for_transactions(lx: Lianxing, tmp_path: Path) -> None:
    row = {"Payout Date": "2025-02-05", "Status": "paid", "Charges": "100.00", "Fees": "3.20",
           "Total": "96.80", "Currency": "USD"}  # fmt: skip
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(write_table(tmp_path / "payouts.csv", PAYOUTS, [row], delimiter=","))
    assert (caught.value.key, caught.value.problems[0].line) == ("file.unknown_kind", 1)
    assert ledger_fingerprint(lx) == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzzed_tax_included_exports_import_or_are_refused_with_a_place(
    tmp_path: Path, data: st.DataObject
) -> None:
    base = write_table(tmp_path / "uk.csv", UK_HEADER, UK_ORDERS, delimiter=",")
    text = base.read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(
        st.binary(max_size=6)
        | st.sampled_from([b",", b'"', b"\n", b"+0200", b"true", b"false", b"-99", b"#UK1"])
    )
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 4)) :]
    target = tmp_path / "fuzz.csv"
    target.write_bytes(mutated)
    with fuzz_workspace(tmp_path) as lx:
        if import_or_refuse(lx, target):
            # Whatever imported, the VAT taken out of an order's lines is its Taxes.
            taken = lx.db.query(
                """SELECT order_id,
                          sum(amount) FILTER (WHERE amount_description = 'TaxesIncluded'),
                          -sum(amount) FILTER (WHERE category = 'tax.sales_collected')
                   FROM ledger WHERE event = 'order' GROUP BY order_id
                   HAVING count(*) FILTER (WHERE amount_description = 'TaxesIncluded') > 0"""
            )
            assert all(included == collected for _, included, collected in taken), taken
        notices.take()
