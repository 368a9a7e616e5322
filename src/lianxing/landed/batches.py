"""Inbound batches and the landed cost per unit of every batch line.

A batch file (CSV, one row per batch line) says what was bought, at what price and rate,
how it came (sea or air), when it was entered at US customs and when it arrived. Its
landed cost adds to the goods their share of the first-mile freight, the duties of the
line (from the duty book), the Merchandise Processing Fee of the customs entry, the Harbor
Maintenance Fee of an ocean shipment and the inbound placement fee. Batch totals are
split across lines so the shares add up exactly to the total (docs/landed-cost.md).

`fifo_costs` and `weighted_average_costs` are small pure-Python references of how sold
units draw on batches; the SQL that costs real sales is checked against them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lianxing.errors import InputError, Problem
from lianxing.ingest.csv_sheet import MAX_PROBLEMS, Checker, read_sheet
from lianxing.landed.duties import (
    MODES,
    OVERRIDE,
    PLACES,
    DutyBook,
    DutyLine,
    hmf_fee,
    line_duties,
    mpf_fee,
    normalize_hts,
    quantize,
    scenario_line,
)
from lianxing.product_specs import ProductSpec

RateLookup = Callable[
    [str, date], Decimal | None
]  # (currency, day) -> USD per unit, None if unknown

USD = "USD"
ZERO = Decimal("0.0000")
ONE = Decimal(1)
REQUIRED = (
    "batch_id",
    "sku",
    "units",
    "unit_cost",
    "cost_currency",
    "paid_on",
    "mode",
    "entry_date",
    "arrived_on",
)
OPTIONAL = (
    "fx_rate",
    "fx_per_usd",
    "freight",
    "freight_currency",
    "freight_fx",
    "freight_fx_per_usd",
    "allocate_by",
    "entry_id",
    "hts_code",
    "origin",
    "mfn_rate",
    "duty_rate",
    "placement_fee",
    "store",
)
# Columns that describe the whole batch: they may be written on any of its lines, and where
# written on several they must agree.
BATCH_COLUMNS = (
    "mode",
    "entry_date",
    "arrived_on",
    "freight",
    "freight_currency",
    "freight_fx",
    "freight_fx_per_usd",
    "allocate_by",
    "entry_id",
    "placement_fee",
    "store",
)
ALLOCATE_BY = ("volume", "weight")
DEFAULT_ALLOCATION = {"sea": "volume", "air": "weight"}
MAX_UNITS = 10_000_000
MAX_RATE = Decimal(5)  # 500 %
_HTS = re.compile(r"\d{4,10}")
_ORIGIN = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class BatchLine:
    batch_id: str
    sku: str
    units: int
    unit_cost: Decimal  # per unit, in cost_currency
    cost_currency: str
    paid_on: date
    fx_rate: Decimal | None  # USD per unit of cost_currency; None = ask the rate lookup
    hts_code: str | None  # digits; None = the product spec's
    origin: str | None  # None = the product spec's
    mfn_rate: Decimal | None  # a fraction; replaces the table's MFN rate
    duty_rate: Decimal | None  # a fraction; replaces every tariff of the line
    line: int


@dataclass(frozen=True)
class Batch:
    batch_id: str
    mode: str  # sea | air
    entry_date: date
    arrived_on: date
    entry_id: str  # the customs entry; MPF is charged per entry
    freight: Decimal  # batch total first-mile freight, in freight_currency
    freight_currency: str
    freight_fx: Decimal | None  # USD per unit of freight_currency
    allocate_by: str  # volume | weight
    placement_fee: Decimal  # batch total, USD
    store: str | None
    lines: tuple[BatchLine, ...]
    file: str


@dataclass(frozen=True)
class LandedLine:
    batch_id: str
    sku: str
    units: int
    arrived_on: date
    mode: str
    line: int
    file: str
    goods: Decimal  # line totals, USD, 4 decimals
    freight: Decimal
    duty: Decimal
    mpf: Decimal
    hmf: Decimal
    placement: Decimal
    duties: tuple[DutyLine, ...]  # the evidence of `duty`
    fees: tuple[DutyLine, ...] = ()  # the entry's MPF and the batch's HMF this line shares
    entry_id: str = ""
    store: str | None = None
    hts_code: str | None = None
    origin: str | None = None

    @property
    def total(self) -> Decimal:
        return self.goods + self.freight + self.duty + self.mpf + self.hmf + self.placement

    @property
    def unit_cost(self) -> Decimal:
        """Landed cost of one unit, USD, 4 decimals."""
        return quantize(self.total / self.units)


# ---- reading -----------------------------------------------------------------------------


@dataclass
class _Draft:
    """A batch while its lines are read: batch-level values and the line each came from."""

    first_line: int
    values: dict[str, tuple[Any, str, int]] = field(default_factory=dict)
    lines: list[BatchLine] = field(default_factory=list)


def read_batches(path: Path) -> list[Batch]:
    """Every batch of a batch file, validated; all problems are reported at once."""
    sheet = read_sheet(path, REQUIRED, OPTIONAL)
    if not sheet.rows:
        raise InputError.at("file.no_rows", file=str(path))
    check = Checker(path)
    drafts: dict[str, _Draft] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in sheet.rows:
        batch_id = check.text(line, row, "batch_id", 60)
        sku = check.text(line, row, "sku")
        units = _units(check, line, row)
        unit_cost = check.amount(line, row, "unit_cost")
        currency = check.currency(line, row, "cost_currency")
        paid_on = check.day(line, row, "paid_on")
        fx_rate = _fx(check, line, row, "fx_rate", "fx_per_usd")
        hts = _hts(check, line, row)
        origin = _origin(check, line, row)
        mfn_rate = _rate(check, line, row, "mfn_rate")
        duty_rate = _rate(check, line, row, "duty_rate")
        if batch_id is None:
            continue
        draft = drafts.setdefault(batch_id, _Draft(line))
        _batch_values(check, line, row, batch_id, draft)
        if sku is None:
            continue
        first = seen.setdefault((batch_id, sku), line)
        if first != line:
            check.fail(
                "csv.duplicate_key", line, "sku", what=f"{batch_id} / {sku}", first=str(first)
            )
            continue
        if units is None or unit_cost is None or currency is None or paid_on is None:
            continue
        draft.lines.append(
            BatchLine(
                batch_id, sku, units, unit_cost, currency, paid_on, fx_rate, hts, origin,
                mfn_rate, duty_rate, line,
            )
        )  # fmt: skip
    batches = [b for b in (_batch(check, bid, d, str(path)) for bid, d in drafts.items()) if b]
    check.raise_if_any()
    return batches


def _units(check: Checker, line: int, row: dict[str, str]) -> int | None:
    value = row.get("units", "")
    text = value.replace(",", "")
    if not text.isdigit() or not 0 < int(text) <= MAX_UNITS:
        check.fail("landed.bad_units", line, "units", value=value, high=str(MAX_UNITS))
        return None
    return int(text)


def _fx(
    check: Checker, line: int, row: dict[str, str], usd_per: str, per_usd: str
) -> Decimal | None:
    """A rate to USD, written either way round: `fx_rate` 0.1389 (USD per yuan) or
    `fx_per_usd` 7.20 (yuan per USD, as sellers quote it)."""
    if row.get(usd_per) and row.get(per_usd):
        check.fail("landed.two_rates", line, per_usd, first=usd_per)
        return None
    if row.get(usd_per):
        return check.amount(line, row, usd_per, positive=True, high=Decimal(100000), places=10)
    if row.get(per_usd):
        rate = check.amount(line, row, per_usd, positive=True, high=Decimal(100000), places=10)
        return ONE / rate if rate is not None else None
    return None


def _hts(check: Checker, line: int, row: dict[str, str]) -> str | None:
    value = row.get("hts_code", "")
    if not value:
        return None
    code = normalize_hts(value)
    if not _HTS.fullmatch(code):
        check.fail("landed.bad_hts", line, "hts_code", value=value)
        return None
    return code


def _origin(check: Checker, line: int, row: dict[str, str]) -> str | None:
    value = row.get("origin", "").upper()
    if not value:
        return None
    if not _ORIGIN.fullmatch(value):
        check.fail("landed.bad_origin", line, "origin", value=row.get("origin", ""))
        return None
    return value


def _rate(check: Checker, line: int, row: dict[str, str], column: str) -> Decimal | None:
    """'7.5%' or 0.075; a bare number above 1 is refused (7.5 would be 750 %)."""
    value = row.get(column, "")
    if not value:
        return None
    text = value.strip()
    percent = text.endswith("%")
    try:
        rate = Decimal(text[:-1].strip() if percent else text)
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or rate < 0:
        check.fail("landed.bad_rate", line, column, value=value)
        return None
    if not percent and rate > 1:
        check.fail("landed.rate_needs_percent", line, column, value=value)
        return None
    rate = rate / 100 if percent else rate
    if rate > MAX_RATE:
        check.fail("landed.bad_rate", line, column, value=value)
        return None
    return rate


def _batch_value(check: Checker, line: int, row: dict[str, str], column: str) -> Any:
    """The parsed value of a batch-level cell (None when bad; the problem is recorded)."""
    value = row[column]
    if column == "mode":
        mode = value.lower()
        if mode not in MODES:
            check.fail("landed.bad_mode", line, column, value=value)
            return None
        return mode
    if column in ("entry_date", "arrived_on"):
        return check.day(line, row, column)
    if column in ("freight", "placement_fee"):
        return check.amount(line, row, column)
    if column == "freight_currency":
        return check.currency(line, row, column)
    if column in ("freight_fx", "freight_fx_per_usd"):
        return check.amount(line, row, column, positive=True, high=Decimal(100000), places=10)
    if column == "allocate_by":
        basis = value.lower()
        if basis not in ALLOCATE_BY:
            check.fail("landed.bad_allocate_by", line, column, value=value)
            return None
        return basis
    return check.text(line, row, column, 60)  # entry_id, store


def _batch_values(
    check: Checker, line: int, row: dict[str, str], batch_id: str, draft: _Draft
) -> None:
    for column in BATCH_COLUMNS:
        if not row.get(column):
            continue
        value = _batch_value(check, line, row, column)
        if value is None:
            continue
        known = draft.values.get(column)
        if known is None:
            draft.values[column] = (value, row[column], line)
        elif known[0] != value:
            check.fail(
                "landed.batch_disagrees",
                line,
                column,
                batch=batch_id,
                value=row[column],
                first=str(known[2]),
                first_value=known[1],
            )


def _batch(check: Checker, batch_id: str, draft: _Draft, file: str) -> Batch | None:
    values = {name: v[0] for name, v in draft.values.items()}
    for column in ("mode", "entry_date", "arrived_on"):
        if column not in values:
            check.fail("landed.batch_missing", draft.first_line, column, batch=batch_id)
    if "freight_fx" in values and "freight_fx_per_usd" in values:
        line = draft.values["freight_fx_per_usd"][2]
        check.fail("landed.two_rates", line, "freight_fx_per_usd", first="freight_fx")
    entry_date: date | None = values.get("entry_date")
    arrived_on: date | None = values.get("arrived_on")
    if entry_date is not None and arrived_on is not None and arrived_on < entry_date:
        check.fail(
            "landed.arrived_before_entry",
            draft.values["arrived_on"][2],
            "arrived_on",
            arrived=arrived_on.isoformat(),
            entered=entry_date.isoformat(),
        )
    if check.problems or not draft.lines or entry_date is None or arrived_on is None:
        return None
    mode = values["mode"]
    freight_fx = values.get("freight_fx")
    if "freight_fx_per_usd" in values:
        freight_fx = ONE / values["freight_fx_per_usd"]
    return Batch(
        batch_id=batch_id,
        mode=mode,
        entry_date=entry_date,
        arrived_on=arrived_on,
        entry_id=values.get("entry_id", batch_id),
        freight=values.get("freight", ZERO),
        freight_currency=values.get("freight_currency", USD),
        freight_fx=freight_fx,
        allocate_by=values.get("allocate_by", DEFAULT_ALLOCATION[mode]),
        placement_fee=values.get("placement_fee", ZERO),
        store=values.get("store"),
        lines=tuple(draft.lines),
        file=file,
    )


# ---- landed cost -------------------------------------------------------------------------


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` split in proportion to `weights`, each share to 4 decimals, adding up exactly:
    the largest share takes the rounding remainder. Equal shares when every weight is 0."""
    if not weights:
        return []
    if all(w == 0 for w in weights):
        weights = [ONE] * len(weights)
    whole = sum(weights, ZERO)
    shares = [quantize(total * w / whole) for w in weights]
    largest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    shares[largest] += total - sum(shares, ZERO)
    if shares[largest] < 0:
        # Only for totals of a few ten-thousandths over many lines, where rounding every
        # share up overshoots: round down instead, so the remainder is never negative.
        shares = [(total * w / whole).quantize(PLACES, rounding=ROUND_DOWN) for w in weights]
        shares[largest] += total - sum(shares, ZERO)
    return shares


