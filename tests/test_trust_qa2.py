"""QA of issue 12 (items 13-24) on the merged code: what a new seller ran into."""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console
from test_mapped import write, write_rows
from test_trust_mapping_rename import COSTS_MAPPING

from conftest import run_cli
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.export import write_table
from lianxing.i18n import set_language
from lianxing.output import TableOptions, emit, table_options


def _cost_workspace(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    (ws / "mappings").mkdir()
    data = write_rows(tmp_path / "costs.csv", ["SKU", "日期", "成本", "币种"],
                      [["MUG", "2026-01-01", "12.5", "CNY"]])  # fmt: skip
    return ws, data


def test_cost_sheet_under_a_renamed_mapping_says_replace_and_what_it_replaced(
    tmp_path: Path,
) -> None:
    ws, data = _cost_workspace(tmp_path)
    mapping = write(ws / "mappings" / "erp-costs.yaml", COSTS_MAPPING)
    assert run_cli(["-w", str(ws), "import", str(data)]).exit_code == 0
    mapping.unlink()
    write(ws / "mappings" / "erp2.yaml", COSTS_MAPPING.replace("erp-costs", "erp2"))
    again = run_cli(["-w", str(ws), "import", str(data)])
    assert again.exit_code == 0 and "--replace" in again.stderr
    replaced = run_cli(["-w", str(ws), "import", str(data), "--replace"])
    assert replaced.exit_code == 0 and "#1" in replaced.stderr, replaced.stderr
    with Lianxing.open(ws) as lx:
        assert lx.db.query("SELECT count(*) FROM cogs") == [(1,)]


def test_payout_out_with_a_wrong_suffix_names_every_accepted_one_before_any_work(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    result = run_cli(["-w", str(ws), "team", "payout", "--period", "2026-01",
                      "--out", str(tmp_path / "pay.txt")])  # fmt: skip
    assert result.exit_code == 2
    assert ".json" in result.stderr and "pay.txt" in result.stderr
    assert "people" not in result.stderr  # refused before reading the team's files


def test_one_column_not_shown_is_said_in_the_singular() -> None:
    rows = [{"sku": "LX-BABY-001", "name": "x" * 10, "amount": "293,359.12"}]
    err = io.StringIO()
    with redirect_stderr(err):
        emit(rows, ["sku", "name", "amount"], "table", console=Console(file=io.StringIO(),
             width=32))  # fmt: skip
    note = " ".join(err.getvalue().split())
    assert note.startswith("1 column not shown"), note


def test_a_dollar_amount_in_a_yuan_cost_row_is_refused_naming_file_line_and_column(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    sheet = write(tmp_path / "cogs.csv", "sku,effective_from,unit_cost,currency\n"
                  "MUG,2026-01-01,12.5,CNY\nCUP,2026-01-01,$5,CNY\n")  # fmt: skip
    result = run_cli(["-w", str(ws), "import", str(sheet)])
    assert result.exit_code == 2
    assert "cogs.csv" in result.stderr and "3" in result.stderr and "$5" in result.stderr
    with Lianxing.open(ws) as lx:
        assert lx.db.query("SELECT count(*) FROM cogs") == [(0,)]
    usd = write(
        tmp_path / "usd.csv", "sku,effective_from,unit_cost,currency\nCUP,2026-01-01,$5,USD\n"
    )
    assert run_cli(["-w", str(ws), "import", str(usd)]).exit_code == 0


def test_sources_log_headers_are_words_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    ws, data = _cost_workspace(tmp_path)
    write(ws / "mappings" / "erp-costs.yaml", COSTS_MAPPING)
    assert run_cli(["-w", str(ws), "import", str(data)]).exit_code == 0
    assert run_cli(["-w", str(ws), "sources", "forget", "1"]).exit_code == 0
    for lang, words in (("en", ["Action", "Source", "File"]), ("zh", ["时间", "操作", "来源"])):
        shown = run_cli(["-w", str(ws), "--lang", lang, "sources", "log"])
        assert shown.exit_code == 0
        assert "logged_at" not in shown.stdout and "store_from" not in shown.stdout
        assert all(w in shown.stdout for w in words), shown.stdout


def test_a_mistyped_column_gets_did_you_mean_in_both_languages() -> None:
    rows = [{"sku": "LX-BABY-001", "net_profit": "293,359.12"}]
    said: dict[str, str] = {}
    for lang in ("en", "zh"):
        set_language(lang)
        try:
            with table_options(TableOptions(columns=("net_proft",))):
                emit(rows, ["sku", "net_profit"], "table", console=Console(file=io.StringIO()))
        except InputError as refused:
            said[lang] = str(refused)
        finally:
            set_language("en")
    assert "Did you mean 'net_profit'" in said["en"]
    assert "您是否想输入 'net_profit'" in said["zh"]


def test_a_yuan_sign_in_a_cny_cost_row_is_read_and_in_a_usd_row_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    cny = write(tmp_path / "cny.csv", "sku,effective_from,unit_cost,currency,freight\n"
                "MUG,2026-01-01,¥12.50,人民币,￥1.5\n")  # fmt: skip
    assert run_cli(["-w", str(ws), "import", str(cny)]).exit_code == 0
    usd = write(tmp_path / "usd.csv", "sku,effective_from,unit_cost,currency\n"
                "CUP,2026-01-01,¥12.50,USD\n")  # fmt: skip
    refused = run_cli(["-w", str(ws), "import", str(usd)])
    assert refused.exit_code == 2 and "usd.csv" in refused.stderr and "¥12.50" in refused.stderr
    with Lianxing.open(ws) as lx:
        got = lx.db.query("SELECT sku, unit_cost, freight, currency FROM cogs")
    assert got == [("MUG", Decimal("12.5"), Decimal("1.5"), "CNY")]


def test_out_to_a_folder_or_a_place_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    folder = tmp_path / "report.csv"
    folder.mkdir()
    blocked = tmp_path / "file"
    blocked.write_text("x")
    for out in (folder, blocked / "report.csv"):
        result = run_cli(["-w", str(ws), "categories", "--out", str(out)])
        assert result.exit_code == 2, result.stderr
        assert "internal error" not in result.stderr and str(out) in result.stderr
        with pytest.raises(InputError):  # the payroll sheet's writer
            write_table(out, [{"a": 1}], ["a"], {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "report.csv", "ws"]


def test_sources_out_before_a_subcommand_is_refused_not_an_empty_file(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    out = tmp_path / "log.csv"
    for given in (["--out", str(out)], ["--format", "JSON"], ["--columns", "action"]):
        result = run_cli(["-w", str(ws), "sources", *given, "log"])
        assert result.exit_code == 2 and "lianxing sources log" in result.stderr, result.stderr
    assert not out.exists()
    assert run_cli(["-w", str(ws), "sources", "log", "--out", str(out)]).exit_code == 0
    assert out.exists()


def test_init_or_demo_on_a_file_is_a_clear_error_and_leaves_it_alone(tmp_path: Path) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    for args in (["init", str(taken)], ["demo", str(taken)]):
        result = run_cli(args)
        assert result.exit_code == 3, result.stderr
        assert "internal error" not in result.stderr and "notes.txt" in result.stderr
    assert taken.read_text() == "mine"
