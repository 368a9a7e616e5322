"""Amazon FBA customer returns report (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA).

One row per returned unit batch: when it came back, for which order and SKU, how many,
its condition (`detailed-disposition`), why, and what happened to it. These are facts
(table `returns`), not money: the refund itself is in the settlement.

Rules:
- `sellable` is true only for the disposition SELLABLE; DAMAGED, CUSTOMER_DAMAGED,
  DEFECTIVE, CARRIER_DAMAGED, EXPIRED and any other (or blank) disposition are not;
- `customer-comments` is the buyer's own free text and is never read (nor is the
  product name): those columns are not even staged;
- the return date is the store's business day (the report writes zoned times);
- an overlapping report replaces the rows of the same day, order, SKU, FNSKU, license
  plate, disposition and reason (status may have moved on), so each return counts once;
- SKU ↔ ASIN/FNSKU pairs are remembered for the reports that name only ASIN/FNSKU.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lianxing.ingest.amazon_facts import check_values, choose_store, fact_result
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
    new_source,
    read_report,
    source_record,
    unchanged,
)
from lianxing.store import amazon_fact_load, fact_load
from lianxing.store.database import Database
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]

FORMAT = ReportFormat(
    kind="amazon_returns",
    platform="amazon",
    delimiter="\t",
    quoted=False,
    also_delimited=(",",),  # Seller Central's .csv download
    signature=("return-date", "order-id", "sku", "detailed-disposition"),
    fields=(
        Field("day", ("return-date",), "day", value_required=True),
        Field("order_id", ("order-id",)),
        Field("sku", ("sku",), value_required=True),
        Field("asin", ("asin",), required=False),
        Field("fnsku", ("fnsku",), required=False),
        Field("quantity", ("quantity",), "count", value_required=True),
        Field("disposition", ("detailed-disposition",)),
        Field("reason", ("reason",), required=False),
        Field("status", ("status",), required=False),
        Field("license_plate", ("license-plate-number",), required=False),
    ),
)
# Fact columns filled from the field of the same name (when the file has it).
FACT_FIELDS = (
    "day",
    "order_id",
    "sku",
    "asin",
    "fnsku",
    "quantity",
    "disposition",
    "sellable",
    "reason",
    "status",
    "license_plate",
)


def import_returns(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one customer returns report as `returns` facts: all of it, or nothing."""
    with read_report(db, workspace, path, FORMAT, progress=progress) as report:
        done = unchanged(report)
        if done is not None:
            return done
        store, created = choose_store(report, workspace, options)
        report.parse(store.timezone)
        report.refuse_duplicates([f.name for f in report.fields])
        check_values(report, counts=["quantity"])
        amazon_fact_load.add_flag(report.loader, "sellable", "disposition", "SELLABLE")
        first, last = report.loader.span("day")
        record = source_record(report, store, date_from=first, date_to=last)
        present = {f.name for f in report.fields} | {"sellable"}
        fields = {name: (name if name in present else None) for name in FACT_FIELDS}
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = fact_load.replace_facts(
                report.loader, "returns", source_id=source_id, store_id=store.id, fields=fields
            )
            fact_load.record_aliases(
                report.loader,
                source_id=source_id,
                store_id=store.id,
                sku="sku",
                asin="asin" if report.has("asin") else None,
                fnsku="fnsku" if report.has("fnsku") else None,
            )
        return fact_result(
            report,
            store,
            created,
            source_id,
            written=written,
            replaced=replaced,
            date_from=first,
            date_to=last,
        )
