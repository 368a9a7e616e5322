"""End-to-end QA of issue 13's real-export cases: defects found by importing a seller's
first folder of downloads, each pinned by a test that failed before its fix."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_real_shopify import UK_HEADER, uk_order

from conftest import write_table
from lianxing.app import Lianxing
from lianxing.errors import InputError


def test_uk_partial_refund_takes_its_vat_share_out_of_refunds(lx: Lianxing, tmp_path: Path) -> None:
    # 60.00 with 10.00 VAT inside, 30.00 of it refunded: the refund holds 5.00 of VAT.
    rows = uk_order(
        "#UKP",
        [("POT", "1", "60.00", "0.00")],
        subtotal="60.00",
        taxes="10.00",
        total="60.00",
        status="partially_refunded",
        refunded="30.00",
    )
    lx.import_file(write_table(tmp_path / "uk.csv", UK_HEADER, rows, delimiter=","))
    by = dict(lx.db.query("SELECT category, sum(amount) FROM ledger GROUP BY category"))
    assert by["revenue.product"] == Decimal("50.00")
    assert by["refunds.product"] == Decimal("-25.00")
    # The VAT kept is that of the 30.00 the buyer paid in the end.
    assert by["tax.sales_collected"] == Decimal("5.00")
    assert sum(by.values()) == Decimal("30.00")


RETURNS = [
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
    "fulfillment-center-id", "detailed-disposition", "reason", "status",
    "license-plate-number", "customer-comments",
]  # fmt: skip


def returns_row(sku: str, quantity: str, comment: str) -> dict[str, str]:
    return {
        "return-date": "2025-03-20T10:00:00+00:00", "order-id": f"111-0000000-{sku[-1]}",
        "sku": sku, "asin": "B00" + sku[-1], "fnsku": "X00" + sku[-1],
        "product-name": 'Widget, "blue" – £5 € ü', "quantity": quantity,
        "fulfillment-center-id": "MDW2", "detailed-disposition": "SELLABLE",
        "reason": "UNWANTED_ITEM", "status": "Unit returned to inventory",
        "license-plate-number": "LPN" + sku[-1], "customer-comments": comment,
    }  # fmt: skip


def write_returns(path: Path, *rows: dict[str, str]) -> Path:
    """Seller Central's .csv: every field quoted, CRLF, windows-1252."""
    quoted = ['"' + v.replace('"', '""') + '"' for v in RETURNS]
    lines = [",".join(quoted)]
    for row in rows:
        lines.append(",".join('"' + row[c].replace('"', '""') + '"' for c in RETURNS))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def test_rows_after_a_comment_with_line_breaks_keep_their_physical_line(
    lx: Lianxing, tmp_path: Path
) -> None:
    # The first return's comment spans lines 2–4 (a blank line inside it): the second
    # return is on line 5, the third on line 7 after a blank line.
    path = write_returns(
        tmp_path / "returns.csv",
        returns_row("SKU-A", "1", 'Too small.\r\n\r\nSaid "meh", ü'),
        returns_row("SKU-B", "2", ""),
        returns_row("SKU-C", "1", ""),
    )
    third = b'\r\n"2025-03-20T10:00:00+00:00","111-0000000-C"'
    path.write_bytes(path.read_bytes().replace(third, b"\r\n" + third))
    lx.import_file(path, store_id="amazon-us")
    lines = dict(lx.db.query("SELECT sku, line FROM returns"))
    assert lines == {"SKU-A": 2, "SKU-B": 5, "SKU-C": 7}


