"""Synthetic Amazon settlement flat file V2 for the benchmark.

Writes a tab-separated, UTF-8, unquoted file shaped like the "Flat File V2" settlement
report: a header, one SUMMARY row (settlement dates, total-amount, currency) and then
transaction rows. The mix is what an FBA seller on Amazon.com sees in a two-week
settlement: order items with price, tax, withheld tax, commission and FBA fee rows,
about 5% refunded items, and a few account-level rows without a SKU (storage,
advertising, reserve).

The whole file is deterministic for a given (rows, seed). All money is integer cents so
the SUMMARY total-amount is the exact sum of the amount column. Memory stays flat: rows
are streamed in chunks into a body file next to the output, and the header and summary
are written once the total is known, followed by a copy of the body.

Run `python bench/generate_v2.py --rows 1000000 --out /tmp/settlement.txt`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from lianxing.formats import AMAZON_SETTLEMENT_V2_COLUMNS

COLUMNS = AMAZON_SETTLEMENT_V2_COLUMNS
HEADER = "\t".join(COLUMNS) + "\n"

SETTLEMENT_ID = "24681357901"
START_DATE = "2026-01-01 08:00:00 UTC"
END_DATE = "2026-01-15 08:00:00 UTC"
DEPOSIT_DATE = "2026-01-17 08:00:00 UTC"
# Posted times fall inside the settlement window: 14 days from 2026-01-01 08:00 UTC.
WINDOW_START_S = 8 * 3600
WINDOW_S = 14 * 86400

SKU_COUNT = 2000
REFUND_SHARE = 0.05
# One account-level (non-SKU) row per this many order items on average.
OTHER_EVERY = 400
CHUNK_LINES = 20_000

ORDER_ROWS = (
    ("ItemPrice", "Principal"),
    ("ItemPrice", "Tax"),
    ("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
    ("ItemFees", "Commission"),
    ("ItemFees", "FBAPerUnitFulfillmentFee"),
)
REFUND_ROWS = (
    ("ItemPrice", "Principal"),
    ("ItemPrice", "Tax"),
    ("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
    ("ItemFees", "Commission"),
    ("ItemFees", "RefundCommission"),
)
# (transaction-type, amount-type, amount-description, low cents, high cents)
OTHER_ROWS = (
    ("other-transaction", "other-transaction", "Storage Fee", -90_000, -5_000),
    ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", -60_000, -1_000),
    ("other-transaction", "other-transaction", "Current Reserve Amount", -150_000, -10_000),
    ("other-transaction", "other-transaction", "Previous Reserve Amount Balance", 10_000, 150_000),
)

# Everything in a data row before transaction-type: the summary-only fields stay empty.
_ROW_PREFIX = SETTLEMENT_ID + "\t\t\t\t\t\t"


def money(cents: int) -> str:
    """Format integer cents as Amazon does: `-12.34`, `0.05`, no thousands separator."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def posted(rng: random.Random) -> tuple[str, str]:
    """A (posted-date, posted-date-time) pair inside the settlement window.

    Built with integer arithmetic rather than datetime because it runs once per item;
    the window lies within January 2026, so day-of-month is enough.
    """
    s = WINDOW_START_S + rng.randrange(WINDOW_S)
    day, rest = divmod(s, 86400)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    date = f"2026-01-{day + 1:02d}"
    return date, f"{date} {hour:02d}:{minute:02d}:{second:02d} UTC"


def order_id(rng: random.Random) -> str:
    return f"113-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"