@dataclass
class _Resolved:
    """One batch line with everything the book and the specs told about it."""

    batch: Batch
    line: BatchLine
    goods: Decimal
    basis: Decimal  # volume or weight of the line, for the freight split
    hts: str | None
    origin: str
    duties: list[DutyLine] = field(default_factory=list)


def landed_costs(
    batches: Sequence[Batch],
    specs: Mapping[str, ProductSpec],
    duties: DutyBook,
    rates: RateLookup,
    *,
    extra_tariff: Decimal = Decimal(0),
    freight_override: Mapping[str, Decimal] | None = None,
) -> list[LandedLine]:
    """The landed cost of every batch line (in the order of `batches`).

    `extra_tariff` adds a what-if surcharge to every line (e.g. 0.10 for +10 points);
    `freight_override` replaces a batch's freight (batch_id -> USD total). Every problem
    (a SKU without a spec, no rate, no duty row ...) is reported with its file and line.
    """
    problems: list[Problem] = []
    freight_usd: dict[str, Decimal] = {}
    resolved: list[_Resolved] = []
    for batch in batches:
        freight = _freight_usd(batch, rates, freight_override, problems)
        freight_usd[batch.batch_id] = freight
        for line in batch.lines:
            item = _resolve(batch, line, specs, rates, freight != 0, problems)
            if item is not None:
                resolved.append(item)
    _raise(problems)
    for item in resolved:
        item.duties = _duties(item, duties, extra_tariff, problems)
    _check_entries(batches, problems)
    _raise(problems)

    by_batch: dict[str, list[_Resolved]] = {}
    by_entry: dict[str, list[_Resolved]] = {}
    for item in resolved:
        by_batch.setdefault(item.batch.batch_id, []).append(item)
        by_entry.setdefault(item.batch.entry_id, []).append(item)
    shares: dict[int, dict[str, Decimal]] = {id(i): {} for i in resolved}
    fees: dict[int, list[DutyLine]] = {id(i): [] for i in resolved}

    def spread(part: str, items: list[_Resolved], total: Decimal, weights: list[Decimal]) -> None:
        for item, share in zip(items, allocate(total, weights), strict=True):
            shares[id(item)][part] = share

    for entry_items in by_entry.values():
        first = entry_items[0].batch
        value = sum((i.goods for i in entry_items), ZERO)
        try:
            mpf = mpf_fee(duties, entry_date=first.entry_date, entered_value=value)
        except InputError as exc:
            _relocate(exc, first.file, first.lines[0].line, "entry_date", problems)
            continue
        spread("mpf", entry_items, mpf.amount, _by_value(entry_items))
        for item in entry_items:
            fees[id(item)].append(mpf)
    for batch_items in by_batch.values():
        batch = batch_items[0].batch
        spread("freight", batch_items, freight_usd[batch.batch_id], [i.basis for i in batch_items])
        spread(
            "placement",
            batch_items,
            quantize(batch.placement_fee),
            [Decimal(i.line.units) for i in batch_items],
        )
        if batch.mode != "sea":
            continue
        value = sum((i.goods for i in batch_items), ZERO)
        try:
            hmf = hmf_fee(duties, entry_date=batch.entry_date, cargo_value=value)
        except InputError as exc:
            _relocate(exc, batch.file, batch.lines[0].line, "entry_date", problems)
            continue
        spread("hmf", batch_items, hmf.amount, _by_value(batch_items))
        for item in batch_items:
            fees[id(item)].append(hmf)
    _raise(problems)

    out = []
    for item in resolved:
        part = shares[id(item)]
        out.append(
            LandedLine(
                batch_id=item.batch.batch_id,
                sku=item.line.sku,
                units=item.line.units,
                arrived_on=item.batch.arrived_on,
                mode=item.batch.mode,
                line=item.line.line,
                file=item.batch.file,
                goods=item.goods,
                freight=part.get("freight", ZERO),
                duty=sum((d.amount for d in item.duties), ZERO),
                mpf=part.get("mpf", ZERO),
                hmf=part.get("hmf", ZERO),
                placement=part.get("placement", ZERO),
                duties=tuple(item.duties),
                fees=tuple(fees[id(item)]),
                entry_id=item.batch.entry_id,
                store=item.batch.store,
                hts_code=item.hts,
                origin=item.origin,
            )
        )
    return out


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems[0].key, problems=problems[:MAX_PROBLEMS])


