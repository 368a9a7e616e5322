"""Amazon FBA long-term storage fee report (GET_FBA_FBA_LONG_TERM_STORAGE_FEE_CHARGES_DATA).

Since 2023 the aged inventory surcharge; one row per snapshot date (the day the fee was
assessed, around the 15th), SKU and age tier: the units charged and the fee. These are
facts (table `long_term_storage_fees`): the settlement's long-term storage charge
(`StorageRenewalBilling`, `FBALongTermStorageFee`, category `storage.aged_surcharge`) is
the money, and this report only says how to split it across SKUs, in the month of its
snapshot — as the monthly storage fee report splits the monthly storage charge.

Two layouts, read alike:
- current: `snapshot-date, sku, fnsku, asin, product-name, condition, per-unit-volume,
  currency, volume-unit, country, qty-charged, amount-charged, surcharge-age-tier,
  rate-surcharge`;
- old (until 2022): `snapshot-date, sku, fnsku, asin, product-name, condition,
  qty-charged-12-mo-long-term-storage-fee, per-unit-volume, currency,
  12-mo-long-terms-storage-fee, qty-charged-6-mo-long-term-storage-fee,
  6-mo-long-terms-storage-fee, volume-unit, country, enrolled-in-small-and-light`:
  a line's fee is its 12-month plus its 6-month fee (and so are its units); no tier.

Rules:
- its first columns are those of an inventory snapshot: it is told apart by its fee
  columns, and the inventory report refuses a file that has them;
- tab-separated from the API, comma-separated with every field quoted from Seller
  Central (`delimited`);
- each row keeps its `currency` (the store's when blank); the product name and the
  rate are not stored;
- a later report of the same snapshot replaces the rows of the same SKU, FNSKU,
  condition, country and tier, so each fee counts once however many overlapping files
  are imported; SKU ↔ ASIN/FNSKU pairs are remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lianxing.ingest import delimited
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
from lianxing.store import amazon_fact_load, fact_load, long_term_storage
from lianxing.store.database import Database
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]
KIND = "amazon_long_term_storage"
# Columns both layouts share.
_COMMON = (
    Field("snapshot", ("snapshot-date",), "day", value_required=True),
    Field("sku", ("sku",), value_required=True),
    Field("fnsku", ("fnsku",)),
    Field("asin", ("asin",), required=False),
    Field("condition", ("condition",), required=False),
    Field("country", ("country",), required=False),
    Field("per_unit_volume", ("per-unit-volume",), "number", required=False),
    Field("volume_unit", ("volume-unit",), required=False),
    Field("currency", ("currency",), required=False),
)
CURRENT = ReportFormat(
    kind=KIND,
    platform="amazon",
    delimiter="\t",
    quoted=False,
    also_delimited=(",",),
    signature=("snapshot-date", "sku", "fnsku", "qty-charged", "amount-charged"),
    fields=(
        *_COMMON,
        Field("units", ("qty-charged",), "count"),
        Field("fee", ("amount-charged",), "money", value_required=True),
        Field("age_tier", ("surcharge-age-tier",), required=False),
    ),
)
FEE_12 = ("12-mo-long-terms-storage-fee", "12-mo-long-term-storage-fee")
FEE_6 = ("6-mo-long-terms-storage-fee", "6-mo-long-term-storage-fee")
OLD = ReportFormat(
    kind=KIND,
    platform="amazon",
    delimiter="\t",
    quoted=False,
    also_delimited=(",",),
    signature=("snapshot-date", "sku", "fnsku", "qty-charged-12-mo-long-term-storage-fee"),
    fields=(
        *_COMMON,
        Field("units_12", ("qty-charged-12-mo-long-term-storage-fee",), "count"),
        Field("fee_12", FEE_12, "money", value_required=True),
        Field("units_6", ("qty-charged-6-mo-long-term-storage-fee",), "count", required=False),
        Field("fee_6", FEE_6, "money", required=False),
    ),
)
# Headers only a long-term storage fee report has: an inventory report refuses them.
FEE_HEADERS = ("amount-charged", "qty-charged", *FEE_12, "qty-charged-12-mo-long-term-storage-fee")
FACT_FIELDS = (
    "snapshot",
    "sku",
    "fnsku",
    "asin",
    "condition",
    "country",
    "age_tier",
    "units",
    "per_unit_volume",
    "volume_unit",
    "fee",
    "currency",
)


def file_format(path: Path) -> ReportFormat:
    """The layout of this file (the current one when its header is neither)."""
    try:
        with path.open("rb") as handle:
            line = handle.readline(65536).decode("utf-8", "replace").lstrip("\ufeff")
    except OSError:
        return CURRENT  # read_report names the problem
    return OLD if delimited.written_as(OLD, line.rstrip("\r\n")) is not None else CURRENT


def import_long_term_storage(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one long-term storage fee report as `long_term_storage_fees`: all, or nothing."""
    with read_report(db, workspace, path, file_format(path), progress=progress) as report:
        done = unchanged(report)
        if done is not None:
            return done
        store, created = choose_store(report, workspace, options)
        report.parse(store.timezone)
        report.refuse_duplicates([f.name for f in report.fields])
        check_values(report, currency="currency", counts=["units", "units_12", "units_6"])
        loader = report.loader
        present = {f.name for f in report.fields}
        if report.fmt.signature == OLD.signature:
            long_term_storage.combine_old_layout(loader, present)
        amazon_fact_load.fill_text(
            loader, "currency", store.currency, present=report.has("currency")
        )
        first, last = loader.span("snapshot")
        record = source_record(report, store, date_from=first, date_to=last)
        present |= {"currency", "fee", "units"}  # filled or combined above
        fields = {name: (name if name in present else None) for name in FACT_FIELDS}
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = fact_load.replace_facts(
                loader,
                "long_term_storage_fees",
                source_id=source_id,
                store_id=store.id,
                fields=fields,
            )
            fact_load.record_aliases(
                loader,
                source_id=source_id,
                store_id=store.id,
                sku="sku",
                asin="asin" if report.has("asin") else None,
                fnsku="fnsku",
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
            currency=", ".join(loader.distinct("currency")) or None,
        )
