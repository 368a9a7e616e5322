"""The SQL a mapped file (`lianxing.ingest.mapped`) needs beyond `table_load`.

Mapped files are written by people and ERP tools, not platforms: money as '￥1,234.00'
or '1,234.00 元', dates as '2026/10/01' or '2026年10月1日', times in another zone than
the store's. Their staged text is normalised here into the forms the shared parsers
read — a value is rewritten only when the rewritten form parses, so an error still
shows the value as the file wrote it. Freight and customs charges are split across a
shipment's SKU rows exactly (`allocate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from lianxing.errors import InputError
from lianxing.store.database import Database
from lianxing.store.settlement_load import sql_literal
from lianxing.store.table_load import TableLoader

CODES = "RMB|CNY|USD|CAD|EUR|GBP|MXN|JPY|AUD|HKD"
MACROS = rf"""
CREATE OR REPLACE TEMP MACRO lx_mapped_money(v) AS (
    regexp_replace(
        regexp_replace(replace(replace(trim(v), '￥', '¥'), '，', ','),
                       '\s*(元|{CODES})$', ''),
        '^([+-]?)\s*({CODES})\s*', '\1')
);
CREATE OR REPLACE TEMP MACRO lx_mapped_time(v) AS (
    coalesce(TRY_CAST(v AS TIMESTAMP), try_strptime(v, '%m/%d/%Y %H:%M:%S'),
             try_strptime(v, '%m/%d/%Y %H:%M'))
);
CREATE OR REPLACE TEMP MACRO lx_mapped_date(v) AS (
    regexp_replace(
        regexp_replace(trim(v), '^([0-9]{{4}})\s*年\s*([0-9]{{1,2}})\s*月\s*([0-9]{{1,2}})\s*日?',
                       '\1-\2-\3'),
        '^([0-9]{{4}})\.([0-9]{{1,2}})\.([0-9]{{1,2}})', '\1-\2-\3')
);
"""


def _install(loader: TableLoader) -> None:
    loader.con.execute(MACROS)


def normalize_staged(
    loader: TableLoader,
    *,
    money: Sequence[str],
    dates: Sequence[str],
    date_format: str | None,
    file_timezone: str | None,
) -> None:
    """Rewrite staged money and date text (columns c0..cN) into the parsers' forms."""
    _install(loader)
    loader.stage_rewritten()  # parse this file's own lx_stage, not its folder group's
    con = loader.con
    # A date column rewritten before its checks (a date format, a money column too) is
    # always checked.
    looked = [c for c in dates if not date_format and c not in money]
    money, written, zoned = _to_rewrite(loader, money, looked, bool(file_timezone))
    written |= set(dates) - set(looked)
    zoned |= set(dates) - set(looked)
    for column in money:
        con.execute(
            f"""UPDATE lx_stage SET {column} = lx_mapped_money({column})
                WHERE {column} IS NOT NULL AND lx_money(lx_text({column})) IS NULL
                  AND lx_money(lx_text(lx_mapped_money({column}))) IS NOT NULL"""
        )
    for column in dates:
        if date_format:
            fmt = sql_literal(date_format)
            # The user said how dates are written: that wins over the usual guesses
            # (01/02/2026 is 1 February for them, not 2 January).
            try:
                con.execute(
                    f"""UPDATE lx_stage
                        SET {column} = strftime(try_strptime(trim({column}), {fmt}),
                                                '%Y-%m-%d %H:%M:%S')
                        WHERE try_strptime(trim({column}), {fmt}) IS NOT NULL"""
                )
            except duckdb.Error as exc:
                raise InputError.at(
                    "mapping.bad_value",
                    column="file.date_format",
                    value=date_format,
                    expected="%d/%m/%Y, …",
                ) from exc
        if column in written:
            con.execute(
                f"""UPDATE lx_stage SET {column} = lx_mapped_date({column})
                    WHERE regexp_matches({column}, {CJK_DATE})
                      AND lx_date(lx_mapped_date({column})) IS NOT NULL"""
            )
        if file_timezone and column in zoned:
            # Times written in the exporting tool's zone (an ERP showing Beijing time)
            # become UTC instants; the importer then takes the day in the store's zone.
            # A bare date stays the day it names.
            tz = sql_literal(file_timezone)
            local = f"lx_mapped_time(lx_text({column}))"
            con.execute(
                f"""UPDATE lx_stage
                    SET {column} = strftime(timezone('UTC', timezone({tz}, {local})),
                                            '%Y-%m-%d %H:%M:%S') || '+00:00'
                    WHERE regexp_matches({column}, '[0-9]:[0-9]')
                      AND NOT lx_has_zone(lx_text({column})) AND {local} IS NOT NULL"""
            )


