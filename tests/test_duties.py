"""The duty book: every shipped row, the dates where rates change, and workspace overrides.

Each case below names the row it exercises and the source the expected figure was checked
against (the same source the row cites in data/duties.yaml); the figure is written here
again on purpose, so that a changed table fails a test instead of silently changing costs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lianxing.errors import InputError
from lianxing.landed.duties import (
    DutyBook,
    DutyRow,
    entry_fees,
    hmf_fee,
    line_duties,
    load_duty_book,
    mpf_fee,
)
from lianxing.landed.messages import MESSAGES

D = Decimal
TOY = "9503000073"  # no MFN duty, on no Section 301 list in force: isolates the IEEPA rows
LEASH = "4201003000"


@pytest.fixture(scope="module")
def book() -> DutyBook:
    return load_duty_book()


def rates(book: DutyBook, hts: str, origin: str, day: date) -> dict[str, Decimal]:
    lines = line_duties(book, hts_code=hts, origin=origin, entry_date=day, value_usd=D(1000))
    return {line.program: line.rate for line in lines}


def key(row: DutyRow) -> tuple[str, str, str, date]:
    return (row.program, row.hts, row.origin, row.effective_from)


# (program, HTS code of the line, origin, entry date, expected rate, the row's effective_from,
#  the source checked)
TARIFF_CASES = [
    # MFN (general column 1); origin VN in Nov 2024 so no other program applies.
    (
        "mfn",
        "9503000073",
        "VN",
        date(2024, 11, 1),
        "0",
        date(2024, 1, 1),
        "HTSUS 2024 R10 9503.00.00 Free",
    ),
    (
        "mfn",
        "6307909891",
        "VN",
        date(2024, 11, 1),
        "0.07",
        date(2024, 1, 1),
        "HTSUS 2024 R10 6307.90.98 7%",
    ),
    (
        "mfn",
        "3924104000",
        "VN",
        date(2024, 11, 1),
        "0.034",
        date(2024, 1, 1),
        "HTSUS 2025 R10 3924.10.40 3.4%; NY N017200",
    ),
    (
        "mfn",
        "4202923131",
        "VN",
        date(2024, 11, 1),
        "0.176",
        date(2024, 1, 1),
        "HTSUS 2025 4202.92.31 17.6%",
    ),
    (
        "mfn",
        "9506910030",
        "VN",
        date(2024, 11, 1),
        "0.046",
        date(2024, 1, 1),
        "NY N153583, NY N106161: 4.6%",
    ),
    (
        "mfn",
        "4201003000",
        "VN",
        date(2024, 11, 1),
        "0.024",
        date(2024, 1, 1),
        "NY N326549, NY N329157: 2.4%",
    ),
    # Section 301, products of China.
    (
        "section301",
        "4202923131",
        "CN",
        date(2024, 11, 1),
        "0.25",
        date(2019, 5, 10),
        "HTSUS 2025 4202.92: China +25% (List 3)",
    ),
    (
        "section301",
        "4201003000",
        "CN",
        date(2024, 11, 1),
        "0.25",
        date(2019, 5, 10),
        "NY N329157: +25%, 9903.88.03",
    ),
    (
        "section301",
        "6307909891",
        "CN",
        date(2024, 11, 1),
        "0.075",
        date(2020, 2, 14),
        "HTSUS 2024 R10 6307.90.98: China +7.5% (List 4A)",
    ),
    (
        "section301",
        "9506910030",
        "CN",
        date(2024, 11, 1),
        "0.25",
        date(2019, 5, 10),
        "unconfirmed: List 3 inferred",
    ),
    # IEEPA fentanyl (China), first and last day of each row.
    (
        "ieepa_fentanyl",
        TOY,
        "CN",
        date(2025, 2, 4),
        "0.10",
        date(2025, 2, 4),
        "EO 14195, from 4 Feb 2025",
    ),
    ("ieepa_fentanyl", TOY, "CN", date(2025, 3, 3), "0.10", date(2025, 2, 4), "EO 14195"),
    (
        "ieepa_fentanyl",
        TOY,
        "CN",
        date(2025, 3, 4),
        "0.20",
        date(2025, 3, 4),
        "EO 14228, 20% from 4 Mar 2025",
    ),
    ("ieepa_fentanyl", TOY, "CN", date(2025, 11, 9), "0.20", date(2025, 3, 4), "EO 14228"),
    (
        "ieepa_fentanyl",
        TOY,
        "CN",
        date(2025, 11, 10),
        "0.10",
        date(2025, 11, 10),
        "EO 14357, 10% from 10 Nov 2025",
    ),
    (
        "ieepa_fentanyl",
        TOY,
        "CN",
        date(2026, 2, 23),
        "0.10",
        date(2025, 11, 10),
        "CBP stopped collecting 24 Feb 2026",
    ),
    # IEEPA reciprocal.
    (
        "ieepa_reciprocal",
        TOY,
        "CN",
        date(2025, 4, 5),
        "0.10",
        date(2025, 4, 5),
        "EO 14257 baseline 10% from 5 Apr 2025",
    ),
    ("ieepa_reciprocal", TOY, "CN", date(2025, 4, 8), "0.10", date(2025, 4, 5), "EO 14257"),
    (
        "ieepa_reciprocal",
        TOY,
        "CN",
        date(2025, 4, 9),
        "0.84",
        date(2025, 4, 9),
        "EO 14259: 84% from 9 Apr 2025",
    ),
    (
        "ieepa_reciprocal",
        TOY,
        "CN",
        date(2025, 4, 10),
        "1.25",
        date(2025, 4, 10),
        "EO 14266: 125% from 10 Apr 2025",
    ),
    ("ieepa_reciprocal", TOY, "CN", date(2025, 5, 13), "1.25", date(2025, 4, 10), "EO 14266"),
    (
        "ieepa_reciprocal",
        TOY,
        "CN",
        date(2025, 5, 14),
        "0.10",
        date(2025, 5, 14),
        "EO 14298: 10% from 14 May 2025",
    ),
    (
        "ieepa_reciprocal",
        TOY,
        "CN",
        date(2026, 2, 23),
        "0.10",
        date(2025, 5, 14),
        "extended to Nov 2026; ended 24 Feb 2026",
    ),
    (
        "ieepa_reciprocal",
        TOY,
        "VN",
        date(2025, 6, 1),
        "0.10",
        date(2025, 4, 5),
        "unconfirmed: baseline 10% for other origins",
    ),
    # Section 122 (all countries).
    (
        "section122",
        TOY,
        "CN",
        date(2026, 2, 24),
        "0.10",
        date(2026, 2, 24),
        "Proclamation 20 Feb 2026: 10% from 24 Feb 2026",
    ),
    (
        "section122",
        TOY,
        "VN",
        date(2026, 7, 23),
        "0.10",
        date(2026, 2, 24),
        "through 12:01 a.m. EDT 24 Jul 2026",
    ),
]


@pytest.mark.parametrize(
    ("program", "hts", "origin", "day", "rate", "row_from", "source"),
    TARIFF_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in TARIFF_CASES],
)
def test_every_tariff_row(
    book: DutyBook,
    program: str,
    hts: str,
    origin: str,
    day: date,
    rate: str,
    row_from: date,
    source: str,
) -> None:
    found = rates(book, hts, origin, day)
    assert found[program] == D(rate), source
    row = book.find(program, day, hts, origin)
    assert row is not None and row.effective_from == row_from and row.source


def test_mpf_fy2025_rows() -> None:
    """FR Doc 2024-15990 / CSMS 61572319: 0.3464 %, min $32.71, max $634.62 per formal
    entry; CSMS 61620300: informal (class 311) $2.62 — FY2025, 2024-10-01 to 2025-09-30."""
    book = load_duty_book()
    day = date(2025, 9, 30)
    assert mpf_fee(book, entry_date=day, entered_value=D(5000)).amount == D("32.71")
    assert mpf_fee(book, entry_date=day, entered_value=D(200000)).amount == D("634.62")
    assert mpf_fee(book, entry_date=day, entered_value=D(20000)).amount == D("69.28")
    assert mpf_fee(book, entry_date=day, entered_value=D(800)).amount == D("2.62")


def test_mpf_fy2026_rows() -> None:
    """90 FR 34665 (CBP Dec. 25-10) / CSMS 65741993: 0.3464 %, min $33.58, max $651.50,
    informal (311a) $2.69 — FY2026, from 2025-10-01."""
    book = load_duty_book()
    day = date(2025, 10, 1)
    small = mpf_fee(book, entry_date=day, entered_value=D(5000))
    assert (small.amount, small.note) == (D("33.58"), "minimum applied")
    big = mpf_fee(book, entry_date=day, entered_value=D(200000))
    assert (big.amount, big.note) == (D("651.50"), "maximum applied")
    # 20,000 × 0.3464 % = 69.28, between the limits.
    middle = mpf_fee(book, entry_date=day, entered_value=D(20000))
    assert (middle.amount, middle.rate, middle.note) == (D("69.28"), D("0.003464"), "")
    assert mpf_fee(book, entry_date=day, entered_value=D(800)).amount == D("2.69")


def test_formal_entry_threshold_is_over_2500(book: DutyBook) -> None:
    day = date(2026, 1, 5)
    at = mpf_fee(book, entry_date=day, entered_value=D("2500.00"))
    assert (at.amount, at.note) == (D("2.69"), "informal entry")
    over = mpf_fee(book, entry_date=day, entered_value=D("2500.01"))
    assert (over.amount, over.note) == (D("33.58"), "minimum applied")


def test_hmf_row(book: DutyBook) -> None:
    """Water Resources Development Act 1986 (freightos.com, exportingpa.org): 0.125 % of the
    cargo value, no minimum or maximum."""
    fee = hmf_fee(book, entry_date=date(2025, 12, 1), cargo_value=D("200694.4444"))
    assert (fee.rate, fee.amount) == (D("0.00125"), D("250.8681"))
    assert hmf_fee(book, entry_date=date(2025, 12, 1), cargo_value=D(10)).amount == D("0.0125")


def test_every_shipped_row_has_a_case(book: DutyBook) -> None:
    exercised = {
        key(row)
        for program, hts, origin, day, _, _, _ in TARIFF_CASES
        if (row := book.find(program, day, hts, origin)) is not None
    }
    exercised |= {key(r) for r in book.rows if r.program in ("mpf", "hmf")}  # tests above
    assert {key(r) for r in book.rows} == exercised
    assert all(r.source and isinstance(r.confirmed, bool) for r in book.rows)


def test_unconfirmed_rows_are_marked(book: DutyBook) -> None:
    unconfirmed = {(r.program, r.hts, r.origin) for r in book.rows if not r.confirmed}
    assert unconfirmed == {("section301", "950691", "CN"), ("ieepa_reciprocal", "", "*")}
    line = line_duties(
        book, hts_code="9506910030", origin="CN", entry_date=date(2024, 11, 1), value_usd=D(100)
    )[1]
    assert (line.program, line.confirmed) == ("section301", False)


# ---- the dates where rates change ---------------------------------------------------------


def test_fentanyl_20_to_10_on_2025_11_10(book: DutyBook) -> None:
    assert rates(book, TOY, "CN", date(2025, 11, 9))["ieepa_fentanyl"] == D("0.20")
    assert rates(book, TOY, "CN", date(2025, 11, 10))["ieepa_fentanyl"] == D("0.10")


def test_ieepa_off_and_section_122_on_from_2026_02_24(book: DutyBook) -> None:
    before = rates(book, LEASH, "CN", date(2026, 2, 23))
    assert before == {
        "mfn": D("0.024"),
        "section301": D("0.25"),
        "ieepa_fentanyl": D("0.10"),
        "ieepa_reciprocal": D("0.10"),
    }
    after = rates(book, LEASH, "CN", date(2026, 2, 24))
    assert after == {"mfn": D("0.024"), "section301": D("0.25"), "section122": D("0.10")}


def test_section_122_ends_with_july_23(book: DutyBook) -> None:
    """In force "through 12:01 a.m. EDT on July 24, 2026": nothing of July 24 is covered
    (a minute), so July 23 is the last day with the surcharge."""
    assert "section122" in rates(book, TOY, "DE", date(2026, 7, 23))
    assert rates(book, TOY, "DE", date(2026, 7, 24)) == {"mfn": D(0)}
    assert rates(book, TOY, "DE", date(2026, 7, 25)) == {"mfn": D(0)}


def test_april_2025_escalation_for_china_but_not_others(book: DutyBook) -> None:
    assert rates(book, TOY, "CN", date(2025, 4, 9))["ieepa_reciprocal"] == D("0.84")
    # EO 14266 paused the country-specific rates of others from 10 Apr: baseline 10 %.
    assert rates(book, TOY, "VN", date(2025, 4, 10))["ieepa_reciprocal"] == D("0.10")


def test_amounts_are_value_times_rate(book: DutyBook) -> None:
    lines = line_duties(
        book, hts_code=LEASH, origin="cn", entry_date=date(2025, 10, 20), value_usd=D("694.4444")
    )
    assert [(d.program, d.amount) for d in lines] == [
        ("mfn", D("16.6667")),
        ("section301", D("173.6111")),
        ("ieepa_fentanyl", D("138.8889")),
        ("ieepa_reciprocal", D("69.4444")),
    ]
    assert all(d.base == D("694.4444") for d in lines)


# ---- errors: never a silent zero ------------------------------------------------------------


def test_entry_before_the_tables_is_refused(book: DutyBook) -> None:
    with pytest.raises(InputError) as caught:
        line_duties(book, hts_code=TOY, origin="CN", entry_date=date(2024, 9, 30), value_usd=D(1))
    assert caught.value.key == "duties.before_tables"
    assert caught.value.problems[0].params == {"day": "2024-09-30", "first": "2024-10-01"}
    with pytest.raises(InputError) as caught:
        mpf_fee(book, entry_date=date(2024, 9, 30), entered_value=D(5000))
    assert caught.value.key == "duties.before_tables"


def test_no_mfn_row_is_an_error_unless_the_rate_is_given(book: DutyBook) -> None:
    args = {"origin": "CN", "entry_date": date(2025, 12, 1), "value_usd": D(1000)}
    with pytest.raises(InputError) as caught:
        line_duties(book, hts_code="8517.62.0090", **args)
    assert caught.value.key == "duties.no_mfn"
    assert caught.value.problems[0].params["hts"] == "8517.62.0090"
    lines = line_duties(book, hts_code="8517.62.0090", mfn_rate=D("0.02"), **args)
    assert [(d.program, d.amount) for d in lines] == [
        ("mfn", D("20.0000")),
        ("ieepa_fentanyl", D("100.0000")),
        ("ieepa_reciprocal", D("100.0000")),
    ]


def test_given_mfn_rate_wins_over_the_table(book: DutyBook) -> None:
    lines = line_duties(
        book, hts_code=LEASH, origin="VN", entry_date=date(2024, 11, 1), value_usd=D(100),
        mfn_rate=D("0.05"),
    )  # fmt: skip
    assert [(d.program, d.rate, d.amount) for d in lines] == [("mfn", D("0.05"), D("5.0000"))]


def test_no_hts_code_is_an_error(book: DutyBook) -> None:
    with pytest.raises(InputError) as caught:
        line_duties(book, hts_code=None, origin="CN", entry_date=date(2025, 12, 1), value_usd=D(1))
    assert caught.value.key == "duties.no_hts"


def test_fees_after_the_last_fiscal_year_are_refused(book: DutyBook) -> None:
    with pytest.raises(InputError) as caught:
        mpf_fee(book, entry_date=date(2026, 10, 1), entered_value=D(5000))
    assert caught.value.key == "duties.no_fee_row"


def test_entry_fees_hmf_only_by_sea(book: DutyBook) -> None:
    day = date(2025, 12, 1)
    sea = entry_fees(book, entry_date=day, entered_value=D(20000), mode="sea")
    assert [(f.program, f.amount) for f in sea] == [("mpf", D("69.28")), ("hmf", D("25.0000"))]
    air = entry_fees(book, entry_date=day, entered_value=D(20000), mode="air")
    assert [(f.program, f.amount) for f in air] == [("mpf", D("69.28"))]
    with pytest.raises(InputError) as caught:
        entry_fees(book, entry_date=day, entered_value=D(1), mode="rail")
    assert caught.value.key == "landed.bad_mode"


def test_scenario_adds_points(book: DutyBook) -> None:
    lines = line_duties(
        book, hts_code=LEASH, origin="CN", entry_date=date(2026, 3, 2), value_usd=D(400),
        extra_rate=D("0.10"),
    )  # fmt: skip
    assert lines[-1].program == "scenario" and lines[-1].amount == D("40.0000")
    assert not lines[-1].confirmed
    assert sum(d.amount for d in lines) == D("9.6") + D(100) + D(40) + D(40)


# ---- the workspace's own duties.yaml ----------------------------------------------------------

WORKSPACE = """\
rows:
  - program: section122
    rate: 15%
    effective_from: 2026-03-05
    effective_to: 2026-07-23
    source: what if the announced 15% is proclaimed
    confirmed: false
  - program: mfn
    hts: "9503.00.00"
    rate: 1%
    effective_from: 2024-01-01
    source: broker quote
    confirmed: false
  - program: section301
    hts: "4202.92.31.20"
    origin: CN
    rate: 0%
    effective_from: 2024-01-01
    source: exclusion for backpacks (example)
    confirmed: false
  - program: mfn
    hts: "8517.62"
    rate: 0%
    effective_from: 2024-01-01
    source: HTSUS 8517.62 Free
    confirmed: false
