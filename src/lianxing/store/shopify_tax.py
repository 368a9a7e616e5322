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

# A line's weight: its amount after its line discount (never below zero). The order's
# tax base is the sum of its lines' weights (store.shopify_load.ORDERS).
WEIGHT = "greatest(line_amount - line_disc, 0)"


def line_tax_sql(lines: str) -> str:
    """SELECT over `lines` (a table or CTE with line, order_id, line_amount, line_disc,
    o_taxes and tax_base: the order's base when it spreads its tax — prices include
    tax and some line has an amount left — else NULL) adding `line_tax`, the line's
    share of the order's Taxes in whole cents (NULL where the order spreads none)."""
    return f"""
    SELECT s.* EXCLUDE (lx_rank, lx_share),
           CASE WHEN lx_rank = 1 AND lx_share IS NOT NULL
                THEN o_taxes - (sum(lx_share) OVER (PARTITION BY order_id) - lx_share)
                ELSE lx_share END AS line_tax
    FROM (
        SELECT w.*,
               -- The share in whole cents, rounded half away from zero, in integers.
               CASE WHEN tax_base > 0 THEN
                   ((((o_taxes * 10000)::HUGEINT * ({WEIGHT} * 10000)::HUGEINT * 2
                      + sign(o_taxes) * (tax_base * 10000)::HUGEINT * 100)
                     // ((tax_base * 10000)::HUGEINT * 200))::DECIMAL(38, 0) * 0.01)
                       ::DECIMAL(38, 4)
               END AS lx_share,
               row_number() OVER (PARTITION BY order_id
                                  ORDER BY CASE WHEN tax_base > 0 THEN {WEIGHT} END
                                           DESC NULLS LAST, line) AS lx_rank
        FROM {lines} w
    ) s"""
