"""Walmart Marketplace reconciliation report ("recon report", CSV).

Walmart pays a seller once per settlement period; the recon report
(`GET /v3/report/reconreport/reconFile?reportVersion=v1`, or Seller Center → Payments)
lists every money line of one period — one row per order line and amount type
(product price, tax, tax withheld, commission ...), per fee, refund and adjustment —
and a `PaymentSummary` row with the period and the Total Payable paid out.

Rules the numbers depend on:
- every row with an Amount, except `PaymentSummary` (it restates the payout the other
  rows add up to), becomes one settled ledger row with Walmart's sign: money to the
  seller is positive, charges negative;
- codes: transaction_type = Transaction Type, amount_type = Amount Type,
  amount_description = Transaction Description — the only column that tells fees apart
  (WFS fulfilment, storage, shipping labels all share Amount Type "Fee/Reimbursement");
  Transaction Reason Description is free text and only identifies a row;
- order_id = Purchase Order # (the seller's order in Seller Center and the Orders API;
  one customer order can split into several), order_item_id = its line #, sku =
  Partner Item Id; Ship Qty counts once per line, on its Product Price row;
- the amounts must add up to Total Payable (`reconciled`); the period names the
  settlement (`walmart:<store>:<start>..<end>`), so another file for the same period
  of the same store replaces the earlier one — unless the earlier one reconciled and
  this one does not;
- the buyer's address columns (Ship to State, City, Zipcode) are never read;
- the download carries a line "Number of Lines in file N" under the header: skipped.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from lianxing import private
from lianxing.codemap import CodeMap
from lianxing.errors import InputError
from lianxing.ingest import walmart_group
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    OpenReport,
    ReportFormat,
    ReportImport,
    bad_value_problems,
    map_cells,
    new_source,
    platform_store,
    read_report,
    source_record,
)
from lianxing.ingest.textfile import TextFile
from lianxing.ingest.walmart_group import MAX_UNITS, MONEY, PRICE
from lianxing.store import batch_stage, ledger
from lianxing.store.database import Database
from lianxing.store.reports import unmapped_codes
from lianxing.store.table_load import Cell, LedgerShape
from lianxing.workspace import Store, Workspace

ProgressFn = Callable[[int, int], None]
KIND = "walmart_recon"
PLATFORM = "walmart"
MARKETPLACE = "walmart.com"
LAYOUT = "recon"

FORMAT = ReportFormat(
    kind=KIND,
    platform=PLATFORM,
    delimiter=",",
    quoted=True,
    signature=("period start date", "total payable", "transaction type", "amount type", "amount"),
    fields=(
        Field("period_start", ("period start date",), "day"),
        Field("period_end", ("period end date",), "day"),
        Field("total_payable", ("total payable",), "money"),
        Field("currency", ("currency",), required=False),
        Field("transaction_key", ("transaction key",), required=False),
        Field("posted", ("transaction posted timestamp",), "time"),
        Field("posted_day", ("transaction posted timestamp",), "day"),
        Field("transaction_type", ("transaction type",)),
        Field("description", ("transaction description",)),
        Field("reason", ("transaction reason description",), required=False),
        Field("customer_order", ("customer order #",), required=False),
        Field("customer_line", ("customer order line #",), required=False),
        Field("order_id", ("purchase order #",), required=False),
        Field("order_line", ("purchase order line #",), required=False),
        Field("amount", ("amount",), "money"),
        Field("amount_type", ("amount type",)),
        Field("ship_qty", ("ship qty",), "count", required=False),
        Field("sku", ("partner item id",), required=False),
    ),
)

# Rows that are money (PaymentSummary only restates the payout), the rows that carry
# Ship Qty, and at most 999,999 units a line: see walmart_group.
# Sums are stored as DECIMAL(18, 4).
MAX_TOTAL = Decimal(10) ** 14
TRAILER = re.compile(r"number of lines\b[^,]*", re.IGNORECASE)


def import_recon(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one recon report as settled ledger rows: all of it, or nothing."""
    codemap = CodeMap(PLATFORM, workspace.config.mapping_rules().get(PLATFORM, []))
    # A file of a folder's group is opened from the group's one read and, when it is
    # clean, written from there; otherwise it is read and checked on its own.
    opened = walmart_group.open_read(db, workspace, path, FORMAT, progress, _has_trailer)
    if opened is not None:
        try:
            done = _import_report(db, workspace, opened.report, codemap, options, opened.found)
        finally:
            opened.close()
        if done is not None:
            return done
    with _read(db, workspace, path, progress) as (report, trailer):
        found = walmart_group.slice_of(db, report, trailer)
        done = _import_report(db, workspace, report, codemap, options, found, trailer=trailer)
        assert done is not None
        return done


