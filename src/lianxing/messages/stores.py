"""Messages of the stores fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "store.currency_none": (
        "The report is in {currency}, but no store of its platform is: {stores}. Add a "
        "store in {currency} to lianxing.toml, or name the store with --store ID.",
        "报告币种为 {currency}，但该平台没有此币种的店铺：{stores}。"
        "请在 lianxing.toml 中添加 {currency} 店铺，或用 --store ID 指定店铺。",
    ),
    "sources.unknown": (
        "No imported file has source id {source}; see `lianxing sources --files`.",
        "没有来源 ID 为 {source} 的导入文件；请查看 `lianxing sources --files`。",
    ),
    "sources.superseded": (
        "Source #{source} was replaced by #{by}: move #{by} instead.",
        "来源 #{source} 已被 #{by} 取代：请改为移动 #{by}。",
    ),
    "sources.no_store": (
        "Source #{source} ({kind}) belongs to no store, so it cannot be moved.",
        "来源 #{source}（{kind}）不属于任何店铺，无法移动。",
    ),
    "sources.same_store": (
        "Source #{source} already belongs to store '{store}'.",
        "来源 #{source} 已属于店铺 '{store}'。",
    ),
    "sources.move_mismatch": (
        "Source #{source} is from a store on {found}, but '{store}' is on {expected}: a "
        "file moves only to a store of the same platform, marketplace and currency.",
        "来源 #{source} 来自 {found} 的店铺，而 '{store}' 属于 {expected}："
        "文件只能移到平台、站点和币种都相同的店铺。",
    ),
    "sources.already_there": (
        "Store '{store}' already has this file (source #{other}): forget #{source} "
        "instead (`lianxing sources forget {source}`).",
        "店铺 '{store}' 已有此文件（来源 #{other}）：请改为删除 #{source}"
        "（`lianxing sources forget {source}`）。",
    ),
    "sources.forgotten": (
        "Forgot source #{source} ({file}); rows removed: {rows}. Recorded in "
        "`lianxing sources log`.",
        "已删除来源 #{source}（{file}）；删除的行：{rows}。已记入 `lianxing sources log`。",
    ),
    "sources.forgotten_versions": (
        "Its earlier versions went with it: {sources}.",
        "其早先版本一并删除：{sources}。",
    ),
    "sources.moved": (
        "Moved source #{source} ({file}) from store '{old}' to '{store}'; rows moved: "
        "{rows}. Recorded in `lianxing sources log`.",
        "已将来源 #{source}（{file}）从店铺 '{old}' 移到 '{store}'；移动的行：{rows}。"
        "已记入 `lianxing sources log`。",
    ),
    "sources.store_left_empty": (
        "Store '{store}' has no imported file now; if it was a typo, remove it with "
        "`lianxing sources remove-store {store}`.",
        "店铺 '{store}' 现在没有任何导入文件；如果它是误输入，请用 "
        "`lianxing sources remove-store {store}` 删除。",
    ),
    "stores.exists": (
        "A store '{store}' exists already: to put one store's files into another, use "
        "`lianxing sources move ID --store {store}`.",
        "店铺 '{store}' 已存在：如需把一个店铺的文件并入另一个，请用 "
        "`lianxing sources move ID --store {store}`。",
    ),
    "stores.not_empty": (
        "Store '{store}' still has imported files: move them (`lianxing sources move`) or "
        "forget them (`lianxing sources forget`) first.",
        "店铺 '{store}' 仍有导入文件：请先移动（`lianxing sources move`）或删除"
        "（`lianxing sources forget`）它们。",
    ),
    "stores.renamed": (
        "Renamed store '{old}' to '{store}' in lianxing.toml; rows renamed: {rows}. "
        "Recorded in `lianxing sources log`.",
        "已在 lianxing.toml 中将店铺 '{old}' 改名为 '{store}'；改名的行：{rows}。"
        "已记入 `lianxing sources log`。",
    ),
    "stores.removed": (
        "Removed store '{store}' from lianxing.toml. Recorded in `lianxing sources log`.",
        "已从 lianxing.toml 删除店铺 '{store}'。已记入 `lianxing sources log`。",
    ),
    "stores.still_named": (
        "{file} line {line} still names store '{store}': edit it.",
        "{file} 第 {line} 行仍写着店铺 '{store}'：请修改。",
    ),
    "store.same_marketplace": (
        "Store {others} already sells on {marketplace}. If '{store}' is a typo, move this "
        "file with `lianxing sources move {source} --store {other}` and then "
        "`lianxing sources remove-store {store}`; or rename it with "
        "`lianxing sources rename-store {store} NEW`.",
        "店铺 {others} 已在 {marketplace} 销售。如果 '{store}' 是误输入，请用 "
        "`lianxing sources move {source} --store {other}` 移动此文件，再用 "
        "`lianxing sources remove-store {store}` 删除；"
        "或用 `lianxing sources rename-store {store} NEW` 改名。",
    ),
    "sources.log.store_from": ("From store", "原店铺"),
    "sources.log.store_to": ("To store", "新店铺"),
    "sources.log.forget": ("forget", "删除"),
    "sources.log.move": ("move", "移动"),
    "sources.log.rename_store": ("rename store", "店铺改名"),
    "sources.log.remove_store": ("remove store", "删除店铺"),
}
