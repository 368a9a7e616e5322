"""Messages added by the QA of issue 12."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "table.hidden_one": (
        "1 column not shown, to fit {width} characters: {columns}. A wider window "
        "shows it; --all shows every column, --columns picks them.",
        "为适应 {width} 个字符宽度，有 1 列未显示：{columns}。加宽窗口可显示；"
        "--all 显示全部列，--columns 指定列。",
    ),
}
