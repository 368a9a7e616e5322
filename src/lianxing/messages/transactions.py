"""Messages of the Date Range transaction report (issue 13), English and Simplified
Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "date_range.no_header": (
        "No header of Amazon's Date Range transaction report in the first {lines} lines "
        "(date/time, settlement id, type, …, total).",
        "前 {lines} 行中没有亚马逊日期范围交易报告的表头"
        "（date/time、settlement id、type、…、total）。",
    ),
    "date_range.total_mismatch": (
        "The total {total} is not the sum of this row's amounts ({parts}).",
        "合计 {total} 不等于此行各金额之和（{parts}）。",
    ),
    "date_range.unsettled": (
        "{count} rows have no settlement id yet (not settled; together {total} {currency}): "
        "they are left out. Import a later report once they settle; the All Orders report "
        "estimates the orders meanwhile.",
        "{count} 行尚无结算编号（未结算；合计 {total} {currency}），未计入。"
        "结算后请导入之后的报告；在此之前订单由 All Orders 报告估算。",
    ),
    "date_range.explains": (
        "Settlement {settlement}: its flat file is the record; this report's rows explain "
        "it exactly ({total} {currency}) and are not counted again.",
        "结算 {settlement}：以其结算文件为准；本报告的行与之完全一致"
        "（{total} {currency}），不重复计入。",
    ),
    "date_range.differs": (
        "Settlement {settlement}: the transaction report's rows add up to {sum} {currency}, "
        "the settlement file's total is {total} (difference {difference}). The settlement "
        "file counts; does the report cover the whole settlement?",
        "结算 {settlement}：交易报告各行合计 {sum} {currency}，结算文件总额为 {total}"
        "（差额 {difference}）。以结算文件为准；报告是否覆盖了整个结算周期？",
    ),
    "date_range.counted": (
        "{counted} of its {rows} ledger rows count; the others explain settlements imported "
        "as flat files, or repeat another report's transactions.",
        "其 {rows} 条台账行中 {counted} 条计入；"
        "其余行解释已导入结算文件的结算，或与其他报告的交易重复。",
    ),
}
