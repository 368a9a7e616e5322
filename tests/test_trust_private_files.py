"""Files with personal or pay data are readable by their owner only (issue 12, item 24)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_cli
from lianxing.app import Lianxing
from lianxing.demo_team import write_team
from lianxing.private import owner_only_umask
from lianxing.store.database import Database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual umask (files 0644): what is owner-only must be made so by Lianxing."""
    with owner_only_umask(0o022):
        yield


def test_new_workspace_folder_database_and_temp_folder_are_owner_only(tmp_path: Path) -> None:
    with Lianxing.init(tmp_path / "ws") as lx:
        root = lx.workspace.root
        assert mode(root) == 0o700
        assert mode(root / "lianxing.duckdb") == 0o600
        assert mode(root / ".lianxing-tmp") == 0o700


def test_database_of_an_existing_workspace_is_made_owner_only_on_open(tmp_path: Path) -> None:
    Lianxing.init(tmp_path / "ws").close()
    (tmp_path / "ws" / "lianxing.duckdb").chmod(0o644)
    Lianxing.open(tmp_path / "ws").close()
    assert mode(tmp_path / "ws" / "lianxing.duckdb") == 0o600


def test_workspace_in_a_folder_the_user_had_keeps_the_folder_mode(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    folder.mkdir(mode=0o755)
    (folder / "notes.txt").write_text("mine", "utf-8")
    Lianxing.init(folder).close()
    assert mode(folder) == 0o755 and mode(folder / "lianxing.duckdb") == 0o600


def test_demo_team_files_are_owner_only(tmp_path: Path) -> None:
    write_team(tmp_path, ["LX-KITCH-001"])
    for name in ("people.yaml", "pay.yaml", "scorecards.yaml", "targets.yaml"):
        assert mode(tmp_path / name) == 0o600, name


def test_targets_and_scorecards_written_by_lianxing_are_owner_only(lx: Lianxing) -> None:
    targets = lx.apply_template("amazon_fba")
    scorecards = lx.team_template()
    assert (mode(targets), mode(scorecards)) == (0o600, 0o600)


def test_cli_writes_with_an_owner_only_umask_and_puts_the_umask_back(tmp_path: Path) -> None:
    result = run_cli(["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.stderr
    assert mode(tmp_path / "ws" / "lianxing.toml") == 0o600
    assert os.umask(0o022) == 0o022  # the test process's umask is as it was


def test_database_write_ahead_log_is_owner_only_under_the_cli_umask(tmp_path: Path) -> None:
    with owner_only_umask():
        db = Database(tmp_path / "x.duckdb")
        db.con.execute("CREATE TABLE pay (person VARCHAR, amount DECIMAL(18, 2))")
        db.con.execute("INSERT INTO pay VALUES ('li', 1000)")
        wal = tmp_path / "x.duckdb.wal"
        assert wal.exists() and mode(wal) == 0o600
        db.close()
