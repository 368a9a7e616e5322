"""The workspace: a folder with `lianxing.toml` (settings a user can keep in git) and
the database file.

Commands find the workspace from --workspace DIR, else $LIANXING_WORKSPACE, else the
current directory. Every setting is listed in `SETTINGS` / `STORE_SETTINGS` and
documented in docs/settings.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomlkit

from lianxing import private, yaml_list
from lianxing.codemap import Rule, rule_from_mapping
from lianxing.data import read_data
from lianxing.errors import InputError, Problem, WorkspaceError
from lianxing.money import is_currency

CONFIG_NAME = "lianxing.toml"
DATABASE_NAME = "lianxing.duckdb"
ENV_VAR = "LIANXING_WORKSPACE"
MAX_CONFIG_BYTES = 1024 * 1024

# Top-level settings of lianxing.toml, with their defaults.
SETTINGS: dict[str, Any] = {
    "lang": None,
    "reporting_currency": "USD",
    "fee_tax_recoverable": False,
    "cost_method": "fifo",
    "shopify_plan": "basic",
    "stores": [],
    "mappings": [],
}
STORE_SETTINGS = ("id", "platform", "marketplace", "currency", "timezone", "name")
PLATFORMS = ("amazon", "walmart", "shopify")
_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Marketplace:
    id: str
    platform: str
    names: tuple[str, ...]
    currency: str
    timezone: str


def marketplaces() -> dict[str, Marketplace]:
    raw = tomllib.loads(read_data("marketplaces.toml"))
    return {
        m["id"]: Marketplace(
            m["id"], m["platform"], tuple(m["names"]), m["currency"], m["timezone"]
        )
        for m in raw["marketplace"]
    }


def marketplace_for_name(name: str) -> Marketplace | None:
    """The marketplace a platform file names (`Amazon.ca` → amazon.ca), if known."""
    wanted = name.strip().lower()
    for market in marketplaces().values():
        if wanted == market.id or wanted in (n.lower() for n in market.names):
            return market
    return None


@dataclass
class Store:
    id: str
    platform: str
    marketplace: str
    currency: str
    timezone: str
    name: str | None = None

    def to_toml(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "platform": self.platform,
            "marketplace": self.marketplace,
            "currency": self.currency,
            "timezone": self.timezone,
        }
        if self.name:
            data["name"] = self.name
        return data


def validate_store_id(store_id: str) -> str:
    if not _STORE_ID.fullmatch(store_id):
        raise InputError("store.bad_id", store=store_id)
    return store_id


def _check_timezone(store: str, timezone: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError("store.bad_timezone", store=store, timezone=timezone) from exc


@dataclass
class Config:
    lang: str | None = None
    reporting_currency: str = "USD"
    fee_tax_recoverable: bool = False
    # How sales of a SKU with inbound batches are costed: fifo | average.
    cost_method: str = "fifo"
    # The Shopify plan whose card rates estimate payment fees: basic | shopify | advanced.
    shopify_plan: str = "basic"
    stores: list[Store] = field(default_factory=list)
    mappings: list[dict[str, Any]] = field(default_factory=list)

    def store(self, store_id: str) -> Store:
        for store in self.stores:
            if store.id == store_id:
                return store
        known = ", ".join(s.id for s in self.stores) or "-"
        raise InputError("store.unknown", store=store_id, stores=known)

    def mapping_rules(self) -> dict[str, list[Rule]]:
        """The workspace's own code mappings, per platform."""
        rules: dict[str, list[Rule]] = {}
        for n, entry in enumerate(self.mappings, start=1):
            platform = entry.get("platform", "amazon")
            rule = rule_from_mapping(entry, rule_id=f"{CONFIG_NAME}#{n}", rank=1)
            rules.setdefault(platform, []).append(rule)
        return rules

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.lang:
            data["lang"] = self.lang
        data["reporting_currency"] = self.reporting_currency
        data["fee_tax_recoverable"] = self.fee_tax_recoverable
        if self.cost_method != "fifo":
            data["cost_method"] = self.cost_method
        if self.shopify_plan != "basic":
            data["shopify_plan"] = self.shopify_plan
        if self.stores:
            data["stores"] = [s.to_toml() for s in self.stores]
        if self.mappings:
            data["mappings"] = self.mappings
        return data


def _setting_line(text: str, name: str, nth: int = 1) -> int | None:
    """The line of the `nth` `name = …` or `[[name]]` in lianxing.toml's text."""
    pattern = re.compile(rf"\s*(\[\[\s*{re.escape(name)}\s*\]\]|{re.escape(name)}\s*=)")
    found = [n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)]
    return found[nth - 1] if len(found) >= nth else (found[0] if found else None)