def _by_value(items: list[_Resolved]) -> list[Decimal]:
    # Goods value decides the share of a value-based fee; units when every line is free.
    if all(i.goods == 0 for i in items):
        return [Decimal(i.line.units) for i in items]
    return [i.goods for i in items]


def _freight_usd(
    batch: Batch,
    rates: RateLookup,
    override: Mapping[str, Decimal] | None,
    problems: list[Problem],
) -> Decimal:
    if override is not None and batch.batch_id in override:
        return quantize(override[batch.batch_id])
    if batch.freight == 0:
        return ZERO
    fx = batch.freight_fx
    if fx is None:
        # Freight is invoiced around the time the goods ship; the entry date stands for it.
        fx = (
            ONE
            if batch.freight_currency == USD
            else rates(batch.freight_currency, batch.entry_date)
        )
    if fx is None:
        problems.append(
            Problem(
                "landed.no_rate",
                {"currency": batch.freight_currency, "day": batch.entry_date.isoformat()},
                batch.file,
                batch.lines[0].line,
                "freight_fx",
            )
        )
        return ZERO
    return quantize(batch.freight * fx)


def _resolve(
    batch: Batch,
    line: BatchLine,
    specs: Mapping[str, ProductSpec],
    rates: RateLookup,
    needs_basis: bool,
    problems: list[Problem],
) -> _Resolved | None:
    start = len(problems)

    def bad(key: str, column: str, **params: str) -> None:
        problems.append(Problem(key, dict(params), batch.file, line.line, column))

    spec = specs.get(line.sku)
    if spec is None:
        bad("landed.no_spec", "sku", sku=line.sku)
        return None
    fx = line.fx_rate
    if fx is None:
        fx = ONE if line.cost_currency == USD else rates(line.cost_currency, line.paid_on)
    if fx is None:
        bad("landed.no_rate", "fx_rate", currency=line.cost_currency, day=line.paid_on.isoformat())
    origin = line.origin or (spec.origin.strip().upper() if spec.origin else None)
    if origin is None:
        bad("landed.no_origin", "origin", sku=line.sku)
    hts = line.hts_code or (normalize_hts(spec.hts_code) if spec.hts_code else None)
    if hts is None and line.duty_rate is None:
        bad("landed.no_hts", "hts_code", sku=line.sku)
    basis = _basis(spec, batch.allocate_by)
    if basis is None:
        if needs_basis:
            key = "landed.no_volume" if batch.allocate_by == "volume" else "landed.no_weight"
            bad(key, "sku", sku=line.sku)
        basis = ZERO
    if len(problems) > start:
        return None
    assert fx is not None and origin is not None
    goods = quantize(line.unit_cost * line.units * fx)
    return _Resolved(batch, line, goods, basis * line.units, hts, origin)


