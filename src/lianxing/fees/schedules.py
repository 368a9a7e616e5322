"""The fee schedules: dated tables of marketplace fees, read from YAML.

Built-in tables live in `lianxing/data/fees/*.yaml`; a workspace may add or replace
tables with its own `fees/*.yaml` (same file format, see docs/fees.md). Each table has
a `kind` (what it prices), an `id`, the dates it applies (`effective_from`, optional
`effective_to`), a `source` and `confirmed`; rows may carry their own source and
confirmed flag. `FeeBook.covering(kind, day)` picks the table in force on a day.

Figures are read as `Decimal` straight from the YAML text (never through float), and
every problem in a file names the file and line.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from lianxing import yaml_list
from lianxing.errors import InputError

T = TypeVar("T")

TIER_NAMES = (
    "small_standard",
    "large_standard",
    "large_bulky",
    "extra_large_0_50",
    "extra_large_50_70",
    "extra_large_70_150",
    "extra_large_150_plus",
)


# ---- YAML with line numbers ------------------------------------------------------------


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader with dates left as text, so this module checks them and names the
    line of a bad one."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:timestamp"]
    for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Map(dict[str, Any]):
    """A YAML mapping that remembers its line and the line of each value."""

    line: int
    lines: dict[str, int]


class _Seq(list[Any]):
    """A YAML sequence that remembers its line."""

    line: int


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar as Python: numbers with a point become Decimal from their own text, so a
    fee written 3.60 is exactly Decimal("3.60")."""
    text, tag = node.value, node.tag.rsplit(":", 1)[-1]
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() in ("true", "yes", "on", "y")
    if tag in ("int", "float"):
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text
    return text


