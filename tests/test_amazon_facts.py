"""Amazon fact reports: customer returns, storage fees, inventory planning, Business Report.

Each writes facts (never ledger money); overlapping files count once; buyer comments
are never stored; the Business Report's dates come from --from/--to or the file name.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, write_table
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import (
    amazon_business,
    amazon_inventory,
    amazon_returns,
    amazon_storage,
    registry,
)
from lianxing.ingest.amazon_inventory import Bucket, age_buckets, choose_buckets
from lianxing.ingest.tabular import ImportOptions

STORE = "amazon-us"

# Headers written out from report-formats.md and the reports as downloaded (not
# imported from the code), so the tests check the code against the formats.
RETURNS = [
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
]
STORAGE_NEW = [
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
]
STORAGE_OLD = [
    h
    for h in STORAGE_NEW
    if h not in ("storage_utilization_ratio", "base_rate", "utilization_surcharge_rate")
] + ["storage_rate"]
INVENTORY_BASE = [
    "snapshot-date",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "available",
    "pending-removal-quantity",
]
OLD_AGES = [
    "inv-age-0-to-90-days",
    "inv-age-91-to-180-days",
    "inv-age-181-to-270-days",
    "inv-age-271-to-365-days",
    "inv-age-365-plus-days",
]
NEW_AGES = [
    "inv-age-0-to-30-days",
    "inv-age-31-to-60-days",
    "inv-age-61-to-90-days",
    "inv-age-181-to-330-days",
    "inv-age-331-to-365-days",
]
INVENTORY_TAIL = [
    "currency",
    "units-shipped-t7",
    "units-shipped-t30",
    "your-price",
    "days-of-supply",
    "estimated-excess-quantity",
    "estimated-storage-cost-next-month",
]
BUSINESS = [
    "(Parent) ASIN",
    "(Child) ASIN",
    "Title",
    "SKU",
    "Sessions - Total",
    "Sessions - Total - B2B",
    "Session Percentage - Total",
    "Session Percentage - Total - B2B",
    "Page Views - Total",
    "Page Views - Total - B2B",
    "Page Views Percentage - Total",
    "Page Views Percentage - Total - B2B",
    "Featured Offer (Buy Box) Percentage",
    "Featured Offer (Buy Box) Percentage - B2B",
    "Units Ordered",
    "Units Ordered - B2B",
    "Unit Session Percentage",
    "Unit Session Percentage - B2B",
    "Ordered Product Sales",
    "Ordered Product Sales - B2B",
    "Total Order Items",
    "Total Order Items - B2B",
]
BUSINESS_OLD = [
    "(Parent) ASIN",
    "(Child) ASIN",
    "Title",
    "SKU",
    "Sessions",
    "Session Percentage",
    "Page Views",
    "Page Views Percentage",
    "Buy Box Percentage",
    "Units Ordered",
    "Unit Session Percentage",
    "Ordered Product Sales",
    "Total Order Items",
]
SECRET = "Call me at 555-0100, jane@example.com"


def a_return(
    when: str, order: str, sku: str, qty: str, disposition: str, **extra: str
) -> dict[str, str]:
    return {
        "return-date": when,
        "order-id": order,
        "sku": sku,
        "asin": "B0" + sku,
        "fnsku": "X0" + sku,
        "product-name": f"{sku} mug",
        "quantity": qty,
        "fulfillment-center-id": "PHX7",
        "detailed-disposition": disposition,
        "reason": extra.get("reason", "DEFECTIVE"),
        "status": extra.get("status", "Unit returned to inventory"),
        "license-plate-number": extra.get("lpn", "LPN" + order[-3:]),
        "customer-comments": extra.get("comments", SECRET),
    }


def a_storage(asin: str, fc: str, fee: str, *, month: str = "2026-10", **extra: str) -> dict:
    return {
        "asin": asin,
        "fnsku": "X0" + asin,
        "product_name": "Mug",
        "fulfillment_center": fc,
        "country_code": "US",
        "item_volume": extra.get("volume", "0.1234"),
        "product_size_tier": "Standard",
        "average_quantity_on_hand": extra.get("units", "12.5"),
        "month_of_charge": month,
        "base_rate": "0.78",
        "storage_rate": "0.87",
        "currency": extra.get("currency", "USD"),
        "estimated_monthly_storage_fee": fee,
    }


def an_item(sku: str, ages: dict[str, str], *, snapshot: str = "2026-10-05") -> dict[str, str]:
    return {
        "snapshot-date": snapshot,
        "sku": sku,
        "fnsku": "X0" + sku,
        "asin": "B0" + sku,
        "product-name": "Mug",
        "condition": "New",
        "available": "40",
        "currency": "USD",
        "units-shipped-t30": "12",
        "days-of-supply": "100.5",
        "estimated-storage-cost-next-month": "3.21",
        **ages,
    }


def a_child(asin: str, sku: str, sessions: str, sales: str, **extra: str) -> dict[str, str]:
    return {
        "(Parent) ASIN": "B0PARENT",
        "(Child) ASIN": asin,
        "Title": "Mug, 12 oz",
        "SKU": sku,
        "Sessions - Total": sessions,
        "Sessions - Total - B2B": "3",
        "Session Percentage - Total": "12.5%",
        "Page Views - Total": extra.get("views", "2,345"),
        "Featured Offer (Buy Box) Percentage": extra.get("buy_box", "98.50%"),
        "Units Ordered": extra.get("units", "17"),
        "Units Ordered - B2B": "2",
        "Ordered Product Sales": sales,
        "Ordered Product Sales - B2B": "$10.00",
        "Total Order Items": "16",
    }


def rows(lx: Lianxing, sql: str) -> list[tuple[Any, ...]]:
    return lx.db.query(sql)


# ---- customer returns ---------------------------------------------------------------
def test_returns_facts_sellable_and_aliases(lx: Lianxing, tmp_path: Path) -> None:
    report = write_table(
        tmp_path / "returns.txt",
        RETURNS,
        [
            a_return("2026-10-03T23:30:00+00:00", "111-001", "MUG", "1", "SELLABLE"),
            a_return("2026-10-04T10:00:00+00:00", "111-002", "MUG", "2", "CUSTOMER_DAMAGED"),
            a_return("2026-10-05T10:00:00+00:00", "111-003", "CUP", "1", "DEFECTIVE"),
            a_return("2026-10-05T11:00:00+00:00", "111-004", "CUP", "1", "CARRIER_DAMAGED"),
        ],
    )
    result = lx.import_file(report, store_id=STORE)
    assert (result.kind, result.status, result.written) == ("amazon_returns", "imported", 4)
    assert "customer-comments" in result.ignored_columns
    # 23:30 UTC is still 3 October in Los Angeles, the amazon.com store's zone.
    assert (result.date_from, result.date_to) == (date(2026, 10, 3), date(2026, 10, 5))
    assert rows(
        lx,
        "SELECT day, order_id, sku, asin, fnsku, quantity, disposition, sellable, reason, "
        "status, license_plate FROM returns ORDER BY order_id",
    ) == [
        (date(2026, 10, 3), "111-001", "MUG", "B0MUG", "X0MUG", 1, "SELLABLE", True,
         "DEFECTIVE", "Unit returned to inventory", "LPN001"),
        (date(2026, 10, 4), "111-002", "MUG", "B0MUG", "X0MUG", 2, "CUSTOMER_DAMAGED", False,
         "DEFECTIVE", "Unit returned to inventory", "LPN002"),
        (date(2026, 10, 5), "111-003", "CUP", "B0CUP", "X0CUP", 1, "DEFECTIVE", False,
         "DEFECTIVE", "Unit returned to inventory", "LPN003"),
        (date(2026, 10, 5), "111-004", "CUP", "B0CUP", "X0CUP", 1, "CARRIER_DAMAGED", False,
         "DEFECTIVE", "Unit returned to inventory", "LPN004"),
    ]  # fmt: skip
    assert rows(lx, "SELECT sku, asin, fnsku FROM sku_aliases ORDER BY sku") == [
        ("CUP", "B0CUP", "X0CUP"),
        ("MUG", "B0MUG", "X0MUG"),
    ]
    assert rows(lx, "SELECT count(*) FROM ledger") == [(0,)]  # facts, never money
    assert rows(lx, "SELECT kind, date_from, date_to FROM sources") == [
        ("amazon_returns", date(2026, 10, 3), date(2026, 10, 5))
    ]


def test_customer_comments_are_never_stored(lx: Lianxing, tmp_path: Path) -> None:
    report = write_table(
        tmp_path / "returns.txt",
        RETURNS,
        [a_return("2026-10-03T10:00:00Z", "111-001", "MUG", "1", "SELLABLE")],
    )
    lx.import_file(report, store_id=STORE)
    columns = rows(
        lx,
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'VARCHAR' AND table_schema = 'main'",
    )
    for table, column in columns:
        found = rows(lx, f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE \'%555-0100%\'')
        assert found == [(0,)], (table, column)
    # Not even staged: the column is never read into the database.
    assert "customer_comments" not in {c for _, c in columns}


def test_overlapping_returns_count_once(lx: Lianxing, tmp_path: Path) -> None:
    first = [
        a_return("2026-10-03T10:00:00Z", "111-001", "MUG", "1", "SELLABLE"),
        a_return("2026-10-04T10:00:00Z", "111-002", "MUG", "2", "DEFECTIVE"),
    ]
    a = write_table(tmp_path / "returns-a.txt", RETURNS, first)
    same = tmp_path / "returns-copy.txt"
    same.write_bytes(a.read_bytes())
    # A later download: 111-002 moved on (reimbursed), 111-003 is new.
    later = [
        first[0],
        a_return("2026-10-04T10:00:00Z", "111-002", "MUG", "2", "DEFECTIVE", status="Reimbursed"),
        a_return("2026-10-06T10:00:00Z", "111-003", "CUP", "1", "SELLABLE"),
    ]
    b = write_table(tmp_path / "returns-b.txt", RETURNS, later)
    lx.import_file(a, store_id=STORE)
    assert lx.import_file(same, store_id=STORE).status == "unchanged"
    result = lx.import_file(b, store_id=STORE)
    assert result.replaced_rows == 2
    assert rows(lx, "SELECT order_id, status, quantity FROM returns ORDER BY order_id") == [
        ("111-001", "Unit returned to inventory", 1),
        ("111-002", "Reimbursed", 2),
        ("111-003", "Unit returned to inventory", 1),
    ]
    assert rows(lx, "SELECT count(*) FROM sku_aliases") == [(2,)]


# ---- storage fees -------------------------------------------------------------------
@pytest.mark.parametrize("header", [STORAGE_NEW, STORAGE_OLD], ids=["new", "old"])
def test_storage_fees_both_layouts(lx: Lianxing, tmp_path: Path, header: list[str]) -> None:
    report = write_table(
        tmp_path / "storage.txt",
        header,
        [a_storage("B0MUG", "PHX7", "1.2345"), a_storage("B0MUG", "ONT8", "0.50", volume="")],
    )
    result = lx.import_file(report, store_id=STORE)
    assert (result.kind, result.written, result.currency) == ("amazon_storage_fees", 2, "USD")
    assert (result.date_from, result.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    rate = "base_rate" if "base_rate" in header else "storage_rate"
    assert rate in result.ignored_columns
    assert rows(
        lx,
        "SELECT month, asin, fnsku, fulfillment_center, average_units, item_volume, "
        "size_tier, fee, currency FROM storage_fees ORDER BY fulfillment_center",
    ) == [
        (date(2026, 10, 1), "B0MUG", "X0B0MUG", "ONT8", Decimal("12.5"), None, "Standard",
         Decimal("0.5"), "USD"),
        (date(2026, 10, 1), "B0MUG", "X0B0MUG", "PHX7", Decimal("12.5"), Decimal("0.1234"),
         "Standard", Decimal("1.2345"), "USD"),
    ]  # fmt: skip
    assert rows(lx, "SELECT count(*) FROM sku_aliases") == [(0,)]  # no SKU in this report


def test_storage_month_downloaded_twice_counts_once(lx: Lianxing, tmp_path: Path) -> None:
    a = write_table(
        tmp_path / "s-a.txt",
        STORAGE_NEW,
        [a_storage("B0MUG", "PHX7", "1.00"), a_storage("B0CUP", "PHX7", "2.00")],
    )
    b = write_table(
        tmp_path / "s-b.txt",
        STORAGE_NEW,
        [
            a_storage("B0MUG", "PHX7", "1.10"),
            a_storage("B0CUP", "PHX7", "2.00", currency=""),
            a_storage("B0MUG", "PHX7", "3.00", month="2026-11"),
        ],
    )
    copy = tmp_path / "s-copy.txt"
    copy.write_bytes(b.read_bytes())
    lx.import_file(a, store_id=STORE)
    assert lx.import_file(b, store_id=STORE).replaced_rows == 2
    assert lx.import_file(copy, store_id=STORE).status == "unchanged"
    assert rows(lx, "SELECT month, sum(fee), count(*) FROM storage_fees GROUP BY 1 ORDER BY 1") == [
        (date(2026, 10, 1), Decimal("3.1000"), 2),
        (date(2026, 11, 1), Decimal("3.0000"), 1),
    ]
    assert rows(lx, "SELECT DISTINCT currency FROM storage_fees") == [("USD",)]


# ---- inventory planning -------------------------------------------------------------
def test_age_buckets_from_any_layout() -> None:
    old = age_buckets(OLD_AGES)
    assert [(b.min_days, b.max_days) for b in old] == [
        (0, 90), (91, 180), (181, 270), (271, 365), (366, None)
    ]  # fmt: skip
    assert choose_buckets(old) == (old, [])
    # A current file carries both generations: one that does not overlap is kept.
    both = age_buckets(OLD_AGES[:1] + NEW_AGES[:3] + OLD_AGES[1:] + NEW_AGES[3:])
    kept, left_out = choose_buckets(both)
    assert [b.header for b in kept] == [
        "inv-age-0-to-30-days",
        "inv-age-31-to-60-days",
        "inv-age-61-to-90-days",
        "inv-age-91-to-180-days",
        "inv-age-181-to-270-days",
        "inv-age-271-to-365-days",
        "inv-age-365-plus-days",
    ]
    assert {b.header for b in left_out} == {
        "inv-age-0-to-90-days",
        "inv-age-181-to-330-days",
        "inv-age-331-to-365-days",
    }
    # The regional tail splits 365-plus further; a plus bucket with nothing ending
    # before it starts where it says.
    tail = age_buckets(["inv-age-331-to-365-days", "inv-age-366-to-455-days",
                        "inv-age-456-plus-days", "inv-age-365-plus-days"])  # fmt: skip
    kept, left_out = choose_buckets(tail)
    assert [b.header for b in left_out] == ["inv-age-365-plus-days"]
    assert kept[-1] == Bucket("inv-age-456-plus-days", 456, None)
    # Unknown spellings are no buckets; a file without ages has none.
    assert age_buckets(["inv-age-90-to-0-days", "inv-age-x-plus-days", "sku"]) == []


def test_inventory_old_layout(lx: Lianxing, tmp_path: Path) -> None:
    header = INVENTORY_BASE + OLD_AGES + INVENTORY_TAIL
    ages = dict(zip(OLD_AGES, ["10", "5", "0", "2", "1"], strict=True))
    report = write_table(
        tmp_path / "inv.txt", header, [an_item("MUG", ages), an_item("CUP", {OLD_AGES[0]: "7"})]
    )
    result = lx.import_file(report, store_id=STORE)
    assert result.kind == "amazon_inventory_planning"
    assert result.written == 2 + 5 + 1  # inventory rows, then the filled buckets
    assert result.notes == []
    assert rows(
        lx,
        "SELECT snapshot, sku, asin, fnsku, available, units_shipped_t30, days_of_supply, "
        "estimated_storage_next_month, currency FROM inventory ORDER BY sku",
    ) == [
        (date(2026, 10, 5), "CUP", "B0CUP", "X0CUP", 40, 12, Decimal("100.5"),
         Decimal("3.21"), "USD"),
        (date(2026, 10, 5), "MUG", "B0MUG", "X0MUG", 40, 12, Decimal("100.5"),
         Decimal("3.21"), "USD"),
    ]  # fmt: skip
    assert rows(
        lx,
        "SELECT sku, bucket, min_days, max_days, units FROM inventory_age ORDER BY sku, min_days",
    ) == [
        ("CUP", "inv-age-0-to-90-days", 0, 90, 7),
        ("MUG", "inv-age-0-to-90-days", 0, 90, 10),
        ("MUG", "inv-age-91-to-180-days", 91, 180, 5),
        ("MUG", "inv-age-181-to-270-days", 181, 270, 0),
        ("MUG", "inv-age-271-to-365-days", 271, 365, 2),
        ("MUG", "inv-age-365-plus-days", 366, None, 1),
    ]
    assert rows(lx, "SELECT sku, asin, fnsku FROM sku_aliases ORDER BY sku") == [
        ("CUP", "B0CUP", "X0CUP"),
        ("MUG", "B0MUG", "X0MUG"),
    ]


def test_inventory_new_layout_counts_each_unit_once(lx: Lianxing, tmp_path: Path) -> None:
    header = INVENTORY_BASE + OLD_AGES + INVENTORY_TAIL + NEW_AGES
    ages = {
        "inv-age-0-to-90-days": "60",  # = 0-30 + 31-60 + 61-90
        "inv-age-91-to-180-days": "5",
        "inv-age-181-to-270-days": "4",
        "inv-age-271-to-365-days": "3",
        "inv-age-365-plus-days": "1",
        "inv-age-0-to-30-days": "30",
        "inv-age-31-to-60-days": "20",
        "inv-age-61-to-90-days": "10",
        "inv-age-181-to-330-days": "6",  # = 181-270 + part of 271-365
        "inv-age-331-to-365-days": "1",
    }
    report = write_table(tmp_path / "inv.txt", header, [an_item("MUG", ages)])
    result = lx.import_file(report, store_id=STORE)
    assert result.notes == [
        (
            "inventory.age_left_out",
            {"columns": "inv-age-0-to-90-days, inv-age-181-to-330-days, inv-age-331-to-365-days"},
        )
    ]
    assert rows(lx, "SELECT sum(units), count(*) FROM inventory_age") == [(73, 7)]
    assert rows(lx, "SELECT bucket FROM inventory_age ORDER BY min_days") == [
        ("inv-age-0-to-30-days",),
        ("inv-age-31-to-60-days",),
        ("inv-age-61-to-90-days",),
        ("inv-age-91-to-180-days",),
        ("inv-age-181-to-270-days",),
        ("inv-age-271-to-365-days",),
        ("inv-age-365-plus-days",),
    ]


def test_inventory_snapshot_again_replaces_every_bucket(lx: Lianxing, tmp_path: Path) -> None:
    old = write_table(
        tmp_path / "inv-old.txt",
        INVENTORY_BASE + OLD_AGES + INVENTORY_TAIL,
        [an_item("MUG", dict.fromkeys(OLD_AGES, "2"))],
    )
    # The same snapshot, downloaded again with finer buckets.
    new = write_table(
        tmp_path / "inv-new.txt",
        INVENTORY_BASE + NEW_AGES[:3] + OLD_AGES[1:] + INVENTORY_TAIL,
        [an_item("MUG", {**dict.fromkeys(NEW_AGES[:3], "1"), **dict.fromkeys(OLD_AGES[1:], "2")})],
    )
    next_day = write_table(
        tmp_path / "inv-next.txt",
        INVENTORY_BASE + OLD_AGES + INVENTORY_TAIL,
        [an_item("MUG", dict.fromkeys(OLD_AGES, "1"), snapshot="2026-10-06")],
    )
    lx.import_file(old, store_id=STORE)
    result = lx.import_file(new, store_id=STORE)
    assert result.replaced_rows == 1 + 5
    lx.import_file(next_day, store_id=STORE)
    assert rows(
        lx, "SELECT snapshot, sum(units), count(*) FROM inventory_age GROUP BY 1 ORDER BY 1"
    ) == [(date(2026, 10, 5), 11, 7), (date(2026, 10, 6), 5, 5)]
    assert rows(lx, "SELECT count(*) FROM inventory") == [(2,)]


# ---- Business Report ----------------------------------------------------------------
def business(path: Path, children: list[dict[str, str]], header: list[str] = BUSINESS) -> Path:
    return write_table(path, header, children, delimiter=",")


def test_business_report_with_from_and_to(lx: Lianxing, tmp_path: Path) -> None:
    report = business(
        tmp_path / "BusinessReport-11-2-26.csv",
        [
            a_child("B0MUG", "MUG", "1,234", "$1,234.56"),
            a_child("B0CUP", "CUP", "7", "$0.00", buy_box="100%", views="9", units="0"),
        ],
    )
    result = lx.import_file(
        report, store_id=STORE, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)
    )
    assert (result.kind, result.written) == ("amazon_business_report", 2)
    assert (result.date_from, result.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert result.notes == []
    assert "Sessions - Total - B2B" in result.ignored_columns
    assert rows(
        lx,
        "SELECT date_from, date_to, parent_asin, asin, sku, sessions, page_views, buy_box, "
        "units_ordered, ordered_sales, order_items, currency FROM traffic ORDER BY asin",
    ) == [
        (date(2026, 10, 1), date(2026, 10, 31), "B0PARENT", "B0CUP", "CUP", 7, 9,
         Decimal("1.00000000"), 0, Decimal("0.0000"), 16, "USD"),
        (date(2026, 10, 1), date(2026, 10, 31), "B0PARENT", "B0MUG", "MUG", 1234, 2345,
         Decimal("0.98500000"), 17, Decimal("1234.5600"), 16, "USD"),
    ]  # fmt: skip
    assert rows(lx, "SELECT sku, asin, fnsku FROM sku_aliases ORDER BY sku") == [
        ("CUP", "B0CUP", None),
        ("MUG", "B0MUG", None),
    ]
    assert rows(lx, "SELECT date_from, date_to FROM sources") == [
        (date(2026, 10, 1), date(2026, 10, 31))
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BusinessReport_2026-10-01_2026-10-15.csv", (date(2026, 10, 1), date(2026, 10, 15))),
        ("traffic 2026-10-01 to 2026-10-15.csv", (date(2026, 10, 1), date(2026, 10, 15))),
        ("BusinessReport-2026-02.csv", (date(2026, 2, 1), date(2026, 2, 28))),
        ("BusinessReport-2026-12.csv", (date(2026, 12, 1), date(2026, 12, 31))),
        ("BusinessReport-10-1-26.csv", None),  # the download day, not the range
        ("BusinessReport.csv", None),
        ("BusinessReport-2026-13.csv", None),
        ("BusinessReport-2026-10-01.csv", None),  # one day: a download date, probably
        ("x_2026-10-01_2026-13-01.csv", None),
    ],
)
def test_dates_from_file_name(name: str, expected: tuple[date, date] | None) -> None:
    assert amazon_business.dates_from_name(name) == expected


def test_business_report_dates_rules(lx: Lianxing, tmp_path: Path) -> None:
    children = [a_child("B0MUG", "MUG", "10", "$5.00")]
    named = business(tmp_path / "BusinessReport_2026-10-01_2026-10-31.csv", children)
    result = lx.import_file(named, store_id=STORE)
    assert (result.date_from, result.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert result.notes == [
        (
            "business.dates_from_name",
            {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)},
        )
    ]
    before = ledger_fingerprint(lx)
    undated = business(
        tmp_path / "BusinessReport-11-2-26.csv", [*children, a_child("B0CUP", "CUP", "1", "$1")]
    )
    with pytest.raises(InputError) as caught:
        lx.import_file(undated, store_id=STORE)
    assert caught.value.key == "business.no_dates"
    assert "--from" in str(caught.value) and "BusinessReport-11-2-26.csv" in str(caught.value)
    with pytest.raises(InputError) as caught:
        lx.import_file(undated, store_id=STORE, date_from=date(2026, 11, 1))
    assert caught.value.key == "business.one_date"
    with pytest.raises(InputError) as caught:
        lx.import_file(
            undated, store_id=STORE, date_from=date(2026, 11, 30), date_to=date(2026, 11, 1)
        )
    assert caught.value.key == "business.bad_range"
    assert ledger_fingerprint(lx) == before
    # The options win over the name.
    result = lx.import_file(
        undated, store_id=STORE, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)
    )
    assert (result.date_from, result.notes) == (date(2026, 11, 1), [])
    assert rows(lx, "SELECT date_from, count(*) FROM traffic GROUP BY 1 ORDER BY 1") == [
        (date(2026, 10, 1), 1),
        (date(2026, 11, 1), 2),
    ]


def test_business_report_old_headers_and_dated_rows(lx: Lianxing, tmp_path: Path) -> None:
    old = {
        "(Parent) ASIN": "B0P",
        "(Child) ASIN": "B0MUG",
        "Title": "Mug",
        "SKU": "MUG",
        "Sessions": "1,000",
        "Page Views": "1,500",
        "Buy Box Percentage": "50%",
        "Units Ordered": "3",
        "Ordered Product Sales": "$60.00",
        "Total Order Items": "3",
    }
    report = business(tmp_path / "old.csv", [old], BUSINESS_OLD)
    lx.import_file(report, store_id=STORE, date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))
    assert rows(lx, "SELECT sessions, page_views, buy_box, ordered_sales FROM traffic") == [
        (1000, 1500, Decimal("0.50000000"), Decimal("60.0000"))
    ]
    # The by-date flavour names each row's day: no options needed, options ignored.
    dated = write_table(
        tmp_path / "by-date.csv",
        ["Date", *BUSINESS],
        [
            {"Date": "10/01/2026", **a_child("B0CUP", "CUP", "5", "$1.00")},
            {"Date": "10/02/2026", **a_child("B0CUP", "CUP", "6", "$2.00")},
        ],
        delimiter=",",
    )
    result = lx.import_file(
        dated, store_id=STORE, date_from=date(2020, 1, 1), date_to=date(2020, 1, 2)
    )
    assert (result.date_from, result.date_to) == (date(2026, 10, 1), date(2026, 10, 2))
    assert rows(
        lx, "SELECT date_from, date_to, sessions FROM traffic WHERE asin = 'B0CUP' ORDER BY 1"
    ) == [
        (date(2026, 10, 1), date(2026, 10, 1), 5),
        (date(2026, 10, 2), date(2026, 10, 2), 6),
    ]


def test_business_report_canadian_dashes(lx: Lianxing, tmp_path: Path) -> None:
    header = [h.replace(" - ", " – ") for h in BUSINESS]
    child = {k.replace(" - ", " – "): v for k, v in a_child("B0MUG", "MUG", "4", "C$9.00").items()}
    report = business(tmp_path / "ca_2026-10.csv", [child], header)
    assert lx.import_file(report, store_id=STORE).date_to == date(2026, 10, 31)
    assert rows(lx, "SELECT sessions, page_views, ordered_sales FROM traffic") == [
        (4, 2345, Decimal("9.0000"))
    ]


def test_business_report_overlap_counts_once(lx: Lianxing, tmp_path: Path) -> None:
    october = dict(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    a = business(tmp_path / "a.csv", [a_child("B0MUG", "MUG", "10", "$5.00")])
    copy = tmp_path / "copy-under-another-name.csv"
    copy.write_bytes(a.read_bytes())
    b = business(
        tmp_path / "b.csv",
        [a_child("B0MUG", "MUG", "12", "$6.00"), a_child("B0CUP", "CUP", "1", "$1.00")],
    )
    lx.import_file(a, store_id=STORE, **october)
    assert lx.import_file(copy, store_id=STORE, **october).status == "unchanged"
    assert lx.import_file(b, store_id=STORE, **october).replaced_rows == 1
    assert rows(lx, "SELECT sum(sessions), sum(ordered_sales), count(*) FROM traffic") == [
        (13, Decimal("7.0000"), 2)
    ]


def test_cli_imports_business_report_with_dates(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    report = business(tmp_path / "BusinessReport-11-2-26.csv", [a_child("B0MUG", "MUG", "1", "$1")])
    refused = run_cli(["-w", str(ws), "import", str(report), "--store", STORE])
    assert refused.exit_code == 2 and "--from" in refused.stderr
    done = run_cli(
        ["-w", str(ws), "import", str(report), "--store", STORE,
         "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json"]
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert '"amazon_business_report"' in done.stdout and '"2026-10-31"' in done.stdout


# ---- every format: detection, store, bad input ----------------------------------------
SAMPLES: dict[str, tuple[list[str], list[dict[str, str]], str]] = {
    "returns": (
        RETURNS,
        [
            a_return("2026-10-03T10:00:00Z", "111-001", "MUG", "1", "SELLABLE"),
            a_return("2026-10-04T10:00:00Z", "111-002", "CUP", "2", "DAMAGED"),
        ],
        "\t",
    ),
    "storage": (
        STORAGE_NEW,
        [a_storage("B0MUG", "PHX7", "1.00"), a_storage("B0CUP", "PHX7", "2.00")],
        "\t",
    ),
    "inventory": (
        INVENTORY_BASE + OLD_AGES + INVENTORY_TAIL + NEW_AGES,
        [an_item("MUG", dict.fromkeys(OLD_AGES + NEW_AGES, "1")), an_item("CUP", {})],
        "\t",
    ),
    "business": (
        BUSINESS,
        [a_child("B0MUG", "MUG", "1,000", "$5.00"), a_child("B0CUP", "CUP", "2", "$1.00")],
        ",",
    ),
}
IMPORTERS = {
    "returns": (amazon_returns.FORMAT, amazon_returns.import_returns),
    "storage": (amazon_storage.FORMAT, amazon_storage.import_storage_fees),
    "inventory": (amazon_inventory.FORMAT, amazon_inventory.import_inventory),
    "business": (amazon_business.FORMAT, amazon_business.import_business_report),
}
OPTIONS = ImportOptions(STORE, date(2026, 10, 1), date(2026, 10, 31))


def sample(name: str, folder: Path, **change: str) -> Path:
    header, data, delimiter = SAMPLES[name]
    data = [{**data[0], **change}, *data[1:]]
    suffix = ".csv" if delimiter == "," else ".txt"
    return write_table(folder / f"{name}{suffix}", header, data, delimiter=delimiter)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_detected_by_header(lx: Lianxing, tmp_path: Path, name: str) -> None:
    path = sample(name, tmp_path)
    found = registry.detect(path)
    assert found is not None and found[0].kind == IMPORTERS[name][0].kind
    # No Amazon store yet and none named: the user is asked to name one.
    with pytest.raises(InputError) as caught:
        lx.import_file(path, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    assert caught.value.key == "store.cannot_tell"
    result = lx.import_file(path, store_id=STORE, date_from=date(2026, 10, 1),
                            date_to=date(2026, 10, 31))  # fmt: skip
    assert result.new_store is not None and result.written >= 2
    assert lx.import_file(path).status == "unchanged"  # the one Amazon store now


BAD = {
    "returns": [("quantity", "two", "value.quantity"), ("return-date", "2026-13-45", "value.date"),
                ("quantity", "12345678", "value.quantity"), ("sku", "", "value.required")],
    "storage": [("estimated_monthly_storage_fee", "1.2.3", "value.amount"),
                ("month_of_charge", "Octember", "value.month"),
                ("currency", "US Dollar", "value.currency"),
                ("average_quantity_on_hand", "lots", "value.number")],
    "inventory": [("available", "-x", "value.quantity"), ("snapshot-date", "", "value.required"),
                  ("inv-age-0-to-30-days", "1.5", "value.quantity"),
                  ("estimated-storage-cost-next-month", "$$", "value.amount")],
    "business": [("Featured Offer (Buy Box) Percentage", "high", "value.percent"),
                 ("Ordered Product Sales", "five", "value.amount"),
                 ("Sessions - Total", "1,00", "value.quantity"),
                 ("(Child) ASIN", "", "value.required")],
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD))
def test_bad_values_named(lx: Lianxing, tmp_path: Path, name: str) -> None:
    before = ledger_fingerprint(lx)
    importer = IMPORTERS[name][1]
    for column, value, key in BAD[name]:
        with pytest.raises(InputError) as caught:
            importer(
                lx.db, lx.workspace, sample(name, tmp_path, **{column: value}), options=OPTIONS
            )
        problem = caught.value.problems[0]
        assert (problem.key, problem.line, problem.column) == (key, 2, column)
        assert ledger_fingerprint(lx) == before


@pytest.mark.parametrize("name", list(SAMPLES))
def test_bad_files_refused(lx: Lianxing, tmp_path: Path, name: str) -> None:
    fmt, importer = IMPORTERS[name]
    header, data, delimiter = SAMPLES[name]
    before = ledger_fingerprint(lx)

    def refused(path: Path) -> str:
        with pytest.raises(InputError) as caught:
            importer(lx.db, lx.workspace, path, options=OPTIONS)
        assert ledger_fingerprint(lx) == before
        return caught.value.key

    other = "returns" if name != "returns" else "storage"
    assert refused(sample(other, tmp_path)) == "report.wrong_kind"
    required = [f.headers[0] for f in fmt.fields if f.required and f.headers[0]
                not in fmt.signature]  # fmt: skip
    for column in required[:1]:  # a column the header needs besides the signature
        spelled = next(h for h in header if h.lower() == column)
        missing = write_table(
            tmp_path / "missing", [h for h in header if h != spelled], data, delimiter=delimiter
        )
        assert refused(missing) == "report.columns_missing"
    duplicated = write_table(tmp_path / "dup", header, [data[0], data[1], data[0]],
                             delimiter=delimiter)  # fmt: skip
    assert refused(duplicated) == "file.duplicate_row"
    assert refused(write_table(tmp_path / "empty", header, [], delimiter=delimiter)) == (
        "file.no_rows"
    )
    zero = tmp_path / "zero"
    zero.write_bytes(b"")
    assert refused(zero) == "file.empty"
    short = sample(name, tmp_path)
    short.write_text(short.read_text() + delimiter.join(["x"] * 3) + "\n")
    assert refused(short) == "file.columns"


# ---- fuzz ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzz_lx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lianxing]:
    """One workspace for every fuzzed file: each must leave it as it was, or import."""
    with Lianxing.init(tmp_path_factory.mktemp("fuzz") / "ws") as facade:
        yield facade


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_reports_never_crash_or_half_write(
    fuzz_lx: Lianxing, tmp_path: Path, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(list(SAMPLES)))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    text = sample(name, folder).read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from([b"\t", b",", b'"', b"\n", b"\r", b"$", b"%", b"-", b"9" * 12])
    )
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = folder / f"fuzz-{name}"
    target.write_bytes(mutated)
    before = ledger_fingerprint(fuzz_lx)
    try:
        IMPORTERS[name][1](fuzz_lx.db, fuzz_lx.workspace, target, options=OPTIONS)
    except InputError:
        assert ledger_fingerprint(fuzz_lx) == before
