"""Landed cost of inbound batches, and how sold units draw on them (FIFO, weighted average).

The two-batch example is worked by hand in `test_two_batches_worked_by_hand`; every other
test changes one thing about it or about the batch file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lianxing.errors import InputError
from lianxing.landed.batches import (
    LandedLine,
    allocate,
    fifo_costs,
    landed_costs,
    read_batches,
    weighted_average_costs,
)
from lianxing.landed.duties import DutyBook, load_duty_book
from lianxing.product_specs import ProductSpec

D = Decimal
SPECS = {
    # 8 × 6 × 2 in = 96 in³, 6 oz; dog leash, HTS 4201.00.30, made in China
    "LEASH-1": ProductSpec(
        "LEASH-1", length_in=D(8), width_in=D(6), height_in=D(2), weight_oz=D(6),
        hts_code="4201.00.3000", origin="CN",
    ),
    # 10 × 8 × 4 in = 320 in³, 16 oz; toy, HTS 9503.00.00 (no MFN duty, no Section 301)
    "TOY-1": ProductSpec(
        "TOY-1", length_in=D(10), width_in=D(8), height_in=D(4), weight_oz=D(16),
        hts_code="9503000073", origin="CN",
    ),
}  # fmt: skip
HEADER = (
    "batch_id,sku,units,unit_cost,cost_currency,paid_on,fx_per_usd,mode,entry_date,arrived_on,"
    "freight,freight_currency,freight_fx_per_usd,placement_fee,entry_id\n"
)
EXAMPLE = HEADER + (
    "A,LEASH-1,100,50,CNY,2025-09-25,7.20,sea,2025-10-20,2025-11-15,1200,USD,,30,\n"
    "A,TOY-1,20000,72,CNY,2025-09-25,7.20,,,,,,,,\n"
    "B,LEASH-1,50,52,RMB,2025-12-20,6.50,Air,2026-01-12,2026-01-20,1950,CNY,6.50,12,\n"
    "B,TOY-1,1000,26,CNY,2025-12-20,6.50,,,,,,,,\n"
)


def no_rates(currency: str, day: date) -> Decimal | None:
    return None


@pytest.fixture(scope="module")
def book() -> DutyBook:
    return load_duty_book()


def write(tmp_path: Path, text: str, name: str = "batches.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def landed(
    tmp_path: Path,
    book: DutyBook,
    text: str = EXAMPLE,
    *,
    extra_tariff: Decimal = D(0),
    freight_override: dict[str, Decimal] | None = None,
) -> list[LandedLine]:
    batches = read_batches(write(tmp_path, text))
    return landed_costs(
        batches, SPECS, book, no_rates, extra_tariff=extra_tariff, freight_override=freight_override
    )


def by_key(lines: list[LandedLine]) -> dict[tuple[str, str], LandedLine]:
    return {(x.batch_id, x.sku): x for x in lines}


def test_reads_the_batches(tmp_path: Path) -> None:
    a, b = read_batches(write(tmp_path, EXAMPLE))
    assert (a.batch_id, a.mode, a.entry_date, a.arrived_on, a.entry_id) == (
        "A", "sea", date(2025, 10, 20), date(2025, 11, 15), "A",
    )  # fmt: skip
    assert (a.freight, a.freight_currency, a.allocate_by, a.placement_fee) == (
        D(1200), "USD", "volume", D(30),
    )  # fmt: skip
    assert (b.mode, b.allocate_by, b.freight_currency, b.store) == ("air", "weight", "CNY", None)
    assert b.freight_fx is not None and round(b.freight * b.freight_fx, 4) == D(300)
    leash = b.lines[0]
    assert (leash.cost_currency, leash.units, leash.line, leash.hts_code) == ("CNY", 50, 4, None)
    assert a.file == str(tmp_path / "batches.csv")


def test_two_batches_worked_by_hand(tmp_path: Path, book: DutyBook) -> None:
    """Batch A by sea, batch B by air, each with a big toy line beside the leash we follow.

    Batch A (sea), entered 2025-10-20 (fentanyl 20 %, reciprocal 10 %, FY2026 fees):
      LEASH-1  100 × ¥50 at 7.20 CNY/USD   goods = 5,000 / 7.2     =     694.4444
      TOY-1 20,000 × ¥72 at 7.20            goods = 1,440,000 / 7.2 = 200,000.0000
      freight $1,200 by volume: leash 100 × 96 = 9,600 in³ of 9,600 + 20,000 × 320 =
        6,409,600 in³ -> 1,200 × 9,600 / 6,409,600 = 1.7973 (toy takes the rest, 1,198.2027)
      leash duty on 694.4444: MFN 2.4 % 16.6667 + s301 25 % 173.6111 + fentanyl 20 %
        138.8889 + reciprocal 10 % 69.4444 = 398.6111
      MPF: entry value 200,694.4444 × 0.3464 % = 695.21 > max -> 651.50 (maximum);
        leash share 651.50 × 694.4444 / 200,694.4444 = 2.2543
      HMF (sea): 200,694.4444 × 0.125 % = 250.8681; leash share 0.8681
      placement $30 by units: 30 × 100 / 20,100 = 0.1493
      leash total 694.4444 + 1.7973 + 398.6111 + 2.2543 + 0.8681 + 0.1493 = 1,098.1245
      -> 10.9812 per unit

    Batch B (air), entered 2026-01-12 (fentanyl 10 % from 2025-11-10, reciprocal 10 %):
      LEASH-1 50 × ¥52 at 6.50 -> goods 2,600 / 6.5 = 400.0000; TOY-1 1,000 × ¥26 -> 4,000
      freight ¥1,950 at 6.50 = $300 by weight: leash 50 × 6 = 300 oz of 300 + 16,000 oz
        -> 300 × 300 / 16,300 = 5.5215
      leash duty on 400: 9.60 + 100 + 40 + 40 = 189.6000
      MPF: 4,400 × 0.3464 % = 15.24 < min -> 33.58 (minimum); leash 33.58 × 400 / 4,400 = 3.0527
      no HMF (air); placement $12 × 50 / 1,050 = 0.5714
      leash total 400 + 5.5215 + 189.60 + 3.0527 + 0.5714 = 598.7456 -> 11.9749 per unit
    """
    lines = by_key(landed(tmp_path, book))
    a, b = lines["A", "LEASH-1"], lines["B", "LEASH-1"]
    parts = ("goods", "freight", "duty", "mpf", "hmf", "placement")
    assert [getattr(a, p) for p in parts] == [
        D("694.4444"), D("1.7973"), D("398.6111"), D("2.2543"), D("0.8681"), D("0.1493"),
    ]  # fmt: skip
    assert (a.total, a.unit_cost) == (D("1098.1245"), D("10.9812"))
    assert [getattr(b, p) for p in parts] == [
        D("400.0000"), D("5.5215"), D("189.6000"), D("3.0527"), D("0"), D("0.5714"),
    ]  # fmt: skip
    assert (b.total, b.unit_cost) == (D("598.7456"), D("11.9749"))
    assert [(d.program, d.rate) for d in b.duties] == [
        ("mfn", D("0.024")), ("section301", D("0.25")),
        ("ieepa_fentanyl", D("0.1")), ("ieepa_reciprocal", D("0.1")),
    ]  # fmt: skip
    assert [(f.program, f.amount, f.note) for f in a.fees] == [
        ("mpf", D("651.50"), "maximum applied"),
        ("hmf", D("250.8681"), "no minimum or maximum"),
    ]
    assert [(f.program, f.amount, f.note) for f in b.fees] == [
        ("mpf", D("33.58"), "minimum applied")
    ]
    # Every batch total is split exactly.
    toy_a, toy_b = lines["A", "TOY-1"], lines["B", "TOY-1"]
    assert a.freight + toy_a.freight == D(1200) and b.freight + toy_b.freight == D(300)
    assert a.mpf + toy_a.mpf == D("651.50") and b.mpf + toy_b.mpf == D("33.58")
    assert a.hmf + toy_a.hmf == D("250.8681") and toy_b.hmf == 0
    assert a.placement + toy_a.placement == D(30) and b.placement + toy_b.placement == D(12)
    assert toy_a.duty == D(60000) and toy_b.duty == D(800)  # 30 % and 20 % of the toys

    # Sales of 80, 40 and 20 leashes, costed from the two batches.
    lots = [(a.arrived_on, 100, a.unit_cost), (b.arrived_on, 50, b.unit_cost)]
    sales = [(date(2025, 12, 1), 80), (date(2026, 2, 1), 40), (date(2026, 2, 15), 20)]
    # FIFO: 80 × 10.9812; 20 × 10.9812 + 20 × 11.9749; 20 × 11.9749
    assert fifo_costs(sales, lots) == [
        (date(2025, 12, 1), 80, D("878.4960")),
        (date(2026, 2, 1), 40, D("459.1220")),
        (date(2026, 2, 15), 20, D("239.4980")),
    ]
    # Weighted average: on 2025-12-01 only A has arrived -> 10.9812; from 2026-01-20 both:
    # (100 × 10.9812 + 50 × 11.9749) / 150 = 1,696.8650 / 150 = 11.312433...
    assert weighted_average_costs(sales, lots) == [
        (date(2025, 12, 1), 80, D("878.4960")),
        (date(2026, 2, 1), 40, D("452.4973")),  # 40 × 11.312433 = 452.49733
        (date(2026, 2, 15), 20, D("226.2487")),  # 20 × 11.312433 = 226.24867
    ]


def test_fifo_beyond_every_lot_uses_the_last_cost() -> None:
    lots = [(date(2026, 1, 1), 10, D("2.00")), (date(2025, 12, 1), 5, D("1.00"))]
    # Lots are taken in arrival order (the December lot first), whatever order given.
    assert fifo_costs([(date(2026, 1, 5), 12), (date(2026, 1, 6), 8)], lots) == [
        (date(2026, 1, 5), 12, D("19.0000")),  # 5 × 1 + 7 × 2
        (date(2026, 1, 6), 8, D("16.0000")),  # 3 × 2 + 5 beyond every lot × 2 (last lot)
    ]


def test_weighted_average_before_any_lot_arrived() -> None:
    lots = [(date(2026, 1, 10), 10, D("2.00")), (date(2026, 2, 1), 30, D("3.00"))]
    sales = [(date(2026, 1, 1), 4), (date(2026, 1, 20), 4), (date(2026, 2, 1), 4)]
    assert weighted_average_costs(sales, lots) == [
        (date(2026, 1, 1), 4, D("8.0000")),  # none arrived: first lot's cost
        (date(2026, 1, 20), 4, D("8.0000")),
        (date(2026, 2, 1), 4, D("11.0000")),  # (20 + 90) / 40 = 2.75
    ]


def test_reference_costing_refuses_bad_input() -> None:
    lot = [(date(2026, 1, 1), 1, D(1))]
    with pytest.raises(ValueError):
        fifo_costs([(date(2026, 1, 2), 1), (date(2026, 1, 1), 1)], lot)
    with pytest.raises(ValueError):
        weighted_average_costs([(date(2026, 1, 1), 1)], [])


def test_allocation_adds_up_exactly() -> None:
    assert allocate(D(100), [D(1), D(1), D(1)]) == [D("33.3334"), D("33.3333"), D("33.3333")]
    assert allocate(D(10), [D(1), D(2)]) == [D("3.3333"), D("6.6667")]
    assert allocate(D(0), [D(0), D(0)]) == [D(0), D(0)]
    weights = [D(w) for w in (7, 13, 1, 1, 29, 3, 3)]
    for total in (D("0.0001"), D("0.0003"), D("1.0000"), D("651.50"), D("99999.9999")):
        shares = allocate(total, weights)
        assert sum(shares) == total and all(s >= 0 for s in shares), total
    tiny = allocate(D("0.0003"), [D(1)] * 6)  # half-up would overshoot: round down instead
    assert sum(tiny) == D("0.0003") and min(tiny) >= 0


def test_entry_on_2026_02_24_pays_section_122_not_ieepa(tmp_path: Path, book: DutyBook) -> None:
    text = HEADER + "C,LEASH-1,10,100,USD,2026-02-01,,air,2026-02-24,2026-02-26,,,,,\n"
    (line,) = landed(tmp_path, book, text)
    assert [(d.program, d.amount) for d in line.duties] == [
        ("mfn", D("24.0000")), ("section301", D("250.0000")), ("section122", D("100.0000")),
    ]  # fmt: skip
    assert line.mpf == D("2.69")  # $1,000: an informal entry
    assert (line.freight, line.hmf, line.placement) == (0, 0, 0)


def test_extra_tariff_scenario(tmp_path: Path, book: DutyBook) -> None:
    base = by_key(landed(tmp_path, book))
    what_if = by_key(landed(tmp_path, book, extra_tariff=D("0.10")))
    a, b = base["A", "LEASH-1"], what_if["A", "LEASH-1"]
    assert b.duty - a.duty == D("69.4444")  # 10 points of 694.4444
    assert b.duties[-1].program == "scenario" and not b.duties[-1].confirmed


def test_freight_override(tmp_path: Path, book: DutyBook) -> None:
    lines = by_key(landed(tmp_path, book, freight_override={"A": D("6409.60")}))
    assert lines["A", "LEASH-1"].freight == D("9.6000")  # 6,409.60 × 9,600 / 6,409,600
    assert lines["B", "LEASH-1"].freight == D("5.5215")  # B keeps its own


def test_duty_rate_override_and_mfn_rate(tmp_path: Path, book: DutyBook) -> None:
    text = (
        "batch_id,sku,units,unit_cost,cost_currency,paid_on,fx_rate,mode,entry_date,arrived_on,"
        "hts_code,origin,mfn_rate,duty_rate\n"
        "D,LEASH-1,10,100,USD,2026-01-01,,sea,2026-01-05,2026-02-01,,,,31%\n"
        "D,TOY-1,10,100,CNY,2026-01-01,0.14,,,,9503.00.0073,VN,0.02,\n"
    )
    leash, toy = landed(tmp_path, book, text, extra_tariff=D("0.01"))
    assert [(d.program, d.rate, d.amount) for d in leash.duties] == [
        ("override", D("0.31"), D("310.0000")), ("scenario", D("0.01"), D("10.0000")),
    ]  # fmt: skip
    # VN origin from the file wins over the spec's CN: MFN as given, reciprocal baseline 10 %.
    assert toy.goods == D("140.0000") and toy.origin == "VN"
    assert [(d.program, d.amount) for d in toy.duties] == [
        ("mfn", D("2.8000")), ("ieepa_reciprocal", D("14.0000")), ("scenario", D("1.4000")),
    ]  # fmt: skip


def test_rate_lookup_supplies_missing_rates(tmp_path: Path, book: DutyBook) -> None:
    text = HEADER + "E,LEASH-1,10,50,CNY,2026-01-02,,air,2026-01-05,2026-01-09,100,CNY,,,\n"
    asked: list[tuple[str, date]] = []

    def lookup(currency: str, day: date) -> Decimal | None:
        asked.append((currency, day))
        return D("0.14")

    (line,) = landed_costs(read_batches(write(tmp_path, text)), SPECS, book, lookup)
    assert (line.goods, line.freight) == (D("70.0000"), D("14.0000"))
    assert asked == [("CNY", date(2026, 1, 5)), ("CNY", date(2026, 1, 2))]  # freight, goods


def test_missing_rate_spec_origin_and_hts_name_the_line(tmp_path: Path, book: DutyBook) -> None:
    specs = {
        "LEASH-1": SPECS["LEASH-1"],
        "BARE": ProductSpec("BARE"),  # no dimensions, HTS code or origin
    }
    text = HEADER + (
        "F,LEASH-1,10,50,CNY,2026-01-02,,sea,2026-01-05,2026-01-09,100,USD,,,\n"
        "F,BARE,10,50,USD,2026-01-02,,,,,,,,,\n"
        "F,GHOST,10,50,USD,2026-01-02,,,,,,,,,\n"
    )
    with pytest.raises(InputError) as caught:
        landed_costs(read_batches(write(tmp_path, text)), specs, book, no_rates)
    found = {(p.key, p.line, p.column) for p in caught.value.problems}
    assert found == {
        ("landed.no_rate", 2, "fx_rate"),
        ("landed.no_origin", 3, "origin"),
        ("landed.no_hts", 3, "hts_code"),
        ("landed.no_volume", 3, "sku"),
        ("landed.no_spec", 4, "sku"),
    }
    assert all(p.file == str(tmp_path / "batches.csv") for p in caught.value.problems)


def test_duty_book_errors_name_the_line(tmp_path: Path, book: DutyBook) -> None:
    specs = {
        **SPECS,
        "PHONE": ProductSpec("PHONE", weight_oz=D(5), hts_code="8517620090", origin="CN"),
    }
    text = HEADER + (
        "G,PHONE,10,50,USD,2024-09-01,,air,2024-09-20,2024-09-22,,,,,\n"
        "H,PHONE,10,50,USD,2025-12-01,,air,2025-12-20,2025-12-22,,,,,\n"
    )
    with pytest.raises(InputError) as caught:
        landed_costs(read_batches(write(tmp_path, text)), specs, book, no_rates)
    found = {(p.key, p.line, p.column) for p in caught.value.problems}
    assert found == {("duties.before_tables", 2, "entry_date"), ("duties.no_mfn", 3, "hts_code")}


def test_bad_values_name_line_and_column(tmp_path: Path) -> None:
    text = HEADER + (
        "A,LEASH-1,0,50,CNY,2025-09-25,7.20,boat,2025-10-20,2025-11-15,-5,USD,,30,\n"
        "A,TOY-1,2.5,abc,CNYY,2025-13-01,,,,,,,,,\n"
        "B,LEASH-1,5,1,USD,2025-01-01,,sea,2025-02-01,2025-01-15,,,,,\n"
        "B,LEASH-1,5,1,USD,2025-01-01,,,,,,,,,\n"
        ",TOY-1,5,1,USD,2025-01-01,,,,,,,,,\n"
    )
    with pytest.raises(InputError) as caught:
        read_batches(write(tmp_path, text))
    found = {(p.key, p.line, p.column) for p in caught.value.problems}
    assert found == {
        ("landed.bad_units", 2, "units"),
        ("landed.bad_mode", 2, "mode"),
        ("value.range", 2, "freight"),
        ("landed.bad_units", 3, "units"),
        ("value.amount", 3, "unit_cost"),
        ("value.currency", 3, "cost_currency"),
        ("value.date", 3, "paid_on"),
        ("landed.arrived_before_entry", 4, "arrived_on"),
        ("csv.duplicate_key", 5, "sku"),
        ("value.required", 6, "batch_id"),
        ("landed.batch_missing", 2, "mode"),
    }


def test_batch_level_disagreement_names_both_lines(tmp_path: Path) -> None:
    text = HEADER + (
        "A,LEASH-1,100,50,CNY,2025-09-25,7.20,sea,2025-10-20,2025-11-15,1200,USD,,30,\n"
        "A,TOY-1,20000,72,CNY,2025-09-25,7.20,air,2025-10-20,,1200.00,,,,\n"
    )
    with pytest.raises(InputError) as caught:
        read_batches(write(tmp_path, text))
    (problem,) = caught.value.problems  # 1200 and 1200.00 agree
    assert (problem.key, problem.line, problem.column) == ("landed.batch_disagrees", 3, "mode")
    assert problem.params == {"batch": "A", "value": "air", "first": "2", "first_value": "sea"}


def test_missing_batch_level_value_and_columns(tmp_path: Path) -> None:
    text = HEADER + "A,LEASH-1,100,50,CNY,2025-09-25,7.20,sea,,2025-11-15,,,,,\n"
    with pytest.raises(InputError) as caught:
        read_batches(write(tmp_path, text))
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == ("landed.batch_missing", 2, "entry_date")
    with pytest.raises(InputError) as caught:
        read_batches(write(tmp_path, "batch_id,sku,units\nA,X,1\n"))
    assert caught.value.key == "csv.columns_missing"


def test_rates_need_a_percent_sign_above_one(tmp_path: Path) -> None:
    text = (
        "batch_id,sku,units,unit_cost,cost_currency,paid_on,mode,entry_date,arrived_on,"
        "mfn_rate,duty_rate,fx_rate,fx_per_usd,hts_code,origin\n"
        "A,X,1,1,USD,2025-01-01,sea,2025-01-02,2025-01-03,7.5,-1%,0.14,7.2,95x03,china\n"
    )
    with pytest.raises(InputError) as caught:
        read_batches(write(tmp_path, text))
    found = {(p.key, p.column) for p in caught.value.problems}
    assert found == {
        ("landed.rate_needs_percent", "mfn_rate"),
        ("landed.bad_rate", "duty_rate"),
        ("landed.two_rates", "fx_per_usd"),
        ("landed.bad_hts", "hts_code"),
        ("landed.bad_origin", "origin"),
    }


def test_batches_sharing_an_entry_must_agree(tmp_path: Path, book: DutyBook) -> None:
    text = HEADER + (
        "A,LEASH-1,10,50,USD,2025-12-01,,sea,2025-12-20,2025-12-22,,,,,E1\n"
        "B,LEASH-1,10,50,USD,2025-12-01,,air,2025-12-20,2025-12-22,,,,,E1\n"
    )
    with pytest.raises(InputError) as caught:
        landed(tmp_path, book, text)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.column) == ("landed.entry_mismatch", 3, "entry_id")
    assert problem.params == {"entry": "E1", "batch": "A", "first": 2}


def test_one_entry_one_mpf_across_batches(tmp_path: Path, book: DutyBook) -> None:
    text = HEADER + (
        "A,LEASH-1,100,30,USD,2025-12-01,,sea,2025-12-20,2025-12-22,,,,,E1\n"
        "B,TOY-1,100,20,USD,2025-12-01,,sea,2025-12-20,2025-12-29,,,,,E1\n"
    )
    a, b = landed(tmp_path, book, text)
    # One entry of $5,000: the minimum $33.58 once, split 3,000 : 2,000.
    assert (a.mpf, b.mpf) == (D("20.1480"), D("13.4320"))
    # HMF per batch: 0.125 % of each.
    assert (a.hmf, b.hmf) == (D("3.7500"), D("2.5000"))
    assert a.entry_id == b.entry_id == "E1"
