"""Import a CSV/XLSX file described by a mapping file (docs/mapping.md).

Three kinds of file:
- `costs`   — unit costs (an ERP's purchase-cost export) into the cogs table, as
  `lianxing cogs import` does;
- `orders`  — an ERP order export: **estimated** ledger rows (sales, shipping,
  discounts) that a settled row of the same store, order and SKU supersedes, exactly
  like the Amazon All Orders estimates (docs/counting.md);
- `charges` — freight invoices, customs entries, ad spend, overheads: **settled**
  ledger rows with the mapping's categories, optionally split across each
  shipment's SKU rows by units, weight, volume or value.

The file goes through the shared staged pipeline (`tabular.read_report`), so every bad
value is named by line, column and value before anything is written, and an import is
one transaction. The same file with the same mapping is "unchanged"; with an edited
mapping it replaces its earlier import. `check_mapping` runs the same steps, collecting
every problem and previewing rows instead of writing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lianxing.categories import UNMAPPED, load_categories
from lianxing.errors import InputError, Problem
from lianxing.ingest import mapped_source
from lianxing.ingest.csv_sheet import SheetImport
from lianxing.ingest.mapped_source import LINE_COLUMN, Prepared
from lianxing.ingest.mapping_file import (
    ROLES,
    Mapping,
    load_mapping,
    normalize_currency_text,
    read_mapping,
)
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    OpenReport,
    ReportFormat,
    ReportImport,
    bad_value_problems,
    new_source,
    normalize_header,
    platform_store,
    read_report,
)
from lianxing.money import is_currency
from lianxing.store import ledger, mapped_load
from lianxing.store.database import Database
from lianxing.store.reports import unmapped_codes
from lianxing.store.table_load import Cell, LedgerShape, TableLoader
from lianxing.workspace import Store, Workspace, marketplaces

MAX_PROBLEMS = 20  # an import stops at these many
MAX_CHECK_PROBLEMS = 200  # `mapping check` lists more
MAX_AMOUNT = Decimal("1000000000")  # per row; keeps sums and splits inside DECIMAL(18, 4)
MAX_QUANTITY = 999_999
MAX_COST = Decimal("9999999")
ORDER_CELLS = (("amount", "sales"), ("shipping", "shipping"), ("discount", "discount"))
ORDER_CATEGORIES = {
    "sales": "revenue.product",
    "shipping": "revenue.shipping",
    "discount": "revenue.promotion",
}
MAPPING_FOLDER = "mappings"


@dataclass
class MappingCheck:
    """What `lianxing mapping check` found: problems, and rows as they would import."""

    file: str
    mapping: str
    kind: str | None
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    total_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    currency: str | None = None
    store_id: str | None = None


class _Problems:
    """Raise at once (import), or collect everything (check)."""

    def __init__(self, collect: bool):
        self.collect = collect
        self.found: list[Problem] = []

    def add(self, problems: list[Problem]) -> None:
        if not problems:
            return
        if not self.collect:
            raise InputError(problems[0].key, problems=problems[:MAX_PROBLEMS])
        self.found.extend(problems)

    @property
    def limit(self) -> int:
        return MAX_CHECK_PROBLEMS if self.collect else MAX_PROBLEMS


# ---- the pipeline shared by import and check --------------------------------------------
def header_problems(header: list[str], mapping: Mapping, file: str) -> list[Problem]:
    """Every declared column the file's header lacks, with its YAML key."""
    present = {normalize_header(h) for h in header if h}
    found = ", ".join(h for h in header if h)
    if len(found) > 300:
        found = found[:300] + " …"
    problems = []
    for key, spellings in mapping.declared_headers():
        if not any(normalize_header(s) in present for s in spellings):
            params = {"header": " / ".join(spellings), "setting": key, "found": found}
            problems.append(Problem("mapping.column_missing", params, file, mapping.header_row))
    return problems


