"""Notices a command gives beside its result ("people.yaml was read as GBK"), collected
while it runs and shown by the interface at its end, in the user's language.

Code deep below the interface (a definition-file reader) has no channel to the user;
it calls `note(key, **params)`. The list lives in a ContextVar, so each command, request
or job has its own; the same notice twice is kept once.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

Notice = tuple[str, tuple[tuple[str, Any], ...]]
_pending: ContextVar[tuple[Notice, ...]] = ContextVar("lianxing_notices", default=())


def note(key: str, **params: Any) -> None:
    """Keep a notice (message `key` with `params`) for the interface to show."""
    notice = (key, tuple(sorted(params.items())))
    if notice not in _pending.get():
        _pending.set((*_pending.get(), notice))


def take() -> list[tuple[str, dict[str, Any]]]:
    """The notices kept so far, as (key, params), and forget them."""
    kept = _pending.get()
    _pending.set(())
    return [(key, dict(params)) for key, params in kept]
