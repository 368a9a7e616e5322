"""Repeated rows as real exports write them: identical lines that are data.

All Orders writes one order item twice, byte for byte, when its two units ship
separately; the Shopify orders export writes two identical line rows when an order has
the same variant twice at the same price. Both copies count, and each keeps its line.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_all_orders import HEADER, order
from test_shopify import order as shop_order
from test_shopify import write_orders

from conftest import ledger_fingerprint, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError

UNIT = order("111-1", "MUG", "1", "20.00", updated="2026-03-04T10:00:00+00:00")


def estimated(lx: Lianxing) -> list[tuple[object, ...]]:
    return lx.db.query(
        "SELECT source_id, line, category, amount, quantity FROM ledger "
        "WHERE basis = 'estimated' ORDER BY source_id, line, category"
    )


def test_all_orders_counts_identical_rows_as_two_units(lx: Lianxing, tmp_path: Path) -> None:
    path = write_table(tmp_path / "orders.txt", HEADER, [UNIT, UNIT])
    lines = path.read_text("utf-8").split("\n")
    assert lines[1] == lines[2]  # byte for byte
    result = lx.import_file(path)
    assert result.status == "imported" and result.rows == 2
    # Both lines trace: each copy is its own ledger row with its own line number.
    assert estimated(lx) == [
        (result.source_id, 2, "revenue.product", Decimal("20.0000"), 1),
        (result.source_id, 3, "revenue.product", Decimal("20.0000"), 1),
    ]
    row = lx.profit(by="store", basis="estimated").rows[0]
    assert (row["units"], row["sales"]) == (2, Decimal("40.00"))


def test_all_orders_reimport_of_repeats_is_unchanged(lx: Lianxing, tmp_path: Path) -> None:
    path = write_table(tmp_path / "orders.txt", HEADER, [UNIT, UNIT])
    lx.import_file(path)
    before = ledger_fingerprint(lx)
    assert lx.import_file(path).status == "unchanged"
    assert ledger_fingerprint(lx) == before


def test_newer_all_orders_replaces_both_copies_in_either_order(tmp_path: Path) -> None:
    older = write_table(tmp_path / "older.txt", HEADER, [UNIT, UNIT])
    # The newer download shows the item's two shipments again, a day later.
    again = order("111-1", "MUG", "1", "20.00", updated="2026-03-05T10:00:00+00:00")
    newer = write_table(tmp_path / "newer.txt", HEADER, [again, again])
    for n, sequence in enumerate([(older, newer), (newer, older)]):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            results = [lx.import_file(p) for p in sequence]
            rows = estimated(lx)
            newer_id = results[sequence.index(newer)].source_id
            assert [(r[0], r[1], r[4]) for r in rows] == [(newer_id, 2, 1), (newer_id, 3, 1)]
            assert lx.profit(by="store", basis="estimated").rows[0]["units"] == 2


def test_repeated_all_orders_item_stops_counting_once_settled(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_table(tmp_path / "orders.txt", HEADER, [UNIT, UNIT]))
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "40.00", order="111-1", sku="MUG", qty="2"),
    ]
    lx.import_file(write_v2(tmp_path / "s.txt", rows))
    report = lx.profit(by="store", basis="all").rows[0]
    assert (report["units"], report["sales"], report["estimated"]) == (
        2,
        Decimal("40.00"),
        Decimal("0.00"),
    )


# An order with the same variant twice at the same price: CUP's two rows are identical.
TWICE = shop_order(
    "#5001",
    [("MUG", "1", "20.00", "0.00"), ("CUP", "1", "10.00", "0.00"), ("CUP", "1", "10.00", "0.00")],
    shipping="5.00",
    total="45.00",
)
for _row in TWICE:
    _row["Subtotal"] = "40.00" if _row.get("Total") else ""


def test_shopify_identical_line_rows_both_count(lx: Lianxing, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "orders.csv", TWICE)
    lines = path.read_text("utf-8").split("\n")
    assert lines[2] == lines[3]
    result = lx.import_file(path)
    assert result.status == "imported"
    assert not [n for n in result.notes if n[0] == "shopify.total_mismatch"]
    product = lx.db.query(
        "SELECT line, sku, amount, quantity FROM ledger WHERE category = 'revenue.product' "
        "ORDER BY line"
    )
    assert product == [
        (2, "MUG", Decimal("20.0000"), 1),
        (3, "CUP", Decimal("10.0000"), 1),
        (4, "CUP", Decimal("10.0000"), 1),
    ]
    # The order's Subtotal adds up: the product sales of its lines are 40.00.
    assert sum(r[2] for r in product) == Decimal(TWICE[0]["Subtotal"])
    by_sku = {r["sku"]: (r["units"], r["sales"]) for r in lx.profit(by="sku").rows}
    assert by_sku["CUP"] == (2, Decimal("20.00"))


def test_shopify_repeats_reimport_unchanged_and_newer_export_replaces(tmp_path: Path) -> None:
    older = write_orders(tmp_path / "older.csv", TWICE)
    newer_rows = [dict(r) for r in TWICE]
    newer_rows[0]["Fulfilled at"] = "2026-03-04 08:00:00 -0800"  # a later version
    newer = write_orders(tmp_path / "newer.csv", newer_rows)
    for n, sequence in enumerate([(older, newer), (newer, older)]):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            first = lx.import_file(sequence[0])
            before = ledger_fingerprint(lx)
            assert lx.import_file(sequence[0]).status == "unchanged"
            assert ledger_fingerprint(lx) == before
            second = lx.import_file(sequence[1])
            kept = lx.db.query("SELECT DISTINCT source_id FROM ledger WHERE order_id = '#5001'")
            newer_id = (first if sequence[0] == newer else second).source_id
            assert kept == [(newer_id,)]
            cup = lx.db.query("SELECT line, quantity FROM ledger WHERE sku = 'CUP' ORDER BY line")
            assert cup == [(3, 1), (4, 1)]


def test_shopify_summary_row_twice_is_still_refused(lx: Lianxing, tmp_path: Path) -> None:
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(write_orders(tmp_path / "pasted.csv", [*TWICE, TWICE[0]]))
    problem = caught.value.problems[0]
    assert (caught.value.key, problem.line, problem.params["first"]) == (
        "shopify.order_twice",
        5,
        2,
    )
    assert ledger_fingerprint(lx) == before


def test_settlement_keeps_counting_every_line_against_its_total(
    lx: Lianxing, tmp_path: Path
) -> None:
    # A settlement's repeated line is checked by the payout: the file's total-amount is
    # the sum of its lines, so a pasted copy does not reconcile and is flagged.
    fee = v2_row("other-transaction", "other-transaction", "Storage Fee", "-2.00")
    path = write_v2(tmp_path / "s.txt", [fee, fee], total="-2.00")
    result = lx.import_file(path, store_id="amazon-com")
    assert result.reconciled is False and result.difference == Decimal("-2.00")
    good = write_v2(tmp_path / "s2.txt", [fee, fee], settlement_id="2", total="-4.00")
    assert lx.import_file(good, store_id="amazon-com").reconciled is True


def _fuzz_base(tmp_path: Path, kind: str) -> Path:
    if kind == "all_orders":
        rows = [UNIT, UNIT, order("111-2", "CUP", "2", "9")]
        return write_table(tmp_path / "base.txt", HEADER, rows)
    return write_orders(tmp_path / "base.csv", TWICE)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzzed_repeating_files_import_or_are_refused_with_a_place(
    tmp_path: Path, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(["all_orders", "shopify"]))
    text = _fuzz_base(tmp_path, kind).read_bytes()
    lines = text.split(b"\n")
    # Repeat, drop or cut a line, or overwrite a few bytes.
    move = data.draw(st.sampled_from(["repeat", "drop", "bytes"]))
    n = data.draw(st.integers(1, len(lines) - 2))
    if move == "repeat":
        lines.insert(n, lines[n])
        mutated = b"\n".join(lines)
    elif move == "drop":
        del lines[n]
        mutated = b"\n".join(lines)
    else:
        cut = data.draw(st.integers(0, len(text) - 1))
        junk = data.draw(st.binary(max_size=6) | st.sampled_from([b"\t", b",", b'"', b"\n"]))
        mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = tmp_path / ("fuzz.txt" if kind == "all_orders" else "fuzz.csv")
    target.write_bytes(mutated)
    with fuzz_workspace(tmp_path) as lx:
        if import_or_refuse(lx, target):
            # Every data line counted traces back to a line of the file.
            lines_written = {r[0] for r in lx.db.query("SELECT DISTINCT line FROM ledger")}
            assert lines_written <= set(range(2, mutated.count(b"\n") + 3))


@contextmanager
def fuzz_workspace(tmp_path: Path) -> Iterator[Lianxing]:
    """A fresh workspace for one fuzzed example (hypothesis reuses tmp_path)."""
    with Lianxing.init(Path(tempfile.mkdtemp(dir=tmp_path)) / "ws") as lx:
        yield lx


def import_or_refuse(lx: Lianxing, target: Path) -> bool:
    """Import a mutated file: True if it imported; if refused, the refusal names the
    file (and line / column where it has them) and nothing was written."""
    before = ledger_fingerprint(lx)
    try:
        lx.import_file(target)
    except InputError as error:
        assert ledger_fingerprint(lx) == before
        assert error.problems and all(p.file == str(target) for p in error.problems)
        return False
    return True


# Amazon's Fulfilled Shipments report: order id, purchase date, SKU, item price — but one
# row per shipment and no order status. It is not an All Orders report.
SHIPMENTS = [
    "amazon-order-id", "merchant-order-id", "shipment-id", "shipment-item-id",
    "amazon-order-item-id", "purchase-date", "payments-date", "shipment-date", "sku",
    "product-name", "quantity-shipped", "currency", "item-price", "item-tax",
    "shipping-price", "shipping-tax", "sales-channel",
]  # fmt: skip


def test_shipments_report_is_not_taken_for_all_orders(lx: Lianxing, tmp_path: Path) -> None:
    row = {
        "amazon-order-id": "111-1", "shipment-id": "D1", "purchase-date": UNIT["purchase-date"],
        "sku": "MUG", "quantity-shipped": "1", "currency": "USD", "item-price": "20.00",
        "sales-channel": "Amazon.com",
    }  # fmt: skip
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(write_table(tmp_path / "shipments.txt", SHIPMENTS, [row, row]))
    assert (caught.value.key, caught.value.problems[0].line) == ("file.unknown_kind", 1)
    assert ledger_fingerprint(lx) == before


def test_shopify_orders_saved_with_tabs_is_not_read_as_orders(lx: Lianxing, tmp_path: Path) -> None:
    from test_shopify import ORDERS

    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(write_table(tmp_path / "orders.txt", ORDERS, TWICE))
    assert caught.value.problems[0].line == 1
    assert ledger_fingerprint(lx) == before
