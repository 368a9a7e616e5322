"""Older layouts of the reports, as real downloads from 2018–2020 and other marketplaces
write them: headers with trailing spaces, 2019 Business Report names, the inventory
health report's `sellable-quantity`, V2 settlements of 23 columns (no `promotion-id`)
and Amazon.de settlements with comma decimals and DD.MM.YYYY dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_real_amazon_delimiters import flat_file
from test_real_long_term_storage import HEALTH

from conftest import ledger_fingerprint, write_table
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.formats import AMAZON_SETTLEMENT_V2_COLUMNS

STORE = "amazon-us"

# The 2019 Sponsored Products advertised-product report: money headers end in a space.
ADS_2019 = ["Date", "Currency", "Campaign Name", "Ad Group Name", "Advertised SKU",
            "Advertised ASIN", "Impressions", "Clicks", "Click-Thru Rate (CTR)",
            "Cost Per Click (CPC)", "Spend", "7 Day Total Sales ",
            "Total Advertising Cost of Sales (ACoS) ",
            "Total Return on Advertising Spend (RoAS)", "7 Day Total Orders (#)",
            "7 Day Total Units (#)", "7 Day Conversion Rate", "7 Day Advertised SKU Units (#)",
            "7 Day Other SKU Units (#)", "7 Day Advertised SKU Sales ",
            "7 Day Other SKU Sales "]  # fmt: skip
# The 2019 Business Report (Detail Page Sales and Traffic by Child Item).
BUSINESS_2019 = ["(Parent) ASIN", "(Child) ASIN", "Title", "SKU", "Sessions",
                 "Session Percentage", "Page Views", "Page Views Percentage",
                 "Buy Box Percentage", "Units Ordered", "Units Ordered - B2B",
                 "Unit Session Percentage", "Unit Session Percentage - B2B",
                 "Ordered Product Sales", "Ordered Product Sales - B2B", "Total Order Items",
                 "Total Order Items - B2B"]  # fmt: skip


def test_2019_ads_report_headers_with_trailing_spaces_are_read(tmp_path: Path) -> None:
    row = {"Date": "Jan 05, 2019", "Currency": "USD", "Campaign Name": "Mugs",
           "Ad Group Name": "All", "Advertised SKU": "MUG", "Advertised ASIN": "B0MUG",
           "Impressions": "1,234", "Clicks": "12", "Spend": "$3.45",
           "7 Day Total Sales ": "$56.70", "7 Day Total Orders (#)": "3",
           "7 Day Total Units (#)": "4", "7 Day Advertised SKU Sales ": "$50.00"}  # fmt: skip
    path = write_table(tmp_path / "sp-2019.csv", ADS_2019, [row], delimiter=",")
    with Lianxing.init(tmp_path / "ws") as lx:
        result = lx.import_file(path, store_id=STORE)
        assert result.kind == "amazon_ads_sp"
        assert lx.db.query("SELECT day, sku, spend, sales, orders, units FROM ad_spend") == [
            (date(2019, 1, 5), "MUG", Decimal("3.45"), Decimal("56.70"), 3, 4)
        ]


def test_2019_business_report_names_are_read(tmp_path: Path) -> None:
    row = {"(Parent) ASIN": "B0P", "(Child) ASIN": "B0MUG", "Title": "Mug", "SKU": "MUG",
           "Sessions": "1,200", "Session Percentage": "12.00%", "Page Views": "1,500",
           "Page Views Percentage": "10.00%", "Buy Box Percentage": "97%",
           "Units Ordered": "30", "Units Ordered - B2B": "2", "Unit Session Percentage": "2.5%",
           "Ordered Product Sales": "$600.00", "Ordered Product Sales - B2B": "$40.00",
           "Total Order Items": "28", "Total Order Items - B2B": "2"}  # fmt: skip
    path = write_table(tmp_path / "BusinessReport.csv", BUSINESS_2019, [row], delimiter=",")
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(path, store_id=STORE, date_from=date(2019, 3, 1), date_to=date(2019, 3, 31))
        assert lx.db.query(
            "SELECT sessions, page_views, buy_box, units_ordered, ordered_sales, order_items "
            "FROM traffic"
        ) == [(1200, 1500, Decimal("0.97"), 30, Decimal("600.00"), 28)]


@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_inventory_health_sellable_quantity_is_available(tmp_path: Path, delimiter: str) -> None:
    row = {"snapshot-date": "2019-06-01T07:00:00+00:00", "fnsku": "X0MUG", "sku": "MUG",
           "product-name": "Mug", "condition": "New", "sellable-quantity": "42",
           "unsellable-quantity": "3", "inv-age-0-to-90-days": "30",
           "inv-age-91-to-180-days": "10", "inv-age-365-plus-days": "2",
           "units-shipped-last-30-days": "17", "asin": "B0MUG",
           "qty-to-be-charged-ltsf-12-mo": "2", "projected-ltsf-12-mo": "1.50"}  # fmt: skip
    path = flat_file(tmp_path / "health.txt", HEALTH, [row], delimiter=delimiter)
    with Lianxing.init(tmp_path / "ws") as lx:
        result = lx.import_file(path, store_id=STORE)
        assert result.kind == "amazon_inventory_planning"
        assert lx.db.query("SELECT sku, available, units_shipped_t30 FROM inventory") == [
            ("MUG", 42, 17)
        ]
        assert lx.db.query("SELECT sum(units) FROM inventory_age") == [(42,)]
        # Projected long-term storage fees are no charge: nothing to split with.
        assert lx.db.query("SELECT count(*) FROM long_term_storage_fees") == [(0,)]


# ---- settlements ---------------------------------------------------------------------
def _settlement(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", "utf-8")
    return path


def test_23_column_v2_settlement_without_promotion_id_reconciles(tmp_path: Path) -> None:
    header = list(AMAZON_SETTLEMENT_V2_COLUMNS)
    assert len(header) == 23 and "promotion-id" not in header

    def row(**values: str) -> list[str]:
        return [values.get(c.replace("-", "_"), "") for c in header]

    common = {"settlement_id": "123", "order_id": "111-1", "marketplace_name": "Amazon.com",
              "posted_date": "2019-05-02", "posted_date_time": "2019-05-02 10:00:00 UTC",
              "sku": "MUG", "quantity_purchased": "1", "order_item_code": "7"}  # fmt: skip
    path = _settlement(
        tmp_path / "v2-2019.txt",
        header,
        [
            row(settlement_id="123", settlement_start_date="2019-05-01 00:00:00 UTC",
                settlement_end_date="2019-05-15 00:00:00 UTC",
                deposit_date="2019-05-17 00:00:00 UTC", total_amount="16.55", currency="USD"),
            row(**common, transaction_type="Order", amount_type="ItemPrice",
                amount_description="Principal", amount="19.99"),
            row(**common, transaction_type="Order", amount_type="ItemFees",
                amount_description="Commission", amount="-3.00"),
            row(**common, transaction_type="Order", amount_type="Promotion",
                amount_description="Principal", amount="-0.44"),
        ],
    )  # fmt: skip
    with Lianxing.init(tmp_path / "ws") as lx:
        result = lx.import_file(path)
        assert (result.layout, result.reconciled, result.total_amount) == (
            "v2",
            True,
            Decimal("16.55"),
        )
        assert result.ignored_columns == []
        assert lx.db.query("SELECT sum(quantity) FROM ledger") == [(1,)]


DE_HEADER = [*AMAZON_SETTLEMENT_V2_COLUMNS, "promotion-id"]


def _de_rows(total: str) -> list[list[str]]:
    def row(**values: str) -> list[str]:
        return [values.get(c.replace("-", "_"), "") for c in DE_HEADER]

    item = {"settlement_id": "987", "order_id": "302-1", "marketplace_name": "Amazon.de",
            "posted_date": "14.01.2019", "posted_date_time": "14.01.2019 23:30:00 UTC",
            "sku": "TASSE", "quantity_purchased": "2", "order_item_code": "5"}  # fmt: skip
    return [
        row(settlement_id="987", settlement_start_date="01.01.2019 00:00:00 UTC",
            settlement_end_date="15.01.2019 00:00:00 UTC", deposit_date="17.01.2019 00:00:00 UTC",
            total_amount=total, currency="EUR"),
        row(**item, transaction_type="Order", amount_type="ItemPrice",
            amount_description="Principal", amount="1.234,56"),
        row(**item, transaction_type="Order", amount_type="ItemFees",
            amount_description="Commission", amount="-185,18"),
        row(settlement_id="987", transaction_type="other-transaction",
            amount_type="other-transaction", amount_description="Storage Fee",
            amount="-12,40", posted_date="10.01.2019",
            posted_date_time="10.01.2019 08:00:00 UTC"),
    ]  # fmt: skip


def test_amazon_de_settlement_with_comma_decimals_and_german_dates(tmp_path: Path) -> None:
    path = _settlement(tmp_path / "de.txt", DE_HEADER, _de_rows("1.036,98"))
    with Lianxing.init(tmp_path / "ws") as lx:
        result = lx.import_file(path)
        assert (result.store_id, result.currency, result.reconciled) == ("amazon-de", "EUR", True)
        assert result.total_amount == Decimal("1036.98")
        assert lx.db.query("SELECT period_start::DATE, deposit_date::DATE FROM sources") == [
            (date(2019, 1, 1), date(2019, 1, 17))
        ]
        # 23:30 UTC on the 14th is already the 15th in Berlin: the store's business day.
        assert lx.db.query(
            "SELECT business_date, category, amount, quantity FROM ledger ORDER BY amount"
        ) == [
            (date(2019, 1, 15), "platform_fees.referral", Decimal("-185.18"), None),
            (date(2019, 1, 10), "storage.monthly", Decimal("-12.40"), None),
            (date(2019, 1, 15), "revenue.product", Decimal("1234.56"), 2),
        ]


def test_amazon_de_settlement_that_does_not_add_up_is_flagged(tmp_path: Path) -> None:
    path = _settlement(tmp_path / "de.txt", DE_HEADER, _de_rows("1.036,99"))
    with Lianxing.init(tmp_path / "ws") as lx:
        result = lx.import_file(path)
        assert result.difference == Decimal("-0.01") and not result.reconciled


def test_amazon_de_amount_with_too_many_decimals_is_refused(lx: Lianxing, tmp_path: Path) -> None:
    rows = _de_rows("1.036,98")
    rows[2][DE_HEADER.index("amount")] = "-185,1811111"
    path = _settlement(tmp_path / "de.txt", DE_HEADER, rows)
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == ("value.amount", 4, "amount")
    assert ledger_fingerprint(lx) == before
