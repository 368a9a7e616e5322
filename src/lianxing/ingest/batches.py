"""Inbound batches (`lianxing batches import FILE`): what was bought, how it travelled,
when it entered the US and when it could be sold.

The file is read and checked by `lianxing.landed.batches.read_batches`; before anything
is written the landed cost of every line is computed once with the workspace's specs,
duty tables and rates, so a line no rate, spec or duty row covers is refused now, with
its line, rather than breaking every report later. A batch id imported again replaces
that whole batch (a corrected file); the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lianxing.landed.batches import Batch, landed_costs, read_batches
from lianxing.landed.duties import DutyBook
from lianxing.product_specs import ProductSpec
from lianxing.store import costing_store, ledger
from lianxing.store.database import Database

KIND = "batches"


@dataclass
class BatchImport:
    file: str
    status: str  # imported | unchanged
    source_id: int
    batches: int = 0
    lines: int = 0
    units: int = 0
    replaced: int = 0  # batches that were already known and are now replaced


def _rows(batches: list[Batch], source_id: int) -> list[list[Any]]:
    return [
        [b.batch_id, x.sku, x.units, x.unit_cost, x.cost_currency, x.paid_on, x.fx_rate,
         x.hts_code, x.origin, x.mfn_rate, x.duty_rate, b.mode, b.entry_date, b.arrived_on,
         b.entry_id, b.freight, b.freight_currency, b.freight_fx, b.allocate_by,
         b.placement_fee, b.store, source_id, x.line]
        for b in batches
        for x in b.lines
    ]  # fmt: skip


def import_batches(
    db: Database,
    path: Path,
    specs: dict[str, ProductSpec],
    duties: DutyBook,
    rates: Callable[[str, date], Decimal | None],
) -> BatchImport:
    batches = read_batches(path)
    landed_costs(batches, specs, duties, rates)  # refuses what cannot be costed, by line
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    lines = sum(len(b.lines) for b in batches)
    units = sum(x.units for b in batches for x in b.lines)
    same = ledger.find_by_sha(db, digest, KIND)
    if same is not None:
        return BatchImport(str(path), "unchanged", same.source_id, len(batches), lines, units)
    record = ledger.SourceRecord(
        kind=KIND,
        file_name=path.name,
        file_path=str(path),
        sha256=digest,
        encoding="utf-8",
        row_count=lines,
    )
    with db.transaction():
        source_id = ledger.next_source_id(db)
        ledger.insert_source(db, source_id, record)
        replaced = costing_store.replace_batches(db, source_id, _rows(batches, source_id))
    return BatchImport(str(path), "imported", source_id, len(batches), lines, units, replaced)
