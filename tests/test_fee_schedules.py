"""The fee schedule data and its loader.

Every row of every built-in table is checked against figures written out here from the
sources (docs/fees.md lists them): a wrong edit of a YAML figure fails a test, and so
does a row added without a test. The loader tests cover workspace overrides, bad files
naming their line, gaps between tables and the cache digest.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lianxing.errors import InputError
from lianxing.fees.estimate import fba_fulfillment_fee
from lianxing.fees.schedules import (
    AgedTable,
    FeeBook,
    FulfillmentTable,
    LowInventoryTable,
    PaymentTable,
    PlacementTable,
    ReferralTable,
    SizeTierTable,
    StorageTable,
    load_book,
)
from lianxing.fees.size_tier import SizeTier

D = Decimal
BOOK = load_book()


def problem(exc: pytest.ExceptionInfo[InputError]) -> tuple[str, str | None, int | None]:
    first = exc.value.problems[0]
    return first.key, first.file, first.line


def tier(name: str, oz: str) -> SizeTier:
    w = D(oz)
    return SizeTier(name, D(1), D(1), D(1), D(5), w, w, w, "test")


# ---- FBA fulfillment: every row ------------------------------------------------------------

SS_OZ = [2, 4, 6, 8, 10, 12, 14, 16]
LS_OZ = [4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 320]
# Lianxing fee reference (confirmed): 2025 small standard, $10–50, Seller Central help.
SS_2025 = ["3.06", "3.15", "3.24", "3.33", "3.43", "3.53", "3.60", "3.65"]
# Third-party 2025 rate cards (unconfirmed); the last is the 3–20 lb base ($6.92 + $0.08/4 oz).
LS_2025 = [
    "3.68", "3.90", "4.15", "4.55", "4.99", "5.37", "5.52", "5.77", "5.87", "6.05", "6.21",
    "6.62", "6.92",
]  # fmt: skip
SS_2025_LOW = ["2.29", "2.38", "2.47", "2.56", "2.66", "2.76", "2.83", "2.88"]
LS_2025_LOW = [
    "2.91", "3.13", "3.38", "3.78", "4.22", "4.60", "4.75", "5.00", "5.10", "5.28", "5.44",
    "5.85", "6.15",
]  # fmt: skip
# 2026 = 2025 + deltas (sellersasksellers.com thread 6593, benoscales.com; unconfirmed).
SS_2026_MID = ["3.31", "3.40", "3.49", "3.58", "3.68", "3.78", "3.85", "3.90"]
LS_2026_MID = [
    "3.73", "3.95", "4.20", "4.60", "5.04", "5.42", "5.57", "5.82", "5.92", "6.10", "6.26",
    "6.67", "6.97",
]  # fmt: skip
SS_2026_HIGH = ["3.57", "3.66", "3.75", "3.84", "3.94", "4.04", "4.11", "4.16"]
LS_2026_HIGH = [
    "3.99", "4.21", "4.46", "4.86", "5.30", "5.68", "5.83", "6.08", "6.18", "6.36", "6.52",
    "6.93", "7.23",
]  # fmt: skip
SS_2026_LOW = ["2.45", "2.54", "2.63", "2.72", "2.82", "2.92", "2.99", "3.04"]
LS_2026_LOW = [
    "2.87", "3.09", "3.34", "3.74", "4.18", "4.56", "4.71", "4.96", "5.06", "5.24", "5.40",
    "5.81", "6.11",
]  # fmt: skip
# Large bulky / extra-large (third-party 2025 rate cards, unconfirmed), all price bands:
# (tier, up_to_oz, base fee, above_oz, step_fee per 16 oz)
BULKY = [
    ("large_bulky", "800", "9.61", "16", "0.38"),
    ("extra_large_0_50", "800", "26.33", "16", "0.38"),
    ("extra_large_50_70", "1120", "40.12", "816", "0.75"),
    ("extra_large_70_150", "2400", "54.81", "1136", "0.75"),
    ("extra_large_150_plus", None, "194.95", "2416", "0.19"),
]


def _standard(band: str, ss: list[str], ls: list[str]) -> dict[tuple[str, str, str], str]:
    rows = {("small_standard", band, str(oz)): fee for oz, fee in zip(SS_OZ, ss, strict=True)}
    rows |= {("large_standard", band, str(oz)): fee for oz, fee in zip(LS_OZ, ls, strict=True)}
    return rows


EXPECTED_FBA: dict[str, dict[tuple[str, str, str], str]] = {
    "amazon-fba-2024": _standard("under_10", SS_2025_LOW, LS_2025_LOW)
    | _standard("10_plus", SS_2025, LS_2025),
    "amazon-fba-2025": _standard("under_10", SS_2025_LOW, LS_2025_LOW)
    | _standard("10_to_50", SS_2025, LS_2025)
    | _standard("over_50", SS_2025, LS_2025),
    "amazon-fba-2026": _standard("under_10", SS_2026_LOW, LS_2026_LOW)
    | _standard("10_to_50", SS_2026_MID, LS_2026_MID)
    | _standard("over_50", SS_2026_HIGH, LS_2026_HIGH),
}
FBA_DAYS = {
    "amazon-fba-2024": date(2024, 6, 1),
    "amazon-fba-2025": date(2025, 6, 1),
    "amazon-fba-2026": date(2026, 6, 1),
}
BAND_PRICES = {"under_10": D("9.99"), "10_plus": D("20"), "10_to_50": D("20"), "over_50": D("60")}


def fba_table(table_id: str) -> FulfillmentTable:
    _, table = BOOK.table("amazon_fba_fulfillment", FBA_DAYS[table_id], FulfillmentTable)
    return table


@pytest.mark.parametrize("table_id", sorted(EXPECTED_FBA))
def test_fba_standard_rows_match_the_sources(table_id: str) -> None:
    """Every standard-size row equals the figure written out above (2025 small standard
    $10–50: Lianxing fee reference / Seller Central; others: third-party rate cards and
    the 2026 deltas of sellersasksellers.com thread 6593)."""
    table = fba_table(table_id)
    found = {
        (r.tier, band, str(r.up_to_oz)): str(r.fee)
        for r in table.rows
        if r.tier in ("small_standard", "large_standard")
        for band in (r.bands or ())
    }
    assert found == EXPECTED_FBA[table_id]


@pytest.mark.parametrize("table_id", sorted(EXPECTED_FBA))
def test_fba_rows_priced_through_the_estimator(table_id: str) -> None:
    """Each row, looked up at exactly its weight limit and a price in its band, gives its
    own fee (the 3–20 lb row at 3 lb 4 oz gives base + one $0.08 step)."""
    for (name, band, oz), fee in EXPECTED_FBA[table_id].items():
        weight = "52" if oz == "320" else oz
        expected = D(fee) + (D("0.08") if oz == "320" else 0)
        line = fba_fulfillment_fee(BOOK, tier(name, weight), BAND_PRICES[band], FBA_DAYS[table_id])
        assert line.amount == expected, (table_id, name, band, oz)


@pytest.mark.parametrize("table_id", sorted(EXPECTED_FBA))
@pytest.mark.parametrize(("name", "up_to", "base", "above", "step"), BULKY)
def test_fba_bulky_and_extra_large_rows(
    table_id: str, name: str, up_to: str | None, base: str, above: str, step: str
) -> None:
    """Large bulky $9.61 + $0.38/lb above the first lb; extra-large $26.33 / $40.12 /
    $54.81 / $194.95 (third-party 2025 rate cards, unconfirmed), in every price band."""
    table = fba_table(table_id)
    rows = [r for r in table.rows if r.tier == name]
    assert len(rows) == 1 and rows[0].bands is None
    row = rows[0]
    assert (row.up_to_oz, row.fee, row.above_oz, row.step_oz, row.step_fee) == (
        None if up_to is None else D(up_to),
        D(base),
        D(above),
        D(16),
        D(step),
    )
    assert not row.origin.confirmed
    # at the base weight: the base fee; 2.5 lb later: three steps (a part step counts)
    for price in BAND_PRICES.values():
        day = FBA_DAYS[table_id]
        assert fba_fulfillment_fee(BOOK, tier(name, above), price, day).amount == D(base)
        later = str(D(above) + 40)
        assert fba_fulfillment_fee(BOOK, tier(name, later), price, day).amount == D(base) + 3 * D(
            step
        )


def test_every_fba_row_is_covered_above() -> None:
    for table_id in EXPECTED_FBA:
        rows = fba_table(table_id).rows
        standard = [r for r in rows if r.tier in ("small_standard", "large_standard")]
        assert len(standard) == len(EXPECTED_FBA[table_id])  # one band per row
        assert len(rows) == len(standard) + len(BULKY)


def test_2026_rows_are_2025_plus_the_announced_deltas() -> None:
    """2026: $10–50 small standard +$0.25, large standard +$0.05; over $50 +$0.51 /
    +$0.31; under $10 = $10–50 less $0.86 (sellersasksellers.com thread 6593)."""
    old, new = EXPECTED_FBA["amazon-fba-2025"], EXPECTED_FBA["amazon-fba-2026"]
    deltas = {
        ("small_standard", "10_to_50"): D("0.25"),
        ("large_standard", "10_to_50"): D("0.05"),
        ("small_standard", "over_50"): D("0.51"),
        ("large_standard", "over_50"): D("0.31"),
    }
    for (name, band, oz), fee in new.items():
        if band == "under_10":
            assert D(fee) == D(new[(name, "10_to_50", oz)]) - D("0.86")
        else:
            assert D(fee) == D(old[(name, band, oz)]) + deltas[(name, band)]


def test_only_the_reference_rows_are_confirmed() -> None:
    """Confirmed: the 2025 small standard $10–50 rows (Lianxing fee reference); all other
    FBA rows are unconfirmed."""
    for table_id in EXPECTED_FBA:
        confirmed = {
            (r.tier, r.bands, r.up_to_oz) for r in fba_table(table_id).rows if r.origin.confirmed
        }
        if table_id == "amazon-fba-2025":
            assert confirmed == {("small_standard", ("10_to_50",), D(oz)) for oz in SS_OZ}
        else:
            assert confirmed == set()


def test_fba_price_bands() -> None:
    """Low-Price FBA is under $10; 2025/2026 split $10–50 (inclusive) and over $50."""
    t = fba_table("amazon-fba-2026")
    assert [t.band(D(p)).id for p in ("9.99", "10", "50", "50.01")] == [
        "under_10",
        "10_to_50",
        "10_to_50",
        "over_50",
    ]
    t = fba_table("amazon-fba-2024")
    assert [t.band(D(p)).id for p in ("9.99", "10", "500")] == ["under_10", "10_plus", "10_plus"]


def test_fba_periods() -> None:
    """2024 from 2024-02-05, 2025 from 2025-01-15, 2026 from 2026-01-15 (Amazon's
    announced change dates)."""
    assert BOOK.periods("amazon_fba_fulfillment") == [
        "2024-02-05 – 2025-01-14",
        "2025-01-15 – 2026-01-14",
        "2026-01-15 – …",
    ]


# ---- referral ----------------------------------------------------------------------------

# Seller Central help 200336920 (Lianxing fee reference): (name, rule, bands)
AMAZON_REFERRAL = {
    "Amazon Device Accessories": ("percent", [(None, "45")]),
    "Automotive & Powersports": ("percent", [(None, "12")]),
    "Baby": ("by_price", [("10", "8"), (None, "15")]),
    "Beauty, Health & Personal Care": ("by_price", [("10", "8"), (None, "15")]),
    "Backpacks, Handbags & Luggage": ("percent", [(None, "15")]),
    "Business, Industrial & Scientific": ("percent", [(None, "12")]),
    "Compact Appliances": ("marginal", [("300", "15"), (None, "8")]),
    "Computers": ("percent", [(None, "8")]),
    "Consumer Electronics": ("percent", [(None, "8")]),
    "Electronics Accessories": ("marginal", [("100", "15"), (None, "8")]),
    "Clothing & Accessories": ("by_price", [("15", "5"), ("20", "10"), (None, "17")]),
    "Home & Kitchen": ("percent", [(None, "15")]),
    "Pet Supplies": ("percent", [(None, "15")]),
    "Sports & Outdoors": ("percent", [(None, "15")]),
    "Toys & Games": ("percent", [(None, "15")]),
    "Office Products": ("percent", [(None, "15")]),
    "Tools & Home Improvement": ("percent", [(None, "15")]),
    "Patio, Lawn & Garden": ("percent", [(None, "15")]),
}
AMAZON_UNCONFIRMED = {
    "Clothing & Accessories",
    "Office Products",
    "Tools & Home Improvement",
    "Patio, Lawn & Garden",
}
# Walmart Marketplace Learn, referral fees (updated 2025-03-25)
WALMART_REFERRAL = {
    "Apparel & Accessories": ("by_price", [("15", "5"), ("20", "10"), (None, "15")]),
    "Automotive & Powersports": ("percent", [(None, "12")]),
    "Automotive Electronics": ("percent", [(None, "8")]),
    "Baby": ("by_price", [("10", "8"), (None, "15")]),
    "Beauty": ("by_price", [("10", "8"), (None, "15")]),
    "Books": ("percent", [(None, "15")]),
    "Consumer Electronics": ("percent", [(None, "8")]),
    "Electronics Accessories": ("marginal", [("100", "15"), (None, "8")]),
    "Major Appliances": ("percent", [(None, "8")]),
    "Jewelry": ("marginal", [("250", "20"), (None, "5")]),
    "Personal Computers": ("percent", [(None, "6")]),
    "Everything Else": ("percent", [(None, "15")]),
}


def _referral(kind: str) -> ReferralTable:
    return BOOK.table(kind, date(2025, 6, 1), ReferralTable)[1]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("amazon_referral", AMAZON_REFERRAL), ("walmart_referral", WALMART_REFERRAL)],
)
def test_referral_rows_match_the_sources(
    kind: str, expected: dict[str, tuple[str, list[tuple[str | None, str]]]]
) -> None:
    """Amazon: Seller Central help 200336920; Walmart: Marketplace Learn (2025-03-25)."""
    table = _referral(kind)
    found = {
        c.name: (
            c.rule,
            [(None if b.up_to is None else str(b.up_to), str(b.percent)) for b in c.bands],
        )
        for c in table.categories
    }
    assert found == expected


def test_referral_minimum_and_confirmation() -> None:
    """Amazon: the higher of the percentage and $0.30 per item (help 200336920); Walmart:
    no minimum, "everything else" is the only catch-all."""
    amazon, walmart = _referral("amazon_referral"), _referral("walmart_referral")
    assert amazon.minimum_fee == D("0.30") and walmart.minimum_fee is None
    assert {c.name for c in amazon.categories if not c.origin.confirmed} == AMAZON_UNCONFIRMED
    assert all(c.origin.confirmed for c in walmart.categories)
    assert amazon.catch_all is None
    assert walmart.catch_all is not None and walmart.catch_all.name == "Everything Else"


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("home and kitchen", "Home & Kitchen"),
        ("KITCHEN", "Home & Kitchen"),
        ("Pet", "Pet Supplies"),
        ("toys", "Toys & Games"),
        ("Sports", "Sports & Outdoors"),
        ("fitness", "Sports & Outdoors"),
        ("Baby Products", "Baby"),
        ("  Toys   &  Games ", "Toys & Games"),
    ],
)
def test_referral_aliases_match_case_insensitively(alias: str, name: str) -> None:
    found = _referral("amazon_referral").find(alias)
    assert found is not None and found.name == name


# ---- size tiers, storage, aged, low inventory, placement, payments -------------------------


def test_size_tier_rows() -> None:
    """Seller Central help 201105770 (small/large standard, confirmed); large bulky and
    extra-large from Amazon's 2024 table as copied by huzaifa.org (unconfirmed); divisor
    139 and the 2-inch minimum: help YPD4P7FKY65RNBJ."""
    schedule, table = BOOK.table("amazon_size_tiers", date(2024, 2, 5), SizeTierTable)
    assert schedule.effective_from == date(2024, 2, 5)
    assert table.dim_divisor == 139
    found = [
        (
            t.name,
            t.max_shipping_weight_oz,
            t.max_longest_in,
            t.max_median_in,
            t.max_shortest_in,
            t.max_length_girth_in,
            t.weight,
            t.dim_min_side_in,
            t.origin.confirmed,
        )
        for t in table.tiers
    ]
    n = None
    assert found == [
        ("small_standard", 16, 15, 12, D("0.75"), n, "unit", n, True),
        ("large_standard", 320, 18, 14, 8, n, "greater", n, True),
        ("large_bulky", 800, 59, 33, 33, 130, "greater", 2, False),
        ("extra_large_0_50", 800, n, n, n, n, "greater", 2, False),
        ("extra_large_50_70", 1120, n, n, n, n, "greater", 2, False),
        ("extra_large_70_150", 2400, n, n, n, n, "greater", 2, False),
        ("extra_large_150_plus", n, n, n, n, n, "unit", n, False),
    ]


def test_monthly_storage_rows() -> None:
    """Help GJ9NNG7RK4TU6E3Z, since 2024-04-01: standard $0.78 Jan–Sep / $2.40 Oct–Dec;
    large bulky and extra-large $0.56 / $1.40 per cubic foot."""
    schedule, table = BOOK.table("amazon_monthly_storage", date(2024, 4, 1), StorageTable)
    assert schedule.effective_from == date(2024, 4, 1) and schedule.origin.confirmed
    found = {(r.tiers[0], r.months[0], r.months[-1]): str(r.per_cubic_foot) for r in table.rates}
    assert found == {
        ("small_standard", 1, 9): "0.78",
        ("small_standard", 10, 12): "2.40",
        ("large_bulky", 1, 9): "0.56",
        ("large_bulky", 10, 12): "1.40",
    }
    assert [len(r.tiers) for r in table.rates] == [2, 2, 5, 5]


def test_aged_surcharge_rows() -> None:
    """Lianxing fee reference (unconfirmed): 181–210 $0.50 … 365+ $6.90/ft³ or $0.15/unit."""
    schedule, table = BOOK.table("amazon_aged_surcharge", date(2025, 1, 1), AgedTable)
    assert not schedule.origin.confirmed
    found = [(b.from_days, b.to_days, str(b.per_cubic_foot), b.per_unit) for b in table.bands]
    assert found == [
        (181, 210, "0.50", None),
        (211, 240, "1.00", None),
        (241, 270, "1.50", None),
        (271, 300, "5.45", None),
        (301, 330, "5.70", None),
        (331, 365, "5.90", None),
        (366, None, "6.90", D("0.15")),
    ]


def test_low_inventory_rows() -> None:
    """Help GV43F6S76Y9DHYRH: small standard $0.89/$0.63/$0.32; large standard ≤3 lb
    $0.97/$0.70/$0.36; 3–20 lb $1.11/$0.87/$0.47 for <14 / 14–21 / 21–28 days."""
    _, table = BOOK.table("amazon_low_inventory", date(2025, 1, 1), LowInventoryTable)
    found = [
        (r.tier, r.up_to_oz, [(str(b.below_days), str(b.fee)) for b in r.bands]) for r in table.rows
    ]
    assert found == [
        ("small_standard", None, [("14", "0.89"), ("21", "0.63"), ("28", "0.32")]),
        ("large_standard", D(48), [("14", "0.97"), ("21", "0.70"), ("28", "0.36")]),
        ("large_standard", D(320), [("14", "1.11"), ("21", "0.87"), ("28", "0.47")]),
    ]


def test_placement_rows() -> None:
    """Help GC3Q44PBK8BXQW3Z, minimal split: small standard $0.16–0.30; large standard
    ≤12 oz $0.18–0.34, ≤1.5 lb $0.22–0.41, ≤3 lb $0.27–0.49, ≤20 lb $0.37–0.68."""
    _, table = BOOK.table("amazon_inbound_placement", date(2025, 1, 1), PlacementTable)
    found = [(r.tier, r.up_to_oz, str(r.min), str(r.max)) for r in table.rows]
    assert found == [
        ("small_standard", None, "0.16", "0.30"),
        ("large_standard", D(12), "0.18", "0.34"),
        ("large_standard", D(24), "0.22", "0.41"),
        ("large_standard", D(48), "0.27", "0.49"),
        ("large_standard", D(320), "0.37", "0.68"),
    ]


def test_shopify_payment_rows() -> None:
    """Third-party pages (unconfirmed): Basic 2.9% + $0.30 … Advanced 2.5% + $0.30."""
    schedule, table = BOOK.table("shopify_payments", date(2025, 1, 1), PaymentTable)
    assert not schedule.origin.confirmed
    found = [(p.plan, str(p.percent), str(p.fixed)) for p in table.plans]
    assert found == [
        ("basic", "2.9", "0.30"),
        ("shopify", "2.7", "0.30"),
        ("advanced", "2.5", "0.30"),
    ]


def test_every_table_has_a_source_and_a_confirmed_flag() -> None:
    for schedule in BOOK.schedules:
        assert schedule.origin.source.strip()
        assert schedule.currency == "USD"


# ---- the loader -------------------------------------------------------------------------


def write(root: Path, name: str, text: str) -> Path:
    (root / "fees").mkdir(exist_ok=True)
    path = root / "fees" / name
    path.write_text(text, "utf-8")
    return path


OVERRIDE = """\
schedules:
  - id: amazon-referral
    kind: amazon_referral
    effective_from: 2024-01-01
    confirmed: true
    source: my negotiated rates
    minimum_fee: 0.50
    categories:
      - {name: Home & Kitchen, aliases: [Kitchen], percent: 10}
