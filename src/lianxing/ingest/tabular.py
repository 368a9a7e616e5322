"""The shared flow of every report importer except the settlement one.

A `ReportFormat` declares a platform report: how to recognise its header, which
columns it needs (found by name, never by position, any of several spellings), and
the type of each. `read_report` then opens the file, has the database stage and parse
it, and raises one error listing the first bad lines — file, line, column and value —
before anything is written. Each importer module adds only what its report means.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from lianxing.codemap import CodeMap
from lianxing.errors import InputError, Problem
from lianxing.ingest import delimited, quoted_lines, textfile, workbook_text
from lianxing.ingest.textfile import TextFile
from lianxing.store import ledger
from lianxing.store.database import Database
from lianxing.store.reports import UnmappedCode, unmapped_codes
from lianxing.store.settlement_load import Reject
from lianxing.store.table_load import BadValue, StagedField, TableLoader
from lianxing.workspace import Store, Workspace, marketplaces

ProgressFn = Callable[[int, int], None]
StageFn = Callable[[str], None]


def normalize_header(name: str) -> str:
    """Header names compared without case, quotes, repeated or trailing spaces.

    (Runs of whitespace become one space: `str.split` splits on exactly what the
    regular expression `\\s+` matches.)"""
    return " ".join(name.strip().strip('"').split()).lower()


@functools.lru_cache(maxsize=512)
def _header_names(header: tuple[str, ...]) -> frozenset[str]:
    """The normalized names of a header line (formats are tried on the same line in
    turn: each line is normalized once)."""
    return frozenset(normalize_header(h) for h in header)


@dataclass(frozen=True)
class Field:
    """A column an importer reads, under any of its known header spellings."""

    name: str
    headers: tuple[str, ...]
    type: str = "text"
    required: bool = True  # the column must be in the file
    value_required: bool = False  # and filled on every row


@dataclass(frozen=True)
class ReportFormat:
    kind: str  # sources.kind, e.g. amazon_all_orders
    platform: str
    delimiter: str  # '\t' or ','
    signature: tuple[str, ...]  # headers that together identify the report
    fields: tuple[Field, ...]
    quoted: bool = True
    # Other delimiters the same report comes with (see `delimited`): an Amazon flat
    # file is tab-separated from the API and comma-separated from Seller Central.
    also_delimited: tuple[str, ...] = ()
    # Headers that make a file carrying the signature another report (the long-term
    # storage fee report starts like an inventory snapshot).
    excludes: tuple[str, ...] = ()

    def matches(self, header: Sequence[str]) -> bool:
        names = _header_names(tuple(header))
        return all(s in names for s in self.signature) and not names.intersection(self.excludes)


@dataclass(frozen=True)
class ImportOptions:
    """What the user may say about files on the command line."""

    store_id: str | None = None
    date_from: date | None = None  # for reports that carry no dates (Business Report)
    date_to: date | None = None
    # The file replaces an import of the same content under another mapping (a renamed
    # mapping file); without it such a file is "already imported".
    replace: bool = False


@dataclass
class ReportImport:
    """What an import of one report did, for the CLI to show."""

    file: str
    kind: str
    status: str  # imported | replaced | unchanged
    source_id: int
    store_id: str | None = None
    rows: int = 0  # data rows read
    written: int = 0  # ledger or fact rows written
    date_from: date | None = None
    date_to: date | None = None
    currency: str | None = None
    total_amount: Decimal | None = None  # reconciling reports: what the platform paid
    rows_sum: Decimal | None = None
    replaced_rows: int = 0  # rows of earlier imports this one replaced
    new_store: Store | None = None
    unmapped: list[UnmappedCode] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    @property
    def difference(self) -> Decimal | None:
        if self.total_amount is None or self.rows_sum is None:
            return None
        return self.rows_sum - self.total_amount

    @property
    def reconciled(self) -> bool | None:
        difference = self.difference
        return None if difference is None else difference == 0


def plan_fields(
    header: Sequence[str], fmt: ReportFormat, file: str
) -> tuple[list[StagedField], list[str]]:
    """Find each field's column; (staged fields, ignored header names)."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalize_header(name)
        if not key:
            continue
        if key in index:
            raise InputError.at("file.duplicate_column", file=file, line=1, column=name, name=name)
        index[key] = i
    staged: list[StagedField] = []
    used: set[int] = set()
    missing = []
    for f in fmt.fields:
        found = next((index[h] for h in f.headers if h in index), None)
        if found is None:
            if f.required:
                missing.append(f.headers[0])
            continue
        used.add(found)
        staged.append(
            StagedField(f.name, f"c{found}", header[found].strip(), f.type, f.value_required)
        )
    if missing:
        raise InputError.at(
            "report.columns_missing",
            file=file,
            line=1,
            report=fmt.kind,
            missing=", ".join(missing),
        )
    ignored = [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]
    return staged, ignored


