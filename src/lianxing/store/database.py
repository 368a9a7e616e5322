"""Open the workspace database, apply named migrations, run transactions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from lianxing import private
from lianxing.errors import WorkspaceError
from lianxing.store import sql_macros

# DuckDB may use at most this much memory and spills the rest to the workspace's temp
# folder, so a 1 GB settlement imports in bounded memory.
MEMORY_LIMIT = "512MB"
# Write the ledger to the database file (checkpoint) only once this much has been
# committed: a folder of settlements then pays for a few checkpoints, not one per file.
CHECKPOINT_THRESHOLD = "256MB"


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files(__package__).joinpath("migrations")
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, folder.joinpath(name).read_text("utf-8")) for name in files]


class Database:
    """A DuckDB connection with the schema up to date."""

    def __init__(
        self, path: Path | str, *, temp_dir: Path | None = None, threads: int | None = None
    ):
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path)
        except duckdb.IOException as exc:
            raise WorkspaceError("workspace.db_locked", path=self.path) from exc
        if self.path != ":memory:":  # personal and pay data: the owner's only
            private.restrict(Path(self.path))
            private.restrict(Path(self.path + ".wal"))
        # All timestamps are stored and compared in UTC; business dates are computed
        # explicitly in each store's time zone.
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        if temp_dir is not None:
            private.folder(temp_dir)
            self.con.execute("SET temp_directory = ?", [str(temp_dir)])
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.migrate()
        sql_macros.install(self.con)

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; returns their names."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
        )
        done = {row[0] for row in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
        applied = []
        for name, sql in _migrations():
            if name in done:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", [name, datetime.now(UTC)]
                )
            applied.append(name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: any exception rolls the whole block back.

        Inside a batch (`begin_batch`, a folder's imports) the block's writes commit
        with the batch; a block that fails marks the batch broken (`batch_clean`).
        """
        if self.in_batch:
            try:
                yield self.con
            except BaseException:
                self._batch_broken = True
                raise
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # ---- one transaction for many imports ------------------------------------------
    in_batch: bool = False
    _batch_broken: bool = False
    # Files of a folder staged together (`lianxing.store.batch_stage.StagedGroups`).
    staged_groups: Any = None

    def begin_batch(self) -> None:
        """Open one transaction that every `transaction()` block joins until
        `commit_batch` (one commit for a folder instead of one per file)."""
        self.con.execute("BEGIN TRANSACTION")
        self.in_batch, self._batch_broken = True, False

    def commit_batch(self) -> None:
        self.in_batch = False
        self.con.execute("COMMIT")

    def rollback_batch(self) -> None:
        self.in_batch = False
        self.con.execute("ROLLBACK")
        if self.staged_groups is not None:  # what was parsed in the batch is gone
            self.staged_groups.forget_parsed()

    def batch_clean(self) -> bool:
        """Can the batch still commit: no block failed half-way through its writes, and
        no statement failed (the database then refuses everything until a rollback)."""
        if self._batch_broken:
            return False
        try:
            self.con.execute("SELECT 1")
        except duckdb.Error:
            return False
        return True

    def insert_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run `INSERT ... {rows}` for many rows in one statement.

        `{rows}` becomes a SELECT over the rows passed as parallel lists: executemany
        would cost a round trip per row (seconds for a few thousand).
        """
        if not rows:
            return
        columns = [list(values) for values in zip(*rows, strict=True)]
        select = "SELECT " + ", ".join(f"unnest(${i + 1}) AS v{i}" for i in range(len(columns)))
        self.con.execute(sql.format(rows=select), columns)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def close(self) -> None:
        self.con.close()
