"""The product catalogue (`lianxing products import FILE`, CSV or XLSX): per SKU the fee
category, the three sides, the unit weight, and optionally ASIN, title, HTS code and
country of origin.

Units are read from the column name, never guessed from the values: `length_in`,
`length_cm` or `length_mm` (likewise width and height), `weight_oz`, `weight_lb`,
`weight_g` or `weight_kg`. Everything is converted to inches and ounces, the units of
the US fee tables, and kept to 4 decimals. A column without a unit (`length`), the same
side given in two units, or a cell that names another unit than its column ("30 cm" in
`length_in`) is refused with file, line and column: a silently wrong unit would put a
product in the wrong size tier, the very error the fee audit exists to catch.

Every bad cell is reported at once and nothing is written until the whole file is good.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lianxing.errors import InputError, Problem
from lianxing.ingest import spec_merge
from lianxing.product_specs import GROUPS, ProductSpec
from lianxing.store import costing_store, ledger
from lianxing.store.database import Database

KIND = "products"
MAX_PROBLEMS = 20
SIDES = ("length", "width", "height")
# Units a column may be in, with the factor to inches or ounces (exact: 1 in = 2.54 cm,
# 1 oz = 28.349523125 g, 1 lb = 16 oz).
LENGTH_UNITS = {"in": Decimal(1), "cm": 1 / Decimal("2.54"), "mm": 1 / Decimal("25.4")}
WEIGHT_UNITS = {
    "oz": Decimal(1),
    "lb": Decimal(16),
    "g": 1 / Decimal("28.349523125"),
    "kg": 1000 / Decimal("28.349523125"),
}
UNIT_WORDS = {"inch": "in", "inches": "in", '"': "in", "lbs": "lb", "pound": "lb",
              "pounds": "lb", "ounce": "oz", "ounces": "oz", "grams": "g"}  # fmt: skip
TEXT_COLUMNS = {
    "sku": ("sku", "seller-sku", "seller sku"),
    "category": ("category", "fee_category", "product category"),
    "asin": ("asin",),
    "title": ("title", "product name", "item name", "name"),
    "hts_code": ("hts_code", "hts", "hts code", "hs_code"),
    "origin": ("origin", "country_of_origin", "country of origin", "coo"),
}
MAX_SIDE_IN = Decimal(1000)
MAX_WEIGHT_OZ = Decimal(1_000_000)
_FOUR = Decimal("0.0001")
_NUMBER_UNIT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z\"]*)\s*$")


@dataclass
class ProductImport:
    file: str
    status: str  # imported | unchanged
    source_id: int
    rows: int = 0
    with_dimensions: int = 0
    units: dict[str, str] = field(default_factory=dict)  # column → unit it was read in
    ignored_columns: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # what the file sets (spec_merge.GROUPS)
    kept: list[str] = field(default_factory=list)  # fields the file lacks, kept for known SKUs
    cleared: dict[str, int] = field(default_factory=dict)  # field → SKUs a blank cell cleared


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """(header, [(line, cells)], encoding) of a CSV or the first sheet of an XLSX."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    import csv
    import io

    from lianxing.ingest.textfile import read_small_text

    text, encoding = read_small_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise InputError.at(
            "file.bad_line", file=str(path), line=reader.line_num, detail=str(exc)
        ) from exc
    if header is None:
        raise InputError.at("file.empty", file=str(path))
    return header, rows, encoding


