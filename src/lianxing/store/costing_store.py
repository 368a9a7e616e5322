"""Store side of costing: product specs, inbound batches, and the two tables derived
from them with the fee and duty schedules (landed lots, fee estimates).

The derived tables are rebuilt whole in one transaction by `replace_derived`, and the
digest of everything they were computed from is kept in `measure_cache` under the name
`costing`; the KPI measure table's fingerprint includes it, so a new schedule or spec
reaches every KPI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lianxing.product_specs import GROUPS, ProductSpec
from lianxing.store.database import Database

DERIVED = "costing"


def upsert_specs(
    db: Database, source_id: int, specs: Sequence[ProductSpec], fields: Sequence[str]
) -> None:
    """A SKU already known takes the new file's values of the `fields` it has columns for
    (spec_merge.GROUPS; a blank cell clears); every other field keeps its value."""
    updated = [c for group in fields for c in GROUPS[group]] + ["source_id", "line"]
    db.insert_many(
        "INSERT INTO product_specs SELECT * FROM ({rows}) ON CONFLICT (sku) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in updated),
        [
            [
                s.sku,
                s.category,
                s.asin,
                s.title,
                s.length_in,
                s.width_in,
                s.height_in,
                s.weight_oz,
                s.hts_code,
                s.origin,
                source_id,
                s.line,
            ]
            for s in specs
        ],
    )


def specs(db: Database) -> dict[str, ProductSpec]:
    rows = db.query(
        """SELECT p.sku, p.category, p.length_in, p.width_in, p.height_in, p.weight_oz, p.asin,
                  p.title, p.hts_code, p.origin, s.file_name, p.line
           FROM product_specs p JOIN sources s USING (source_id) ORDER BY p.sku"""
    )
    return {r[0]: ProductSpec(*r) for r in rows}


BATCH_COLUMNS = (
    "batch_id", "sku", "units", "unit_cost", "cost_currency", "paid_on", "fx_rate", "hts_code",
    "origin", "mfn_rate", "duty_rate", "mode", "entry_date", "arrived_on", "entry_id",
    "freight", "freight_currency", "freight_fx", "allocate_by", "placement_fee", "store_id",
    "source_id", "line",
)  # fmt: skip


def replace_batches(db: Database, source_id: int, rows: Sequence[Sequence[Any]]) -> int:
    """Write batch lines (values in BATCH_COLUMNS order): every batch id in `rows`
    replaces that whole batch. Returns how many batches were replaced."""
    ids = sorted({r[0] for r in rows})
    replaced = db.con.execute(
        "SELECT count(DISTINCT batch_id) FROM batch_lines WHERE batch_id IN (SELECT unnest(?))",
        [ids],
    ).fetchone()
    db.con.execute("DELETE FROM batch_lines WHERE batch_id IN (SELECT unnest(?))", [ids])
    db.insert_many("INSERT INTO batch_lines SELECT * FROM ({rows})", rows)
    return int(replaced[0]) if replaced else 0


def batch_rows(db: Database) -> list[dict[str, Any]]:
    """Every batch line with its source file name, in batch and line order."""
    cursor = db.con.execute(
        f"""SELECT {", ".join("b." + c for c in BATCH_COLUMNS)}, s.file_name
            FROM batch_lines b JOIN sources s USING (source_id)
            ORDER BY b.arrived_on, b.batch_id, b.line"""
    )
    names = [*BATCH_COLUMNS, "file_name"]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class Lot:
    batch_id: str
    sku: str
    arrived_on: date
    mode: str
    units: int
    goods: Decimal
    freight: Decimal
    duty: Decimal
    mpf: Decimal
    hmf: Decimal
    placement: Decimal
    unit_cost: Decimal
    currency: str
    duties: list[dict[str, Any]]
    source_id: int
    line: int


@dataclass(frozen=True)
class FeeRow:
    store_id: str
    order_id: str
    sku: str
    category: str
    amount: Decimal
    currency: str
    schedule: str


def replace_derived(
    db: Database, digest: str, lots: Sequence[Lot], fees: Sequence[FeeRow], cost_method: str
) -> None:
    """Replace landed lots and fee estimates in one transaction, with their digest and
    the cost method the money query is to apply to the lots."""
    with db.transaction():
        db.con.execute("DELETE FROM landed_lots")
        db.con.execute("DELETE FROM fee_estimates")
        db.insert_many(
            "INSERT INTO landed_lots SELECT * FROM ({rows})",
            [
                [
                    x.batch_id,
                    x.sku,
                    x.arrived_on,
                    x.mode,
                    x.units,
                    x.goods,
                    x.freight,
                    x.duty,
                    x.mpf,
                    x.hmf,
                    x.placement,
                    x.unit_cost,
                    x.currency,
                    json.dumps(x.duties, ensure_ascii=False),
                    x.source_id,
                    x.line,
                ]
                for x in lots
            ],
        )
        db.insert_many(
            "INSERT INTO fee_estimates SELECT * FROM ({rows})",
            [
                [f.store_id, f.order_id, f.sku, f.category, f.amount, f.currency, f.schedule]
                for f in fees
            ],
        )
        db.con.execute(
            """INSERT INTO measure_cache VALUES (?, ?, ?, ?, 0)
               ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint,
                 built_at = excluded.built_at, row_count = excluded.row_count""",
            [DERIVED, digest, datetime.now(UTC), len(lots) + len(fees)],
        )
        db.con.execute(
            """INSERT INTO measure_cache VALUES ('cost_method', ?, ?, 0, 0)
               ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint,
                 built_at = excluded.built_at""",
            [cost_method, datetime.now(UTC)],
        )


def derived_digest(db: Database) -> str | None:
    row = db.con.execute(
        "SELECT fingerprint FROM measure_cache WHERE name = ?", [DERIVED]
    ).fetchone()
    return str(row[0]) if row else None


def inputs_state(db: Database) -> str:
    """What the derived tables depend on in the database, as one string: the sources
    (orders, settlements, specs, batches, rates come and go as sources) and counts."""
    row = db.con.execute(
        """SELECT (SELECT coalesce(string_agg(concat_ws('|', source_id, superseded_by, sha256,
                                                        row_count), ',' ORDER BY source_id), '')
                   FROM sources),
                  (SELECT count(*) FROM ledger WHERE basis = 'estimated'),
                  (SELECT count(*) FROM product_specs), (SELECT count(*) FROM batch_lines),
                  (SELECT count(*) FROM fx_rates)"""
    ).fetchone()
    return "/".join(str(v) for v in row or ())


@dataclass(frozen=True)
class OpenItem:
    """An unsettled order item: what the fee estimate needs."""

    store_id: str
    order_id: str
    sku: str
    day: date
    units: int
    item_price: Decimal  # the item's product revenue (all units), its own currency
    currency: str


def open_items(db: Database) -> list[OpenItem]:
    """Estimated order items no settlement has replaced yet, with their product revenue."""
    rows = db.query(
        """WITH est AS (
               SELECT l.store_id, l.order_id, l.sku, min(l.business_date) AS day,
                      sum(l.quantity) AS units,
                      sum(l.amount) FILTER (WHERE l.category = 'revenue.product') AS price,
                      any_value(l.currency) AS currency
               FROM ledger l
               WHERE l.basis = 'estimated' AND l.event = 'order' AND l.sku IS NOT NULL
                 AND l.order_id IS NOT NULL
               GROUP BY ALL
           )
           SELECT e.store_id, e.order_id, e.sku, e.day, e.units, e.price, e.currency
           FROM est e
           WHERE e.units > 0 AND e.price > 0 AND NOT EXISTS (
               SELECT 1 FROM ledger x WHERE x.basis = 'settled' AND x.event = 'order'
                  AND x.store_id = e.store_id AND x.order_id = e.order_id AND x.sku = e.sku)
           ORDER BY e.store_id, e.day, e.order_id, e.sku"""
    )
    return [OpenItem(*r) for r in rows]


def lots(db: Database) -> list[dict[str, Any]]:
    cursor = db.con.execute(
        """SELECT l.*, s.file_name FROM landed_lots l JOIN sources s USING (source_id)
           ORDER BY l.sku, l.arrived_on, l.batch_id"""
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class ChargedItem:
    """A settled order item with the FBA fee charged for it and where that fee is."""

    store_id: str
    order_id: str
    sku: str
    day: date
    units: int
    revenue: Decimal  # product revenue of the item (all units)
    fba_fee: Decimal  # what was charged, as a positive cost (all units)
    currency: str
    evidence: str  # "file:line" of each fee row, comma-separated


def fba_charges(
    db: Database, store_ids: Sequence[str], date_from: date | None, date_to: date | None
) -> list[ChargedItem]:
    """Every settled order item of the stores with an FBA fulfillment fee."""
    if not store_ids:
        return []
    rows = db.query(
        """SELECT l.store_id, l.order_id, l.sku, min(l.business_date) AS day,
                  sum(l.quantity)::INTEGER AS units,
                  coalesce(sum(l.amount) FILTER (WHERE l.category = 'revenue.product'), 0),
                  -sum(l.amount) FILTER (WHERE l.category = 'fulfillment.fba'),
                  any_value(l.currency),
                  string_agg(s.file_name || ':' || l.line, ',' ORDER BY l.line)
                      FILTER (WHERE l.category = 'fulfillment.fba')
           FROM ledger l JOIN sources s USING (source_id)
           WHERE l.basis = 'settled' AND l.event = 'order' AND l.sku IS NOT NULL
             AND l.order_id IS NOT NULL AND l.store_id IN (SELECT unnest(?))
             AND (?::DATE IS NULL OR l.business_date >= ?::DATE)
             AND (?::DATE IS NULL OR l.business_date <= ?::DATE)
           GROUP BY l.store_id, l.order_id, l.sku
           HAVING sum(l.quantity) > 0
              AND count(*) FILTER (WHERE l.category = 'fulfillment.fba') > 0
           ORDER BY l.store_id, l.sku, day, l.order_id""",
        [list(store_ids), date_from, date_from, date_to, date_to],
    )
    return [ChargedItem(*r) for r in rows]


def unreturned_refunds(
    db: Database, store_ids: Sequence[str], before: date
) -> list[dict[str, Any]]:
    """Refunded order items (settled, refunded on or before `before`) for which the
    returns report shows fewer units back than were refunded, and no inventory
    reimbursement names the order: (store, order, sku, refund day, units refunded,
    units returned, refunded product amount, currency, evidence)."""
    if not store_ids:
        return []
    cursor = db.con.execute(
        """WITH refunded AS (
               SELECT l.store_id, l.order_id, l.sku, min(l.business_date) AS day,
                      sum(l.quantity)::INTEGER AS units, -sum(l.amount) AS amount,
                      any_value(l.currency) AS currency,
                      string_agg(s.file_name || ':' || l.line, ',' ORDER BY l.line) AS evidence
               FROM ledger l JOIN sources s USING (source_id)
               WHERE l.basis = 'settled' AND l.event = 'refund'
                 AND l.category = 'refunds.product' AND l.quantity > 0
                 AND l.store_id IN (SELECT unnest(?)) AND l.order_id IS NOT NULL
               GROUP BY ALL
           ),
           back AS (
               SELECT store_id, order_id, sku, sum(quantity) AS units FROM returns
               WHERE order_id IS NOT NULL GROUP BY ALL
           ),
           reimbursed AS (
               SELECT DISTINCT store_id, order_id FROM ledger
               WHERE starts_with(category, 'reimbursements.') AND order_id IS NOT NULL
           )
           SELECT r.store_id, r.order_id, r.sku, r.day, r.units,
                  coalesce(b.units, 0)::INTEGER AS returned, r.amount, r.currency, r.evidence
           FROM refunded r
           LEFT JOIN back b USING (store_id, order_id, sku)
           WHERE coalesce(b.units, 0) < r.units AND r.day <= ?
             AND NOT EXISTS (SELECT 1 FROM reimbursed x
                             WHERE x.store_id = r.store_id AND x.order_id = r.order_id)
           ORDER BY r.store_id, r.sku, r.day, r.order_id""",
        [list(store_ids), before],
    )
    names = ["store", "order_id", "sku", "day", "units", "returned", "amount", "currency",
             "evidence"]  # fmt: skip
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def damaged_returns(db: Database, store_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Returns the returns report marks damaged by the carrier or in Amazon's warehouse
    (not by the customer): units Amazon owes a reimbursement for."""
    if not store_ids:
        return []
    cursor = db.con.execute(
        """SELECT r.store_id, r.order_id, r.sku, r.day, r.quantity, r.disposition,
                  s.file_name || ':' || r.line AS evidence
           FROM returns r JOIN sources s USING (source_id)
           WHERE r.disposition IN ('CARRIER_DAMAGED', 'DAMAGED', 'WAREHOUSE_DAMAGED')
             AND r.store_id IN (SELECT unnest(?))
             AND NOT EXISTS (SELECT 1 FROM ledger x WHERE starts_with(x.category,
                             'reimbursements.') AND x.store_id = r.store_id
                             AND x.order_id = r.order_id)
           ORDER BY r.store_id, r.sku, r.day""",
        [list(store_ids)],
    )
    names = ["store", "order_id", "sku", "day", "units", "disposition", "evidence"]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def unit_cost_on(db: Database, sku: str, day: date) -> tuple[Decimal, str] | None:
    """The unit cost of a SKU on a day: the latest landed lot arrived by then, else the
    cost list; None when neither knows it."""
    row = db.con.execute(
        """SELECT unit_cost, currency FROM landed_lots WHERE sku = ? AND arrived_on <= ?
           ORDER BY arrived_on DESC, batch_id DESC LIMIT 1""",
        [sku, day],
    ).fetchone()
    if row is None:
        row = db.con.execute(
            """SELECT unit_cost + freight + duty, currency FROM cogs
               WHERE sku = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1""",
            [sku, day],
        ).fetchone()
    return (Decimal(row[0]), str(row[1])) if row else None


