"""The KPI measure table: the same numbers as computing from the ledger in the query,
rebuilt whenever anything it is built from changes, and never half-built."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.store import measure_days


def _settlement(tmp: Path, name: str, settlement_id: str, amount: str, sku: str = "MUG") -> Path:
    rows = [
        v2_row("Order", "ItemPrice", "Principal", amount, order=f"O-{settlement_id}", sku=sku,
               qty="1"),
        v2_row("Order", "ItemFees", "Commission", "-1.50", order=f"O-{settlement_id}", sku=sku,
               qty="1"),
    ]  # fmt: skip
    return write_v2(tmp / name, rows, settlement_id=settlement_id)


def _sales(lx: Lianxing) -> Decimal:
    return lx.kpi(["sales"], by="total", period="total").rows[0]["sales"]


def test_the_table_follows_every_change_of_its_inputs(tmp_path: Path) -> None:
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(_settlement(tmp_path, "a.txt", "1001", "10.00"))
        assert _sales(lx) == Decimal("10.00")
        built = measure_days.status(lx.db)
        assert built is not None and built["rows"] >= 1
        # Nothing changed: the next query reads the table as it is.
        assert not measure_days.ensure(lx.db, *_tree(lx))
        lx.import_file(_settlement(tmp_path, "b.txt", "1002", "15.00"))
        assert _sales(lx) == Decimal("25.00")
        # A corrected file replaces its settlement: the old money leaves the table.
        lx.import_file(_settlement(tmp_path, "b2.txt", "1002", "18.00"))
        assert _sales(lx) == Decimal("28.00")
        # Unit costs arrive: COGS and net profit follow.
        costs = tmp_path / "costs.csv"
        costs.write_text("sku,effective_from,unit_cost,currency\nMUG,2026-01-01,4,USD\n")
        lx.import_file(costs)
        row = lx.kpi(["cogs", "net_profit"], by="total", period="total").rows[0]
        assert row["cogs"] == Decimal("8.00")
        assert row["net_profit"] == Decimal("28.00") - 3 - 8


def _tree(lx: Lianxing) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    kinds = lx.categories.kinds(fee_tax_recoverable=lx.workspace.config.fee_tax_recoverable)
    categories = [(c.code, kinds[c.code], c.column) for c in lx.categories.categories]
    return categories, [c.id for c in lx.categories.columns]


def test_a_new_category_mapping_rebuilds_the_table(tmp_path: Path) -> None:
    """The category tree is part of the build SQL: another tree, another table."""
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(_settlement(tmp_path, "a.txt", "1001", "10.00"))
        categories, columns = _tree(lx)
        measure_days.ensure(lx.db, categories, columns)
        moved = [(c, k, "other_revenue" if c == "revenue.product" else col)
                 for c, k, col in categories]  # fmt: skip
        assert measure_days.ensure(lx.db, moved, columns)
        sums = lx.db.con.execute(
            f"SELECT sum(sales), sum(other_revenue) FROM {measure_days.TABLE}"
        ).fetchone()
        assert sums == (None, Decimal("10.0000"))


def test_a_failed_build_leaves_the_last_good_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Lianxing.init(tmp_path / "ws") as lx:
        lx.import_file(_settlement(tmp_path, "a.txt", "1001", "10.00"))
        assert _sales(lx) == Decimal("10.00")
        before = measure_days.status(lx.db)
        lx.import_file(_settlement(tmp_path, "b.txt", "1002", "15.00"))
        real = measure_days.build_sql

        def broken(*args: object) -> str:
            return real(*args) + " UNION ALL BY NAME SELECT error('disk full') AS store_id"  # type: ignore[arg-type]

        monkeypatch.setattr(measure_days, "build_sql", broken)
        with pytest.raises(duckdb.Error):
            lx.kpi(["sales"], by="total", period="total")
        # The old table and its fingerprint stand: it is stale, so it is rebuilt next time.
        assert measure_days.status(lx.db) == before
        monkeypatch.setattr(measure_days, "build_sql", real)
        assert _sales(lx) == Decimal("25.00")


def test_table_and_direct_query_agree_on_every_kpi(tmp_path: Path) -> None:
    """Estimates, an ad split, returns, CNY unit costs: every KPI at several grains is
    the same from the table as computed from the ledger inside the query."""
    ws = tmp_path / "ws"
    with Lianxing.init(ws) as lx:
        lx.import_file(_settlement(tmp_path, "a.txt", "1001", "10.00"))
        lx.import_file(_settlement(tmp_path, "b.txt", "1002", "25.00", sku="CUP"))
        charge = [v2_row("ServiceFee", "Cost of Advertising", "TransactionTotalAmount",
                         "-7.00", when="2026-03-09 10:00:00 UTC")]  # fmt: skip
        lx.import_file(write_v2(tmp_path / "c.txt", charge, settlement_id="1003"))
        costs = tmp_path / "costs.csv"
        costs.write_text(
            "sku,effective_from,unit_cost,currency\nMUG,2026-01-01,30,CNY\nCUP,2026-01-01,2,USD\n"
        )
        lx.import_file(costs)
        rates = tmp_path / "rates.csv"
        rates.write_text("date,from,to,rate\n2026-01-01,USD,CNY,7.1\n")
        lx.import_file(rates)
        names = list(lx.kpi_catalogue())
        for by in ("store", "sku", "total"):
            for period in ("day", "month", "total"):
                for currency in ("USD", "CNY"):
                    cached = lx.kpi(names, by=by, period=period, currency=currency).rows
                    direct = lx.kpi(
                        names, by=by, period=period, currency=currency, direct=True
                    ).rows
                    assert cached == direct, (by, period, currency)
        assert cached[0]["net_profit"] is not None
