"""Which imported report each measure needs (`sources:` of the KPI catalogue).

A measure with a declared source is known for a store and period only when a file of
one of the source's kinds covers a day of that period for that store (or its rows are
there anyway); otherwise it is "no data" — never 0 — and so is every KPI computed from
it. `lianxing.store.kpi_sql` turns this into a coverage join; `lianxing doctor` names
the stores that lack a source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lianxing import yaml_list
from lianxing.data import read_data
from lianxing.errors import InputError, Problem

CATALOGUE = "kpis.yaml"
FIELDS = {"name", "kinds", "measures", "label"}


@dataclass(frozen=True)
class Source:
    name: str
    kinds: tuple[str, ...]
    measures: tuple[str, ...]
    label: dict[str, str]


def _words(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(v, str) and v for v in value):
        return None
    return tuple(value)


def parse_sources(text: str, file: str) -> list[Source]:
    """The `sources:` list of a catalogue text; every problem names file and line."""
    problems: list[Problem] = []
    found: list[Source] = []
    seen: set[str] = set()
    for entry, line in yaml_list.entries(text, file, "sources", "kpi"):
        ok = isinstance(entry, dict) and not set(entry) - FIELDS
        name = str(entry.get("name", "")) if isinstance(entry, dict) else ""
        kinds = _words(entry.get("kinds")) if ok else None
        measures = _words(entry.get("measures")) if ok else None
        label = entry.get("label") if ok else None
        if (
            not name.isidentifier()
            or kinds is None
            or measures is None
            or not isinstance(label, dict)
            or not all(isinstance(label.get(lang), str) for lang in ("en", "zh"))
            or name in seen
        ):
            problems.append(Problem("kpi.bad_source", {"source": name}, file, line))
            continue
        seen.add(name)
        found.append(Source(name, kinds, measures, {"en": label["en"], "zh": label["zh"]}))
    taken: dict[str, str] = {}
    for source in found:
        for measure in source.measures:
            if measure in taken:
                problems.append(Problem("kpi.bad_source", {"source": source.name}, file, None))
            taken[measure] = source.name
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return found


@lru_cache(maxsize=1)
def catalogue_sources() -> tuple[Source, ...]:
    """The built-in catalogue's sources."""
    return tuple(parse_sources(read_data(CATALOGUE), CATALOGUE))


def measure_sources() -> dict[str, Source]:
    """Measure → the source it needs (measures not listed need none)."""
    return {m: s for s in catalogue_sources() for m in s.measures}
