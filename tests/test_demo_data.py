"""The demo generator writes real-format, self-consistent and reproducible files."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import V2_HEADER
from lianxing.demo_data import DemoFiles, write_demo_files

COL = {name: i for i, name in enumerate(V2_HEADER)}
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")
AMOUNT = re.compile(r"-?\d+\.\d{2}")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return write_demo_files(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def settlements(demo: DemoFiles) -> list[list[list[str]]]:
    return [_read(path) for path in demo.settlements]


@pytest.fixture(scope="module")
def body_rows(settlements: list[list[list[str]]]) -> list[list[str]]:
    return [row for table in settlements for row in table[2:]]


def test_same_seed_same_bytes(demo: DemoFiles, tmp_path: Path) -> None:
    again = write_demo_files(tmp_path)
    first = [*demo.settlements, demo.cogs, demo.fx]
    second = [*again.settlements, again.cogs, again.fx]
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert demo.skus == again.skus


def test_files_live_in_sources(demo: DemoFiles) -> None:
    for path in [*demo.settlements, demo.cogs, demo.fx]:
        assert path.parent.name == "sources"
        assert path.is_file()
    assert [p.name for p in demo.settlements] == [p.stem + ".txt" for p in demo.settlements]


def test_scale_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_demo_files(tmp_path, scale=0)


def test_header_and_row_width(demo: DemoFiles, settlements: list[list[list[str]]]) -> None:
    for path, table in zip(demo.settlements, settlements, strict=True):
        raw = path.read_bytes()
        assert b"\r" not in raw and b'"' not in raw
        assert table[0] == V2_HEADER
        assert all(len(row) == 23 for row in table), path.name


def test_about_26_biweekly_settlements(settlements: list[list[list[str]]]) -> None:
    assert 25 <= len(settlements) <= 27
    ids = [int(table[1][0]) for table in settlements]
    assert all(len(str(i)) == 11 for i in ids)
    assert ids == sorted(set(ids))
    for table in settlements:
        summary = table[1]
        assert summary[COL["currency"]] == "USD"
        assert all(STAMP.fullmatch(summary[i]) for i in (1, 2, 3))
        assert summary[6:] == [""] * 17
        start, end, deposit = (date.fromisoformat(summary[i][:10]) for i in (1, 2, 3))
        assert 14 <= (end - start).days <= 16
        assert deposit - end == timedelta(days=2)
        assert all(row[0] == summary[0] for row in table[2:])


def test_summary_total_is_the_exact_sum(settlements: list[list[list[str]]]) -> None:
    for table in settlements:
        amounts = [row[COL["amount"]] for row in table[2:]]
        assert all(AMOUNT.fullmatch(a) for a in amounts)
        total = sum((Decimal(a) for a in amounts), Decimal("0"))
        assert table[1][COL["total-amount"]] == f"{total:.2f}"


def test_rows_posted_inside_their_period(settlements: list[list[list[str]]]) -> None:
    for table in settlements:
        start, end = table[1][1], table[1][2]
        for row in table[2:]:
            stamp = row[COL["posted-date-time"]]
            assert STAMP.fullmatch(stamp)
            assert row[COL["posted-date"]] == stamp[:10]
            assert start <= stamp < end


def test_about_50_skus(demo: DemoFiles, body_rows: list[list[str]]) -> None:
    assert 45 <= len(demo.skus) <= 55
    assert len(set(demo.skus)) == len(demo.skus)
    assert all(re.fullmatch(r"LX-[A-Z]+-\d{3}", s) for s in demo.skus)
    sold = {r[COL["sku"]] for r in body_rows if r[COL["transaction-type"]] == "Order"}
    assert sold <= set(demo.skus)
    assert len(sold) >= len(demo.skus) - 2


def test_order_rows_look_like_amazon(body_rows: list[list[str]]) -> None:
    items: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for row in body_rows:
        if row[COL["transaction-type"]] != "Order":
            continue
        assert re.fullmatch(r"11[1-4]-\d{7}-\d{7}", row[COL["order-id"]])
        assert re.fullmatch(r"\d{14}", row[COL["order-item-code"]])
        assert row[COL["marketplace-name"]] == "Amazon.com"
        assert row[COL["fulfillment-id"]] == "AFN"
        assert row[COL["shipment-id"]]
        items[row[COL["order-item-code"]]].add(
            (row[COL["order-id"]], row[COL["sku"]], row[COL["quantity-purchased"]])
        )
    # V2 repeats the same order, SKU and quantity on every row of an order item.
    assert all(len(v) == 1 for v in items.values())
    assert 15_000 <= len(items) <= 30_000
    per_order: dict[str, int] = defaultdict(int)
    for ((order_id, _, _),) in items.values():
        per_order[order_id] += 1
    assert any(n == 2 for n in per_order.values())


def test_withheld_tax_cancels_collected_tax(body_rows: list[list[str]]) -> None:
    net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in body_rows:
        description = row[COL["amount-description"]]
        if description in ("Tax", "ShippingTax") or description.startswith(
            "MarketplaceFacilitatorTax"
        ):
            key = (row[COL["transaction-type"]], row[COL["order-item-code"]])
            net[key] += Decimal(row[COL["amount"]])
    assert net and all(v == 0 for v in net.values())


def test_q4_principal_beats_average_quarter(body_rows: list[list[str]]) -> None:
    by_quarter = [Decimal("0")] * 4
    for row in body_rows:
        if (
            row[COL["transaction-type"]] == "Order"
            and row[COL["amount-type"]] == "ItemPrice"
            and row[COL["amount-description"]] == "Principal"
        ):
            month = int(row[COL["posted-date"]][5:7])
            by_quarter[(month - 1) // 3] += Decimal(row[COL["amount"]])
    assert by_quarter[3] > sum(by_quarter, Decimal("0")) / 4 * Decimal("1.3")


def test_refund_share_and_shape(body_rows: list[list[str]]) -> None:
    ordered: set[str] = set()
    refunded: set[str] = set()
    for row in body_rows:
        kind = row[COL["transaction-type"]]
        if kind == "Order":
            ordered.add(row[COL["order-item-code"]])
        elif kind == "Refund":
            assert re.fullmatch(r"\d{14}", row[COL["adjustment-id"]])
            assert row[COL["quantity-purchased"]]
            refunded.add(row[COL["order-item-code"]])
            if row[COL["amount-description"]] == "RefundCommission":
                assert Decimal("-5.00") <= Decimal(row[COL["amount"]]) < 0
    assert refunded <= ordered
    assert 0.02 <= len(refunded) / len(ordered) <= 0.10


def test_account_level_rows(settlements: list[list[list[str]]], body_rows: list[list[str]]) -> None:
    descriptions = {r[COL["amount-description"]] for r in body_rows}
    for needed in (
        "Storage Fee",
        "Subscription Fee",
        "TransactionTotalAmount",
        "WAREHOUSE_DAMAGE",
        "FBAInboundTransportationFee",
        "Current Reserve Amount",
        "Previous Reserve Amount Balance",
    ):
        assert needed in descriptions, needed
    # Each settlement releases exactly the reserve the previous one held back.
    held: list[str] = []
    released: list[str] = []
    for table in settlements:
        by_description = {r[COL["amount-description"]]: r[COL["amount"]] for r in table[2:]}
        held.append(by_description["Current Reserve Amount"])
        released.append(by_description["Previous Reserve Amount Balance"])
    assert [f"{-Decimal(h):.2f}" for h in held[:-1]] == released[1:]


def test_cogs_file(demo: DemoFiles, body_rows: list[list[str]]) -> None:
    with demo.cogs.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["sku", "effective_from", "unit_cost", "currency", "freight", "duty"]
    costed = {r["sku"] for r in rows}
    changed = {s for s in costed if sum(r["sku"] == s for r in rows) > 1}
    assert len(demo.skus) // 5 <= len(changed) <= len(demo.skus) // 2
    assert all(r["currency"] == "CNY" and Decimal(r["unit_cost"]) > 0 for r in rows)
    for r in rows:
        date.fromisoformat(r["effective_from"])
    sold = {r[COL["sku"]] for r in body_rows if r[COL["transaction-type"]] == "Order"}
    assert len(sold - costed) == 2


def test_fx_file(demo: DemoFiles) -> None:
    with demo.fx.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["date", "from", "to", "rate"]
    days = [date.fromisoformat(r["date"]) for r in rows]
    assert days[0] == date(2024, 12, 1) and days[-1] == date(2025, 12, 31)
    assert len(days) == (days[-1] - days[0]).days + 1
    assert all(r["from"] == "USD" and r["to"] == "CNY" for r in rows)
    assert all(re.fullmatch(r"7\.\d{4}", r["rate"]) for r in rows)
    assert all(Decimal("7.10") <= Decimal(r["rate"]) <= Decimal("7.30") for r in rows)
