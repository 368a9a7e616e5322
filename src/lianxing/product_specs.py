"""What a product physically is: fee category, dimensions, weight, HTS code, origin.

A `ProductSpec` is one SKU's row of the product catalogue a seller imports with
`lianxing products import FILE`. Dimensions are always held in inches and the unit
weight in ounces (the units Amazon's US fee tables are written in); the importer
converts other units by column name (`length_cm`, `weight_g`, `weight_lb`, ...). The fee
estimator, the fee audit, the landed-cost calculation and `whatif` all read specs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# What a spec file can set, by field: the spec attributes (and table columns) it covers.
# A file updates only the fields it has columns for (lianxing.ingest.spec_merge).
GROUPS: dict[str, tuple[str, ...]] = {
    "category": ("category",),
    "asin": ("asin",),
    "title": ("title",),
    "dimensions": ("length_in", "width_in", "height_in", "weight_oz"),
    "hts_code": ("hts_code",),
    "origin": ("origin",),
}


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    category: str | None = None  # the platform fee category, e.g. "Home & Kitchen"
    length_in: Decimal | None = None  # as given; the size tier sorts the three sides
    width_in: Decimal | None = None
    height_in: Decimal | None = None
    weight_oz: Decimal | None = None  # unit weight, ounces
    asin: str | None = None
    title: str | None = None
    hts_code: str | None = None  # digits only, e.g. "9503000073"
    origin: str | None = None  # ISO 3166 alpha-2 country of origin, e.g. "CN"
    file: str | None = None  # where the spec came from, for error messages and evidence
    line: int | None = None

    @property
    def has_dimensions(self) -> bool:
        return None not in (self.length_in, self.width_in, self.height_in, self.weight_oz)
