"""Amazon Sponsored Products advertised-product report: console CSV and Ads API JSON.

One row per day, campaign, ad group and advertised SKU: spend, clicks, impressions,
attributed sales and units. These are **facts**, not ledger money: the settlement's
"Cost of Advertising" charges are the cash record, and this report only says how to
split them across SKUs (docs/counting.md). Overlapping reports replace the rows of the
same day, campaign, ad group and SKU, so each day's spend counts once.

Two shapes of the same report:
- downloaded from the advertising console (CSV): readable headers (`Date`, `Campaign
  Name`, `Advertised SKU`, `Spend`, `7 Day Total Sales`, ...), `$`/`%` and thousands
  separators, dates like `Oct 01, 2026`;
- the Ads API v3 `spAdvertisedProduct` report (JSON array, often gzipped): keys
  `date`, `campaignId`, `campaignName`, `adGroupName`, `advertisedSku`, `cost`,
  `sales7d`, `purchases7d`, `unitsSoldClicks7d` (14-day twins used when 7-day are
  absent). It is rewritten as a temporary CSV so both shapes share one checked path;
  in error messages "line N" is the JSON record N - 1.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lianxing import private
from lianxing.errors import InputError
from lianxing.ingest import sniff
from lianxing.ingest.tabular import (
    Field,
    ImportOptions,
    ReportFormat,
    ReportImport,
    new_source,
    platform_store,
    read_report,
    source_record,
    unchanged,
)
from lianxing.store import fact_load
from lianxing.store.database import Database
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]

CONSOLE = ReportFormat(
    kind="amazon_ads_sp",
    platform="amazon",
    delimiter=",",
    signature=("date", "campaign name", "advertised sku", "spend"),
    fields=(
        Field("day", ("date", "start date"), "day", value_required=True),
        Field("currency", ("currency",), required=False),
        Field("campaign", ("campaign name",), value_required=True),
        Field("ad_group", ("ad group name",), required=False),
        Field("sku", ("advertised sku",)),
        Field("asin", ("advertised asin",), required=False),
        Field("impressions", ("impressions",), "count", required=False),
        Field("clicks", ("clicks",), "count", required=False),
        Field("spend", ("spend", "cost"), "money", value_required=True),
        Field("sales", ("7 day total sales", "14 day total sales"), "money", required=False),
        Field(
            "orders", ("7 day total orders (#)", "14 day total orders (#)"), "count", required=False
        ),
        Field(
            "units", ("7 day total units (#)", "14 day total units (#)"), "count", required=False
        ),
    ),
)

# The API report, as the temporary CSV `_json_to_csv` writes it (the API's own keys).
API_KEYS = (
    "date",
    "campaignId",
    "campaignName",
    "adGroupName",
    "advertisedSku",
    "advertisedAsin",
    "impressions",
    "clicks",
    "cost",
    "sales7d",
    "sales14d",
    "purchases7d",
    "purchases14d",
    "unitsSoldClicks7d",
    "unitsSoldClicks14d",
)
API = ReportFormat(
    kind="amazon_ads_sp",
    platform="amazon",
    delimiter=",",
    signature=("date", "campaignname", "advertisedsku", "cost"),
    fields=(
        Field("day", ("date",), "day", value_required=True),
        Field("campaign_id", ("campaignid",), required=False),
        Field("campaign", ("campaignname",), value_required=True),
        Field("ad_group", ("adgroupname",), required=False),
        Field("sku", ("advertisedsku",)),
        Field("asin", ("advertisedasin",), required=False),
        Field("impressions", ("impressions",), "count", required=False),
        Field("clicks", ("clicks",), "count", required=False),
        Field("spend", ("cost",), "money", value_required=True),
        Field("sales", ("sales7d", "sales14d"), "money", required=False),
        Field("orders", ("purchases7d", "purchases14d"), "count", required=False),
        Field("units", ("unitssoldclicks7d", "unitssoldclicks14d"), "count", required=False),
    ),
)
FACT_FIELDS = (
    "day",
    "campaign_id",
    "campaign",
    "ad_group",
    "sku",
    "asin",
    "impressions",
    "clicks",
    "spend",
    "sales",
    "orders",
    "units",
)


# The largest API report read (unpacked): it is parsed in memory. Bigger is refused.
MAX_JSON_BYTES = 256 * 1024 * 1024


def _damaged(path: Path, exc: BaseException) -> InputError:
    return InputError.at("file.bad_gzip", file=str(path), detail=str(exc)[:200])


def looks_like_json_report(path: Path) -> bool:
    """An Ads API download: a JSON array (possibly gzipped) of advertised-product rows.

    Only the first bytes are read (and unpacked); a damaged gzip file is named so.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    if head[:2] == sniff.GZIP:
        try:
            with gzip.open(path, "rb") as handle:
                head = handle.read(2048)
        except (OSError, EOFError, zlib.error) as exc:
            raise _damaged(path, exc) from exc
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    return text.startswith("[") and '"advertisedSku"' in text and '"cost"' in text


