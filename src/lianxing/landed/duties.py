"""The duty book: dated US duty and entry-fee tables, and the duties of one entry line.

The tables live in `data/duties.yaml` (shipped) and, optionally, a workspace's own
`duties.yaml`, which adds rows or overrides shipped ones. Every row is one rate of one
program (MFN, Section 301, IEEPA, Section 122, MPF, HMF) for an HTS prefix and a country
of origin over a span of entry dates, with its source and whether that source was checked.
No rate is written in this module: a figure that changes with politics or the fiscal year
must be data a user can see, date and correct.

A row applies to an entry line when its program's rows are searched for the entry date,
the line's HTS code and origin; the most specific row wins (longest HTS prefix, then an
exact origin over "*", then a workspace row over a shipped one). Two rows of one file that
would tie are refused when the file is loaded, so the answer never depends on row order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lianxing import yaml_list
from lianxing.data import read_data
from lianxing.errors import InputError, Problem

FILE = "duties.yaml"
PLACES = Decimal("0.0001")
ANY = "*"
MPF = "mpf"
HMF = "hmf"
MFN = "mfn"
SCENARIO = "scenario"
OVERRIDE = "override"
# The order duty lines are listed in; a workspace may add programs of its own (say an
# anti-dumping duty), which follow these in name order. Only the names are fixed here.
TARIFF_ORDER = (MFN, "section301", "ieepa_fentanyl", "ieepa_reciprocal", "section122")
FEES = (MPF, HMF)
MODES = ("sea", "air")

_FIELDS = {
    "program",
    "hts",
    "origin",
    "rate",
    "effective_from",
    "effective_to",
    "source",
    "confirmed",
    "note",
    "minimum",
    "maximum",
    "informal",
    "formal_over",
}
_FEE_FIELDS = {"minimum", "maximum", "informal", "formal_over"}
_TOP = {"version", "covers_from", "rows"}
_PROGRAM = re.compile(r"[a-z][a-z0-9_]{0,39}")
_HTS = re.compile(r"\d{2,10}")
_ORIGIN = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_RATE = Decimal(5)  # 500 %: above every tariff seen (the April 2025 peak was 145 %)


class _Loader(yaml_list._Loader):
    """Dates, and also numbers, left as text: rates and fees become Decimal, never float."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in found if tag.rsplit(":", 1)[-1] not in ("int", "float")]
    for first, found in yaml_list._Loader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class DutyRow:
    """One dated rate of one program, as written in a duties file."""

    program: str
    hts: str  # digits of the HTS prefix, "" for any code
    origin: str  # ISO country code, "*" for any
    rate: Decimal  # a fraction: 0.075 for 7.5 %
    effective_from: date
    effective_to: date | None  # last day in force, None = open
    source: str
    confirmed: bool
    file: str
    line: int | None
    layer: int  # 0 shipped, 1 workspace (wins a tie)
    note: str = ""
    minimum: Decimal | None = None  # mpf only: per formal entry
    maximum: Decimal | None = None
    informal: Decimal | None = None  # mpf only: flat fee of an informal entry
    formal_over: Decimal | None = None  # mpf only: entered value above which an entry is formal

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def overlaps(self, other: DutyRow) -> bool:
        far = date.max
        return self.effective_from <= (other.effective_to or far) and other.effective_from <= (
            self.effective_to or far
        )

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class DutyBook:
    rows: tuple[DutyRow, ...]
    covers_from: date  # entries before this day are refused
    digest: str  # sha256 of the texts read, so a result can name the tables it used
    files: tuple[str, ...]

    def programs(self) -> list[str]:
        """Every tariff program with rows, in listing order (fees excluded)."""
        names = {r.program for r in self.rows if r.program not in FEES}
        known = [p for p in TARIFF_ORDER if p in names]
        return known + sorted(names - set(TARIFF_ORDER))

    def find(self, program: str, day: date, hts: str = "", origin: str = ANY) -> DutyRow | None:
        """The row of `program` that applies to a line, or None when none does."""
        best: DutyRow | None = None
        best_key: tuple[int, int, int] = (-1, -1, -1)
        for row in self.rows:
            if row.program != program or not row.covers(day):
                continue
            if row.origin not in (ANY, origin) or not hts.startswith(row.hts):
                continue
            key = (len(row.hts), row.origin != ANY, row.layer)
            if key > best_key:
                best, best_key = row, key
        return best


