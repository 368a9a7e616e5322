"""Read the one list a definitions file holds (KPIs, targets), each entry with its line.

Definitions are YAML a person edits, so every problem must name the line it is on:
the file is composed once for the node marks and loaded once (safe loader) for the
values.
"""

from __future__ import annotations

from typing import Any

import yaml

from lianxing.errors import InputError


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader, with dates left as text: each file checks its own dates and names
    the line of a bad one (YAML's own date parsing fails on 2026-13-01 with no line)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:timestamp"]
    for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def entries(text: str, file: str, key: str, prefix: str) -> list[tuple[Any, int | None]]:
    """The `key:` list of a YAML text as (entry, line); errors use `prefix`.yaml and
    `prefix`.no_list messages."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError.at(f"{prefix}.yaml", file=file, line=line, detail=detail) from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise InputError.at(f"{prefix}.no_list", file=file, line=1)
    lines: list[int | None] = []
    for name, value in root.value if root is not None else []:
        if name.value == key:
            lines = [item.start_mark.line + 1 for item in value.value]
    return [(entry, lines[i] if i < len(lines) else None) for i, entry in enumerate(data[key])]