# A date written '2026年10月1日' or '2026.10.01' (lx_mapped_date rewrites it).
CJK_DATE = "'^\\s*[0-9]{4}\\s*(年|\\.[0-9])'"
# A time of day in a value (a time in the file's zone is rewritten to UTC).
CLOCK = "'[0-9]:[0-9]'"


def _to_rewrite(
    loader: TableLoader, money: Sequence[str], dates: Sequence[str], zoned: bool
) -> tuple[list[str], set[str], set[str]]:
    """The money columns with a value `lx_mapped_money` changes, the date columns with
    a value `lx_mapped_date` rewrites and (when times are zoned) with a time of day:
    one cheap look at the staged text. Every other column's UPDATE would change
    nothing (a value the rewrite leaves as it is cannot parse after it and not before,
    a value without a time is not moved), and the parsers they ask are slow to plan."""
    checks = [f"bool_or(lx_mapped_money({c}) IS DISTINCT FROM {c})" for c in money]
    checks += [f"coalesce(bool_or(regexp_matches({c}, {CJK_DATE})), FALSE)" for c in dates]
    if zoned:
        checks += [f"coalesce(bool_or(regexp_matches({c}, {CLOCK})), FALSE)" for c in dates]
    if not checks:
        return [], set(), set()
    row = loader.con.execute(f"SELECT {', '.join(checks)} FROM lx_stage").fetchone()
    found = list(row) if row else [True] * len(checks)
    changed = [c for c, hit in zip(money, found, strict=False) if hit]
    written = {c for c, hit in zip(dates, found[len(money) :], strict=False) if hit}
    clock = found[len(money) + len(dates) :]
    timed = {c for c, hit in zip(dates, clock, strict=False) if hit}
    return changed, written, timed


def use_line_field(loader: TableLoader, field: str) -> None:
    """Number rows by the line (spreadsheet row) a transcoded copy recorded for them."""
    loader.con.execute(f'UPDATE lx_rows SET line = "{field}"::INTEGER')


def rows(
    loader: TableLoader, names: Sequence[str], where: str = "TRUE", limit: int | None = None
) -> list[dict[str, Any]]:
    """Parsed rows as dictionaries, in file order."""
    columns = ", ".join(["line", *(f'"{n}"' for n in names)])
    cap = f"LIMIT {int(limit)}" if limit is not None else ""
    cursor = loader.con.execute(f"SELECT {columns} FROM lx_rows WHERE {where} ORDER BY line {cap}")
    keys = ["line", *names]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def first_lines(loader: TableLoader, field: str) -> list[tuple[str, int]]:
    """(value, first line) of each distinct value of a text field."""
    return loader.con.execute(
        f"""SELECT "{field}", min(line) AS first FROM lx_rows WHERE "{field}" IS NOT NULL
            GROUP BY ALL ORDER BY first LIMIT 1000"""
    ).fetchall()


def lines_where(
    loader: TableLoader, field: str, condition: str, limit: int = 20
) -> list[tuple[int, str | None]]:
    """(line, text as written) of rows where `condition` holds."""
    return loader.con.execute(
        f"""SELECT line, "{field}__text" FROM lx_rows WHERE {condition}
            ORDER BY line LIMIT {int(limit)}"""
    ).fetchall()


def repeated_total_conflicts(
    loader: TableLoader, amount: str, reference: str, limit: int = 20
) -> list[tuple[int, str, Any, int, Any]]:
    """Rows whose amount differs from their reference's first amount.

    (line, reference, amount, first line, first amount), for invoices that repeat a
    shipment's total on each of its rows.
    """
    return loader.con.execute(
        f"""WITH firsts AS (
                SELECT "{reference}" AS ref, arg_min("{amount}", line) AS expected,
                       min(line) AS first
                FROM lx_rows WHERE "{reference}" IS NOT NULL AND "{amount}" IS NOT NULL
                GROUP BY ALL)
            SELECT r.line, r."{reference}", r."{amount}", f.first, f.expected
            FROM lx_rows r JOIN firsts f ON f.ref = r."{reference}"
            WHERE r."{amount}" IS NOT NULL AND r."{amount}" <> f.expected
            ORDER BY r.line LIMIT {int(limit)}"""
    ).fetchall()


