"""User-facing text of the landed-cost package, English and Simplified Chinese.

Merged into `lianxing.i18n.MESSAGES`; every key raised by `landed.duties` and
`landed.batches` is here, with the same {placeholders} in both languages.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the duty book (duties.yaml) ------------------------------------------------------
    "duties.unreadable": (
        "The duty table cannot be read: {detail}",
        "无法读取关税表：{detail}",
    ),
    "duties.yaml": (
        "The duty table is not valid YAML: {detail}",
        "关税表不是有效的 YAML：{detail}",
    ),
    "duties.no_list": (
        "The duty table must have a 'rows:' list.",
        "关税表必须包含 'rows:' 列表。",
    ),
    "duties.no_covers_from": (
        "The duty table lacks 'covers_from' (the first entry date its tables are complete for).",
        "关税表缺少 'covers_from'（表格完整适用的最早报关日期）。",
    ),
    "duties.unknown_field": (
        "Unknown field '{name}' in the duty table.",
        "关税表中有未知字段 '{name}'。",
    ),
    "duties.not_a_row": (
        "Each entry of 'rows:' must be a set of 'field: value' lines.",
        "'rows:' 下的每一项都必须是若干 '字段: 值' 行。",
    ),
    "duties.overlap": (
        "This row covers some of the same days as the row at line {first} for the same "
        "program, HTS prefix and origin.",
        "此行与第 {first} 行（同一税目、HTS 前缀和原产地）的生效日期有重叠。",
    ),
    "duties.bad_program": (
        "'{value}' is not a program name (lower-case letters, digits and '_').",
        "'{value}' 不是有效的税目名称（只能用小写字母、数字和 '_'）。",
    ),
    "duties.bad_hts": (
        "'{value}' is not an HTS code or prefix (digits, dots allowed).",
        "'{value}' 不是有效的 HTS 编码或前缀（数字，可带点）。",
    ),
    "duties.bad_origin": (
        "'{value}' is not a country code (two letters, or '*' for any).",
        "'{value}' 不是有效的国家代码（两个字母，或 '*' 表示任意）。",
    ),
    "duties.fee_scope": (
        "Rows of '{program}' apply to every entry: leave out 'hts' and 'origin'.",
        "'{program}' 的行适用于所有报关单：请不要填写 'hts' 和 'origin'。",
    ),
    "duties.bad_rate": (
        "'{value}' is not a rate: write it with a % sign, e.g. 7.5% (0% to 500%).",
        "'{value}' 不是有效税率：请带 % 号，例如 7.5%（0% 到 500%）。",
    ),
    "duties.ends_before_start": (
        "effective_to is before effective_from.",
        "effective_to 早于 effective_from。",
    ),
    "duties.no_source": (
        "Every row needs a 'source' saying where the figure comes from.",
        "每一行都必须有 'source'，说明数字的出处。",
    ),
    "duties.bad_confirmed": (
        "'confirmed' must be true or false, not '{value}'.",
        "'confirmed' 必须是 true 或 false，而不是 '{value}'。",
    ),
    "duties.fee_field": (
        "'{name}' belongs to mpf rows only.",
        "'{name}' 只能用于 mpf 行。",
    ),
    "duties.bad_amount": (
        "'{value}' is not an amount in USD.",
        "'{value}' 不是有效的美元金额。",
    ),
    "duties.fee_missing": (
        "An mpf row needs '{name}'.",
        "mpf 行必须填写 '{name}'。",
    ),
    "duties.min_over_max": (
        "The minimum is above the maximum.",
        "最低额高于最高额。",
    ),
    # ---- looking up duties ------------------------------------------------------------------
    "duties.before_tables": (
        "Entry date {day} is before the duty tables begin ({first}); add older rows and an "
        "earlier covers_from in the workspace's duties.yaml, or give duty_rate.",
        "报关日期 {day} 早于关税表的起始日期（{first}）；请在工作区的 duties.yaml 中补充更早的行"
        "并提前 covers_from，或填写 duty_rate。",
    ),
    "duties.no_hts": (
        "No HTS code for this line (origin {origin}): give hts_code, or duty_rate.",
        "此行没有 HTS 编码（原产地 {origin}）：请填写 hts_code 或 duty_rate。",
    ),
    "duties.no_mfn": (
        "No general (MFN) duty rate for HTS {hts} from {origin} on {day}: add an mfn row to "
        "the workspace's duties.yaml, or give mfn_rate on the line.",
        "{day} 从 {origin} 进口的 HTS {hts} 没有普通（最惠国）税率：请在工作区的 duties.yaml "
        "中添加 mfn 行，或在该行填写 mfn_rate。",
    ),
    "duties.no_fee_row": (
        "No {program} table for entries on {day}: add a row for that period to the "
        "workspace's duties.yaml.",
        "没有适用于 {day} 报关的 {program} 费率表：请在工作区的 duties.yaml 中为该期间添加一行。",
    ),
    "duties.no_informal_fee": (
        "This mpf row has no 'informal' fee, needed for an entry valued at or under its "
        "formal_over threshold.",
        "此 mpf 行缺少 'informal' 费用，货值不超过 formal_over 门槛的报关需要它。",
    ),
    # ---- the batch file ------------------------------------------------------------------------
    "landed.bad_mode": (
        "'{value}' is not a shipping mode: sea or air.",
        "'{value}' 不是有效的运输方式：应为 sea（海运）或 air（空运）。",
    ),
    "landed.bad_units": (
        "'{value}' is not a whole number of units from 1 to {high}.",
        "'{value}' 不是 1 到 {high} 之间的整数件数。",
    ),
    "landed.two_rates": (
        "Give either {first} or this column, not both.",
        "{first} 与此列只能填写其一。",
    ),
    "landed.bad_hts": (
        "'{value}' is not an HTS code (4 to 10 digits, dots allowed).",
        "'{value}' 不是有效的 HTS 编码（4 到 10 位数字，可带点）。",
    ),
    "landed.bad_origin": (
        "'{value}' is not a country of origin (two-letter code, e.g. CN).",
        "'{value}' 不是有效的原产国（两个字母的代码，例如 CN）。",
    ),
    "landed.bad_rate": (
        "'{value}' is not a rate (e.g. 7.5% or 0.075; at most 500%).",
        "'{value}' 不是有效税率（例如 7.5% 或 0.075；最高 500%）。",
    ),
    "landed.rate_needs_percent": (
        "'{value}' would be over 100%: write a percentage with a % sign (7.5%), or a "
        "fraction (0.075).",
        "'{value}' 会超过 100%：百分比请带 % 号（7.5%），或写成小数（0.075）。",
    ),
    "landed.bad_allocate_by": (
        "'{value}' is not an allocation basis: volume or weight.",
        "'{value}' 不是有效的分摊方式：应为 volume（体积）或 weight（重量）。",
    ),
    "landed.batch_disagrees": (
        "Batch {batch}: '{value}' here disagrees with '{first_value}' on line {first}.",
        "批次 {batch}：此处的 '{value}' 与第 {first} 行的 '{first_value}' 不一致。",
    ),
    "landed.batch_missing": (
        "Batch {batch} gives this on none of its lines.",
        "批次 {batch} 的所有行都没有填写此项。",
    ),
    "landed.arrived_before_entry": (
        "Arrived on {arrived}, before the customs entry date {entered}.",
        "到货日期 {arrived} 早于报关日期 {entered}。",
    ),
    "landed.no_rate": (
        "No exchange rate from {currency} to USD for {day}: give it in the file or import "
        "a rate sheet.",
        "没有 {day} 的 {currency} 兑美元汇率：请在文件中填写，或导入汇率表。",
    ),
    "landed.no_spec": (
        "SKU '{sku}' has no product spec (its size, weight, HTS code and origin are needed): "
        "import it with `lianxing products import`.",
        "SKU '{sku}' 没有产品规格（需要尺寸、重量、HTS 编码和原产地）：请用 "
        "`lianxing products import` 导入。",
    ),
    "landed.no_origin": (
        "No country of origin for SKU '{sku}': give origin here or in its product spec.",
        "SKU '{sku}' 没有原产国：请在此处或其产品规格中填写 origin。",
    ),
    "landed.no_hts": (
        "No HTS code for SKU '{sku}': give hts_code here or in its product spec, or give "
        "duty_rate.",
        "SKU '{sku}' 没有 HTS 编码：请在此处或其产品规格中填写 hts_code，或填写 duty_rate。",
    ),
    "landed.no_volume": (
        "SKU '{sku}' has no dimensions in its product spec, needed to split freight by volume.",
        "SKU '{sku}' 的产品规格没有尺寸，无法按体积分摊运费。",
    ),
    "landed.no_weight": (
        "SKU '{sku}' has no weight in its product spec, needed to split freight by weight.",
        "SKU '{sku}' 的产品规格没有重量，无法按重量分摊运费。",
    ),
    "landed.entry_mismatch": (
        "Entry {entry} is shared with batch {batch} (line {first}) but has another entry "
        "date or shipping mode.",
        "报关单 {entry} 与批次 {batch}（第 {first} 行）共用，但报关日期或运输方式不同。",
    ),
}
