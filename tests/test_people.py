"""The team (people.yaml): ownership with effective dates, a handover that splits a month
by date, every row owned by exactly one person or reported as unowned, and bad files
named by line."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.people import load_people, owner_on, spans

STORE = "amazon-com"


def _sale(order: str, sku: str, amount: str, day: int) -> list[dict[str, str]]:
    when = f"2026-03-{day:02d} 18:00:00 UTC"
    return [
        v2_row("Order", "ItemPrice", "Principal", amount, order=order, sku=sku, qty="1",
               when=when),
        v2_row("Order", "ItemFees", "Commission", "-1.00", order=order, sku=sku, qty="1",
               when=when),
    ]  # fmt: skip


def _seller(tmp: Path) -> Path:
    """March 2026, one store: MUG sells on the 2nd (10) and the 20th (20), CUP on the
    5th (7); a $3 subscription fee on the 8th belongs to no SKU."""
    ws = tmp / "ws"
    rows = [*_sale("1", "MUG", "10.00", 2), *_sale("2", "MUG", "20.00", 20),
            *_sale("3", "CUP", "7.00", 5),
            v2_row("other-transaction", "other-transaction", "Subscription Fee", "-3.00",
                   when="2026-03-08 18:00:00 UTC")]  # fmt: skip
    with Lianxing.init(ws) as lx:
        lx.import_file(write_v2(tmp / "s.txt", rows), store_id=STORE)
    return ws


TEAM = """people:
  - id: wang
    name: 王经理
    role: manager
    team: us
    owns:
      - {store: amazon-com, from: 2026-01-01}
  - id: li
    name: 李
    role: operator
    team: us
    owns:
      - {sku: MUG, from: 2026-01-01, to: 2026-03-14}
  - id: zhao
    name: 赵
    role: operator
    team: us
    owns:
      - {sku: MUG, store: amazon-com, from: 2026-03-15}
  - id: boss
    role: owner
"""


def test_a_handover_splits_the_month_by_date(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(TEAM, "utf-8")
    with Lianxing.open(ws) as lx:
        rows = {r["person"]: r for r in lx.kpi(["sales", "units", "net_profit"],
                                                by="person", period="month").rows}  # fmt: skip
        total = lx.kpi(["sales", "net_profit"], by="total", period="month").rows[0]
        teams = lx.kpi(["sales"], by="team", period="total").rows
    # li: MUG of the 2nd; zhao: MUG of the 20th; wang: the rest of the store (CUP and
    # the subscription fee, which is on no SKU)
    assert rows["li"]["sales"] == Decimal("10.00") and rows["li"]["units"] == 1
    assert rows["zhao"]["sales"] == Decimal("20.00")
    assert rows["wang"]["sales"] == Decimal("7.00")
    assert rows["wang"]["net_profit"] == Decimal("7.00") - 1 - 3
    assert None not in rows  # everything in the store is owned
    assert sum(r["net_profit"] for r in rows.values()) == total["net_profit"]
    assert teams == [{"team": "us", "period": "total", "sales": Decimal("37.00")}]


def test_rows_nobody_owns_are_reported_as_unowned(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "people.yaml").write_text(
        "people:\n  - {id: li, role: operator, owns: [{sku: MUG, from: 2026-03-10}]}\n", "utf-8"
    )
    result = run_cli(["-w", str(ws), "kpi", "show", "sales", "--by", "person", "--period",
                      "total", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    import json

    rows = {r["person"]: Decimal(r["sales"]) for r in json.loads(result.stdout)}
    assert rows == {"li": Decimal("20.00"), None: Decimal("17.00")}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    handover=st.integers(min_value=0, max_value=31),
    store_until=st.integers(min_value=0, max_value=31),
    tagged=st.booleans(),
)
def test_every_row_has_one_owner_or_none(
    tmp_path_factory: pytest.TempPathFactory, handover: int, store_until: int, tagged: bool
) -> None:
    """Whatever the dates, per person sums add up to the total, and each SKU-day goes to
    the person the ownership rule names (checked row by row against `owner_on`)."""
    tmp = tmp_path_factory.mktemp("team")
    ws = _seller(tmp)
    switch = date(2026, 3, 1) + timedelta(days=handover)
    manager_end = date(2026, 3, 1) + timedelta(days=store_until)
    (ws / "products.csv").write_text("sku,tags\nCUP,kitchen\nMUG,kitchen\n", "utf-8")
    third = "{tag: kitchen, from: 2026-03-01}" if tagged else "{sku: CUP, from: 2026-03-25}"
    (ws / "people.yaml").write_text(
        f"""people:
  - {{id: m, role: manager, owns: [{{store: {STORE}, to: {manager_end}}}]}}
  - {{id: a, role: operator, owns: [{{sku: MUG, to: {switch - timedelta(days=1)}}}]}}
  - {{id: b, role: operator, owns: [{{sku: MUG, from: {switch}}}]}}
  - {{id: c, role: operator, owns: [{third}]}}
