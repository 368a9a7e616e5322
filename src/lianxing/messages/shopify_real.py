"""Messages of real Shopify exports (issue 13): the shop's time zone, English and
Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "shopify.zone_conflict": (
        "{file}: the shop writes its times at UTC{offset} (e.g. {time}), but store "
        "'{store}' is kept in {zone} (UTC{zone_offset} then), so orders near midnight are "
        "counted on another day. The import went ahead in {zone}. If the shop is in "
        "{suggested}, set timezone = \"{suggested}\" for store '{store}' in lianxing.toml, "
        "then forget this store's Shopify files (`lianxing sources forget`) and import "
        "them again.",
        "{file}：店铺的时间按 UTC{offset} 记录（例如 {time}），但店铺 '{store}' 设置的时区是 "
        "{zone}（当时为 UTC{zone_offset}），午夜前后的订单会被计入另一天。本次已按 {zone} "
        "导入。如果店铺位于 {suggested}，请在 lianxing.toml 中把店铺 '{store}' 的 timezone "
        '设为 "{suggested}"，再用 `lianxing sources forget` 移除该店铺的 Shopify 文件并重新导入。',
    ),
    "shopify.zone_conflict_unknown": (
        "{file}: the shop writes its times at UTC{offset} (e.g. {time}), but store "
        "'{store}' is kept in {zone} (UTC{zone_offset} then), so orders near midnight are "
        "counted on another day. The import went ahead in {zone}. Set the shop's IANA "
        "time zone as timezone for store '{store}' in lianxing.toml, then forget this "
        "store's Shopify files (`lianxing sources forget`) and import them again.",
        "{file}：店铺的时间按 UTC{offset} 记录（例如 {time}），但店铺 '{store}' 设置的时区是 "
        "{zone}（当时为 UTC{zone_offset}），午夜前后的订单会被计入另一天。本次已按 {zone} "
        "导入。请在 lianxing.toml 中把店铺 '{store}' 的 timezone 设为店铺所在的 IANA 时区，"
        "再用 `lianxing sources forget` 移除该店铺的 Shopify 文件并重新导入。",
    ),
}
