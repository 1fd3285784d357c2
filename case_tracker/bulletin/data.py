"""What a bulletin (通报) shows: plain typed data, no database, no layout.

The statistics (file backend or live Odoo backend) build a :class:`BulletinData`;
:func:`case_tracker.bulletin.render` turns it into a PDF.  The add-on freezes the
figures of an issued bulletin on its record as JSON (:meth:`BulletinData.to_dict`
/ :meth:`BulletinData.from_dict`), so a re-print years later shows the same
numbers even after the registers were corrected.

Labels are stored as the statistics produced them (Chinese names from the domain
core): the renderer never looks a code up, so a frozen bulletin keeps the list
names that were valid when it was issued.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from case_tracker.typed import dump as _dump
from case_tracker.typed import load as _load

#: Bumped when a field changes meaning; ``from_dict`` refuses newer documents.
SCHEMA_VERSION = 2

#: Row levels of a count table.  ``group``: a heading row with its own counts
#: (e.g. 享乐主义、奢靡之风 over its sub-rows); ``subtotal``: a 小计 row;
#: ``total``: the 合计 row; ``leaf``: an ordinary row.  Group, subtotal and
#: total rows are printed bold on a shaded background.
RowLevel = Literal["group", "subtotal", "total", "leaf"]
ROW_LEVELS: tuple[str, ...] = typing.get_args(RowLevel)


@dataclass
class HeadlineFigure:
    """One figure of the opening paragraph with its comparisons.

    ``key`` is a :data:`case_tracker.figures.FIGURES` key.  A comparison is
    ``None`` when it was not computed (no data for that period), which the
    renderer leaves out rather than printing a misleading 0.
    """

    key: str
    label: str
    unit: str
    value: int
    previous: int | None = None  # 环比: the previous period of the same length
    last_year: int | None = None  # 同比: the same period a year earlier
    year_to_date: int | None = None  # 累计: 1 January to the end of the period


@dataclass
class CountRow:
    """A row of the CCDI-style table: problems (起), persons handled (人), sanctioned (人).

    ``inspections`` is filled only by tables that report it (by unit);
    ``problems`` is ``None`` in tables that count people only (by rank).
    ``code`` is the domain-core code (category, unit, rank) for drill-down; may be empty.
    """

    label: str
    problems: int | None
    persons: int
    sanctioned: int
    level: RowLevel = "leaf"
    code: str = ""
    inspections: int | None = None
    indent: int = 0  # 0 for top rows, 1 for sub-rows (categories under a group)


@dataclass
class CountTable:
    """A table of :class:`CountRow` (by category, by unit, by rank)."""

    title: str
    header: str  # first column heading, e.g. 问题类型 / 单位 / 级别
    rows: list[CountRow] = field(default_factory=list)
    note: str = ""  # printed under the table (counting rule, list in force)
    #: Headings of the number columns when they differ from the CCDI table's
    #: (inspections first when the rows have them).
    headers: list[str] = field(default_factory=list)
    #: Why a total is not the sum of its rows; printed only when it is not.
    sum_note: str = ""

    @property
    def has_inspections(self) -> bool:
        return any(row.inspections is not None for row in self.rows)

    @property
    def has_problems(self) -> bool:
        return any(row.problems is not None for row in self.rows)


@dataclass
class FormShare:
    """四种形态: persons whose heaviest outcome falls in ``number`` (1..4)."""

    number: int
    name: str  # 第一种形态 ...
    persons: int
    percent: float  # of all persons handled in the period, 0..100


@dataclass
class GradeCount:
    """整改评价: how many evaluated rectifications got a grade."""

    code: str
    name: str
    count: int
    poor: bool = False  # 较差/差: serious handling and a public notice follow


@dataclass
class UnitRectification:
    """各单位整改情况: one unit's rectification loop (or the 合计 row)."""

    label: str
    finished: int  # rectifications finished in the period
    on_time: int  # of which by the original deadline
    returns: int  # times they were returned at acceptance (退回重改)
    extended: int  # of which after an approved extension
    false_rectification: int  # 整改不实 found in the period
    level: RowLevel = "leaf"
    code: str = ""