def _fields(mapping: Mapping, line_column: str | None) -> tuple[Field, ...]:
    roles = ROLES[mapping.kind]
    fields: list[Field] = []
    for role, column in mapping.columns.items():
        headers = tuple(normalize_header(h) for h in column.headers)
        if role == "date":
            fields.append(Field("posted", headers, "time", value_required=True))
            fields.append(Field("day", headers, "day", value_required=True))
        elif role == "amount" and mapping.kind == "charges":
            continue  # read as one of `amounts` below
        elif role == "currency":
            # A blank cell is in the mapping's currency; without one, rows with money
            # need theirs (checked with the amounts: a SKU-only row needs none).
            fields.append(Field(role, headers, "text"))
        else:
            spec = roles[role]
            fields.append(Field(role, headers, spec.type, value_required=spec.value_required))
    for amount in mapping.amounts:
        headers = tuple(normalize_header(h) for h in amount.headers)
        fields.append(Field(amount.field, headers, "money"))
    if mapping.allocate_by is not None:
        # Every row of an invoice being split belongs to a shipment: a total line
        # without one would be counted twice.
        fields = [
            Field(f.name, f.headers, f.type, f.required, True) if f.name == "reference" else f
            for f in fields
        ]
    if line_column is not None:
        fields.append(Field(line_column, (normalize_header(line_column),), "count", True, True))
    return tuple(fields)


@dataclass
class _Staged:
    mapping: Mapping
    report: OpenReport
    prepared: Prepared
    file: str

    @property
    def loader(self) -> TableLoader:
        return self.report.loader

    def has(self, name: str) -> bool:
        return self.report.has(name)

    def header(self, name: str) -> str:
        return next(f.header for f in self.report.fields if f.name == name)


@contextmanager
def _explained(path: Path, prepared: Prepared, mapping: Mapping) -> Iterator[None]:
    """Errors about a transcoded copy name the original file (and its header row); an
    undecodable file gets the hint that the mapping can say it is GBK."""
    try:
        yield
    except InputError as exc:
        if prepared.line_column is not None:
            for problem in exc.problems:
                if problem.file == str(prepared.path):
                    problem.file = str(path)
                    problem.line = mapping.header_row if problem.line == 1 else None
        keys = [p.key for p in exc.problems]
        if (
            mapping.encoding == "utf-8"
            and "file.encoding" in keys
            and "mapping.gbk_hint" not in keys
        ):
            exc.problems.append(Problem("mapping.gbk_hint", {}, str(mapping.path)))
        raise


@contextmanager
def _stage(
    db: Database,
    workspace: Workspace,
    path: Path,
    mapping: Mapping,
    *,
    timezone: str,
    sha: str,
    problems: _Problems,
) -> Iterator[_Staged]:
    """Open, stage, normalise and parse the file; header problems stop here."""
    file = str(path)
    with mapped_source.prepare(path, mapping, workspace.temp_dir, sha) as prepared:
        header_missing = header_problems(prepared.header, mapping, file)
        if header_missing:
            raise InputError(header_missing[0].key, problems=header_missing)
        copied = prepared.line_column is not None
        fmt = ReportFormat(
            kind=f"{mapping.source_kind}@{sha[:8]}",  # never matches: we decide 'unchanged'
            platform="mapped",
            delimiter=prepared.delimiter,
            signature=(),
            fields=_fields(mapping, prepared.line_column),
            quoted=True if copied else mapping.quote,
        )
        with (
            _explained(path, prepared, mapping),
            read_report(db, workspace, prepared.path, fmt) as report,
        ):
            loader = report.loader
            money = sorted({f.column for f in report.fields if f.type == "money"})
            dates = sorted({f.column for f in report.fields if f.type in ("time", "day")})
            mapped_load.normalize_staged(
                loader,
                money=money,
                dates=dates,
                date_format=mapping.date_format,
                file_timezone=mapping.file_timezone,
            )
            report.rows = loader.parse(
                report.fields, timezone=timezone, blank_lines=report.text.blank_lines
            )
            if copied:
                mapped_load.use_line_field(loader, LINE_COLUMN)
            if report.rows == 0:
                raise InputError.at("file.no_rows", file=file)
            bad = loader.bad_values(report.fields, limit=problems.limit)
            found = bad_value_problems(file, bad)
            problems.add(found)
            yield _Staged(mapping, report, prepared, file)


