"""Messages of the safety fixes (issue 12), English and Simplified Chinese."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The demo's folder (lianxing.demo_folder).
    "demo.not_ours": (
        "{path} is not empty and was not made by `lianxing demo` (it has no {marker}). "
        "The demo writes only into a new or empty folder and never deletes files it did "
        "not write: choose another folder.",
        "{path} 不是空目录，也不是 `lianxing demo` 创建的（没有 {marker}）。"
        "演示只写入新建或空的目录，绝不删除不是它写入的文件：请换一个目录。",
    ),
    "demo.earlier_version": (
        "{path} looks like a demo made by an earlier version of Lianxing, which did not "
        "list the files it wrote (no {marker}), so the demo will not delete anything there. "
        "If it holds only the demo, delete the folder yourself once; from then on "
        "`--force` rebuilds it.",
        "{path} 看起来是旧版联星生成的演示（没有记录所写文件的 {marker}），"
        "因此演示不会删除其中任何文件。如果其中只有演示数据，请自行删除该目录一次；"
        "之后即可用 `--force` 重建。",
    ),
    "demo.foreign_files": (
        "{path} holds {count} file(s) the demo did not write or that changed since it "
        "wrote them ({files}). Nothing was deleted: move them elsewhere, or choose another "
        "folder.",
        "{path} 中有 {count} 个文件不是演示写入的，或写入后被修改过（{files}）。"
        "未删除任何文件：请先移走它们，或换一个目录。",
    ),
    "demo.interrupted": (
        "The demo in {path} was interrupted before it could list the files it wrote, so "
        "it will not delete anything there. Delete the folder yourself if it holds only "
        "the demo, or choose another folder.",
        "{path} 中的演示在记录所写文件之前被中断，因此不会删除其中任何文件。"
        "如该目录只有演示数据，请自行删除；或换一个目录。",
    ),
}

MESSAGES.update(
    {
        # Product specs: a file updates only what it has (lianxing.ingest.spec_merge).
        "products.would_clear": (
            "Blank cells in this file would clear values SKUs have now — SKUs per field: "
            "{counts} (e.g. {skus}). Nothing was written. Fill in the cells, leave the column "
            "out of the file to keep every SKU's value, or add --clear-blanks to clear them.",
            "该文件中的空白单元格会清除 SKU 现有的值 — 各字段涉及的 SKU 数：{counts}"
            "（例如 {skus}）。未写入任何数据。请填写这些单元格，或从文件中删去该列以保留现有值，"
            "或加 --clear-blanks 清除它们。",
        ),
        "products.catalogue_file": (
            "This file looks like the product catalogue ({name}: sku, parent, category, tags, "
            "owner — here: {columns}), which Lianxing reads from the workspace folder for KPI "
            "groups and ownership. `products import` takes product specs: dimensions, weight, "
            "fee category, HTS code, origin. Save this file as {name} in the workspace folder "
            "instead; nothing was imported.",
            "该文件看起来是产品目录（{name}：sku、parent、category、tags、owner — 此处为 "
            "{columns}），Lianxing 直接从工作区目录读取它，用于指标分组和负责人。"
            "`products import` 导入的是产品规格：尺寸、重量、费用类目、HTS 编码、原产地。"
            "请把该文件保存为工作区目录下的 {name}；未导入任何数据。",
        ),
        "products.kept": (
            "Fields the file has no column for kept their values: {fields}.",
            "文件中没有的字段保留原值：{fields}。",
        ),
        "products.cleared": (
            "Blank cells cleared values (SKUs per field): {counts}.",
            "空白单元格清除了已有值（各字段涉及的 SKU 数）：{counts}。",
        ),
    }
)

MESSAGES.update(
    {
        # The same content under another mapping (lianxing.ingest.mapped, item 13).
        "mapping.already_imported": (
            "The same content was already imported as {kind} (source #{source}), so nothing "
            "was written: it counts once. If this mapping replaces that one (a renamed or "
            "edited mapping file), import it again with --replace.",
            "相同内容已以 {kind} 导入（来源 #{source}），因此未写入任何数据：只计一次。"
            "如果本映射取代了那个映射（映射文件改名或修改），请加 --replace 重新导入。",
        ),
        "mapping.replaced_other": (
            "Replaces source #{source} ({kind}), the same content under another mapping: "
            "its rows no longer count.",
            "取代了来源 #{source}（{kind}，相同内容的其他映射导入）：其数据不再计入。",
        ),
    }
)
