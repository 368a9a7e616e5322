"""Walmart recon reports of a folder are checked and written from their group's one
read (`lianxing.ingest.walmart_group`): the same rows, the same problems, the same
lines as importing each file alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_walmart import ROWS, line, sale, summary, write_recon

from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import folder, tabular, walmart_group
from lianxing.ingest.folder_batch import FolderBatch


def _period(n: int) -> tuple[str, str]:
    return f"03/{n + 1:02d}/2026", f"03/{n + 1:02d}/2026"


def _good(n: int) -> list[dict[str, str]]:
    start, end = _period(n)
    rows = [summary(f"{n}.15", start, end), *ROWS[1:]]
    return [rows[0], *sale(f"9{n}", "MUG", str(n + 1), f"{n}.00", "0.10", "-0.50"), *rows[1:]]


def _outcomes(lx: Lianxing, files: list[Path], batch: bool) -> list[tuple[Any, ...]]:
    """Each file's status, or its problems (key, line, column), in folder order."""
    found: list[folder.Outcome] = []
    targets = [folder.Target(p, True) for p in files]
    if batch:
        folder.import_all(targets, lx.import_file, found.append, FolderBatch(lx.db))
    else:
        for target in targets:
            found.append(folder._attempt(target, lx.import_file))
    return [
        (o.path.name, o.status)
        + (
            tuple((p.key, p.line, p.column) for p in o.error.problems)
            if o.error is not None
            else (
                o.result.rows,
                o.result.written,
                o.result.rows_sum,
                o.result.total_amount,
                o.result.unmapped,
            )
        )
        for o in found
    ]


def _stored(lx: Lianxing) -> tuple[Any, ...]:
    con = lx.db.con
    return (
        con.execute("SELECT * FROM ledger ORDER BY rowid").fetchall(),
        con.execute("SELECT * EXCLUDE (imported_at) FROM sources ORDER BY source_id").fetchall(),
    )


OPENED: list[Path] = []  # files opened from their group, in the last _compare


def _compare(tmp_path: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch) -> int:
    """Import the files as a folder and each alone; the same outcomes and rows.
    Returns how many files the folder wrote from their group."""
    written = []
    OPENED.clear()
    original, open_read = walmart_group.write_ledger, walmart_group.open_read

    def counting(*args: Any, **kwargs: Any) -> int:
        written.append(1)
        return original(*args, **kwargs)

    def opening(db: Any, workspace: Any, path: Path, *args: Any) -> Any:
        opened = open_read(db, workspace, path, *args)
        if opened is not None:
            OPENED.append(path)
        return opened

    monkeypatch.setattr(walmart_group, "write_ledger", counting)
    monkeypatch.setattr(walmart_group, "open_read", opening)
    with Lianxing.init(tmp_path / "batch") as lx:
        batched = _outcomes(lx, files, batch=True)
        batched_rows = _stored(lx)
    fast = len(written)
    with Lianxing.init(tmp_path / "alone") as lx:
        alone = _outcomes(lx, files, batch=False)
        alone_rows = _stored(lx)
    assert len(written) == fast  # files imported alone never take the group path
    assert batched == alone
    assert batched_rows == alone_rows
    return fast


@pytest.mark.parametrize("unmapped", [True, False])
def test_a_folder_of_clean_reports_is_written_from_its_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unmapped: bool
) -> None:
    where = tmp_path / "in"
    where.mkdir()
    files = []
    for n in range(4):
        rows = _good(n)
        if not unmapped:  # 'Misc Invoices' maps to no category
            rows = [r for r in rows if r.get("Transaction Description") != "Misc Invoices"]
        files.append(write_recon(where / f"r{n}.csv", rows, trailer=False))
    assert _compare(tmp_path, files, monkeypatch) == 4
    assert files[1:] == OPENED  # the first file's staging reads the group
    with Lianxing.open(tmp_path / "batch") as lx:
        listed = lx.db.query("SELECT count(*) FROM ledger WHERE category = 'unmapped'")
    assert (listed[0][0] > 0) == unmapped


BAD = [
    [summary("1.00"), line("Sale", "Product Price", "x", po="1")],
    [summary("1.00"), line("Sale", "Product Price", "1.00", po="1", qty="1000000")],
    [summary("1.00"), summary("2.00"), line("Sale", "Product Price", "1.00", po="1")],
    [line("Sale", "Product Price", "1.00", po="1")],
    [summary("1.00"), line("Sale", "Product Price", "1.00", po="1", when="")],
    [summary("1.00"), {**line("Sale", "Product Price", "1.00", po="1"), "Currency": "CAD"}],
    [summary("1.00"), ROWS[1], ROWS[1]],
    # Rows that differ only in spaces around a value repeat each other.
    [summary("1.00"), ROWS[1], {**ROWS[1], "Amount Type": " Product Price "}],
    [summary("1.00"), {**ROWS[1], "Partner Item Id": "A" * 501}],
    [summary("1.00"), {**ROWS[1], "Partner Item Id": "A\x01B"}],
    [summary("1.00"), {**ROWS[1], "Purchase Order #": "  "}],
    [summary("99999999999999.00"), ROWS[1]],
    [summary("1.00"), {**ROWS[1], "Amount": "99999999999999.00"}],
]


