"""Shopify orders export and Shopify Payments transactions export: sales from the one,
fees from the other, each dollar once however the files overlap or arrive."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, write_table
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import shopify_orders
from lianxing.ingest.tabular import ImportOptions

# The orders export's header as Shopify writes it (report-formats.md and exports seen
# in public code); buyer columns included on purpose.
ORDERS = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total",
    "Discount Code", "Discount Amount", "Shipping Method", "Created at",
    "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
    "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing Address1",
    "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name",
    "Shipping Street", "Shipping Address1", "Shipping Address2", "Shipping Company",
    "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country",
    "Shipping Phone", "Notes", "Note Attributes", "Cancelled at", "Payment Method",
    "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
    "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount",
    "Tax 1 Name", "Tax 1 Value", "Phone", "Receipt Number", "Duties",
    "Billing Province Name", "Shipping Province Name", "Payment ID",
    "Payment Terms Name", "Next Payment Due At", "Payment References",
]  # fmt: skip
# Finance → Payouts → Export transactions.
PAYMENTS = [
    "Transaction Date", "Type", "Order", "Card Brand", "Card Source", "Payout Status",
    "Payout Date", "Payout ID", "Available On", "Amount", "Fee", "Net", "Checkout",
    "Payment Method Name", "Presentment Amount", "Presentment Currency", "Currency",
]  # fmt: skip

EMAIL = "jane.buyer@example.com"
STREET = "17 Quietwater Lane"


def order(
    name: str,
    lines: list[tuple[str, str, str, str]],
    *,
    status: str = "paid",
    shipping: str = "0.00",
    taxes: str = "0.00",
    total: str,
    discount: str = "0.00",
    refunded: str = "0.00",
    created: str = "2026-03-02 10:00:00 -0800",
    cancelled: str = "",
    currency: str = "USD",
) -> list[dict[str, str]]:
    """An order as the export writes it: totals on the first row, one row per line.

    Each line is (sku, quantity, unit price, line discount).
    """
    rows = []
    for n, (sku, qty, price, line_discount) in enumerate(lines):
        row = {
            "Name": name,
            "Email": EMAIL,
            "Lineitem quantity": qty,
            "Lineitem name": f"Product {sku}",
            "Lineitem price": price,
            "Lineitem sku": sku,
            "Lineitem discount": line_discount,
            "Lineitem requires shipping": "true",
        }
        if n == 0:
            row |= {
                "Financial Status": status,
                "Paid at": created if status != "voided" else "",
                "Currency": currency,
                "Shipping": shipping,
                "Taxes": taxes,
                "Total": total,
                "Discount Amount": discount,
                "Created at": created,
                "Cancelled at": cancelled,
                "Refunded Amount": refunded,
                "Billing Name": "Jane Buyer",
                "Billing Street": STREET,
                "Billing City": "Springfield",
                "Billing Zip": "97477",
                "Billing Phone": "+1 555 0100",
                "Shipping Name": "Jane Buyer",
                "Shipping Street": STREET,
                "Notes": "leave at the back door",
                "Id": "5550" + name[1:],
            }
        rows.append(row)
    return rows


# 1001: two lines, a line discount of 4.00 and 2.00 more on the order, shipping, tax.
O1001 = order(
    "#1001",
    [("MUG", "2", "20.00", "4.00"), ("CUP", "1", "10.00", "0.00")],
    shipping="5.00",
    taxes="3.52",
    total="52.52",
    discount="6.00",
)
# 1002: refunded in full (no cancellation): every part reversed on the order date.
O1002 = order(
    "#1002",
    [("MUG", "1", "20.00", "0.00")],
    status="refunded",
    taxes="1.60",
    total="21.60",
    refunded="21.60",
    created="2026-03-03 09:00:00 -0800",
)
# 1003: cancelled before payment: no money, no rows.
O1003 = order(
    "#1003",
    [("MUG", "1", "20.00", "0.00")],
    status="voided",
    total="20.00",
    created="2026-03-04 09:00:00 -0800",
    cancelled="2026-03-04 11:00:00 -0800",
)
# 1004: paid, then cancelled and refunded in April: the refund is dated by Cancelled at.
O1004 = order(
    "#1004",
    [("CUP", "1", "10.00", "0.00")],
    status="refunded",
    shipping="2.00",
    total="12.00",
    refunded="12.00",
    created="2026-03-05 09:00:00 -0800",
    cancelled="2026-04-01 10:00:00 -0700",
)
# 1005: a partial refund the export does not split.
O1005_PAID = order(
    "#1005",
    [("CUP", "2", "10.00", "0.00")],
    total="20.00",
    created="2026-03-06 09:00:00 -0800",
)
O1005 = order(
    "#1005",
    [("CUP", "2", "10.00", "0.00")],
    status="partially_refunded",
    total="20.00",
    refunded="5.00",
    created="2026-03-06 09:00:00 -0800",
)
ALL_ORDERS = [*O1001, *O1002, *O1003, *O1004, *O1005]


def tx(
    when: str,
    kind: str,
    order_name: str,
    amount: str,
    fee: str,
    *,
    payout: str = "90001",
    currency: str = "USD",
) -> dict[str, str]:
    net = Decimal(amount) - Decimal(fee)
    return {
        "Transaction Date": when,
        "Type": kind,
        "Order": order_name,
        "Card Brand": "visa" if order_name else "",
        "Card Source": "online" if order_name else "",
        "Payout Status": "paid" if payout else "pending",
        "Payout Date": "2026-03-10" if payout else "",
        "Payout ID": payout,
        "Available On": "2026-03-10",
        "Amount": amount,
        "Fee": fee,
        "Net": str(net),
        "Checkout": "#4400" + order_name[1:] if order_name else "",
        "Payment Method Name": "card" if order_name else "",
        "Presentment Amount": amount,
        "Presentment Currency": currency,
        "Currency": currency,
    }


T1 = tx("2026-03-02 10:00:05 -0800", "charge", "#1001", "52.52", "1.82")
T2 = tx("2026-03-03 09:00:05 -0800", "charge", "#1002", "21.60", "0.93")
T3 = tx("2026-03-03 12:00:00 -0800", "refund", "#1002", "-21.60", "0.00")
T4 = tx("2026-03-05 09:00:05 -0800", "charge", "#1004", "12.00", "0.65")
T5 = tx("2026-04-01 10:00:05 -0700", "refund", "#1004", "-12.00", "0.00")
T6 = tx("2026-03-06 09:00:05 -0800", "charge", "#1005", "20.00", "0.88")
T7 = tx("2026-03-07 09:00:00 -0800", "refund", "#1005", "-5.00", "0.00")
T8 = tx("2026-04-02 08:00:00 -0700", "payout", "", "-63.24", "0.00")
ALL_TX = [T1, T2, T3, T4, T5, T6, T7, T8]

FEES = Decimal("-4.28")  # 1.82 + 0.93 + 0.65 + 0.88
# sales 50 + 20 + 10 + 20; shipping 5 + 2; promotions -6; refunds -20 -12 -5; fees
NET_PROFIT = Decimal("100") + 7 - 6 - 37 + FEES


def write_orders(path: Path, rows: list[dict[str, str]], header: list[str] = ORDERS) -> Path:
    return write_table(path, header, rows, delimiter=",")


def write_payments(path: Path, rows: list[dict[str, str]]) -> Path:
    return write_table(path, PAYMENTS, rows, delimiter=",")


def store_totals(lx: Lianxing) -> tuple[object, ...]:
    row = lx.profit(by="store").rows[0]
    return tuple(
        row[k]
        for k in (
            "units",
            "units_refunded",
            "orders",
            "sales",
            "other_revenue",
            "promotions",
            "refunds",
            "payment_processing",
            "net_profit",
        )
    )


EXPECTED_TOTALS = (
    7,
    2,
    4,
    Decimal("100.00"),
    Decimal("7.00"),
    Decimal("-6.00"),
    Decimal("-37.00"),
    FEES,
    NET_PROFIT,
)


def test_orders_export_rows(lx: Lianxing, tmp_path: Path) -> None:
    result = lx.import_file(write_orders(tmp_path / "orders_export.csv", ALL_ORDERS))
    assert (result.kind, result.status, result.store_id) == (
        "shopify_orders",
        "imported",
        "shopify",
    )
    assert result.new_store is not None and result.new_store.currency == "USD"
    notes = dict(result.notes)
    assert notes["shopify.orders_left_out"] == {"count": 1}
    assert notes["shopify.partial_refunds"] == {"count": 1}
    assert "shopify.total_mismatch" not in notes
    # Buyer columns are counted, not named; other unused columns are listed.
    assert notes["shopify.personal_columns"] == {"count": 28}
    assert "Email" not in result.ignored_columns and "Billing Street" not in result.ignored_columns
    assert "Shipping Method" in result.ignored_columns
    rows = lx.db.query(
        """SELECT order_id, event, category, sku, quantity, amount::VARCHAR,
                  business_date::VARCHAR
           FROM ledger ORDER BY order_id, event, line, cell"""
    )
    assert rows == [
        ("#1001", "order", "revenue.product", "MUG", 2, "40.0000", "2026-03-02"),
        ("#1001", "order", "revenue.promotion", "MUG", None, "-4.0000", "2026-03-02"),
        ("#1001", "order", "revenue.promotion", None, None, "-2.0000", "2026-03-02"),
        ("#1001", "order", "revenue.shipping", None, None, "5.0000", "2026-03-02"),
        ("#1001", "order", "tax.sales_collected", None, None, "3.5200", "2026-03-02"),
        ("#1001", "order", "revenue.product", "CUP", 1, "10.0000", "2026-03-02"),
        ("#1002", "order", "revenue.product", "MUG", 1, "20.0000", "2026-03-03"),
        ("#1002", "order", "tax.sales_collected", None, None, "1.6000", "2026-03-03"),
        ("#1002", "refund", "refunds.product", "MUG", 1, "-20.0000", "2026-03-03"),
        ("#1002", "refund", "tax.sales_collected", None, None, "-1.6000", "2026-03-03"),
        ("#1004", "order", "revenue.product", "CUP", 1, "10.0000", "2026-03-05"),
        ("#1004", "order", "revenue.shipping", None, None, "2.0000", "2026-03-05"),
        ("#1004", "refund", "refunds.product", "CUP", 1, "-10.0000", "2026-04-01"),
        ("#1004", "refund", "refunds.shipping", None, None, "-2.0000", "2026-04-01"),
        ("#1005", "order", "revenue.product", "CUP", 2, "20.0000", "2026-03-06"),
        ("#1005", "refund", "refunds.product", None, None, "-5.0000", "2026-03-06"),
    ]
    assert lx.db.query("SELECT DISTINCT basis FROM ledger") == [("settled",)]
    # The sale rows of each order add up to what its Total says.
    sales = lx.db.query(
        "SELECT order_id, sum(amount) FROM ledger WHERE event = 'order' GROUP BY 1 ORDER BY 1"
    )
    assert sales == [
        ("#1001", Decimal("52.52")),
        ("#1002", Decimal("21.60")),
        ("#1004", Decimal("12.00")),
        ("#1005", Decimal("20.00")),
    ]
    by_month = {r["month"]: r["refunds"] for r in lx.profit(by="month").rows}
    assert [str(k)[:7] for k in by_month] == ["2026-03", "2026-04"]
    assert list(by_month.values()) == [Decimal("-25.00"), Decimal("-12.00")]


def test_payments_export_counts_fees_only(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_orders(tmp_path / "orders.csv", ALL_ORDERS))
    result = lx.import_file(write_payments(tmp_path / "payment_transactions.csv", ALL_TX))
    assert (result.kind, result.store_id, result.new_store) == ("shopify_payments", "shopify", None)
    assert result.unmapped == []
    assert "Card Brand" in result.ignored_columns
    rows = lx.db.query(
        """SELECT l.order_id, l.event, l.category, l.amount::VARCHAR, l.settlement_id,
                  l.business_date::VARCHAR
           FROM ledger l JOIN sources s USING (source_id)
           WHERE s.kind = 'shopify_payments' ORDER BY l.line, l.cell"""
    )
    assert rows == [
        ("#1001", "order", "payment_processing.shopify_payments", "-1.8200", "90001", "2026-03-02"),
        ("#1002", "order", "payment_processing.shopify_payments", "-0.9300", "90001", "2026-03-03"),
        ("#1004", "order", "payment_processing.shopify_payments", "-0.6500", "90001", "2026-03-05"),
        ("#1005", "order", "payment_processing.shopify_payments", "-0.8800", "90001", "2026-03-06"),
        (None, "other", "transfers.payout", "-63.2400", "90001", "2026-04-02"),
    ]
    assert store_totals(lx) == EXPECTED_TOTALS
    categories = {r["category"]: r for r in lx.profit(by="category").rows}
    assert categories["transfers.payout"]["kind"] == "balance"
    assert categories["tax.sales_collected"]["amount"] == Decimal("3.52")


def test_either_import_order_and_overlaps_count_once(tmp_path: Path) -> None:
    files = {
        # 1005 still unrefunded here; the later export shows its partial refund.
        "orders-a": write_orders(tmp_path / "orders-a.csv", [*O1001, *O1002, *O1003, *O1005_PAID]),
        "orders-b": write_orders(tmp_path / "orders-b.csv", [*O1002, *O1003, *O1004, *O1005]),
        # Exported before the payout: the same charges without a payout ID.
        "payments-a": write_payments(
            tmp_path / "payments-a.csv",
            [
                tx(t["Transaction Date"], t["Type"], t["Order"], t["Amount"], t["Fee"], payout="")
                for t in (T1, T2, T3, T4)
            ],
        ),
        "payments-b": write_payments(tmp_path / "payments-b.csv", ALL_TX),
    }
    totals = set()
    payout_ids = set()
    sequences = [
        ("orders-a", "orders-b", "payments-a", "payments-b"),
        ("payments-b", "payments-a", "orders-b", "orders-a"),
        ("payments-a", "orders-a", "payments-b", "orders-b"),
    ]
    for n, sequence in enumerate(sequences):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for name in sequence:
                lx.import_file(files[name])
            totals.add(store_totals(lx))
            payout_ids.add(
                tuple(
                    lx.db.query(
                        "SELECT count(*), count(settlement_id) FROM ledger "
                        "WHERE category = 'payment_processing.shopify_payments'"
                    )
                )
            )
            # Re-importing any file changes nothing.
            before = ledger_fingerprint(lx)
            for name in sequence:
                assert lx.import_file(files[name]).status == "unchanged"
            assert ledger_fingerprint(lx) == before
    assert totals == {EXPECTED_TOTALS}
    assert payout_ids == {((4, 4),)}  # the version with the payout ID stands


def test_the_two_full_files_in_both_orders(tmp_path: Path) -> None:
    orders = write_orders(tmp_path / "o.csv", ALL_ORDERS)
    payments = write_payments(tmp_path / "p.csv", ALL_TX)
    for n, sequence in enumerate(permutations([orders, payments])):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for path in sequence:
                lx.import_file(path)
            assert store_totals(lx) == EXPECTED_TOTALS


def test_newer_order_version_stands_whichever_file_comes_last(tmp_path: Path) -> None:
    older = write_orders(tmp_path / "a.csv", O1005_PAID)
    newer = write_orders(tmp_path / "b.csv", O1005)
    # A cancellation moves the order's version forward in time.
    cancelled = order(
        "#1005",
        [("CUP", "2", "10.00", "0.00")],
        status="refunded",
        total="20.00",
        refunded="20.00",
        created="2026-03-06 09:00:00 -0800",
        cancelled="2026-03-09 09:00:00 -0800",
    )
    latest = write_orders(tmp_path / "c.csv", cancelled)
    results = set()
    # The newest file last, first, in the middle.
    sequences = [(older, newer, latest), (latest, older, newer), (newer, latest, older)]
    for n, sequence in enumerate(sequences):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            replaced = [lx.import_file(p) for p in sequence]
            results.add(
                tuple(lx.db.query("SELECT category, sum(amount) FROM ledger GROUP BY 1 ORDER BY 1"))
            )
            if sequence[-1] != latest:
                assert ("shopify.older_orders", {"count": 1}) in replaced[-1].notes
    assert results == {
        (("refunds.product", Decimal("-20.0000")), ("revenue.product", Decimal("20.0000")))
    }


def test_taxes_included_in_prices(lx: Lianxing, tmp_path: Path) -> None:
    rows = order(
        "#2001", [("MUG", "1", "119.00", "0.00")], taxes="19.00", total="119.00", currency="USD"
    )
    lx.import_file(write_orders(tmp_path / "o.csv", rows))
    by_cat = dict(lx.db.query("SELECT category, sum(amount) FROM ledger GROUP BY 1"))
    assert by_cat == {"revenue.product": Decimal("100.0000"), "tax.sales_collected": Decimal("19")}
    assert lx.profit(by="store").rows[0]["sales"] == Decimal("100.00")


def test_total_mismatch_is_reported(lx: Lianxing, tmp_path: Path) -> None:
    # A tip the export does not itemise: lines add up to 20, Total says 23.
    rows = order("#3001", [("MUG", "1", "20.00", "0.00")], total="23.00")
    result = lx.import_file(write_orders(tmp_path / "o.csv", rows))
    assert ("shopify.total_mismatch", {"count": 1, "order": "#3001"}) in result.notes


def test_buyer_data_never_stored(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_orders(tmp_path / "orders.csv", ALL_ORDERS))
    lx.import_file(write_payments(tmp_path / "payments.csv", ALL_TX))
    con = lx.db.con
    columns = con.execute(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'main' AND data_type = 'VARCHAR'"""
    ).fetchall()
    assert {t for t, _ in columns} >= {"ledger", "sources"}
    for needle in ("jane", "quietwater", "springfield", "97477", "555 0100", "back door"):
        for table, column in columns:
            hits = con.execute(
                f'SELECT count(*) FROM "{table}" WHERE lower("{column}") LIKE ?',
                [f"%{needle}%"],
            ).fetchone()
            assert hits == (0,), f"{needle!r} found in {table}.{column}"