def last_day(db: Database) -> date | None:
    row = db.con.execute("SELECT max(business_date) FROM ledger").fetchone()
    return row[0] if row else None


def sku_sales(
    db: Database, store_id: str | None, date_from: date, date_to: date
) -> list[tuple[str, str, int, Decimal, str]]:
    """(store, sku, units, product revenue, currency) of settled and estimated sales."""
    return [
        (r[0], r[1], int(r[2]), Decimal(r[3]), r[4])
        for r in db.query(
            """SELECT store_id, sku, sum(quantity)::BIGINT,
                      coalesce(sum(amount) FILTER (WHERE category = 'revenue.product'), 0),
                      any_value(currency)
               FROM ledger l WHERE event = 'order' AND sku IS NOT NULL
                 AND business_date BETWEEN ? AND ? AND (?::VARCHAR IS NULL OR store_id = ?)
                 AND (basis = 'settled' OR NOT EXISTS (
                     SELECT 1 FROM ledger x WHERE x.basis = 'settled' AND x.event = 'order'
                        AND x.store_id = l.store_id AND x.order_id = l.order_id
                        AND x.sku = l.sku))
               GROUP BY ALL HAVING sum(quantity) > 0 ORDER BY 1, 2""",
            [date_from, date_to, store_id, store_id],
        )
    ]


