"""Walmart Marketplace reconciliation report: settled rows, reconciled to Total Payable."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, write_table
from lianxing.app import Lianxing
from lianxing.errors import InputError

# From report-formats.md (Walmart recon report, CSV); buyer columns included on purpose.
HEADER = [
    "Period Start Date",
    "Period End Date",
    "Total Payable",
    "Currency",
    "Transaction Key",
    "Transaction Posted Timestamp",
    "Transaction Type",
    "Transaction Description",
    "Customer Order #",
    "Customer Order line #",
    "Purchase Order #",
    "Purchase Order line #",
    "Amount",
    "Amount Type",
    "Ship Qty",
    "Commission Rate",
    "Transaction Reason Description",
    "Partner Item Id",
    "Partner GTIN",
    "Partner Item Name",
    "Product Tax Code",
    "Ship to State",
    "Ship to City",
    "Ship to Zipcode",
    "Contract Category",
    "Product Type",
    "Commission Rule",
    "Shipping Method",
    "Fulfillment Type",
    "Fulfillment Details",
]


def summary(total: str, start: str = "03/01/2026", end: str = "03/14/2026") -> dict[str, str]:
    return {
        "Period Start Date": start,
        "Period End Date": end,
        "Total Payable": total,
        "Currency": "USD",
        "Transaction Posted Timestamp": "03/17/2026",
        "Transaction Type": "PaymentSummary",
        "Transaction Description": "Deposited in account",
    }


def line(
    tt: str,
    amount_type: str,
    amount: str,
    *,
    description: str = "Purchase",
    po: str = "",
    sku: str = "",
    qty: str = "",
    key: str = "",
    when: str = "03/05/2026",
) -> dict[str, str]:
    return {
        "Currency": "USD",
        "Transaction Key": key or f"K-{po or description}",
        "Transaction Posted Timestamp": when,
        "Transaction Type": tt,
        "Transaction Description": description,
        "Customer Order #": "2000" + po if po else "",
        "Customer Order line #": "1" if po else "",
        "Purchase Order #": po,
        "Purchase Order line #": "1" if po else "",
        "Amount": amount,
        "Amount Type": amount_type,
        "Ship Qty": qty,
        "Partner Item Id": sku,
        "Partner Item Name": 'Mug "Classic", 12oz' if sku else "",
        "Ship to State": "WA",
        "Ship to City": "SEATTLE",
        "Ship to Zipcode": "98101",
        "Fulfillment Type": "WFS" if sku else "",
    }


def sale(
    po: str, sku: str, qty: str, price: str, tax: str, commission: str
) -> list[dict[str, str]]:
    return [
        line("Sale", "Product Price", price, po=po, sku=sku, qty=qty),
        line("Sale", "Product tax", tax, po=po, sku=sku, qty=qty),
        line("Sale", "Product tax withheld", f"-{tax}", po=po, sku=sku, qty=qty),
        line("Sale", "Commission on Product", commission, po=po, sku=sku, qty=qty),
    ]


ROWS = [
    summary("5.15"),
    *sale("1001", "MUG", "2", "40.00", "3.20", "-6.00"),
    line(
        "Adjustment",
        "WFS Fee/Reimbursement",
        "-3.50",
        description="WFS Fulfillment fee",
        po="1001",
        sku="MUG",
        qty="2",
    ),
    line(
        "Adjustment",
        "Fee/Reimbursement",
        "-5.25",
        description="Walmart Shipping Label Service Charge",
        po="1001",
        sku="MUG",
    ),
    # A refund of an order sold in an earlier period: price back, commission returned.
    line(
        "Refund",
        "Product Price",
        "-20.00",
        description="Return Refund",
        po="1000",
        sku="MUG",
        qty="1",
    ),
    line(
        "Refund",
        "Commission on Product",
        "3.00",
        description="Return Refund",
        po="1000",
        sku="MUG",
        qty="1",
    ),
    line(
        "Refund", "Product tax", "-1.60", description="Return Refund", po="1000", sku="MUG", qty="1"
    ),
    line(
        "Refund",
        "Product tax withheld",
        "1.60",
        description="Return Refund",
        po="1000",
        sku="MUG",
        qty="1",
    ),
    line("Service Fee", "WFS Fee/Reimbursement", "-2.10", description="WFS StorageFee"),
    line("Adjustment", "Fee/Reimbursement", "-1.00", description="Misc Invoices"),
]


def write_recon(
    path: Path,
    rows: Sequence[dict[str, str]] = ROWS,
    *,
    trailer: bool = True,
    header: Sequence[str] = HEADER,
) -> Path:
    """A recon report as Walmart's download writes it: header, the line count, rows."""
    write_table(path, header, rows, delimiter=",")
    if trailer:
        head, rest = path.read_text("utf-8").split("\n", 1)
        path.write_text(f"{head}\nNumber of Lines in file {len(rows)}\n{rest}", "utf-8")
    return path


