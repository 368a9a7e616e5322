"""Amazon settlement reports: flat file V2 and the legacy flat file.

The layout is detected from the header and columns are found by name, never by
position; unknown extra columns are ignored and listed. This module decides what each
column means and checks the file; `lianxing.store.settlement_load` runs the SQL.

Rules the numbers depend on (see report-formats.md):
- the first data row is a summary whose total-amount must equal the sum of all amounts
  (checked and stored per settlement, to the cent);
- an order item's quantity counts once (V2 repeats it on every row of the item, the
  legacy layout puts it on a line of its own);
- the business date is the posted time in the store's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from lianxing.codemap import CodeMap
from lianxing.errors import InputError, Problem
from lianxing.formats import AMAZON_SETTLEMENT_V2_COLUMNS
from lianxing.ingest import amazon_date_range, textfile
from lianxing.ingest.textfile import TextFile
from lianxing.money import is_currency
from lianxing.store import date_range_load, ledger
from lianxing.store.database import Database
from lianxing.store.reports import UnmappedCode, unmapped_codes
from lianxing.store.settlement_load import (
    AmountColumn,
    BadValue,
    Reject,
    SettlementColumns,
    SettlementLoader,
    sql_literal,
)
from lianxing.workspace import Store, Workspace, marketplace_for_name, marketplaces

PLATFORM = "amazon"
V2_REQUIRED = (
    "settlement-id",
    "total-amount",
    "currency",
    "transaction-type",
    "amount-type",
    "amount-description",
    "amount",
)
LEGACY_REQUIRED = ("settlement-id", "total-amount", "currency", "transaction-type")
# The legacy layout's description column for each amount column, when it is not
# simply "<prefix>-type".
LEGACY_DESCRIPTION = {"other-fee-amount": "other-fee-reason-description"}
LEGACY_NO_DESCRIPTION = {"misc-fee-amount", "other-amount"}
# Columns the importer reads besides the amounts; others are reported as ignored.
KNOWN = {
    *AMAZON_SETTLEMENT_V2_COLUMNS,
    "promotion-id",
    "other-fee-reason-description",
}

StageFn = Callable[[str], None]


@dataclass
class SettlementImport:
    """What an import did, for the CLI to report."""

    file: str
    status: str  # imported | replaced | remapped | unchanged | superseded
    source_id: int
    settlement_id: str | None = None
    store_id: str | None = None
    layout: str | None = None
    rows: int = 0
    currency: str | None = None
    total_amount: Decimal | None = None
    rows_sum: Decimal | None = None
    replaced_source: int | None = None
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
    def reconciled(self) -> bool:
        return self.difference == 0


def detect_layout(header: list[str]) -> str | None:
    names = {h.lower() for h in header}
    if all(n in names for n in V2_REQUIRED):
        return "v2"
    if all(n in names for n in LEGACY_REQUIRED) and any(
        n.endswith("-amount") and n != "total-amount" for n in names
    ):
        return "legacy"
    return None


def looks_like_settlement(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return "settlement-id" in names and "total-amount" in names


def plan_columns(header: list[str], layout: str, file: str) -> tuple[SettlementColumns, list[str]]:
    """Map header names to staged columns c0..cN; returns (columns, ignored names)."""
    index: dict[str, str] = {}
    for i, name in enumerate(header):
        key = name.lower()
        if key in index:
            raise InputError.at("file.duplicate_column", file=file, line=1, column=name, name=name)
        index[key] = f"c{i}"

    def get(name: str) -> str | None:
        return index.get(name)

    if layout == "v2":
        amounts = [
            AmountColumn(
                index["amount"],
                "amount",
                f"lx_text({index['amount-type']})",
                f"lx_text({index['amount-description']})",
                (index["amount-type"], index["amount-description"]),
            )
        ]
        used = set(KNOWN)
    else:
        amounts = []
        used = set(KNOWN)
        for name in header:
            key = name.lower()
            if not key.endswith("-amount") or key == "total-amount":
                continue
            prefix = key[: -len("-amount")]
            description = LEGACY_DESCRIPTION.get(key, f"{prefix}-type")
            used.update({key, description})
            reads_description = description in index and key not in LEGACY_NO_DESCRIPTION
            description_sql = (
                f"lx_text({index[description]})" if reads_description else "NULL::VARCHAR"
            )
            # The column family stands in for V2's amount-type, so mappings can tell
            # a price from a fee (see data/mappings/amazon.toml).
            amounts.append(
                AmountColumn(
                    index[key],
                    name,
                    sql_literal(prefix),
                    description_sql,
                    (index[description],) if reads_description else (),
                )
            )
    posted = tuple(c for c in (get("posted-date-time"), get("posted-date")) if c)
    columns = SettlementColumns(
        settlement_id=index["settlement-id"],
        total_amount=index["total-amount"],
        currency=index["currency"],
        transaction_type=index["transaction-type"],
        amounts=amounts,
        start=get("settlement-start-date"),
        end=get("settlement-end-date"),
        deposit=get("deposit-date"),
        order_id=get("order-id"),
        adjustment_id=get("adjustment-id"),
        shipment_id=get("shipment-id"),
        marketplace=get("marketplace-name"),
        order_item_id=get("order-item-code") or get("merchant-order-item-id"),
        sku=get("sku"),
        quantity=get("quantity-purchased"),
        posted=posted,
        posted_header="posted-date-time" if get("posted-date-time") else "posted-date",
    )
    ignored = [h for h in header if h.lower() not in used]
    return columns, ignored


def _reject_problem(file: str, reject: Reject, header: list[str]) -> Problem:
    if "COLUMNS" in reject.error_type.upper():
        match = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", reject.message)
        expected, found = match.groups() if match else (str(len(header)), "?")
        return Problem("file.columns", {"expected": expected, "found": found}, file, reject.line)
    return Problem("file.bad_line", {"detail": reject.message}, file, reject.line)


def _bad_value_problem(file: str, bad: BadValue, settlement_id: str) -> Problem:
    if bad.problem == "settlement":
        return Problem(
            "file.several_settlements",
            {"expected": settlement_id, "found": bad.value},
            file,
            bad.line,
            bad.column,
        )
    key = {"amount": "value.amount", "date": "value.date", "quantity": "value.quantity"}[
        bad.problem
    ]
    return Problem(key, {"value": bad.value}, file, bad.line, bad.column)


def resolve_store(
    workspace: Workspace, names: list[str], currency: str, requested: str | None, file: str
) -> tuple[Store, bool]:
    """The store a settlement belongs to; (store, created)."""
    known = {
        m.id: m for name in names if (m := marketplace_for_name(name)) and m.platform == PLATFORM
    }
    if len(known) > 1:
        raise InputError.at("store.cannot_tell", file=file)
    market = next(iter(known.values()), None)
    stores = workspace.config.stores
    if requested:
        existing = [s for s in stores if s.id == requested]
        if existing:
            store = existing[0]
            if market and store.marketplace != market.id:
                raise InputError.at(
                    "store.marketplace_mismatch",
                    file=file,
                    store=store.id,
                    expected=store.marketplace,
                    found=market.id,
                )
            return store, False
        if market is None:
            # A settlement with only fees names no marketplace: take the one whose
            # currency matches among Amazon marketplaces, if exactly one does.
            by_currency = [
                m
                for m in marketplaces().values()
                if m.platform == PLATFORM and m.currency == currency
            ]
            if len(by_currency) != 1:
                raise InputError.at("store.cannot_tell", file=file)
            market = by_currency[0]
        store = Store(requested, PLATFORM, market.id, market.currency, market.timezone)
        workspace.add_store(store)
        return store, True
    if market is None:
        candidates = [s for s in stores if s.platform == PLATFORM and s.currency == currency]
        if len(candidates) == 1:
            return candidates[0], False
        raise InputError.at("store.cannot_tell", file=file)
    candidates = [s for s in stores if s.platform == PLATFORM and s.marketplace == market.id]
    if len(candidates) == 1:
        return candidates[0], False
    if len(candidates) > 1:
        raise InputError.at(
            "store.ambiguous",
            file=file,
            marketplace=market.id,
            stores=", ".join(s.id for s in candidates),
        )
    base = market.id.replace(".", "-")
    store_id, n = base, 2
    while any(s.id == store_id for s in stores):
        store_id, n = f"{base}-{n}", n + 1
    store = Store(store_id, PLATFORM, market.id, market.currency, market.timezone)
    workspace.add_store(store)
    return store, True


def _stage(
    loader: SettlementLoader,
    text: TextFile,
    column_count: int,
    columns: SettlementColumns,
    workspace: Workspace,
) -> list[Reject]:
    """Have the database read the file; make a readable UTF-8 copy when it cannot."""

    def read() -> list[Reject]:
        return loader.stage(
            str(text.utf8_path), column_count, columns.used(), str(text.path), columns
        )

    try:
        rejects = read()
    except InputError:
        # Mixed CRLF/LF line ends make the reader fail; the byte scan spots them and
        # `finish` writes a copy with one kind. Anything else is a real error.
        if not text.finish():
            raise
        return read()
    if text.finish():
        rejects = read()
    if any(r.error_type.upper() == "INVALID ENCODING" for r in rejects):
        # Not UTF-8: older Seller Central downloads are windows-1252.
        textfile.rewrite_utf8(text, workspace.temp_dir, encoding="cp1252")
        rejects = read()
    return rejects


def import_settlement(
    db: Database,
    workspace: Workspace,
    text: TextFile,
    *,
    store_id: str | None = None,
    stage: StageFn | None = None,
) -> SettlementImport:
    """Import one settlement file: all of it, or nothing."""
    file = str(text.path)
    report = stage or (lambda _name: None)
    header = text.header("\t")
    layout = detect_layout(header)
    if layout is None:
        if looks_like_settlement(header):
            missing = [n for n in V2_REQUIRED if n not in {h.lower() for h in header}]
            raise InputError.at(
                "file.not_settlement", file=file, line=1, missing=", ".join(missing)
            )
        raise InputError.at(
            "file.unknown_kind", file=file, line=1, header="\t".join(header[:5])[:80]
        )
    columns, ignored = plan_columns(header, layout, file)

    codemap = CodeMap(PLATFORM, workspace.config.mapping_rules().get(PLATFORM, []))
    loader = SettlementLoader(db)
    new_store: Store | None = None
    try:
        report("read")
        rejects = _stage(loader, text, len(header), columns, workspace)
        # The file's hash (computed while the database read it) says whether it is
        # known already: the same file mapped with the same rules needs nothing; mapped
        # with other rules (a mapping was added since), it is imported again.
        same = ledger.find_by_sha(db, text.sha256, "amazon_settlement")
        if same is not None and (
            same.superseded_by is not None or same.mapping_fingerprint == codemap.fingerprint
        ):
            # An older version of a settlement that a corrected file replaced: keep the
            # correction (re-importing a folder must not swap the two back and forth).
            return SettlementImport(
                file,
                "superseded" if same.superseded_by is not None else "unchanged",
                same.source_id,
                store_id=same.store_id,
                settlement_id=same.settlement_id,
                replaced_source=same.superseded_by,
            )
        if rejects:
            problems = [_reject_problem(file, r, header) for r in rejects]
            raise InputError(problems[0].key, problems=problems)
        report("check")
        summary = loader.summary(columns)
        if summary.transaction_type or not summary.settlement_id or not summary.total_amount_text:
            raise InputError.at("file.no_summary", file=file, line=2)
        settlement_id = summary.settlement_id
        total = loader.parse_amount(summary.total_amount_text)
        if total is None:
            raise InputError.at(
                "value.amount",
                file=file,
                line=2,
                column="total-amount",
                value=summary.total_amount_text,
            )
        currency = (summary.currency or "").upper()
        if not is_currency(currency):
            raise InputError.at(
                "value.currency", file=file, line=2, column="currency", value=summary.currency or ""
            )
        dates = {}
        for name, value in (
            ("settlement-start-date", summary.start_text),
            ("settlement-end-date", summary.end_text),
            ("deposit-date", summary.deposit_text),
        ):
            parsed = loader.parse_timestamp(value)
            if value and parsed is None:
                raise InputError.at("value.date", file=file, line=2, column=name, value=value)
            dates[name] = parsed

        previous = ledger.find_settlement(db, settlement_id)
        store, created = resolve_store(
            workspace,
            loader.marketplace_names(columns),
            currency,
            store_id or (previous.store_id if previous else None),
            file,
        )
        new_store = store if created else None
        if previous is not None and previous.store_id != store.id:
            raise InputError.at(
                "import.other_store", file=file, settlement=settlement_id, store=previous.store_id
            )
        if store.currency != currency:
            raise InputError.at(
                "store.currency_mismatch",
                file=file,
                line=2,
                column="currency",
                store=store.id,
                expected=store.currency,
                found=currency,
            )

        loader.parse(
            columns,
            timezone=store.timezone,
            fallback_posted=dates["settlement-end-date"],
            blank_lines=text.blank_lines,
        )
        bad = loader.bad_values(settlement_id, columns.posted_header, "quantity-purchased")
        if bad:
            problems = [_bad_value_problem(file, b, settlement_id) for b in bad]
            raise InputError(problems[0].key, problems=problems)

        report("map")
        mapping = []
        for tt, at, ad, day in loader.code_combinations():
            category, rule = codemap.resolve(layout, tt, at, ad, day)
            mapping.append((tt, at, ad, day, category, codemap.kind(tt), rule))
        loader.load_mapping(mapping)
        loader.assign_quantities()
        rows_sum = loader.rows_sum()
        if previous is not None and previous.reconciled and rows_sum != total:
            # A truncated or edited copy must not overwrite numbers that matched the
            # payout; a new settlement that does not reconcile is imported and flagged.
            raise InputError.at(
                "import.worse_replacement",
                file=file,
                settlement=settlement_id,
                source=previous.source_id,
                difference=str(rows_sum - total),
            )

        report("write")
        record = ledger.SourceRecord(
            kind=f"amazon_settlement_{layout}",
            file_name=text.name,
            file_path=file,
            sha256=text.sha256,
            encoding=text.encoding,
            row_count=0,
            store_id=store.id,
            settlement_id=settlement_id,
            period_start=dates["settlement-start-date"],
            period_end=dates["settlement-end-date"],
            deposit_date=dates["deposit-date"],
            currency=currency,
            total_amount=total,
            rows_sum=rows_sum,
            mapping_version=codemap.version,
            mapping_fingerprint=codemap.fingerprint,
            platform=PLATFORM,
        )
        with db.transaction():
            source_id = ledger.next_source_id(db)
            if previous is not None:
                ledger.supersede_source(db, previous.source_id, source_id)
            ledger.insert_source(db, source_id, record)
            rows = loader.write(
                source_id=source_id,
                store_id=store.id,
                currency=currency,
                settlement_id=settlement_id,
            )
            ledger.set_row_count(db, source_id, rows)
            ledger.set_coverage(db, source_id)
            # Transaction-report rows of this settlement now only explain it.
            date_range_load.recount(db, [settlement_id])
            if created:
                # Saved inside the transaction: if writing the settings fails, the
                # ledger rolls back with it.
                workspace.save()
    except BaseException:
        if new_store is not None:  # the store was only ever added in memory: forget it
            workspace.config.stores.remove(new_store)
        raise
    finally:
        loader.cleanup()
    return SettlementImport(
        file=file,
        status=(
            "imported"
            if previous is None
            else "remapped"
            if previous.sha256 == text.sha256
            else "replaced"
        ),
        source_id=source_id,
        settlement_id=settlement_id,
        store_id=store.id,
        layout=layout,
        rows=rows,
        currency=currency,
        total_amount=total,
        rows_sum=rows_sum,
        replaced_source=previous.source_id if previous else None,
        new_store=new_store,
        unmapped=unmapped_codes(db, source_id=source_id),
        ignored_columns=ignored,
        notes=amazon_date_range.notes(db, [settlement_id]),
    )
