"""SQL the Amazon fact reports need beyond `fact_load`: derived fields and age buckets.

The returns, storage, inventory and Business Report importers stage and parse their
files like every report (`table_load`); this module adds what only they need — a
flag computed from a code (a return is sellable), a default for a blank column (the
store's currency), checks the generic parser does not make (currency codes, counts
too large for their column), the unpivot of the inventory report's age-bucket
columns into one `inventory_age` row per SKU and bucket, and for the inventory ledger
the natural key of its events and the codes of a file Lianxing does not know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lianxing.store import fact_load
from lianxing.store.table_load import BadValue, TableLoader

INVENTORY_EVENT_KEY = fact_load.FACT_KEYS["inventory_events"]


@dataclass(frozen=True)
class AgeColumn:
    """An age-bucket column of the inventory report, parsed into lx_rows as `field`."""

    field: str
    bucket: str  # the header as the file writes it, e.g. inv-age-0-to-90-days
    min_days: int
    max_days: int | None  # None: open-ended (365-plus)


def add_flag(loader: TableLoader, name: str, field: str, equals: str) -> None:
    """Add boolean `name` to lx_rows: `field` equals `equals` (any case); blank is false."""
    loader.con.execute(f'ALTER TABLE lx_rows ADD COLUMN "{name}" BOOLEAN')
    loader.con.execute(
        f'UPDATE lx_rows SET "{name}" = coalesce(upper("{field}") = ?, FALSE)', [equals.upper()]
    )


def fill_text(loader: TableLoader, name: str, default: str, *, present: bool) -> None:
    """Upper-case text field `name`, blanks (or the whole column, if absent) `default`."""
    if not present:
        loader.con.execute(f'ALTER TABLE lx_rows ADD COLUMN "{name}" VARCHAR')
    loader.con.execute(f'UPDATE lx_rows SET "{name}" = coalesce(upper("{name}"), ?)', [default])


def bad_codes(loader: TableLoader, field: str, header: str, limit: int = 10) -> list[BadValue]:
    """Lines whose `field` is set but is not a three-letter currency code."""
    rows = loader.con.execute(
        f"""SELECT line, "{field}" FROM lx_rows WHERE "{field}" IS NOT NULL
            AND NOT regexp_full_match("{field}", '[A-Za-z]{{3}}') ORDER BY line LIMIT ?""",
        [limit],
    ).fetchall()
    return [BadValue(int(r[0]), header, "currency", str(r[1])[:60]) for r in rows]


def too_large(
    loader: TableLoader, field: str, header: str, limit: int, max_rows: int = 10
) -> list[BadValue]:
    """Lines whose count `field` is beyond ±`limit` (it would not fit its fact column)."""
    rows = loader.con.execute(
        f"""SELECT line, "{field}__text" FROM lx_rows WHERE abs("{field}") > ?
            ORDER BY line LIMIT ?""",
        [limit, max_rows],
    ).fetchall()
    return [BadValue(int(r[0]), header, "count", str(r[1])) for r in rows]


def write_age_buckets(
    loader: TableLoader,
    columns: Sequence[AgeColumn],
    *,
    source_id: int,
    store_id: str,
    snapshot: str = "snapshot",
    sku: str = "sku",
) -> tuple[int, int]:
    """One inventory_age row per line and filled bucket; returns (written, replaced)."""
    if not columns:
        return 0, 0
    parts, params = [], []
    for column in columns:
        parts.append(
            f"""SELECT line, "{snapshot}" AS snapshot, "{sku}" AS sku, ?::VARCHAR AS bucket,
                ?::INTEGER AS min_days, ?::INTEGER AS max_days, "{column.field}" AS units
                FROM lx_rows WHERE "{column.field}" IS NOT NULL"""
        )
        params += [column.bucket, column.min_days, column.max_days]
    loader.con.execute(
        f"CREATE OR REPLACE TEMP TABLE lx_age AS {' UNION ALL '.join(parts)}", params
    )
    written, replaced = fact_load.replace_facts(
        loader,
        "inventory_age",
        source_id=source_id,
        store_id=store_id,
        fields={n: n for n in ("snapshot", "sku", "bucket", "min_days", "max_days", "units")},
        source="lx_age",
    )
    # On failure the import's transaction rolls the temporary table back with the rest.
    loader.con.execute("DROP TABLE IF EXISTS temp.lx_age")
    return written, replaced


def unknown_codes(loader: TableLoader, field: str, known: Sequence[str]) -> list[tuple[str, int]]:
    """(value, lines) of each set `field` value not in `known`, most lines first.

    Compared without case, spaces, '-' or '_' (`Customer Returns` is CustomerReturns).
    """
    squash = f"""upper(regexp_replace("{field}", '[\\s_-]', '', 'g'))"""
    rows = loader.con.execute(
        f"""SELECT "{field}", count(*) AS n FROM lx_rows
            WHERE "{field}" IS NOT NULL AND NOT list_contains(?::VARCHAR[], {squash})
            GROUP BY 1 ORDER BY n DESC, 1""",
        [[k.upper().replace(" ", "").replace("_", "").replace("-", "") for k in known]],
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def write_inventory_events(
    loader: TableLoader, *, source_id: int, store_id: str, fields: dict[str, str | None]
) -> tuple[int, int]:
    """One inventory_events row per staged line; returns (written, replaced)."""
    return fact_load.replace_facts(
        loader, "inventory_events", source_id=source_id, store_id=store_id, fields=fields
    )
