"""Errors a user can act on.

Every error carries a message key (translated by `i18n`) and, for bad input, the file,
line and column it came from, so the CLI can say exactly where the problem is. Code
deeper down raises these; only the CLI turns them into text and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    column: str | None = None


class LianxingError(Exception):
    """An error whose message is meant for the user (translated at display time)."""

    exit_code = 1

    def __init__(self, key: str, *, problems: list[Problem] | None = None, **params: Any):
        self.key = key
        self.params = params
        self.problems = problems or []
        super().__init__(key)

    def __str__(self) -> str:
        from lianxing.i18n import render_error

        return render_error(self)


class InputError(LianxingError):
    """The input (file, value, option) is wrong; nothing was written."""

    exit_code = 2

    @classmethod
    def at(
        cls,
        key: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> InputError:
        problem = Problem(key, params, file, line, column)
        return cls(key, problems=[problem], **params)


class WorkspaceError(LianxingError):
    """No workspace, or a broken one."""

    exit_code = 3
