"""QA review of issue 13: defects found in the new readers and the counting rules, each
shown by a test that failed before its fix; and the detection check the issue asked for
(every known header taken by exactly one detector) extended to the detectors that look
past the first line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from test_real_detection import CASES as DETECTION_CASES
from test_real_detection import detectors, line
from test_real_transactions import (
    DE_HEADER,
    DE_PREAMBLE,
    UK_HEADER,
    UK_PREAMBLE,
    US_HEADER,
    US_MONEY,
    US_PREAMBLE,
    _profit,
    us_rows,
    write_report,
)

from conftest import REPO, run_cli
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import registry

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


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2 Mar 2026 00:30:00 AEDT", "2026-03-02"),  # UTC+11: 1 March 13:30 UTC
        ("15 Jul 2026 08:00:00 AEST", "2026-07-15"),
        ("15 Jul 2026 08:00:00 AWST", "2026-07-15"),
    ],
)
def test_australian_zone_names_in_the_report_times_are_read(
    tmp_path: Path, written: str, day: str
) -> None:
    """docs/cli.md says the AU layout is read: its times end in Australian zone names."""
    rows = [
        {"date/time": written, "settlement id": "22222222222", "type": "Order",
         "order id": "250-1", "sku": "MUG", "quantity": "1", "marketplace": "amazon.com.au",
         "product sales": "30.00", "selling fees": "-4.50", "fba fees": "-5.00", "other": "0",
         "total": "20.50"},
    ]  # fmt: skip
    preamble = [line.replace("USD", "AUD") for line in US_PREAMBLE]
    path = write_report(tmp_path / "au.csv", rows, preamble=preamble)
    with Lianxing.init(tmp_path / "ws", reporting_currency="AUD") as lx:
        result = lx.import_file(path)
        assert result.status == "imported" and result.currency == "AUD"
        (store,) = lx.workspace.config.stores
        assert (store.marketplace, store.timezone) == ("amazon.com.au", "Australia/Sydney")
        (found,) = lx.db.con.execute("SELECT DISTINCT business_date FROM ledger").fetchall()
        assert str(found[0]) == day


def _every_detector(path: Path, text: str) -> list[str]:
    """test_real_detection's detectors, and the ones that look past the first line (the
    Date Range report's preamble, the Ads API's JSON)."""
    taken = detectors(text, path)
    taken += [fmt.kind for test, fmt, _importer in registry.OTHER_FORMATS if test(path)]
    return taken


DATE_RANGE = [("us", US_HEADER, US_PREAMBLE), ("uk", UK_HEADER, UK_PREAMBLE),
              ("de", DE_HEADER, DE_PREAMBLE)]  # fmt: skip


@pytest.mark.parametrize(("header", "expected", "delimiter"), DETECTION_CASES)
def test_no_known_header_is_also_taken_for_a_date_range_or_ads_api_report(
    tmp_path: Path, header: tuple[str, ...], expected: str, delimiter: str
) -> None:
    text = line(header, delimiter)
    path = tmp_path / "file.txt"
    path.write_text(text + "\n", "utf-8")
    assert _every_detector(path, text) == [expected]


@pytest.mark.parametrize(("header", "preamble"), [(h, p) for _n, h, p in DATE_RANGE])
def test_date_range_headers_are_taken_by_the_date_range_detector_alone(
    tmp_path: Path, header: list[str], preamble: list[str]
) -> None:
    path = write_report(tmp_path / "CustomTransaction.csv", us_rows()[:1], header=header,
                        preamble=preamble)  # fmt: skip
    first = path.read_text("utf-8").splitlines()[0]
    assert _every_detector(path, first) == ["amazon_date_range"]
    bare = write_report(tmp_path / "bare.csv", [], header=header, preamble=[])
    assert _every_detector(bare, bare.read_text("utf-8").splitlines()[0]) == ["amazon_date_range"]


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("Mar 2, 2026 7:00:00 AM +25:99", None),  # no such offset: refused, not shifted
        ("Mar 2, 2026 7:00:00 AM GMT+15:00", None),
        ("Mar 2, 2026 7:00:00 AM GMT+05:30", "2026-03-02 01:30:00"),
        ("Mar 2, 2026 7:00:00 AM -0800", "2026-03-02 15:00:00"),
        ("Mar 2, 2026 7:00:00 AM +530", "2026-03-02 01:30:00"),
    ],
)
def test_a_time_offset_is_read_as_hours_and_minutes_or_refused(
    lx: Lianxing, tmp_path: Path, written: str, utc: str | None
) -> None:
    rows = us_rows()[:1]
    rows[0]["date/time"] = written
    path = write_report(tmp_path / "r.csv", rows)
    if utc is None:
        with pytest.raises(InputError) as caught:
            lx.import_file(path, store_id="amazon-com")
        (problem,) = caught.value.problems
        assert (problem.key, problem.line, problem.column) == (
            "value.date", len(US_PREAMBLE) + 2, "date/time"
        )  # fmt: skip
        return
    lx.import_file(path, store_id="amazon-com")
    (found,) = lx.db.con.execute(
        "SELECT DISTINCT strftime(timezone('UTC', posted_at), '%Y-%m-%d %H:%M:%S') FROM ledger"
    ).fetchall()
    assert found[0] == utc
