"""Imports are idempotent; a corrected settlement replaces the old one atomically."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ledger_fingerprint, v2_row, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError

ITEM = {"order": "111-1", "sku": "S1", "qty": "1", "item": "1"}


def rows(price: str = "10.00") -> list[dict[str, str]]:
    return [
        v2_row("Order", "ItemPrice", "Principal", price, **ITEM),
        v2_row("Order", "ItemFees", "Commission", "-1.50", **ITEM),
    ]


def test_importing_the_same_file_again_changes_nothing(lx: Lianxing, tmp_path: Path) -> None:
    path = write_v2(tmp_path / "s.txt", rows())
    first = lx.import_settlement(path)
    before = ledger_fingerprint(lx)
    again = lx.import_settlement(path)
    assert again.status == "unchanged" and again.source_id == first.source_id
    assert again.settlement_id == "11111111111"
    assert ledger_fingerprint(lx) == before
    copy = tmp_path / "copy-under-another-name.txt"
    copy.write_bytes(path.read_bytes())
    assert lx.import_settlement(copy).status == "unchanged"


def test_a_corrected_file_replaces_the_settlement(lx: Lianxing, tmp_path: Path) -> None:
    first = lx.import_settlement(write_v2(tmp_path / "a.txt", rows("10.00")))
    second = lx.import_settlement(write_v2(tmp_path / "b.txt", rows("12.00")))
    assert second.status == "replaced" and second.replaced_source == first.source_id
    [source] = lx.sources()
    assert source["source_id"] == second.source_id
    [store] = lx.profit(by="store").rows
    assert store["sales"] == 12 and store["units"] == 1


def test_a_failed_correction_keeps_the_old_rows(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_settlement(write_v2(tmp_path / "a.txt", rows("10.00")))
    before = ledger_fingerprint(lx)
    broken = rows("12.00")
    broken[1]["amount"] = "n/a"
    with pytest.raises(InputError):
        lx.import_settlement(write_v2(tmp_path / "b.txt", broken, total="0"))
    assert ledger_fingerprint(lx) == before


def test_a_settlement_belongs_to_one_store(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_settlement(write_v2(tmp_path / "a.txt", rows("10.00")), store_id="us-main")
    with pytest.raises(InputError) as info:
        lx.import_settlement(write_v2(tmp_path / "b.txt", rows("11.00")), store_id="us-second")
    assert info.value.key == "import.other_store"
    assert [s.id for s in lx.workspace.config.stores] == ["us-main"]


def test_a_new_store_is_not_saved_when_its_import_fails(lx: Lianxing, tmp_path: Path) -> None:
    broken = rows()
    broken[0]["amount"] = "x"
    with pytest.raises(InputError):
        lx.import_settlement(write_v2(tmp_path / "b.txt", broken, total="0"))
    assert lx.workspace.config.stores == []
    assert "[[stores]]" not in lx.workspace.config_path.read_text()


def test_store_must_match_the_settlement_currency(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_settlement(write_v2(tmp_path / "a.txt", rows()), store_id="us")
    cad = write_v2(tmp_path / "c.txt", rows(), settlement_id="2", currency="CAD")
    with pytest.raises(InputError) as info:
        lx.import_settlement(cad, store_id="us")
    assert info.value.key == "store.currency_mismatch"


def test_a_new_mapping_remaps_the_same_file(lx: Lianxing, tmp_path: Path) -> None:
    path = write_v2(
        tmp_path / "m.txt",
        [*rows(), v2_row("other-transaction", "other-transaction", "Mystery Fee", "-1.11")],
    )
    first = lx.import_settlement(path)
    assert [u.amount_description for u in first.unmapped] == ["Mystery Fee"]
    lx.workspace.config.mappings.append(
        {"amount_description": "mystery fee", "category": "platform_fees.other"}
    )
    again = lx.import_settlement(path)
    assert again.status == "remapped" and again.unmapped == []
    [store] = lx.profit(by="store").rows
    assert store["platform_fees"] == Decimal("-2.61") and store["unmapped"] == 0
    assert lx.import_settlement(path).status == "unchanged"


def test_an_old_version_never_replaces_its_correction(lx: Lianxing, tmp_path: Path) -> None:
    original = write_v2(tmp_path / "b-original.txt", rows("10.00"))
    corrected = write_v2(tmp_path / "a-corrected.txt", rows("12.00"))
    lx.import_settlement(original)
    assert lx.import_settlement(corrected).status == "replaced"
    for _ in range(2):  # importing the folder again, in any order, changes nothing
        assert lx.import_settlement(corrected).status == "unchanged"
        again = lx.import_settlement(original)
        assert again.status == "superseded"
    [store] = lx.profit(by="store").rows
    assert store["sales"] == 12
    assert len(lx.sources()) == 1


def test_a_failing_file_in_a_folder_keeps_the_ones_before(tmp_path: Path) -> None:
    from conftest import run_cli

    ws = tmp_path / "ws"
    run_cli(["init", str(ws)])
    folder = tmp_path / "in"
    folder.mkdir()
    write_v2(folder / "a.txt", rows(), settlement_id="1")
    bad = rows()
    bad[0]["amount"] = "x"
    write_v2(folder / "b.txt", bad, settlement_id="2", total="0")
    result = run_cli(["-w", str(ws), "import", str(folder), "-f", "json"])
    assert result.exit_code == 2
    assert "1 imported, 0 unchanged, 0 skipped, 1 failed" in result.stderr
    assert "This file was not imported" in result.stderr
    import json

    done, failed = json.loads(result.stdout)
    assert done["settlement_id"] == "1" and done["reconciled"] is True
    assert (failed["status"], failed["error"]) == ("failed", "value.amount")
