"""QA of the Walmart folder-group path: hostile folders give, file for file, the same
results, the same messages and the same ledger as importing each file alone."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from test_walmart import ROWS, line, sale, summary, write_recon

from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.ingest import folder, walmart_group
from lianxing.ingest.folder_batch import FolderBatch


def _good(n: int) -> list[dict[str, str]]:
    """A report of day n that reconciles."""
    day = f"03/{n + 1:02d}/2026"
    rows = [summary(f"{n + 4}.65", day, day), *ROWS[1:]]
    return [rows[0], *sale(f"9{n}", "MUG", str(n + 1), f"{n}.00", "0.10", "-0.50"), *rows[1:]]


def _result(o: folder.Outcome) -> tuple[Any, ...]:
    if o.error is not None:
        return (o.path.name, o.status, o.error.key, str(o.error))
    r = o.result
    return (o.path.name, o.status, {k: v for k, v in vars(r).items() if k != "new_store"})


def _run(root: Path, files: list[Path], batch: bool, before: list[Path]) -> Any:
    with Lianxing.init(root) as lx:
        for path in before:
            lx.import_file(path)
        targets = [folder.Target(p, True) for p in files]
        found: list[folder.Outcome] = []
        if batch:
            folder.import_all(targets, lx.import_file, found.append, FolderBatch(lx.db))
        else:
            for target in targets:
                found.append(folder._attempt(target, lx.import_file))
        con = lx.db.con
        return (
            [_result(o) for o in found],
            con.execute("SELECT * FROM ledger ORDER BY rowid").fetchall(),
            con.execute("SELECT * EXCLUDE (imported_at) FROM sources ORDER BY 1").fetchall(),
        )


def compare(tmp_path: Path, files: list[Path], before: Sequence[Path] = ()) -> int:
    written: list[int] = []
    original = walmart_group.write_ledger

    def counting(*args: Any, **kwargs: Any) -> int:
        written.append(1)
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(walmart_group, "write_ledger", counting)
        batched = _run(tmp_path / "batch", files, True, list(before))
        fast = len(written)
        alone = _run(tmp_path / "alone", files, False, list(before))
    for a, b in zip(batched[0], alone[0], strict=True):
        assert a == b
    assert batched[1] == alone[1]
    assert batched[2] == alone[2]
    return fast


def test_hostile_folder(tmp_path: Path) -> None:
    where = tmp_path / "in"
    where.mkdir()
    files = [write_recon(where / f"a{n}.csv", _good(n), trailer=False) for n in range(14)]
    # 0: UTF-8 byte-order mark
    files[0].write_bytes(b"\xef\xbb\xbf" + files[0].read_bytes())
    # 1: a quoted reason spanning two lines
    rows = _good(1)
    rows[2] = {**rows[2], "Transaction Reason Description": "two\nlines"}
    write_recon(files[1], rows, trailer=False)
    # 2: Walmart's trailer padded with commas to the header's width
    text = files[2].read_text().split("\n", 1)
    files[2].write_text(text[0] + "\nNumber of Lines in file 9" + "," * 29 + "\n" + text[1])
    # 3: header only; 4: no money row
    files[3].write_text(files[3].read_text().split("\n", 1)[0] + "\n")
    write_recon(files[4], [summary("0.00", "03/05/2026", "03/05/2026")], trailer=False)
    # 5: a copy of file 6 (same bytes); 7 same period as 6, not reconciling
    write_recon(files[5], _good(6), trailer=False)
    write_recon(files[7], [summary("10.65", "03/07/2026", "03/07/2026"), *ROWS[1:4]], trailer=False)
    # 8: windows-1252 on a late data line
    rows = _good(8)
    rows[-1] = {**rows[-1], "Transaction Reason Description": "Caf\u00e9"}
    write_recon(files[8], rows, trailer=False)
    files[8].write_bytes(files[8].read_text().encode("cp1252"))
    # 9: blank lines at the end only; 10: no line end on the last line; 11: CRLF
    files[9].write_bytes(files[9].read_bytes() + b"\n\n")
    files[10].write_bytes(files[10].read_bytes().rstrip(b"\n"))
    files[11].write_bytes(files[11].read_bytes().replace(b"\n", b"\r\n"))
    # 12: long multi-byte SKU (under 500 characters, over 500 bytes); money as '$1,000.00'
    rows = _good(12)
    rows[1] = {**rows[1], "Partner Item Id": "\u676f" * 200}
    rows[0] = {**rows[0], "Total Payable": "$1,016.65"}
    rows.append(line("Adjustment", "Fee/Reimbursement", "$1,000.00", description="x", key="Z"))
    write_recon(files[12], rows, trailer=False)
    # 13: a duplicated row near the end, lower-case currency
    rows = [{**r, "Currency": "usd"} for r in _good(13)]
    write_recon(files[13], [*rows, rows[-2]], trailer=False)
    # 9 was imported before: unchanged; the clean new files are written from the group
    assert compare(tmp_path, files, before=[files[9]]) >= 5


def test_a_folder_rolled_back_half_way_gives_the_same_ledger(tmp_path: Path) -> None:
    where = tmp_path / "in"
    where.mkdir()
    files = [write_recon(where / f"a{n}.csv", _good(n), trailer=False) for n in range(5)]
    original = walmart_group.write_ledger
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        written = original(*args, **kwargs)
        if len(calls) == 2:
            raise OSError("disk full")  # a file that fails half-way through its writes
        return written

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(walmart_group, "write_ledger", failing)
        batched = _run(tmp_path / "batch", files, True, [])
    alone = _run(tmp_path / "alone", files, False, [])

    # Source ids a rolled-back batch took are not given again: compare without them.
    def plain(run: Any) -> Any:
        results = [(r[0], r[1], {**r[2], "source_id": 0}) for r in run[0]]
        return results, [r[1:] for r in run[1]], [r[1:] for r in run[2]]

    got, expected = plain(batched), plain(alone)
    for a, b in zip(got[0], expected[0], strict=True):
        assert a == b
    assert got[1] == expected[1]
    assert got[2] == expected[2]


def test_a_bad_posted_time_is_named_once_per_line(tmp_path: Path) -> None:
    """Posted time and posted day read one column: a bad value there is one problem,
    and the ten problems a message lists are ten lines, in a folder as alone."""
    where = tmp_path / "in"
    where.mkdir()
    rows = _good(1)
    for n in range(3, 16):
        rows[n] = {**rows[n], "Transaction Posted Timestamp": "13/45/2026"}
    files = [write_recon(where / "bad.csv", rows, trailer=False)]
    files += [write_recon(where / f"g{n}.csv", _good(n), trailer=False) for n in range(2, 4)]
    compare(tmp_path, files)
    with Lianxing.init(tmp_path / "one") as lx, pytest.raises(InputError) as caught:
        lx.import_file(files[0])
    lines = [p.line for p in caught.value.problems]
    assert lines == list(range(5, 15))
    assert {(p.key, p.column) for p in caught.value.problems} == {
        ("value.date", "Transaction Posted Timestamp")
    }
    assert str(caught.value).count("line 5,") == 1


def test_a_bad_mapped_date_is_named_once_per_line(tmp_path: Path) -> None:
    from test_mapped import FREIGHT_HEADER, FREIGHT_MAPPING, FREIGHT_ROWS, write, write_rows

    rows = [list(r) for r in FREIGHT_ROWS]
    rows[1][1] = rows[3][1] = "2026年13月40日"
    data = write_rows(tmp_path / "freight.csv", FREIGHT_HEADER, rows)
    mapping = write(tmp_path / "freight.yaml", FREIGHT_MAPPING)
    with Lianxing.init(tmp_path / "ws") as lx, pytest.raises(InputError) as caught:
        lx.import_mapped(data, mapping)
    assert [(p.key, p.line, p.column) for p in caught.value.problems] == [
        ("value.date", 3, "开船日期"),
        ("value.date", 5, "开船日期"),
    ]
