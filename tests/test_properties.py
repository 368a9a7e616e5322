"""Invariants that hold for any settlement (hypothesis generates them)."""

from __future__ import annotations

import random
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, v2_row, write_v2
from lianxing.app import Lianxing

CODES = [
    ("Order", "ItemPrice", "Principal"),
    ("Order", "ItemPrice", "Tax"),
    ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
    ("Order", "ItemFees", "Commission"),
    ("Order", "ItemFees", "FBAPerUnitFulfillmentFee"),
    ("Order", "Promotion", "Principal"),
    ("Refund", "ItemPrice", "Principal"),
    ("Refund", "ItemFees", "Commission"),
    ("other-transaction", "other-transaction", "Storage Fee"),
    ("other-transaction", "other-transaction", "Current Reserve Amount"),
    ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount"),
    ("other-transaction", "other-transaction", "Something New"),
]

amount = st.decimals(min_value=Decimal("-500"), max_value=Decimal("500"), places=2)
row = st.tuples(
    st.sampled_from(CODES),
    amount,
    st.sampled_from(["A", "B", "C", ""]),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=28),
    st.integers(min_value=1, max_value=6),
)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def to_rows(draw: list[tuple]) -> list[dict[str, str]]:
    out = []
    for (tt, at, ad), value, sku, _qty, day, order_no in draw:
        when = f"2026-02-{day:02d} 12:00:00 UTC"
        if tt in ("Order", "Refund") and sku:
            # The same order item keeps the same quantity on all its rows, as in V2.
            out.append(
                v2_row(
                    tt,
                    at,
                    ad,
                    str(value),
                    order=f"111-{order_no}",
                    sku=sku,
                    qty=str(order_no % 3 + 1),
                    item=f"{order_no}{sku}",
                    when=when,
                    adjustment="ADJ" if tt == "Refund" else "",
                )
            )
        else:
            out.append(v2_row(tt, at, ad, str(value), when=when))
    return out


def fresh() -> tuple[Lianxing, Path]:
    folder = Path(tempfile.mkdtemp())
    return Lianxing.init(folder / "ws"), folder


@SETTINGS
@given(st.lists(row, min_size=1, max_size=40))
def test_per_sku_profit_sums_to_store_profit(draw: list[tuple]) -> None:
    lx, folder = fresh()
    with lx:
        lx.import_settlement(write_v2(folder / "s.txt", to_rows(draw)), store_id="us")
        by_sku = lx.profit(by="sku").rows
        stores = lx.profit(by="store").rows
        if not stores:  # only tax and balance rows: nothing is profit
            assert by_sku == []
            return
        [store] = stores
        for column in ("net_profit", "sales", "refunds", "platform_fees", "unmapped"):
            assert sum((r[column] for r in by_sku), Decimal(0)) == store[column]
        assert sum(r["units"] for r in by_sku) == store["units"]
        [source] = lx.sources()
        assert source["reconciled"]


@SETTINGS
@given(st.lists(row, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(draw: list[tuple], rnd: random.Random) -> None:
    rows = to_rows(draw)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    results = []
    for variant in (rows, shuffled):
        lx, folder = fresh()
        with lx:
            lx.import_settlement(write_v2(folder / "s.txt", variant), store_id="us")
            results.append((lx.profit(by="sku").rows, lx.profit(by="category").rows))
    assert results[0] == results[1]


@SETTINGS
@given(st.lists(row, min_size=1, max_size=20))
def test_reimporting_changes_nothing(draw: list[tuple]) -> None:
    lx, folder = fresh()
    with lx:
        path = write_v2(folder / "s.txt", to_rows(draw))
        lx.import_settlement(path, store_id="us")
        before = (ledger_fingerprint(lx), lx.profit(by="sku").rows)
        assert lx.import_settlement(path).status == "unchanged"
        assert (ledger_fingerprint(lx), lx.profit(by="sku").rows) == before
