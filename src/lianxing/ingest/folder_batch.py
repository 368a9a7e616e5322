"""A folder's import as one batch: one transaction for all its files, and the files of
each report layout staged with one read (`lianxing.store.batch_stage`).

Any report read through `tabular.read_report` joins in: a file is grouped by the
format `registry.detect` finds for it and the columns that format reads from its
header, which are exactly what its importer will stage. Nothing here changes what a
file means; the loader checks that a file's staging asks for exactly its group's
layout, or reads the file alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lianxing.errors import InputError
from lianxing.ingest import registry
from lianxing.ingest.tabular import plan_fields
from lianxing.ingest.textfile import split_header
from lianxing.store import batch_stage
from lianxing.store.database import Database


def layout_of(path: Path) -> batch_stage.Layout | None:
    """How the file's importer will stage it, if it is a delimited platform report."""
    try:
        found = registry.detect(path)
        line = registry.first_line(path)
        if found is None or not line:
            return None
        fmt = found[0]
        header = split_header(line, fmt.delimiter)
        if not fmt.matches(header):  # e.g. the Ads API's JSON: not read as delimited text
            return None
        fields, _ = plan_fields(header, fmt, str(path))
    except (InputError, OSError):
        return None  # a damaged file: its own import names the problem
    return batch_stage.Layout(
        len(header), tuple(f.column for f in fields), fmt.delimiter, fmt.quoted
    )


class FolderBatch:
    """`folder.Batch` over a workspace's database. `group=False` keeps the one
    transaction but reads every file alone (files read with a mapping given on the
    command line, whose importer may rewrite the staged text)."""

    def __init__(self, db: Database, *, group: bool = True):
        self.db = db
        self.group = group

    @property
    def in_batch(self) -> bool:
        return self.db.in_batch

    def prepare(self, paths: Sequence[Path]) -> None:
        if not self.group:
            return
        files = [(str(p), layout) for p in paths if (layout := layout_of(p)) is not None]
        batch_stage.stage_groups(self.db, files)

    def finish(self) -> None:
        batch_stage.drop(self.db)

    def begin_batch(self) -> None:
        self.db.begin_batch()

    def commit_batch(self) -> None:
        self.db.commit_batch()

    def rollback_batch(self) -> None:
        self.db.rollback_batch()

    def batch_clean(self) -> bool:
        return self.db.batch_clean()
