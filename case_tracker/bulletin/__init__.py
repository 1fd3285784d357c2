"""The bulletin (通报): typed data (:mod:`.data`) and its PDF renderer (:mod:`.pdf`).

``render`` is imported lazily: building or freezing data must not pay for
loading ReportLab.
"""

from __future__ import annotations

from case_tracker.bulletin.data import (
    BulletinData,
    CountRow,
    CountTable,
    FormShare,
    GradeCount,
    HeadlineFigure,
    Rectification,
    TrendPoint,
    TypicalCase,
    UnitRectification,
    case_title,
)

__all__ = [
    "BulletinData",
    "CountRow",
    "CountTable",
    "FormShare",
    "GradeCount",
    "HeadlineFigure",
    "Rectification",
    "TrendPoint",
    "TypicalCase",
    "UnitRectification",
    "case_title",
    "render",
]


def __getattr__(name: str):
    if name == "render":
        from case_tracker.bulletin.pdf import render

        return render
    raise AttributeError(name)
