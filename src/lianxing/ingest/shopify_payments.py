"""Shopify Payments transactions export (Finance → Payouts → Export transactions, CSV).

Columns: Transaction Date, Type, Order, Card Brand, Card Source, Payout Status, Payout
Date, Payout ID, Available On, Amount, Fee, Net, Checkout, Payment Method Name,
Presentment Amount, Presentment Currency, Currency (newer files add VAT and Business
Entity columns). The export is the record of Shopify Payments **fees** only:

- every Fee (positive in the file) is a Shopify Payments fee, negative in the ledger,
  on the transaction's order and date (Transaction Date, store zone);
- a charge's or refund's Amount is the same money as the orders export's sales and
  refunds, so it is never written (counted once, from the orders export);
- payout rows are balance movements (`transfers.payout`), reserves `transfers.reserve`,
  disputes refunded sales; the Shop app's types are mapped too (Shop Campaigns billing
  → advertising, marketplace sales tax → pass-through, Shop Cash credits → balance,
  see data/mappings/shopify.toml); other types keep their Amount and are reported as
  unmapped until a mapping says what they are;
- Payout ID is kept as the row's settlement id, the gross Amount as its reference;
- overlapping exports: a transaction (date, type, order, amount, fee, payout ID —
  missing on transactions not paid out yet) is counted once; the version with a payout
  ID stands, else the later import (store.shopify_load.keep_latest_transactions).

Card brand, card source, checkout and presentment columns are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lianxing.codemap import CodeMap
from lianxing.ingest import shopify
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
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
from lianxing.store.table_load import Cell, LedgerShape
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]
LAYOUT = "payments"

FORMAT = ReportFormat(
    kind="shopify_payments",
    platform=shopify.PLATFORM,
    delimiter=",",
    signature=("transaction date", "type", "amount", "fee", "net"),
    fields=(
        Field("date", ("transaction date",), "time", value_required=True),
        Field("day", ("transaction date",), "day", value_required=True),
        Field("type", ("type",), value_required=True),
        Field("order", ("order",), required=False),
        Field("payout_id", ("payout id",), required=False),
        Field("amount", ("amount",), "money", value_required=True),
        Field("fee", ("fee",), "money"),
        Field("currency", ("currency",), value_required=True),
    ),
)


def import_payments(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one Shopify Payments transactions export: its fees, all or nothing."""
    with read_report(db, workspace, path, FORMAT, progress=progress) as report:
        codemap = CodeMap(
            shopify.PLATFORM, workspace.config.mapping_rules().get(shopify.PLATFORM, [])
        )
        done = unchanged(report, codemap.fingerprint)
        if done is not None:
            return done
        with shopify.store_for(report, workspace, options, when="date") as (
            store,
            created,
        ):
            report.parse(store.timezone)
            key = [f.name for f in report.fields]
            repeated, other_currency = shopify_load.payment_checks(
                report.loader, key, store.currency
            )
            if repeated:
                report.refuse_duplicates(key)
            if other_currency:
                shopify.check_currency(report, store)
            shape = LedgerShape(
                cells=(
                    Cell("fee_amount", "Fee", "Shopify Payments"),
                    Cell("gross", "Amount", "Shopify Payments"),
                ),
                transaction_type="@type",
                time="date",
                day="day",
                order_id="order" if report.has("order") else None,
                settlement_id="@payout_id" if report.has("payout_id") else None,
                reference="gross_text",
            )
            shopify_load.payment_cells(report.loader, shape)
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
                replaced, kept_older = shopify_load.keep_latest_transactions(
                    report.loader, store_id=store.id, kind=FORMAT.kind
                )
                written = report.loader.write_ledger(
                    source_id=source_id, store_id=store.id, currency=store.currency
                )
        result = ledger_result(
            db, report, store, source_id, written=written, replaced=replaced,
            created=created,
        )  # fmt: skip
        if kept_older:
            result.notes.append(("shopify.older_transactions", {"count": kept_older}))
        return result
