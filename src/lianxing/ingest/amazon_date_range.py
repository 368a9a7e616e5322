"""Amazon's Date Range transaction report (Payments → Reports Repository → Transaction,
`2024Jan1-2024Jan31CustomTransaction.csv`).

Many sellers keep their books from it. A few preamble lines ("All amounts in USD,
unless specified", definitions) come before the header; line numbers stay the file's
own. Each row (one transaction) spreads its money over columns — product sales, sales
tax, shipping credits, gift wrap credits, promotional rebates, withheld tax, selling
fees, FBA fees, other transaction fees, other — and `total`, which must be their sum
(a row where it is not is refused, naming the line). Each non-zero column becomes a
settled ledger row with the row's settlement id, order, SKU and quantity; the code
map (data/mappings/amazon.toml, layout `date_range`) gives its category.

Rules (docs/counting.md):
- counted once: where the flat-file settlement of the same settlement id is imported,
  it is the record and these rows only explain it, in either import order;
- rows with no settlement id are not settled yet: left out, and the import says so;
- buyer columns (order city, state, postal) are never read.

Layouts: the US/CA/UK/AU English one (UK says "postage credits", "fulfilment") and the
German one (Amazon.de: German names, comma decimals, DD.MM.YYYY dates).
"""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lianxing import private
from lianxing.codemap import CodeMap
from lianxing.errors import InputError, Problem
from lianxing.ingest import quoted_lines, textfile
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
    bad_value_problems,
    plan_fields,
    platform_store,
    reject_problem,
)
from lianxing.money import is_currency
from lianxing.store import date_range_load, ledger
from lianxing.store.database import Database
from lianxing.store.reports import unmapped_codes
from lianxing.store.table_load import Cell, LedgerShape, StagedField, TableLoader
from lianxing.workspace import Workspace, marketplace_for_name

ProgressFn = Callable[[int, int], None]
KIND = date_range_load.KIND
LAYOUT = "date_range"
# The header comes after a few preamble lines: look this far for it.
HEADER_WITHIN = 30

# (field, header spellings, the column's English name for the code map)
AMOUNTS = (
    ("product_sales", ("product sales", "umsätze"), "product sales"),
    ("product_sales_tax", ("product sales tax", "produktumsatzsteuer"), "product sales tax"),
    ("sales_tax", ("sales tax collected",), "sales tax collected"),
    (
        "shipping_credits",
        ("shipping credits", "postage credits", "gutschrift für versandkosten"),
        "shipping credits",
    ),
    (
        "shipping_credits_tax",
        ("shipping credits tax", "postage credits tax", "steuer auf versandgutschrift"),
        "shipping credits tax",
    ),
    (
        "gift_wrap_credits",
        ("gift wrap credits", "giftwrap credits", "gutschrift für geschenkverpackung"),
        "gift wrap credits",
    ),
    (
        "gift_wrap_credits_tax",
        (
            "giftwrap credits tax",
            "gift wrap credits tax",
            "steuer auf geschenkverpackungsgutschriften",
        ),
        "giftwrap credits tax",
    ),
    ("regulatory_fee", ("regulatory fee",), "regulatory fee"),
    ("regulatory_fee_tax", ("tax on regulatory fee",), "tax on regulatory fee"),
    (
        "promotional_rebates",
        ("promotional rebates", "rabatte aus werbeaktionen"),
        "promotional rebates",
    ),
    (
        "promotional_rebates_tax",
        ("promotional rebates tax", "steuer auf aktionsrabatte"),
        "promotional rebates tax",
    ),
    (
        "withheld_tax",
        (
            "marketplace withheld tax",
            "marketplace facilitator tax",
            "einbehaltene steuer auf marketplace",
        ),
        "marketplace withheld tax",
    ),
    ("selling_fees", ("selling fees", "verkaufsgebühren"), "selling fees"),
    ("fba_fees", ("fba fees", "gebühren zu versand durch amazon"), "fba fees"),
    (
        "other_transaction_fees",
        ("other transaction fees", "other transactions fees", "andere transaktionsgebühren"),
        "other transaction fees",
    ),
    ("other", ("other", "andere"), "other"),
)
REQUIRED_AMOUNTS = ("product_sales", "selling_fees", "fba_fees", "other")
FIELDS = (
    Field("time", ("date/time", "datum/uhrzeit"), value_required=True),
    Field("settlement_id", ("settlement id", "abrechnungsnummer")),
    Field("type", ("type", "typ"), value_required=True),
    Field("order_id", ("order id", "bestellnummer")),
    Field("sku", ("sku",)),
    Field("description", ("description", "beschreibung")),
    Field("quantity", ("quantity", "menge"), "count", required=False),
    Field("marketplace", ("marketplace",), required=False),
    Field("fulfillment", ("fulfillment", "fulfilment", "versand"), required=False),
    *(
        Field(name, headers, "amount", required=name in REQUIRED_AMOUNTS)
        for name, headers, _label in AMOUNTS
    ),
    Field("total", ("total", "gesamt"), "amount", value_required=True),
)
# One format per language of the header; the same fields read both.
FORMAT, FORMAT_DE = (
    ReportFormat(kind=KIND, platform="amazon", delimiter=",", signature=s, fields=FIELDS)
    for s in (
        ("date/time", "settlement id", "type", "order id", "total"),
        ("datum/uhrzeit", "abrechnungsnummer", "typ", "bestellnummer", "gesamt"),
    )
)
LAYOUTS = (FORMAT, FORMAT_DE)
# What names one transaction across two reports (its values, not its line): these
# as written, and its quantity and every amount as numbers (a column one download
# lacks is 0, so an older layout's copy is the same transaction).
KEY_TEXTS = ("time", "settlement_id", "type", "order_id", "sku", "description")
KEY_NUMBERS = ("quantity", *(name for name, _h, _l in AMOUNTS), "total")