def test_bad_reports_among_clean_ones_name_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "in"
    where.mkdir()
    files = []
    for n, rows in enumerate(BAD):
        start, end = _period(n)
        dated = [
            {**r, "Period Start Date": start, "Period End Date": end}
            if r.get("Transaction Type") == "PaymentSummary"
            else r
            for r in rows
        ]
        files.append(write_recon(where / f"b{n:02d}.csv", dated, trailer=False))
        files.append(write_recon(where / f"g{n:02d}.csv", _good(n + 20), trailer=False))
    # Files the group read cannot serve as they are: a line the reader rejects, a
    # blank line, mixed line ends, windows-1252 text, a trailer line.
    odd = [write_recon(where / f"o{n}.csv", _good(40 + n), trailer=False) for n in range(5)]
    odd[0].write_bytes(odd[0].read_bytes() + b"1,2,3" + b",x" * 40 + b"\n")
    odd[1].write_bytes(odd[1].read_bytes().replace(b"\n", b"\n\n", 3))
    odd[2].write_bytes(odd[2].read_bytes().replace(b"\n", b"\r\n", 3))
    odd[3].write_bytes(odd[3].read_bytes().replace(b"Purchase", "Caf\u00e9".encode("cp1252")))
    write_recon(odd[4], _good(44), trailer=True)
    files += odd
    assert _compare(tmp_path, files, monkeypatch) >= len(BAD)
    assert not set(odd) & set(OPENED)
    assert len(OPENED) >= 2 * len(BAD) - 1


CELLS = {
    "Amount": ["1.00", "0", "-0.00", "", "12.345", "x", "-3.5", " 2.00 "],
    "Amount Type": ["Product Price", "Product tax", "product price", "", "Fee/Reimbursement"],
    "Ship Qty": ["", "1", "0", "-2", "1000000", "a"],
    "Transaction Type": ["Sale", "Refund", "Adjustment", "paymentsummary", ""],
    "Transaction Posted Timestamp": ["03/05/2026", "", "13/45/2026", "03/06/2026 10:11:12"],
    "Partner Item Id": ["MUG", "", " MUG ", "A\tB"],
    "Currency": ["USD", "", "usd", "CAD"],
}


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_folders_give_what_each_file_alone_gives(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    tmp_path = tmp_path_factory.mktemp("walmart")
    where = tmp_path / "in"
    where.mkdir()
    files = []
    for n in range(data.draw(st.integers(2, 3))):
        rows = _good(n)
        for _ in range(data.draw(st.integers(0, 3))):
            row = dict(rows[data.draw(st.integers(1, len(rows) - 1))])
            row["Purchase Order #"] = f"X{len(rows)}"
            for column in data.draw(st.sets(st.sampled_from(sorted(CELLS)), max_size=3)):
                row[column] = data.draw(st.sampled_from(CELLS[column]))
            rows.append(row)
        files.append(write_recon(where / f"r{n}.csv", rows, trailer=False))
    with pytest.MonkeyPatch.context() as monkeypatch:
        _compare(tmp_path, files, monkeypatch)


def test_a_file_failing_half_way_leaves_its_group_serving_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder's transaction is undone (with the tables made from the group); the
    files before are imported again alone and the rest in a new transaction."""
    where = tmp_path / "in"
    where.mkdir()
    files = [write_recon(where / f"r{n}.csv", _good(n), trailer=False) for n in range(5)]
    real = tabular.ledger.set_coverage

    def fail_for_the_third(db: Any, source_id: int) -> None:
        real(db, source_id)  # its rows are written by now
        name = db.query("SELECT file_name FROM sources WHERE source_id = ?", [source_id])
        if name == [("r2.csv",)]:
            raise InputError.at("file.bad_line", file=str(files[2]), detail="disk hiccup")

    monkeypatch.setattr(tabular.ledger, "set_coverage", fail_for_the_third)
    parsed, parse_group = [], walmart_group._parse_group

    def parsing(*args: Any) -> None:
        parsed.append(1)
        parse_group(*args)

    monkeypatch.setattr(walmart_group, "_parse_group", parsing)
    stored = []
    for batch in (True, False):
        with Lianxing.init(tmp_path / f"ws-{batch}") as lx:
            outcomes = _outcomes(lx, files, batch=batch)
            if batch:  # parsed again after the undone transaction took its table
                assert len(parsed) == 2
            stored.append(
                lx.db.query(
                    """SELECT s.file_name, l.* EXCLUDE (source_id) FROM ledger l
                       JOIN sources s USING (source_id) ORDER BY s.file_name, l.rowid"""
                )
            )
        assert [o[1] for o in outcomes] == ["imported"] * 2 + ["failed"] + ["imported"] * 2
    assert stored[0] == stored[1]
    assert len({r[0] for r in stored[0]}) == 4
