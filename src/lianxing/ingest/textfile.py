"""Open an input file: header now; hash, encoding and line checks in one background pass.

Platform files arrive as UTF-8, UTF-8 with a byte-order mark, or windows-1252 (older
Seller Central downloads). Anything else — UTF-16, bytes neither encoding defines,
Chinese GBK text that would decode as windows-1252 mojibake — is refused with a clear
error. A windows-1252 file, or one mixing CRLF and LF line ends, is rewritten as UTF-8
with LF in the workspace's temp folder so the database's CSV reader sees one form.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lianxing import private
from lianxing.errors import InputError
from lianxing.ingest import sniff

CHUNK = 8 * 1024 * 1024
# The database's CSV reader takes lines up to this size (`max_line_size` in the loaders).
# Beyond its buffer it would drop a longer line without a word, so the byte scan finds
# any line this long first and the file is refused, naming the line.
MAX_LINE_BYTES = 1024 * 1024
# A line at least MAX_LINE_BYTES long covers a whole aligned block of half that size:
# a block without a line feed (one memchr each) is the only cue for the exact count.
_BLOCK = MAX_LINE_BYTES // 2
_BLANK_LINE = re.compile(rb"\n\r?\n")
ProgressFn = Callable[[int, int], None]


@dataclass
class _Scan:
    """What one pass over all the bytes found."""

    sha256: str
    has_nul: bool
    maybe_blank: bool
    mixed_line_ends: bool
    maybe_long: bool = False  # some line may exceed MAX_LINE_BYTES


@dataclass
class TextFile:
    """An input file opened for import; its full scan may still be running.

    The header is read at once; hashing and the checks that need every byte run in a
    background thread (`finish()` waits), so they overlap the database reading the
    file instead of adding to it.
    """

    path: Path
    size: int
    encoding: str  # utf-8 | utf-8-sig | windows-1252
    header_line: str
    temp_dir: Path | None = None
    readable_path: Path | None = None  # UTF-8 copy when the original cannot be read as is
    _scan: Future[_Scan] | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _sha256: str = ""
    # Physical line numbers (1-based) of empty lines after the header: the CSV reader
    # skips them, so data-row numbers must be shifted past them to name the right line.
    _blank_lines: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def utf8_path(self) -> Path:
        return self.readable_path or self.path

    @property
    def sha256(self) -> str:
        self.finish()
        return self._sha256

    @property
    def blank_lines(self) -> list[int]:
        self.finish()
        return self._blank_lines

    def header(self, delimiter: str) -> list[str]:
        return split_header(self.header_line, delimiter)

    def finish(self) -> bool:
        """Wait for the scan and act on it; True when a readable copy was just made."""
        if self._scan is None:
            return False
        scan, self._scan = self._scan.result(), None
        self._sha256 = scan.sha256
        if scan.has_nul:
            raise _encoding_error(self.path, "NUL bytes: UTF-16 or a binary file")
        if scan.maybe_long:
            long_line = first_long_line(self.path)
            if long_line is not None:
                raise InputError.at(
                    "file.line_too_long",
                    file=str(self.path),
                    line=long_line[0],
                    size=_megabytes(long_line[1]),
                    limit=_megabytes(MAX_LINE_BYTES),
                )
        if scan.maybe_blank:
            self._blank_lines = _blank_lines(self.path)
        if scan.mixed_line_ends and self.readable_path is None:
            # Some lines end CRLF and some LF: the reader cannot take both in one file.
            rewrite_utf8(self, self.temp_dir)
            return True
        return False

    def finish_quietly(self) -> None:
        """Stop a background scan (an import that failed early has no use for it)."""
        self._stop.set()
        if self._scan is not None:
            self._scan.exception()


def split_header(line: str, delimiter: str) -> list[str]:
    """A header line's column names, as the importers plan their columns from them."""
    return [name.strip().strip('"').strip() for name in line.split(delimiter)]


def _encoding_error(path: Path, detail: str, line: int | None = None) -> InputError:
    return InputError.at("file.encoding", file=str(path), line=line, detail=detail)


