"""The team (`people.yaml`): who works on the business and what each person owns, when.

Each person has an id, a name, a role (owner, manager, operator, finance, viewer), a
team and what they own — stores, SKUs or tags (from products.csv) — each from a date
and, for a handover, to a date. Ownership decides whose numbers a ledger row is: the
most specific scope in force on the row's business date wins (a SKU over a tag over a
store), so an operator who owns a SKU inside a manager's store is scored on it, and the
store's other SKUs stay the manager's. Two people owning the same store, SKU or tag on
the same day is refused, naming both lines; so is a SKU whose tags two people own on
the same day. A handover mid-month splits the month by date: nothing is counted twice
or lost, and a row nobody owns is reported as unowned.

Operators and managers must own something; the owner, finance and viewers see the
whole business and may own nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml

from lianxing import yaml_list
from lianxing.errors import InputError, Problem

FILE = "people.yaml"
ROLES = ("owner", "manager", "operator", "finance", "viewer")
# Roles that are scored on what they own, so they must own something.
SCOPED_ROLES = ("manager", "operator")
FIELDS = {"id", "name", "role", "team", "owns"}
SCOPE_KINDS = ("sku", "tag", "store")  # most specific first
OWN_FIELDS = {*SCOPE_KINDS, "from", "to"}  # sku/tag with store: in that store only
# How specific each kind of scope is: a higher level wins.
LEVEL = {"sku": 3, "tag": 2, "store": 1}
ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
MAX_TEXT = 100


@dataclass(frozen=True)
class Ownership:
    """One scope a person owns from `start` to `end` (inclusive; None: open)."""

    person: str
    kind: str  # sku | tag | store
    value: str
    start: date
    end: date | None
    file: str
    line: int | None
    store: str | None = None  # a SKU or tag in this store only (None: in every store)

    def overlaps(self, other: Ownership) -> bool:
        """Whether both are in force on some day in some store."""
        stores = self.store is None or other.store is None or self.store == other.store
        return (
            stores
            and (self.end is None or other.start <= self.end)
            and (other.end is None or self.start <= other.end)
        )


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    team: str | None
    owns: tuple[Ownership, ...] = field(default=())
    file: str = FILE
    line: int | None = None


class Audience:
    """Whom a scorecard or pay plan is for: named people, else a team and/or a role. A
    class that mixes this in declares `role`, `team` and `people` itself."""

    role: str | None
    team: str | None
    people: tuple[str, ...]

    def applies(self, person: Person) -> bool:
        if self.people:
            return person.id in self.people
        if self.team is not None and person.team != self.team:
            return False
        return self.role is None or person.role == self.role

    @property
    def specificity(self) -> int:
        """Named people beat a team and role, which beat a team, which beats a role."""
        return 4 if self.people else (2 if self.team else 0) + (1 if self.role else 0)


AudienceT = TypeVar("AudienceT", bound=Audience)
AUDIENCE_FIELDS = {"role", "team", "people"}


def parse_audience(applies: Any) -> tuple[str | None, str | None, tuple[str, ...]] | None:
    """An `applies_to:` mapping (role, team and/or people) as (role, team, people);
    None when it is not one (empty, unknown keys, an unknown role, people not a list)."""
    if not isinstance(applies, dict) or not applies or set(applies) - AUDIENCE_FIELDS:
        return None
    if "role" in applies and applies["role"] not in ROLES:
        return None
    people = applies.get("people") or []
    if not isinstance(people, list):
        return None
    team = str(applies["team"]) if applies.get("team") else None
    return applies.get("role"), team, tuple(str(p) for p in people)


def most_specific(person: Person, found: Sequence[AudienceT]) -> AudienceT | None:
    """The most specific of `found` that applies to the person (None: none does)."""
    mine = [item for item in found if item.applies(person)]
    return max(mine, key=lambda item: item.specificity) if mine else None


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _child_lines(text: str) -> list[list[int]]:
    """For each person entry, the line of each item of its `owns` list."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: list[list[int]] = []
    for key, value in root.value if root is not None else []:
        if key.value != "people" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            lines: list[int] = []
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if k.value == "owns" and isinstance(v, yaml.SequenceNode):
                        lines = [o.start_mark.line + 1 for o in v.value]
            found.append(lines)
    return found


def _ownership(
    person: str, raw: Any, file: str, line: int | None, problems: list[Problem]
) -> Ownership | None:
    def bad(key: str, **params: Any) -> None:
        problems.append(Problem(key, {"person": person, **params}, file, line))

    if not isinstance(raw, dict):
        bad("people.bad_scope")
        return None
    unknown = sorted(set(raw) - OWN_FIELDS)
    # A SKU or a tag may name the store it is owned in; a store alone is the store.
    kinds = [k for k in ("sku", "tag") if k in raw] or (["store"] if "store" in raw else [])
    if unknown or len(kinds) != 1:
        bad("people.bad_scope")
        return None
    kind = kinds[0]
    store = str(raw["store"]).strip() if kind != "store" and raw.get("store") else None
    value = str(raw[kind]).strip()
    if not value or len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        bad("people.bad_scope")
        return None
    start = _day(raw.get("from", "1970-01-01"))
    end = _day(raw["to"]) if raw.get("to") is not None else None
    if start is None or (raw.get("to") is not None and end is None):
        bad("people.bad_date")
        return None
    if end is not None and end < start:
        bad("people.bad_date")
        return None
    return Ownership(person, kind, value, start, end, file, line, store)


