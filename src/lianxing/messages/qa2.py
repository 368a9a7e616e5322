"""Messages added by the QA of issue 12."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "workspace.not_a_folder": (
        "{path} is a file, not a folder: give a new or existing folder for the workspace.",
        "{path} 是文件而不是目录：请为工作区指定一个新的或已有的目录。",
    ),
    "workspace.cannot_create": (
        "Cannot create the workspace folder {path} ({reason}). Choose another folder.",
        "无法创建工作区目录 {path}（{reason}）。请换一个目录。",
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
    "value.sign_not_currency": (
        "'{value}' is written with another currency's sign than the row's currency "
        "{currency}: write the amount without the sign, or the row's right currency.",
        "'{value}' 带有与该行币种 {currency} 不同的货币符号：请去掉符号，或改正该行币种。",
    ),
    "table.hidden_one": (
        "1 column not shown, to fit {width} characters: {columns}. A wider window "
        "shows it; --all shows every column, --columns picks them.",
        "为适应 {width} 个字符宽度，有 1 列未显示：{columns}。加宽窗口可显示；"
        "--all 显示全部列，--columns 指定列。",
    ),
}
