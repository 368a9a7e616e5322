"""Undo an import's mistakes: forget a file, move a file to another store, rename or
remove a store (issue 12, item 12).

Each runs in one transaction with its entry in `source_log`; a change to lianxing.toml
is written inside that transaction and put back if the transaction fails. Derived tables
(the KPI measure table, fee estimates, landed lots) are marked stale and rebuilt on their
next use.
"""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lianxing.errors import InputError
from lianxing.store import date_range_load
from lianxing.store.database import Database
from lianxing.workspace import Store, Workspace

# The workspace's own files that may name a store id (checked after a rename).
TEAM_FILES = ("people.yaml", "targets.yaml", "scorecards.yaml", "pay.yaml")


@dataclass
class SourceChange:
    action: str  # forget | move | rename_store | remove_store
    source_id: int | None = None
    file_name: str | None = None
    store_from: str | None = None
    store_to: str | None = None
    rows: dict[str, int] = field(default_factory=dict)  # table → rows removed or moved
    forgotten: list[int] = field(default_factory=list)  # earlier versions forgotten too
    left_empty: bool = False  # move: the store it left has no file now
    mentions: list[tuple[str, int]] = field(default_factory=list)  # rename: (file, line)


@dataclass(frozen=True)
class _Source:
    source_id: int
    kind: str
    store_id: str | None
    file_name: str
    sha256: str
    superseded_by: int | None


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a container
        return "unknown"


def _tables_with(db: Database, *columns: str) -> list[str]:
    """Tables (not `sources`, not the log) that have every one of `columns`."""
    rows = db.con.execute(
        """SELECT table_name FROM information_schema.columns
           WHERE table_schema = 'main' AND column_name IN (SELECT unnest(?))
             AND table_name NOT IN ('sources', 'source_log')
             AND table_name IN (SELECT table_name FROM information_schema.tables
                                WHERE table_type = 'BASE TABLE')
           GROUP BY table_name HAVING count(DISTINCT column_name) = ?
           ORDER BY table_name""",
        [list(columns), len(columns)],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _source(db: Database, source_id: int) -> _Source:
    row = db.con.execute(
        "SELECT source_id, kind, store_id, file_name, sha256, superseded_by FROM sources "
        "WHERE source_id = ?",
        [source_id],
    ).fetchone()
    if row is None:
        raise InputError.at("sources.unknown", source=source_id)
    return _Source(*row)


def _stale(db: Database) -> None:
    """Derived tables are rebuilt on their next use."""
    db.con.execute("DELETE FROM measure_cache")


def _log(db: Database, change: SourceChange) -> None:
    detail = {"rows": change.rows}
    if change.forgotten:
        detail["forgotten"] = change.forgotten  # type: ignore[assignment]
    db.con.execute(
        "INSERT INTO source_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [datetime.now(UTC), change.action, change.source_id, change.file_name,
         change.store_from, change.store_to, _who(), json.dumps(detail, sort_keys=True)],
    )  # fmt: skip


@contextmanager
def _changing_config(db: Database, workspace: Workspace) -> Iterator[list[str]]:
    """One transaction that also rewrites lianxing.toml: the body appends the file's
    earlier text to the yielded list once it wrote it; if the transaction fails, the
    file and the settings in memory are put back."""
    written: list[str] = []
    try:
        with db.transaction():
            yield written
    except BaseException:
        if written:
            workspace.write_config(written[0])
            workspace.config = Workspace.load(workspace.root).config
        raise


def forget(db: Database, source_id: int) -> SourceChange:
    """Remove an imported file and everything written from it, and the earlier versions
    of it that it replaced; the same file can then be imported again, anew."""
    source = _source(db, source_id)
    change = SourceChange("forget", source_id, source.file_name, source.store_id)
    with db.transaction():
        ids = [source_id]
        while True:  # the versions it replaced, and the ones they replaced
            found = db.con.execute(
                "SELECT source_id FROM sources WHERE superseded_by IN (SELECT unnest(?)) "
                "AND source_id NOT IN (SELECT unnest(?))",
                [ids, ids],
            ).fetchall()
            if not found:
                break
            ids += [int(r[0]) for r in found]
        settlements = date_range_load.settlement_ids(db, ids)
        for table in _tables_with(db, "source_id"):
            removed = db.con.execute(
                f"DELETE FROM {table} WHERE source_id IN (SELECT unnest(?))", [ids]
            ).fetchone()
            if removed and removed[0]:
                change.rows[table] = int(removed[0])
        db.con.execute("DELETE FROM sources WHERE source_id IN (SELECT unnest(?))", [ids])
        # A forgotten settlement's transaction-report rows count again (and a forgotten
        # report's transactions that another report also holds count from that one).
        date_range_load.recount(db, settlements)
        change.forgotten = sorted(ids[1:])
        _stale(db)
        _log(db, change)
    return change


