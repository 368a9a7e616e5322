"""Files with personal or pay data are readable by their owner only (issue 12, item 24).

The database, the team's files (people.yaml, pay.yaml, scorecards.yaml, targets.yaml),
scores, reviews, payroll sheets and the temporary copies an import makes are created
with mode 0600, in folders of mode 0700 where Lianxing makes the folder. The CLI also
runs with umask 077 (`owner_only_umask`), so what the database engine writes on its own
(its write-ahead log, spill files) is owner-only too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def write_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`, created or truncated, owner-readable only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # a file that existed keeps its mode otherwise
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            fd = -1
            out.write(text)
    finally:
        if fd != -1:
            os.close(fd)


def restrict(path: Path) -> None:
    """Make an existing file owner-readable only (no error if it is gone)."""
    with suppress(FileNotFoundError):
        os.chmod(path, FILE_MODE)


def folder(path: Path) -> Path:
    """Create `path` (and its parents) if missing; the folder itself is mode 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(path, FOLDER_MODE)
    return path


@contextmanager
def owner_only_umask(mask: int = 0o077) -> Iterator[None]:
    """Run the block with umask `mask` (077: files 0600, folders 0700), then put it back."""
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)