def parse_config(raw: dict[str, Any], file: str, text: str = "") -> Config:
    """Validate lianxing.toml; every problem names the file and the setting (and its line,
    given the file's `text`)."""

    def bad(detail: str, error: InputError | None = None) -> WorkspaceError:
        found = re.match(r"(\w+)(?:\[(\d+)\])?", detail)
        setting, nth = (found[1], int(found[2] or 1)) if found else ("", 1)
        line = _setting_line(text, setting, nth) if setting in SETTINGS else None
        key, params = (error.key, error.params) if error else ("workspace.bad_setting", {})
        problem = Problem(key, params or {"detail": detail}, file, line)
        return WorkspaceError("workspace.bad_config", problems=[problem], file=file, detail=detail)

    for name in raw:
        if name not in SETTINGS:
            raise WorkspaceError("workspace.unknown_setting", file=file, name=name)
    for name in ("stores", "mappings"):
        if not isinstance(raw.get(name, []), list) or not all(
            isinstance(item, dict) for item in raw.get(name, [])
        ):
            raise bad(f"{name} must be a list of tables ([[{name}]]), see docs/settings.md")
    config = Config(
        lang=raw.get("lang"),
        reporting_currency=raw.get("reporting_currency", "USD"),
        fee_tax_recoverable=raw.get("fee_tax_recoverable", False),
        cost_method=raw.get("cost_method", "fifo"),
        shopify_plan=raw.get("shopify_plan", "basic"),
        mappings=list(raw.get("mappings", [])),
    )
    if config.lang not in (None, "en", "zh"):
        raise bad(f"lang must be 'en' or 'zh', not {config.lang!r}")
    if not isinstance(config.reporting_currency, str) or not is_currency(config.reporting_currency):
        raise bad(f"reporting_currency {config.reporting_currency!r} is not a currency code")
    if not isinstance(config.fee_tax_recoverable, bool):
        raise bad("fee_tax_recoverable must be true or false")
    if config.cost_method not in ("fifo", "average"):
        raise bad(f"cost_method must be 'fifo' or 'average', not {config.cost_method!r}")
    if config.shopify_plan not in ("basic", "shopify", "advanced"):
        raise bad(f"shopify_plan must be basic, shopify or advanced, not {config.shopify_plan!r}")
    seen: set[str] = set()
    for n, entry in enumerate(raw.get("stores", []), start=1):
        unknown = set(entry) - set(STORE_SETTINGS)
        if unknown:
            raise bad(f"stores[{n}]: unknown setting(s) {', '.join(sorted(unknown))}")
        for name, value in entry.items():
            if not isinstance(value, str):
                raise bad(f"stores[{n}]: {name} must be text in quotes, not {value!r}")
        try:
            store = Store(**{k: entry[k] for k in STORE_SETTINGS[:5]}, name=entry.get("name"))
        except KeyError as exc:
            raise bad(f"stores[{n}]: missing {exc.args[0]}") from exc
        try:
            validate_store_id(store.id)
            _check_timezone(store.id, store.timezone)
        except InputError as exc:  # named with the file and the line of its [[stores]]
            raise bad(f"stores[{n}]", exc) from exc
        if store.id in seen:
            raise bad(f"stores[{n}]: duplicate id {store.id!r}")
        seen.add(store.id)
        if store.platform not in PLATFORMS:
            raise bad(f"stores[{n}]: platform must be one of {', '.join(PLATFORMS)}")
        if not is_currency(store.currency):
            raise bad(f"stores[{n}]: currency {store.currency!r} is not a currency code")
        config.stores.append(store)
    for n, entry in enumerate(config.mappings, start=1):
        platform = entry.get("platform", "amazon")
        if platform not in PLATFORMS:
            choices = ", ".join(PLATFORMS)
            raise bad(f"mappings[{n}]: platform must be one of {choices}, not {platform!r}")
    try:
        config.mapping_rules()
    except (ValueError, TypeError) as exc:
        raise bad(f"mappings: {exc}") from exc
    return config


def _toml_error(exc: Exception, file: str) -> WorkspaceError:
    """lianxing.toml's syntax error at its line ("Invalid value (at line 3, column 9)")."""
    if isinstance(exc, RecursionError):  # `a = [[[[…` thousands deep
        detail, line = "lists are nested too deeply", None
    else:
        found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(exc))
        detail = str(exc)[: found.start()] if found else str(exc)
        line = int(found[1]) if found else None
    problem = Problem("workspace.bad_setting", {"detail": detail}, file, line)
    return WorkspaceError("workspace.bad_config", problems=[problem], file=file, detail=detail)


