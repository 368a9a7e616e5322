"""Messages added in the QA of issue 12: `sources log` headers and actions, period lengths."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "sources.log.store_from": ("From store", "原店铺"),
    "sources.log.store_to": ("To store", "新店铺"),
    "sources.log.forget": ("forget", "删除"),
    "sources.log.move": ("move", "移动"),
    "sources.log.rename_store": ("rename store", "店铺改名"),
    "sources.log.remove_store": ("remove store", "删除店铺"),
    "team.log.close": ("close", "关账"),
    "team.log.reopen": ("re-open", "重新打开"),
    "team.log.adjust": ("adjust", "调整"),
    "targets.unknown_platform": (
        "No platform '{name}': a platform: scope names one of {known}.",
        "没有平台 '{name}'：platform: 范围须为 {known} 之一。",
    ),
    "definition.duplicate_key": (
        "'{name}' is given twice in one entry (first on line {first}); YAML would keep only "
        "the last one without a word. Keep one.",
        "同一条目中 '{name}' 出现了两次（第一次在第 {first} 行）；YAML 会默默只保留后一个。"
        "请只保留一个。",
    ),
    # A pay plan's or a period's length, in a sentence ("pays per quarter")
    "periods.kind.month": ("month", "月"),
    "periods.kind.quarter": ("quarter", "季度"),
    "periods.kind.year": ("year", "年"),
}
