"""Options every report command shares, added in one place: `--columns`, `--all`,
`--bom` and `--out FILE` (.csv, .xlsx or .json).

`install(app)` gives each command that takes `--format` these options (a command with
its own `--out`, like the payroll sheet, keeps it). `--out` runs the command as
`--format csv` or `json` and writes what it would print to the file, whole or not at
all (CSV with a byte-order mark for Excel); an XLSX file gets each table as a sheet,
numbers as numbers.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from lianxing.errors import InputError
from lianxing.export import write_sheets, write_text
from lianxing.i18n import t
from lianxing.output import TableOptions, make_console, table_options

OUT_SUFFIXES = (".csv", ".xlsx", ".json")
SKIP = {"import_"}  # prints what it did, not a report

ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Only these columns, in this order: ids or headers, comma-separated 仅显示这些列.",
    ),
]
AllOpt = Annotated[
    bool, typer.Option("--all", help="Every column, however wide the table 显示全部列.")
]
BomOpt = Annotated[
    bool, typer.Option("--bom", help="CSV: start with a byte-order mark, for Excel 添加 BOM.")
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Write the report to FILE.csv, FILE.xlsx or FILE.json 写入文件."),
]
_EXTRA = {
    "table_columns": (ColumnsOpt, None),
    "table_all": (AllOpt, False),
    "table_bom": (BomOpt, False),
    "table_out": (OutOpt, None),
}


def install(app: typer.Typer) -> None:
    """Give every report command of `app` (and its sub-apps) the shared options."""
    for info in _commands(app):
        callback = info.callback
        if callback is None or hasattr(callback, "__tables__") or callback.__name__ in SKIP:
            continue
        signature = inspect.signature(callback, eval_str=True)
        if "fmt" not in signature.parameters:
            continue
        extra = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=value)
            for name, (kind, value) in _EXTRA.items()
            if not (name == "table_out" and "out" in signature.parameters)
        ]
        info.callback = _wrap(callback, signature.replace(
            parameters=[*signature.parameters.values(), *extra]))  # fmt: skip


def _commands(app: typer.Typer) -> Iterator[Any]:
    yield from app.registered_commands
    for group in app.registered_groups:
        if group.typer_instance is not None:
            if group.typer_instance.registered_callback is not None:
                yield group.typer_instance.registered_callback  # a group that reports too
            yield from _commands(group.typer_instance)


def _wrap(callback: Callable[..., Any], signature: inspect.Signature) -> Callable[..., Any]:
    def command(**kwargs: Any) -> Any:
        columns = kwargs.pop("table_columns")
        options = TableOptions(
            columns=tuple(c for c in (columns or "").split(",") if c.strip()),
            show_all=kwargs.pop("table_all"),
            bom=kwargs.pop("table_bom"),
        )
        out = kwargs.pop("table_out", None)
        _refuse_before_subcommand(kwargs, options, out)
        if out is None:
            with table_options(options):
                return callback(**kwargs)
        return _write_out(callback, kwargs, options, out)

    command.__name__ = callback.__name__
    command.__doc__ = callback.__doc__
    command.__signature__ = signature  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    command.__tables__ = True  # type: ignore[attr-defined]
    return command


def _refuse_before_subcommand(kwargs: dict[str, Any], options: TableOptions, out: Any) -> None:
    """A group that reports too (`sources`): its table options given before a subcommand
    (`sources --out F log`) would be dropped silently, and --out leave an empty file."""
    ctx = kwargs.get("ctx")
    command = getattr(ctx, "invoked_subcommand", None)
    if command is None:
        return
    given = {"--out": out is not None, "--columns": bool(options.columns),
             "--all": options.show_all, "--bom": options.bom,
             "--format": str(kwargs.get("fmt", "table")).lower() != "table"}  # fmt: skip
    named = [name for name, on in given.items() if on]
    if named:
        raise InputError.at("table.before_subcommand", options=", ".join(named),
                            command=f"{ctx.command_path} {command}")  # type: ignore[union-attr]  # fmt: skip


def _write_out(
    callback: Callable[..., Any], kwargs: dict[str, Any], options: TableOptions, out: Path
) -> None:
    """Run the command for a file: its CSV or JSON text, or its tables as a workbook."""
    suffix = out.suffix.lower()
    if suffix not in OUT_SUFFIXES:
        raise InputError.at("export.bad_suffix", path=str(out), choices=", ".join(OUT_SUFFIXES))
    kwargs["fmt"] = "json" if suffix == ".json" else "csv"
    options.bom = False  # a CSV file always gets one
    if suffix == ".xlsx":
        options.sheets = []
    printed = io.StringIO()
    code = 0
    with table_options(options), redirect_stdout(printed):
        try:
            callback(**kwargs)
        except typer.Exit as stop:  # a finished report with a verdict (exit 4): still written
            code = stop.exit_code
    if options.sheets is not None:
        name = callback.__name__.replace("_", " ")
        sheets = [(s.title or name, s.rows, s.columns) for s in options.sheets]
        labels = {k: v for s in options.sheets for k, v in s.labels.items()}
        percent = [c for s in options.sheets for c in s.percent]
        money = [
            c for s in options.sheets for c in s.columns
            if c not in percent and any(isinstance(r.get(c), Decimal) for r in s.rows)
        ]  # fmt: skip
        write_sheets(out, sheets, labels, money, percent)
    else:
        write_text(out, ("\ufeff" if suffix == ".csv" else "") + printed.getvalue())
    make_console(stderr=True).print(t("table.written", path=str(out)), markup=False)
    if code:
        raise typer.Exit(code)
