"""The `lianxing` command line. Thin: parse options, call the facade, print.

Every command that prints a table takes --format table|csv|json. Errors are printed in
plain words (file, line, column) with a non-zero exit code: 2 for bad input, 3 for a
missing or broken workspace, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext, suppress
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from lianxing import __version__, cli_options
from lianxing.errors import InputError, LianxingError
from lianxing.i18n import column_labels, detect_language, language, set_language, t
from lianxing.ingest.csv_sheet import SheetImport
from lianxing.ingest.tabular import ReportImport
from lianxing.money import round_money
from lianxing.output import make_console
from lianxing.private import owner_only_umask

app = typer.Typer(
    help="Lianxing (联星): profit and KPI ledger for Amazon / Walmart / Shopify sellers. "
    "联星：跨境卖家的利润与绩效账本。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
cogs_app = typer.Typer(help="Unit costs (COGS) 采购成本.", no_args_is_help=True)
fx_app = typer.Typer(help="Exchange rates 汇率.", no_args_is_help=True)
app.add_typer(cogs_app, name="cogs")
app.add_typer(fx_app, name="fx")
mapping_app = typer.Typer(
    help="Mapping files for ERP, freight, customs, ads and overhead exports 映射文件.",
    no_args_is_help=True,
)
app.add_typer(mapping_app, name="mapping")
kpi_app = typer.Typer(help="KPIs: list, show, explain 指标.", no_args_is_help=True)
app.add_typer(kpi_app, name="kpi")
targets_app = typer.Typer(help="Targets per KPI and scope 目标.", no_args_is_help=True)
app.add_typer(targets_app, name="targets")
team_app = typer.Typer(
    help="The team: people, ownership, scorecards 团队与绩效 (docs/team.md).", no_args_is_help=True
)
app.add_typer(team_app, name="team")

err = make_console(stderr=True)
_state: dict[str, Any] = {"workspace": None, "lang": None}

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder 工作区目录 (default: $LIANXING_WORKSPACE, else the current "
        "folder or the nearest one above it with a lianxing.toml).",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | csv | json 输出格式.")]
# Options the report commands share (profit, kpi show).
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="First business date 起始日期 YYYY-MM-DD, or a month YYYY-MM."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="Last business date 截止日期 YYYY-MM-DD, or a month YYYY-MM."),
]
StoreOpt = Annotated[str | None, typer.Option("--store", help="Only this store 仅此店铺.")]
CurrencyOpt = Annotated[
    str | None, typer.Option("--currency", help="Report currency 报表币种, e.g. CNY.")
]
BasisOpt = Annotated[
    str,
    typer.Option(
        "--basis",
        help="settled | estimated | all — settled money only, estimates for unsettled "
        "orders only, or both 已结算 / 估算 / 全部.",
    ),
]


def _format(value: str) -> str:
    return cli_options.output_format(value)


def _open(workspace: Path | None) -> Any:
    from lianxing.app import Lianxing

    facade = Lianxing.open(workspace or _state["workspace"])
    _state["root"] = facade.workspace.root
    if _state["lang"] is None:
        set_language(detect_language(facade.workspace.config.lang))
    return facade


def _busy(label: str) -> Any:
    """A spinner while a small import runs (only on a terminal)."""
    return err.status(label) if sys.stderr.isatty() else nullcontext()


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError.at("report.bad_date", value=value) from exc


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lianxing {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    workspace: WorkspaceOpt = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="en | zh — language of messages 界面语言.")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Lianxing (联星)."""
    _state["workspace"] = workspace
    _state["importing"] = False
    if lang is not None:
        lang = lang.strip().lower()
        lang = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else lang
        if lang not in ("en", "zh"):
            raise InputError.at("report.bad_lang", value=lang)
    _state["lang"] = lang
    set_language(lang or detect_language())


# ---- init ------------------------------------------------------------------------------
@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace 新工作区目录.")],
    currency: Annotated[
        str, typer.Option("--currency", help="Reporting currency 报表币种 (ISO code).")
    ] = "USD",
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Start targets.yaml from a KPI template 以模板生成目标: amazon_fba, "
            "amazon_mfn, shopify_dtc (see `lianxing kpi templates`).",
        ),
    ] = None,
) -> None:
    """Create a workspace: lianxing.toml and the database. 创建工作区。"""
    from lianxing.app import Lianxing
    from lianxing.templates import template_names

    if template:  # checked before anything is created
        template = cli_options.choose(template, template_names(), "--template")
    with Lianxing.init(directory, reporting_currency=currency.upper(), lang=_state["lang"]) as lx:
        typer.echo(t("workspace.created", path=str(lx.workspace.root)))
        if template:
            path = lx.apply_template(template)
            typer.echo(t("templates.applied", template=template, scope="business", path=path))


# ---- import ----------------------------------------------------------------------------
@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Report files or folders 报告文件或目录.")],
    store: Annotated[
        str | None, typer.Option("--store", help="Store id 店铺 ID (created on first import).")
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="First day a dateless report covers 报告起始日 (or month)."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Last day a dateless report covers 报告截止日 (or month)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="Read the files as this mapping file (YAML) describes them 按映射文件导入.",
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="The file replaces an import of the same content under another mapping "
            "以本次导入替换同内容的旧映射导入.",
        ),
    ] = False,
) -> None:
    """Import platform reports, cost and rate sheets. 导入平台报告、成本表和汇率表。

    Each file's kind is read from its header (never its name):

    \b
    Amazon   settlement (flat file V2, legacy), All Orders, Sponsored Products
             (console CSV, Ads API JSON), storage fees, long-term storage fees,
             FBA customer returns, inventory planning/health, Inventory Ledger,
             Business Report (dates: --from/--to or file name), Date Range
             transaction report (CustomTransaction.csv); flat files tab- or
             comma-separated
    Walmart  reconciliation report
    Shopify  orders export, Shopify Payments transactions export
    Sheets   unit costs (sku,effective_from,unit_cost,currency), exchange rates
             (date,from,to,rate), and any CSV/XLSX with a mapping file (--mapping,
             or <workspace>/mappings/*.yaml matched by header)

    A report saved as .xlsx (the Ads console's, Seller Central's) is read from its
    first sheet like its CSV download. Each file is imported whole or not at all;
    importing the same file again changes nothing; overlapping reports count once
    (docs/counting.md).
    """
    from lianxing.ingest import folder
    from lianxing.ingest.folder_batch import FolderBatch

    fmt = _format(fmt)
    outcomes: list[Any] = []
    quiet = fmt != "table" or not sys.stderr.isatty()
    dates = cli_options.date_range(date_from, date_to)
    targets = folder.expand(files)
    if not targets:
        raise InputError.at("import.no_files", path=", ".join(str(f) for f in files))
    _state["importing"] = True
    _state["mapping"] = mapping
    _state["replace"] = replace

    def done(outcome: Any) -> None:
        outcomes.append(outcome)
        if outcome.error is not None:
            _report_not_imported(outcome)
        elif fmt == "table":
            _report_import(outcome.result)

    try:
        with _open(workspace) as lx:
            batch = FolderBatch(lx.db, group=mapping is None)
            folder.import_all(
                targets, lambda p: _import_one(lx, p, store, quiet, dates), done, batch
            )
    except LianxingError as exc:
        # Files before the failing one are imported and stay: say so, and still give
        # tools their results.
        if outcomes:
            err.print(t("import.partial", count=len(outcomes)))
        elif len(targets) == 1 and isinstance(exc, InputError):
            # The one file named failed: JSON/CSV still give its row, with the error.
            outcomes.append(folder.Outcome(targets[0].path, error=exc))
        if fmt != "table":
            _emit_imports(outcomes, fmt)
        raise
    if fmt != "table":
        _emit_imports(outcomes, fmt)
    if len(targets) > 1 or targets[0].in_folder:
        _report_summary(folder.summary(outcomes), fmt)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(code=InputError.exit_code)


