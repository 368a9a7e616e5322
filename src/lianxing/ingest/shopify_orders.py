"""Shopify orders export (Orders → Export, CSV): the record of a Shopify store's sales.

One row per line item; the order's own figures (Financial Status, Currency, Subtotal,
Shipping, Taxes, Total, Discount Amount, Refunded Amount, Paid at, Cancelled at ...)
are filled on its first row only. The export is the record of sales, shipping charged,
discounts, sales tax collected and refunds; the Shopify Payments transactions export
adds only the processing fees (see shopify_payments and docs/counting.md). Ledger rows
are `settled`: Shopify has no later settlement that would replace them.

Rules:
- each line: Lineitem price × Lineitem quantity is product sales on the line's SKU,
  with the units (once per line item); Lineitem discount is a promotion on that SKU;
- two identical line rows are data, never refused: the export writes the same variant
  twice at the same price as two rows alike (the order's Subtotal adds up only when both
  count); each keeps its line number. An order's summary row twice is still refused
  (two exports pasted together: shopify.order_twice);
- the order's Discount Amount is its whole discount: the part no line carries is a
  promotion on the order with no SKU (so line and order discounts never add twice);
- Shipping is shipping revenue; Taxes is sales tax collected (pass-through, never
  profit). When prices include tax (Taxes Included is true; in older exports without
  that column, Total = goods + shipping), the tax inside the prices is taken out of
  each line's sales again, pro rata to the cent (store.shopify_tax), so per-SKU sales
  exclude VAT;
- refunds: a Refunded Amount equal to Total reverses every part of the order (lines
  with their units, discounts, shipping, tax); a smaller one is refunded product sales
  on the order, since the export does not say which part was refunded (with tax
  included, less its share of Taxes — as the refund is of Total — refunded as tax);
- dates: the sale by Created at, the refund by Cancelled at when the order was
  cancelled, else by Created at (the export has no refund date), in the store's zone;
- orders that received no money (Financial Status pending, authorized, voided,
  expired, unpaid) give no rows; the import says how many it left out;
- overlapping exports: the newest version of each order stands (latest of its
  created/paid/cancelled/fulfilled times, then its refunded amount; a tie goes to the
  later import) — store.shopify_load.keep_latest_orders;
- buyer columns (names, addresses, e-mail, phone, notes) are never read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lianxing.codemap import CodeMap
from lianxing.errors import InputError, Problem
from lianxing.ingest import shopify
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
    bad_value_problems,
    ledger_result,
    map_cells,
    new_source,
    read_report,
    remap_earlier,
    source_record,
    unchanged,
)
from lianxing.store import shopify_load
from lianxing.store.database import Database
from lianxing.store.table_load import BadValue, Cell, LedgerShape
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]
LAYOUT = "orders"

FORMAT = ReportFormat(
    kind="shopify_orders",
    platform=shopify.PLATFORM,
    delimiter=",",
    signature=("name", "financial status", "lineitem quantity", "lineitem price", "total"),
    fields=(
        Field("order_id", ("name",), value_required=True),
        Field("status", ("financial status",)),
        Field("currency", ("currency",)),
        Field("created", ("created at",), "time"),
        Field("created_day", ("created at",), "day"),
        Field("paid", ("paid at",), "time", required=False),
        Field("cancelled", ("cancelled at",), "time", required=False),
        Field("cancelled_day", ("cancelled at",), "day", required=False),
        Field("fulfilled", ("fulfilled at",), "time", required=False),
        Field("total", ("total",), "money"),
        Field("shipping", ("shipping",), "money"),
        Field("taxes", ("taxes",), "money"),
        Field("included_flag", ("taxes included",), required=False),
        Field("discount", ("discount amount",), "money"),
        Field("refunded", ("refunded amount",), "money"),
        Field("quantity", ("lineitem quantity",), "count", value_required=True),
        Field("price", ("lineitem price",), "money", value_required=True),
        Field("sku", ("lineitem sku",)),
        Field("line_name", ("lineitem name",), required=False),
        Field("line_discount", ("lineitem discount",), "money", required=False),
    ),
)

SALE = LedgerShape(
    cells=(
        Cell("sale_price", "Lineitem", "Price", quantity=True),
        Cell("sale_line_discount", "Lineitem", "Discount"),
        Cell("sale_order_discount", "Order", "Discount"),
        Cell("sale_shipping", "Order", "Shipping"),
        Cell("sale_taxes", "Order", "Taxes"),
        Cell("sale_taxes_included", "Order", "TaxesIncluded"),
        Cell("sale_line_taxes_included", "Lineitem", "TaxesIncluded"),
    ),
    transaction_type="Order",
    time="sale_time",
    day="sale_day",
    order_id="order_id",
    sku="sku",
    quantity="quantity",
    observed="observed",
)
REFUND = LedgerShape(
    cells=(
        Cell("refund_price", "Lineitem", "Price", quantity=True),
        Cell("refund_line_discount", "Lineitem", "Discount"),
        Cell("refund_order_discount", "Order", "Discount"),
        Cell("refund_shipping", "Order", "Shipping"),
        Cell("refund_taxes", "Order", "Taxes"),
        Cell("refund_taxes_included", "Order", "TaxesIncluded"),
        Cell("refund_partial", "Order", "RefundedAmount"),
        Cell("refund_line_taxes_included", "Lineitem", "TaxesIncluded"),
    ),
    transaction_type="Refund",
    time="refund_time",
    day="refund_day",
    order_id="order_id",
    sku="sku",
    quantity="refund_quantity",
    observed="observed",
)


def _order_problems(file: str, problems: list[shopify_load.OrderProblem]) -> InputError:
    found = [
        Problem(
            "shopify.order_twice" if p.kind == "twice" else "shopify.order_no_summary",
            {"order": p.order_id, "first": p.first},
            file,
            p.line,
        )
        for p in problems
    ]
    return InputError(found[0].key, problems=found)


def _refuse_values(file: str, bad: list[BadValue]) -> None:
    if bad:
        found = bad_value_problems(file, bad)
        raise InputError(found[0].key, problems=found)


def import_orders(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one Shopify orders export as settled ledger rows: all of it, or nothing."""
    with read_report(db, workspace, path, FORMAT, progress=progress) as report:
        codemap = CodeMap(
            shopify.PLATFORM, workspace.config.mapping_rules().get(shopify.PLATFORM, [])
        )
        done = unchanged(report, codemap.fingerprint)
        if done is not None:
            return done
        file = report.file
        with shopify.store_for(report, workspace, options, when="created") as (
            store,
            created,
        ):
            report.parse(store.timezone)
            present = {f.name for f in report.fields}
            headers = {f.name: f.header for f in report.fields}
            checks = shopify_load.order_checks(report.loader, present, store.currency)
            if checks.problems:
                raise _order_problems(file, checks.problems)
            if checks.other_currency:
                shopify.check_currency(report, store)
            _refuse_values(file, shopify_load.check_values(checks, headers))
            summary, too_large = shopify_load.prepare_orders(report.loader, present, headers)
            _refuse_values(file, too_large)
            shopify_load.order_cells(report.loader, SALE, REFUND, present, summary)
            map_cells(report, codemap, LAYOUT)
            record = source_record(
                report,
                store,
                currency=store.currency,
                mapping_version=codemap.version,
                mapping_fingerprint=codemap.fingerprint,
            )
            with new_source(db, workspace, record, store if created else None) as source_id:
                remap_earlier(db, report, source_id)
                replaced, kept_older = shopify_load.keep_latest_orders(
                    report.loader, store_id=store.id, kind=FORMAT.kind
                )
                written = report.loader.write_ledger(
                    source_id=source_id, store_id=store.id, currency=store.currency
                )
        shown, personal = shopify.split_ignored(report.ignored)
        result = ledger_result(
            db, report, store, source_id, written=written, replaced=replaced,
            created=created, day="sale_day", ignored=shown,
        )  # fmt: skip
        notes = result.notes
        if summary.left_out:
            notes.append(("shopify.orders_left_out", {"count": summary.left_out}))
        if summary.partial_refunds:
            notes.append(("shopify.partial_refunds", {"count": summary.partial_refunds}))
        if summary.mismatched:
            notes.append(
                (
                    "shopify.total_mismatch",
                    {"count": len(summary.mismatched), "order": summary.mismatched[0]},
                )
            )
        if kept_older:
            notes.append(("shopify.older_orders", {"count": kept_older}))
        if personal:
            notes.append(("shopify.personal_columns", {"count": personal}))
        return result
