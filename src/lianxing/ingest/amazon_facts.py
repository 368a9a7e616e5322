"""What the Amazon fact-report importers share: store choice, checks, the result.

Returns, storage fees, inventory planning and the Business Report write **facts**, not
ledger money (see `lianxing.store.fact_load`): the settlement stays the only record of
money, and these reports say how units came back, how storage splits across products,
how old the stock is and how each product sells. Their files name no marketplace, so
they go to the one Amazon store (or `--store`); a currency column, when the file has a
single currency, picks among several Amazon stores. Each fact row keeps the currency
its file states (the store's when the file states none).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lianxing.errors import InputError, Problem
from lianxing.ingest.tabular import (
    ImportOptions,
    OpenReport,
    ReportImport,
    bad_value_problems,
    platform_store,
)
from lianxing.store import amazon_fact_load
from lianxing.store.table_load import BadValue
from lianxing.workspace import Store, Workspace

# Units on one fact line beyond this are a broken value, not a real count (returns
# keep quantity in an INTEGER column).
MAX_UNITS = 999_999


def field_header(report: OpenReport, name: str) -> str:
    return next((f.header for f in report.fields if f.name == name), name)


def choose_store(
    report: OpenReport, workspace: Workspace, options: ImportOptions, currency: str = "currency"
) -> tuple[Store, bool]:
    """The Amazon store the report belongs to; (store, created)."""
    hint = None
    column = next((f.column for f in report.fields if f.name == currency), None)
    if column is not None:
        values = {v.upper() for v in report.loader.staged_values(column, limit=3)}
        hint = values.pop() if len(values) == 1 else None
    return platform_store(workspace, "amazon", options.store_id, report.file, currency=hint)


def raise_bad(report: OpenReport, bad: Sequence[BadValue]) -> None:
    """Raise one InputError for all `bad` values (currency codes included)."""
    if not bad:
        return
    problems = [
        Problem("value.currency", {"value": b.value or ""}, report.file, b.line, b.header)
        if b.type == "currency"
        else bad_value_problems(report.file, [b])[0]
        for b in sorted(bad, key=lambda b: (b.line, b.header))
    ]
    raise InputError(problems[0].key, problems=problems)


def check_values(
    report: OpenReport, *, currency: str | None = None, counts: Sequence[str] = ()
) -> None:
    """Refuse currency codes that are not codes and counts too large to be real."""
    bad: list[BadValue] = []
    if currency is not None and report.has(currency):
        bad += amazon_fact_load.bad_codes(report.loader, currency, field_header(report, currency))
    for name in counts:
        if report.has(name):
            bad += amazon_fact_load.too_large(
                report.loader, name, field_header(report, name), MAX_UNITS
            )
    raise_bad(report, bad)


def fact_result(
    report: OpenReport,
    store: Store,
    created: bool,
    source_id: int,
    *,
    written: int,
    replaced: int,
    date_from: date | None,
    date_to: date | None,
    currency: str | None = None,
) -> ReportImport:
    return ReportImport(
        report.file,
        report.fmt.kind,
        "imported",
        source_id,
        store.id,
        rows=report.rows,
        written=written,
        date_from=date_from,
        date_to=date_to,
        currency=currency or store.currency,
        replaced_rows=replaced,
        new_store=store if created else None,
        ignored_columns=report.ignored,
    )
