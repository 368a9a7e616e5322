"""SQL macros shared by the loaders: parsing amounts, dates and quantities as
platforms write them. They mirror `lianxing.money.parse_amount` for big files that
never pass through Python row by row."""

from __future__ import annotations

import duckdb

MACROS = r"""
CREATE OR REPLACE TEMP MACRO lx_amount(v) AS (
    CASE
        WHEN v IS NULL THEN NULL
        WHEN regexp_full_match(v, '[+-]?[0-9]+(\.[0-9]{1,4})?')
            THEN TRY_CAST(v AS DECIMAL(18, 4))
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,4})?')
            THEN TRY_CAST(replace(v, ',', '') AS DECIMAL(18, 4))
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,3}(\.[0-9]{3})*,[0-9]{1,2}|[+-]?[0-9]+,[0-9]{1,2}')
            THEN TRY_CAST(replace(replace(v, '.', ''), ',', '.') AS DECIMAL(18, 4))
        ELSE NULL
    END
);
CREATE OR REPLACE TEMP MACRO lx_timestamp(v) AS (
    CASE WHEN v IS NULL THEN NULL
         ELSE coalesce(
            try_strptime(v, '%Y-%m-%d %H:%M:%S UTC')::TIMESTAMPTZ,
            TRY_CAST(v AS TIMESTAMPTZ),
            try_strptime(v, '%d.%m.%Y %H:%M:%S UTC')::TIMESTAMPTZ,
            try_strptime(v, '%d.%m.%Y')::TIMESTAMPTZ)
    END
);
-- A date without a time (V2's short posted-date) is already a business day.
CREATE OR REPLACE TEMP MACRO lx_day(v) AS (
    coalesce(TRY_CAST(v AS DATE), try_strptime(v, '%d.%m.%Y')::DATE)
);
CREATE OR REPLACE TEMP MACRO lx_quantity(v) AS (
    -- at most 999,999 units on one line: keeps units × unit cost inside DECIMAL(18, 4)
    CASE WHEN regexp_full_match(v, '[+-]?[0-9]{1,6}') THEN TRY_CAST(v AS INTEGER) ELSE NULL END
);
-- Tabs cannot occur inside a field (they delimit it) and the reader strips \r\n line
-- ends, so trimming spaces is enough; it is also several times faster than trimming a
-- character set.
CREATE OR REPLACE TEMP MACRO lx_text(v) AS (nullif(trim(v), ''));
"""


def install(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)
