"""The UTC offsets a Shopify export's timestamps carry (`2024-03-01 00:15:00 +0200`).

Shopify writes every time in the shop's own zone with its offset. For each offset in a
staged column this returns the earliest and the latest time written with it: enough for
ingest.shopify_zone to tell which zone (with its daylight-saving changes) the shop is in.
"""

from __future__ import annotations

from lianxing.store.table_load import TableLoader

OFFSET = r"[+-][0-9]{2}:?[0-9]{2}$"


def offset_samples(loader: TableLoader, column: str, limit: int = 50) -> list[str]:
    """First and last text of each UTC offset found in staged `column` (c0..cN)."""
    if not column.startswith("c") or not column[1:].isdigit():
        raise ValueError(f"not a staged column: {column!r}")
    rows = loader.con.execute(
        f"""SELECT min(v), max(v) FROM (SELECT lx_text({column}) AS v FROM lx_stage)
            WHERE regexp_matches(v, '{OFFSET}')
            GROUP BY regexp_extract(v, '{OFFSET}')
            ORDER BY 1 LIMIT {int(limit)}"""
    ).fetchall()
    return [str(v) for row in rows for v in row]