def _plain(node: yaml.Node, file: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping = _Map()
        mapping.line, mapping.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = str(_plain(key_node, file))
            if key in mapping:
                line = key_node.start_mark.line + 1
                raise InputError.at("fees.duplicate_key", file=file, line=line, field=key)
            mapping[key] = _plain(value_node, file)
            mapping.lines[key] = value_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = _Seq(_plain(item, file) for item in node.value)
        sequence.line = node.start_mark.line + 1
        return sequence
    return _scalar(node)


def _compose(text: str, file: str) -> Any:
    try:
        yaml_list.check_shape(text, file)
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise yaml_list.yaml_error(exc, "fees.yaml", file) from exc
    return None if root is None else _plain(root, file)


# ---- reading fields --------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    """Reads typed fields of one file's mappings; every error names file and line."""

    file: str

    def fail(self, key: str, line: int | None, **params: Any) -> InputError:
        return InputError.at(key, file=self.file, line=line, **params)

    def keys(self, m: _Map, allowed: Iterable[str]) -> None:
        known = set(allowed)
        for name in m:
            if name not in known:
                raise self.fail(
                    "fees.unknown_field",
                    m.lines[name],
                    field=name,
                    known=", ".join(sorted(known)),
                )

    def raw(self, m: _Map, name: str, required: bool) -> Any:
        if m.get(name) is None:
            if required:
                raise self.fail("fees.missing_field", m.line, field=name)
            return None
        return m[name]

    def bad(self, m: _Map, name: str, expected: str) -> InputError:
        return self.fail(
            "fees.bad_value",
            m.lines.get(name, m.line),
            field=name,
            value=m[name],
            expected=expected,
        )

    def mapping(self, value: Any, line: int, name: str) -> _Map:
        if not isinstance(value, _Map):
            raise self.fail("fees.bad_value", line, field=name, value=value, expected="a mapping")
        return value

    def seq(self, m: _Map, name: str, required: bool = True) -> _Seq:
        value = self.raw(m, name, required)
        if value is None:
            empty = _Seq()
            empty.line = m.line
            return empty
        if not isinstance(value, _Seq) or (required and not value):
            raise self.bad(m, name, "a non-empty list")
        return value

    def maps(self, m: _Map, name: str, required: bool = True) -> list[_Map]:
        items = self.seq(m, name, required)
        return [self.mapping(item, items.line, name) for item in items]

    def text(self, m: _Map, name: str, required: bool = True) -> str | None:
        value = self.raw(m, name, required)
        if value is None:
            return None
        if isinstance(value, (_Map, _Seq, bool)):
            raise self.bad(m, name, "text")
        return str(value).strip()

    def need_text(self, m: _Map, name: str) -> str:
        value = self.text(m, name)
        assert value is not None  # required=True raised otherwise
        return value

    def decimal(self, m: _Map, name: str, required: bool = True) -> Decimal | None:
        value = self.raw(m, name, required)
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise self.bad(m, name, "a number of 0 or more")
        return value

    def need_decimal(self, m: _Map, name: str) -> Decimal:
        value = self.decimal(m, name)
        assert value is not None
        return value

    def positive(self, m: _Map, name: str, required: bool = True) -> Decimal | None:
        value = self.decimal(m, name, required)
        if value is not None and value == 0:
            raise self.bad(m, name, "a number above 0")
        return value

    def day(self, m: _Map, name: str, required: bool = True) -> date | None:
        value = self.raw(m, name, required)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.bad(m, name, "a date YYYY-MM-DD") from None

    def flag(self, m: _Map, name: str, default: bool) -> bool:
        value = m.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.bad(m, name, "true or false")
        return value

    def choice(self, m: _Map, name: str, options: Iterable[str]) -> str:
        value = self.need_text(m, name)
        known = tuple(options)
        if value not in known:
            raise self.bad(m, name, "one of " + ", ".join(known))
        return value

    def tier(self, m: _Map, name: str = "tier") -> str:
        return self.choice(m, name, TIER_NAMES)

    def tiers(self, m: _Map, name: str) -> tuple[str, ...]:
        items = self.seq(m, name)
        for item in items:
            if item not in TIER_NAMES:
                raise self.fail(
                    "fees.bad_value",
                    m.lines[name],
                    field=name,
                    value=item,
                    expected="one of " + ", ".join(TIER_NAMES),
                )
        return tuple(str(item) for item in items)


# ---- what a row came from --------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a figure comes from: its source text, whether it is confirmed, a note, and
    the file line it is on."""

    source: str
    confirmed: bool
    note: str | None
    file: str
    line: int


ROW_ORIGIN_KEYS = ("source", "confirmed", "note")


def _origin(ctx: _Ctx, m: _Map, parent: Origin) -> Origin:
    """A row's origin: its own source/confirmed/note where given, else the table's.
    (A row's own note replaces, not adds to, the table's note: the table note is shown
    once per table by the callers that want it.)"""
    return Origin(
        source=ctx.text(m, "source", required=False) or parent.source,
        confirmed=ctx.flag(m, "confirmed", parent.confirmed),
        note=ctx.text(m, "note", required=False),
        file=ctx.file,
        line=m.line,
    )


# ---- referral ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RateBand:
    """A slice of a referral rule: `percent` up to `up_to` (inclusive; None = no limit)."""

    up_to: Decimal | None
    percent: Decimal


@dataclass(frozen=True)
class ReferralCategory:
    name: str
    aliases: tuple[str, ...]
    rule: str  # "percent" | "by_price" | "marginal"
    bands: tuple[RateBand, ...]
    catch_all: bool
    origin: Origin

    def describe(self) -> str:
        if self.rule == "percent":
            return f"{self.bands[0].percent}%"
        parts = [
            f"{band.percent}%" + (f" ≤ ${band.up_to}" if band.up_to is not None else " above")
            for band in self.bands
        ]
        return (" on the first / " if self.rule == "marginal" else " / ").join(parts)


def match_key(name: str) -> str:
    """How category names are compared: case-insensitive, spaces collapsed."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ReferralTable:
    categories: tuple[ReferralCategory, ...]
    minimum_fee: Decimal | None
    _index: dict[str, ReferralCategory] = field(default_factory=dict, compare=False)

    def find(self, name: str) -> ReferralCategory | None:
        return self._index.get(match_key(name))

    @property
    def catch_all(self) -> ReferralCategory | None:
        return next((c for c in self.categories if c.catch_all), None)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.categories]


