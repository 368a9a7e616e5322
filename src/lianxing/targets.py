"""Targets: what each KPI should reach, for whom, from when (`targets.yaml`).

A workspace's `targets.yaml` lists targets, each for one KPI and one scope — the whole
business, a platform, a store or a SKU — with stages: the target in force from a month
on ("net margin ≥ 18 % from January, ≥ 20 % from April"). Each stage may set its own
warning and critical levels; by default a KPI where higher is better warns below 90 %
of the target and is critical below 80 % (above 110 % / 120 % where lower is better):
a value short of the target but within the warning level is still on track.

A KPI whose direction is `band` (days of supply, inventory turnover: too little runs
out, too much ties up cash) is kept within a range: its stages give a `floor` and a
`ceiling` instead of (or besides) a target. Inside the range is on track; outside it,
up to 20 % past the nearer bound warns, further is critical. Any KPI may take a band.
Every problem is reported with the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
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
STAGE_FIELDS = {"from", "target", "warning", "critical", "floor", "ceiling"}
PERIOD_FIELD = "period"  # a stage for one quarter or year (or month) instead of from:
# A band's value this far past its nearer bound (a share of the bound) is critical.
BAND_CRITICAL = Decimal("0.2")
WARNING_SHARE = Decimal("0.9")
CRITICAL_SHARE = Decimal("0.8")
FILE = "targets.yaml"


@dataclass(frozen=True)
class Stage:
    start: date  # first day of the month the stage applies from
    target: Decimal
    warning: Decimal | None
    critical: Decimal | None
    floor: Decimal | None = None  # a band: the lowest value on track
    ceiling: Decimal | None = None  # a band: the highest value on track

    @property
    def band(self) -> tuple[Decimal, Decimal] | None:
        """(floor, ceiling) of a band stage; None for a one-sided target."""
        if self.floor is None or self.ceiling is None:
            return None
        return self.floor, self.ceiling

    @property
    def goal(self) -> Decimal | tuple[Decimal, Decimal]:
        """What the stage aims at: its band, else its target."""
        return self.band or self.target


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
    if stage.band is not None:
        return band_status(value, *stage.band)
    warning, critical = levels(stage, higher_is_better)
    if higher_is_better:
        return "on_track" if value >= warning else "warning" if value >= critical else "critical"
    return "on_track" if value <= warning else "warning" if value <= critical else "critical"


def band_status(value: Decimal, floor: Decimal, ceiling: Decimal) -> str:
    """Inside the band on track; past a bound by up to 20 % of it warning; further
    critical."""
    if floor <= value <= ceiling:
        return "on_track"
    if value < floor:
        return "warning" if value >= floor - abs(floor) * BAND_CRITICAL else "critical"
    return "warning" if value <= ceiling + abs(ceiling) * BAND_CRITICAL else "critical"


def band_attainment(value: Decimal, floor: Decimal, ceiling: Decimal) -> Decimal | None:
    """1 inside the band; below it value ÷ floor, above it ceiling ÷ value (how far off,
    the same way on both sides); None where a sign makes the quotient meaningless."""
    if floor <= value <= ceiling:
        return Decimal("1.0000")
    if value < floor:
        return (value / floor).quantize(Decimal("0.0001")) if floor > 0 <= value else None
    return (ceiling / value).quantize(Decimal("0.0001")) if value > 0 <= ceiling else None


def goal_attainment(value: Decimal | None, stage: Stage, higher: bool) -> Decimal | None:
    """Attainment of a stage: of its band, else of its target."""
    if value is not None and stage.band is not None:
        return band_attainment(value, *stage.band)
    return attainment(value, stage.target, higher)


def attainment(value: Decimal | None, target: Decimal, higher_is_better: bool) -> Decimal | None:
    """How much of the target is reached (1 = exactly): value / target where higher is
    better, target / value where lower is; None when it cannot be said (a target or
    value at or below zero makes the quotient meaningless)."""
    if value is None or target <= 0 or (not higher_is_better and value <= 0):
        return None
    ratio = value / target if higher_is_better else target / value
    return ratio.quantize(Decimal("0.0001"))


def _band(
    stage: dict[str, Any], kpi: str, needed: bool, bad: Any
) -> tuple[bool, tuple[Decimal, Decimal] | None]:
    """(whether the stage is right, its (floor, ceiling) or None for a one-sided stage).
    A band KPI needs both bounds, floor ≤ ceiling, and no warning/critical levels."""
    if "floor" not in stage and "ceiling" not in stage:
        if needed:
            bad("targets.band_needed", kpi=kpi)
            return False, None
        return True, None
    floor = _number(stage.get("floor"))
    ceiling = _number(stage.get("ceiling"))
    if floor is None or ceiling is None or floor > ceiling or {"warning", "critical"} & set(stage):
        bad("targets.bad_band", kpi=kpi)
        return False, None
    return True, (floor, ceiling)


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


def load_targets(path: Path, kpi_names: Collection[str]) -> list[Target]:
    """The workspace's targets (none when it has no targets.yaml). With a mapping of KPI
    name → direction, a `band` KPI's stages must give a floor and a ceiling."""
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
        if scope == "platform" and scope_value and scope_value not in PLATFORMS:
            bad("targets.unknown_platform", name=scope_value, known=", ".join(sorted(PLATFORMS)))
            continue
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
            ok, band = _band(stage, kpi, isinstance(kpi_names, Mapping)
                             and kpi_names.get(kpi) == "band", bad)  # fmt: skip
            if not ok:
                continue
            if PERIOD_FIELD in stage:
                _period_stage(stage, fixed, bad, kpi, band)
                continue
            start = _month(stage.get("from"))
            value = _number(stage.get("target")) if "target" in stage or not band else None
            if band and "target" not in stage:
                value = (band[0] + band[1]) / 2
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
            low, high = band or (None, None)
            stages.append(Stage(start, value, warning, critical, low, high))
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


def _period_stage(
    raw: dict[str, Any],
    fixed: dict[str, Stage],
    bad: Any,
    kpi: str,
    band: tuple[Decimal, Decimal] | None = None,
) -> None:
    """A stage for one period (`period: 2025-Q4`, no from:) into `fixed` by its label;
    a band KPI's stage gives `floor` and `ceiling` (its target is their middle)."""
    from lianxing.bridge import parse_period

    value = _number(raw.get("target")) if "target" in raw or not band else None
    if band and "target" not in raw:
        value = (band[0] + band[1]) / 2
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
    low, high = band or (None, None)
    fixed[span.label] = Stage(span.first, value, warning, critical, low, high)