@dataclass(frozen=True)
class DutyLine:
    """One duty or fee charged, with the row it came from: the evidence of a landed cost."""

    program: str
    rate: Decimal
    base: Decimal  # the value the rate was applied to, USD
    amount: Decimal  # USD, 4 decimals
    source: str
    confirmed: bool
    note: str = ""  # e.g. "minimum applied", "informal entry"


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(PLACES, rounding=ROUND_HALF_UP)


def normalize_hts(code: str) -> str:
    """Digits only: '9503.00.0073' -> '9503000073'."""
    return re.sub(r"[\s.\-]", "", code)


def load_duty_book(workspace_root: Path | None = None) -> DutyBook:
    """The shipped tables, plus `<workspace_root>/duties.yaml` when there is one."""
    texts = [(f"lianxing/data/{FILE}", read_data(FILE), 0)]
    if workspace_root is not None:
        path = workspace_root / FILE
        if path.is_file():
            try:
                texts.append((str(path), yaml_list.read_text(path), 1))
            except OSError as exc:
                raise InputError.at("duties.unreadable", file=str(path), detail=str(exc)) from exc
    digest = hashlib.sha256()
    rows: list[DutyRow] = []
    covers_from: date | None = None
    problems: list[Problem] = []
    for file, text, layer in texts:
        digest.update(file.encode() + b"\0" + text.encode() + b"\0")
        found, start = _parse(text, file, layer, problems)
        rows.extend(found)
        covers_from = start or covers_from  # the workspace's value wins
    if problems:
        raise InputError(problems[0].key, problems=problems[:20])
    if covers_from is None:
        raise InputError.at("duties.no_covers_from", file=texts[0][0], line=1)
    return DutyBook(tuple(rows), covers_from, digest.hexdigest(), tuple(t[0] for t in texts))


def _parse(
    text: str, file: str, layer: int, problems: list[Problem]
) -> tuple[list[DutyRow], date | None]:
    root, data = yaml_list.parse(text, file, "duties", _Loader)
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise InputError.at("duties.no_list", file=file, line=1)
    for name in data:
        if name not in _TOP:
            problems.append(Problem("duties.unknown_field", {"name": str(name)}, file, 1))
    lines: list[int | None] = []
    for key, value in root.value if root is not None else []:
        if key.value == "rows":
            lines = [item.start_mark.line + 1 for item in value.value]
    covers_from = None
    if "covers_from" in data:
        covers_from = _day(data["covers_from"], "covers_from", file, 1, problems)
    rows: list[DutyRow] = []
    for i, entry in enumerate(data["rows"]):
        row = _row(entry, file, lines[i] if i < len(lines) else None, layer, problems)
        if row is not None:
            rows.append(row)
    # Within one file two rows for the same program, prefix and origin must not share a day:
    # which one applies would otherwise depend on the order they are written in.
    for i, row in enumerate(rows):
        for other in rows[:i]:
            same = (row.program, row.hts, row.origin) == (other.program, other.hts, other.origin)
            if same and row.overlaps(other):
                problems.append(
                    Problem("duties.overlap", {"first": other.line or "?"}, file, row.line)
                )
    return rows, covers_from