def _basis(spec: ProductSpec, allocate_by: str) -> Decimal | None:
    if allocate_by == "weight":
        return spec.weight_oz
    if spec.length_in is None or spec.width_in is None or spec.height_in is None:
        return None
    return spec.length_in * spec.width_in * spec.height_in


_COLUMN_OF = {"duties.before_tables": "entry_date", "duties.no_fee_row": "entry_date"}


def _relocate(exc: InputError, file: str, line: int, column: str, problems: list[Problem]) -> None:
    """The duty book's problems, placed on the batch line they came from."""
    for p in exc.problems or [Problem(exc.key, dict(exc.params))]:
        problems.append(Problem(p.key, p.params, file, line, _COLUMN_OF.get(p.key, column)))


def _duties(
    item: _Resolved, book: DutyBook, extra: Decimal, problems: list[Problem]
) -> list[DutyLine]:
    line, batch = item.line, item.batch
    if line.duty_rate is not None:
        where = f"duty_rate given in {batch.file} line {line.line}"
        found = [
            DutyLine(
                OVERRIDE,
                line.duty_rate,
                item.goods,
                quantize(item.goods * line.duty_rate),
                where,
                True,
            )
        ]
        if extra:
            found.append(scenario_line(extra, item.goods))
        return found
    try:
        return line_duties(
            book,
            hts_code=item.hts,
            origin=item.origin,
            entry_date=batch.entry_date,
            value_usd=item.goods,
            mfn_rate=line.mfn_rate,
            extra_rate=extra,
        )
    except InputError as exc:
        _relocate(exc, batch.file, line.line, "hts_code", problems)
        return []


