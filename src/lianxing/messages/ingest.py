"""Messages of the ingest fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

_DATA = (
    "Lianxing reads the reports themselves as platforms download them (CSV/TXT, or "
    ".xlsx from the Ads console and Seller Central), and .xlsx sheets (cost and rate "
    "sheets, files with a mapping): download the report's data file instead."
)
_DATA_ZH = (
    "联星读取平台下载的报告数据文件本身（CSV/TXT，或广告后台和卖家中心的 .xlsx），"
    "以及 .xlsx 表格（成本表、汇率表和有映射文件的表格）：请改为下载报告的数据文件。"
)

MESSAGES: dict[str, tuple[str, str]] = {
    "file.cr_line_ends": (
        "The file's lines end with a carriage return only (Excel for Mac's \"CSV "
        '(Macintosh)"), which platform reports never do: download the report again, or '
        'save it as "CSV UTF-8".',
        "文件的行尾只有回车符（Mac 版 Excel 的“CSV (Macintosh)”格式），平台报告不会这样："
        "请重新下载报告，或另存为“CSV UTF-8”。",
    ),
    "file.line_too_long": (
        "This line is {size} long; lines longer than {limit} cannot be read, so the file "
        "is refused rather than imported without it. Is it the right file?",
        "此行长 {size}，超过可读取的上限 {limit}；为免漏掉此行，整个文件不予导入。"
        "请确认文件是否正确。",
    ),
    "file.is_pdf": (
        "This is a PDF document (a printed or saved view), not a data file. " + _DATA,
        "这是 PDF 文档（打印或保存的页面），不是数据文件。" + _DATA_ZH,
    ),
    "file.is_image": (
        "This is an image ({format}, a screenshot?), not a data file. " + _DATA,
        "这是图片（{format}，截图？），不是数据文件。" + _DATA_ZH,
    ),
    "file.is_archive": (
        "This is a {format} archive: unpack it and import the files inside.",
        "这是 {format} 压缩包：请先解压，再导入其中的文件。",
    ),
    "file.is_office": (
        "This is a {format} document, not a data file. " + _DATA,
        "这是 {format} 文档，不是数据文件。" + _DATA_ZH,
    ),
    "file.is_gzip": (
        "This is a gzip-compressed file, but not an Amazon Ads API report (the only "
        "compressed report read): unpack it and import the file inside.",
        "这是 gzip 压缩文件，但不是亚马逊广告 API 报告（唯一支持的压缩报告）：请先解压，"
        "再导入其中的文件。",
    ),
    "file.is_utf16": (
        "This is UTF-16 text (Excel's 'Unicode Text'). Save it as 'CSV UTF-8' and retry.",
        "这是 UTF-16 文本（Excel 的“Unicode 文本”）。请另存为“CSV UTF-8”后重试。",
    ),
    "file.is_xlsx": (
        "This is an Excel .xlsx workbook whose first sheet is none of the reports Lianxing "
        "reads (their header in row 1), nor a cost or rate sheet, and no mapping file in "
        "mappings/ describes it. Download the report as CSV/TXT, or describe the sheet "
        "with a mapping file (docs/mapping.md).",
        "这是 Excel .xlsx 工作簿，但其第一个工作表不是联星读取的任何报告（表头须在第 1 行），"
        "也不是成本表或汇率表，mappings/ 中也没有描述它的映射文件。请下载 CSV/TXT 格式的报告，"
        "或用映射文件描述该表格（见 docs/mapping.md）。",
    ),
    "file.binary": (
        "This is a binary file, not text: not a data file Lianxing reads.",
        "这是二进制文件而非文本，不是联星可读取的数据文件。",
    ),
    "file.bad_gzip": (
        "This gzip-compressed file is damaged ({detail}). Download it again.",
        "此 gzip 压缩文件已损坏（{detail}）。请重新下载。",
    ),
    "file.unpacked_too_large": (
        "Unpacked, this file is larger than {limit}, the most read of such a report: "
        "refused (a damaged or hostile file?).",
        "解压后此文件超过 {limit}（此类报告可读取的上限），不予导入（文件损坏或有恶意？）。",
    ),
    "file.too_large": (
        "This file is {size}; a sheet of this kind is read up to {limit}. Is it the right file?",
        "此文件大小为 {size}；此类表格最多读取 {limit}。请确认文件是否正确。",
    ),
    "file.xlsx_as_text": (
        "This is an Excel .xlsx workbook, though a text (CSV) file is read here: name it "
        ".xlsx, or save it as CSV (UTF-8).",
        "这是 Excel .xlsx 工作簿，但此处读取的是文本（CSV）文件：请将扩展名改为 .xlsx，"
        "或另存为 CSV（UTF-8）。",
    ),
    "import.skipped": (
        "Skipped: {reason}",
        "已跳过：{reason}",
    ),
    "import.summary": (
        "Files: {imported} imported, {unchanged} unchanged, {skipped} skipped, {failed} failed.",
        "文件：导入 {imported} 个，未变 {unchanged} 个，跳过 {skipped} 个，失败 {failed} 个。",
    ),
    "import.summary_skipped": ("  Skipped: {files}", "  已跳过：{files}"),
    "import.summary_failed": (
        "  Failed (not imported, nothing of them written): {files}",
        "  失败（未导入，未写入任何数据）：{files}",
    ),
    "file.read_as_gb18030": (
        "Read as Chinese GB18030/GBK text (Excel or Notepad on Chinese Windows), not UTF-8.",
        "已按中文 GB18030/GBK 编码读取（中文 Windows 上的 Excel 或记事本），而非 UTF-8。",
    ),
    "value.sign_not_currency": (
        "'{value}' is written with another currency's sign than the row's currency "
        "{currency}: write the amount without the sign, or the row's right currency.",
        "'{value}' 带有与该行币种 {currency} 不同的货币符号：请去掉符号，或改正该行币种。",
    ),
}