def read_json_bytes(path: Path, limit: int | None = None) -> bytes:
    """The report's JSON text, unpacked if gzipped, refused beyond `limit` bytes
    (default MAX_JSON_BYTES).

    At most `limit` + 1 bytes are ever unpacked: a gzip bomb costs no more than that.
    """
    limit = MAX_JSON_BYTES if limit is None else limit
    packed = sniff.is_gzip(path)
    opener: Any = gzip.open if packed else open
    try:
        with opener(path, "rb") as handle:
            data: bytes = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        if packed:
            raise _damaged(path, exc) from exc
        raise InputError.at("ads.bad_json", file=str(path), detail=str(exc)[:200]) from exc
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def _too_large(path: Path, limit: int) -> InputError:
    return InputError.at("file.unpacked_too_large", file=str(path), limit=_megabytes(limit))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _json_to_csv(path: Path, temp_dir: Path) -> Path:
    """The API's JSON rows as a CSV in the workspace's temp folder."""
    data = read_json_bytes(path)
    try:
        records = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError.at("ads.bad_json", file=str(path), line=line, detail=str(exc)) from exc
    del data
    if not isinstance(records, list) or not records:
        raise InputError.at("file.no_rows", file=str(path))
    private.folder(temp_dir)
    tag = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    target = temp_dir / f"{tag}.ads.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(API_KEYS)
        for n, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                target.unlink(missing_ok=True)
                raise InputError.at("ads.bad_record", file=str(path), line=n + 1)
            writer.writerow(["" if record.get(k) is None else str(record[k]) for k in API_KEYS])
    return target


def import_sp_report(
    db: Database,
    workspace: Workspace,
    path: Path,
    *,
    options: ImportOptions = ImportOptions(),
    progress: ProgressFn | None = None,
) -> ReportImport:
    """Import one advertised-product report (CSV or JSON): all of it, or nothing."""
    if looks_like_json_report(path):
        staged = _json_to_csv(path, workspace.temp_dir)
        try:
            return _import(db, workspace, staged, API, options, progress, shown=path)
        finally:
            staged.unlink(missing_ok=True)
    return _import(db, workspace, path, CONSOLE, options, progress, shown=path)


def _import(
    db: Database,
    workspace: Workspace,
    path: Path,
    fmt: ReportFormat,
    options: ImportOptions,
    progress: ProgressFn | None,
    *,
    shown: Path,
) -> ReportImport:
    with read_report(db, workspace, path, fmt, progress=progress) as report:
        done = unchanged(report)
        if done is not None:
            done.file = str(shown)
            return done
        store, created = platform_store(workspace, "amazon", options.store_id, str(shown))
        report.parse(store.timezone)
        report.refuse_duplicates(["day", "campaign_id", "campaign", "ad_group", "sku", "asin"])
        if report.has("currency"):
            wrong = report.loader.first_other_text("currency", store.currency)
            if wrong is not None:
                raise InputError.at(
                    "store.currency_mismatch",
                    file=str(shown),
                    line=wrong[0],
                    column="Currency",
                    store=store.id,
                    expected=store.currency,
                    found=wrong[1],
                )
        record = source_record(report, store, currency=store.currency)
        if shown != path:  # the JSON file, not its temporary CSV, is the source
            record = replace(record, file_name=shown.name, file_path=str(shown))
        fields = {name: (name if report.has(name) else None) for name in FACT_FIELDS}
        with new_source(db, workspace, record, store if created else None) as source_id:
            written, replaced = fact_load.replace_facts(
                report.loader,
                "ad_spend",
                source_id=source_id,
                store_id=store.id,
                fields=fields,
                constants={"currency": store.currency},
            )
            fact_load.record_aliases(
                report.loader,
                source_id=source_id,
                store_id=store.id,
                sku="sku",
                asin="asin" if report.has("asin") else None,
            )
            fact_load.set_fact_coverage(report.loader, source_id, "day")
        first, last = report.loader.span("day")
        return ReportImport(
            str(shown),
            fmt.kind,
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
            ignored_columns=report.ignored,
        )
