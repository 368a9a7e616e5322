"""SQL for the Shopify importers: order totals spread over line rows, and overlap rules.

A Shopify orders export repeats an order over one row per line item and writes the
order's own figures (Total, Shipping, Taxes, Discount Amount, Refunded Amount, ...)
only on its first row. `prepare_orders` turns the staged rows into rows that carry
every cell the ledger needs — line sales with units, the order's discount not on any
line, shipping, tax and the refund — with the amounts already signed the ledger's way.
`prepare_payments` does the same for a Shopify Payments transactions export.

Exports overlap (last month's and this month's both hold the orders of the 30th), so
each import removes the earlier version of what it brings: `keep_latest_orders` by
store and order name, `keep_latest_transactions` by the transaction's natural key.
The ingest modules decide what the columns mean; this module only runs the SQL.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from lianxing.store.table_load import BadValue, LedgerShape, TableLoader

# Financial statuses of an order that received no money (yet): nothing is counted.
UNPAID_STATUSES = ("pending", "authorized", "voided", "expired", "unpaid")
# Largest line amount (price × units) or sum of line discounts: keeps every ledger
# cell inside DECIMAL(18, 4).
MAX_AMOUNT = 10**13
MAX_UNITS = 999_999

# The sale cells of an order (prepare_orders computes them with the ledger's signs,
# money to the seller positive); together they must add up to the order's Total.
SALE_CELLS = (
    "sale_price",
    "sale_line_discount",
    "sale_order_discount",
    "sale_shipping",
    "sale_taxes",
    "sale_taxes_included",
    "sale_line_taxes_included",  # added by store.shopify_tax.spread_included_taxes
)


@dataclass(frozen=True)
class OrderProblem:
    """An order the export does not describe consistently."""

    line: int
    order_id: str
    kind: str  # twice: two summary rows | no_summary: no row with its Total
    first: int | None = None


@dataclass(frozen=True)
class OrderSummary:
    orders: int  # distinct orders in the file
    left_out: int  # orders with no money received (pending, voided, ...)
    partial_refunds: int  # orders whose refund is not the whole order
    mismatched: list[str]  # counted orders whose cells do not add up to Total


def _col(present: Collection[str], name: str) -> str:
    """A field of lx_rows, or NULL when the export has no such column."""
    return f'r."{name}"' if name in present else "NULL"


def order_problems(loader: TableLoader, limit: int = 10) -> list[OrderProblem]:
    """Orders with two summary rows (two exports pasted together) or none at all."""
    rows = loader.con.execute(
        f"""WITH heads AS (
                SELECT order_id, line, min(line) OVER (PARTITION BY order_id) AS first
                FROM lx_rows WHERE total IS NOT NULL),
            twice AS (SELECT line, order_id, 'twice' AS kind, first FROM heads
                      WHERE line <> first),
            none AS (SELECT min(line) AS line, order_id, 'no_summary' AS kind,
                            NULL::INTEGER AS first
                     FROM lx_rows GROUP BY order_id HAVING count(total) = 0)
            SELECT * FROM twice UNION ALL SELECT * FROM none
            ORDER BY line LIMIT {int(limit)}"""
    ).fetchall()
    return [OrderProblem(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]


def prepare_orders(
    loader: TableLoader, present: Collection[str], headers: dict[str, str]
) -> list[BadValue]:
    """Replace lx_rows by rows with every ledger cell computed; returns bad values.

    `present` names the fields the export has; `headers` their header names, for the
    problems reported. Each order's figures come from its summary row (the one with a
    Total); each line row carries its line's cells (with SKU and units), and one more
    row per order, on its summary row's line, the order's own cells (no SKU).
    """
    con = loader.con

    def col(name: str) -> str:
        return _col(present, name)

    # Units outside 0..999,999 cannot be an order line and would overflow the ledger.
    bad = con.execute(
        f"""SELECT line, quantity__text FROM lx_rows
            WHERE quantity < 0 OR quantity > {MAX_UNITS} ORDER BY line LIMIT 10"""
    ).fetchall()
    if bad:
        return [BadValue(int(r[0]), headers["quantity"], "count", r[1]) for r in bad]
    missing = con.execute(
        f"""SELECT line, name FROM (
                SELECT line, 'created' AS name FROM lx_rows r
                WHERE total IS NOT NULL AND r.created IS NULL
                UNION ALL SELECT line, 'currency' FROM lx_rows r
                WHERE total IS NOT NULL AND {col("currency")} IS NULL)
            ORDER BY line, name LIMIT 10"""
    ).fetchall()
    if missing:
        return [BadValue(int(r[0]), headers[r[1]], "required", None) for r in missing]

    unpaid = ", ".join(f"'{s}'" for s in UNPAID_STATUSES)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lx_rows AS
        WITH r AS (
            SELECT r.*, r.total IS NOT NULL AS head,
                   (r.price::DECIMAL(38, 4) * r.quantity) AS line_amount,
                   abs(coalesce({col("line_discount")}, 0))::DECIMAL(38, 4) AS line_disc
            FROM lx_rows r
        ),
        o AS (
            SELECT order_id,
                   any_value(lower({col("status")})) FILTER (WHERE head) AS o_status,
                   any_value(r.total) FILTER (WHERE head) AS o_total,
                   coalesce(any_value(r.shipping) FILTER (WHERE head), 0) AS o_shipping,
                   coalesce(any_value(r.taxes) FILTER (WHERE head), 0) AS o_taxes,
                   any_value(lower({col("included_flag")})) FILTER (WHERE head)
                       AS o_taxes_flag,
                   any_value(abs(r.discount)) FILTER (WHERE head) AS o_discount,
                   coalesce(any_value(abs(r.refunded)) FILTER (WHERE head), 0) AS o_refunded,
                   any_value(r.created) FILTER (WHERE head) AS o_created,
                   any_value(r.created_day) FILTER (WHERE head) AS o_created_day,
                   any_value({col("paid")}) FILTER (WHERE head) AS o_paid,
                   any_value({col("cancelled")}) FILTER (WHERE head) AS o_cancelled,
                   any_value({col("cancelled_day")}) FILTER (WHERE head) AS o_cancelled_day,
                   any_value({col("fulfilled")}) FILTER (WHERE head) AS o_fulfilled,
                   sum(line_amount) AS o_lines,
                   sum(line_disc) AS o_line_discounts
            FROM r GROUP BY order_id
        ),
        j AS (
            SELECT r.*, o.* EXCLUDE (order_id),
                   -- Discount Amount is the order's whole discount; what the lines do
                   -- not carry themselves is the order-level part.
                   coalesce(o.o_discount, o.o_line_discounts) - o.o_line_discounts AS rest,
                   o.o_lines - coalesce(o.o_discount, o.o_line_discounts) AS goods
            FROM r JOIN o USING (order_id)
        ),
        k AS (
            SELECT j.*,
                   o_status IS NULL OR o_status NOT IN ({unpaid}) AS counted,
                   -- Prices that include tax (EU-style stores): the export's Taxes
                   -- Included says so; older exports without it: Total is goods plus
                   -- shipping, the tax is inside the price.
                   o_taxes <> 0 AND CASE WHEN o_taxes_flag IN ('true', 'yes') THEN TRUE
                                         WHEN o_taxes_flag IN ('false', 'no') THEN FALSE
                                         ELSE goods + o_shipping = o_total END
                       AS taxes_included,
                   o_refunded <> 0 AND o_refunded = o_total AS full_refund
            FROM j
        ),
        -- A partial refund of a tax-inclusive order gives back tax too: its share of
        -- the order's Taxes as the refund is of the Total, to the cent (half up).
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
        -- The order's own cells go on a row of their own (same line as its summary
        -- row, no SKU, no units): shipping, tax and order discounts belong to no SKU.
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
               CASE WHEN full_refund AND NOT order_row THEN line_disc END
                   AS refund_line_discount,
               CASE WHEN full_refund AND order_row THEN rest END AS refund_order_discount,
               CASE WHEN full_refund AND order_row THEN -o_shipping END AS refund_shipping,
               CASE WHEN full_refund AND order_row THEN -o_taxes
                    WHEN order_row AND refund_vat <> 0 THEN -refund_vat END AS refund_taxes,
               CASE WHEN full_refund AND order_row AND taxes_included THEN o_taxes END
                   AS refund_taxes_included,
               CASE WHEN NOT full_refund AND order_row AND o_refunded <> 0
                    THEN refund_vat - o_refunded END AS refund_partial
        FROM split b"""
    )
    too_big = con.execute(
        f"""SELECT line, header, value FROM (
                SELECT line, 'price' AS header, price__text AS value FROM lx_rows
                WHERE NOT order_row AND abs(line_amount) >= {MAX_AMOUNT}
                UNION ALL
                SELECT line, 'line_discount', NULL FROM lx_rows
                WHERE order_row AND abs(o_line_discounts) >= {MAX_AMOUNT})
            ORDER BY line LIMIT 10"""
    ).fetchall()
    return [BadValue(int(r[0]), headers.get(r[1], r[1]), "amount", r[2] or "") for r in too_big]


