"""Write side of the store: sources, unit costs and exchange rates.

Ledger rows themselves are written by `settlement_load` (set-based, for speed); this
module keeps the bookkeeping around them. Callers wrap writes in
`Database.transaction()` so an import is all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lianxing.store.database import Database


@dataclass(frozen=True)
class SourceRecord:
    kind: str
    file_name: str
    file_path: str
    sha256: str
    encoding: str | None
    row_count: int
    store_id: str | None = None
    settlement_id: str | None = None
    period_start: datetime | None = None
    period_end: datetime | None = None
    deposit_date: datetime | None = None
    currency: str | None = None
    total_amount: Decimal | None = None
    rows_sum: Decimal | None = None
    mapping_version: int | None = None
    mapping_fingerprint: str | None = None
    platform: str | None = None
    date_from: date | None = None  # business dates the file covers
    date_to: date | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.total_amount is None or self.rows_sum is None:
            return None
        return self.rows_sum - self.total_amount


@dataclass(frozen=True)
class ExistingSource:
    source_id: int
    store_id: str | None
    sha256: str
    kind: str
    settlement_id: str | None
    mapping_fingerprint: str | None
    superseded_by: int | None
    reconciled: bool | None


def find_by_sha(db: Database, sha256: str, kind_prefix: str) -> ExistingSource | None:
    row = db.con.execute(
        "SELECT source_id, store_id, sha256, kind, settlement_id, mapping_fingerprint, "
        "superseded_by, reconciled FROM sources WHERE sha256 = ? AND starts_with(kind, ?) "
        "ORDER BY superseded_by IS NOT NULL, source_id DESC LIMIT 1",
        [sha256, kind_prefix],
    ).fetchone()
    return ExistingSource(*row) if row else None


def find_settlement(db: Database, settlement_id: str) -> ExistingSource | None:
    row = db.con.execute(
        "SELECT source_id, store_id, sha256, kind, settlement_id, mapping_fingerprint, "
        "superseded_by, reconciled FROM sources WHERE settlement_id = ? AND superseded_by IS NULL "
        "ORDER BY source_id DESC LIMIT 1",
        [settlement_id],
    ).fetchone()
    return ExistingSource(*row) if row else None


def next_source_id(db: Database) -> int:
    row = db.con.execute("SELECT nextval('source_id_seq')").fetchone()
    assert row is not None
    return int(row[0])


def insert_source(db: Database, source_id: int, record: SourceRecord) -> None:
    difference = record.difference
    db.con.execute(
        """INSERT INTO sources (source_id, kind, store_id, file_name, file_path, sha256,
               encoding, settlement_id, period_start, period_end, deposit_date, currency,
               total_amount, rows_sum, difference, reconciled, row_count, mapping_version,
               mapping_fingerprint, imported_at, superseded_by, platform, date_from, date_to)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            source_id,
            record.kind,
            record.store_id,
            record.file_name,
            record.file_path,
            record.sha256,
            record.encoding,
            record.settlement_id,
            record.period_start,
            record.period_end,
            record.deposit_date,
            record.currency,
            record.total_amount,
            record.rows_sum,
            difference,
            None if difference is None else difference == 0,
            record.row_count,
            record.mapping_version,
            record.mapping_fingerprint,
            datetime.now(UTC),
            None,
            record.platform,
            record.date_from,
            record.date_to,
        ],
    )


def set_row_count(db: Database, source_id: int, row_count: int) -> None:
    db.con.execute("UPDATE sources SET row_count = ? WHERE source_id = ?", [row_count, source_id])


def set_coverage(db: Database, source_id: int) -> None:
    """Record the business dates a source's ledger rows cover."""
    db.con.execute(
        """UPDATE sources SET date_from = c.lo, date_to = c.hi
           FROM (SELECT min(business_date) AS lo, max(business_date) AS hi
                 FROM ledger WHERE source_id = $1) AS c
           WHERE source_id = $1 AND c.lo IS NOT NULL""",
        [source_id],
    )


def supersede_source(db: Database, source_id: int, replaced_by: int) -> None:
    """Drop a settlement's ledger rows, remembering its file was replaced."""
    db.con.execute("DELETE FROM ledger WHERE source_id = ?", [source_id])
    db.con.execute(
        "UPDATE sources SET superseded_by = ? WHERE source_id = ?", [replaced_by, source_id]
    )


@dataclass(frozen=True)
class CostRow:
    sku: str
    effective_from: date
    unit_cost: Decimal
    freight: Decimal
    duty: Decimal
    currency: str
    line: int


def upsert_costs(db: Database, source_id: int, rows: Sequence[CostRow]) -> None:
    """A cost for a (sku, effective_from) already known is replaced; history is kept."""
    params: list[list[Any]] = [
        [r.sku, r.effective_from, r.unit_cost, r.freight, r.duty, r.currency, source_id, r.line]
        for r in rows
    ]
    db.insert_many(
        """INSERT INTO cogs SELECT * FROM ({rows})
           ON CONFLICT (sku, effective_from) DO UPDATE SET
             unit_cost = excluded.unit_cost, freight = excluded.freight, duty = excluded.duty,
             currency = excluded.currency, source_id = excluded.source_id, line = excluded.line""",
        params,
    )


@dataclass(frozen=True)
class RateRow:
    day: date
    from_currency: str
    to_currency: str
    rate: Decimal
    derived: bool
    line: int


def upsert_rates(db: Database, source_id: int, rows: Sequence[RateRow]) -> None:
    params: list[list[Any]] = [
        [r.day, r.from_currency, r.to_currency, r.rate, r.derived, source_id, r.line] for r in rows
    ]
    # The newest import decides a day's rate in both directions (its inverse is derived
    # unless the same file gives that direction too); within one import an imported
    # rate wins over a derived one.
    db.insert_many(
        """INSERT INTO fx_rates SELECT * FROM ({rows})
           ON CONFLICT (day, from_currency, to_currency) DO UPDATE SET
             rate = excluded.rate, derived = excluded.derived,
             source_id = excluded.source_id, line = excluded.line
           WHERE NOT excluded.derived OR fx_rates.derived
              OR excluded.source_id <> fx_rates.source_id""",
        params,
    )
