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
    assert csv.stdout.splitlines()[0].startswith("person,kpi,weight")
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
