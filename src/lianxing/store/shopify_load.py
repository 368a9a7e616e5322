"""SQL for the Shopify importers: order totals spread over line rows, and overlap rules.

A Shopify orders export repeats an order over one row per line item and writes the
order's own figures (Total, Shipping, Taxes, Discount Amount, Refunded Amount, ...)
only on its first row. `prepare_orders` computes each order once (lx_orders: its
figures, whether it counts, whether its prices include tax, its refund), and
`order_cells` turns the lines and the orders into every cell the ledger needs — line
sales with units, the order's discount not on any line, shipping, tax and the refund —
with the amounts already signed the ledger's way, in one statement. Set-based: a file
of many thousand orders costs a few statements, none of them per order.
`payment_cells` does the same for a Shopify Payments transactions export.

Exports overlap (last month's and this month's both hold the orders of the 30th), so
each import removes the earlier version of what it brings: `keep_latest_orders` by
store and order name, `keep_latest_transactions` by the transaction's natural key.
The ingest modules decide what the columns mean; this module only runs the SQL.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lianxing.store import shopify_tax
from lianxing.store.settlement_load import sql_literal
from lianxing.store.table_load import BadValue, LedgerShape, TableLoader

# Financial statuses of an order that received no money (yet): nothing is counted.
UNPAID_STATUSES = ("pending", "authorized", "voided", "expired", "unpaid")
# Largest line amount (price × units) or sum of line discounts: keeps every ledger
# cell inside DECIMAL(18, 4).
MAX_AMOUNT = 10**13
MAX_UNITS = 999_999


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
    spreads_tax: bool = False  # some order's tax inside its prices goes onto its lines


def _col(present: Collection[str], name: str) -> str:
    """A field of lx_rows, or NULL when the export has no such column."""
    return f'r."{name}"' if name in present else "NULL"


@dataclass(frozen=True)
class OrderChecks:
    """What must hold of an orders export before its orders are computed."""

    problems: list[OrderProblem]  # orders twice or without a summary row
    other_currency: bool  # a Currency that is not the store's
    bad_quantities: list[tuple[int, str | None]]  # (line, text): units outside 0..999,999
    missing: list[tuple[int, str]]  # (line, field): a summary row without it


def order_checks(
    loader: TableLoader, present: Collection[str], currency: str, limit: int = 10
) -> OrderChecks:
    """Orders with two summary rows (two exports pasted together) or none at all; a
    Currency other than the store's `currency`; units outside 0..999,999 (no order line,
    and they would overflow the ledger); summary rows without their created time or
    currency. The importer says them in that order. A file with none of them costs one
    plain statement; the lines are looked up only when there is something to say."""
    con = loader.con
    currency_col = _col(present, "currency")
    flags = con.execute(
        f"""SELECT coalesce(max(heads) > 1 OR min(heads) = 0, FALSE),
                   coalesce(bool_or(other_currency), FALSE),
                   coalesce(bool_or(bad_units OR missing), FALSE)
            FROM (SELECT count(r.total) AS heads,
                         bool_or({currency_col} IS NOT NULL
                                 AND upper({currency_col}) <> ?) AS other_currency,
                         bool_or(r.quantity < 0 OR r.quantity > {MAX_UNITS}) AS bad_units,
                         bool_or(r.total IS NOT NULL
                                 AND (r.created IS NULL OR {currency_col} IS NULL)) AS missing
                  FROM lx_rows r GROUP BY r.order_id)""",
        [currency.upper()],
    ).fetchone()
    assert flags is not None
    if not (flags[0] or flags[2]):
        return OrderChecks([], bool(flags[1]), [], [])
    rows = con.execute(
        f"""WITH heads AS (
                SELECT order_id, line, min(line) OVER (PARTITION BY order_id) AS first
                FROM lx_rows WHERE total IS NOT NULL),
            twice AS (SELECT line, order_id, 'twice' AS kind, first FROM heads
                      WHERE line <> first),
            none AS (SELECT min(line) AS line, order_id, 'no_summary' AS kind,
                            NULL::INTEGER AS first
                     FROM lx_rows GROUP BY order_id HAVING count(total) = 0),
            problems AS (SELECT * FROM twice UNION ALL SELECT * FROM none
                         ORDER BY line LIMIT {int(limit)}),
            units AS (SELECT line, quantity__text AS value FROM lx_rows
                      WHERE quantity < 0 OR quantity > {MAX_UNITS}
                      ORDER BY line LIMIT {int(limit)}),
            missing AS (
                SELECT line, name FROM (
                    SELECT line, 'created' AS name FROM lx_rows r
                    WHERE total IS NOT NULL AND r.created IS NULL
                    UNION ALL SELECT line, 'currency' FROM lx_rows r
                    WHERE total IS NOT NULL AND {currency_col} IS NULL)
                ORDER BY line, name LIMIT {int(limit)})
            SELECT 1 AS part, line, order_id AS value, kind, first FROM problems
            UNION ALL SELECT 2, line, value, NULL, NULL FROM units
            UNION ALL SELECT 3, line, name, NULL, NULL FROM missing
            ORDER BY part, line, value"""
    ).fetchall()
    return OrderChecks(
        [OrderProblem(int(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows if r[0] == 1],
        bool(flags[1]),
        [(int(r[1]), r[2]) for r in rows if r[0] == 2],
        [(int(r[1]), str(r[2])) for r in rows if r[0] == 3],
    )


def check_values(checks: OrderChecks, headers: dict[str, str]) -> list[BadValue]:
    """The bad values `order_checks` found: units first, then missing values."""
    if checks.bad_quantities:
        return [
            BadValue(line, headers["quantity"], "count", text)
            for line, text in checks.bad_quantities
        ]
    return [BadValue(line, headers[name], "required", None) for line, name in checks.missing]


def _orders_sql(present: Collection[str]) -> str:
    """lx_orders: one row per order of lx_rows with every figure its cells need."""

    def col(name: str) -> str:
        return _col(present, name)

    unpaid = ", ".join(f"'{s}'" for s in UNPAID_STATUSES)
    return f"""CREATE OR REPLACE TEMP TABLE lx_orders AS
        WITH r AS (
            SELECT r.order_id, r.line, r.total IS NOT NULL AS head, r.total, r.shipping,
                   r.taxes, r.discount, r.refunded, r.created, r.created_day,
                   {col("status")} AS status, {col("included_flag")} AS included_flag,
                   {col("paid")} AS paid, {col("cancelled")} AS cancelled,
                   {col("cancelled_day")} AS cancelled_day, {col("fulfilled")} AS fulfilled,
                   {LINE_AMOUNT} AS line_amount, {_line_discount(present)} AS line_disc
            FROM lx_rows r
        ),
        o AS (
            SELECT order_id,
                   any_value(line) FILTER (WHERE head) AS o_line,
                   min(line) AS o_first,
                   any_value(lower(status)) FILTER (WHERE head) AS o_status,
                   any_value(total) FILTER (WHERE head) AS o_total,
                   coalesce(any_value(shipping) FILTER (WHERE head), 0) AS o_shipping,
                   coalesce(any_value(taxes) FILTER (WHERE head), 0) AS o_taxes,
                   any_value(lower(included_flag)) FILTER (WHERE head) AS o_taxes_flag,
                   any_value(abs(discount)) FILTER (WHERE head) AS o_discount,
                   coalesce(any_value(abs(refunded)) FILTER (WHERE head), 0) AS o_refunded,
                   any_value(created) FILTER (WHERE head) AS o_created,
                   any_value(created_day) FILTER (WHERE head) AS o_created_day,
                   any_value(paid) FILTER (WHERE head) AS o_paid,
                   any_value(cancelled) FILTER (WHERE head) AS o_cancelled,
                   any_value(cancelled_day) FILTER (WHERE head) AS o_cancelled_day,
                   any_value(fulfilled) FILTER (WHERE head) AS o_fulfilled,
                   sum(line_amount) AS o_lines,
                   sum(line_disc) AS o_line_discounts,
                   max(abs(line_amount)) AS o_largest_line,
                   sum({shopify_tax.WEIGHT}) AS o_weights
            FROM r GROUP BY order_id
        ),
        j AS (
            SELECT o.*,
                   -- Discount Amount is the order's whole discount; what the lines do
                   -- not carry themselves is the order-level part.
                   coalesce(o_discount, o_line_discounts) - o_line_discounts AS rest,
                   o_lines - coalesce(o_discount, o_line_discounts) AS goods
            FROM o
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
        )
        SELECT k.*,
               -- The tax inside the prices is spread over the lines when some line has
               -- an amount left (store.shopify_tax), else it stays on the order.
               CASE WHEN taxes_included AND o_weights > 0 THEN o_weights END AS tax_base,
               -- A partial refund of a tax-inclusive order gives back tax too: its share
               -- of the order's Taxes as the refund is of the Total, to the cent (half up).
               CASE WHEN taxes_included AND NOT full_refund AND o_refunded > 0
                         AND o_taxes > 0 AND o_total > 0 THEN
                   ((((o_refunded * 10000)::HUGEINT * (o_taxes * 10000)::HUGEINT * 2
                      + (o_total * 10000)::HUGEINT * 100)
                     // ((o_total * 10000)::HUGEINT * 200))::DECIMAL(38, 0) * 0.01)
                       ::DECIMAL(38, 4)
                    ELSE 0 END AS refund_vat,
               o_created AS sale_time, o_created_day AS sale_day,
               coalesce(o_cancelled, o_created) AS refund_time,
               coalesce(o_cancelled_day, o_created_day) AS refund_day,
               greatest(o_created, o_paid, o_cancelled, o_fulfilled) AS observed
        FROM k"""


# A line's amount (price × units), as every rule here uses it.
LINE_AMOUNT = "(r.price::DECIMAL(38, 4) * r.quantity)"


def _line_discount(present: Collection[str]) -> str:
    """A line's own discount (Lineitem discount, as a positive amount)."""
    return f"abs(coalesce({_col(present, 'line_discount')}, 0))::DECIMAL(38, 4)"


# The amount of each cell (the names in shopify_orders' SALE and REFUND shapes) with the
# ledger's signs, money to the seller positive; None: the cell is the order's own.
# Line cells are computed on each line row (line_tax: store.shopify_tax), order cells
# once per order on its summary row's line, with no SKU and no units.
LINE_CELLS = {
    "sale_price": "line_amount",
    "sale_line_discount": "-line_disc",
    "sale_line_taxes_included": "-line_tax",
    "refund_price": "CASE WHEN full_refund THEN -line_amount END",
    "refund_line_discount": "CASE WHEN full_refund THEN line_disc END",
    "refund_line_taxes_included": "CASE WHEN full_refund THEN line_tax END",
}
ORDER_CELLS = {
    "sale_order_discount": "-rest",
    "sale_shipping": "o_shipping",
    "sale_taxes": "o_taxes",
    "sale_taxes_included": "CASE WHEN taxes_included AND tax_base IS NULL THEN -o_taxes END",
    "refund_order_discount": "CASE WHEN full_refund THEN rest END",
    "refund_shipping": "CASE WHEN full_refund THEN -o_shipping END",
    "refund_taxes": """CASE WHEN full_refund THEN -o_taxes
                            WHEN refund_vat <> 0 THEN -refund_vat END""",
    "refund_taxes_included": """CASE WHEN full_refund AND taxes_included AND tax_base IS NULL
                                     THEN o_taxes END""",
    "refund_partial": """CASE WHEN NOT full_refund AND o_refunded <> 0
                              THEN refund_vat - o_refunded END""",
}


def prepare_orders(
    loader: TableLoader, present: Collection[str], headers: dict[str, str]
) -> tuple[OrderSummary, list[BadValue]]:
    """Compute every order of lx_rows once (lx_orders); (summary, amounts too large).

    `present` names the fields the export has; `headers` their header names, for the
    problems reported. Each order's figures come from its summary row (the one with a
    Total); its lines from every row. Run `order_checks` first: every order has one
    summary row, units are in range. With amounts too large, lx_orders is gone again.
    """
    con = loader.con
    con.execute(_orders_sql(present))
    # An order's sale cells add up to: its lines, less line and order discounts, plus
    # shipping and tax, less the tax inside tax-inclusive prices (spread over the lines
    # to the cent, or taken out on the order).
    sale_total = """coalesce(o_lines, 0) - coalesce(o_line_discounts, 0) - coalesce(rest, 0)
                    + o_shipping + o_taxes - CASE WHEN taxes_included THEN o_taxes ELSE 0 END"""
    row = con.execute(
        f"""SELECT count(*),
                   count(*) FILTER (WHERE NOT counted),
                   count(*) FILTER (WHERE counted AND NOT full_refund AND o_refunded <> 0),
                   coalesce(list(order_id ORDER BY o_first)
                            FILTER (WHERE counted AND ({sale_total}) <> o_total), []),
                   coalesce(max(o_largest_line) >= {MAX_AMOUNT}
                            OR max(abs(o_line_discounts)) >= {MAX_AMOUNT}, FALSE),
                   coalesce(bool_or(tax_base IS NOT NULL), FALSE)
            FROM lx_orders"""
    ).fetchone()
    assert row is not None
    summary = OrderSummary(
        int(row[0]), int(row[1]), int(row[2]), [str(o) for o in row[3]], bool(row[5])
    )
    if not row[4]:
        return summary, []
    too_big = con.execute(
        f"""SELECT line, header, value FROM (
                SELECT line, 'price' AS header, price__text AS value FROM lx_rows r
                WHERE abs({LINE_AMOUNT}) >= {MAX_AMOUNT}
                UNION ALL
                SELECT o_line, 'line_discount', NULL FROM lx_orders
                WHERE abs(o_line_discounts) >= {MAX_AMOUNT})
            ORDER BY line LIMIT 10"""
    ).fetchall()
    con.execute("DROP TABLE lx_orders")  # the file is refused
    bad = [BadValue(int(r[0]), headers.get(r[1], r[1]), "amount", r[2] or "") for r in too_big]
    return summary, bad


def _spec(spec: str | None) -> str:
    """SQL for a shape's literal or @field (as `TableLoader.cells` reads it)."""
    if spec is None:
        return "NULL::VARCHAR"
    return f'"{spec[1:]}"' if spec.startswith("@") else sql_literal(spec)


def _column(name: str | None) -> str:
    return f'"{name}"' if name else "NULL"


def _unpivot(
    shapes: Sequence[tuple[LedgerShape, int]],
    source: str,
    amounts: dict[str, str] | None = None,
    *,
    order_level: bool = False,
) -> str:
    """`TableLoader.cells` of each (shape, number of its first cell) over `source`: the
    same columns, values and rows (for amounts of at most 4 decimals, as money has), as
    one SELECT that unnests each row's cells (a SELECT per cell costs more to plan than
    to run on a month of orders).

    `amounts` gives the SQL of the cells to take, the others are left out (all cells,
    by their field, when None). `order_level`: the order's own cells, on its summary
    row's line (o_line), with no SKU and no units. The shapes must share every column
    but their cells, times, units and transaction type."""
    first = shapes[0][0]
    shared = ("order_id", "order_item_id", "sku", "settlement_id", "reference", "observed")
    if any(getattr(s, a) != getattr(first, a) for s, _ in shapes for a in shared):
        raise ValueError("shapes differ in more than their cells and times")
    cells: dict[str, list[str]] = {k: [] for k in ("cell", "tt", "at", "ad", "time", "day")}
    cells |= {"amount": [], "units": []}
    for shape, start in shapes:
        for number, cell in enumerate(shape.cells, start=start):
            if amounts is not None and cell.amount not in amounts:
                continue
            value = amounts[cell.amount] if amounts is not None else f'"{cell.amount}"'
            value = f"abs({value})" if cell.absolute else f"({value})"
            units = f'"{shape.quantity}"' if cell.quantity and shape.quantity else "NULL"
            cells["cell"].append(f"{number}::SMALLINT")
            cells["tt"].append(_spec(shape.transaction_type))
            cells["at"].append(_spec(cell.amount_type))
            cells["ad"].append(_spec(cell.amount_description))
            cells["time"].append(f'"{shape.time}"')
            cells["day"].append(f'"{shape.day}"')
            cells["amount"].append(f"({int(cell.sign)} * {value})::DECIMAL(38, 4)")
            cells["units"].append("NULL::BIGINT" if order_level else f"{units}::BIGINT")
    lists = ", ".join(f"unnest([{', '.join(v)}]) AS lx_{k}" for k, v in cells.items())
    return f"""SELECT {"o_line" if order_level else "line"} AS line, lx_cell AS cell,
                   lx_time AS posted_at, lx_day AS business_date,
                   {_spec(first.settlement_id)} AS settlement_id,
                   {_column(first.order_id)}::VARCHAR AS order_id,
                   {_column(first.order_item_id)}::VARCHAR AS order_item_id,
                   {"NULL" if order_level else _column(first.sku)}::VARCHAR AS sku,
                   lx_units::INTEGER AS quantity, lx_tt AS transaction_type,
                   lx_at AS amount_type, lx_ad AS amount_description,
                   lx_amount::DECIMAL(18, 4) AS amount,
                   {_column(first.reference)}::VARCHAR AS reference,
                   {_column(first.observed)}::TIMESTAMPTZ AS observed_at
            FROM (SELECT *, {lists} FROM {source})
            WHERE lx_amount <> 0 OR lx_units <> 0"""


def order_cells(
    loader: TableLoader,
    sale: LedgerShape,
    refund: LedgerShape,
    present: Collection[str],
    summary: OrderSummary,
) -> None:
    """lx_cells of every counted order: its lines' cells and its own, for the sale and
    the refund (each with its own dates and transaction type); the refund's cells are
    numbered after the sale's. One statement, after `prepare_orders`; lx_rows then
    holds the orders (what lx_orders held)."""
    con = loader.con
    known = {*LINE_CELLS, *ORDER_CELLS}
    unknown = [c.amount for s in (sale, refund) for c in s.cells if c.amount not in known]
    if unknown:
        raise ValueError(f"no rule for cells {unknown}")
    lines = f"""SELECT r.line, r.order_id, r.sku, r.quantity, {LINE_AMOUNT} AS line_amount,
                       {_line_discount(present)} AS line_disc, o.full_refund,
                       CASE WHEN o.full_refund THEN r.quantity END AS refund_quantity,
                       o.sale_time, o.sale_day, o.refund_time, o.refund_day, o.observed,
                       o.o_taxes, o.tax_base
                FROM lx_rows r JOIN lx_orders o ON o.order_id = r.order_id
                WHERE o.counted"""
    if summary.spreads_tax:
        lines = shopify_tax.line_tax_sql(f"({lines})")
    else:  # no order spreads its tax (a US shop): no line has a share
        lines = f"SELECT *, NULL::DECIMAL(38, 4) AS line_tax FROM ({lines})"
    shapes = [(sale, 1), (refund, len(sale.cells) + 1)]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lx_cells AS
            {_unpivot(shapes, f"({lines})", LINE_CELLS)}
            UNION ALL
            {_unpivot(shapes, "lx_orders WHERE counted", ORDER_CELLS, order_level=True)}"""
    )
    con.execute("DROP TABLE lx_rows")
    con.execute("ALTER TABLE lx_orders RENAME TO lx_rows")


def keep_latest_orders(loader: TableLoader, *, store_id: str, kind: str) -> tuple[int, int]:
    """Count each order once across overlapping exports; (rows removed, orders kept older).

    An order's version is the latest time its export shows (created, paid, cancelled,
    fulfilled), then its refunded amount (refunds only grow). The file's version
    replaces an earlier import's rows for the same store and order when it is as new
    or newer; when an earlier import holds a newer version, the file's cells for that
    order are dropped. Whatever order the files come in, the newest version stands.
    lx_rows holds the file's orders (`order_cells`).
    """
    con = loader.con
    params = [kind, store_id]
    old = """WITH n AS (SELECT order_id, observed, o_refunded::DECIMAL(38, 4) AS refunded
                        FROM lx_rows)
             SELECT l.source_id, l.order_id,
                    (max(l.observed_at) > any_value(n.observed)
                     OR max(l.observed_at) = any_value(n.observed)
                        AND -coalesce(sum(l.amount) FILTER (WHERE l.event = 'refund'), 0)
                            > any_value(n.refunded)) AS newer
             FROM ledger l
             JOIN sources s ON s.source_id = l.source_id
             JOIN n ON n.order_id = l.order_id
             WHERE s.kind = ? AND l.store_id = ?
             GROUP BY l.source_id, l.order_id"""
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE newer), count(*) FILTER (WHERE NOT newer)
            FROM ({old})""",
        params,
    ).fetchone()
    kept, older = (int(row[0]), int(row[1])) if row else (0, 0)
    if not (kept or older):  # no earlier import holds these orders
        return 0, 0
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE lx_old_orders AS {old}", params)
        if kept:
            con.execute(
                """DELETE FROM lx_cells c WHERE EXISTS (
                       SELECT 1 FROM lx_old_orders o WHERE o.newer AND o.order_id = c.order_id)"""
            )
        if not older:
            return 0, kept
        removed = con.execute(
            """DELETE FROM ledger l WHERE EXISTS (
                   SELECT 1 FROM lx_old_orders o WHERE NOT o.newer
                   AND o.source_id = l.source_id AND o.order_id = l.order_id)"""
        ).fetchone()
        return (int(removed[0]) if removed else 0), kept
    finally:
        con.execute("DROP TABLE IF EXISTS temp.lx_old_orders")