def reject_problem(file: str, reject: Reject, columns: int) -> Problem:
    if "COLUMNS" in reject.error_type.upper():
        match = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", reject.message)
        expected, found = match.groups() if match else (str(columns), "?")
        return Problem("file.columns", {"expected": expected, "found": found}, file, reject.line)
    if "QUOTE" in reject.error_type.upper():
        return Problem("file.bad_quote", {}, file, reject.line)
    return Problem("file.bad_line", {"detail": reject.message[:200]}, file, reject.line)


VALUE_KEYS = {
    "amount": "value.amount",
    "money": "value.amount",
    "count": "value.quantity",
    "number": "value.number",
    "percent": "value.percent",
    "day": "value.date",
    "time": "value.date",
    "month": "value.month",
    "required": "value.required",
    "length": "value.text",
}


def bad_value_problems(file: str, bad: Sequence[BadValue]) -> list[Problem]:
    return [
        Problem(VALUE_KEYS[b.type], {"value": b.value or ""}, file, b.line, b.header) for b in bad
    ]


@dataclass
class OpenReport:
    """A report staged in the database, ready for its importer to check and write."""

    text: TextFile
    loader: TableLoader
    fields: list[StagedField]
    ignored: list[str]
    fmt: ReportFormat
    unchanged: ledger.ExistingSource | None
    rows: int = 0

    @property
    def file(self) -> str:
        return str(self.text.path)

    def has(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)

    def parse(self, timezone: str) -> int:
        """Parse every field in the store's zone; raise on the first bad values."""
        blank = self.text.blank_lines
        if self.fmt.quoted:  # a quoted field may span lines
            staged = self.loader.count("lx_stage")
            blank = quoted_lines.extra_lines(self.text.utf8_path, staged, blank) or blank
        self.rows = self.loader.parse(self.fields, timezone=timezone, blank_lines=blank)
        if self.rows == 0:
            raise InputError.at("file.no_rows", file=self.file)
        bad = self.loader.bad_values(self.fields)
        if bad:
            problems = bad_value_problems(self.file, bad)
            raise InputError(problems[0].key, problems=problems)
        return self.rows

    def refuse_duplicates(self, key: Sequence[str]) -> None:
        """Two lines with the same key are a duplicated row: refuse the file."""
        present = [k for k in key if self.has(k)]
        duplicates = self.loader.duplicate_lines(present)
        if duplicates:
            problems = [
                Problem("file.duplicate_row", {"first": first}, self.file, line)
                for line, first in duplicates
            ]
            raise InputError(problems[0].key, problems=problems)


