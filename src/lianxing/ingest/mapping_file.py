"""Mapping files: a YAML description of a CSV/XLSX export that has no fixed format.

ERP exports (领星, 马帮, 店小秘), freight-forwarder invoices, customs entries, ad
spend and overhead sheets differ per seller and per tool. A mapping file says which
header holds what and what the money is; `lianxing.ingest.mapped` then imports the
file through the same staged pipeline as a platform report. The format is documented
in docs/mapping.md.

The YAML is read as a node tree (`yaml.compose` with the safe loader: no Python
object is ever built) and every scalar is kept as the text written. YAML 1.1 would
otherwise turn `currency: NO` into False, a header `00123` into the number 83 and
`2026-10-01` into a date. Every problem is collected, named by its YAML key and line,
so one `lianxing mapping check` lists them all.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from lianxing import yaml_list
from lianxing.categories import UNMAPPED, load_categories
from lianxing.errors import InputError, Problem
from lianxing.money import ALIASES, is_currency
from lianxing.workspace import PLATFORMS, marketplaces

KINDS = ("costs", "orders", "charges")
MAX_BYTES = 256 * 1024
MAX_NODES = 20_000  # aliases can make a small file expand into a huge tree
MAX_NAME = 60

# Top-level settings, and the kinds each applies to.
SETTINGS: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "name": KINDS,
    "store": ("orders", "charges"),
    "platform": ("orders", "charges"),
    "marketplace": ("orders", "charges"),
    "file": KINDS,
    "columns": KINDS,
    "currency": KINDS,
    "amounts": ("charges",),
    "category": ("charges",),
    "categories": ("charges",),
    "sign": ("charges",),
    "allocate": ("charges",),
    "cancelled": ("orders",),
}
FILE_SETTINGS = (
    "delimiter",
    "encoding",
    "sheet",
    "header_row",
    "date_format",
    "timezone",
    "quote",
)
ALLOCATE_SETTINGS = ("by", "total")


@dataclass(frozen=True)
class Role:
    """Something a column can hold: its field type and whether each row needs it."""

    type: str
    needed: bool = False  # the mapping must name the column
    value_required: bool = False  # and every row must fill it


ROLES: dict[str, dict[str, Role]] = {
    "costs": {
        "sku": Role("text", True, True),
        "effective_from": Role("day", True, True),
        "unit_cost": Role("money", True, True),
        "freight": Role("money"),
        "duty": Role("money"),
        "currency": Role("text"),
    },
    "orders": {
        "order_id": Role("text", True, True),
        "sku": Role("text", True, True),
        "date": Role("time", True, True),
        "quantity": Role("count", True, True),
        "amount": Role("money", True),
        "shipping": Role("money"),
        "discount": Role("money"),
        "currency": Role("text"),
        "status": Role("text"),
        "updated": Role("time"),
    },
    "charges": {
        "date": Role("time", True, True),
        "amount": Role("money"),
        "currency": Role("text"),
        "category": Role("text"),
        "sku": Role("text"),
        "order_id": Role("text"),
        "reference": Role("text"),
        "units": Role("count"),
        "weight": Role("number"),
        "volume": Role("number"),
        "value": Role("money"),
    },
}
MEASURES = ("units", "weight", "volume", "value")
DELIMITERS = {
    ",": ",",
    "comma": ",",
    "\t": "\t",
    "tab": "\t",
    ";": ";",
    "semicolon": ";",
    "|": "|",
}
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "gbk": "gbk",
    "gb2312": "gbk",
    "gb18030": "gb18030",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
    "latin-1": "cp1252",
}
# Order statuses that mean the line is no sale (compared without case).
DEFAULT_CANCELLED = ("cancelled", "canceled", "已取消", "取消", "已作废", "作废")
TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")


@dataclass(frozen=True)
class Column:
    """A role read from the file, under any of its header spellings."""

    role: str
    headers: tuple[str, ...]
    key: str  # YAML key, e.g. columns.sku
    line: int | None = None


@dataclass(frozen=True)
class AmountColumn:
    """A money column of a charges file and the category its amounts are."""

    field: str  # name in lx_rows
    headers: tuple[str, ...]
    category: str | None  # None: read from the category column
    key: str
    line: int | None = None


@dataclass(frozen=True)
class Mapping:
    path: Path
    kind: str
    name: str
    store: str | None = None
    platform: str | None = None
    marketplace: str | None = None
    delimiter: str | None = None  # None: guessed from the header line
    encoding: str = "utf-8"
    sheet: str | None = None
    header_row: int = 1
    quote: bool = True
    date_format: str | None = None
    file_timezone: str | None = None  # zone of times written without one
    columns: dict[str, Column] = field(default_factory=dict)
    amounts: tuple[AmountColumn, ...] = ()
    category: str | None = None  # constant category (or the default for blank cells)
    category_values: dict[str, str] = field(default_factory=dict)  # lower-case value → code
    currency: str | None = None
    sign: int = -1  # charges: costs written as positive numbers
    allocate_by: str | None = None
    allocate_total: str = "sum"  # sum | repeated
    cancelled: tuple[str, ...] = DEFAULT_CANCELLED
    digest: str = ""  # of the settings, not the text: comments do not count

    @property
    def source_kind(self) -> str:
        """sources.kind: the kind and the mapping's name, shown by `lianxing sources`."""
        return f"mapped_{self.kind}:{self.name}"

    def has(self, role: str) -> bool:
        return role in self.columns

    def declared_headers(self) -> list[tuple[str, tuple[str, ...]]]:
        """(YAML key, spellings) of every column the file must have."""
        found = {c.key: c.headers for c in self.columns.values()}
        found.update((a.key, a.headers) for a in self.amounts)
        return list(found.items())

    def fingerprint(self, store_id: str | None) -> str:
        return hashlib.sha256(f"{self.digest}|{store_id or ''}".encode()).hexdigest()[:16]


