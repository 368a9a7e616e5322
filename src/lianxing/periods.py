"""Periods longer or shorter than a month, and periods the data does not fully cover.

Targets (`targets.yaml`) and pay plans (`pay.yaml`) are set per month. Over a quarter,
a year or a day:

- a KPI that adds up over time (money and counts: sales, net profit, units) has as its
  target the monthly stages summed over the period — each month's stage in force, a
  month the period covers only in part by its share of days;
- any other KPI (margins, rates, days of supply) has the stage in force on the period's
  first day;
- a stage given for one period (`period: 2025`) is that period's target as it stands.

A period is partial when the data ends before the period does or the period has not
ended: its figures are estimates, marked "2026-01 · 5 days, estimated". Without
`--period`, `targets check` and `team score` take the last complete month.

Scores are closed only for a month, quarter or year that has ended and has data, by a
person of people.yaml who may (`CLOSERS`).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lianxing.bridge import Period, parse_period
from lianxing.errors import InputError
from lianxing.kpis import Kpi, parse_expression
from lianxing.people import Person
from lianxing.targets import Stage, Target, levels

SUMMABLE_UNITS = ("money", "count")
CENT = Decimal("0.01")


def kind(span: Period) -> str:
    """day | month | quarter | year, from the period's label (bridge.parse_period)."""
    label = span.label
    if "Q" in label.upper():
        return "quarter"
    return {4: "year", 7: "month"}.get(len(label), "day")


def summable(name: str, kpis: dict[str, Kpi], snapshot: Collection[str] = ()) -> bool:
    """Whether a KPI's value over a period is the sum of its values over the months:
    money or a count, simple, or derived by adding and subtracting such KPIs or (non
    snapshot) measures."""
    kpi = kpis.get(name)
    if kpi is None:  # a measure: a sum unless it is a stock on a day
        return name not in snapshot
    if kpi.unit not in SUMMABLE_UNITS:
        return False
    if kpi.kind == "simple":
        return True
    if kpi.kind != "derived" or not kpi.expression:
        return False
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Add, ast.Sub, ast.USub,
               ast.UAdd, ast.Load)  # fmt: skip
    tree = parse_expression(kpi.expression)
    if not all(isinstance(node, allowed) for node in ast.walk(tree)):
        return False
    return all(summable(ref, kpis, snapshot) for ref in kpi.references() if ref != name)


def month_shares(span: Period) -> list[tuple[date, Decimal]]:
    """Each month the period touches: (its first day, the share of its days in the
    period) — 1 for a whole month."""
    found = []
    month = span.first.replace(day=1)
    while month <= span.last:
        following = (month + timedelta(days=32)).replace(day=1)
        days = (following - month).days
        inside = (min(span.last, following - timedelta(days=1)) - max(span.first, month)).days + 1
        found.append((month, Decimal(1) if inside == days else Decimal(inside) / Decimal(days)))
        month = following
    return found


def _exact(value: Decimal, whole: bool) -> Decimal:
    return value if whole else value.quantize(CENT)


def period_stage(target: Target, span: Period, adds_up: bool, higher: bool) -> Stage | None:
    """The stage that applies to the period (None: the target has not started then)."""
    for label, stage in target.periods:
        if label == span.label:
            return stage
    first = target.stage_on(span.first)
    if first is None or not adds_up:
        return first
    shares = [(target.stage_on(month) or first, share) for month, share in month_shares(span)]
    if len(shares) == 1 and shares[0][1] == 1:
        return first
    whole = all(share == 1 for _, share in shares)
    goal = _exact(sum((s.target * share for s, share in shares), Decimal(0)), whole)
    if first.band is not None:  # a band on a KPI that adds up: both bounds summed
        floor = sum(((s.floor or s.target) * share for s, share in shares), Decimal(0))
        ceiling = sum(((s.ceiling or s.target) * share for s, share in shares), Decimal(0))
        return replace(first, start=span.first, target=goal, floor=_exact(floor, whole),
                       ceiling=_exact(ceiling, whole))  # fmt: skip
    explicit = any(s.warning is not None or s.critical is not None for s, _ in shares)
    if not explicit:  # the default levels, from the summed target
        return replace(first, start=span.first, target=goal)
    warning = sum((levels(s, higher)[0] * share for s, share in shares), Decimal(0))
    critical = sum((levels(s, higher)[1] * share for s, share in shares), Decimal(0))
    return replace(first, start=span.first, target=goal, warning=_exact(warning, whole),
                   critical=_exact(critical, whole))  # fmt: skip


Goal = Decimal | tuple[Decimal, Decimal]  # a target, or a band's (floor, ceiling)


