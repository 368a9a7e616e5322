"""Exchange rates from a CSV sheet: date, from, to, rate (1 `from` = rate `to`).

The inverse of each rate is stored too (marked derived), so a conversion in either
direction stays in DECIMAL; an imported rate always wins over a derived one."""

from __future__ import annotations

from decimal import Decimal, localcontext
from pathlib import Path

from lianxing.errors import InputError
from lianxing.ingest.csv_sheet import Checker, SheetImport, read_sheet, write_sheet
from lianxing.store import ledger
from lianxing.store.database import Database

REQUIRED = ("date", "from", "to", "rate")
RATE_PLACES = Decimal("0.0000000001")


def inverse(rate: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 34
        return (Decimal(1) / rate).quantize(RATE_PLACES)


def import_rates(db: Database, path: Path) -> SheetImport:
    sheet = read_sheet(path, REQUIRED)
    check = Checker(path)
    rows: list[ledger.RateRow] = []
    first_line: dict[tuple[object, str, str], int] = {}
    for line, row in sheet.rows:
        day = check.day(line, row, "date")
        source = check.currency(line, row, "from")
        target = check.currency(line, row, "to")
        # 1e-6 … 1e6 keeps a rate and its inverse exact in DECIMAL(18, 10).
        rate = check.amount(
            line,
            row,
            "rate",
            positive=True,
            low=Decimal("0.000001"),
            high=Decimal(1_000_000),
            places=10,
        )
        if day is None or source is None or target is None or rate is None:
            continue
        key = (day, source, target)
        if key in first_line:
            check.fail(
                "csv.duplicate_key",
                line,
                "date",
                what=f"{source}/{target} @ {day}",
                first=str(first_line[key]),
            )
            continue
        first_line[key] = line
        rows.append(ledger.RateRow(day, source, target, rate, False, line))
    check.raise_if_any()
    if not rows:
        raise InputError.at("file.empty", file=str(path))
    by_key = {(r.day, r.from_currency, r.to_currency): r for r in rows}
    for given in rows:
        other = by_key.get((given.day, given.to_currency, given.from_currency))
        # Both directions given for one day must agree (to 0.5 %), or conversions
        # would depend on which way the money goes.
        if (
            other is not None
            and given.line < other.line  # report the pair once, on its later line
            and abs(given.rate * other.rate - 1) > Decimal("0.005")
        ):
            check.fail(
                "fx.conflict",
                other.line,
                "rate",
                pair=f"{given.from_currency}/{given.to_currency}",
                day=given.day.isoformat(),
                first=str(given.line),
            )
    check.raise_if_any()
    actual = set(by_key)
    derived = [
        ledger.RateRow(r.day, r.to_currency, r.from_currency, inverse(r.rate), True, r.line)
        for r in rows
        if (r.day, r.to_currency, r.from_currency) not in actual
    ]
    pairs = len({(r.from_currency, r.to_currency) for r in rows})
    return write_sheet(db, path, "fx", sheet.encoding, sheet.ignored, [*rows, *derived], pairs)
