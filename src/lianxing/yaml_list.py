"""Read the one list a definitions file holds (KPIs, targets), each entry with its line.

Definitions are YAML a person edits, so every problem must name the line it is on:
the file is composed once for the node marks and loaded once (safe loader) for the
values.

Before parsing, a definition file is bounded (`MAX_BYTES`), decoded as UTF-8 (a
byte-order mark is fine; Chinese GBK/GB18030 text, which Notepad saves as "ANSI", is
read as such with a notice saying so; other bytes are refused naming the line) and its
nesting is bounded (`MAX_DEPTH`, checked on
the token stream, which needs no recursion), so a broken file is an error naming file
and line, never a traceback.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from lianxing import notices
from lianxing.errors import InputError

MAX_BYTES = 2 * 1024 * 1024  # definition files are written by hand: 2 MB is ~40,000 lines
MAX_DEPTH = 40  # nested lists and mappings
MAX_ALIASES = 1000  # `*name` references (a few nested ones can expand to billions)
# Numbers in definitions (targets, weights, pay) stay below this: 1e400 is a valid
# Decimal that no amount can be rounded from (decimal.InvalidOperation).
MAX_NUMBER = Decimal("1e15")
_CJK = re.compile(r"[\u3400-\u9fff]")


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader, with dates left as text: each file checks its own dates and names
    the line of a bad one (YAML's own date parsing fails on 2026-13-01 with no line)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:timestamp"]
    for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode(data: bytes, file: str) -> str:
    """A definition file's bytes as text: UTF-8 (with or without a byte-order mark), or
    Chinese GBK/GB18030 — what Notepad saves as "ANSI" — read as such and said so (a
    notice); anything else is refused, naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if not _CJK.search(text):
            raise InputError.at("definition.not_utf8", file=file, line=line) from exc
        notices.note("definition.read_gbk", file=file)
        return text


def read_text(path: Path, limit: int | None = None) -> str:
    """A definition file's text, refused (naming it) when larger than `limit` bytes
    (`MAX_BYTES` when not given) or not UTF-8."""
    limit = MAX_BYTES if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        raise InputError.at(
            "definition.too_large", file=str(path), size=f"{size:,}", limit=f"{limit:,}"
        )
    return decode(path.read_bytes(), str(path))


_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)
_OPEN_FLOW = (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def check_shape(text: str, file: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` and more than `MAX_ALIASES` aliases, naming
    the line (the parser would otherwise recurse until Python gives up)."""
    depth = aliases = 0
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, _OPEN + _OPEN_FLOW):
            depth += 1
            if depth > MAX_DEPTH:
                line = token.start_mark.line + 1
                raise InputError.at("definition.too_deep", file=file, line=line, limit=MAX_DEPTH)
        elif isinstance(token, _CLOSE):
            depth -= 1
        elif isinstance(token, yaml.AliasToken):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = token.start_mark.line + 1
                raise InputError.at(
                    "definition.too_many_aliases", file=file, line=line, limit=MAX_ALIASES
                )


def yaml_error(exc: Exception, key: str, file: str) -> InputError:
    """The `key` error (a `detail` parameter) for what the YAML parser raised, at its line."""
    if isinstance(exc, RecursionError):  # deeper than check_shape sees (should not happen)
        return InputError.at("definition.too_deep", file=file, limit=MAX_DEPTH)
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    tag = re.search(r"constructor for the tag '([^']+)'", detail)
    if tag is not None:  # `!!python/object/…`: never run, and said plainly
        name = tag[1].replace("tag:yaml.org,2002:", "!!")
        return InputError.at("definition.tag", file=file, line=line, tag=name)
    return InputError.at(key, file=file, line=line, detail=detail)


def parse(text: str, file: str, prefix: str, loader: Any = _Loader) -> tuple[Any, Any]:
    """(node tree, data) of a definition file's text; errors use the `prefix`.yaml
    message, naming the line."""
    try:
        check_shape(text, file)
        root = yaml.compose(text, Loader=loader)
        check_unique_keys(root, file)
        return root, yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise yaml_error(exc, f"{prefix}.yaml", file) from exc


def check_unique_keys(root: Any, file: str) -> None:
    """Refuse a mapping that gives a key twice (`{from: 2026-01-01, from: 2026-03-15}`):
    YAML keeps the last one silently, so a slip would change pay unseen."""
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                todo.append(value)
                if not isinstance(key, yaml.ScalarNode):
                    continue
                line = key.start_mark.line + 1
                if key.value in seen:
                    raise InputError.at("definition.duplicate_key", file=file, line=line,
                                        name=key.value, first=seen[key.value])  # fmt: skip
                seen[key.value] = line


def entries(text: str, file: str, key: str, prefix: str) -> list[tuple[Any, int | None]]:
    """The `key:` list of a YAML text as (entry, line); errors use `prefix`.yaml and
    `prefix`.no_list messages."""
    root, data = parse(text, file, prefix)
    if data is None:
        raise InputError.at("definition.empty", file=file, line=1, name=key)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise InputError.at(f"{prefix}.no_list", file=file, line=1)
    lines: list[int | None] = []
    for name, value in root.value if root is not None else []:
        if name.value == key:
            lines = [item.start_mark.line + 1 for item in value.value]
    return [(entry, lines[i] if i < len(lines) else None) for i, entry in enumerate(data[key])]
