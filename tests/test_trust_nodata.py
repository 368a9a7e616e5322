"""Missing data is "no data", never a perfect 0 (issue 12, item 1): a KPI whose inputs
have no imported source for a store and period is null everywhere; a scorecard line
with no data scores as the card says; the doctor names the missing source and whose."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_people import STORE, TEAM, _seller

from conftest import run_cli, write_table
from lianxing.app import Lianxing
from lianxing.demo_reports import RETURNS_HEADER
from lianxing.errors import InputError
from lianxing.kpi_sources import catalogue_sources, parse_sources
from lianxing.store import kpi_sql

CARDS = """scorecards:
  - name: operator
    applies_to: {role: operator}
    kpis:
      - {kpi: sales, weight: 50}
      - {kpi: return_rate, weight: 30, floor: 15%, target: 5%}
      - {kpi: tacos, weight: 20, floor: 25%, target: 5%, no_data: 50%}
  - name: manager
    applies_to: {role: manager}
    kpis:
      - {kpi: sales, weight: 100}
"""
TARGETS = """targets:
  - {kpi: sales, scope: "team:us", stages: [{from: 2026-01, target: 10}]}
  - {kpi: return_rate, scope: "team:us", stages: [{from: 2026-01, target: 5%}]}
"""


def _returns(tmp: Path, ws: Path) -> None:
    """A returns report for the store: one CUP unit back on 6 March (none of MUG)."""
    returned = {
        "return-date": "2026-03-06T10:00:00+00:00", "order-id": "3", "sku": "CUP",
        "quantity": "1", "detailed-disposition": "SELLABLE", "reason": "UNWANTED_ITEM",
        "license-plate-number": "LPN1",
    }  # fmt: skip
    with Lianxing.open(ws) as lx:
        lx.import_file(write_table(tmp / "returns.txt", RETURNS_HEADER, [returned]), store_id=STORE)


NAMES = ["units", "return_rate", "returned_units", "tacos", "ad_spend", "sessions"]


def test_return_rate_and_tacos_without_a_source_are_no_data(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    with Lianxing.open(ws) as lx:
        rows = lx.kpi(NAMES, by="sku", period="month").rows
        total = lx.kpi(NAMES, by="total", period="total").rows
    assert {r["sku"] for r in rows if r["units"]} == {"MUG", "CUP"}
    for row in [*rows, *total]:
        for name in NAMES[1:]:
            assert row[name] is None, (row, name)
    shown = run_cli(["-w", str(ws), "kpi", "show", "return_rate", "tacos", "--by", "total",
                     "--period", "total", "--format", "json"])  # fmt: skip
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)[0]["return_rate"] is None
    assert json.loads(shown.stdout)[0]["tacos"] is None


def test_a_covering_returns_report_makes_no_returns_a_real_zero(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    _returns(tmp_path, ws)
    with Lianxing.open(ws) as lx:
        by_sku = {r["sku"]: r for r in lx.kpi(NAMES, by="sku", period="month").rows}
    # The report covers the store's March: MUG had no returns (0 %), CUP 1 of 1.
    assert (by_sku["MUG"]["returned_units"], by_sku["MUG"]["return_rate"]) == (0, Decimal(0))
    assert by_sku["CUP"]["return_rate"] == Decimal("1.0000")
    # Still no ads report and no ad charges: ad KPIs stay no data.
    assert by_sku["MUG"]["tacos"] is None and by_sku["MUG"]["ad_spend"] is None


def test_a_scorecard_line_without_data_scores_as_the_card_says(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    (ws / "targets.yaml").write_text(TARGETS, "utf-8")
    with Lianxing.open(ws) as lx:
        rows = {r["person"]: r for r in lx.team_score("2026-03")}
        targets = [r for r in lx.targets_check("2026-03") if r["kpi"] == "return_rate"]
    li = {k["name"]: k for k in rows["li"]["kpis"]}
    # No returns report: 0 points (the default), not the full 30 a 0 % rate would earn.
    assert (li["return_rate"]["value"], li["return_rate"]["points"]) == (None, Decimal("0.00"))
    assert li["return_rate"]["status"] == "no_data"
    # The card gives tacos half its weight when there is no data.
    assert (li["tacos"]["points"], li["tacos"]["status"]) == (Decimal("10.00"), "no_data")
    assert rows["li"]["total"] == Decimal("50.00") + Decimal("10.00")
    assert [t["status"] for t in targets] == ["no_data"]
    table = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03"])
    assert table.exit_code == 0 and "no data" in table.stdout


def test_doctor_names_the_missing_source_and_whose_store_it_is(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    _returns(tmp_path, ws)
    with Lianxing.open(ws) as lx:
        check = next(c for c in lx.doctor() if c.id == "kpi_sources")
    assert check.status == "warn"
    found = "\n".join(check.details)
    # li owns MUG in no particular store: only the store's own people are named.
    assert f"{STORE} (wang, zhao) · ads report or ad charges: acos" in found
    assert "returns report" not in found  # imported: not missing


def test_every_declared_source_measure_is_a_measure() -> None:
    from lianxing.categories import load_categories

    measures = kpi_sql.measure_names([c.id for c in load_categories().columns])
    for source in catalogue_sources():
        assert set(source.measures) <= measures, source.name


def test_a_measure_in_two_sources_is_refused() -> None:
    text = """sources:
  - {name: a, kinds: [x], measures: [units], label: {en: A, zh: 甲}}
  - {name: b, kinds: [y], measures: [units], label: {en: B, zh: 乙}}
