"""Messages of the config fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "option.bad_range": (
        "--from {date_from} --to {date_to}: the range ends before it starts.",
        "--from {date_from} --to {date_to}：结束日期早于开始日期。",
    ),
    "workspace.bad_setting": ("not valid: {detail}", "配置有误：{detail}"),
    "workspace.none_above": (
        "No Lianxing workspace in {path} or any folder above it. Create one with "
        "`lianxing init DIR`, or point to one with --workspace DIR or the "
        "LIANXING_WORKSPACE environment variable.",
        "{path} 及其上级目录中都没有联星工作区。请用 `lianxing init DIR` 创建，"
        "或用 --workspace DIR 或环境变量 LIANXING_WORKSPACE 指定工作区。",
    ),
    # Option values (lianxing.cli_options).
    "option.bad_choice": (
        "{option} must be one of: {choices} (not '{value}').",
        "{option} 只能是：{choices}（不能是 '{value}'）。",
    ),
    "option.did_you_mean": (
        "{option} must be one of: {choices} (not '{value}'). Did you mean '{suggestion}'?",
        "{option} 只能是：{choices}（不能是 '{value}'）。您是否想输入 '{suggestion}'？",
    ),
    "option.bad_day": (
        "{option} '{value}': write a date (YYYY-MM-DD) or a month (YYYY-MM).",
        "{option} '{value}'：请写日期（YYYY-MM-DD）或月份（YYYY-MM）。",
    ),
    "kpi.did_you_mean": (
        "Unknown KPI '{kpi}'. Did you mean '{suggestion}'? (`lianxing kpi list` lists them.)",
        "未知 KPI '{kpi}'。您是否想输入 '{suggestion}'？（`lianxing kpi list` 列出全部指标。）",
    ),
    # Definition files (people/scorecards/pay/targets/kpis/fees/duties YAML).
    "definition.empty": (
        "the file is empty: it needs a `{name}:` list (see docs/team.md and docs/kpis.md).",
        "文件为空：需要一个 `{name}:` 列表（见 docs/team.md 与 docs/kpis.md）。",
    ),
    "definition.read_gbk": (
        "Note: {file} is not UTF-8; it was read as Chinese GBK/GB18030 (what Notepad calls "
        "'ANSI'). Saving it as UTF-8 (Notepad: File → Save As → Encoding: UTF-8) avoids this.",
        "提示：{file} 不是 UTF-8 编码，已按中文 GBK/GB18030（记事本称为“ANSI”）读取。"
        "建议另存为 UTF-8（记事本：文件 → 另存为 → 编码：UTF-8）。",
    ),
    "definition.not_utf8": (
        "the file is not UTF-8 text (bytes no text encoding Lianxing reads). Save it as "
        "UTF-8 and run again.",
        "文件不是 UTF-8 文本（含有无法识别的字节）。请另存为 UTF-8 后重试。",
    ),
    "definition.too_large": (
        "the file is {size} bytes; a definition file may be at most {limit} bytes.",
        "文件有 {size} 字节；定义文件最多 {limit} 字节。",
    ),
    "definition.too_deep": (
        "lists and mappings are nested more than {limit} levels deep.",
        "列表与映射嵌套超过 {limit} 层。",
    ),
    # The built-in KPI templates (lianxing/data/templates.yaml).
    "templates.yaml": ("not valid YAML ({detail}).", "不是有效的 YAML（{detail}）。"),
    "templates.no_list": ("expected a list under 'templates:'.", "'templates:' 下应为列表。"),
    "definition.tag": (
        "the tag '{tag}' is not allowed: a definition file holds plain text, numbers, "
        "lists and mappings.",
        "不允许使用标签 '{tag}'：定义文件只能包含文本、数字、列表和映射。",
    ),
    "definition.too_many_aliases": (
        "more than {limit} YAML aliases (`*name`); write the values out instead.",
        "YAML 别名（`*name`）超过 {limit} 个；请直接写出各值。",
    ),
    "definition.duplicate_key": (
        "'{name}' is given twice in one entry (first on line {first}); YAML would keep only "
        "the last one without a word. Keep one.",
        "同一条目中 '{name}' 出现了两次（第一次在第 {first} 行）；YAML 会默默只保留后一个。"
        "请只保留一个。",
    ),
    "workspace.not_a_folder": (
        "{path} is a file, not a folder: give a new or existing folder for the workspace.",
        "{path} 是文件而不是目录：请为工作区指定一个新的或已有的目录。",
    ),
    "workspace.cannot_create": (
        "Cannot create the workspace folder {path} ({reason}). Choose another folder.",
        "无法创建工作区目录 {path}（{reason}）。请换一个目录。",
    ),
}