def test_recon_rows_categories_and_profit(lx: Lianxing, tmp_path: Path) -> None:
    result = lx.import_file(write_recon(tmp_path / "recon.csv"))
    assert result.kind == "walmart_recon" and result.status == "imported"
    assert result.store_id == "walmart-com" and result.new_store is not None
    assert result.rows == len(ROWS) and result.written == len(ROWS) - 1
    assert result.total_amount == Decimal("5.15") and result.rows_sum == Decimal("5.15")
    assert result.reconciled is True
    assert "Ship to City" in result.ignored_columns
    assert [(u.transaction_type, u.amount_description) for u in result.unmapped] == [
        ("Adjustment", "Misc Invoices")
    ]
    rows = lx.db.query(
        "SELECT line, settlement_id, order_id, order_item_id, sku, quantity, event, category, "
        "amount, business_date::VARCHAR FROM ledger ORDER BY line"
    )
    period = "walmart:walmart-com:2026-03-01..2026-03-14"
    expected = [
        # the trailer is line 2 and the summary line 3: neither is a ledger row
        (4, "1001", "MUG", 2, "order", "revenue.product", "40.0000"),
        (5, "1001", "MUG", None, "order", "tax.sales_collected", "3.2000"),
        (6, "1001", "MUG", None, "order", "tax.marketplace_withheld", "-3.2000"),
        (7, "1001", "MUG", None, "order", "platform_fees.referral", "-6.0000"),
        (8, "1001", "MUG", None, "other", "fulfillment.wfs", "-3.5000"),
        (9, "1001", "MUG", None, "other", "fulfillment.shipping_label", "-5.2500"),
        (10, "1000", "MUG", 1, "refund", "refunds.product", "-20.0000"),
        (11, "1000", "MUG", None, "refund", "platform_fees.referral", "3.0000"),
        (12, "1000", "MUG", None, "refund", "tax.sales_collected", "-1.6000"),
        (13, "1000", "MUG", None, "refund", "tax.marketplace_withheld", "1.6000"),
        (14, None, None, None, "other", "storage.monthly", "-2.1000"),
        (15, None, None, None, "other", "unmapped", "-1.0000"),
    ]
    assert rows == [
        (n, period, po, "1" if po else None, sku, qty, event, cat, Decimal(amount), "2026-03-05")
        for n, po, sku, qty, event, cat, amount in expected
    ]

    by_sku = {r["sku"]: r for r in lx.profit(by="sku").rows}
    mug = by_sku["MUG"]
    assert (mug["units"], mug["units_refunded"]) == (2, 1)
    assert mug["sales"] == Decimal("40.00") and mug["refunds"] == Decimal("-20.00")
    assert mug["platform_fees"] == Decimal("-3.00")
    assert mug["fulfillment"] == Decimal("-8.75")
    assert mug["net_profit"] == Decimal("8.25")
    assert by_sku[None]["net_profit"] == Decimal("-3.10")  # storage and the unmapped code
    # Sales tax is collected and withheld by Walmart: never profit, still reconciled.
    by_category = {r["category"]: r for r in lx.profit(by="category").rows}
    assert by_category["tax.sales_collected"]["kind"] == "pass_through"
    assert sum(r["net_profit"] for r in by_sku.values()) == result.total_amount


