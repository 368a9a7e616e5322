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


def test_gbk_text_is_refused_not_stored_as_mojibake(lx: Lianxing, tmp_path: Path) -> None:
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
    sheet = tmp_path / "costs.csv"
    sheet.write_bytes(
        "sku,effective_from,unit_cost,currency\n婴儿杯-01,2026-01-01,5,CNY\n".encode("gbk")
    )
    with pytest.raises(InputError) as info:
        lx.import_costs(sheet)
    assert "GBK" in str(info.value)


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