def skus_without_specs(db: Database) -> list[tuple[str, int]]:
    """SKUs sold in an Amazon store with no spec or no dimensions: (sku, units). The
    fee audit cannot check them and their unsettled fees fall back to the last
    settlement's."""
    rows = db.query(
        """SELECT l.sku, sum(l.quantity)::BIGINT AS units
           FROM ledger l JOIN sources s USING (source_id)
           LEFT JOIN product_specs p ON p.sku = l.sku
           WHERE l.event = 'order' AND l.quantity > 0 AND l.sku IS NOT NULL
             AND s.platform = 'amazon'
             AND (p.sku IS NULL OR p.length_in IS NULL OR p.weight_oz IS NULL)
           GROUP BY l.sku ORDER BY units DESC, l.sku"""
    )
    return [(r[0], int(r[1])) for r in rows]


# Inventory Ledger adjustment reasons Amazon owes for (help G4FKT5KQWFFJ7LDN): M and 5
# misplaced (lost), E 6 7 H K U damaged at an Amazon fulfillment center.
LOST_REASONS = ("M", "5")
DAMAGED_REASONS = ("E", "6", "7", "H", "K", "U")


def warehouse_losses(db: Database, store_ids: Sequence[str], before: date) -> list[dict[str, Any]]:
    """Units the Inventory Ledger shows lost or damaged in Amazon's warehouses on or
    before `before`, per store and SKU, less what was found again (the ledger's own
    reconciled units of a lost line, else later F lines) and less the units settlements
    reimbursed for the SKU; with the evidence lines."""
    if not store_ids:
        return []
    lost = ", ".join(f"'{r}'" for r in LOST_REASONS)
    damaged = ", ".join(f"'{r}'" for r in DAMAGED_REASONS)
    cursor = db.con.execute(
        f"""WITH adjusted AS (
               SELECT e.store_id, e.sku, upper(trim(e.reason)) AS reason, e.day, e.quantity,
                      e.reconciled, e.unreconciled, s.file_name || ':' || e.line AS evidence
               FROM inventory_events e JOIN sources s USING (source_id)
               WHERE e.store_id IN (SELECT unnest(?)) AND e.sku IS NOT NULL
                 AND lower(replace(e.event_type, ' ', '')) LIKE 'adjustment%'
           ),
           per_sku AS (
               SELECT store_id, sku,
                      coalesce(sum(CASE WHEN reason IN ({lost}) AND quantity < 0 AND day <= ?
                                        THEN coalesce(unreconciled, -quantity) END), 0) AS lost,
                      coalesce(sum(CASE WHEN reason IN ({damaged}) AND quantity < 0
                                        AND day <= ? THEN -quantity END), 0) AS damaged,
                      -- F lines only count when no lost line says how much it reconciled.
                      CASE WHEN bool_or(reconciled IS NOT NULL AND reason IN ({lost}))
                           THEN 0
                           ELSE coalesce(sum(CASE WHEN reason = 'F' AND quantity > 0
                                                  THEN quantity END), 0) END AS found,
                      min(day) FILTER (WHERE reason IN ({lost}, {damaged}) AND day <= ?)
                          AS first_day,
                      string_agg(evidence, ',' ORDER BY evidence)
                          FILTER (WHERE reason IN ({lost}, {damaged}) AND day <= ?
                                  AND quantity < 0) AS evidence
               FROM adjusted GROUP BY store_id, sku
           ),
           reimbursed AS (
               SELECT store_id, sku, coalesce(sum(quantity), 0) AS units FROM ledger
               WHERE category = 'reimbursements.inventory' AND sku IS NOT NULL
               GROUP BY ALL
           )
           SELECT p.store_id, p.sku, p.first_day, p.lost::BIGINT, p.damaged::BIGINT,
                  p.found::BIGINT, coalesce(r.units, 0)::BIGINT AS reimbursed,
                  (p.lost + p.damaged - p.found - coalesce(r.units, 0))::BIGINT AS owed,
                  p.evidence
           FROM per_sku p LEFT JOIN reimbursed r USING (store_id, sku)
           WHERE p.lost + p.damaged - p.found - coalesce(r.units, 0) > 0
           ORDER BY p.store_id, p.sku""",
        [list(store_ids), before, before, before, before],
    )
    names = ["store", "sku", "day", "lost", "damaged", "found", "reimbursed", "owed", "evidence"]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def has_inventory_ledger(db: Database, store_ids: Sequence[str]) -> bool:
    row = db.con.execute(
        "SELECT EXISTS (SELECT 1 FROM inventory_events WHERE store_id IN (SELECT unnest(?)))",
        [list(store_ids)],
    ).fetchone()
    return bool(row and row[0])
