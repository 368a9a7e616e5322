"""Amazon All Orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL).

Orders appear here days before they settle, so this report gives **estimated** ledger
rows: sales, shipping, gift wrap and promotions of each order item, dated by purchase
date in the store's zone. They are replaced by the settled rows once the settlement
for the same order item (store, order, SKU) is imported — a rule the profit query
applies, so the result never depends on import order. Fees of an estimated item are
estimated at query time from the latest settled fees of the same SKU.

Rules:
- cancelled items, items without a price yet (Pending) and orders of other sales
  channels (multi-channel fulfilment shows as "Non-Amazon") give no rows; the import
  says how many it left out;
- sales tax is left out: Amazon collects and remits it (marketplace facilitator), it
  never counts in profit;
- buyer fields (ship-city, ship-postal-code, ...) are never read;
- of two overlapping reports, the newer version of an item (last-updated-date) wins;
- identical lines are data, never refused: the report writes an order item once per
  shipment, so two units shipped separately are two lines alike byte for byte. Each
  counts its units and keeps its own line number; an item's lines are replaced
  together by a newer report (store.table_load.replace_estimates), never one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lianxing.codemap import CodeMap
from lianxing.errors import InputError
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
    ledger_result,
    map_cells,
    new_source,
    platform_store,
    read_report,
    remap_earlier,
    source_record,
    unchanged,
)
from lianxing.store import fact_load
from lianxing.store.database import Database
from lianxing.store.table_load import Cell, LedgerShape
from lianxing.workspace import Workspace, marketplace_for_name

ProgressFn = Callable[[int, int], None]
LAYOUT = "all_orders"

FORMAT = ReportFormat(
    kind="amazon_all_orders",
    platform="amazon",
    delimiter="\t",
    quoted=False,
    also_delimited=(",",),  # Seller Central's .csv download
    signature=("amazon-order-id", "purchase-date", "order-status", "sku", "item-price"),
    fields=(
        Field("order_id", ("amazon-order-id",), value_required=True),
        Field("purchased", ("purchase-date",), "time", value_required=True),
        Field("day", ("purchase-date",), "day", value_required=True),
        Field("updated", ("last-updated-date",), "time", required=False),
        Field("order_status", ("order-status",)),
        Field("sales_channel", ("sales-channel",), required=False),
        Field("sku", ("sku",), value_required=True),
        Field("asin", ("asin",), required=False),
        Field("item_status", ("item-status",), required=False),
        Field("quantity", ("quantity", "quantity-purchased"), "count", value_required=True),
        Field("currency", ("currency",), required=False),
        Field("item_price", ("item-price",), "amount"),
        Field("shipping_price", ("shipping-price",), "amount", required=False),
        Field("gift_wrap_price", ("gift-wrap-price",), "amount", required=False),
        Field("item_promotion", ("item-promotion-discount",), "amount", required=False),
        Field("ship_promotion", ("ship-promotion-discount",), "amount", required=False),
    ),
)

CELLS = (
    Cell("item_price", "ItemPrice", "Principal", quantity=True),
    Cell("shipping_price", "ItemPrice", "Shipping"),
    Cell("gift_wrap_price", "ItemPrice", "GiftWrap"),
    # Reports show discounts both as '2.00' and '-2.00': a discount always lowers sales.
    Cell("item_promotion", "Promotion", "Principal", sign=-1, absolute=True),
    Cell("ship_promotion", "Promotion", "Shipping", sign=-1, absolute=True),
)


def import_all_orders(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one All Orders report as estimated ledger rows: all of it, or nothing."""
    with read_report(db, workspace, path, FORMAT, progress=progress) as report:
        codemap = CodeMap("amazon", workspace.config.mapping_rules().get("amazon", []))
        done = unchanged(report, codemap.fingerprint)
        if done is not None:
            return done
        file = report.file
        channels = []
        channel_field = next((f for f in report.fields if f.name == "sales_channel"), None)
        if channel_field is not None:
            channels = report.loader.staged_values(channel_field.column)
        markets = {
            m.id for c in channels if (m := marketplace_for_name(c)) and m.platform == "amazon"
        }
        if len(markets) > 1 and options.store_id is None:
            raise InputError.at("store.cannot_tell", file=file)
        store, created = platform_store(
            workspace, "amazon", options.store_id, file, marketplace=next(iter(markets), None)
        )
        # Identical lines are not refused: the report writes an order item once per
        # shipment, so two units shipped apart are two identical lines (docs/counting.md).
        report.parse(store.timezone)

        names = [
            c for c in channels if (m := marketplace_for_name(c)) and m.id == store.marketplace
        ]
        keep = ["item_price IS NOT NULL", "quantity > 0"]
        for status in ("order_status", "item_status"):
            if report.has(status):
                keep.append(f"{status} IS NULL OR lower({status}) NOT IN ('cancelled', 'canceled')")
        if report.has("sales_channel") and channels:
            listed = ", ".join("'" + n.replace("'", "''") + "'" for n in names) or "NULL"
            keep.append(f"sales_channel IN ({listed})")
        where = " AND ".join(f"({k})" for k in keep)
        left_out = report.rows - report.loader.count("lx_rows", where)

        if report.has("currency"):
            wrong = report.loader.first_other_text("currency", store.currency, where)
            if wrong is not None:
                line, value = wrong
                raise InputError.at(
                    "store.currency_mismatch",
                    file=file,
                    line=line,
                    column="currency",
                    store=store.id,
                    expected=store.currency,
                    found=value,
                )
        shape = LedgerShape(
            cells=[c for c in CELLS if report.has(c.amount)],
            transaction_type="Order",
            time="purchased",
            day="day",
            order_id="order_id",
            sku="sku",
            quantity="quantity",
            observed="updated" if report.has("updated") else "purchased",
        )
        report.loader.cells(shape, where)
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
            replaced = report.loader.replace_estimates(
                store.id,
                source_id=source_id,
                observed="updated" if report.has("updated") else "purchased",
                live=where,
            )
            written = report.loader.write_ledger(
                source_id=source_id,
                store_id=store.id,
                currency=store.currency,
                basis="estimated",
            )
            fact_load.record_aliases(
                report.loader,
                source_id=source_id,
                store_id=store.id,
                sku="sku",
                asin="asin" if report.has("asin") else None,
            )
        result = ledger_result(
            db, report, store, source_id, written=written, replaced=replaced,
            created=created,
        )  # fmt: skip
        if left_out:
            result.notes.append(("orders.left_out", {"count": left_out}))
        return result
