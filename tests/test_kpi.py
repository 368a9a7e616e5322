"""KPIs declared as data and compiled to SQL: values computed by hand, ratios of sums at
every grain, n/a for nothing under a ratio, bad definitions refused with file and line."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, run_cli, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.demo_reports import ADS_HEADER, RETURNS_HEADER
from lianxing.errors import InputError, LianxingError
from lianxing.kpis import load_kpis
from lianxing.store import kpi_sql

GOLDEN = REPO / "tests" / "golden" / "kpi_expressions.sql"


def _seller(tmp: Path) -> Path:
    """March 2026: MUG 2 units at 40, CUP 1 at 15, a $30 ad charge split 20:10 by the
    ads report, one MUG returned defective; unit costs MUG 5, CUP 3."""
    ws = tmp / "ws"
    with Lianxing.init(ws) as lx:
        lx.import_file(
            write_v2(
                tmp / "s.txt",
                [
                    v2_row("Order", "ItemPrice", "Principal", "40.00", order="1", sku="MUG",
                           qty="2"),
                    v2_row("Order", "ItemFees", "Commission", "-6.00", order="1", sku="MUG",
                           qty="2"),
                    v2_row("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-3.00", order="1",
                           sku="MUG", qty="2"),
                    v2_row("Order", "ItemPrice", "Principal", "15.00", order="2", sku="CUP",
                           qty="1"),
                    v2_row("Order", "ItemFees", "Commission", "-2.25", order="2", sku="CUP",
                           qty="1"),
                    v2_row("ServiceFee", "Cost of Advertising", "TransactionTotalAmount",
                           "-30.00", when="2026-03-09 10:00:00 UTC"),
                ],
            )
        )  # fmt: skip
        ads = [
            {"Date": "Mar 02, 2026", "Currency": "USD", "Campaign Name": "A",
             "Advertised SKU": "MUG", "Spend": "$20.00", "7 Day Total Sales ": "$100.00",
             "Clicks": "40", "Impressions": "4,000", "7 Day Total Orders (#)": "4"},
            {"Date": "Mar 03, 2026", "Currency": "USD", "Campaign Name": "B",
             "Advertised SKU": "CUP", "Spend": "$10.00", "7 Day Total Sales ": "$0.00",
             "Clicks": "10", "Impressions": "1,000", "7 Day Total Orders (#)": "0"},
        ]  # fmt: skip
        lx.import_file(write_table(tmp / "ads.csv", ADS_HEADER, ads, delimiter=","))
        returned = {
            "return-date": "2026-03-12T10:00:00+00:00", "order-id": "1", "sku": "MUG",
            "quantity": "1", "detailed-disposition": "DEFECTIVE", "reason": "DEFECTIVE",
            "license-plate-number": "LPN1",
        }  # fmt: skip
        lx.import_file(write_table(tmp / "returns.txt", RETURNS_HEADER, [returned]))
        costs = tmp / "costs.csv"
        costs.write_text(
            "sku,effective_from,unit_cost,currency\nMUG,2026-01-01,5,USD\nCUP,2026-01-01,3,USD\n"
        )
        lx.import_file(costs)
    return ws


# A derived KPI entry of a workspace kpis.yaml, for the tests that write bad ones.
DERIVED_ENTRY = """  - name: {name}
    kind: derived
    expression: {expr}
    unit: money
    direction: higher
    compare: difference
    label: {{en: X, zh: 甲}}
    description: {{en: X., zh: 甲。}}
