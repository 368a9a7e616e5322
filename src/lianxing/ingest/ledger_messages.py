"""User-facing messages of the Inventory Ledger importer, in English and Simplified
Chinese (to be merged into `lianxing.i18n.MESSAGES`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ledger.unknown_event_types": (
        "{count} lines have an event type Lianxing does not know ({values}); "
        "they are stored as the file writes them.",
        "有 {count} 行的事件类型 Lianxing 不认识（{values}）；已按文件原样保存。",
    ),
    "ledger.unknown_reasons": (
        "{count} lines have an adjustment reason code Lianxing does not know ({values}); "
        "they are stored as the file writes them.",
        "有 {count} 行的调整原因代码 Lianxing 不认识（{values}）；已按文件原样保存。",
    ),
}