def _rate_bands(ctx: _Ctx, m: _Map, rule: str) -> tuple[RateBand, ...]:
    if rule == "percent":
        return (RateBand(None, ctx.need_decimal(m, "percent")),)
    bands: list[RateBand] = []
    items = ctx.maps(m, rule)
    for i, item in enumerate(items):
        ctx.keys(item, ("up_to", "percent"))
        up_to = ctx.positive(item, "up_to", required=i < len(items) - 1)
        if i == len(items) - 1 and up_to is not None:
            raise ctx.fail("fees.open_band", item.line, field=rule)
        if bands and up_to is not None and bands[-1].up_to is not None and up_to <= bands[-1].up_to:
            raise ctx.bad(item, "up_to", "a limit above the previous band's")
        bands.append(RateBand(up_to, ctx.need_decimal(item, "percent")))
    return tuple(bands)


def _referral_category(ctx: _Ctx, m: _Map, parent: Origin) -> ReferralCategory:
    ctx.keys(
        m, ("name", "aliases", "percent", "by_price", "marginal", "catch_all", *ROW_ORIGIN_KEYS)
    )
    rules = [rule for rule in ("percent", "by_price", "marginal") if m.get(rule) is not None]
    if len(rules) != 1:
        raise ctx.fail("fees.one_rule", m.line, name=m.get("name", "?"))
    aliases = tuple(str(a) for a in ctx.seq(m, "aliases", required=False))
    return ReferralCategory(
        name=ctx.need_text(m, "name"),
        aliases=aliases,
        rule=rules[0],
        bands=_rate_bands(ctx, m, rules[0]),
        catch_all=ctx.flag(m, "catch_all", False),
        origin=_origin(ctx, m, parent),
    )


def _referral(ctx: _Ctx, m: _Map, parent: Origin) -> ReferralTable:
    categories = tuple(_referral_category(ctx, c, parent) for c in ctx.maps(m, "categories"))
    index: dict[str, ReferralCategory] = {}
    for category in categories:
        for name in (category.name, *category.aliases):
            if match_key(name) in index:
                raise ctx.fail("fees.duplicate_category", category.origin.line, category=name)
            index[match_key(name)] = category
    if sum(c.catch_all for c in categories) > 1:
        raise ctx.fail("fees.many_catch_alls", m.line)
    return ReferralTable(categories, ctx.decimal(m, "minimum_fee", required=False), index)


# ---- size tiers --------------------------------------------------------------------------


@dataclass(frozen=True)
class TierRule:
    """One size tier's limits (None = no limit) and how its shipping weight is taken."""

    name: str
    max_shipping_weight_oz: Decimal | None
    max_longest_in: Decimal | None
    max_median_in: Decimal | None
    max_shortest_in: Decimal | None
    max_length_girth_in: Decimal | None
    weight: str  # "unit" | "greater" (of unit and dimensional weight)
    dim_min_side_in: Decimal | None
    origin: Origin


@dataclass(frozen=True)
class SizeTierTable:
    dim_divisor: Decimal
    dim_source: str | None
    tiers: tuple[TierRule, ...]


_TIER_LIMITS = (
    "max_shipping_weight_oz",
    "max_longest_in",
    "max_median_in",
    "max_shortest_in",
    "max_length_girth_in",
)


def _tier_rule(ctx: _Ctx, m: _Map, parent: Origin) -> TierRule:
    ctx.keys(m, ("name", *_TIER_LIMITS, "weight", "dim_min_side_in", *ROW_ORIGIN_KEYS))
    limits = {name: ctx.positive(m, name, required=False) for name in _TIER_LIMITS}
    return TierRule(
        name=ctx.tier(m, "name"),
        weight=ctx.choice(m, "weight", ("unit", "greater")),
        dim_min_side_in=ctx.positive(m, "dim_min_side_in", required=False),
        origin=_origin(ctx, m, parent),
        **limits,
    )


def _size_tiers(ctx: _Ctx, m: _Map, parent: Origin) -> SizeTierTable:
    divisor = ctx.positive(m, "dim_divisor")
    assert divisor is not None
    tiers = tuple(_tier_rule(ctx, t, parent) for t in ctx.maps(m, "tiers"))
    return SizeTierTable(divisor, ctx.text(m, "dim_source", required=False), tiers)


# ---- FBA fulfillment ---------------------------------------------------------------------