def _import_report(
    db: Database,
    workspace: Workspace,
    report: OpenReport,
    codemap: CodeMap,
    options: ImportOptions,
    found: batch_stage.Slice | None,
    *,
    trailer: bool | None = None,
) -> ReportImport | None:
    """Import a report opened with `_read` (`trailer` given), or from its group: then
    None when it is not clean (`_read` it to check it line by line)."""
    same = report.unchanged
    # The same bytes again: nothing to do, unless the code mappings changed since
    # (then the file is mapped again). An older version a correction replaced is
    # left alone, so re-importing a folder never swaps the two back and forth.
    if same is not None and (
        same.superseded_by is not None or same.mapping_fingerprint == codemap.fingerprint
    ):
        return ReportImport(report.file, KIND, "unchanged", same.source_id, same.store_id)
    store, created = platform_store(
        workspace,
        PLATFORM,
        options.store_id or (same.store_id if same else None),
        report.file,
        marketplace=MARKETPLACE,
    )
    try:
        clean = None
        if found is not None:
            fields = report.fields
            clean = walmart_group.clean(db, found, fields, store, codemap, LAYOUT, MAX_TOTAL)
        if clean is None and trailer is None:
            _forget(workspace, store, created)
            return None
        return _import(db, workspace, report, bool(trailer), codemap, store, created, clean)
    except BaseException:
        # A store made for this file is forgotten with it (new_source saves it only
        # when everything is written).
        _forget(workspace, store, created)
        raise


def _forget(workspace: Workspace, store: Store, created: bool) -> None:
    if created and store in workspace.config.stores:
        workspace.config.stores.remove(store)


def _import(
    db: Database,
    workspace: Workspace,
    report: OpenReport,
    trailer: bool,
    codemap: CodeMap,
    store: Store,
    created: bool,
    clean: walmart_group.CleanFile | None,
) -> ReportImport:
    loader, file = report.loader, report.file
    # A clean file of a folder was checked with its whole group and is written from
    # it; any other is parsed and checked here, naming what is wrong.
    if clean is not None:
        report.rows = clean.facts.rows
        start, end, total, rows_sum = clean.facts.summary()
    else:
        _parse(report, store.timezone, trailer)
        report.refuse_duplicates([f.name for f in report.fields])
        start, end, total = _summary(report)
        _check_rows(report, store)
        rows_sum = Decimal(loader.sum("amount", MONEY))
        if abs(rows_sum) >= MAX_TOTAL:
            raise InputError.at(
                "value.amount", file=file, column=_header(report, "amount"), value=str(rows_sum)
            )

    settlement_id = f"walmart:{store.id}:{start.isoformat()}..{end.isoformat()}"
    previous = ledger.find_settlement(db, settlement_id)
    if previous is not None and previous.reconciled and rows_sum != total:
        # A truncated or edited copy must not overwrite numbers that matched the payout.
        raise InputError.at(
            "import.worse_replacement",
            file=file,
            settlement=settlement_id,
            source=previous.source_id,
            difference=str(rows_sum - total),
        )
    zone = ZoneInfo(store.timezone)  # the period's first and last day, at local midnight
    record = source_record(
        report,
        store,
        settlement_id=settlement_id,
        period_start=datetime.combine(start, time(), zone),
        period_end=datetime.combine(end, time(), zone),
        currency=store.currency,
        total_amount=total,
        rows_sum=rows_sum,
        mapping_version=codemap.version,
        mapping_fingerprint=codemap.fingerprint,
    )
    replaced = written = 0
    with new_source(db, workspace, record, store if created else None) as source_id:
        if previous is not None:
            replaced = loader.count("ledger", f"source_id = {int(previous.source_id)}")
            ledger.supersede_source(db, previous.source_id, source_id)
        if clean is not None:
            written = walmart_group.write_ledger(
                db, clean, store, source_id=source_id, settlement_id=settlement_id
            )
        else:
            # Two passes: the units ride on Product Price rows only, so each line's Ship
            # Qty counts once however many amount rows repeat it.
            for units, where in (
                (True, f"{MONEY} AND {PRICE}"),
                (False, f"{MONEY} AND NOT {PRICE}"),
            ):
                loader.cells(_shape(report, settlement_id, units), where)
                map_cells(report, codemap, LAYOUT)
                written = loader.write_ledger(
                    source_id=source_id, store_id=store.id, currency=store.currency
                )
    if previous is None:
        status = "imported"
    else:
        status = "remapped" if previous.sha256 == report.text.sha256 else "replaced"
    return ReportImport(
        file,
        KIND,
        status,
        source_id,
        store.id,
        rows=report.rows,
        written=written,
        date_from=start,
        date_to=end,
        currency=store.currency,
        total_amount=total,
        rows_sum=rows_sum,
        replaced_rows=replaced,
        new_store=store if created else None,
        # A clean file of a group whose codes all map has no unmapped rows to list.
        unmapped=[] if clean and not clean.unmapped else unmapped_codes(db, source_id=source_id),
        ignored_columns=report.ignored,
    )


def _shape(report: OpenReport, settlement_id: str, units: bool) -> LedgerShape:
    quantity = units and report.has("ship_qty")
    return LedgerShape(
        cells=[Cell("amount", "@amount_type", "@description", quantity=quantity)],
        transaction_type="@transaction_type",
        time="posted",
        day="posted_day",
        order_id="order_id" if report.has("order_id") else None,
        order_item_id="order_line" if report.has("order_line") else None,
        sku="sku" if report.has("sku") else None,
        quantity="ship_qty" if quantity else None,
        settlement_id=settlement_id,
    )


