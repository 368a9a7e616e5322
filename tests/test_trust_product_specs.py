"""`lianxing products import` never erases what a file does not say (issue 12, item 8)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ledger_fingerprint, run_cli
from lianxing.app import Lianxing
from lianxing.errors import InputError

FULL = """sku,category,length_in,width_in,height_in,weight_oz,hts_code,origin
A,Home & Kitchen,8,5,0.5,5,3924.10.4000,CN
B,Toys & Games,10,8,3,12,9503.00.0073,VN
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _specs(lx: Lianxing) -> dict[str, dict[str, object]]:
    return {row["sku"]: row for row in lx.products()}


def test_file_without_dimension_columns_keeps_dimensions_hts_and_origin(
    lx: Lianxing, tmp_path: Path
) -> None:
    lx.import_products(_write(tmp_path, "full.csv", FULL))
    result = lx.import_products(
        _write(tmp_path, "categories.csv", "sku,category\nA,Kitchen\nB,Toys\n")
    )
    specs = _specs(lx)
    assert specs["A"]["category"] == "Kitchen"
    assert (specs["A"]["length_in"], specs["A"]["weight_oz"]) == (8, 5)
    assert (specs["B"]["hts_code"], specs["B"]["origin"]) == ("9503000073", "VN")
    assert "dimensions" in result.kept and "hts_code" in result.kept


def test_file_with_blank_cells_is_refused_naming_how_many_skus_it_would_change(
    lx: Lianxing, tmp_path: Path
) -> None:
    lx.import_products(_write(tmp_path, "full.csv", FULL))
    blanks = _write(
        tmp_path,
        "blanks.csv",
        "sku,category,length_in,width_in,height_in,weight_oz,hts_code\n"
        "A,Home & Kitchen,,,,,\nB,Toys & Games,10,8,3,12,\n",
    )
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_products(blanks)
    assert caught.value.key == "products.would_clear"
    assert caught.value.params["counts"] == "dimensions: 1, hts_code: 2"
    assert ledger_fingerprint(lx) == before
    assert _specs(lx)["A"]["length_in"] == 8


def test_clear_blanks_clears_and_says_how_many(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_products(_write(tmp_path, "full.csv", FULL))
    blanks = _write(tmp_path, "blanks.csv", "sku,hts_code\nA,\nB,9503.00.0073\n")
    result = lx.import_products(blanks, clear_blanks=True)
    assert result.cleared == {"hts_code": 1}
    specs = _specs(lx)
    assert specs["A"]["hts_code"] is None and specs["A"]["weight_oz"] == Decimal(5)


def test_cli_blank_cells_exit_non_zero_and_clear_blanks_goes_ahead(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Lianxing.init(ws).close()
    assert run_cli(["-w", str(ws), "products", "import", str(_write(tmp_path, "f.csv", FULL))]
                   ).exit_code == 0  # fmt: skip
    blanks = str(_write(tmp_path, "b.csv", "sku,origin\nA,\n"))
    refused = run_cli(["-w", str(ws), "products", "import", blanks])
    assert refused.exit_code != 0 and "origin: 1" in refused.stderr
    assert "--clear-blanks" in refused.stderr
    done = run_cli(["-w", str(ws), "products", "import", blanks, "--clear-blanks"])
    assert done.exit_code == 0 and "origin: 1" in done.stdout


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("products.csv", "sku,parent,category,tags,owner\nA,P1,Kitchen,kitch;home,li\n"),
        ("catalogue.csv", "sku,tags\nA,kitch\n"),
        ("products.csv", "sku,category\nA,Kitchen\n"),
    ],
)
def test_catalogue_file_is_recognised_and_explained(
    lx: Lianxing, tmp_path: Path, name: str, text: str
) -> None:
    lx.import_products(_write(tmp_path, "full.csv", FULL))
    before = ledger_fingerprint(lx)
    with pytest.raises(InputError) as caught:
        lx.import_products(_write(tmp_path, name, text))
    assert caught.value.key == "products.catalogue_file"
    assert ledger_fingerprint(lx) == before
    assert _specs(lx)["A"]["category"] == "Home & Kitchen"


def test_spec_file_with_a_tags_column_is_still_a_spec_file(lx: Lianxing, tmp_path: Path) -> None:
    text = "sku,tags,length_in,width_in,height_in,weight_oz\nA,kitch,8,5,0.5,5\n"
    result = lx.import_products(_write(tmp_path, "products.csv", text))
    assert result.rows == 1 and result.ignored_columns == ["tags"]


def test_new_skus_in_a_partial_file_are_added(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_products(_write(tmp_path, "full.csv", FULL))
    lx.import_products(_write(tmp_path, "more.csv", "sku,category\nC,Pet Supplies\n"))
    specs = _specs(lx)
    assert specs["C"]["category"] == "Pet Supplies" and specs["C"]["length_in"] is None
    assert specs["A"]["length_in"] == 8