def _check_entries(batches: Sequence[Batch], problems: list[Problem]) -> None:
    """Batches sharing a customs entry must share its date and mode (one MPF, one entry)."""
    first: dict[str, Batch] = {}
    for batch in batches:
        known = first.setdefault(batch.entry_id, batch)
        if known is batch:
            continue
        if (known.entry_date, known.mode) != (batch.entry_date, batch.mode):
            problems.append(
                Problem(
                    "landed.entry_mismatch",
                    {
                        "entry": batch.entry_id,
                        "batch": known.batch_id,
                        "first": known.lines[0].line,
                    },
                    batch.file,
                    batch.lines[0].line,
                    "entry_id",
                )
            )


# ---- how sales draw on batches (reference implementations) -------------------------------


def _check_sales(
    sales: Sequence[tuple[date, int]], lots: Sequence[tuple[date, int, Decimal]]
) -> None:
    if not lots:
        raise ValueError("no lots to cost the sales from")
    if any(units < 0 for _, units in sales) or any(units < 0 for _, units, _ in lots):
        raise ValueError("units must not be negative")
    if any(a[0] > b[0] for a, b in itertools.pairwise(sales)):
        raise ValueError("sales must be in date order")


def fifo_costs(
    sales: Sequence[tuple[date, int]], lots: Sequence[tuple[date, int, Decimal]]
) -> list[tuple[date, int, Decimal]]:
    """Cost of each sale (day, units) when units leave in the order lots arrived.

    Lots are (arrived_on, units, unit_cost), taken oldest first (ties keep their order).
    A sale draws on the queue whatever its day, so a sale recorded before a lot's arrival
    date still takes from it once earlier lots are used up. Units sold beyond every lot are
    costed at the last lot's unit cost. Each sale's cost is rounded once, to 4 decimals.
    """
    _check_sales(sales, lots)
    ordered = sorted(lots, key=lambda lot: lot[0])
    remaining = [units for _, units, _ in ordered]
    last_cost = ordered[-1][2]
    index = 0
    out = []
    for day, units in sales:
        left, cost = units, ZERO
        while left and index < len(ordered):
            take = min(left, remaining[index])
            cost += take * ordered[index][2]
            remaining[index] -= take
            left -= take
            if remaining[index] == 0:
                index += 1
        cost += left * last_cost
        out.append((day, units, quantize(cost)))
    return out


def weighted_average_costs(
    sales: Sequence[tuple[date, int]], lots: Sequence[tuple[date, int, Decimal]]
) -> list[tuple[date, int, Decimal]]:
    """Cost of each sale at the units-weighted average unit cost of every lot arrived on or
    before its day (the first lot's cost before any arrived), rounded once to 4 decimals."""
    _check_sales(sales, lots)
    ordered = sorted(lots, key=lambda lot: lot[0])
    out = []
    for day, units in sales:
        arrived = [lot for lot in ordered if lot[0] <= day]
        count = sum(u for _, u, _ in arrived)
        if not arrived or count == 0:
            average = ordered[0][2]
        else:
            average = sum((u * c for _, u, c in arrived), ZERO) / count
        out.append((day, units, quantize(units * average)))
    return out