""",
        "utf-8",
    )
    with Lianxing.open(ws) as lx:
        people = lx.people()
        found = spans(people, lx.product_tags())
        by_person = {r["person"]: r["net_profit"]
                     for r in lx.kpi(["net_profit"], by="person", period="total").rows}  # fmt: skip
        total = lx.kpi(["net_profit"], by="total", period="total").rows[0]["net_profit"]
        days = lx.kpi(["net_profit"], by="sku", period="day").rows
    assert sum(by_person.values()) == total
    expected: dict[str | None, Decimal] = defaultdict(Decimal)
    for row in days:
        who = owner_on(found, STORE, row["sku"], date.fromisoformat(row["period"]))
        expected[who] += row["net_profit"]
    assert {k: v for k, v in expected.items() if v} == {k: v for k, v in by_person.items() if v}


def _refused(tmp_path: Path, text: str) -> InputError:
    path = tmp_path / "people.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_people(path, [STORE])
    return caught.value


def test_bad_team_files_are_named_by_line(tmp_path: Path) -> None:
    overlap = _refused(tmp_path, """people:
  - id: a
    role: operator
    owns:
      - {sku: MUG, from: 2026-01-01}
  - id: b
    role: operator
    owns:
      - {sku: MUG, from: 2026-03-01, to: 2026-03-31}
""")  # fmt: skip
    assert overlap.key == "people.overlap" and overlap.problems[0].line == 9
    assert overlap.problems[0].params["other_line"] == 5
    # a handover where one ends the day before the other starts is fine, and so is
    # the same SKU in another store (a SKU without store: is owned in every store)
    fine = tmp_path / "fine.yaml"
    fine.write_text("""people:
  - {id: a, role: operator, owns: [{sku: MUG, store: amazon-com, to: 2026-02-28}]}
  - {id: b, role: operator, owns: [{sku: MUG, store: amazon-com, from: 2026-03-01}]}
  - {id: c, role: operator, owns: [{sku: MUG, store: other-store}]}
""")  # fmt: skip
    with pytest.raises(InputError) as caught:  # … but other-store is not a store
        load_people(fine, [STORE])
    assert caught.value.key == "people.unknown_store"
    assert len(load_people(fine, [STORE, "other-store"])) == 3
    cases = {
        "people:\n  - {id: a, role: operator}\n": ("people.no_scope", 2),
        "people:\n  - {id: a, role: boss, owns: [{sku: X}]}\n": ("people.bad_role", 2),
        "people:\n  - {id: A B, role: operator, owns: [{sku: X}]}\n": ("people.bad_id", 2),
        "people:\n  - {id: a, role: operator, owns: [{sku: X, tag: y}]}\n": ("people.bad_scope", 2),
        "people:\n  - id: a\n    role: operator\n    owns:\n      - {sku: X, from: 2026-13-01}\n":
            ("people.bad_date", 5),
        "people:\n  - {id: a, role: operator,\n"
        "     owns: [{sku: X, from: 2026-03-02, to: 2026-03-01}]}\n":
            ("people.bad_date", 3),
        "people:\n  - {id: a, role: viewer}\n  - {id: a, role: viewer}\n": ("people.duplicate", 3),
        "people:\n  - {id: a, role: viewer, pay: 1}\n": ("people.unknown_field", 2),
        "people: [unclosed\n": ("people.yaml", None),
    }  # fmt: skip
    for text, (key, line) in cases.items():
        error = _refused(tmp_path, text)
        assert error.key == key, text
        if line is not None:
            assert error.problems[0].line == line, text


def test_a_sku_whose_tags_two_people_own_is_refused(tmp_path: Path) -> None:
    ws = _seller(tmp_path)
    (ws / "products.csv").write_text("sku,tags\nMUG,kitchen;gift\n", "utf-8")
    (ws / "people.yaml").write_text("""people:
  - {id: a, role: operator, owns: [{tag: kitchen}]}
  - {id: b, role: operator, owns: [{tag: gift, from: 2026-03-10}]}
""")  # fmt: skip
    result = run_cli(["-w", str(ws), "kpi", "show", "sales", "--by", "person"])
    assert result.exit_code == 2 and "MUG" in result.stderr and "gift" in result.stderr