def _range_problems(staged: _Staged, limit: int) -> list[Problem]:
    """Values that parse but are out of range (they would overflow later sums)."""
    found: list[Problem] = []
    loader = staged.loader
    for f in staged.report.fields:
        if f.type == "money":
            cap = MAX_AMOUNT
            condition = f'abs("{f.name}") > {cap}'
            low, high = -cap, cap
            if f.name == staged.mapping.allocate_by:
                condition += f' OR "{f.name}" < 0'
                low = Decimal(0)
        elif f.name == "quantity":
            condition = f'abs("{f.name}") > {MAX_QUANTITY}'
            low, high = Decimal(-MAX_QUANTITY), Decimal(MAX_QUANTITY)
        elif f.name in ("units", "weight", "volume"):
            condition = f'"{f.name}" < 0 OR "{f.name}" > 1000000000'
            low, high = Decimal(0), Decimal(1000000000)
        else:
            continue
        for line, text in mapped_load.lines_where(loader, f.name, condition, limit):
            params = {"value": text or "", "low": str(low), "high": str(high), "places": "4"}
            found.append(Problem("value.range", params, staged.file, line, f.header))
    return sorted(found, key=lambda p: p.line or 0)[:limit]


def _file_currency(staged: _Staged, fallback: str | None) -> tuple[str | None, list[Problem]]:
    """The one currency of a ledger file: its column, else the mapping's, else `fallback`.

    A file holds one currency (sources.currency says which, and reports rely on it):
    a second one is refused, naming its first line.
    """
    mapping = staged.mapping
    if not staged.has("currency"):
        return mapping.currency or fallback, []
    header = staged.header("currency")
    problems: list[Problem] = []
    seen: list[tuple[int, str]] = []
    for value, line in mapped_load.first_lines(staged.loader, "currency"):
        code = normalize_currency_text(value)
        if is_currency(code):
            seen.append((line, code))
        else:
            problems.append(Problem("value.currency", {"value": value}, staged.file, line, header))
    amounts = (
        " OR ".join(f'"{a.field}" IS NOT NULL' for a in mapping.amounts) or '"amount" IS NOT NULL'
    )
    blank = mapped_load.lines_where(
        staged.loader, "currency", f'"currency" IS NULL AND ({amounts})', 20
    )
    if mapping.currency is not None:  # blank cells are in the mapping's currency
        if blank:
            seen.append((blank[0][0], mapping.currency))
    elif mapping.kind != "orders":  # an order line without one is in the store's
        problems.extend(
            Problem("value.required", {}, staged.file, line, header) for line, _ in blank
        )
    codes: list[tuple[int, str]] = []
    for line, code in sorted(seen):
        if code not in (c for _, c in codes):
            codes.append((line, code))
    if len(codes) > 1:
        (first_line, first), (line, other) = codes[0], codes[1]
        params = {"first": first, "first_line": first_line, "found": other}
        problems.append(Problem("mapping.currency_mixed", params, staged.file, line, header))
    if codes:
        return codes[0][1], problems
    return mapping.currency or fallback, problems


def _store(
    workspace: Workspace, mapping: Mapping, requested: str | None, file: str, *, create: bool
) -> tuple[Store, bool]:
    """The store the file's money belongs to: --store, else the mapping's `store`."""
    store_id = requested or mapping.store
    if store_id is None:
        raise InputError.at("mapping.store_needed", file=str(mapping.path), column="store")
    existing = [s for s in workspace.config.stores if s.id == store_id]
    if existing:
        store = existing[0]
        if mapping.platform is not None and store.platform != mapping.platform:
            raise InputError.at(
                "store.platform_mismatch",
                file=str(mapping.path),
                column="platform",
                store=store.id,
                expected=mapping.platform,
                found=store.platform,
            )
        return store, False
    if mapping.platform is None:
        known = ", ".join(s.id for s in workspace.config.stores) or "-"
        raise InputError.at(
            "mapping.store_unknown",
            file=str(mapping.path),
            column="store",
            store=store_id,
            stores=known,
        )
    if not create:  # a check only shows what the store would be
        market = marketplaces().get(mapping.marketplace or "") or next(
            m for m in marketplaces().values() if m.platform == mapping.platform
        )
        return Store(store_id, mapping.platform, market.id, market.currency, market.timezone), True
    return platform_store(
        workspace, mapping.platform, store_id, file, marketplace=mapping.marketplace
    )