def move(db: Database, workspace: Workspace, source_id: int, store_id: str) -> SourceChange:
    """Give an imported file (and everything written from it) to another store of the
    same platform, marketplace and currency."""
    source = _source(db, source_id)
    target = workspace.config.store(store_id)
    if source.superseded_by is not None:
        raise InputError.at("sources.superseded", source=source_id, by=source.superseded_by)
    if source.store_id is None:
        raise InputError.at("sources.no_store", source=source_id, kind=source.kind)
    if source.store_id == store_id:
        raise InputError.at("sources.same_store", source=source_id, store=store_id)
    current = _store_or_none(workspace, source.store_id)
    if current is not None and not _same_market(current, target):
        raise InputError.at(
            "sources.move_mismatch",
            source=source_id,
            store=store_id,
            found=f"{current.platform} {current.marketplace} {current.currency}",
            expected=f"{target.platform} {target.marketplace} {target.currency}",
        )
    twin = db.con.execute(
        "SELECT source_id FROM sources WHERE store_id = ? AND sha256 = ? AND kind = ? "
        "AND superseded_by IS NULL",
        [store_id, source.sha256, source.kind],
    ).fetchone()
    if twin is not None:
        raise InputError.at(
            "sources.already_there", source=source_id, store=store_id, other=int(twin[0])
        )
    change = SourceChange("move", source_id, source.file_name, source.store_id, store_id)
    with db.transaction():
        for table in _tables_with(db, "source_id", "store_id"):
            moved = db.con.execute(
                f"UPDATE {table} SET store_id = ? WHERE source_id = ?", [store_id, source_id]
            ).fetchone()
            if moved and moved[0]:
                change.rows[table] = int(moved[0])
        db.con.execute("UPDATE sources SET store_id = ? WHERE source_id = ?", [store_id, source_id])
        _stale(db)
        _log(db, change)
    change.left_empty = not _has_sources(db, source.store_id)
    return change


def rename_store(db: Database, workspace: Workspace, old: str, new: str) -> SourceChange:
    """Rename a store everywhere: lianxing.toml and every row of every table."""
    workspace.config.store(old)
    if any(s.id == new for s in workspace.config.stores):
        raise InputError.at("stores.exists", store=new)
    change = SourceChange("rename_store", store_from=old, store_to=new)
    with _changing_config(db, workspace) as written:
        written.append(workspace.rename_store(old, new))
        for table in ["sources", *_tables_with(db, "store_id")]:
            renamed = db.con.execute(
                f"UPDATE {table} SET store_id = ? WHERE store_id = ?", [new, old]
            ).fetchone()
            if renamed and renamed[0]:
                change.rows[table] = int(renamed[0])
        _stale(db)
        _log(db, change)
    change.mentions = mentions(workspace.root, old)
    return change


def remove_store(db: Database, workspace: Workspace, store_id: str) -> SourceChange:
    """Take a store with no imported file out of lianxing.toml."""
    workspace.config.store(store_id)
    if _has_sources(db, store_id):
        raise InputError.at("stores.not_empty", store=store_id)
    change = SourceChange("remove_store", store_from=store_id)
    with _changing_config(db, workspace) as written:
        written.append(workspace.remove_store(store_id))
        _stale(db)
        _log(db, change)
    change.mentions = mentions(workspace.root, store_id)
    return change


def _store_or_none(workspace: Workspace, store_id: str) -> Store | None:
    return next((s for s in workspace.config.stores if s.id == store_id), None)


def _same_market(a: Store, b: Store) -> bool:
    return (a.platform, a.marketplace, a.currency) == (b.platform, b.marketplace, b.currency)


def _has_sources(db: Database, store_id: str | None) -> bool:
    row = db.con.execute("SELECT count(*) FROM sources WHERE store_id = ?", [store_id]).fetchone()
    return bool(row and row[0])


def same_market(stores: list[Store], store: Store) -> list[str]:
    """The other stores that sell on `store`'s marketplace (a typed --store's twins)."""
    return [s.id for s in stores if s.id != store.id and _same_market(s, store)]


def mentions(root: Path, store_id: str) -> list[tuple[str, int]]:
    """(file, line) of the workspace's team files that still name `store_id`."""
    word = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(store_id)}(?![A-Za-z0-9_-])")
    found = []
    for name in TEAM_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            lines = path.read_text("utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        found += [(name, n) for n, text in enumerate(lines, start=1) if word.search(text)]
    return found


def log(db: Database) -> list[dict[str, Any]]:
    cursor = db.con.execute(
        "SELECT logged_at, action, source_id, file_name, store_from, store_to, made_by, detail "
        "FROM source_log ORDER BY logged_at, rowid"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
