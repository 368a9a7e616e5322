"""Tax inside tax-inclusive Shopify prices, taken out of each line (UK, EU, ZA, AU shops).

A shop outside the US prices with tax included: a line's price holds VAT, and the
order's Taxes is the VAT of the whole order. Taken back out on the order as a whole
(no SKU), every SKU's sales and margin would stay overstated by the VAT rate. So the
order's Taxes is spread over its line rows in proportion to each line's own amount
after its line discount, to the cent; the largest share (the first such line on a tie)
takes what rounding leaves, so the shares add up to the order's Taxes exactly. A line
with no SKU (a custom item) is a line too and takes its share. Only when no line has
an amount left (everything free, the tax on shipping alone) does the tax stay on the
order's own row.

The export does not say how much of Taxes is the VAT on shipping, so all of it comes
out of the lines: each order's product sales, less its discounts, add up to its
Subtotal − Taxes.
"""

from __future__ import annotations

from lianxing.store.table_load import TableLoader

# Works on the rows store.shopify_load.prepare_orders leaves in lx_rows: line rows and
# one order row per order, with taxes_included, line_amount, line_disc and o_taxes.
SPREAD = """
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
    -- The share in whole cents, rounded half away from zero, computed in integers.
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
FROM s
"""


def spread_included_taxes(loader: TableLoader) -> None:
    """Move the tax of tax-inclusive orders from the order row onto its lines.

    Adds `sale_line_taxes_included` / `refund_line_taxes_included` (the line's share,
    signed the ledger's way) and clears the order row's tax-included cells wherever
    the lines carry the tax.
    """
    row = loader.con.execute("SELECT bool_or(taxes_included) FROM lx_rows").fetchone()
    if row is not None and row[0]:
        loader.con.execute(SPREAD)
        return
    # No tax-inclusive order (a US shop): nothing moves; the share columns stay empty.
    for column in ("sale_line_taxes_included", "refund_line_taxes_included"):
        loader.con.execute(f"ALTER TABLE lx_rows ADD COLUMN {column} DECIMAL(38, 4)")
