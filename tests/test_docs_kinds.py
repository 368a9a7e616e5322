"""docs/cli.md's import table names every kind of file `lianxing import` reads."""

from __future__ import annotations

import re
from pathlib import Path

from lianxing.ingest import registry

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _import_table_kinds() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### `lianxing import`", 1)[1].split("\n### ", 1)[0]
    kinds: set[str] = set()
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 3:
            kinds.update(re.findall(r"`([a-z0-9_:A-Z]+)`", cells[2]))
    return kinds


def test_every_import_kind_is_in_the_import_table() -> None:
    kinds = {fmt.kind for fmt, _importer in registry.FORMATS}
    kinds |= {fmt.kind for _test, fmt, _importer in registry.OTHER_FORMATS}
    kinds |= {"amazon_settlement_v2", "amazon_settlement_legacy", "cogs", "fx"}
    documented = _import_table_kinds()
    assert "amazon_inventory_ledger" in kinds
    missing = sorted(kinds - documented)
    assert not missing, f"docs/cli.md's import table lacks: {missing}"
