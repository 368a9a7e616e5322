"""Messages of the periods fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "targets.bad_period_stage": (
        "Target '{kpi}': a stage for one period is {{period: 2025-Q4, target: number}} "
        "(a year, a quarter or a month; warning and critical may be added, not from).",
        "目标 '{kpi}'：单一期间的阶段写作 {{period: 2025-Q4, target: 数字}}"
        "（年、季度或月；可加 warning、critical，不可同时写 from）。",
    ),
    "pay.bad_period": (
        "Pay plan '{plan}': period must be one of {choices} (default: month).",
        "薪酬方案 '{plan}'：period 只能是 {choices}（默认 month）。",
    ),
    "pay.wrong_period": (
        "Pay plan '{plan}' pays per {plan_every}, and {period} is a {kind_name}: pay each "
        "{plan_every} on its own, or give the plan 'period: {kind}' in pay.yaml.",
        "薪酬方案 '{plan}' 的发放周期是{plan_every}，而 {period} 是{kind_name}："
        "请按{plan_every}逐期发放，或在 pay.yaml 中为该方案设置 'period: {kind}'。",
    ),
    "pay.day_period": (
        "{period} is a single day: pay is for a month, a quarter or a year.",
        "{period} 只是一天：绩效工资按月、季度或年发放。",
    ),
    "team.bad_closer": (
        "--by {by}: scores are closed, re-opened and adjusted by a person of people.yaml "
        "whose role is {roles} (here: {allowed}).",
        "--by {by}：绩效的关账、重新打开和调整须由 people.yaml 中角色为 {roles} 的人员操作"
        "（可选：{allowed}）。",
    ),
    "team.close_day": (
        "{period} is a single day: close a month, a quarter or a year.",
        "{period} 只是一天：请按月、季度或年关账。",
    ),
    "team.close_not_ended": (
        "{period} has not ended (it ends on {last}): close it once it is over and its data is in.",
        "{period} 尚未结束（截至 {last}）：请在期间结束、数据导入后再关账。",
    ),
    "team.close_partial": (
        "The data for {period} ends on {last}, before the period does ({end}): its scores "
        "and pay would stand on estimates. Import the rest of its settlements and reports, "
        "or close it anyway with --partial.",
        "{period} 的数据只到 {last}，未覆盖到期末（{end}）：此时关账，得分和工资将以估算为准。"
        "请先导入其余结算和报表，或用 --partial 仍然关账。",
    ),
    "team.close_no_data": (
        "{period} has no data: import its settlements and reports before closing it.",
        "{period} 没有数据：请先导入该期间的结算和报表，再关账。",
    ),
    "periods.partial": ("{period} · {days} days, estimated", "{period} · {days} 天，估算"),
    "periods.one_day": ("{period} · 1 day, estimated", "{period} · 1 天，估算"),
    "periods.no_data_yet": ("{period} · no data yet", "{period} · 尚无数据"),
    "periods.estimated_note": (
        "{period} is not complete (data for {days} days): these figures are estimates.",
        "{period} 尚不完整（仅有 {days} 天的数据）：以上数字为估算。",
    ),
    "people.unknown_tag": (
        "Person '{person}' owns tag '{tag}', which no SKU of products.csv carries "
        "(tags there: {known}).",
        "人员 '{person}' 负责标签 '{tag}'，但 products.csv 中没有任何 SKU 带此标签"
        "（现有标签：{known}）。",
    ),
    "people.unknown_sku": (
        "Person '{person}' owns SKU '{sku}', which is neither in products.csv nor in any "
        "imported report (a typo? a new SKU goes into products.csv first).",
        "人员 '{person}' 负责 SKU '{sku}'，但它既不在 products.csv 中，也不在任何已导入的"
        "报表中（拼写错误？新 SKU 请先写入 products.csv）。",
    ),
    "targets.unknown_person": (
        "Target for {scope}: there is no such person in people.yaml (people: {known}).",
        "目标 {scope}：people.yaml 中没有此人员（现有人员：{known}）。",
    ),
    "targets.unknown_team": (
        "Target for {scope}: no person of people.yaml is in that team (teams: {known}).",
        "目标 {scope}：people.yaml 中没有属于该团队的人员（现有团队：{known}）。",
    ),
    "targets.unknown_store": (
        "Target for {scope}: there is no such store in lianxing.toml (stores: {known}).",
        "目标 {scope}：lianxing.toml 中没有此店铺（现有店铺：{known}）。",
    ),
    "targets.unknown_sku": (
        "Target for {scope}: that SKU is neither in products.csv nor in any imported report.",
        "目标 {scope}：该 SKU 既不在 products.csv 中，也不在任何已导入的报表中。",
    ),
    "team.audience_person": (
        "'{name}' applies to '{person}', who is not in people.yaml (people: {known}).",
        "'{name}' 适用于 '{person}'，但 people.yaml 中没有此人员（现有人员：{known}）。",
    ),
    "team.audience_team": (
        "'{name}' applies to team '{team}', which no person of people.yaml is in (teams: {known}).",
        "'{name}' 适用于团队 '{team}'，但 people.yaml 中没有人员属于该团队（现有团队：{known}）。",
    ),
    "team.log.close": ("close", "关账"),
    "team.log.reopen": ("re-open", "重新打开"),
    "team.log.adjust": ("adjust", "调整"),
    "targets.unknown_platform": (
        "No platform '{name}': a platform: scope names one of {known}.",
        "没有平台 '{name}'：platform: 范围须为 {known} 之一。",
    ),
    "periods.kind.month": ("month", "月"),
    "periods.kind.quarter": ("quarter", "季度"),
    "periods.kind.year": ("year", "年"),
}
