"""Unit costs (COGS) from a CSV sheet: sku, effective_from, unit_cost, currency, and
optional per-unit freight and duty. A later effective_from starts a new cost; the
history is kept, and each sale uses the cost in force on its business date."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lianxing.errors import InputError
from lianxing.ingest.csv_sheet import Checker, SheetImport, read_sheet, write_sheet
from lianxing.store import ledger
from lianxing.store.database import Database

REQUIRED = ("sku", "effective_from", "unit_cost", "currency")
OPTIONAL = ("freight", "duty")


def import_costs(db: Database, path: Path) -> SheetImport:
    sheet = read_sheet(path, REQUIRED, OPTIONAL)
    check = Checker(path)
    rows: list[ledger.CostRow] = []
    first_line: dict[tuple[str, object], int] = {}
    zero = Decimal(0)
    for line, row in sheet.rows:
        sku = check.text(line, row, "sku")
        day = check.day(line, row, "effective_from")
        unit_cost = check.amount(line, row, "unit_cost")
        currency = check.currency(line, row, "currency")
        freight = check.amount(line, row, "freight", default=zero)
        duty = check.amount(line, row, "duty", default=zero)
        if sku is None or day is None or unit_cost is None or currency is None:
            continue
        if freight is None or duty is None:
            continue
        dollars = [c for c in ("unit_cost", "freight", "duty") if "$" in row.get(c, "")]
        if currency != "USD" and dollars:  # `$5` in a yuan row: which is it?
            check.fail("value.dollar_not_usd", line, dollars[0], value=row[dollars[0]],
                       currency=currency)  # fmt: skip
            continue
        key = (sku, day)
        if key in first_line:
            check.fail(
                "csv.duplicate_key", line, "sku", what=f"{sku} @ {day}", first=str(first_line[key])
            )
            continue
        first_line[key] = line
        rows.append(ledger.CostRow(sku, day, unit_cost, freight, duty, currency, line))
    check.raise_if_any()
    if not rows:
        raise InputError.at("file.empty", file=str(path))
    return write_sheet(
        db, path, "cogs", sheet.encoding, sheet.ignored, rows, len({r.sku for r in rows})
    )
