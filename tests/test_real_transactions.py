"""Amazon's Date Range transaction report (…CustomTransaction.csv): its US, UK and German
layouts import to the numbers the file adds up to, a row whose total is not its sum is
refused, and a settlement is counted once whether its flat file, the report or both
were imported, in any order."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, run_cli, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.demo_transactions import HEADER, PREAMBLE
from lianxing.errors import InputError
from lianxing.ingest import registry

# The US layout as the demo writes it; the UK and German ones written out here (all
# from Seller Central downloads, shapes only).
US_PREAMBLE = list(PREAMBLE)
US_HEADER = list(HEADER)
UK_PREAMBLE = [
    "Includes Amazon Marketplace, Fulfilment by Amazon (FBA), and Amazon Webstore transactions",
    "All amounts in GBP, unless specified",
    "Definitions:",
]
UK_HEADER = [
    "date/time", "settlement id", "type", "order id", "sku", "description", "quantity",
    "marketplace", "fulfilment", "order city", "order state", "order postal",
    "tax collection model", "product sales", "product sales tax", "postage credits",
    "shipping credits tax", "gift wrap credits", "giftwrap credits tax",
    "promotional rebates", "promotional rebates tax", "marketplace withheld tax",
    "selling fees", "fba fees", "other transaction fees", "other", "total",
]  # fmt: skip
DE_PREAMBLE = [
    "Enthält Transaktionen von Amazon Marketplace, Versand durch Amazon (FBA) und Amazon Webstore",
    "Alle Beträge in EUR, sofern nicht anders angegeben",
]
DE_HEADER = [
    "Datum/Uhrzeit", "Abrechnungsnummer", "Typ", "Bestellnummer", "SKU", "Beschreibung",
    "Menge", "Marketplace", "Versand", "Ort der Bestellung", "Bundesland", "Postleitzahl",
    "Steuererhebungsmodell", "Umsätze", "Produktumsatzsteuer",
    "Gutschrift für Versandkosten", "Steuer auf Versandgutschrift",
    "Gutschrift für Geschenkverpackung", "Steuer auf Geschenkverpackungsgutschriften",
    "Rabatte aus Werbeaktionen", "Steuer auf Aktionsrabatte",
    "Einbehaltene Steuer auf Marketplace", "Verkaufsgebühren",
    "Gebühren zu Versand durch Amazon", "Andere Transaktionsgebühren", "Andere", "Gesamt",
]  # fmt: skip
# The money columns of each layout, English name → header.
US_MONEY = {h.lower(): h for h in US_HEADER[14:29]}
UK_MONEY = {h: h for h in UK_HEADER[13:26]}
DE_MONEY = dict(zip([h.lower() for h in UK_HEADER[13:26]], DE_HEADER[13:26], strict=True))
SETTLEMENT = "11111111111"


def money(text: str, comma_decimal: bool = False) -> Decimal:
    """An amount as the report writes it ('1,234.56'; German '1.234,56')."""
    if not text:
        return Decimal(0)
    if comma_decimal:
        return Decimal(text.replace(".", "").replace(",", "."))
    return Decimal(text.replace(",", ""))


def write_report(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] = US_HEADER,
    preamble: list[str] = US_PREAMBLE,
    encoding: str = "utf-8",
) -> Path:
    """Preamble, header, rows — every field quoted, as Seller Central writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for line in preamble:
        writer.writerow([line])
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def us_row(
    when: str,
    kind: str,
    total: str | None = None,
    *,
    settlement: str = SETTLEMENT,
    **amounts: str,
) -> dict[str, str]:
    """One US row; amounts by column (spaces as underscores); total = their sum."""
    row = {"date/time": when, "settlement id": settlement, "type": kind}
    for key, value in amounts.items():
        name = key.replace("_", " ")
        row[US_MONEY.get(name, name)] = value
    if total is None:
        total = str(sum((money(row.get(h, "")) for h in US_MONEY.values()), Decimal("0.00")))
    row["total"] = total
    return row


