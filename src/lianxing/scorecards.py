"""Scorecards (绩效考核表): which KPIs score a person, how much each weighs, and how a
value becomes points (`scorecards.yaml`).

A scorecard applies to a role, a team or named people and lists KPIs whose weights add
up to 100. Each KPI has a scoring rule:

- `linear`: points grow in a straight line from the `floor` (0 points) to the target
  (the full weight), then on up to `cap` times the weight (default 1: no extra for
  beating the target). The floor is on the bad side of the target, so the same rule
  scores "higher is better" and "lower is better" KPIs; for the latter the floor must
  be given (an ACoS of 50 % scores nothing, the 25 % target scores full).
- `bands`: tiers of attainment (value ÷ target, or target ÷ value where lower is
  better): the highest tier reached gives its share of the weight.
- `no_data`: what a KPI with no data for the person and period scores (its inputs have
  no imported source: no returns report, no ads) — a share of the weight, 0 unless the
  card says otherwise; the line shows the status `no_data` either way.
- a KPI kept within a band (direction `band`: days of supply, inventory turnover)
  scores full inside its target band (`floor`–`ceiling` of targets.yaml, or the card's
  `target: [20, 60]`); `linear` falls to 0 at the card's `floor` below it (default 0)
  and at its `ceiling` above it (default twice the band's ceiling); `bands` tiers use
  the band attainment (value ÷ floor below, ceiling ÷ value above).
- a `gate` on the card: when a KPI is past a threshold ("net margin below 0"), the KPIs
  it names score 0 whatever their values.

Targets come from the KPI engine's `targets.yaml` (scope `person:ID`, else
`team:NAME`), staged by month; a card KPI may carry its own `target` as a fallback.
Every problem is reported with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lianxing import yaml_list
from lianxing.errors import InputError, Problem
from lianxing.people import ROLES, Audience, Person, most_specific, parse_audience
from lianxing.targets import band_attainment

FILE = "scorecards.yaml"
FIELDS = {"name", "applies_to", "kpis", "gates"}
KPI_FIELDS = {"kpi", "weight", "rule", "floor", "cap", "bands", "target", "no_data", "ceiling"}
RULES = ("linear", "bands")
GATE_FIELDS = {"kpi", "below", "above", "zero"}
TOTAL = Decimal(100)
POINTS = Decimal("0.01")
MAX_CAP = Decimal(3)


@dataclass(frozen=True)
class Band:
    at: Decimal  # attainment from which the band applies (1 = the target)
    share: Decimal  # share of the weight it gives


@dataclass(frozen=True)
class CardKpi:
    kpi: str
    weight: Decimal
    rule: str
    floor: Decimal | None
    cap: Decimal
    bands: tuple[Band, ...]
    target: Decimal | tuple[Decimal, Decimal] | None  # a band KPI's: (floor, ceiling)
    line: int | None
    no_data: Decimal = Decimal(0)  # share of the weight a line with no data scores
    ceiling: Decimal | None = None  # a band KPI: the value above its band scoring 0


@dataclass(frozen=True)
class Gate:
    kpi: str
    below: Decimal | None
    above: Decimal | None
    zero: tuple[str, ...]  # the card KPIs that score 0 when the gate is shut

    def shut(self, value: Decimal | None) -> bool:
        """Whether the gate stops the points (no value: it cannot be said to pass)."""
        if value is None:
            return True
        return (self.below is not None and value < self.below) or (
            self.above is not None and value > self.above
        )


@dataclass(frozen=True)
class Scorecard(Audience):
    name: str
    role: str | None
    team: str | None
    people: tuple[str, ...]
    kpis: tuple[CardKpi, ...]
    gates: tuple[Gate, ...]
    file: str
    line: int | None


def parse_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= yaml_list.MAX_NUMBER:
        return None
    return number / 100 if text.endswith("%") else number


def _card_kpi(raw: Any, kpis: dict[str, str], line: int | None, bad: Any) -> CardKpi | None:
    if not isinstance(raw, dict) or set(raw) - KPI_FIELDS:
        bad("scorecards.bad_kpi_entry", line, fields=", ".join(sorted(KPI_FIELDS)))
        return None
    name = str(raw.get("kpi", ""))
    if name not in kpis:
        bad("scorecards.unknown_kpi", line, kpi=name)
        return None
    weight = parse_number(raw.get("weight"))
    if weight is None or weight <= 0:
        bad("scorecards.bad_number", line, kpi=name, field="weight")
        return None
    rule = raw.get("rule", "linear")
    if rule not in RULES:
        bad("scorecards.bad_rule", line, kpi=name, choices=", ".join(RULES))
        return None
    numbers: dict[str, Decimal | None] = {}
    band = kpis[name] == "band"
    own_band = _pair(raw.get("target")) if band and "target" in raw else None
    if band and "target" in raw and own_band is None:
        bad("scorecards.bad_number", line, kpi=name, field="target: [floor, ceiling]")
        return None
    for key in ("floor", "cap", "no_data", "ceiling", *(() if own_band else ("target",))):
        numbers[key] = parse_number(raw[key]) if key in raw else None
        if key in raw and numbers[key] is None:
            bad("scorecards.bad_number", line, kpi=name, field=key)
            return None
    cap = numbers["cap"] if numbers["cap"] is not None else Decimal(1)
    if not Decimal(1) <= cap <= MAX_CAP:
        bad("scorecards.bad_cap", line, kpi=name, most=MAX_CAP)
        return None
    no_data = numbers["no_data"] if numbers["no_data"] is not None else Decimal(0)
    if not Decimal(0) <= no_data <= cap:
        bad("scorecards.bad_number", line, kpi=name, field="no_data")
        return None
    lower = kpis[name] == "lower"
    if rule == "linear" and lower and numbers["floor"] is None:
        bad("scorecards.floor_needed", line, kpi=name)
        return None
    bands: list[Band] = []
    if rule == "bands":
        raw_bands = raw.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            bad("scorecards.bad_bands", line, kpi=name)
            return None
        for band in raw_bands:
            at = parse_number(band.get("at")) if isinstance(band, dict) else None
            share = parse_number(band.get("points")) if isinstance(band, dict) else None
            if at is None or share is None or not 0 <= share <= cap or at < 0:
                bad("scorecards.bad_bands", line, kpi=name)
                return None
            bands.append(Band(at, share))
        bands.sort(key=lambda b: b.at, reverse=True)
    return CardKpi(
        name,
        weight,
        rule,
        numbers["floor"] if numbers["floor"] is not None else (None if lower else Decimal(0)),
        cap,
        tuple(bands),
        own_band or numbers.get("target"),
        line,
        no_data,
        numbers["ceiling"],
    )


def _pair(value: Any) -> tuple[Decimal, Decimal] | None:
    """A band written `[floor, ceiling]`; None if it is not one."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    low, high = parse_number(value[0]), parse_number(value[1])
    if low is None or high is None or low > high:
        return None
    return low, high


