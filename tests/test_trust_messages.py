"""Every message code the code can raise or show exists in English and Chinese, and every
literal call passes the fields its text needs (issue 12, item 15: `lianxing whatif` raised
`report.missing_rates`, which had no text; people.yaml's errors needed a `{file}` no one
passed: both ended in a traceback instead of a message)."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

from lianxing.i18n import MESSAGES

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lianxing"
KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
NAMESPACES = {key.split(".")[0] for key in MESSAGES}
# "products.csv", "walmart.com": names of files and sites, not message codes.
NOT_KEYS = re.compile(r".*\.(csv|com|yaml|toml|txt|json|xlsx|gz|html|md|duckdb)")
# Errors and text: the located error's where-fields are not message fields.
RAISERS = {"InputError", "WorkspaceError", "LianxingError", "t", "at"}
WHERE = {"file", "line", "column"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name.endswith("messages.py") or path.parent.name == "messages":
            continue
        if path.name == "i18n.py":
            continue
        yield str(path.relative_to(SOURCE)), ast.parse(path.read_text("utf-8"))


def keyword_values(tree: ast.Module) -> set[int]:
    """ids of the constants passed as keyword arguments (`column="file.date_format"`) and
    of the parts of f-strings (`f"import.summary_{s}"`: checked as a whole below)."""
    passed = {
        id(k.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for k in node.keywords
        if k.arg != "key"
    }
    parts = {
        id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values
    }
    return passed | parts


def codes_in_source() -> dict[str, str]:
    """Every literal that reads as a message code (`namespace.name`), with where it is."""
    found: dict[str, str] = {}
    for name, tree in modules():
        skip = keyword_values(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and KEY.fullmatch(node.value)
                and node.value.split(".")[0] in NAMESPACES
                and not NOT_KEYS.fullmatch(node.value)
            ):
                found.setdefault(node.value, f"{name}:{node.lineno}")
    return found


def test_the_scan_sees_the_codes_of_errors_and_texts() -> None:
    found = codes_in_source()
    # one of each way a code is written: InputError.at, t(), a local bad(), a Check tuple
    assert {"whatif.bad_tariff", "workspace.none", "pay.bad_rule", "doctor.missing_rates"} <= (
        set(found)
    )


def test_every_code_in_the_source_has_messages_in_both_languages() -> None:
    missing = {code: where for code, where in codes_in_source().items() if code not in MESSAGES}
    assert not missing, missing
    for code in codes_in_source():
        en, zh = MESSAGES[code]
        assert en.strip() and re.search(r"[\u4e00-\u9fff]", zh), code


def test_every_code_built_from_parts_matches_a_message() -> None:
    """f"team.status.{status}" must match at least one code; `yaml_list.entries(…, prefix)`
    and `yaml_list.parse(…, prefix)` raise `prefix.yaml` (and `prefix.no_list`)."""
    unmatched = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                head = first.value.split(".")[0]
                if "." not in first.value or " " in first.value or head not in NAMESPACES:
                    continue
                pattern = "".join(
                    re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z0-9_.]+"
                    for v in node.values
                )
                if not any(re.fullmatch(pattern, key) for key in MESSAGES):
                    unmatched.append(f"{name}:{node.lineno} {pattern}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                prefixes = {"entries": 3, "parse": 2}
                index = prefixes.get(node.func.attr)
                value = getattr(node.func.value, "id", None)
                if index is None or value != "yaml_list" or len(node.args) <= index:
                    continue
                prefix = node.args[index]
                if isinstance(prefix, ast.Constant):
                    suffixes = ("yaml", "no_list") if node.func.attr == "entries" else ("yaml",)
                    for suffix in suffixes:
                        if f"{prefix.value}.{suffix}" not in MESSAGES:
                            unmatched.append(f"{name}:{node.lineno} {prefix.value}.{suffix}")
    assert not unmatched, unmatched


def fields(text: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_literal_call_passes_the_fields_its_message_needs() -> None:
    """`InputError.at("people.yaml", file=…, detail=…)` whose text says `{file}` fails
    when shown (the file goes to the located problem, not to the text)."""
    wrong = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            code = node.args[0]
            if callee not in RAISERS or not isinstance(code, ast.Constant):
                continue
            if code.value not in MESSAGES or any(k.arg is None for k in node.keywords):
                continue  # no such code: the test above says so; **params: cannot tell
            given = {k.arg for k in node.keywords if k.arg}
            if callee == "at":
                given -= WHERE
            for lang, text in zip(("en", "zh"), MESSAGES[code.value], strict=True):
                needed = fields(text) - given
                if needed:
                    wrong.append(f"{name}:{node.lineno} {code.value} ({lang}) lacks {needed}")
    assert not wrong, wrong