def _row(
    entry: Any, file: str, line: int | None, layer: int, problems: list[Problem]
) -> DutyRow | None:
    if not isinstance(entry, dict):
        problems.append(Problem("duties.not_a_row", {}, file, line))
        return None
    start = len(problems)

    def bad(key: str, column: str, **params: Any) -> None:
        problems.append(Problem(key, params, file, line, column))

    for name in entry:
        if name not in _FIELDS:
            bad("duties.unknown_field", str(name), name=str(name))
    program = entry.get("program")
    if not isinstance(program, str) or not _PROGRAM.fullmatch(program):
        bad("duties.bad_program", "program", value=str(program))
        program = ""
    hts_text = str(entry.get("hts", ANY)).strip()
    hts = "" if hts_text == ANY else normalize_hts(hts_text)
    if hts and not _HTS.fullmatch(hts):
        bad("duties.bad_hts", "hts", value=hts_text)
    origin = str(entry.get("origin", ANY)).strip().upper()
    if origin != ANY and not _ORIGIN.fullmatch(origin):
        bad("duties.bad_origin", "origin", value=origin)
    if program in FEES and (hts or origin != ANY):
        bad("duties.fee_scope", "hts", program=program)
    rate = _rate(entry.get("rate"))
    if rate is None:
        bad("duties.bad_rate", "rate", value=str(entry.get("rate")))
    start_day = _day(entry.get("effective_from"), "effective_from", file, line, problems)
    end_day = None
    if entry.get("effective_to") is not None:
        end_day = _day(entry.get("effective_to"), "effective_to", file, line, problems)
    if start_day and end_day and end_day < start_day:
        bad("duties.ends_before_start", "effective_to")
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        bad("duties.no_source", "source")
    confirmed = entry.get("confirmed")
    if not isinstance(confirmed, bool):
        bad("duties.bad_confirmed", "confirmed", value=str(confirmed))
    note = entry.get("note") or ""
    fees: dict[str, Decimal | None] = {}
    for name in sorted(_FEE_FIELDS):
        value = entry.get(name)
        if value is None:
            fees[name] = None
            continue
        if program != MPF:
            bad("duties.fee_field", name, name=name)
            continue
        fees[name] = _amount(value)
        if fees[name] is None:
            bad("duties.bad_amount", name, value=str(value))
    if program == MPF:
        for name in ("minimum", "maximum", "formal_over"):
            if name not in entry:
                bad("duties.fee_missing", name, name=name)
        low, high = fees.get("minimum"), fees.get("maximum")
        if low is not None and high is not None and low > high:
            bad("duties.min_over_max", "minimum")
    if len(problems) > start:
        return None
    assert rate is not None and start_day is not None and isinstance(confirmed, bool)
    return DutyRow(
        program=program,
        hts=hts,
        origin=origin,
        rate=rate,
        effective_from=start_day,
        effective_to=end_day,
        source=str(source).strip(),
        confirmed=confirmed,
        file=file,
        line=line,
        layer=layer,
        note=str(note),
        **fees,
    )


def _rate(value: Any) -> Decimal | None:
    """'7.5%' -> 0.075. The % sign is required so that 7.5 and 0.075 cannot be confused."""
    if not isinstance(value, str) or not value.strip().endswith("%"):
        return None
    try:
        rate = Decimal(value.strip()[:-1].strip()) / 100
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and Decimal(0) <= rate <= MAX_RATE else None


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and Decimal(0) <= amount < Decimal(10**7) else None


def _day(
    value: Any, column: str, file: str, line: int | None, problems: list[Problem]
) -> date | None:
    text = str(value).strip() if value is not None else ""
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem("value.date", {"value": text}, file, line, column))
        return None


def _check_day(book: DutyBook, entry_date: date) -> None:
    if entry_date < book.covers_from:
        raise InputError.at(
            "duties.before_tables", day=entry_date.isoformat(), first=book.covers_from.isoformat()
        )


def _line(
    program: str, rate: Decimal, base: Decimal, row: DutyRow | None, note: str = ""
) -> DutyLine:
    amount = quantize(base * rate)
    if row is None:
        return DutyLine(program, rate, base, amount, "given with the line", True, note)
    return DutyLine(
        program, rate, base, amount, f"{row.source} [{row.where}]", row.confirmed, note or row.note
    )