def _report_not_imported(outcome: Any) -> None:
    """A file of several that was skipped (not data) or failed, and why."""
    if outcome.skipped:
        err.print(t("import.skipped", reason=str(outcome.error)), style="yellow", markup=False)
        return
    err.print(f"[bold red]{t('error.prefix')}:[/] ", end="")
    err.print(str(outcome.error), markup=False, highlight=False, soft_wrap=True)
    err.print(t("import.failed"))


def _report_summary(names: dict[str, list[str]], fmt: str) -> None:
    counts = {status: len(files) for status, files in names.items()}
    lines = [t("import.summary", **counts)]
    lines += [t(f"import.summary_{s}", files=", ".join(names[s])) for s in ("skipped", "failed")]
    for line, status in zip(lines, ("", "skipped", "failed"), strict=True):
        if status and not names[status]:
            continue
        if fmt == "table":
            typer.echo(line)
        else:  # standard output holds the JSON/CSV rows
            err.print(line, markup=False)


def _import_one(
    lx: Any,
    path: Path,
    store: str | None,
    quiet: bool,
    dates: tuple[date | None, date | None] = (None, None),
) -> Any:
    """Import one file with a progress bar (bytes read, then the import's stages)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task(t("import.progress", file=path.name), total=None)

        def on_bytes(done: int, total: int, task: Any = task) -> None:
            progress.update(task, completed=done, total=total)

        def on_stage(name: str, task: Any = task, label: str = path.name) -> None:
            description = f"{t('import.progress', file=label)} · {name}"
            progress.update(task, description=description)

        return lx.import_file(
            path,
            mapping=_state.get("mapping"),
            replace=bool(_state.get("replace")),
            store_id=store,
            progress=on_bytes,
            stage=on_stage,
            date_from=dates[0],
            date_to=dates[1],
        )


def _emit_imports(outcomes: list[Any], fmt: str) -> None:
    from lianxing.output import emit

    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.error is not None:
            rows.append(
                {
                    "file": str(outcome.path),
                    "kind": None,
                    "status": outcome.status,
                    "error": outcome.error.key,
                    "message": str(outcome.error),
                }
            )
            continue
        r = outcome.result
        if isinstance(r, ReportImport):
            rows.append(
                {
                    "file": r.file,
                    "kind": r.kind,
                    "status": r.status,
                    "source_id": r.source_id,
                    "store": r.store_id,
                    "rows": r.rows,
                    "written": r.written,
                    "replaced_rows": r.replaced_rows,
                    "date_from": r.date_from,
                    "date_to": r.date_to,
                    "currency": r.currency,
                    "total_amount": r.total_amount,
                    "rows_sum": r.rows_sum,
                    "difference": r.difference,
                    "reconciled": r.reconciled,
                    "unmapped_rows": sum(u.rows for u in r.unmapped),
                }
            )
            continue
        if isinstance(r, SheetImport):
            rows.append(
                {
                    "file": r.file,
                    "kind": r.kind,
                    "status": r.status,
                    "source_id": r.source_id,
                    "rows": r.rows,
                }
            )
            continue
        rows.append(
            {
                "file": r.file,
                "kind": f"amazon_settlement_{r.layout}" if r.layout else "amazon_settlement",
                "status": r.status,
                "source_id": r.source_id,
                "settlement_id": r.settlement_id,
                "store": r.store_id,
                "rows": r.rows,
                "currency": r.currency,
                "total_amount": r.total_amount,
                "rows_sum": r.rows_sum,
                "difference": r.difference,
                "reconciled": (
                    r.reconciled if r.status in ("imported", "replaced", "remapped") else None
                ),
                "unmapped_rows": sum(u.rows for u in r.unmapped),
            }
        )
    columns = list(dict.fromkeys(k for row in rows for k in row)) or ["file"]
    emit(rows, columns, fmt)


def _report_sheet(r: SheetImport) -> None:
    name = Path(r.file).name
    if r.status == "unchanged":
        typer.echo(t("import.sheet_unchanged", file=name, source=r.source_id))
    elif r.kind == "cogs":
        typer.echo(t("cogs.done", file=name, rows=r.rows, skus=r.keys))
    else:
        typer.echo(t("fx.done", file=name, rows=r.rows))
    if r.encoding == "gb18030":
        typer.echo("  " + t("file.read_as_gb18030"))
    for key, params in r.notes:  # e.g. the same content under another mapping
        err.print("  " + t(key, **params), style="yellow", markup=False)


def _report_report(r: ReportImport) -> None:
    name = Path(r.file).name
    if r.status == "unchanged":
        typer.echo(t("report.unchanged", file=name, source=r.source_id))
        for key, params in r.notes:  # e.g. the same content under another mapping
            err.print("  " + t(key, **params), style="yellow", markup=False)
        return
    if r.new_store is not None:
        _report_new_store(r.new_store, r.source_id)
    period = f"{r.date_from} – {r.date_to}" if r.date_from else "-"
    typer.echo(
        t(
            "report.done",
            file=name,
            kind=r.kind,
            store=r.store_id,
            rows=r.rows,
            written=r.written,
            period=period,
        )
    )
    if r.reconciled is True and r.total_amount is not None:
        typer.echo(
            "  " + t("import.reconciled", total=round_money(r.total_amount), currency=r.currency)
        )
    elif r.reconciled is False and r.total_amount is not None and r.rows_sum is not None:
        err.print(
            "  "
            + t(
                "import.not_reconciled",
                sum=round_money(r.rows_sum),
                total=round_money(r.total_amount),
                currency=r.currency,
                difference=r.difference.normalize() if r.difference is not None else "",
            ),
            style="bold red",
            markup=False,
        )
    if r.replaced_rows:
        typer.echo(t("report.replaced_rows", count=r.replaced_rows))
    for key, params in r.notes:
        err.print("  " + t(key, **params), style="yellow", markup=False)
    if r.ignored_columns:
        typer.echo("  " + t("import.ignored_columns", columns=", ".join(r.ignored_columns)))
    _report_unmapped(r.unmapped)


def _report_import(r: Any) -> None:
    if isinstance(r, SheetImport):
        _report_sheet(r)
        return
    if isinstance(r, ReportImport):
        _report_report(r)
        return
    if r.status in ("superseded", "unchanged"):
        key, source = (
            ("import.superseded", r.replaced_source)
            if r.status == "superseded"
            else ("import.unchanged", r.source_id)
        )
        typer.echo(t(key, file=Path(r.file).name, settlement=r.settlement_id, source=source))
        return
    if r.new_store is not None:
        _report_new_store(r.new_store, r.source_id)
    key = {"replaced": "import.replaced", "remapped": "import.remapped"}.get(
        r.status, "import.done"
    )
    typer.echo(
        t(
            key,
            file=Path(r.file).name,
            settlement=r.settlement_id,
            store=r.store_id,
            rows=r.rows,
            old=r.replaced_source,
        )
    )
    if r.reconciled:
        typer.echo(
            "  " + t("import.reconciled", total=r.total_amount.quantize(_CENT), currency=r.currency)
        )
    else:
        err.print(
            "  "
            + t(
                "import.not_reconciled",
                sum=round_money(r.rows_sum),
                total=round_money(r.total_amount),
                currency=r.currency,
                difference=r.difference.normalize(),
            ),
            style="bold red",
            markup=False,
        )
    for key, params in r.notes:  # e.g. a transaction report explains this settlement
        err.print("  " + t(key, **params), style="yellow", markup=False)
    if r.ignored_columns:
        typer.echo("  " + t("import.ignored_columns", columns=", ".join(r.ignored_columns)))
    _report_unmapped(r.unmapped)


def _report_new_store(s: Any, source_id: int) -> None:
    """Say a store was created (and written to lianxing.toml), warn when another store
    sells on its marketplace (a mistyped --store), and suggest its targets."""
    from lianxing.store.source_admin import same_market
    from lianxing.workspace import Workspace

    typer.echo(
        t(
            "store.created",
            store=s.id,
            marketplace=s.marketplace,
            currency=s.currency,
            timezone=s.timezone,
        )
    )
    root = _state.get("root")
    others = same_market(Workspace.load(root).config.stores, s) if root else []
    if others:
        err.print("  " + t("store.same_marketplace", others=", ".join(others), store=s.id,
                           marketplace=s.marketplace, source=source_id, other=others[0]),
                  style="yellow", markup=False)  # fmt: skip
    typer.echo("  " + t("templates.hint", store=s.id, template=_template_for(s.platform)))


def _template_for(platform: str) -> str:
    """The KPI template a new store of this platform most likely wants."""
    return {"shopify": "shopify_dtc"}.get(platform, "amazon_fba")


def _report_unmapped(unmapped: list[Any]) -> None:
    if unmapped:
        err.print(
            t("import.unmapped", count=sum(u.rows for u in unmapped)),
            style="bold yellow",
            markup=False,
        )
        for u in unmapped:
            codes = " / ".join(
                c or "—" for c in (u.transaction_type, u.amount_type, u.amount_description)
            )
            err.print(
                "    "
                + t(
                    "import.unmapped_code",
                    codes=codes,
                    rows=u.rows,
                    amount=round_money(u.amount),
                    currency=u.currency,
                    file=u.file_name,
                    line=u.first_line,
                ),
                markup=False,
            )


from decimal import Decimal  # noqa: E402

_CENT = Decimal("0.01")


# ---- cogs / fx -------------------------------------------------------------------------
@cogs_app.command("import")
def cogs_import(
    file: Annotated[
        Path, typer.Argument(help="CSV/XLSX: sku,effective_from,unit_cost,currency[,freight,duty]")
    ],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import unit costs; history is kept by effective_from. 导入采购成本（保留历史）。"""
    with _open(workspace) as lx, _busy(t("import.progress", file=file.name)):
        _report_sheet(lx.import_costs(file))
        _warn_missing_costs(lx)


