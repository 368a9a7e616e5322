"""Amazon All Orders report: estimated rows, replaced once the order item settles."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError

# From report-formats.md (All Orders, TSV); buyer columns included on purpose.
HEADER = [
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
]


def order(
    order_id: str,
    sku: str,
    qty: str,
    price: str,
    *,
    when: str = "2026-03-03T18:00:00+00:00",
    updated: str = "2026-03-04T10:00:00+00:00",
    status: str = "Shipped",
    promo: str = "",
    channel: str = "Amazon.com",
) -> dict[str, str]:
    return {
        "amazon-order-id": order_id,
        "purchase-date": when,
        "last-updated-date": updated,
        "order-status": status,
        "fulfillment-channel": "Amazon",
        "sales-channel": channel,
        "product-name": 'Mug "Classic" 12oz',
        "sku": sku,
        "asin": "B0" + sku,
        "item-status": status,
        "quantity": qty,
        "currency": "USD",
        "item-price": price,
        "item-tax": "1.00",
        "item-promotion-discount": promo,
        "ship-city": "SEATTLE",
        "ship-postal-code": "98101",
        "ship-country": "US",
    }


def settled_order(order_id: str, sku: str, qty: str, price: str, fee: str) -> list[dict[str, str]]:
    return [
        v2_row("Order", "ItemPrice", "Principal", price, order=order_id, sku=sku, qty=qty),
        v2_row("Order", "ItemFees", "Commission", fee, order=order_id, sku=sku, qty=qty),
        v2_row(
            "Order",
            "ItemFees",
            "FBAPerUnitFulfillmentFee",
            "-3.00",
            order=order_id,
            sku=sku,
            qty=qty,
        ),
    ]


def test_estimated_rows_and_fees_from_latest_settlement(lx: Lianxing, tmp_path: Path) -> None:
    write_v2(tmp_path / "s1.txt", settled_order("111-1", "MUG", "2", "40.00", "-6.00"))
    lx.import_file(tmp_path / "s1.txt")
    report = write_table(
        tmp_path / "orders.txt",
        HEADER,
        [
            order("111-2", "MUG", "1", "20.00", promo="-2.00"),
            order("111-3", "MUG", "3", "60.00", status="Cancelled"),
            order("111-4", "MUG", "1", "", status="Pending"),
            order("111-5", "MUG", "1", "20.00", channel="Non-Amazon"),
        ],
    )
    result = lx.import_file(report)
    assert result.kind == "amazon_all_orders" and result.status == "imported"
    assert result.store_id == "amazon-com"
    assert result.written == 2  # principal with units, and the promotion
    assert result.notes == [("orders.left_out", {"count": 3})]
    assert "ship-city" in result.ignored_columns
    rows = lx.db.query(
        "SELECT basis, category, amount, quantity, order_id FROM ledger "
        "WHERE basis = 'estimated' ORDER BY category"
    )
    assert rows == [
        ("estimated", "revenue.product", Decimal("20.0000"), 1, "111-2"),
        ("estimated", "revenue.promotion", Decimal("-2.0000"), None, "111-2"),
    ]
    by_cat = {r["category"]: r for r in lx.profit(by="category", basis="estimated").rows}
    # Fees per unit from the SKU's latest settled item: (-6 + -3) / 2 units.
    assert by_cat["platform_fees.referral"]["amount"] == Decimal("-3.00")
    assert by_cat["fulfillment.fba"]["amount"] == Decimal("-1.50")
    settled = lx.profit(by="sku", basis="settled").rows[0]
    assert settled["net_profit"] == Decimal("31.00") and settled["estimated"] == 0
    both = lx.profit(by="sku").rows[0]
    assert both["net_profit"] == Decimal("31.00") + Decimal("20") - 2 - 3 - Decimal("1.50")
    assert both["estimated"] == Decimal("13.50")
    assert both["units"] == 3


def test_settlement_replaces_estimates_in_any_order(tmp_path: Path) -> None:
    """Same period from settlement, order report and overlapping order reports: one total."""
    files = {
        "orders-a": write_table(
            tmp_path / "orders-a.txt",
            HEADER,
            [order("111-1", "MUG", "2", "40.00"), order("111-2", "MUG", "1", "20.00")],
        ),
        # Overlaps a: 111-2 seen again later with another price, 111-3 new.
        "orders-b": write_table(
            tmp_path / "orders-b.txt",
            HEADER,
            [
                order("111-2", "MUG", "1", "18.00", updated="2026-03-05T10:00:00+00:00"),
                order("111-3", "MUG", "1", "20.00"),
            ],
        ),
        "settlement": write_v2(
            tmp_path / "s1.txt", settled_order("111-1", "MUG", "2", "39.00", "-6.00")
        ),
    }
    totals = set()
    for n, sequence in enumerate(permutations(files)):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for name in sequence:
                lx.import_file(files[name])
            rows = lx.profit(by="store").rows
            totals.add((rows[0]["net_profit"], rows[0]["estimated"], rows[0]["units"]))
    # settled 39 - 6 - 3 = 30; estimated 111-2 at 18 and 111-3 at 20, each less 4.50 fees
    assert totals == {(Decimal("30.00") + 18 + 20 - 9, Decimal("29.00"), 4)}


def test_reimport_is_unchanged_and_bad_values_named(lx: Lianxing, tmp_path: Path) -> None:
    good = write_table(tmp_path / "o.txt", HEADER, [order("111-1", "MUG", "1", "20.00")])
    lx.import_file(good)
    before = ledger_fingerprint(lx)
    assert lx.import_file(good).status == "unchanged"
    assert ledger_fingerprint(lx) == before
    bad = write_table(
        tmp_path / "bad.txt",
        HEADER,
        [order("111-7", "MUG", "1", "20.00"), order("111-8", "MUG", "x", "2O.00")],
    )
    with pytest.raises(InputError) as caught:
        lx.import_file(bad)
    where = {(p.line, p.column, p.key) for p in caught.value.problems}
    assert where == {(3, "quantity", "value.quantity"), (3, "item-price", "value.amount")}
    assert ledger_fingerprint(lx) == before


def test_missing_column_refused_and_repeated_rows_counted(lx: Lianxing, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "quantity"]
    no_qty = write_table(tmp_path / "a.txt", header, [order("1", "MUG", "1", "1.00")])
    with pytest.raises(InputError) as caught:
        lx.import_file(no_qty)
    assert caught.value.key == "report.columns_missing"
    assert "quantity" in str(caught.value)
    assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]
    # Issue 13: an identical row is a second shipment of the item, not a mistake.
    row = order("1", "MUG", "1", "1.00")
    dup = write_table(tmp_path / "d.txt", HEADER, [row, row])
    assert lx.import_file(dup).status == "imported"
    assert lx.db.query("SELECT line, quantity FROM ledger ORDER BY line") == [(2, 1), (3, 1)]


def test_cli_basis_option(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    orders = write_table(tmp_path / "o.txt", HEADER, [order("111-1", "MUG", "1", "20.00")])
    imported = run_cli(["-w", str(ws), "import", str(orders)])
    assert imported.exit_code == 0, imported.stderr
    assert "amazon_all_orders" in imported.stdout
    shown = run_cli(["-w", str(ws), "profit", "--by", "store", "--format", "json"])
    assert '"estimated": "20.00"' in shown.stdout
    settled = run_cli(["-w", str(ws), "profit", "--basis", "settled", "--format", "json"])
    assert settled.stdout.strip() == "[]"
    wrong = run_cli(["-w", str(ws), "profit", "--basis", "guess"])
    assert wrong.exit_code == 2 and "--basis" in wrong.stderr


def test_same_file_is_mapped_again_after_the_rules_change(lx: Lianxing, tmp_path: Path) -> None:
    path = write_table(tmp_path / "o.txt", HEADER, [order("111-1", "MUG", "1", "20.00")])
    first = lx.import_file(path)
    lx.workspace.config.mappings.append(
        {
            "layout": "all_orders",
            "amount_description": "Principal",
            "amount_type": "ItemPrice",
            "category": "revenue.other",
        }
    )
    assert lx.stale_mappings() == ["o.txt"]
    again = lx.import_file(path)
    assert again.status == "imported" and again.source_id != first.source_id
    assert lx.db.query("SELECT category, source_id FROM ledger") == [
        ("revenue.other", again.source_id)
    ]
    assert lx.stale_mappings() == []
    assert lx.import_file(path).status == "unchanged"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_order_reports_never_crash_or_half_write(
    tmp_path: Path, data: st.DataObject
) -> None:
    rows = [order("111-1", "MUG", "1", "20.00"), order("111-2", "CUP", "2", "30.00", promo="-1")]
    text = write_table(tmp_path / "base.txt", HEADER, rows).read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(st.binary(max_size=8) | st.sampled_from([b"\t", b'"', b"\n", b"\r", b"-"]))
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = tmp_path / "fuzz.txt"
    target.write_bytes(mutated)
    with Lianxing.init(Path(tempfile.mkdtemp(dir=tmp_path)) / "ws") as lx:
        before = ledger_fingerprint(lx)
        try:
            lx.import_file(target, store_id="amazon-us")
        except InputError:
            assert ledger_fingerprint(lx) == before


def test_a_later_cancellation_beats_an_earlier_open_order(tmp_path: Path) -> None:
    older = write_table(
        tmp_path / "older.txt",
        HEADER,
        [order("111-9", "MUG", "1", "20.00", status="Unshipped")],
    )
    newer = write_table(
        tmp_path / "newer.txt",
        HEADER,
        [
            order("111-9", "MUG", "1", "20.00", status="Cancelled",
                  updated="2026-03-06T10:00:00+00:00"),
            order("111-8", "MUG", "1", "5.00"),
        ],
    )  # fmt: skip
    seen = set()
    for n, sequence in enumerate(((older, newer), (newer, older))):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for path in sequence:
                lx.import_file(path)
            row = lx.profit(by="store").rows[0]
            seen.add((row["sales"], row["units"]))
    assert seen == {(Decimal("5.00"), 1)}


def test_fees_per_unit_over_the_whole_last_order(lx: Lianxing, tmp_path: Path) -> None:
    """The SKU's last settled order shipped in two parts: fees per unit use both."""
    rows = [
        *settled_order("111-1", "MUG", "1", "20.00", "-3.00"),
        *settled_order("111-1", "MUG", "1", "20.00", "-3.00"),
    ]
    rows[3] = {**rows[3], "order-item-code": "2"}
    write_v2(tmp_path / "s.txt", rows)
    lx.import_file(tmp_path / "s.txt")
    lx.import_file(write_table(tmp_path / "o.txt", HEADER, [order("111-2", "MUG", "1", "20.00")]))
    fees = {r["category"]: r["amount"] for r in lx.profit(by="category", basis="estimated").rows}
    assert fees["platform_fees.referral"] == Decimal("-3.00")
    assert fees["fulfillment.fba"] == Decimal("-3.00")


def test_a_store_made_for_a_failed_import_is_forgotten(lx: Lianxing, tmp_path: Path) -> None:
    bad = write_table(tmp_path / "bad.txt", HEADER, [order("111-1", "MUG", "1", "x")])
    with pytest.raises(InputError):
        lx.import_file(bad, store_id="us-main")
    assert lx.workspace.config.stores == []
    good = write_table(tmp_path / "good.txt", HEADER, [order("111-1", "MUG", "1", "2.00")])
    assert lx.import_file(good).store_id == "amazon-com"
