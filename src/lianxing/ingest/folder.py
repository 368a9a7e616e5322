"""Importing many files at once (folders of downloads): every readable file is imported,
the others are skipped with the reason, and a summary says what happened to each.

A file found in a folder that is not data Lianxing reads (a PDF, an image, a report of
a kind it does not know — `sniff.NOT_DATA`) is skipped; a file that is a report but
cannot be imported (a bad value, a broken line) has failed, and the others still
import. A file named on the command line that cannot be imported has failed too.

With a `Batch` (the database's), all the files go in one transaction and one commit
(`import_all`), yet each file is still all or nothing: a file that fails while it is
checked wrote nothing, and one that fails half-way through its writes (or makes the
database refuse the transaction) has the batch rolled back, the files before it
imported again one by one, and is itself tried again alone. Outcomes are reported when
they are committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

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


class Batch(Protocol):
    """One transaction for many files (`lianxing.ingest.folder_batch.FolderBatch`)."""

    @property
    def in_batch(self) -> bool: ...

    def prepare(self, paths: Sequence[Path]) -> None: ...
    def finish(self) -> None: ...
    def begin_batch(self) -> None: ...
    def commit_batch(self) -> None: ...
    def rollback_batch(self) -> None: ...
    def batch_clean(self) -> bool: ...


def import_all(
    targets: Sequence[Target],
    import_one: Callable[[Path], Any],
    done: Callable[[Outcome], None],
    batch: Batch | None = None,
) -> list[Outcome]:
    """Import each target; `done` hears of each outcome (once it is committed).

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

    def settle(target: Target, outcome: Outcome, report: list[Outcome]) -> None:
        if outcome.error is not None and outcome.error.key == "store.cannot_tell":
            deferred.append(target)
        else:
            report.append(outcome)

    if batch is None:
        settled: Iterator[Outcome] = (
            o for t in targets for o in _settled([(t, _attempt(t, import_one))], settle)
        )
    else:
        batch.prepare([t.path for t in targets])
        settled = _batched(targets, import_one, batch, settle)
    try:
        for outcome in settled:
            outcomes.append(outcome)
            done(outcome)
        for target in deferred:
            outcomes.append(_attempt(target, import_one))
            done(outcomes[-1])
    finally:
        if batch is not None:
            batch.finish()
    return outcomes


def _batched(
    targets: Sequence[Target],
    import_one: Callable[[Path], Any],
    batch: Batch,
    settle: Callable[[Target, Outcome, list[Outcome]], None],
) -> Iterator[Outcome]:
    """Import the targets in one transaction; yields outcomes as they are committed."""
    pending: list[tuple[Target, Outcome]] = []
    batch.begin_batch()
    try:
        for target in targets:
            try:
                outcome = Outcome(target.path, import_one(target.path))
            except BaseException as exc:
                if batch.batch_clean():
                    if not isinstance(exc, InputError):
                        batch.commit_batch()  # what was imported before stays, as before
                        yield from _settled(pending, settle)
                        raise
                    outcome = _failed(target, exc)
                else:
                    # Half-written or refused: undo the batch; import the files before
                    # this one again, each in its own transaction, then this one alone.
                    batch.rollback_batch()
                    redo, pending = [t for t, _ in pending] + [target], []
                    try:
                        for again in redo:
                            pending.append((again, _attempt(again, import_one)))
                    except BaseException:
                        yield from _settled(pending, settle)  # these are committed
                        raise
                    yield from _settled(pending, settle)
                    batch.begin_batch()
                    continue
            pending.append((target, outcome))
        batch.commit_batch()
    except BaseException:
        if batch.in_batch:
            batch.rollback_batch()
        raise
    yield from _settled(pending, settle)


def _settled(
    pending: list[tuple[Target, Outcome]],
    settle: Callable[[Target, Outcome, list[Outcome]], None],
) -> Iterator[Outcome]:
    report: list[Outcome] = []
    for target, outcome in pending:
        settle(target, outcome, report)
    pending.clear()
    yield from report


def _attempt(target: Target, import_one: Callable[[Path], Any]) -> Outcome:
    try:
        return Outcome(target.path, import_one(target.path))
    except InputError as exc:
        return _failed(target, exc)


def _failed(target: Target, exc: InputError) -> Outcome:
    return Outcome(target.path, error=exc, skipped=target.in_folder and exc.key in NOT_DATA)


def summary(outcomes: Sequence[Outcome]) -> dict[str, list[str]]:
    """File names by status: imported, unchanged, skipped, failed."""
    names: dict[str, list[str]] = {s: [] for s in ("imported", "unchanged", "skipped", "failed")}
    for outcome in outcomes:
        names[outcome.status].append(outcome.path.name)
    return names