"""


def test_workspace_table_replaces_the_built_in_one(tmp_path: Path) -> None:
    write(tmp_path, "mine.yaml", OVERRIDE)
    book = load_book(tmp_path)
    schedule, table = book.table("amazon_referral", date(2025, 1, 1), ReferralTable)
    assert schedule.origin.source == "my negotiated rates"
    assert schedule.origin.file.endswith("mine.yaml")
    assert table.names == ["Home & Kitchen"] and table.minimum_fee == D("0.50")
    assert book.digest != BOOK.digest
    assert len(book.schedules) == len(BOOK.schedules)


def test_workspace_table_with_a_new_date_is_added(tmp_path: Path) -> None:
    write(tmp_path, "mine.yaml", OVERRIDE.replace("2024-01-01", "2027-01-01"))
    book = load_book(tmp_path)
    assert (
        book.covering("amazon_referral", date(2026, 12, 31)).origin.source != "my negotiated rates"
    )
    assert book.covering("amazon_referral", date(2027, 1, 1)).origin.source == "my negotiated rates"


def test_digest_is_stable() -> None:
    assert load_book().digest == BOOK.digest
    assert load_book(Path("/nonexistent")).digest == BOOK.digest


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        (OVERRIDE.replace("percent: 10", "percent: ten"), "fees.bad_value", 9),
        (OVERRIDE.replace("minimum_fee: 0.50", "minimum_fee: -1"), "fees.bad_value", 7),
        (OVERRIDE.replace("2024-01-01", "2024-13-01"), "fees.bad_value", 4),
        (OVERRIDE.replace("    source: my negotiated rates\n", ""), "fees.missing_field", 2),
        (OVERRIDE.replace("    confirmed: true\n", ""), "fees.missing_field", 2),
        (OVERRIDE.replace("amazon_referral", "amazon_referal"), "fees.unknown_kind", 3),
        (OVERRIDE.replace("minimum_fee", "minimum"), "fees.unknown_field", 7),
        (OVERRIDE.replace("percent: 10}", "percent: 10, marginal: []}"), "fees.one_rule", 9),
        (OVERRIDE.replace("[Kitchen]", "[Kitchen, kitchen]"), "fees.duplicate_category", 9),
        (OVERRIDE + "      - {name: Toys\n", "fees.yaml", 11),
        (
            OVERRIDE.replace("    minimum_fee: 0.50\n", "    minimum_fee: 1\n    minimum_fee: 2\n"),
            "fees.duplicate_key",
            8,
        ),
        ("nothing: here\n", "fees.no_list", 1),
    ],
)
def test_bad_override_file_names_its_line(tmp_path: Path, text: str, key: str, line: int) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(InputError) as exc:
        load_book(tmp_path)
    assert problem(exc) == (key, str(path), line)


def test_two_tables_starting_the_same_day_need_the_same_id(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.yaml", OVERRIDE.replace("id: amazon-referral", "id: my-referral"))
    with pytest.raises(InputError) as exc:
        load_book(tmp_path)
    assert problem(exc) == ("fees.same_start", str(path), 2)
    assert exc.value.params["other"] == "amazon-referral"


def test_a_gap_between_tables_is_named(tmp_path: Path) -> None:
    ended = OVERRIDE.replace(
        "effective_from: 2024-01-01", "effective_from: 2024-01-01\n    effective_to: 2024-06-30"
    )
    write(
        tmp_path,
        "mine.yaml",
        ended + OVERRIDE.replace("schedules:\n", "").replace("2024-01-01", "2025-01-01"),
    )
    book = load_book(tmp_path)
    with pytest.raises(InputError) as exc:
        book.covering("amazon_referral", date(2024, 9, 1))
    assert exc.value.key == "fees.no_schedule"
    assert exc.value.params == {
        "kind": "amazon_referral",
        "date": "2024-09-01",
        "covered": "2024-01-01 – 2024-06-30; 2025-01-01 – …",
    }


def test_a_date_before_every_table_is_named() -> None:
    with pytest.raises(InputError) as exc:
        BOOK.covering("amazon_fba_fulfillment", date(2024, 2, 4))
    assert exc.value.key == "fees.no_schedule"
    assert exc.value.params["covered"].startswith("2024-02-05 – 2025-01-14")


def test_an_unknown_kind_is_a_gap_too() -> None:
    with pytest.raises(InputError) as exc:
        FeeBook([], "x").covering("amazon_referral", date(2025, 1, 1))
    assert exc.value.params["covered"] == "none"
