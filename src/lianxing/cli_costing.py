"""CLI commands for costing: `products`, `batches`, `fees`, `audit fees` and `whatif`.

Kept apart from cli.py (which is long enough) and registered on the same `app` when
cli.py imports this module at its end. Thin, like every command: parse, call the
facade, print (table, CSV or JSON).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from lianxing.cli import (
    FormatOpt,
    FromOpt,
    StoreOpt,
    ToOpt,
    WorkspaceOpt,
    _busy,
    _format,
    _open,
    _parse_date,
    app,
    err,
)
from lianxing.cli_options import date_range
from lianxing.errors import InputError
from lianxing.i18n import t
from lianxing.money import parse_amount
from lianxing.output import dumps, emit

products_app = typer.Typer(
    help="Product specs: dimensions, weight, fee category, HTS code 产品规格.",
    no_args_is_help=True,
)
batches_app = typer.Typer(
    help="Inbound batches and their landed cost 入库批次与到岸成本.", no_args_is_help=True
)
fees_app = typer.Typer(
    help="Fee schedules and fee estimates 平台费率表与费用估算.", no_args_is_help=True
)
audit_app = typer.Typer(
    help="Audit what platforms charged against the schedules 费用审计.", no_args_is_help=True
)
app.add_typer(products_app, name="products")
app.add_typer(batches_app, name="batches")
app.add_typer(fees_app, name="fees")
app.add_typer(audit_app, name="audit")

DateOpt = Annotated[
    str | None, typer.Option("--date", help="The day the fees apply 费用日期 YYYY-MM-DD.")
]


def _price(value: str | None, option: str = "--price") -> Decimal | None:
    if value is None:
        return None
    amount = parse_amount(value)
    if amount is None or amount <= 0 or amount > 100_000:
        raise InputError.at("fees.bad_price", price=value, sku=option)
    return amount


def _labels() -> dict[str, str]:
    from lianxing.i18n import costing_labels

    return costing_labels()


# ---- products --------------------------------------------------------------------------
@products_app.command("import")
def products_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX: sku, category, length_in|cm|mm, width_*, height_*, "
            "weight_oz|lb|g|kg[, asin, title, hts_code, origin]"
        ),
    ],
    workspace: WorkspaceOpt = None,
    clear_blanks: Annotated[
        bool,
        typer.Option(
            "--clear-blanks",
            help="Let a blank cell clear a value a SKU has now. 允许空白单元格清除已有值。",
        ),
    ] = False,
) -> None:
    """Import product specs; sizes are converted to inches and ounces. 导入产品规格。"""
    with _open(workspace) as lx, _busy(t("import.progress", file=file.name)):
        result = lx.import_products(file, clear_blanks=clear_blanks)
    if result.status == "unchanged":
        typer.echo(t("import.sheet_unchanged", file=file.name, source=result.source_id))
        return
    typer.echo(t("products.done", file=file.name, rows=result.rows,
                 sized=result.with_dimensions))  # fmt: skip
    for column, unit in result.units.items():
        if unit not in ("in", "oz"):
            typer.echo("  " + t("products.converted", column=column, unit=unit))
    if result.ignored_columns:
        typer.echo("  " + t("import.ignored_columns", columns=", ".join(result.ignored_columns)))
    if result.kept:
        typer.echo("  " + t("products.kept", fields=", ".join(result.kept)))
    if result.cleared:
        counts = ", ".join(f"{k}: {n}" for k, n in result.cleared.items())
        typer.echo("  " + t("products.cleared", counts=counts))


@products_app.command("list")
def products_list(
    on: DateOpt = None, workspace: WorkspaceOpt = None, fmt: FormatOpt = "table"
) -> None:
    """Every product with its size tier and shipping weight. 产品规格与尺寸分段。"""
    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.products(_parse_date(on))
    columns = ["sku", "category", "length_in", "width_in", "height_in", "weight_oz",
               "size_tier", "shipping_weight_oz", "hts_code", "origin", "source"]  # fmt: skip
    emit(rows, columns, fmt, labels=_labels())


# ---- batches ---------------------------------------------------------------------------
@batches_app.command("import")
def batches_import(
    file: Annotated[Path, typer.Argument(help="CSV: one row per batch line (docs/landed-cost.md)")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import inbound batches; each line's landed cost is checked before writing. 导入入库批次。"""
    with _open(workspace) as lx, _busy(t("import.progress", file=file.name)):
        result = lx.import_batches(file)
    if result.status == "unchanged":
        typer.echo(t("import.sheet_unchanged", file=file.name, source=result.source_id))
        return
    typer.echo(t("batches.done", file=file.name, batches=result.batches, lines=result.lines,
                 units=result.units))  # fmt: skip
    if result.replaced:
        typer.echo("  " + t("batches.replaced", count=result.replaced))


