"""Amazon flat-file reports in both delimiters, as the API and Seller Central deliver them.

The API writes them tab-separated; Seller Central's ".csv" download is comma-separated
with every field quoted, often in windows-1252. Each variant must import to the same
facts, and be detected as the same report.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, write_table
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import registry
from lianxing.ingest.tabular import ImportOptions

STORE = "amazon-us"
# A product name with what each delimiter must survive: a comma, a quote, an accent.
NAME = 'Café mug, 12 oz "blue"'

RETURNS = ["return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
           "fulfillment-center-id", "detailed-disposition", "reason", "status",
           "license-plate-number", "customer-comments"]  # fmt: skip
STORAGE = ["asin", "fnsku", "product_name", "fulfillment_center", "country_code",
           "item_volume", "volume_units", "product_size_tier", "average_quantity_on_hand",
           "month_of_charge", "base_rate", "utilization_surcharge_rate", "currency",
           "estimated_monthly_storage_fee"]  # fmt: skip
INVENTORY = ["snapshot-date", "sku", "fnsku", "asin", "product-name", "condition", "available",
             "inv-age-0-to-90-days", "inv-age-91-to-180-days", "inv-age-181-to-270-days",
             "inv-age-271-to-365-days", "inv-age-365-plus-days", "currency",
             "units-shipped-t30", "estimated-storage-cost-next-month"]  # fmt: skip
ALL_ORDERS = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date",
              "order-status", "fulfillment-channel", "sales-channel", "product-name", "sku",
              "asin", "item-status", "quantity", "currency", "item-price", "item-tax",
              "shipping-price", "shipping-tax", "item-promotion-discount"]  # fmt: skip

REPORTS: dict[str, tuple[str, list[str], list[dict[str, str]], str]] = {
    "returns": (
        "amazon_returns",
        RETURNS,
        [
            {"return-date": "2026-10-03T10:00:00+00:00", "order-id": "111-0000001-0000001",
             "sku": "MUG", "asin": "B0MUG", "fnsku": "X0MUG", "product-name": NAME,
             "quantity": "2", "detailed-disposition": "SELLABLE", "reason": "NOT_AS_DESCRIBED",
             "status": "Unit returned to inventory", "license-plate-number": "LPN1",
             "customer-comments": "Too small, sorry"},
            {"return-date": "2026-10-04T10:00:00+00:00", "order-id": "111-0000002-0000002",
             "sku": "CUP", "asin": "B0CUP", "fnsku": "X0CUP", "product-name": "Cup",
             "quantity": "1", "detailed-disposition": "CUSTOMER_DAMAGED", "reason": "DEFECTIVE",
             "license-plate-number": "LPN2"},
        ],
        "SELECT day, order_id, sku, asin, fnsku, quantity, disposition, sellable, reason, "
        "status FROM returns ORDER BY day, order_id",
    ),
    "storage": (
        "amazon_storage_fees",
        STORAGE,
        [
            {"asin": "B0MUG", "fnsku": "X0MUG", "product_name": NAME, "fulfillment_center": "PHX7",
             "country_code": "US", "item_volume": "0.1234", "volume_units": "cubic feet",
             "product_size_tier": "Standard", "average_quantity_on_hand": "12.5",
             "month_of_charge": "2026-10", "base_rate": "0.78", "currency": "USD",
             "estimated_monthly_storage_fee": "1.2345"},
            {"asin": "B0CUP", "fnsku": "X0CUP", "product_name": "Cup", "fulfillment_center": "ONT8",
             "country_code": "US", "item_volume": "0.5", "average_quantity_on_hand": "3",
             "month_of_charge": "2026-10", "currency": "USD",
             "estimated_monthly_storage_fee": "0.4500"},
        ],
        "SELECT month, asin, fnsku, fulfillment_center, average_units, item_volume, fee, "
        "currency FROM storage_fees ORDER BY asin",
    ),
    "inventory": (
        "amazon_inventory_planning",
        INVENTORY,
        [
            {"snapshot-date": "2026-10-05", "sku": "MUG", "fnsku": "X0MUG", "asin": "B0MUG",
             "product-name": NAME, "condition": "New", "available": "40",
             "inv-age-0-to-90-days": "30", "inv-age-91-to-180-days": "10",
             "inv-age-365-plus-days": "2", "currency": "USD", "units-shipped-t30": "1,200",
             "estimated-storage-cost-next-month": "3.21"},
            {"snapshot-date": "2026-10-05", "sku": "CUP", "fnsku": "X0CUP", "asin": "B0CUP",
             "product-name": "Cup", "condition": "New", "available": "5",
             "inv-age-181-to-270-days": "5", "currency": "USD"},
        ],
        "SELECT i.snapshot, i.sku, i.available, i.units_shipped_t30, "
        "i.estimated_storage_next_month, list(a.units ORDER BY a.min_days) "
        "FROM inventory i LEFT JOIN inventory_age a USING (store_id, snapshot, sku) "
        "GROUP BY ALL ORDER BY i.sku",
    ),
    "all_orders": (
        "amazon_all_orders",
        ALL_ORDERS,
        [
            {"amazon-order-id": "111-0000001-0000001", "purchase-date": "2026-10-03T10:00:00+00:00",
             "last-updated-date": "2026-10-04T10:00:00+00:00", "order-status": "Shipped",
             "fulfillment-channel": "Amazon", "sales-channel": "Amazon.com",
             "product-name": NAME, "sku": "MUG", "asin": "B0MUG", "item-status": "Shipped",
             "quantity": "2", "currency": "USD", "item-price": "25.98", "item-tax": "2.08",
             "shipping-price": "0.00", "item-promotion-discount": "-1.00"},
            {"amazon-order-id": "111-0000002-0000002", "purchase-date": "2026-10-04T10:00:00+00:00",
             "last-updated-date": "2026-10-04T11:00:00+00:00", "order-status": "Pending",
             "fulfillment-channel": "Amazon", "sales-channel": "Amazon.com",
             "product-name": "Cup", "sku": "CUP", "asin": "B0CUP", "item-status": "Unshipped",
             "quantity": "1", "currency": "USD", "item-price": "9.99"},
        ],
        "SELECT business_date, sku, category, quantity, order_id, amount, basis FROM ledger "
        "ORDER BY order_id, category, amount",
    ),
}  # fmt: skip
VARIANTS = [("\t", "utf-8"), ("\t", "cp1252"), (",", "utf-8"), (",", "cp1252")]


def flat_file(
    path: Path,
    header: list[str],
    rows: list[dict[str, str]],
    *,
    delimiter: str = "\t",
    encoding: str = "utf-8",
) -> Path:
    """A flat file as Amazon writes it: tab-separated and unquoted (the API), or
    comma-separated with every field quoted (Seller Central's .csv download)."""
    if delimiter != ",":
        return write_table(path, header, rows, encoding=encoding)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row.get(c, "") for c in header] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def imported_facts(
    root: Path, path: Path, query: str, importer: Callable[..., Any] | None = None
) -> list[tuple[Any, ...]]:
    with Lianxing.init(root) as lx:
        if importer is None:
            lx.import_file(path, store_id=STORE)
        else:
            importer(lx, path)
        return lx.db.query(query)