"""

NAMES = ["units", "sales", "net_profit", "ad_spend", "ad_sales", "acos", "tacos",
         "return_rate", "cpc", "ctr", "net_margin", "average_order_value"]  # fmt: skip


def test_values_by_sku_and_ratios_of_sums_in_total(tmp_path: Path) -> None:
    with Lianxing.open(_seller(tmp_path)) as lx:
        by_sku = {r["sku"]: r for r in lx.kpi(NAMES, by="sku", period="total").rows}
        total = lx.kpi(NAMES, by="total", period="month").rows
    mug, cup = by_sku["MUG"], by_sku["CUP"]
    # MUG: 40 - 6 - 3 fees - 20 ads - 2 x 5 COGS + 5 back (returned) - 5 written off
    assert mug["net_profit"] == Decimal("1.00")
    assert (mug["units"], mug["sales"], mug["ad_spend"], mug["ad_sales"]) == (
        2, Decimal("40.00"), Decimal("20.00"), Decimal("100.00"),
    )  # fmt: skip
    assert (mug["acos"], mug["tacos"], mug["return_rate"]) == (
        Decimal("0.2000"), Decimal("0.5000"), Decimal("0.5000"),
    )  # fmt: skip
    assert (mug["cpc"], mug["ctr"]) == (Decimal("0.50"), Decimal("0.0100"))
    # CUP had ad spend but no ad sales: its ACoS is n/a, not 0 or infinite.
    assert cup["acos"] is None and cup["tacos"] == Decimal("0.6667")
    assert cup["net_profit"] == Decimal("-0.25")
    # The whole month: ratios of the sums (30 / 100), not an average of SKU ratios.
    assert total == [
        {
            "period": "2026-03", "units": 3, "sales": Decimal("55.00"),
            "net_profit": Decimal("0.75"), "ad_spend": Decimal("30.00"),
            "ad_sales": Decimal("100.00"), "acos": Decimal("0.3000"),
            "tacos": Decimal("0.5455"), "return_rate": Decimal("0.3333"),
            "cpc": Decimal("0.60"), "ctr": Decimal("0.0100"),
            "net_margin": Decimal("0.0136"), "average_order_value": Decimal("27.50"),
        }
    ]  # fmt: skip


def test_additive_kpis_sum_across_skus_and_profit_agrees(tmp_path: Path) -> None:
    with Lianxing.open(_seller(tmp_path)) as lx:
        by_sku = lx.kpi(["units", "sales", "net_profit", "ad_spend"], by="sku", period="total")
        total = lx.kpi(["units", "sales", "net_profit", "ad_spend"], by="total", period="total")
        profit = lx.profit(by="store").rows[0]
    for name in ("units", "sales", "net_profit", "ad_spend"):
        assert sum(r[name] for r in by_sku.rows) == total.rows[0][name], name
    assert total.rows[0]["net_profit"] == profit["net_profit"]


def test_workspace_kpis_add_and_bad_definitions_are_named(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "kpis.yaml").write_text(
        """kpis:
  - name: ad_share_of_profit
    kind: derived
    expression: ad_spend / (net_profit + ad_spend)
    unit: percent
    direction: lower
    compare: difference
    label: {en: Ads share of pre-ad profit, zh: 广告占广告前利润}
    description: {en: Ad spend over profit before ads., zh: 广告花费除以广告前利润。}
""",
        "utf-8",
    )
    with Lianxing.open(ws) as lx:
        row = lx.kpi(["ad_share_of_profit"], by="total", period="total").rows[0]
    assert row["ad_share_of_profit"] == Decimal("0.9756")  # 30 / 30.75
    (ws / "kpis.yaml").write_text(
        """kpis:
  - name: a
    kind: derived
    expression: b + 1
    unit: money
    direction: higher
    compare: difference
    label: {en: A, zh: 甲}
    description: {en: A., zh: 甲。}
  - name: b
    kind: simple
    measure: no_such_measure
    unit: money
    direction: higher
    compare: difference
    label: {en: B, zh: 乙}
    description: {en: B., zh: 乙。}
