"""Money: Decimal amounts, always with a currency, and their text forms.

Floats never touch money. Amounts from files are parsed here (for small CSV inputs) or
by the equivalent SQL in `store.sql_macros` (for large settlement files); both accept
the same spellings: `-12.34`, `1,234.56`, `95,00` (comma decimal), trailing spaces.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

_PLAIN = re.compile(r"[+-]?\d+(\.\d{1,20})?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d{1,20})?")
_COMMA_DECIMAL = re.compile(r"[+-]?\d{1,3}(\.\d{3})*,\d{1,2}|[+-]?\d+,\d{1,2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def parse_amount(text: str) -> Decimal | None:
    """Parse an amount as platforms write it; None when it is not a number."""
    value = text.strip().lstrip("$")
    if _PLAIN.fullmatch(value):
        return Decimal(value)
    if _THOUSANDS.fullmatch(value):
        return Decimal(value.replace(",", ""))
    if _COMMA_DECIMAL.fullmatch(value):
        return Decimal(value.replace(".", "").replace(",", "."))
    # Anything else (words, scientific notation, several signs) is not money.
    return None


# What sellers write for a currency, mapped to its ISO 4217 code.
ALIASES = {"RMB": "CNY"}


def normalize_currency(code: str) -> str:
    """Upper-case ISO code; 'RMB' (how Chinese sellers write yuan) becomes CNY."""
    code = code.strip().upper()
    return ALIASES.get(code, code)


def is_currency(code: str) -> bool:
    return bool(_CURRENCY.fullmatch(code))


def round_money(amount: Decimal) -> Decimal:
    """Round half-up to the cent, the way statements show money."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
