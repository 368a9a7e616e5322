"""Broken definition files and settings (issue 12, item 14): a YAML syntax error, an empty
file, a `!!python` tag, a file not in UTF-8, deep nesting, a huge number or a setting of
the wrong type is a clear error naming the file and the line — never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from lianxing import yaml_list
from lianxing.errors import InputError, LianxingError, WorkspaceError
from lianxing.pay import load_pay
from lianxing.people import load_people
from lianxing.scorecards import load_scorecards
from lianxing.targets import load_targets
from lianxing.workspace import Workspace

LOADERS: dict[str, Callable[[Path], Any]] = {
    "people": lambda path: load_people(path),
    "pay": load_pay,
    "scorecards": lambda path: load_scorecards(path, {"net_profit": "money"}),
    "targets": lambda path: load_targets(path, {"net_profit"}),
}
PAY = """pay:
  - name: bonus
    applies_to: {role: operator}
    currency: CNY
    rules:
      - {rule: score, base: 6000}
"""


def refused(name: str, content: str | bytes, tmp_path: Path) -> LianxingError:
    path = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(InputError) as info:
        LOADERS[name](path)
    return info.value


def assert_names_file_and_line(error: LianxingError, path: Path, line: int) -> None:
    for lang in ("en", "zh"):
        from lianxing.i18n import set_language

        set_language(lang)
        try:
            text = str(error)  # renders in the language: a missing parameter is a KeyError
        finally:
            set_language("en")
        assert str(path) in text, text
        assert (f"line {line}" if lang == "en" else f"第 {line} 行") in text, text


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_yaml_syntax_error_names_file_and_line(name: str, tmp_path: Path) -> None:
    error = refused(name, f"{name}:\n  - {{name: [x\n", tmp_path)
    assert error.key == f"{name}.yaml"
    assert_names_file_and_line(error, tmp_path / f"{name}.yaml", 3)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_an_empty_definition_file_says_what_it_needs(name: str, tmp_path: Path) -> None:
    error = refused(name, "# nothing yet\n", tmp_path)
    assert error.key == "definition.empty"
    assert_names_file_and_line(error, tmp_path / f"{name}.yaml", 1)
    assert f"`{name}:`" in str(error)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_python_tag_is_refused_not_run(name: str, tmp_path: Path) -> None:
    text = f"{name}:\n  - !!python/object/apply:os.system ['touch {tmp_path}/ran']\n"
    error = refused(name, text, tmp_path)
    assert error.key == "definition.tag"
    assert_names_file_and_line(error, tmp_path / f"{name}.yaml", 2)
    assert "'!!python/object/apply:os.system' is not allowed" in str(error)
    assert not (tmp_path / "ran").exists()


def test_gbk_people_file_is_read_and_the_cli_says_so(tmp_path: Path) -> None:
    """Notepad's "ANSI" is GBK: the file is read as written (names intact), with a notice
    in the user's language, never refused or misread (issue 12, item 20)."""
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    text = "# 团队\npeople:\n  - {id: boss, name: 王老板, role: owner}\n"
    (ws / "people.yaml").write_bytes(text.encode("gbk"))
    assert [p.name for p in load_people(ws / "people.yaml")] == ["王老板"]
    for lang, words in (("en", "read as Chinese GBK"), ("zh", "已按中文 GBK")):
        result = run_cli(["--lang", lang, "-w", str(ws), "team", "people"])
        assert result.exit_code == 0, result.stderr
        assert "王老板" in result.stdout
        assert words in result.stderr and str(ws / "people.yaml") in result.stderr


def test_bytes_in_no_chinese_encoding_are_refused_as_not_utf8(tmp_path: Path) -> None:
    error = refused("pay", b"pay:\n  - name: \xff\xfe\xff\n", tmp_path)
    assert error.key == "definition.not_utf8"
    assert_names_file_and_line(error, tmp_path / "pay.yaml", 2)


def test_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + PAY.encode())
    assert [plan.name for plan in load_pay(path)] == ["bonus"]