# ---- kinds -----------------------------------------------------------------------------
def _cost_rows(staged: _Staged, problems: _Problems) -> list[ledger.CostRow]:
    """Unit-cost rows, each value checked as `lianxing cogs import` checks it."""
    mapping = staged.mapping
    names = [
        n
        for n in ("sku", "effective_from", "unit_cost", "freight", "duty", "currency")
        if staged.has(n)
    ]
    found: list[Problem] = []
    rows: list[ledger.CostRow] = []
    first_line: dict[tuple[str, Any], int] = {}
    zero = Decimal(0)
    for row in mapped_load.rows(staged.loader, names):
        line = row["line"]
        sku, day, unit_cost = row.get("sku"), row.get("effective_from"), row.get("unit_cost")
        if sku is None or day is None or unit_cost is None:
            continue  # a bad value, already reported
        amounts = {
            "unit_cost": unit_cost,
            "freight": row.get("freight") or zero,
            "duty": row.get("duty") or zero,
        }
        bad = False
        for name, value in amounts.items():
            if not zero <= value <= MAX_COST:
                params = {"value": str(value), "low": "0", "high": str(MAX_COST), "places": "4"}
                found.append(Problem("value.range", params, staged.file, line, staged.header(name)))
                bad = True
        currency = mapping.currency
        if row.get("currency") is None and currency is None:
            found.append(
                Problem("value.required", {}, staged.file, line, staged.header("currency"))
            )
            bad = True
        elif row.get("currency") is not None:
            currency = normalize_currency_text(row["currency"])
            if not is_currency(currency):
                params = {"value": row["currency"]}
                found.append(
                    Problem("value.currency", params, staged.file, line, staged.header("currency"))
                )
                bad = True
        key = (sku, day)
        if key in first_line:
            params = {"what": f"{sku} @ {day}", "first": str(first_line[key])}
            found.append(
                Problem("csv.duplicate_key", params, staged.file, line, staged.header("sku"))
            )
            continue
        first_line[key] = line
        if bad or currency is None:
            continue
        rows.append(
            ledger.CostRow(sku, day, unit_cost, amounts["freight"], amounts["duty"], currency, line)
        )
    problems.add(found[: problems.limit])
    return rows


def _order_shape(staged: _Staged) -> tuple[LedgerShape, str, dict[tuple[str, str], str]]:
    """Ledger shape, row filter and (amount type, description) → category of orders."""
    mapping = staged.mapping
    cells = []
    categories = {}
    for name, role in ORDER_CELLS:
        if not staged.has(name):
            continue
        header = staged.header(name)
        discount = role == "discount"
        cells.append(
            Cell(
                name,
                header,
                role,
                sign=-1 if discount else 1,
                quantity=name == "amount",
                absolute=discount,
            )
        )
        categories[(header, role)] = ORDER_CATEGORIES[role]
    shape = LedgerShape(
        cells=cells,
        transaction_type=mapping.name,
        time="posted",
        day="day",
        order_id="order_id",
        sku="sku",
        quantity="quantity",
        observed="updated" if staged.has("updated") else "posted",
    )
    keep = ['"quantity" > 0', '"amount" IS NOT NULL']
    if staged.has("status") and mapping.cancelled:
        words = ", ".join("'" + w.replace("'", "''") + "'" for w in mapping.cancelled)
        keep.append(f'"status" IS NULL OR lower(trim("status")) NOT IN ({words})')
    where = " AND ".join(f"({k})" for k in keep)
    return shape, where, categories