@contextmanager
def read_report(
    db: Database,
    workspace: Workspace,
    path: Path,
    fmt: ReportFormat,
    *,
    progress: ProgressFn | None = None,
    rewrite: Callable[[TextFile, Path], Path | None] | None = None,
) -> Iterator[OpenReport]:
    """Open, stage and check a report's lines; the caller parses, checks and writes.

    `rewrite` may hand the reader a fixed-up copy of the (UTF-8) text — e.g. without a
    line a platform puts under the header — keeping every other line's number; it is
    asked again after each transcoding. Temporary tables and copies are removed however
    the block ends.
    """
    if workbook_text.is_workbook(path):  # an .xlsx: its first sheet as a delimited copy
        text = workbook_text.open_sheet(path, workspace.temp_dir, fmt.delimiter, fmt.quoted)
    else:
        text = textfile.open_text(path, temp_dir=workspace.temp_dir, progress=progress)
    loader = TableLoader(db)
    copies: list[Path] = []
    # A store created for this file (platform_store) exists only in memory until the
    # import commits: if anything fails, it is forgotten with the rest.
    stores = list(workspace.config.stores)
    try:
        fmt = delimited.written_as(fmt, text.header_line) or fmt  # this file's delimiter
        header = text.header(fmt.delimiter)
        if not fmt.matches(header):
            raise InputError.at(
                "report.wrong_kind",
                file=str(path),
                line=1,
                report=fmt.kind,
                expected=", ".join(fmt.signature),
            )
        fields, ignored = plan_fields(header, fmt, str(path))
        used = [f.column for f in fields]

        def stage() -> list[Reject]:
            if rewrite is not None:
                copy = rewrite(text, workspace.temp_dir)
                if copy is not None:
                    copies.append(copy)
                    if text.readable_path is not None:
                        copies.append(text.readable_path)
                    text.readable_path = copy
            return loader.stage(
                str(text.utf8_path),
                len(header),
                used,
                delimiter=fmt.delimiter,
                quoted=fmt.quoted,
                display=str(path),
            )

        try:
            rejects = stage()
        except InputError:
            if not text.finish():  # mixed line ends: a rewritten copy reads
                raise
            rejects = stage()
        if text.finish():
            rejects = stage()
        if any(r.error_type.upper() == "INVALID ENCODING" for r in rejects):
            textfile.rewrite_utf8(text, workspace.temp_dir, encoding="cp1252")
            rejects = stage()
        same = ledger.find_by_sha(db, text.sha256, fmt.kind)
        report = OpenReport(text, loader, fields, ignored, fmt, same)
        if same is None and rejects:
            problems = [reject_problem(str(path), r, len(header)) for r in rejects]
            raise InputError(problems[0].key, problems=problems)
        yield report
    except BaseException:
        workspace.config.stores[:] = stores
        raise
    finally:
        loader.cleanup()
        text.finish_quietly()
        for copy in {*copies, *([text.readable_path] if text.readable_path else [])}:
            copy.unlink(missing_ok=True)


def platform_store(
    workspace: Workspace,
    platform: str,
    requested: str | None,
    file: str,
    *,
    marketplace: str | None = None,
    currency: str | None = None,
) -> tuple[Store, bool]:
    """The store a report of `platform` belongs to; (store, created).

    --store names it (and creates it on first use); otherwise the one store of the
    platform (on the named marketplace, when the report names one) is taken, or
    created when the report names its marketplace and no store sells there yet.
    """
    stores = [s for s in workspace.config.stores if s.platform == platform]
    market = marketplaces().get(marketplace) if marketplace else None
    if requested:
        existing = [s for s in workspace.config.stores if s.id == requested]
        if existing:
            store = existing[0]
            if store.platform != platform:
                raise InputError.at(
                    "store.platform_mismatch",
                    file=file,
                    store=store.id,
                    expected=platform,
                    found=store.platform,
                )
            return store, False
        if market is None:
            defaults = [m for m in marketplaces().values() if m.platform == platform]
            if len(defaults) != 1 and platform != "amazon":
                raise InputError.at("store.cannot_tell", file=file)
            market = defaults[0] if len(defaults) == 1 else marketplaces()["amazon.com"]
        store = Store(requested, platform, market.id, market.currency, market.timezone)
        workspace.add_store(store)
        return store, True
    if market is not None:
        stores = [s for s in stores if s.marketplace == market.id]
    if currency is not None and stores:
        same = [s for s in stores if s.currency == currency]
        if not same:  # a GBP report is no US store's: never guess
            raise InputError.at(
                "store.currency_none",
                file=file,
                currency=currency,
                stores=", ".join(f"{s.id} ({s.currency})" for s in stores),
            )
        stores = same
    if len(stores) == 1:
        return stores[0], False
    if len(stores) > 1:
        raise InputError.at(
            "store.ambiguous",
            file=file,
            marketplace=market.id if market else platform,
            stores=", ".join(s.id for s in stores),
        )
    if market is None:
        defaults = [m for m in marketplaces().values() if m.platform == platform]
        if platform == "amazon" or len(defaults) != 1:
            raise InputError.at("store.cannot_tell", file=file)
        market = defaults[0]
    base, n = market.id.replace(".", "-"), 2
    store_id = base
    while any(s.id == store_id for s in workspace.config.stores):
        store_id, n = f"{base}-{n}", n + 1
    store = Store(store_id, platform, market.id, market.currency, market.timezone)
    workspace.add_store(store)
    return store, True