def _warn_missing_costs(lx: Any) -> None:
    from lianxing.store.reports import LedgerFilter, skus_without_cost

    missing = skus_without_cost(lx.db, LedgerFilter())
    if missing:
        names = ", ".join(f"{sku} ({units})" for sku, units in missing[:20])
        names += f" … +{len(missing) - 20}" if len(missing) > 20 else ""
        err.print(
            t("cogs.missing", count=len(missing), skus=names),
            style="yellow",
            markup=False,
        )


def _warn_cogs(
    lx: Any,
    period: str | None,
    *,
    names: list[str] | None = None,
    pay: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    store_id: str | None = None,
) -> None:
    """Warn (stderr) when SKUs sold in the dates shown have no unit cost and what is
    shown (the KPIs `names`; a payout: `pay`) is computed from COGS."""
    from lianxing import cogs_check
    from lianxing.bridge import parse_period

    if names is not None and not cogs_check.uses_cogs(lx.kpi_catalogue(), names):
        return
    if period is not None:
        span = parse_period(period)
        date_from, date_to = span.first, span.last
    missing = cogs_check.missing_costs(lx.db, date_from, date_to, store_id)
    text = cogs_check.warning(missing, "cogs.missing_pay" if pay else "cogs.missing")
    if text:
        err.print(text, style="yellow", markup=False)


