"""Write facts (ad spend, storage, returns, inventory, traffic) from a staged report.

Facts are what a report says that is not money the seller was paid or charged: the
ledger stays the only record of money. Reports overlap — two ads reports for the same
week, a storage report downloaded twice — so each fact table has a natural key, and an
import replaces the facts of the same key instead of adding to them: however many
overlapping files are imported, each fact is counted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lianxing.store.table_load import TableLoader

# Natural key of each fact table (besides store_id): rows with the same key describe
# the same thing, and the latest import's row stands.
FACT_KEYS: dict[str, tuple[str, ...]] = {
    # Not campaign_id: the console CSV has none, and the API report of the same days
    # must replace it rather than add to it.
    "ad_spend": ("day", "campaign", "ad_group", "sku", "asin"),
    "storage_fees": ("month", "asin", "fnsku", "fulfillment_center"),
    "long_term_storage_fees": ("snapshot", "sku", "fnsku", "condition", "country", "age_tier"),
    "returns": ("day", "order_id", "sku", "fnsku", "license_plate", "disposition", "reason"),
    "inventory": ("snapshot", "sku"),
    # All of a SKU's buckets at once: two files of one snapshot may cut the ages into
    # different buckets, and a bucket of the older file left standing would count twice.
    "inventory_age": ("snapshot", "sku"),
    "traffic": ("date_from", "date_to", "asin", "sku"),
    # Inventory Ledger events: not the quantity nor the reconciled/unreconciled units,
    # which a later download of the same event updates. Rows of one key are replaced
    # together, so events a file repeats on one line each count as it says.
    "inventory_events": (
        "day",
        "sku",
        "fnsku",
        "event_type",
        "reference_id",
        "fulfillment_center",
        "disposition",
        "reason",
        "country",
    ),
}


def _expr(value: str | None) -> str:
    """A field of lx_rows by name; None is NULL; `=literal` a SQL constant parameter."""
    if value is None:
        return "NULL"
    return f'r."{value}"'


def replace_facts(
    loader: TableLoader,
    table: str,
    *,
    source_id: int,
    store_id: str,
    fields: Mapping[str, str | None],
    constants: Mapping[str, Any] | None = None,
    where: str = "TRUE",
    source: str = "lx_rows",
) -> tuple[int, int]:
    """Write one fact row per staged row; returns (written, replaced).

    `fields` maps fact columns to lx_rows fields, `constants` fact columns to values
    (e.g. a currency or a date range given on the command line).
    """
    constants = dict(constants or {})
    names = [*fields, *constants]
    exprs = [_expr(v) for v in fields.values()]
    params: list[Any] = [source_id, store_id]
    for value in constants.values():
        exprs.append("?")
        params.append(value)
    key = FACT_KEYS[table]
    select = f"""SELECT ? AS source_id, r.line, ? AS store_id,
                 {", ".join(f'{e} AS "{n}"' for e, n in zip(exprs, names, strict=True))}
                 FROM {source} r WHERE {where}"""
    con = loader.con
    con.execute(f"CREATE OR REPLACE TEMP TABLE lx_facts AS {select}", params)
    match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM f.{k}" for k in key if k in names)
    # A DELETE or INSERT answers with the number of rows it removed or added.
    replaced = _changed(
        con.execute(
            f"""DELETE FROM {table} t WHERE t.store_id = ? AND EXISTS
                (SELECT 1 FROM lx_facts f WHERE {match})""",
            [store_id],
        )
    )
    columns = ", ".join(["source_id", "line", "store_id", *names])
    written = _changed(
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM lx_facts")
    )
    con.execute("DROP TABLE IF EXISTS temp.lx_facts")
    return written, replaced


def _changed(result: Any) -> int:
    """The row count a DELETE, INSERT or UPDATE answers with."""
    row = result.fetchone()
    return int(row[0]) if row else 0


def record_aliases(
    loader: TableLoader,
    *,
    source_id: int,
    store_id: str,
    sku: str,
    asin: str | None = None,
    fnsku: str | None = None,
) -> None:
    """Remember which ASIN/FNSKU a SKU goes by (new combinations only)."""
    asin_sql = f'"{asin}"' if asin else "NULL"
    fnsku_sql = f'"{fnsku}"' if fnsku else "NULL"
    loader.con.execute(
        f"""INSERT INTO sku_aliases
            SELECT DISTINCT ? AS store_id, "{sku}", {asin_sql}, {fnsku_sql}, ?
            FROM lx_rows r WHERE "{sku}" IS NOT NULL
              AND ({asin_sql} IS NOT NULL OR {fnsku_sql} IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM sku_aliases a WHERE a.store_id = ?
                  AND a.sku = r."{sku}" AND a.asin IS NOT DISTINCT FROM {asin_sql}
                  AND a.fnsku IS NOT DISTINCT FROM {fnsku_sql})""",
        [store_id, source_id, store_id],
    )


def set_fact_coverage(
    loader: TableLoader, source_id: int, first: str, last: str | None = None
) -> None:
    """Record the dates a fact report covers on its source (from lx_rows fields)."""
    loader.con.execute(
        f"""UPDATE sources SET date_from = c.lo, date_to = c.hi
            FROM (SELECT min("{first}")::DATE AS lo, max("{last or first}")::DATE AS hi
                  FROM lx_rows) AS c
            WHERE source_id = ?""",
        [source_id],
    )