def scaled(goal: Goal | None, span: Period, adds_up: bool) -> Goal | None:
    """A monthly goal (a scorecard's own target or band) over the period: summed where
    the KPI adds up, as it is otherwise."""
    if goal is None or not adds_up:
        return goal
    shares = [share for _, share in month_shares(span)]
    months = sum(shares, Decimal(0))
    whole = all(s == 1 for s in shares)
    if isinstance(goal, tuple):
        return _exact(goal[0] * months, whole), _exact(goal[1] * months, whole)
    return _exact(goal * months, whole)


def coverage(span: Period, last_data: date | None, today: date) -> dict[str, Any]:
    """How much of the period the data covers: `data_days` (days from the period's first
    day to the last day with data in it) and `estimated` (the data ends before the period
    does, or the period has not ended)."""
    end = min(span.last, last_data) if last_data is not None else None
    days = (end - span.first).days + 1 if end is not None and end >= span.first else 0
    estimated = span.last >= today or last_data is None or last_data < span.last
    return {"data_days": days, "estimated": estimated}


def marked(row: dict[str, Any]) -> str:
    """A row's period as shown in a table: "2026-01 · 5 days, estimated" when partial."""
    from lianxing.i18n import t

    if not row.get("estimated"):
        return str(row["period"])
    days = int(row.get("data_days") or 0)
    key = (
        "periods.no_data_yet"
        if days == 0
        else "periods.one_day"
        if days == 1
        else "periods.partial"
    )
    return t(key, period=row["period"], days=days)


def mark_partial(
    rows: Sequence[dict[str, Any]], key: str, grain: str, last_data: date | None, today: date
) -> list[dict[str, Any]]:
    """Report rows (kpi show, profit by day, week or month) with each partial period's
    label in `key` marked for a table; rows of other grains as they are."""
    found = []
    for row in rows:
        label = row.get(key)
        try:
            if grain == "week" and label is not None:
                first = date.fromisoformat(str(label))
                span: Period | None = Period(str(label), first, first + timedelta(days=6))
            elif grain in ("day", "month", "quarter", "year") and label is not None:
                span = parse_period(str(label))
            else:
                span = None
        except (ValueError, InputError):
            span = None
        if span is not None:
            row = {**row, key: marked({"period": label, **coverage(span, last_data, today)})}
        found.append(row)
    return found


def last_complete_month(last_data: date | None, today: date, first_data: date | None = None) -> str:
    """The latest month that has ended and that the data covers to its last day (without
    data: the month before this one). Before any month with data is complete (the data
    starts on `first_data`), the latest month with data: partial, and marked so."""
    cutoff = today - timedelta(days=1)
    if last_data is not None and last_data < cutoff:
        cutoff = last_data
    latest = cutoff
    if (cutoff + timedelta(days=1)).day != 1:  # the month is not covered to its end
        cutoff = cutoff.replace(day=1) - timedelta(days=1)
    if first_data is not None and cutoff < first_data:  # that month has no data at all
        return latest.strftime("%Y-%m")
    return cutoff.strftime("%Y-%m")


# Who may close, re-open and adjust scores (`--by`): a person of people.yaml who sees
# the whole team's numbers, never an operator scored by them.
CLOSERS = ("owner", "manager", "finance")


def closer(people: Sequence[Person], made_by: str) -> Person:
    """The person `--by` names (their id in people.yaml), if they may close periods."""
    found = next((p for p in people if p.id == made_by), None)
    if found is None or found.role not in CLOSERS:
        allowed = ", ".join(sorted(p.id for p in people if p.role in CLOSERS)) or "—"
        raise InputError.at("team.bad_closer", by=made_by, roles=", ".join(CLOSERS),
                            allowed=allowed)  # fmt: skip
    return found


def check_closable(
    span: Period, has_data: bool, today: date, data_to: date | None = None, partial: bool = False
) -> None:
    """A period may be closed once it has ended, if the data has rows in it and reaches
    its last day (`data_to`: the last day with data) — else its pay would stand on
    estimates — unless `partial` says to close it so; a single day is not a period
    scores are closed for."""
    if kind(span) == "day":
        raise InputError.at("team.close_day", period=span.label)
    if span.last >= today:
        raise InputError.at("team.close_not_ended", period=span.label,
                            last=span.last.isoformat())  # fmt: skip
    if not has_data:
        raise InputError.at("team.close_no_data", period=span.label)
    if not partial and (data_to is None or data_to < span.last):
        last = data_to.isoformat() if data_to is not None else "-"
        raise InputError.at("team.close_partial", period=span.label, last=last,
                            end=span.last.isoformat())  # fmt: skip