def payment_checks(loader: TableLoader, key: Collection[str], currency: str) -> tuple[bool, bool]:
    """(some row repeats another in every field of `key`, some Currency is not the
    store's `currency`), in one plain statement: the lines are looked up (and said)
    only when there is something to say."""
    fields = ", ".join(f'"{k}__text"' for k in key)
    row = loader.con.execute(
        f"""SELECT coalesce(max(n) > 1, FALSE), coalesce(bool_or(other_currency), FALSE)
            FROM (SELECT count(*) AS n,
                         bool_or("currency" IS NOT NULL AND upper("currency") <> ?)
                             AS other_currency
                  FROM lx_rows GROUP BY {fields})""",
        [currency.upper()],
    ).fetchone()
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def payment_cells(loader: TableLoader, shape: LedgerShape) -> None:
    """lx_cells of a Shopify Payments transactions export, in one statement.

    `shape` reads the signed amounts computed here: the fee (a positive cost in the
    export) becomes a negative `fee_amount`. A charge's or refund's own Amount is the
    order money the orders export already counts, so its `gross` is left out; every
    other type's Amount (payouts, reserves, disputes, adjustments) is kept for its
    category. `gross_text` remembers the transaction's gross Amount, part of its
    natural key.
    """
    rows = """SELECT r.*, -r.fee AS fee_amount,
                     CASE WHEN lower(r.type) IN ('charge', 'refund') THEN NULL
                          ELSE r.amount END AS gross,
                     r.amount::VARCHAR AS gross_text
              FROM lx_rows r"""
    loader.con.execute(
        f"CREATE OR REPLACE TEMP TABLE lx_cells AS {_unpivot([(shape, 1)], f'({rows})')}"
    )


