"""Bad input: a clear error naming file, line and column, a non-zero exit, and the
database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import V2_HEADER, ledger_fingerprint, run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError

O1 = "111-0000001-0000001"


def good_rows() -> list[dict[str, str]]:
    item = {"order": O1, "sku": "S1", "qty": "1", "item": "1"}
    return [
        v2_row("Order", "ItemPrice", "Principal", "10.00", **item),
        v2_row("Order", "ItemFees", "Commission", "-1.50", **item),
        v2_row("other-transaction", "other-transaction", "Storage Fee", "-2.00"),
    ]


@pytest.fixture
def seeded(lx: Lianxing, tmp_path: Path) -> Lianxing:
    """A workspace that already holds one settlement, so 'unchanged' is meaningful."""
    lx.import_settlement(write_v2(tmp_path / "first.txt", good_rows(), settlement_id="1"))
    return lx


def expect_failure(facade: Lianxing, path: Path, key: str) -> InputError:
    before = ledger_fingerprint(facade)
    with pytest.raises(InputError) as info:
        facade.import_settlement(path)
    assert info.value.problems[0].key == key, str(info.value)
    assert ledger_fingerprint(facade) == before
    return info.value


def test_non_numeric_amount_names_line_and_column(seeded: Lianxing, tmp_path: Path) -> None:
    rows = good_rows()
    rows[1]["amount"] = "12,3x"
    path = write_v2(tmp_path / "bad.txt", rows, settlement_id="2", total="0.00")
    error = expect_failure(seeded, path, "value.amount")
    problem = error.problems[0]
    assert (problem.file, problem.line, problem.column) == (str(path), 4, "amount")
    assert "12,3x" in str(error) and "line 4" in str(error) and "column 'amount'" in str(error)


def test_truncated_line_is_refused(seeded: Lianxing, tmp_path: Path) -> None:
    path = write_v2(tmp_path / "cut.txt", good_rows(), settlement_id="2")
    lines = path.read_text().split("\n")
    lines[3] = "\t".join(lines[3].split("\t")[:9])  # the line stops after 9 fields
    path.write_text("\n".join(lines))
    error = expect_failure(seeded, path, "file.columns")
    assert error.problems[0].line == 4
    assert "9 fields" in str(error) and "23" in str(error)


def test_a_file_that_is_not_a_settlement(seeded: Lianxing, tmp_path: Path) -> None:
    path = tmp_path / "orders.txt"
    path.write_text("amazon-order-id\tpurchase-date\tsku\n111\t2026-01-01\tS1\n")
    error = expect_failure(seeded, path, "file.unknown_kind")
    assert error.problems[0].line == 1
    half = tmp_path / "half.txt"
    half.write_text("settlement-id\ttotal-amount\tcurrency\n1\t2\tUSD\n")
    expect_failure(seeded, half, "file.not_settlement")


def test_missing_summary_row(seeded: Lianxing, tmp_path: Path) -> None:
    path = write_v2(tmp_path / "nosum.txt", good_rows(), settlement_id="3")
    lines = path.read_text().split("\n")
    del lines[1]
    path.write_text("\n".join(lines))
    expect_failure(seeded, path, "file.no_summary")


def test_bad_date_names_the_posted_column(seeded: Lianxing, tmp_path: Path) -> None:
    rows = good_rows()
    rows[2]["posted-date-time"] = "yesterday"
    error = expect_failure(
        seeded, write_v2(tmp_path / "d.txt", rows, settlement_id="4"), "value.date"
    )
    assert (error.problems[0].line, error.problems[0].column) == (5, "posted-date-time")


def test_rows_of_another_settlement_are_refused(seeded: Lianxing, tmp_path: Path) -> None:
    path = write_v2(tmp_path / "mix.txt", good_rows(), settlement_id="5")
    text = path.read_text().replace("\n5\t", "\n6\t", 2).replace("\n6\t\t\t\t", "\n5\t\t\t\t", 1)
    path.write_text(text)
    expect_failure(seeded, path, "file.several_settlements")


def test_utf16_is_refused(seeded: Lianxing, tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("settlement-id\tamount\n1\t2\n".encode("utf-16"))
    error = expect_failure(seeded, path, "file.encoding")
    assert "NUL" in str(error)


def test_bytes_neither_utf8_nor_windows_1252_are_refused(seeded: Lianxing, tmp_path: Path) -> None:
    path = write_v2(tmp_path / "enc.txt", good_rows(), settlement_id="13")
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"S1", b"S\x81\x8d")  # 0x81 is undefined in windows-1252
    path.write_bytes(b"\n".join(lines))
    error = expect_failure(seeded, path, "file.encoding")
    assert "0x81" in str(error) and error.problems[0].line == 4


def test_windows_1252_and_bom_are_read(lx: Lianxing, tmp_path: Path) -> None:
    rows = good_rows()
    rows[0]["sku"] = "CAFÉ-€"
    path = write_v2(tmp_path / "cp.txt", rows, settlement_id="7", encoding="cp1252")
    result = lx.import_settlement(path)
    assert result.reconciled
    skus = {r["sku"] for r in lx.profit(by="sku").rows}
    assert "CAFÉ-€" in skus
    bom = tmp_path / "bom.txt"
    write_v2(bom, good_rows(), settlement_id="8")
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    assert lx.import_settlement(bom).reconciled


def test_columns_are_found_by_name_and_extras_ignored(lx: Lianxing, tmp_path: Path) -> None:
    header = [*reversed(V2_HEADER), "promotion-id", "brand-new-column"]
    path = write_v2(tmp_path / "shuffled.txt", good_rows(), settlement_id="9", header=header)
    result = lx.import_settlement(path)
    assert result.reconciled
    assert result.ignored_columns == ["brand-new-column"]
    [store] = lx.profit(by="store").rows
    assert store["sales"] == 10 and store["units"] == 1


def test_hostile_values_are_data_not_sql(lx: Lianxing, tmp_path: Path) -> None:
    rows = good_rows()
    rows[0]["sku"] = "x'); DROP TABLE ledger; --"
    rows[2]["amount-description"] = "Fee'; DELETE FROM sources; --"
    result = lx.import_settlement(write_v2(tmp_path / "h.txt", rows, settlement_id="10"))
    assert result.reconciled
    assert [u.amount_description for u in result.unmapped] == ["Fee'; DELETE FROM sources; --"]
    assert len(lx.sources()) == 1


def test_blank_lines_do_not_shift_line_numbers(lx: Lianxing, tmp_path: Path) -> None:
    rows = good_rows()
    rows[2]["amount"] = "abc"
    path = write_v2(tmp_path / "blank.txt", rows, settlement_id="11", total="0")
    lines = path.read_text().split("\n")
    lines.insert(3, "")  # a blank line before the first order row's fee
    path.write_text("\n".join(lines))
    with pytest.raises(InputError) as info:
        lx.import_settlement(path)
    assert info.value.problems[0].line == 6
    assert path.read_text().split("\n")[5].split("\t")[14] == "abc"


def test_cli_exits_non_zero_with_a_plain_message(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    rows = good_rows()
    rows[0]["amount"] = "ten"
    path = write_v2(tmp_path / "bad.txt", rows, settlement_id="12", total="0")
    result = run_cli(["--workspace", str(ws), "import", str(path)])
    assert result.exit_code == 2
    assert "line 3" in result.stderr and "column 'amount'" in result.stderr
    assert "'ten' is not an amount" in result.stderr
    assert "nothing of it was written" in result.stderr
    zh = run_cli(["--lang", "zh", "--workspace", str(ws), "import", str(path)])
    assert zh.exit_code == 2 and "第 3 行" in zh.stderr and "不是有效金额" in zh.stderr
    assert "Traceback" not in result.stderr + zh.stderr
