"""Costing end to end: product specs, inbound batches → landed lots → FIFO / average
COGS in every report, schedule fee estimates for unsettled orders, the FBA fee audit,
and what-if — through the real importers and the CLI."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import ledger_fingerprint, run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.costing.whatif import Scenario, parse_tariff
from lianxing.errors import InputError
from lianxing.landed.batches import fifo_costs, weighted_average_costs

SPECS = """sku,category,length_in,width_in,height_in,weight_oz,hts_code,origin
HONEST,Home & Kitchen,8,5,0.5,5,3924.10.4000,CN
BUMPED,Home & Kitchen,8,5,0.5,5,3924.10.4000,CN
TOY,Toys & Games,10,8,3,12,9503.00.0073,CN
"""
BATCH_HEADER = ("batch_id,sku,units,unit_cost,cost_currency,paid_on,fx_per_usd,mode,"
                "entry_date,arrived_on,freight,freight_currency")  # fmt: skip


def _specs(lx: Lianxing, tmp_path: Path, text: str = SPECS) -> None:
    path = tmp_path / "specs.csv"
    path.write_text(text, "utf-8")
    lx.import_products(path)


def _batches(lx: Lianxing, tmp_path: Path, rows: list[str], name: str = "b.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([BATCH_HEADER, *rows]) + "\n", "utf-8")
    lx.import_batches(path)
    return path


def _orders(sales: list[tuple[date, int]], sku: str = "TOY", fee: str = "-4.00") -> list[dict]:
    rows = []
    for n, (day, qty) in enumerate(sales):
        when = f"{day.isoformat()} 18:00:00 UTC"
        order = f"111-0000000-{n:07d}"
        price = str(Decimal("19.99") * qty)
        rows.append(v2_row("Order", "ItemPrice", "Principal", price, order=order, sku=sku,
                           qty=str(qty), item=f"I{n}", when=when))  # fmt: skip
        rows.append(v2_row("Order", "ItemFees", "FBAPerUnitFulfillmentFee",
                           str(Decimal(fee) * qty), order=order, sku=sku, item=f"I{n}",
                           when=when))  # fmt: skip
    return rows


# ---- product specs -----------------------------------------------------------------------
def test_specs_convert_units_by_column_name(lx: Lianxing, tmp_path: Path) -> None:
    path = tmp_path / "specs.csv"
    path.write_text(
        "SKU,Category,Length_cm,Width_mm,Height_in,Weight_g,HTS Code,Origin\n"
        "A,Toys,25.4,127,0.5,453.59237,9503.00.0073,cn\n",
        "utf-8",
    )
    result = lx.import_products(path)
    assert (result.rows, result.with_dimensions) == (1, 1)
    spec = lx.products()[0]
    # 25.4 cm = 10 in; 127 mm = 5 in; 453.59237 g = 1 lb = 16 oz exactly.
    assert (spec["length_in"], spec["width_in"], spec["height_in"]) == (10, 5, Decimal("0.5"))
    assert spec["weight_oz"] == 16 and spec["hts_code"] == "9503000073"
    assert spec["origin"] == "CN"
    assert lx.import_products(path).status == "unchanged"


def test_specs_from_xlsx(lx: Lianxing, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["sku", "category", "length_in", "width_in", "height_in", "weight_lb"])
    sheet.append(["X1", "Pet Supplies", 12, 9, 3, 1.5])
    book.save(tmp_path / "specs.xlsx")
    lx.import_products(tmp_path / "specs.xlsx")
    assert lx.products()[0]["weight_oz"] == 24


@pytest.mark.parametrize(
    ("text", "key", "line", "column"),
    [
        ("sku,length,width_in,height_in,weight_oz\nA,1,2,3,4\n", "products.no_unit", 1, "length"),
        ("sku,length_in,length_cm\nA,1,2\n", "products.twice", 1, "length_cm"),
        ("sku,length_in,width_in,height_in,weight_oz\nA,30 cm,2,3,4\n",
         "products.unit_conflict", 2, "length_in"),
        ("sku,length_in,width_in,height_in,weight_oz\nA,0,2,3,4\n",
         "products.out_of_range", 2, "length_in"),
        ("sku,length_in,width_in,height_in,weight_oz\nA,1,2,,4\n",
         "products.partial_dimensions", 2, "sku"),
        ("sku,hts_code\nA,95AB\n", "products.bad_hts", 2, "hts_code"),
        ("sku,origin\nA,China\n", "products.bad_origin", 2, "origin"),
        ("sku,category\nA,Toys\nA,Toys\n", "csv.duplicate_key", 3, "sku"),
    ],
)  # fmt: skip
def test_bad_specs_name_line_and_column_and_write_nothing(
    lx: Lianxing, tmp_path: Path, text: str, key: str, line: int, column: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_products(path)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == (key, line, column)
    assert ledger_fingerprint(lx) == before
    assert lx.db.con.execute("SELECT count(*) FROM product_specs").fetchone() == (0,)


# ---- batches and FIFO --------------------------------------------------------------------
def test_batch_that_cannot_be_costed_is_refused_whole(lx: Lianxing, tmp_path: Path) -> None:
    _specs(lx, tmp_path)
    path = tmp_path / "b.csv"
    # The second line's SKU has no spec: the first line must not be written either.
    lines = [BATCH_HEADER, "B1,TOY,10,30,CNY,2025-06-01,7.2,sea,2025-07-01,2025-07-10,100,USD",
             "B1,NOPE,5,30,CNY,2025-06-01,7.2,sea,,,,"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        lx.import_batches(path)
    assert caught.value.problems[0].line == 3
    assert lx.db.con.execute("SELECT count(*) FROM batch_lines").fetchone() == (0,)


def _two_lots(lx: Lianxing, tmp_path: Path) -> None:
    _specs(lx, tmp_path)
    _batches(lx, tmp_path, [
        "SEA1,TOY,100,36,CNY,2026-01-05,7.20,sea,2026-02-02,2026-02-09,150,USD",
        "AIR1,TOY,50,43.2,CNY,2026-02-10,7.20,air,2026-02-20,2026-02-23,200,USD",
    ])  # fmt: skip


def test_landed_cost_of_two_batches_by_hand(lx: Lianxing, tmp_path: Path) -> None:
    """SEA1: 100 × ¥36 at 7.20 = $500.00 goods; freight $150 (one line takes it all);
    duty on 9503 from China entered 2026-02-02: MFN 0%, IEEPA fentanyl 10% (from
    2025-11-10) and reciprocal 10% = 20% = $100.00; MPF: an entry of $500 is informal
    ($2.69, FY2026); HMF 0.125% × 500 = $0.625 (sea). Unit cost (500 + 150 + 100 + 2.69
    + 0.625) / 100 = $7.53315 → 7.5332.
    AIR1: 50 × ¥43.2 / 7.20 = $300.00; freight $200; entered 2026-02-20: still 20%;
    $60.00 duty; MPF informal $2.69; no HMF by air: (300 + 200 + 60 + 2.69) / 50 =
    $11.2538."""
    _two_lots(lx, tmp_path)
    lots = {x["batch_id"]: x for x in lx.lots()}
    sea, air = lots["SEA1"], lots["AIR1"]
    assert (sea["goods"], sea["freight"], sea["duty"]) == (500, 150, 100)
    assert (sea["mpf"], sea["hmf"], sea["unit_cost"]) == (Decimal("2.69"), Decimal("0.625"),
                                                          Decimal("7.5332"))  # fmt: skip
    assert (air["goods"], air["duty"], air["hmf"], air["unit_cost"]) == (
        300, 60, 0, Decimal("11.2538"))  # fmt: skip
    duties = json.loads(sea["duties"])
    assert {d["program"] for d in duties} >= {"mfn", "ieepa_fentanyl", "ieepa_reciprocal"}


def test_fifo_cogs_two_batches_by_hand(lx: Lianxing, tmp_path: Path) -> None:
    """Sales of 80, 40, 20 and 20 units after both lots arrived: FIFO takes 80 from
    SEA1 ($7.5332 each = 602.656), then 20 from SEA1 and 20 from AIR1 (150.664 +
    225.076 = 375.74), then 20 from AIR1 (225.076), then 10 from AIR1 and 10 beyond
    every lot at AIR1's cost (225.076)."""
    _two_lots(lx, tmp_path)
    sales = [(date(2026, 3, 2), 80), (date(2026, 3, 3), 40), (date(2026, 3, 4), 20),
             (date(2026, 3, 5), 20)]  # fmt: skip
    lx.import_file(write_v2(tmp_path / "s.txt", _orders(sales)))
    cogs = {r["day"]: r["cogs"] for r in lx.profit(by="day").rows}
    assert cogs["2026-03-02"] == Decimal("-602.66")
    assert cogs["2026-03-03"] == Decimal("-375.74")
    assert cogs["2026-03-04"] == Decimal("-225.08")
    assert cogs["2026-03-05"] == Decimal("-225.08")
    # A report from 3 March on does not start FIFO over on 3 March.
    later = {r["day"]: r["cogs"] for r in lx.profit(by="day", date_from=date(2026, 3, 3)).rows}
    assert later["2026-03-03"] == Decimal("-375.74")
    # The KPI measure table agrees with the profit report, and with the direct query.
    kpi = lx.kpi(["cogs"], by="store", period="total", date_from=date(2026, 3, 2))
    assert kpi.rows[0]["cogs"] == Decimal("1428.55")  # 602.656 + 375.74 + 2 × 225.076
    direct = lx.kpi(["cogs"], by="store", period="total", date_from=date(2026, 3, 2),
                    direct=True)  # fmt: skip
    assert direct.rows[0]["cogs"] == kpi.rows[0]["cogs"]