def load_people(path: Path, stores: Iterable[str] = ()) -> list[Person]:
    """The workspace's team (none when it has no people.yaml); `stores` are the store
    ids a store scope may name."""
    if not path.is_file():
        return []
    file = str(path)
    text = yaml_list.read_text(path)
    found = yaml_list.entries(text, file, "people", "people")
    child_lines = _child_lines(text)
    known_stores = set(stores)
    problems: list[Problem] = []
    people: list[Person] = []
    seen: dict[str, int | None] = {}
    for index, (entry, line) in enumerate(found):

        def bad(key: str, line: int | None = line, **params: Any) -> None:
            problems.append(Problem(key, params, file, line))

        if not isinstance(entry, dict):
            bad("people.not_a_mapping")
            continue
        unknown = sorted(set(entry) - FIELDS)
        if unknown:
            bad("people.unknown_field", fields=", ".join(unknown))
        pid = str(entry.get("id", ""))
        if not ID.fullmatch(pid):
            bad("people.bad_id", person=pid)
            continue
        if pid in seen:
            bad("people.duplicate", person=pid, first=seen[pid])
            continue
        seen[pid] = line
        role = entry.get("role")
        if role not in ROLES:
            bad("people.bad_role", person=pid, choices=", ".join(ROLES))
            continue
        name = str(entry.get("name") or pid)[:MAX_TEXT]
        team = str(entry["team"])[:MAX_TEXT] if entry.get("team") else None
        raw_owns = entry.get("owns") or []
        if not isinstance(raw_owns, list):
            bad("people.bad_scope", person=pid)
            continue
        lines = child_lines[index] if index < len(child_lines) else []
        owns = []
        for i, raw in enumerate(raw_owns):
            own_line = lines[i] if i < len(lines) else line
            own = _ownership(pid, raw, file, own_line, problems)
            if own is None:
                continue
            store = own.value if own.kind == "store" else own.store
            if store is not None and known_stores and store not in known_stores:
                problems.append(
                    Problem("people.unknown_store", {"person": pid, "store": store}, file, own_line)
                )
                continue
            owns.append(own)
        refused = any(p.params.get("person") == pid for p in problems)
        if not owns and role in SCOPED_ROLES and not refused:
            bad("people.no_scope", person=pid, role=role)
        people.append(Person(pid, name, role, team, tuple(owns), file, line))
    problems.extend(_overlaps([o for p in people for o in p.owns]))
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return people


def _overlaps(owns: Sequence[Ownership]) -> list[Problem]:
    """Two people owning the same scope on one day (one person's own overlapping
    lines merge: the same owner either way)."""
    problems = []
    by_scope: dict[tuple[str, str], list[Ownership]] = {}
    for own in owns:
        by_scope.setdefault((own.kind, own.value), []).append(own)
    for (kind, value), group in by_scope.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.person != b.person and a.overlaps(b):
                    day = max(a.start, b.start)
                    problems.append(
                        Problem(
                            "people.overlap",
                            {
                                "scope": f"{kind}:{value}" + (f"@{b.store}" if b.store else ""),
                                "a": a.person,
                                "b": b.person,
                                "day": day.isoformat(),
                                "other_line": a.line,
                            },
                            b.file,
                            b.line,
                        )
                    )
    return problems


@dataclass(frozen=True)
class Span:
    """A resolved piece of ownership: `person` owns rows of `store_id` (None: any
    store) and `sku` (None: any SKU of the store) from `start` to `end`, at `level`
    (a SKU-level span beats a store-level one on the same row)."""

    person: str
    store_id: str | None
    sku: str | None
    start: date
    end: date | None
    level: int


def spans(people: Sequence[Person], tags: dict[str, tuple[str, ...]]) -> list[Span]:
    """Every person's ownership as spans over stores and SKUs: tags become the SKUs that
    carry them (`tags`: SKU → tags, from products.csv). A SKU whose tags two people own
    on the same day is refused — it would have two owners."""
    by_tag: dict[str, list[str]] = {}
    for sku, sku_tags in tags.items():
        for tag in sku_tags:
            by_tag.setdefault(tag, []).append(sku)
    found: list[Span] = []
    tag_owns: dict[str, list[Ownership]] = {}
    for person in people:
        for own in person.owns:
            if own.kind == "store":
                found.append(Span(person.id, own.value, None, own.start, own.end, LEVEL["store"]))
            elif own.kind == "sku":
                found.append(
                    Span(person.id, own.store, own.value, own.start, own.end, LEVEL["sku"])
                )
            else:
                for sku in sorted(by_tag.get(own.value, [])):
                    tag_owns.setdefault(sku, []).append(own)
                    found.append(Span(person.id, own.store, sku, own.start, own.end, LEVEL["tag"]))
    problems = []
    for sku, owns in sorted(tag_owns.items()):
        for i, a in enumerate(owns):
            for b in owns[i + 1 :]:
                if a.person != b.person and a.overlaps(b):
                    problems.append(
                        Problem(
                            "people.tag_overlap",
                            {
                                "sku": sku,
                                "a": a.person,
                                "b": b.person,
                                "tag_a": a.value,
                                "tag_b": b.value,
                                "day": max(a.start, b.start).isoformat(),
                            },
                            b.file,
                            b.line,
                        )
                    )
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return found


def owner_on(found: Sequence[Span], store_id: str, sku: str | None, day: date) -> str | None:
    """Who owns a row of `store_id` and `sku` on `day` (None: nobody) — the same rule
    the KPI query applies in SQL, kept here for tests and for one-off questions."""
    best: Span | None = None
    for span in found:
        if span.store_id not in (None, store_id):
            continue
        if span.sku is not None and span.sku != sku:
            continue
        if not (span.start <= day and (span.end is None or day <= span.end)):
            continue
        if best is None or span.level > best.level:
            best = span
    return best.person if best else None
