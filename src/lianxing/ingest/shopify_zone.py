"""A Shopify store's time zone, from the UTC offsets in its export's timestamps.

Shopify writes times in the shop's zone with their offset (`2024-03-01 00:15:00 +0200`).
A store's business day is a day in its zone: a South African shop kept in a US zone
would put an order of 00:15 on 1 March on 29 February. So:

- a store created from an export gets a zone whose offset matches every offset in the
  file at the times the file shows it (daylight saving included): the shop currency's
  usual zones first (GBP → Europe/London, ZAR → Africa/Johannesburg, ...), then the
  usual zones of other currencies, then any IANA zone;
- an existing store whose configured zone gives other offsets than the file's is not
  changed (a seller may keep books in another zone on purpose): the import goes on and
  a notice names the file, the offset, the configured zone and the zone to set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from lianxing import notices
from lianxing.ingest.tabular import OpenReport
from lianxing.store import shopify_zone
from lianxing.workspace import Store

# The zones shops of each currency are usually in, most likely first.
USUAL_ZONES: dict[str, tuple[str, ...]] = {
    "USD": (
        "America/Los_Angeles", "America/New_York", "America/Chicago", "America/Denver",
        "America/Phoenix", "America/Anchorage", "Pacific/Honolulu",
    ),
    "GBP": ("Europe/London",),
    "EUR": (
        "Europe/Berlin", "Europe/Paris", "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome",
        "Europe/Dublin", "Europe/Lisbon", "Europe/Helsinki", "Europe/Athens",
    ),
    "ZAR": ("Africa/Johannesburg",),
    "AUD": (
        "Australia/Sydney", "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth",
        "Australia/Darwin",
    ),
    "NZD": ("Pacific/Auckland",),
    "CAD": (
        "America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg",
        "America/Halifax", "America/Regina", "America/St_Johns",
    ),
    "CHF": ("Europe/Zurich",),
    "SEK": ("Europe/Stockholm",),
    "DKK": ("Europe/Copenhagen",),
    "NOK": ("Europe/Oslo",),
    "PLN": ("Europe/Warsaw",),
    "MXN": ("America/Mexico_City",),
    "JPY": ("Asia/Tokyo",),
    "SGD": ("Asia/Singapore",),
    "HKD": ("Asia/Hong_Kong",),
    "CNY": ("Asia/Shanghai",),
    "INR": ("Asia/Kolkata",),
    "AED": ("Asia/Dubai",),
}  # fmt: skip
# Region prefixes of canonical IANA names (not the old aliases: US/..., Etc/...).
REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/",
           "Europe/", "Indian/", "Pacific/")  # fmt: skip


def parse_time(text: str) -> datetime | None:
    """A Shopify time with its offset, or None when it is not one."""
    for shape in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"):
        try:
            return datetime.strptime(text, shape)
        except ValueError:
            continue
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def samples(report: OpenReport, field: str) -> list[datetime]:
    """The file's first and last time at each UTC offset in `field`'s column."""
    staged = next((f for f in report.fields if f.name == field), None)
    if staged is None:
        return []
    texts = shopify_zone.offset_samples(report.loader, staged.column)
    return [t for t in map(parse_time, texts) if t is not None]


def fits(zone: str, times: Iterable[datetime]) -> bool:
    """Does `zone` give each time the offset the file wrote it with?"""
    tz = ZoneInfo(zone)
    return all(t.astimezone(tz).utcoffset() == t.utcoffset() for t in times)


@cache
def _other_zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if z.startswith(REGIONS)))


def zone_for(times: Sequence[datetime], currency: str | None) -> str | None:
    """A zone matching every offset the file shows, the currency's usual ones first."""
    if not times:
        return None
    first = USUAL_ZONES.get((currency or "").upper(), ())
    usual = [z for zones in USUAL_ZONES.values() for z in zones]
    for zone in (*first, *usual, *_other_zones()):
        if fits(zone, times):
            return zone
    return None


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def check(report: OpenReport, store: Store, times: Sequence[datetime]) -> None:
    """Note when the store's zone gives another offset than the file's times carry."""
    tz = ZoneInfo(store.timezone)
    wrong = next((t for t in times if t.astimezone(tz).utcoffset() != t.utcoffset()), None)
    if wrong is None:
        return
    suggested = zone_for(times, store.currency)
    notices.note(
        "shopify.zone_conflict" if suggested else "shopify.zone_conflict_unknown",
        file=report.file,
        offset=_offset(wrong.utcoffset()),
        time=wrong.strftime("%Y-%m-%d %H:%M"),
        store=store.id,
        zone=store.timezone,
        zone_offset=_offset(wrong.astimezone(tz).utcoffset()),
        suggested=suggested or "",
    )