@dataclass(frozen=True)
class PriceBand:
    """A price band of a fulfillment table: price < below, or price ≤ up_to, or (neither)
    every price the bands before it did not take."""

    id: str
    below: Decimal | None
    up_to: Decimal | None
    label: str

    def holds(self, price: Decimal) -> bool:
        if self.below is not None:
            return price < self.below
        return self.up_to is None or price <= self.up_to


@dataclass(frozen=True)
class FulfillmentRow:
    """A fee for one tier up to a shipping weight, in some price bands (None = all).
    Above `above_oz` the fee grows by `step_fee` per `step_oz` or part of one."""

    tier: str
    bands: tuple[str, ...] | None
    up_to_oz: Decimal | None
    fee: Decimal
    above_oz: Decimal | None
    step_oz: Decimal | None
    step_fee: Decimal | None
    origin: Origin


@dataclass(frozen=True)
class FulfillmentTable:
    price_bands: tuple[PriceBand, ...]
    rows: tuple[FulfillmentRow, ...]

    def band(self, price: Decimal) -> PriceBand:
        return next(band for band in self.price_bands if band.holds(price))


def _price_band(ctx: _Ctx, m: _Map, last: bool) -> PriceBand:
    ctx.keys(m, ("id", "below", "up_to", "label"))
    below, up_to = ctx.positive(m, "below", False), ctx.positive(m, "up_to", False)
    if below is not None and up_to is not None:
        raise ctx.bad(m, "up_to", "either below or up_to, not both")
    if last and (below is not None or up_to is not None):
        raise ctx.fail("fees.open_band", m.line, field="price_bands")
    band_id = ctx.need_text(m, "id")
    return PriceBand(band_id, below, up_to, ctx.text(m, "label", False) or band_id)


def _fulfillment_row(ctx: _Ctx, m: _Map, parent: Origin, bands: set[str]) -> FulfillmentRow:
    ctx.keys(
        m,
        ("tier", "bands", "up_to_oz", "fee", "above_oz", "step_oz", "step_fee", *ROW_ORIGIN_KEYS),
    )
    row_bands = None
    if m.get("bands") is not None:
        row_bands = tuple(str(b) for b in ctx.seq(m, "bands"))
        for band in row_bands:
            if band not in bands:
                raise ctx.bad(
                    m, "bands", "price band ids of this table: " + ", ".join(sorted(bands))
                )
    step = [ctx.decimal(m, name, False) for name in ("above_oz", "step_oz", "step_fee")]
    if any(s is not None for s in step) and not all(s is not None for s in step):
        raise ctx.fail("fees.partial_step", m.line)
    if step[1] == 0:
        raise ctx.bad(m, "step_oz", "a number above 0")
    return FulfillmentRow(
        tier=ctx.tier(m),
        bands=row_bands,
        up_to_oz=ctx.positive(m, "up_to_oz", False),
        fee=ctx.need_decimal(m, "fee"),
        above_oz=step[0],
        step_oz=step[1],
        step_fee=step[2],
        origin=_origin(ctx, m, parent),
    )


def _fulfillment(ctx: _Ctx, m: _Map, parent: Origin) -> FulfillmentTable:
    items = ctx.maps(m, "price_bands")
    bands = tuple(_price_band(ctx, b, i == len(items) - 1) for i, b in enumerate(items))
    ids = {band.id for band in bands}
    rows = tuple(_fulfillment_row(ctx, r, parent, ids) for r in ctx.maps(m, "rows"))
    return FulfillmentTable(bands, rows)


# ---- storage, aged surcharge, low inventory, placement, payments --------------------------


@dataclass(frozen=True)
class StorageRate:
    tiers: tuple[str, ...]
    months: tuple[int, ...]
    per_cubic_foot: Decimal
    origin: Origin


@dataclass(frozen=True)
class StorageTable:
    rates: tuple[StorageRate, ...]


def _months(ctx: _Ctx, m: _Map) -> tuple[int, ...]:
    months = ctx.seq(m, "months")
    if any(not isinstance(v, Decimal) or v not in range(1, 13) for v in months):
        raise ctx.bad(m, "months", "month numbers 1 to 12")
    return tuple(int(v) for v in months)