@pytest.mark.parametrize("nesting", ["[" * 5000 + "]" * 5000, "{a: " * 5000 + "1" + "}" * 5000])
def test_deep_nesting_is_refused_not_a_recursion_error(nesting: str, tmp_path: Path) -> None:
    error = refused("pay", f"# plans\npay: {nesting}\n", tmp_path)
    assert error.key == "definition.too_deep"
    assert_names_file_and_line(error, tmp_path / "pay.yaml", 2)


def test_block_nesting_just_under_the_limit_is_read(tmp_path: Path) -> None:
    deep = "".join(f"{'  ' * n}a{n}:\n" for n in range(yaml_list.MAX_DEPTH - 3))
    path = tmp_path / "kpis.yaml"
    path.write_text(f"targets: []\nx:\n{deep}  z: 1\n".replace("\na0", "\n  a0"), "utf-8")
    assert yaml_list.entries(path.read_text(), str(path), "targets", "targets") == []


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 120)]
    error = refused("pay", "\n".join(lines) + "\npay: []\n", tmp_path)
    assert error.key == "definition.too_many_aliases"
    assert error.problems[0].line is not None and error.problems[0].line > 100


def test_a_definition_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_list, "MAX_BYTES", 1000)
    error = refused("pay", PAY + "#" * 1000 + "\n", tmp_path)
    assert error.key == "definition.too_large"
    assert str(tmp_path / "pay.yaml") in str(error) and "1,000" in str(error)


def test_base_1e400_in_pay_is_refused_naming_plan_and_line(tmp_path: Path) -> None:
    error = refused("pay", PAY.replace("6000", "1e400"), tmp_path)
    assert error.key == "pay.bad_number"
    assert_names_file_and_line(error, tmp_path / "pay.yaml", 2)


def test_a_target_of_1e400_is_refused(tmp_path: Path) -> None:
    stages = "[{from: 2026-01, target: 1e400}]"
    text = f"targets:\n  - {{kpi: net_profit, scope: business, stages: {stages}}}\n"
    error = refused("targets", text, tmp_path)
    assert error.problems[0].line == 2


def write_config(tmp_path: Path, extra: str) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "lianxing.toml").write_text(f'reporting_currency = "USD"\n{extra}\n', "utf-8")
    return ws


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        ("mappings = 5", 2, "[[mappings]]"),
        ("stores = [1, 2]", 2, "[[stores]]"),
        ('[[mappings]]\nplatform = "ebay"\ncategory = "platform_fees.other"', 2, "ebay"),
        ("lang = en", 2, "Invalid value"),
        ('[[stores]]\nid = "a"\nplatform = "amazon"\nmarketplace = "amazon.com"\n'
         'currency = 840\ntimezone = "UTC"', 2, "currency"),
        ('[[stores]]\nid = "a"\nplatform = "amazon"\nmarketplace = "amazon.com"\n'
         'currency = "USD"\ntimezone = "Mars/Base"', 2, "Mars/Base"),
    ],
)  # fmt: skip
def test_a_setting_of_the_wrong_type_names_file_and_line(
    tmp_path: Path, extra: str, line: int, words: str
) -> None:
    ws = write_config(tmp_path, extra)
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws)
    assert_names_file_and_line(info.value, ws / "lianxing.toml", line)
    assert words in str(info.value)


def test_deeply_nested_settings_are_refused(tmp_path: Path) -> None:
    ws = write_config(tmp_path, "a = " + "[" * 5000 + "]" * 5000)
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws)
    assert "nested too deeply" in str(info.value)


def test_settings_in_gbk_are_read(tmp_path: Path) -> None:
    ws = write_config(tmp_path, "")
    (ws / "lianxing.toml").write_bytes('# 设置\nreporting_currency = "CNY"\n'.encode("gbk"))
    assert Workspace.load(ws).config.reporting_currency == "CNY"


def test_cli_shows_a_broken_pay_file_without_a_traceback(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["init", str(ws)]).exit_code == 0
    (ws / "people.yaml").write_text("people:\n  - {id: li, role: viewer}\n", "utf-8")
    (ws / "pay.yaml").write_text("pay:\n  - name: [x\n", "utf-8")
    result = run_cli(["-w", str(ws), "team", "payout", "--period", "2026-01"])
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"{ws / 'pay.yaml'}, line 3: not valid YAML" in result.stderr