"""
    with pytest.raises(InputError) as caught:
        parse_sources(text, "kpis.yaml")
    assert caught.value.key == "kpi.bad_source"


# ---- item 5: every command that shows or pays on profit warns when COGS is missing ----
PAY = """pay:
  - {name: bonus, applies_to: {role: operator}, currency: USD, rules: [{rule: score, base: 100}]}
"""
PROFIT_CARDS = """scorecards:
  - name: operator
    applies_to: {role: operator}
    kpis:
      - {kpi: net_profit, weight: 100}
"""


def test_kpi_show_score_payout_and_review_warn_when_cogs_is_missing(tmp_path: Path) -> None:
    ws = _seller(tmp_path)  # no unit costs imported: MUG and CUP have no COGS
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(PROFIT_CARDS, "utf-8")
    (ws / "pay.yaml").write_text(PAY, "utf-8")
    base = ["-w", str(ws)]
    warned = "have no unit cost"
    shown = run_cli([*base, "kpi", "show", "net_margin", "--format", "json"])
    assert shown.exit_code == 0 and "no unit cost" in shown.stderr and "MUG" in shown.stderr
    json.loads(shown.stdout)  # the warning never reaches the data
    units = run_cli([*base, "kpi", "show", "units"])
    assert "no unit cost" not in units.stderr  # units do not depend on COGS
    for command in (["team", "score"], ["team", "payout"]):
        result = run_cli([*base, *command, "--period", "2026-03"])
        assert result.exit_code == 0 and warned in result.stderr, command
    (ws / "targets.yaml").write_text(
        "targets:\n  - {kpi: net_profit, stages: [{from: 2026-01, target: 1}]}\n", "utf-8"
    )
    checked = run_cli([*base, "targets", "check", "--period", "2026-03"])
    assert "no unit cost" in checked.stderr and "MUG" in checked.stderr
    bridged = run_cli([*base, "bridge", "--from", "2026-02", "--to", "2026-03"])
    assert bridged.exit_code == 0 and "no unit cost" in bridged.stderr, bridged.stderr
    review = run_cli([*base, "team", "review", "li", "--period", "2026-03",
                      "--out", str(tmp_path / "r.html")])  # fmt: skip
    assert review.exit_code == 0 and warned in review.stderr
    assert warned in (tmp_path / "r.html").read_text("utf-8")
    sheet = run_cli([*base, "team", "review", "li", "--period", "2026-03",
                     "--out", str(tmp_path / "r.xlsx")])  # fmt: skip
    assert sheet.exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "r.xlsx")
    assert any(warned in str(c.value) for ws_ in book for row in ws_.iter_rows() for c in row)


def test_no_warning_when_every_sku_sold_has_a_cost(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (tmp_path / "costs.csv").write_text(
        "sku,effective_from,unit_cost,currency\nMUG,2026-01-01,1,USD\nCUP,2026-01-01,1,USD\n"
    )
    with Lianxing.open(ws) as lx:
        lx.import_file(tmp_path / "costs.csv")
    shown = run_cli(["-w", str(ws), "kpi", "show", "net_profit"])
    assert shown.exit_code == 0 and "no unit cost" not in shown.stderr


# ---- item 3: below a month, ad KPIs read the ads report's own daily spend --------------
def test_acos_by_day_uses_the_ads_report_spend_not_the_invoice_day(tmp_path: Path) -> None:
    from test_kpi import _seller as ad_seller  # a $30 ad charge on 9 March; the ads report
    # spent $20 on 2 March (MUG, $100 ad sales) and $10 on 3 March (CUP, no ad sales)

    names = ["ad_spend", "acos", "roas", "tacos", "profit_before_ads", "net_profit"]
    with Lianxing.open(ad_seller(tmp_path)) as lx:
        days = {r["period"]: r for r in lx.kpi(names, by="total", period="day").rows}
        weeks = lx.kpi(["acos"], by="total", period="week").rows
        month = lx.kpi(["acos"], by="total", period="month").rows
    assert (days["2026-03-02"]["acos"], days["2026-03-02"]["roas"]) == (
        Decimal("0.2000"), Decimal("5.0000"),
    )  # fmt: skip
    assert days["2026-03-02"]["tacos"] == Decimal("0.3636")  # 20 of the day's 55 sales
    # Money keeps the invoice: the $30 charge is on 9 March, where profit counts it.
    assert days["2026-03-09"]["ad_spend"] == Decimal("30.00")
    assert days["2026-03-09"]["profit_before_ads"] == (
        days["2026-03-09"]["net_profit"] + Decimal("30.00")
    )
    # The week of 2 March: the report's $30 over $100 ad sales, not $0 (the charge came
    # the week after); the month is the same either way.
    assert weeks[0]["acos"] == Decimal("0.3000")
    assert month[0]["acos"] == Decimal("0.3000")


def test_kpi_explain_says_which_spend_ad_kpis_read(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    week = run_cli(["-w", str(ws), "kpi", "explain", "acos", "--period", "week"])
    assert week.exit_code == 0 and "ad_spend → ad_report_spend" in week.stdout
    assert "ad_report_spend" in week.stdout.split("WITH", 1)[1]
    month = run_cli(["-w", str(ws), "kpi", "explain", "acos"])
    assert '"ad_report_spend"' not in month.stdout.split("WITH", 1)[1]


# ---- item 4: KPIs kept within a band (days of supply, inventory turnover) -------------
BAND_KPI = """kpis:
  - name: sales_band
    kind: simple
    measure: sales
    unit: money
    direction: band
    compare: difference
    label: {en: Sales in a band, zh: 区间销售额}
    description: {en: Sales kept within a range., zh: 保持在区间内的销售额。}