def _storage(ctx: _Ctx, m: _Map, parent: Origin) -> StorageTable:
    rates = []
    for item in ctx.maps(m, "rates"):
        ctx.keys(item, ("tiers", "months", "per_cubic_foot", *ROW_ORIGIN_KEYS))
        rates.append(
            StorageRate(
                ctx.tiers(item, "tiers"),
                _months(ctx, item),
                ctx.need_decimal(item, "per_cubic_foot"),
                _origin(ctx, item, parent),
            )
        )
    return StorageTable(tuple(rates))


@dataclass(frozen=True)
class AgedBand:
    from_days: int
    to_days: int | None
    per_cubic_foot: Decimal
    per_unit: Decimal | None  # the per-unit alternative, charged if greater
    origin: Origin


@dataclass(frozen=True)
class AgedTable:
    bands: tuple[AgedBand, ...]


def _whole(ctx: _Ctx, m: _Map, name: str, required: bool) -> int | None:
    value = ctx.decimal(m, name, required)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ctx.bad(m, name, "a whole number of days")
    return int(value)


def _aged(ctx: _Ctx, m: _Map, parent: Origin) -> AgedTable:
    bands = []
    for item in ctx.maps(m, "bands"):
        ctx.keys(item, ("from_days", "to_days", "per_cubic_foot", "per_unit", *ROW_ORIGIN_KEYS))
        start = _whole(ctx, item, "from_days", True)
        assert start is not None
        bands.append(
            AgedBand(
                start,
                _whole(ctx, item, "to_days", False),
                ctx.need_decimal(item, "per_cubic_foot"),
                ctx.decimal(item, "per_unit", False),
                _origin(ctx, item, parent),
            )
        )
    return AgedTable(tuple(bands))


@dataclass(frozen=True)
class DaysBand:
    below_days: Decimal
    fee: Decimal


@dataclass(frozen=True)
class LowInventoryRow:
    tier: str
    up_to_oz: Decimal | None
    bands: tuple[DaysBand, ...]
    origin: Origin


@dataclass(frozen=True)
class LowInventoryTable:
    rows: tuple[LowInventoryRow, ...]


def _low_inventory(ctx: _Ctx, m: _Map, parent: Origin) -> LowInventoryTable:
    rows = []
    for item in ctx.maps(m, "rows"):
        ctx.keys(item, ("tier", "up_to_oz", "bands", *ROW_ORIGIN_KEYS))
        bands = []
        for band in ctx.maps(item, "bands"):
            ctx.keys(band, ("below_days", "fee"))
            bands.append(
                DaysBand(ctx.need_decimal(band, "below_days"), ctx.need_decimal(band, "fee"))
            )
        rows.append(
            LowInventoryRow(
                ctx.tier(item),
                ctx.positive(item, "up_to_oz", False),
                tuple(sorted(bands, key=lambda b: b.below_days)),
                _origin(ctx, item, parent),
            )
        )
    return LowInventoryTable(tuple(rows))


@dataclass(frozen=True)
class PlacementRow:
    tier: str
    up_to_oz: Decimal | None
    min: Decimal
    max: Decimal
    origin: Origin


@dataclass(frozen=True)
class PlacementTable:
    rows: tuple[PlacementRow, ...]


def _placement(ctx: _Ctx, m: _Map, parent: Origin) -> PlacementTable:
    rows = []
    for item in ctx.maps(m, "rows"):
        ctx.keys(item, ("tier", "up_to_oz", "min", "max", *ROW_ORIGIN_KEYS))
        low, high = ctx.need_decimal(item, "min"), ctx.need_decimal(item, "max")
        if low > high:
            raise ctx.bad(item, "min", f"at most max ({high})")
        rows.append(
            PlacementRow(
                ctx.tier(item),
                ctx.positive(item, "up_to_oz", False),
                low,
                high,
                _origin(ctx, item, parent),
            )
        )
    return PlacementTable(tuple(rows))


@dataclass(frozen=True)
class PaymentPlan:
    plan: str
    percent: Decimal
    fixed: Decimal
    origin: Origin


@dataclass(frozen=True)
class PaymentTable:
    plans: tuple[PaymentPlan, ...]

    def find(self, plan: str) -> PaymentPlan | None:
        return next((p for p in self.plans if p.plan == plan.strip().casefold()), None)