def _charge_shape(staged: _Staged, sign: int) -> tuple[LedgerShape, dict[str, Any]]:
    """Ledger shape of charges, and amount type (header) → constant category."""
    mapping = staged.mapping
    by_header: dict[str, Any] = {}
    cells = []
    for amount in mapping.amounts:
        header = staged.header(amount.field)
        description = "@category" if staged.has("category") else ""
        cells.append(Cell(amount.field, header, description, sign=sign))
        by_header[header] = amount.category
    shape = LedgerShape(
        cells=cells,
        transaction_type=mapping.name,
        time="posted",
        day="day",
        order_id="order_id" if staged.has("order_id") else None,
        sku="sku" if staged.has("sku") else None,
        reference="reference" if staged.has("reference") else None,
    )
    return shape, by_header


def _charge_category(mapping: Mapping, constant: str | None, value: str | None) -> str:
    """The category of one charge: its column's value mapped, else the constant."""
    if constant is not None:
        return constant
    text = (value or "").strip()
    if not text:
        return mapping.category or UNMAPPED
    lowered = text.lower()
    if lowered in mapping.category_values:
        return mapping.category_values[lowered]
    codes = {c.lower(): c for c in load_categories().codes() if c != UNMAPPED}
    return codes.get(lowered, UNMAPPED)


def _allocate(staged: _Staged, problems: _Problems) -> int:
    """Split each shipment's charges over its SKU rows; returns references left whole."""
    mapping = staged.mapping
    by = mapping.allocate_by
    assert by is not None
    loader = staged.loader
    found: list[Problem] = []
    measure_header = staged.header(by)
    for line, _text in mapped_load.lines_where(
        loader, by, f'"sku" IS NOT NULL AND "{by}__text" IS NULL', problems.limit
    ):
        found.append(Problem("value.required", {}, staged.file, line, measure_header))
    if mapping.allocate_total == "repeated":
        for amount in mapping.amounts:
            for line, ref, value, first, expected in mapped_load.repeated_total_conflicts(
                loader, amount.field, "reference", problems.limit
            ):
                params = {
                    "reference": ref,
                    "found": str(value),
                    "first": first,
                    "expected": str(expected),
                }
                found.append(
                    Problem(
                        "mapping.repeated_total",
                        params,
                        staged.file,
                        line,
                        staged.header(amount.field),
                    )
                )
    problems.add(found[: problems.limit])
    left_whole = 0
    for amount in mapping.amounts:
        left_whole += mapped_load.allocate(
            loader,
            amount.field,
            reference="reference",
            sku="sku",
            measure=by,
            repeated=mapping.allocate_total == "repeated",
        )
    return left_whole


def _map_cells(staged: _Staged, categories: dict[Any, Any], event: str) -> None:
    """Give every code combination of the cells its category (lx_map)."""
    mapping = staged.mapping
    rows = []
    for tt, at, ad, day in staged.loader.code_combinations():
        if mapping.kind == "orders":
            category = categories.get((at, ad), UNMAPPED)
        else:
            category = _charge_category(mapping, categories.get(at), ad)
        rows.append((tt, at, ad, day, category, event, f"mapping:{mapping.path.name}"))
    staged.loader.load_mapping(rows)


def _ledger_cells(
    staged: _Staged, problems: _Problems, store: Store
) -> tuple[str | None, str, int]:
    """Checks, allocation and lx_cells of a ledger kind: (currency, basis, left out/whole)."""
    mapping = staged.mapping
    problems.add(_range_problems(staged, problems.limit))
    fallback = store.currency if mapping.kind == "orders" else None
    currency, found = _file_currency(staged, fallback)
    problems.add(found)
    if mapping.kind == "orders":
        keys = [f.name for f in staged.report.fields if f.name != LINE_COLUMN]
        _duplicates(staged, problems, keys)
        shape, where, categories = _order_shape(staged)
        staged.loader.cells(shape, where)
        left_out = staged.report.rows - staged.loader.count("lx_rows", where)
        _map_cells(staged, categories, "order")
        return currency, "estimated", left_out
    left_whole = 0
    if mapping.allocate_by is not None:
        left_whole = _allocate(staged, problems)
    else:
        keys = [f.name for f in staged.report.fields if f.name != LINE_COLUMN]
        _duplicates(staged, problems, keys)
    shape, by_header = _charge_shape(staged, mapping.sign)
    staged.loader.cells(shape)
    _map_cells(staged, by_header, "other")
    return currency, "settled", left_whole


