"""The demo's own folder: it writes only into a new or empty folder, leaves a marker there
listing every file it wrote (with its checksum), and on `--force` deletes only those
files — never a folder it did not create, nor a file it did not write or that changed
since it wrote it (issue 12, item 7)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lianxing import private
from lianxing.errors import LianxingError, WorkspaceError
from lianxing.workspace import DATABASE_NAME, Workspace

MARKER = ".lianxing-demo.json"
# Written by the workspace itself as it is used (the demo's database, its journal and
# scratch files): the demo's, whatever their content now.
_OWNED_ANY_CONTENT = (DATABASE_NAME, DATABASE_NAME + ".wal")
_OWNED_FOLDERS = (".lianxing-tmp",)
_SHOWN = 3  # foreign files named in the refusal


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _files(directory: Path) -> list[str]:
    """Every file under `directory` (relative, '/'-separated), the marker excepted."""
    found = []
    for root, _dirs, names in os.walk(directory):
        for name in names:
            relative = (Path(root) / name).relative_to(directory).as_posix()
            if relative != MARKER:
                found.append(relative)
    return sorted(found)


def _owned_any_content(relative: str) -> bool:
    return relative in _OWNED_ANY_CONTENT or relative.split("/", 1)[0] in _OWNED_FOLDERS


def _read_marker(directory: Path) -> dict[str, Any] | None:
    path = directory / MARKER
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_marker(directory: Path, data: dict[str, Any]) -> None:
    path = directory / MARKER
    tmp = path.with_name(MARKER + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, path)


def _earlier_demo(directory: Path, stores: Sequence[str]) -> bool:
    """A workspace whose stores are exactly the demo's: most likely a demo written before
    demos left a marker (it is still refused, with a hint to delete it by hand)."""
    try:
        config = Workspace.load(directory).config
    except LianxingError:
        return False
    return sorted(s.id for s in config.stores) == sorted(stores)


def prepare(directory: Path, force: bool, stores: Sequence[str] = ()) -> None:
    """Make `directory` ready for a demo, or refuse (deleting nothing).

    A missing or empty folder is ready. A folder the demo made (its marker) is rebuilt
    with `force`: the files the demo listed are deleted, once it is sure every other file
    there is one it wrote and that has not changed. Anything else is refused."""
    directory.mkdir(parents=True, exist_ok=True)
    marker = _read_marker(directory)
    present = _files(directory)
    if marker is None:
        if any(directory.iterdir()):
            key = "demo.earlier_version" if _earlier_demo(directory, stores) else "demo.not_ours"
            raise WorkspaceError(key, path=str(directory), marker=MARKER)
        private.folder(directory)  # it will hold the demo team's people and pay
        _write_marker(directory, {"complete": False, "files": {}})
        return
    if not force:
        raise WorkspaceError("demo.not_empty", path=str(directory))
    written = marker.get("files")
    if not marker.get("complete") or not isinstance(written, dict):
        raise WorkspaceError("demo.interrupted", path=str(directory))
    foreign = [
        name
        for name in present
        if not _owned_any_content(name)
        and (name not in written or _digest(directory / name) != written[name])
    ]
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (", …" if len(foreign) > _SHOWN else "")
        raise WorkspaceError(
            "demo.foreign_files", path=str(directory), count=len(foreign), files=shown
        )
    _write_marker(directory, {"complete": False, "files": {}})
    for name in present:
        (directory / name).unlink(missing_ok=True)
    _remove_empty_folders(directory)


def _remove_empty_folders(directory: Path) -> None:
    for root, _dirs, _names in sorted(os.walk(directory), key=lambda w: -len(w[0])):
        folder = Path(root)
        if folder != directory and not any(folder.iterdir()):
            folder.rmdir()


def record(directory: Path) -> None:
    """List every file now in `directory` as the demo's (it was empty when the demo
    began), with its checksum, so a later `--force` deletes exactly these."""
    files = {
        name: ("" if _owned_any_content(name) else _digest(directory / name))
        for name in _files(directory)
    }
    _write_marker(directory, {"complete": True, "files": files})
