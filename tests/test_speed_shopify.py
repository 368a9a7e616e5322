"""The set-based Shopify import (issue 13, item 8) stores exactly what the row-wide one
stored: every cell of every order, the notes, the refusals, the overlap rules.

The reference below is the earlier SQL (one wide row per line item plus one per order,
the tax spread as a pass of its own, then `TableLoader.cells` per event), run on the
same parsed rows as the import; the ledger rows the import wrote must be its cells."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_real_shopify import UK_HEADER
from test_shopify import ORDERS, order, tx, write_orders, write_payments

from conftest import ledger_fingerprint
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import shopify_orders
from lianxing.store import shopify_load
from lianxing.store.table_load import TableLoader

# ---- the reference: the earlier statements, verbatim ------------------------------------
REFERENCE_PREPARE = """
CREATE OR REPLACE TEMP TABLE lx_rows AS
WITH r AS (
    SELECT r.*, r.total IS NOT NULL AS head,
           (r.price::DECIMAL(38, 4) * r.quantity) AS line_amount,
           abs(coalesce({line_discount}, 0))::DECIMAL(38, 4) AS line_disc
    FROM lx_rows r
),
o AS (
    SELECT order_id,
           any_value(lower({status})) FILTER (WHERE head) AS o_status,
           any_value(r.total) FILTER (WHERE head) AS o_total,
           coalesce(any_value(r.shipping) FILTER (WHERE head), 0) AS o_shipping,
           coalesce(any_value(r.taxes) FILTER (WHERE head), 0) AS o_taxes,
           any_value(lower({included_flag})) FILTER (WHERE head) AS o_taxes_flag,
           any_value(abs(r.discount)) FILTER (WHERE head) AS o_discount,
           coalesce(any_value(abs(r.refunded)) FILTER (WHERE head), 0) AS o_refunded,
           any_value(r.created) FILTER (WHERE head) AS o_created,
           any_value(r.created_day) FILTER (WHERE head) AS o_created_day,
           any_value({paid}) FILTER (WHERE head) AS o_paid,
           any_value({cancelled}) FILTER (WHERE head) AS o_cancelled,
           any_value({cancelled_day}) FILTER (WHERE head) AS o_cancelled_day,
           any_value({fulfilled}) FILTER (WHERE head) AS o_fulfilled,
           sum(line_amount) AS o_lines,
           sum(line_disc) AS o_line_discounts
    FROM r GROUP BY order_id
),
j AS (
    SELECT r.*, o.* EXCLUDE (order_id),
           coalesce(o.o_discount, o.o_line_discounts) - o.o_line_discounts AS rest,
           o.o_lines - coalesce(o.o_discount, o.o_line_discounts) AS goods
    FROM r JOIN o USING (order_id)
),
k AS (
    SELECT j.*,
           o_status IS NULL OR o_status NOT IN ({unpaid}) AS counted,
           o_taxes <> 0 AND CASE WHEN o_taxes_flag IN ('true', 'yes') THEN TRUE
                                 WHEN o_taxes_flag IN ('false', 'no') THEN FALSE
                                 ELSE goods + o_shipping = o_total END
               AS taxes_included,
           o_refunded <> 0 AND o_refunded = o_total AS full_refund
    FROM j
),
kv AS (
    SELECT k.*,
           CASE WHEN taxes_included AND NOT full_refund AND o_refunded > 0
                     AND o_taxes > 0 AND o_total > 0 THEN
               ((((o_refunded * 10000)::HUGEINT * (o_taxes * 10000)::HUGEINT * 2
                  + (o_total * 10000)::HUGEINT * 100)
                 // ((o_total * 10000)::HUGEINT * 200))::DECIMAL(38, 0) * 0.01)
                   ::DECIMAL(38, 4)
                ELSE 0 END AS refund_vat
    FROM k
),
split AS (
    SELECT kv.*, FALSE AS order_row FROM kv
    UNION ALL
    SELECT kv.* REPLACE (NULL::VARCHAR AS sku, NULL::BIGINT AS quantity), TRUE
    FROM kv WHERE head
)
SELECT b.*,
       o_created AS sale_time, o_created_day AS sale_day,
       coalesce(o_cancelled, o_created) AS refund_time,
       coalesce(o_cancelled_day, o_created_day) AS refund_day,
       greatest(o_created, o_paid, o_cancelled, o_fulfilled) AS observed,
       CASE WHEN NOT order_row THEN line_amount END AS sale_price,
       CASE WHEN NOT order_row THEN -line_disc END AS sale_line_discount,
       CASE WHEN order_row THEN -rest END AS sale_order_discount,
       CASE WHEN order_row THEN o_shipping END AS sale_shipping,
       CASE WHEN order_row THEN o_taxes END AS sale_taxes,
       CASE WHEN order_row AND taxes_included THEN -o_taxes END AS sale_taxes_included,
       CASE WHEN full_refund AND NOT order_row THEN -line_amount END AS refund_price,
       CASE WHEN full_refund AND NOT order_row THEN quantity END AS refund_quantity,
       CASE WHEN full_refund AND NOT order_row THEN line_disc END AS refund_line_discount,
       CASE WHEN full_refund AND order_row THEN rest END AS refund_order_discount,
       CASE WHEN full_refund AND order_row THEN -o_shipping END AS refund_shipping,
       CASE WHEN full_refund AND order_row THEN -o_taxes
            WHEN order_row AND refund_vat <> 0 THEN -refund_vat END AS refund_taxes,
       CASE WHEN full_refund AND order_row AND taxes_included THEN o_taxes END
           AS refund_taxes_included,
       CASE WHEN NOT full_refund AND order_row AND o_refunded <> 0
            THEN refund_vat - o_refunded END AS refund_partial
FROM split b"""

REFERENCE_SPREAD = """
CREATE OR REPLACE TEMP TABLE lx_rows AS
WITH w AS (
    SELECT r.*,
           CASE WHEN taxes_included AND NOT order_row
                THEN greatest(line_amount - line_disc, 0) END AS lx_weight
    FROM lx_rows r
),
t AS (
    SELECT w.*,
           sum(lx_weight) OVER (PARTITION BY order_id) AS lx_base,
           row_number() OVER (PARTITION BY order_id
                              ORDER BY lx_weight DESC NULLS LAST, line, order_row)
               AS lx_rank
    FROM w
),
c AS (
    SELECT t.*,
           CASE WHEN lx_base > 0 AND lx_weight IS NOT NULL THEN
               ((((o_taxes * 10000)::HUGEINT * (lx_weight * 10000)::HUGEINT * 2
                  + sign(o_taxes) * (lx_base * 10000)::HUGEINT * 100)
                 // ((lx_base * 10000)::HUGEINT * 200))::DECIMAL(38, 0) * 0.01)
                   ::DECIMAL(38, 4)
           END AS lx_share
    FROM t
),
s AS (
    SELECT c.*,
           CASE WHEN lx_rank = 1 AND lx_share IS NOT NULL
                THEN o_taxes - (sum(lx_share) OVER (PARTITION BY order_id) - lx_share)
                ELSE lx_share END AS lx_line_tax
    FROM c
)
SELECT s.* EXCLUDE (lx_weight, lx_rank, lx_share, lx_line_tax, lx_base)
           REPLACE (
               CASE WHEN coalesce(lx_base, 0) > 0 THEN NULL ELSE sale_taxes_included END
                   AS sale_taxes_included,
               CASE WHEN coalesce(lx_base, 0) > 0 THEN NULL ELSE refund_taxes_included END
                   AS refund_taxes_included),
       -lx_line_tax AS sale_line_taxes_included,
       CASE WHEN full_refund THEN lx_line_tax END AS refund_line_taxes_included
FROM s"""

SALE_CELLS = (
    "sale_price", "sale_line_discount", "sale_order_discount", "sale_shipping",
    "sale_taxes", "sale_taxes_included", "sale_line_taxes_included",
)  # fmt: skip
CELL_COLUMNS = """line, cell, posted_at, business_date, order_id, sku, quantity,
    transaction_type, amount_type, amount_description, amount, observed_at"""


def reference(lx: Lianxing, fields: set[str]) -> tuple[list[Any], dict[str, Any]]:
    """(cells, notes) of the earlier statements over the parsed rows in lx_ref_input."""
    con = lx.db.con

    def col(name: str) -> str:
        return f'r."{name}"' if name in fields else "NULL"

    unpaid = ", ".join(f"'{s}'" for s in shopify_load.UNPAID_STATUSES)
    con.execute("CREATE OR REPLACE TEMP TABLE lx_rows AS SELECT * FROM lx_ref_input")
    names = ("line_discount", "status", "included_flag", "paid", "cancelled")
    names += ("cancelled_day", "fulfilled")
    con.execute(REFERENCE_PREPARE.format(unpaid=unpaid, **{n: col(n) for n in names}))
    con.execute(REFERENCE_SPREAD)
    counts = con.execute(
        """SELECT count(DISTINCT order_id) FILTER (WHERE NOT counted),
                  count(*) FILTER (WHERE order_row AND counted AND refund_partial IS NOT NULL)
           FROM lx_rows"""
    ).fetchone()
    assert counts is not None
    total = " + ".join(f"coalesce({c}, 0)" for c in SALE_CELLS)
    mismatched = [
        r[0]
        for r in con.execute(
            f"""SELECT order_id FROM lx_rows WHERE counted GROUP BY order_id
                HAVING sum({total}) <> any_value(o_total) ORDER BY min(line)"""
        ).fetchall()
    ]
    loader = TableLoader(lx.db)
    loader.cells(shopify_orders.SALE, "counted")
    con.execute("CREATE OR REPLACE TEMP TABLE lx_ref_sale AS SELECT * FROM lx_cells")
    loader.cells(shopify_orders.REFUND, "counted")
    con.execute(f"UPDATE lx_cells SET cell = cell + {len(shopify_orders.SALE.cells)}")
    con.execute("INSERT INTO lx_cells SELECT * FROM lx_ref_sale")
    cells = con.execute(f"SELECT {CELL_COLUMNS} FROM lx_cells ORDER BY line, cell").fetchall()
    loader.cleanup()
    for table in ("lx_ref_sale", "lx_ref_input"):
        con.execute(f"DROP TABLE IF EXISTS temp.{table}")
    notes: dict[str, Any] = {}
    if counts[0]:
        notes["shopify.orders_left_out"] = {"count": counts[0]}
    if counts[1]:
        notes["shopify.partial_refunds"] = {"count": counts[1]}
    if mismatched:
        notes["shopify.total_mismatch"] = {"count": len(mismatched), "order": mismatched[0]}
    return cells, notes


@contextmanager
def keeping_parsed_rows(monkeypatch: pytest.MonkeyPatch, lx: Lianxing) -> Iterator[set[str]]:
    """Keep the import's parsed rows (lx_ref_input); yields the fields the file has."""
    real = shopify_load.order_checks
    fields: set[str] = set()

    def checks(loader: TableLoader, present: Any, currency: str, limit: int = 10) -> Any:
        loader.con.execute("CREATE OR REPLACE TEMP TABLE lx_ref_input AS SELECT * FROM lx_rows")
        fields.update(present)
        return real(loader, present, currency, limit)

    with monkeypatch.context() as patched:
        patched.setattr(shopify_load, "order_checks", checks)
        yield fields


def import_and_compare(lx: Lianxing, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    with keeping_parsed_rows(monkeypatch, lx) as fields:
        result = lx.import_file(path, store_id="shopify")
    cells, notes = reference(lx, fields)
    written = lx.db.query(
        f"SELECT {CELL_COLUMNS} FROM ledger WHERE source_id = ? ORDER BY line, cell",
        [result.source_id],
    )
    assert written == cells
    assert result.written == len(cells)
    keys = ("shopify.orders_left_out", "shopify.partial_refunds", "shopify.total_mismatch")
    assert {k: v for k, v in result.notes if k in keys} == notes


@contextmanager
def fresh(tmp_path: Path) -> Iterator[Lianxing]:
    with Lianxing.init(Path(tempfile.mkdtemp(dir=tmp_path)) / "ws") as lx:
        yield lx


# ---- generated exports --------------------------------------------------------------
MONEY = st.sampled_from(["0.00", "0.01", "1.00", "9.99", "10.00", "33.33", "119.00", "0.50"])


@st.composite
def orders_export(draw: st.DrawFn) -> tuple[list[str], list[dict[str, str]]]:
    """An orders export of a few orders: tax-inclusive or not, discounts on lines and
    orders, full and partial refunds, unpaid orders, custom items without a SKU, totals
    that add up or not; with or without the Taxes Included column."""
    with_flag = draw(st.booleans())
    rows: list[dict[str, str]] = []
    for n in range(draw(st.integers(1, 5))):
        lines = [
            (
                draw(st.sampled_from(["MUG", "CUP", "BOWL", ""])),
                draw(st.sampled_from(["0", "1", "2", "3"])),
                draw(MONEY),
                draw(st.sampled_from(["0.00", "0.00", "1.00", "2.50"])),
            )
            for _ in range(draw(st.integers(1, 4)))
        ]
        goods = sum(Decimal(q) * Decimal(p) - Decimal(d) for _, q, p, d in lines)
        shipping = draw(st.sampled_from(["0.00", "4.99"]))
        taxes = draw(st.sampled_from(["0.00", "1.60", "6.67", "19.00"]))
        line_discounts = sum(Decimal(d) for *_, d in lines)
        discount = draw(st.sampled_from(["", "0.00", str(line_discounts), "5.00"]))
        included = draw(st.sampled_from(["true", "false", "", "yes"]))
        extra = Decimal(discount or line_discounts) - line_discounts
        total = goods - extra + Decimal(shipping)
        if included in ("false", "") or not with_flag:
            total += Decimal(taxes) * draw(st.sampled_from([0, 1, 1]))
        total += draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("3.00")]))
        refunded = draw(st.sampled_from(["0.00", "full", "5.00", "0.01"]))
        cancelled = draw(st.sampled_from(["", "2026-03-20 08:00:00 -0700"]))
        rows += order(
            f"#{100 + n}",
            lines,
            status=draw(st.sampled_from(["paid", "refunded", "pending", "voided", ""])),
            shipping=shipping,
            taxes=taxes,
            total=str(total),
            discount=discount,
            refunded=str(total) if refunded == "full" else refunded,
            created=draw(st.sampled_from(["2026-03-02 23:30:00 -0800", "2026-03-08 01:00:00"])),
            cancelled=cancelled,
        )
        if with_flag:
            rows[-len(lines)]["Taxes Included"] = included
    return (UK_HEADER if with_flag else ORDERS), rows


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(exports=st.lists(orders_export(), min_size=1, max_size=3))
def test_generated_exports_store_the_earlier_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: list[tuple[list[str], list[Any]]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    with fresh(tmp_path) as lx:
        for n, (header, rows) in enumerate(exports):
            for row in rows:  # each file its own orders: no overlap
                row["Name"] = f"#{n}-{row['Name'][1:]}"
            path = write_orders(folder / f"orders{n}.csv", rows, header)
            import_and_compare(lx, monkeypatch, path)


def test_edge_cases_store_the_earlier_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tax-inclusive orders: shares to the cent, a tie, everything free (the tax stays on
    # the order), a partial refund giving tax back, a full refund; an order row of a
    # custom item; identical line rows; an unpaid order; a total that does not add up.
    uk = [
        *order("#1", [("A", "1", "20.00", "0"), ("B", "1", "10.00", "0"), ("C", "1", "10.00", "0")],
               taxes="6.67", total="40.00"),
        *order("#2", [("A", "1", "10.00", "0"), ("B", "1", "10.00", "0")], taxes="3.33",
               total="20.00", refunded="7.00"),
        *order("#3", [("A", "1", "0.00", "0"), ("", "2", "0.00", "0")], shipping="6.00",
               taxes="1.00", total="6.00"),
        *order("#4", [("A", "2", "12.00", "2.00"), ("A", "2", "12.00", "2.00")], taxes="7.00",
               total="42.00", discount="6.00", refunded="42.00", status="refunded",
               cancelled="2026-04-01 10:00:00 -0700"),
        *order("#5", [("B", "1", "5.00", "0")], total="5.00", status="pending"),
        *order("#6", [("", "1", "9.99", "0")], taxes="1.00", total="12.34"),
    ]  # fmt: skip
    for n, header in enumerate((ORDERS, UK_HEADER)):
        rows = [dict(r) for r in uk]
        if header is UK_HEADER:
            for r in rows:
                if r.get("Total"):
                    r["Taxes Included"] = "true"
        with fresh(tmp_path) as lx:
            import_and_compare(lx, monkeypatch, write_orders(tmp_path / f"o{n}.csv", rows, header))


def test_refusals_are_the_earlier_ones(lx: Lianxing, tmp_path: Path) -> None:
    """Two summary rows beat a bad currency, which beats units out of range, which beat
    a summary row without its created time; amounts too large name their cell."""
    before = ledger_fingerprint(lx)

    def refused(rows: list[dict[str, str]]) -> list[tuple[int | None, str | None, str]]:
        with pytest.raises(InputError) as caught:
            lx.import_file(write_orders(tmp_path / "bad.csv", rows), store_id="shopify")
        assert ledger_fingerprint(lx) == before
        return [(p.line, p.column, p.key) for p in caught.value.problems]

    good = order("#1", [("MUG", "1", "20.00", "0")], total="20.00")
    twice = [*good, *order("#1", [("CUP", "1", "5.00", "0")], total="5.00")]
    euro = order("#2", [("MUG", "1", "20.00", "0")], total="20.00", currency="EUR")
    many = order("#3", [("MUG", "1000000", "1.00", "0")], total="1000000.00")
    undated = [*good, {**good[0], "Name": "#4", "Created at": ""}]
    assert refused([*many, *euro, *twice]) == [(5, None, "shopify.order_twice")]
    assert refused([*good, *many, *euro, *undated[1:]]) == [
        (4, "Currency", "shopify.currency_mismatch")
    ]
    assert refused([*undated, *many]) == [(4, "Lineitem quantity", "value.quantity")]
    assert refused(undated) == [(3, "Created at", "value.required")]
    huge = order("#5", [("MUG", "2", "9000000000000.00", "0")], total="1.00")
    big_discounts = order(
        "#6",
        [("MUG", "1", "1.00", "6000000000000.00"), ("CUP", "1", "1.00", "6000000000000.00")],
        total="1.00",
    )
    assert refused([*good, *huge, *big_discounts]) == [
        (3, "Lineitem price", "value.amount"),
        (4, "Lineitem discount", "value.amount"),
    ]


def test_overlapping_files_keep_the_newest_version(tmp_path: Path) -> None:
    """Orders and transactions in two files: each counted once, the newer standing."""
    first = order("#1", [("MUG", "1", "20.00", "0")], total="20.00")
    refunded = order(
        "#1",
        [("MUG", "1", "20.00", "0")],
        total="20.00",
        refunded="20.00",
        status="refunded",
        cancelled="2026-03-05 10:00:00 -0800",
    )
    other = order("#2", [("CUP", "1", "5.00", "0")], total="5.00")
    charge = tx("2026-03-02 10:00:05 -0800", "charge", "#1", "20.00", "0.88", payout="")
    paid = tx("2026-03-02 10:00:05 -0800", "charge", "#1", "20.00", "0.88")
    payout = tx("2026-03-04 08:00:00 -0800", "payout", "", "-19.12", "0.00")
    for files in (
        [[*first, *other], refunded],
        [refunded, [*first, *other]],
    ):
        with fresh(tmp_path) as lx:
            for n, rows in enumerate(files):
                lx.import_file(write_orders(tmp_path / f"o{n}.csv", rows), store_id="shopify")
            for n, txs in enumerate(([charge], [paid, payout], [charge])):
                lx.import_file(write_payments(tmp_path / f"p{n}.csv", txs), store_id="shopify")
            got = lx.db.query(
                """SELECT order_id, transaction_type, amount_type, sum(amount), count(*)
                   FROM ledger GROUP BY ALL ORDER BY ALL"""
            )
            assert got == [
                ("#1", "Order", "Lineitem", Decimal("20.0000"), 1),
                ("#1", "Refund", "Lineitem", Decimal("-20.0000"), 1),
                ("#1", "charge", "Fee", Decimal("-0.8800"), 1),
                ("#2", "Order", "Lineitem", Decimal("5.0000"), 1),
                (None, "payout", "Amount", Decimal("-19.1200"), 1),
            ]
            assert lx.db.query("SELECT settlement_id FROM ledger WHERE amount_type = 'Fee'") == [
                ("90001",)
            ]


def test_payment_refusals_are_the_earlier_ones(lx: Lianxing, tmp_path: Path) -> None:
    """A repeated transaction (empty fields alike) beats a bad currency; each named."""
    before = ledger_fingerprint(lx)

    def refused(rows: list[dict[str, str]]) -> list[tuple[int | None, str, Any]]:
        with pytest.raises(InputError) as caught:
            lx.import_file(write_payments(tmp_path / "p.csv", rows), store_id="shopify")
        assert ledger_fingerprint(lx) == before
        return [(p.line, p.key, p.params.get("first")) for p in caught.value.problems]

    charge = tx("2026-03-02 10:00:05 -0800", "charge", "#1", "20.00", "0.88")
    payout = tx("2026-03-04 08:00:00 -0800", "payout", "", "-19.12", "0.00", payout="")
    euro = tx("2026-03-05 08:00:00 -0800", "charge", "#2", "5.00", "0.30", currency="EUR")
    assert refused([charge, payout, euro, payout, charge]) == [
        (5, "file.duplicate_row", 3),
        (6, "file.duplicate_row", 2),
    ]
    assert refused([charge, payout, euro]) == [(4, "shopify.currency_mismatch", None)]
    lx.import_file(write_payments(tmp_path / "ok.csv", [charge, payout]), store_id="shopify")
    assert lx.db.query("SELECT count(*) FROM ledger") == [(2,)]