def keep_latest_transactions(loader: TableLoader, *, store_id: str, kind: str) -> tuple[int, int]:
    """Count each transaction once across overlapping exports; (removed, kept older).

    Two rows are the same transaction when date, type, order, gross amount and fee
    agree and their payout IDs agree or one has none yet (an export taken before the
    payout lacks it). The version with a payout ID stands; otherwise the newer import.
    Every cell of a transaction carries its date, so only earlier rows of the dates in
    this file are looked at.
    """
    con = loader.con
    params = [kind, store_id]
    match = """WITH new AS (
                   SELECT line, any_value(posted_at) AS posted_at,
                          any_value(transaction_type) AS transaction_type,
                          any_value(order_id) AS order_id, any_value(reference) AS reference,
                          any_value(settlement_id) AS settlement_id,
                          coalesce(sum(amount) FILTER (WHERE amount_type = 'Fee'), 0) AS fee
                   FROM lx_cells GROUP BY line),
               old AS (
                   SELECT l.source_id, l.line, any_value(l.posted_at) AS posted_at,
                          any_value(l.transaction_type) AS transaction_type,
                          any_value(l.order_id) AS order_id,
                          any_value(l.reference) AS reference,
                          any_value(l.settlement_id) AS settlement_id,
                          coalesce(sum(l.amount) FILTER (WHERE l.amount_type = 'Fee'), 0)
                              AS fee
                   FROM ledger l JOIN sources s ON s.source_id = l.source_id
                   WHERE s.kind = ? AND l.store_id = ?
                     AND l.posted_at IN (SELECT posted_at FROM new)
                   GROUP BY l.source_id, l.line)
               SELECT o.source_id, o.line AS old_line, n.line AS new_line,
                      o.settlement_id IS NOT NULL AND n.settlement_id IS NULL AS old_stands
               FROM old o JOIN new n
                 ON o.posted_at = n.posted_at AND o.transaction_type = n.transaction_type
                AND o.order_id IS NOT DISTINCT FROM n.order_id
                AND o.reference IS NOT DISTINCT FROM n.reference AND o.fee = n.fee
                AND (o.settlement_id IS NULL OR n.settlement_id IS NULL
                     OR o.settlement_id = n.settlement_id)"""
    row = con.execute(
        f"""SELECT count(DISTINCT new_line) FILTER (WHERE old_stands),
                   count(*) FILTER (WHERE NOT old_stands)
            FROM ({match})""",
        params,
    ).fetchone()
    kept, replaced = (int(row[0]), int(row[1])) if row else (0, 0)
    if not (kept or replaced):  # no earlier import holds these transactions
        return 0, 0
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE lx_tx_match AS {match}", params)
        if kept:
            con.execute(
                """DELETE FROM lx_cells c WHERE EXISTS (
                       SELECT 1 FROM lx_tx_match m WHERE m.old_stands AND m.new_line = c.line)"""
            )
        if not replaced:
            return 0, kept
        removed = con.execute(
            """DELETE FROM ledger l WHERE EXISTS (
                   SELECT 1 FROM lx_tx_match m WHERE NOT m.old_stands
                   AND m.source_id = l.source_id AND m.old_line = l.line)"""
        ).fetchone()
        return (int(removed[0]) if removed else 0), kept
    finally:
        con.execute("DROP TABLE IF EXISTS temp.lx_tx_match")
