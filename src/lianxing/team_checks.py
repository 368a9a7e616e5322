"""Checks across the team's files: every name one file gives another must exist there.

A typo in people.yaml or targets.yaml — a tag no SKU of products.csv carries, a person
or team not in people.yaml, a store not in lianxing.toml, a SKU neither products.csv
nor any imported report knows — would otherwise change scores and pay silently (a tag
that owns nothing leaves its SKUs to the store's manager). Each is refused with the
file and line it is on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lianxing.errors import InputError, Problem
from lianxing.people import Person

MAX_KNOWN = 12  # names listed in a message as what exists


def _known(names: Iterable[str]) -> str:
    found = sorted(set(names))
    shown = ", ".join(found[:MAX_KNOWN]) + (", …" if len(found) > MAX_KNOWN else "")
    return shown or "—"


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems[0].key, problems=problems)


def check_people(
    people: Sequence[Person], tags: dict[str, tuple[str, ...]], skus: set[str]
) -> None:
    """Tags owned must be carried by a SKU of products.csv (`tags`: SKU → tags); SKUs
    owned must be known (`skus`: products.csv and the ledger; unchecked while empty)."""
    carried = {tag for sku_tags in tags.values() for tag in sku_tags}
    problems = []
    for person in people:
        for own in person.owns:
            if own.kind == "tag" and own.value not in carried:
                params = {"person": person.id, "tag": own.value, "known": _known(carried)}
                problems.append(Problem("people.unknown_tag", params, own.file, own.line))
            elif own.kind == "sku" and skus and own.value not in skus:
                params = {"person": person.id, "sku": own.value}
                problems.append(Problem("people.unknown_sku", params, own.file, own.line))
    _refuse(problems)


def check_targets(
    targets: Sequence[Any], people: Sequence[Person], stores: set[str], skus: set[str]
) -> None:
    """Each target's scope names a person, team, store or SKU that exists."""
    names = {
        "person": {p.id for p in people},
        "team": {p.team for p in people if p.team},
        "store": stores,
        "sku": skus,
    }
    problems = []
    for target in targets:
        known = names.get(target.scope)
        if known is None or target.scope_value in known or (target.scope == "sku" and not skus):
            continue
        params = {"scope": target.label, "known": _known(known)}
        problems.append(Problem(f"targets.unknown_{target.scope}", params, target.file,
                                target.line))  # fmt: skip
    _refuse(problems)


def check_audiences(items: Sequence[Any], people: Sequence[Person], file: str) -> None:
    """Scorecards and pay plans (`file`) apply to people and teams that exist."""
    ids = {p.id for p in people}
    teams = {p.team for p in people if p.team}
    problems = []
    for item in items:
        for person in item.people:
            if person not in ids:
                params = {"name": item.name, "person": person, "known": _known(ids)}
                problems.append(Problem("team.audience_person", params, file, item.line))
        if item.team is not None and item.team not in teams:
            params = {"name": item.name, "team": item.team, "known": _known(teams)}
            problems.append(Problem("team.audience_team", params, file, item.line))
    _refuse(problems)
