"""Bonus rules (`pay.yaml`): how a person's score and owned profit become pay.

A pay plan applies to a role, a team or named people (the most specific wins, as for
scorecards) and is in one currency (CNY or USD). Its rules add up:

- `score`: `base` × total score ÷ 100 (a score of 110 pays 110 % of the base);
- `profit_share`: `share` of the net profit the person owned above `above` (0 below it);
- `tiers`: the `amount` of the highest tier whose `from` (a score) the total reaches.

A plan pays for a month unless it says `period: quarter` or `period: year`; paying a
period of another length by it is refused. Amounts are rounded to the cent. Every
problem is reported with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lianxing import yaml_list
from lianxing.errors import InputError, Problem
from lianxing.i18n import t
from lianxing.people import Audience, Person, most_specific, parse_audience
from lianxing.scorecards import parse_number

FILE = "pay.yaml"
FIELDS = {"name", "applies_to", "currency", "rules", "period"}
# What a plan pays for: a month unless it says otherwise (a quarterly or a yearly bonus).
PERIODS = ("month", "quarter", "year")
CURRENCIES = ("CNY", "USD")
RULES = {
    "score": {"rule", "base"},
    "profit_share": {"rule", "share", "above"},
    "tiers": {"rule", "tiers"},
}
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rule:
    kind: str
    base: Decimal = Decimal(0)
    share: Decimal = Decimal(0)
    above: Decimal = Decimal(0)
    tiers: tuple[tuple[Decimal, Decimal], ...] = ()  # (from score, amount), highest first

    def amount(self, score: Decimal, profit: Decimal | None) -> Decimal:
        if self.kind == "score":
            value = self.base * score / HUNDRED
        elif self.kind == "profit_share":
            value = self.share * max((profit or Decimal(0)) - self.above, Decimal(0))
        else:
            value = next((amount for start, amount in self.tiers if score >= start), Decimal(0))
        return max(value, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Plan(Audience):
    name: str
    role: str | None
    team: str | None
    people: tuple[str, ...]
    currency: str
    rules: tuple[Rule, ...]
    line: int | None
    period: str = "month"


def _rule(raw: Any, line: int | None, bad: Any, plan: str) -> Rule | None:
    kind = raw.get("rule") if isinstance(raw, dict) else None
    if kind not in RULES or set(raw) - RULES[kind]:
        bad("pay.bad_rule", line, plan=plan, choices=", ".join(RULES))
        return None
    if kind == "tiers":
        tiers = []
        for tier in raw.get("tiers") or []:
            start = parse_number(tier.get("from")) if isinstance(tier, dict) else None
            amount = parse_number(tier.get("amount")) if isinstance(tier, dict) else None
            if start is None or amount is None or amount < 0:
                bad("pay.bad_tiers", line, plan=plan)
                return None
            tiers.append((start, amount))
        if not tiers:
            bad("pay.bad_tiers", line, plan=plan)
            return None
        return Rule(kind, tiers=tuple(sorted(tiers, reverse=True)))
    numbers = {}
    for key in RULES[kind] - {"rule"}:
        value = parse_number(raw.get(key, 0 if key == "above" else None))
        if value is None or value < 0 or (key == "share" and value > 1):
            bad("pay.bad_number", line, plan=plan, field=key)
            return None
        numbers[key] = value
    return Rule(
        kind,
        base=numbers.get("base", Decimal(0)),
        share=numbers.get("share", Decimal(0)),
        above=numbers.get("above", Decimal(0)),
    )


def load_pay(path: Path) -> list[Plan]:
    """The workspace's pay plans (none without the file)."""
    if not path.is_file():
        return []
    file = str(path)
    problems: list[Problem] = []

    def bad(key: str, line: int | None, **params: Any) -> None:
        problems.append(Problem(key, params, file, line))

    plans = []
    for entry, line in yaml_list.entries(yaml_list.read_text(path), file, "pay", "pay"):
        if not isinstance(entry, dict) or set(entry) - FIELDS:
            bad("pay.bad_plan", line, fields=", ".join(sorted(FIELDS)))
            continue
        name = str(entry.get("name") or "")
        audience = parse_audience(entry.get("applies_to"))
        if not name or audience is None:
            bad("pay.bad_plan", line, fields=", ".join(sorted(FIELDS)))
            continue
        currency = str(entry.get("currency", "")).upper()
        if currency not in CURRENCIES:
            bad("pay.bad_currency", line, plan=name, choices=", ".join(CURRENCIES))
            continue
        period = str(entry.get("period", "month")).strip().lower()
        if period not in PERIODS:
            bad("pay.bad_period", line, plan=name, choices=", ".join(PERIODS))
            continue
        raw_rules = entry.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            bad("pay.bad_rule", line, plan=name, choices=", ".join(RULES))
            continue
        rules = [_rule(raw, line, bad, name) for raw in raw_rules]
        if any(r is None for r in rules):
            continue
        plans.append(
            Plan(
                name,
                *audience,
                currency,
                tuple(r for r in rules if r is not None),
                line,
                period,
            )
        )
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return plans


def plan_for(person: Person, plans: list[Plan]) -> Plan | None:
    """The most specific plan that applies to the person (None: not paid by a plan)."""
    return most_specific(person, plans)


PAYOUT_MONEY = ("owned_net_profit", "score_pay", "profit_share", "tier_pay", "payout")


def payout_totals(rows: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """A total row per currency (in the order the currencies first appear) for a
    payroll sheet: each money column summed, `label` as the person, other cells blank."""
    totals = []
    for currency in dict.fromkeys(r["currency"] for r in rows):
        mine = [r for r in rows if r["currency"] == currency]
        total: dict[str, Any] = {key: "" for key in mine[0]}
        total.update(person=label, currency=currency)
        for column in PAYOUT_MONEY:
            values = [r[column] for r in mine if r[column] is not None]
            total[column] = sum(values, Decimal("0.00")) if values else None
        totals.append(total)
    return totals


def check_period(plans: list[Plan], people: list[Person], period: str, kind: str) -> None:
    """Refuse to pay `period` (a `kind`: day, month, quarter, year) by a plan that pays
    for another length of time — a monthly base paid once for a year."""
    if kind == "day":
        raise InputError.at("pay.day_period", period=period)
    for person in people:
        plan = plan_for(person, plans)
        if plan is not None and plan.period != kind:
            raise InputError.at("pay.wrong_period", plan=plan.name, period=period, kind=kind,
                                plan_every=t(f"periods.kind.{plan.period}"),
                                kind_name=t(f"periods.kind.{kind}"))  # fmt: skip
