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
AMOUNTS = ("unit_cost", "freight", "duty")
_SIGNS = {"$": "USD", "¥": "CNY", "￥": "CNY"}


def _no_yuan_sign(value: str) -> str:
    """`¥12.50` / `-￥3` as Chinese sheets write yuan: the number without its sign (that
    the row's currency is CNY is checked by `_other_currency_sign`)."""
    return value.replace("¥", "", 1).replace("￥", "", 1)


def _other_currency_sign(row: dict[str, str], currency: str) -> str | None:
    """The first amount column written with a currency sign ($, ¥) that is not `currency`."""
    for column in AMOUNTS:
        text = row.get(column, "")
        if any(sign in text and code != currency for sign, code in _SIGNS.items()):
            return column
    return None


def import_costs(db: Database, path: Path) -> SheetImport:
    sheet = read_sheet(path, REQUIRED, OPTIONAL)
    check = Checker(path)
    rows: list[ledger.CostRow] = []
    first_line: dict[tuple[str, object], int] = {}
    zero = Decimal(0)
    for line, written in sheet.rows:
        row = {c: _no_yuan_sign(v) if c in AMOUNTS else v for c, v in written.items()}
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
        signed = _other_currency_sign(written, currency)
        if signed is not None:  # `$5` in a yuan row: which is it?
            check.fail("value.sign_not_currency", line, signed, value=written[signed],
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