def us_rows() -> list[dict[str, str]]:
    order = {"order_id": "111-1", "sku": "MUG", "quantity": "2", "marketplace": "amazon.com",
             "fulfillment": "Amazon", "order_city": "SPRINGFIELD", "order_state": "IL",
             "order_postal": "62701", "tax_collection_model": "MarketplaceFacilitator"}  # fmt: skip
    return [
        us_row("Mar 2, 2026 7:00:00 AM PST", "Order", description="Mug", product_sales="1,040.00",
               product_sales_tax="83.20", marketplace_withheld_tax="-83.20",
               shipping_credits="4.99", promotional_rebates="-1.99", selling_fees="-156.00",
               fba_fees="-10.60", other_transaction_fees="0", other="0", **order),
        us_row("Mar 3, 2026 11:30:00 PM PST", "Order", description="Cup", product_sales="15.00",
               selling_fees="-2.25", fba_fees="-4.10", other="0",
               **{**order, "order_id": "111-2", "sku": "CUP", "quantity": "1"}),
        us_row("Mar 6, 2026 9:15:00 AM PST", "Refund", description="Mug", product_sales="-520.00",
               product_sales_tax="-41.60", marketplace_withheld_tax="41.60", selling_fees="62.40",
               fba_fees="0", other="0", **{**order, "quantity": "1"}),
        us_row("Mar 9, 2026 2:00:00 AM PST", "Service Fee", description="Cost of Advertising",
               other_transaction_fees="0", other="-30.00"),
        us_row("Mar 8, 2026 2:00:00 AM PST", "FBA Inventory Fee", description="FBA storage fee",
               other="-9.00"),
        us_row("Mar 12, 2026 2:00:00 AM PDT", "Transfer",
               description="To account ending in: 123", other="-300.00"),
    ]  # fmt: skip


def independent(rows: list[dict[str, str]], money_columns: dict[str, str], comma: bool = False,
                ) -> dict[str, Decimal]:  # fmt: skip
    """What the file says, added up here without Lianxing: sums by kind of money."""
    kinds = {
        "sales": ["product sales", "shipping credits", "postage credits", "gift wrap credits",
                  "promotional rebates"],
        "fees": ["selling fees", "fba fees", "other transaction fees"],
        "tax": [c for c in money_columns if "tax" in c],
    }  # fmt: skip
    out = {k: Decimal(0) for k in (*kinds, "total", "other")}
    for row in rows:
        out["total"] += money(row.get(money_columns.get("total", "total"), ""), comma)
        for kind, columns in kinds.items():
            for c in columns:
                if c in money_columns:
                    out[kind] += money(row.get(money_columns[c], ""), comma)
        out["other"] += money(row.get(money_columns["other"], ""), comma)
    return out


def ledger_sums(lx: Lianxing) -> dict[str, Decimal]:
    rows = lx.db.con.execute(
        """SELECT CASE WHEN amount_type IN ('product sales', 'shipping credits',
                         'gift wrap credits', 'promotional rebates') THEN 'sales'
                       WHEN amount_type IN ('selling fees', 'fba fees', 'other transaction fees')
                       THEN 'fees' WHEN contains(amount_type, 'tax') THEN 'tax'
                       ELSE amount_type END, sum(amount)
           FROM ledger GROUP BY ALL"""
    ).fetchall()
    sums = {k: Decimal(v) for k, v in rows}
    sums["total"] = sum(sums.values(), Decimal(0))
    return sums


def test_us_report_imports_to_the_sums_of_its_columns(lx: Lianxing, tmp_path: Path) -> None:
    rows = us_rows()
    result = lx.import_file(write_report(tmp_path / "CustomTransaction.csv", rows))
    assert result.kind == "amazon_date_range" and result.rows == len(rows)
    expected = independent(rows, {**US_MONEY, "total": "total"})
    got = ledger_sums(lx)
    for kind in ("sales", "fees", "tax", "other", "total"):
        assert got.get(kind, Decimal(0)) == expected[kind], kind
    # One row per non-zero money column: 7 + 3 + 4 + 1 + 1 + 1.
    assert result.written == 17 and result.notes == []
    # Units and refunded units from the quantity column; ad and storage charges by type.
    (by_store,) = lx.profit(by="store").rows
    assert (by_store["units"], by_store["units_refunded"]) == (3, 1)
    assert by_store["advertising"] == Decimal("-30.00")
    assert by_store["storage"] == Decimal("-9.00")