def line_duties(
    book: DutyBook,
    *,
    hts_code: str | None,
    origin: str,
    entry_date: date,
    value_usd: Decimal,
    mfn_rate: Decimal | None = None,
    extra_rate: Decimal = Decimal(0),
) -> list[DutyLine]:
    """The duties of one entry line: its MFN rate, then every program that applies.

    `value_usd` is the customs value of the line (goods, without freight). `mfn_rate`, when
    given, is used instead of the table (a ruling or broker's figure for this product).
    `extra_rate` is a what-if surcharge added as program "scenario" ("+10 points").
    A line with no HTS code, or no MFN row for its code and origin, is an error: a missing
    duty must never read as zero.
    """
    _check_day(book, entry_date)
    origin = origin.strip().upper()
    if not hts_code or not normalize_hts(hts_code):
        raise InputError.at("duties.no_hts", origin=origin)
    hts = normalize_hts(hts_code)
    if not _HTS.fullmatch(hts):
        raise InputError.at("duties.bad_hts", value=hts_code)
    lines: list[DutyLine] = []
    if mfn_rate is not None:
        lines.append(_line(MFN, mfn_rate, value_usd, None))
    else:
        row = book.find(MFN, entry_date, hts, origin)
        if row is None:
            raise InputError.at(
                "duties.no_mfn", hts=hts_code, origin=origin, day=entry_date.isoformat()
            )
        lines.append(_line(MFN, row.rate, value_usd, row))
    for program in book.programs():
        if program == MFN:
            continue
        row = book.find(program, entry_date, hts, origin)
        if row is not None:
            lines.append(_line(program, row.rate, value_usd, row))
    if extra_rate:
        lines.append(scenario_line(extra_rate, value_usd))
    return lines


def scenario_line(extra_rate: Decimal, value_usd: Decimal) -> DutyLine:
    """The what-if surcharge on a line, marked unconfirmed: it is a guess, not a table."""
    return DutyLine(
        SCENARIO, extra_rate, value_usd, quantize(value_usd * extra_rate), "what-if scenario", False
    )


def mpf_fee(book: DutyBook, *, entry_date: date, entered_value: Decimal) -> DutyLine:
    """The Merchandise Processing Fee of one entry: a share of its value within the
    fiscal year's minimum and maximum, or the flat informal fee for a small entry."""
    _check_day(book, entry_date)
    row = book.find(MPF, entry_date)
    if row is None:
        raise InputError.at("duties.no_fee_row", program=MPF, day=entry_date.isoformat())
    assert row.minimum is not None and row.maximum is not None and row.formal_over is not None
    source = f"{row.source} [{row.where}]"
    if entered_value <= row.formal_over:
        if row.informal is None:
            raise InputError.at("duties.no_informal_fee", file=row.file, line=row.line)
        return DutyLine(
            MPF,
            row.rate,
            entered_value,
            quantize(row.informal),
            source,
            row.confirmed,
            "informal entry",
        )
    amount = quantize(entered_value * row.rate)
    note = ""
    if amount < row.minimum:
        amount, note = quantize(row.minimum), "minimum applied"
    elif amount > row.maximum:
        amount, note = quantize(row.maximum), "maximum applied"
    return DutyLine(MPF, row.rate, entered_value, amount, source, row.confirmed, note)


def hmf_fee(book: DutyBook, *, entry_date: date, cargo_value: Decimal) -> DutyLine:
    """The Harbor Maintenance Fee of an ocean shipment (no minimum or maximum)."""
    _check_day(book, entry_date)
    row = book.find(HMF, entry_date)
    if row is None:
        raise InputError.at("duties.no_fee_row", program=HMF, day=entry_date.isoformat())
    return _line(HMF, row.rate, cargo_value, row)


def entry_fees(
    book: DutyBook, *, entry_date: date, entered_value: Decimal, mode: str
) -> list[DutyLine]:
    """The fees of one entry: MPF, and HMF when it came by sea."""
    if mode not in MODES:
        raise InputError.at("landed.bad_mode", value=mode)
    fees = [mpf_fee(book, entry_date=entry_date, entered_value=entered_value)]
    if mode == "sea":
        fees.append(hmf_fee(book, entry_date=entry_date, cargo_value=entered_value))
    return fees
