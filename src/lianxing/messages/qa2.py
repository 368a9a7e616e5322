"""Messages added by the QA of issue 12."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "table.unknown_column_near": (
        "--columns: no column '{value}' in this table. Did you mean '{suggestion}'? "
        "Its columns: {known}.",
        "--columns：此表没有 '{value}' 列。您是否想输入 '{suggestion}'？可用的列：{known}。",
    ),
    "sources.col_store_from": ("From store", "原店铺"),
    "sources.col_store_to": ("To store", "新店铺"),
    "value.dollar_not_usd": (
        "'{value}' is in dollars but the row's currency is {currency}: write the amount "
        "without $, or the currency USD.",
        "'{value}' 带有美元符号 $，但该行币种为 {currency}：请去掉 $，或把币种写为 USD。",
    ),
    "table.hidden_one": (
        "1 column not shown, to fit {width} characters: {columns}. A wider window "
        "shows it; --all shows every column, --columns picks them.",
        "为适应 {width} 个字符宽度，有 1 列未显示：{columns}。加宽窗口可显示；"
        "--all 显示全部列，--columns 指定列。",
    ),
}