def _duplicates(staged: _Staged, problems: _Problems, keys: list[str]) -> None:
    duplicates = staged.loader.duplicate_lines(keys, limit=problems.limit)
    problems.add(
        [
            Problem("file.duplicate_row", {"first": first}, staged.file, line)
            for line, first in duplicates
        ]
    )


# ---- import ----------------------------------------------------------------------------
def _says_encoding(
    importer: Callable[..., ReportImport | SheetImport],
) -> Callable[..., ReportImport | SheetImport]:
    """Have the import say when it read the file as Chinese GB18030/GBK text though the
    mapping says UTF-8 (its default): see `mapped_source.for_file`."""

    @functools.wraps(importer)
    def run(*args: Any, **kwargs: Any) -> ReportImport | SheetImport:
        result = importer(*args, **kwargs)
        given = inspect.signature(importer).bind(*args, **kwargs).arguments
        path, mapping = given["path"], given["mapping"]
        mapping = load_mapping(mapping) if isinstance(mapping, Path) else mapping
        if result.status == "unchanged" or mapped_source.for_file(path, mapping) is mapping:
            return result
        if isinstance(result, SheetImport):
            result.encoding = "gb18030"
        else:
            result.notes.append(("file.read_as_gb18030", {}))
        return result

    return run


@_says_encoding
def import_mapped(
    db: Database,
    workspace: Workspace,
    path: Path,
    mapping: Mapping | Path,
    *,
    options: ImportOptions = ImportOptions(),
) -> ReportImport | SheetImport:
    """Import one file as its mapping describes: all of it, or nothing."""
    if isinstance(mapping, Path):
        mapping = load_mapping(mapping)
    file = str(path)
    mapped_source.check_file(path)  # missing, empty, a folder, an old .xls: say so first
    sha = mapped_source.file_digest(path)
    store_id = None if mapping.kind == "costs" else (options.store_id or mapping.store)
    fingerprint = mapping.fingerprint(store_id)
    earlier = mapped_load.latest_source(db, sha, mapping.source_kind)
    if earlier is not None and earlier[1] == fingerprint:
        if mapping.kind == "costs":
            return SheetImport(file, "unchanged", earlier[0], "cogs")
        return ReportImport(file, mapping.source_kind, "unchanged", earlier[0], store_id)
    # The same content imported under another mapping (a renamed mapping file) counts
    # once: it is "already imported" unless the user says this import replaces it.
    others = mapped_load.other_mapped_sources(db, sha, mapping.source_kind)
    if others and not options.replace:
        return _already_imported(file, mapping, others[0], store_id)
    replacing = [int(other_id) for other_id, _kind in others]
    problems = _Problems(collect=False)
    if mapping.kind == "costs":
        earlier_ids = [earlier[0]] if earlier is not None else []
        costs = _import_costs(
            db, workspace, path, mapping, sha, fingerprint, earlier_ids + replacing, problems
        )
        costs.notes += [("mapping.replaced_other", {"source": i, "kind": k}) for i, k in others]
        return costs
    store, created = _store(workspace, mapping, options.store_id, file, create=True)
    committed = False
    try:
        with _stage(
            db, workspace, path, mapping, timezone=store.timezone, sha=sha, problems=problems
        ) as staged:
            currency, basis, count = _ledger_cells(staged, problems, store)
            if currency is None:  # a charges file whose rows carry no money at all
                raise InputError.at("file.no_rows", file=file)
            record = ledger.SourceRecord(
                kind=mapping.source_kind,
                file_name=path.name,
                file_path=file,
                sha256=sha,
                encoding=staged.prepared.encoding,
                row_count=staged.report.rows,
                store_id=store.id,
                currency=currency,
                mapping_fingerprint=fingerprint,
                # Not the store's platform: the fingerprint is the mapping file's, not a
                # platform code map's, so the platforms' staleness check must skip it.
                platform="mapped",
            )
            with new_source(db, workspace, record, store if created else None) as source_id:
                replaced = 0
                for old_id in ([earlier[0]] if earlier is not None else []) + replacing:
                    replaced += mapped_load.ledger_rows_of(db, old_id)
                    ledger.supersede_source(db, old_id, source_id)
                if basis == "estimated":
                    order_shape, live, _ = _order_shape(staged)
                    replaced += staged.loader.replace_estimates(
                        store.id,
                        source_id=source_id,
                        observed=order_shape.observed or "posted",
                        live=live,
                    )
                written = staged.loader.write_ledger(
                    source_id=source_id, store_id=store.id, currency=currency, basis=basis
                )
            committed = True
            first, last = staged.loader.span("day")
            result = ReportImport(
                file,
                mapping.source_kind,
                "replaced" if earlier is not None or replacing else "imported",
                source_id,
                store.id,
                rows=staged.report.rows,
                written=written,
                date_from=first,
                date_to=last,
                currency=currency,
                replaced_rows=replaced,
                new_store=store if created else None,
                unmapped=unmapped_codes(db, source_id=source_id),
                ignored_columns=[h for h in staged.report.ignored if h != LINE_COLUMN],
            )
    except BaseException:
        # A store made for this file is forgotten unless the import was written.
        if created and not committed and store in workspace.config.stores:
            workspace.config.stores.remove(store)
        raise
    if earlier is not None:
        result.notes.append(("mapping.remapped", {"source": earlier[0]}))
    for other_id, other_kind in others:
        result.notes.append(("mapping.replaced_other", {"source": other_id, "kind": other_kind}))
    if basis == "estimated" and count:
        result.notes.append(("mapping.left_out", {"count": count}))
    if basis == "settled" and count:
        result.notes.append(
            ("mapping.unallocated", {"count": count, "by": mapping.allocate_by or ""})
        )
    return result


