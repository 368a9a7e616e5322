"""Which sources cover each store and period: what tells "no data" from 0.

A measure whose source (`sources:` of the KPI catalogue) no file covers for a store and
period is NULL there, not 0. `cte` gives, per store and period (the first day of the
period, as the KPI query groups by it), one boolean per source: whether a live file of
one of its kinds covers a day of that period. The KPI query joins it to its rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

ALIAS = "cv"
JOIN = f"LEFT JOIN kpi_cover {ALIAS} ON {ALIAS}.store_id = d.store_id AND {ALIAS}.period = d.period"


def flag(source: str) -> str:
    """The column saying whether `source` covers the row's store and period."""
    return f'{ALIAS}."has:{source}"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def cte(sources: Mapping[str, Sequence[str]], period_start: str, where: str) -> str:
    """`kpi_cover` for `sources` (name → kinds); `period_start` is the period's first
    day of a date {d}; `where` limits the days (c.day) and store (c.store_id) as the
    query's own rows are limited."""
    kinds = sorted({k for found in sources.values() for k in found})
    flags = "".join(
        f",\n               bool_or(c.kind IN ({', '.join(map(_literal, sources[name]))})) "
        f'AS "has:{name}"'
        for name in sorted(sources)
    )
    return f"""
    kpi_cover AS (
        SELECT c.store_id, {period_start.format(d="c.day")} AS period{flags}
        FROM (SELECT store_id, kind,
                     unnest(generate_series(coalesce(period_start::DATE, date_from),
                                            coalesce(period_end::DATE, date_to),
                                            INTERVAL 1 DAY))::DATE AS day
              FROM sources
              WHERE superseded_by IS NULL AND store_id IS NOT NULL
                AND coalesce(period_start::DATE, date_from) IS NOT NULL
                AND coalesce(period_end::DATE, date_to) IS NOT NULL
                AND kind IN ({", ".join(map(_literal, kinds))})) c
        WHERE {where}
        GROUP BY ALL
    )"""
