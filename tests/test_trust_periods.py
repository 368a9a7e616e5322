"""Periods other than a month (issue 12): monthly targets summed over a quarter or a
year where the KPI adds up, the stage in force for ratios, period-specific stages, pay
plans paid only for the period they are written for."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_people import TEAM, _seller
from test_scorecards import CARDS

from conftest import run_cli
from lianxing.app import Lianxing
from lianxing.bridge import parse_period
from lianxing.errors import InputError
from lianxing.periods import coverage, last_complete_month

# The seller sells 37.00 in March 2026 (MUG 10 + 20, CUP 7); net margin 0.91.
TARGETS = """targets:
  - {kpi: sales, stages: [{from: 2026-01, target: 10}, {from: 2026-03, target: 40}]}
  - {kpi: net_margin, stages: [{from: 2026-01, target: 50%}, {from: 2026-03, target: 90%}]}
  - {kpi: units, stages: [{from: 2026-02, target: 1}, {period: 2026-Q1, target: 2}]}
"""


def _check(ws: Path, period: str) -> dict[str, dict[str, object]]:
    with Lianxing.open(ws) as lx:
        return {r["kpi"]: r for r in lx.targets_check(period)}


def test_money_target_over_a_quarter_or_year_sums_the_monthly_stages(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "targets.yaml").write_text(TARGETS, "utf-8")
    quarter = _check(ws, "2026-Q1")
    # January 10 + February 10 + March 40 = 60; 37 of 60
    assert quarter["sales"]["goal"] == Decimal("60")
    assert quarter["sales"]["attainment"] == Decimal("0.6167")
    assert quarter["sales"]["status"] == "critical"
    year = _check(ws, "2026")
    assert year["sales"]["goal"] == Decimal("420")  # 10 × 2 + 40 × 10
    # One day of March: 40 × 1 / 31, to the cent
    assert _check(ws, "2026-03-02")["sales"]["goal"] == Decimal("1.29")
    assert _check(ws, "2026-03")["sales"]["goal"] == Decimal("40")  # a month as before


def test_ratio_target_uses_the_stage_in_force_and_period_stages_win(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "targets.yaml").write_text(TARGETS, "utf-8")
    quarter = _check(ws, "2026-Q1")
    assert quarter["net_margin"]["goal"] == Decimal("0.5")  # in force on January 1
    # units: a stage for the quarter itself (2), though the monthly one starts later
    assert quarter["units"]["goal"] == Decimal("2") and quarter["units"]["status"] == "on_track"
    assert _check(ws, "2026-03")["units"]["goal"] == Decimal("1")
    assert _check(ws, "2026-Q2")["units"]["goal"] == Decimal("3")  # April to June: 1 a month


def test_bad_period_stage_is_named_by_line(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    bad = "targets:\n  - {kpi: sales, stages: [{period: 2026-13, target: 1}]}\n"
    (ws / "targets.yaml").write_text(bad, "utf-8")
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.targets_check("2026-03")
    assert caught.value.key == "targets.bad_period_stage"
    assert caught.value.problems[0].line == 2


def test_team_score_over_a_quarter_sums_monthly_person_and_card_targets(
    tmp_path: Path,
) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    (ws / "targets.yaml").write_text(
        'targets:\n  - {kpi: sales, scope: "person:zhao", stages: [{from: 2026-01, target: 15}]}\n',
        "utf-8",
    )
    with Lianxing.open(ws) as lx:
        zhao = next(r for r in lx.team_score("2026-Q1") if r["person"] == "zhao")
    lines = {k["name"]: k for k in zhao["kpis"]}
    # sales 20 of 3 × 15 = 45: 44.44 % of 50 points (in March alone it was capped at 60)
    assert lines["sales"]["target"] == Decimal("45")
    assert lines["sales"]["points"] == Decimal("22.22")
    assert lines["units"]["target"] == Decimal("6")  # the card's own 2 a month


PAY = """pay:
  - name: operators
    applies_to: {role: operator}
    currency: USD
    rules: [{rule: score, base: 1000}]
  - name: manager
    applies_to: {people: [wang]}
    currency: USD
    period: quarter
    rules: [{rule: score, base: 3000}]
