"""Messages of reports read from .xlsx workbooks and of files that are not reports
(issue 13), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "file.is_xls": (
        "This is an old Excel 97–2003 workbook ({format}), which Lianxing does not read. "
        "Download the report again as CSV/TXT or .xlsx (Seller Central, the Ads console, "
        "Shopify and Walmart offer these), or open it in Excel and save it as .xlsx or "
        "'CSV UTF-8'.",
        "这是旧版 Excel 97–2003 工作簿（{format}），联星不读取此格式。请重新下载 CSV/TXT 或 "
        ".xlsx 格式的报告（卖家中心、广告后台、Shopify 和沃尔玛均提供），或在 Excel 中打开后"
        "另存为 .xlsx 或“CSV UTF-8”。",
    ),
    "workbook.too_many_cells": (
        "This sheet has more than {limit} cells, the most read from a workbook: refused "
        "(a damaged file?). Download the report as CSV/TXT instead.",
        "此工作表超过 {limit} 个单元格（从工作簿读取的上限），不予导入（文件损坏？）。"
        "请改为下载 CSV/TXT 格式的报告。",
    ),
    "workbook.too_many_rows": (
        "This sheet has rows past row {limit}, Excel's last row: a damaged file? Download "
        "the report again, or as CSV/TXT.",
        "此工作表的行超出第 {limit} 行（Excel 的最后一行）：文件损坏？请重新下载报告，"
        "或改为下载 CSV/TXT 格式。",
    ),
}
