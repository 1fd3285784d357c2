"""The statistics as an Excel workbook (统计表): the tables a bulletin prints, editable.

Commissions retype bulletin tables into their own documents; this gives them
the same numbers as the PDF, one sheet per table, from the same statistics
(``case-tracker stats ... --xlsx OUT.xlsx``, and next to the PDF in Odoo).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from case_tracker.bulletin.wording import COUNT_HEADERS, change
from case_tracker.figures import FALSE_RECTIFICATION, FIGURES, rate
from case_tracker.stats.contract import Statistics

HEAD_FILL = PatternFill("solid", fgColor="DDE3EC")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet(book: Workbook, title: str, caption: str, header: list[str], rows: list[list]):
    sheet = book.create_sheet(title)
    sheet.append([caption])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    for row in rows:
        strong = row and isinstance(row[0], tuple)
        values = [row[0][0], *row[1:]] if strong else row
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.border = BORDER
            if strong:
                cell.font = Font(bold=True)
                cell.fill = GROUP_FILL
    sheet.column_dimensions["A"].width = 44
    for column in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.freeze_panes = "B3"
    return sheet


def _per(part: int, whole: int) -> float | None:
    """Returns per finished rectification, two decimals (blank when none was finished)."""
    return round(part / whole, 2) if whole else None


def _loop_row(label, figures: dict[str, int]) -> list:
    """A row of 各单位整改情况: the counts, with the rates computed from them."""
    finished = figures["finished"]
    return [
        label,
        finished,
        figures["finished_on_time"],
        rate(figures["finished_on_time"], finished),
        figures["returns"],
        _per(figures["returns"], finished),
        figures["extended"],
        figures["false_rectification"],
    ]


def write_workbook(stats: Statistics) -> bytes:
    """The workbook's bytes (.xlsx) for a source's statistics."""
    book = Workbook()
    book.remove(book.active)
    period, scope = stats.period, stats.scope.name or "全部单位"
    where = f"{period.title}（{period.start.isoformat()}—{period.end.isoformat()}）{scope}"
    if not period.ended:
        where += f"，截至{period.as_of.isoformat()}"
    figures, comparisons = stats.figures, stats.comparisons
    previous, last_year = comparisons["previous"], comparisons["last_year"]
    _sheet(
        book,
        "主要指标",
        f"主要指标 {where}",
        ["指标", "本期", "上期", "环比", "去年同期", "同比", "本年累计"],
        [
            [
                figure.table_label,
                figures[figure.key],
                previous[figure.key],
                change(figures[figure.key], previous[figure.key]),
                last_year[figure.key],
                change(figures[figure.key], last_year[figure.key]),
                comparisons["year_to_date"][figure.key],
            ]
            for figure in FIGURES
        ],
    )
    breakdowns = stats.breakdowns
    _sheet(
        book,
        "问题分类",
        f"问题分类统计表 {where}",
        ["问题类型", *COUNT_HEADERS],
        [
            [
                (row.label,) if row.level == "group" else "　　" + row.label,
                row.problems,
                row.persons,
                row.sanctioned,
            ]
            for row in breakdowns.categories
        ],
    )
    unit_keys = [figure.key for figure in FIGURES]
    _sheet(
        book,
        "分单位",
        f"各地区各单位情况 {where}",
        ["单位", *(figure.table_label for figure in FIGURES)],
        [[row.label, *(row.figures[key] for key in unit_keys)] for row in breakdowns.units]
        + [[("合计",), *(figures[key] for key in unit_keys)]],
    )
    _sheet(
        book,
        "分级别",
        f"按级别统计 {where}",
        ["级别", *COUNT_HEADERS[1:]],
        [[row.label, row.persons, row.sanctioned] for row in breakdowns.ranks],
    )
    _sheet(
        book,
        "四种形态",
        f"运用监督执纪“四种形态” {where}",
        ["形态", "人数（人）", "占比（%）"],
        [[row.label, row.persons, row.share] for row in breakdowns.forms]
        + [[("处理结果类别",), "人数（人）", ""]]
        + [[row.label, row.persons, ""] for row in breakdowns.outcomes],
    )
    rect = breakdowns.rectification
    _sheet(
        book,
        "整改评价",
        f"整改评价情况 {where}",
        ["项目", "数量（个）"],
        [[f"评价为“{g.label}”", g.count] for g in rect.grades]
        + [
            ["本期评价合计", rect.evaluated],
            ["其中公开曝光问题", rect.exposed],
            ["本期完成整改", rect.finished],
            ["其中按期完成（按原定整改期限）", rect.finished_on_time],
            ["按期完成率（%）", rate(rect.finished_on_time, rect.finished)],
            ["其中经批准延期后完成", rect.extended],
            ["验收退回重改（次）", rect.returns],
            ["平均每个完成整改的退回重改次数", _per(rect.returns, rect.finished)],
            ["“回头看”发现整改不实", rect.false_rectification],
            ["期末逾期未完成" if period.ended else "截至统计日逾期未完成", rect.overdue],
            ["评价为较差、差", rect.poor],
            ["其中已作出后续处理", rect.poor_handled],
            ["公开曝光、评价为较差和差并严肃处理通报", figures["exposed_poor_handled"]],
        ]
        + [[f"后续处理：{name}", count] for name, count in rect.followups.items()]
        + [[FALSE_RECTIFICATION.definition, ""]],
    )
    _sheet(
        book,
        "分单位整改",
        f"各单位整改情况 {where}",
        [
            "单位",
            "完成整改（个）",
            "其中按期完成（个）",
            "按期完成率（%）",
            "退回重改（次）",
            "平均退回重改（次）",
            "经批准延期后完成（个）",
            "整改不实（个）",
        ],
        [_loop_row(row.label, row.figures) for row in breakdowns.rectification_units]
        + [
            _loop_row(
                ("合计",),
                {
                    "finished": rect.finished,
                    "finished_on_time": rect.finished_on_time,
                    "returns": rect.returns,
                    "extended": rect.extended,
                    "false_rectification": rect.false_rectification,
                },
            )
        ],
    )
    _sheet(
        book,
        "近12个月",
        f"近12个月趋势 {where}",
        ["月份", *(figure.table_label for figure in FIGURES)],
        [[point.month, *(point.figures[key] for key in unit_keys)] for point in stats.trend],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
