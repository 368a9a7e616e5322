"""Targets: staged per KPI and scope, with warning and critical levels, and the store or
SKU behind each miss."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_kpi import _seller  # the same hand-computed March 2026 seller

from conftest import run_cli
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.targets import Stage, status


def test_status_levels_both_directions() -> None:
    stage = Stage(date(2026, 1, 1), Decimal("0.20"), None, None)
    assert status(Decimal("0.19"), stage, True) == "on_track"  # within 90 %
    assert status(Decimal("0.17"), stage, True) == "warning"
    assert status(Decimal("0.15"), stage, True) == "critical"
    assert status(Decimal("0.21"), stage, False) == "on_track"  # lower is better: 110 %
    assert status(Decimal("0.23"), stage, False) == "warning"
    assert status(Decimal("0.25"), stage, False) == "critical"
    assert status(None, stage, True) == "no_data"


def test_check_with_stages_drivers_and_exit_code(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "targets.yaml").write_text(
        """targets:
  - kpi: net_margin
    stages:
      - {from: 2026-01, target: 1%}
      - {from: 2026-03, target: 5%, warning: 4%, critical: 2%}
  - kpi: acos
    scope: store:amazon-com
    stages:
      - {from: 2026-01, target: 0.25}
  - kpi: units
    scope: sku:MUG
    name: MUG units
    stages:
      - {from: 2026-04, target: 10}
""",
        "utf-8",
    )
    with Lianxing.open(ws) as lx:
        rows = {r["target"]: r for r in lx.targets_check("2026-03")}
    margin = rows["net_margin"]
    # March's stage (5 %, critical below 2 %): 0.75 / 55 = 1.36 % is critical, and the
    # one store is where it comes from.
    assert (margin["value"], margin["goal"], margin["status"]) == (
        Decimal("0.0136"), Decimal("0.05"), "critical",
    )  # fmt: skip
    assert margin["driver"] == "amazon-com"
    acos = rows["acos"]
    # 30 / 100 = 0.30 is above 110 % of 0.25 (0.275) but within 120 % (0.30): warning;
    # MUG's 0.20 is fine, CUP has no ad sales: the driver is MUG, the only SKU with a value.
    assert (acos["value"], acos["status"], acos["attainment"]) == (
        Decimal("0.3000"), "warning", Decimal("0.8333"),
    )  # fmt: skip
    assert acos["driver"] == "MUG"
    assert rows["MUG units"]["status"] == "not_started"
    out = run_cli(["-w", str(ws), "targets", "check", "--period", "2026-03", "-f", "json"])
    assert out.exit_code == 4  # a critical target: a scheduler can alert a person
    shown = json.loads(out.stdout)
    assert {r["kpi"] for r in shown} == {"net_margin", "acos", "units"}


def test_bad_targets_are_named_by_line(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "targets.yaml").write_text(
        """targets:
  - kpi: net_margin
    stages: [{from: 2026-01, target: 5%}]
  - kpi: no_such_kpi
    scope: galaxy:far
    stages: [{from: 2026-13, target: x}]
""",
        "utf-8",
    )
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.targets_check("2026-03")
    found = {(p.key, p.line) for p in caught.value.problems}
    assert ("targets.unknown_kpi", 4) in found and ("targets.bad_scope", 4) in found
    (ws / "targets.yaml").write_text("targets: [\n", "utf-8")
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.targets_check("2026-03")
    assert caught.value.key == "targets.yaml"


def test_templates_weights_and_targets_from_a_template(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    with Lianxing.open(ws) as lx:
        templates = lx.kpi_templates()
        assert {"amazon_fba", "amazon_mfn", "shopify_dtc"} <= set(templates)
        for template in templates.values():
            assert sum(i.weight for i in template.kpis) == 1
        path = lx.apply_template("amazon_fba", scope="store:amazon-com", start="2026-01")
        rows = {r["kpi"]: r for r in lx.targets_check("2026-03")}
        assert rows["net_margin"]["goal"] == Decimal("0.15")
        assert rows["acos"]["status"] in ("on_track", "warning", "critical")
        text = path.read_text("utf-8")
        with pytest.raises(InputError):  # an unknown store: nothing is written
            lx.apply_template("shopify_dtc", scope="store:nope")
        assert path.read_text("utf-8") == text
    out = run_cli(["init", str(tmp_path / "fresh"), "--template", "shopify_dtc"])
    assert out.exit_code == 0 and (tmp_path / "fresh" / "targets.yaml").is_file()
    shown = run_cli(["-w", str(ws), "kpi", "show", "--template", "amazon_fba", "--period",
                     "total", "-f", "json"])  # fmt: skip
    assert shown.exit_code == 0 and "tacos" in json.loads(shown.stdout)[0]
    listed = run_cli(["-w", str(ws), "kpi", "templates", "-f", "json"])
    assert {r["name"] for r in json.loads(listed.stdout)} >= {"amazon_fba"}


def test_negative_targets_nan_and_platform_scopes(tmp_path: Path) -> None:
    stage = Stage(date(2026, 1, 1), Decimal("-1000"), None, None)
    # A loss target: beating it is on track, a bigger loss warns; no attainment quotient.
    assert status(Decimal("-950"), stage, True) == "on_track"
    assert status(Decimal("-1150"), stage, True) == "warning"
    assert status(Decimal("-1300"), stage, True) == "critical"
    from lianxing.targets import attainment

    assert attainment(Decimal("-950"), Decimal("-1000"), True) is None
    ws = _seller(tmp_path)
    (ws / "targets.yaml").write_text(
        """targets:
  - kpi: net_margin
    stages: [{from: 2026-01, target: nan}]
  - kpi: net_margin
    scope: platform:Amazon
    stages: [{from: 2026-01, target: 5%}]
""",
        "utf-8",
    )
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.targets_check("2026-03")
    found = {p.key for p in caught.value.problems}
    assert found == {"targets.bad_stage", "targets.unknown_platform"}
