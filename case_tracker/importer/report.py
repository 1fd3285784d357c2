"""The error report: one line per rejected row and reason, in Chinese and English.

Also one line per file that cannot be read and per column that is not read
(level 警告 warning: the rows went in without it); the last column says which.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from case_tracker.importer.register import LEVELS, Issue

HEADER = [
    "文件 file",
    "工作表 sheet",
    "行号 row",
    "列 column",
    "值 value",
    "原因",
    "reason",
    "级别 level",
]


def _row(issue: Issue) -> list[object]:
    return [
        issue.file,
        issue.sheet,
        issue.row or "",
        issue.column,
        issue.value,
        issue.reason_zh,
        issue.reason_en,
        LEVELS[issue.level],
    ]


def write_report(issues: Iterable[Issue], path: Path) -> Path:
    issues = list(issues)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "错误报告"
        sheet.append(HEADER)
        for issue in issues:
            sheet.append(_row(issue))
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(_row(i) for i in issues)
    return path