def _payments(ctx: _Ctx, m: _Map, parent: Origin) -> PaymentTable:
    plans = []
    for item in ctx.maps(m, "plans"):
        ctx.keys(item, ("plan", "percent", "fixed", *ROW_ORIGIN_KEYS))
        plans.append(
            PaymentPlan(
                ctx.need_text(item, "plan").casefold(),
                ctx.need_decimal(item, "percent"),
                ctx.need_decimal(item, "fixed"),
                _origin(ctx, item, parent),
            )
        )
    return PaymentTable(tuple(plans))


# ---- schedules and the book ---------------------------------------------------------------

_Parser = Callable[[_Ctx, _Map, Origin], object]

# kind -> (parser, the kind's own fields)
KINDS: dict[str, tuple[_Parser, tuple[str, ...]]] = {
    "amazon_referral": (_referral, ("categories", "minimum_fee")),
    "walmart_referral": (_referral, ("categories", "minimum_fee")),
    "amazon_size_tiers": (_size_tiers, ("dim_divisor", "dim_source", "tiers")),
    "amazon_fba_fulfillment": (_fulfillment, ("price_bands", "rows")),
    "amazon_monthly_storage": (_storage, ("rates",)),
    "amazon_aged_surcharge": (_aged, ("bands",)),
    "amazon_low_inventory": (_low_inventory, ("rows",)),
    "amazon_inbound_placement": (_placement, ("rows",)),
    "shopify_payments": (_payments, ("plans",)),
}

_COMMON = ("id", "kind", "effective_from", "effective_to", "currency", *ROW_ORIGIN_KEYS)


@dataclass(frozen=True)
class Schedule:
    """One dated fee table."""

    id: str
    kind: str
    effective_from: date
    effective_to: date | None
    currency: str
    origin: Origin
    body: object

    @property
    def label(self) -> str:
        return f"{self.id} (from {self.effective_from})"


def _schedule(ctx: _Ctx, m: _Map) -> Schedule:
    kind = ctx.need_text(m, "kind")
    if kind not in KINDS:
        raise ctx.fail("fees.unknown_kind", m.lines["kind"], kind=kind, known=", ".join(KINDS))
    parser, fields = KINDS[kind]
    ctx.keys(m, (*_COMMON, *fields))
    start, end = ctx.day(m, "effective_from"), ctx.day(m, "effective_to", required=False)
    assert start is not None
    if end is not None and end < start:
        raise ctx.fail("fees.bad_period", m.lines["effective_to"], start=start, end=end)
    origin = Origin(
        source=ctx.need_text(m, "source"),
        confirmed=ctx.flag(m, "confirmed", False),
        note=ctx.text(m, "note", required=False),
        file=ctx.file,
        line=m.line,
    )
    if m.get("confirmed") is None:
        raise ctx.fail("fees.missing_field", m.line, field="confirmed")
    currency = ctx.text(m, "currency", required=False) or "USD"
    return Schedule(
        ctx.need_text(m, "id"), kind, start, end, currency, origin, parser(ctx, m, origin)
    )


def parse_schedules(text: str, file: str) -> list[Schedule]:
    """The schedules of one YAML text (a `schedules:` list); errors name `file` and line."""
    ctx = _Ctx(file)
    root = _compose(text, file)
    if not isinstance(root, _Map) or not isinstance(root.get("schedules"), _Seq):
        raise ctx.fail("fees.no_list", getattr(root, "line", 1))
    ctx.keys(root, ("schedules",))
    return [_schedule(ctx, m) for m in ctx.maps(root, "schedules")]


def _period(schedule: Schedule, next_start: date | None) -> str:
    end = schedule.effective_to
    if end is None and next_start is not None:
        end = next_start - timedelta(days=1)
    return f"{schedule.effective_from} – {end if end is not None else '…'}"


