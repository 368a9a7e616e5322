"""Targets: what each KPI should reach, for whom, from when (`targets.yaml`).

A workspace's `targets.yaml` lists targets, each for one KPI and one scope — the whole
business, a platform, a store or a SKU — with stages: the target in force from a month
on ("net margin ≥ 18 % from January, ≥ 20 % from April"). Each stage may set its own
warning and critical levels; by default a KPI where higher is better warns below 90 %
of the target and is critical below 80 % (above 110 % / 120 % where lower is better):
a value short of the target but within the warning level is still on track.
Every problem is reported with the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lianxing import yaml_list
from lianxing.errors import InputError, Problem
from lianxing.workspace import PLATFORMS

# person and team: whoever owned each row on its day (people.yaml, docs/team.md).
SCOPES = ("business", "platform", "store", "sku", "person", "team")
FIELDS = {"kpi", "scope", "stages", "name"}
STAGE_FIELDS = {"from", "target", "warning", "critical"}
PERIOD_FIELD = "period"  # a stage for one quarter or year (or month) instead of from:
WARNING_SHARE = Decimal("0.9")
CRITICAL_SHARE = Decimal("0.8")
FILE = "targets.yaml"


@dataclass(frozen=True)
class Stage:
    start: date  # first day of the month the stage applies from
    target: Decimal
    warning: Decimal | None
    critical: Decimal | None


@dataclass(frozen=True)
class Target:
    kpi: str
    scope: str  # business | platform | store | sku | person | team
    scope_value: str | None
    stages: tuple[Stage, ...]
    name: str | None
    file: str
    line: int | None
    # Stages for one period each (`period: 2025`): that period's target as given.
    periods: tuple[tuple[str, Stage], ...] = ()

    @property
    def label(self) -> str:
        return self.scope if self.scope_value is None else f"{self.scope}:{self.scope_value}"

    def stage_on(self, day: date) -> Stage | None:
        """The stage in force on `day` (the latest that started on or before it)."""
        found = None
        for stage in self.stages:
            if stage.start <= day:
                found = stage
        return found


def levels(stage: Stage, higher_is_better: bool) -> tuple[Decimal, Decimal]:
    """(warning, critical) values of a stage, defaults from the target."""
    target = stage.target
    # Margins from the size of the target, so a negative target (a loss to keep small)
    # gets its levels on the right side of it too.
    step_warning = abs(target) * (1 - WARNING_SHARE)
    step_critical = abs(target) * (1 - CRITICAL_SHARE)
    if higher_is_better:
        warning = stage.warning if stage.warning is not None else target - step_warning
        critical = stage.critical if stage.critical is not None else target - step_critical
    else:
        warning = stage.warning if stage.warning is not None else target + step_warning
        critical = stage.critical if stage.critical is not None else target + step_critical
    return warning, critical


def status(value: Decimal | None, stage: Stage, higher_is_better: bool) -> str:
    """on_track | warning | critical | no_data: a value past the warning level warns,
    past the critical level is critical (below them where higher is better)."""
    if value is None:
        return "no_data"
    warning, critical = levels(stage, higher_is_better)
    if higher_is_better:
        return "on_track" if value >= warning else "warning" if value >= critical else "critical"
    return "on_track" if value <= warning else "warning" if value <= critical else "critical"


def attainment(value: Decimal | None, target: Decimal, higher_is_better: bool) -> Decimal | None:
    """How much of the target is reached (1 = exactly): value / target where higher is
    better, target / value where lower is; None when it cannot be said (a target or
    value at or below zero makes the quotient meaningless)."""
    if value is None or target <= 0 or (not higher_is_better and value <= 0):
        return None
    ratio = value / target if higher_is_better else target / value
    return ratio.quantize(Decimal("0.0001"))


def _month(text: Any) -> date | None:
    value = str(text).strip()
    if re.fullmatch(r"\d{4}-\d{2}", value):
        try:
            return date.fromisoformat(value + "-01")
        except ValueError:
            return None
    return None


def _number(text: Any) -> Decimal | None:
    if isinstance(text, bool):
        return None
    try:
        value = Decimal(str(text).strip().rstrip("%"))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= yaml_list.MAX_NUMBER:
        return None
    # "18%" is 0.18: KPIs in percent are fractions.
    return value / 100 if str(text).strip().endswith("%") else value


def load_targets(path: Path, kpi_names: set[str]) -> list[Target]:
    """The workspace's targets (none when it has no targets.yaml)."""
    if not path.is_file():
        return []
    file = str(path)
    found = yaml_list.entries(yaml_list.read_text(path), file, "targets", "targets")
    problems: list[Problem] = []
    targets = []
    for entry, line in found:

        def bad(key: str, line: int | None = line, **params: Any) -> None:
            problems.append(Problem(key, params, file, line))

        if not isinstance(entry, dict):
            bad("targets.not_a_mapping")
            continue
        unknown = sorted(set(entry) - FIELDS)
        if unknown:
            bad("targets.unknown_field", fields=", ".join(unknown))
        kpi = str(entry.get("kpi", ""))
        if kpi not in kpi_names:
            bad("targets.unknown_kpi", kpi=kpi)
        scope_text = str(entry.get("scope", "business"))
        scope, _, scope_value = scope_text.partition(":")
        if (
            scope not in SCOPES
            or (scope == "business") != (scope_value == "")
            or (scope == "platform" and scope_value not in PLATFORMS)
        ):
            bad("targets.bad_scope", scope=scope_text)
            continue
        stages = []
        raw_stages = entry.get("stages")
        if not isinstance(raw_stages, list) or not raw_stages:
            bad("targets.no_stages", kpi=kpi)
            continue
        fixed: dict[str, Stage] = {}
        for stage in raw_stages:
            if not isinstance(stage, dict) or set(stage) - STAGE_FIELDS - {PERIOD_FIELD}:
                bad("targets.bad_stage", kpi=kpi, fields=", ".join(sorted(STAGE_FIELDS)))
                continue
            if PERIOD_FIELD in stage:
                _period_stage(stage, fixed, bad, kpi)
                continue
            start = _month(stage.get("from"))
            value = _number(stage.get("target"))
            warning = _number(stage["warning"]) if "warning" in stage else None
            critical = _number(stage["critical"]) if "critical" in stage else None
            if start is None or value is None:
                bad("targets.bad_stage", kpi=kpi, fields="from: YYYY-MM, target: number")
                continue
            if ("warning" in stage and warning is None) or (
                "critical" in stage and critical is None
            ):
                bad("targets.bad_stage", kpi=kpi, fields="warning / critical: numbers")
                continue
            stages.append(Stage(start, value, warning, critical))
        stages.sort(key=lambda s: s.start)
        if len({s.start for s in stages}) != len(stages):
            bad("targets.duplicate_stage", kpi=kpi)
        targets.append(
            Target(
                kpi,
                scope,
                scope_value or None,
                tuple(stages),
                str(entry["name"]) if entry.get("name") else None,
                file,
                line,
                tuple(fixed.items()),
            )
        )
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return targets


def _period_stage(raw: dict[str, Any], fixed: dict[str, Stage], bad: Any, kpi: str) -> None:
    """A stage for one period (`period: 2025-Q4`, no from:) into `fixed` by its label."""
    from lianxing.bridge import parse_period

    value = _number(raw.get("target"))
    text = str(raw.get(PERIOD_FIELD, "")).strip()
    levels_ok = all(_number(raw[k]) is not None for k in ("warning", "critical") if k in raw)
    if "from" in raw or value is None or not levels_ok or len(text) not in (4, 7):
        bad("targets.bad_period_stage", kpi=kpi)
        return
    try:
        span = parse_period(text)
    except InputError:
        bad("targets.bad_period_stage", kpi=kpi)
        return
    if span.label in fixed:
        bad("targets.duplicate_stage", kpi=kpi)
        return
    warning = _number(raw["warning"]) if "warning" in raw else None
    critical = _number(raw["critical"]) if "critical" in raw else None
    fixed[span.label] = Stage(span.first, value, warning, critical)