def map_cells(report: OpenReport, codemap: CodeMap, layout: str) -> None:
    """Resolve every code combination of the staged cells to a category."""
    mapping = []
    for tt, at, ad, day in report.loader.code_combinations():
        category, rule = codemap.resolve(layout, tt, at, ad, day)
        mapping.append((tt, at, ad, day, category, codemap.kind(tt), rule))
    report.loader.load_mapping(mapping)


@contextmanager
def new_source(
    db: Database,
    workspace: Workspace,
    record: ledger.SourceRecord,
    new_store: Store | None,
) -> Iterator[int]:
    """One transaction for a source and everything written from it; yields its id.

    A store created for this file is saved with it, or forgotten if the import fails.
    """
    try:
        with db.transaction():
            source_id = ledger.next_source_id(db)
            ledger.insert_source(db, source_id, record)
            yield source_id
            ledger.set_coverage(db, source_id)
            if new_store is not None:
                workspace.save()
    except BaseException:
        if new_store is not None and new_store in workspace.config.stores:
            workspace.config.stores.remove(new_store)
        raise


def source_record(report: OpenReport, store: Store, **extra: object) -> ledger.SourceRecord:
    return ledger.SourceRecord(
        kind=report.fmt.kind,
        file_name=report.text.name,
        file_path=report.file,
        sha256=report.text.sha256,
        encoding=report.text.encoding,
        row_count=report.rows,
        store_id=store.id,
        platform=report.fmt.platform,
        **extra,  # type: ignore[arg-type]
    )


def unchanged(report: OpenReport, fingerprint: str | None = None) -> ReportImport | None:
    """The result for a file imported before (same bytes), else None.

    With a code-mapping `fingerprint`, a file mapped with other rules than today's is
    not unchanged: it is imported again, and `remap_earlier` retires its first import.
    """
    same = report.unchanged
    if same is None:
        return None
    if (
        fingerprint is not None
        and same.superseded_by is None
        and same.mapping_fingerprint != fingerprint
    ):
        return None
    return ReportImport(report.file, report.fmt.kind, "unchanged", same.source_id, same.store_id)


def remap_earlier(db: Database, report: OpenReport, source_id: int) -> None:
    """Retire the earlier import of these same bytes (its rows go; its record stays,
    superseded), inside the transaction that writes them mapped with today's rules."""
    if report.unchanged is not None and report.unchanged.superseded_by is None:
        ledger.supersede_source(db, report.unchanged.source_id, source_id)


def ledger_result(
    db: Database,
    report: OpenReport,
    store: Store,
    source_id: int,
    *,
    written: int,
    replaced: int,
    created: bool,
    day: str = "day",
    ignored: list[str] | None = None,
) -> ReportImport:
    """What a ledger-bound report import did: rows, dates covered, unmapped codes."""
    first, last = report.loader.span(day)
    return ReportImport(
        report.file,
        report.fmt.kind,
        "imported",
        source_id,
        store.id,
        rows=report.rows,
        written=written,
        date_from=first,
        date_to=last,
        currency=store.currency,
        replaced_rows=replaced,
        new_store=store if created else None,
        unmapped=unmapped_codes(db, source_id=source_id),
        ignored_columns=report.ignored if ignored is None else ignored,
    )