def _scan_bytes(path: Path, size: int, progress: ProgressFn | None, stop: threading.Event) -> _Scan:
    """One streaming pass over the file: memory stays flat whatever its size. Stops
    early (its result unused) when the import has failed: a huge file that is not a
    report is refused at once, not after hashing it all."""
    digest = hashlib.sha256()
    has_nul = maybe_blank = maybe_long = False
    line_feeds = crlf = 0
    previous_tail = b""
    done = 0
    with path.open("rb") as handle:
        while not stop.is_set() and (chunk := handle.read(CHUNK)):
            digest.update(chunk)
            has_nul = has_nul or b"\x00" in chunk
            window = previous_tail + chunk[:2]
            # Only look for blank lines' numbers (a second pass) when there are any.
            # (one regular-expression pass finds either mark: "\n\n" or "\n\r\n")
            maybe_blank = maybe_blank or any(_BLANK_LINE.search(part) for part in (chunk, window))
            if b"\r" in window or b"\r" in chunk:  # only CRLF files pay for counting
                line_feeds += chunk.count(b"\n")
                # (a CRLF split between two chunks counts too, without copying the chunk)
                crlf += chunk.count(b"\r\n") + (previous_tail[-1:] == b"\r" and chunk[:1] == b"\n")
            maybe_long = maybe_long or _has_long_block(chunk, done)
            previous_tail = chunk[-2:]
            done += len(chunk)
            if progress:
                progress(done, size)
    return _Scan(digest.hexdigest(), has_nul, maybe_blank, 0 < crlf < line_feeds, maybe_long)


def _has_long_block(chunk: bytes, offset: int) -> bool:
    """Does an aligned block (of the file) inside this chunk hold no line feed?"""
    start = -offset % _BLOCK
    while start + _BLOCK <= len(chunk):
        if chunk.find(b"\n", start, start + _BLOCK) < 0:
            return True
        start += _BLOCK
    return False


def first_long_line(path: Path, limit: int = MAX_LINE_BYTES) -> tuple[int, int] | None:
    """(line number, bytes) of the first line longer than `limit` bytes, else None.

    Streams the file: a line of any length costs no more memory than a chunk.
    """
    number, length, line_at = 1, 0, None
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            position = 0
            while True:
                end = chunk.find(b"\n", position)
                length += (len(chunk) if end < 0 else end) - position
                if length > limit and line_at is None:
                    line_at = number
                if end < 0:
                    break
                if line_at is not None:
                    return line_at, length
                number, length, position = number + 1, 0, end + 1
    return (line_at, length) if line_at is not None else None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


_SCANNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lianxing-scan")


