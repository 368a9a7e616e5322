"""The demo seller's product specs, its two inbound batches, and Amazon's FBA rate card
as the demo's settlements charge it.

Each demo SKU gets dimensions and a weight that fit its size (bigger, dearer items are
large standard), a fee category and an HTS code. The settlements charge the FBA fee the
published schedule gives for those dimensions on each order's day — except for one SKU,
which Amazon "re-measured" from July: its height is recorded as 1.2 in, which makes it
large standard, and every later unit is over-charged. `lianxing audit fees` should find
exactly that SKU and months.

The two batches (one by sea, one by air, in the same CNY the cost sheet uses) make the
FIFO landed cost of three SKUs come from inbound shipments instead of the cost list.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from lianxing.fees.estimate import fba_fulfillment_fee
from lianxing.fees.schedules import FeeBook, load_book
from lianxing.fees.size_tier import size_tier
from lianxing.product_specs import ProductSpec

SPECS_FILE = "product-specs.csv"
BATCHES_FILE = "batches-2025.csv"
FEE_CATEGORY = {
    "KITCH": "Home & Kitchen", "HOME": "Home & Kitchen", "PET": "Pet Supplies",
    "FIT": "Sports & Outdoors", "OFFICE": "Office Products", "BABY": "Baby",
    "TOYS": "Toys & Games",
}  # fmt: skip
HTS = {
    "KITCH": "3924.10.4000", "HOME": "6307.90.9891", "PET": "4201.00.3000",
    "FIT": "9506.91.0030", "OFFICE": "3924.10.4000", "BABY": "6307.90.9891",
    "TOYS": "9503.00.0073",
}  # fmt: skip
# The SKUs the two inbound batches carry (none of them is in the customs-entry or
# air-freight sheets, whose duty and freight are booked as period charges instead).
SEA_LINES = (("LX-TOYS-004", 250), ("LX-TOYS-005", 300), ("LX-OFFICE-003", 200))
AIR_LINES = (("LX-TOYS-005", 150),)
REMEASURED_FROM_MONTH = 7

Catalog = Sequence[tuple[str, Decimal, Decimal, float]]  # code, price, fba fee, popularity


def _q(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def make_specs(catalog: Catalog, seed: int) -> dict[str, ProductSpec]:
    """Dimensions and weight per SKU, from how big the SKU's own FBA fee says it is."""
    specs = {}
    for code, _price, fee, _pop in catalog:
        rng = random.Random(f"lianxing-demo:{seed}:spec:{code}")
        size = min(1.0, max(0.0, float((fee - Decimal("3.06")) / Decimal("4.44"))))
        family = code.split("-")[1]
        if size < 0.3:  # small standard: flat and light
            sides = (_q(rng.uniform(7, 13)), _q(rng.uniform(4, 9)), _q(rng.uniform(0.3, 0.7)))
            weight = _q(rng.uniform(3, 14))
        else:
            sides = (_q(rng.uniform(9, 17)), _q(rng.uniform(5, 12)),
                     _q(rng.uniform(1.5, 2 + 4 * size)))  # fmt: skip
            weight = _q(rng.uniform(6, 12 + 40 * size))
        specs[code] = ProductSpec(
            sku=code, category=FEE_CATEGORY[family], length_in=sides[0], width_in=sides[1],
            height_in=sides[2], weight_oz=weight, title=f"联星 {code}", hts_code=HTS[family],
            origin="CN",
        )  # fmt: skip
    return specs


def remeasured_sku(catalog: Catalog, specs: dict[str, ProductSpec], book: FeeBook) -> str:
    """The best-selling small-standard SKU: the one Amazon re-measures in the demo."""
    small = [
        (pop, code)
        for code, _price, _fee, pop in catalog
        if size_tier(book, specs[code], date(2025, 6, 1)).name == "small_standard"
    ]
    return max(small)[1] if small else max((p, c) for c, _x, _f, p in catalog)[1]


def rate_card(
    catalog: Catalog, seed: int, year: int
) -> tuple[Callable[[str, Decimal, date], Decimal], dict[str, ProductSpec], str]:
    """(fee per unit by SKU, price and day; the honest specs; the re-measured SKU)."""
    book = load_book(None)
    specs = make_specs(catalog, seed)
    wrong = remeasured_sku(catalog, specs, book)
    measured = replace(specs[wrong], height_in=Decimal("1.2"))
    since = date(year, REMEASURED_FROM_MONTH, 1)
    cache: dict[tuple[str, Decimal, date], Decimal] = {}

    def fee(code: str, price: Decimal, day: date) -> Decimal:
        key = (code, price, day)
        if key not in cache:
            spec = measured if code == wrong and day >= since else specs[code]
            tier = size_tier(book, spec, day)
            cache[key] = fba_fulfillment_fee(book, tier, price, day).amount
        return cache[key]

    return fee, specs, wrong


def write_specs(path: Path, specs: dict[str, ProductSpec]) -> Path:
    """The product catalogue in the import's format (inches and ounces)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["sku", "title", "category", "length_in", "width_in", "height_in",
                         "weight_oz", "hts_code", "origin"])  # fmt: skip
        for s in specs.values():
            writer.writerow([s.sku, s.title, s.category, s.length_in, s.width_in, s.height_in,
                             s.weight_oz, s.hts_code, s.origin])  # fmt: skip
    return path


def write_batches(path: Path, unit_costs: dict[str, Decimal], year: int) -> Path:
    """Two inbound batches in CNY: a sea batch entered in March, an air batch in
    September (other tariff periods), paid at the day's rate of the rate sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ["batch_id", "sku", "units", "unit_cost", "cost_currency", "paid_on", "mode",
              "entry_date", "arrived_on", "freight", "freight_currency",
              "placement_fee"]  # fmt: skip
    rows = []
    for n, (sku, units) in enumerate(SEA_LINES):
        rows.append([f"SEA-{year}-01", sku, units, unit_costs[sku], "CNY", f"{year}-01-20",
                     "sea", f"{year}-03-10", f"{year}-03-24",
                     "650.00" if n == 0 else "", "USD" if n == 0 else "",
                     "112.50" if n == 0 else ""])  # fmt: skip
    for n, (sku, units) in enumerate(AIR_LINES):
        cost = (unit_costs[sku] * Decimal("1.04")).quantize(Decimal("0.01"))
        rows.append([f"AIR-{year}-02", sku, units, cost, "CNY", f"{year}-08-05", "air",
                     f"{year}-09-02", f"{year}-09-05", "520.00" if n == 0 else "",
                     "USD" if n == 0 else "", "30.00" if n == 0 else ""])  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
