"""Read the bytes of an input file once: hash, encoding, header, blank lines.

Platform files arrive as UTF-8, UTF-8 with a byte-order mark, or windows-1252 (older
Seller Central downloads). Anything else is refused with a clear error rather than
read as mojibake. A windows-1252 file is transcoded to UTF-8 in the workspace's temp
folder so the database's CSV reader sees one encoding.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lianxing.errors import InputError

CHUNK = 8 * 1024 * 1024
ProgressFn = Callable[[int, int], None]


@dataclass
class TextFile:
    path: Path
    sha256: str
    size: int
    encoding: str  # utf-8 | utf-8-sig | windows-1252
    header_line: str
    # Physical line numbers (1-based) of empty lines after the header: the CSV reader
    # skips them, so data-row numbers must be shifted past them to name the right line.
    blank_lines: list[int] = field(default_factory=list)
    readable_path: Path | None = None  # UTF-8 copy when the original is not UTF-8

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def utf8_path(self) -> Path:
        return self.readable_path or self.path

    def header(self, delimiter: str) -> list[str]:
        return [name.strip().strip('"').strip() for name in self.header_line.split(delimiter)]


def _encoding_error(path: Path, detail: str, line: int | None = None) -> InputError:
    return InputError.at("file.encoding", file=str(path), line=line, detail=detail)


def inspect(
    path: Path, *, temp_dir: Path | None = None, progress: ProgressFn | None = None
) -> TextFile:
    """One streaming pass over the file: memory stays flat whatever its size."""
    if not path.is_file():
        raise InputError.at("file.missing", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError.at("file.empty", file=str(path))
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    has_nul = False
    lines_before = 0  # newlines seen before the current chunk
    blank_lines: list[int] = []
    first_chunk = b""
    previous_tail = b""
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if not first_chunk:
                first_chunk = chunk[:65536]
            if utf8_ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            has_nul = has_nul or b"\x00" in chunk
            window = previous_tail + chunk
            # Blank lines are rare; only then do we pay for finding their numbers.
            if b"\n\n" in window or b"\n\r\n" in window:
                blank_lines.extend(_blank_lines(window, lines_before - previous_tail.count(b"\n")))
            lines_before += chunk.count(b"\n")
            previous_tail = chunk[-2:]
            done += len(chunk)
            if progress:
                progress(done, size)
    if utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if has_nul:
        raise _encoding_error(path, "NUL bytes: UTF-16 or a binary file")
    blank_lines = sorted(set(n for n in blank_lines if n > 1))
    if utf8_ok:
        encoding = "utf-8-sig" if first_chunk.startswith(codecs.BOM_UTF8) else "utf-8"
        header = first_chunk.split(b"\n", 1)[0].decode("utf-8", errors="replace")
        header = header.lstrip("\ufeff").rstrip("\r")
        return TextFile(path, digest.hexdigest(), size, encoding, header, blank_lines)
    readable = _transcode_cp1252(path, temp_dir, digest.hexdigest())
    header = first_chunk.split(b"\n", 1)[0].decode("cp1252", errors="replace").rstrip("\r")
    return TextFile(
        path, digest.hexdigest(), size, "windows-1252", header, blank_lines, readable_path=readable
    )


def _blank_lines(window: bytes, first_line_index: int) -> list[int]:
    """Line numbers of the empty lines in a window that starts at a line boundary-ish."""
    found = []
    line = first_line_index + 1
    start = 0
    while True:
        end = window.find(b"\n", start)
        if end < 0:
            break
        if window[start:end].strip(b"\r") == b"" and start > 0:
            found.append(line)
        line += 1
        start = end + 1
    return found


def _transcode_cp1252(path: Path, temp_dir: Path | None, digest: str) -> Path:
    """Re-encode a windows-1252 file as UTF-8, or refuse it naming the bad line."""
    if temp_dir is None:
        raise _encoding_error(path, "not UTF-8")
    temp_dir.mkdir(parents=True, exist_ok=True)
    target = temp_dir / f"{digest}.utf8"
    decoder = codecs.getincrementaldecoder("cp1252")()
    line = 1
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(CHUNK):
            try:
                out.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                out.close()
                target.unlink(missing_ok=True)
                bad_line = line + chunk[: exc.start].count(b"\n")
                raise _encoding_error(
                    path, f"byte 0x{chunk[exc.start]:02x} fits neither encoding", bad_line
                ) from exc
            line += chunk.count(b"\n")
    return target


def read_small_text(path: Path) -> tuple[str, str]:
    """(text, encoding) of a small file such as a cost or rate sheet."""
    if not path.is_file():
        raise InputError.at("file.missing", path=str(path))
    data = path.read_bytes()
    if not data.strip():
        raise InputError.at("file.empty", file=str(path))
    if b"\x00" in data:
        raise _encoding_error(path, "NUL bytes: UTF-16 or a binary file")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise _encoding_error(path, f"byte 0x{data[exc.start]:02x}", bad_line) from exc
