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
    "walmart.no_summary": (
        "No period or Total Payable in this Walmart reconciliation report (the "
        "PaymentSummary row is missing): is the file complete?",
        "此沃尔玛对账报告中没有账期或 Total Payable（缺少 PaymentSummary 行）：文件是否完整？",
    ),
    "walmart.several_periods": (
        "The file mixes payment periods: expected {expected}, found {found}.",
        "文件混有多个结算账期：应为 {expected}，却出现 {found}。",
    ),
    # ---- shopify (issue 3) ---------------------------------------------------------
    "shopify.currency_mismatch": (
        "Store '{store}' is in {expected}, but this Shopify export is in {found}.",
        "店铺 '{store}' 的币种是 {expected}，但这份 Shopify 导出文件的币种是 {found}。",
    ),
    "shopify.order_twice": (
        "Order {order} has a second row with its totals (first at line {first}): "
        "two exports pasted together? Import each export as its own file.",
        "订单 {order} 的汇总行出现了两次（首次在第 {first} 行）：是否把两份导出拼在了一起？"
        "请把每份导出作为单独的文件导入。",
    ),
    "shopify.order_no_summary": (
        "Order {order} has no row with its totals (Total is empty on all its lines).",
        "订单 {order} 没有汇总行（所有行的 Total 都为空）。",
    ),
    "shopify.orders_left_out": (
        "{count} orders left out: no money received (pending, authorized, voided or expired).",
        "{count} 个订单未计入：尚未收款（待付款、已授权、已作废或已过期）。",
    ),
    "shopify.partial_refunds": (
        "{count} partial refunds counted as refunded product sales (the export does not "
        "say which part of the order was refunded).",
        "{count} 笔部分退款计为商品退款（导出文件未说明退的是订单的哪一部分）。",
    ),
    "shopify.total_mismatch": (
        "{count} orders do not add up to their Total (first: {order}): tips, duties or "
        "edits the export does not itemise. Their rows are imported as the export lists them.",
        "{count} 个订单的明细合计与 Total 不符（第一个：{order}）："
        "可能含小费、关税或导出未列明的修改。这些订单仍按导出内容导入。",
    ),
    "shopify.older_orders": (
        "{count} orders in this file are older than the version already imported; "
        "the newer version stands.",
        "本文件中有 {count} 个订单比已导入的版本旧；保留较新的版本。",
    ),
    "shopify.older_transactions": (
        "{count} transactions in this file are already imported with their payout; "
        "that version stands.",
        "本文件中有 {count} 笔交易已随其回款导入；保留该版本。",
    ),
    "shopify.personal_columns": (
        "{count} buyer-data columns (names, addresses, e-mail, phone, notes) were not read.",
        "{count} 列买家个人信息（姓名、地址、邮箱、电话、备注）未读取。",
    ),
    # ---- amazon fact reports (issue 3) ---------------------------------------------
    "business.no_dates": (
        "A Business Report carries no dates: pass --from and --to, or name the file "
        "..._YYYY-MM-DD_YYYY-MM-DD.csv or ..._YYYY-MM.csv. (Seller Central's own name, "
        "BusinessReport-M-D-YY.csv, is the day it was downloaded, not the report's range.)",
        "业务报告本身不含日期：请用 --from 和 --to 指定，或把文件命名为 "
        "..._YYYY-MM-DD_YYYY-MM-DD.csv 或 ..._YYYY-MM.csv。（卖家中心默认的文件名 "
        "BusinessReport-M-D-YY.csv 是下载日期，不是报告的日期范围。）",
    ),
    "business.one_date": (
        "Give both --from and --to for a Business Report.",
        "业务报告须同时指定 --from 和 --to。",
    ),
    "business.bad_range": (
        "The date range {date_from} – {date_to} ends before it starts.",
        "日期范围 {date_from} – {date_to} 的结束日早于开始日。",
    ),
    "business.dates_from_name": (
        "Dates {date_from} – {date_to} taken from the file name.",
        "日期 {date_from} – {date_to} 取自文件名。",
    ),
    "inventory.age_left_out": (
        "Age columns {columns} overlap the buckets kept and are left out (units counted once).",
        "库龄列 {columns} 与已保留的库龄段重叠，未写入（库存只计一次）。",
    ),
    # ---- mapped files (issue 3) ----------------------------------------------------
    "mapping.yaml": (
        "The mapping file is not valid YAML: {detail}",
        "映射文件不是有效的 YAML：{detail}",
    ),
    "mapping.not_mapping": (
        "Expected `key: value` settings here (see docs/mapping.md).",
        "此处应为 `键: 值` 形式的设置（见 docs/mapping.md）。",
    ),
    "mapping.too_big": (
        "The mapping file is too large or nests too deeply (at most 256 KB).",
        "映射文件过大或嵌套过深（最大 256 KB）。",
    ),
    "mapping.not_text": (
        "Expected a text value here (a header name, a code).",
        "此处应为文本（列名或代码）。",
    ),
    "mapping.duplicate_key": ("'{setting}' is given twice.", "'{setting}' 出现了两次。"),
    "mapping.bad_kind": (
        "kind must be costs, orders or charges (found '{value}').",
        "kind 只能是 costs、orders 或 charges（现为 '{value}'）。",
    ),
    "mapping.unknown_key": (
        "Unknown setting '{setting}'. Settings here: {known}.",
        "未知设置 '{setting}'。此处可用：{known}。",
    ),
    "mapping.not_for_kind": (
        "'{setting}' does not apply to kind {kind}.",
        "'{setting}' 不适用于 kind {kind}。",
    ),
    "mapping.bad_value": (
        "'{value}' is not allowed here; expected {expected}.",
        "此处不能是 '{value}'；应为 {expected}。",
    ),
    "mapping.bad_category": (
        "'{value}' is not a category (see `lianxing categories`).",
        "'{value}' 不是费用类别（见 `lianxing categories`）。",
    ),
    "mapping.needs": ("'{setting}' needs '{other}' too.", "'{setting}' 还需要同时设置 '{other}'。"),
    "mapping.conflict": (
        "'{setting}' cannot be used together with '{other}'.",
        "'{setting}' 不能与 '{other}' 同时使用。",
    ),
    "mapping.currency_needed": (
        "Say which currency the amounts are in: `currency: CODE`, or `columns.currency`.",
        "请说明金额的币种：`currency: 代码` 或 `columns.currency`。",
    ),
    "mapping.category_needed": (
        "Say which category the amounts are: `category: CODE`, `columns.category` with "
        "`categories`, or `amounts` (one category per amount column).",
        "请说明金额属于哪个费用类别：`category: 类别`、`columns.category` 加 `categories`，"
        "或 `amounts`（每个金额列一个类别）。",
    ),
    "mapping.column_needed": (
        "Kind {kind} needs columns.{role}: the header of the column that holds it.",
        "kind {kind} 需要 columns.{role}：存放该数据的列名。",
    ),
    "mapping.allocate_needs": (
        "allocate by {by} needs columns.{role}.",
        "按 {by} 分摊需要设置 columns.{role}。",
    ),
    "mapping.column_missing": (
        "The header has no column '{header}' (mapping key {setting}). Its columns: {found}.",
        "表头中没有列 '{header}'（映射键 {setting}）。文件中的列：{found}。",
    ),
    "mapping.no_header": (
        "There is no header at row {row} (see file.header_row in the mapping).",
        "第 {row} 行没有表头（见映射中的 file.header_row）。",
    ),
    "mapping.xls": (
        "Old Excel .xls workbooks are not read: save it as .xlsx or as CSV (UTF-8).",
        "不支持旧版 Excel .xls 文件：请另存为 .xlsx 或 CSV（UTF-8）。",
    ),
    "mapping.bad_xlsx": (
        "This .xlsx workbook cannot be read ({detail}).",
        "无法读取此 .xlsx 工作簿（{detail}）。",
    ),
    "mapping.no_sheet": (
        "The workbook has no sheet '{sheet}'. Its sheets: {sheets}.",
        "工作簿中没有工作表 '{sheet}'。现有工作表：{sheets}。",
    ),
    "mapping.gbk_hint": (
        "If the file is Chinese GBK/GB18030 text, set `encoding: gbk` under `file:` in "
        "the mapping.",
        "如果文件是中文 GBK/GB18030 编码，请在映射的 `file:` 下设置 `encoding: gbk`。",
    ),
    "mapping.currency_mixed": (
        "A second currency {found} (the file is in {first} from line {first_line}): one "
        "file holds one currency — split it per currency.",
        "出现第二种币种 {found}（文件自第 {first_line} 行起为 {first}）：一个文件只能有"
        "一种币种，请按币种拆分文件。",
    ),
    "mapping.store_needed": (
        "Say which store the file belongs to: `store: ID` in the mapping, or --store ID.",
        "请说明文件属于哪个店铺：在映射中写 `store: ID`，或使用 --store ID。",
    ),
    "mapping.store_unknown": (
        "No store '{store}' in the workspace (stores: {stores}). Import its platform "
        "reports first, or add `platform:` to the mapping to create it.",
        "工作区中没有店铺 '{store}'（现有：{stores}）。请先导入该店铺的平台报告，或在映射中"
        "加上 `platform:` 以创建它。",
    ),
    "mapping.repeated_total": (
        "This row gives {reference} a total of {found}, but line {first} says {expected} "
        "(allocate.total is `repeated`: every row repeats the same total).",
        "此行 {reference} 的总额为 {found}，但第 {first} 行为 {expected}（allocate.total "
        "为 `repeated`：每行应重复同一总额）。",
    ),
    "mapping.remapped": (
        "The same file was imported with an earlier version of this mapping (source "
        "#{source}): its rows were replaced.",
        "同一文件曾按此映射的旧版本导入（来源 #{source}）：其记录已被替换。",
    ),
    "mapping.left_out": (
        "{count} order lines left out (cancelled, no amount, or no units).",
        "{count} 行订单未计入（已取消、无金额或数量为 0）。",
    ),
    "mapping.unallocated": (
        "{count} charge(s) not split: their rows have no SKU with a {by}; they stay on no SKU.",
        "{count} 笔费用未能分摊：对应行没有带 {by} 的 SKU；保留为不归属 SKU 的费用。",
    ),
    "mapping.ambiguous": (
        "Several mapping files fit this file's header ({mappings}); choose one with "
        "--mapping FILE.",
        "有多个映射文件与此文件的表头相符（{mappings}）；请用 --mapping FILE 指定。",
    ),
    "mapping.check_ok": (
        "{mapping}: no problems found. Nothing was written.",
        "{mapping}：未发现问题。未写入任何数据。",
    ),
    "mapping.check_failed": (
        "{count} problem(s) found. Nothing was written.",
        "发现 {count} 个问题。未写入任何数据。",
    ),
    "mapping.preview": (
        "{rows} data lines. The first {shown} rows they would become ({kind}):",
        "共 {rows} 行数据。导入后的前 {shown} 条记录（{kind}）：",
    ),
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
    "kpi.yaml": ("The KPI file is not valid YAML: {detail}", "KPI 文件不是有效的 YAML：{detail}"),
    "kpi.no_list": (
        "The KPI file needs a `kpis:` list.",
        "KPI 文件需要一个 `kpis:` 列表。",
    ),
    "kpi.not_a_mapping": (
        "Each KPI must be a mapping of settings.",
        "每个 KPI 都必须是设置项的映射。",
    ),
    "kpi.unknown_field": (
        "KPI '{kpi}': unknown setting(s) {fields}.",
        "KPI '{kpi}'：未知设置项 {fields}。",
    ),
    "kpi.bad_name": (
        "'{kpi}' is not a KPI name: use lower-case letters, digits and '_'.",
        "'{kpi}' 不是有效的 KPI 名称：只能用小写字母、数字和 '_'。",
    ),
    "kpi.bad_choice": (
        "KPI '{kpi}': {field} must be one of {choices}.",
        "KPI '{kpi}'：{field} 只能是 {choices}。",
    ),
    "kpi.missing": ("KPI '{kpi}': {field} is required.", "KPI '{kpi}'：缺少 {field}。"),
    "kpi.bad_expression": (
        "KPI '{kpi}': the expression is not arithmetic of KPIs and numbers ({detail}).",
        "KPI '{kpi}'：表达式只能是 KPI 与数字的四则运算（{detail}）。",
    ),
    "kpi.duplicate": (
        "KPI '{kpi}' is defined twice in this file.",
        "KPI '{kpi}' 在此文件中定义了两次。",
    ),
    "kpi.unknown_measure": (
        "KPI '{kpi}': there is no measure '{ref}' (docs/kpis.md lists them).",
        "KPI '{kpi}'：没有度量 '{ref}'（见 docs/kpis.md）。",
    ),
    "kpi.unknown_ref": (
        "KPI '{kpi}': '{ref}' is neither a KPI nor a measure.",
        "KPI '{kpi}'：'{ref}' 既不是 KPI 也不是度量。",
    ),
    "kpi.cycle": (
        "KPIs refer to each other in a circle: {cycle}.",
        "KPI 之间循环引用：{cycle}。",
    ),
    "kpi.bad_window": (
        "KPI '{kpi}': a rolling KPI needs a window of 1 to {most} days (window: 30).",
        "KPI '{kpi}'：滚动 KPI 需要 1 到 {most} 天的窗口（如 window: 30）。",
    ),
    "kpi.window_not_rolling": (
        "KPI '{kpi}': only a rolling KPI has a window.",
        "KPI '{kpi}'：只有滚动（rolling）KPI 才有 window。",
    ),
    "kpi.bad_currency": (
        "KPI '{kpi}': currency '{value}' is not a three-letter code such as CNY "
        "(and a snapshot KPI counts units, it has no currency).",
        "KPI '{kpi}'：货币 '{value}' 不是三位字母代码（如 CNY）；库存快照 KPI 计件数，没有货币。",
    ),
    "kpi.bad_rolling": (
        "KPI '{kpi}': a rolling KPI sums over trailing days, so it cannot be taken of "
        "'{ref}' (an inventory level or another rolling KPI).",
        "KPI '{kpi}'：滚动 KPI 是对近若干天求和，不能基于 '{ref}'（库存水平或另一个滚动 KPI）。",
    ),
    "kpi.measure_table": (
        "The query reads the KPI measure table, built {when} ({rows} rows) from the "
        "ledger by the SQL below, and rebuilt when anything it reads changes.",
        "查询读取 KPI 度量表：{when} 由下面的 SQL 从账本生成（{rows} 行），其输入变化时自动重建。",
    ),
    "people.yaml": (
        "not valid YAML ({detail}).",
        "不是有效的 YAML（{detail}）。",
    ),
    "people.no_list": (
        "expected a list under 'people:' (see docs/team.md).",
        "'people:' 下应为列表（见 docs/team.md）。",
    ),
    "people.not_a_mapping": ("Each person must be a mapping.", "每个人员都必须是映射。"),
    "people.unknown_field": ("Unknown setting(s) {fields}.", "未知设置项 {fields}。"),
    "people.bad_id": (
        "'{person}' is not a person id: lower-case letters, digits, '_', '-' or '.'.",
        "'{person}' 不是有效的人员 ID：只能用小写字母、数字、'_'、'-' 或 '.'。",
    ),
    "people.duplicate": (
        "Person '{person}' is listed twice (first on line {first}).",
        "人员 '{person}' 重复出现（首次在第 {first} 行）。",
    ),
    "people.bad_role": (
        "Person '{person}': role must be one of {choices}.",
        "人员 '{person}'：角色只能是 {choices}。",
    ),
    "people.bad_scope": (
        "Person '{person}': each item of owns is one store, sku or tag (a sku or tag may "
        "add store:), with from: and to: dates.",
        "人员 '{person}'：owns 的每一项是一个 store、sku 或 tag（sku、tag 可加 store:），"
        "可有 from: 和 to: 日期。",
    ),
    "people.bad_date": (
        "Person '{person}': from and to must be dates (YYYY-MM-DD), to not before from.",
        "人员 '{person}'：from 和 to 必须是日期（YYYY-MM-DD），且 to 不早于 from。",
    ),
    "people.unknown_store": (
        "Person '{person}': there is no store '{store}' in lianxing.toml.",
        "人员 '{person}'：lianxing.toml 中没有店铺 '{store}'。",
    ),
    "people.no_scope": (
        "Person '{person}' ({role}) owns nothing: add the stores, SKUs or tags under owns.",
        "人员 '{person}'（{role}）没有负责范围：请在 owns 下列出店铺、SKU 或标签。",
    ),
    "people.overlap": (
        "{scope} is owned by both '{a}' (line {other_line}) and '{b}' on {day}: end one "
        "with to: the day before the other starts.",
        "{scope} 在 {day} 同时归 '{a}'（第 {other_line} 行）和 '{b}' 负责：请让一方的 to: "
        "早于另一方的 from:。",
    ),
    "people.tag_overlap": (
        "SKU {sku} has tags owned by two people on {day}: '{a}' ({tag_a}) and '{b}' ({tag_b}).",
        "SKU {sku} 在 {day} 的标签分属两人：'{a}'（{tag_a}）和 '{b}'（{tag_b}）。",
    ),
    "scorecards.yaml": (
        "not valid YAML ({detail}).",
        "不是有效的 YAML（{detail}）。",
    ),
    "scorecards.no_list": (
        "expected a list under 'scorecards:' (see docs/team.md).",
        "'scorecards:' 下应为列表（见 docs/team.md）。",
    ),
    "scorecards.not_a_mapping": ("Each scorecard must be a mapping.", "每张考核表都必须是映射。"),
    "scorecards.unknown_field": ("Unknown setting(s) {fields}.", "未知设置项 {fields}。"),
    "scorecards.bad_applies": (
        "Scorecard '{card}': needs a name and applies_to with role ({roles}), team or people.",
        "考核表 '{card}'：需要 name 和 applies_to（role：{roles}；或 team、people）。",
    ),
    "scorecards.no_kpis": (
        "Scorecard '{card}': list its KPIs under kpis.",
        "考核表 '{card}'：请在 kpis 下列出指标。",
    ),
    "scorecards.bad_kpi_entry": (
        "Each KPI of a scorecard is a mapping of {fields}.",
        "考核表中的每个指标是由 {fields} 组成的映射。",
    ),
    "scorecards.unknown_kpi": (
        "Scorecard KPI '{kpi}' is not in the KPI catalogue (lianxing kpi list).",
        "考核指标 '{kpi}' 不在指标目录中（见 lianxing kpi list）。",
    ),
    "scorecards.bad_number": (
        "Scorecard KPI '{kpi}': {field} must be a number (weight above 0).",
        "考核指标 '{kpi}'：{field} 必须是数字（权重大于 0）。",
    ),
    "scorecards.bad_rule": (
        "Scorecard KPI '{kpi}': rule must be one of {choices}.",
        "考核指标 '{kpi}'：rule 只能是 {choices}。",
    ),
    "scorecards.bad_cap": (
        "Scorecard KPI '{kpi}': cap is a multiple of the weight from 1 to {most} (1.2 = 120 %).",
        "考核指标 '{kpi}'：cap 是权重的倍数，取 1 到 {most}（1.2 即 120%）。",
    ),
    "scorecards.floor_needed": (
        "Scorecard KPI '{kpi}': lower is better, so give the floor — the value that scores 0.",
        "考核指标 '{kpi}'：越低越好，请给出 floor（得 0 分的数值）。",
    ),
    "scorecards.bad_bands": (
        "Scorecard KPI '{kpi}': bands are a list of {{at: attainment, points: share of the "
        "weight}}.",
        "考核指标 '{kpi}'：bands 是 {{at: 达成率, points: 权重占比}} 的列表。",
    ),
    "scorecards.weights": (
        "Scorecard '{card}': the weights add up to {total}, not 100.",
        "考核表 '{card}'：权重合计为 {total}，不是 100。",
    ),
    "scorecards.duplicate_kpi": (
        "Scorecard '{card}': a KPI is listed twice.",
        "考核表 '{card}'：有指标重复出现。",
    ),
    "scorecards.bad_gate": (
        "Scorecard '{card}': a gate has a KPI, below or above (one of them) and zero: the "
        "card's KPIs it stops.",
        "考核表 '{card}'：门槛需有 kpi、below 或 above（二选一），以及 zero：它清零的本表指标。",
    ),
    "team.unknown_team": (
        "Unknown team '{team}'. Teams: {known}.",
        "未知团队 '{team}'。现有团队：{known}。",
    ),
    "team.nobody_scored": (
        "Nobody to score: write people.yaml and scorecards.yaml (see docs/team.md).",
        "没有可考核的人员：请编写 people.yaml 和 scorecards.yaml（见 docs/team.md）。",
    ),
    "demo.payout": (
        "Bonus pay, {period} (pay.yaml; `lianxing team payout --out payout.xlsx`)",
        "绩效奖金，{period}（pay.yaml；`lianxing team payout --out payout.xlsx`）",
    ),
    "demo.team": (
        "The team's scores, {period} (people.yaml, scorecards.yaml; `lianxing team score`)",
        "团队绩效得分，{period}（people.yaml、scorecards.yaml；`lianxing team score`）",
    ),
    "team.unknown_person": (
        "There is no person '{person}' in people.yaml.",
        "people.yaml 中没有人员 '{person}'。",
    ),
    "team.closed": (
        "The scores of {period} are closed: re-open the period first "
        "(lianxing team reopen --period {period} --by NAME --reason TEXT).",
        "{period} 的绩效已关账：请先重新打开"
        "（lianxing team reopen --period {period} --by 姓名 --reason 原因）。",
    ),
    "team.not_closed": ("The scores of {period} are not closed.", "{period} 的绩效尚未关账。"),
    "team.bad_points": (
        "'{value}' is not an adjustment: a number of points from -{most} to {most}, "
        "to the hundredth.",
        "'{value}' 不是有效的调整分：应为 -{most} 到 {most} 之间、最多两位小数的数字。",
    ),
    "team.bad_text": (
        "--{field} is needed: one line of at most {most} characters, kept in the audit trail.",
        "需要 --{field}：一行、不超过 {most} 个字符，将记入审计记录。",
    ),
    "team.adjusted": (
        "Adjustment {id} recorded: {person} {points} points for {period}.",
        "已记录调整 {id}：{person} 在 {period} {points} 分。",
    ),
    "team.closed_now": (
        "{period} closed: these scores stand until it is re-opened.",
        "{period} 已关账：在重新打开之前，得分保持不变。",
    ),
    "team.reopened": ("{period} re-opened.", "{period} 已重新打开。"),
    "team.closed_note": (
        "Closed by {by} on {at}: later data does not change these scores.",
        "由 {by} 于 {at} 关账：之后的数据不会改变这些得分。",
    ),
    "pay.yaml": (
        "not valid YAML ({detail}).",
        "不是有效的 YAML（{detail}）。",
    ),
    "pay.no_list": (
        "expected a list under 'pay:' (see docs/team.md).",
        "'pay:' 下应为列表（见 docs/team.md）。",
    ),
    "pay.bad_plan": (
        "Each pay plan is a mapping of {fields}, with applies_to a role, team or people.",
        "每个薪酬方案是由 {fields} 组成的映射，applies_to 为 role、team 或 people。",
    ),
    "pay.bad_currency": (
        "Pay plan '{plan}': currency must be one of {choices}.",
        "薪酬方案 '{plan}'：货币只能是 {choices}。",
    ),
    "pay.bad_rule": (
        "Pay plan '{plan}': each rule is one of {choices} with its own settings "
        "(score: base; profit_share: share, above; tiers: tiers).",
        "薪酬方案 '{plan}'：每条规则为 {choices} 之一及其设置"
        "（score：base；profit_share：share、above；tiers：tiers）。",
    ),
    "pay.bad_tiers": (
        "Pay plan '{plan}': tiers are a list of {{from: score, amount: money}}.",
        "薪酬方案 '{plan}'：tiers 是 {{from: 分数, amount: 金额}} 的列表。",
    ),
    "pay.bad_number": (
        "Pay plan '{plan}': {field} must be a number of 0 or more (a share at most 100 %).",
        "薪酬方案 '{plan}'：{field} 必须是不小于 0 的数字（比例不超过 100%）。",
    ),
    "pay.currency_not_kept": (
        "{period} was closed without owned profit in {currency} ({person}'s plan shares "
        "profit in it): re-open the period, or pay in the currency it was closed with.",
        "{period} 关账时未保存 {currency} 的负责范围利润（{person} 的方案按该货币提成）："
        "请重新打开该期间，或按关账时的货币发放。",
    ),
    "pay.none": (
        "No pay plans: write pay.yaml in the workspace (see docs/team.md).",
        "尚无薪酬方案：请在工作区编写 pay.yaml（见 docs/team.md）。",
    ),
    "export.bad_suffix": (
        "{path}: the file must end in {choices}.",
        "{path}：文件扩展名必须是 {choices}。",
    ),
    "team.payout_written": ("Payroll sheet written: {path}", "工资表已写入：{path}"),
    "team.not_scored": (
        "'{person}' has no score for {period} (not in people.yaml, or no scorecard applies).",
        "'{person}' 在 {period} 没有得分（不在 people.yaml 中，或没有适用的考核表）。",
    ),
    "team.bad_range": (
        "--from {first} --to {last}: give two months (2025-07), the first not after the last.",
        "--from {first} --to {last}：请给出两个月份（如 2025-07），且起始不晚于结束。",
    ),
    "team.template_exists": (
        "{path} exists: edit it, or pass --force to replace it with the built-in cards.",
        "{path} 已存在：请直接编辑，或用 --force 以内置考核表替换。",
    ),
    "team.template_written": (
        "Built-in scorecards written to {path}: edit the weights, rules and gates.",
        "内置考核表已写入 {path}：可修改权重、规则和门槛。",
    ),
    "team.review_written": ("Review written: {path}", "复盘已写入：{path}"),
    "review.title": ("Review: {name}, {period}", "复盘：{name}，{period}"),
    "review.meta": (
        "{person} · team {team} · scorecard {card}",
        "{person} · 团队 {team} · 考核表 {card}",
    ),
    "review.rank": ("Rank {rank} of {of}", "排名 {rank} / {of}"),
    "review.kpis": ("KPIs against target", "指标与目标"),
    "review.kpi": ("KPI", "指标"),
    "review.weight": ("Weight", "权重"),
    "review.value": ("Value", "实际值"),
    "review.target": ("Target", "目标值"),
    "review.attainment": ("Attainment", "达成率"),
    "review.points": ("Points", "得分"),
    "review.status": ("Status", "状态"),
    "review.adjustments": ("Adjustments", "手工调整"),
    "review.reason": ("Reason", "原因"),
    "review.by": ("By", "操作人"),
    "review.trend": ("Trend by month", "月度趋势"),
    "review.period": ("Period", "期间"),
    "review.helped": (
        "SKUs that helped most (net profit against {before})",
        "贡献最大的 SKU（净利润对比 {before}）",
    ),
    "review.hurt": (
        "SKUs that hurt most (net profit against {before})",
        "拖累最大的 SKU（净利润对比 {before}）",
    ),
    "review.skus": ("SKUs", "商品 SKU"),
    "review.sku": ("SKU", "商品 SKU"),
    "review.now": ("This period", "本期"),
    "review.before_col": ("Before", "上期"),
    "review.change": ("Change", "变化"),
    "review.none": ("None.", "无。"),
    "review.alerts": ("Targets off track", "未达标预警"),
    "review.no_alerts": ("No target of this person is off track.", "此人的目标均正常。"),
    "review.comments": ("Comments", "评语"),
    "team.status.ok": ("scored", "已计分"),
    "team.status.no_target": ("no target", "无目标"),
    "team.status.no_data": ("no data", "无数据"),
    "team.status.gated": ("gated: 0", "未过门槛：0 分"),
    "team.status.bad_floor": (
        "floor not on the bad side of the target: 0",
        "floor 不在目标的不利一侧：0 分",
    ),
    "kpi.unknown": (
        "Unknown KPI: {kpi}. Known: {known}.",
        "未知 KPI：{kpi}。可用：{known}。",
    ),
    "kpi.bad_compare": ("--compare must be one of: {choices}", "--compare 只能是：{choices}"),
    "kpi.compare_needs_dates": (
        "--compare with --period total needs --from and --to (previous: the range of the "
        "same length just before; yoy: the same range a year earlier).",
        "--period total 配合 --compare 时需要 --from 和 --to"
        "（环比：之前等长时段；同比：去年同期）。",
    ),
    "kpi.before": ("{label} (before)", "{label}（对比期）"),
    "kpi.change": ("{label} Δ", "{label} 变化"),
    "kpi.bad_by": ("--by must be one of: {choices}", "--by 只能是：{choices}"),
    "kpi.bad_period": ("--period must be one of: {choices}", "--period 只能是：{choices}"),
    "kpi.none": (
        "Name at least one KPI (see `lianxing kpi list`).",
        "请至少指定一个 KPI（见 `lianxing kpi list`）。",
    ),
    "products.unknown_column": (
        "Unknown column(s) {columns}: products.csv has sku, parent, category, tags, owner.",
        "未知列 {columns}：products.csv 的列为 sku、parent、category、tags、owner。",
    ),
    "templates.bad_kpi": (
        "Template '{template}': '{kpi}' is not a KPI with a weight.",
        "模板 '{template}'：'{kpi}' 不是带权重的 KPI。",
    ),
    "templates.weights": (
        "Template '{template}': the weights add up to {total}, not 1.",
        "模板 '{template}'：权重之和为 {total}，不是 1。",
    ),
    "templates.unknown": (
        "No template '{template}'. Templates: {known}.",
        "没有模板 '{template}'。可用模板：{known}。",
    ),
    "templates.applied": (
        "Targets of template {template} for {scope} added to {path}: edit them there.",
        "已将模板 {template} 针对 {scope} 的目标写入 {path}，可在其中修改。",
    ),
    "templates.hint": (
        "Targets for it: `lianxing targets template {template} --scope store:{store}` "
        "(see `lianxing kpi templates`).",
        "为它设定目标：`lianxing targets template {template} --scope store:{store}`"
        "（见 `lianxing kpi templates`）。",
    ),
    "targets.yaml": (
        "The targets file is not valid YAML: {detail}",
        "目标文件不是有效的 YAML：{detail}",
    ),
    "targets.no_list": (
        "The targets file needs a `targets:` list.",
        "目标文件需要 `targets:` 列表。",
    ),
    "targets.not_a_mapping": ("Each target must be a mapping.", "每个目标都必须是映射。"),
    "targets.unknown_field": ("Unknown setting(s) {fields}.", "未知设置项 {fields}。"),
    "targets.unknown_kpi": (
        "No KPI '{kpi}' (see `lianxing kpi list`).",
        "没有 KPI '{kpi}'（见 `lianxing kpi list`）。",
    ),
    "targets.bad_scope": (
        "Scope '{scope}' is not business, platform:NAME, store:ID or sku:SKU.",
        "范围 '{scope}' 无效：应为 business、platform:平台、store:店铺 或 sku:SKU。",
    ),
    "targets.no_stages": (
        "Target for '{kpi}' has no stages (from: YYYY-MM, target: number).",
        "'{kpi}' 的目标没有阶段（from: YYYY-MM，target: 数值）。",
    ),
    "targets.bad_stage": (
        "A stage of the target for '{kpi}' is not valid ({fields}).",
        "'{kpi}' 目标的某个阶段无效（{fields}）。",
    ),
    "targets.duplicate_stage": (
        "Two stages of the target for '{kpi}' start in the same month.",
        "'{kpi}' 目标有两个阶段从同一个月开始。",
    ),
    "targets.none": (
        "No targets: write targets.yaml in the workspace (see docs/kpis.md).",
        "尚无目标：请在工作区中编写 targets.yaml（见 docs/kpis.md）。",
    ),
    "targets.status.on_track": ("on track", "正常"),
    "targets.status.warning": ("warning", "预警"),
    "targets.status.critical": ("critical", "严重"),
    "targets.status.no_data": ("no data", "无数据"),
    "targets.status.not_started": ("not started", "未开始"),
    "bridge.bad_period": (
        "'{value}' is not a period: use 2026-10 (a month), 2026-Q4, 2026 or 2026-10-05.",
        "'{value}' 不是有效期间：请用 2026-10（月）、2026-Q4、2026 或 2026-10-05。",
    ),
    "bridge.bad_by": ("--by must be one of: {choices}", "--by 只能是：{choices}"),
    "bridge.title": (
        "Net profit {before} → {after}: {first} → {second} {currency}",
        "净利润 {before} → {after}：{first} → {second} {currency}",
    ),
    "bridge.total": ("Total change", "合计变动"),
    "bridge.group_label": ("Driven by", "驱动因素"),
    "bridge.group.demand": ("demand", "需求"),
    "bridge.group.ads": ("ads", "广告"),
    "bridge.group.platform": ("platform", "平台"),
    "bridge.group.supply_chain": ("supply chain", "供应链"),
    "bridge.group.other": ("other", "其他"),
    "bridge.line.volume": ("Volume", "销量"),
    "bridge.line.mix": ("Mix", "结构"),
    "bridge.line.price": ("Price", "价格"),
    "bridge.line.advertising": ("Advertising", "广告费"),
    "bridge.line.platform_fees": ("Platform fees", "平台费用"),
    "bridge.line.fulfillment": ("Fulfillment", "配送费"),
    "bridge.line.storage": ("Storage", "仓储费"),
    "bridge.line.inbound_and_freight": ("Inbound and freight", "入仓及头程"),
    "bridge.line.duties": ("Duties", "关税"),
    "bridge.line.returns_and_refunds": ("Returns and refunds", "退货与退款"),
    "bridge.line.cogs": ("COGS", "采购成本"),
    "bridge.line.other": ("Other", "其他"),
    "bridge.line.volume_and_mix": ("Volume and mix", "销量与结构"),
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
    "doctor.specs": (
        "Every SKU sold on Amazon has dimensions and a weight (fee audit and fee estimates "
        "cover them all).",
        "所有在亚马逊售出的 SKU 都有尺寸和重量（费用审计与费用估算全部覆盖）。",
    ),
    "doctor.missing_specs": (
        "{count} SKU(s) sold on Amazon have no dimensions: the fee audit skips them and their "
        "unsettled fees are copied from the last settlement. `lianxing products import`.",
        "{count} 个在亚马逊售出的 SKU 没有尺寸：费用审计会跳过它们，未结算费用沿用上次结算。"
        "请 `lianxing products import`。",
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
    "demo.other_files": (
        "…and {count} other reports and sheets (orders, transactions, ads — one as .xlsx — "
        "storage and long-term storage, returns as tab and quoted CSV, inventory, traffic, "
        "costs, rates).",
        "……以及其他 {count} 份报告和表格（订单、交易明细、广告（含一份 .xlsx）、仓储与长期仓储、"
        "退货（制表符与带引号的 CSV）、库存、流量、成本、汇率）。",
    ),
    "demo.kpis": ("KPIs per store, settled money", "各店铺指标（已结算）"),
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

# ---- costing: product specs, batches, fees, audit, what-if ----------------------------
MESSAGES.update(
    {
        "products.done": (
            "{file}: {rows} products imported, {sized} with dimensions and weight.",
            "{file}：已导入 {rows} 个产品，其中 {sized} 个有尺寸和重量。",
        ),
        "products.converted": (
            "column {column} was in {unit}: converted to inches / ounces.",
            "列 {column} 的单位是 {unit}：已换算为英寸 / 盎司。",
        ),
        "products.bad_xlsx": (
            "not a readable XLSX workbook: {detail}",
            "不是可读取的 XLSX 工作簿：{detail}",
        ),
        "products.no_unit": (
            "Column '{name}' does not say its unit; name it one of: {units}.",
            "列 '{name}' 没有标明单位；请改名为以下之一：{units}。",
        ),
        "products.twice": (
            "Column '{name}' gives the same measure as column '{first}' (in another "
            "unit); keep one.",
            "列 '{name}' 与列 '{first}' 是同一个尺寸（单位不同）；请只保留一列。",
        ),
        "products.bad_number": (
            "'{value}' is not a number (in {unit}).",
            "'{value}' 不是数字（单位 {unit}）。",
        ),
        "products.unit_conflict": (
            "'{value}' names another unit than the column's ({unit}); convert it or move it to "
            "the column of its unit.",
            "'{value}' 的单位与本列（{unit}）不同；请换算，或放到对应单位的列中。",
        ),
        "products.out_of_range": (
            "'{value}' {unit} is not a plausible size or weight (must be above 0).",
            "'{value}' {unit} 不是合理的尺寸或重量（必须大于 0）。",
        ),
        "products.bad_hts": (
            "HTS code '{value}' must be 4 to 10 digits (dots allowed), e.g. 9503.00.0073.",
            "HTS 编码 '{value}' 应为 4 到 10 位数字（可含点），例如 9503.00.0073。",
        ),
        "products.bad_origin": (
            "Country of origin '{value}' must be a two-letter code such as CN.",
            "原产国 '{value}' 应为两位字母代码，例如 CN。",
        ),
        "products.partial_dimensions": (
            "{sku}: give all three sides and the weight, or none (a size tier needs all four).",
            "{sku}：请填写全部三边和重量，或都不填（尺寸分段需要四项）。",
        ),
        "batches.done": (
            "{file}: {batches} batches, {lines} lines, {units} units imported; landed cost "
            "computed for every line.",
            "{file}：已导入 {batches} 个批次、{lines} 行、{units} 件；每行到岸成本已计算。",
        ),
        "batches.replaced": (
            "{count} batches were imported before and are now replaced by this file.",
            "{count} 个批次此前已导入，现已由本文件替换。",
        ),
        "fees.caption": (
            "{sku} at {price} on {day} · size tier {tier} · shipping weight {weight} oz",
            "{sku} 售价 {price}，日期 {day} · 尺寸分段 {tier} · 计费重量 {weight} 盎司",
        ),
        "fees.check_summary": (
            "{items} unsettled order items priced from the fee schedules; {unpriced} fall back "
            "to their SKU's last settled fees:",
            "{items} 个未结算订单行按费率表估算费用；{unpriced} 个沿用该 SKU 最近一次结算的费用：",
        ),
        "audit.claims_title": ("FBA fee overcharges", "FBA 配送费多收"),
        "audit.summary": (
            "{checked} settled order items checked: {over} charged more than the schedule "
            "for the product's own size, {under} less. Overcharge: {amount}.",
            "已核对 {checked} 个已结算订单行：{over} 个按产品实际尺寸多收，{under} 个少收。"
            "多收合计：{amount}。",
        ),
        "audit.unaudited": (
            "{count} SKUs could not be checked: {skus}. Import their specs with "
            "`lianxing products import`.",
            "{count} 个 SKU 无法核对：{skus}。请用 `lianxing products import` 导入其规格。",
        ),
        "audit.owed_title": ("Reimbursements owed", "应得赔偿"),
        "audit.owed": (
            "{count} reimbursement claims, worth {amount}.",
            "共 {count} 项可索赔，金额 {amount}。",
        ),
        "audit.not_covered": (
            "Units lost or damaged in Amazon's warehouses are read from the Inventory Ledger "
            "report (detailed view): import it to have them checked.",
            "亚马逊仓库内丢失或损坏的库存依据库存分类账报告（详细视图）核对：导入该报告即可纳入审计。",
        ),
        "audit.evidence_written": (
            "Claims with their evidence rows written to {path}",
            "索赔清单及证据行已写入 {path}",
        ),
        "audit.not_amazon": (
            "Store '{store}' is not an Amazon store: the fee audit checks FBA fees.",
            "店铺 '{store}' 不是亚马逊店铺：费用审计核对的是 FBA 费用。",
        ),
        "audit.bad_window": (
            "--window {value}: give a number of days from 1 to 365.",
            "--window {value}：请给出 1 到 365 之间的天数。",
        ),
        "whatif.bad_tariff": (
            "--tariff '{value}': write +10 (ten points more duty) or =10% (a duty of 10%); "
            "a bare number could mean either.",
            "--tariff '{value}'：请写 +10（关税增加十个百分点）或 =10%（关税为 10%）；"
            "只写数字含义不明。",
        ),
        "whatif.bad_freight": (
            "--freight '{value}': choose sea or air.",
            "--freight '{value}'：请选择 sea（海运）或 air（空运）。",
        ),
        "whatif.bad_days": (
            "--days {value}: give a number of days from 1 to 366.",
            "--days {value}：请给出 1 到 366 之间的天数。",
        ),
        "whatif.no_freight_rate": (
            "No imported batch came by {mode}: there is no freight rate to re-cost with.",
            "没有以 {mode} 方式运输的已导入批次：无法据此重算头程运费。",
        ),
        "whatif.no_spec": (
            "No product spec for {sku}: import it with `lianxing products import FILE`.",
            "没有 {sku} 的产品规格：请用 `lianxing products import FILE` 导入。",
        ),
        "whatif.no_cost": (
            "No landed cost or unit cost for {sku}: import a batch or a cost sheet first.",
            "{sku} 没有到岸成本或采购成本：请先导入批次或成本表。",
        ),
        "whatif.no_price": (
            "{sku} has not sold in the last 30 days: give the price with --price.",
            "{sku} 最近 30 天没有销售：请用 --price 给出售价。",
        ),
        "whatif.caption": (
            "{sku} · fee schedules of {day} · landed cost from {source}",
            "{sku} · {day} 的费率表 · 到岸成本来自 {source}",
        ),
        "whatif.store_summary": (
            "Sales {first} – {last}: profit before ads and storage {now} now, {then} under the "
            "scenario, a change of {change}.",
            "{first} 至 {last} 的销售：未计广告和仓储的利润，现在为 {now}，假设情景下为 {then}，"
            "变化 {change}。",
        ),
        "demo.lots": ("Landed cost of the inbound batches (USD)", "入库批次到岸成本（美元）"),
        "demo.whatif": (
            "What if the tariff on {sku} rose 10 points?",
            "如果 {sku} 的关税提高 10 个百分点？",
        ),
        "whatif.skipped": (
            "{count} SKUs left out: {skus}.",
            "{count} 个 SKU 未计入：{skus}。",
        ),
    }
)

from lianxing.fees.messages import MESSAGES as _FEE_MESSAGES  # noqa: E402
from lianxing.ingest.ledger_messages import MESSAGES as _LEDGER_MESSAGES  # noqa: E402
from lianxing.landed.messages import MESSAGES as _LANDED_MESSAGES  # noqa: E402
from lianxing.messages import collect as _collect_feature_messages  # noqa: E402

# The fee and duty packages keep their own message tables beside their code.
MESSAGES.update(_FEE_MESSAGES)
MESSAGES.update(_LANDED_MESSAGES)
MESSAGES.update(_LEDGER_MESSAGES)
# Each feature's own module in lianxing/messages/.
for _key, _pair in _collect_feature_messages().items():
    if _key in MESSAGES:
        raise RuntimeError(f"message {_key!r} is defined twice")
    MESSAGES[_key] = _pair

# Column headers of the costing tables.
COSTING_LABELS: dict[str, tuple[str, str]] = {
    "sku": ("SKU", "SKU"), "category": ("Category", "类目"), "length_in": ("Length in", "长(英寸)"),
    "width_in": ("Width in", "宽(英寸)"), "height_in": ("Height in", "高(英寸)"),
    "weight_oz": ("Weight oz", "重量(盎司)"), "size_tier": ("Size tier", "尺寸分段"),
    "shipping_weight_oz": ("Shipping oz", "计费重量(盎司)"), "hts_code": ("HTS", "HTS 编码"),
    "origin": ("Origin", "原产国"), "source": ("Source", "来源"), "batch_id": ("Batch", "批次"),
    "mode": ("Mode", "运输方式"), "arrived_on": ("Arrived", "到仓日期"), "units": ("Units", "件数"),
    "goods": ("Goods", "货值"), "freight": ("Freight", "头程"), "duty": ("Duty", "关税"),
    "mpf": ("MPF", "MPF"), "hmf": ("HMF", "HMF"), "placement": ("Placement", "入库配置费"),
    "unit_cost": ("Unit cost", "单件成本"), "currency": ("Currency", "币种"),
    "name": ("Line", "项目"), "amount": ("Amount", "金额"), "confirmed": ("Confirmed", "已核实"),
    "note": ("Note", "备注"), "kind": ("Kind", "类型"), "id": ("Id", "编号"),
    "period": ("Period", "期间"), "file": ("File", "文件"), "store": ("Store", "店铺"),
    "order_id": ("Order", "订单号"), "reason": ("Reason", "原因"), "items": ("Items", "订单行"),
    "charged_per_unit": ("Charged/unit", "实收/件"),
    "expected_per_unit": ("Expected/unit", "应收/件"), "overcharge": ("Overcharge", "多收"),
    "fits": ("Charged fee fits", "实收费用对应"), "day": ("Day", "日期"),
    "basis": ("Basis", "依据"), "line": ("Line", "项目"), "now": ("Now", "现在"),
    "scenario": ("Scenario", "假设"), "change": ("Change", "变化"), "price": ("Price", "售价"),
    "profit_per_unit_now": ("Profit/unit now", "单件利润(现在)"),
    "profit_per_unit_scenario": ("Profit/unit scenario", "单件利润(假设)"),
}  # fmt: skip

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
    "period": ("Period", "期间"),
    "target": ("Target", "目标"),
    "scope": ("Scope", "范围"),
    "weight": ("Weight", "权重"),
    "parent": ("Parent", "父体"),
    "owner": ("Owner", "负责人"),
    "tag": ("Tag", "标签"),
    "kpis": ("KPIs", "指标"),
    "goal": ("Goal", "目标值"),
    "attainment": ("Attainment", "达成率"),
    "driver": ("Driven by", "主要来源"),
    "value": ("Value", "实际值"),
    "name": ("Name", "名称"),
    "unit": ("Unit", "单位"),
    "direction": ("Better", "方向"),
    "description": ("Description", "说明"),
    "total": ("Total", "合计"),
    "status": ("Status", "状态"),
    "message": ("Message", "说明"),
    "details": ("Details", "明细"),
    "basis": ("Basis", "口径"),
    "reference": ("Reference", "单号"),
    "effective_from": ("Effective from", "生效日期"),
    "unit_cost": ("Unit cost", "采购单价"),
    "freight": ("Freight", "头程运费"),
    "duty": ("Duty", "关税"),
    "person": ("Person", "人员"),
    "team": ("Team", "团队"),
    "role": ("Role", "角色"),
    "scorecard": ("Scorecard", "考核表"),
    "rank": ("Rank", "排名"),
    "points": ("Points", "得分"),
    "kpi": ("KPI", "指标"),
    "rule": ("Rule", "计分规则"),
    "owns": ("Owns", "负责范围"),
    "kpi_points": ("KPI points", "指标得分"),
    "closed": ("Closed", "已关账"),
    "score": ("Score", "得分"),
    "plan": ("Pay plan", "薪酬方案"),
    "owned_net_profit": ("Owned net profit", "负责范围净利润"),
    "score_pay": ("Score bonus", "绩效奖金"),
    "profit_share": ("Profit share", "利润提成"),
    "tier_pay": ("Tier bonus", "阶梯奖金"),
    "payout": ("Payout", "应发合计"),
    "adjustment": ("Adjustment", "调整分"),
    "made_by": ("By", "操作人"),
    "made_at": ("At", "时间"),
    "reason": ("Reason", "原因"),
    "action": ("Action", "操作"),
    "detail": ("Detail", "详情"),
    "logged_at": ("At", "时间"),
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


# The lines of a what-if comparison (`lianxing whatif`), shown in tables; JSON keeps
# the keys.
WHATIF_LINES: dict[str, tuple[str, str]] = {
    "price": ("Price", "售价"), "fee:referral": ("Referral fee", "销售佣金"),
    "fee:fba_fulfillment": ("FBA fulfillment fee", "FBA 配送费"),
    "fee:payment": ("Payment processing", "支付手续费"), "cost:goods": ("Goods", "货值"),
    "cost:freight": ("First-mile freight", "头程运费"), "cost:duty": ("Duties", "关税"),
    "cost:mpf": ("MPF", "MPF 清关处理费"), "cost:hmf": ("HMF", "HMF 港口维护费"),
    "cost:placement": ("Inbound placement", "入库配置费"),
    "landed_cost": ("Landed cost", "到岸成本"), "fees": ("Platform fees", "平台费用合计"),
    "profit": ("Profit per unit", "单件利润"), "margin": ("Margin", "利润率"),
    "break_even_acos": ("Break-even ACoS", "盈亏平衡 ACoS"),
}  # fmt: skip


def whatif_label(key: str) -> str:
    pair = WHATIF_LINES.get(key)
    return key if pair is None else pair[1] if _current == "zh" else pair[0]


def costing_labels(tree: Any = None) -> dict[str, str]:
    """Header text of the costing tables (plus the report columns when `tree` is given)."""
    zh = _current == "zh"
    labels = column_labels(tree) if tree is not None else {}
    labels.update({key: (pair[1] if zh else pair[0]) for key, pair in COSTING_LABELS.items()})
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
