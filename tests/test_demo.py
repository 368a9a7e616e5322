"""The demo seller end to end: files in real formats, imported by the real importers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from lianxing.app import Lianxing
from lianxing.demo import run_demo


@pytest.mark.slow
def test_demo_builds_a_reconciled_year(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    reports = run_demo(folder, scale=1, seed=11)
    with Lianxing.open(folder) as lx:
        sources = lx.sources()
        settlements = [s for s in sources if s["kind"] == "amazon_settlement_v2"]
        assert len(settlements) >= 26
        assert all(s["reconciled"] for s in settlements)
        assert lx.unmapped() == []
        months = {r["month"]: r for r in lx.profit(by="month", basis="settled").rows}
        assert len(months) == 12
        q4 = sum(months[m]["sales"] for m in ("2025-10", "2025-11", "2025-12"))
        q1 = sum(months[m]["sales"] for m in ("2025-01", "2025-02", "2025-03"))
        assert q4 > Decimal("1.5") * q1
        skus = [r for r in lx.profit(by="sku").rows if r["sku"]]
        assert 45 <= len(skus) <= 55
        refunded = sum(r["units_refunded"] for r in skus) / sum(r["units"] for r in skus)
        assert 0.03 <= refunded <= 0.08
        categories = {r["category"] for r in lx.profit(by="category").rows}
        for expected in (
            "transfers.reserve",
            "reimbursements.inventory",
            "storage.monthly",
            "advertising.amazon",
            "tax.marketplace_withheld",
            "revenue.promotion",
        ):
            assert expected in categories
        assert len(lx.profit(by="sku").skus_without_cost) == 2
        cny = lx.profit(by="store", currency="CNY").rows[0]["net_profit"]
        usd = lx.profit(by="store").rows[0]["net_profit"]
        assert Decimal(7) < cny / usd < Decimal("7.4")
        # Every kind of report went through its importer, and they agree: the ads and
        # storage reports split every charge to SKUs, orders not settled are estimated.
        kinds = {row["kind"] for row in lx.coverage()}
        for kind in (
            "amazon_all_orders",
            "amazon_ads_sp",
            "amazon_storage_fees",
            "amazon_returns",
            "amazon_inventory_planning",
            "amazon_business_report",
        ):
            assert kind in kinds
        health = {row["store_id"]: row for row in lx.store_health()}["amazon-us"]
        assert health["ads_unallocated"] == 0 and health["storage_unallocated"] == 0
        assert 0 < health["estimated"] < health["net_profit"] / 10
        failing = {c.id for c in lx.doctor() if c.status == "fail"}
        assert failing == {"costs"}  # the two SKUs the demo leaves without a cost
        # The KPI measure table gives what the money rules give on the ledger itself:
        # estimates, the ad and storage split, returns, CNY costs, three platforms.
        names = list(lx.kpi_catalogue())
        for by, period in (("store", "month"), ("sku", "quarter")):
            assert (
                lx.kpi(names, by=by, period=period).rows
                == lx.kpi(names, by=by, period=period, direct=True).rows
            )
        # Costing: the one SKU Amazon re-measured from July is caught, month by month,
        # and nothing else; three SKUs' COGS come from the two inbound batches.
        from lianxing.demo_costing import REMEASURED_FROM_MONTH

        audit = lx.audit_fees()
        assert len({c.sku for c in audit.claims}) == 1
        assert [c.period for c in audit.claims] == [
            f"2025-{m:02d}" for m in range(REMEASURED_FROM_MONTH, 13)
        ]
        assert audit.items_undercharged == 0 and audit.unaudited == {}
        assert all(c.fits and c.fits.startswith("large_standard") for c in audit.claims)
        assert {x["sku"] for x in lx.lots()} == {"LX-TOYS-004", "LX-TOYS-005", "LX-OFFICE-003"}
        assert lx.derive(force=True).unpriced == []  # every open order priced by schedule
    assert json.loads((reports / "fee-audit.json").read_text())["claims"]
    board = json.loads((reports / "kpis-by-store.json").read_text())
    assert {r["store"] for r in board} == {"amazon-us", "walmart-us", "shopify-us"}
    bridge = json.loads((reports / "bridge-2025-11-to-12.json").read_text())
    assert sum(Decimal(line["amount"]) for line in bridge["lines"]) == Decimal(
        bridge["total_change"]
    )
    # The team: scored for October 2025, the pet SKUs handed from li to zhao on the 16th
    team = json.loads((reports / "team-score-2025-10.json").read_text())
    assert {p["person"] for p in team} == {"wang", "li", "zhao", "chen"}
    assert [p["rank"] for p in team] == [1, 2, 3, 4]
    from openpyxl import load_workbook

    sheet = list(load_workbook(reports / "payout-2025-10.xlsx").active.iter_rows(values_only=True))
    assert (reports / "review-li-2025-10.html").read_text("utf-8").count("<table>") >= 3
    pay = [r[-1] for r in sheet[1:] if r[0] != "Total"]
    assert len(pay) == 4 and all(isinstance(p, float | int) and p >= 0 for p in pay)
    assert any(p > 0 for p in pay)
    with Lianxing.open(folder) as lx:
        from datetime import date

        month = {"date_from": date(2025, 10, 1), "date_to": date(2025, 10, 31)}
        people = {
            r["person"]: r["net_profit"]
            for r in lx.kpi(["net_profit"], by="person", period="total", **month).rows
        }
        store = {
            r["store"]: r["net_profit"]
            for r in lx.kpi(["net_profit"], by="store", period="total", **month).rows
        }
        assert None not in people  # every store is owned: nothing unowned
        assert sum(people.values()) == sum(store.values())
        tags = lx.product_tags()
        for span, owned in (
            ((date(2025, 10, 1), date(2025, 10, 15)),
             {"li": {"kitch", "home", "pet"}, "zhao": {"fit", "office"}}),
            ((date(2025, 10, 16), date(2025, 10, 31)),
             {"li": {"kitch", "home"}, "zhao": {"fit", "office", "pet"}}),
        ):  # fmt: skip
            dates = {"date_from": span[0], "date_to": span[1]}
            rows = lx.kpi(["sales"], by="person", period="total", **dates).rows
            by_person = {r["person"]: r["sales"] for r in rows}
            by_sku = lx.kpi(["sales"], by="sku", period="total", store_id="amazon-us",
                            **dates).rows  # fmt: skip
            for person, families in owned.items():
                want = sum(r["sales"] for r in by_sku
                           if r["sku"] and set(tags.get(r["sku"], ())) & families)  # fmt: skip
                assert by_person[person] == want, (person, span)
    data = json.loads((reports / "profit-by-sku.json").read_text())
    assert {"sku", "units", "sales", "net_profit"} <= set(data[0])
    assert (reports / "profit-by-month.csv").read_text().startswith("month,units")


def test_demo_refuses_a_workspace_it_did_not_make(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "lianxing.toml").write_text("")
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3 and ".lianxing-demo.json" in result.stderr
    assert (folder / "lianxing.toml").exists()
