"""Tables that never break a value, and reports a spreadsheet can take (issue 12, items
18 and 21): columns that fit the window, --columns / --all, CSV safe from formulas on
standard output too, --bom, --out FILE on every report, payroll totals."""

from __future__ import annotations

import csv
import io
import json
import re
from contextlib import redirect_stderr
from decimal import Decimal
from pathlib import Path

import pytest
import typer.main
from rich.cells import cell_len
from rich.console import Console

from conftest import run_cli, v2_row, write_v2
from lianxing.cli import app
from lianxing.output import emit

WIDTHS = (80, 120, 200)
MONEY = [f"fee_{i}" for i in range(20)]
WIDE_ROWS = [
    {"sku": f"LX-BABY-00{n}", "description": "Payment processing fee for an order " * 2,
     **{c: Decimal(f"-{n}{i}9,359.12".replace(",", "")) for i, c in enumerate(MONEY)},
     "net_profit": Decimal("293359.12"), "margin": Decimal("0.276")}
    for n in range(1, 4)
]  # fmt: skip
WIDE_COLUMNS = ["sku", "description", *MONEY, "net_profit", "margin"]


def _printed(width: int) -> tuple[str, str]:
    """The table of WIDE_ROWS as a console `width` cells wide prints it, and the note."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        emit(WIDE_ROWS, WIDE_COLUMNS, "table", console=Console(file=out, width=width),
             percent=["margin"])  # fmt: skip
    return out.getvalue(), err.getvalue()


def _numbers_whole(cells: list[str]) -> None:
    """No cell holds a piece of a number: an integer, money to the cent or a percentage
    each stands whole in its cell (a split one leaves a head like '1,221,227.2')."""
    whole = r"-?\d{1,3}(,\d{3})*(\.\d\d)?|-?\d+\.\d%"
    for cell in cells:
        if re.fullmatch(r"-?[\d,.]+%?", cell):
            assert re.fullmatch(whole, cell), cell


def _cells(text: str) -> list[str]:
    """Every cell of a printed table, stripped."""
    return [c.strip() for line in text.splitlines() for c in re.split(r"[│┃]", line)]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_table_never_breaks_a_number_or_sku_and_fits_the_window(width: int) -> None:
    text, note = _printed(width)
    assert all(cell_len(line) <= width for line in text.splitlines())
    cells = _cells(text)
    for n in range(1, 4):
        assert f"LX-BABY-00{n}" in cells  # whole, in one cell
    assert "293,359.12" in cells and "27.6%" in cells  # the headline figures are kept
    _numbers_whole(cells)
    assert "columns not shown" in note and "fee_19" in note


def test_long_text_is_cut_with_an_ellipsis_before_a_figure_is_left_out() -> None:
    text, _ = _printed(80)
    assert "…" in text and "Payment processing fee for an order " * 2 not in text
    assert "Payment" in text and "293,359.12" in text


def test_columns_not_shown_are_named_and_none_at_a_wide_enough_window() -> None:
    _, narrow = _printed(80)
    assert "fee_19" in narrow
    _, wide = _printed(1000)
    assert wide == ""


def _seller(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    item = {"order": "111-2222222-3333333", "sku": "LX-BABY-001", "qty": "3", "item": "1"}
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "293359.12", **item),
        v2_row("Order", "ItemPrice", "Shipping", "1221227.28", **item),
        v2_row("Order", "ItemFees", "Commission", "-4141198.55", **item),
        v2_row("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-32402.62", **item),
        v2_row("Order", "Promotion", "Principal", "-2222858.46", **item),
        v2_row("Refund", "ItemPrice", "Principal", "-1515401.79", **item, adjustment="A1"),
        v2_row("other-transaction", "other-transaction", "Storage Fee", "-1111153.57"),
        v2_row("=cmd|' /C calc'!A0", "other-transaction", "@SUM(1+1)", "-3.00"),
    ]
    path = write_v2(tmp_path / "s.txt", rows)
    imported = run_cli(["-w", str(ws), "import", str(path), "--store", "us"])
    assert imported.exit_code == 0, imported.stderr
    return ws


@pytest.mark.parametrize("width", WIDTHS)
def test_profit_at_80_120_200_columns_keeps_every_figure_whole(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _seller(tmp_path)
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli(["-w", str(ws), "profit"])
    assert result.exit_code == 0, result.stderr
    assert all(cell_len(line) <= width for line in result.stdout.splitlines())
    cells = _cells(result.stdout)
    assert "LX-BABY-001" in cells and "293,359.12" in cells
    _numbers_whole(cells)


def test_columns_option_picks_columns_by_id_or_header_in_order(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    picked = run_cli(["-w", str(ws), "profit", "--columns", "net_profit,SKU,sales"])
    assert picked.exit_code == 0, picked.stderr
    header = next(line for line in picked.stdout.splitlines() if "SKU" in line)
    assert [c for c in _cells(header) if c] == ["Net profit", "SKU", "Sales"]
    csv_out = run_cli(["-w", str(ws), "profit", "-f", "csv", "--columns", "sku,net_profit"])
    assert csv_out.stdout.splitlines()[0] == "sku,net_profit"
    wrong = run_cli(["-w", str(ws), "profit", "--columns", "sku,proft"])
    assert wrong.exit_code == 2 and "proft" in wrong.stderr and "net_profit" in wrong.stderr
    assert wrong.stdout == ""


def test_all_shows_every_column_without_breaking_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _seller(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    fitted = run_cli(["-w", str(ws), "profit"])
    every = run_cli(["-w", str(ws), "profit", "--all"])
    assert "columns not shown" in fitted.stderr and "columns not shown" not in every.stderr
    assert "Fulfillment" in every.stdout and "Fulfillment" not in fitted.stdout
    assert "-4,141,198.55" in _cells(every.stdout) and "293,359.12" in _cells(every.stdout)
    _numbers_whole(_cells(every.stdout))


def test_csv_on_standard_output_never_runs_a_formula_and_keeps_negative_numbers() -> None:
    rows = [
        {"text": '=HYPERLINK("http://x.example")', "amount": Decimal("-2.00")},
        {"text": "+1-555", "amount": Decimal("-0.50")},
        {"text": "@SUM(A1)", "amount": -3},
        {"text": "\tx", "amount": "-7"},
        {"text": "\rx", "amount": "-1.5"},
        {"text": "-x", "amount": None},
    ]
    out = io.StringIO()
    emit(rows, ["text", "amount"], "csv", stream=out)
    read = list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]
    assert [r[0][:2] for r in read] == ["'=", "'+", "'@", "'\t", "'\r", "'-"]
    assert [r[1] for r in read] == ["-2.00", "-0.50", "-3", "-7", "-1.5", ""]


def test_csv_of_a_report_is_formula_safe_and_can_start_with_a_bom(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    plain = run_cli(["-w", str(ws), "ledger", "--format", "csv"])
    assert plain.exit_code == 0 and not plain.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(plain.stdout)))
    hostile = next(r for r in rows if "calc" in r["transaction_type"])
    assert hostile["transaction_type"].startswith("'=")
    assert hostile["amount_description"] == "'@SUM(1+1)" and hostile["amount"] == "-3.00"
    bom = run_cli(["-w", str(ws), "ledger", "--format", "csv", "--bom"])
    assert bom.stdout.startswith("\ufeffbusiness_date,") and bom.stdout.count("\ufeff") == 1


def test_every_report_command_takes_columns_all_bom_and_out() -> None:
    def walk(command: object, path: list[str]) -> list[tuple[str, set[str]]]:
        if getattr(command, "commands", None):
            return [x for n, s in command.commands.items() for x in walk(s, [*path, n])]  # type: ignore[attr-defined]
        return [(" ".join(path), {o for p in command.params for o in p.opts})]  # type: ignore[attr-defined]

    reports = [(n, o) for n, o in walk(typer.main.get_command(app), []) if "--format" in o]
    assert len(reports) >= 20
    for name, options in reports:
        if name == "import":
            continue
        assert {"--columns", "--all", "--bom", "--out"} <= options, name


@pytest.mark.parametrize(
    "args",
    [["profit"], ["ledger"], ["sources"], ["kpi", "show", "net_profit", "sales"],
     ["bridge", "--from", "2026-02", "--to", "2026-03"], ["doctor"], ["sources", "--files"]],
)  # fmt: skip
def test_out_writes_the_report_as_csv_xlsx_or_json(args: list[str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = _seller(tmp_path)
    printed = run_cli(["-w", str(ws), *args, "--format", "csv"])
    for suffix in ("csv", "xlsx", "json"):
        target = tmp_path / "out" / f"report.{suffix}"
        result = run_cli(["-w", str(ws), *args, "--out", str(target)])
        assert result.exit_code in (0, 4), result.stderr
        assert result.stdout == "" and str(target) in result.stderr
        if suffix == "csv":
            assert target.read_text("utf-8") == "\ufeff" + printed.stdout
        elif suffix == "json":
            assert json.loads(target.read_text("utf-8")) is not None
        else:
            book = load_workbook(target)
            assert book.sheetnames and book.worksheets[0].max_row >= 1
        assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_out_xlsx_keeps_numbers_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = _seller(tmp_path)
    target = tmp_path / "profit.xlsx"
    assert run_cli(["-w", str(ws), "profit", "--out", str(target)]).exit_code == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["SKU"] == "LX-BABY-001" and row["Sales"] == pytest.approx(293359.12)
    margin = sheet.cell(row=2, column=header.index("Margin") + 1)
    assert margin.number_format == "0.0%"


def test_out_refuses_an_unknown_kind_and_a_failed_report_writes_nothing(
    tmp_path: Path,
) -> None:
    ws = _seller(tmp_path)
    pdf = run_cli(["-w", str(ws), "profit", "--out", str(tmp_path / "p.pdf")])
    assert pdf.exit_code == 2 and ".xlsx" in pdf.stderr and not (tmp_path / "p.pdf").exists()
    failed = run_cli(
        ["-w", str(ws), "profit", "--by", "nonsense", "--out", str(tmp_path / "p.csv")]
    )
    assert failed.exit_code == 2 and not (tmp_path / "p.csv").exists()
    assert not list(tmp_path.glob(".lianxing-*"))


def test_team_score_csv_has_rank_name_and_total_on_every_line(tmp_path: Path) -> None:
    from test_scorecards import _team

    ws = _team(tmp_path)
    result = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:5] == ["rank", "person", "name", "total", "kpi"]
    zhao = [r for r in rows if r["person"] == "zhao"]
    assert zhao and all(r["rank"] == "1" and r["total"] == "100.00" for r in zhao)
    assert {r["kpi"] for r in zhao} == {"sales", "net_margin", "units"}


def test_payroll_sheet_ends_with_a_total_row_per_currency(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from test_scorecards import PAY, _team

    ws = _team(tmp_path)
    (ws / "pay.yaml").write_text(PAY, "utf-8")
    rates = tmp_path / "rates.csv"
    rates.write_text("date,from,to,rate\n2026-01-01,USD,CNY,7.0\n", "utf-8")
    assert run_cli(["-w", str(ws), "fx", "import", str(rates)]).exit_code == 0
    sheet = tmp_path / "payout.xlsx"
    period = ["team", "payout", "--period", "2026-03"]
    assert run_cli(["-w", str(ws), *period, "--out", str(sheet)]).exit_code == 0
    cells = list(load_workbook(sheet).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    header = cells[0]
    totals = {r[header.index("Currency")]: r for r in cells[1:] if r[0] == "Total"}
    payout = header.index("Payout")
    assert Decimal(str(totals["USD"][payout])) == Decimal("1450.90")  # li 250 + zhao 1200.90
    assert Decimal(str(totals["CNY"][payout])) == Decimal("5977.85")  # wang alone
    assert len(cells) == 1 + 3 + 2
    table = tmp_path / "payout.csv"
    zh = run_cli(["-w", str(ws), "--lang", "zh", *period, "--out", str(table)])
    assert zh.exit_code == 0
    with table.open(encoding="utf-8-sig") as f:
        read = list(csv.DictReader(f))
    assert [r["应发合计"] for r in read if r["人员"] == "合计"] == ["1450.90", "5977.85"]
    shown = run_cli(["-w", str(ws), *period])
    assert "Total" in shown.stdout and "1,450.90" in shown.stdout
    as_json = tmp_path / "payout.json"
    assert run_cli(["-w", str(ws), *period, "--out", str(as_json)]).exit_code == 0
    assert len(json.loads(as_json.read_text("utf-8"))) == 3  # people only, no totals


def test_evidence_csv_keeps_negative_amounts_and_empty_cells_and_stops_tab_formulas(
    tmp_path: Path,
) -> None:
    from lianxing.cli_costing import _write_evidence

    owed = [
        {"kind": "refund_not_returned", "store": "us", "sku": "\t=1+1", "order_id": "111-1",
         "amount": Decimal("-2.00"), "evidence": "@row 3"},
        {"kind": "lost", "store": "us", "sku": "A", "order_id": "", "amount": None,
         "evidence": "x"},
    ]  # fmt: skip
    path = tmp_path / "evidence.csv"
    _write_evidence(path, [], owed)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["amount"] == "-2.00" and rows[0]["sku"] == "'\t=1+1"
    assert rows[0]["evidence"] == "'@row 3"
    assert rows[1]["period_or_order"] == "" and rows[1]["amount"] == ""


def test_a_value_with_a_line_break_keeps_its_row_on_one_line() -> None:
    out = io.StringIO()
    rows = [{"sku": "LX-1", "note": "first\nsecond", "amount": Decimal("1234.50")}]
    emit(rows, ["sku", "note", "amount"], "table", console=Console(file=out, width=80))
    body = [line for line in out.getvalue().splitlines() if "LX-1" in line or "second" in line]
    assert len(body) == 1 and "first second" in body[0] and "1,234.50" in body[0]