"""


def test_workspace_rows_override_and_add(tmp_path: Path) -> None:
    (tmp_path / "duties.yaml").write_text(WORKSPACE, "utf-8")
    shipped, book = load_duty_book(), load_duty_book(tmp_path)
    assert book.digest != shipped.digest and len(book.files) == 2
    toy = line_duties(
        book, hts_code=TOY, origin="CN", entry_date=date(2026, 3, 4), value_usd=D(100)
    )
    assert [(d.program, d.rate) for d in toy] == [("mfn", D("0.01")), ("section122", D("0.10"))]
    assert toy[0].source.startswith("broker quote") and not toy[0].confirmed
    later = rates(book, TOY, "CN", date(2026, 3, 5))
    assert later["section122"] == D("0.15")
    backpack = rates(book, "4202923120", "CN", date(2025, 12, 1))
    assert backpack["section301"] == D(0)  # the longer prefix wins
    assert rates(book, "4202923131", "CN", date(2025, 12, 1))["section301"] == D("0.25")
    assert rates(book, "8517620090", "VN", date(2024, 11, 1)) == {"mfn": D(0)}
    # The shipped book is untouched.
    assert rates(shipped, TOY, "CN", date(2026, 3, 5)) == {"mfn": D(0), "section122": D("0.10")}


def test_workspace_can_move_covers_from(tmp_path: Path) -> None:
    (tmp_path / "duties.yaml").write_text(
        "covers_from: 2024-01-01\nrows:\n"
        "  - {program: mpf, rate: 0.3464%, minimum: 31.67, maximum: 614.35, informal: 2.53,\n"
        "     formal_over: 2500, effective_from: 2023-10-01, effective_to: 2024-09-30,\n"
        "     source: FY2024 (example), confirmed: false}\n",
        "utf-8",
    )
    book = load_duty_book(tmp_path)
    assert mpf_fee(book, entry_date=date(2024, 3, 1), entered_value=D(5000)).amount == D("31.67")


def test_bad_workspace_rows_name_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "duties.yaml").write_text(
        "rows:\n"
        "  - program: mfn\n"  # line 2
        "    hts: '9503'\n"
        "    rate: 7.5\n"
        "    effective_from: 2024-01-01\n"
        "    source: x\n"
        "    confirmed: yes please\n"
        "  - program: mfn\n"  # line 8
        "    hts: '8517'\n"
        "    rate: 1%\n"
        "    effective_from: 2024-01-01\n"
        "    source: x\n"
        "    confirmed: true\n"
        "  - program: mfn\n"  # line 14: same prefix and origin, overlapping days
        "    hts: '8517'\n"
        "    rate: 2%\n"
        "    effective_from: 2025-01-01\n"
        "    effective_to: 2025-13-01\n"
        "    source: x\n"
        "    confirmed: true\n"
        "    colour: red\n",
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_duty_book(tmp_path)
    found = {(p.key, p.line, p.column) for p in caught.value.problems}
    assert ("duties.bad_rate", 2, "rate") in found
    assert ("duties.bad_confirmed", 2, "confirmed") in found
    assert ("value.date", 14, "effective_to") in found
    assert ("duties.unknown_field", 14, "colour") in found
    assert all(p.file == str(tmp_path / "duties.yaml") for p in caught.value.problems)


def test_overlapping_rows_in_one_file_name_both_lines(tmp_path: Path) -> None:
    row = (
        "  - {program: mfn, hts: '8517', rate: %s, effective_from: %s, source: x, "
        "confirmed: true}\n"
    )
    (tmp_path / "duties.yaml").write_text(
        "rows:\n" + row % ("1%", "2024-01-01") + row % ("2%", "2025-01-01"), "utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_duty_book(tmp_path)
    problem = caught.value.problems[0]
    assert (problem.key, problem.line, problem.params) == ("duties.overlap", 3, {"first": 2})


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "duties.yaml").write_text("rows:\n  - program: mfn\n   rate: [\n", "utf-8")
    with pytest.raises(InputError) as caught:
        load_duty_book(tmp_path)
    assert caught.value.key == "duties.yaml" and caught.value.problems[0].line is not None


def test_errors_render_in_both_languages(monkeypatch: pytest.MonkeyPatch, book: DutyBook) -> None:
    from lianxing import i18n

    monkeypatch.setattr(i18n, "MESSAGES", {**i18n.MESSAGES, **MESSAGES})
    with pytest.raises(InputError) as caught:
        line_duties(
            book, hts_code="8517", origin="CN", entry_date=date(2025, 12, 1), value_usd=D(1)
        )
    assert "No general (MFN) duty rate for HTS 8517 from CN on 2025-12-01" in str(caught.value)
    monkeypatch.setattr(i18n, "_current", "zh")
    assert "普通（最惠国）税率" in str(caught.value)


def test_every_message_key_has_both_languages() -> None:
    import re
    import string

    source = "".join(
        p.read_text("utf-8")
        for p in (Path(__file__).parents[1] / "src/lianxing/landed").glob("*.py")
    )
    raised = set(re.findall(r'"((?:landed|duties)\.[a-z_]+)"', source))
    assert raised <= set(MESSAGES), raised - set(MESSAGES)
    fields = string.Formatter()
    for key, (en, zh) in MESSAGES.items():
        assert key.startswith(("landed.", "duties.")) and re.search(r"[\u4e00-\u9fff]", zh)
        assert {f for _, f, _, _ in fields.parse(en) if f} == {
            f for _, f, _, _ in fields.parse(zh) if f
        }, key