def order_summary(loader: TableLoader) -> OrderSummary:
    """What the prepared rows say about the file's orders, for the import report."""
    row = loader.con.execute(
        """SELECT count(DISTINCT order_id),
                  count(DISTINCT order_id) FILTER (WHERE NOT counted),
                  count(*) FILTER (WHERE order_row AND counted AND refund_partial IS NOT NULL)
           FROM lx_rows"""
    ).fetchone()
    assert row is not None
    cells = " + ".join(f"coalesce({c}, 0)" for c in SALE_CELLS)
    mismatched = loader.con.execute(
        f"""SELECT order_id FROM lx_rows WHERE counted GROUP BY order_id
            HAVING sum({cells}) <> any_value(o_total) ORDER BY min(line)"""
    ).fetchall()
    return OrderSummary(int(row[0]), int(row[1]), int(row[2]), [r[0] for r in mismatched])


def order_cells(loader: TableLoader, sale: LedgerShape, refund: LedgerShape, where: str) -> None:
    """lx_cells for both events of each order: sale cells, then refund cells.

    Each event has its own dates and transaction type, so each is unpivoted on its
    own; the refund cells are numbered after the sale cells of the same line.
    """
    con = loader.con
    try:
        loader.cells(sale, where)
        con.execute("CREATE OR REPLACE TEMP TABLE lx_sale_cells AS SELECT * FROM lx_cells")
        loader.cells(refund, where)
        con.execute(f"UPDATE lx_cells SET cell = cell + {len(sale.cells)}")
        con.execute("INSERT INTO lx_cells SELECT * FROM lx_sale_cells")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.lx_sale_cells")


