"""`lianxing demo`: a believable year of one seller, end to end.

Writes the seller's files in the platforms' real formats (`demo_data`), imports them
through the same importers a user runs, and prints and writes the profit summary.
Nothing here computes a number itself: it all comes from the ledger.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from lianxing import demo_costing, demo_folder, private
from lianxing.app import PAYOUT_COLUMNS, Lianxing
from lianxing.demo_data import write_demo_files
from lianxing.demo_team import SCORED_MONTH, write_team
from lianxing.export import write_table
from lianxing.i18n import column_labels, costing_labels, language, t
from lianxing.ingest.amazon_settlement import SettlementImport
from lianxing.output import dumps, emit, make_console
from lianxing.pay import PAYOUT_MONEY, payout_totals
from lianxing.review import write_review
from lianxing.workspace import Store

DEMO_STORE = "amazon-us"
DEMO_YEAR = 2025
# The demo seller's stores, written to lianxing.toml before anything is imported.
DEMO_STORES = (
    Store(DEMO_STORE, "amazon", "amazon.com", "USD", "America/Los_Angeles"),
    Store("walmart-us", "walmart", "walmart.com", "USD", "America/Los_Angeles"),
    Store("shopify-us", "shopify", "shopify", "USD", "America/New_York"),
)


def run_demo(
    directory: Path,
    *,
    scale: int = 1,
    seed: int = 7,
    force: bool = False,
    console: Console | None = None,
) -> Path:
    """Build the demo workspace in `directory`; returns the folder of written reports.

    Only a new or empty folder, or one an earlier demo made (with `force`), is used;
    every file written is listed in the folder's marker (lianxing.demo_folder)."""
    console = console or make_console()
    directory = directory.expanduser().resolve()
    demo_folder.prepare(directory, force, [s.id for s in DEMO_STORES])
    try:
        return _build(directory, scale=scale, seed=seed, console=console)
    finally:
        demo_folder.record(directory)


def _build(directory: Path, *, scale: int, seed: int, console: Console) -> Path:
    console.print(t("demo.writing", path=str(directory / "sources")))
    card: dict[str, object] = {}

    def fba_card(catalog: list[tuple[str, Decimal, Decimal, float]]) -> Any:
        fee, specs, wrong = demo_costing.rate_card(catalog, seed, DEMO_YEAR)
        card.update(specs=specs, wrong=wrong)
        return fee

    files = write_demo_files(directory, scale=scale, seed=seed, fba_card=fba_card)
    inbound = directory / "inbound"
    specs_path = demo_costing.write_specs(inbound / demo_costing.SPECS_FILE, card["specs"])  # type: ignore[arg-type]
    batches_path = demo_costing.write_batches(
        inbound / demo_costing.BATCHES_FILE, files.unit_costs, DEMO_YEAR
    )
    with Lianxing.init(directory, reporting_currency="USD") as lx:
        for store in DEMO_STORES:
            lx.workspace.add_store(store)
        lx.workspace.save()
        # Every file of the folder through the same importer a user's `lianxing import
        # FOLDER` picks for it, in name order.
        paths = sorted(p for p in (directory / "sources").iterdir() if p.is_file())
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(t("import.progress", file="sources"), total=len(paths))
            results = []
            for path in paths:
                progress.update(task, description=t("import.progress", file=path.name))
                results.append(lx.import_file(path))
                progress.advance(task)
        settlements = [r for r in results if isinstance(r, SettlementImport)]
        reconciled = sum(1 for r in settlements if r.reconciled)
        console.print(
            t(
                "demo.imported",
                count=len(settlements),
                reconciled=reconciled,
                rows=f"{sum(r.rows for r in settlements):,}",
            )
        )
        console.print(t("demo.other_files", count=len(results) - len(settlements)))
        # The costing inputs, as a user imports them: specs first, then the batches
        # (their landed cost needs the specs' sizes and the imported rates).
        lx.import_products(specs_path)
        lx.import_batches(batches_path)

        by_month = lx.profit(by="month")
        by_sku = lx.profit(by="sku")
        reports = directory / "reports"
        reports.mkdir(exist_ok=True)
        # Every money column with any amount, so the row adds up to its net profit.
        money = [c for c in by_month.columns if any(r[c] for r in by_month.rows)]
        month_columns = ["month", "units", *money, "net_profit", "margin"]
        labels = column_labels(lx.categories)
        emit(
            by_month.rows,
            month_columns,
            "table",
            title=t("demo.summary"),
            labels=labels,
            caption=t("report.date_basis", currency="USD"),
            console=console,
            percent=["margin"],
        )
        top = sorted(
            (r for r in by_sku.rows if r["sku"]), key=lambda r: r["net_profit"], reverse=True
        )[:10]
        emit(
            top,
            ["sku", "units", "sales", "refunds", "advertising", "cogs", "net_profit", "margin"],
            "table",
            title=t("demo.top_skus"),
            labels=labels,
            console=console,
            percent=["margin"],
        )
        if by_sku.skus_without_cost:
            names = ", ".join(s for s, _ in by_sku.skus_without_cost)
            console.print(t("cogs.missing", count=len(by_sku.skus_without_cost), skus=names))
        _kpi_board(lx, console, reports)
        write_team(directory, [r["sku"] for r in by_sku.rows if r["sku"]])
        _team_board(lx, console, reports)
        _costing_board(lx, console, reports)
        with (reports / "profit-by-month.csv").open("w", encoding="utf-8") as out:
            emit(by_month.rows, [by_month.by, *_all_columns(by_month)], "csv", stream=out)
        with (reports / "profit-by-sku.json").open("w", encoding="utf-8") as out:
            emit(by_sku.rows, [by_sku.by, *_all_columns(by_sku)], "json", stream=out)
        console.print(t("demo.reports", path=str(reports)))
        console.print(t("demo.next", path=str(directory)))
    return reports


