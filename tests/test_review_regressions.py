"""Edge cases found in review, each pinned so it stays fixed."""

from __future__ import annotations

from pathlib import Path

from conftest import V2_HEADER, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.codemap import CodeMap


def test_a_bare_posted_date_is_the_stores_business_day(lx: Lianxing, tmp_path: Path) -> None:
    header = [c for c in V2_HEADER if c != "posted-date-time"]
    rows = [
        v2_row(
            "Order",
            "ItemPrice",
            "Principal",
            "10.00",
            order="1",
            sku="S",
            qty="1",
            item="1",
            when="2026-03-02",
        ),
        v2_row(
            "Order",
            "ItemPrice",
            "Principal",
            "5.00",
            order="2",
            sku="S",
            qty="1",
            item="2",
            when="03.03.2026",
        ),
    ]
    for row in rows:
        row["posted-date"] = row.pop("posted-date-time")
    lx.import_settlement(write_v2(tmp_path / "d.txt", rows, header=header))
    days = {r["day"]: r["sales"] for r in lx.profit(by="day").rows}
    assert set(days) == {"2026-03-02", "2026-03-03"}


def test_unknown_chargeback_codes_stay_unmapped() -> None:
    codemap = CodeMap("amazon")
    category, _ = codemap.resolve("v2", "Chargeback Refund", "ItemFees", "SomeBrandNewFee")
    assert category == "unmapped"
    assert codemap.resolve("legacy", "Successful charge", "other", "")[0] == "transfers.card_charge"


def test_a_settlement_with_only_its_summary_row(lx: Lianxing, tmp_path: Path) -> None:
    result = lx.import_settlement(write_v2(tmp_path / "empty.txt", [], total="0.00"), store_id="us")
    assert result.reconciled and result.rows == 0


def test_header_names_never_become_sql(lx: Lianxing, tmp_path: Path) -> None:
    header = [
        "settlement-id",
        "settlement-start-date",
        "settlement-end-date",
        "deposit-date",
        "total-amount",
        "currency",
        "transaction-type",
        "posted-date",
        "c99-amount",
        "other-amount",
    ]
    lines = [
        "\t".join(header),
        "9\t2026-03-01\t2026-03-15\t2026-03-17\t-3.00\tUSD\t\t\t\t",
        "9\t\t\t\t\t\tStorage Fee\t2026-03-05\t-1.00\t-2.00",
    ]
    path = tmp_path / "c99.txt"
    path.write_text("\n".join(lines) + "\n")
    result = lx.import_settlement(path, store_id="us")
    assert result.reconciled and result.rows == 2


def test_gbk_settlement_is_refused_and_a_gbk_cost_sheet_is_read(
    lx: Lianxing, tmp_path: Path
) -> None:
    import pytest

    from lianxing.errors import InputError

    rows = [
        v2_row(
            "Order",
            "ItemPrice",
            "Principal",
            "10.00",
            order="1",
            sku="婴儿杯-01",
            qty="1",
            item="1",
        )
    ]
    path = write_v2(tmp_path / "gbk.txt", rows, encoding="gbk")
    with pytest.raises(InputError) as info:
        lx.import_settlement(path)
    assert "GBK" in str(info.value)
    assert lx.sources() == []
    # A cost sheet in GBK (Excel on Chinese Windows) is read as such, and says so.
    sheet = tmp_path / "costs.csv"
    sheet.write_bytes(
        "sku,effective_from,unit_cost,currency\n婴儿杯-01,2026-01-01,5,CNY\n".encode("gbk")
    )
    assert lx.import_costs(sheet).encoding == "gb18030"
    assert lx.db.query("SELECT sku FROM cogs") == [("婴儿杯-01",)]


def test_mixed_line_endings_are_read(lx: Lianxing, tmp_path: Path) -> None:
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "10.00", order="1", sku="S", qty="1", item="1"),
        v2_row("other-transaction", "other-transaction", "Storage Fee", "-1.00"),
    ]
    path = write_v2(tmp_path / "mixed.txt", rows)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2] + b"\r"  # one CRLF line in an LF file
    path.write_bytes(b"\n".join(lines))
    result = lx.import_settlement(path)
    assert result.reconciled and result.rows == 2


def test_adding_a_store_keeps_the_users_comments(lx: Lianxing, tmp_path: Path) -> None:
    config = lx.workspace.config_path
    config.write_text(config.read_text() + "\n# our note: fee tax stays a cost for now\n")
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "10.00", order="1", sku="S", qty="1", item="1")
    ]
    lx.import_settlement(write_v2(tmp_path / "a.txt", rows))
    text = config.read_text()
    assert "# our note: fee tax stays a cost for now" in text
    assert 'id = "amazon-com"' in text
    from lianxing.workspace import Workspace

    assert [s.id for s in Workspace.load(config.parent).config.stores] == ["amazon-com"]


