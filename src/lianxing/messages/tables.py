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
    "table.before_subcommand": (
        "{options}: give it after the subcommand (`{command} {options} …`); before it, "
        "it would not be used. Nothing was written.",
        "{options}：请写在子命令之后（`{command} {options} …`）；写在前面不会生效。"
        "未写入任何内容。",
    ),
    "export.cannot_write": (
        "{path}: cannot write the file here ({reason}); nothing was written. Give another "
        "file name or folder.",
        "{path}：无法在此写入文件（{reason}），未写入任何内容。请换一个文件名或目录。",
    ),
    "table.unknown_column_near": (
        "--columns: no column '{value}' in this table. Did you mean '{suggestion}'? "
        "Its columns: {known}.",
        "--columns：此表没有 '{value}' 列。您是否想输入 '{suggestion}'？可用的列：{known}。",
    ),
    "table.hidden_one": (
        "1 column not shown, to fit {width} characters: {columns}. A wider window "
        "shows it; --all shows every column, --columns picks them.",
        "为适应 {width} 个字符宽度，有 1 列未显示：{columns}。加宽窗口可显示；"
        "--all 显示全部列，--columns 指定列。",
    ),
}