def keep_latest_orders(loader: TableLoader, *, store_id: str, kind: str) -> tuple[int, int]:
    """Count each order once across overlapping exports; (rows removed, orders kept older).

    An order's version is the latest time its export shows (created, paid, cancelled,
    fulfilled), then its refunded amount (refunds only grow). The file's version
    replaces an earlier import's rows for the same store and order when it is as new
    or newer; when an earlier import holds a newer version, the file's cells for that
    order are dropped. Whatever order the files come in, the newest version stands.
    """
    con = loader.con
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_new_orders AS
               SELECT order_id, any_value(observed) AS observed,
                      coalesce(any_value(o_refunded), 0)::DECIMAL(38, 4) AS refunded
               FROM lx_rows GROUP BY order_id"""
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_old_orders AS
               SELECT l.source_id, l.order_id, max(l.observed_at) AS observed,
                      (-coalesce(sum(l.amount) FILTER (WHERE l.event = 'refund'), 0))
                          ::DECIMAL(38, 4) AS refunded,
                      (max(l.observed_at) > any_value(n.observed)
                       OR max(l.observed_at) = any_value(n.observed)
                          AND -coalesce(sum(l.amount) FILTER (WHERE l.event = 'refund'), 0)
                              > any_value(n.refunded)) AS newer
               FROM ledger l
               JOIN sources s ON s.source_id = l.source_id
               JOIN lx_new_orders n ON n.order_id = l.order_id
               WHERE s.kind = ? AND l.store_id = ?
               GROUP BY l.source_id, l.order_id""",
            [kind, store_id],
        )
        kept = loader.count("lx_old_orders", "newer")
        con.execute(
            """DELETE FROM lx_cells c WHERE EXISTS (
                   SELECT 1 FROM lx_old_orders o WHERE o.newer AND o.order_id = c.order_id)"""
        )
        before = loader.count("ledger")
        con.execute(
            """DELETE FROM ledger l WHERE EXISTS (
                   SELECT 1 FROM lx_old_orders o WHERE NOT o.newer
                   AND o.source_id = l.source_id AND o.order_id = l.order_id)"""
        )
        return before - loader.count("ledger"), kept
    finally:
        con.execute("DROP TABLE IF EXISTS temp.lx_new_orders")
        con.execute("DROP TABLE IF EXISTS temp.lx_old_orders")