"""


def test_monthly_pay_plan_is_not_paid_for_a_quarter_or_a_day(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    (ws / "pay.yaml").write_text(PAY, "utf-8")
    with Lianxing.open(ws) as lx:
        for period, key in (("2026-Q1", "pay.wrong_period"), ("2026-03-02", "pay.day_period"),
                            ("2026-03", "pay.wrong_period")):  # fmt: skip
            with pytest.raises(InputError) as caught:
                lx.team_payout(period)
            assert caught.value.key == key, period
    shown = run_cli(["-w", str(ws), "team", "payout", "--period", "2026"])
    assert shown.exit_code == 2 and "period: year" in shown.stderr
    # Only quarterly plans: the quarter is paid once, on the quarter's score.
    quarterly = PAY.replace("currency: USD\n    rules", "currency: USD\n    period: quarter\n"
                            "    rules", 1)  # fmt: skip
    (ws / "pay.yaml").write_text(quarterly, "utf-8")
    result = run_cli(["-w", str(ws), "team", "payout", "--period", "2026-Q1", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    rows = {r["person"]: r for r in json.loads(result.stdout)}
    assert {r["period"] for r in rows.values()} == {"2026-Q1"}
    assert Decimal(rows["wang"]["score_pay"]) == Decimal(rows["wang"]["score"]) * 30


def test_bad_pay_period_is_named(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    (ws / "pay.yaml").write_text(PAY.replace("period: quarter", "period: weekly"), "utf-8")
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.team_payout("2026-03")
    assert caught.value.key == "pay.bad_period" and caught.value.problems[0].line == 6


def _scored(tmp_path: Path) -> Path:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    return ws


def test_close_refuses_unended_periods_days_periods_without_data_and_unknown_closers(
    tmp_path: Path,
) -> None:
    ws = _scored(tmp_path)
    this_month = date.today().strftime("%Y-%m")
    refused = [
        (this_month, "boss", "team.close_not_ended"),
        (str(date.today().year + 1), "boss", "team.close_not_ended"),
        ("2026-03-02", "boss", "team.close_day"),
        ("2025-06", "boss", "team.close_no_data"),
        ("2026-03", "bosss", "team.bad_closer"),  # a typo
        ("2026-03", "li", "team.bad_closer"),  # an operator closing their own scores
        ("2026-03", "boss", "team.close_partial"),  # the data ends on 20 March
    ]
    with Lianxing.open(ws) as lx:
        for period, by, key in refused:
            with pytest.raises(InputError) as caught:
                lx.team_close(period, by)
            assert caught.value.key == key, (period, by)
        assert lx.team_log() == []  # nothing recorded
        with pytest.raises(InputError) as caught:
            lx.team_adjust("2026-03", "li", "1", "x", "nobody")
        assert caught.value.key == "team.bad_closer"


def test_close_records_and_shows_who_closed(tmp_path: Path) -> None:
    ws = _scored(tmp_path)
    result = run_cli(["-w", str(ws), "team", "close", "--period", "2026-Q1", "--by", "wang",
                      "--partial"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = run_cli(["-w", str(ws), "team", "log", "--format", "json"])
    [entry] = json.loads(shown.stdout)
    assert (entry["period"], entry["action"], entry["made_by"]) == ("2026-Q1", "close", "wang")
    assert "王经理 (manager)" in entry["detail"]
    score = run_cli(["-w", str(ws), "team", "score", "--period", "2026-Q1"])
    assert "Closed by wang" in score.stderr
    bad = run_cli(["-w", str(ws), "team", "close", "--period", "2026-02", "--by", "zhao"])
    assert bad.exit_code == 2 and "boss, wang" in bad.stderr


@pytest.mark.parametrize(
    ("last_data", "today", "month"),
    [
        (date(2026, 1, 5), date(2026, 12, 7), "2025-12"),  # the demo: January has 5 days
        (date(2025, 12, 31), date(2026, 1, 1), "2025-12"),  # covered to its end, ended
        (date(2025, 12, 31), date(2025, 12, 31), "2025-11"),  # not ended yet
        (date(2027, 3, 1), date(2026, 12, 7), "2026-11"),  # data dated ahead: not trusted
        (None, date(2026, 12, 7), "2026-11"),
    ],
)
def test_last_complete_month(last_data: date | None, today: date, month: str) -> None:
    assert last_complete_month(last_data, today) == month


def test_partial_periods_are_estimated_with_their_days() -> None:
    today = date(2026, 12, 7)
    assert coverage(parse_period("2026-01"), date(2026, 1, 5), today) == {
        "data_days": 5, "estimated": True}  # fmt: skip
    assert coverage(parse_period("2025-Q4"), date(2026, 1, 5), today) == {
        "data_days": 92, "estimated": False}  # fmt: skip
    assert coverage(parse_period("2026-12"), date(2026, 12, 31), today)["estimated"]
    assert coverage(parse_period("2026-02"), None, today) == {"data_days": 0, "estimated": True}


def test_targets_and_scores_default_to_the_last_complete_month_and_mark_partial_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    ws = _scored(tmp_path)  # data from March 2 to March 20, 2026
    (ws / "targets.yaml").write_text(TARGETS, "utf-8")
    with Lianxing.open(ws) as lx:
        # No month with data is complete yet: the month with data, not February (before
        # the first sale, scored 0 as if complete)
        assert {r["period"] for r in lx.targets_check()} == {"2026-03"}
        assert {r["period"] for r in lx.team_score(None)} == {"2026-03"}
        march = lx.targets_check("2026-03")[0]
        assert (march["data_days"], march["estimated"]) == (20, True)
    table = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03"])
    assert "2026-03 · 20 days, estimated" in table.stdout
    scores = run_cli(["-w", str(ws), "--lang", "zh", "team", "score", "--period", "2026-03"])
    assert "2026-03 · 20 天，估算" in scores.stdout
    shown = run_cli(["-w", str(ws), "team", "score", "-f", "json"])
    assert {(r["period"], r["estimated"]) for r in json.loads(shown.stdout)} == {
        ("2026-03", True)}  # fmt: skip


def _refusal(ws: Path, call: str) -> InputError:
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        getattr(lx, call)("2026-03")
    return caught.value


def test_a_tag_no_sku_carries_or_an_unknown_sku_in_people_is_refused(tmp_path: Path) -> None:
    ws = _scored(tmp_path)
    (ws / "products.csv").write_text("sku,tags\nMUG,kitchen\nCUP,kitchen\n", "utf-8")
    owns_tag = TEAM.replace("{sku: MUG, from: 2026-01-01, to: 2026-03-14}",
                            "{tag: kitchn, from: 2026-01-01, to: 2026-03-14}")  # fmt: skip
    (ws / "people.yaml").write_text(owns_tag, "utf-8")
    error = _refusal(ws, "team_score")
    assert error.key == "people.unknown_tag" and error.problems[0].line == 13
    assert "kitchen" in str(error) and "people.yaml" in str(error)
    owns_sku = TEAM.replace("{sku: MUG, store: amazon-com", "{sku: MUGG, store: amazon-com")
    (ws / "people.yaml").write_text(owns_sku, "utf-8")
    error = _refusal(ws, "team_score")
    assert (error.key, error.problems[0].line) == ("people.unknown_sku", 19)
    (ws / "people.yaml").write_text(owns_tag.replace("kitchn", "kitchen"), "utf-8")
    with Lianxing.open(ws) as lx:
        assert {r["person"] for r in lx.team_score("2026-03")} == {"li", "zhao", "wang"}


@pytest.mark.parametrize(
    ("scope", "key"),
    [
        ('"person:zhoa"', "targets.unknown_person"),
        ('"team:usa"', "targets.unknown_team"),
        ('"store:amazon-cm"', "targets.unknown_store"),
        ('"sku:MUGG"', "targets.unknown_sku"),
    ],
)
def test_a_target_for_a_person_team_store_or_sku_that_does_not_exist_is_refused(
    tmp_path: Path, scope: str, key: str
) -> None:
    ws = _scored(tmp_path)
    text = (
        f"targets:\n  - {{kpi: sales, stages: [{{from: 2026-01, target: 1}}]}}\n"
        f"  - {{kpi: sales, scope: {scope}, stages: [{{from: 2026-01, target: 1}}]}}\n"
    )
    (ws / "targets.yaml").write_text(text, "utf-8")
    for call in ("targets_check", "team_score"):
        error = _refusal(ws, call)
        assert (error.key, error.problems[0].line) == (key, 3)
        assert "targets.yaml" in str(error)


def test_scorecards_and_pay_for_people_or_teams_that_do_not_exist_are_refused(
    tmp_path: Path,
) -> None:
    ws = _scored(tmp_path)
    wrong = CARDS.replace("{role: manager}", "{people: [wnag]}")
    (ws / "scorecards.yaml").write_text(wrong, "utf-8")
    error = _refusal(ws, "team_score")
    assert error.key == "team.audience_person" and "wnag" in str(error)
    assert "scorecards.yaml" in str(error) and error.problems[0].line == 13
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    (ws / "pay.yaml").write_text(PAY.replace("{role: operator}", "{team: uss}"), "utf-8")
    error = _refusal(ws, "team_payout")
    assert (error.key, error.problems[0].line) == ("team.audience_team", 2)
    assert "pay.yaml" in str(error)


def test_kpi_show_and_profit_tables_mark_the_partial_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    ws = _seller(tmp_path)  # data to March 20, 2026
    shown = run_cli(["-w", str(ws), "kpi", "show", "sales", "--by", "total"])
    assert "2026-03 · 20 days, estimated" in shown.stdout
    weeks = run_cli(["-w", str(ws), "kpi", "show", "sales", "--by", "total", "--period", "week"])
    assert "2026-03-16 · 5 days, estimated" in weeks.stdout  # Monday 16th to the 20th
    assert "2026-03-02 ·" not in weeks.stdout  # a week the data covers
    profit = run_cli(["-w", str(ws), "profit", "--by", "month"])
    assert "2026-03 · 20 days, estimated" in profit.stdout
    data = run_cli(["-w", str(ws), "kpi", "show", "sales", "--by", "total", "-f", "json"])
    assert [r["period"] for r in json.loads(data.stdout)] == ["2026-03"]  # JSON: the label


def test_explicit_levels_are_summed_with_the_targets_over_a_quarter() -> None:
    from lianxing.periods import period_stage
    from lianxing.targets import Stage, Target

    stages = (Stage(date(2026, 1, 1), Decimal(100), Decimal(90), Decimal(80)),
              Stage(date(2026, 3, 1), Decimal(200), None, None))  # fmt: skip
    target = Target("sales", "business", None, stages, None, "targets.yaml", 2)
    quarter = period_stage(target, parse_period("2026-Q1"), True, True)
    assert quarter is not None
    # 100 + 100 + 200; warning 90 + 90 + 180 (March: the default 90 %), critical 80 + 80 + 160
    assert (quarter.target, quarter.warning, quarter.critical) == (400, 360, 320)
    ratio = period_stage(target, parse_period("2026-Q1"), False, True)
    assert ratio == stages[0]


def test_a_band_on_a_kpi_that_adds_up_is_summed_over_a_quarter() -> None:
    """A band target on sales (`{floor: 90, ceiling: 110}` a month) over a quarter is
    270–330, not a month's band; a scorecard's own band is scaled the same way."""
    from lianxing.periods import period_stage, scaled
    from lianxing.targets import Stage, Target

    band = Stage(date(2026, 1, 1), Decimal(100), None, None, Decimal(90), Decimal(110))
    target = Target("sales", "business", None, (band,), None, "targets.yaml", 2)
    quarter = period_stage(target, parse_period("2026-Q1"), True, True)
    assert quarter is not None and quarter.band == (270, 330) and quarter.target == 300
    assert period_stage(target, parse_period("2026-Q1"), False, True) == band
    own = (Decimal(90), Decimal(110))
    assert scaled(own, parse_period("2026-Q1"), True) == (270, 330)
    assert scaled(own, parse_period("2026-Q1"), False) == own