def test_average_cost_method(tmp_path: Path) -> None:
    """Average: each day's units at the units-weighted average of the lots arrived by
    then: (100 × 7.5332 + 50 × 11.2538) / 150 = 8.77340 → 80 units = 701.87."""
    root = tmp_path / "ws"
    Lianxing.init(root).close()
    config = root / "lianxing.toml"
    config.write_text(config.read_text("utf-8") + 'cost_method = "average"\n', "utf-8")
    with Lianxing.open(root) as lx:
        _two_lots(lx, tmp_path)
        lx.import_file(write_v2(tmp_path / "s.txt", _orders([(date(2026, 3, 2), 80)])))
        cogs = {r["day"]: r["cogs"] for r in lx.profit(by="day").rows}
    assert cogs["2026-03-02"] == Decimal("-701.87")


@pytest.mark.parametrize("seed", range(4))
def test_fifo_in_sql_matches_the_python_reference(tmp_path: Path, seed: int) -> None:
    """Random lots and daily sales: the money query's FIFO COGS per day equals the
    reference `fifo_costs` of the landed lots, to the cent."""
    rng = random.Random(seed)
    with Lianxing.init(tmp_path / "ws") as lx:
        _specs(lx, tmp_path)
        rows, day = [], date(2026, 1, 5)
        for n in range(rng.randint(1, 4)):
            units, cost = rng.randint(5, 60), Decimal(rng.randint(2000, 6000)) / 100
            freight = rng.randint(0, 90)
            rows.append(f"L{n},TOY,{units},{cost},CNY,2026-01-02,7.2,sea,{day},{day},{freight},USD")
            day += timedelta(days=rng.randint(0, 3))
        _batches(lx, tmp_path, rows)
        sales = [(date(2026, 3, 1) + timedelta(days=i), rng.randint(1, 9))
                 for i in range(rng.randint(3, 25))]  # fmt: skip
        lx.import_file(write_v2(tmp_path / "s.txt", _orders(sales)))
        lots = [(x["arrived_on"], x["units"], x["unit_cost"]) for x in lx.lots()]
        lots.sort(key=lambda x: x[0])
        expected = fifo_costs(sales, lots)
        got = {r["day"]: -r["cogs"] for r in lx.profit(by="day").rows if r["day"]}
    for day_, _units, cost in expected:
        assert got[day_.isoformat()] == cost.quantize(Decimal("0.01")), day_


