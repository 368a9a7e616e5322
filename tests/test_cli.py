"""The command line end to end, as a user (or another tool) drives it."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli, v2_row, write_v2


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    result = run_cli(["init", str(path)])
    assert result.exit_code == 0, result.stderr
    assert (path / "lianxing.toml").is_file() and (path / "lianxing.duckdb").is_file()
    return path


def test_sources_json_contract(ws: Path, samples: list[Path]) -> None:
    imported = run_cli(["-w", str(ws), "import", str(samples[0].parent), "--store", "amazon-ca"])
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.count("Reconciled") == 6
    out = run_cli(["-w", str(ws), "sources", "--files", "--format", "json"])
    sources = json.loads(out.stdout)
    assert len(sources) == 6
    for source in sources:
        assert source["reconciled"] is True
        assert Decimal(source["difference"]) == 0


def test_profit_json_contract(ws: Path, tmp_path: Path) -> None:
    item = {"order": "111-1", "sku": "S1", "qty": "3", "item": "1"}
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "30.00", **item),
        v2_row("Order", "ItemPrice", "Tax", "2.10", **item),
        v2_row("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-2.10", **item),
        v2_row("Order", "ItemFees", "Commission", "-4.50", **item),
        v2_row("other-transaction", "other-transaction", "Subscription Fee", "-39.99"),
    ]
    path = write_v2(tmp_path / "s.txt", rows)
    assert run_cli(["-w", str(ws), "import", str(path)]).exit_code == 0
    out = run_cli(["-w", str(ws), "profit", "--by", "sku", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    data = {row["sku"]: row for row in json.loads(out.stdout)}
    assert data["S1"]["units"] == 3
    assert Decimal(data["S1"]["sales"]) == Decimal("30.00")
    assert Decimal(data["S1"]["net_profit"]) == Decimal("25.50")
    assert Decimal(data[None]["net_profit"]) == Decimal("-39.99")
    as_csv = run_cli(["-w", str(ws), "profit", "--by", "month", "-f", "csv"])
    [month] = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert month["month"] == "2026-03" and Decimal(month["net_profit"]) == Decimal("-14.49")
    table = run_cli(["--lang", "zh", "-w", str(ws), "profit", "--by", "store"])
    assert "净利润" in table.stdout and "日期口径" in table.stdout


def test_workspace_is_found_from_env_then_cwd(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIANXING_WORKSPACE", str(ws))
    assert run_cli(["sources", "-f", "json"]).stdout.strip() == "[]"
    monkeypatch.delenv("LIANXING_WORKSPACE")
    monkeypatch.chdir(ws)
    assert run_cli(["sources", "-f", "json"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    missing = run_cli(["sources"])
    assert missing.exit_code == 3
    assert "No Lianxing workspace" in missing.stderr and "lianxing init" in missing.stderr


def test_init_refuses_an_existing_workspace(ws: Path) -> None:
    again = run_cli(["init", str(ws)])
    assert again.exit_code == 3 and "already exists" in again.stderr


def test_cogs_and_fx_imports_report_problems_by_line(ws: Path, tmp_path: Path) -> None:
    costs = tmp_path / "costs.csv"
    costs.write_text(
        "sku,effective_from,unit_cost,currency\nA,2026-01-01,12.5,CNY\nB,01/02/2026,x,yuan\n"
    )
    bad = run_cli(["-w", str(ws), "cogs", "import", str(costs)])
    assert bad.exit_code == 2
    for text in (
        "line 3, column 'effective_from'",
        "line 3, column 'unit_cost'",
        "line 3, column 'currency'",
    ):
        assert text in bad.stderr
    costs.write_text("sku,effective_from,unit_cost,currency\nA,2026-01-01,12.5,CNY\n")
    ok = run_cli(["-w", str(ws), "cogs", "import", str(costs)])
    assert ok.exit_code == 0 and "1 unit costs for 1 SKUs" in ok.stdout
    assert "nothing changed" in run_cli(["-w", str(ws), "cogs", "import", str(costs)]).stdout
    rates = tmp_path / "fx.csv"
    rates.write_text("date,from,to,rate\n2026-01-01,USD,CNY,7.1\n2026-01-01,USD,CNY,7.2\n")
    dup = run_cli(["-w", str(ws), "fx", "import", str(rates)])
    assert dup.exit_code == 2 and "Duplicate row" in dup.stderr and "line 3" in dup.stderr
    rates.write_text("date,from,to,rate\n2026-01-01,USD,CNY,7.1\n")
    assert run_cli(["-w", str(ws), "fx", "import", str(rates)]).exit_code == 0


def test_unmapped_codes_are_listed_loudly(ws: Path, tmp_path: Path) -> None:
    rows = [v2_row("other-transaction", "other-transaction", "Brand New Fee", "-3.00")]
    path = write_v2(tmp_path / "u.txt", rows)
    imported = run_cli(["-w", str(ws), "import", str(path), "--store", "us"])
    assert "no category mapping" in imported.stderr and "Brand New Fee" in imported.stderr
    listed = run_cli(["-w", str(ws), "sources"])
    assert "Brand New Fee" in listed.stderr and "u.txt" in listed.stderr


def test_help_explains_every_command() -> None:
    result = run_cli(["--help"])
    assert result.exit_code == 0
    for name in ("init", "import", "profit", "sources", "cogs", "fx", "demo", "categories"):
        assert name in result.stdout
    profit_help = run_cli(["profit", "--help"])
    assert "--by" in profit_help.stdout and "--currency" in profit_help.stdout


def test_bad_options_are_plain_errors(ws: Path) -> None:
    bad_by = run_cli(["-w", str(ws), "profit", "--by", "colour"])
    assert bad_by.exit_code == 2 and "--by must be one of" in bad_by.stderr
    bad_date = run_cli(["-w", str(ws), "profit", "--from", "yesterday"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr
    assert "not imported" not in bad_date.stderr  # not an import: no import message
    bad_format = run_cli(["-w", str(ws), "profit", "-f", "xml"])
    assert bad_format.exit_code == 2 and "--format must be" in bad_format.stderr
    assert run_cli(["--lang", "fr", "-w", str(ws), "sources"]).exit_code == 2
    assert "数据源" in run_cli(["--lang", "zh-CN", "-w", str(ws), "sources"]).stderr
    empty = ws / "empty"
    empty.mkdir()
    nothing = run_cli(["-w", str(ws), "import", str(empty)])
    assert nothing.exit_code == 2 and "No files to import" in nothing.stderr
    missing = run_cli(["-w", str(ws), "import", "/no/such/file.txt"])
    assert missing.exit_code == 2 and "File not found" in missing.stderr
