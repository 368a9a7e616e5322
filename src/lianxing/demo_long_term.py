"""The demo seller's long-term storage fee reports (aged inventory surcharge).

One report per long-term storage charge in the settlements: on its snapshot day (the
15th) the slowest sellers carry stock over 181 days old, and their fees add up to the
charge exactly, so the report splits the whole charge across SKUs. The first report is
the API's tab-separated download, the others Seller Central's ".csv" (comma-separated,
every field quoted): both are read alike.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from lianxing.demo_reports import SellerYear, asin, fnsku, split_cents, write_report

LONG_TERM_HEADER = (
    "snapshot-date",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "per-unit-volume",
    "currency",
    "volume-unit",
    "country",
    "qty-charged",
    "amount-charged",
    "surcharge-age-tier",
    "rate-surcharge",
)
# Age tier: surcharge per cubic foot (Amazon.com, 2024).
TIERS = (("181-210", Decimal("0.50")), ("271-300", Decimal("3.80")), ("365+", Decimal("6.90")))
AGED_SKUS = 8  # the slowest sellers hold the aged stock


def write_long_term_storage(directory: Path, data: SellerYear, *, seed: int) -> list[Path]:
    """One long-term storage fee report per charge; returns their paths."""
    rng = random.Random(f"lianxing-demo-long-term:{seed}")
    slow = sorted(data.products, key=lambda p: (p.popularity, p.code))[:AGED_SKUS]
    paths = []
    for n, (snapshot, charge) in enumerate(sorted(data.long_term_storage.items())):
        tiers = [rng.choice(TIERS) for _ in slow]
        volumes = [Decimal(rng.choice(("0.0875", "0.1520", "0.2210"))) for _ in slow]
        weights = [Decimal(rng.randint(2, 40)) * volume * rate
                   for volume, (_tier, rate) in zip(volumes, tiers, strict=True)]  # fmt: skip
        rows = []
        for product, volume, (tier, rate), fee in zip(
            slow, volumes, tiers, split_cents(charge, weights), strict=True
        ):
            units = max(1, round(fee / (volume * rate)))
            rows.append(
                [
                    snapshot.isoformat(),
                    product.code,
                    fnsku(product.code),
                    asin(product.code),
                    f"Lianxing {product.code} (aged stock)",
                    "New",
                    f"{volume}",
                    "USD",
                    "cubic feet",
                    "US",
                    str(units),
                    f"{fee:.2f}",
                    tier,
                    f"{rate:.2f}",
                ]
            )
        name = f"long-term-storage-fees-{snapshot:%Y-%m}"
        if n == 0:
            paths.append(write_report(directory / f"{name}.txt", LONG_TERM_HEADER, rows, "\t"))
        else:
            paths.append(
                write_report(directory / f"{name}.csv", LONG_TERM_HEADER, rows, "download")
            )
    return paths
