"""Which importer reads a file, decided from its first line (never its name).

Every report format registers here with the function that imports it, so pointing
`lianxing import` at a folder of mixed downloads takes each file to its importer.
Settlement reports, cost sheets and rate sheets keep their own detection (app.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lianxing.ingest import (
    amazon_ads,
    amazon_business,
    amazon_date_range,
    amazon_inventory,
    amazon_inventory_ledger,
    amazon_long_term_storage,
    amazon_orders,
    amazon_returns,
    amazon_storage,
    delimited,
    shopify_orders,
    shopify_payments,
    walmart_recon,
    workbook_text,
)
from lianxing.ingest.tabular import ReportFormat

Importer = Callable[..., Any]

# (format, importer) — the first format whose signature the header carries wins, so
# more specific formats come first.
FORMATS: list[tuple[ReportFormat, Importer]] = [
    (amazon_orders.FORMAT, amazon_orders.import_all_orders),
    (shopify_orders.FORMAT, shopify_orders.import_orders),
    (shopify_payments.FORMAT, shopify_payments.import_payments),
    (amazon_ads.CONSOLE, amazon_ads.import_sp_report),
    (amazon_returns.FORMAT, amazon_returns.import_returns),
    (amazon_storage.FORMAT, amazon_storage.import_storage_fees),
    (amazon_business.FORMAT, amazon_business.import_business_report),
    (amazon_long_term_storage.CURRENT, amazon_long_term_storage.import_long_term_storage),
    (amazon_long_term_storage.OLD, amazon_long_term_storage.import_long_term_storage),
    (amazon_inventory.FORMAT, amazon_inventory.import_inventory),
    # One importer for both: it tells the .txt and the .csv download apart itself.
    (amazon_inventory_ledger.FORMAT, amazon_inventory_ledger.import_inventory_ledger),
    (amazon_inventory_ledger.CSV_FORMAT, amazon_inventory_ledger.import_inventory_ledger),
    (walmart_recon.FORMAT, walmart_recon.import_recon),
]
# Formats not told by their first line — not delimited text, or a header after preamble
# lines: (test on the file, format, importer).
OTHER_FORMATS: list[tuple[Callable[[Path], bool], ReportFormat, Importer]] = [
    (amazon_ads.looks_like_json_report, amazon_ads.API, amazon_ads.import_sp_report),
    (
        amazon_date_range.looks_like_date_range,
        amazon_date_range.FORMAT,
        amazon_date_range.import_date_range,
    ),
]


def first_line(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.readline(65536)
    except OSError:
        return ""
    return raw.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")


def detect(path: Path) -> tuple[ReportFormat, Importer] | None:
    """The report format and importer for a file, or None when no format matches."""
    for test, fmt, importer in OTHER_FORMATS:
        if test(path):
            return fmt, importer
    if workbook_text.is_workbook(path):  # an .xlsx download: its first sheet's first row
        return workbook_text.detect(path, FORMATS)
    line = first_line(path)
    if not line:
        return None
    for fmt, importer in FORMATS:
        written = delimited.written_as(fmt, line)  # in any delimiter the report comes with
        if written is not None:
            return written, importer
    return None
