"""The profit bridge: lines that always add up, volume/mix/price as defined, and the
JSON contract other tools read."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.bridge import MEASURES, decompose, parse_period
from lianxing.errors import InputError


def sums(**skus: tuple[int, str]) -> dict[str | None, dict[str, Decimal | int]]:
    """Per-SKU sums with only units and sales (net profit = sales)."""
    return {
        sku: {"units": units, "sales": Decimal(sales), "net_profit": Decimal(sales)}
        for sku, (units, sales) in skus.items()
    }


def test_volume_mix_and_price_by_hand() -> None:
    before = sums(MUG=(10, "100"), CUP=(10, "50"))
    after = sums(MUG=(5, "60"), CUP=(20, "100"), PEN=(2, "40"))
    lines, per_sku = decompose(before, after)
    amounts = {line["name"]: line["amount"] for line in lines}
    # 7 more units at A's average price 7.50; the shift to cheaper CUP and new PEN
    # lowers it by 12.50; MUG's price rose by 2.00 on 5 units.
    assert (amounts["volume"], amounts["mix"], amounts["price"]) == (
        Decimal("52.50"), Decimal("-12.50"), Decimal("10.00"),
    )  # fmt: skip
    assert amounts["other"] == 0 and sum(amounts.values()) == Decimal("50.00")
    assert per_sku["PEN"]["price"] == 0 and per_sku["PEN"]["volume_and_mix"] == 40
    assert per_sku["MUG"]["price"] == 10


money = st.decimals(min_value=-5000, max_value=5000, places=4, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", None]), st.integers(0, 50), st.lists(money,
                  min_size=len(MEASURES), max_size=len(MEASURES))),
        min_size=1, max_size=6,
    ),
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "D", None]), st.integers(0, 50), st.lists(money,
                  min_size=len(MEASURES), max_size=len(MEASURES))),
        min_size=1, max_size=6,
    ),
)  # fmt: skip
def test_lines_always_sum_to_the_change(first: list, second: list) -> None:
    def side(rows: list) -> dict:
        found: dict = {}
        for sku, units, values in rows:
            found[sku] = {m: v for m, v in zip(MEASURES, values, strict=True)} | {"units": units}
        return found

    a, b = side(first), side(second)
    change = sum((b[s]["net_profit"] for s in b), Decimal(0)) - sum(
        (a[s]["net_profit"] for s in a), Decimal(0)
    )
    target = change.quantize(Decimal("0.01"))
    lines, per_sku = decompose(a, b, target)
    assert sum(line["amount"] for line in lines) == target
    for sku, row in per_sku.items():
        parts = sum((v for k, v in row.items() if k != "net_profit"), Decimal(0))
        assert parts == row["net_profit"], sku


def test_periods() -> None:
    assert (str(parse_period("2026-02").last), str(parse_period("2026-Q4").first)) == (
        "2026-02-28", "2026-10-01",
    )  # fmt: skip
    assert str(parse_period("2024").last) == "2024-12-31"
    for bad in ("2026-13", "last month", "2026-Q5"):
        with pytest.raises(InputError):
            parse_period(bad)


def test_bridge_on_a_ledger_matches_profit_and_json_contract(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "30.00", order="1", sku="MUG", qty="3",
               when="2026-02-10 10:00:00 UTC"),
        v2_row("Order", "ItemFees", "Commission", "-4.50", order="1", sku="MUG", qty="3",
               when="2026-02-10 10:00:00 UTC"),
        v2_row("Order", "ItemPrice", "Principal", "44.00", order="2", sku="MUG", qty="4",
               when="2026-03-10 10:00:00 UTC"),
        v2_row("Order", "ItemFees", "Commission", "-6.60", order="2", sku="MUG", qty="4",
               when="2026-03-10 10:00:00 UTC"),
        v2_row("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", "-5.00",
               when="2026-03-11 10:00:00 UTC"),
    ]  # fmt: skip
    with Lianxing.init(ws) as lx:
        lx.import_file(write_v2(tmp_path / "s.txt", rows))
        months = {r["month"]: r["net_profit"] for r in lx.profit(by="month").rows}
    out = run_cli(["-w", str(ws), "bridge", "--from", "2026-02", "--to", "2026-03", "-f", "json"])
    assert out.exit_code == 0, out.stderr
    result = json.loads(out.stdout)
    lines = {line["name"]: Decimal(line["amount"]) for line in result["lines"]}
    assert Decimal(result["total_change"]) == months["2026-03"] - months["2026-02"]
    assert sum(lines.values()) == Decimal(result["total_change"])
    # One more unit at February's price 10 (volume), 1.00 more per unit on 4 (price).
    assert (lines["volume"], lines["price"], lines["mix"]) == (
        Decimal("10.00"), Decimal("4.00"), Decimal("0.00"),
    )  # fmt: skip
    assert lines["advertising"] == Decimal("-5.00") and lines["platform_fees"] == Decimal("-2.10")
    by_sku = run_cli(["-w", str(ws), "bridge", "--from", "2026-02", "--to", "2026-03",
                      "--by", "sku", "-f", "json"])  # fmt: skip
    breakdown = {r["sku"]: r for r in json.loads(by_sku.stdout)["breakdown"]}
    assert Decimal(breakdown["MUG"]["price"]) == Decimal("4.00")
    assert Decimal(breakdown[None]["advertising"]) == Decimal("-5.00")
    bad = run_cli(["-w", str(ws), "bridge", "--from", "Feb", "--to", "2026-03"])
    assert bad.exit_code == 2 and "Feb" in bad.stderr
