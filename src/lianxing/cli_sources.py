"""CLI commands that fix what was imported: `sources forget|move|rename-store|
remove-store|log` (lianxing.store.source_admin). Registered on cli.py's `sources` group
when cli.py imports this module at its end; thin like every command."""

from __future__ import annotations

from typing import Annotated

import typer

from lianxing.cli import FormatOpt, WorkspaceOpt, _format, _open, err, sources_app
from lianxing.i18n import column_labels, t
from lianxing.output import emit
from lianxing.store.source_admin import SourceChange

SourceArg = Annotated[int, typer.Argument(help="Source id (`lianxing sources --files`) 来源 ID.")]


def _rows(change: SourceChange) -> str:
    return ", ".join(f"{table} {count}" for table, count in sorted(change.rows.items())) or "-"


def _mentions(change: SourceChange, store: str) -> None:
    for name, line in change.mentions:
        err.print("  " + t("stores.still_named", file=name, line=line, store=store),
                  style="yellow", markup=False)  # fmt: skip


@sources_app.command("forget")
def sources_forget(source: SourceArg, workspace: WorkspaceOpt = None) -> None:
    """Remove an imported file and everything written from it. 删除一次导入。"""
    with _open(workspace) as lx:
        change = lx.forget_source(source)
    typer.echo(t("sources.forgotten", source=source, file=change.file_name, rows=_rows(change)))
    if change.forgotten:
        ids = ", ".join(f"#{n}" for n in change.forgotten)
        typer.echo("  " + t("sources.forgotten_versions", sources=ids))


@sources_app.command("move")
def sources_move(
    source: SourceArg,
    store: Annotated[str, typer.Option("--store", help="The store it belongs to 目标店铺.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Give an imported file to another store of the same marketplace. 移到其他店铺。"""
    with _open(workspace) as lx:
        change = lx.move_source(source, store)
    typer.echo(t("sources.moved", source=source, file=change.file_name,
                 old=change.store_from, store=store, rows=_rows(change)))  # fmt: skip
    if change.left_empty:
        typer.echo("  " + t("sources.store_left_empty", store=change.store_from))


@sources_app.command("log")
def sources_log(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """Every file forgotten or moved, store renamed or removed, in order. 变更记录。"""
    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.source_log()
        labels = column_labels(lx.categories)
    labels.update(store_from=t("sources.col_store_from"), store_to=t("sources.col_store_to"))
    columns = ["logged_at", "action", "source_id", "file_name", "store_from", "store_to",
               "made_by", "detail"]  # fmt: skip
    emit(rows, columns, fmt, labels=labels)


@sources_app.command("rename-store")
def stores_rename(
    old: Annotated[str, typer.Argument(help="Store id now 现在的店铺 ID.")],
    new: Annotated[str, typer.Argument(help="New store id 新店铺 ID.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Rename a store in lianxing.toml and every imported row. 店铺改名。"""
    with _open(workspace) as lx:
        change = lx.rename_store(old, new)
    typer.echo(t("stores.renamed", old=old, store=new, rows=_rows(change)))
    _mentions(change, old)


@sources_app.command("remove-store")
def stores_remove(
    store: Annotated[str, typer.Argument(help="Store id 店铺 ID.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Take a store with no imported file out of lianxing.toml. 删除空店铺。"""
    with _open(workspace) as lx:
        change = lx.remove_store(store)
    typer.echo(t("stores.removed", store=store))
    _mentions(change, store)
