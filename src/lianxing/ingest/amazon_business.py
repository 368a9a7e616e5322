"""Amazon Business Report: Detail Page Sales and Traffic by Child Item (Seller Central CSV).

One row per child ASIN (and SKU) over a date range: sessions, page views, featured
offer ("buy box") share, units ordered, ordered product sales and order items (table
`traffic`). Only the totals are stored: each `- B2B` column is a part of its total,
and the mobile/browser splits are parts too. Values carry `%`, `$` and thousands
separators. Ordered product sales are what buyers ordered, not money paid out: facts,
never ledger rows.

Header spellings: `Sessions - Total` / `Page Views - Total` (older files: `Sessions`,
`Page Views`; Canadian files write an en dash), `Featured Offer (Buy Box) Percentage`
(newer: `Featured Offer Percentage`; older: `Buy Box Percentage`).

The file carries no dates, so the range it covers comes, in this order, from:
1. `--from` and `--to` (`ImportOptions.date_from/date_to`; both, or neither);
2. the file name, when it holds a range of two ISO dates
   (`BusinessReport_2026-10-01_2026-10-31.csv`, any separators) or one ISO month
   (`BusinessReport-2026-10.csv` → 1–31 October);
3. otherwise the import is refused, asking for `--from`/`--to`. The name Seller Central
   gives the download (`BusinessReport-10-1-26.csv`) is the day it was downloaded, not
   the range of the report, so it is never read as one.
A file that does have a `Date` column (the by-date flavour) uses it per row instead.

A later report for the same range replaces the rows of the same ASIN and SKU, so the
same range imported twice counts once. SKU ↔ child ASIN pairs are remembered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from lianxing.errors import InputError
from lianxing.ingest.amazon_facts import choose_store, fact_result
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
from lianxing.store import fact_load
from lianxing.store.database import Database
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]


def _total(name: str) -> tuple[str, ...]:
    """`name - total` as English and Canadian files write it, then the older bare name."""
    return (f"{name} - total", f"{name} – total", name)


FORMAT = ReportFormat(
    kind="amazon_business_report",
    platform="amazon",
    delimiter=",",
    quoted=True,
    signature=("(parent) asin", "(child) asin", "units ordered"),
    fields=(
        Field("day", ("date",), "day", required=False, value_required=True),
        Field("parent_asin", ("(parent) asin",)),
        Field("asin", ("(child) asin",), value_required=True),
        Field("sku", ("sku",), required=False),
        Field("sessions", _total("sessions"), "count", required=False),
        Field("page_views", _total("page views"), "count", required=False),
        Field(
            "buy_box",
            (
                "featured offer (buy box) percentage",
                "featured offer percentage",
                "buy box percentage",
            ),
            "percent",
            required=False,
        ),
        Field("units_ordered", ("units ordered", "units ordered - total"), "count"),
        Field(
            "ordered_sales",
            ("ordered product sales", "ordered product sales - total"),
            "money",
            required=False,
        ),
        Field(
            "order_items",
            ("total order items", "total order items - total"),
            "count",
            required=False,
        ),
    ),
)
FACT_FIELDS = (
    "parent_asin",
    "asin",
    "sku",
    "sessions",
    "page_views",
    "buy_box",
    "units_ordered",
    "ordered_sales",
    "order_items",
)
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
NAME_RANGE = re.compile(rf"(?<!\d){_ISO}(?!\d)\D+{_ISO}(?!\d)")
NAME_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d-])")


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def dates_from_name(name: str) -> tuple[date, date] | None:
    """The range a file name states: two ISO dates, or one ISO month; else None."""
    stem = name.rsplit(".", 1)[0]
    if m := NAME_RANGE.search(stem):
        first, last = _day(*m.groups()[:3]), _day(*m.groups()[3:])
        if first is not None and last is not None:
            return first, last
        return None
    months = NAME_MONTH.findall(stem)
    if len(months) == 1:
        year, month = months[0]
        first = _day(year, month, "1")
        if first is not None:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, date.fromordinal(following.toordinal() - 1)
    return None


def report_dates(options: ImportOptions, path: Path) -> tuple[date, date, str] | None:
    """(first day, last day, where from: 'options' | 'name'), or None when nothing says."""
    given = (options.date_from, options.date_to)
    if given != (None, None):
        if None in given:
            raise InputError.at("business.one_date", file=str(path))
        first, last = options.date_from, options.date_to
        assert first is not None and last is not None
        found = (first, last, "options")
    else:
        named = dates_from_name(path.name)
        if named is None:
            return None
        found = (*named, "name")
    if found[0] > found[1]:
        raise InputError.at(
            "business.bad_range", file=str(path), date_from=found[0], date_to=found[1]
        )
    return found


def import_business_report(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one Business Report (by child item) as `traffic` facts: all, or nothing."""
    with read_report(db, workspace, path, FORMAT, progress=progress) as report:
        done = unchanged(report)
        if done is not None:
            return done
        file = report.file
        dated_rows = report.has("day")
        dates = None if dated_rows else report_dates(options, path)
        if not dated_rows and dates is None:
            raise InputError.at("business.no_dates", file=file)
        store, created = choose_store(report, workspace, options)
        report.parse(store.timezone)
        report.refuse_duplicates([f.name for f in report.fields])
        loader = report.loader
        present = {f.name for f in report.fields}
        fields: dict[str, str | None] = {
            name: (name if name in present else None) for name in FACT_FIELDS
        }
        constants: dict[str, object] = {"currency": store.currency}
        if dates is None:
            first, last = loader.span("day")
            fields |= {"date_from": "day", "date_to": "day"}
        else:
            first, last, _how = dates
            constants |= {"date_from": first, "date_to": last}
        record = source_record(report, store, date_from=first, date_to=last)
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = fact_load.replace_facts(
                loader,
                "traffic",
                source_id=source_id,
                store_id=store.id,
                fields=fields,
                constants=constants,
            )
            if report.has("sku"):
                fact_load.record_aliases(
                    loader, source_id=source_id, store_id=store.id, sku="sku", asin="asin"
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
        if dates is not None and dates[2] == "name":
            result.notes.append(("business.dates_from_name", {"date_from": first, "date_to": last}))
        return result
