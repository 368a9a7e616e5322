"""QA of the fast settlement and Shopify paths: they store what the old paths stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from lianxing.app import Lianxing
from tests.conftest import v2_row, write_v2


@pytest.mark.parametrize("value", [" A", "A\u00a0", "\u00a0A", "\u3000A\u3000", "\u00a0", "  "])
def test_lx_text_trims_what_trim_trims(lx: Lianxing, value: str) -> None:
    """lx_text skips trim() only when trim() would change nothing: DuckDB's trim also
    strips no-break and other Unicode spaces (windows-1252 files carry 0xA0)."""
    got = lx.db.query("SELECT lx_text(?), nullif(trim(?), '')", [value, value])
    assert got[0][0] == got[0][1]


def test_no_break_space_around_a_settlement_amount_and_sku(lx: Lianxing, tmp_path: Path) -> None:
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "10.00", order="1", sku="A", qty="1", item="1"),
        v2_row("Order", "ItemFees", "Commission", "-1.50", order="1", sku="A", item="1"),
    ]
    path = write_v2(tmp_path / "s.txt", rows, encoding="cp1252")
    text = path.read_bytes()
    text = text.replace(b"\t-1.50\t", b"\t-1.50\xa0\t").replace(b"\tA\t1\n", b"\t\xa0A\t1\n")
    path.write_bytes(text)
    lx.import_settlement(path)
    got = lx.db.query("SELECT sku, amount FROM ledger ORDER BY line")
    assert [(r[0], str(r[1])) for r in got] == [("A", "10.0000"), ("A", "-1.5000")]