def _import_costs(
    db: Database,
    workspace: Workspace,
    path: Path,
    mapping: Mapping,
    sha: str,
    fingerprint: str,
    earlier: list[int],
    problems: _Problems,
) -> SheetImport:
    with _stage(db, workspace, path, mapping, timezone="UTC", sha=sha, problems=problems) as staged:
        rows = _cost_rows(staged, problems)
        if not rows:
            raise InputError.at("file.no_rows", file=str(path))
        record = ledger.SourceRecord(
            kind=mapping.source_kind,
            file_name=path.name,
            file_path=str(path),
            sha256=sha,
            encoding=staged.prepared.encoding,
            row_count=staged.report.rows,
            mapping_fingerprint=fingerprint,
        )
        with new_source(db, workspace, record, None) as source_id:
            for old_id in earlier:
                mapped_load.remove_source_costs(db, old_id)
                ledger.supersede_source(db, old_id, source_id)
            ledger.upsert_costs(db, source_id, rows)
    status = "replaced" if earlier else "imported"
    ignored = [h for h in staged.report.ignored if h != LINE_COLUMN]
    return SheetImport(
        str(path), status, source_id, "cogs", len(rows), len({r.sku for r in rows}), ignored
    )


def _already_imported(
    file: str, mapping: Mapping, other: tuple[int, str], store_id: str | None
) -> ReportImport | SheetImport:
    """The answer for content already imported under another mapping: nothing written."""
    other_id, other_kind = int(other[0]), str(other[1])
    note = ("mapping.already_imported", {"source": other_id, "kind": other_kind})
    if mapping.kind == "costs":
        return SheetImport(file, "unchanged", other_id, "cogs", notes=[note])
    result = ReportImport(file, mapping.source_kind, "unchanged", other_id, store_id)
    result.notes.append(note)
    return result