def item_amounts(rng: random.Random, skus_price: list[int], sku_ix: int, qty: int) -> list[int]:
    """Cents for one order item, in ORDER_ROWS order: principal, tax, withheld, fees."""
    principal = skus_price[sku_ix] * qty
    tax = principal * rng.randrange(0, 1000) // 10_000  # 0-10% sales tax
    commission = -(principal * 15 // 100)
    fba_fee = -(322 + (sku_ix % 7) * 61) * qty
    return [principal, tax, -tax, commission, fba_fee]


def refund_amounts(order: list[int]) -> list[int]:
    """Cents for a refunded item: price and tax back, commission back minus an admin fee."""
    principal, tax, _withheld, commission, _fba = order
    refund_commission = -min(500, -commission * 20 // 100)
    return [-principal, -tax, tax, -commission, refund_commission]


def _sku_prices(rng: random.Random) -> tuple[list[str], list[int]]:
    names = [f"LX-{i:04d}-{rng.choice('ABCDEFGH')}{rng.randrange(10)}" for i in range(SKU_COUNT)]
    prices = [rng.randrange(599, 8999) for _ in range(SKU_COUNT)]
    return names, prices


def transaction_rows(rows: int, seed: int) -> Iterator[tuple[str, int]]:
    """Yield exactly `rows` transaction lines (with newline) and their amount in cents."""
    rng = random.Random(seed)
    sku_names, sku_prices = _sku_prices(rng)
    remaining = rows
    while remaining > 0:
        if rng.randrange(OTHER_EVERY) == 0 or remaining < len(ORDER_ROWS):
            # Account-level rows also fill the tail so the count comes out exact.
            yield _other_row(rng)
            remaining -= 1
            continue
        sku_ix = rng.randrange(SKU_COUNT)
        qty = 1 if rng.random() < 0.85 else rng.randrange(2, 4)
        amounts = item_amounts(rng, sku_prices, sku_ix, qty)
        oid = order_id(rng)
        item_code = str(rng.randrange(10**13, 10**14))
        date, date_time = posted(rng)
        if rng.random() < REFUND_SHARE:
            adjustment = str(rng.randrange(10**13, 10**14))
            amounts = refund_amounts(amounts)
            head = f"{_ROW_PREFIX}Refund\t{oid}\t\t{adjustment}\t\tAmazon.com\t"
            tail = (
                f"\tAFN\t{date}\t{date_time}\t{item_code}\t\t{adjustment}\t{sku_names[sku_ix]}\t\n"
            )
            kinds = REFUND_ROWS
        else:
            shipment = f"D{rng.getrandbits(40):010x}"
            head = f"{_ROW_PREFIX}Order\t{oid}\t\t\t{shipment}\tAmazon.com\t"
            tail = f"\tAFN\t{date}\t{date_time}\t{item_code}\t\t\t{sku_names[sku_ix]}\t{qty}\n"
            kinds = ORDER_ROWS
        for (amount_type, description), cents in zip(kinds, amounts, strict=True):
            yield f"{head}{amount_type}\t{description}\t{money(cents)}{tail}", cents
        remaining -= len(kinds)


def _other_row(rng: random.Random) -> tuple[str, int]:
    ttype, amount_type, description, low, high = rng.choice(OTHER_ROWS)
    cents = rng.randrange(low, high)
    date, date_time = posted(rng)
    line = (
        f"{_ROW_PREFIX}{ttype}\t\t\t\t\tAmazon.com\t{amount_type}\t{description}\t"
        f"{money(cents)}\t\t{date}\t{date_time}\t\t\t\t\t\n"
    )
    return line, cents


def summary_row(total_cents: int) -> str:
    fields = [SETTLEMENT_ID, START_DATE, END_DATE, DEPOSIT_DATE, money(total_cents), "USD"]
    return "\t".join(fields + [""] * (len(COLUMNS) - len(fields))) + "\n"


def _write_body(body: Path, rows: int, seed: int) -> int:
    """Stream transaction rows into `body` in chunks; return their total in cents."""
    total = 0
    chunk: list[str] = []
    with body.open("w", encoding="utf-8", newline="") as out:
        for line, cents in transaction_rows(rows, seed):
            chunk.append(line)
            total += cents
            if len(chunk) >= CHUNK_LINES:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    return total


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Write a settlement file with `rows` data rows: the SUMMARY row plus rows - 1 lines.

    The SUMMARY row counts as a data row, so the file has `rows + 1` lines in all, the
    same count a reader that skips only the header sees.
    """
    if rows < 1:
        raise ValueError("rows must be at least 1 (the SUMMARY row)")
    path = Path(path)
    body = path.with_name(path.name + ".body.tmp")
    try:
        total = _write_body(body, rows - 1, seed)
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(HEADER)
            out.write(summary_row(total))
            out.flush()
            with body.open("rb") as src:
                # Byte copy (kernel copy_file_range where available): flat memory.
                shutil.copyfileobj(src, out.buffer, 1 << 20)
    finally:
        body.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="data rows incl. SUMMARY")
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.out, args.rows, args.seed)
    elapsed = time.perf_counter() - started
    size = os.path.getsize(args.out)
    print(
        f"wrote {args.out}: {args.rows:,} rows, {size / 1e6:.1f} MB in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
