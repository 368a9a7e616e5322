"""`lianxing whatif` (issue 12, items 15 and 22): a cost in a currency with no exchange
rate is a message, not a traceback; a bare `--tariff 10` is refused as ambiguous."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.costing.whatif import parse_tariff
from lianxing.errors import InputError


def test_whatif_without_the_rate_of_the_cost_currency_names_the_missing_rate(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    sale = {"order": "111-0000000-0000001", "sku": "TOY", "qty": "1", "item": "I1"}
    with Lianxing.init(ws) as lx:
        costs = tmp_path / "cogs.csv"
        costs.write_text("sku,effective_from,unit_cost,currency\nTOY,2026-01-01,35.00,CNY\n")
        lx.import_costs(costs)
        specs = tmp_path / "specs.csv"
        specs.write_text("sku,category,length_in,width_in,height_in,weight_oz,hts_code,origin\n"
                         "TOY,Toys & Games,10,8,3,12,9503.00.0073,CN\n")  # fmt: skip
        lx.import_products(specs)
        rows = [v2_row("Order", "ItemPrice", "Principal", "19.99", **sale,
                       when="2026-03-02 18:00:00 UTC")]  # fmt: skip
        lx.import_file(write_v2(tmp_path / "s.txt", rows))
    result = run_cli(["-w", str(ws), "whatif", "--sku", "TOY", "--price", "19.99",
                      "--tariff", "+10", "--date", "2026-03-05"])  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "No exchange rate CNY→USD on or before 2026-03-05" in result.stderr


@pytest.mark.parametrize("text", ["10", "10.5", " 25 "])
def test_a_bare_tariff_number_is_refused_as_ambiguous(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_tariff(text)
    assert info.value.key == "whatif.bad_tariff" and "=10%" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+10", (Decimal("0.10"), None)), ("-5%", (Decimal("-0.05"), None)),
     ("=10%", (None, Decimal("0.10"))), ("=10", (None, Decimal("0.10"))),
     ("25%", (None, Decimal("0.25")))],
)  # fmt: skip
def test_a_tariff_says_whether_it_adds_or_sets(
    text: str, expected: tuple[Decimal | None, Decimal | None]
) -> None:
    assert parse_tariff(text) == expected


def test_cli_refuses_a_bare_tariff_before_opening_anything(tmp_path: Path) -> None:
    result = run_cli(["-w", str(tmp_path / "none"), "whatif", "--sku", "X", "--tariff", "10"])
    assert result.exit_code == 2 and "--tariff '10'" in result.stderr