@dataclass(frozen=True)
class Found:
    """Where the header is: its 0-based line index, cells and layout; the preamble."""

    index: int
    header: list[str]
    fmt: ReportFormat
    preamble: list[str]


def _split(line: str) -> list[str]:
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def find_header(path: Path) -> Found | None:
    """The report's header within its first lines, or None when there is none."""
    try:
        with path.open("rb") as handle:
            head = [handle.readline(65536) for _ in range(HEADER_WITHIN)]
    except OSError:
        return None
    preamble: list[str] = []
    for index, raw in enumerate(head):
        if not raw:
            break
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", "replace")
        line = line.lstrip("\ufeff").rstrip("\r\n")
        lowered = line.lower()
        # Only a line holding every word of a layout's signature can be its header
        # (splitting and comparing the cells of every line of every file is slow).
        if any(all(w in lowered for w in words) for words in _SIGNATURE_WORDS):
            cells = _split(line)
            for fmt in LAYOUTS:
                if fmt.matches(cells):
                    return Found(index, cells, fmt, preamble)
        preamble.append(line)
    return None


# The words of each layout's signature headers (their cells hold them, lower-cased).
_SIGNATURE_WORDS = tuple(
    tuple(word for name in fmt.signature for word in name.split()) for fmt in LAYOUTS
)


def looks_like_date_range(path: Path) -> bool:
    """The registry's test: a Date Range transaction report header near the top."""
    return find_header(path) is not None


def _preamble_currency(found: Found) -> str | None:
    """The currency the preamble names ("All amounts in USD, unless specified")."""
    for line in found.preamble:
        for word in line.replace('"', " ").replace(",", " ").split():
            if len(word) == 3 and word.isupper() and is_currency(word):
                return word
    return None


def _readable_copy(path: Path, found: Found, temp_dir: Path) -> tuple[Path, str]:
    """A UTF-8 copy with the header on line 1 and no preamble: (copy, encoding read).
    Its line numbers are the file's less the preamble's lines (`shift_lines` puts them
    back)."""
    private.folder(temp_dir)
    for encoding in ("utf-8-sig", "cp1252"):
        fd, name = tempfile.mkstemp(prefix="date-range-", suffix=".csv", dir=temp_dir)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as source, os.fdopen(fd, "w", encoding="utf-8") as out:
                for _ in range(found.index + 1):
                    source.readline()
                out.write(",".join(_quote(c) for c in found.header) + "\n")
                pending = ""
                while chunk := source.read(textfile.CHUNK):
                    text = pending + decoder.decode(chunk)
                    pending = text[-1:] if text.endswith("\r") else ""
                    out.write(text[: len(text) - len(pending)].replace("\r\n", "\n"))
                out.write(pending + decoder.decode(b"", final=True))
            return Path(name), "windows-1252" if encoding == "cp1252" else encoding
        except UnicodeDecodeError:
            Path(name).unlink(missing_ok=True)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    raise InputError.at("file.encoding", file=str(path), detail="neither UTF-8 nor windows-1252")


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def _plan(found: Found, file: str) -> tuple[list[StagedField], list[str]]:
    """Fields by header name; problems name the header's own line."""
    try:
        return plan_fields(found.header, found.fmt, file)
    except InputError as exc:
        for problem in exc.problems:
            if problem.line == 1:
                problem.line = found.index + 1
        raise


