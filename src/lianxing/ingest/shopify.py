"""What the two Shopify importers share: the store a file belongs to, its currency, and
keeping buyer data out of sight.

A Shopify store is one store of platform `shopify` (marketplace `shopify` in
data/marketplaces.toml): `--store` names it, else the one Shopify store in the file's
currency is taken, or created on first import. The file's Currency column must be the
store's currency. The orders export carries buyer names, addresses, e-mails and phone
numbers; they are never declared as fields, so never read, and the import report
counts those columns instead of naming each of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from lianxing.errors import InputError
from lianxing.ingest import shopify_zone
from lianxing.ingest.tabular import ImportOptions, OpenReport, platform_store
from lianxing.money import is_currency
from lianxing.workspace import Store, Workspace

PLATFORM = "shopify"

# Header names of buyer data in Shopify exports (Billing/Shipping Name, Street,
# Address1/2, Company, City, Zip, Province, Country, Phone, Email, Notes, ...).
PERSONAL = re.compile(
    r"^((billing|shipping) (name|street|address ?1|address ?2|company|city|zip|province"
    r"|province name|country|phone)|e-?mail|phone|notes|note attributes|accepts marketing"
    r"|customer( id)?|employee)$",
    re.IGNORECASE,
)


@contextmanager
def store_for(
    report: OpenReport, workspace: Workspace, options: ImportOptions, *, when: str
) -> Iterator[tuple[Store, bool]]:
    """The store of an export; (store, created). A store created for this file is
    forgotten again when the block raises (the import writes nothing).

    `when` is the field whose times carry the shop's UTC offset: a new store takes a
    zone that matches them, an existing one whose zone does not is noted
    (ingest.shopify_zone)."""
    currency_field = next((f for f in report.fields if f.name == "currency"), None)
    currencies = (
        [c.upper() for c in report.loader.staged_values(currency_field.column, limit=2)]
        if currency_field
        else []
    )
    currency = currencies[0] if len(currencies) == 1 else None
    store, created = platform_store(
        workspace, PLATFORM, options.store_id, report.file, currency=currency
    )
    times = shopify_zone.samples(report, when)
    if created:
        # A Shopify store sells in the shop's currency and keeps the shop's time zone,
        # not the marketplace defaults.
        if currency is None or not is_currency(currency):
            currency = store.currency
        zone = shopify_zone.zone_for(times, currency) or store.timezone
        if (currency, zone) != (store.currency, store.timezone):
            workspace.config.stores.remove(store)
            store = replace(store, currency=currency, timezone=zone)
            workspace.config.stores.append(store)
    try:
        yield store, created
    except BaseException:
        if created and store in workspace.config.stores:
            workspace.config.stores.remove(store)
        raise
    shopify_zone.check(report, store, times)  # said only of a file that imported


def check_currency(report: OpenReport, store: Store) -> None:
    """Every Currency value must be the store's: amounts are stored in its currency."""
    if not report.has("currency"):
        return
    wrong = report.loader.first_other_text("currency", store.currency)
    if wrong is not None:
        line, value = wrong
        header = next(f.header for f in report.fields if f.name == "currency")
        raise InputError.at(
            "shopify.currency_mismatch",
            file=report.file,
            line=line,
            column=header,
            store=store.id,
            expected=store.currency,
            found=value,
        )


def split_ignored(ignored: list[str]) -> tuple[list[str], int]:
    """(ignored columns to list by name, number of buyer-data columns among them)."""
    shown = [h for h in ignored if not PERSONAL.search(h)]
    return shown, len(ignored) - len(shown)
