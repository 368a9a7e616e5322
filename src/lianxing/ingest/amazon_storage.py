"""Amazon monthly storage fee report (GET_FBA_STORAGE_FEE_CHARGES_DATA).

One row per ASIN/FNSKU and fulfilment centre for a month: the estimated storage fee
and what it was charged on (average units on hand, item volume, size tier). These are
facts (table `storage_fees`): the settlement's storage charge is the money, and this
report only says how to split it across products. The report names no SKU; ASIN/FNSKU
are matched to SKUs later through `sku_aliases` (filled by the reports that name both).

Rules:
- `month_of_charge` (`2026-10`) is stored as the month's first day;
- older files have `storage_rate`, newer `base_rate` and `utilization_surcharge_rate`:
  neither is stored (the fee already applies them), so both layouts read alike;
- each row keeps its `currency` (the store's when blank);
- an overlapping report (the same month downloaded twice) replaces the rows of the same
  month, ASIN, FNSKU and fulfilment centre, so each month's fee counts once.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
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
    kind="amazon_storage_fees",
    platform="amazon",
    delimiter="\t",
    quoted=False,
    also_delimited=(",",),  # Seller Central's .csv download
    signature=("asin", "fnsku", "month_of_charge", "estimated_monthly_storage_fee"),
    fields=(
        Field("month", ("month_of_charge",), "month", value_required=True),
        Field("asin", ("asin",)),
        Field("fnsku", ("fnsku",)),
        Field("fulfillment_center", ("fulfillment_center",), required=False),
        Field("average_units", ("average_quantity_on_hand",), "number", required=False),
        Field("item_volume", ("item_volume",), "number", required=False),
        Field("size_tier", ("product_size_tier",), required=False),
        Field("fee", ("estimated_monthly_storage_fee",), "money", value_required=True),
        Field("currency", ("currency",), required=False),
    ),
)
FACT_FIELDS = (
    "month",
    "asin",
    "fnsku",
    "fulfillment_center",
    "average_units",
    "item_volume",
    "size_tier",
    "fee",
    "currency",
)


def month_end(month: date | None) -> date | None:
    if month is None:
        return None
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def import_storage_fees(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one monthly storage fee report as `storage_fees` facts: all, or nothing."""
    with read_report(db, workspace, path, FORMAT, progress=progress) as report:
        done = unchanged(report)
        if done is not None:
            return done
        store, created = choose_store(report, workspace, options)
        report.parse(store.timezone)
        report.refuse_duplicates([f.name for f in report.fields])
        check_values(report, currency="currency")
        loader = report.loader
        amazon_fact_load.fill_text(
            loader, "currency", store.currency, present=report.has("currency")
        )
        first, last = loader.span("month")
        last = month_end(last)
        record = source_record(report, store, date_from=first, date_to=last)
        present = {f.name for f in report.fields} | {"currency"}
        fields = {name: (name if name in present else None) for name in FACT_FIELDS}
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = fact_load.replace_facts(
                loader, "storage_fees", source_id=source_id, store_id=store.id, fields=fields
            )
        currencies = loader.distinct("currency")
        return fact_result(
            report,
            store,
            created,
            source_id,
            written=written,
            replaced=replaced,
            date_from=first,
            date_to=last,
            currency=", ".join(currencies) or None,
        )
