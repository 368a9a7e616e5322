"""Names as a person types them (issue 12, items 22 and 23): option values and KPI names
in any case with "did you mean", the workspace found from a subfolder, `--from/--to` as
a date or a month, and `init --template` checked before anything is created."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli, v2_row, write_v2
from lianxing.cli_options import choose, first_day, last_day
from lianxing.errors import InputError

ORDER = "111-0000000-00000"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """Sales of $10 on the last day of 2025, of January, of March and the first of April
    (noon UTC: the same business day in the store's time zone)."""
    path = tmp_path / "ws"
    assert run_cli(["init", str(path)]).exit_code == 0
    days = ["2025-12-31", "2026-01-31", "2026-03-31", "2026-04-01"]
    rows = [v2_row("Order", "ItemPrice", "Principal", "10.00", order=f"{ORDER}{n:02d}", sku="MUG",
                   qty="1", item=f"I{n}", when=f"{day} 20:00:00 UTC")
            for n, day in enumerate(days)]  # fmt: skip
    file = write_v2(tmp_path / "s.txt", rows, total="40.00")
    result = run_cli(["-w", str(path), "import", str(file)])
    assert result.exit_code == 0, result.stderr
    return path


def test_from_and_to_take_a_month_as_its_first_and_last_day(ws: Path) -> None:
    result = run_cli(["-w", str(ws), "profit", "--by", "day", "--from", "2026-01", "--to",
                      "2026-03", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [row["day"] for row in json.loads(result.stdout)] == [
        "2026-01-31",
        "2026-03-31",
    ]


def test_a_month_or_a_date_is_read_and_anything_else_refused() -> None:
    assert first_day("2026-02") == date(2026, 2, 1)
    assert last_day("2024-02") == date(2024, 2, 29)
    assert last_day("2026-12") == date(2026, 12, 31)
    assert first_day("2026-02-14") == last_day("2026-02-14") == date(2026, 2, 14)
    for bad in ("2026-13", "yesterday", "2026"):
        with pytest.raises(InputError) as info:
            last_day(bad)
        assert "--to" in str(info.value) and "YYYY-MM" in str(info.value)


def test_kpi_names_and_option_values_are_read_in_any_case(ws: Path) -> None:
    upper = run_cli(["-w", str(ws), "kpi", "show", "SALES", "--by", "Store", "--period",
                     "Month", "--format", "JSON"])  # fmt: skip
    lower = run_cli(["-w", str(ws), "kpi", "show", "sales", "--by", "store", "--format", "json"])
    assert upper.exit_code == 0, upper.stderr
    assert json.loads(upper.stdout) == json.loads(lower.stdout) != []
    profit = run_cli(["-w", str(ws), "profit", "--by", "SKU", "--basis", "All", "-f", "Csv"])
    assert profit.exit_code == 0 and profit.stdout.startswith("sku,"), profit.stderr
    explain = run_cli(["-w", str(ws), "kpi", "explain", "ACOS", "--by", "TOTAL"])
    assert explain.exit_code == 0 and explain.stdout.startswith("-- acos:"), explain.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [(["kpi", "show", "acoss"], "Did you mean 'acos'?"),
     (["kpi", "show", "sales", "--by", "stor"], "Did you mean 'store'?"),
     (["profit", "--format", "jsn"], "Did you mean 'json'?"),
     (["profit", "--by", "colour"], "--by must be one of: sku, store")],
)  # fmt: skip
def test_a_near_miss_is_answered_with_did_you_mean(ws: Path, args: list[str], words: str) -> None:
    result = run_cli(["-w", str(ws), *args])
    assert result.exit_code == 2 and words in result.stderr, result.stderr


def test_a_value_near_nothing_lists_the_choices_without_a_guess() -> None:
    with pytest.raises(InputError) as info:
        choose("xml", ("table", "csv", "json"), "--format")
    assert info.value.key == "option.bad_choice" and "table, csv, json" in str(info.value)


def test_the_workspace_is_found_from_a_subfolder(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIANXING_WORKSPACE", raising=False)
    deeper = ws / "reports" / "2026"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    result = run_cli(["sources", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 1
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    missing = run_cli(["sources"])
    assert missing.exit_code == 3 and "or any folder above it" in missing.stderr


def test_init_with_an_unknown_template_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run_cli(["init", str(target), "--template", "amazon_fbb"])
    assert result.exit_code == 2
    assert "Did you mean 'amazon_fba'?" in result.stderr
    assert not target.exists()


def test_init_reads_a_template_name_in_any_case(tmp_path: Path) -> None:
    result = run_cli(["init", str(tmp_path / "new"), "--template", "Amazon_FBA"])
    assert result.exit_code == 0, result.stderr
    assert "from template amazon_fba" in (tmp_path / "new" / "targets.yaml").read_text()


@pytest.mark.parametrize(
    "args",
    [["ledger", "--basis", "Settled", "--from", "2026-01", "--to", "2026-03"],
     ["bridge", "--from", "2026-01", "--to", "2026-03", "--by", "SKU"],
     ["audit", "fees", "--from", "2026-01", "--to", "2026-03"],
     ["kpi", "show", "net_profit", "--from", "2026-01", "--to", "2026-03"],
     ["profit", "--by", "MONTH", "--from", "2026-01", "--to", "2026-03"]],
)  # fmt: skip
def test_every_command_reads_values_in_any_case_and_months(ws: Path, args: list[str]) -> None:
    result = run_cli(["-w", str(ws), *args])
    assert result.exit_code == 0, result.stderr


def test_whatif_reads_the_freight_mode_in_any_case(ws: Path) -> None:
    result = run_cli(["-w", str(ws), "whatif", "--freight", "Sea", "--tariff", "+10"])
    assert result.exit_code == 0, result.stderr


def test_targets_template_reads_its_name_in_any_case_and_a_day_as_its_month(ws: Path) -> None:
    result = run_cli(["-w", str(ws), "targets", "template", "Shopify_DTC", "--from",
                      "2026-02-14"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "{from: 2026-02, target:" in (ws / "targets.yaml").read_text()


@pytest.mark.parametrize(
    "args",
    [["profit"], ["ledger"], ["kpi", "show", "sales"], ["audit", "fees"]],
)
def test_a_range_that_ends_before_it_starts_is_refused_not_an_empty_report(
    ws: Path, args: list[str]
) -> None:
    result = run_cli(["-w", str(ws), *args, "--from", "2026-03", "--to", "2026-01"])
    assert result.exit_code == 2, result.stdout
    assert "--from 2026-03 --to 2026-01: the range ends before it starts" in result.stderr
