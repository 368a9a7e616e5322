"""QA of issue 12 on the merged code: defects found end to end, each pinned by a test."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import run_cli
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
