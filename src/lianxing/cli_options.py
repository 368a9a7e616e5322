"""Option values as a person types them: any case, a date or a month, a near miss
answered with "did you mean".

`--format JSON` is `json`, `--by Store` is `store`, `kpi show ACOS` is `acos`;
`--from 2026-01` is 2026-01-01 and `--to 2026-03` is 2026-03-31. A value that is not
one of the choices is refused, naming the option, the choices and the closest one.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable
from datetime import date

from lianxing.errors import InputError

FORMATS = ("table", "csv", "json")
_MONTH = re.compile(r"\s*(\d{4})-(\d{1,2})\s*")


def suggestion(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `value` (ignoring case), if any is close."""
    by_lower = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(value.strip().lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def choose(value: str, choices: Iterable[str], option: str) -> str:
    """The choice `value` names, ignoring case and surrounding spaces."""
    known = list(choices)
    for choice in known:
        if choice.lower() == value.strip().lower():
            return choice
    near = suggestion(value, known)
    choices_text = ", ".join(known)
    if near is None:
        raise InputError.at("option.bad_choice", option=option, value=value, choices=choices_text)
    raise InputError.at(
        "option.did_you_mean", option=option, value=value, choices=choices_text, suggestion=near
    )


def output_format(value: str) -> str:
    return choose(value, FORMATS, "--format")


def kpi_names(names: Iterable[str], catalogue: Iterable[str]) -> list[str]:
    """KPI names as the catalogue spells them (`ACOS` → `acos`); an unknown one is
    refused with the nearest name. Names still unknown are left for the caller to
    refuse with the whole list."""
    known = list(catalogue)
    found = []
    for name in names:
        match = [k for k in known if k.lower() == name.strip().lower()]
        if not match and (near := suggestion(name, known)) is not None:
            raise InputError.at("kpi.did_you_mean", kpi=name, suggestion=near)
        found.append(match[0] if match else name)
    return found


def _day(value: str, option: str, last: bool) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        pass
    month = _MONTH.fullmatch(value)
    if month is not None and 1 <= int(month[2]) <= 12:
        year, number = int(month[1]), int(month[2])
        return date(year, number, calendar.monthrange(year, number)[1] if last else 1)
    raise InputError.at("option.bad_day", option=option, value=value)


def first_day(value: str | None, option: str = "--from") -> date | None:
    """`--from`: a date, or a month meaning its first day."""
    return None if value is None else _day(value, option, last=False)


def last_day(value: str | None, option: str = "--to") -> date | None:
    """`--to`: a date, or a month meaning its last day."""
    return None if value is None else _day(value, option, last=True)


def date_range(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    """`--from` and `--to` (each a date or a month), refused when the range ends before
    it starts (it would show an empty report as if there were no data)."""
    first, last = first_day(date_from), last_day(date_to)
    if first is not None and last is not None and last < first:
        raise InputError.at("option.bad_range", date_from=date_from, date_to=date_to)
    return first, last


def report_options(
    by: str, period: str, basis: str = "all", compare: str | None = None
) -> tuple[str, str, str, str | None]:
    """`kpi show`'s --by, --period, --basis and --compare as the code spells them."""
    from lianxing.kpi_report import COMPARES
    from lianxing.store import kpi_sql

    return (
        choose(by, kpi_sql.GROUPS, "--by"),
        choose(period, kpi_sql.PERIODS, "--period"),
        basis_option(basis),
        None if compare is None else choose(compare, COMPARES, "--compare"),
    )


def profit_options(by: str, basis: str) -> tuple[str, str]:
    """`profit`'s --by and --basis as the code spells them."""
    from lianxing.profit import BY_CHOICES

    return choose(by, BY_CHOICES, "--by"), basis_option(basis)


def basis_option(value: str) -> str:
    """--basis (settled | estimated | all) as the code spells it."""
    from lianxing.store import reports

    return choose(value, reports.BASES, "--basis")
