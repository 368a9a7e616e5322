"""User-facing messages of individual features, one module each (merged into
`lianxing.i18n.MESSAGES`). Each module defines `MESSAGES: dict[str, tuple[str, str]]`
(English, Simplified Chinese); a key defined twice is an error at import time."""

from __future__ import annotations

import importlib
import pkgutil


def collect() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message {key!r} is defined twice ({info.name})")
            merged[key] = pair
    return merged
