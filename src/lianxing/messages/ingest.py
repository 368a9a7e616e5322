"""Messages of the ingest fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "file.line_too_long": (
        "This line is {size} long; lines longer than {limit} cannot be read, so the file "
        "is refused rather than imported without it. Is it the right file?",
        "此行长 {size}，超过可读取的上限 {limit}；为免漏掉此行，整个文件不予导入。"
        "请确认文件是否正确。",
    ),
}