def import_date_range(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one Date Range transaction report: all of it, or nothing."""
    file = str(path)
    text = textfile.open_text(path, temp_dir=workspace.temp_dir, progress=progress)
    loader = TableLoader(db)
    stores = list(workspace.config.stores)
    copy: Path | None = None
    try:
        found = find_header(path)
        if found is None:
            raise InputError.at("date_range.no_header", file=file, line=1, lines=HEADER_WITHIN)
        fields, ignored = _plan(found, file)
        copy, encoding = _readable_copy(path, found, workspace.temp_dir)
        rejects = loader.stage(
            str(copy), len(found.header), [f.column for f in fields],
            delimiter=",", quoted=True, display=file,
        )  # fmt: skip
        codemap = CodeMap("amazon", workspace.config.mapping_rules().get("amazon", []))
        same = ledger.find_by_sha(db, text.sha256, KIND)
        if same is not None and (
            same.superseded_by is not None or same.mapping_fingerprint == codemap.fingerprint
        ):
            return ReportImport(file, KIND, "unchanged", same.source_id, same.store_id)
        if rejects:
            problems = [reject_problem(file, r, len(found.header)) for r in rejects]
            for problem in problems:  # the copy has no preamble
                problem.line = None if problem.line is None else problem.line + found.index
            raise InputError(problems[0].key, problems=problems)
        # The copy has no preamble: its lines are the file's less the preamble's. A quoted
        # description may span lines: those lines shift the rows below like blank ones.
        blank = [b - found.index for b in text.blank_lines if b > found.index + 1]
        blank = quoted_lines.extra_lines(copy, loader.count("lx_stage"), blank) or blank
        return _import(db, loader, workspace, text, found, (fields, ignored), encoding, codemap,
                       options, blank)  # fmt: skip
    except BaseException:
        workspace.config.stores[:] = stores
        raise
    finally:
        loader.cleanup()
        text.finish_quietly()
        for leftover in (copy, text.readable_path):
            if leftover is not None:
                leftover.unlink(missing_ok=True)


def _import(
    db: Database,
    loader: TableLoader,
    workspace: Workspace,
    text: textfile.TextFile,
    found: Found,
    planned: tuple[list[StagedField], list[str]],
    encoding: str,
    codemap: CodeMap,
    options: ImportOptions,
    blank: list[int],
) -> ReportImport:
    file = str(text.path)
    fields, ignored = planned
    has = {f.name for f in fields}
    column = {f.name: f.header for f in fields}
    names = []
    if "marketplace" in has:
        names = loader.staged_values(next(f.column for f in fields if f.name == "marketplace"))
    markets = {m.id for n in names if (m := marketplace_for_name(n)) and m.platform == "amazon"}
    if len(markets) > 1 and options.store_id is None:
        raise InputError.at("store.cannot_tell", file=file)
    store, created = platform_store(
        workspace, "amazon", options.store_id, file, marketplace=next(iter(markets), None)
    )
    currency = _preamble_currency(found)
    if currency is not None and currency != store.currency:
        raise InputError.at(
            "store.currency_mismatch",
            file=file,
            line=1 + next(i for i, p in enumerate(found.preamble) if currency in p),
            store=store.id,
            expected=store.currency,
            found=currency,
        )
    rows = loader.parse(fields, timezone=store.timezone, blank_lines=blank)
    date_range_load.shift_lines(db, found.index)
    if rows == 0:
        raise InputError.at("file.no_rows", file=file)
    problems = bad_value_problems(file, loader.bad_values(fields))
    key = date_range_load.row_key(KEY_TEXTS, KEY_NUMBERS, has)
    date_range_load.add_times(db, "time", store.timezone, key)
    problems += [
        Problem("value.date", {"value": value}, file, line, column["time"])
        for line, value in date_range_load.bad_times(db, "time")
    ]
    if not problems:
        parts = [name for name, _h, _l in AMOUNTS if name in has]
        problems = [
            Problem("date_range.total_mismatch", {"total": total, "parts": _money(summed)},
                    file, line, column["total"])
            for line, total, summed in date_range_load.wrong_totals(db, parts, "total")
        ]  # fmt: skip
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise InputError(problems[0].key, problems=problems)
    pending, pending_total = date_range_load.unsettled(db, "total")

    shape = LedgerShape(
        cells=[
            Cell(name, label, "@description", quantity=name == "product_sales")
            for name, _h, label in AMOUNTS
            if name in has
        ],
        transaction_type="@type",
        time="posted_at",
        day="business_date",
        order_id="order_id",
        sku="sku",
        quantity="quantity" if "quantity" in has else None,
        settlement_id="@settlement_id",
    )
    loader.cells(shape, "settlement_id IS NOT NULL")
    mapping, kinds = [], {}
    for tt, at, ad, day in loader.code_combinations():
        category, rule = codemap.resolve(LAYOUT, tt, at, ad, day)
        if tt not in kinds:  # one look per transaction type, not per day
            kinds[tt] = codemap.kind(tt)
        mapping.append((tt, at, ad, day, category, kinds[tt], rule))
    loader.load_mapping(mapping)
    first, last = loader.span("business_date")
    record = ledger.SourceRecord(
        kind=KIND,
        file_name=text.name,
        file_path=file,
        sha256=text.sha256,
        encoding=encoding,
        row_count=rows,
        store_id=store.id,
        currency=store.currency,
        mapping_version=codemap.version,
        mapping_fingerprint=codemap.fingerprint,
        platform="amazon",
        date_from=first,
        date_to=last,
    )
    earlier = ledger.find_by_sha(db, text.sha256, KIND)
    try:
        with db.transaction():
            source_id = ledger.next_source_id(db)
            affected: list[str] = []
            if earlier is not None and earlier.superseded_by is None:
                # The same file mapped with older rules: today's mapping replaces it.
                affected = date_range_load.settlement_ids(db, [earlier.source_id])
                ledger.supersede_source(db, earlier.source_id, source_id)
                date_range_load.drop(db, earlier.source_id)
            ledger.insert_source(db, source_id, record)
            ids = date_range_load.write(
                db, source_id=source_id, store_id=store.id, currency=store.currency
            )
            date_range_load.recount(db, sorted({*ids, *affected}))
            if created:
                workspace.save()
    except BaseException:
        if created and store in workspace.config.stores:
            workspace.config.stores.remove(store)
        raise
    written, kept = date_range_load.counted_rows(db, source_id)
    # Each row's total was checked against its columns: there is no other total here
    # to reconcile to (the settlement's, where its flat file is imported, is in notes).
    result = ReportImport(
        file, KIND, "imported", source_id, store.id, rows=rows, written=written,
        date_from=first, date_to=last, currency=store.currency,
        new_store=store if created else None,
        unmapped=unmapped_codes(db, source_id=source_id), ignored_columns=ignored,
    )  # fmt: skip
    result.notes += notes(db, ids)
    if written != kept:
        result.notes.append(("date_range.counted", {"counted": written, "rows": kept}))
    if pending:
        result.notes.append(
            ("date_range.unsettled",
             {"count": pending, "total": _money(pending_total), "currency": store.currency})
        )  # fmt: skip
    return result


def notes(db: Database, settlement_ids: list[str]) -> list[tuple[str, dict[str, object]]]:
    """What the report says about settlements that also came as flat files."""
    found: list[tuple[str, dict[str, object]]] = []
    for e in date_range_load.explained(db, settlement_ids):
        if e.difference == 0:
            found.append(("date_range.explains", {
                "settlement": e.settlement_id, "total": _money(e.settlement_total),
                "currency": e.currency}))  # fmt: skip
        else:
            found.append(("date_range.differs", {
                "settlement": e.settlement_id, "sum": _money(e.report_sum),
                "total": _money(e.settlement_total), "difference": _money(e.difference),
                "currency": e.currency}))  # fmt: skip
    return found


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))