def load_scorecards(path: Path, kpis: dict[str, str]) -> list[Scorecard]:
    """The workspace's scorecards (none without the file); `kpis` maps each KPI name to
    its direction (higher | lower | band)."""
    if not path.is_file():
        return []
    file = str(path)
    problems: list[Problem] = []

    def bad(key: str, line: int | None, **params: Any) -> None:
        problems.append(Problem(key, params, file, line))

    cards: list[Scorecard] = []
    for entry, line in yaml_list.entries(
        yaml_list.read_text(path), file, "scorecards", "scorecards"
    ):
        if not isinstance(entry, dict):
            bad("scorecards.not_a_mapping", line)
            continue
        unknown = sorted(set(entry) - FIELDS)
        if unknown:
            bad("scorecards.unknown_field", line, fields=", ".join(unknown))
            continue
        name = str(entry.get("name") or "")
        audience = parse_audience(entry.get("applies_to"))
        if not name or audience is None:
            bad("scorecards.bad_applies", line, card=name, roles=", ".join(ROLES))
            continue
        entries = entry.get("kpis")
        if not isinstance(entries, list) or not entries:
            bad("scorecards.no_kpis", line, card=name)
            continue
        card_kpis = [_card_kpi(raw, kpis, line, bad) for raw in entries]
        if any(k is None for k in card_kpis):
            continue
        found = [k for k in card_kpis if k is not None]
        total = sum((k.weight for k in found), Decimal(0))
        if total != TOTAL:
            bad("scorecards.weights", line, card=name, total=total)
            continue
        if len({k.kpi for k in found}) != len(found):
            bad("scorecards.duplicate_kpi", line, card=name)
            continue
        gates = []
        for raw in entry.get("gates") or []:
            gate = _gate(raw, kpis, {k.kpi for k in found}, line, bad, name)
            if gate is not None:
                gates.append(gate)
        cards.append(
            Scorecard(
                name,
                *audience,
                tuple(found),
                tuple(gates),
                file,
                line,
            )
        )
    if problems:
        raise InputError(problems[0].key, problems=problems)
    return cards