def test_store_currency(tmp_path: Path) -> None:
    cad = order("#1", [("MUG", "1", "20.00", "0.00")], total="20.00", currency="CAD")
    with Lianxing.init(tmp_path / "ws1") as lx:
        result = lx.import_file(write_orders(tmp_path / "cad.csv", cad))
        assert result.new_store is not None and result.new_store.currency == "CAD"
        assert lx.db.query("SELECT DISTINCT currency FROM ledger") == [("CAD",)]
    usd = order("#2", [("MUG", "1", "20.00", "0.00")], total="20.00")
    with Lianxing.init(tmp_path / "ws2") as lx:
        lx.import_file(write_orders(tmp_path / "usd.csv", usd))
        before = ledger_fingerprint(lx)
        eur = [tx("2026-03-02 10:00:05 -0800", "charge", "#2", "20.00", "0.88", currency="EUR")]
        with pytest.raises(InputError) as caught:
            lx.import_file(write_payments(tmp_path / "eur.csv", eur), store_id="shopify")
        assert caught.value.key == "shopify.currency_mismatch"
        assert caught.value.problems[0].line == 2
        assert ledger_fingerprint(lx) == before


def test_bad_inputs_write_nothing(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_orders(tmp_path / "good.csv", O1001))
    before = ledger_fingerprint(lx)

    def refused(path: Path) -> InputError:
        with pytest.raises(InputError) as caught:
            lx.import_file(path)
        assert ledger_fingerprint(lx) == before
        return caught.value

    # Malformed numbers and dates, named by line and column.
    bad = order("#9", [("MUG", "x", "20.00", "0.00")], total="2O.00", created="yesterday")
    error = refused(write_orders(tmp_path / "bad.csv", bad))
    assert {(p.line, p.column, p.key) for p in error.problems} == {
        (2, "Lineitem quantity", "value.quantity"),
        (2, "Total", "value.amount"),
        (2, "Created at", "value.date"),
        (2, "Paid at", "value.date"),
    }
    negative = order("#9", [("MUG", "-1", "20.00", "0.00")], total="20.00")
    assert refused(write_orders(tmp_path / "neg.csv", negative)).key == "value.quantity"
    # A required column missing.
    no_refunds = [h for h in ORDERS if h != "Refunded Amount"]
    error = refused(write_orders(tmp_path / "cols.csv", O1001, header=no_refunds))
    assert error.key == "report.columns_missing" and "refunded amount" in str(error).lower()
    # An order's totals twice (two exports pasted); lines without totals. (A repeated
    # line row is data since issue 13: tests/test_real_repeats.py.)
    pasted = [*O1002, *O1001, *order("#1002", [("CUP", "1", "5.00", "0")], total="5.00")]
    error = refused(write_orders(tmp_path / "twice.csv", pasted))
    assert (error.key, error.problems[0].line, error.problems[0].params["first"]) == (
        "shopify.order_twice",
        5,
        2,
    )
    orphan = [*O1001, {"Name": "#77", "Lineitem quantity": "1", "Lineitem price": "1.00"}]
    assert refused(write_orders(tmp_path / "orphan.csv", orphan)).key == (
        "shopify.order_no_summary"
    )
    # Header only.
    assert refused(write_orders(tmp_path / "empty.csv", [])).key == "file.no_rows"
    # Not an orders export at all.
    payments = write_payments(tmp_path / "p.csv", ALL_TX)
    with pytest.raises(InputError) as caught:
        shopify_orders.import_orders(
            lx.db, lx.workspace, payments, options=ImportOptions(store_id="shopify")
        )
    assert caught.value.key == "report.wrong_kind"
    # A payments export with a broken amount.
    broken = [T1, {**T2, "Fee": "0,9,3"}]
    error = refused(write_payments(tmp_path / "pbad.csv", broken))
    assert (error.key, error.problems[0].line, error.problems[0].column) == (
        "value.amount",
        3,
        "Fee",
    )
    assert ledger_fingerprint(lx) == before