class FeeBook:
    """Every loaded fee table, by kind; `covering(kind, day)` finds the one in force."""

    def __init__(self, schedules: Iterable[Schedule], digest: str) -> None:
        self.digest = digest
        self._by_kind: dict[str, list[Schedule]] = {}
        for schedule in schedules:
            self._by_kind.setdefault(schedule.kind, []).append(schedule)
        for found in self._by_kind.values():
            found.sort(key=lambda s: s.effective_from)
            _check_starts(found)

    @property
    def schedules(self) -> list[Schedule]:
        return [s for kind in sorted(self._by_kind) for s in self._by_kind[kind]]

    def kinds(self) -> list[str]:
        return sorted(self._by_kind)

    def periods(self, kind: str) -> list[str]:
        """The periods a kind's tables cover, e.g. "2025-01-15 – 2026-01-14"."""
        found = self._by_kind.get(kind, [])
        starts: list[date | None] = [s.effective_from for s in found[1:]]
        starts.append(None)
        starts = starts[: len(found)]
        return [_period(s, nxt) for s, nxt in zip(found, starts, strict=True)]

    def covering(self, kind: str, day: date) -> Schedule:
        """The table of `kind` in force on `day`: the latest one started on or before it,
        unless that one ended before it (then `day` is in a gap)."""
        started = [s for s in self._by_kind.get(kind, []) if s.effective_from <= day]
        if started and (started[-1].effective_to is None or day <= started[-1].effective_to):
            return started[-1]
        covered = "; ".join(self.periods(kind)) or "none"
        raise InputError.at("fees.no_schedule", kind=kind, date=day.isoformat(), covered=covered)

    def table(self, kind: str, day: date, cls: type[T]) -> tuple[Schedule, T]:
        """`covering` with the table's body typed as `cls`."""
        schedule = self.covering(kind, day)
        if not isinstance(schedule.body, cls):  # a kind always parses to one class
            raise TypeError(f"{schedule.label} is not a {cls.__name__}")
        return schedule, schedule.body


def _check_starts(found: list[Schedule]) -> None:
    """Two different tables of a kind starting the same day would make the lookup a
    guess: to replace a table, reuse its id."""
    for before, after in itertools.pairwise(found):
        if before.effective_from == after.effective_from:
            raise InputError.at(
                "fees.same_start",
                file=after.origin.file,
                line=after.origin.line,
                id=after.id,
                other=before.id,
                other_file=before.origin.file,
                date=after.effective_from.isoformat(),
            )


# ---- loading -----------------------------------------------------------------------------


def _builtin_texts() -> list[tuple[str, str]]:
    folder = resources.files("lianxing.data").joinpath("fees")
    found = [item for item in folder.iterdir() if item.name.endswith(".yaml")]
    return [
        (f"lianxing/data/fees/{item.name}", item.read_text("utf-8"))
        for item in sorted(found, key=lambda i: i.name)
    ]


def _workspace_texts(workspace_root: Path | None) -> list[tuple[str, str]]:
    if workspace_root is None or not (workspace_root / "fees").is_dir():
        return []
    files = sorted((workspace_root / "fees").glob("*.yaml"))
    return [(str(path), yaml_list.read_text(path)) for path in files]


def _merge(texts: list[tuple[str, str]]) -> list[Schedule]:
    """Parse in order; a later table with the same (id, effective_from) replaces the
    earlier one (a workspace file overriding a built-in), within one file it is an error."""
    merged: dict[tuple[str, date], Schedule] = {}
    for file, text in texts:
        seen: set[tuple[str, date]] = set()
        for schedule in parse_schedules(text, file):
            key = (schedule.id, schedule.effective_from)
            if key in seen:
                raise InputError.at(
                    "fees.duplicate_schedule",
                    file=file,
                    line=schedule.origin.line,
                    id=schedule.id,
                    date=schedule.effective_from.isoformat(),
                )
            seen.add(key)
            merged[key] = schedule
    return list(merged.values())


def load_book(workspace_root: Path | None = None) -> FeeBook:
    """Built-in schedules from lianxing/data/fees/*.yaml, plus <workspace_root>/fees/*.yaml
    when that folder exists: a workspace table with the same (id, effective_from) replaces
    the built-in one, others are added. Bad files raise InputError with file and line."""
    texts = _builtin_texts() + _workspace_texts(workspace_root)
    digest = hashlib.sha256()
    for file, text in texts:
        digest.update(Path(file).name.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return FeeBook(_merge(texts), digest.hexdigest())
