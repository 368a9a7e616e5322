"""A mistyped --store can be fixed: a warning when a marketplace already has a store, and
`sources forget|move|log`, `stores rename|remove`, each atomic and recorded (issue 12,
item 12)."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ledger_fingerprint, run_cli, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError
from lianxing.store import source_admin
from lianxing.workspace import Store


def _settlement(tmp_path: Path, settlement_id: str, amount: str) -> Path:
    item = {"order": f"111-{settlement_id}", "sku": "S1", "qty": "1", "item": "1"}
    rows = [v2_row("Order", "ItemPrice", "Principal", amount, **item)]
    return write_v2(tmp_path / f"{settlement_id}.txt", rows, settlement_id=settlement_id)


@pytest.fixture
def typo(tmp_path: Path) -> tuple[Path, int, int]:
    """A workspace whose second settlement went to a mistyped store `amazon-uss`."""
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    first = run_cli(["-w", str(ws), "import", str(_settlement(tmp_path, "1001", "10.00"))])
    assert first.exit_code == 0, first.stderr
    second = run_cli(["-w", str(ws), "import", str(_settlement(tmp_path, "1002", "20.00")),
                      "--store", "amazon-uss"])  # fmt: skip
    assert second.exit_code == 0, second.stderr
    with Lianxing.open(ws) as lx:
        ids = {s["settlement_id"]: s["source_id"] for s in lx.sources()}
    return ws, ids["1001"], ids["1002"]


def _stores(ws: Path) -> list[str]:
    raw = tomllib.loads((ws / "lianxing.toml").read_text("utf-8"))
    return [s["id"] for s in raw.get("stores", [])]


def _sales(ws: Path) -> dict[str, Decimal]:
    with Lianxing.open(ws) as lx:
        return {r["store"]: r["sales"] for r in lx.profit(by="store").rows}


def _kpi_sales(ws: Path) -> dict[str, Decimal]:
    with Lianxing.open(ws) as lx:
        rows = lx.kpi(["sales"], by="store", period="total").rows
    return {r["store"]: r["sales"] for r in rows if r["sales"] is not None}


def test_new_store_on_a_marketplace_that_has_one_warns_with_the_fix(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    run_cli(["-w", str(ws), "import", str(_settlement(tmp_path, "1001", "10.00"))])
    second = run_cli(["-w", str(ws), "import", str(_settlement(tmp_path, "1002", "20.00")),
                      "--store", "amazon-uss"])  # fmt: skip
    assert "already sells on amazon.com" in second.stderr
    assert "lianxing sources move" in second.stderr and "--store amazon-com" in second.stderr


def test_move_fixes_a_mistyped_store_and_remove_drops_it(typo: tuple[Path, int, int]) -> None:
    ws, _first, second = typo
    assert set(_sales(ws)) == {"amazon-com", "amazon-uss"}
    assert set(_kpi_sales(ws)) == {"amazon-com", "amazon-uss"}  # the measure table is built
    moved = run_cli(["-w", str(ws), "sources", "move", str(second), "--store", "amazon-com"])
    assert moved.exit_code == 0, moved.stderr
    assert "sources remove-store amazon-uss" in moved.stdout
    assert _sales(ws) == {"amazon-com": Decimal("30.00")}
    assert _kpi_sales(ws) == {"amazon-com": Decimal("30.00")}  # and rebuilt after the move
    removed = run_cli(["-w", str(ws), "sources", "remove-store", "amazon-uss"])
    assert removed.exit_code == 0, removed.stderr
    assert _stores(ws) == ["amazon-com"]
    log = run_cli(["-w", str(ws), "sources", "log", "--format", "json"])
    assert [r["action"] for r in json.loads(log.stdout)] == ["move", "remove_store"]


def test_forget_removes_a_file_so_it_can_be_imported_again(
    typo: tuple[Path, int, int], tmp_path: Path
) -> None:
    ws, _first, second = typo
    forgot = run_cli(["-w", str(ws), "sources", "forget", str(second)])
    assert forgot.exit_code == 0, forgot.stderr
    assert _sales(ws) == {"amazon-com": Decimal("10.00")}
    again = run_cli(["-w", str(ws), "import", str(tmp_path / "1002.txt"),
                     "--store", "amazon-com"])  # fmt: skip
    assert again.exit_code == 0 and "already" not in again.stdout.lower()
    assert _sales(ws) == {"amazon-com": Decimal("30.00")}
    with Lianxing.open(ws) as lx:
        assert [r["action"] for r in lx.source_log()] == ["forget"]


def test_rename_store_renames_config_and_rows_and_names_team_files(
    typo: tuple[Path, int, int],
) -> None:
    ws, _first, _second = typo
    (ws / "people.yaml").write_text("people:\n  - id: li\n    stores: [amazon-uss]\n", "utf-8")
    renamed = run_cli(["-w", str(ws), "sources", "rename-store", "amazon-uss", "amazon-ca-typo"])
    assert renamed.exit_code == 0, renamed.stderr
    assert "people.yaml line 3" in renamed.stderr
    assert _stores(ws) == ["amazon-com", "amazon-ca-typo"]
    assert _sales(ws) == {"amazon-com": Decimal("10.00"), "amazon-ca-typo": Decimal("20.00")}


def test_rename_onto_an_existing_store_is_refused(typo: tuple[Path, int, int]) -> None:
    ws, _first, _second = typo
    result = run_cli(["-w", str(ws), "sources", "rename-store", "amazon-uss", "amazon-com"])
    assert result.exit_code == 2 and "sources move" in result.stderr
    assert _stores(ws) == ["amazon-com", "amazon-uss"]


def test_remove_of_a_store_with_files_is_refused(typo: tuple[Path, int, int]) -> None:
    ws, _first, _second = typo
    result = run_cli(["-w", str(ws), "sources", "remove-store", "amazon-uss"])
    assert result.exit_code == 2 and _stores(ws) == ["amazon-com", "amazon-uss"]


def test_move_to_another_marketplace_is_refused_and_changes_nothing(
    typo: tuple[Path, int, int],
) -> None:
    ws, _first, second = typo
    with Lianxing.open(ws) as lx:
        lx.workspace.add_store(Store("walmart-us", "walmart", "walmart.com", "USD", "UTC"))
        lx.workspace.save()
        before = ledger_fingerprint(lx)
        with pytest.raises(InputError) as caught:
            lx.move_source(second, "walmart-us")
        assert caught.value.key == "sources.move_mismatch"
        assert ledger_fingerprint(lx) == before


def test_rename_that_fails_midway_puts_config_and_rows_back(
    typo: tuple[Path, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _first, _second = typo

    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    config = (ws / "lianxing.toml").read_text("utf-8")
    with Lianxing.open(ws) as lx:
        before = ledger_fingerprint(lx)
        monkeypatch.setattr(source_admin, "_log", broken)
        with pytest.raises(RuntimeError):
            lx.rename_store("amazon-uss", "amazon-x")
        assert ledger_fingerprint(lx) == before
        assert [s.id for s in lx.workspace.config.stores] == ["amazon-com", "amazon-uss"]
    assert (ws / "lianxing.toml").read_text("utf-8") == config


def test_forget_of_an_unknown_source_names_it(typo: tuple[Path, int, int]) -> None:
    ws, _first, _second = typo
    result = run_cli(["-w", str(ws), "sources", "forget", "999"])
    assert result.exit_code == 2 and "999" in result.stderr and "sources --files" in result.stderr