def check_folder(root: Path) -> None:
    """A workspace is a folder: a file of that name is refused before anything is made."""
    if root.exists() and not root.is_dir():
        raise WorkspaceError("workspace.not_a_folder", path=str(root))


class Workspace:
    """A workspace folder: its settings and where its database lives."""

    def __init__(self, root: Path, config: Config):
        self.root = root
        self.config = config

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def database_path(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def temp_dir(self) -> Path:
        """Scratch space (transcoded files, database spill), inside the workspace."""
        return self.root / ".lianxing-tmp"

    @classmethod
    def create(
        cls, root: Path, *, reporting_currency: str = "USD", lang: str | None = None
    ) -> Workspace:
        root = root.expanduser().resolve()
        check_folder(root)
        if (root / CONFIG_NAME).exists():
            raise WorkspaceError("workspace.exists", path=str(root))
        try:
            if not root.exists() or not any(root.iterdir()):
                # A folder made for the workspace holds its database and team files (people,
                # pay): the owner's only. A folder the user already had keeps its mode.
                private.folder(root)
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                "workspace.cannot_create", path=str(root), reason=exc.strerror or str(exc)
            ) from exc
        workspace = cls(root, Config(lang=lang, reporting_currency=reporting_currency))
        workspace.save()
        return workspace

    @classmethod
    def load(cls, root: Path) -> Workspace:
        root = root.expanduser().resolve()
        path = root / CONFIG_NAME
        if not path.is_file():
            raise WorkspaceError("workspace.none", path=str(root))
        try:
            text = yaml_list.read_text(path, MAX_CONFIG_BYTES)  # a BOM (Notepad) is fine
            raw = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise _toml_error(exc, str(path)) from exc
        except InputError as exc:  # too large, not UTF-8: the workspace cannot be opened
            raise WorkspaceError(exc.key, problems=exc.problems, **exc.params) from exc
        return cls(root, parse_config(raw, str(path), text))

    @classmethod
    def find(cls, explicit: Path | str | None = None) -> Workspace:
        """--workspace, else $LIANXING_WORKSPACE, else the current directory or the
        nearest folder above it with a lianxing.toml (as git finds its repository)."""
        if explicit:
            return cls.load(Path(explicit))
        from_env = os.environ.get(ENV_VAR)
        if from_env:
            return cls.load(Path(from_env))
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls.load(folder)
        raise WorkspaceError("workspace.none_above", path=str(here))

    def save(self) -> None:
        """Write lianxing.toml atomically (a crash never leaves half a file).

        The file is the user's (kept in git, with their comments): only what changed is
        touched — a changed value is set, a new store appended — and the rest of the
        text stays as it was.
        """
        if self.config_path.exists():
            doc = tomlkit.parse(self.config_path.read_text("utf-8-sig"))
        else:
            doc = tomlkit.document()
            doc.add(tomlkit.comment("Lianxing workspace settings — see docs/settings.md."))
        for key, value in self.config.to_toml().items():
            if key in ("stores", "mappings"):
                existing = doc.get(key)
                known = [dict(item) for item in existing] if existing else []
                new = [item for item in value if item not in known]
                if not new:
                    continue
                if not existing:
                    doc[key] = tomlkit.aot()
                for item in new:
                    doc[key].append(tomlkit.item(item))
            elif doc.get(key) != value:
                doc[key] = value
        self.write_config(tomlkit.dumps(doc))

    def write_config(self, text: str) -> None:
        """Replace lianxing.toml with `text` atomically."""
        tmp = self.config_path.with_suffix(".toml.tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, self.config_path)

    def add_store(self, store: Store) -> None:
        validate_store_id(store.id)
        _check_timezone(store.id, store.timezone)
        self.config.stores.append(store)

    def rename_store(self, old: str, new: str) -> str:
        """Rename store `old` to `new` in lianxing.toml (the rest of the text kept);
        returns the file's earlier text, to put back if what goes with it fails."""
        validate_store_id(new)
        return self._edit_store(old, new)

    def remove_store(self, store_id: str) -> str:
        """Take store `store_id` out of lianxing.toml; returns the file's earlier text."""
        return self._edit_store(store_id, None)

    def _edit_store(self, store_id: str, new_id: str | None) -> str:
        store = self.config.store(store_id)
        before = self.config_path.read_text("utf-8-sig")
        doc = tomlkit.parse(before)
        entries = doc.get("stores") or []
        for index, entry in enumerate(entries):
            if entry.get("id") != store_id:
                continue
            if new_id is None:
                del entries[index]
            else:
                entry["id"] = new_id
            break
        self.write_config(tomlkit.dumps(doc))
        if new_id is None:
            self.config.stores.remove(store)
        else:
            store.id = new_id
        return before