def test_each_ledger_row_names_its_physical_line(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_report(tmp_path / "r.csv", us_rows()))
    first_data_line = len(US_PREAMBLE) + 2
    lines = {r[0] for r in lx.db.con.execute("SELECT line FROM ledger").fetchall()}
    assert lines == set(range(first_data_line, first_data_line + len(us_rows())))
    cup = lx.db.con.execute(
        "SELECT DISTINCT line, order_id, quantity FROM ledger WHERE sku = 'CUP' AND quantity > 0"
    ).fetchall()
    assert cup == [(first_data_line + 1, "111-2", 1)]


def _import_layout(
    lx: Lianxing,
    tmp: Path,
    rows: list[dict[str, str]],
    header: list[str],
    preamble: list[str],
    encoding: str = "utf-8",
) -> tuple[Any, dict[str, Decimal]]:
    path = write_report(tmp / "r.csv", rows, header=header, preamble=preamble, encoding=encoding)
    return lx.import_file(path), ledger_sums(lx)


def test_uk_layout_with_postage_credits_and_vat(tmp_path: Path) -> None:
    rows = [
        {"date/time": "2 Mar 2026 07:00:00 UTC", "settlement id": SETTLEMENT, "type": "Order",
         "order id": "202-1", "sku": "MUG", "quantity": "1", "marketplace": "amazon.co.uk",
         "fulfilment": "Amazon", "product sales": "1,200.00", "product sales tax": "0",
         "postage credits": "3.99", "selling fees": "-180.00", "fba fees": "-3.20",
         "other transaction fees": "-3.99", "other": "0", "total": "1,016.80"},
        {"date/time": "9 Mar 2026 10:00:00 GMT", "settlement id": SETTLEMENT,
         "type": "Service Fee", "description": "Cost of Advertising", "other": "-12.00",
         "total": "-12.00"},
    ]  # fmt: skip
    with Lianxing.init(tmp_path / "ws", reporting_currency="GBP") as lx:
        result, got = _import_layout(lx, tmp_path, rows, UK_HEADER, UK_PREAMBLE)
        assert result.store_id == "amazon-co-uk" and result.currency == "GBP"
        expected = independent(rows, {**UK_MONEY, "total": "total"})
        assert got["total"] == expected["total"] == Decimal("1004.80")
        assert got["sales"] == expected["sales"] and got["fees"] == expected["fees"]
        day = lx.db.con.execute("SELECT min(business_date) FROM ledger").fetchone()
        assert str(day[0]) == "2026-03-02"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_german_layout_with_comma_decimals(tmp_path: Path, encoding: str) -> None:
    rows = [
        {"Datum/Uhrzeit": "02.03.2026 07:00:00 UTC", "Abrechnungsnummer": SETTLEMENT,
         "Typ": "Bestellung", "Bestellnummer": "302-1", "SKU": "MUG", "Beschreibung": "Becher",
         "Menge": "2", "Marketplace": "amazon.de", "Versand": "Amazon",
         "Umsätze": "1.234,56", "Produktumsatzsteuer": "0,00",
         "Verkaufsgebühren": "-185,18", "Gebühren zu Versand durch Amazon": "-6,40",
         "Andere": "0,00", "Gesamt": "1.042,98"},
        {"Datum/Uhrzeit": "05.03.2026 10:00:00 UTC", "Abrechnungsnummer": SETTLEMENT,
         "Typ": "Erstattung", "Bestellnummer": "302-1", "SKU": "MUG", "Beschreibung": "Becher",
         "Menge": "1", "Umsätze": "-617,28", "Verkaufsgebühren": "74,07", "Andere": "0,00",
         "Gesamt": "-543,21"},
        {"Datum/Uhrzeit": "09.03.2026 10:00:00 UTC", "Abrechnungsnummer": SETTLEMENT,
         "Typ": "Servicegebühr", "Beschreibung": "Werbekosten", "Andere": "-20,00",
         "Gesamt": "-20,00"},
    ]  # fmt: skip
    with Lianxing.init(tmp_path / "ws", reporting_currency="EUR") as lx:
        result, got = _import_layout(lx, tmp_path, rows, DE_HEADER, DE_PREAMBLE, encoding)
        assert result.store_id == "amazon-de"
        expected = independent(rows, {**DE_MONEY, "total": "Gesamt"}, comma=True)
        assert got["total"] == expected["total"] == Decimal("479.77")
        assert got["sales"] == expected["sales"] == Decimal("617.28")
        (row,) = lx.profit(by="store").rows
        assert (row["units"], row["units_refunded"], row["advertising"]) == (
            2, 1, Decimal("-20.00"),
        )  # fmt: skip
        assert row["sales"] == Decimal("1234.56") and row["refunds"] == Decimal("-617.28")


