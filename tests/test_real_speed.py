"""Import speed (issue 13, item 8): a folder is imported in one transaction, files of
one kind are staged with one read, and each file is still all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import amazon_settlement, folder
from lianxing.ingest.folder_batch import FolderBatch

ITEM = {"order": "111-1", "sku": "S1", "qty": "1", "item": "1"}


def _rows(price: str = "10.00") -> list[dict[str, str]]:
    return [
        v2_row("Order", "ItemPrice", "Principal", price, **ITEM),
        v2_row("Order", "ItemFees", "Commission", "-1.50", **ITEM),
    ]


def _settlements(where: Path, count: int) -> list[Path]:
    where.mkdir(exist_ok=True)
    return [
        write_v2(where / f"s{n}.txt", _rows(f"{10 + n}.00"), settlement_id=str(1000 + n))
        for n in range(count)
    ]


class _Counting:
    """The database connection, counting the statements that start with a word."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self.seen: list[str] = []
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.seen.append(sql.strip().split()[0].upper())
        self.statements.append(sql)
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def _import_folder(lx: Lianxing, where: Path) -> list[folder.Outcome]:
    outcomes: list[folder.Outcome] = []
    folder.import_all(folder.expand([where]), lx.import_file, outcomes.append, FolderBatch(lx.db))
    return outcomes


def _sources(lx: Lianxing) -> dict[str, int]:
    return {
        str(r[0]): int(r[1])
        for r in lx.db.query(
            "SELECT s.settlement_id, count(l.line) FROM sources s "
            "LEFT JOIN ledger l USING (source_id) GROUP BY ALL"
        )
    }


def test_a_folder_of_settlements_is_committed_once(lx: Lianxing, tmp_path: Path) -> None:
    _settlements(tmp_path / "in", 4)
    counting = _Counting(lx.db.con)
    lx.db.con = counting  # type: ignore[assignment]
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in outcomes] == ["imported"] * 4
    assert counting.seen.count("COMMIT") == 1
    assert _sources(lx) == {"1000": 2, "1001": 2, "1002": 2, "1003": 2}


def test_a_file_failing_half_way_through_its_writes_leaves_no_rows(
    lx: Lianxing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _settlements(tmp_path / "in", 3)
    real = amazon_settlement.ledger.set_row_count

    def fail_for_the_second(db: Any, source_id: int, rows: int) -> None:
        real(db, source_id, rows)  # its rows are written by now
        settlement = db.query("SELECT settlement_id FROM sources WHERE source_id = ?", [source_id])
        if settlement[0][0] == "1001":
            raise InputError.at("file.bad_line", file=str(paths[1]), detail="disk hiccup")

    monkeypatch.setattr(amazon_settlement.ledger, "set_row_count", fail_for_the_second)
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [(o.path.name, o.status) for o in outcomes] == [
        ("s0.txt", "imported"),
        ("s1.txt", "failed"),
        ("s2.txt", "imported"),
    ]
    assert _sources(lx) == {"1000": 2, "1002": 2}
    assert folder.summary(outcomes)["failed"] == ["s1.txt"]
    # The file before the failure was imported again: its result is the one that stayed.
    [first] = [o for o in outcomes if o.path.name == "s0.txt"]
    assert lx.db.query("SELECT settlement_id FROM sources WHERE source_id = ?",
                       [first.result.source_id]) == [("1000",)]  # fmt: skip


def test_a_file_the_database_refuses_mid_folder_imports_alone(lx: Lianxing, tmp_path: Path) -> None:
    """A settlement mixing CRLF and LF line ends makes the reader fail once (which
    spoils the folder's transaction); it is read again from a copy, on its own."""
    paths = _settlements(tmp_path / "in", 3)
    lines = paths[1].read_bytes().split(b"\n")
    paths[1].write_bytes(b"\r\n".join(lines[:2]) + b"\r\n" + b"\n".join(lines[2:]))
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in outcomes] == ["imported"] * 3
    assert _sources(lx) == {"1000": 2, "1001": 2, "1002": 2}


def test_a_bad_file_among_good_ones_is_refused_by_line_and_the_rest_commit(
    lx: Lianxing, tmp_path: Path
) -> None:
    paths = _settlements(tmp_path / "in", 3)
    broken = _rows("11.00")
    broken[1]["amount"] = "n/a"
    write_v2(paths[1], broken, settlement_id="1001", total="0")
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in outcomes] == ["imported", "failed", "imported"]
    error = outcomes[1].error
    assert error is not None and error.key == "value.amount"
    assert (error.problems[0].line, error.problems[0].column) == (4, "amount")
    assert _sources(lx) == {"1000": 2, "1002": 2}


