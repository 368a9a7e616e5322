"""User-facing messages of the fee schedules and the fee estimator, in English and
Simplified Chinese (merged into `lianxing.i18n.MESSAGES`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- schedule files -------------------------------------------------------------
    "fees.yaml": (
        "The fee schedule file is not valid YAML: {detail}",
        "费用表文件不是有效的 YAML：{detail}",
    ),
    "fees.no_list": (
        "A fee schedule file must hold a `schedules:` list (see docs/fees.md).",
        "费用表文件必须包含 `schedules:` 列表（见 docs/fees.md）。",
    ),
    "fees.duplicate_key": (
        "'{field}' is given twice here.",
        "此处 '{field}' 重复出现。",
    ),
    "fees.unknown_field": (
        "Unknown field '{field}'. Fields allowed here: {known}.",
        "未知字段 '{field}'。此处可用字段：{known}。",
    ),
    "fees.missing_field": (
        "'{field}' is missing.",
        "缺少 '{field}'。",
    ),
    "fees.bad_value": (
        "'{field}' is {value}; it must be {expected}.",
        "'{field}' 的值是 {value}；应为 {expected}。",
    ),
    "fees.unknown_kind": (
        "Unknown schedule kind '{kind}'. Kinds: {known}.",
        "未知的费用表类型 '{kind}'。可用类型：{known}。",
    ),
    "fees.bad_period": (
        "effective_to {end} is before effective_from {start}.",
        "effective_to {end} 早于 effective_from {start}。",
    ),
    "fees.open_band": (
        "In '{field}' only the last band may have no limit, and the last band must have none.",
        "'{field}' 中只有最后一档可以不设上限，且最后一档必须不设上限。",
    ),
    "fees.one_rule": (
        "Category '{name}' needs exactly one of percent, by_price or marginal.",
        "类目 '{name}' 必须且只能有 percent、by_price、marginal 其中之一。",
    ),
    "fees.duplicate_category": (
        "The category name or alias '{category}' is used twice in this schedule.",
        "类目名称或别名 '{category}' 在此费用表中重复。",
    ),
    "fees.many_catch_alls": (
        "A schedule may have only one catch_all category.",
        "一个费用表只能有一个 catch_all 类目。",
    ),
    "fees.partial_step": (
        "above_oz, step_oz and step_fee go together: give all three or none.",
        "above_oz、step_oz 和 step_fee 必须同时给出或同时省略。",
    ),
    "fees.duplicate_schedule": (
        "Schedule '{id}' starting {date} appears twice in this file.",
        "费用表 '{id}'（{date} 起）在此文件中出现了两次。",
    ),
    "fees.same_start": (
        "Schedule '{id}' starts on {date}, the same day as '{other}' ({other_file}). "
        "To replace that table, give yours the same id; otherwise change the date.",
        "费用表 '{id}' 与 '{other}'（{other_file}）都从 {date} 开始。"
        "如要替换该表，请使用相同的 id；否则请修改日期。",
    ),
    # ---- lookups --------------------------------------------------------------------
    "fees.no_schedule": (
        "No {kind} fee schedule covers {date}. Periods covered: {covered}. "
        "Add a schedule for that date in the workspace's fees/ folder (see docs/fees.md).",
        "没有覆盖 {date} 的 {kind} 费用表。已覆盖的期间：{covered}。"
        "可在工作区的 fees/ 文件夹中为该日期添加费用表（见 docs/fees.md）。",
    ),
    "fees.no_rate": (
        "The fee table {table} has no rate for size tier {tier}.",
        "费用表 {table} 中没有尺寸分段 {tier} 的费率。",
    ),
    "fees.weight_beyond_table": (
        "A shipping weight of {weight_oz} oz is above every {tier} row of {table} "
        "(the last goes up to {max_oz} oz).",
        "发货重量 {weight_oz} 盎司超出了 {table} 中 {tier} 的所有档位（最高 {max_oz} 盎司）。",
    ),
    "fees.no_tier": (
        "SKU {sku} fits no size tier of {table}.",
        "SKU {sku} 不属于 {table} 中的任何尺寸分段。",
    ),
    # ---- inputs ---------------------------------------------------------------------
    "fees.bad_price": (
        "The price {price} is not usable for a fee estimate: it must be a number above 0.",
        "价格 {price} 无法用于费用估算：必须是大于 0 的数。",
    ),
    "fees.unknown_platform": (
        "Unknown platform '{platform}'. Platforms: {known}.",
        "未知平台 '{platform}'。可用平台：{known}。",
    ),
    "fees.unknown_fulfilment": (
        "Unknown fulfilment '{fulfilment}'. Choose one of: {known}.",
        "未知的配送方式 '{fulfilment}'。可选：{known}。",
    ),
    "fees.unknown_plan": (
        "Unknown Shopify plan '{plan}'. Plans: {known}.",
        "未知的 Shopify 套餐 '{plan}'。可用套餐：{known}。",
    ),
    "fees.no_category": (
        "SKU {sku} has no fee category, so its {platform} referral fee cannot be worked "
        "out. Add a category to the product catalogue.",
        "SKU {sku} 没有费用类目，无法计算其 {platform} 销售佣金。请在商品目录中填写类目。",
    ),
    "fees.unknown_category": (
        "SKU {sku}: the category '{category}' is not in the {platform} referral fee "
        "schedule. Known categories: {known}.",
        "SKU {sku}：类目 '{category}' 不在 {platform} 的销售佣金费率表中。已知类目：{known}。",
    ),
    "fees.no_dimensions": (
        "SKU {sku} has no complete dimensions and weight (length, width, height, weight), "
        "which its size tier needs.",
        "SKU {sku} 缺少完整的尺寸和重量（长、宽、高、重量），无法确定尺寸分段。",
    ),
    "fees.bad_dimensions": (
        "SKU {sku}: dimensions and weight must be numbers above 0.",
        "SKU {sku}：尺寸和重量必须是大于 0 的数。",
    ),
    "fees.bad_days": (
        "SKU {sku}: {field} is {value}; it must be 0 or more.",
        "SKU {sku}：{field} 的值是 {value}；不能小于 0。",
    ),
    "fees.bad_which": (
        "'{which}' is not a choice for the placement fee: use min or max.",
        "入库配置费不能选 '{which}'：请用 min 或 max。",
    ),
}