# ---- reading the YAML ------------------------------------------------------------------
Node = Any  # yaml.Node; PyYAML ships no type information


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


class _Reader:
    """Walks the node tree, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path):
        self.file = str(path)
        self.problems: list[Problem] = []
        self.nodes = 0

    def fail(self, message: str, node: Node | None, yaml_key: str | None, **params: Any) -> None:
        self.problems.append(Problem(message, params, self.file, _line(node), yaml_key))

    def count(self, node: Node) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError.at("mapping.too_big", file=self.file, line=_line(node))

    def mapping(self, node: Node, key: str) -> list[tuple[str, Node, Node]] | None:
        """(key text, key node, value node) of a YAML mapping; duplicate keys refused."""
        self.count(node)
        if not isinstance(node, yaml.MappingNode):
            self.fail("mapping.not_mapping", node, key or None)
            return None
        pairs = []
        seen: set[str] = set()
        for k, v in node.value:
            self.count(k)
            name = str(k.value) if isinstance(k, yaml.ScalarNode) else ""
            where = f"{key}.{name}" if key else name
            if not name:
                self.fail("mapping.not_text", k, key or None)
                continue
            if name in seen:
                self.fail("mapping.duplicate_key", k, where, setting=where)
                continue
            seen.add(name)
            pairs.append((name, k, v))
        return pairs

    def text(self, node: Node, key: str, *, max_length: int = 200) -> str | None:
        self.count(node)
        if not isinstance(node, yaml.ScalarNode):
            self.fail("mapping.not_text", node, key)
            return None
        value = str(node.value).strip()
        if not value or len(value) > max_length or any(ord(ch) < 32 for ch in value):
            self.fail("mapping.not_text", node, key)
            return None
        return value

    def texts(self, node: Node, key: str) -> tuple[str, ...] | None:
        """One text, or a list of them (several spellings of one header)."""
        if isinstance(node, yaml.SequenceNode):
            self.count(node)
            values = [self.text(item, key) for item in node.value]
            if not values:
                self.fail("mapping.not_text", node, key)
                return None
            if any(v is None for v in values):
                return None
            return tuple(v for v in values if v is not None)
        value = self.text(node, key)
        return (value,) if value is not None else None

    def choice(self, node: Node, key: str, choices: dict[str, str] | tuple[str, ...]) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        options = choices if isinstance(choices, dict) else {c: c for c in choices}
        found = options.get(value) if value in options else options.get(value.lower())
        if found is None:
            shown = ", ".join(dict.fromkeys(repr(c) if c.isspace() else c for c in options))
            self.fail("mapping.bad_value", node, key, value=value, expected=shown)
        return found

    def category(self, node: Node, key: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if value not in load_categories().codes() or value == UNMAPPED:
            self.fail("mapping.bad_category", node, key, value=value)
            return None
        return value


def _plain(node: Node, budget: list[int]) -> Any:
    """The node tree as plain data, every scalar as its text (for the digest)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError.at("mapping.too_big", line=_line(node))
    if isinstance(node, yaml.MappingNode):
        return [[_plain(k, budget), _plain(v, budget)] for k, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, budget) for v in node.value]
    return str(node.value)