""",
        "utf-8",
    )
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.kpi_catalogue()
    assert [(p.key, p.line) for p in caught.value.problems] == [("kpi.unknown_measure", 10)]
    assert str(ws / "kpis.yaml") in str(caught.value)


def test_cycles_and_bad_yaml_are_refused(tmp_path: Path) -> None:
    from lianxing.categories import load_categories

    measures = kpi_sql.measure_names([c.id for c in load_categories().columns])
    path = tmp_path / "kpis.yaml"
    entry = DERIVED_ENTRY
    path.write_text(
        "kpis:\n" + entry.format(name="x", expr="y * 2") + entry.format(name="y", expr="x - 1")
    )
    with pytest.raises(InputError) as caught:
        load_kpis(measures, path)
    assert {p.key for p in caught.value.problems} == {"kpi.cycle"}
    path.write_text("kpis:\n  - name: [unclosed\n")
    with pytest.raises(InputError) as caught:
        load_kpis(measures, path)
    assert caught.value.key == "kpi.yaml" and caught.value.problems[0].line in (2, 3)
    path.write_text("kpis:\n" + entry.format(name="z", expr="__import__('os')"))
    with pytest.raises(InputError) as caught:
        load_kpis(measures, path)
    assert caught.value.key == "kpi.bad_expression"


ROLLING_ENTRY = """  - name: {name}
    kind: rolling
    of: {of}
{extra}    unit: money
    direction: higher
    compare: difference
    label: {{en: X, zh: 甲}}
    description: {{en: X., zh: 甲。}}