def test_a_row_whose_total_is_not_its_sum_is_refused(lx: Lianxing, tmp_path: Path) -> None:
    rows = us_rows()
    rows[2]["total"] = "-460.00"  # the parts add up to -457.60
    path = write_report(tmp_path / "bad.csv", rows)
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    (problem,) = caught.value.problems
    assert problem.key == "date_range.total_mismatch"
    assert (problem.file, problem.line, problem.column) == (str(path), len(US_PREAMBLE) + 4,
                                                            "total")  # fmt: skip
    assert problem.params["parts"] == "-457.60"
    assert ledger_fingerprint(lx) == before
    assert lx.db.con.execute("SELECT count(*) FROM date_range_rows").fetchone() == (0,)


def test_errors_name_the_physical_line_after_the_preamble(lx: Lianxing, tmp_path: Path) -> None:
    rows = us_rows()
    rows[4]["date/time"] = "Mar 45, 2026 2:00:00 AM PST"
    rows[1]["quantity"] = "two"
    path = write_report(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    found = [(p.key, p.line, p.column) for p in caught.value.problems]
    first = len(US_PREAMBLE) + 2
    assert found == [("value.quantity", first + 1, "quantity"),
                     ("value.date", first + 4, "date/time")]  # fmt: skip


def _settlement(tmp: Path, name: str = "settlement.txt") -> Path:
    """The flat file of the same settlement: the report's rows, as V2 codes."""
    items = [  # (type, order, sku, units, time, adjustment, [(amount type, code, amount)])
        ("Order", "111-1", "MUG", "2", "2026-03-02 15:00:00 UTC", "",
         [("ItemPrice", "Principal", "1040.00"), ("ItemFees", "Commission", "-156.00"),
          ("ItemFees", "FBAPerUnitFulfillmentFee", "-10.60")]),
        ("Order", "111-2", "CUP", "1", "2026-03-04 07:30:00 UTC", "",
         [("ItemPrice", "Principal", "15.00"), ("ItemFees", "Commission", "-2.25"),
          ("ItemFees", "FBAPerUnitFulfillmentFee", "-4.10")]),
        ("Refund", "111-1", "MUG", "1", "2026-03-06 17:15:00 UTC", "A1",
         [("ItemPrice", "Principal", "-520.00"), ("ItemFees", "Commission", "62.40")]),
    ]  # fmt: skip
    rows = [
        v2_row(kind, at, ad, amount, order=order, sku=sku, qty=qty, when=when, adjustment=adj)
        for kind, order, sku, qty, when, adj, amounts in items
        for at, ad, amount in amounts
    ]
    rows += [
        v2_row("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", "-30.00",
               when="2026-03-09 10:00:00 UTC"),
        v2_row("other-transaction", "other-transaction", "Storage Fee", "-9.00",
               when="2026-03-08 10:00:00 UTC"),
    ]  # fmt: skip
    return write_v2(tmp / name, rows, settlement_id=SETTLEMENT)


def _profit(lx: Lianxing) -> dict[str, tuple[Decimal, int]]:
    return {r["sku"]: (r["net_profit"], r["units"]) for r in lx.profit(by="sku").rows}


def test_counted_once_in_either_order_and_again_after_forget(tmp_path: Path) -> None:
    report = write_report(tmp_path / "CustomTransaction.csv", us_rows())
    settlement = _settlement(tmp_path)
    with Lianxing.init(tmp_path / "alone") as lx:
        lx.import_file(settlement, store_id="amazon-com")
        flat_only = _profit(lx)
    with Lianxing.init(tmp_path / "report") as lx:
        lx.import_file(report, store_id="amazon-com")
        report_only = _profit(lx)
    # The report has shipping, promotion and a transfer the flat file above lacks: the
    # two differ, so a double count or a dropped file would show.
    assert flat_only != report_only
    for n, order in enumerate([(report, settlement), (settlement, report)]):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            results = [lx.import_file(p, store_id="amazon-com") for p in order]
            assert _profit(lx) == flat_only
            by_kind = {r.kind if hasattr(r, "kind") else "settlement": r for r in results}
            settled_id = next(r.source_id for r in results if not hasattr(r, "kind"))
            report_id = by_kind["amazon_date_range"].source_id
            # The settlement forgotten, the report's rows count again.
            lx.forget_source(settled_id)
            assert _profit(lx) == report_only
            lx.import_file(settlement, store_id="amazon-com")
            assert _profit(lx) == flat_only
            lx.forget_source(report_id)
            assert _profit(lx) == flat_only


def test_the_report_says_whether_it_explains_the_settlement(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(_settlement(tmp_path), store_id="amazon-com")
    rows = us_rows()
    exact = [r for r in rows if r["type"] != "Transfer"]
    for r in exact:  # as the flat file above has them: no shipping nor promotion
        left_out = money(r.get("shipping credits", "")) + money(r.get("promotional rebates", ""))
        r.update({"shipping credits": "", "promotional rebates": "",
                  "total": str(money(r["total"]) - left_out)})  # fmt: skip
    result = lx.import_file(write_report(tmp_path / "exact.csv", exact))
    assert (
        "date_range.explains",
        {"settlement": SETTLEMENT, "total": "385.45", "currency": "USD"},
    ) in result.notes
    assert result.written == 0
    assert ("date_range.counted", {"counted": 0, "rows": 14}) in result.notes
    partial = lx.import_file(write_report(tmp_path / "partial.csv", us_rows()[:2]))
    keys = [k for k, _ in partial.notes]
    assert "date_range.differs" in keys
    # The other way round: the settlement arriving says the same.
    with Lianxing.init(tmp_path / "later") as later:
        later.import_file(tmp_path / "exact.csv", store_id="amazon-com")
        settled = later.import_file(_settlement(tmp_path, "again.txt"), store_id="amazon-com")
        assert [k for k, _ in settled.notes] == ["date_range.explains"]


def test_two_overlapping_reports_count_each_transaction_once(tmp_path: Path) -> None:
    rows = us_rows()
    twice = [*rows, rows[1]]  # the same cup twice in one file: two transactions
    first = write_report(tmp_path / "a.csv", twice[:3])  # the cup once
    second = write_report(tmp_path / "b.csv", twice[1:])  # the cup twice
    whole = write_report(tmp_path / "whole.csv", twice)
    with Lianxing.init(tmp_path / "whole") as lx:
        lx.import_file(whole, store_id="amazon-com")
        expected = _profit(lx)
    assert expected["CUP"][1] == 2
    for n, order in enumerate([(first, second), (second, first)]):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            ids = [lx.import_file(p, store_id="amazon-com").source_id for p in order]
            assert _profit(lx) == expected
            # Forgetting one, the other's copy of the shared rows counts.
            lx.forget_source(ids[0])
            with Lianxing.init(tmp_path / f"single{n}") as alone:
                alone.import_file(order[1], store_id="amazon-com")
                assert _profit(lx) == _profit(alone)


def test_rows_not_yet_settled_are_left_out_and_said(lx: Lianxing, tmp_path: Path) -> None:
    rows = us_rows()
    rows[1]["settlement id"] = ""
    result = lx.import_file(write_report(tmp_path / "r.csv", rows))
    assert ("date_range.unsettled",
            {"count": 1, "total": "8.65", "currency": "USD"}) in result.notes  # fmt: skip
    assert "CUP" not in _profit(lx)


def test_buyer_address_columns_are_never_stored(tmp_path: Path) -> None:
    rows = us_rows()
    for n, row in enumerate(rows):
        row.update({"order city": f"CITYX{n}", "order state": "STATEX", "order postal": "9X9X9"})
    path = write_report(tmp_path / "r.csv", rows)
    Lianxing.init(tmp_path / "ws").close()
    result = run_cli(["import", str(path), "--workspace", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.stderr
    assert "CITYX" not in result.stdout + result.stderr
    with Lianxing.open(tmp_path / "ws") as lx:
        con = lx.db.con
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE'").fetchall()]  # fmt: skip
        for table in tables:
            text = str(con.execute(f"SELECT * FROM {table}").fetchall())
            assert "CITYX" not in text and "9X9X9" not in text and "STATEX" not in text, table
    for path in (tmp_path / "ws").rglob("*"):
        if path.is_file() and path.suffix in (".toml", ".csv", ".txt", ".log", ".json"):
            assert "CITYX" not in path.read_text("utf-8", "replace")


def test_reimporting_the_same_report_changes_nothing(lx: Lianxing, tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.csv", us_rows(), encoding="cp1252")
    first = lx.import_file(path)
    before = ledger_fingerprint(lx)
    again = lx.import_file(path)
    assert again.status == "unchanged" and again.source_id == first.source_id
    assert ledger_fingerprint(lx) == before


def test_detection_sees_past_the_preamble_and_tells_it_from_others(tmp_path: Path) -> None:
    report = write_report(tmp_path / "r.csv", us_rows())
    found = registry.detect(report)
    assert found is not None and found[0].kind == "amazon_date_range"
    # Without a preamble (a tool stripped it) it is still the report.
    bare = write_report(tmp_path / "bare.csv", us_rows(), preamble=[])
    assert registry.detect(bare) is not None
    assert registry.detect(bare)[0].kind == "amazon_date_range"  # type: ignore[index]
    # A settlement, an All Orders report: never taken for it.
    settlement = _settlement(tmp_path)
    assert registry.detect(settlement) is None
    orders = write_table(
        tmp_path / "orders.txt",
        ["amazon-order-id", "purchase-date", "order-status", "sku", "item-price", "quantity"],
        [{"amazon-order-id": "1", "purchase-date": "2026-03-01T10:00:00+00:00",
          "order-status": "Shipped", "sku": "MUG", "item-price": "1", "quantity": "1"}],
    )  # fmt: skip
    found = registry.detect(orders)
    assert found is not None and found[0].kind == "amazon_all_orders"


def test_a_settlement_under_a_transaction_preamble_is_refused(lx: Lianxing, tmp_path: Path) -> None:
    settlement = _settlement(tmp_path).read_text("utf-8")
    path = tmp_path / "odd.csv"
    path.write_text("\n".join(US_PREAMBLE) + "\n" + settlement, "utf-8")
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError):
        lx.import_file(path)
    assert ledger_fingerprint(lx) == before
    # And the importer itself, handed an All Orders report, says what it looked for.
    from lianxing.ingest.amazon_date_range import import_date_range

    orders = write_table(tmp_path / "o.txt", ["amazon-order-id", "purchase-date"], [])
    with pytest.raises(InputError) as caught:
        import_date_range(lx.db, lx.workspace, orders)
    assert caught.value.key == "date_range.no_header"


def test_cli_import_reports_counts_and_refuses_with_file_and_line(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    Lianxing.init(tmp_path / "ws").close()
    good = write_report(tmp_path / "good.csv", us_rows())
    result = run_cli(["import", str(good), "--workspace", ws])
    assert result.exit_code == 0 and "amazon_date_range" in result.stdout
    rows = us_rows()
    rows[0]["total"] = "1.00"
    bad = write_report(tmp_path / "bad.csv", rows)
    result = run_cli(["import", str(bad), "--workspace", ws])
    assert result.exit_code == 2
    assert f"bad.csv, line {len(US_PREAMBLE) + 2}, column 'total'" in result.stderr
    assert "total" in result.stderr + result.stdout


def _base_workspace(tmp: Path) -> Path:
    base = tmp / "base-ws"
    if not base.exists():
        with Lianxing.init(base) as lx:
            lx.import_file(write_report(tmp / "base.csv", us_rows()[:3]), store_id="amazon-com")
    return base


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_reports_import_or_are_refused_cleanly(tmp_path: Path, data: st.DataObject) -> None:
    text = write_report(tmp_path / "seed.csv", us_rows()).read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from([b",", b'"', b"\n", b"\r", b"-", b"1,234.5", b"Transfer", b"PST",
                           b'"",""', b"99999999999999"])
    )  # fmt: skip
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = tmp_path / "fuzz.csv"
    target.write_bytes(mutated)
    workspace = tmp_path / "fuzz-ws"
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(_base_workspace(tmp_path), workspace)
    with Lianxing.open(workspace) as lx:
        before = ledger_fingerprint(lx)
        kept = lx.db.con.execute("SELECT count(*) FROM date_range_rows").fetchone()
        try:
            lx.import_file(target, store_id="amazon-com")
        except InputError as exc:
            assert ledger_fingerprint(lx) == before
            assert lx.db.con.execute("SELECT count(*) FROM date_range_rows").fetchone() == kept
            assert all(p.file for p in exc.problems) or not exc.problems
            return
        # Imported: every counted row traces to a line of the file, and each line's
        # amounts add up to its total (the importer checked it).
        lines = lx.db.con.execute(
            "SELECT min(line), max(line) FROM ledger l JOIN sources s USING (source_id) "
            "WHERE s.file_name = 'fuzz.csv'"
        ).fetchone()
        assert lines[0] is None or 1 <= lines[0] <= lines[1] <= mutated.count(b"\n") + 1


def test_the_demo_report_only_explains_its_settlements(tmp_path: Path) -> None:
    from lianxing.demo_transactions import write_date_range

    settlement = _settlement(tmp_path)
    report = write_date_range(tmp_path, [settlement])
    assert report.name.endswith("CustomTransaction.csv")
    with Lianxing.init(tmp_path / "flat") as lx:
        lx.import_file(settlement, store_id="amazon-com")
        expected = _profit(lx)
    for n, order in enumerate([(report, settlement), (settlement, report)]):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            results = [lx.import_file(p, store_id="amazon-com") for p in order]
            assert _profit(lx) == expected
            assert ("date_range.explains",
                    {"settlement": SETTLEMENT, "total": "385.45", "currency": "USD"}
                    ) in results[1].notes  # fmt: skip
            assert not results[0].unmapped and not results[1].unmapped


def test_a_preamble_in_another_currency_than_the_store_is_refused(
    lx: Lianxing, tmp_path: Path
) -> None:
    preamble = [US_PREAMBLE[0], "All amounts in EUR, unless specified"]
    path = write_report(tmp_path / "r.csv", us_rows(), preamble=preamble)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="amazon-com")
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == ("store.currency_mismatch", 2)


def test_a_missing_money_column_names_the_header_line(lx: Lianxing, tmp_path: Path) -> None:
    header = [h for h in US_HEADER if h != "fba fees"]
    path = write_report(tmp_path / "r.csv", us_rows(), header=header)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == ("report.columns_missing", len(US_PREAMBLE) + 1)
    assert problem.params["missing"] == "fba fees"


def test_rows_after_a_description_with_line_breaks_keep_their_physical_lines(
    lx: Lianxing, tmp_path: Path
) -> None:
    """A quoted description spanning two lines shifted every row below it (QA, issue 13)."""
    rows = us_rows()
    rows[0]["description"] = "Mug,\nlarge"  # the row on line first, spanning two lines
    rows[4]["date/time"] = "Mar 45, 2026 2:00:00 AM PST"
    path = write_report(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    first = len(US_PREAMBLE) + 2
    assert [(p.key, p.line) for p in caught.value.problems] == [("value.date", first + 5)]
    rows[4]["date/time"] = "Mar 8, 2026 2:00:00 AM PST"
    lx.import_file(write_report(tmp_path / "good.csv", rows))
    cup = lx.db.con.execute(
        "SELECT DISTINCT line FROM ledger WHERE sku = 'CUP' AND quantity > 0"
    ).fetchall()
    assert cup == [(first + 2,)]
