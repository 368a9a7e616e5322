"""The demo seller's files from outside the platforms, with their mapping files.

No platform report carries these costs, so a seller keeps them as spreadsheets:

* air-freight invoices from the forwarder (货代空运账单): a few rushed shipments a
  year, one charge per air waybill, split across its SKUs by weight;
* US customs entries from the broker (报关单): duty, MPF, HMF and brokerage per entry,
  split across its SKUs by entered value (the demo's unit-cost sheet carries sea
  freight per unit but no duty, so duty is counted here, once);
* a 领星 ERP purchase-cost export with Chinese headers: the second-half-year costs of
  some SKUs.

Each comes with the YAML mapping that reads it, written to the workspace's `mappings/`
folder, so `lianxing import sources/` takes them like any platform report. Numbers
come from their own random stream and are `Decimal`, rounded to the cent.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

CENT = Decimal("0.01")
STORE = "amazon-us"
# US customs fees on formal entries (us-fees-and-duties.md): MPF 0.3464% of the
# entered value within a minimum and maximum, HMF 0.125% on ocean shipments.
MPF_RATE, MPF_MIN, MPF_MAX = Decimal("0.003464"), Decimal("32.71"), Decimal("634.62")
HMF_RATE = Decimal("0.00125")
BROKERAGE = Decimal("95.00")

AIR_HEADER = ("提单号", "起飞日期", "SKU", "箱数", "毛重(kg)", "运费")
CUSTOMS_HEADER = (
    "Entry No", "Entry Date", "SKU", "Entered Value", "Duty", "MPF", "HMF", "Brokerage",
)  # fmt: skip
COSTS_HEADER = ("SKU", "品名", "生效日期", "采购单价", "币种", "单件头程")

AIR_MAPPING = f"""\
# 货代空运账单 → first-mile air freight, split across each waybill's SKUs by weight.
kind: charges
name: air-freight
store: {STORE}
columns:
  reference: 提单号
  date: 起飞日期
  sku: SKU
  weight: 毛重(kg)
  amount: 运费
currency: USD
category: logistics.first_mile_air
allocate:
  by: weight
  total: sum
"""
CUSTOMS_MAPPING = f"""\
# 报关行 / customs broker: US entry summary → duty, MPF, HMF and brokerage,
# each entry's charges split across its SKUs by entered value.
kind: charges
name: customs-entries
store: {STORE}
columns:
  reference: Entry No
  date: Entry Date
  sku: SKU
  value: Entered Value
currency: USD
amounts:
  Duty: duties.tariffs
  MPF: duties.mpf
  HMF: duties.hmf
  Brokerage: logistics.customs_brokerage
allocate:
  by: value
  total: sum
"""
COSTS_MAPPING = """\
# 领星 ERP 采购成本导出 → unit costs (COGS) from the date each takes effect.
kind: costs
name: lingxing-costs
columns:
  sku: SKU
  effective_from: 生效日期
  unit_cost: 采购单价
  currency: 币种
  freight: 单件头程
"""


@dataclass(frozen=True)
class Product:
    code: str
    price: Decimal
    popularity: float
    duty_rate: Decimal
    unit_cost_cny: Decimal  # the unit cost in force at the start of the year
    freight_cny: Decimal


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _air_freight(directory: Path, products: Sequence[Product], year: int, scale: int,
                 rng: random.Random) -> Path:  # fmt: skip
    top = sorted(products, key=lambda p: (-p.popularity, p.code))[:12]
    rows = []
    for n, month in enumerate((3, 6, 9, 10, 11, 11), start=1):
        day = date(year, month, rng.randint(2, 26))
        picked = rng.sample(top, k=rng.randint(2, 4))
        charge = _money(Decimal(rng.randint(1800, 4200) * scale) * Decimal("1.0"))
        for i, product in enumerate(picked):
            cartons = rng.randint(4, 20) * scale
            rows.append(
                [
                    f"AWB-{year}{n:03d}",
                    day.strftime("%Y/%m/%d"),
                    product.code,
                    str(cartons),
                    f"{Decimal(cartons) * Decimal('11.5'):.1f}",
                    # The forwarder writes the waybill's charge once, on its first line.
                    f"{charge:,.2f}" if i == 0 else "",
                ]
            )
    return _write(directory / f"air-freight-invoices-{year}.csv", AIR_HEADER, rows)


def _customs(directory: Path, products: Sequence[Product], year: int, scale: int,
             rng: random.Random) -> Path:  # fmt: skip
    rows = []
    for quarter in range(4):
        day = date(year, quarter * 3 + 1, 1) + timedelta(days=rng.randint(5, 40))
        entry = f"ENT-{year}-{quarter + 1:02d}{rng.randint(1000, 9999)}"
        picked = sorted(rng.sample(list(products), k=12), key=lambda p: p.code)
        lines = []
        for product in picked:
            units = int(2000 * product.popularity * scale) + rng.randint(50, 200) * scale
            value = _money(product.unit_cost_cny / Decimal("7.2") * units)
            lines.append((product, value, _money(value * product.duty_rate)))
        total = sum((v for _, v, _ in lines), Decimal(0))
        mpf = min(MPF_MAX, max(MPF_MIN, _money(total * MPF_RATE)))
        hmf = _money(total * HMF_RATE)
        for i, (product, value, duty) in enumerate(lines):
            first = i == 0
            rows.append(
                [
                    entry,
                    day.strftime("%m/%d/%Y"),
                    product.code,
                    f"{value:.2f}",
                    f"{duty:.2f}",
                    f"{mpf:.2f}" if first else "",
                    f"{hmf:.2f}" if first else "",
                    f"{BROKERAGE:.2f}" if first else "",
                ]
            )
    return _write(directory / f"customs-entries-{year}.csv", CUSTOMS_HEADER, rows)


def _erp_costs(directory: Path, products: Sequence[Product], year: int,
               rng: random.Random) -> Path:  # fmt: skip
    rows = []
    for product in sorted(rng.sample(list(products), k=10), key=lambda p: p.code):
        step = Decimal(rng.choice(("1.04", "1.06", "0.97", "1.08")))
        rows.append(
            [
                product.code,
                f"联星 {product.code}",
                f"{year}/07/01",
                f"{_money(product.unit_cost_cny * step):.2f}",
                "人民币",
                f"{product.freight_cny:.2f}",
            ]
        )
    return _write(directory / "lingxing-cost-export.csv", COSTS_HEADER, rows)


def write_sheets(
    sources: Path,
    mappings: Path,
    products: Sequence[Product],
    *,
    year: int,
    scale: int,
    seed: int,
) -> list[Path]:
    """Write the demo's freight, customs and ERP files into `sources` and their
    mapping files into `mappings`; returns the data files' paths."""
    rng = random.Random(f"lianxing-demo-sheets:{seed}")
    mappings.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("air-freight.yaml", AIR_MAPPING),
        ("customs-entries.yaml", CUSTOMS_MAPPING),
        ("lingxing-costs.yaml", COSTS_MAPPING),
    ):
        (mappings / name).write_text(text, encoding="utf-8")
    return [
        _air_freight(sources, products, year, scale, rng),
        _customs(sources, products, year, scale, rng),
        _erp_costs(sources, products, year, rng),
    ]
