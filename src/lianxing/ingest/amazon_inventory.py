"""Amazon FBA inventory planning report (GET_FBA_INVENTORY_PLANNING_DATA).

A snapshot per SKU: units available, units shipped in the last 30 days, days of
supply, next month's estimated storage cost (table `inventory`), and the units in
each age bucket (table `inventory_age`, one row per SKU and bucket).

The age columns change often — `inv-age-0-to-90-days` … `inv-age-365-plus-days` in
older files; newer ones add `inv-age-0-to-30-days`, `-31-to-60-`, `-61-to-90-`,
`-181-to-330-`, `-331-to-365-`, `-366-to-455-`, `-456-plus-` — so they are found by
pattern (`inv-age-N-to-M-days`, `inv-age-N-plus-days`), not by a fixed list, and the
file's own header becomes the report format of that one import. Files carry several
generations of buckets at once, and they overlap (0-90 holds 0-30, 31-60 and 61-90):
stored as they are, a SKU's units would add up twice. So one set of buckets that do
not overlap is kept — the one covering the most days, and of those the finest (on a
tie, the buckets that end first) — and the other columns are listed as left out.
An open-ended `N-plus` bucket starts at N+1 when another bucket ends at N (older files
have both 271-to-365 and 365-plus).

A later report for the same snapshot day replaces the SKU's rows (all its buckets),
so an overlapping download counts once. SKU ↔ ASIN/FNSKU pairs are remembered.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lianxing.ingest import amazon_long_term_storage, delimited, workbook_text
from lianxing.ingest.amazon_facts import check_values, choose_store, fact_result
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
    new_source,
    normalize_header,
    read_report,
    source_record,
    unchanged,
)
from lianxing.store import amazon_fact_load, fact_load
from lianxing.store.amazon_fact_load import AgeColumn
from lianxing.store.database import Database
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]

FORMAT = ReportFormat(
    kind="amazon_inventory_planning",
    platform="amazon",
    delimiter="\t",
    quoted=False,
    also_delimited=(",",),  # Seller Central's .csv download
    signature=("snapshot-date", "fnsku", "asin"),
    # The long-term storage fee report starts alike: its fee columns tell it apart.
    excludes=amazon_long_term_storage.FEE_HEADERS,
    fields=(
        Field("snapshot", ("snapshot-date",), "day", value_required=True),
        Field("sku", ("sku", "seller-sku"), value_required=True),
        Field("fnsku", ("fnsku",)),
        Field("asin", ("asin",)),
        Field(
            "available",
            # the inventory health report (until 2023) says `sellable-quantity`
            (
                "available",
                "avaliable-quantity(sellable)",
                "available-quantity(sellable)",
                "sellable-quantity",
            ),
            "count",
            required=False,
        ),
        Field(
            "units_shipped_t30",
            ("units-shipped-t30", "units-shipped-last-30-days"),
            "count",
            required=False,
        ),
        Field("days_of_supply", ("days-of-supply",), "number", required=False),
        Field(
            "estimated_storage_next_month",
            ("estimated-storage-cost-next-month",),
            "money",
            required=False,
        ),
        Field("currency", ("currency",), required=False),
    ),
)
FACT_FIELDS = (
    "snapshot",
    "sku",
    "asin",
    "fnsku",
    "available",
    "units_shipped_t30",
    "days_of_supply",
    "estimated_storage_next_month",
    "currency",
)
AGE_RANGE = re.compile(r"inv-age-(\d{1,5})-to-(\d{1,5})-days")
AGE_OPEN = re.compile(r"inv-age-(\d{1,5})-plus-days")
OPEN_END = 10**6  # stands for "no upper bound" when comparing buckets


@dataclass(frozen=True)
class Bucket:
    header: str  # as the file writes it
    min_days: int
    max_days: int | None  # None: open-ended

    @property
    def end(self) -> int:
        return OPEN_END if self.max_days is None else self.max_days


def age_buckets(header: Sequence[str]) -> list[Bucket]:
    """Every age-bucket column of a header, in header order."""
    ranges: list[Bucket] = []
    open_ended: list[tuple[str, int]] = []
    for name in header:
        key = normalize_header(name)
        if (m := AGE_RANGE.fullmatch(key)) and int(m[1]) <= int(m[2]):
            ranges.append(Bucket(name.strip(), int(m[1]), int(m[2])))
        elif m := AGE_OPEN.fullmatch(key):
            open_ended.append((name.strip(), int(m[1])))
    ends = {b.max_days for b in ranges}
    return ranges + [Bucket(name, n + 1 if n in ends else n, None) for name, n in open_ended]


def choose_buckets(buckets: Sequence[Bucket]) -> tuple[list[Bucket], list[Bucket]]:
    """(kept, left out): non-overlapping buckets covering the most days, finest first."""
    ordered = sorted(buckets, key=lambda b: (b.min_days, b.end))
    starts = [b.min_days for b in ordered]
    n = len(ordered)
    # score[i]: the best (days covered, buckets) among ordered[i:]; taken[i]: whether it
    # takes ordered[i]. Filled from the end (a loop, not recursion: a hostile header may
    # hold thousands of bucket columns).
    score = [(0, 0)] * (n + 1)
    taken = [False] * n
    following = [bisect_right(starts, b.end) for b in ordered]
    for i in range(n - 1, -1, -1):
        bucket = ordered[i]
        days, count = score[following[i]]
        take = (days + bucket.end - bucket.min_days + 1, count + 1)
        taken[i] = take >= score[i + 1]  # on a tie, the bucket that ends first
        score[i] = take if taken[i] else score[i + 1]
    kept: list[Bucket] = []
    i = 0
    while i < n:
        if taken[i]:
            kept.append(ordered[i])
            i = following[i]
        else:
            i += 1
    left_out = [b for b in buckets if b not in kept]
    return kept, left_out


def _header(path: Path) -> list[str]:
    """The header line's names (the format of this import depends on them)."""
    if workbook_text.is_workbook(path):  # an .xlsx: its first sheet's first row
        return workbook_text.header_cells(path) or []
    try:
        with path.open("rb") as handle:
            raw = handle.readline(65536)
    except OSError:
        return []  # read_report names the problem
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        line = raw.decode("cp1252", "replace")
    return delimited.guess_cells(line.lstrip("\ufeff").rstrip("\r\n"))


