"""A mapped file's staged text is rewritten only where a rewrite can change it
(`mapped_load.normalize_staged` looks first): the same text as rewriting every column."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lianxing.store import mapped_load
from lianxing.store.database import Database
from lianxing.store.settlement_load import sql_literal
from lianxing.store.table_load import TableLoader

MONEY = ["1.00", "￥1,299元", " 5.00 ", "USD 3.00", "-RMB 2", "1，000.00", "", "abc", "(3.00)"]
DATES = [
    "2026年10月5日",
    "2026.10.05",
    "2026/10/05",
    "01/02/2026",
    "2026-10-05 10:11:12",
    "10/05/2026 08:00",
    "2026年10月5日 10:00",
    " 2026.1.2 ",
    "",
    "x",
]


def _every_column(
    loader: TableLoader,
    money: list[str],
    dates: list[str],
    date_format: str | None,
    file_timezone: str | None,
) -> None:
    """The rewrite before the look (every UPDATE for every column)."""
    con = loader.con
    for column in money:
        con.execute(
            f"""UPDATE lx_stage SET {column} = lx_mapped_money({column})
                WHERE {column} IS NOT NULL AND lx_money(lx_text({column})) IS NULL
                  AND lx_money(lx_text(lx_mapped_money({column}))) IS NOT NULL"""
        )
    for column in dates:
        if date_format:
            fmt = sql_literal(date_format)
            con.execute(
                f"""UPDATE lx_stage
                    SET {column} = strftime(try_strptime(trim({column}), {fmt}),
                                            '%Y-%m-%d %H:%M:%S')
                    WHERE try_strptime(trim({column}), {fmt}) IS NOT NULL"""
            )
        con.execute(
            f"""UPDATE lx_stage SET {column} = lx_mapped_date({column})
                WHERE regexp_matches({column}, '^\\s*[0-9]{{4}}\\s*(年|\\.[0-9])')
                  AND lx_date(lx_mapped_date({column})) IS NOT NULL"""
        )
        if file_timezone:
            tz = sql_literal(file_timezone)
            local = f"lx_mapped_time(lx_text({column}))"
            con.execute(
                f"""UPDATE lx_stage
                    SET {column} = strftime(timezone('UTC', timezone({tz}, {local})),
                                            '%Y-%m-%d %H:%M:%S') || '+00:00'
                    WHERE regexp_matches({column}, '[0-9]:[0-9]')
                      AND NOT lx_has_zone(lx_text({column})) AND {local} IS NOT NULL"""
            )


@pytest.fixture(scope="module")
def loader() -> Iterator[TableLoader]:
    db = Database(":memory:")
    db.con.execute(mapped_load.MACROS)
    yield TableLoader(db)
    db.close()


@settings(max_examples=40, deadline=None)
# A date the date format rewrites gains a time of day: moved to UTC like one written so.
@example([("x", "01/02/2026", None, None)], [], ["c1"], "%d/%m/%Y", "Asia/Shanghai")
# A money column that is a date column too: the money rewrite comes first.
@example([(None, "2026.1.2 元", None, None)], ["c1"], ["c1"], None, None)
@example([(None, " 2026.10.05 10:00 ", None, None)], [], ["c1"], None, "Asia/Shanghai")
@given(
    rows=st.lists(
        st.tuples(*(st.none() | st.sampled_from(MONEY + DATES) for _ in range(4))),
        min_size=1,
        max_size=5,
    ),
    money=st.lists(st.sampled_from(["c0", "c1", "c2"]), max_size=2),
    dates=st.lists(st.sampled_from(["c1", "c2", "c3"]), max_size=2),
    date_format=st.none() | st.just("%d/%m/%Y"),
    file_timezone=st.none() | st.just("Asia/Shanghai"),
)
def test_looking_first_rewrites_the_same_text(
    loader: TableLoader,
    rows: list[tuple[str | None, ...]],
    money: list[str],
    dates: list[str],
    date_format: str | None,
    file_timezone: str | None,
) -> None:
    staged = []
    for rewrite in (_every_column, mapped_load.normalize_staged):
        loader.con.execute(
            "CREATE OR REPLACE TEMP TABLE lx_stage (c0 VARCHAR, c1 VARCHAR, c2 VARCHAR, c3 VARCHAR)"
        )
        loader.db.insert_many("INSERT INTO lx_stage {rows}", rows)
        if rewrite is _every_column:
            _every_column(loader, money, dates, date_format, file_timezone)
        else:
            mapped_load.normalize_staged(
                loader,
                money=money,
                dates=dates,
                date_format=date_format,
                file_timezone=file_timezone,
            )
        staged.append(loader.con.execute("SELECT * FROM lx_stage ORDER BY rowid").fetchall())
    assert staged[0] == staged[1]
