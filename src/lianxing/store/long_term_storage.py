"""SQL of the long-term storage fee report beyond `fact_load`: the old layout's fees.

The old layout (until 2022) charges a 12-month and a 6-month fee on one line, each with
its units; the current one writes one `amount-charged` per line and age tier. Both are
stored alike: `fee` and `units` of the line (the old layout's two added up).
"""

from __future__ import annotations

from collections.abc import Collection

from lianxing.store.table_load import TableLoader


def combine_old_layout(loader: TableLoader, present: Collection[str]) -> None:
    """Add `fee` and `units` to lx_rows: the 12-month fee and units plus the 6-month
    ones, of the columns the file has (`present`); no units stated is NULL, not 0."""

    def field(name: str, cast: str) -> str:
        return f'"{name}"' if name in present else f"NULL::{cast}"

    units = [field("units_12", "BIGINT"), field("units_6", "BIGINT")]
    con = loader.con
    con.execute('ALTER TABLE lx_rows ADD COLUMN "fee" DECIMAL(18, 4)')
    con.execute('ALTER TABLE lx_rows ADD COLUMN "units" BIGINT')
    con.execute(
        f"""UPDATE lx_rows SET
            "fee" = "fee_12" + coalesce({field("fee_6", "DECIMAL(18, 4)")}, 0),
            "units" = CASE WHEN {units[0]} IS NULL AND {units[1]} IS NULL THEN NULL
                           ELSE coalesce({units[0]}, 0) + coalesce({units[1]}, 0) END"""
    )