# ---- check -----------------------------------------------------------------------------
LEDGER_PREVIEW = [
    "line",
    "business_date",
    "order_id",
    "sku",
    "quantity",
    "category",
    "reference",
    "amount_type",
    "amount_description",
    "amount",
    "currency",
    "basis",
]
COST_PREVIEW = ["line", "sku", "effective_from", "unit_cost", "freight", "duty", "currency"]


def check_mapping(
    db: Database,
    workspace: Workspace,
    path: Path,
    mapping_path: Path,
    *,
    store_id: str | None = None,
    rows: int = 10,
) -> MappingCheck:
    """Everything wrong with a mapping and the file it reads, and a preview; writes nothing."""
    check = MappingCheck(str(path), str(mapping_path), None)
    try:
        mapping, found = read_mapping(mapping_path)
    except InputError as exc:
        check.problems = exc.problems
        return check
    check.problems.extend(found)
    if mapping is None:
        return check
    check.kind = mapping.kind
    try:
        header, _ = mapped_source.read_header(path, mapping)
    except InputError as exc:
        check.problems.extend(exc.problems)
        return check
    check.problems.extend(header_problems(header, mapping, str(path)))
    timezone = "UTC"
    store: Store | None = None
    if mapping.kind != "costs":
        try:
            store, _created = _store(workspace, mapping, store_id, str(path), create=False)
            timezone = store.timezone
            check.store_id = store.id
        except InputError as exc:
            check.problems.extend(exc.problems)
    if check.problems:
        return check
    problems = _Problems(collect=True)
    sha = mapped_source.file_digest(path)
    try:
        with _stage(
            db, workspace, path, mapping, timezone=timezone, sha=sha, problems=problems
        ) as staged:
            check.total_rows = staged.report.rows
            check.ignored_columns = [h for h in staged.report.ignored if h != LINE_COLUMN]
            if mapping.kind == "costs":
                cost_rows = _cost_rows(staged, problems)
                check.columns = COST_PREVIEW
                check.rows = [
                    {
                        "line": r.line,
                        "sku": r.sku,
                        "effective_from": r.effective_from,
                        "unit_cost": r.unit_cost,
                        "freight": r.freight,
                        "duty": r.duty,
                        "currency": r.currency,
                    }
                    for r in cost_rows[:rows]
                ]
            else:
                assert store is not None
                currency, basis, _count = _ledger_cells(staged, problems, store)
                check.currency = currency
                check.columns = LEDGER_PREVIEW
                check.rows = [
                    {**r, "currency": currency, "basis": basis}
                    for r in mapped_load.preview(staged.loader, rows)
                ]
    except InputError as exc:
        problems.found.extend(exc.problems)
    check.problems.extend(problems.found[:MAX_CHECK_PROBLEMS])
    return check


# ---- a folder of mapped files ----------------------------------------------------------
def workspace_mappings(workspace: Workspace) -> list[Path]:
    folder = workspace.root / MAPPING_FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
    )


def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.readline(65536).decode("utf-8", "replace").lower()
    except OSError:
        return ""


def find_mapping(workspace: Workspace, path: Path) -> Mapping | None:
    """The workspace mapping whose declared columns the file's header all has.

    Of several, the one declaring the most columns wins; a tie is an error (the user
    says which with --mapping). A broken mapping file is an error too: it would
    otherwise be skipped silently.
    """
    matches: list[tuple[int, Mapping]] = []
    if "settlement-id" in _first_line(path):
        return None  # settlements have their own importer; never read one by a mapping
    for mapping_path in workspace_mappings(workspace):
        mapping = load_mapping(mapping_path)
        try:
            header, _ = mapped_source.read_header(path, mapping)
        except InputError:
            continue  # not readable the way this mapping says: not its file
        if not header_problems(header, mapping, str(path)):
            matches.append((len(mapping.declared_headers()), mapping))
    if not matches:
        return None
    matches.sort(key=lambda m: -m[0])
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        names = ", ".join(m.path.name for n, m in matches if n == matches[0][0])
        raise InputError.at("mapping.ambiguous", file=str(path), mappings=names)
    return matches[0][1]