@pytest.mark.parametrize("name", list(REPORTS))
def test_each_delimiter_and_encoding_imports_to_identical_numbers(
    tmp_path: Path, name: str
) -> None:
    kind, header, data, query = REPORTS[name]
    found = []
    for n, (delimiter, encoding) in enumerate(VARIANTS):
        path = flat_file(
            tmp_path / f"{name}-{n}.{'csv' if delimiter == ',' else 'txt'}",
            header,
            data,
            delimiter=delimiter,
            encoding=encoding,
        )
        detected = registry.detect(path)
        assert detected is not None and detected[0].kind == kind
        assert (detected[0].delimiter, detected[0].quoted) == (delimiter, delimiter == ",")
        found.append(imported_facts(tmp_path / f"ws{n}", path, query))
    assert found[0], "the report wrote nothing"
    assert all(facts == found[0] for facts in found[1:])


def test_comma_separated_report_with_a_broken_line_names_it(lx: Lianxing, tmp_path: Path) -> None:
    _kind, header, data, _query = REPORTS["returns"]
    path = flat_file(tmp_path / "returns.csv", header, data, delimiter=",")
    text = path.read_text("utf-8").splitlines()
    text[2] += ',"one field too many"'
    path.write_text("\r\n".join(text) + "\r\n", "utf-8")
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id=STORE)
    assert (caught.value.problems[0].key, caught.value.problems[0].line) == ("file.columns", 3)
    assert ledger_fingerprint(lx) == before


def test_comma_separated_inventory_keeps_its_age_buckets(tmp_path: Path) -> None:
    _kind, header, data, _query = REPORTS["inventory"]
    path = flat_file(tmp_path / "inventory.csv", header, data, delimiter=",")
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(path, store_id=STORE)
        ages = lx.db.query("SELECT sku, bucket, units FROM inventory_age ORDER BY sku, min_days")
    assert ages == [
        ("CUP", "inv-age-181-to-270-days", 5),
        ("MUG", "inv-age-0-to-90-days", 30),
        ("MUG", "inv-age-91-to-180-days", 10),
        ("MUG", "inv-age-365-plus-days", 2),
    ]


# ---- fuzz -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzz_lx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lianxing]:
    with Lianxing.init(tmp_path_factory.mktemp("fuzz") / "ws") as facade:
        yield facade


IMPORTERS = {fmt.kind: importer for fmt, importer in registry.FORMATS}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_comma_separated_downloads_import_or_are_refused_whole(
    fuzz_lx: Lianxing, tmp_path: Path, data: st.DataObject
) -> None:
    """Seller Central's quoted .csv of each flat file, mutated: imported, or refused
    naming the file, with nothing half-written."""
    name = data.draw(st.sampled_from(list(REPORTS)))
    kind, header, rows, _query = REPORTS[name]
    encoding = data.draw(st.sampled_from(["utf-8", "cp1252"]))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    raw = flat_file(folder / "s.csv", header, rows, delimiter=",", encoding=encoding).read_bytes()
    cut = data.draw(st.integers(0, len(raw) - 1))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from([b'"', b'""', b",", b'","', b"\t", b"\r\n", b"\n", b"\xe9", b"9" * 12])
    )
    target = folder / "fuzz.csv"
    target.write_bytes(raw[:cut] + junk + raw[cut + data.draw(st.integers(0, 3)) :])
    before = ledger_fingerprint(fuzz_lx)
    try:
        IMPORTERS[kind](fuzz_lx.db, fuzz_lx.workspace, target, options=ImportOptions(STORE))
    except InputError as exc:
        assert ledger_fingerprint(fuzz_lx) == before
        assert exc.problems and all(p.file == str(target) for p in exc.problems)
