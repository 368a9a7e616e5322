"""Every known header is taken by exactly one detector.

A folder import takes each file to the importer its first line names. Two detectors
claiming one header would send a report to the wrong importer (the long-term storage
fee report starts like an inventory snapshot, and its fees vanished); none claiming it
would refuse a real download. Each header is fed in every delimiter its report comes
in to every detector: each report format of the registry, the settlement's layout
detection and the cost/rate sheet detection.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from test_real_long_term_storage import CURRENT, HEALTH, OLD

from conftest import REPO, SAMPLES
from lianxing.demo_data import COGS_HEADER, FX_HEADER
from lianxing.demo_platforms import (
    SHOPIFY_ORDERS_HEADER,
    SHOPIFY_PAYMENTS_HEADER,
    WALMART_HEADER,
)
from lianxing.demo_reports import (
    ADS_HEADER,
    ALL_ORDERS_HEADER,
    BUSINESS_HEADER,
    INVENTORY_HEADER,
    LEDGER_HEADER,
    RETURNS_HEADER,
    STORAGE_HEADER,
)
from lianxing.formats import AMAZON_SETTLEMENT_V2_COLUMNS
from lianxing.ingest import amazon_settlement, delimited, registry
from lianxing.ingest.csv_sheet import sheet_kind

TAB, COMMA = ("\t",), (",",)
BOTH = ("\t", ",")
NAMES = {"\t": "tab", ",": "comma"}
LEGACY = (SAMPLES / "50011020300.txt").read_text("utf-8").splitlines()[0].split("\t")
# (header, the detector that must take it, the delimiters the report comes in).
KNOWN: list[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = [
    ("settlement v2", AMAZON_SETTLEMENT_V2_COLUMNS, "settlement:v2", TAB),
    ("settlement v2 + promotion-id", (*AMAZON_SETTLEMENT_V2_COLUMNS, "promotion-id"),
     "settlement:v2", TAB),
    ("settlement legacy", tuple(LEGACY), "settlement:legacy", TAB),
    ("all orders", ALL_ORDERS_HEADER, "amazon_all_orders", BOTH),
    ("ads console", ADS_HEADER, "amazon_ads_sp", COMMA),
    ("storage fees", STORAGE_HEADER, "amazon_storage_fees", BOTH),
    ("returns", RETURNS_HEADER, "amazon_returns", BOTH),
    ("inventory planning", INVENTORY_HEADER, "amazon_inventory_planning", BOTH),
    ("inventory health", tuple(HEALTH), "amazon_inventory_planning", BOTH),
    ("long-term storage", tuple(CURRENT), "amazon_long_term_storage", BOTH),
    ("long-term storage, old", tuple(OLD), "amazon_long_term_storage", BOTH),
    ("inventory ledger", LEDGER_HEADER, "amazon_inventory_ledger", BOTH),
    ("business report", BUSINESS_HEADER, "amazon_business_report", COMMA),
    ("walmart recon", WALMART_HEADER, "walmart_recon", COMMA),
    ("shopify orders", SHOPIFY_ORDERS_HEADER, "shopify_orders", COMMA),
    ("shopify payments", SHOPIFY_PAYMENTS_HEADER, "shopify_payments", COMMA),
    ("unit costs", COGS_HEADER, "sheet:cogs", COMMA),
    ("unit costs, required only", ("sku", "effective_from", "unit_cost", "currency"),
     "sheet:cogs", COMMA),
    ("rates", FX_HEADER, "sheet:fx", COMMA),
]  # fmt: skip


def _format_headers() -> list[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """Each registered format's own header: its signature and every field's first name."""
    found = []
    for n, (fmt, _importer) in enumerate(registry.FORMATS):
        names = dict.fromkeys([*fmt.signature, *(f.headers[0] for f in fmt.fields)])
        delimiters = (fmt.delimiter, *fmt.also_delimited)
        found.append((f"format {n} ({fmt.kind})", tuple(names), fmt.kind, delimiters))
    return found


def line(header: tuple[str, ...], delimiter: str) -> str:
    if delimiter == "\t":
        return "\t".join(header)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="").writerow(header)
    return buffer.getvalue()


def detectors(text: str, path: Path) -> list[str]:
    """Every detector that takes this header line (the file at `path` holds it)."""
    taken = [fmt.kind for fmt, _ in registry.FORMATS if delimited.written_as(fmt, text)]
    layout = amazon_settlement.detect_layout([h.strip() for h in text.split("\t")])
    if layout is not None:
        taken.append(f"settlement:{layout}")
    kind = sheet_kind(path)
    if kind is not None:
        taken.append(f"sheet:{kind}")
    return taken


CASES = [
    pytest.param(header, expected, delimiter, id=f"{name} {NAMES[delimiter]}")
    for name, header, expected, delimiters in [*KNOWN, *_format_headers()]
    for delimiter in delimiters
]  # fmt: skip


@pytest.mark.parametrize(("header", "expected", "delimiter"), CASES)
def test_every_known_header_is_taken_by_exactly_one_detector(
    tmp_path: Path, header: tuple[str, ...], expected: str, delimiter: str
) -> None:
    text = line(header, delimiter)
    path = tmp_path / "file.txt"
    path.write_text(text + "\n", "utf-8")
    assert detectors(text, path) == [expected]
    if not expected.startswith(("settlement:", "sheet:")):
        found = registry.detect(path)
        assert found is not None and found[0].kind == expected
        assert found[0].delimiter == delimiter


def test_every_report_kind_is_listed_in_the_cli_docs() -> None:
    """docs/cli.md's table of import kinds names every kind a header can select."""
    text = (REPO / "docs" / "cli.md").read_text("utf-8")
    kinds = {fmt.kind for fmt, _ in registry.FORMATS}
    kinds |= {fmt.kind for _test, fmt, _importer in registry.OTHER_FORMATS}
    assert sorted(k for k in kinds if f"| `{k}` |" not in text) == []
