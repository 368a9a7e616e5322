"""The one-pass settlement read (V2 read and parsed in one statement) keeps every
rule of the staged read: times, bare dates, the settlement's end for a line without a
date, line numbers below blank lines, and the first bad value with its line."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lianxing.app import Lianxing
from lianxing.errors import InputError
from tests.conftest import v2_row, write_v2


def _rows() -> list[dict[str, str]]:
    timed = v2_row(
        "Order", "ItemPrice", "Principal", "10.00", order="1", sku="A", qty="2", item="1"
    )
    # 02:30 UTC on 3 March is still 2 March in Los Angeles.
    late = v2_row(
        "Order", "ItemPrice", "Principal", "5.00", order="2", sku="B", qty="1", item="2",
        when="2026-03-03 02:30:00 UTC",
    )  # fmt: skip
    bare = v2_row("Order", "ItemPrice", "Principal", "7.00", order="3", sku="C", qty="1", item="3")
    bare["posted-date-time"], bare["posted-date"] = "", "2026-03-04"
    undated = v2_row("other-transaction", "other-transaction", "Storage Fee", "-1.50")
    undated["posted-date-time"] = undated["posted-date"] = ""
    spaced = v2_row("Order", "ItemFees", "Commission", " -1.50 ", order="1", sku=" A ", item="1")
    return [timed, late, bare, undated, spaced]


def test_times_bare_dates_and_undated_lines_get_their_day(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_settlement(write_v2(tmp_path / "s.txt", _rows()))
    got = lx.db.query(
        "SELECT line, posted_at, business_date, sku, quantity, amount FROM ledger ORDER BY line"
    )
    la_midnight_4th = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)  # PST: UTC-8
    end = datetime(2026, 3, 15, 8, 0, tzinfo=UTC)
    assert [(r[0], r[1], r[2], r[3], r[4], str(r[5])) for r in got] == [
        (3, datetime(2026, 3, 2, 15, 0, tzinfo=UTC), date(2026, 3, 2), "A", 2, "10.0000"),
        (4, datetime(2026, 3, 3, 2, 30, tzinfo=UTC), date(2026, 3, 2), "B", 1, "5.0000"),
        (5, la_midnight_4th, date(2026, 3, 4), "C", 1, "7.0000"),
        (6, end, date(2026, 3, 15), None, None, "-1.5000"),
        (7, datetime(2026, 3, 2, 15, 0, tzinfo=UTC), date(2026, 3, 2), "A", None, "-1.5000"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "column", "key"),
    [
        ("amount", "1.2.3", "amount", "value.amount"),
        ("posted-date-time", "yesterday 10:00", "posted-date-time", "value.date"),
        ("quantity-purchased", "two", "quantity-purchased", "value.quantity"),
    ],
)
def test_the_first_bad_value_is_named_with_its_line_below_blank_lines(
    lx: Lianxing, tmp_path: Path, field: str, value: str, column: str, key: str
) -> None:
    rows = _rows()
    rows[3][field] = value  # data row 4: line 6, pushed to 8 by two blank lines above
    path = write_v2(tmp_path / "s.txt", rows, total="0")
    lines = path.read_text().split("\n")
    path.write_text("\n".join([*lines[:3], "", *lines[3:4], "", *lines[4:]]))
    with pytest.raises(InputError) as caught:
        lx.import_settlement(path)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == (key, 8, column)
    assert problem.params["value"] == value
    assert lx.db.query("SELECT count(*) FROM ledger") == [(0,)]


def test_another_importers_cells_table_does_not_stop_a_settlement(
    lx: Lianxing, tmp_path: Path
) -> None:
    """The fact and Shopify loaders keep their cells in a temp table `lx_cells`; the
    settlement's view has a name of its own, so one left behind breaks nothing."""
    lx.db.con.execute("CREATE TEMP TABLE lx_cells AS SELECT 1 AS leftover")
    lx.import_settlement(write_v2(tmp_path / "s.txt", _rows()))
    assert lx.db.query("SELECT count(*) FROM ledger") == [(5,)]