def _gate(
    raw: Any, kpis: dict[str, str], on_card: set[str], line: int | None, bad: Any, card: str
) -> Gate | None:
    if not isinstance(raw, dict) or set(raw) - GATE_FIELDS or str(raw.get("kpi")) not in kpis:
        bad("scorecards.bad_gate", line, card=card)
        return None
    below = parse_number(raw.get("below")) if "below" in raw else None
    above = parse_number(raw.get("above")) if "above" in raw else None
    zero = raw["zero"] if "zero" in raw else sorted(on_card)
    if (below is None) == (above is None) or not isinstance(zero, list) or not zero:
        bad("scorecards.bad_gate", line, card=card)
        return None
    if set(map(str, zero)) - on_card:
        bad("scorecards.bad_gate", line, card=card)
        return None
    return Gate(str(raw["kpi"]), below, above, tuple(str(z) for z in zero))


def card_for(person: Person, cards: list[Scorecard]) -> Scorecard | None:
    """The most specific card that applies to the person (None: not scored)."""
    return most_specific(person, cards)


def attainment(value: Decimal, target: Decimal, higher: bool) -> Decimal | None:
    """Value ÷ target (target ÷ value where lower is better); None when a sign makes the
    quotient meaningless."""
    if target <= 0 or (not higher and value <= 0):
        return None
    return value / target if higher else target / value


Goal = Decimal | tuple[Decimal, Decimal]


def floor_misplaced(item: CardKpi, target: Goal, higher: bool) -> bool:
    """A linear floor must be on the bad side of the target (below it where higher is
    better, above it where lower is; below a band, and its ceiling above); otherwise
    beating the target would lose points."""
    if item.rule != "linear":
        return False
    floor = item.floor if item.floor is not None else Decimal(0)
    if isinstance(target, tuple):
        return floor > target[0] or (item.ceiling is not None and item.ceiling < target[1])
    return floor > target if higher else floor < target


def _band_share(item: CardKpi, value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """Linear share of a band KPI: 1 inside, falling to 0 at the card's floor below and
    at its ceiling (default twice the band's) above."""
    if low <= value <= high:
        return Decimal(1)
    if value < low:
        floor = item.floor if item.floor is not None else Decimal(0)
        share = (value - floor) / (low - floor) if low != floor else Decimal(0)
    else:
        ceiling = item.ceiling if item.ceiling is not None else high * 2
        share = (ceiling - value) / (ceiling - high) if ceiling != high else Decimal(0)
    return min(max(share, Decimal(0)), Decimal(1))


def points(
    item: CardKpi, value: Decimal | None, target: Goal | None, higher: bool
) -> tuple[Decimal, Decimal | None]:
    """(points, attainment) of one card KPI; no target scores 0, and so does a linear
    line whose floor is on the wrong side of the target (`floor_misplaced`); no value
    (no data) scores the card's `no_data` share of the weight (default 0)."""
    if target is None or floor_misplaced(item, target, higher):
        return Decimal("0.00"), None
    if value is None:
        return (item.weight * item.no_data).quantize(POINTS, ROUND_HALF_UP), None
    if isinstance(target, tuple):
        return _band_points(item, value, *target)
    reached = attainment(value, target, higher)
    if item.rule == "bands":
        if reached is None and not higher and value <= 0 < target:
            # Nothing at all where lower is better (no returns): the best band.
            share = item.bands[0].share
        else:
            share = next(
                (b.share for b in item.bands if reached is not None and reached >= b.at),
                Decimal(0),
            )
    else:
        floor = item.floor if item.floor is not None else Decimal(0)
        if target == floor:
            share = Decimal(1) if (value >= target if higher else value <= target) else Decimal(0)
        else:
            share = (value - floor) / (target - floor)
        share = min(max(share, Decimal(0)), item.cap)
    earned = (item.weight * share).quantize(POINTS, ROUND_HALF_UP)
    return earned + Decimal("0.00"), (  # + 0.00: never -0.00
        reached.quantize(Decimal("0.0001"), ROUND_HALF_UP) if reached is not None else None
    )


def _band_points(
    item: CardKpi, value: Decimal, low: Decimal, high: Decimal
) -> tuple[Decimal, Decimal | None]:
    """(points, attainment) of a band KPI."""
    reached = band_attainment(value, low, high)
    if item.rule == "bands":
        share = next(
            (b.share for b in item.bands if reached is not None and reached >= b.at), Decimal(0)
        )
    else:
        share = _band_share(item, value, low, high)
    return (item.weight * share).quantize(POINTS, ROUND_HALF_UP) + Decimal("0.00"), reached
