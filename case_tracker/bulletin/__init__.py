"""The bulletin (通报): typed data (:mod:`.data`) and its PDF renderer (:mod:`.render`)."""

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
    "case_title",
]