def test_unknown_transaction_types_are_reported(lx: Lianxing, tmp_path: Path) -> None:
    rows = [T1, tx("2026-03-09 08:00:00 -0800", "adjustment", "", "-3.00", "0.00")]
    result = lx.import_file(write_payments(tmp_path / "p.csv", rows))
    assert [u.transaction_type for u in result.unmapped] == ["adjustment"]
    assert lx.db.query("SELECT category, amount FROM ledger WHERE amount_type = 'Amount'") == [
        ("unmapped", Decimal("-3.0000"))
    ]


def test_cli_imports_both_exports(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    folder = tmp_path / "downloads"
    folder.mkdir()
    write_orders(folder / "orders_export_1.csv", ALL_ORDERS)
    write_payments(folder / "payment_transactions_export_1.csv", ALL_TX)
    done = run_cli(["-w", str(ws), "import", str(folder)])
    assert done.exit_code == 0, done.stderr
    assert "shopify_orders" in done.stdout and "shopify_payments" in done.stdout
    assert "Email" not in done.stdout and "Billing" not in done.stdout
    shown = run_cli(["-w", str(ws), "profit", "--by", "store", "--format", "json"])
    assert f'"net_profit": "{NET_PROFIT}"' in shown.stdout


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_exports_never_crash_or_half_write(tmp_path: Path, data: st.DataObject) -> None:
    base = data.draw(
        st.sampled_from(
            [
                write_orders(tmp_path / "o.csv", [*O1001, *O1002, *O1004]),
                write_payments(tmp_path / "p.csv", [T1, T3, T8]),
            ]
        )
    )
    text = base.read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from([b",", b'"', b"\n", b"\r", b"-", b"99999999999999", b"#1001"])
    )
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = tmp_path / "fuzz.csv"
    target.write_bytes(mutated)
    ws = Path(tempfile.mkdtemp(dir=tmp_path)) / "ws"
    with Lianxing.init(ws) as lx:
        before = ledger_fingerprint(lx)
        try:
            lx.import_file(target, store_id="shopify")
        except InputError:
            assert ledger_fingerprint(lx) == before
