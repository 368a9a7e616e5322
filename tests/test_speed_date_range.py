"""Date Range detection looks at a line's cells only when it holds its signature's
words (`amazon_date_range.find_header`): the same header as comparing every line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lianxing.ingest import amazon_date_range as dr

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
