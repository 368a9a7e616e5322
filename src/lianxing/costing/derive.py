"""Keep the derived costing tables current: landed lots and schedule fee estimates.

Both are computed in Python (the schedules and the duty rules are data plus arithmetic
that SQL would only obscure) and written whole, in one transaction, whenever anything
they depend on changed: the imported sources, the specs, the batches, the rates, the
schedule files (built-in and the workspace's own) and the cost method. A digest of all
of that decides, so an unchanged workspace pays one small query.

An unsettled item the schedules cannot price (no spec, no dimensions, a category the
schedule does not know) keeps the older estimate, its SKU's last settled fees, and is
listed by `problems()` so `lianxing fees check` can say why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lianxing.errors import InputError, LianxingError
from lianxing.fees.estimate import estimate
from lianxing.fees.schedules import FeeBook, load_book
from lianxing.landed.batches import Batch, BatchLine, LandedLine, landed_costs
from lianxing.landed.duties import DutyBook, load_duty_book
from lianxing.product_specs import ProductSpec
from lianxing.store import costing_store
from lianxing.store.costing_store import FeeRow, Lot
from lianxing.store.database import Database
from lianxing.workspace import Config

CENT = Decimal("0.01")


@dataclass
class Books:
    """The schedules a workspace uses (built-in plus its own `fees/` and `duties.yaml`)."""

    fees: FeeBook
    duties: DutyBook

    @classmethod
    def load(cls, root: Path | None) -> Books:
        return cls(load_book(root), load_duty_book(root))


@dataclass
class Derived:
    rebuilt: bool
    lots: int = 0
    estimated_items: int = 0
    unpriced: list[dict[str, Any]] = field(default_factory=list)


def rate_lookup(db: Database) -> Callable[[str, date], Decimal | None]:
    """(currency, day) → how many USD one unit was worth on that day (latest rate on or
    before it), from the imported rates; None when no rate is known."""
    cache: dict[tuple[str, date], Decimal | None] = {}

    def rate(currency: str, day: date) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        key = (currency, day)
        if key not in cache:
            row = db.con.execute(
                """SELECT rate FROM fx_rates WHERE from_currency = ? AND to_currency = 'USD'
                   AND day <= ? ORDER BY day DESC LIMIT 1""",
                [currency, day],
            ).fetchone()
            cache[key] = Decimal(row[0]) if row else None
        return cache[key]

    return rate


def batches_from_rows(rows: list[dict[str, Any]]) -> list[Batch]:
    """The stored batch lines back as `Batch` objects (batch-level values are repeated
    on every stored line)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["batch_id"], []).append(row)
    batches = []
    for batch_id, lines in grouped.items():
        head = lines[0]
        batches.append(
            Batch(
                batch_id=batch_id,
                mode=head["mode"],
                entry_date=head["entry_date"],
                arrived_on=head["arrived_on"],
                entry_id=head["entry_id"],
                freight=head["freight"],
                freight_currency=head["freight_currency"],
                freight_fx=head["freight_fx"],
                allocate_by=head["allocate_by"],
                placement_fee=head["placement_fee"],
                store=head["store_id"],
                lines=tuple(
                    BatchLine(
                        batch_id=batch_id,
                        sku=r["sku"],
                        units=r["units"],
                        unit_cost=r["unit_cost"],
                        cost_currency=r["cost_currency"],
                        paid_on=r["paid_on"],
                        fx_rate=r["fx_rate"],
                        hts_code=r["hts_code"],
                        origin=r["origin"],
                        mfn_rate=r["mfn_rate"],
                        duty_rate=r["duty_rate"],
                        line=r["line"],
                    )
                    for r in lines
                ),
                file=head["file_name"],
            )
        )
    return batches


def compute_lots(
    db: Database, books: Books, specs: dict[str, ProductSpec], **scenario: Any
) -> tuple[list[LandedLine], dict[tuple[str, str], int]]:
    """Landed cost of every stored batch line (optionally under a scenario:
    extra_tariff, freight_override), and each line's source id."""
    rows = costing_store.batch_rows(db)
    if not rows:
        return [], {}
    sources = {(r["batch_id"], r["sku"]): r["source_id"] for r in rows}
    return landed_costs(
        batches_from_rows(rows), specs, books.duties, rate_lookup(db), **scenario
    ), sources


def _lot(line: LandedLine, source_id: int) -> Lot:
    return Lot(
        line.batch_id, line.sku, line.arrived_on, line.mode, line.units, line.goods,
        line.freight, line.duty, line.mpf, line.hmf, line.placement, line.unit_cost, "USD",
        [{"program": d.program, "rate": str(d.rate), "base": str(d.base),
          "amount": str(d.amount), "source": d.source, "confirmed": d.confirmed}
         for d in line.duties],
        source_id, line.line,
    )  # fmt: skip


def fee_rows(
    db: Database, books: Books, config: Config, specs: dict[str, ProductSpec]
) -> tuple[list[FeeRow], list[dict[str, Any]]]:
    """Schedule fees of every unsettled item (ledger sign), and the items left unpriced
    with the reason."""
    platforms = {s.id: s.platform for s in config.stores}
    rows: list[FeeRow] = []
    unpriced: list[dict[str, Any]] = []
    cache: dict[tuple[str, str, Decimal, date], Any] = {}
    for item in costing_store.open_items(db):
        platform = platforms.get(item.store_id, "amazon")
        spec = specs.get(item.sku)
        unit_price = (item.item_price / item.units).quantize(CENT, ROUND_HALF_UP)
        if spec is None:
            unpriced.append({"store": item.store_id, "order_id": item.order_id,
                             "sku": item.sku, "reason": "no_spec"})  # fmt: skip
            continue
        key = (platform, item.sku, unit_price, item.day)
        if key not in cache:
            try:
                plan = config.shopify_plan if platform == "shopify" else None
                cache[key] = estimate(books.fees, spec, unit_price, item.day,
                                      platform=platform, plan=plan)  # fmt: skip
            except InputError as exc:
                cache[key] = exc
        found = cache[key]
        if isinstance(found, LianxingError):
            unpriced.append({"store": item.store_id, "order_id": item.order_id,
                             "sku": item.sku, "reason": found.key})  # fmt: skip
            continue
        for fee in found.lines:
            amount = -(fee.amount * item.units)
            rows.append(FeeRow(item.store_id, item.order_id, item.sku, fee.category, amount,
                               fee.currency, fee.source))  # fmt: skip
    return rows, unpriced


def digest(db: Database, books: Books, config: Config) -> str:
    state = costing_store.inputs_state(db)
    stores = ",".join(f"{s.id}:{s.platform}" for s in config.stores)
    text = "\n".join(
        [state, books.fees.digest, books.duties.digest, config.cost_method,
         config.shopify_plan, stores]
    )  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def ensure(db: Database, books: Books, config: Config, *, force: bool = False) -> Derived:
    """Bring landed lots and fee estimates up to date; a bad batch (a rate or duty row
    missing) is an error naming its line, and the last good tables stay."""
    wanted = digest(db, books, config)
    if not force and costing_store.derived_digest(db) == wanted:
        return Derived(False)
    specs = costing_store.specs(db)
    lines, sources = compute_lots(db, books, specs)
    fees, unpriced = fee_rows(db, books, config, specs)
    lots = [_lot(line, sources[(line.batch_id, line.sku)]) for line in lines]
    costing_store.replace_derived(db, wanted, lots, fees, config.cost_method)
    items = len({(f.store_id, f.order_id, f.sku) for f in fees})
    return Derived(True, len(lots), items, unpriced)
