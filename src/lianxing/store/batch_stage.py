"""Stage many files of one report layout with one read, then hand each import its slice.

A folder holds a year of monthly downloads of the same report. Reading and parsing
each file with statements of its own costs more than its rows (every statement is
planned again, and the parsing macros are large), so before a folder is imported the
files that share a layout (the same format, header, delimiter and quoting) are read
together when the first of them is staged: one `read_csv` over the list of files,
keeping each row's file, into `lx_group_<n>`. When an importer then stages one of these
files
(`TableLoader.stage`), it gets that file's rows from the group in the same order, so
`lx_stage`, its row numbers and the lines the reader rejected are what a read of the
file alone gives. Parsing works the same way: the first file of the group to be
parsed has the whole group parsed in one statement (`lx_group_rows_<n>`, with each
row's line in its file), and every file takes its rows from there. A file is read on
its own as before whenever it does not fit the group: a copy in another encoding or
without a trailer line, blank lines, other fields, another store's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from lianxing.store.database import Database
from lianxing.store.settlement_load import Reject, sql_literal


@dataclass(frozen=True)
class Layout:
    """What a staged file must share with the others of its group."""

    column_count: int
    used: tuple[str, ...]  # staged columns, c0..cN
    delimiter: str
    quoted: bool


@dataclass
class Group:
    number: int
    layout: Layout
    files: list[str]
    staged: bool = False  # read (on first use, so it takes no memory before)
    failed: bool = False  # the reader could not take the group as a whole
    # (fields, time zone) the group's rows were parsed for, if they were.
    parsed: tuple[Any, str] | None = None

    @property
    def table(self) -> str:
        return f"lx_group_{self.number}"

    @property
    def rows_table(self) -> str:
        return f"lx_group_rows_{self.number}"


@dataclass
class Slice:
    """The file an importer is staging, taken from its group."""

    group: Group
    index: int  # the file's place in the group (lx_file)


@dataclass
class StagedGroups:
    """The groups of a folder being imported, by file (kept on the Database)."""

    groups: list[Group] = field(default_factory=list)
    by_file: dict[str, Slice] = field(default_factory=dict)

    def forget_parsed(self) -> None:
        """What the groups read or parsed in a transaction that was rolled back is gone."""
        for group in self.groups:
            group.staged, group.parsed = False, None


def read_sql(paths: str, layout: Layout, rejects: str) -> str:
    """`read_csv` of one or more files as text columns c0..cN (the loaders' reading)."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(layout.column_count)) + "}"
    # Tab-separated Amazon reports are never quoted (a '"' in a product title is just a
    # character); comma-separated exports quote fields the RFC 4180 way.
    quote = "'\"'" if layout.quoted else "''"
    return f"""read_csv({paths}, delim = {sql_literal(layout.delimiter)}, quote = {quote},
        escape = {quote}, header = true, auto_detect = false, columns = {columns},
        store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scan',
        max_line_size = 1048576"""


def keep(used: Sequence[str]) -> str:
    return ", ".join(sorted(set(used), key=lambda c: int(c[1:]))) or "*"


def stage_groups(db: Database, files: Sequence[tuple[str, Layout]]) -> StagedGroups:
    """Group the files that share a layout, two or more to a group; each group is read
    when its first file is staged (`take`), so it holds no memory before."""
    drop(db)
    by_layout: dict[Layout, list[str]] = {}
    for path, layout in files:
        by_layout.setdefault(layout, []).append(path)
    staged = StagedGroups()
    for layout, paths in by_layout.items():
        if len(paths) < 2:
            continue
        group = Group(len(staged.groups), layout, paths)
        staged.groups.append(group)
        staged.by_file.update({p: Slice(group, i) for i, p in enumerate(paths)})
    db.staged_groups = staged
    return staged


def _read_group(db: Database, group: Group) -> bool:
    """Read the group's files with one read; False when the reader cannot take them
    together (each file is then read alone, and names its own problem)."""
    if group.failed:
        return False
    listed = "[" + ", ".join(sql_literal(p) for p in group.files) + "]"
    try:
        db.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {group.table} AS
                SELECT {keep(group.layout.used)},
                       list_position({listed}, filename)::INTEGER - 1 AS lx_file
                FROM {read_sql(listed, group.layout, f"{group.table}_rejects")},
                     filename = true)"""
        )
    except duckdb.Error:
        # Inside a folder's transaction this spoils it: the folder import notices, undoes
        # it and imports the file alone (see lianxing.ingest.folder).
        group.failed = True
        return False
    group.staged, group.parsed = True, None
    return True


def take(db: Database, path: str, layout: Layout) -> tuple[Slice, list[Reject]] | None:
    """Stage `path` as lx_stage from its group; (slice, rejected lines), or None when
    the file is not in a group of this layout."""
    staged = db.staged_groups
    found = staged.by_file.get(path) if isinstance(staged, StagedGroups) else None
    if found is None or found.group.layout != layout:
        return None
    group = found.group
    if not group.staged and not _read_group(db, group):
        return None
    db.con.execute(
        f"""CREATE TEMP TABLE lx_stage AS SELECT {keep(layout.used)} FROM {group.table}
            WHERE lx_file = {found.index} ORDER BY rowid"""
    )
    rows = db.con.execute(
        f"""SELECT r.line, r.column_name, r.error_type, r.error_message
            FROM {group.table}_rejects r JOIN {group.table}_rejects_scan s
              ON r.scan_id = s.scan_id AND r.file_id = s.file_id
            WHERE s.file_path = ? ORDER BY r.line LIMIT 10""",
        [path],
    ).fetchall()
    return found, [Reject(int(r[0]), r[1], str(r[2]), str(r[3])) for r in rows]


ParseSql = Callable[[str, str, str], str]


def parsed_rows(db: Database, found: Slice, key: tuple[Any, str], parse_sql: ParseSql) -> None:
    """lx_rows for the slice's file, from its group parsed once for `key` (fields,
    zone). `parse_sql(source, rows, extra)` is the loader's parsing statement over
    table `source`, rows `rows` (with line_no) and extra columns `extra`."""
    group = found.group
    if group.parsed != key:
        rows = f"""(SELECT g.*, g.rowid - f.first + 2 AS line_no FROM {group.table} g
                    JOIN (SELECT lx_file, min(rowid) AS first FROM {group.table}
                          GROUP BY lx_file) f USING (lx_file))"""
        db.con.execute(f"DROP TABLE IF EXISTS {group.rows_table}")
        db.con.execute(
            parse_sql(group.table, rows, ", r.lx_file").replace(
                "OR REPLACE TEMP TABLE lx_rows", f"TEMP TABLE {group.rows_table}", 1
            )
        )
        group.parsed = key
    db.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lx_rows AS SELECT * EXCLUDE (lx_file)
            FROM {group.rows_table} WHERE lx_file = {found.index} ORDER BY line"""
    )


def drop(db: Database) -> None:
    """Forget the groups (when the folder is done)."""
    staged = db.staged_groups
    if isinstance(staged, StagedGroups):
        for group in staged.groups:
            for table in (group.table, group.rows_table, f"{group.table}_rejects"):
                db.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
            db.con.execute(f"DROP TABLE IF EXISTS temp.{group.table}_rejects_scan")
    db.staged_groups = None
