"""KPI definitions: declared as data (YAML), checked before anything runs.

The catalogue ships in `data/kpis.yaml`; a workspace's own `kpis.yaml` adds KPIs or
replaces built-in ones of the same name. Every problem — invalid YAML, an unknown
field, measure or KPI, an expression that is not arithmetic, a cycle between derived
KPIs — is reported with the file and line it comes from. `lianxing.store.kpi_sql`
compiles the checked definitions to SQL.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lianxing import yaml_list
from lianxing.data import read_data
from lianxing.errors import InputError, Problem

KINDS = ("simple", "ratio", "derived", "snapshot", "rolling")
# A rolling KPI's window: at least a day, at most a year.
MAX_WINDOW = 366
UNITS = ("money", "money_per_unit", "percent", "ratio", "count", "days")
DIRECTIONS = ("higher", "lower", "band")  # band: kept between a floor and a ceiling
COMPARES = ("difference", "percent")
FIELDS = {
    "name",
    "kind",
    "measure",
    "sign",
    "numerator",
    "denominator",
    "expression",
    "of",
    "window",
    "currency",
    "unit",
    "direction",
    "compare",
    "label",
    "description",
    "below_month",
}
CATALOGUE = "kpis.yaml"
# Names a KPI cannot take: they are the columns of a KPI report (group keys, period) or
# the columns `--compare` adds.
RESERVED = {"period", "store", "platform", "sku", "parent", "category", "tag", "owner",
            "person", "team", "total"}  # fmt: skip
RESERVED_SUFFIXES = ("_before", "_change")


@dataclass(frozen=True)
class Kpi:
    name: str
    kind: str
    unit: str
    direction: str
    compare: str
    label: dict[str, str]
    description: dict[str, str]
    measure: str | None = None
    sign: int = 1
    numerator: str | None = None
    denominator: str | None = None
    expression: str | None = None
    of: str | None = None  # rolling: the KPI (or measure) taken over the window
    window: int | None = None  # rolling: trailing days, ending on the period's last day
    currency: str | None = None  # money in this currency whatever the report's
    file: str = CATALOGUE
    line: int | None = None
    # Below a month (day, week grain): KPIs or measures this one reads instead of others
    # (ACoS reads the ads report's own daily spend, not the charge dated on its invoice).
    below_month: tuple[tuple[str, str], ...] = ()

    def references(self) -> list[str]:
        """The KPIs or measures this one is computed from (at any grain)."""
        swapped = [new for _, new in self.below_month]
        if self.kind in ("simple", "snapshot"):
            return [self.measure or ""]
        if self.kind == "ratio":
            return [self.numerator or "", self.denominator or "", *swapped]
        if self.kind == "rolling":
            return [self.of or "", *swapped]
        return [*expression_names(self.expression or ""), *swapped]


def parse_expression(text: str) -> ast.expr:
    """The expression's tree; only numbers, names, + - * / and parentheses."""
    tree = ast.parse(text, mode="eval").body
    for node in ast.walk(tree):
        allowed = (
            ast.BinOp,
            ast.UnaryOp,
            ast.Name,
            ast.Constant,
            ast.Load,
            ast.Add,
            ast.Sub,
            ast.Mult,
            ast.Div,
            ast.USub,
            ast.UAdd,
        )
        if not isinstance(node, allowed):
            raise ValueError(f"'{ast.unparse(node)}' is not allowed")
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool)
            or not isinstance(node.value, int | float)
            or not math.isfinite(node.value)
            or abs(node.value) > 1e12
        ):
            raise ValueError(f"'{node.value!r}' is not a number Lianxing takes")
    return tree


def expression_names(text: str) -> list[str]:
    try:
        tree = parse_expression(text)
    except (SyntaxError, ValueError):
        return []
    return sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})