@dataclass
class Rectification:
    """公开曝光问题整改评价, what was done about poor grades, and the liaison loop."""

    grades: list[GradeCount] = field(default_factory=list)
    total: int = 0  # rectifications evaluated in the period
    exposed: int = 0  # of which the problem was publicly exposed
    on_time: int = 0  # finished by the (original) deadline
    overdue: int = 0  # deadline passed, not finished (逾期)
    poor: int = 0  # graded 较差/差
    poor_handled: int = 0  # of those, exposed and handled (严肃处理并通报)
    followups: list[str] = field(default_factory=list)  # what was done: 约谈, 回头看 ...
    finished: int = 0  # finished in the period (the base of the on-time rate)
    returns: int = 0  # 退回重改 of those finished, in times
    extended: int = 0  # finished after an approved extension
    false_rectification: int = 0  # 整改不实 found by a 回头看 in the period
    #: The written definition of 整改不实, printed under the unit table.
    definition: str = ""
    units: list[UnitRectification] = field(default_factory=list)  # 各单位整改情况


@dataclass
class TrendPoint:
    """One month of the 12-month trend."""

    month: str  # label as printed, e.g. 2018-01 or 1月
    problems: int
    persons: int


@dataclass
class TypicalCase:
    """典型问题通报: one numbered item.

    ``title`` reads "单位+职务+姓名+问题类型+问题。"; :func:`case_title` builds it.
    """

    title: str
    facts: str  # dated facts and amounts
    outcome: str  # e.g. 受到党内警告处分。
    ref: str = ""  # the problem's business key (schema ``ref``), for traceability


def case_title(unit: str, post: str, name: str, problem_type: str) -> str:
    """The conventional headline of a typical case: 单位+职务+姓名+问题类型+问题。"""
    kind = problem_type.strip().rstrip("。")
    if kind in ("其他", "其他问题"):  # the lists' catch-all rows name no kind of problem
        kind = "其他违纪违规问题"
    if not kind.endswith("问题"):
        kind += "问题"
    return f"{unit.strip()}{post.strip()}{name.strip()}{kind}。"


@dataclass
class BulletinData:
    """Everything one bulletin prints, in print order."""

    issuing_body: str  # 红头: 中共XX市纪委 XX市监委
    number: str  # 发文字号, e.g. 甬纪通〔2018〕3号 (or a 期号 such as 第3期)
    date: date  # date of issue
    title: str  # 关于2018年上半年正风肃纪监督检查情况的通报
    period_label: str  # 2018年上半年
    scope_label: str  # 全市 / 海曙区
    headline: list[HeadlineFigure] = field(default_factory=list)
    previous_label: str = ""  # 环比 period, e.g. 2017年下半年
    last_year_label: str = ""  # 同比 period, e.g. 2017年上半年
    intro: str = ""  # optional sentence before the figures
    as_of: date | None = None  # a period not yet over: the figures are as of this day (截至)
    categories: CountTable | None = None
    by_unit: CountTable | None = None
    by_rank: CountTable | None = None
    forms: list[FormShare] = field(default_factory=list)
    rectification: Rectification | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    cases: list[TypicalCase] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)  # 下步工作要求, one per paragraph
    recipients: str = ""  # 主送, e.g. 各区县（市）纪委监委，市纪委监委各派驻机构
    issuing_office: str = ""  # 印发 line, e.g. 中共XX市纪委办公室
    #: Where the figures come from (file names, server); kept in the PDF's
    #: metadata and the frozen data, never printed in the document.
    source_note: str = ""
    lead: str = ""  # 导语 before the first heading (period and scope)
    cc: str = ""  # 抄送 of the 版记
    period_start: date | None = None
    period_end: date | None = None
    #: 核验码 printed in the 版记 (case_tracker.integrity): given by the server to a
    #: bulletin record, so that its PDF can be verified; empty for a bulletin made from
    #: files, which no server vouches for.
    verification_code: str = ""
    schema_version: int = SCHEMA_VERSION

    def figure(self, key: str) -> HeadlineFigure | None:
        return next((f for f in self.headline if f.key == key), None)

    # --------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return _dump(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BulletinData:
        """Rebuild from :meth:`to_dict` output; ValueError naming the field on bad input."""
        version = data.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version: unsupported value {version!r} (this version reads <= "
                f"{SCHEMA_VERSION})"
            )
        return _load(cls, data, "bulletin")
