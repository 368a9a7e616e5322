"""Messages of the nodata fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "kpi.bad_source": (
        "Source '{source}': give a name, kinds and measures (lists, each measure in one "
        "source only) and label.en / label.zh.",
        "数据来源 '{source}'：需要 name、kinds 和 measures（列表，每个指标只属于一个来源）"
        "以及 label.en / label.zh。",
    ),
    "doctor.kpi_sources": (
        "Every store has the reports its KPIs need.",
        "所有店铺都有其指标所需的报告。",
    ),
    "doctor.missing_kpi_sources": (
        "Some stores have no file of a source their KPIs need: those KPIs show no data "
        "(never 0) there, and score as the scorecard says.",
        "部分店铺缺少其指标所需的数据来源：这些指标在该店铺显示为无数据（不是 0），"
        "并按考核表的规定计分。",
    ),
    "doctor.source_ends": (
        "ends {day} (settled money to {settled}; later periods show no data)",
        "截至 {day}（结算数据至 {settled}；之后的期间显示无数据）",
    ),
    "kpi.bad_below_month": (
        "KPI '{kpi}': below_month maps KPI or measure names to the ones read instead at "
        "day and week grain ({{ad_spend: ad_report_spend}}); not for simple or snapshot KPIs.",
        "KPI '{kpi}'：below_month 将指标或度量名映射为按日、按周时改用的名称"
        "（{{ad_spend: ad_report_spend}}）；simple 和 snapshot 指标不可用。",
    ),
    "kpi.below_month": (
        "Below a month (--period day or week) this KPI reads {swaps} instead. The SQL "
        "below is for --period {period}.",
        "按日、按周（--period day 或 week）时，本指标改用 {swaps}。以下 SQL 对应 "
        "--period {period}。",
    ),
    "targets.band_needed": (
        "Target for '{kpi}': this KPI is kept within a band — give each stage a floor and "
        "a ceiling ({{from: 2026-01, floor: 20, ceiling: 60}}).",
        "'{kpi}' 的目标：该指标应保持在区间内——每个阶段需给出 floor 和 ceiling"
        "（{{from: 2026-01, floor: 20, ceiling: 60}}）。",
    ),
    "targets.bad_band": (
        "Target for '{kpi}': a band needs a numeric floor and ceiling (floor ≤ ceiling), "
        "without warning or critical levels.",
        "'{kpi}' 的目标：区间需要数值型 floor 和 ceiling（floor ≤ ceiling），且不能再设 "
        "warning 或 critical。",
    ),
    "review.warnings": ("Warnings", "提示"),
    "cogs.missing_pay": (
        "{count} SKUs sold in the period have no unit cost: their COGS is left out, so "
        "net profit — and the scores and pay computed from it — are too high: {skus}. "
        "Import costs (`lianxing cogs missing` lists them).",
        "期内有 {count} 个已售 SKU 没有采购成本：其 COGS 未扣除，净利润以及据此计算的"
        "得分和绩效工资偏高：{skus}。请导入采购成本（`lianxing cogs missing` 可列出）。",
    ),
}