def _kpi(entry: Any, file: str, line: int | None, problems: list[Problem]) -> Kpi | None:
    def bad(key: str, **params: Any) -> None:
        problems.append(Problem(key, params, file, line))

    if not isinstance(entry, dict):
        bad("kpi.not_a_mapping")
        return None
    name = str(entry.get("name", ""))
    unknown = sorted(set(entry) - FIELDS)
    if unknown:
        bad("kpi.unknown_field", kpi=name, fields=", ".join(unknown))
    if (
        not name.isidentifier()
        or name != name.lower()
        or name in RESERVED
        or name.endswith(RESERVED_SUFFIXES)
    ):
        bad("kpi.bad_name", kpi=name)
        return None
    choices = {
        "kind": KINDS,
        "unit": UNITS,
        "direction": DIRECTIONS,
        "compare": COMPARES,
    }
    for key, allowed in choices.items():
        if entry.get(key) not in allowed:
            bad("kpi.bad_choice", kpi=name, field=key, choices=", ".join(allowed))
            return None
    kind = entry["kind"]
    needed = {
        "simple": ("measure",),
        "snapshot": ("measure",),
        "ratio": ("numerator", "denominator"),
        "rolling": ("of",),
    }.get(kind, ("expression",))
    for key in needed:
        if not isinstance(entry.get(key), str) or not entry[key]:
            bad("kpi.missing", kpi=name, field=key)
            return None
    if kind == "derived":
        try:
            parse_expression(entry["expression"])
        except (SyntaxError, ValueError) as exc:
            bad("kpi.bad_expression", kpi=name, detail=str(exc))
            return None
    window = entry.get("window")
    if kind == "rolling" and (
        isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW
    ):
        bad("kpi.bad_window", kpi=name, most=MAX_WINDOW)
        return None
    if kind != "rolling" and window is not None:
        bad("kpi.window_not_rolling", kpi=name)
        return None
    currency = entry.get("currency")
    if currency is not None and (
        not isinstance(currency, str) or len(currency) != 3 or not currency.isascii()
        or not currency.isalpha() or not currency.isupper() or kind == "snapshot"
    ):  # fmt: skip
        bad("kpi.bad_currency", kpi=name, value=str(currency))
        return None
    below = entry.get("below_month", {})
    if (
        not isinstance(below, dict)
        or (below and kind in ("simple", "snapshot"))
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in below.items())
    ):
        bad("kpi.bad_below_month", kpi=name)
        return None
    sign = entry.get("sign", 1)
    if sign not in (1, -1):
        bad("kpi.bad_choice", kpi=name, field="sign", choices="1, -1")
        return None
    texts = {}
    for key in ("label", "description"):
        value = entry.get(key)
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), str) and value[lang] for lang in ("en", "zh")
        ):
            bad("kpi.missing", kpi=name, field=f"{key}.en / {key}.zh")
            return None
        texts[key] = {"en": value["en"], "zh": value["zh"]}
    return Kpi(
        name=name,
        kind=kind,
        unit=entry["unit"],
        direction=entry["direction"],
        compare=entry["compare"],
        label=texts["label"],
        description=texts["description"],
        measure=entry.get("measure"),
        sign=sign,
        numerator=entry.get("numerator"),
        denominator=entry.get("denominator"),
        expression=entry.get("expression"),
        of=entry.get("of"),
        window=window,
        currency=currency,
        file=file,
        line=line,
        below_month=tuple(sorted(below.items())),
    )


def _check_graph(
    kpis: dict[str, Kpi], measures: set[str], problems: list[Problem], snapshots: set[str]
) -> None:
    for kpi in kpis.values():
        for ref in kpi.references():
            # A simple or snapshot KPI sums a measure; the others combine KPIs (or measures).
            direct = kpi.kind in ("simple", "snapshot")
            known = ref in measures if direct else ref in kpis or ref in measures
            if not known:
                key = "kpi.unknown_measure" if direct else "kpi.unknown_ref"
                problems.append(Problem(key, {"kpi": kpi.name, "ref": ref}, kpi.file, kpi.line))
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done" or name not in kpis:
            return
        if state.get(name) == "active":
            cycle = " → ".join([*path[path.index(name) :], name])
            kpi = kpis[name]
            problems.append(Problem("kpi.cycle", {"cycle": cycle}, kpi.file, kpi.line))
            return
        state[name] = "active"
        for ref in kpis[name].references():
            if ref in kpis and kpis[name].kind not in ("simple", "snapshot"):
                visit(ref, [*path, name])
        state[name] = "done"

    for name in kpis:
        visit(name, [])
    if not any(p.key == "kpi.cycle" for p in problems):
        _check_rolling(kpis, snapshots, problems)


def _check_rolling(kpis: dict[str, Kpi], snapshots: set[str], problems: list[Problem]) -> None:
    """A rolling KPI sums its measures over trailing days: it cannot be taken of a
    snapshot (a level, not a flow) or of another rolling KPI."""

    def reaches(name: str, seen: set[str]) -> str | None:
        if name in seen:
            return None
        seen.add(name)
        kpi = kpis.get(name)
        if kpi is None:
            return name if name in snapshots else None
        if kpi.kind == "rolling" or kpi.kind == "snapshot":
            return name
        for ref in kpi.references():
            found = reaches(ref, seen)
            if found:
                return found
        return None

    for kpi in kpis.values():
        if kpi.kind == "rolling":
            found = reaches(kpi.of or "", set())
            if found:
                problems.append(
                    Problem("kpi.bad_rolling", {"kpi": kpi.name, "ref": found}, kpi.file, kpi.line)
                )


def load_kpis(
    measures: set[str],
    workspace_file: Path | None = None,
    snapshots: set[str] | None = None,
) -> dict[str, Kpi]:
    """The catalogue, with the workspace's own KPIs added or replacing built-in ones.
    `snapshots` are the measures that are levels, not flows (no rolling KPI over them)."""
    problems: list[Problem] = []
    kpis: dict[str, Kpi] = {}
    sources = [(read_data(CATALOGUE), CATALOGUE)]
    if workspace_file is not None and workspace_file.is_file():
        sources.append((yaml_list.read_text(workspace_file), str(workspace_file)))
    for text, file in sources:
        seen: set[str] = set()
        for entry, line in yaml_list.entries(text, file, "kpis", "kpi"):
            kpi = _kpi(entry, file, line, problems)
            if kpi is None:
                continue
            if kpi.name in seen:
                problems.append(Problem("kpi.duplicate", {"kpi": kpi.name}, file, line))
            seen.add(kpi.name)
            kpis[kpi.name] = kpi
    _check_graph(kpis, measures, problems, snapshots or set())
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return kpis
