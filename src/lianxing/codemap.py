"""Platform codes → canonical categories, as data.

Rules come from `data/mappings/<platform>.toml` and from the workspace's own
`[[mappings]]` in lianxing.toml. Each rule matches a ledger cell on layout,
transaction type, amount type and amount description (globs, case-insensitive), within
optional effective dates. The most specific rule wins; see the mapping file's header.
A cell no rule matches is `unmapped` — imported, counted, and reported, never dropped.
"""

from __future__ import annotations

import hashlib
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from lianxing.categories import UNMAPPED, load_categories
from lianxing.data import read_data

FIELDS = ("layout", "transaction_type", "amount_type", "amount_description")


def _patterns(value: Any) -> tuple[str, ...]:
    if value is None:
        return ("*",)
    if isinstance(value, str):
        return (value.lower(),)
    return tuple(str(v).lower() for v in value)


def _literal_length(pattern: str) -> int:
    return sum(1 for ch in pattern if ch not in "*?[]")


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    layout: tuple[str, ...] = ("*",)
    transaction_type: tuple[str, ...] = ("*",)
    amount_type: tuple[str, ...] = ("*",)
    amount_description: tuple[str, ...] = ("*",)
    effective_from: date | None = None
    effective_to: date | None = None
    rank: int = 0  # workspace rules rank above built-in ones on a tie

    def score(self, cell: tuple[str, str, str, str], day: date | None) -> tuple[int, ...] | None:
        """How specifically this rule matches the cell, or None when it does not."""
        if day is not None:
            if self.effective_from and day < self.effective_from:
                return None
            if self.effective_to and day >= self.effective_to:
                return None
        fields = 0
        literal = 0
        for patterns, value in zip(
            (self.layout, self.transaction_type, self.amount_type, self.amount_description),
            cell,
            strict=True,
        ):
            if patterns == ("*",):
                continue
            matched = [p for p in patterns if fnmatchcase(value, p)]
            if not matched:
                return None
            fields += 1
            literal += max(_literal_length(p) for p in matched)
        return (fields, literal, self.rank)


@dataclass(frozen=True)
class KindRule:
    transaction_type: tuple[str, ...]
    kind: str


def rule_from_mapping(
    entry: Mapping[str, Any], *, rule_id: str, rank: int, default_from: Any = None
) -> Rule:
    """Build a rule from one TOML table; raises ValueError naming what is wrong."""
    unknown = set(entry) - {*FIELDS, "category", "effective_from", "effective_to", "platform"}
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    category = entry.get("category")
    if category not in load_categories().codes():
        raise ValueError(f"unknown category {category!r}")

    def as_date(value: Any) -> date | None:
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(str(value))

    return Rule(
        id=rule_id,
        category=category,
        layout=_patterns(entry.get("layout")),
        transaction_type=_patterns(entry.get("transaction_type")),
        amount_type=_patterns(entry.get("amount_type")),
        amount_description=_patterns(entry.get("amount_description")),
        effective_from=as_date(entry.get("effective_from", default_from)),
        effective_to=as_date(entry.get("effective_to")),
        rank=rank,
    )


@cache
def _builtin(platform: str) -> tuple[tuple[Rule, ...], tuple[KindRule, ...], int]:
    name = f"{platform}.toml"
    text = read_data(f"mappings/{name}")
    raw = tomllib.loads(text)
    default_from = raw.get("effective_from")
    rules = tuple(
        rule_from_mapping(entry, rule_id=f"{name}#{n}", rank=0, default_from=default_from)
        for n, entry in enumerate(raw.get("rule", []), start=1)
    )
    kinds = tuple(
        KindRule(_patterns(k["transaction_type"]), k["kind"]) for k in raw.get("kind", [])
    )
    return rules, kinds, int(raw["version"])


# Resolutions by rule-set fingerprint (see CodeMap.resolve).
_RESOLVED: dict[str, dict[tuple[object, ...], tuple[str, str | None]]] = {}


class CodeMap:
    """Resolves a platform's codes to categories, built-in rules plus the workspace's."""

    def __init__(self, platform: str, extra: Iterable[Rule] = ()):
        builtin, kinds, version = _builtin(platform)
        self.platform = platform
        self.version = version
        self.rules = (*builtin, *extra)
        self.kinds = kinds
        # Every date a rule starts or stops applying: between two of them the same rules
        # apply, so one resolution serves every day of that stretch (a settlement has
        # hundreds of distinct days but rarely crosses a boundary).
        self._bounds = sorted(
            {d for r in self.rules for d in (r.effective_from, r.effective_to) if d is not None}
        )
        # Changes whenever any rule does: a file mapped with other rules is re-mapped.
        text = repr((self.platform, self.version, self.rules, self.kinds))
        self.fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        # The same rules resolve a code the same way: the files of a folder share what
        # earlier files resolved (a year of Date Range rows has hundreds of codes, each
        # scored against every rule).
        self._resolved = _RESOLVED.setdefault(self.fingerprint, {})

    def resolve(
        self,
        layout: str,
        transaction_type: str | None,
        amount_type: str | None,
        amount_description: str | None,
        day: date | None = None,
    ) -> tuple[str, str | None]:
        """(category, rule id) for one cell; ('unmapped', None) when no rule matches."""
        stretch = None if day is None else bisect_right(self._bounds, day)
        key = (layout, transaction_type, amount_type, amount_description, stretch)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolve(layout, transaction_type, amount_type, amount_description, day)
            self._resolved[key] = found
        return found

    def _resolve(
        self,
        layout: str,
        transaction_type: str | None,
        amount_type: str | None,
        amount_description: str | None,
        day: date | None,
    ) -> tuple[str, str | None]:
        cell = tuple(
            (v or "").lower() for v in (layout, transaction_type, amount_type, amount_description)
        )
        best: tuple[tuple[int, ...], int, Rule] | None = None
        for index, rule in enumerate(self.rules):
            score = rule.score(cell, day)  # type: ignore[arg-type]
            if score is not None and (best is None or (score, index) > best[:2]):
                best = (score, index, rule)
        if best is None:
            return UNMAPPED, None
        return best[2].category, best[2].id

    def kind(self, transaction_type: str | None) -> str:
        """order / refund / other: which event a transaction type records."""
        value = (transaction_type or "").lower()
        for rule in self.kinds:
            if any(fnmatchcase(value, p) for p in rule.transaction_type):
                return rule.kind
        return "other"
