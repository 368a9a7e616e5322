"""The workspace's product file (`products.csv`): what each SKU is and who owns it.

Columns, found by name: `sku` (required), `parent` (parent ASIN or product family),
`category`, `tags` (separated by `;` or `|`), `owner` (the person responsible). KPIs can
then be grouped by any of them (`lianxing kpi show --by category`). The file is text a
seller keeps in git beside lianxing.toml; every bad row is named by line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lianxing.errors import InputError, Problem

FILE = "products.csv"
COLUMNS = ("sku", "parent", "category", "tags", "owner")
MAX_TEXT = 200


@dataclass(frozen=True)
class Product:
    sku: str
    parent: str | None
    category: str | None
    tags: tuple[str, ...]
    owner: str | None


def read_products(path: Path) -> list[Product]:
    """The products of the file (none when the workspace has no products.csv)."""
    import csv
    import io

    if not path.is_file():
        return []
    file = str(path)
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at("file.encoding", file=file, detail="not UTF-8") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return []
    except csv.Error as exc:
        raise InputError.at("file.bad_line", file=file, line=1, detail=str(exc)) from exc
    if "sku" not in header:
        raise InputError.at(
            "csv.columns_missing", file=file, line=1, missing="sku", expected=", ".join(COLUMNS)
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError.at(
            "products.unknown_column", file=file, line=1, columns=", ".join(unknown)
        )
    problems: list[Problem] = []
    found: dict[str, int] = {}
    products = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(
                    Problem(
                        "file.columns",
                        {"found": len(values), "expected": len(header)},
                        file,
                        line,
                    )
                )
                continue
            row = {h: v.strip() for h, v in zip(header, values, strict=True)}
            bad = [h for h, v in row.items() if len(v) > MAX_TEXT or any(ord(c) < 32 for c in v)]
            if bad or not row["sku"]:
                column = bad[0] if bad else "sku"
                problems.append(
                    Problem("value.text", {"value": row.get(column, "")[:40]}, file, line, column)
                )
                continue
            if row["sku"] in found:
                problems.append(
                    Problem(
                        "csv.duplicate_key",
                        {"what": row["sku"], "first": found[row["sku"]]},
                        file,
                        line,
                        "sku",
                    )
                )
                continue
            found[row["sku"]] = line
            # A tag written twice is one tag (else the SKU would count twice under it).
            tags = tuple(
                dict.fromkeys(
                    t.strip() for t in re.split(r"[;|]", row.get("tags", "")) if t.strip()
                )
            )
            products.append(
                Product(
                    row["sku"],
                    row.get("parent") or None,
                    row.get("category") or None,
                    tags,
                    row.get("owner") or None,
                )
            )
    except csv.Error as exc:
        raise InputError.at(
            "file.bad_line", file=file, line=reader.line_num, detail=str(exc)
        ) from exc
    if problems:
        raise InputError(problems[0].key, problems=problems[:20])
    return products
