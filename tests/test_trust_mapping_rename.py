"""A renamed mapping never counts the same money twice (issue 12, item 13)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from test_mapped import FREIGHT_HEADER, FREIGHT_MAPPING, FREIGHT_ROWS, write, write_rows

from conftest import ledger_fingerprint, run_cli
from lianxing.app import Lianxing

COSTS_MAPPING = """\
kind: costs
name: erp-costs
columns:
  sku: SKU
  effective_from: 日期
  unit_cost: 成本
  currency: 币种
"""


def _money(lx: Lianxing) -> list[tuple[object, ...]]:
    return lx.db.query("SELECT sum(amount), count(*) FROM ledger")


def _renamed(mapping: Path) -> Path:
    text = mapping.read_text("utf-8").replace("name: sea-freight", "name: ocean-freight")
    return write(mapping.with_name("ocean-freight.yaml"), text)


def _first_import(lx: Lianxing, tmp_path: Path) -> tuple[Path, Path, Any]:
    data = write_rows(tmp_path / "freight.csv", FREIGHT_HEADER, FREIGHT_ROWS)
    mapping = write(tmp_path / "sea-freight.yaml", FREIGHT_MAPPING)
    return data, mapping, lx.import_mapped(data, mapping)


def test_same_content_under_a_renamed_mapping_is_already_imported(
    lx: Lianxing, tmp_path: Path
) -> None:
    data, mapping, first = _first_import(lx, tmp_path)
    before = ledger_fingerprint(lx)
    again = lx.import_mapped(data, _renamed(mapping))
    assert again.status == "unchanged" and again.source_id == first.source_id
    assert ledger_fingerprint(lx) == before
    assert _money(lx) == [(Decimal("-1533.3300"), 5)]


def test_replace_supersedes_the_earlier_mapping_and_counts_once(
    lx: Lianxing, tmp_path: Path
) -> None:
    data, mapping, first = _first_import(lx, tmp_path)
    replaced = lx.import_mapped(data, _renamed(mapping), replace=True)
    assert replaced.status == "replaced" and replaced.replaced_rows == 5
    assert ("mapping.replaced_other", {"source": first.source_id, "kind": first.kind}) in (
        replaced.notes
    )
    assert _money(lx) == [(Decimal("-1533.3300"), 5)]
    live = lx.db.query("SELECT source_id FROM sources WHERE superseded_by IS NULL")
    assert live == [(replaced.source_id,)]


def test_cli_folder_with_a_renamed_mapping_counts_the_money_once(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    (ws / "mappings").mkdir()
    data = write_rows(tmp_path / "freight.csv", FREIGHT_HEADER, FREIGHT_ROWS)
    mapping = write(ws / "mappings" / "sea-freight.yaml", FREIGHT_MAPPING)
    assert run_cli(["-w", str(ws), "import", str(data)]).exit_code == 0
    renamed = _renamed(mapping)
    mapping.unlink()
    result = run_cli(["-w", str(ws), "import", str(data)])
    assert result.exit_code == 0 and "--replace" in result.stderr
    with Lianxing.open(ws) as lx:
        assert _money(lx) == [(Decimal("-1533.3300"), 5)]
    replaced = run_cli(["-w", str(ws), "import", str(data), "--replace"])
    assert replaced.exit_code == 0, replaced.stderr
    with Lianxing.open(ws) as lx:
        assert _money(lx) == [(Decimal("-1533.3300"), 5)]
        kinds = lx.db.query("SELECT kind FROM sources WHERE superseded_by IS NULL")
    assert kinds == [(f"mapped_charges:{renamed.stem}",)]


def test_cost_file_under_a_renamed_mapping_is_already_imported(
    lx: Lianxing, tmp_path: Path
) -> None:
    data = write_rows(tmp_path / "c.csv", ["SKU", "日期", "成本", "币种"],
                       [["MUG", "2026-01-01", "12.5", "CNY"]])  # fmt: skip
    first = lx.import_mapped(data, write(tmp_path / "a.yaml", COSTS_MAPPING))
    renamed = write(tmp_path / "b.yaml", COSTS_MAPPING.replace("erp-costs", "erp-costs-2"))
    again = lx.import_mapped(data, renamed)
    assert (again.status, again.source_id) == ("unchanged", first.source_id)
    assert lx.import_mapped(data, renamed, replace=True).status == "replaced"
    assert lx.db.query("SELECT count(*) FROM cogs") == [(1,)]