def _xlsx_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a broken zip or XML raises any of a dozen types
        raise InputError.at("products.bad_xlsx", file=str(path), detail=str(exc)[:200]) from exc
    try:
        sheet = book.worksheets[0]
        found = [
            (number, ["" if c is None else str(c) for c in cells])
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as exc:
        raise InputError.at("products.bad_xlsx", file=str(path), detail=str(exc)[:200]) from exc
    finally:
        book.close()
    if not found:
        raise InputError.at("file.empty", file=str(path))
    return found[0][1], found[1:], "xlsx"


def _columns(header: list[str], file: str) -> tuple[dict[str, tuple[int, str | None]], list[str]]:
    """What each header column is: {field: (index, unit)}, and the ignored names."""
    names = [h.strip().lstrip("\ufeff").strip('"').strip().lower() for h in header]
    found: dict[str, tuple[int, str | None]] = {}
    ignored: list[str] = []
    for index, name in enumerate(names):
        if not name:
            continue
        key = name.replace(" ", "_").replace("(", "_").replace(")", "").rstrip("_")
        field_name: str | None = None
        unit: str | None = None
        for text_field, spellings in TEXT_COLUMNS.items():
            if name in spellings or key in spellings:
                field_name = text_field
        match = re.fullmatch(r"(length|width|height|weight)(?:_([a-z]+))?", key)
        if match:
            field_name, unit = match.group(1), match.group(2)
            units = WEIGHT_UNITS if field_name == "weight" else LENGTH_UNITS
            if unit is None or unit not in units:
                raise InputError.at(
                    "products.no_unit",
                    file=file,
                    line=1,
                    column=name,
                    name=name,
                    units=", ".join(f"{field_name}_{u}" for u in units),
                )
        if field_name is None:
            ignored.append(name)
            continue
        if field_name in found:
            first = names[found[field_name][0]]
            raise InputError.at(
                "products.twice", file=file, line=1, column=name, name=name, first=first
            )
        found[field_name] = (index, unit)
    if "sku" not in found:
        raise InputError.at(
            "csv.columns_missing",
            file=file,
            line=1,
            missing="sku",
            expected="sku, category, length_in, width_in, height_in, weight_oz",
        )
    return found, ignored


def _measure(
    value: str, unit: str, units: dict[str, Decimal], high: Decimal
) -> tuple[Decimal | None, str | None]:
    """(value in inches/ounces, problem key) of one dimension or weight cell."""
    match = _NUMBER_UNIT.match(value)
    if not match:
        return None, "products.bad_number"
    written = match.group(2).lower()
    written = UNIT_WORDS.get(written, written)
    if written and written != unit:
        return None, "products.unit_conflict"
    number = Decimal(match.group(1)) * units[unit]
    if number <= 0 or number > high:
        return None, "products.out_of_range"
    return number.quantize(_FOUR, ROUND_HALF_UP), None


def read_specs(path: Path) -> tuple[list[ProductSpec], ProductImport, str]:
    """The file's specs, the import summary (not yet written) and the file's encoding."""
    file = str(path)
    header, rows, encoding = _read_rows(path)
    columns, ignored = _columns(header, file)
    problems: list[Problem] = []
    specs: list[ProductSpec] = []
    seen: dict[str, int] = {}
    width = len(header)

    def fail(key: str, line: int, column: str, **params: Any) -> None:
        problems.append(Problem(key, params, file, line, column))

    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        values: dict[str, Any] = {}
        before = len(problems)
        for name, (index, unit) in columns.items():
            raw = cells[index].strip() if index < len(cells) else ""
            column = header[index].strip()
            if any(ord(ch) < 32 for ch in raw) or len(raw) > 200:
                fail("value.text", line, column, value=raw[:40])
                continue
            if unit is None:
                values[name] = raw or None
                continue
            if not raw:
                continue
            units = WEIGHT_UNITS if name == "weight" else LENGTH_UNITS
            high = MAX_WEIGHT_OZ if name == "weight" else MAX_SIDE_IN
            number, problem = _measure(raw, unit, units, high)
            if problem:
                fail(problem, line, column, value=raw[:40], unit=unit)
            values[name] = number
        sku = values.get("sku")
        if not sku:
            fail("value.required", line, header[columns["sku"][0]].strip())
            continue
        if sku in seen:
            fail("csv.duplicate_key", line, "sku", what=sku, first=seen[sku])
            continue
        seen[sku] = line
        hts = values.get("hts_code")
        if hts is not None:
            hts = hts.replace(".", "").replace(" ", "")
            if not re.fullmatch(r"[0-9]{4,10}", hts):
                fail("products.bad_hts", line, "hts_code", value=values["hts_code"])
        origin = values.get("origin")
        if origin is not None:
            origin = origin.upper()
            if not re.fullmatch(r"[A-Z]{2}", origin):
                fail("products.bad_origin", line, "origin", value=values["origin"])
        sides = [values.get(s) for s in SIDES]
        given = [s for s in sides if s is not None] + (
            [values["weight"]] if values.get("weight") is not None else []
        )
        if given and len(given) < 4 and len(problems) == before:
            fail("products.partial_dimensions", line, "sku", sku=sku)
        specs.append(
            ProductSpec(
                sku=sku,
                category=values.get("category"),
                length_in=sides[0],
                width_in=sides[1],
                height_in=sides[2],
                weight_oz=values.get("weight"),
                asin=values.get("asin"),
                title=values.get("title"),
                hts_code=hts,
                origin=origin,
                file=file,
                line=line,
            )
        )
    if problems:
        raise InputError(problems[0].key, problems=problems[:MAX_PROBLEMS])
    if not specs:
        raise InputError.at("file.empty", file=file)
    summary = ProductImport(
        file,
        "imported",
        0,
        len(specs),
        sum(1 for s in specs if s.has_dimensions),
        {header[i].strip(): u for n, (i, u) in columns.items() if u is not None},
        ignored,
        spec_merge.groups_of(columns),
    )
    return specs, summary, encoding


def import_specs(db: Database, path: Path, *, clear_blanks: bool = False) -> ProductImport:
    """Read the file and, when all of it is good, upsert its SKUs in one transaction.
    The same file imported again changes nothing. Only the fields the file has columns
    for are updated; a blank cell that would clear a known SKU's value is refused unless
    `clear_blanks` (spec_merge)."""
    specs, summary, encoding = read_specs(path)
    spec_merge.check_not_catalogue(path, summary.fields, summary.ignored_columns)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    same = ledger.find_by_sha(db, digest, KIND)
    if same is not None:
        summary.status, summary.source_id = "unchanged", same.source_id
        return summary
    existing = costing_store.specs(db)
    cleared = spec_merge.blanks(existing, specs, summary.fields)
    if cleared and not clear_blanks:
        spec_merge.refuse_blanks(path, cleared)
    summary.cleared = {group: len(skus) for group, skus in cleared.items()}
    if any(s.sku in existing for s in specs):
        summary.kept = [g for g in GROUPS if g not in summary.fields]
    record = ledger.SourceRecord(
        kind=KIND,
        file_name=path.name,
        file_path=str(path),
        sha256=digest,
        encoding=encoding,
        row_count=len(specs),
    )
    with db.transaction():
        source_id = ledger.next_source_id(db)
        ledger.insert_source(db, source_id, record)
        costing_store.upsert_specs(db, source_id, specs, summary.fields)
        merged = costing_store.specs(db)  # a kept field counts: what the SKUs have now
    summary.with_dimensions = sum(1 for s in specs if merged[s.sku].has_dimensions)
    summary.source_id = source_id
    return summary
