"""User-facing text in English and Simplified Chinese.

Every message the CLI shows goes through `t(key, **params)`. The language comes from
`--lang`, else the workspace's `lang` setting, else the locale (LANG / LC_ALL).
A test checks that every key has both languages.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lianxing.errors import LianxingError

LANGUAGES = ("en", "zh")

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- workspace ---------------------------------------------------------------
    "workspace.none": (
        "No Lianxing workspace at {path}. Create one with `lianxing init DIR`, or point to "
        "one with --workspace DIR or the LIANXING_WORKSPACE environment variable.",
        "{path} 不是联星工作区。请用 `lianxing init DIR` 创建，或用 --workspace DIR "
        "或环境变量 LIANXING_WORKSPACE 指定工作区。",
    ),
    "workspace.exists": (
        "A workspace already exists at {path}.",
        "{path} 已经是一个工作区。",
    ),
    "workspace.created": ("Created workspace {path}", "已创建工作区 {path}"),
    "workspace.bad_config": (
        "{file} is not valid: {detail}",
        "{file} 配置有误：{detail}",
    ),
    "workspace.unknown_setting": (
        "{file}: unknown setting '{name}'. See docs/settings.md for the settings there are.",
        "{file}：未知设置项 '{name}'。可用设置见 docs/settings.md。",
    ),
    "workspace.db_locked": (
        "The database {path} is in use by another Lianxing command (an import may be "
        "running). Wait for it to finish and try again.",
        "数据库 {path} 正被另一个联星命令使用（可能正在导入）。请等它结束后重试。",
    ),
    # ---- stores ------------------------------------------------------------------
    "store.unknown": (
        "No store '{store}' in the workspace. Stores: {stores}.",
        "工作区中没有店铺 '{store}'。现有店铺：{stores}。",
    ),
    "store.bad_id": (
        "Store id '{store}' is not allowed: use letters, digits, '-' and '_' (max 40).",
        "店铺 ID '{store}' 不合法：只能用字母、数字、'-' 和 '_'（最多 40 个字符）。",
    ),
    "store.cannot_tell": (
        "Cannot tell which store this file belongs to (it names no marketplace); "
        "choose one with --store ID.",
        "无法判断此文件属于哪个店铺（文件中没有站点名称）；请用 --store ID 指定。",
    ),
    "store.ambiguous": (
        "Several stores sell on {marketplace} ({stores}); choose one with --store ID.",
        "有多个店铺在 {marketplace} 销售（{stores}）；请用 --store ID 指定。",
    ),
    "store.marketplace_mismatch": (
        "Store '{store}' sells on {expected}, but the file is for {found}.",
        "店铺 '{store}' 的站点是 {expected}，但文件属于 {found}。",
    ),
    "store.currency_mismatch": (
        "Store '{store}' is in {expected}, but the settlement is in {found}.",
        "店铺 '{store}' 的币种是 {expected}，但结算报告币种是 {found}。",
    ),
    "store.unknown_marketplace": (
        "Unknown marketplace '{marketplace}'. Known: {known}.",
        "未知站点 '{marketplace}'。已知站点：{known}。",
    ),
    "store.created": (
        "New store '{store}' ({marketplace}, {currency}, {timezone}) added to lianxing.toml",
        "已在 lianxing.toml 中新增店铺 '{store}'（{marketplace}，{currency}，{timezone}）",
    ),
    "store.platform_mismatch": (
        "Store '{store}' sells on {found}, but this is a {expected} report.",
        "店铺 '{store}' 属于 {found}，但这是 {expected} 的报告。",
    ),
    "store.bad_timezone": (
        "Unknown time zone '{timezone}' for store '{store}'.",
        "店铺 '{store}' 的时区 '{timezone}' 无效。",
    ),
    # ---- files -------------------------------------------------------------------
    "file.missing": ("File not found: {path}", "找不到文件：{path}"),
    "file.empty": ("The file is empty.", "文件是空的。"),
    "file.is_folder": ("{path} is a folder; give a file.", "{path} 是目录，请指定文件。"),
    "file.encoding": (
        "The file is not UTF-8 or windows-1252 text ({detail}). Save it as UTF-8 and retry.",
        "文件编码不是 UTF-8 或 windows-1252（{detail}）。请另存为 UTF-8 后重试。",
    ),
    "file.not_settlement": (
        "This is not an Amazon settlement report: the header lacks {missing}.",
        "这不是亚马逊结算报告：表头缺少 {missing}。",
    ),
    "file.unknown_kind": (
        "Cannot tell what kind of report this is (header starts with: {header}). "
        "`lianxing import --help` lists the reports Lianxing reads.",
        "无法识别报告类型（表头开头为：{header}）。`lianxing import --help` 列出了联星支持的报告。",
    ),
    "file.bad_quote": (
        "A quoted field is not closed (a stray '\"'?).",
        "引号字段没有闭合（多了一个 '\"'？）。",
    ),
    "file.no_rows": ("The file has a header but no data rows.", "文件只有表头，没有数据行。"),
    "file.duplicate_row": (
        "This row repeats line {first} exactly (a duplicated row?).",
        "此行与第 {first} 行完全相同（重复行？）。",
    ),
    "report.columns_missing": (
        "This {report} report lacks required columns: {missing}.",
        "此 {report} 报告缺少必需列：{missing}。",
    ),
    "report.wrong_kind": (
        "This is not a {report} report: its header lacks {expected}.",
        "这不是 {report} 报告：表头缺少 {expected}。",
    ),
    "file.duplicate_column": (
        "The header names column '{name}' twice.",
        "表头中列 '{name}' 出现了两次。",
    ),
    "file.columns": (
        "The line has {found} fields but the header has {expected} (truncated or broken line?).",
        "该行有 {found} 个字段，但表头有 {expected} 个（行被截断或损坏？）。",
    ),
    "file.bad_line": ("The line cannot be read: {detail}", "该行无法读取：{detail}"),
    "file.no_summary": (
        "The first data line must be the settlement summary (settlement-id and total-amount).",
        "第一行数据必须是结算汇总行（含 settlement-id 和 total-amount）。",
    ),
    "file.several_settlements": (
        "The file mixes settlements: expected {expected}, found {found}.",
        "文件混有多个结算：应为 {expected}，却出现 {found}。",
    ),
    "value.amount": (
        "'{value}' is not an amount.",
        "'{value}' 不是有效金额。",
    ),
    "value.date": ("'{value}' is not a date/time.", "'{value}' 不是有效的日期/时间。"),
    "value.quantity": ("'{value}' is not a whole quantity.", "'{value}' 不是有效的整数数量。"),
    "value.currency": ("'{value}' is not a currency code.", "'{value}' 不是有效的币种代码。"),
    "value.rate": ("'{value}' is not a positive rate.", "'{value}' 不是有效的正汇率。"),
    "value.range": (
        "'{value}' is out of range: {low} to {high}, at most {places} decimals.",
        "'{value}' 超出范围：应在 {low} 到 {high} 之间，最多 {places} 位小数。",
    ),
    "value.required": ("A value is required here.", "此处必须填写。"),
    "value.sku": ("'{value}' is not a valid SKU.", "'{value}' 不是有效的 SKU。"),
    "value.number": ("'{value}' is not a number.", "'{value}' 不是有效数字。"),
    "value.percent": ("'{value}' is not a percentage.", "'{value}' 不是有效百分比。"),
    "value.month": ("'{value}' is not a month (YYYY-MM).", "'{value}' 不是有效月份（YYYY-MM）。"),
    "value.text": (
        "'{value}…' is too long or holds control characters.",
        "'{value}…' 过长或含有控制字符。",
    ),
    "csv.columns_missing": (
        "The header lacks required columns: {missing}. Expected: {expected}.",
        "表头缺少必需列：{missing}。应有：{expected}。",
    ),
    "csv.duplicate_key": (
        "Duplicate row for {what} (first at line {first}).",
        "{what} 重复（首次出现在第 {first} 行）。",
    ),
    # ---- import ------------------------------------------------------------------
    "orders.left_out": (
        "{count} order lines left out (cancelled, no price yet, or another sales channel).",
        "{count} 行订单未计入（已取消、尚无价格或属于其他销售渠道）。",
    ),
    "report.done": (
        "{file}: {kind} imported into store {store} — {rows} lines, {written} rows ({period}).",
        "{file}：{kind} 已导入店铺 {store} — {rows} 行，写入 {written} 条（{period}）。",
    ),
    "report.unchanged": (
        "{file}: already imported (source {source}); nothing changed.",
        "{file}：已导入过（来源 {source}），无变化。",
    ),
    "report.replaced_rows": (
        "  {count} rows of earlier overlapping files were replaced (counted once).",
        "  替换了先前重叠文件中的 {count} 条记录（只计一次）。",
    ),
    "ads.bad_json": (
        "The Ads API report is not valid JSON: {detail}",
        "广告 API 报告不是有效的 JSON：{detail}",
    ),
    "ads.bad_record": (
        "This record of the Ads API report is not an object.",
        "广告 API 报告中的这条记录不是对象。",
    ),
    # ---- walmart (issue 3) ---------------------------------------------------------
    # ---- shopify (issue 3) ---------------------------------------------------------
    # ---- amazon fact reports (issue 3) ---------------------------------------------
    # ---- mapped files (issue 3) ----------------------------------------------------
    "import.unchanged": (
        "{file}: settlement {settlement} is already imported (source #{source}); nothing changed.",
        "{file}：结算 {settlement} 已导入过（来源 #{source}），数据未变更。",
    ),
    "import.superseded": (
        "{file}: an earlier version of settlement {settlement}, already replaced by a "
        "corrected file (source #{source}); nothing changed.",
        "{file}：结算 {settlement} 的旧版本，已被更正后的文件（来源 #{source}）替换，数据未变更。",
    ),
    "import.no_files": ("No files to import in {path}.", "{path} 中没有可导入的文件。"),
    "import.sheet_unchanged": (
        "{file}: already imported (source #{source}); nothing changed.",
        "{file}：已导入过（来源 #{source}），数据未变更。",
    ),
    "import.worse_replacement": (
        "Settlement {settlement} is already imported and reconciles (source #{source}); "
        "this file does not reconcile (difference {difference}), so it was not used to "
        "replace it. Is the file cut short or edited?",
        "结算 {settlement} 已导入且对账通过（来源 #{source}）；此文件对账不平（差额 "
        "{difference}），因此未用它替换。文件是否被截断或改动过？",
    ),
    "import.remapped": (
        "{file}: settlement {settlement} mapped again with the current code mappings — "
        "{rows} rows.",
        "{file}：已按当前的代码映射重新归类结算 {settlement} — {rows} 行。",
    ),
    "import.replaced": (
        "{file}: settlement {settlement} replaced the earlier file (source #{old}) — {rows} rows.",
        "{file}：结算 {settlement} 已替换之前导入的文件（来源 #{old}）— {rows} 行。",
    ),
    "import.done": (
        "{file}: settlement {settlement} → store {store}, {rows} ledger rows.",
        "{file}：结算 {settlement} → 店铺 {store}，{rows} 条流水。",
    ),
    "import.other_store": (
        "Settlement {settlement} is already imported into store '{store}'.",
        "结算 {settlement} 已导入到店铺 '{store}'。",
    ),
    "import.reconciled": (
        "Reconciled: rows sum to {total} {currency}, the settlement total.",
        "对账通过：明细合计 {total} {currency}，与结算总额一致。",
    ),
    "import.not_reconciled": (
        "NOT reconciled: rows sum to {sum} {currency}, settlement total is {total} "
        "(difference {difference}).",
        "对账不平：明细合计 {sum} {currency}，结算总额 {total}（差额 {difference}）。",
    ),
    "import.unmapped": (
        "{count} rows carry platform codes with no category mapping (kept under 'unmapped'):",
        "{count} 条流水的平台代码没有类别映射（已记入“未映射”）：",
    ),
    "import.unmapped_code": (
        "{codes}: {rows} row(s), {amount} {currency} (first at {file}:{line})",
        "{codes}：{rows} 行，{amount} {currency}（首次出现在 {file} 第 {line} 行）",
    ),
    "import.failed": (
        "This file was not imported; nothing of it was written.",
        "该文件未导入，其内容未写入任何数据。",
    ),
    "import.partial": (
        "{count} file(s) before it were processed and are kept.",
        "在它之前的 {count} 个文件已处理并保留。",
    ),
    "import.progress": ("Importing {file}", "正在导入 {file}"),
    "import.ignored_columns": (
        "Columns not used by this importer: {columns}",
        "本导入器未使用的列：{columns}",
    ),
    "cogs.done": (
        "{file}: {rows} unit costs for {skus} SKUs imported.",
        "{file}：已导入 {skus} 个 SKU 的 {rows} 条采购成本。",
    ),
    "cogs.missing": (
        "{count} SKUs sold with no unit cost (COGS left out of their profit): {skus}",
        "{count} 个 SKU 有销售但没有采购成本（利润中未扣 COGS）：{skus}",
    ),
    "fx.done": ("{file}: {rows} exchange rates imported.", "{file}：已导入 {rows} 条汇率。"),
    "fx.missing": (
        "No exchange rate {pair} on or before {date}. Import one with `lianxing fx import`.",
        "缺少 {date}（或更早）的 {pair} 汇率。请用 `lianxing fx import` 导入。",
    ),
    "fx.conflict": (
        "The {pair} rates for {day} here and on line {first} disagree (they should be "
        "each other's inverse).",
        "{day} 的 {pair} 汇率与第 {first} 行互相矛盾（两个方向应互为倒数）。",
    ),
    "fx.no_rates": ("No exchange rates imported yet.", "尚未导入任何汇率。"),
    # ---- reports -----------------------------------------------------------------
    "report.date_basis": (
        "Date basis: posted date (business day in each store's time zone); amounts in {currency}.",
        "日期口径：入账日期（按各店铺时区的营业日）；金额单位 {currency}。",
    ),
    "report.empty": ("No ledger rows match.", "没有符合条件的流水。"),
    "report.bad_by": ("--by must be one of: {choices}", "--by 只能是：{choices}"),
    "report.bad_basis": ("--basis must be one of: {choices}", "--basis 只能是：{choices}"),
    "report.estimated_share": (
        "Of the net profit {net} {currency}, {estimated} {currency} is estimated (orders "
        "not settled yet; fees from each SKU's latest settlement).",
        "净利润 {net} {currency} 中有 {estimated} {currency} 为估算（尚未结算的订单；"
        "费用按各 SKU 最近一次结算估算）。",
    ),
    "report.bad_format": (
        "--format must be table, csv or json, not '{value}'.",
        "--format 只能是 table、csv 或 json，不能是 '{value}'。",
    ),
    "report.bad_lang": (
        "--lang must be en or zh, not '{value}'.",
        "--lang 只能是 en 或 zh，不能是 '{value}'。",
    ),
    "report.bad_category": (
        "'{value}' is not a category (see `lianxing categories`). COGS is not a ledger "
        "row: it comes from `lianxing cogs import`.",
        "'{value}' 不是费用类别（见 `lianxing categories`）。采购成本不是流水行，来自 "
        "`lianxing cogs import`。",
    ),
    "report.more_rows": (
        "Showing the first {limit} rows; more match. Use --limit N to see more.",
        "仅显示前 {limit} 行，还有更多；用 --limit N 查看更多。",
    ),
    "report.unreconciled": (
        "{count} imported settlement(s) do not reconcile to their payout ({files}): "
        "these figures include them. See `lianxing sources`.",
        "{count} 份已导入的结算报告与回款对不上（{files}）：以上数字包含它们。"
        "详见 `lianxing sources`。",
    ),
    "report.bad_date": (
        "'{value}' is not a date (use YYYY-MM-DD).",
        "'{value}' 不是有效日期（格式 YYYY-MM-DD）。",
    ),
    "sources.none": ("No sources imported yet.", "尚未导入任何数据源。"),
    "sources.unmapped_title": (
        "Unmapped platform codes (add a [[mappings]] entry in lianxing.toml):",
        "未映射的平台代码（请在 lianxing.toml 中添加 [[mappings]]）：",
    ),
    "sources.stale": (
        "{count} settlement file(s) were mapped with other code mappings than today's "
        "({files}); run `lianxing import` on them again to re-map.",
        "{count} 个结算文件是按旧的代码映射归类的（{files}）；请对它们再次运行 "
        "`lianxing import` 以重新归类。",
    ),
    "doctor.no_sources": (
        "Nothing imported yet: `lianxing import FOLDER` first.",
        "尚未导入任何数据：请先运行 `lianxing import 目录`。",
    ),
    "doctor.reconciled": (
        "Every settlement reconciles to its payout.",
        "所有结算均与回款对平。",
    ),
    "doctor.unreconciled": (
        "{count} file(s) do not add up to what the platform paid.",
        "{count} 个文件的明细与平台回款对不上。",
    ),
    "doctor.mapped": ("Every platform code has a category.", "所有平台代码都已映射类别。"),
    "doctor.unmapped": (
        "{count} platform code(s) have no category: add a [[mappings]] rule.",
        "{count} 个平台代码没有类别：请在 [[mappings]] 中添加规则。",
    ),
    "doctor.mappings_current": (
        "Every file is mapped with today's rules.",
        "所有文件都按当前映射规则入账。",
    ),
    "doctor.stale": (
        "{count} file(s) were mapped with older rules: import them again.",
        "{count} 个文件按旧映射规则入账：请重新导入。",
    ),
    "doctor.costs": ("Every SKU sold has a unit cost.", "所有已售 SKU 都有采购成本。"),
    "doctor.missing_costs": (
        "{count} SKU(s) sold without a unit cost (profit too high): `lianxing cogs import`.",
        "{count} 个已售 SKU 没有采购成本（利润偏高）：请 `lianxing cogs import`。",
    ),
    "doctor.rates": (
        "Every amount converts to the reporting currency.",
        "所有金额都能换算为报表币种。",
    ),
    "doctor.missing_rates": (
        "No exchange rate {pair} on or before {date}: `lianxing fx import`.",
        "缺少 {date} 或之前的汇率 {pair}：请 `lianxing fx import`。",
    ),
    "doctor.no_gaps": ("No gaps between imported files.", "导入的文件之间没有缺口。"),
    "doctor.gaps": (
        "{count} source(s) have dates no file covers (a missing download?).",
        "{count} 个数据源存在未覆盖的日期（漏下载了文件？）。",
    ),
    "doctor.fresh": ("Every store has recent settled money.", "所有店铺都有近期结算数据。"),
    "doctor.stale_data": (
        "Stores whose newest settled money is more than {days} days old (a sync stopped?):",
        "以下店铺最近的结算数据已超过 {days} 天（同步中断？）：",
    ),
    "doctor.estimates": (
        "Every estimated order older than a month has settled.",
        "超过一个月的估算订单都已结算。",
    ),
    "doctor.old_estimates": (
        "Estimated orders more than {days} days older than the latest settlement never "
        "settled (a missing settlement?):",
        "以下估算订单比最近结算早 {days} 天以上仍未结算（缺少结算报告？）：",
    ),
    "doctor.allocated": (
        "Every ad and storage charge is split to SKUs.",
        "所有广告费和仓储费都已分摊到 SKU。",
    ),
    "doctor.unallocated": (
        "{count} ad/storage charge total(s) not split to SKUs (* no ads/storage report at "
        "all for that store):",
        "{count} 项广告费/仓储费未分摊到 SKU（* 表示该店铺没有导入广告/仓储报告）：",
    ),
    "doctor.more": ("… and {count} more", "…… 另有 {count} 项"),
    "doctor.needs_person": (
        "Some checks need a person (exit code 4).",
        "部分检查需要人工处理（退出码 4）。",
    ),
    "demo.writing": ("Writing the demo seller's files to {path}", "正在生成演示卖家的文件：{path}"),
    "demo.summary": ("Demo seller — profit by month", "演示卖家 — 按月利润"),
    "demo.top_skus": ("Top 10 SKUs by net profit", "净利润前 10 的 SKU"),
    "demo.imported": (
        "{count} settlements, {reconciled} reconciled, {rows} ledger rows",
        "{count} 份结算报告，{reconciled} 份对账通过，{rows} 条流水",
    ),
    "demo.reports": ("Reports written to {path}", "报表已写入 {path}"),
    "demo.not_empty": (
        "{path} already holds a workspace; use --force to rebuild it.",
        "{path} 已有工作区；如需重建请加 --force。",
    ),
    "demo.next": (
        "Workspace: {path}. Try: lianxing --workspace {path} profit --by sku",
        "工作区：{path}。试试：lianxing --workspace {path} profit --by sku",
    ),
    "error.prefix": ("Error", "错误"),
    "error.internal": (
        "Unexpected internal error ({detail}). The current import, if any, was rolled "
        "back. Set LIANXING_DEBUG=1 to see the details, and please report it.",
        "内部错误（{detail}）。正在进行的导入已回滚。"
        "设置 LIANXING_DEBUG=1 可查看详情，请反馈此问题。",
    ),
}

# Labels of report columns that are not cost categories (those come from
# data/categories.toml).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "units": ("Units", "销量"),
    "units_refunded": ("Units refunded", "退货件数"),
    "orders": ("Orders", "订单数"),
    "cogs": ("COGS", "采购成本"),
    "net_profit": ("Net profit", "净利润"),
    "margin": ("Margin", "净利率"),
    "sku": ("SKU", "SKU"),
    "store": ("Store", "店铺"),
    "day": ("Day", "日期"),
    "week": ("Week", "周"),
    "month": ("Month", "月份"),
    "category": ("Category", "类别"),
    "kind": ("Kind", "性质"),
    "column": ("Column", "报表列"),
    "rows": ("Rows", "行数"),
    "amount": ("Amount", "金额"),
    "label": ("Label", "名称"),
    "source_id": ("Source", "来源"),
    "store_id": ("Store", "店铺"),
    "file_name": ("File", "文件"),
    "settlement_id": ("Settlement", "结算编号"),
    "deposit_date": ("Deposit date", "回款日期"),
    "currency": ("Currency", "币种"),
    "total_amount": ("Total", "结算总额"),
    "difference": ("Difference", "差额"),
    "reconciled": ("Reconciled", "已对平"),
    "row_count": ("Rows", "行数"),
    "unmapped_rows": ("Unmapped rows", "未映射行数"),
    "business_date": ("Business date", "营业日"),
    "order_id": ("Order", "订单号"),
    "quantity": ("Qty", "数量"),
    "transaction_type": ("Transaction type", "交易类型"),
    "amount_type": ("Amount type", "金额类型"),
    "amount_description": ("Amount description", "金额说明"),
    "line": ("Line", "行号"),
    "first_line": ("First line", "首次出现行"),
    "estimated": ("Estimated", "其中估算"),
    "files": ("Files", "文件数"),
    "date_from": ("From", "起始"),
    "date_to": ("To", "截止"),
    "gaps": ("Gaps", "缺口"),
    "last_import": ("Last import", "最近导入"),
    "platform": ("Platform", "平台"),
    "skus_without_cost": ("SKUs w/o cost", "缺成本 SKU"),
    "ads_unallocated": ("Ads not split", "未分摊广告费"),
    "storage_unallocated": ("Storage not split", "未分摊仓储费"),
    "estimated_share": ("Estimated share", "估算占比"),
    "check": ("Check", "检查项"),
    "status": ("Status", "状态"),
    "message": ("Message", "说明"),
    "details": ("Details", "明细"),
    "basis": ("Basis", "口径"),
}

_current = "en"


def detect_language(configured: str | None = None) -> str:
    """The language to use when --lang is not given: workspace setting, then locale."""
    if configured in LANGUAGES:
        return configured
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _current


def t(key: str, **params: Any) -> str:
    """Translate a message key into the current language and fill in its parameters."""
    en, zh = MESSAGES[key]
    template = zh if _current == "zh" else en
    return template.format(**params)


def _where(file: str | None, line: int | None, column: str | None) -> str:
    parts = [file] if file else []
    if line is not None:
        parts.append(f"第 {line} 行" if _current == "zh" else f"line {line}")
    if column:
        parts.append(f"列 '{column}'" if _current == "zh" else f"column '{column}'")
    return ", ".join(parts)


def column_labels(tree: Any) -> dict[str, str]:
    """Header text for every profit-report column in the current language."""
    zh = _current == "zh"
    labels = {c.id: (c.zh if zh else c.en) for c in tree.columns}
    labels.update({key: (pair[1] if zh else pair[0]) for key, pair in COLUMN_LABELS.items()})
    return labels


def render_error(error: LianxingError) -> str:
    """One readable paragraph: the problem, and where it is (file, line, column)."""
    if not error.problems:
        return t(error.key, **error.params)
    lines = []
    for problem in error.problems:
        text = t(problem.key, **problem.params)
        where = _where(problem.file, problem.line, problem.column)
        lines.append(f"{where}: {text}" if where else text)
    return "\n".join(lines)
