"""Money: Decimal amounts, always with a currency, and their text forms.

Floats never touch money. Amounts from files are parsed here (for small CSV inputs) or
by the equivalent SQL in `store.sql_macros` (for large settlement files); both accept
the same spellings: `-12.34`, `$5`, `1,234.56`, `95,00` (comma decimal), spaces around.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

# The shape of a number is ASCII digits only ('\\d' would take any script's digits).
_NUMBER = r"[+-]?\$?(?P<n>[0-9]+(\.[0-9]+)?|[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|(?P<c>"
_NUMBER += r"[0-9]{1,3}(\.[0-9]{3})*,[0-9]{1,2}|[0-9]+,[0-9]{1,2}))"
_AMOUNT = re.compile(_NUMBER)
# DECIMAL(18, 4) in the database: at most 14 digits before the point.
_LIMIT = Decimal(10) ** 14
_CURRENCY = re.compile(r"[A-Z]{3}")


def parse_amount(text: str, places: int = 4) -> Decimal | None:
    """Parse an amount as platforms write it; None when it is not a number.

    Spaces around it, a sign, then one `$`, then `1234.5`, `1,234.56` or `95,00`
    (comma decimal). More than `places` decimals, or 14 digits before the point, are
    not money: the database's `lx_amount` (store.sql_macros) answers the same for every
    text at the default 4 places (a property test pins them together).
    """
    match = _AMOUNT.fullmatch(text.strip(" "))
    if match is None:
        return None
    digits = match["n"]
    if match["c"] is not None:
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    value = Decimal(digits)
    exponent = value.as_tuple().exponent
    if (isinstance(exponent, int) and -exponent > places) or value >= _LIMIT:
        return None
    return -value if text.strip(" ").startswith("-") and value else value


# What sellers write for a currency, mapped to its ISO 4217 code (¥ is the yuan here:
# Lianxing's sellers are Chinese; a yen sheet says JPY).
ALIASES = {
    "RMB": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "美元": "USD",
    "US$": "USD",
    "$": "USD",
    "加元": "CAD",
    "欧元": "EUR",
    "英镑": "GBP",
}


def normalize_currency(code: str) -> str:
    """Upper-case ISO code; 'RMB', '人民币' and '¥' (how Chinese sellers write yuan)
    become CNY."""
    code = code.strip().upper()
    return ALIASES.get(code, code)


def is_currency(code: str) -> bool:
    return bool(_CURRENCY.fullmatch(code))


def round_money(amount: Decimal) -> Decimal:
    """Round half-up to the cent, the way statements show money."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
