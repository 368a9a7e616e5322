"""Docs that tests keep honest: every command, option, setting, category and message
is documented, in both languages where users read it."""

from __future__ import annotations

import re
import string

import typer.main

from conftest import REPO
from lianxing.categories import load_categories
from lianxing.cli import app
from lianxing.i18n import COLUMN_LABELS, MESSAGES
from lianxing.workspace import SETTINGS, STORE_SETTINGS

CLI_DOC = (REPO / "docs" / "cli.md").read_text("utf-8")
SETTINGS_DOC = (REPO / "docs" / "settings.md").read_text("utf-8")
CATEGORIES_DOC = (REPO / "docs" / "categories.md").read_text("utf-8")
README = (REPO / "README.md").read_text("utf-8")


def commands() -> list[tuple[str, list[str]]]:
    def walk(command: object, path: list[str]) -> list[tuple[str, list[str]]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found = []
            for name, sub in subcommands.items():
                found.extend(walk(sub, [*path, name]))
            return found
        options = [o for p in command.params for o in p.opts if o.startswith("--")]  # type: ignore[attr-defined]
        return [(" ".join(path), options)]

    return walk(typer.main.get_command(app), [])


def section(name: str) -> str:
    match = re.search(
        rf"^### `lianxing {re.escape(name)}`\n(.*?)(?=^### |\Z)", CLI_DOC, re.S | re.M
    )
    assert match, f"docs/cli.md has no section for `lianxing {name}`"
    return match.group(1)


def test_every_command_and_option_is_documented() -> None:
    found = commands()
    assert len(found) >= 8
    for name, options in found:
        text = section(name)
        for option in options:
            assert option in text or option in CLI_DOC.split("### ")[0], (name, option)


def test_global_options_are_documented() -> None:
    command = typer.main.get_command(app)
    head = CLI_DOC.split("### ")[0]
    for param in command.params:
        for option in param.opts:
            if option.startswith("--"):
                assert f"`{option}" in head, option


def test_every_setting_is_documented() -> None:
    for name in SETTINGS:
        assert f"`{name}`" in SETTINGS_DOC, name
    for name in STORE_SETTINGS:
        assert f"`{name}`" in SETTINGS_DOC, name


def test_every_category_and_column_is_documented() -> None:
    tree = load_categories()
    for category in tree.categories:
        assert f"`{category.code}`" in CATEGORIES_DOC, category.code
    for column in tree.columns:
        assert f"`{column.id}`" in CATEGORIES_DOC, column.id
        assert f"`{column.id}`" in CLI_DOC, column.id


def test_every_message_has_both_languages_with_the_same_fields() -> None:
    fields = string.Formatter()
    for key, (en, zh) in MESSAGES.items():
        assert en.strip() and zh.strip(), key
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: Chinese text expected"
        en_fields = {f for _, f, _, _ in fields.parse(en) if f}
        zh_fields = {f for _, f, _, _ in fields.parse(zh) if f}
        assert en_fields == zh_fields, key
    for key, (en, zh) in COLUMN_LABELS.items():
        assert en and zh, key


def test_category_labels_exist_in_both_languages() -> None:
    for category in load_categories().categories:
        assert category.en and re.search(r"[\u4e00-\u9fff]", category.zh), category.code


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:600]
    assert "make demo" in head and "make test" in head
    for name, _ in commands():
        assert f"lianxing {name.split()[0]}" in README, name
