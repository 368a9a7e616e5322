"""End-to-end QA of issue 13's real-export cases: defects found by importing a seller's
first folder of downloads, each pinned by a test that failed before its fix."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_real_shopify import UK_HEADER, uk_order

from conftest import write_table
from lianxing.app import Lianxing


def test_uk_partial_refund_takes_its_vat_share_out_of_refunds(lx: Lianxing, tmp_path: Path) -> None:
    # 60.00 with 10.00 VAT inside, 30.00 of it refunded: the refund holds 5.00 of VAT.
    rows = uk_order(
        "#UKP",
        [("POT", "1", "60.00", "0.00")],
        subtotal="60.00",
        taxes="10.00",
        total="60.00",
        status="partially_refunded",
        refunded="30.00",
    )
    lx.import_file(write_table(tmp_path / "uk.csv", UK_HEADER, rows, delimiter=","))
    by = dict(lx.db.query("SELECT category, sum(amount) FROM ledger GROUP BY category"))
    assert by["revenue.product"] == Decimal("50.00")
    assert by["refunds.product"] == Decimal("-25.00")
    # The VAT kept is that of the 30.00 the buyer paid in the end.
    assert by["tax.sales_collected"] == Decimal("5.00")
    assert sum(by.values()) == Decimal("30.00")
