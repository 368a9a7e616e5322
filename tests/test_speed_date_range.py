"""Date Range detection looks at a line's cells only when it holds its signature's
words (`amazon_date_range.find_header`): the same header as comparing every line. A
report's rows count without ranking when no other live report holds its settlements."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_real_transactions import us_rows, write_report

from lianxing.app import Lianxing
from lianxing.ingest import amazon_date_range as dr
from lianxing.store import date_range_load

HEADERS = [
    "date/time,settlement id,type,order id,sku,description,total",
    '"Date/Time","Settlement ID","Type","Order ID","SKU","Description","Total"',
    "DATE/TIME,  Settlement   Id ,TYPE,order id,total,product sales,selling fees,fba fees,other",
    "datum/uhrzeit,abrechnungsnummer,typ,bestellnummer,sku,beschreibung,gesamt",
    "Datum/Uhrzeit;Abrechnungsnummer;Typ;Bestellnummer;Gesamt",
    "date/time,settlement,type,order id,total",
    "date/time,settlement id,type,order id",
    '"All amounts in USD, unless specified"',
    "Period Start Date,Period End Date,Total Payable,Currency",
    "",
    'date/time,settlement id,type,order id,total,"x',
    "ＤＡＴＥ/time,settlement id,type,order id,total",
]


def _old_find_header(path: Path) -> dr.Found | None:
    """Every line split and compared (before the words were looked for)."""
    with path.open("rb") as handle:
        head = [handle.readline(65536) for _ in range(dr.HEADER_WITHIN)]
    preamble: list[str] = []
    for index, raw in enumerate(head):
        if not raw:
            break
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", "replace")
        line = line.lstrip("\ufeff").rstrip("\r\n")
        cells = dr._split(line)
        for fmt in dr.LAYOUTS:
            if fmt.matches(cells):
                return dr.Found(index, cells, fmt, preamble)
        preamble.append(line)
    return None


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.sampled_from(HEADERS), max_size=8))
def test_the_same_header_is_found(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("date-range") / "report.csv"
    path.write_text("\n".join(lines) + "\n1,2,3\n", "utf-8")
    assert dr.find_header(path) == _old_find_header(path)


def _ranked(lx: Lianxing) -> list[tuple[object, ...]]:
    """The report rows that count, ranked as `recount` ranks overlapping reports."""
    ids = [r[0] for r in lx.db.query("SELECT DISTINCT settlement_id FROM date_range_rows")]
    return lx.db.con.execute(
        f"""SELECT source_id, line, cell, amount FROM {date_range_load._chosen("$ids")} d
            WHERE NOT {date_range_load._flat_file("d")} ORDER BY ALL""",
        {"ids": ids},
    ).fetchall()


def _counted(lx: Lianxing) -> list[tuple[object, ...]]:
    return lx.db.query(
        """SELECT source_id, line, cell, amount FROM ledger
           WHERE source_id IN (SELECT source_id FROM sources WHERE kind = ?) ORDER BY ALL""",
        [date_range_load.KIND],
    )


def test_one_report_counts_the_rows_ranking_would_count(tmp_path: Path) -> None:
    """With one live report `recount` keeps its rows without ranking them: the same
    rows as ranking, alone, overlapping another report and after forgetting one."""
    rows = us_rows()
    first = write_report(tmp_path / "a.csv", [*rows, rows[1]][:3])
    second = write_report(tmp_path / "b.csv", [*rows, rows[1]][1:])
    with Lianxing.init(tmp_path / "ws") as lx:
        source = lx.import_file(first, store_id="amazon-com").source_id
        assert _counted(lx) == _ranked(lx) != []
        lx.import_file(second, store_id="amazon-com")
        assert _counted(lx) == _ranked(lx)
        lx.forget_source(source)
        assert _counted(lx) == _ranked(lx) != []