def prepare_payments(loader: TableLoader) -> None:
    """Add the signed cells of a Shopify Payments transactions export to lx_rows.

    The fee (a positive cost in the export) becomes a negative amount. A charge's or
    refund's own Amount is the order money the orders export already counts, so it
    is left out; every other type's Amount (payouts, reserves, disputes,
    adjustments) is kept for its category. `reference` remembers the transaction's
    gross Amount, part of its natural key.
    """
    con = loader.con
    con.execute(
        """CREATE OR REPLACE TEMP TABLE lx_rows AS
            SELECT r.*, -r.fee AS fee_amount,
                   CASE WHEN lower(r.type) IN ('charge', 'refund') THEN NULL
                        ELSE r.amount END AS gross,
                   r.amount::VARCHAR AS gross_text
            FROM lx_rows r"""
    )


def keep_latest_transactions(loader: TableLoader, *, store_id: str, kind: str) -> tuple[int, int]:
    """Count each transaction once across overlapping exports; (removed, kept older).

    Two rows are the same transaction when date, type, order, gross amount and fee
    agree and their payout IDs agree or one has none yet (an export taken before the
    payout lacks it). The version with a payout ID stands; otherwise the newer import.
    """
    con = loader.con
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_new_tx AS
               SELECT line, any_value(posted_at) AS posted_at,
                      any_value(transaction_type) AS transaction_type,
                      any_value(order_id) AS order_id, any_value(reference) AS reference,
                      any_value(settlement_id) AS settlement_id,
                      coalesce(sum(amount) FILTER (WHERE amount_type = 'Fee'), 0) AS fee
               FROM lx_cells GROUP BY line"""
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE lx_tx_match AS
               WITH old AS (
                   SELECT l.source_id, l.line, any_value(l.posted_at) AS posted_at,
                          any_value(l.transaction_type) AS transaction_type,
                          any_value(l.order_id) AS order_id,
                          any_value(l.reference) AS reference,
                          any_value(l.settlement_id) AS settlement_id,
                          coalesce(sum(l.amount) FILTER (WHERE l.amount_type = 'Fee'), 0)
                              AS fee
                   FROM ledger l JOIN sources s ON s.source_id = l.source_id
                   WHERE s.kind = ? AND l.store_id = ?
                   GROUP BY l.source_id, l.line)
               SELECT o.source_id, o.line AS old_line, n.line AS new_line,
                      o.settlement_id IS NOT NULL AND n.settlement_id IS NULL AS old_stands
               FROM old o JOIN lx_new_tx n
                 ON o.posted_at = n.posted_at AND o.transaction_type = n.transaction_type
                AND o.order_id IS NOT DISTINCT FROM n.order_id
                AND o.reference IS NOT DISTINCT FROM n.reference AND o.fee = n.fee
                AND (o.settlement_id IS NULL OR n.settlement_id IS NULL
                     OR o.settlement_id = n.settlement_id)""",
            [kind, store_id],
        )
        kept = con.execute(
            "SELECT count(DISTINCT new_line) FROM lx_tx_match WHERE old_stands"
        ).fetchone()
        con.execute(
            """DELETE FROM lx_cells c WHERE EXISTS (
                   SELECT 1 FROM lx_tx_match m WHERE m.old_stands AND m.new_line = c.line)"""
        )
        before = loader.count("ledger")
        con.execute(
            """DELETE FROM ledger l WHERE EXISTS (
                   SELECT 1 FROM lx_tx_match m WHERE NOT m.old_stands
                   AND m.source_id = l.source_id AND m.old_line = l.line)"""
        )
        return before - loader.count("ledger"), int(kept[0]) if kept else 0
    finally:
        con.execute("DROP TABLE IF EXISTS temp.lx_new_tx")
        con.execute("DROP TABLE IF EXISTS temp.lx_tx_match")