def test_reimport_unchanged_and_period_replaced(lx: Lianxing, tmp_path: Path) -> None:
    first = lx.import_file(write_recon(tmp_path / "a.csv"))
    before = ledger_fingerprint(lx)
    again = lx.import_file(tmp_path / "a.csv")
    assert again.status == "unchanged" and again.source_id == first.source_id
    assert ledger_fingerprint(lx) == before

    # The same period downloaded again later, with one more fee: it replaces the first.
    extra = line(
        "Service Fee", "WFS Fee/Reimbursement", "-0.85", description="WFS StorageFee", key="K2"
    )
    second = lx.import_file(write_recon(tmp_path / "b.csv", [summary("4.30"), *ROWS[1:], extra]))
    assert second.status == "replaced" and second.reconciled is True
    assert second.replaced_rows == len(ROWS) - 1
    assert lx.db.query("SELECT count(*), sum(amount) FROM ledger") == [
        (len(ROWS), Decimal("4.3000"))
    ]
    # The older file again is left alone: the correction stands.
    assert lx.import_file(tmp_path / "a.csv").status == "unchanged"
    assert lx.db.query("SELECT sum(amount) FROM ledger") == [(Decimal("4.3000"),)]

    # A cut-short copy that does not reconcile never replaces one that does.
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(write_recon(tmp_path / "c.csv", [summary("4.30"), *ROWS[1:5]]))
    assert caught.value.key == "import.worse_replacement"
    assert ledger_fingerprint(lx) == before

    # Another period is another settlement.
    other = lx.import_file(
        write_recon(tmp_path / "d.csv", [summary("5.15", "03/15/2026", "03/28/2026"), *ROWS[1:]])
    )
    assert other.status == "imported" and other.replaced_rows == 0


def test_not_reconciled_is_imported_and_flagged(lx: Lianxing, tmp_path: Path) -> None:
    result = lx.import_file(write_recon(tmp_path / "r.csv", [summary("9.99"), *ROWS[1:]]))
    assert result.reconciled is False and result.difference == Decimal("-4.84")
    source = lx.sources()[0]
    assert source["reconciled"] is False


def test_new_mappings_remap_the_same_file(lx: Lianxing, tmp_path: Path) -> None:
    path = write_recon(tmp_path / "r.csv")
    lx.import_file(path)
    lx.workspace.config_path.write_text(
        lx.workspace.config_path.read_text("utf-8")
        + '\n[[mappings]]\nplatform = "walmart"\namount_description = "Misc Invoices"\n'
        'category = "platform_fees.other"\n',
        "utf-8",
    )
    lx.close()
    with Lianxing.open(lx.workspace.root) as reopened:
        result = reopened.import_file(path)
        assert result.status == "remapped" and result.unmapped == []
        assert reopened.db.query("SELECT count(*) FROM ledger WHERE category = 'unmapped'") == [
            (0,)
        ]


def test_file_without_trailer_and_crlf(lx: Lianxing, tmp_path: Path) -> None:
    path = write_recon(tmp_path / "r.csv", trailer=False)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = lx.import_file(path)
    assert result.reconciled is True and result.written == len(ROWS) - 1
    assert lx.db.query("SELECT min(line) FROM ledger") == [(3,)]


def test_windows_1252_with_mixed_line_ends_keeps_line_numbers(lx: Lianxing, tmp_path: Path) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1]["Partner Item Name"] = "Tasse café"
    raw = write_recon(tmp_path / "r.csv", rows).read_text("utf-8").encode("cp1252")
    lines = raw.split(b"\n")
    path = tmp_path / "r.csv"
    path.write_bytes(b"\r\n".join(lines[:5]) + b"\r\n" + b"\n".join(lines[5:]))
    result = lx.import_file(path)
    assert result.reconciled is True
    assert lx.db.query("SELECT min(line), max(line) FROM ledger") == [(4, 15)]
    assert not any((lx.workspace.root / ".lianxing-tmp").glob("*"))  # copies removed