def open_text(
    path: Path,
    *,
    temp_dir: Path | None = None,
    progress: ProgressFn | None = None,
) -> TextFile:
    """Read the header now; hash and check every byte in the background."""
    if not path.is_file():
        raise InputError.at("file.missing", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError.at("file.empty", file=str(path))
    with path.open("rb") as handle:
        first_chunk = handle.read(65536)
    # UTF-8 validity is checked by the CSV reader, which names the offending line; a
    # file it rejects is then re-read as windows-1252 (see `rewrite_utf8`).
    encoding = "utf-8-sig" if first_chunk.startswith(codecs.BOM_UTF8) else "utf-8"
    text = TextFile(path, size, encoding, "", temp_dir=temp_dir)
    text._scan = _SCANNER.submit(_scan_bytes, path, size, progress, text._stop)
    header = first_chunk.split(b"\n", 1)[0]
    if b"\r" in header.rstrip(b"\r") and header.split(b"\r", 1)[0].count(b'"') % 2 == 0:
        # Lines end CR alone (old Mac; a CR outside quotes before any LF): the reader
        # would take the file as one line.
        text.finish_quietly()
        raise InputError.at("file.cr_line_ends", file=str(path), line=1)
    if b"\x00" in header:
        text.finish()  # raises the NUL-byte error
    try:
        text.header_line = header.decode("utf-8").lstrip("\ufeff").rstrip("\r")
    except UnicodeDecodeError:
        # The reader skips the header, so it would never check it: transcode now.
        rewrite_utf8(text, temp_dir, encoding="cp1252")
        text.header_line = header.decode("cp1252").rstrip("\r")
    return text


def _blank_lines(path: Path) -> list[int]:
    """Physical numbers of the empty lines after the header (rare: a second pass)."""
    found = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number > 1 and line.strip(b"\r\n") == b"":
                found.append(number)
    # Trailing empty lines at the end of the file precede no data row.
    return found


_HIGH = re.compile(rb"[\x80-\xff]")
_ISOLATED_HIGH = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")


def high_bytes(data: bytes) -> tuple[int, int]:
    """(non-ASCII bytes, those standing alone between ASCII) for `looks_like_gbk`."""
    return len(_HIGH.findall(data)), len(_ISOLATED_HIGH.findall(data))


def looks_like_gbk(high: int, isolated: int) -> bool:
    """Chinese GBK text decodes as windows-1252 without error, into mojibake.

    In GBK every non-ASCII byte is half of a pair; in Western windows-1252 text accented
    letters mostly stand alone between ASCII letters. Many high bytes and almost none
    alone means GBK (Excel on Chinese Windows): refuse rather than store mojibake.
    """
    return high >= 4 and isolated < 0.05 * high


def rewrite_utf8(text: TextFile, temp_dir: Path | None, *, encoding: str = "utf-8") -> TextFile:
    """A UTF-8 copy with LF line ends, for files the reader cannot take as they are
    (windows-1252, or mixed CRLF/LF line ends). UTF-8 that fails to decode falls back
    to windows-1252; bytes neither encoding accepts are refused, naming the line."""
    path = text.path
    if temp_dir is None:
        raise _encoding_error(path, "not UTF-8")
    private.folder(temp_dir)  # a copy of a file with names and money: owner only
    target = temp_dir / f"{text.sha256}.utf8"
    decoder = codecs.getincrementaldecoder("cp1252" if encoding == "cp1252" else "utf-8")()
    line, high, isolated, pending = 1, 0, 0, ""
    try:
        with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
            while chunk := source.read(CHUNK):
                try:
                    decoded = pending + decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    if encoding != "cp1252":
                        out.close()
                        return rewrite_utf8(text, temp_dir, encoding="cp1252")
                    bad_line = line + chunk[: exc.start].count(b"\n")
                    detail = f"byte 0x{chunk[exc.start]:02x} fits neither encoding"
                    raise _encoding_error(path, detail, bad_line) from exc
                if encoding == "cp1252":
                    high += len(_HIGH.findall(chunk))
                    isolated += len(_ISOLATED_HIGH.findall(chunk))
                # Hold back a final \r: its \n may start the next chunk.
                pending = decoded[-1:] if decoded.endswith("\r") else ""
                out.write(decoded[: len(decoded) - len(pending)].replace("\r\n", "\n"))
                line += chunk.count(b"\n")
            out.write(pending)
        if encoding == "cp1252" and looks_like_gbk(high, isolated):
            raise _encoding_error(path, "it looks like GBK/GB18030 (Chinese Windows or Excel)")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    text.encoding = "windows-1252" if encoding == "cp1252" else text.encoding
    text.readable_path = target
    return text


# Hand-written sheets (costs, rates, product specs) are read whole: a bigger file is
# not one of them, and is refused before it is read.
MAX_SHEET_BYTES = 32 * 1024 * 1024


def read_small_text(path: Path, limit: int | None = None) -> tuple[str, str]:
    """(text, encoding) of a small file such as a cost or rate sheet, at most `limit`
    bytes (default MAX_SHEET_BYTES): UTF-8 (with or without BOM), Chinese GB18030/GBK
    or windows-1252."""
    limit = MAX_SHEET_BYTES if limit is None else limit
    sniff.refuse_not_data(path)  # also: a folder, a missing file
    if sniff.head(path, 4) == sniff.ZIP:
        raise InputError.at("file.xlsx_as_text", file=str(path))
    size = path.stat().st_size
    if size > limit:
        raise InputError.at(
            "file.too_large", file=str(path), size=_megabytes(size), limit=_megabytes(limit)
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError.at("file.empty", file=str(path))
    if b"\x00" in data:
        raise _encoding_error(path, "NUL bytes: UTF-16 or a binary file")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            bad_line = data[: exc.start + 3].count(b"\n") + 1
            detail = f"a UTF-8 byte-order mark, then byte 0x{data[exc.start + 3]:02x}"
            raise _encoding_error(path, detail, bad_line) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high, isolated = high_bytes(data)
    if looks_like_gbk(high, isolated) or isolated == 0:
        # Chinese text from Excel or Notepad on Chinese Windows: GB18030 (GBK's superset).
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as exc:
            bad_line = data[: exc.start].count(b"\n") + 1
            detail = f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor GB18030"
            raise _encoding_error(path, detail, bad_line) from exc
    try:
        decoded = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise _encoding_error(path, f"byte 0x{data[exc.start]:02x}", bad_line) from exc
    return decoded, "windows-1252"
