"""Messages of the tables fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "table.hidden": (
        "{count} columns not shown, to fit {width} characters: {columns}. A wider window "
        "shows more; --all shows every column, --columns picks them.",
        "为适应 {width} 个字符宽度，有 {count} 列未显示：{columns}。加宽窗口可显示更多；"
        "--all 显示全部列，--columns 指定列。",
    ),
    "table.total": ("Total", "合计"),
    "table.written": ("Written: {path}", "已写入：{path}"),
    "table.unknown_column": (
        "--columns: no column '{value}' in this table. Its columns: {known}.",
        "--columns：此表没有 '{value}' 列。可用的列：{known}。",
    ),
}