def _costing_board(lx: Lianxing, console: Console, reports: Path) -> None:
    """The fee audit's claims, the landed lots and one what-if, printed and written."""
    from lianxing.costing import whatif
    from lianxing.costing.whatif import Scenario

    found = lx.audit_fees()
    claims = [c.as_row() for c in found.claims]
    labels = costing_labels(lx.categories)
    emit(claims, ["sku", "period", "items", "units", "charged_per_unit", "expected_per_unit",
                  "overcharge", "size_tier", "fits"], "table",
         title=t("audit.claims_title"), labels=labels, console=console)  # fmt: skip
    console.print(t("audit.summary", checked=found.items_checked, over=found.items_overcharged,
                    under=found.items_undercharged, amount=found.overcharge))  # fmt: skip
    console.print(t("audit.owed", count=len(found.reimbursements), amount=found.owed_text))
    with (reports / "fee-audit.json").open("w", encoding="utf-8") as out:
        out.write(dumps({"claims": claims, "reimbursements": found.reimbursements}) + "\n")
    lots = lx.lots()
    emit(lots, ["batch_id", "sku", "mode", "arrived_on", "units", "goods", "freight", "duty",
                "mpf", "hmf", "placement", "unit_cost"], "table",
         title=t("demo.lots"), labels=labels, console=console)  # fmt: skip
    sku = demo_costing.SEA_LINES[1][0]
    result = lx.whatif(sku, Scenario(tariff_add=Decimal("0.10")))
    emit(whatif.readable(result.rows()), ["line", "now", "scenario", "change"], "table",
         title=t("demo.whatif", sku=sku), labels=labels, console=console)  # fmt: skip


# The KPIs the demo's board shows per store (docs/kpis.md).
BOARD = ["sales", "net_profit", "net_margin", "tacos", "acos", "return_rate"]


def _kpi_board(lx: Lianxing, console: Console, reports: Path) -> None:
    """The year's KPIs per store, and why November's profit differs from December's:
    printed, and written as JSON for other tools."""
    board = lx.kpi(BOARD, by="store", period="year", basis="settled")
    catalogue = lx.kpi_catalogue()
    lang = language()
    labels = {**column_labels(lx.categories), **{n: catalogue[n].label[lang] for n in BOARD}}
    emit(
        board.rows,
        ["store", "period", *BOARD],
        "table",
        title=t("demo.kpis"),
        labels=labels,
        console=console,
        percent=[n for n in BOARD if catalogue[n].unit == "percent"],
    )
    with (reports / "kpis-by-store.json").open("w", encoding="utf-8") as out:
        emit(board.rows, ["store", "period", *BOARD], "json", stream=out)
    bridge = lx.bridge("2025-11", "2025-12")
    rows = [
        {"name": t(f"bridge.line.{line['name']}"), "amount": line["amount"]}
        for line in bridge.lines
    ]
    rows.append({"name": t("bridge.total"), "amount": bridge.total_change})
    emit(
        rows,
        ["name", "amount"],
        "table",
        title=t(
            "bridge.title",
            before="2025-11",
            after="2025-12",
            first=bridge.net_profit_from,
            second=bridge.net_profit_to,
            currency=bridge.currency,
        ),
        labels=labels,
        console=console,
    )
    (reports / "bridge-2025-11-to-12.json").write_text(
        dumps({"total_change": bridge.total_change, "lines": bridge.lines}), "utf-8"
    )


def _team_board(lx: Lianxing, console: Console, reports: Path) -> None:
    """The team's scores for the demo's scored month: printed, and written as JSON."""
    rows = lx.team_score(SCORED_MONTH)
    emit(
        rows,
        ["rank", "person", "name", "team", "scorecard", "total"],
        "table",
        title=t("demo.team", period=SCORED_MONTH),
        labels=column_labels(lx.categories),
        console=console,
    )
    private.write_text(reports / f"team-score-{SCORED_MONTH}.json", dumps(rows))
    payout = lx.team_payout(SCORED_MONTH)
    labels = column_labels(lx.categories)
    columns = ["person", "name", "score", "currency", "score_pay", "profit_share", "tier_pay",
               "payout"]  # fmt: skip
    emit(payout, columns, "table", title=t("demo.payout", period=SCORED_MONTH),
         labels=labels, console=console)  # fmt: skip
    for row in rows:  # each person's one-page review of the month
        review = lx.team_review(row["person"], SCORED_MONTH)
        write_review(reports / f"review-{row['person']}-{SCORED_MONTH}.html", review)
    sheet = [*payout, *payout_totals(payout, t("table.total"))]
    for suffix in ("xlsx", "csv"):
        write_table(reports / f"payout-{SCORED_MONTH}.{suffix}", sheet, PAYOUT_COLUMNS,
                    labels, title=f"Payout {SCORED_MONTH}", money=PAYOUT_MONEY)  # fmt: skip


def _all_columns(report: object) -> list[str]:
    columns: list[str] = report.columns  # type: ignore[attr-defined]
    return ["units", "units_refunded", "orders", *columns, "net_profit", "margin"]