@batches_app.command("list")
def batches_list(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """Landed cost per unit of every batch line, by part (USD). 每批到岸成本。"""
    fmt = _format(fmt)
    with _open(workspace) as lx:
        rows = lx.lots()
    for row in rows:
        row["source"] = f"{row['file_name']}:{row['line']}"
    columns = ["batch_id", "sku", "mode", "arrived_on", "units", "goods", "freight", "duty",
               "mpf", "hmf", "placement", "unit_cost", "currency", "source"]  # fmt: skip
    if fmt == "json":
        columns.append("duties")
    emit(rows, columns, fmt, labels=_labels())


# ---- fees ------------------------------------------------------------------------------
@fees_app.command("estimate")
def fees_estimate(
    sku: Annotated[str, typer.Option("--sku", help="The SKU (its spec must be imported).")],
    price: Annotated[str, typer.Option("--price", help="Selling price per unit 售价, USD.")],
    on: DateOpt = None,
    platform: Annotated[
        str, typer.Option("--platform", help="amazon | walmart | shopify 平台.")
    ] = "amazon",
    fulfilment: Annotated[
        str, typer.Option("--fulfilment", help="fba | fbm (Amazon) 配送方式.")
    ] = "fba",
    plan: Annotated[
        str | None, typer.Option("--plan", help="Shopify plan: basic | shopify | advanced.")
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The fee breakdown of one unit, with the table each line came from. 单件费用明细。"""
    fmt = _format(fmt)
    amount = _price(price)
    assert amount is not None
    with _open(workspace) as lx:
        found = lx.fee_estimate(sku, amount, on=_parse_date(on), platform=platform,
                                fulfilment=fulfilment, plan=plan)  # fmt: skip
    data = found.as_json()
    if fmt == "json":
        typer.echo(dumps(data))
        return
    rows = [{**line, "amount": Decimal(line["amount"])} for line in data["lines"]]
    rows.append({"name": "total", "amount": found.total})
    caption = t("fees.caption", sku=sku, price=str(amount), day=data["date"],
                tier=data["size_tier"] or "-",
                weight=data["shipping_weight_oz"] or "-")  # fmt: skip
    emit(rows, ["name", "category", "amount", "confirmed", "source", "note"], fmt,
         labels=_labels(), caption=caption)  # fmt: skip


@fees_app.command("schedules")
def fees_schedules(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """Every fee table with its period, source and whether it is confirmed. 费率表清单。"""
    fmt = _format(fmt)
    with _open(workspace) as lx:
        book = lx.books().fees
    rows = [
        {"kind": s.kind, "id": s.id, "period": period, "currency": s.currency,
         "confirmed": s.origin.confirmed, "source": s.origin.source,
         "file": f"{s.origin.file}:{s.origin.line}"}
        for kind in book.kinds()
        for s, period in zip(
            [x for x in book.schedules if x.kind == kind], book.periods(kind), strict=True
        )
    ]  # fmt: skip
    emit(rows, ["kind", "id", "period", "currency", "confirmed", "source", "file"], fmt,
         labels=_labels())  # fmt: skip


@fees_app.command("check")
def fees_check(workspace: WorkspaceOpt = None, fmt: FormatOpt = "table") -> None:
    """Unsettled orders the schedules could not price, and why. 无法按费率表估算的订单。"""
    fmt = _format(fmt)
    with _open(workspace) as lx:
        derived = lx.derive(force=True)
    if fmt == "table":
        typer.echo(t("fees.check_summary", items=derived.estimated_items,
                     unpriced=len(derived.unpriced)))  # fmt: skip
    emit(derived.unpriced, ["store", "order_id", "sku", "reason"], fmt, labels=_labels())


# ---- audit -----------------------------------------------------------------------------
@audit_app.command("fees")
def audit_fees(
    store: StoreOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    window: Annotated[
        int, typer.Option("--window", help="Days a refunded unit has to come back 退货期限.")
    ] = 45,
    evidence: Annotated[
        Path | None, typer.Option("--evidence", help="Write every claim with its rows to CSV.")
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """FBA fees charged above the schedule for the product's own size, and
    reimbursements owed. FBA 费用多收与应得赔偿。"""
    fmt = _format(fmt)
    with _open(workspace) as lx:
        first, last = date_range(date_from, date_to)
        report = lx.audit_fees(store_id=store, date_from=first, date_to=last, window=window)
    claims = [c.as_row() for c in report.claims]
    if evidence is not None:
        _write_evidence(evidence, claims, report.reimbursements)
    if fmt == "json":
        typer.echo(dumps({
            "claims": claims, "reimbursements": report.reimbursements,
            "items_checked": report.items_checked,
            "items_overcharged": report.items_overcharged,
            "items_undercharged": report.items_undercharged,
            "overcharge": report.overcharge, "owed": report.owed,
            "unaudited": report.unaudited,
            "as_of": report.as_of.isoformat() if report.as_of else None,
        }))  # fmt: skip
        return
    if fmt == "csv":
        emit(claims, list(claims[0]) if claims else ["sku"], fmt)
        return
    emit(claims, ["store", "sku", "period", "items", "units", "charged_per_unit",
                  "expected_per_unit", "overcharge", "size_tier", "fits"], fmt,
         labels=_labels(), title=t("audit.claims_title"))  # fmt: skip
    typer.echo(t("audit.summary", checked=report.items_checked, over=report.items_overcharged,
                 under=report.items_undercharged, amount=report.overcharge))  # fmt: skip
    if report.unaudited:
        names = ", ".join(f"{k} ({v})" for k, v in sorted(report.unaudited.items())[:20])
        err.print(t("audit.unaudited", count=len(report.unaudited), skus=names),
                  style="yellow", markup=False)  # fmt: skip
    emit(report.reimbursements, ["kind", "store", "order_id", "sku", "day", "units", "amount",
                                 "currency", "basis"], fmt,
         labels=_labels(), title=t("audit.owed_title"))  # fmt: skip
    typer.echo(t("audit.owed", count=len(report.reimbursements), amount=report.owed_text))
    if not report.inventory_ledger:
        typer.echo(t("audit.not_covered"))


def _write_evidence(path: Path, claims: list[dict[str, Any]], owed: list[dict[str, Any]]) -> None:
    from lianxing.export import formula_safe, write_text

    rows = [["kind", "store", "sku", "period_or_order", "amount", "evidence"]]
    rows += [["fba_overcharge", c["store"], c["sku"], c["period"], str(c["overcharge"]),
              c["evidence"]] for c in claims]  # fmt: skip
    rows += [[r["kind"], r["store"], r["sku"], r["order_id"], str(r["amount"] or ""),
              r["evidence"]] for r in owed]  # fmt: skip
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([formula_safe(v) for v in map(str, row)])  # never a formula
    write_text(path, buffer.getvalue())
    err.print(t("audit.evidence_written", path=str(path)), markup=False)


# ---- what-if ---------------------------------------------------------------------------
@app.command()
def whatif(
    sku: Annotated[
        str | None, typer.Option("--sku", help="One SKU; without it, a whole store.")
    ] = None,
    price: Annotated[
        str | None, typer.Option("--price", help="Scenario price 假设售价 (default: recent price).")
    ] = None,
    tariff: Annotated[
        str | None,
        typer.Option("--tariff", help="+10 = ten points more duty; 25% = duty of 25% 关税."),
    ] = None,
    freight: Annotated[
        str | None, typer.Option("--freight", help="sea | air: re-cost first-mile freight 头程.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Day of the scenario's fee schedules 日期.")
    ] = None,
    store: StoreOpt = None,
    days: Annotated[int, typer.Option("--days", help="Store mode: days of sales 天数.")] = 30,
    origin: Annotated[
        str | None, typer.Option("--origin", help="Store mode: only goods of this origin, e.g. CN.")
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Unit economics now and under a scenario, side by side. 假设分析：单品或整店利润变化。"""
    from lianxing.costing.whatif import Scenario, parse_tariff

    fmt = _format(fmt)
    freight = freight.strip().lower() if freight is not None else None
    if freight is not None and freight not in ("sea", "air"):
        raise InputError.at("whatif.bad_freight", value=freight)
    if not 1 <= days <= 366:
        raise InputError.at("whatif.bad_days", value=str(days))
    add, new = parse_tariff(tariff) if tariff else (None, None)
    scenario = Scenario(price=_price(price) if sku else None, tariff_add=add, tariff_set=new,
                        freight=freight, day=None)  # fmt: skip
    with _open(workspace) as lx:
        result = lx.whatif(sku, scenario, price=None, on=_parse_date(on), store_id=store,
                           days=days, origin=origin.upper() if origin else None)  # fmt: skip
    if sku is not None:
        rows = result.rows()
        if fmt == "json":
            typer.echo(dumps({"sku": sku, "platform": result.platform,
                              "day": result.now.day.isoformat(),
                              "size_tier": result.now.size_tier,
                              "cost_source": result.now.cost.source, "lines": rows}))  # fmt: skip
            return
        if fmt == "table":
            from lianxing.costing.whatif import readable

            rows = readable(rows)
        emit(rows, ["line", "now", "scenario", "change"], fmt, labels=_labels(),
             caption=t("whatif.caption", sku=sku, day=result.now.day.isoformat(),
                       source=result.now.cost.source))  # fmt: skip
        return
    if fmt == "json":
        typer.echo(dumps(result))
        return
    columns = ["store", "sku", "units", "price", "profit_per_unit_now",
               "profit_per_unit_scenario", "change"]  # fmt: skip
    emit(result["rows"], columns, fmt, labels=_labels())
    if fmt == "table":
        typer.echo(t("whatif.store_summary", first=result["from"], last=result["to"],
                     now=result["profit_now"], then=result["profit_scenario"],
                     change=result["change"]))  # fmt: skip
        if result["skipped"]:
            names = ", ".join(f"{r['sku']} ({r['reason']})" for r in result["skipped"][:20])
            err.print(t("whatif.skipped", count=len(result["skipped"]), skus=names),
                      style="yellow", markup=False)  # fmt: skip
