"""SQL macros shared by the loaders: parsing amounts, dates and quantities as
platforms write them. They mirror `lianxing.money.parse_amount` for big files that
never pass through Python row by row."""

from __future__ import annotations

import duckdb

MACROS = r"""
CREATE OR REPLACE TEMP MACRO lx_number_amount(v) AS (
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
-- The same answer as `lianxing.money.parse_amount` for every text (spaces already
-- trimmed): a sign, one '$', then a plain, thousands or comma-decimal number with at
-- most 4 decimals (more would be rounded silently: not money).
CREATE OR REPLACE TEMP MACRO lx_amount(v) AS (
    CASE WHEN contains(v, '$')
         THEN lx_number_amount(regexp_replace(v, '^([+-]?)\$([0-9])', '\1\2'))
         ELSE lx_number_amount(v) END
);
-- Report dates lie in the years 1900 to 2199. DuckDB also reads '-2027-03-03' and
-- '2027-03-03 (BC)' (years before Christ) and five-digit years: no report's dates, and
-- not dates Python can hold.
CREATE OR REPLACE TEMP MACRO lx_in_years(d) AS (
    CASE WHEN d >= DATE '1900-01-01' AND d < DATE '2200-01-01' THEN d END
);
CREATE OR REPLACE TEMP MACRO lx_timestamp(v) AS (
    CASE WHEN v IS NULL THEN NULL
         ELSE lx_in_years(coalesce(
            try_strptime(v, '%Y-%m-%d %H:%M:%S UTC')::TIMESTAMPTZ,
            TRY_CAST(v AS TIMESTAMPTZ),
            try_strptime(v, '%d.%m.%Y %H:%M:%S UTC')::TIMESTAMPTZ,
            try_strptime(v, '%d.%m.%Y')::TIMESTAMPTZ))
    END
);
-- A date without a time (V2's short posted-date) is already a business day.
CREATE OR REPLACE TEMP MACRO lx_day(v) AS (
    lx_in_years(coalesce(TRY_CAST(v AS DATE), try_strptime(v, '%d.%m.%Y')::DATE))
);
CREATE OR REPLACE TEMP MACRO lx_quantity(v) AS (
    -- at most 999,999 units on one line: keeps units × unit cost inside DECIMAL(18, 4)
    CASE WHEN regexp_full_match(v, '[+-]?[0-9]{1,6}') THEN TRY_CAST(v AS INTEGER) ELSE NULL END
);
-- Tabs cannot occur inside a field (they delimit it) and the reader strips \r\n line
-- ends, so trimming spaces is enough; it is also several times faster than trimming a
-- character set.
-- trim() also strips Unicode spaces (the no-break space of windows-1252 files, U+3000
-- …). Skipping it when the value has no edge space needs a test for those too, which
-- costs more than the trim: every value is trimmed.
CREATE OR REPLACE TEMP MACRO lx_text(v) AS (nullif(trim(v), ''));
-- Money as report downloads write it: '$1,234.50', '-$3.00', '(3.00)', 'US$ 3'.
CREATE OR REPLACE TEMP MACRO lx_money(v) AS (
    CASE WHEN v IS NULL THEN NULL
         -- most values are plain numbers: the answer lx_amount gives them, at once
         WHEN regexp_full_match(v, '[+-]?[0-9]+(\.[0-9]{1,4})?') THEN TRY_CAST(v AS DECIMAL(18, 4))
         WHEN regexp_full_match(v, '\(.*\)')
            THEN -lx_amount(regexp_replace(v[2:-2], '^\s*(?:US|CA|C|A)?[$€£¥]\s*', ''))
         ELSE lx_amount(regexp_replace(v, '^([+-]?)\s*(?:US|CA|C|A)?[$€£¥]\s*', '\1'))
    END
);
-- A count of things (units, clicks, sessions), thousands separators allowed.
CREATE OR REPLACE TEMP MACRO lx_count(v) AS (
    CASE WHEN regexp_full_match(v, '[+-]?[0-9]{1,3}(,[0-9]{3})+|[+-]?[0-9]{1,15}(\.0+)?')
         THEN TRY_CAST(TRY_CAST(replace(v, ',', '') AS DECIMAL(18, 2)) AS BIGINT) END
);
-- A plain measure (volume, average units on hand) with up to six decimals.
CREATE OR REPLACE TEMP MACRO lx_number(v) AS (
    CASE WHEN regexp_full_match(v, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]{1,6})?')
              AND regexp_matches(v, '[0-9]')
         THEN TRY_CAST(replace(v, ',', '') AS DECIMAL(18, 6)) END
);
-- '12.5%' (or '12.5') as the fraction 0.125.
CREATE OR REPLACE TEMP MACRO lx_percent(v) AS (
    CASE WHEN regexp_full_match(v, '[+-]?[0-9]{1,9}(\.[0-9]{1,6})?\s*%?')
         THEN (TRY_CAST(trim(rtrim(v, '%')) AS DECIMAL(18, 6)) * 0.01)::DECIMAL(18, 8) END
);
-- A calendar date written without a zone: ISO, US (MM/DD/YYYY), 'Oct 01, 2026'.
CREATE OR REPLACE TEMP MACRO lx_date(v) AS (
    lx_in_years(coalesce(TRY_CAST(v AS DATE),
                         try_strptime(v, '%m/%d/%Y')::DATE,
                         try_strptime(v, '%m/%d/%Y %H:%M:%S')::DATE,
                         try_strptime(v, '%m/%d/%Y %H:%M')::DATE,
                         try_strptime(v, '%b %d, %Y')::DATE,
                         try_strptime(v, '%d.%m.%Y')::DATE))
);
-- Does the text name its zone ('Z', 'UTC', '+00:00', '-0300')?
CREATE OR REPLACE TEMP MACRO lx_has_zone(v) AS (
    regexp_matches(v, '[0-9:]\s*(Z|UTC|PST|PDT|[+-][0-9]{2}:?[0-9]{2})$')
);
CREATE OR REPLACE TEMP MACRO lx_zoned(v) AS (
    -- the shapes seen most first: each failed attempt costs on every value
    lx_in_years(coalesce(TRY_CAST(v AS TIMESTAMPTZ),
                         try_strptime(v, '%Y-%m-%d %H:%M:%S %z')::TIMESTAMPTZ,
                         lx_timestamp(replace(replace(v, ' PST', '-08:00'), ' PDT', '-07:00')),
                         try_strptime(v, '%m/%d/%Y %H:%M:%S %z')::TIMESTAMPTZ))
);
-- The store's business day of a date or time: a zoned time is converted to the
-- store's zone; a bare date (or a time without zone) already is the store's day.
CREATE OR REPLACE TEMP MACRO lx_local_day(v, tz) AS (
    CASE WHEN v IS NULL THEN NULL
         WHEN lx_has_zone(v) THEN timezone(tz, lx_zoned(v))::DATE
         ELSE lx_date(v) END
);
-- A point in time; without a zone it is the store's local time.
CREATE OR REPLACE TEMP MACRO lx_local_time(v, tz) AS (
    CASE WHEN v IS NULL THEN NULL
         WHEN lx_has_zone(v) THEN lx_zoned(v)
         ELSE timezone(tz, lx_in_years(coalesce(TRY_CAST(v AS TIMESTAMP),
                                                try_strptime(v, '%m/%d/%Y %H:%M:%S'),
                                                try_strptime(v, '%m/%d/%Y %H:%M'),
                                                lx_date(v)::TIMESTAMP))) END
);
-- amount × n / d, exact to 1/10000 and rounded half away from zero, without leaving
-- DECIMAL (DuckDB divides decimals as floating point). n and d are whole numbers, d > 0.
CREATE OR REPLACE TEMP MACRO lx_prorate(a, n, d) AS (
    ((((a * 10000)::HUGEINT * n::HUGEINT * 2 + sign(a) * sign(n) * d::HUGEINT)
       // (2 * d::HUGEINT))::DECIMAL(38, 0) * 0.0001)::DECIMAL(18, 4)
);
-- n / d as an exact decimal with 6 places, rounded half away from zero; NULL when d is
-- 0 or NULL (a ratio with nothing under it has no value, never 0 or infinity). n and d
-- are taken to 6 decimals (money, counts, and ratios of them, which have 6), so a ratio
-- of ratios stays exact; a denominator under 0.0000005 counts as nothing.
CREATE OR REPLACE TEMP MACRO lx_ratio(n, d) AS (
    CASE WHEN d IS NULL OR n IS NULL OR (d * 1000000)::HUGEINT = 0 THEN NULL
         ELSE ((sign(n) * sign(d))::HUGEINT
               * ((abs((n * 1000000)::HUGEINT) * 2000000 + abs((d * 1000000)::HUGEINT))
                  // (2 * abs((d * 1000000)::HUGEINT))))::DECIMAL(38, 0) * 0.000001
    END
);
-- A month ('2026-10', '2026-10-01', 'October 2026') as its first day.
CREATE OR REPLACE TEMP MACRO lx_month(v) AS (
    date_trunc('month', lx_in_years(coalesce(try_strptime(v, '%Y-%m')::DATE, lx_date(v),
                                             try_strptime(v, '%B %Y')::DATE,
                                             try_strptime(v, '%b %Y')::DATE)))::DATE
);
"""


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the macros on a connection (`Database` does, once, when it opens)."""
    con.execute(MACROS)