@pytest.mark.parametrize(
    ("rows", "key", "where"),
    [
        # malformed amount and date, named by line and column (line 2 is the trailer)
        (
            [summary("5.15"), line("Sale", "Product Price", "4O.00", po="1", sku="A", qty="1")],
            "value.amount",
            (4, "Amount"),
        ),
        (
            [summary("5.15"), line("Sale", "Product Price", "1.00", po="1", when="13/45/2026")],
            "value.date",
            (4, "Transaction Posted Timestamp"),
        ),
        (
            [summary("5.15"), line("Sale", "Product Price", "1.00", po="1", qty="x")],
            "value.quantity",
            (4, "Ship Qty"),
        ),
        ([line("Sale", "Product Price", "1.00", po="1")], "walmart.no_summary", (None, None)),
        (
            [summary("1.00"), summary("2.00"), line("Sale", "Product Price", "1.00", po="1")],
            "walmart.several_periods",
            (4, "Total Payable"),
        ),
        (
            [summary("1.00"), line("Sale", "Product Price", "1.00", po="1", when="")],
            "value.required",
            (4, "Transaction Posted Timestamp"),
        ),
        (
            [summary("1.00"), {**line("Sale", "Product Price", "1.00", po="1"), "Currency": "CAD"}],
            "store.currency_mismatch",
            (4, "Currency"),
        ),
        ([summary("1.00"), ROWS[1], ROWS[1]], "file.duplicate_row", (5, None)),
        ([], "file.no_rows", (None, None)),
    ],
)
def test_bad_input_is_named_and_nothing_written(
    lx: Lianxing,
    tmp_path: Path,
    rows: list[dict[str, str]],
    key: str,
    where: tuple[int | None, str | None],
) -> None:
    lx.import_file(write_recon(tmp_path / "good.csv"))
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(write_recon(tmp_path / "bad.csv", rows))
    assert caught.value.key == key
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == where
    assert ledger_fingerprint(lx) == before


def test_wrong_kind_and_missing_columns(lx: Lianxing, tmp_path: Path) -> None:
    from lianxing.ingest import walmart_recon

    other = write_table(
        tmp_path / "o.csv", ["sku", "amount"], [{"sku": "A", "amount": "1"}], delimiter=","
    )
    with pytest.raises(InputError) as caught:
        walmart_recon.import_recon(lx.db, lx.workspace, other)
    assert caught.value.key == "report.wrong_kind"
    header = [h for h in HEADER if h != "Transaction Description"]
    with pytest.raises(InputError) as caught:
        lx.import_file(write_recon(tmp_path / "m.csv", header=header))
    assert caught.value.key == "report.columns_missing"
    assert "transaction description" in str(caught.value).lower()
    assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]
    assert lx.workspace.config.stores == []


def test_cli_import_prints_kind_and_reconciliation(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    imported = run_cli(["-w", str(ws), "import", str(write_recon(tmp_path / "r.csv"))])
    assert imported.exit_code == 0, imported.stderr
    assert "walmart_recon" in imported.stdout and "5.15" in imported.stdout
    assert "Misc Invoices" in imported.stdout + imported.stderr
    bad = write_recon(
        tmp_path / "bad.csv", [summary("1.00"), line("Sale", "Product Price", "x", po="1")]
    )
    failed = run_cli(["-w", str(ws), "import", str(bad)])
    assert failed.exit_code == 2 and "bad.csv" in failed.stderr


def workspace_copy(tmp_path: Path, seeded: bool) -> Path:
    """A fresh workspace, empty or holding the base file: copied from a template made
    once per test (much faster than creating and importing for every example)."""
    template = tmp_path / ("seeded" if seeded else "empty")
    if not template.exists():
        with Lianxing.init(template) as lx:
            if seeded:
                lx.import_file(write_recon(tmp_path / "base.csv"))
    copy = Path(tempfile.mkdtemp(dir=tmp_path)) / "ws"
    shutil.copytree(template, copy)
    return copy


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_reports_never_crash_or_half_write(tmp_path: Path, data: st.DataObject) -> None:
    text = write_recon(tmp_path / "base.csv").read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from(
            [b",", b'"', b"\n", b"\r", b"-", b"9999999999999", b"/", b"PaymentSummary"]
        )
    )
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = tmp_path / "fuzz.csv"
    target.write_bytes(mutated)
    # Into an empty workspace, or over the base file (a replacement must fail cleanly too).
    with Lianxing.open(workspace_copy(tmp_path, data.draw(st.booleans()))) as lx:
        before = ledger_fingerprint(lx)
        try:
            lx.import_file(target)
        except InputError:
            assert ledger_fingerprint(lx) == before