def _compose(path: Path) -> Node | None:
    """The YAML node tree of a mapping file; syntax errors name the file and line."""
    if path.is_dir():
        raise InputError.at("file.is_folder", path=str(path))
    if not path.is_file():
        raise InputError.at("file.missing", path=str(path))
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputError.at("mapping.too_big", file=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise InputError.at(
            "file.encoding", file=str(path), line=bad_line, detail=f"byte 0x{data[exc.start]:02x}"
        ) from exc
    try:
        yaml_list.check_shape(text, str(path))
        node: Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        if context:
            detail = f"{detail} ({context})"
        line = mark.line + 1 if mark is not None else None
        raise InputError.at("mapping.yaml", file=str(path), line=line, detail=detail) from exc
    return node


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; raises InputError listing every problem."""
    mapping, problems = read_mapping(path)
    if problems or mapping is None:
        raise InputError(problems[0].key, problems=problems)
    return mapping


def read_mapping(path: Path) -> tuple[Mapping | None, list[Problem]]:
    """(mapping, problems): the mapping is None when it cannot be used at all."""
    root = _compose(path)
    reader = _Reader(path)
    if root is None:
        reader.fail("mapping.not_mapping", None, None)
        return None, reader.problems
    top = reader.mapping(root, "")
    if top is None:
        return None, reader.problems
    values = {name: (k, v) for name, k, v in top}
    kind = None
    if "kind" not in values:
        reader.fail("mapping.bad_kind", root, "kind", value="")
    else:
        kind = reader.choice(values["kind"][1], "kind", KINDS)
    for name, (k, _v) in values.items():
        if name not in SETTINGS:
            reader.fail("mapping.unknown_key", k, name, setting=name, known=", ".join(SETTINGS))
        elif kind is not None and kind not in SETTINGS[name]:
            reader.fail("mapping.not_for_kind", k, name, setting=name, kind=kind)
    if kind is None:
        return None, reader.problems
    settings: dict[str, Any] = {"kind": kind}
    name = path.stem
    if "name" in values:
        name = reader.text(values["name"][1], "name", max_length=MAX_NAME) or name
    settings["name"] = name
    _read_store(reader, values, settings)
    _read_file(reader, values, settings)
    _read_columns(reader, values, settings, kind, root)
    if "currency" in values:
        code = reader.text(values["currency"][1], "currency")
        if code is not None:
            code = normalize_currency_text(code)
            if not is_currency(code):
                reader.fail("value.currency", values["currency"][1], "currency", value=code)
            settings["currency"] = code
    if (
        kind in ("costs", "charges")
        and "currency" not in values
        and "currency" not in (settings.get("columns") or {})
    ):
        reader.fail("mapping.currency_needed", root, "currency")
    if kind == "charges":
        _read_charges(reader, values, settings, root)
    if kind == "orders" and "cancelled" in values:
        node = values["cancelled"][1]
        words = () if _empty(node) else reader.texts(node, "cancelled")
        if words is not None:
            settings["cancelled"] = tuple(w.lower() for w in words)
    if reader.problems:
        return None, reader.problems
    digest = hashlib.sha256(
        json.dumps(_plain(root, [MAX_NODES]), ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return Mapping(path=path, digest=digest, **settings), []


def _empty(node: Node) -> bool:
    return isinstance(node, yaml.SequenceNode) and not node.value


def normalize_currency_text(value: str) -> str:
    """ISO code of how sellers write a currency ('RMB', '人民币' → CNY)."""
    code = value.strip().upper()
    return CURRENCY_WORDS.get(code, code)


CURRENCY_WORDS = ALIASES


def _read_store(reader: _Reader, values: dict[str, Any], settings: dict[str, Any]) -> None:
    if "store" in values:
        store = reader.text(values["store"][1], "store", max_length=40)
        if store is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", store):
            reader.fail("store.bad_id", values["store"][1], "store", store=store)
        settings["store"] = store
    if "platform" in values:
        settings["platform"] = reader.choice(values["platform"][1], "platform", PLATFORMS)
    if "marketplace" in values:
        node = values["marketplace"][1]
        market = reader.choice(node, "marketplace", tuple(marketplaces()))
        platform = settings.get("platform")
        if market is not None:
            if platform is None:
                reader.fail(
                    "mapping.needs", node, "marketplace", setting="marketplace", other="platform"
                )
            elif marketplaces()[market].platform != platform:
                reader.fail(
                    "store.marketplace_mismatch",
                    node,
                    "marketplace",
                    store=settings.get("store") or "-",
                    expected=platform,
                    found=market,
                )
        settings["marketplace"] = market


def _read_file(reader: _Reader, values: dict[str, Any], settings: dict[str, Any]) -> None:
    if "file" not in values:
        return
    pairs = reader.mapping(values["file"][1], "file") or []
    for name, k, v in pairs:
        key = f"file.{name}"
        if name not in FILE_SETTINGS:
            reader.fail("mapping.unknown_key", k, key, setting=key, known=", ".join(FILE_SETTINGS))
        elif name == "delimiter":
            # A delimiter is often a space-like character: read it untrimmed.
            raw = str(v.value) if isinstance(v, yaml.ScalarNode) else ""
            found = DELIMITERS.get(raw) or DELIMITERS.get(raw.strip().lower())
            if found is None:
                shown = ", ".join(["','", "tab", "';'", "'|'"])
                reader.fail("mapping.bad_value", v, key, value=raw, expected=shown)
            settings["delimiter"] = found
        elif name == "encoding":
            settings["encoding"] = reader.choice(v, key, ENCODINGS) or "utf-8"
        elif name == "sheet":
            settings["sheet"] = reader.text(v, key)
        elif name == "header_row":
            text = reader.text(v, key)
            if text is not None and not (text.isdigit() and 1 <= int(text) <= 1000):
                reader.fail("mapping.bad_value", v, key, value=text, expected="1 … 1000")
            elif text is not None:
                settings["header_row"] = int(text)
        elif name == "date_format":
            text = reader.text(v, key)
            # Only the directives every strptime shares (the database parses with it).
            if text is not None and not (
                re.fullmatch(r"([^%]|%[dmyYbBHMSIpf%])*", text) and re.search(r"%[dmyYbB]", text)
            ):
                reader.fail("mapping.bad_value", v, key, value=text, expected="%d/%m/%Y, …")
            settings["date_format"] = text
        elif name == "timezone":
            text = reader.text(v, key)
            if text is not None:
                try:
                    ZoneInfo(text)
                    settings["file_timezone"] = text
                except (ZoneInfoNotFoundError, ValueError):
                    reader.fail(
                        "mapping.bad_value", v, key, value=text, expected="Asia/Shanghai, …"
                    )
        elif name == "quote":
            text = reader.text(v, key)
            if text is not None and text.lower() not in (*TRUE_WORDS, *FALSE_WORDS):
                reader.fail("mapping.bad_value", v, key, value=text, expected="true, false")
            settings["quote"] = text is None or text.lower() in TRUE_WORDS


def _read_columns(
    reader: _Reader, values: dict[str, Any], settings: dict[str, Any], kind: str, root: Node
) -> None:
    roles = ROLES[kind]
    columns: dict[str, Column] = {}
    if "columns" in values:
        for name, k, v in reader.mapping(values["columns"][1], "columns") or []:
            key = f"columns.{name}"
            if name not in roles:
                reader.fail("mapping.unknown_key", k, key, setting=key, known=", ".join(roles))
                continue
            headers = reader.texts(v, key)
            if headers is not None:
                columns[name] = Column(name, headers, key, _line(v))
    else:
        needed = ", ".join(n for n, r in roles.items() if r.needed)
        reader.fail("mapping.column_needed", root, "columns", kind=kind, role=needed)
    settings["columns"] = columns
    for name, role in roles.items():
        if role.needed and name not in columns and "columns" in values:
            if kind == "charges" and name == "amount":
                continue
            reader.fail(
                "mapping.column_needed", values["columns"][0], "columns", kind=kind, role=name
            )


def _read_charges(
    reader: _Reader, values: dict[str, Any], settings: dict[str, Any], root: Node
) -> None:
    columns: dict[str, Column] = settings["columns"]
    amounts: list[AmountColumn] = []
    if "amounts" in values:
        if "amount" in columns:
            reader.fail(
                "mapping.conflict",
                values["amounts"][0],
                "amounts",
                setting="amounts",
                other="columns.amount",
            )
        if "category" in columns:
            reader.fail(
                "mapping.conflict",
                values["amounts"][0],
                "amounts",
                setting="amounts",
                other="columns.category",
            )
        if "category" in values:
            reader.fail(
                "mapping.conflict",
                values["category"][0],
                "category",
                setting="category",
                other="amounts",
            )
        pairs = reader.mapping(values["amounts"][1], "amounts")
        for n, (header, k, v) in enumerate(pairs or [], 1):
            key = f"amounts.{header}"
            category = reader.category(v, key)
            amounts.append(AmountColumn(f"amount_{n}", (header,), category, key, _line(k)))
        if pairs == []:
            reader.fail("mapping.category_needed", values["amounts"][1], "amounts")
    elif "amount" in columns:
        column = columns["amount"]
        amounts.append(AmountColumn("amount", column.headers, None, column.key, column.line))
    else:
        reader.fail("mapping.column_needed", root, "columns", kind="charges", role="amount")
    settings["amounts"] = tuple(amounts)
    if "category" in values:
        settings["category"] = reader.category(values["category"][1], "category")
    if "categories" in values:
        if "category" not in columns:
            reader.fail(
                "mapping.needs",
                values["categories"][0],
                "categories",
                setting="categories",
                other="columns.category",
            )
        found: dict[str, str] = {}
        for raw, _k, v in reader.mapping(values["categories"][1], "categories") or []:
            code = reader.category(v, f"categories.{raw}")
            if code is not None:
                found[raw.strip().lower()] = code
        settings["category_values"] = found
    if "amount" in columns and "category" not in columns and "category" not in values:
        reader.fail("mapping.category_needed", root, "category")
    if "sign" in values:
        sign = reader.choice(values["sign"][1], "sign", ("cost", "ledger"))
        settings["sign"] = 1 if sign == "ledger" else -1
    if "allocate" in values:
        _read_allocate(reader, values["allocate"], settings, columns)


def _read_allocate(
    reader: _Reader, entry: tuple[Node, Node], settings: dict[str, Any], columns: dict[str, Column]
) -> None:
    key_node, node = entry
    by = None
    pairs = reader.mapping(node, "allocate")
    for name, k, v in pairs or []:
        key = f"allocate.{name}"
        if name not in ALLOCATE_SETTINGS:
            reader.fail(
                "mapping.unknown_key", k, key, setting=key, known=", ".join(ALLOCATE_SETTINGS)
            )
        elif name == "by":
            by = reader.choice(v, key, MEASURES)
        else:
            settings["allocate_total"] = reader.choice(v, key, ("sum", "repeated")) or "sum"
    if by is None:
        if pairs is not None and not any(name == "by" for name, _k, _v in pairs):
            reader.fail(
                "mapping.bad_value", node, "allocate.by", value="", expected=", ".join(MEASURES)
            )
        return
    settings["allocate_by"] = by
    for role in ("reference", "sku", by):
        if role not in columns:
            reader.fail("mapping.allocate_needs", key_node, "allocate", by=by, role=role)