def file_format(path: Path) -> tuple[ReportFormat, list[AgeColumn], list[Bucket]]:
    """This file's format: the fixed fields plus the age buckets kept; and those left out."""
    kept, left_out = choose_buckets(age_buckets(_header(path)))
    columns = [AgeColumn(f"age_{n}", b.header, b.min_days, b.max_days) for n, b in enumerate(kept)]
    fields = tuple(Field(c.field, (normalize_header(c.bucket),), "count") for c in columns)
    return replace(FORMAT, fields=FORMAT.fields + fields), columns, left_out


def import_inventory(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one inventory planning report as `inventory` and `inventory_age` facts."""
    fmt, columns, left_out = file_format(path)
    with read_report(db, workspace, path, fmt, progress=progress) as report:
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
        first, last = loader.span("snapshot")
        record = source_record(report, store, date_from=first, date_to=last)
        present = {f.name for f in report.fields} | {"currency"}
        fields = {name: (name if name in present else None) for name in FACT_FIELDS}
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = fact_load.replace_facts(
                loader, "inventory", source_id=source_id, store_id=store.id, fields=fields
            )
            aged, aged_replaced = amazon_fact_load.write_age_buckets(
                loader, columns, source_id=source_id, store_id=store.id
            )
            fact_load.record_aliases(
                loader,
                source_id=source_id,
                store_id=store.id,
                sku="sku",
                asin="asin",
                fnsku="fnsku",
            )
        currencies = loader.distinct("currency")
        result = fact_result(
            report,
            store,
            created,
            source_id,
            written=written + aged,
            replaced=replaced + aged_replaced,
            date_from=first,
            date_to=last,
            currency=", ".join(currencies) or None,
        )
        if left_out:
            result.notes.append(
                ("inventory.age_left_out", {"columns": ", ".join(b.header for b in left_out)})
            )
        return result