def allocate(
    loader: TableLoader, amount: str, *, reference: str, sku: str, measure: str, repeated: bool
) -> int:
    """Split each reference's charge across its SKU rows in proportion to `measure`.

    The charge is the sum of the reference's amounts (or, `repeated`, the total every
    row repeats). Each SKU row's share is rounded to 1/10000 and the last SKU row takes
    what is left, so the shares add up to the charge exactly; the other rows of the
    reference give up their amounts. A reference whose SKU rows have no measure keeps
    its amounts where they are written. Returns how many such references have a charge.
    """
    total = f'max("{amount}")' if repeated else f'coalesce(sum("{amount}"), 0)'
    con = loader.con
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lx_alloc AS
            WITH pool AS (
                SELECT "{reference}" AS ref, {total} AS total FROM lx_rows
                WHERE "{reference}" IS NOT NULL GROUP BY ALL),
            w AS (
                SELECT line, "{reference}" AS ref,
                       ("{measure}"::DECIMAL(38, 6) * 1000000)::HUGEINT AS w
                FROM lx_rows
                WHERE "{reference}" IS NOT NULL AND "{sku}" IS NOT NULL AND "{measure}" > 0),
            tot AS (SELECT ref, sum(w) AS total_w, max(line) AS last_line FROM w GROUP BY ALL),
            shares AS (
                SELECT w.line, w.ref, p.total, w.line = t.last_line AS last,
                       lx_prorate(p.total, w.w, t.total_w) AS share
                FROM w JOIN tot t USING (ref) JOIN pool p USING (ref)),
            fixed AS (
                SELECT line, CASE WHEN last
                                  THEN total - (sum(share) OVER (PARTITION BY ref) - share)
                                  ELSE share END AS v
                FROM shares)
            SELECT r.line,
                   CASE WHEN f.line IS NOT NULL THEN f.v
                        WHEN t.ref IS NOT NULL THEN 0
                        ELSE r."{amount}" END AS v
            FROM lx_rows r LEFT JOIN fixed f ON f.line = r.line
                 LEFT JOIN tot t ON t.ref = r."{reference}"
            WHERE r."{reference}" IS NOT NULL"""
    )
    con.execute(
        f"""UPDATE lx_rows SET "{amount}" = a.v::DECIMAL(18, 4)
            FROM lx_alloc a WHERE lx_rows.line = a.line"""
    )
    con.execute("DROP TABLE IF EXISTS temp.lx_alloc")
    row = con.execute(
        f"""SELECT count(*) FROM (
                SELECT "{reference}" AS ref FROM lx_rows WHERE "{reference}" IS NOT NULL
                GROUP BY ALL
                HAVING coalesce(sum("{amount}"), 0) <> 0
                   AND count(*) FILTER (WHERE "{sku}" IS NOT NULL AND "{measure}" > 0) = 0)"""
    ).fetchone()
    return int(row[0]) if row else 0


def preview(loader: TableLoader, limit: int) -> list[dict[str, Any]]:
    """The first ledger rows lx_cells would become (nothing is written)."""
    cursor = loader.con.execute(
        f"""SELECT c.line, c.business_date, c.order_id, c.sku, c.quantity, m.category,
                   c.reference, c.amount_type, c.amount_description, c.amount
            FROM lx_cells c LEFT JOIN lx_map m
              ON coalesce(m.code_tt, '') = coalesce(c.transaction_type, '')
             AND coalesce(m.code_at, '') = coalesce(c.amount_type, '')
             AND coalesce(m.code_ad, '') = coalesce(c.amount_description, '')
             AND m.day IS NOT DISTINCT FROM c.business_date
            ORDER BY c.line, c.cell LIMIT {int(limit)}"""
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def cells_count(loader: TableLoader) -> int:
    return loader.count("lx_cells")


def latest_source(db: Database, sha256: str, kind: str) -> tuple[int, str | None] | None:
    """(source id, mapping fingerprint) of the live import of this file by this mapping."""
    row = db.con.execute(
        """SELECT source_id, mapping_fingerprint FROM sources
           WHERE sha256 = ? AND kind = ? AND superseded_by IS NULL
           ORDER BY source_id DESC LIMIT 1""",
        [sha256, kind],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def other_mapped_sources(db: Database, sha256: str, kind: str) -> list[tuple[int, str]]:
    """(source id, kind) of live imports of this file by other mappings of the same kind."""
    prefix = kind.split(":", 1)[0] + ":"
    return db.con.execute(
        """SELECT source_id, kind FROM sources
           WHERE sha256 = ? AND starts_with(kind, ?) AND kind <> ? AND superseded_by IS NULL
           ORDER BY source_id""",
        [sha256, prefix, kind],
    ).fetchall()


def ledger_rows_of(db: Database, source_id: int) -> int:
    row = db.con.execute("SELECT count(*) FROM ledger WHERE source_id = ?", [source_id]).fetchone()
    return int(row[0]) if row else 0


def remove_source_costs(db: Database, source_id: int) -> int:
    """Unit costs still carried by an earlier import of a cost file (it is replaced)."""
    row = db.con.execute("SELECT count(*) FROM cogs WHERE source_id = ?", [source_id]).fetchone()
    db.con.execute("DELETE FROM cogs WHERE source_id = ?", [source_id])
    return int(row[0]) if row else 0
