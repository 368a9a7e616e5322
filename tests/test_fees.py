"""The size tier and the fee estimator, on the built-in schedules.

Worked examples come from published pages (cited per test); expected figures are
written out here, not read from the YAML, so a wrong data edit fails.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lianxing.errors import InputError
from lianxing.fees import messages
from lianxing.fees.estimate import (
    aged_surcharge,
    estimate,
    fba_fulfillment_fee,
    low_inventory_fee,
    monthly_storage_fee,
    placement_fee,
    referral_fee,
)
from lianxing.fees.schedules import load_book
from lianxing.fees.size_tier import size_tier
from lianxing.product_specs import ProductSpec

D = Decimal
BOOK = load_book()
DAY = date(2025, 6, 1)


def spec(l: str, w: str, h: str, oz: str, category: str | None = "Home & Kitchen") -> ProductSpec:  # noqa: E741
    return ProductSpec("SKU-1", category, D(l), D(w), D(h), D(oz), file="products.csv", line=7)


def fee(s: ProductSpec, price: str = "20", day: date = DAY) -> Decimal:
    return fba_fulfillment_fee(BOOK, size_tier(BOOK, s, day), D(price), day).amount


def ref(category: str, price: str, platform: str = "amazon") -> Decimal:
    return referral_fee(BOOK, platform, category, D(price), DAY).amount


# ---- worked examples -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        (spec("6", "4", "0.5", "4"), "3.15"),  # 4 oz phone case
        (spec("8", "6", "0.7", "14"), "3.60"),  # 14 oz toy
        (spec("10", "8", "3", "48"), "6.62"),  # 3 lb board game (dim weight 1.73 lb)
        (spec("30", "10", "2", "128"), "12.27"),  # 8 lb baby cot, large bulky
        (spec("60", "25", "4", "768"), "44.19"),  # 48 lb monitor, 60 in long
    ],
)
def test_threecolts_2025_worked_examples(s: ProductSpec, expected: str) -> None:
    """https://www.threecolts.com/blog/amazon-fba-seller-fees (Aug 2025): 4 oz $3.15,
    14 oz $3.60, 3 lb $6.62, 8 lb large bulky $12.27 (= $9.61 + 7 × $0.38), 48 lb
    extra-large $44.19 (= $26.33 + 47 × $0.38). Dimensions are ours (the page gives only
    weights); the 48 lb monitor is extra-large because a side exceeds large bulky."""
    assert fee(s) == D(expected)


@pytest.mark.parametrize(
    ("category", "price", "expected", "cite"),
    [
        ("Home & Kitchen", "40", "6.00", "https://sellervault.io/glossary/referral-fee"),
        (
            "Home & Kitchen",
            "35",
            "5.25",
            "http://community.daxdeegan.com/t/wiki-understanding-amazon-fees/461",
        ),
        ("Home & Kitchen", "31.50", "4.73", "daxdeegan wiki: $31.50 × 15% = $4.725 → $4.73"),
        ("Toys & Games", "20", "3.00", "a $20 item in a 15% category pays $3.00"),
        ("Electronics Accessories", "150", "19.00", "help 200336920: 15% × $100 + 8% × $50"),
        (
            "Beauty",
            "10",
            "0.80",
            "https://amz.how/how-to-price-your-listing-for-tiered-fees: ≤ $10 → 8%",
        ),
        ("Beauty", "10.01", "1.50", "amz.how: above $10 → 15% of the whole price"),
    ],
)
def test_referral_worked_examples(category: str, price: str, expected: str, cite: str) -> None:
    assert ref(category, price) == D(expected), cite


def test_dimensional_weight_worked_example() -> None:
    """https://gopostal.co/faq/what-is-dimensional-weight/: 25 × 6 × 43 / 139 = 46.40 lb.
    As an FBA unit that is large bulky (43 × 25 × 6 in), shipped at its dim weight:
    $9.61 + ceil((742.45 − 16) / 16) = 46 steps × $0.38 = $27.09 (2025)."""
    t = size_tier(BOOK, spec("25", "6", "43", "16"), DAY)
    assert t.name == "large_bulky"
    assert (t.longest_in, t.median_in, t.shortest_in) == (43, 25, 6)
    assert t.length_girth_in == 43 + 2 * (25 + 6)
    assert t.dim_weight_oz == D("742.45")  # 46.4028 lb, rounded up to 1/100 oz
    assert t.shipping_weight_oz == D("742.45")
    assert fee(spec("25", "6", "43", "16")) == D("27.09")


# ---- size tier boundaries (Seller Central help 201105770) --------------------------------


@pytest.mark.parametrize(
    ("dims", "oz", "expected"),
    [
        (("15", "12", "0.75"), "16", "small_standard"),
        (("15", "12", "0.75"), "16.01", "large_standard"),
        (("15.01", "12", "0.75"), "16", "large_standard"),
        (("15", "12.01", "0.75"), "16", "large_standard"),
        (("15", "12", "0.76"), "16", "large_standard"),
        (("18", "14", "8"), "16", "large_standard"),  # dim weight 14.5 lb ≤ 20 lb
        (("18.01", "14", "8"), "16", "large_bulky"),
        (("18", "14.01", "8"), "16", "large_bulky"),
        (("18", "14", "8.01"), "16", "large_bulky"),
        (("10", "8", "4"), "320", "large_standard"),
        (("10", "8", "4"), "320.01", "large_bulky"),
        (("59", "33", "2"), "100", "large_bulky"),  # length + girth 59 + 70 = 129
        (("59", "33", "3"), "100", "extra_large_0_50"),  # length + girth 131 > 130
        (("59.01", "10", "5"), "100", "extra_large_0_50"),
        (("30", "20", "10"), "800", "large_bulky"),
        (("30", "20", "10"), "800.01", "extra_large_50_70"),
        (("60", "10", "2"), "1120", "extra_large_50_70"),
        (("60", "10", "2"), "1120.01", "extra_large_70_150"),
        (("60", "10", "2"), "2400", "extra_large_70_150"),
        (("60", "10", "2"), "2400.01", "extra_large_150_plus"),
    ],
)
def test_size_tier_boundaries(dims: tuple[str, str, str], oz: str, expected: str) -> None:
    """At a threshold a unit stays in the tier; just above it moves up."""
    assert size_tier(BOOK, spec(*dims, oz), DAY).name == expected


def test_small_standard_ignores_dimensional_weight() -> None:
    """Small standard uses unit weight only: 15 × 12 × 0.75 in weighs 15.54 oz by volume
    but ships at its 2 oz ($3.06, Lianxing fee reference 2025)."""
    t = size_tier(BOOK, spec("15", "12", "0.75", "2"), DAY)
    assert t.name == "small_standard"
    assert t.dim_weight_oz == D("15.54") and t.shipping_weight_oz == 2
    assert fee(spec("15", "12", "0.75", "2")) == D("3.06")


def test_large_standard_uses_the_greater_weight() -> None:
    """18 × 14 × 8 in at 1 lb: dim weight 2016/139 lb = 232.06 oz is the shipping weight:
    $6.92 + 47 × $0.08 = $10.68 (2025, 3–20 lb row)."""
    t = size_tier(BOOK, spec("18", "14", "8", "16"), DAY)
    assert t.shipping_weight_oz == D("232.06") and t.unit_weight_oz == 16
    assert fee(spec("18", "14", "8", "16")) == D("10.68")
    heavy = size_tier(BOOK, spec("4", "4", "4", "40"), DAY)
    assert heavy.shipping_weight_oz == 40  # unit weight above dim weight (7.37 oz)


def test_large_bulky_counts_narrow_sides_as_two_inches() -> None:
    """Large bulky and extra-large dim weight assumes width and height of at least 2 in
    (help YPD4P7FKY65RNBJ): 30 × 2 × 1 in → 30 × 2 × 2 / 139 lb = 13.82 oz."""
    t = size_tier(BOOK, spec("30", "2", "1", "4"), DAY)
    assert t.name == "large_bulky"
    assert t.dim_weight_oz == D("13.82") and t.shipping_weight_oz == D("13.82")


def test_extra_large_150_plus_uses_unit_weight() -> None:
    t = size_tier(BOOK, spec("100", "40", "40", "2500"), DAY)
    assert t.name == "extra_large_150_plus" and t.shipping_weight_oz == 2500
    # $194.95 + $0.19 per lb above 151 lb: 2500 oz = 156.25 lb → 6 steps
    assert fee(spec("100", "40", "40", "2500")) == D("194.95") + 6 * D("0.19")


def test_size_tier_needs_dimensions() -> None:
    s = ProductSpec("SKU-9", "Toys", D(1), None, D(1), D(1), file="products.csv", line=12)
    with pytest.raises(InputError) as exc:
        size_tier(BOOK, s, DAY)
    p = exc.value.problems[0]
    assert (p.key, p.file, p.line, p.params) == (
        "fees.no_dimensions",
        "products.csv",
        12,
        {"sku": "SKU-9"},
    )
    with pytest.raises(InputError) as exc:
        size_tier(BOOK, spec("0", "1", "1", "1"), DAY)
    assert exc.value.key == "fees.bad_dimensions"


# ---- dates ---------------------------------------------------------------------------------


def test_2026_switch_on_2026_01_15() -> None:
    """8 oz small standard at $20: $3.33 on 2026-01-14 (2025 table), $3.58 on 2026-01-15
    (+$0.25, sellersasksellers.com thread 6593)."""
    s = spec("6", "4", "0.5", "8")
    before = estimate(BOOK, s, D("20"), date(2026, 1, 14))
    after = estimate(BOOK, s, D("20"), date(2026, 1, 15))
    assert (before.fulfillment_fee, after.fulfillment_fee) == (D("3.33"), D("3.58"))
    assert before.lines[1].source.startswith(
        "amazon-fba-2025 (from 2025-01-15) · small_standard ≤ 8 oz"
    )
    assert after.lines[1].source.startswith("amazon-fba-2026 (from 2026-01-15)")
    assert before.lines[1].confirmed and not after.lines[1].confirmed


def test_2026_price_bands() -> None:
    s = spec("6", "4", "0.5", "8")
    day = date(2026, 3, 1)
    assert [fee(s, p, day) for p in ("9.99", "50", "50.01")] == [D("2.72"), D("3.58"), D("3.84")]


def test_date_before_every_fba_table() -> None:
    with pytest.raises(InputError) as exc:
        estimate(BOOK, spec("6", "4", "0.5", "8"), D("20"), date(2024, 1, 31))
    assert exc.value.key == "fees.no_schedule"
    assert exc.value.params["kind"] == "amazon_size_tiers"
    assert exc.value.params["covered"] == "2024-02-05 – …"


# ---- platforms and options -----------------------------------------------------------------


def test_fba_estimate_adds_referral_and_fulfillment() -> None:
    e = estimate(BOOK, spec("6", "4", "0.5", "8"), D("20"), DAY)
    assert (e.referral_fee, e.fulfillment_fee, e.total) == (D("3.00"), D("3.33"), D("6.33"))
    assert [line.name for line in e.lines] == ["referral", "fba_fulfillment"]
    assert [line.category for line in e.lines] == ["platform_fees.referral", "fulfillment.fba"]
    data = e.as_json()
    assert data["size_tier"] == "small_standard" and data["shipping_weight_oz"] == "8"
    assert (data["referral_fee"], data["fulfillment_fee"], data["total"]) == (
        "3.00",
        "3.33",
        "6.33",
    )
    assert (data["sku"], data["platform"], data["price"], data["date"]) == (
        "SKU-1",
        "amazon",
        "20",
        "2025-06-01",
    )
    assert set(data["lines"][0]) >= {"name", "category", "amount", "source", "confirmed", "note"}


def test_fbm_is_referral_only() -> None:
    e = estimate(BOOK, spec("6", "4", "0.5", "8"), D("20"), DAY, fulfilment="fbm")
    assert e.fulfillment_fee is None and e.size_tier is None and e.total == D("3.00")
    assert e.as_json()["size_tier"] is None


def test_referral_minimum() -> None:
    """$0.30 per-item minimum (help 200336920): $1.50 at 15% would be $0.23."""
    line = referral_fee(BOOK, "amazon", "Toys", D("1.50"), DAY)
    assert line.amount == D("0.30") and "minimum" in (line.note or "")


def test_unknown_category_is_an_error_not_zero() -> None:
    with pytest.raises(InputError) as exc:
        estimate(BOOK, spec("6", "4", "0.5", "8", category="Garden Gnomes"), D("20"), DAY)
    params = exc.value.params
    assert exc.value.key == "fees.unknown_category"
    assert (params["sku"], params["category"], params["platform"]) == (
        "SKU-1",
        "Garden Gnomes",
        "amazon",
    )
    assert "Home & Kitchen" in params["known"]
    with pytest.raises(InputError) as exc:
        estimate(BOOK, spec("6", "4", "0.5", "8", category=None), D("20"), DAY)
    assert exc.value.key == "fees.no_category"


def test_walmart_catch_all_says_so() -> None:
    """Walmart Marketplace Learn: "everything else 15%"."""
    e = estimate(
        BOOK, spec("6", "4", "0.5", "8", category="Garden Gnomes"), D("20"), DAY, platform="walmart"
    )
    (line,) = e.lines
    assert line.amount == D("3.00") and e.fulfillment_fee is None
    assert "catch-all 'Everything Else'" in (line.note or "")
    named = referral_fee(BOOK, "walmart", "Jewelry", D("300"), DAY)
    assert named.amount == D("52.50") and named.note is None  # 20% × 250 + 5% × 50
    assert referral_fee(BOOK, "walmart", "Apparel", D("15"), DAY).amount == D("0.75")
    assert referral_fee(BOOK, "walmart", "Apparel", D("20"), DAY).amount == D("2.00")
    assert referral_fee(BOOK, "walmart", "Apparel", D("20.01"), DAY).amount == D("3.00")


def test_shopify_payment_by_plan() -> None:
    """Third-party pages (unconfirmed): 2.9% + $0.30 basic, 2.5% + $0.30 advanced."""
    s = spec("6", "4", "0.5", "8", category=None)
    basic = estimate(BOOK, s, D("100"), DAY, platform="shopify")
    assert basic.total == D("3.20") and basic.referral_fee == D("0.00")
    assert basic.lines[0].category == "payment_processing.shopify_payments"
    assert not basic.lines[0].confirmed
    assert estimate(BOOK, s, D("100"), DAY, platform="shopify", plan="Advanced").total == D("2.80")
    assert estimate(BOOK, s, D("100"), DAY, platform="shopify", plan="shopify").total == D("3.00")
    with pytest.raises(InputError) as exc:
        estimate(BOOK, s, D("100"), DAY, platform="shopify", plan="plus")
    assert exc.value.key == "fees.unknown_plan"


@pytest.mark.parametrize("price", ["0", "-1", "NaN", "Infinity"])
def test_bad_price(price: str) -> None:
    with pytest.raises(InputError) as exc:
        estimate(BOOK, spec("6", "4", "0.5", "8"), D(price), DAY)
    assert exc.value.key == "fees.bad_price"


def test_unknown_platform_and_fulfilment() -> None:
    s = spec("6", "4", "0.5", "8")
    with pytest.raises(InputError) as exc:
        estimate(BOOK, s, D("20"), DAY, platform="ebay")
    assert exc.value.key == "fees.unknown_platform"
    with pytest.raises(InputError) as exc:
        estimate(BOOK, s, D("20"), DAY, fulfilment="awd")
    assert exc.value.key == "fees.unknown_fulfilment"


def test_weight_above_every_row_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "fees").mkdir()
    (tmp_path / "fees" / "fba.yaml").write_text(
        "schedules:\n"
        "  - id: amazon-fba-2025\n"
        "    kind: amazon_fba_fulfillment\n"
        "    effective_from: 2025-01-15\n"
        "    effective_to: 2026-01-14\n"
        "    confirmed: false\n"
        "    source: test\n"
        "    price_bands: [{id: all}]\n"
        "    rows:\n"
        "      - {tier: small_standard, up_to_oz: 8, fee: 3.33}\n",
        "utf-8",
    )
    book = load_book(tmp_path)
    with pytest.raises(InputError) as exc:
        estimate(book, spec("6", "4", "0.5", "9"), D("20"), DAY)
    assert exc.value.key == "fees.weight_beyond_table"
    assert exc.value.problems[0].line == 10
    with pytest.raises(InputError) as exc:
        estimate(book, spec("16", "4", "1", "9"), D("20"), DAY)
    assert exc.value.key == "fees.no_rate"


# ---- storage and inventory fees ----------------------------------------------------------


def test_monthly_storage() -> None:
    """Help GJ9NNG7RK4TU6E3Z: standard $0.78 / $2.40, bulky $0.56 / $1.40 per ft³."""
    standard = spec("12", "12", "8", "32")  # 2/3 ft³, large standard
    bulky = spec("24", "18", "12", "160")  # 3 ft³, large bulky
    assert monthly_storage_fee(BOOK, standard, date(2025, 9, 30)).amount == D("0.52")
    assert monthly_storage_fee(BOOK, standard, date(2025, 10, 1)).amount == D("1.60")
    assert monthly_storage_fee(BOOK, bulky, date(2025, 1, 1)).amount == D("1.68")
    line = monthly_storage_fee(BOOK, bulky, date(2025, 12, 1))
    assert line.amount == D("4.20") and line.category == "storage.monthly" and line.confirmed
    with pytest.raises(InputError) as exc:
        monthly_storage_fee(BOOK, standard, date(2024, 3, 31))
    assert exc.value.key == "fees.no_schedule"


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (180, None),
        (181, "0.50"),
        (210, "0.50"),
        (211, "1.00"),
        (241, "1.50"),
        (271, "5.45"),
        (301, "5.70"),
        (365, "5.90"),
        (366, "6.90"),
    ],
)
def test_aged_surcharge_bands(age: int, expected: str | None) -> None:
    """Lianxing fee reference (unconfirmed), per ft³ on a 1 ft³ unit."""
    line = aged_surcharge(BOOK, spec("12", "12", "12", "100"), DAY, age)
    assert (line.amount if line else None) == (D(expected) if expected else None)
    assert line is None or (not line.confirmed and line.category == "storage.aged_surcharge")


def test_aged_surcharge_per_unit_if_greater() -> None:
    """365+ days: $6.90/ft³ or $0.15 per unit if greater (Lianxing fee reference)."""
    line = aged_surcharge(BOOK, spec("4", "4", "1", "4"), DAY, 400)
    assert line is not None and line.amount == D("0.15") and "per-unit" in (line.note or "")


@pytest.mark.parametrize(
    ("oz", "days", "expected"),
    [
        ("8", "13.9", "0.89"),
        ("8", "14", "0.63"),
        ("8", "21", "0.32"),
        ("8", "27.99", "0.32"),
        ("8", "28", None),
        ("48", "10", "0.97"),
        ("48", "20", "0.70"),
        ("48", "27", "0.36"),
        ("49", "10", "1.11"),
        ("49", "20", "0.87"),
        ("49", "27", "0.47"),
    ],
)
def test_low_inventory_fee(oz: str, days: str, expected: str | None) -> None:
    """Help GV43F6S76Y9DHYRH (8 oz is small standard at 6×4×0.5 in; 48/49 oz large
    standard at 10×8×2 in)."""
    s = spec("6", "4", "0.5", oz) if oz == "8" else spec("10", "8", "2", oz)
    line = low_inventory_fee(BOOK, s, DAY, D(days))
    assert (line.amount if line else None) == (D(expected) if expected else None)


def test_low_inventory_fee_not_for_bulky() -> None:
    assert low_inventory_fee(BOOK, spec("30", "20", "10", "100"), DAY, D(1)) is None


@pytest.mark.parametrize(
    ("dims", "oz", "low", "high"),
    [
        (("6", "4", "0.5"), "8", "0.16", "0.30"),
        (("16", "4", "1"), "12", "0.18", "0.34"),  # dim weight 7.37 oz
        (("16", "4", "1"), "12.01", "0.22", "0.41"),
        (("16", "4", "1"), "24", "0.22", "0.41"),
        (("16", "4", "1"), "48", "0.27", "0.49"),
        (("16", "4", "1"), "48.01", "0.37", "0.68"),
    ],
)
def test_placement_fee(dims: tuple[str, str, str], oz: str, low: str, high: str) -> None:
    """Help GC3Q44PBK8BXQW3Z, minimal split; the estimate takes the max by default."""
    s = spec(*dims, oz)
    assert placement_fee(BOOK, s, DAY).amount == D(high)
    assert placement_fee(BOOK, s, DAY, "min").amount == D(low)
    assert placement_fee(BOOK, s, DAY).category == "inbound.placement"


def test_placement_fee_errors() -> None:
    with pytest.raises(InputError) as exc:
        placement_fee(BOOK, spec("30", "20", "10", "100"), DAY)
    assert exc.value.key == "fees.no_rate"
    with pytest.raises(InputError) as exc:
        placement_fee(BOOK, spec("6", "4", "0.5", "8"), DAY, "avg")
    assert exc.value.key == "fees.bad_which"


# ---- messages ----------------------------------------------------------------------------


def test_every_message_key_is_written_in_both_languages() -> None:
    """Every fees.* key the code raises has English and Chinese with the same fields."""
    import re
    import string

    src = Path(messages.__file__).parent
    raised = set()
    for path in src.glob("*.py"):
        raised |= set(re.findall(r'"(fees\.[a-z_]+)"', path.read_text("utf-8")))
    assert raised <= set(messages.MESSAGES), raised - set(messages.MESSAGES)
    for key, (en, zh) in messages.MESSAGES.items():
        assert key.startswith("fees.")
        fields = {f for _, f, _, _ in string.Formatter().parse(en) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(zh) if f}, key