# ---- files of one layout staged with one read ---------------------------------------


def _payments(where: Path, broken: dict[int, dict[str, str]] | None = None) -> list[Path]:
    """Three monthly Shopify Payments exports; `broken` replaces a file's row 2."""
    from test_shopify import ALL_TX, write_payments

    where.mkdir(exist_ok=True)
    paths = []
    for n, rows in enumerate((ALL_TX[:3], ALL_TX[3:6], ALL_TX[6:])):
        rows = [dict(r) for r in rows]
        if broken and n in broken:
            rows[1].update(broken[n])
        paths.append(write_payments(where / f"payments-{n}.csv", rows))
    return paths


def test_files_of_one_layout_are_read_and_parsed_once(lx: Lianxing, tmp_path: Path) -> None:
    _payments(tmp_path / "in")
    counting = _Counting(lx.db.con)
    lx.db.con = counting  # type: ignore[assignment]
    batched = [o.status for o in _import_folder(lx, tmp_path / "in")]
    assert batched == ["imported"] * 3
    assert sum("read_csv(" in s for s in counting.statements) == 1
    assert sum("lx_local_time(" in s for s in counting.statements) == 1
    assert counting.seen.count("COMMIT") == 1
    with Lianxing.init(tmp_path / "alone") as alone:
        for path in sorted((tmp_path / "in").iterdir()):
            alone.import_file(path)
        assert _ledger_lines(alone) == _ledger_lines(lx) != []


def _ledger_lines(lx: Lianxing) -> list[tuple[object, ...]]:
    return lx.db.query(
        """SELECT s.file_name, l.line, l.cell, l.posted_at, l.business_date, l.order_id,
                  l.category, l.amount, l.settlement_id
           FROM ledger l JOIN sources s USING (source_id) ORDER BY ALL"""
    )


def test_a_bad_value_in_a_batched_file_names_its_own_line(lx: Lianxing, tmp_path: Path) -> None:
    _payments(tmp_path / "in", broken={1: {"Fee": "n/a"}})
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in outcomes] == ["imported", "failed", "imported"]
    error = outcomes[1].error
    assert error is not None and error.key == "value.amount"
    problem = error.problems[0]
    assert (Path(str(problem.file)).name, problem.line, problem.column) == (
        "payments-1.csv",
        3,
        "Fee",
    )
    files = {r[0] for r in lx.db.query("SELECT file_name FROM sources")}
    assert files == {"payments-0.csv", "payments-2.csv"}


def test_a_broken_line_in_a_batched_file_is_named_by_its_line(lx: Lianxing, tmp_path: Path) -> None:
    paths = _payments(tmp_path / "in")
    lines = paths[2].read_text().splitlines()
    lines[2] += ",an extra field"
    paths[2].write_text("\n".join(lines) + "\n")
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in outcomes] == ["imported", "imported", "failed"]
    error = outcomes[2].error
    assert error is not None and error.key == "file.columns"
    assert error.problems[0].line == 3
    assert lx.db.query("SELECT count(*) FROM sources") == [(2,)]


def test_a_folder_imported_again_is_unchanged(lx: Lianxing, tmp_path: Path) -> None:
    _settlements(tmp_path / "in", 2)
    _payments(tmp_path / "in")
    assert {o.status for o in _import_folder(lx, tmp_path / "in")} == {"imported"}
    before = _ledger_lines(lx)
    again = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in again] == ["unchanged"] * 5
    assert _ledger_lines(lx) == before


def test_a_file_spoiling_its_group_read_leaves_each_file_read_alone(
    lx: Lianxing, tmp_path: Path
) -> None:
    """One export mixing CRLF and LF line ends: the files are then read one by one,
    and all of them import as they would alone."""
    paths = _payments(tmp_path / "in")
    lines = paths[1].read_bytes().split(b"\n")
    paths[1].write_bytes(b"\r\n".join(lines[:2]) + b"\r\n" + b"\n".join(lines[2:]))
    outcomes = _import_folder(lx, tmp_path / "in")
    assert [o.status for o in outcomes] == ["imported"] * 3
    with Lianxing.init(tmp_path / "alone") as alone:
        for path in paths:
            alone.import_file(path)
        assert _ledger_lines(alone) == _ledger_lines(lx) != []
