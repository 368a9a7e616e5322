"""The canonical category tree, loaded from `data/categories.toml`.

A category says how its money counts (profit and loss, pass-through tax, or a balance
movement) and which profit-report column it rolls up into. The tree is data so that
a new platform code never needs a code change — only a mapping.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from lianxing.data import read_data

KINDS = ("pnl", "pass_through", "balance")
UNMAPPED = "unmapped"
FEE_TAX = "fee_tax"


@dataclass(frozen=True)
class Column:
    id: str
    en: str
    zh: str


@dataclass(frozen=True)
class Category:
    code: str
    kind: str
    column: str | None
    en: str
    zh: str

    @property
    def group(self) -> str:
        """The top of the tree: `platform_fees` for `platform_fees.referral`."""
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class CategoryTree:
    version: int
    columns: tuple[Column, ...]
    categories: tuple[Category, ...]

    def get(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    def codes(self) -> set[str]:
        return {c.code for c in self.categories}

    def kinds(self, *, fee_tax_recoverable: bool = False) -> dict[str, str]:
        """Category → kind, after workspace settings (recoverable fee tax is a balance)."""
        kinds = {c.code: c.kind for c in self.categories}
        if fee_tax_recoverable:
            kinds[FEE_TAX] = "balance"
        return kinds


@cache
def load_categories() -> CategoryTree:
    text = read_data("categories.toml")
    raw = tomllib.loads(text)
    columns = tuple(Column(c["id"], c["en"], c["zh"]) for c in raw["columns"])
    column_ids = {c.id for c in columns}
    categories = []
    for entry in raw["category"]:
        category = Category(
            code=entry["code"],
            kind=entry["kind"],
            column=entry.get("column"),
            en=entry["en"],
            zh=entry["zh"],
        )
        # The data file is part of the program: a typo here is a bug, fail loudly.
        if category.kind not in KINDS:
            raise ValueError(f"categories.toml: {category.code} has unknown kind {category.kind}")
        if category.kind == "pnl" and category.column not in column_ids:
            raise ValueError(f"categories.toml: {category.code} needs a known column")
        categories.append(category)
    return CategoryTree(raw["version"], columns, tuple(categories))