def test_weighted_average_reference_matches_sql(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Lianxing.init(root).close()
    config = root / "lianxing.toml"
    config.write_text(config.read_text("utf-8") + 'cost_method = "average"\n', "utf-8")
    with Lianxing.open(root) as lx:
        _two_lots(lx, tmp_path)
        sales = [(date(2026, 2, 10), 7), (date(2026, 2, 25), 5)]
        lx.import_file(write_v2(tmp_path / "s.txt", _orders(sales)))
        lots = sorted((x["arrived_on"], x["units"], x["unit_cost"]) for x in lx.lots())
        got = {r["day"]: -r["cogs"] for r in lx.profit(by="day").rows if r["day"]}
    for day_, _units, cost in weighted_average_costs(sales, lots):
        assert got[day_.isoformat()] == cost.quantize(Decimal("0.01"))


# ---- the fee audit -----------------------------------------------------------------------
def test_audit_catches_the_remeasured_sku_with_the_exact_overcharge(
    lx: Lianxing, tmp_path: Path
) -> None:
    """HONEST and BUMPED are the same 8 × 5 × 0.5 in, 5 oz product: small standard, the
    2026 $10–50 fee for ≤ 6 oz is $3.49 ($3.24 of 2025 + $0.25). HONEST pays $3.49;
    BUMPED is charged $4.50 a unit on 1 + 2 units: overcharge 3 × (4.50 − 3.49) = $3.03."""
    _specs(lx, tmp_path)
    rows = _orders([(date(2026, 3, 2), 1)], sku="HONEST", fee="-3.49")
    bumped = _orders([(date(2026, 3, 3), 1), (date(2026, 3, 4), 2)], sku="BUMPED", fee="-4.50")
    for n, row in enumerate(bumped):  # other order ids than HONEST's
        row["order-id"] = row["order-id"].replace("111-", "112-")
        row["order-item-code"] += f"b{n // 2}"
    lx.import_file(write_v2(tmp_path / "s.txt", rows + bumped))
    report = lx.audit_fees()
    assert report.items_checked == 3 and report.items_overcharged == 2
    assert [(c.sku, c.period, c.units) for c in report.claims] == [("BUMPED", "2026-03", 3)]
    claim = report.claims[0]
    assert (claim.charged, claim.expected, claim.overcharge) == (
        Decimal("13.50"), Decimal("10.47"), Decimal("3.03"))  # fmt: skip
    assert claim.expected_per_unit == Decimal("3.49") and claim.size_tier == "small_standard"
    assert len(claim.evidence) == 2 and all(e.startswith("s.txt:") for e in claim.evidence)
    # The CLI's JSON and the evidence file say the same.
    out = run_cli(["-w", str(lx.workspace.root), "audit", "fees", "--format", "json",
                   "--evidence", str(tmp_path / "claims.csv")])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["overcharge"] == "3.03"
    assert "BUMPED" in (tmp_path / "claims.csv").read_text("utf-8")


def test_audit_flags_nothing_on_an_honest_settlement(lx: Lianxing, tmp_path: Path) -> None:
    _specs(lx, tmp_path)
    lx.import_file(write_v2(tmp_path / "s.txt", _orders([(date(2026, 3, 2), 2)], "HONEST",
                                                         "-3.49")))  # fmt: skip
    report = lx.audit_fees()
    assert report.items_checked == 1 and report.claims == [] and report.overcharge == 0


def test_audit_names_skus_it_cannot_check(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(write_v2(tmp_path / "s.txt", _orders([(date(2026, 3, 2), 1)], "NOSPEC")))
    report = lx.audit_fees()
    assert report.items_checked == 0 and report.unaudited == {"NOSPEC": "no_spec"}


def test_refund_not_returned_is_owed(lx: Lianxing, tmp_path: Path) -> None:
    _specs(lx, tmp_path)
    rows = _orders([(date(2026, 1, 5), 1)], "HONEST", "-3.49")
    rows.append(v2_row("Refund", "ItemPrice", "Principal", "-19.99", order=rows[0]["order-id"],
                       sku="HONEST", qty="1", item="I0", adjustment="ADJ1",
                       when="2026-01-10 18:00:00 UTC"))  # fmt: skip
    # Something on 2026-03-02 moves the audit's "today" past the 45-day window.
    later = {"order": "113-0000000-0000009", "when": "2026-03-02 18:00:00 UTC"}
    rows.append(v2_row("Order", "ItemPrice", "Principal", "19.99", sku="HONEST", qty="1",
                       item="Z", **later))  # fmt: skip
    lx.import_file(write_v2(tmp_path / "s.txt", rows))
    owed = lx.audit_fees().reimbursements
    assert [(r["kind"], r["sku"], r["units"], r["amount"]) for r in owed] == [
        ("refund_not_returned", "HONEST", 1, Decimal("19.99"))
    ]
    assert lx.audit_fees(window=60).reimbursements == []


# ---- schedule fee estimates for unsettled orders -------------------------------------------
def test_unsettled_orders_get_schedule_fees(lx: Lianxing, tmp_path: Path) -> None:
    from conftest import write_table

    _specs(lx, tmp_path)
    header = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date",
              "order-status", "fulfillment-channel", "sales-channel", "sku", "asin",
              "item-status", "quantity", "currency", "item-price", "item-tax",
              "shipping-price", "shipping-tax", "item-promotion-discount"]  # fmt: skip
    path = write_table(tmp_path / "orders.txt", header, [{
        "amazon-order-id": "114-1111111-1111111", "purchase-date": "2026-03-02T10:00:00+00:00",
        "last-updated-date": "2026-03-02T11:00:00+00:00", "order-status": "Shipped",
        "fulfillment-channel": "Amazon", "sales-channel": "Amazon.com", "sku": "HONEST",
        "item-status": "Shipped", "quantity": "2", "currency": "USD", "item-price": "39.98",
    }])  # fmt: skip
    lx.import_file(path)
    report = lx.profit(by="sku")
    row = next(r for r in report.rows if r["sku"] == "HONEST")
    # 2 units at $19.99: referral 15% = $3.00 a unit (2.9985 rounded), FBA $3.49 a unit.
    assert row["platform_fees"] == Decimal("-6.00")
    assert row["fulfillment"] == Decimal("-6.98")
    schedule = lx.db.con.execute("SELECT DISTINCT schedule FROM fee_estimates").fetchall()
    assert any("amazon-fba-2026" in s[0] for s in schedule)


# ---- what-if -------------------------------------------------------------------------------
def test_parse_tariff() -> None:
    assert parse_tariff("+10") == (Decimal("0.10"), None)
    assert parse_tariff("25%") == (None, Decimal("0.25"))
    assert parse_tariff("-5%") == (Decimal("-0.05"), None)
    with pytest.raises(InputError):
        parse_tariff("ten")


def test_whatif_tariff_and_freight(lx: Lianxing, tmp_path: Path) -> None:
    """TOY's latest lot is AIR1: goods $6.00, freight $4.00, duty $1.20 a unit. +10
    points add $0.60 of duty; by sea, freight is re-costed at SEA1's rate: $150 over
    100 × (10 × 8 × 3 / 1728 = 0.13889 ft³) = $10.80 per ft³ → $1.50 a unit."""
    _two_lots(lx, tmp_path)
    lx.import_file(write_v2(tmp_path / "s.txt", _orders([(date(2026, 3, 2), 2)])))
    result = lx.whatif("TOY", Scenario(tariff_add=Decimal("0.10"), freight="sea"))
    lines = {r["line"]: r for r in result.rows()}
    assert lines["cost:goods"]["now"] == Decimal("6.0000")
    assert lines["cost:duty"]["change"] == Decimal("0.6000")
    assert lines["cost:freight"]["scenario"] == Decimal("1.5000")
    assert lines["price"]["now"] == Decimal("19.99")
    assert (
        lines["profit"]["change"] == lines["landed_cost"]["now"] - lines["landed_cost"]["scenario"]
    )
    store = lx.whatif(None, Scenario(tariff_add=Decimal("0.10")), origin="CN")
    assert store["rows"][0]["units"] == 2
    assert store["change"] == Decimal("-1.20")


# ---- the CLI contract -----------------------------------------------------------------------
def test_fees_estimate_json_contract(lx: Lianxing, tmp_path: Path) -> None:
    _specs(lx, tmp_path)
    root = str(lx.workspace.root)
    lx.close()
    out = run_cli(["-w", root, "fees", "estimate", "--sku", "TOY", "--price", "24.99",
                   "--date", "2026-03-01", "--format", "json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["size_tier"] == "large_standard"
    assert data["referral_fee"] == "3.75"  # 15% of 24.99 = 3.7485
    assert data["fulfillment_fee"] is not None
    assert all({"name", "amount", "source"} <= set(line) for line in data["lines"])
    bad = run_cli(["-w", root, "fees", "estimate", "--sku", "TOY", "--price", "24.99",
                   "--date", "2019-01-01"])  # fmt: skip
    assert bad.exit_code == 2 and "2019-01-01" in bad.stderr
    unknown = run_cli(["-w", root, "whatif", "--sku", "TOY", "--tariff", "lots"])
    assert unknown.exit_code == 2 and "--tariff" in unknown.stderr


def test_returns_of_a_lot_sku_are_valued_at_the_cost_in_force(lx: Lianxing, tmp_path: Path) -> None:
    """TOY's cost list says $5.00 from 2026-01-01; its first lot arrives 2026-02-09 at
    $7.5332. A sellable return on 2026-01-20 of a unit sold on 10 January puts $5.00
    back into COGS; one on 2026-03-10 of a unit sold on 2 March (FIFO: SEA1's $7.5332)
    puts that back — not AIR1's $11.2538, the latest lot by then."""
    from test_amazon_facts import RETURNS, a_return

    from conftest import write_table

    costs = tmp_path / "cogs.csv"
    costs.write_text("sku,effective_from,unit_cost,currency\nTOY,2026-01-01,5.00,USD\n")
    lx.import_costs(costs)
    _two_lots(lx, tmp_path)
    sales = [(date(2026, 1, 10), 2), (date(2026, 3, 2), 2)]
    lx.import_file(write_v2(tmp_path / "s.txt", _orders(sales)))
    returns = [a_return("2026-01-20T10:00:00+00:00", "111-0000000-0000000", "TOY", "1",
                        "SELLABLE"),
               a_return("2026-03-10T10:00:00+00:00", "111-0000000-0000001", "TOY", "1",
                        "SELLABLE"),
               # The January sale's second unit comes back after the lots: still $5.00.
               a_return("2026-03-12T10:00:00+00:00", "111-0000000-0000000", "TOY", "1",
                        "SELLABLE", lpn="LPN2")]  # fmt: skip
    store = lx.workspace.config.stores[0].id  # the store the settlement created
    lx.import_file(write_table(tmp_path / "returns.txt", RETURNS, returns), store_id=store)
    cogs = {r["day"]: r["cogs"] for r in lx.profit(by="day").rows}
    assert cogs["2026-01-10"] == Decimal("-10.00")  # before any lot: the list
    assert cogs["2026-01-20"] == Decimal("5.00")
    assert cogs["2026-03-02"] == Decimal("-15.07")  # FIFO: 2 × 7.5332
    assert cogs["2026-03-10"] == Decimal("7.53")
    assert cogs["2026-03-12"] == Decimal("5.00")


def test_units_lost_or_damaged_in_the_warehouse_are_owed(lx: Lianxing, tmp_path: Path) -> None:
    """The Inventory Ledger says TOY lost 16 units (5 found since: 11 unreconciled) and
    had 2 damaged at the fulfillment center; nothing was reimbursed. 13 units are owed,
    at TOY's cost list price of $5.00: $65.00."""
    from test_inventory_ledger import HEADER, event

    from conftest import write_table

    costs = tmp_path / "cogs.csv"
    costs.write_text("sku,effective_from,unit_cost,currency\nTOY,2026-01-01,5.00,USD\n")
    lx.import_costs(costs)
    # A settlement creates the Amazon store and moves the audit's "today" to March.
    lx.import_file(write_v2(tmp_path / "s.txt", _orders([(date(2026, 3, 20), 1)])))
    store = lx.workspace.config.stores[0].id
    events = [
        event("01/10/2026", "Adjustments", "-16", sku="TOY", reason="M", reference="R1",
              reconciled="5", unreconciled="11"),
        event("01/12/2026", "Adjustments", "-2", sku="TOY", reason="E", reference="R2"),
        event("01/12/2026", "Adjustments", "2", sku="TOY", reason="P", reference="R2",
              disposition="WAREHOUSE_DAMAGED"),
        # Lost after the window's cutoff (45 days before 2026-03-20): not claimed yet.
        event("03/01/2026", "Adjustments", "-4", sku="TOY", reason="M", reference="R3",
              unreconciled="4"),
    ]  # fmt: skip
    lx.import_file(write_table(tmp_path / "ledger.txt", HEADER, events), store_id=store)
    owed = [r for r in lx.audit_fees().reimbursements if r["kind"] == "warehouse_lost_damaged"]
    assert [(r["sku"], r["units"], r["amount"]) for r in owed] == [("TOY", 13, Decimal("65.00"))]
    assert owed[0]["evidence"].count("ledger.txt:") == 2