def _parse(report: OpenReport, timezone: str, trailer: bool) -> None:
    """Parse every field; the skipped trailer line keeps the lines below it numbered."""
    blank = set(report.text.blank_lines) | ({2} if trailer else set())
    report.rows = report.loader.parse(report.fields, timezone=timezone, blank_lines=sorted(blank))
    if report.rows == 0:
        raise InputError.at("file.no_rows", file=report.file)
    bad = report.loader.bad_values(report.fields)
    if bad:
        problems = bad_value_problems(report.file, bad)
        raise InputError(problems[0].key, problems=problems)


def _header(report: OpenReport, name: str) -> str:
    return next(f.header for f in report.fields if f.name == name)


def _summary(report: OpenReport) -> tuple[date, date, Decimal]:
    """The period and Total Payable: one of each wherever rows give them (Walmart writes
    them on the PaymentSummary row only)."""
    loader = report.loader
    values = []
    for name in ("period_start", "period_end", "total_payable"):
        found = loader.distinct(name)
        if not found:
            raise InputError.at("walmart.no_summary", file=report.file)
        if len(found) > 1:
            other = loader.first_other_text(
                f"{name}__text", "", f'"{name}" <> (SELECT min("{name}") FROM lx_rows)'
            )
            line, value = other if other else (None, str(found[-1]))
            raise InputError.at(
                "walmart.several_periods",
                file=report.file,
                line=line,
                column=_header(report, name),
                expected=str(found[0]),
                found=value,
            )
        values.append(found[0])
    start, end, total = values
    if abs(total) >= MAX_TOTAL:
        raise InputError.at(
            "value.amount", file=report.file, column=_header(report, "total_payable"), value=total
        )
    return start, end, Decimal(total)


def _check_rows(report: OpenReport, store: Store) -> None:
    """What a ledger row needs: the store's currency, a posted date, a sane unit count."""
    loader, file = report.loader, report.file
    if report.has("currency"):
        wrong = loader.first_other_text("currency", store.currency)
        if wrong is not None:
            raise InputError.at(
                "store.currency_mismatch",
                file=file,
                line=wrong[0],
                column=_header(report, "currency"),
                store=store.id,
                expected=store.currency,
                found=wrong[1],
            )
    undated = loader.first_other_text("amount__text", "", f"posted IS NULL AND {MONEY}")
    if undated is not None:
        raise InputError.at(
            "value.required", file=file, line=undated[0], column=_header(report, "posted")
        )
    if report.has("ship_qty"):
        huge = loader.first_other_text("ship_qty__text", "", f"abs(ship_qty) > {MAX_UNITS}")
        if huge is not None:
            raise InputError.at(
                "value.quantity",
                file=file,
                line=huge[0],
                column=_header(report, "ship_qty"),
                value=huge[1],
            )


# ---- reading the file ---------------------------------------------------------------
def _is_trailer(raw: bytes) -> bool:
    """Is this line Walmart's "Number of Lines in file N" (alone, or padded with commas)?"""
    try:
        cells = next(csv.reader([raw.decode("utf-8", "replace").rstrip("\r\n")]), [])
    except csv.Error:  # a stray carriage return: not the trailer; the reader will say
        return False
    return (
        bool(cells)
        and TRAILER.fullmatch(cells[0].strip()) is not None
        and not any(c.strip() for c in cells[1:])
    )


def _has_trailer(text: TextFile) -> bool:
    """Is the line under the header Walmart's trailer (see `_without_trailer`)?"""
    with text.utf8_path.open("rb") as handle:
        handle.readline()
        return _is_trailer(handle.readline(65536))


def _without_trailer(text: TextFile, temp_dir: Path) -> Path | None:
    """A copy with the trailer line under the header left empty, or None if there is
    none. The reader skips an empty line, and every later line keeps its number."""
    with text.utf8_path.open("rb") as handle:
        header = handle.readline()
        second = handle.readline(65536)
        if not _is_trailer(second):
            return None
        private.folder(temp_dir)
        fd, name = tempfile.mkstemp(prefix="walmart-", suffix=".csv", dir=temp_dir)
        with os.fdopen(fd, "wb") as out:
            out.write(header)
            out.write(b"\r\n" if second.endswith(b"\r\n") else b"\n")
            shutil.copyfileobj(handle, out)
    return Path(name)


@contextmanager
def _read(
    db: Database, workspace: Workspace, path: Path, progress: ProgressFn | None
) -> Iterator[tuple[OpenReport, bool]]:
    """`tabular.read_report`, read past the trailer line: (report, trailer skipped)."""
    skipped: list[Path] = []

    def drop_trailer(text: TextFile, temp_dir: Path) -> Path | None:
        copy = _without_trailer(text, temp_dir)
        if copy is not None:
            skipped.append(copy)
        return copy

    with read_report(
        db, workspace, path, FORMAT, progress=progress, rewrite=drop_trailer
    ) as report:
        yield report, bool(skipped)
