"""QA review of issue 13: defects found in the new readers and the counting rules, each
shown by a test that failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from test_real_transactions import US_HEADER, US_MONEY, _profit, us_rows, write_report

from conftest import REPO, run_cli
from lianxing.app import Lianxing
from lianxing.errors import InputError

# Columns Amazon added to the US Date Range report in 2023 (a retail delivery fee some
# states charge): a report downloaded before then lacks them.
REGULATORY = ("regulatory fee", "tax on regulatory fee")


def test_overlapping_reports_of_two_column_layouts_count_each_transaction_once(
    tmp_path: Path,
) -> None:
    """The same transactions in an older download (no regulatory fee columns) and a newer
    one are the same transactions: named by their values, not by which columns the
    file happens to have, or how it writes an amount."""
    rows = us_rows()
    older = [h for h in US_HEADER if h.lower() not in REGULATORY]
    respelled = [dict(r) for r in rows]
    for row in respelled:  # "1,040.00" as "1040.00", "0" as "0.00": the same amounts
        for column in [*US_MONEY.values(), "total"]:
            value = row.get(column, "").replace(",", "")
            row[column] = value + (".00" if value and "." not in value else "")
    old = write_report(tmp_path / "2022.csv", rows, header=older)
    new = write_report(tmp_path / "2024.csv", respelled)
    with Lianxing.init(tmp_path / "one") as lx:
        lx.import_file(new, store_id="amazon-com")
        once = _profit(lx)
    for n, order in enumerate([(old, new), (new, old)]):
        with Lianxing.init(tmp_path / f"both{n}") as lx:
            for path in order:
                lx.import_file(path, store_id="amazon-com")
            assert _profit(lx) == once


def test_import_help_names_the_date_range_transaction_report() -> None:
    result = run_cli(["import", "--help"])
    assert result.exit_code == 0
    assert "Date Range" in result.stdout and "CustomTransaction" in result.stdout


def test_date_range_report_saved_as_xlsx_is_refused_saying_to_download_the_csv(
    lx: Lianxing, tmp_path: Path
) -> None:
    """docs/cli.md: the one report of the table no .xlsx copy is read for."""
    book = Workbook()
    sheet = book.active
    sheet.append(US_HEADER)
    for row in us_rows():
        sheet.append([row.get(c, "") for c in US_HEADER])
    path = tmp_path / "CustomTransaction.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        lx.import_file(path)
    assert caught.value.key == "file.is_xlsx"
    docs = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert "except settlements, the Date Range\n  transaction report" in docs
