"""The import template: an empty workbook with one sheet per kind and a sheet explaining it.

Generated from :mod:`case_tracker.schema` and the domain core on demand
(``case-tracker import --template OUT.xlsx``), so it can never fall behind the
columns and lists the importer accepts.  Each header cell carries a comment
(type, required, accepted values); the sheet :data:`INSTRUCTIONS_SHEET` lists
every column and every coded value, and the reader skips it.
"""

from __future__ import annotations

from pathlib import Path

from case_tracker.domain import load
from case_tracker.export import write_register
from case_tracker.importer.reader import INSTRUCTIONS_SHEET
from case_tracker.schema import DECORATIVE_HEADERS, KINDS, Column


def _coded_lists() -> dict[str, tuple[str, str]]:
    """Each domain list a column takes its values from -> that column's headers (zh, en)."""
    return {
        column.target: (column.header, column.header_en)
        for kind in KINDS
        for column in kind.columns
        if column.base_type in ("code", "codes") and column.target
    }


def describe(column: Column) -> tuple[str, str]:
    """How to fill one column, in Chinese and English."""
    kind = column.base_type
    if kind == "date":
        return "日期，如 2018-06-03、2018年6月3日、2018.6.3", "date, e.g. 2018-06-03"
    if kind == "bool":
        return "填“是”或“否”", "yes or no (是/否)"
    if kind == "money":
        return "金额（元），可写“1.5万”", "amount in yuan"
    if kind == "int":
        return "整数，空为0", "a whole number; blank is 0"
    if kind in ("code", "codes"):
        zh, en = column.header, column.header_en
        many = "，多个用“、”分隔" if kind == "codes" else ""
        return f"{zh}名称，见下方可选值{many}", f"a {en} value listed below" + (
            ", several separated by 、" if kind == "codes" else ""
        )
    if kind in ("ref", "refs"):
        many = "，多个用“、”分隔" if kind == "refs" else ""
        return f"编号，须在本表或系统中已存在{many}", "a key of a record in this file or in Odoo"
    return "文字", "text"


def _values_table() -> list[list[object]]:
    """Every coded value the importer accepts, with validity dates for categories."""
    domain = load()
    rows: list[list[object]] = []
    for target, (zh, en) in _coded_lists().items():
        for entry in getattr(domain, target):
            valid = ""
            if target == "categories":
                if not entry.is_leaf:
                    continue  # a group heading is not a valid category
                listed = domain.category_list(entry.list_code)
                start = entry.valid_from or listed.valid_from
                end = entry.valid_to or listed.valid_to
                valid = f"{start or ''}～{end or ''}" if start or end else ""
            rows.append([f"{zh} {en}", entry.name, entry.name_en, valid])
    return rows


def _ambiguous_table() -> list[list[object]]:
    """Spellings refused as ambiguous (the domain file's ``[[ambiguous]]``), with their meanings."""
    domain = load()
    columns = _coded_lists()
    rows: list[list[object]] = []
    for ambiguous in domain.ambiguous:
        if ambiguous.kind not in columns:
            continue
        zh, en = columns[ambiguous.kind]
        entries = [domain.get(ambiguous.kind, code) for code in ambiguous.candidates]
        rows.append(
            [
                f"{zh} {en}",
                ambiguous.spelling,
                "、".join(e.name for e in entries),
                " or ".join(e.name_en for e in entries),
            ]
        )
    return rows


def write_template(path: Path) -> Path:
    """Write the empty template to ``path`` (.xlsx)."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    write_register({}, path, "xlsx")
    workbook = load_workbook(path)
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    sheet.append(["导入模板填写说明 / How to fill in the import template"])
    sheet.append(
        [
            "每类记录一个工作表，表头勿改；单位、检查、问题、整改、处理人员按此顺序导入。"
            "重复导入同一文件不会产生重复记录：编号相同即更新。",
            "One sheet per kind; keep the headers. Importing a file again never duplicates: "
            "a known key is an update.",
        ]
    )
    sheet.append(
        [
            f"{DECORATIVE_HEADERS[0]}列不导入；其他无法识别的列会在校验结果和错误报告中列出"
            "（该列不导入，其余数据照常导入；加 --strict 时整批拒绝）。",
            f"A {DECORATIVE_HEADERS[0]} (row number) column is skipped; any other column the "
            "importer does not know is listed in the summary and the error report (not imported; "
            "the rows still are, unless --strict).",
        ]
    )
    sheet.append([])
    header = ["工作表 sheet", "列 column", "column", "必填 required", "填写要求", "how to fill"]
    sheet.append(header)
    for kind in KINDS:
        data = workbook[kind.sheet]
        for index, column in enumerate(kind.columns, start=1):
            zh, en = describe(column)
            required = "必填 required" if column.required else ""
            notes = "；".join(n for n in (zh, column.help) if n)
            sheet.append([kind.sheet, column.header, column.header_en, required, notes, en])
            text = f"{column.header_en}{' (required)' if column.required else ''}\n{notes}"
            data.cell(1, index).comment = Comment(text, "case_tracker", width=260, height=120)
    sheet.append([])
    sheet.append(["可选值 accepted values", "名称", "name", "有效期 valid"])
    for row in _values_table():
        sheet.append(row)
    refused = _ambiguous_table()
    if refused:
        sheet.append([])
        sheet.append(
            ["有多种含义、不予导入的写法（请写全称）", "写法 spelling", "可能是", "may mean"]
        )
        for row in refused:
            sheet.append(row)
    for row in (1, 5):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (22, 40, 30, 24, 60, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)
    return path