"""


def test_bad_rolling_and_currency_definitions_are_refused(tmp_path: Path) -> None:
    from lianxing.categories import load_categories

    measures = kpi_sql.measure_names([c.id for c in load_categories().columns])
    path = tmp_path / "kpis.yaml"
    cases = {
        # no window, a window too long, a window that is not a number
        ROLLING_ENTRY.format(name="r", of="sales", extra=""): "kpi.bad_window",
        ROLLING_ENTRY.format(name="r", of="sales", extra="    window: 400\n"): "kpi.bad_window",
        ROLLING_ENTRY.format(name="r", of="sales", extra="    window: thirty\n"): "kpi.bad_window",
        # a level, not a flow: directly, through a derived KPI, or a snapshot measure
        ROLLING_ENTRY.format(name="r", of="available_units", extra="    window: 7\n"):
            "kpi.bad_rolling",
        ROLLING_ENTRY.format(name="r", of="days_of_supply", extra="    window: 7\n"):
            "kpi.bad_rolling",
        ROLLING_ENTRY.format(name="r", of="units_shipped_t30", extra="    window: 7\n"):
            "kpi.bad_rolling",
        # a rolling KPI of a rolling KPI
        ROLLING_ENTRY.format(name="r", of="sales_t30", extra="    window: 7\n"): "kpi.bad_rolling",
        # a window on another kind; a currency that is not a code
        DERIVED_ENTRY.format(name="d", expr="sales").replace("kind: derived",
                                                           "kind: derived\n    window: 3"):
            "kpi.window_not_rolling",
        DERIVED_ENTRY.format(name="d", expr="sales").replace("kind: derived",
                                                           "kind: derived\n    currency: cny"):
            "kpi.bad_currency",
    }  # fmt: skip
    for entry, key in cases.items():
        path.write_text("kpis:\n" + entry, "utf-8")
        with pytest.raises(InputError) as caught:
            load_kpis(measures, path, kpi_sql.SNAPSHOT_MEASURES)
        assert caught.value.key == key, entry
        assert caught.value.problems[0].line == 2
    path.write_text(
        "kpis:\n" + ROLLING_ENTRY.format(name="r", of="net_margin", extra="    window: 7\n"),
        "utf-8",
    )
    assert load_kpis(measures, path, kpi_sql.SNAPSHOT_MEASURES)["r"].window == 7


def test_rolling_window_reaches_before_from(tmp_path: Path) -> None:
    """A window that starts before --from still reads its days; nothing after --to."""
    ws = _seller(tmp_path)  # sales on March 2: MUG 40, CUP 15
    with Lianxing.open(ws) as lx:
        inside = lx.kpi(["sales_t30", "sales"], by="total", period="total",
                        date_from=date(2026, 3, 10), date_to=date(2026, 3, 31)).rows  # fmt: skip
        assert inside[0]["sales_t30"] == Decimal("55.00") and inside[0]["sales"] == 0
        # Jan 31 … Mar 1 ends the day before the sales: nothing in the window
        before = lx.kpi(["sales_t30"], by="total", period="total",
                        date_from=date(2026, 2, 1), date_to=date(2026, 3, 1)).rows  # fmt: skip
        assert before == []
        # Mar 3 … Apr 1: March 2 is just outside a 30-day window ending on April 1 (the
        # window still holds the March 9 ad charge, so there is a row, with no sales)
        later = lx.kpi(["sales_t30"], by="total", period="total",
                       date_from=date(2026, 4, 1), date_to=date(2026, 4, 1)).rows  # fmt: skip
        assert later[0]["sales_t30"] == 0
        edge = lx.kpi(["sales_t30"], by="total", period="total",
                      date_from=date(2026, 3, 31), date_to=date(2026, 3, 31)).rows  # fmt: skip
        assert edge[0]["sales_t30"] == Decimal("55.00")


def test_cli_contract_explain_and_list(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    shown = run_cli(
        ["-w", str(ws), "kpi", "show", "units", "sales", "net_profit", "acos", "tacos",
         "return_rate", "--by", "sku", "--period", "month", "--format", "json"]
    )  # fmt: skip
    assert shown.exit_code == 0, shown.stderr
    rows = {r["sku"]: r for r in json.loads(shown.stdout)}
    assert rows["MUG"]["period"] == "2026-03" and Decimal(rows["MUG"]["acos"]) == Decimal("0.2")
    assert rows["CUP"]["acos"] is None and rows["MUG"]["units"] == 2
    explained = run_cli(["-w", str(ws), "kpi", "explain", "acos"])
    assert explained.exit_code == 0 and "lx_ratio" in explained.stdout
    # … and how the measure table it reads is built from the ledger
    assert "CREATE TABLE kpi_measure_days AS" in explained.stdout
    assert "FROM ledger" in explained.stdout
    listed = run_cli(["-w", str(ws), "--lang", "zh", "kpi", "list", "--format", "json"])
    assert any(r["name"] == "tacos" for r in json.loads(listed.stdout))
    unknown = run_cli(["-w", str(ws), "kpi", "show", "no_such_kpi"])
    assert unknown.exit_code == 2 and "no_such_kpi" in unknown.stderr


def test_every_kpi_is_documented_and_the_catalogue_is_large() -> None:
    from lianxing.categories import load_categories

    columns = [c.id for c in load_categories().columns]
    catalogue = load_kpis(kpi_sql.measure_names(columns))
    assert len(catalogue) >= 30
    doc = (REPO / "docs" / "kpis.md").read_text("utf-8")
    for name in catalogue:
        assert f"`{name}`" in doc, name
    for name in ("units", "sales", "net_profit", "ad_spend", "ad_sales", "acos", "tacos",
                 "return_rate"):  # fmt: skip
        assert name in catalogue


def test_compiled_sql_matches_the_reviewed_golden_file() -> None:
    """Every catalogue KPI's compiled expression, reviewed in diffs. Regenerate with
    LIANXING_UPDATE_GOLDEN=1 after an intended change."""
    from lianxing.categories import load_categories

    columns = [c.id for c in load_categories().columns]
    measures = kpi_sql.measure_names(columns)
    catalogue = load_kpis(measures)
    compiler = kpi_sql.Compiler(catalogue, measures)
    text = "".join(f"-- {name}\n{compiler.expression(name)};\n" for name in sorted(catalogue))
    if os.environ.get("LIANXING_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    assert GOLDEN.read_text("utf-8") == text


def test_period_shifts_for_comparison() -> None:
    from datetime import date

    from lianxing.kpi_report import shift, shift_label

    assert shift_label("2026-01", "month", "previous") == "2025-12"
    assert shift_label("2026-03", "month", "yoy") == "2025-03"
    assert shift_label("2026-Q1", "quarter", "previous") == "2025-Q4"
    assert shift_label("2026-Q3", "quarter", "yoy") == "2025-Q3"
    assert shift_label("2026", "year", "previous") == "2025"
    assert shift_label("2026-03-01", "day", "previous") == "2026-02-28"
    assert shift_label("2026-03-02", "week", "yoy") == "2025-03-03"  # 52 weeks: a Monday
    assert shift(date(2026, 3, 31), "month", "previous") == date(2026, 2, 28)
    assert shift(date(2024, 2, 29), "year", "yoy") == date(2023, 2, 28)


def test_compare_previous_month(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    when = {"2026-02": "2026-02-10 10:00:00 UTC", "2026-03": "2026-03-10 10:00:00 UTC"}
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "30.00", order="1", sku="MUG", qty="3",
               when=when["2026-02"]),
        v2_row("Order", "ItemPrice", "Principal", "44.00", order="2", sku="MUG", qty="4",
               when=when["2026-03"]),
    ]  # fmt: skip
    with Lianxing.init(ws) as lx:
        lx.import_file(write_v2(tmp_path / "s.txt", rows))
        report = lx.kpi(["sales", "units", "net_profit"], by="sku", period="month",
                        compare="previous")  # fmt: skip
    march = next(r for r in report.rows if r["period"] == "2026-03")
    # sales and units compare as percent change; net profit as a difference
    assert (march["sales_before"], march["sales_change"]) == (Decimal("30.00"), Decimal("0.4667"))
    assert (march["units_before"], march["units_change"]) == (3, Decimal("0.3333"))
    assert march["net_profit_change"] == Decimal("14.00")
    february = next(r for r in report.rows if r["period"] == "2026-02")
    assert february["sales_before"] is None and february["sales_change"] is None
    bad = run_cli(["-w", str(ws), "kpi", "show", "sales", "--period", "total", "--compare",
                   "previous"])  # fmt: skip
    assert bad.exit_code == 2 and "--from" in bad.stderr


def test_group_by_product_attributes_from_products_csv(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "products.csv").write_text(
        "sku,parent,category,tags,owner\nMUG,P1,Kitchen,hero;gift,Li Wei\nCUP,P1,Kitchen,gift,\n",
        "utf-8",
    )
    with Lianxing.open(ws) as lx:
        owners = {r["owner"]: r for r in lx.kpi(["sales"], by="owner", period="total").rows}
        tags = {r["tag"]: r for r in lx.kpi(["sales"], by="tag", period="total").rows}
        parents = lx.kpi(["sales", "acos"], by="parent", period="total").rows
    assert owners["Li Wei"]["sales"] == Decimal("40.00") and owners[None]["sales"] == 15
    # A SKU with two tags counts under both.
    assert (tags["hero"]["sales"], tags["gift"]["sales"]) == (Decimal("40.00"), Decimal("55.00"))
    assert parents[0]["parent"] == "P1" and parents[0]["acos"] == Decimal("0.3000")
    (ws / "products.csv").write_text("sku,colour\nMUG,red\n", "utf-8")
    with Lianxing.open(ws) as lx, pytest.raises(InputError) as caught:
        lx.kpi(["sales"], by="owner", period="total")
    assert caught.value.key == "products.unknown_column"


def test_snapshot_kpis_without_a_snapshot_are_na(tmp_path: Path) -> None:
    """A store with no inventory report has no stock figure: n/a, not 0 (and so no
    sell-through of 100 %)."""
    with Lianxing.open(_seller(tmp_path)) as lx:
        row = lx.kpi(["available_units", "sell_through", "days_of_supply"], by="total",
                     period="total").rows[0]  # fmt: skip
    assert row["available_units"] is None and row["sell_through"] is None
    assert row["days_of_supply"] is None


def test_review_fixes_compare_ends_reserved_names_and_constants(tmp_path: Path) -> None:
    from datetime import date

    from lianxing.kpi_report import shift_end

    # A range ending on a month's last day compares with the earlier month's last day.
    assert shift_end(date(2025, 2, 28), "month", "previous") == date(2025, 1, 31)
    assert shift_end(date(2025, 6, 30), "quarter", "previous") == date(2025, 3, 31)
    assert shift_end(date(2025, 2, 28), "month", "yoy") == date(2024, 2, 29)
    ws = _seller(tmp_path)
    whole = run_cli(["-w", str(ws), "kpi", "show", "units", "--by", "total", "--period",
                     "total", "--compare", "yoy"])  # fmt: skip
    assert whole.exit_code == 2 and "--from" in whole.stderr
    entry = DERIVED_ENTRY
    from lianxing.categories import load_categories

    measures = kpi_sql.measure_names([c.id for c in load_categories().columns])
    for name, expr, key in (
        ("period", "sales * 2", "kpi.bad_name"),
        ("sales_before", "sales * 2", "kpi.bad_name"),
        ("huge", "sales * 1e999", "kpi.bad_expression"),
    ):
        path = tmp_path / f"{name}.yaml"
        path.write_text("kpis:\n" + entry.format(name=name, expr=expr), "utf-8")
        with pytest.raises(InputError) as caught:
            load_kpis(measures, path)
        assert caught.value.key == key, name


def test_a_tag_written_twice_counts_once(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "products.csv").write_text("sku,tags\nMUG,hero;hero|hero\n", "utf-8")
    with Lianxing.open(ws) as lx:
        rows = {r["tag"]: r for r in lx.kpi(["units"], by="tag", period="total").rows}
    assert rows["hero"]["units"] == 2


def test_ad_money_without_a_rate_is_an_error_not_a_gap(tmp_path: Path) -> None:
    from lianxing.errors import LianxingError

    with Lianxing.init(tmp_path / "ws") as lx:
        settlement = write_v2(
            tmp_path / "ca.txt",
            [v2_row("Order", "ItemPrice", "Principal", "10.00", order="1", sku="MUG", qty="1",
                    marketplace="Amazon.ca")],
            currency="CAD",
        )  # fmt: skip
        lx.import_file(settlement)
        ads = [
            {"Date": "Mar 01, 2026", "Currency": "CAD", "Campaign Name": "A",
             "Advertised SKU": "MUG", "Spend": "$2.00", "7 Day Total Sales ": "$9.00"}
        ]  # fmt: skip
        lx.import_file(write_table(tmp_path / "ads.csv", ADS_HEADER, ads, delimiter=","))
        # A rate from March 2 covers the sale, not the ad spend of March 1.
        (tmp_path / "fx.csv").write_text("date,from,to,rate\n2026-03-02,CAD,USD,0.75\n")
        lx.import_file(tmp_path / "fx.csv")
        with pytest.raises(LianxingError) as caught:
            lx.kpi(["ad_sales"], by="total", period="total")
        assert caught.value.key == "fx.missing" and "2026-03-01" in str(caught.value)
        (tmp_path / "fx2.csv").write_text("date,from,to,rate\n2026-03-01,CAD,USD,0.75\n")
        lx.import_file(tmp_path / "fx2.csv")
        row = lx.kpi(["ad_sales", "sales"], by="total", period="total").rows[0]
    assert (row["ad_sales"], row["sales"]) == (Decimal("6.75"), Decimal("7.50"))


def test_a_rolling_window_checks_rates_before_from(tmp_path: Path) -> None:
    """A window reaching before --from reads those days' money: a missing rate there is
    an error, never money left out."""
    ws = _seller(tmp_path)  # costs in USD; sales on March 2
    with Lianxing.open(ws) as lx:
        rates = tmp_path / "rates.csv"
        rates.write_text("date,from,to,rate\n2026-03-10,USD,CNY,7.1\n", "utf-8")
        lx.import_file(rates)
        with pytest.raises(LianxingError) as caught:
            lx.kpi(["sales_t30"], by="total", period="total", currency="CNY",
                   date_from=date(2026, 3, 20), date_to=date(2026, 3, 31))  # fmt: skip
        assert caught.value.key == "fx.missing"
        # the same range without a window is fine: no money before the 10th in it
        lx.kpi(["sales"], by="total", period="total", currency="CNY",
               date_from=date(2026, 3, 20), date_to=date(2026, 3, 31))  # fmt: skip