def test_numbers_out_of_range_are_refused_not_rounded(lx: Lianxing, tmp_path: Path) -> None:
    import pytest

    from lianxing.errors import InputError

    sheet = tmp_path / "costs.csv"
    sheet.write_text(
        "sku,effective_from,unit_cost,currency\nA,2026-01-01,1.23456,USD\n"
        "B,2026-01-01,123456789012345,USD\n"
    )
    with pytest.raises(InputError) as info:
        lx.import_costs(sheet)
    assert [p.line for p in info.value.problems] == [2, 3]
    assert "at most 4 decimals" in str(info.value)
    rates = tmp_path / "fx.csv"
    rates.write_text("date,from,to,rate\n2026-01-01,USD,IDR,0.0000000001\n")
    with pytest.raises(InputError):
        lx.import_rates(rates)
    rows = [
        v2_row(
            "Order", "ItemPrice", "Principal", "1.00", order="1", sku="S", qty="999999999", item="1"
        )
    ]
    with pytest.raises(InputError) as info:
        lx.import_settlement(write_v2(tmp_path / "q.txt", rows))
    assert info.value.problems[0].column == "quantity-purchased"


def test_an_unreconciled_file_never_replaces_a_reconciled_one(lx: Lianxing, tmp_path: Path) -> None:
    import pytest

    from lianxing.errors import InputError

    rows = [
        v2_row("Order", "ItemPrice", "Principal", "10.00", order="1", sku="S", qty="1", item="1"),
        v2_row("other-transaction", "other-transaction", "Storage Fee", "-1.00"),
    ]
    lx.import_settlement(write_v2(tmp_path / "good.txt", rows), store_id="us")
    cut = write_v2(tmp_path / "cut.txt", rows[:1], total="9.00")  # summary says 9.00
    with pytest.raises(InputError) as info:
        lx.import_settlement(cut, store_id="us")
    assert info.value.key == "import.worse_replacement"
    [source] = lx.sources()
    assert source["file_name"] == "good.txt" and source["reconciled"]


def test_rates_in_both_directions_must_agree_and_rmb_means_cny(
    lx: Lianxing, tmp_path: Path
) -> None:
    import pytest

    from lianxing.errors import InputError

    bad = tmp_path / "fx.csv"
    bad.write_text("date,from,to,rate\n2026-01-01,USD,CNY,7.1\n2026-01-01,CNY,USD,0.2\n")
    with pytest.raises(InputError) as info:
        lx.import_rates(bad)
    assert info.value.key == "fx.conflict" and info.value.problems[0].line == 3
    good = tmp_path / "fx2.csv"
    good.write_text("date,from,to,rate\n2026-01-01,USD,RMB,7.1\n")
    lx.import_rates(good)
    costs = tmp_path / "c.csv"
    costs.write_text("sku,effective_from,unit_cost,currency\nS,2026-01-01,71,rmb\n")
    lx.import_costs(costs)
    rows = [
        v2_row("Order", "ItemPrice", "Principal", "20.00", order="1", sku="S", qty="1", item="1")
    ]
    lx.import_settlement(write_v2(tmp_path / "s.txt", rows))
    [sku] = lx.profit(by="sku").rows
    assert sku["cogs"] == -10 and sku["net_profit"] == 10
    assert lx.profit(by="sku", currency="RMB").rows[0]["net_profit"] == 71


def test_a_folder_of_sources_imports_at_once(tmp_path: Path, samples: list[Path]) -> None:
    import json
    import shutil

    from conftest import run_cli

    folder = tmp_path / "in"
    folder.mkdir()
    for sample in samples:  # the first, fee-only file sorts first and names no marketplace
        shutil.copy(sample, folder)
    (folder / "zz-costs.csv").write_text(
        "sku,effective_from,unit_cost,currency\nX,2025-01-01,1,CAD\n"
    )
    ws = tmp_path / "ws"
    run_cli(["init", str(ws)])
    result = run_cli(["-w", str(ws), "import", str(folder), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    done = json.loads(result.stdout)
    assert len(done) == 7
    assert {d["kind"] for d in done} == {"amazon_settlement_legacy", "cogs"}
    assert all(d["reconciled"] for d in done if d["kind"] != "cogs")


def test_ledger_says_when_there_are_more_rows_and_refuses_unknown_filters(
    tmp_path: Path, samples: list[Path]
) -> None:
    from conftest import run_cli

    ws = tmp_path / "ws"
    run_cli(["init", str(ws)])
    run_cli(["-w", str(ws), "import", str(samples[-1]), "--store", "ca"])
    some = run_cli(["-w", str(ws), "ledger", "--limit", "3", "-f", "json"])
    assert some.exit_code == 0 and "--limit" in some.stderr
    assert run_cli(["-w", str(ws), "ledger", "--category", "refundz"]).exit_code == 2
    assert run_cli(["-w", str(ws), "ledger", "--store", "nope"]).exit_code == 2
    unmapped = run_cli(["-w", str(ws), "sources", "--unmapped", "-f", "json"])
    assert unmapped.exit_code == 0 and unmapped.stdout.strip() == "[]"