def test_a_bad_value_after_a_multi_line_comment_names_its_physical_line(
    lx: Lianxing, tmp_path: Path
) -> None:
    path = write_returns(
        tmp_path / "returns.csv",
        returns_row("SKU-A", "1", "Line one\r\nline two"),
        returns_row("SKU-B", "x1", ""),
    )
    with pytest.raises(InputError) as caught:
        lx.import_file(path, store_id="amazon-us")
    assert [(p.line, p.column) for p in caught.value.problems] == [(4, "quantity")]
    assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    comments=st.lists(
        st.text(alphabet='ab ",\r\n£ü', max_size=12).map(lambda t: t.replace("\r", "\r\n")),
        min_size=1,
        max_size=5,
    )
)
def test_each_return_names_the_line_it_starts_on(
    tmp_path_factory: Any, comments: list[str]
) -> None:
    tmp = tmp_path_factory.mktemp("ret")
    skus = [f"SKU-{chr(65 + i)}" for i in range(len(comments))]
    path = write_returns(
        tmp / "returns.csv", *(returns_row(s, "1", c) for s, c in zip(skus, comments, strict=True))
    )
    # Where each record starts, counted here by Python's own CSV reader.
    text = path.read_bytes().decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, previous = {}, next(reader) and reader.line_num
    for row in reader:
        starts[row[2]] = previous + 1
        previous = reader.line_num
    with Lianxing.init(tmp / "ws") as lx:
        lx.import_file(path, store_id="amazon-us")
        assert dict(lx.db.query("SELECT sku, line FROM returns")) == starts


def test_an_xlsx_report_saved_under_another_name_imports_like_the_xlsx(
    lx: Lianxing, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", "Currency", "Campaign Name", "Ad Group Name", "Advertised SKU",
                  "Advertised ASIN", "Impressions", "Clicks", "Spend", "7 Day Total Sales ",
                  "7 Day Total Orders (#)", "7 Day Total Units (#)"])  # fmt: skip
    sheet.append(["2025-02-03", "USD", 'Camp, "A"', "AG", "SKU-A", "B00A", 100, 10,
                  2.9699999999999998, 50.0, 1, 1])  # fmt: skip
    # A browser or a colleague saved the Ads console's workbook as "….csv".
    book.save(tmp_path / "sponsored-products.csv")
    result = lx.import_file(tmp_path / "sponsored-products.csv", store_id="amazon-us")
    assert (result.kind, result.status) == ("amazon_ads_sp", "imported")
    assert lx.db.query("SELECT sku, spend FROM ad_spend") == [("SKU-A", Decimal("2.97"))]


def test_one_file_that_fails_still_gives_its_json_row_with_the_error(tmp_path: Path) -> None:
    """`import FILE --format json` of a failing file printed `[]`: the docs promise a row
    for every file (found by QA, issue 13)."""
    import json

    from typer.testing import CliRunner

    from lianxing.cli import app

    workspace = tmp_path / "ws"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(workspace)]).exit_code == 0
    bad = tmp_path / "returns.txt"
    bad.write_text(
        "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\t"
        "fulfillment-center-id\tdetailed-disposition\treason\tstatus\n"
        "2025-01-05T10:00:00+00:00\t111-1\tA\tB0A\tX0A\tMug\tmany\tPHX3\tSELLABLE\tX\tDone\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["--workspace", str(workspace), "import", str(bad), "--store", "us", "--format", "json"],
    )
    assert result.exit_code != 0
    rows = json.loads(result.stdout)
    assert [(r["file"], r["status"]) for r in rows] == [(str(bad), "failed")]
    assert rows[0]["error"].startswith("value.")


@pytest.mark.parametrize("quoted", [False, True])
def test_a_file_with_carriage_return_line_ends_says_so(tmp_path: Path, quoted: bool) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with CR alone: it was refused with ten
    garbled "fields" messages on line 2 (QA, issue 13)."""
    from lianxing.app import Lianxing
    from lianxing.errors import InputError

    header = ["return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
              "fulfillment-center-id", "detailed-disposition", "reason", "status"]  # fmt: skip
    row = ["2025-01-05T10:00:00+00:00", "111-1", "A", "B0A", "X0A", "Mug", "1", "PHX3",
           "SELLABLE", "X", "Done"]  # fmt: skip
    if quoted:
        lines = [",".join(f'"{c}"' for c in cells) for cells in (header, row, row)]
    else:
        lines = ["\t".join(cells) for cells in (header, row, row)]
    path = tmp_path / "returns.csv"
    path.write_bytes(("\r".join(lines) + "\r").encode())
    with Lianxing.init(tmp_path / "ws") as lx:
        with pytest.raises(InputError) as caught:
            lx.import_file(path, store_id="us")
        assert caught.value.key == "file.cr_line_ends"
        assert "CSV UTF-8" in str(caught.value)
        assert lx.db.query("SELECT count(*) FROM sources") == [(0,)]
