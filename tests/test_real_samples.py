"""The six real Amazon.ca legacy settlements: data nobody on this project wrote."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from lianxing.app import Lianxing

AMOUNT_COLUMNS = (
    "shipment-fee-amount",
    "order-fee-amount",
    "price-amount",
    "item-related-fee-amount",
    "misc-fee-amount",
    "other-fee-amount",
    "promotion-amount",
    "direct-payment-amount",
    "other-amount",
)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_sample_imports_and_reconciles_to_the_cent(lx: Lianxing, samples: list[Path]) -> None:
    for path in samples:
        result = lx.import_settlement(path, store_id="amazon-ca")
        assert result.status == "imported", path.name
        assert result.reconciled, (path.name, result.difference)
        assert result.unmapped == [], path.name
        summary = read(path)[0]
        assert result.total_amount == Decimal(summary["total-amount"].strip())
        assert result.settlement_id == summary["settlement-id"]
    sources = lx.sources()
    assert len(sources) == 6
    assert all(s["reconciled"] and s["difference"] == 0 for s in sources)


def test_ledger_holds_every_amount_of_the_file(lx: Lianxing, samples: list[Path]) -> None:
    path = samples[-1]
    result = lx.import_settlement(path, store_id="amazon-ca")
    rows = read(path)[1:]
    expected = sum(
        (Decimal(r[c].strip()) for r in rows for c in AMOUNT_COLUMNS if r.get(c, "").strip()),
        Decimal(0),
    )
    total = lx.db.con.execute(
        "SELECT sum(amount), count(*) FROM ledger WHERE source_id = ?", [result.source_id]
    ).fetchone()
    cells = sum(1 for r in rows for c in AMOUNT_COLUMNS if r.get(c, "").strip())
    assert total[0] == expected
    assert total[1] == cells


def test_legacy_quantity_counts_each_order_item_once(lx: Lianxing, samples: list[Path]) -> None:
    for path in samples:
        lx.import_settlement(path, store_id="amazon-ca")
    expected = sum(
        int(r["quantity-purchased"])
        for p in samples
        for r in read(p)[1:]
        if r["quantity-purchased"].strip() and r["transaction-type"] == "Order"
    )
    report = lx.profit(by="store", currency="CAD")
    assert report.rows[0]["units"] == expected


def test_lines_point_back_to_the_source_file(lx: Lianxing, samples: list[Path]) -> None:
    path = samples[1]  # 50018020314.txt
    result = lx.import_settlement(path, store_id="amazon-ca")
    lines = path.read_text(encoding="utf-8").split("\n")
    for line, amount, description in lx.db.con.execute(
        "SELECT line, amount, amount_description FROM ledger WHERE source_id = ?",
        [result.source_id],
    ).fetchall():
        fields = lines[line - 1].split("\t")
        assert any(f.strip() and Decimal(f.strip()) == amount for f in fields[24:] if _is_num(f))
        if description:
            assert description in fields


def _is_num(text: str) -> bool:
    try:
        Decimal(text.strip())
    except Exception:
        return False
    return bool(text.strip())


def test_reserve_card_charges_and_payables_are_not_profit(
    lx: Lianxing, samples: list[Path]
) -> None:
    for path in samples:
        lx.import_settlement(path, store_id="amazon-ca")
    rows = {r["category"]: r for r in lx.profit(by="category", currency="CAD").rows}
    assert rows["transfers.card_charge"]["kind"] == "balance"
    assert rows["transfers.payable"]["kind"] == "balance"
    # The ad tax in other-fee-amount is a cost by default.
    assert rows["fee_tax"]["kind"] == "pnl" and rows["fee_tax"]["amount"] < 0
    [store] = lx.profit(by="store", currency="CAD").rows
    payout = sum((s["total_amount"] for s in lx.sources()), Decimal(0))
    balance = sum((r["amount"] for r in rows.values() if r["kind"] != "pnl"), Decimal(0))
    assert store["net_profit"] == payout - balance


def test_store_is_named_from_the_marketplace(lx: Lianxing, samples: list[Path]) -> None:
    result = lx.import_settlement(samples[2])  # has Amazon.ca order rows
    assert result.store_id == "amazon-ca"
    assert result.new_store is not None and result.new_store.currency == "CAD"
    # A fee-only settlement names no marketplace: the one CAD store is used.
    assert lx.import_settlement(samples[0]).store_id == "amazon-ca"
    text = lx.workspace.config_path.read_text()
    assert 'marketplace = "amazon.ca"' in text
