"""Amazon FBA Inventory Ledger report, detailed view (GET_LEDGER_DETAIL_VIEW_DATA).

Seller Central › Reports › Fulfillment › Inventory Ledger › Detailed view lists every
inventory event of an FNSKU/MSKU at a fulfilment centre: receipts, customer shipments,
customer returns, vendor returns (removals), warehouse transfers and adjustments, each
with its signed unit quantity (+ in, - out), disposition and country. These are facts
(table `inventory_events`), never money — the report carries none; a reimbursement for
a lost unit is in the settlement — and the report names no buyer.

The download's header (Seller Central, .txt and .csv alike) is
`Date, FNSKU, ASIN, MSKU, Title, Event Type, Reference ID, Quantity, Fulfillment Center,
Disposition, Reason, Country, Reconciled Quantity, Unreconciled Quantity, Date and Time`
(some files add `Store`). Event types as the download and the API's `eventType` option
spell them: Shipments, Receipts, CustomerReturns, VendorReturns, WhseTransfers,
Adjustments. `Reason` holds the adjustment reason code (the online view shows its
description instead); `Reconciled/Unreconciled Quantity` say how many units of a lost,
found or FC-damaged adjustment were since found or reimbursed, and move on from one
download to the next.

Adjustment reason codes (sign, meaning):
- 6, 7, E, H, K, U (-) damaged at an Amazon fulfilment centre: a decrease of the
  carrier-damaged (6), expired (7), sellable (E), customer-damaged (H), defective (K)
  or distributor-damaged (U) units, always followed by a P increase of FC-damaged units;
- D (-) disposed of; G (-) disposed of as a donation to charity;
- M, 5 (-) misplaced: missing from a bin location in a fulfilment centre (lost);
- F (+) found: missing inventory found; N (+) found: wrongly assigned inventory moved to
  your account, or an Amazon reimbursement;
- 3 (+) / 4 (-) product redefinition: two SKUs found to be one item, moved from one
  to the other;
- O (-) inventory correction: units moved out of your account, received by mistake or
  reimbursed by Amazon;
- P (+) / Q (-) disposition change: units removed from one disposition (Q, or one of
  the damage codes) and added back as another (P);
- 1, 2, J software corrections of inventory discrepancies (from the older Inventory
  Adjustments report's code table).

Rules:
- columns are found by name under any known spelling (the Seller Central headers, the
  API documentation's `EventType`, `ReferenceID`, ...), never by position;
- tab-separated files are read unquoted (a '"' in a title is a character) unless their
  header is quoted; comma-separated files are quoted the RFC 4180 way;
- `Date` is the event's business day (MM/DD/YYYY in Seller Central downloads, ISO
  dates and zoned times are read too); `Date and Time`, `Title` and `Store` are not
  stored;
- event types and reason codes are stored exactly as the file writes them; values not
  listed above are kept too and counted in the import's notes, never dropped;
- a later download replaces the events of the same day, SKU, FNSKU, event type,
  reference, centre, disposition, reason and country (their reconciled units move on),
  so each event counts once however many overlapping files are imported;
- SKU ↔ ASIN/FNSKU pairs are remembered for the reports that name only ASIN/FNSKU.

Sources: Seller Central help "Inventory Ledger report" (G4FKT5KQWFFJ7LDN: detailed
view fields, the download example with reason code M and reconciled 5 / unreconciled
11, the adjustment types and reason codes table), the older "Inventory adjustments"
help (200372710 / 200453260: codes 1, 2, J, and the code groups), and the SP-API
report type values for FBA (GET_LEDGER_DETAIL_VIEW_DATA: a tab-delimited flat file;
`eventType` report option values).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
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


def _spellings(*names: str) -> tuple[str, ...]:
    """A header as Seller Central writes it ('event type'), then as the API documentation
    writes it ('eventtype') and with '-' or '_' between its words."""
    found: list[str] = []
    for name in names:
        words = name.split()
        for spelling in (name, "".join(words), "-".join(words), "_".join(words)):
            if spelling not in found:
                found.append(spelling)
    return tuple(found)


FORMAT = ReportFormat(
    kind="amazon_inventory_ledger",
    platform="amazon",
    delimiter="\t",
    quoted=False,
    signature=("date", "fnsku", "msku", "quantity", "disposition"),
    fields=(
        Field("day", ("date",), "day", value_required=True),
        Field("fnsku", ("fnsku",)),
        Field("asin", ("asin",), required=False),
        Field("sku", _spellings("msku", "merchant sku")),
        Field("event_type", _spellings("event type"), value_required=True),
        Field("reference_id", _spellings("reference id"), required=False),
        Field("quantity", ("quantity",), "count", value_required=True),
        Field(
            "fulfillment_center",
            _spellings("fulfillment center", "fulfilment centre", "fulfillment center id"),
            required=False,
        ),
        Field("disposition", ("disposition",)),
        Field("reason", ("reason",), required=False),
        Field("country", ("country",), required=False),
        Field("reconciled", _spellings("reconciled quantity"), "count", required=False),
        Field("unreconciled", _spellings("unreconciled quantity"), "count", required=False),
    ),
)
# The .csv download: every field quoted.
CSV_FORMAT = replace(FORMAT, delimiter=",", quoted=True)

# Fact columns filled from the field of the same name (when the file has it).
FACT_FIELDS = (
    "day",
    "sku",
    "fnsku",
    "asin",
    "event_type",
    "reference_id",
    "quantity",
    "fulfillment_center",
    "disposition",
    "reason",
    "country",
    "reconciled",
    "unreconciled",
)
EVENT_TYPES = (
    "Shipments",
    "Receipts",
    "CustomerReturns",
    "VendorReturns",
    "WhseTransfers",
    "Adjustments",
)
# Reason code: (sign of the adjustment, meaning), from the sources above.
REASON_CODES: dict[str, tuple[str, str]] = {
    "6": ("-", "Damaged at Amazon fulfillment center (was carrier-damaged)"),
    "7": ("-", "Damaged at Amazon fulfillment center (was expired)"),
    "E": ("-", "Damaged at Amazon fulfillment center (was sellable)"),
    "H": ("-", "Damaged at Amazon fulfillment center (was customer-damaged)"),
    "K": ("-", "Damaged at Amazon fulfillment center (was defective)"),
    "U": ("-", "Damaged at Amazon fulfillment center (was distributor-damaged)"),
    "D": ("-", "Inventory disposed of"),
    "G": ("-", "Inventory disposed of (donated to charity)"),
    "M": ("-", "Inventory misplaced"),
    "5": ("-", "Inventory misplaced"),
    "F": ("+", "Inventory found"),
    "N": ("+", "Inventory found (ownership transfer or Amazon reimbursement)"),
    "3": ("+", "Product redefinition transfer in"),
    "4": ("-", "Product redefinition transfer out"),
    "O": ("-", "Inventory correction"),
    "P": ("+", "Inventory disposition change (added as the new disposition)"),
    "Q": ("-", "Inventory disposition change (removed from the old disposition)"),
    "1": ("+", "Software correction of inventory discrepancies"),
    "2": ("-", "Software correction of inventory discrepancies"),
    "J": ("+", "Software correction of inventory discrepancies"),
}
# Lines shown per unknown value in the note (the count covers them all).
SHOWN_VALUES = 5


def file_format(path: Path) -> ReportFormat:
    """The format of this file: its delimiter, and for a tab-separated file whether its
    fields are quoted (its header is)."""
    try:
        with path.open("rb") as handle:
            line = handle.readline(65536).decode("utf-8", "replace").lstrip("\ufeff")
    except OSError:
        return FORMAT
    if "\t" in line:
        return replace(FORMAT, quoted=True) if line.startswith('"') else FORMAT
    return CSV_FORMAT if "," in line else FORMAT


def _listed(values: Sequence[tuple[str, int]]) -> str:
    shown = [f"{value} ×{lines}" for value, lines in values[:SHOWN_VALUES]]
    if len(values) > SHOWN_VALUES:
        shown.append("…")
    return ", ".join(shown)


def import_inventory_ledger(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one Inventory Ledger detailed view as `inventory_events`: all, or nothing."""
    with read_report(db, workspace, path, file_format(path), progress=progress) as report:
        done = unchanged(report)
        if done is not None:
            return done
        store, created = choose_store(report, workspace, options)
        report.parse(store.timezone)
        # Not refused, unlike other reports' repeated lines: the detailed view writes two
        # shipments of one FNSKU from one centre on one day as two identical lines.
        check_values(report, counts=["quantity", "reconciled", "unreconciled"])
        loader = report.loader
        events = amazon_fact_load.unknown_codes(loader, "event_type", EVENT_TYPES)
        reasons = (
            amazon_fact_load.unknown_codes(loader, "reason", list(REASON_CODES))
            if report.has("reason")
            else []
        )
        first, last = loader.span("day")
        record = source_record(report, store, date_from=first, date_to=last)
        present = {f.name for f in report.fields}
        fields = {name: (name if name in present else None) for name in FACT_FIELDS}
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = amazon_fact_load.write_inventory_events(
                loader, source_id=source_id, store_id=store.id, fields=fields
            )
            fact_load.record_aliases(
                loader,
                source_id=source_id,
                store_id=store.id,
                sku="sku",
                asin="asin" if report.has("asin") else None,
                fnsku="fnsku",
            )
        result = fact_result(
            report,
            store,
            created,
            source_id,
            written=written,
            replaced=replaced,
            date_from=first,
            date_to=last,
        )
        if events:
            result.notes.append(
                (
                    "ledger.unknown_event_types",
                    {"count": sum(n for _, n in events), "values": _listed(events)},
                )
            )
        if reasons:
            result.notes.append(
                (
                    "ledger.unknown_reasons",
                    {"count": sum(n for _, n in reasons), "values": _listed(reasons)},
                )
            )
        return result
