"""What a file is, from its first bytes: a data file Lianxing reads, or something else.

A folder of downloads holds PDFs, images, archives and old Excel workbooks beside the
reports. Each of these is named for what it is (never "internal error" or "not
UTF-8"), and a folder import skips it with that reason. Only the first bytes are read
(a zip's directory for .xlsx), so a huge file that is not a report costs nothing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lianxing.errors import InputError

HEAD = 64
GZIP = b"\x1f\x8b"
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003: .xls, .doc, .ppt, .msg
# (magic bytes, message key, what it is) of formats that are never data Lianxing reads.
_FORMATS: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "file.is_pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "file.is_image", "PNG"),
    (b"\xff\xd8\xff", "file.is_image", "JPEG"),
    (b"GIF87a", "file.is_image", "GIF"),
    (b"GIF89a", "file.is_image", "GIF"),
    (b"II*\x00", "file.is_image", "TIFF"),
    (b"MM\x00*", "file.is_image", "TIFF"),
    (b"Rar!\x1a\x07", "file.is_archive", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "file.is_archive", "7-Zip"),
    (b"\xfd7zXZ\x00", "file.is_archive", "xz"),
    (OLE, "file.is_xls", ".xls"),
    (b"\xff\xfe", "file.is_utf16", "UTF-16"),
    (b"\xfe\xff", "file.is_utf16", "UTF-16"),
)
# Keys that mean "not a file Lianxing reads" (a folder import skips these files).
NOT_DATA = frozenset(
    {
        "file.is_pdf",
        "file.is_image",
        "file.is_archive",
        "file.is_office",
        "file.is_gzip",
        "file.is_utf16",
        "file.is_xlsx",
        "mapping.xls",
        "file.is_xls",
        "file.empty",
        "file.binary",
        "file.unknown_kind",
    }
)


# An .xlsx is unpacked as it is read. The sizes its zip directory declares bound what
# is unpacked (the zip reader stops there), so a zip bomb is refused before it is opened:
# all parts together, and any part read whole (shared strings, styles; not a sheet).
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
MAX_XLSX_PART = 16 * 1024 * 1024


def head(path: Path, size: int = HEAD) -> bytes:
    if path.is_dir():
        raise InputError.at("file.is_folder", path=str(path))
    if not path.is_file():
        raise InputError.at("file.missing", path=str(path))
    with path.open("rb") as handle:
        return handle.read(size)


def is_gzip(path: Path) -> bool:
    return head(path, 2) == GZIP


def zip_kind(path: Path) -> str:
    """'xlsx', 'docx', 'pptx', 'zip' (any other archive) or 'broken' for a zip file."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return "broken"
    for prefix, kind in (("xl/", "xlsx"), ("word/", "docx"), ("ppt/", "pptx")):
        if any(n.startswith(prefix) for n in names):
            return kind
    return "zip"


def is_workbook(path: Path) -> bool:
    """An .xlsx workbook, whatever its name (a broken one is refused by its reader)."""
    return head(path, 4) == ZIP and zip_kind(path) in ("xlsx", "broken")


def refuse_zip_bomb(path: Path) -> None:
    """Refuse an .xlsx whose parts unpack beyond the bounds above (a broken zip is left
    to its reader, which names it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return
    whole = [i.file_size for i in infos if not i.filename.startswith("xl/worksheets/")]
    for size, limit in (
        (sum(i.file_size for i in infos), MAX_XLSX_UNPACKED),
        (max(whole, default=0), MAX_XLSX_PART),
    ):
        if size > limit:
            shown = f"{limit // (1024 * 1024)} MB"
            raise InputError.at("file.unpacked_too_large", file=str(path), limit=shown)


def office_kind(path: Path) -> str:
    """What an Office 97–2003 (OLE2) file holds, from its directory's stream names:
    '.xls', '.doc', '.ppt', '.msg' or '.xls/.doc/.ppt' when it cannot tell."""
    try:
        with path.open("rb") as handle:
            header = handle.read(512)
            shift = int.from_bytes(header[30:32], "little")
            first = int.from_bytes(header[48:52], "little")
            if not 7 <= shift <= 16 or first >= 0xFFFFFFFA:
                return ".xls/.doc/.ppt"
            handle.seek((first + 1) << shift)
            directory = handle.read(4096)
    except OSError:
        return ".xls/.doc/.ppt"
    for name, kind in (
        ("Workbook", ".xls"),
        ("Book", ".xls"),
        ("WordDocument", ".doc"),
        ("PowerPoint Document", ".ppt"),
        ("__substg1.0_", ".msg"),
    ):
        if name.encode("utf-16-le") in directory:
            return kind
    return ".xls/.doc/.ppt"


def not_data(path: Path) -> InputError | None:
    """Why this file is not a data file Lianxing reads (None: it may be one).

    An .xlsx workbook and gzip are answered by the caller, which may read them.
    """
    first = head(path)
    if not first:
        return InputError.at("file.empty", file=str(path))
    for magic, key, what in _FORMATS:
        if first.startswith(magic):
            if magic == OLE:  # an old Excel workbook, or another Office 97–2003 file
                what = office_kind(path)
                key = "file.is_office" if what in (".doc", ".ppt", ".msg") else key
            return InputError.at(key, file=str(path), format=what)
    if first.startswith(b"BM") and first[6:10] == b"\x00" * 4:
        return InputError.at("file.is_image", file=str(path), format="BMP")
    if first[4:8] == b"ftyp":  # ISO media: HEIC photos, MP4 videos
        return InputError.at("file.is_image", file=str(path), format="HEIC/MP4")
    if first.startswith(b"RIFF") and first[8:12] == b"WEBP":
        return InputError.at("file.is_image", file=str(path), format="WebP")
    if first.startswith(ZIP):
        kind = zip_kind(path)
        if kind in ("docx", "pptx"):
            return InputError.at("file.is_office", file=str(path), format=f".{kind}")
        if kind == "zip":
            return InputError.at("file.is_archive", file=str(path), format="zip")
        if kind == "xlsx":
            refuse_zip_bomb(path)
    if b"\x00" in first and not first.startswith(GZIP) and not first.startswith(ZIP):
        if len(first) >= 16 and (not any(first[1:16:2]) or not any(first[0:16:2])):
            return InputError.at("file.is_utf16", file=str(path), format="UTF-16")  # no BOM
        return InputError.at("file.binary", file=str(path))
    return None


def refuse_not_data(path: Path) -> None:
    """Raise the error naming what this file is, when it is not data Lianxing reads."""
    refusal = not_data(path)
    if refusal is not None:
        raise refusal


def refuse_packed(path: Path) -> None:
    """A workbook or gzip file that no importer (or mapping file) took: say what it is."""
    first = head(path, 4)
    if first.startswith(GZIP):
        raise InputError.at("file.is_gzip", file=str(path))
    if first == ZIP:
        raise InputError.at("file.is_xlsx", file=str(path))
