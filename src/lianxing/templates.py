"""KPI templates: a default KPI set per kind of store, as data (`data/templates.yaml`).

Each template weighs its KPIs (the weights add up to 1) and may suggest a target with
warning and critical levels. `targets_yaml` turns a template's suggestions into the
text of `targets.yaml` entries for a scope, for the user to keep and edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lianxing import yaml_list
from lianxing.data import read_data
from lianxing.errors import InputError, Problem

FILE = "templates.yaml"


@dataclass(frozen=True)
class TemplateKpi:
    kpi: str
    weight: Decimal
    target: Decimal | None = None
    warning: Decimal | None = None
    critical: Decimal | None = None


@dataclass(frozen=True)
class Template:
    name: str
    label: dict[str, str]
    kpis: tuple[TemplateKpi, ...]


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def load_templates(kpi_names: set[str]) -> dict[str, Template]:
    """The built-in templates, checked against the KPI catalogue."""
    problems: list[Problem] = []
    found: dict[str, Template] = {}
    for entry, line in yaml_list.entries(read_data(FILE), FILE, "templates", "templates"):
        name = str(entry.get("name", ""))
        items = []
        for item in entry.get("kpis") or []:
            kpi = str(item.get("kpi", ""))
            weight = _decimal(item.get("weight"))
            if kpi not in kpi_names or weight is None:
                problems.append(Problem("templates.bad_kpi", {"template": name, "kpi": kpi},
                                        FILE, line))  # fmt: skip
                continue
            items.append(
                TemplateKpi(
                    kpi,
                    weight,
                    _decimal(item.get("target")),
                    _decimal(item.get("warning")),
                    _decimal(item.get("critical")),
                )
            )
        total = sum((i.weight for i in items), Decimal(0))
        if total != 1:
            problems.append(
                Problem("templates.weights", {"template": name, "total": str(total)}, FILE, line)
            )
        found[name] = Template(name, dict(entry.get("label") or {}), tuple(items))
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return found


def template_names() -> list[str]:
    """The built-in templates' names (read without a workspace: `init` checks a
    --template before it creates anything)."""
    entries = yaml_list.entries(read_data(FILE), FILE, "templates", "templates")
    return [str(entry.get("name", "")) for entry, _ in entries]


def targets_yaml(template: Template, scope: str, start: str) -> str:
    """`targets.yaml` entries for the template's suggested targets (no `targets:` line)."""
    lines = [f"  # from template {template.name}, for {json.dumps(scope)}"]
    for item in template.kpis:
        if item.target is None:
            continue
        stage = f"from: {start}, target: {item.target}"
        if item.warning is not None:
            stage += f", warning: {item.warning}"
        if item.critical is not None:
            stage += f", critical: {item.critical}"
        lines += [
            f"  - kpi: {item.kpi}",
            f"    scope: {json.dumps(scope)}",  # JSON strings are YAML strings
            f"    stages: [{{{stage}}}]",
        ]
    return "\n".join(lines) + "\n"
