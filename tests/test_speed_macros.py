"""Fast paths in the SQL parsing macros give the answers of the general path."""

from __future__ import annotations

from datetime import date

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from lianxing.store import sql_macros

# lx_money before its fast path for plain numbers: the reference.
GENERAL_MONEY = r"""
CREATE OR REPLACE TEMP MACRO lx_money_general(v) AS (
    CASE WHEN v IS NULL THEN NULL
         WHEN regexp_full_match(v, '\(.*\)')
            THEN -lx_amount(regexp_replace(v[2:-2], '^\s*(?:US|CA|C|A)?[$€£¥]\s*', ''))
         ELSE lx_amount(regexp_replace(v, '^([+-]?)\s*(?:US|CA|C|A)?[$€£¥]\s*', '\1'))
    END
);
-- lx_text before it skipped trimming values without a space at either end.
CREATE OR REPLACE TEMP MACRO lx_text_general(v) AS (nullif(trim(v), ''));
"""

KNOWN = [
    "12.34", "-0.5", "+3", "007", "1.", ".5", "1e5", "1.23456", "1,234.56", "1.234,56",
    "(3.00)", "( $3.00 )", "$1.00", "-$2.5", "US$ 3", "€4,50", " 1", "1 ", "", " ", "٣",
    "-", "+", "--1", "1.2.3", "\t1",
]  # fmt: skip


_CON: list[duckdb.DuckDBPyConnection] = []


def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory connection for the module (examples only read)."""
    if not _CON:
        con = duckdb.connect()
        sql_macros.install(con)
        con.execute(GENERAL_MONEY)
        _CON.append(con)
    return _CON[0]


def _disagreements(con: duckdb.DuckDBPyConnection, values: list[str]) -> list[tuple[object, ...]]:
    return con.execute(
        """SELECT v, lx_money(v), lx_money_general(v), lx_text(v), lx_text_general(v)
           FROM (SELECT unnest(?::VARCHAR[]) AS v)
           WHERE lx_money(v) IS DISTINCT FROM lx_money_general(v)
              OR lx_text(v) IS DISTINCT FROM lx_text_general(v)""",
        [values],
    ).fetchall()


def test_known_spellings_parse_as_the_general_path_does() -> None:
    assert _disagreements(_connection(), KNOWN) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.,+-$()€US ", max_size=10), max_size=50))
def test_any_text_parses_as_the_general_path_does(values: list[str]) -> None:
    assert _disagreements(_connection(), values) == []


def test_dates_outside_1900_to_2199_are_no_dates() -> None:
    """DuckDB reads '-2027-03-03' and '2027-03-03 (BC)' as dates before Christ, which
    Python cannot hold (a fuzzed All Orders report crashed on one): every date parser
    refuses them, and five-digit years, so the import names the value instead."""
    con = _connection()
    for text in ("-2027-03-03", "2027-03-03 (BC)", "20270-03-03", "-2027-03-03 10:00:00+00"):
        row = con.execute(
            """SELECT lx_day(?1), lx_date(?1), lx_timestamp(?1), lx_zoned(?1), lx_month(?1),
                      lx_local_day(?1, 'America/Los_Angeles'),
                      lx_local_time(?1, 'America/Los_Angeles')""",
            [text],
        ).fetchone()
        assert row == (None,) * 7, text
    assert con.execute("SELECT lx_day('1900-01-01'), lx_day('2199-12-31')").fetchone() == (
        date(1900, 1, 1),
        date(2199, 12, 31),
    )