@cogs_app.command("missing")
def cogs_missing(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """List SKUs sold on dates no unit cost covers. 列出缺少采购成本的 SKU。"""
    from lianxing.output import emit
    from lianxing.store.reports import LedgerFilter, skus_without_cost

    with _open(workspace) as lx:
        rows = [{"sku": s, "units": u} for s, u in skus_without_cost(lx.db, LedgerFilter())]
        emit(rows, ["sku", "units"], _format(fmt), labels=column_labels(lx.categories))


@fx_app.command("import")
def fx_import(
    file: Annotated[Path, typer.Argument(help="CSV/XLSX: date,from,to,rate (1 from = rate to)")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import exchange rates by date. 导入每日汇率。"""
    with _open(workspace) as lx, _busy(t("import.progress", file=file.name)):
        _report_sheet(lx.import_rates(file))


# ---- profit ----------------------------------------------------------------------------
@app.command()
def profit(
    by: Annotated[
        str, typer.Option("--by", help="sku | store | day | week | month | category")
    ] = "sku",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    store: StoreOpt = None,
    currency: CurrencyOpt = None,
    basis: BasisOpt = "all",
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Profit by SKU, store, day, week, month or category. 按维度查看利润。

    Columns: units, sales (product principal before promotions and refunds), each cost
    group, COGS, net profit, margin (net profit / sales) and how much of the net profit
    is estimated (orders from the All Orders report not settled yet). Sales tax collected
    for the marketplace and balance movements (reserves, transfers) are never profit.
    """
    fmt = _format(fmt)
    by, basis = cli_options.profit_options(by, basis)
    first, last = cli_options.date_range(date_from, date_to)
    with _open(workspace) as lx:
        report = lx.profit(
            by=by,
            currency=currency,
            date_from=first,
            date_to=last,
            store_id=store,
            basis=basis,
        )
        if fmt == "table":  # a period the data does not cover: "2026-01 · 5 days, estimated"
            report.rows[:] = lx.mark_partial(report.rows, by, by)
        _print_profit(lx, report, fmt)


def _print_profit(lx: Any, report: Any, fmt: str) -> None:
    from lianxing.output import emit

    if report.by == "category":
        columns = ["category", "kind", "column", "rows", "units", "amount", "estimated"]
    else:
        # Show only the money columns that have any amount, to keep the table readable;
        # JSON and CSV always carry every column.
        money = [
            c
            for c in report.columns
            if fmt != "table" or any(r[c] for r in report.rows) or c in ("sales", "cogs")
        ]
        columns = [
            report.by,
            "units",
            "units_refunded",
            "orders",
            *money,
            "net_profit",
            "margin",
            "estimated",
        ]
    caption = t("report.date_basis", currency=report.currency)
    if report.estimated:
        caption += "\n" + t(
            "report.estimated_share",
            net=report.net_profit,
            estimated=report.estimated,
            currency=report.currency,
        )
    emit(
        report.rows,
        columns,
        fmt,
        labels=column_labels(lx.categories),
        caption=caption,
        percent=["margin"],
    )
    if fmt == "table":
        if not report.rows:
            err.print(t("report.empty"))
        if report.skus_without_cost:
            missing = report.skus_without_cost
            names = ", ".join(s for s, _ in missing[:10])
            names += f" … +{len(missing) - 10}" if len(missing) > 10 else ""
            err.print(
                t("cogs.missing", count=len(missing), skus=names), style="yellow", markup=False
            )
        stale = lx.stale_mappings()
        if stale:
            err.print(
                t("sources.stale", count=len(stale), files=", ".join(stale[:5])),
                style="yellow",
                markup=False,
            )
        unreconciled = [s["file_name"] for s in lx.sources() if s["reconciled"] is False]
        if unreconciled:
            err.print(
                t(
                    "report.unreconciled",
                    count=len(unreconciled),
                    files=", ".join(unreconciled[:5]),
                ),
                style="bold red",
                markup=False,
            )


# ---- ledger ----------------------------------------------------------------------------
@app.command()
def ledger(
    sku: Annotated[str | None, typer.Option("--sku", help="Only this SKU.")] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help="A category or a whole branch, e.g. platform_fees."),
    ] = None,
    order: Annotated[str | None, typer.Option("--order", help="Only this order id.")] = None,
    settlement: Annotated[
        str | None, typer.Option("--settlement", help="Only this settlement id.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First business date YYYY-MM-DD or month.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last business date YYYY-MM-DD or month.")
    ] = None,
    store: Annotated[str | None, typer.Option("--store", help="Only this store.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=10_000_000, help="At most this many rows.")
    ] = 50,
    basis: Annotated[
        str,
        typer.Option("--basis", help="settled | estimated | all, as in `profit` 口径."),
    ] = "all",
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The ledger rows behind a number, with file and line. 明细流水（可追溯到源文件行）。

    Only rows that count are shown: an estimated order row whose order item has since
    settled is left out, as in `profit`. Estimated fees and the split of ad and storage
    charges across SKUs are computed by `profit` from these rows (docs/counting.md).
    """
    from lianxing.output import emit

    fmt = _format(fmt)
    first, last = cli_options.date_range(date_from, date_to)
    with _open(workspace) as lx:
        rows = lx.ledger(
            sku=sku,
            category=category,
            order_id=order,
            settlement_id=settlement,
            date_from=first,
            date_to=last,
            store_id=store,
            limit=limit + 1,  # one more, to know whether there are more
            basis=cli_options.basis_option(basis),
        )
        more = len(rows) > limit
        rows = rows[:limit]
        columns = [
            "business_date",
            "store_id",
            "settlement_id",
            "order_id",
            "sku",
            "quantity",
            "category",
            "transaction_type",
            "amount_type",
            "amount_description",
            "amount",
            "currency",
            "basis",
            "file_name",
            "line",
        ]
        if fmt != "table":
            columns.insert(6, "event")
        emit(rows, columns, fmt, labels=column_labels(lx.categories))
        if fmt == "table" and not rows:
            err.print(t("report.empty"))
        if more:
            err.print(t("report.more_rows", limit=limit))


# ---- sources ---------------------------------------------------------------------------
# A group: `lianxing sources` reports; `sources forget|move|rename-store|remove-store|log`
# (cli_sources) fix what was imported.
sources_app = typer.Typer()
app.add_typer(sources_app, name="sources")


@sources_app.callback(invoke_without_command=True)
def sources(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
    files: Annotated[
        bool, typer.Option("--files", help="One row per imported file 按文件列出.")
    ] = False,
    stores: Annotated[
        bool,
        typer.Option("--stores", help="Per store: costs, unsplit charges, estimates 按店铺."),
    ] = False,
    unmapped_only: Annotated[
        bool,
        typer.Option("--unmapped", help="Only the unmapped platform codes 仅列出未映射代码."),
    ] = False,
) -> None:
    """What is imported, per store and kind of source, and what is missing. 数据源健康。

    Default: per store and source kind — files, rows, dates covered and gaps, last
    import, files reconciled, unmapped rows — then per store: SKUs sold without unit
    cost, ad and storage charges not split to SKUs, and the share of profit estimated.
    """
    from lianxing.output import emit

    if ctx.invoked_subcommand is not None:
        return
    fmt = _format(fmt)
    with _open(workspace) as lx:
        labels = column_labels(lx.categories)
        unmapped_columns = [
            "transaction_type",
            "amount_type",
            "amount_description",
            "rows",
            "amount",
            "currency",
            "file_name",
            "first_line",
        ]
        if unmapped_only:
            rows = [u.__dict__ for u in lx.unmapped()]
            emit(rows, unmapped_columns, fmt, labels=labels)
            return
        if files:
            rows = lx.sources()
            if fmt != "table":
                emit(rows, list(rows[0]) if rows else ["source_id"], fmt)
                return
            columns = [
                "source_id",
                "kind",
                "store_id",
                "file_name",
                "settlement_id",
                "deposit_date",
                "currency",
                "total_amount",
                "difference",
                "reconciled",
                "row_count",
                "unmapped_rows",
            ]
            emit(rows, columns, fmt, labels=labels)
            if not rows:
                err.print(t("sources.none"))
            return
        store_columns = [
            "store_id",
            "platform",
            "currency",
            "skus_without_cost",
            "ads_unallocated",
            "storage_unallocated",
            "net_profit",
            "estimated",
            "estimated_share",
        ]
        if stores:
            emit(lx.store_health(), store_columns, fmt, labels=labels, percent=["estimated_share"])
            return
        coverage = lx.coverage()
        columns = [
            "store_id",
            "kind",
            "files",
            "row_count",
            "date_from",
            "date_to",
            "gaps",
            "last_import",
            "reconciled",
            "unmapped_rows",
        ]
        emit(coverage, columns, fmt, labels=labels)
        if fmt != "table":
            return
        if not coverage:
            err.print(t("sources.none"))
            return
        emit(
            lx.store_health(),
            store_columns,
            fmt,
            labels=labels,
            percent=["estimated_share"],
        )
        unmapped = lx.unmapped()
        if unmapped:
            err.print(t("sources.unmapped_title"), style="bold yellow", markup=False)
            emit(
                [u.__dict__ for u in unmapped],
                unmapped_columns,
                "table",
                console=err,
                labels=labels,
            )
        stale = lx.stale_mappings()
        if stale:
            err.print(
                t("sources.stale", count=len(stale), files=", ".join(stale[:5])),
                style="yellow",
                markup=False,
            )


# ---- kpi -------------------------------------------------------------------------------
@kpi_app.command("list")
def kpi_list(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """Every KPI of the catalogue (and the workspace's kpis.yaml). 指标目录。"""
    from lianxing.output import emit

    fmt = _format(fmt)
    lang = language()
    with _open(workspace) as lx:
        rows = [
            {
                "name": k.name,
                "label": k.label[lang],
                "kind": k.kind,
                "unit": k.unit,
                "direction": k.direction,
                "description": k.description[lang],
            }
            for k in lx.kpi_catalogue().values()
        ]
        emit(rows, list(rows[0]) if rows else ["name"], fmt, labels=column_labels(lx.categories))


@kpi_app.command("templates")
def kpi_templates(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """KPI templates per kind of store: KPIs, weights, suggested targets. 指标模板。"""
    from lianxing.output import emit

    fmt = _format(fmt)
    lang = language()
    with _open(workspace) as lx:
        rows = [
            {
                "name": tpl.name,
                "label": tpl.label.get(lang, tpl.name),
                "kpi": item.kpi,
                "weight": item.weight,
                "target": item.target,
                "warning": item.warning,
                "critical": item.critical,
            }
            for tpl in lx.kpi_templates().values()
            for item in tpl.kpis
        ]
        emit(rows, list(rows[0]) if rows else ["name"], fmt, labels=column_labels(lx.categories))


@kpi_app.command("show")
def kpi_show(
    names: Annotated[
        list[str] | None, typer.Argument(help="KPI names 指标名称 (see `lianxing kpi list`).")
    ] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", help="Show a template's KPIs 显示模板中的指标."),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="store | platform | sku | parent | category | tag | owner | person | team "
            "| total (parent… from products.csv; person, team from people.yaml: who owned "
            "each row's store or SKU on its day)",
        ),
    ] = "store",
    period: Annotated[
        str, typer.Option("--period", help="day | week | month | quarter | year | total")
    ] = "month",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    store: StoreOpt = None,
    currency: CurrencyOpt = None,
    basis: BasisOpt = "all",
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="previous | yoy: also each KPI one period (or one year) earlier and the "
            "change 环比 / 同比.",
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person", help="Only what this person owned (people.yaml) 仅某人负责的范围."
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """KPIs by store, platform or SKU and period. 按维度和期间查看指标。

    Ratios are recomputed from the sums of each group and period (never averaged) and
    shown as fractions in CSV/JSON (0.25 = 25%); a ratio over nothing is n/a (null).
    """
    from lianxing.output import emit

    fmt = _format(fmt)
    first, last = cli_options.date_range(date_from, date_to)
    by, period, basis, compare = cli_options.report_options(by, period, basis, compare)
    with _open(workspace) as lx:
        names = cli_options.kpi_names(names or [], lx.kpi_catalogue())
        if template:
            templates = lx.kpi_templates()
            template = cli_options.choose(template, templates, "--template")
            names = [*(names or []), *(i.kpi for i in templates[template].kpis)]
        if not names:
            raise InputError.at("kpi.none")
        report = lx.kpi(
            names,
            by=by,
            period=period,
            currency=currency,
            date_from=first,
            date_to=last,
            store_id=store,
            basis=basis,
            compare=compare,
            person=person,
        )
        if fmt == "table":  # a period the data does not cover: "2026-01 · 5 days, estimated"
            report.rows[:] = lx.mark_partial(report.rows, "period", period)
        catalogue = lx.kpi_catalogue()
        lang = language()
        labels = {**column_labels(lx.categories), **{n: catalogue[n].label[lang] for n in names}}
        keys = ([] if by == "total" else [by]) + ["period"]
        percent = [n for n in names if catalogue[n].unit == "percent"]
        shown = list(names)
        if compare:
            shown = [c for n in names for c in (n, f"{n}_before", f"{n}_change")]
            for n in names:
                labels[f"{n}_before"] = t("kpi.before", label=catalogue[n].label[lang])
                labels[f"{n}_change"] = t("kpi.change", label=catalogue[n].label[lang])
                if catalogue[n].unit == "percent":
                    percent.append(f"{n}_before")
                if catalogue[n].unit == "percent" or catalogue[n].compare == "percent":
                    percent.append(f"{n}_change")
        emit(
            report.rows,
            [*keys, *shown],
            fmt,
            labels=labels,
            percent=percent,
            caption=t("report.date_basis", currency=report.currency),
        )
        if fmt == "table" and not report.rows:
            err.print(t("report.empty"))
        _warn_cogs(lx, None, names=names, date_from=first, date_to=last, store_id=store)


@kpi_app.command("explain")
def kpi_explain(
    name: Annotated[str, typer.Argument(help="A KPI name 指标名称.")],
    by: Annotated[str, typer.Option("--by", help="store | platform | sku | total")] = "store",
    period: Annotated[
        str, typer.Option("--period", help="day | week | month | quarter | year | total")
    ] = "month",
    workspace: WorkspaceOpt = None,
) -> None:
    """Print a KPI's definition and the SQL it compiles to. 显示指标定义及其 SQL。"""
    by, period, _, _ = cli_options.report_options(by, period)
    with _open(workspace) as lx:
        name = cli_options.kpi_names([name], lx.kpi_catalogue())[0]
        kpi = lx.kpi_catalogue().get(name)
        sql = lx.kpi_explain(name, by=by, period=period)
        table, build, built = lx.measure_table()
    lang = language()
    assert kpi is not None  # kpi_explain refused unknown names
    typer.echo(f"-- {kpi.name}: {kpi.label[lang]} ({kpi.kind}, {kpi.unit}, {kpi.direction})")
    typer.echo(f"-- {kpi.description[lang]}")
    if kpi.below_month:
        swaps = ", ".join(f"{old} → {new}" for old, new in kpi.below_month)
        typer.echo(f"-- {t('kpi.below_month', swaps=swaps, period=period)}")
    typer.echo(sql)
    typer.echo("")
    if built:
        when = built["built_at"].strftime("%Y-%m-%d %H:%M UTC")
        typer.echo(f"-- {t('kpi.measure_table', when=when, rows=built['rows'])}")
    typer.echo(f"CREATE TABLE {table} AS\n{build};")


# ---- team ------------------------------------------------------------------------------
@team_app.command("people")
def team_people(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """Everyone in people.yaml with role, team and what they own, from when. 人员与负责范围。"""
    from lianxing.output import emit

    fmt = _format(fmt)
    with _open(workspace) as lx:
        people = lx.people()
        labels = column_labels(lx.categories)
    rows = []
    for person in people:
        owns = [
            f"{o.kind}:{o.value}" + (f"@{o.store}" if o.store else "")
            + f" {o.start.isoformat()}…{o.end.isoformat() if o.end else ''}"
            for o in person.owns
        ]  # fmt: skip
        rows.append({"person": person.id, "name": person.name, "role": person.role,
                     "team": person.team, "owns": "; ".join(owns)})  # fmt: skip
    emit(rows, ["person", "name", "role", "team", "owns"], fmt, labels=labels)


@team_app.command("score")
def team_score(
    period: Annotated[
        str | None,
        typer.Option("--period", help="2026-10, 2026-Q4 or 2026 (default: last complete month)."),
    ] = None,
    team: Annotated[str | None, typer.Option("--team", help="One team only 仅某团队.")] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Score every person on their scorecard for a period. 计算绩效得分。

    Per person and KPI: value (the KPI over what the person owned, day by day), target
    (targets.yaml person:ID, else team:NAME, else the card's own), attainment, points by
    the card's rule, gates; then the total (of 100, more when a cap allows) and the rank.
    JSON: one object per person with person, total, rank and kpis (name, value, target,
    points, …).
    """
    from lianxing.output import dumps, emit
    from lianxing.periods import marked

    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.team_score(period, team=team)
        labels = column_labels(lx.categories)
        units = {name: kpi.unit for name, kpi in lx.kpi_catalogue().items()}
        scored = rows[0]["period"] if rows else period  # without --period: the month taken
        _warn_cogs(lx, scored, names=[k["name"] for r in rows for k in r["kpis"]], pay=True)
    if fmt == "json":
        typer.echo(dumps(rows))
        return
    summary = ["rank", "person", "name", "team", "scorecard", "period", "kpi_points",
               "adjustment", "total"]  # fmt: skip
    detail = []
    for row in rows:
        for line in row["kpis"]:
            shown = dict(line)
            if fmt == "table":
                unit = units[line["name"]]
                shown.update(value=_in_unit(line["value"], unit),
                             target=_in_unit(line["target"], unit),
                             status=t(f"team.status.{line['status']}"))  # fmt: skip
            detail.append({**shown, "kpi": line["name"], **{k: row[k] for k in summary}})
    columns = ["person", "kpi", "weight", "rule", "value", "target", "attainment", "points",
               "status"]  # fmt: skip
    if fmt == "csv":  # a line per person and KPI, each with the person's rank and total
        emit(detail, ["rank", "person", "name", "total", *columns[1:]], fmt, labels=labels)
        return
    emit([{**r, "period": marked(r)} for r in rows], summary, fmt, labels=labels)
    emit(detail, columns, fmt, labels=labels, percent=["attainment"])
    if rows and rows[0].get("closed"):
        at = rows[0]["closed_at"]
        err.print(t("team.closed_note", by=rows[0]["closed_by"], at=str(at)[:16]))


@team_app.command("payout")
def team_payout(
    period: Annotated[str, typer.Option("--period", help="2026-10, 2026-Q4 or 2026.")],
    team: Annotated[str | None, typer.Option("--team", help="One team only 仅某团队.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The payroll sheet (with totals): FILE.xlsx, .csv or .json."),
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Pay per person by pay.yaml: score bonus, profit share, tiers. 绩效工资表。

    Each person's plan (by role, team or name) in its currency: base × score ÷ 100, a
    share of the net profit they owned above a threshold, the amount of the tier their
    score reaches. `--out` writes the payroll sheet (XLSX or CSV) for payroll.
    """
    from lianxing.app import PAYOUT_COLUMNS
    from lianxing.export import write_table, write_text
    from lianxing.output import dumps, emit
    from lianxing.pay import PAYOUT_MONEY, payout_totals

    fmt = _format(fmt)
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv", ".json"):  # before work
        raise InputError.at("export.bad_suffix", path=str(out), choices=".xlsx, .csv, .json")
    with _open(workspace) as lx:
        rows = lx.team_payout(period, team=team)
        labels = column_labels(lx.categories)
        _warn_cogs(lx, period, pay=True)
    sheet = [*rows, *payout_totals(rows, t("table.total"))]  # the payroll sheet: with totals
    if out is not None:
        written = (write_text(out, dumps(rows)) if out.suffix.lower() == ".json" else
                   write_table(out, sheet, PAYOUT_COLUMNS, labels, title=f"Payout {period}",
                               money=PAYOUT_MONEY))  # fmt: skip
        err.print(t("team.payout_written", path=str(written)))
    else:
        emit(sheet if fmt == "table" else rows, PAYOUT_COLUMNS, fmt, labels=labels)
    if rows and rows[0]["estimated"]:
        err.print(t("periods.estimated_note", period=rows[0]["period"], days=rows[0]["data_days"]))


@team_app.command("template")
def team_template(
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file 覆盖.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the built-in scorecards (operator, manager) to scorecards.yaml. 考核表模板。"""
    with _open(workspace) as lx:
        path = lx.team_template(force=force)
    err.print(t("team.template_written", path=str(path)))


@team_app.command("history")
def team_history(
    first: Annotated[str, typer.Option("--from", help="First month 起始月份 (2025-07).")],
    last: Annotated[str, typer.Option("--to", help="Last month 结束月份 (2025-10).")],
    team: Annotated[str | None, typer.Option("--team", help="One team only 仅某团队.")] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Each person's total and rank month by month. 历史得分。

    Closed months give the scores they were closed with; open months are computed from
    the data as it is now.
    """
    from lianxing.output import emit
    from lianxing.periods import marked

    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.team_history(first, last, team=team)
        labels = column_labels(lx.categories)
        _warn_cogs(lx, None, pay=True, date_from=cli_options.first_day(first),
                   date_to=cli_options.last_day(last))  # fmt: skip
    columns = ["period", "rank", "person", "name", "team", "total", "closed"]
    if fmt == "table":  # a month the data does not cover to its end is marked
        rows = [{**r, "period": marked(r)} for r in rows]
    else:
        columns += ["data_days", "estimated"]
    emit(rows, columns, fmt, labels=labels)


@team_app.command("review")
def team_review(
    person: Annotated[str, typer.Argument(help="The person's id in people.yaml 人员 ID.")],
    period: Annotated[str, typer.Option("--period", help="2026-10, 2026-Q4 or 2026.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="FILE.html or FILE.xlsx (default: both, in reviews/)."),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write a person's one-page review (复盘) of a period: HTML and XLSX.

    The scorecard (each KPI against target, points), the KPIs month by month, the SKUs
    that helped and hurt net profit most against the period before, the person's
    targets off track, adjustments, and room for comments.
    """
    from lianxing.review import write_review

    with _open(workspace) as lx:
        review = lx.team_review(person, period)
        root = lx.workspace.root
        _warn_cogs(lx, period, names=[k["name"] for k in review["score"]["kpis"]], pay=True)
    label = review["score"]["period"]
    paths = [out] if out is not None else [
        root / "reviews" / f"review-{person}-{label}.{suffix}" for suffix in ("html", "xlsx")
    ]  # fmt: skip
    for path in paths:
        if path.suffix.lower() not in (".html", ".xlsx"):
            raise InputError.at("export.bad_suffix", path=str(path), choices=".html, .xlsx")
        err.print(t("team.review_written", path=str(write_review(path, review))))


ByOpt = Annotated[str, typer.Option("--by", help="Who does it (kept in the audit trail) 操作人.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail) 原因.")]
PeriodOpt = Annotated[str, typer.Option("--period", help="2026-10, 2026-Q4 or 2026.")]


@team_app.command("adjust")
def team_adjust(
    person: Annotated[str, typer.Argument(help="The person's id in people.yaml 人员 ID.")],
    period: PeriodOpt,
    points: Annotated[str, typer.Option("--points", help="Points to add (-5 takes 5 off).")],
    reason: ReasonOpt,
    by: ByOpt,
    workspace: WorkspaceOpt = None,
) -> None:
    """Adjust a person's score for an open period, with a reason. 手工调整得分。

    The adjustment is added to the total and kept, with who made it, when and why; it
    is never changed — correct it with another adjustment. See `team log`.
    """
    with _open(workspace) as lx:
        found = lx.team_adjust(period, person, points, reason, by)
    err.print(t("team.adjusted", id=found, person=person, points=points, period=period))


@team_app.command("close")
def team_close(
    period: PeriodOpt,
    by: ByOpt,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Close a period the data does not reach the end of (pay on estimates) "
            "数据未覆盖整期时仍关账.",
        ),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Close a period: its scores stand even when later data arrives. 绩效关账。"""
    with _open(workspace) as lx:
        lx.team_close(period, by, partial=partial)
    err.print(t("team.closed_now", period=period))


@team_app.command("reopen")
def team_reopen(
    period: PeriodOpt, by: ByOpt, reason: ReasonOpt, workspace: WorkspaceOpt = None
) -> None:
    """Re-open a closed period (its scores are computed afresh). 重新打开已关账期间。"""
    with _open(workspace) as lx:
        lx.team_reopen(period, by, reason)
    err.print(t("team.reopened", period=period))


@team_app.command("log")
def team_log(
    period: Annotated[str | None, typer.Option("--period", help="One period only.")] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The audit trail: every close, re-open and adjustment, in order. 审计记录。"""
    from lianxing.output import emit

    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.team_log(period)
        labels = column_labels(lx.categories)
    if fmt == "table":  # CSV and JSON keep the action codes
        rows = [{**r, "action": t(f"team.log.{r['action']}")} for r in rows]
    emit(rows, ["logged_at", "period", "action", "made_by", "detail"], fmt, labels=labels)


# ---- targets ---------------------------------------------------------------------------
@targets_app.command("check")
def targets_check(
    period: Annotated[
        str | None,
        typer.Option(
            "--period", help="2026-10, 2026-Q4 or 2026 (default: the last complete month)."
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Every target of targets.yaml: value, target, attainment, status. 目标达成检查。

    Status is on track, warning or critical by the target's levels; for a miss, the
    store or SKU furthest off is named. Exits 4 when any target is critical.
    """
    from lianxing.output import emit
    from lianxing.periods import marked

    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.targets_check(period)
        labels = column_labels(lx.categories)
        units = {name: kpi.unit for name, kpi in lx.kpi_catalogue().items()}
        if rows:
            _warn_cogs(lx, rows[0]["period"], names=[r["kpi"] for r in rows])
    shown = rows
    if fmt == "table":  # each value in its KPI's own unit: 18.0 %, 1,234.56, 479
        shown = [
            {
                **r,
                "period": marked(r),
                "value": _in_unit(r.get("value"), units[r["kpi"]]),
                "goal": _in_unit(r.get("goal"), units[r["kpi"]]),
                "status": t(f"targets.status.{r['status']}"),
                "driver": (
                    f"{r['driver']}: {_in_unit(r['driver_value'], units[r['kpi']])}"
                    if r.get("driver")
                    else None
                ),
            }
            for r in rows
        ]
    columns = ["target", "scope", "period", "value", "goal", "attainment", "status", "driver"]
    if fmt != "table":
        columns = [columns[0], "kpi", *columns[1:], "driver_value", "data_days", "estimated"]
    emit(shown, columns, fmt, labels=labels, percent=["attainment"])
    if fmt == "table" and not rows:
        err.print(t("targets.none"))
    if any(r["status"] == "critical" for r in rows):
        raise typer.Exit(DOCTOR_EXIT)


def _in_unit(value: Any, unit: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):  # a band: floor–ceiling
        return "–".join(str(_in_unit(v, unit)) for v in value)
    number = Decimal(value)
    if unit == "percent":
        return f"{number * 100:.1f}%"
    if unit == "count":
        return f"{number:,.0f}"
    return f"{number:,.2f}"


@targets_app.command("template")
def targets_template(
    name: Annotated[str, typer.Argument(help="Template 模板: see `lianxing kpi templates`.")],
    scope: Annotated[
        str, typer.Option("--scope", help="business | platform:NAME | store:ID 范围.")
    ] = "business",
    start: Annotated[
        str | None, typer.Option("--from", help="First month 起始月份 YYYY-MM (default: this one).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a template's suggested targets to targets.yaml, to edit there. 按模板添加目标。"""
    from lianxing.templates import template_names

    name = cli_options.choose(name, template_names(), "NAME")
    found = cli_options.first_day(start)  # a month, or a day of it
    start = found.strftime("%Y-%m") if found else None
    with _open(workspace) as lx:
        path = lx.apply_template(name, scope=scope, start=start)
    typer.echo(t("templates.applied", template=name, scope=scope, path=path))


# ---- bridge ----------------------------------------------------------------------------
@app.command()
def bridge(
    period_from: Annotated[
        str, typer.Option("--from", help="Earlier period 基期: 2026-09, 2026-Q3, 2026 or a day.")
    ],
    period_to: Annotated[
        str, typer.Option("--to", help="Later period 对比期: 2026-10, 2026-Q4, 2026 or a day.")
    ],
    by: Annotated[
        str | None, typer.Option("--by", help="store | sku: the same lines per store or SKU.")
    ] = None,
    store: StoreOpt = None,
    currency: CurrencyOpt = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Why net profit changed between two periods, to the cent. 利润变动归因。

    Lines: volume, mix and price (net product sales), advertising, platform fees,
    fulfillment, storage, inbound and freight, duties, returns and refunds, COGS and
    other — they add up exactly to the change in net profit — grouped as demand-, ads-,
    platform- and supply-chain-driven. --by sku shows which SKUs drove each line.
    """
    from lianxing.output import dumps, emit

    fmt = _format(fmt)
    by = cli_options.choose(by, ("store", "sku"), "--by") if by else None
    with _open(workspace) as lx:
        result = lx.bridge(period_from, period_to, by=by, currency=currency, store_id=store)
        labels = column_labels(lx.categories)
        from lianxing.bridge import parse_period

        spans = [parse_period(p) for p in (period_from, period_to)]
        _warn_cogs(lx, None, date_from=min(s.first for s in spans),
                   date_to=max(s.last for s in spans), store_id=store)  # fmt: skip
    names = [line["name"] for line in result.lines]
    # Per SKU, volume and mix are one line (how that SKU's units moved).
    parts = (
        ["volume_and_mix", *(n for n in names if n not in ("volume", "mix"))]
        if result.by == "sku"
        else names
    )
    if fmt == "json":
        payload = {
            "from": result.period_from.label,
            "to": result.period_to.label,
            "currency": result.currency,
            "net_profit_from": result.net_profit_from,
            "net_profit_to": result.net_profit_to,
            "total_change": result.total_change,
            "lines": result.lines,
        }
        if result.by:
            payload["by"] = result.by
            payload["breakdown"] = result.breakdown
        typer.echo(dumps(payload))
        return
    if result.by and fmt == "csv":  # the drill-down is the table a spreadsheet wants
        emit(result.breakdown, [result.by, "net_profit", *parts], fmt, labels=labels)
        return
    rows = [
        {
            "name": t(f"bridge.line.{line['name']}"),
            "group": t(f"bridge.group.{line['group']}"),
            "amount": line["amount"],
        }
        for line in result.lines
    ]
    rows.append({"name": t("bridge.total"), "group": "", "amount": result.total_change})
    emit(
        rows,
        ["name", "group", "amount"],
        fmt,
        labels={**labels, "group": t("bridge.group_label")},
        title=t(
            "bridge.title",
            before=result.period_from.label,
            after=result.period_to.label,
            first=result.net_profit_from,
            second=result.net_profit_to,
            currency=result.currency,
        ),
    )
    if result.by and fmt == "table":
        line_labels = {n: t(f"bridge.line.{n}") for n in parts}
        emit(
            result.breakdown,
            [result.by, "net_profit", *parts],
            "table",
            labels={**labels, **line_labels},
        )


# ---- doctor ----------------------------------------------------------------------------
DOCTOR_EXIT = 4


@app.command()
def doctor(
    today: Annotated[
        str | None,
        typer.Option("--today", help="Judge freshness as of this day 以此日期判断数据是否过期."),
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Run every data-health check; exit 4 when something needs a person. 数据体检。

    Checks: reconciliation, unmapped codes, code mappings changed since import, SKUs
    without unit cost, missing exchange rates, gaps between files, stale data,
    estimated orders that never settled, ad and storage charges not split to SKUs,
    stores without a report their KPIs need (returns, ads, traffic).
    """
    from lianxing.output import emit

    fmt = _format(fmt)
    with _open(workspace) as lx:
        found = lx.doctor(_parse_date(today))
    rows = [
        {
            "check": c.id,
            "status": c.status,
            "message": t(c.message[0], **c.message[1]),
            "details": c.details,
        }
        for c in found
    ]
    if fmt != "table":
        if fmt == "csv":
            rows = [{**r, "details": "; ".join(r["details"])} for r in rows]
        emit(rows, ["check", "status", "message", "details"], fmt)
    else:
        marks = {"ok": "✓", "warn": "!", "fail": "✗"}
        styles = {"ok": "green", "warn": "yellow", "fail": "bold red"}
        console = make_console()
        for c, row in zip(found, rows, strict=True):
            console.print(
                f"{marks[c.status]} {row['message']}", style=styles[c.status], markup=False
            )
            for detail in c.details[:10]:
                console.print(f"    {detail}", markup=False)
            if len(c.details) > 10:
                console.print("    " + t("doctor.more", count=len(c.details) - 10), markup=False)
    if any(c.status != "ok" for c in found):
        if fmt == "table":
            err.print(t("doctor.needs_person"), style="bold", markup=False)
        raise typer.Exit(DOCTOR_EXIT)


# ---- categories ------------------------------------------------------------------------
@app.command()
def categories(fmt: FormatOpt = "table") -> None:
    """The canonical cost categories and how each counts. 费用类别及其性质。"""
    from lianxing.categories import load_categories
    from lianxing.output import emit
    from lianxing.workspace import Workspace

    if _state["lang"] is None:  # no workspace needed, but use its language if there is one
        with suppress(LianxingError):
            set_language(detect_language(Workspace.find(_state["workspace"]).config.lang))

    zh = language() == "zh"
    rows = [
        {"category": c.code, "kind": c.kind, "column": c.column, "label": c.zh if zh else c.en}
        for c in load_categories().categories
    ]
    emit(
        rows,
        ["category", "kind", "column", "label"],
        _format(fmt),
        labels=column_labels(load_categories()),
    )


# ---- demo ------------------------------------------------------------------------------
@app.command()
def demo(
    directory: Annotated[
        Path, typer.Argument(help="Workspace folder for the demo 演示工作区目录.")
    ] = Path("demo"),
    scale: Annotated[
        int, typer.Option("--scale", min=1, max=50, help="Order volume multiplier 订单量倍数.")
    ] = 1,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same files) 随机种子.")
    ] = 7,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild the workspace if it exists 覆盖重建.")
    ] = False,
) -> None:
    """Write a year of a demo seller's files, import them, print profit. 生成并导入演示卖家数据。"""
    from lianxing.demo import run_demo
    from lianxing.workspace import check_folder

    check_folder(directory.expanduser())  # a file of that name: refused before any work
    run_demo(directory, scale=scale, seed=seed, force=force, console=make_console())


# ---- mapping ---------------------------------------------------------------------------
@mapping_app.command("check")
def mapping_check(
    file: Annotated[Path, typer.Argument(help="The CSV/XLSX file 数据文件.")],
    mapping: Annotated[Path, typer.Argument(help="The mapping file (YAML) 映射文件.")],
    rows: Annotated[
        int, typer.Option("--rows", min=0, max=10_000, help="Rows to preview 预览行数.")
    ] = 10,
    store: Annotated[str | None, typer.Option("--store", help="Store id 店铺 ID.")] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Check a mapping file against a data file and preview its rows; writes nothing.
    检查映射文件并预览导入结果（不写入数据）。

    Lists every problem — of the mapping (unknown keys, unknown categories), of the
    file's header (missing columns) and of its values (line, column, value) — then the
    first rows as the ledger or cost rows they would become. Exit code 2 when there is
    any problem, 0 otherwise.
    """
    import json

    from lianxing.output import emit, to_json

    fmt = _format(fmt)
    with _open(workspace) as lx:
        check = lx.mapping_check(file, mapping, store_id=store, rows=rows)
        labels = column_labels(lx.categories)
    problems = [
        {
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "key": p.key,
            "message": t(p.key, **p.params),
        }
        for p in check.problems
    ]
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "file": check.file,
                    "mapping": check.mapping,
                    "kind": check.kind,
                    "store": check.store_id,
                    "rows": check.total_rows,
                    "ignored_columns": check.ignored_columns,
                    "problems": json.loads(to_json(problems)),
                    "preview": json.loads(to_json(check.rows)),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif fmt == "csv":
        emit(check.rows, check.columns or ["line"], fmt)
    elif check.rows:
        typer.echo(
            t(
                "mapping.preview",
                shown=len(check.rows),
                rows=check.total_rows,
                kind=check.kind or "-",
            )
        )
        emit(check.rows, check.columns, fmt, labels=labels)
        if check.ignored_columns:
            typer.echo(t("import.ignored_columns", columns=", ".join(check.ignored_columns)))
    if check.problems:
        if fmt != "json":
            err.print(str(InputError(check.problems[0].key, problems=check.problems)), markup=False)
        err.print(t("mapping.check_failed", count=len(check.problems)), markup=False)
        raise typer.Exit(code=2)
    err.print(t("mapping.check_ok", mapping=mapping.name), markup=False)


# The costing commands (products, batches, fees, audit, whatif) live in their own module
# and register themselves on `app`; imported here, after everything they use exists.
from lianxing import cli_costing, cli_sources  # noqa: E402, F401
from lianxing.cli_tables import install as _install_table_options  # noqa: E402

_install_table_options(app)  # --columns, --all, --bom, --out on every report command


def main() -> None:
    """Entry point: run the CLI and turn errors into plain words and exit codes."""
    try:
        with owner_only_umask():  # files it writes: the owner's only (lianxing.private)
            app()
    except LianxingError as exc:
        _show_notices()
        err.print(f"[bold red]{t('error.prefix')}:[/] ", end="")
        err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        if _state.get("importing") and isinstance(exc, InputError):
            err.print(t("import.failed"))
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # Output piped into `head` and such: stop quietly, as other tools do.
        sys.stderr.close()
        sys.exit(1)
    except Exception as exc:  # a bug, not bad input: say so plainly, no traceback
        if os.environ.get("LIANXING_DEBUG"):
            raise
        detail = (
            f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:300] if str(exc) else ''}"
        )
        err.print(f"[bold red]{t('error.prefix')}:[/] ", end="")
        err.print(t("error.internal", detail=detail), markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    finally:
        _show_notices()


def _show_notices() -> None:
    """What the command noted beside its result (lianxing.notices), on standard error."""
    from lianxing import notices

    for key, params in notices.take():
        err.print(t(key, **params), style="yellow", markup=False, highlight=False)
