"""Importing many files at once (folders of downloads): every readable file is imported,
the others are skipped with the reason, and a summary says what happened to each.

A file found in a folder that is not data Lianxing reads (a PDF, an image, a report of
a kind it does not know — `sniff.NOT_DATA`) is skipped; a file that is a report but
cannot be imported (a bad value, a broken line) has failed, and the others still
import. A file named on the command line that cannot be imported has failed too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lianxing.errors import InputError
from lianxing.ingest.sniff import NOT_DATA

# Result statuses as the summary counts them.
_COUNTED = {
    "imported": "imported",
    "replaced": "imported",
    "remapped": "imported",
    "unchanged": "unchanged",
    "superseded": "unchanged",
}


@dataclass(frozen=True)
class Target:
    path: Path
    in_folder: bool  # found by listing a folder (not named by the user)


@dataclass
class Outcome:
    path: Path
    result: Any = None  # what the import returned
    error: InputError | None = None
    skipped: bool = False

    @property
    def status(self) -> str:
        if self.error is not None:
            return "skipped" if self.skipped else "failed"
        return _COUNTED.get(str(self.result.status), "imported")


def expand(paths: Sequence[Path]) -> list[Target]:
    """The files to import: each file named, and the files of each folder (by name;
    hidden files and subfolders left out)."""
    targets: list[Target] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            targets.extend(Target(p, True) for p in files)
        else:
            targets.append(Target(path, False))
    return targets


def import_all(
    targets: Sequence[Target],
    import_one: Callable[[Path], Any],
    done: Callable[[Outcome], None],
) -> list[Outcome]:
    """Import each target; `done` hears of each outcome as it happens.

    One file named alone raises its error, as a single import always has. A fee-only
    settlement naming no marketplace is tried again at the end (later files in the
    same folder may create its store).
    """
    if len(targets) == 1 and not targets[0].in_folder:
        outcome = Outcome(targets[0].path, import_one(targets[0].path))
        done(outcome)
        return [outcome]
    outcomes: list[Outcome] = []
    deferred: list[Target] = []
    for target in targets:
        outcome = _attempt(target, import_one)
        if outcome.error is not None and outcome.error.key == "store.cannot_tell":
            deferred.append(target)
            continue
        outcomes.append(outcome)
        done(outcome)
    for target in deferred:
        outcomes.append(_attempt(target, import_one))
        done(outcomes[-1])
    return outcomes


def _attempt(target: Target, import_one: Callable[[Path], Any]) -> Outcome:
    try:
        return Outcome(target.path, import_one(target.path))
    except InputError as exc:
        return Outcome(target.path, error=exc, skipped=target.in_folder and exc.key in NOT_DATA)


def summary(outcomes: Sequence[Outcome]) -> dict[str, list[str]]:
    """File names by status: imported, unchanged, skipped, failed."""
    names: dict[str, list[str]] = {s: [] for s in ("imported", "unchanged", "skipped", "failed")}
    for outcome in outcomes:
        names[outcome.status].append(outcome.path.name)
    return names
