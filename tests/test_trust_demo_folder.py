"""`lianxing demo --force` never deletes what the demo did not write (issue 12, item 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from lianxing import demo
from lianxing.app import Lianxing
from lianxing.demo_folder import MARKER


def _fake_build(directory: Path, **_: object) -> Path:
    """What the demo writes, in miniature: a workspace, sources, team files, reports."""
    Lianxing.init(directory).close()
    (directory / "sources").mkdir()
    (directory / "sources" / "settlement.txt").write_text("demo\n", "utf-8")
    (directory / "people.yaml").write_text("people: []\n", "utf-8")
    (directory / "reports").mkdir()
    (directory / "reports" / "profit.csv").write_text("month\n", "utf-8")
    return directory / "reports"


@pytest.fixture
def fake_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_build", _fake_build)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_demo_force_refuses_a_real_workspace_and_deletes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    Lianxing.init(folder).close()
    for name in ("sources/settlement-2025-01.txt", "mappings/erp.yaml", "people.yaml"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text("mine\n", "utf-8")
    before = _tree(folder)
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3, result.stderr
    assert MARKER in result.stderr
    assert _tree(folder) == before


def test_demo_refuses_a_non_empty_folder_without_a_workspace(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "report.csv").write_text("a,b\n", "utf-8")
    before = _tree(folder)
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3
    assert _tree(folder) == before


def test_demo_lists_every_file_it_wrote_in_its_marker(tmp_path: Path, fake_demo: None) -> None:
    folder = tmp_path / "d"
    demo.run_demo(folder)
    listed = json.loads((folder / MARKER).read_text("utf-8"))
    assert listed["complete"] is True
    assert set(listed["files"]) == set(_tree(folder)) - {MARKER}


def test_demo_rebuild_without_force_is_refused(tmp_path: Path, fake_demo: None) -> None:
    folder = tmp_path / "d"
    demo.run_demo(folder)
    result = run_cli(["demo", str(folder)])
    assert result.exit_code == 3 and "--force" in result.stderr


def test_demo_force_rebuilds_its_own_folder(tmp_path: Path, fake_demo: None) -> None:
    folder = tmp_path / "d"
    demo.run_demo(folder)
    demo.run_demo(folder, force=True)
    assert (folder / "people.yaml").read_text("utf-8") == "people: []\n"
    assert json.loads((folder / MARKER).read_text("utf-8"))["complete"] is True


def test_demo_force_keeps_a_file_the_user_added(tmp_path: Path, fake_demo: None) -> None:
    folder = tmp_path / "d"
    demo.run_demo(folder)
    (folder / "sources" / "my-real-settlement.txt").write_text("mine\n", "utf-8")
    before = _tree(folder)
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3
    assert "my-real-settlement.txt" in result.stderr
    assert _tree(folder) == before


def test_demo_force_keeps_a_demo_file_the_user_changed(tmp_path: Path, fake_demo: None) -> None:
    folder = tmp_path / "d"
    demo.run_demo(folder)
    (folder / "people.yaml").write_text("people: [{id: me}]\n", "utf-8")
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3 and "people.yaml" in result.stderr
    assert (folder / "people.yaml").read_text("utf-8") == "people: [{id: me}]\n"


def test_demo_that_failed_still_lists_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(directory: Path, **_: object) -> Path:
        (directory / "sources").mkdir()
        (directory / "sources" / "half.txt").write_text("x", "utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "_build", failing)
    folder = tmp_path / "d"
    with pytest.raises(KeyboardInterrupt):
        demo.run_demo(folder)
    monkeypatch.setattr(demo, "_build", _fake_build)
    demo.run_demo(folder, force=True)
    assert not (folder / "sources" / "half.txt").exists()


def test_demo_killed_before_listing_its_files_deletes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / MARKER).write_text('{"complete": false, "files": {}}', "utf-8")
    (folder / "lianxing.toml").write_text("", "utf-8")
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3 and "interrupted" in result.stderr
    assert (folder / "lianxing.toml").exists()


def test_demo_from_an_earlier_version_is_refused_with_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    with Lianxing.init(folder) as lx:
        for store in demo.DEMO_STORES:
            lx.workspace.add_store(store)
        lx.workspace.save()
    (folder / "sources").mkdir()
    (folder / "sources" / "12614347144.txt").write_text("x", "utf-8")
    before = _tree(folder)
    result = run_cli(["demo", str(folder), "--force"])
    assert result.exit_code == 3 and "earlier version" in result.stderr
    assert _tree(folder) == before
