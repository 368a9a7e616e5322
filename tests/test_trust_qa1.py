"""QA of issue 12 on the merged code: defects found end to end, each pinned by a test."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli, v2_row, write_v2
from lianxing.app import Lianxing


# ---- item 3: a single day or a part of a month is below a month, whatever --period says --
def test_acos_over_a_single_day_range_reads_the_ads_report_spend(tmp_path: Path) -> None:
    from test_kpi import _seller as ad_seller  # a $30 ad charge on 9 March; the ads report
    # spent $20 on 2 March (MUG, $100 ad sales) and $10 on 3 March (CUP, no ad sales)

    day = date(2026, 3, 2)
    ws = ad_seller(tmp_path)
    with Lianxing.open(ws) as lx:
        one = lx.kpi(["acos"], by="total", period="total", date_from=day, date_to=day).rows
        month = lx.kpi(["acos"], by="total", period="month", date_from=day, date_to=day).rows
        whole = lx.kpi(["acos"], by="total", period="total", date_from=date(2026, 3, 1),
                       date_to=date(2026, 3, 31)).rows  # fmt: skip
    assert one[0]["acos"] == Decimal("0.2000")  # not 0 %: the charge is dated 9 March
    assert month[0]["acos"] == Decimal("0.2000")
    assert whole[0]["acos"] == Decimal("0.3000")
    (ws / "targets.yaml").write_text(
        "targets:\n  - {kpi: acos, scope: business, stages: [{from: 2026-01, target: 25%}]}\n",
        "utf-8",
    )
    checked = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03-02",
                       "--format", "json"])  # fmt: skip
    assert checked.exit_code == 0, checked.stderr
    assert Decimal(json.loads(checked.stdout)[0]["value"]) == Decimal("0.2")


# ---- item 5 with item 6: the COGS warning covers the period scored, not every date -----
def _two_months(tmp: Path) -> Path:
    """CUP (no unit cost) sells in February only; MUG (costed) on 1 and 31 March, so the
    last complete month is March, where every SKU sold has a cost."""
    ws = tmp / "ws"
    rows = []
    for order, sku, when in (("1", "CUP", "2026-02-10"), ("2", "MUG", "2026-03-01"),
                             ("3", "MUG", "2026-03-31")):  # fmt: skip
        rows += [
            v2_row("Order", "ItemPrice", "Principal", "20.00", order=order, sku=sku, qty="1",
                   when=f"{when} 12:00:00 UTC"),
            v2_row("Order", "ItemFees", "Commission", "-1.00", order=order, sku=sku, qty="1",
                   when=f"{when} 12:00:00 UTC"),
        ]  # fmt: skip
    with Lianxing.init(ws) as lx:
        lx.import_file(write_v2(tmp / "s.txt", rows), store_id="amazon-com")
        (tmp / "costs.csv").write_text("sku,effective_from,unit_cost,currency\n"
                                       "MUG,2026-01-01,5,USD\n")  # fmt: skip
        lx.import_file(tmp / "costs.csv")
    (ws / "people.yaml").write_text(
        "people:\n  - id: li\n    role: operator\n    owns:\n"
        "      - {store: amazon-com, from: 2026-01-01}\n",
        "utf-8",
    )
    (ws / "scorecards.yaml").write_text(
        "scorecards:\n  - name: operator\n    applies_to: {role: operator}\n    kpis:\n"
        "      - {kpi: net_profit, weight: 100, target: 10}\n",
        "utf-8",
    )
    return ws


def test_team_score_without_period_warns_about_costs_of_the_month_it_scores(
    tmp_path: Path,
) -> None:
    ws = _two_months(tmp_path)
    scored = run_cli(["-w", str(ws), "team", "score", "--format", "json"])
    assert scored.exit_code == 0, scored.stderr
    assert json.loads(scored.stdout)[0]["period"] == "2026-03"
    assert "CUP" not in scored.stderr  # CUP sold in February only
    february = run_cli(["-w", str(ws), "team", "score", "--period", "2026-02"])
    assert "CUP" in february.stderr  # the warning itself still works


# ---- item 12: the record of store fixes reads in the user's language -------------------
def test_sources_log_table_has_headers_and_actions_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_trust_stores import _settlement

    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    run_cli(["-w", str(ws), "import", str(_settlement(tmp_path, "1001", "10.00"))])
    run_cli(["-w", str(ws), "import", str(_settlement(tmp_path, "1002", "20.00")),
             "--store", "amazon-uss"])  # fmt: skip
    with Lianxing.open(ws) as lx:
        source = {s["settlement_id"]: s["source_id"] for s in lx.sources()}["1002"]
    moved = run_cli(["-w", str(ws), "sources", "move", str(source), "--store", "amazon-com"])
    assert moved.exit_code == 0, moved.stderr
    monkeypatch.setenv("COLUMNS", "200")
    shown = run_cli(["-w", str(ws), "--lang", "zh", "sources", "log"])
    assert shown.exit_code == 0, shown.stderr
    for raw in ("logged_at", "store_from", "store_to", "made_by", "source_id", "move"):
        assert raw not in shown.stdout, raw
    assert "移动" in shown.stdout and "原店铺" in shown.stdout
    as_json = run_cli(["-w", str(ws), "sources", "log", "--format", "json"])
    assert json.loads(as_json.stdout)[0]["action"] == "move"  # JSON keeps the codes


# ---- item 4 with --out: a band target's goal in a workbook is floor–ceiling -------------
def test_targets_check_out_xlsx_writes_a_band_goal_as_floor_to_ceiling(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = _two_months(tmp_path)
    band = "[{from: 2026-01, floor: 20, ceiling: 60}]"
    (ws / "targets.yaml").write_text(f"targets:\n  - {{kpi: sales, stages: {band}}}\n")
    out = tmp_path / "targets.xlsx"
    checked = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03",
                       "--out", str(out)])  # fmt: skip
    assert out.exists(), checked.stderr
    sheet = next(iter(load_workbook(out)))
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    goal = dict(zip(header, row, strict=True))["Goal"]
    assert goal == "20.00–60.00"  # as in CSV and tables, not a Python tuple


# ---- item 5 with --out: the review workbook's headers are in the user's language -------
def test_review_workbook_headers_are_translated(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = _two_months(tmp_path)
    out = tmp_path / "review.xlsx"
    made = run_cli(["-w", str(ws), "--lang", "zh", "team", "review", "li", "--period",
                    "2026-03", "--out", str(out)])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    headers = {s.title: next(s.iter_rows(values_only=True)) for s in load_workbook(out)}
    assert headers["商品 SKU"][1:] == ("本期", "上期", "变化")
    february = tmp_path / "february.xlsx"
    run_cli(["-w", str(ws), "--lang", "zh", "team", "review", "li", "--period", "2026-02",
             "--out", str(february)])  # fmt: skip
    sheets = {s.title: next(s.iter_rows(values_only=True)) for s in load_workbook(february)}
    assert sheets["提示"] == ("提示",)  # CUP has no unit cost in February


# ---- item 2 in Chinese: a refused pay period names its lengths in Chinese -------------
def test_pay_period_refusal_reads_in_chinese(tmp_path: Path) -> None:
    ws = _two_months(tmp_path)
    plan = "{name: ops, applies_to: {role: operator}, currency: USD, period: quarter}"
    (ws / "pay.yaml").write_text(f"pay:\n  - {plan[:-1]}, rules: [{{rule: score, base: 1}}]}}\n")
    refused = run_cli(["-w", str(ws), "--lang", "zh", "team", "payout", "--period", "2026"])
    assert refused.exit_code == 2
    message = " ".join(refused.stderr.split())
    assert "发放周期是季度" in message and "2026 是年" in message, message
    assert "'period: year'" in message  # the setting itself stays as pay.yaml spells it
    english = run_cli(["-w", str(ws), "team", "payout", "--period", "2026"])
    assert "pays per quarter, and 2026 is a year" in " ".join(english.stderr.split())


# ---- item 9: a key given twice in one entry would silently win over the first ---------
def test_a_key_given_twice_in_people_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    ws = _two_months(tmp_path)
    (ws / "people.yaml").write_text(
        "people:\n  - id: li\n    role: operator\n    owns:\n"
        "      - {store: amazon-com, from: 2026-01-01, from: 2026-03-15}\n",
        "utf-8",
    )
    shown = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03"])
    assert shown.exit_code == 2, shown.stdout
    message = " ".join(shown.stderr.split())
    assert "people.yaml, line 5" in message and "'from'" in message, message
    (ws / "people.yaml").write_text("people:\n  - id: li\n    role: operator\n    role: owner\n")
    chinese = run_cli(["-w", str(ws), "--lang", "zh", "team", "people"])
    assert chinese.exit_code == 2 and "第 4 行" in chinese.stderr and "两次" in chinese.stderr


# ---- item 6 in the history: a month the data does not cover to its end is marked -----
def test_team_history_marks_partial_months_and_months_without_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _two_months(tmp_path)  # data from 10 February to 31 March
    history = ["-w", str(ws), "team", "history", "--from", "2026-02", "--to", "2026-04"]
    rows = json.loads(run_cli([*history, "--format", "json"]).stdout)
    marks = {r["period"]: (r["estimated"], r["data_days"]) for r in rows}
    assert marks == {"2026-02": (False, 28), "2026-03": (False, 31), "2026-04": (True, 0)}
    monkeypatch.setenv("COLUMNS", "120")
    table = run_cli(history).stdout
    assert "2026-04 · no data yet" in table and "2026-03 ·" not in table


def test_team_history_warns_when_costs_are_missing_in_its_months(tmp_path: Path) -> None:
    ws = _two_months(tmp_path)  # CUP, sold in February, has no unit cost
    base = ["-w", str(ws), "team", "history"]
    february = run_cli([*base, "--from", "2026-02", "--to", "2026-03"])
    assert february.exit_code == 0 and "CUP" in february.stderr, february.stderr
    march = run_cli([*base, "--from", "2026-03", "--to", "2026-03"])
    assert march.exit_code == 0 and "no unit cost" not in march.stderr


# ---- item 18 with targets: at 80 columns two targets of one KPI stay told apart --------
def test_targets_check_at_80_columns_keeps_the_scope(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _two_months(tmp_path)
    stages = "stages: [{from: 2026-01, target: 10}]"
    (ws / "targets.yaml").write_text(
        f"targets:\n  - {{kpi: net_profit, scope: 'person:li', {stages}}}\n"
        f"  - {{kpi: net_profit, scope: 'store:amazon-com', {stages}}}\n"
    )
    monkeypatch.setenv("COLUMNS", "80")
    shown = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03"])
    assert shown.exit_code == 0, shown.stderr
    assert "person:li" in shown.stdout and "store:amazon-com" in shown.stdout
    assert "Status" in shown.stdout  # and still whether each is on track


# ---- item 10: the audit trail of closes reads in the user's language -------------------
def test_team_log_actions_read_in_chinese(tmp_path: Path) -> None:
    ws = _two_months(tmp_path)
    (ws / "people.yaml").write_text(
        (ws / "people.yaml").read_text("utf-8") + "  - id: boss\n    role: owner\n", "utf-8"
    )
    closed = run_cli(["-w", str(ws), "team", "close", "--period", "2026-03", "--by", "boss",
                       "--partial"])  # fmt: skip
    assert closed.exit_code == 0, closed.stderr
    shown = run_cli(["-w", str(ws), "--lang", "zh", "team", "log"])
    assert "关账" in shown.stdout and "close" not in shown.stdout, shown.stdout
    as_json = run_cli(["-w", str(ws), "team", "log", "--format", "json"])
    assert json.loads(as_json.stdout)[0]["action"] == "close"  # JSON keeps the codes


# ---- item 6: before any month is complete, the default is the month with data ---------
def test_without_a_complete_month_the_default_period_is_the_month_with_data(
    tmp_path: Path,
) -> None:
    from test_people import TEAM
    from test_people import _seller as march_seller  # data from 2 to 20 March 2026 only

    ws = march_seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    run_cli(["-w", str(ws), "team", "template"])
    scored = run_cli(["-w", str(ws), "team", "score", "--format", "json"])
    assert scored.exit_code == 0, scored.stderr
    row = json.loads(scored.stdout)[0]
    # not February, a month before the first sale, scored 0 as if complete
    assert (row["period"], row["estimated"], row["data_days"]) == ("2026-03", True, 20)


# ---- item 9: a mistyped platform in a target says which platforms there are -----------
def test_a_mistyped_platform_scope_names_the_platforms(tmp_path: Path) -> None:
    ws = _two_months(tmp_path)
    stages = "stages: [{from: 2026-01, target: 10}]"
    (ws / "targets.yaml").write_text(f"targets:\n  - {{kpi: sales, scope: platform:amazn, "
                                     f"{stages}}}\n")  # fmt: skip
    shown = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03"])
    message = " ".join(shown.stderr.split())
    assert shown.exit_code == 2 and "targets.yaml, line 2" in message, message
    assert "amazon, shopify, walmart" in message and "'amazn'" in message, message