"""


def test_days_of_supply_and_turnover_are_bands_not_lower_is_better() -> None:
    from lianxing.categories import load_categories
    from lianxing.kpis import load_kpis

    measures = kpi_sql.measure_names([c.id for c in load_categories().columns])
    catalogue = load_kpis(measures, None, kpi_sql.SNAPSHOT_MEASURES)
    assert {catalogue[n].direction for n in ("days_of_supply", "inventory_turnover")} == {"band"}


def test_a_best_seller_with_no_stock_left_is_critical_not_30000_percent() -> None:
    from lianxing.targets import Stage, goal_attainment, status

    stage = Stage(date(2026, 1, 1), Decimal(30), None, None, Decimal(20), Decimal(60))
    assert status(Decimal("0.1"), stage, False) == "critical"
    assert goal_attainment(Decimal("0.1"), stage, False) == Decimal("0.0050")
    assert status(Decimal(45), stage, False) == "on_track"
    assert goal_attainment(Decimal(45), stage, False) == Decimal(1)
    assert status(Decimal(70), stage, False) == "warning"  # within 20 % past the ceiling
    assert status(Decimal(75), stage, False) == "critical"
    assert goal_attainment(Decimal(75), stage, False) == Decimal("0.8000")


def test_band_targets_check_and_score_and_a_band_kpi_needs_floor_and_ceiling(
    tmp_path: Path,
) -> None:
    ws = _seller(tmp_path)  # March sales: 37
    (ws / "kpis.yaml").write_text(BAND_KPI, "utf-8")
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(
        "scorecards:\n  - name: m\n    applies_to: {role: manager}\n"
        "    kpis: [{kpi: sales_band, weight: 100}]\n",
        "utf-8",
    )
    (ws / "targets.yaml").write_text(
        "targets:\n  - {kpi: sales_band, scope: business, "
        "stages: [{from: 2026-01, floor: 40, ceiling: 60}]}\n"
        '  - {kpi: sales_band, scope: "person:wang", '
        "stages: [{from: 2026-01, floor: 40, ceiling: 60}]}\n",
        "utf-8",
    )
    with Lianxing.open(ws) as lx:
        [business, _] = lx.targets_check("2026-03")
        wang = next(r for r in lx.team_score("2026-03") if r["person"] == "wang")
    assert business["goal"] == (Decimal(40), Decimal(60))
    assert (business["status"], business["attainment"]) == ("warning", Decimal("0.9250"))
    line = wang["kpis"][0]
    # wang owns the store but li and zhao own MUG: his sales are CUP's 7. Linear from 0
    # (the default floor) to the band's floor 40: 7 / 40 of 100 points.
    assert (line["value"], line["target"]) == (Decimal("7.00"), (Decimal(40), Decimal(60)))
    assert (line["points"], line["attainment"]) == (Decimal("17.50"), Decimal("0.1750"))
    table = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03"])
    assert "40.00–60.00" in table.stdout
    # Exit 4: wang's 7 is critical against the 40–60 band.
    csv = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03", "-f", "csv"])
    assert csv.exit_code == 4 and ",40.00–60.00," in csv.stdout, csv.stderr
    shown = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03", "-f", "json"])
    assert shown.exit_code == 4 and json.loads(shown.stdout)[0]["goal"] == ["40.00", "60.00"]
    closed = run_cli(["-w", str(ws), "team", "close", "--period", "2026-03", "--by", "boss",
                       "--partial"])  # fmt: skip
    assert closed.exit_code == 0, closed.stderr
    again = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03", "-f", "json"])
    assert again.exit_code == 0, again.stderr  # a stored band target comes back
    (ws / "targets.yaml").write_text(
        "targets:\n  - {kpi: sales_band, stages: [{from: 2026-01, target: 40}]}\n", "utf-8"
    )
    refused = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03"])
    assert refused.exit_code == 2 and "floor and a ceiling" in refused.stderr


def test_a_band_scores_full_inside_and_falls_to_zero_at_the_cards_bounds() -> None:
    from lianxing.scorecards import CardKpi, points

    line = CardKpi("days_of_supply", Decimal(100), "linear", Decimal(0), Decimal(1), (),
                   None, None)  # fmt: skip
    band = (Decimal(40), Decimal(60))
    assert points(line, Decimal(50), band, False)[0] == Decimal("100.00")
    assert points(line, Decimal(90), band, False)[0] == Decimal("50.00")  # 0 at 120
    assert points(line, Decimal(130), band, False)[0] == Decimal("0.00")
    assert points(line, Decimal(10), band, False)[0] == Decimal("25.00")


def test_a_report_that_stops_leaves_later_months_without_data_and_doctor_says_so(
    tmp_path: Path,
) -> None:
    from conftest import v2_row, write_v2

    ws = _seller(tmp_path)
    _returns(tmp_path, ws)  # the returns report ends on 6 March
    april = [
        v2_row("Order", "ItemPrice", "Principal", "10.00", order="9", sku="MUG", qty="1",
               when="2026-04-20 15:00:00 UTC"),
    ]  # fmt: skip
    with Lianxing.open(ws) as lx:
        lx.import_file(write_v2(tmp_path / "april.txt", april, settlement_id="2"), store_id=STORE)
        months = {r["period"]: r for r in lx.kpi(["return_rate"], by="total").rows}
        check = next(c for c in lx.doctor() if c.id == "kpi_sources")
    assert months["2026-03"]["return_rate"] is not None
    assert months["2026-04"]["return_rate"] is None  # no returns report covers April
    assert any("returns report ends 2026-03-06" in d for d in check.details)
