"""How a product-spec file updates the specs already imported (issue 12, item 8).

A column the file does not have keeps every SKU's value; a blank cell in a column the file
has would clear a value, so the import is refused (naming how many SKUs per field) unless
the user says `--clear-blanks`. The workspace's product catalogue (`products.csv`, with
tags, parent and owner) is a different file: it is recognised and explained, not read as
specs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from lianxing.errors import InputError
from lianxing.product_specs import GROUPS, ProductSpec

# Column fields of the importer → the group they belong to.
_FIELD_GROUP = {"length": "dimensions", "width": "dimensions", "height": "dimensions",
                "weight": "dimensions", "category": "category", "asin": "asin",
                "title": "title", "hts_code": "hts_code", "origin": "origin"}  # fmt: skip
CATALOGUE_FILE = "products.csv"
CATALOGUE_COLUMNS = ("parent", "tags", "owner")
_SPEC_ONLY = ("dimensions", "hts_code", "origin", "asin", "title")
_EXAMPLES = 3


def groups_of(fields: Iterable[str]) -> list[str]:
    """The groups a file's columns set, in GROUPS order."""
    found = {_FIELD_GROUP[f] for f in fields if f in _FIELD_GROUP}
    return [g for g in GROUPS if g in found]


def check_not_catalogue(path: Path, groups: Sequence[str], ignored: Sequence[str]) -> None:
    """Refuse the product catalogue (products.csv: sku, parent, category, tags, owner),
    which Lianxing reads from the workspace folder, when it is given as a spec file."""
    if any(g in _SPEC_ONLY for g in groups):
        return
    catalogue = [c for c in ignored if c in CATALOGUE_COLUMNS]
    if catalogue or path.name.lower() == CATALOGUE_FILE:
        raise InputError.at(
            "products.catalogue_file",
            file=str(path),
            line=1,
            columns=", ".join(catalogue) or CATALOGUE_FILE,
            name=CATALOGUE_FILE,
        )


def blanks(
    existing: dict[str, ProductSpec], specs: Sequence[ProductSpec], groups: Sequence[str]
) -> dict[str, list[str]]:
    """Per group, the SKUs whose value a blank cell of the file would clear."""
    cleared: dict[str, list[str]] = {}
    for spec in specs:
        old = existing.get(spec.sku)
        if old is None:
            continue
        for group in groups:
            attributes = GROUPS[group]
            new_blank = all(getattr(spec, a) is None for a in attributes)
            if new_blank and any(getattr(old, a) is not None for a in attributes):
                cleared.setdefault(group, []).append(spec.sku)
    return cleared


def counts_text(cleared: dict[str, list[str]]) -> str:
    """`dimensions: 12, hts_code: 3` (SKUs per field)."""
    return ", ".join(f"{group}: {len(skus)}" for group, skus in cleared.items())


def refuse_blanks(path: Path, cleared: dict[str, list[str]]) -> None:
    skus = sorted({s for found in cleared.values() for s in found})
    examples = ", ".join(skus[:_EXAMPLES]) + (", …" if len(skus) > _EXAMPLES else "")
    raise InputError.at(
        "products.would_clear",
        file=str(path),
        counts=counts_text(cleared),
        skus=examples,
    )
