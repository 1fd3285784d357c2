"""The statistics contract: what every source returns and every consumer reads.

Both back ends (pandas on a register, SQL inside Odoo) fill these dataclasses
through ``case_tracker.stats.assemble``; the bulletin PDF, the workbook, the
CLI's ``--json`` and the bulletin record in Odoo read them.  Serialised, they
are the frozen JSON of a bulletin and the answer of ``di.statistics`` over RPC,
with a version number: a reader refuses a newer contract rather than misread it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from case_tracker.stats.period import Period
from case_tracker.typed import dump, load

#: Version 2: typed (version 1 was an unversioned dict); units and trend carry their
#: figures under ``figures``; the period says the day its as-of figures were taken on.
#: Version 3: the rectification summary counts returns, extensions and 整改不实, and
#: the breakdowns carry them per unit (``rectification_units``).
CONTRACT_VERSION = 3


@dataclass(frozen=True)
class PeriodInfo:
    label: str  # 2018-H1, as parsed
    title: str  # 2018年上半年
    kind: str  # month | quarter | half | year | range
    start: date
    end: date
    as_of: date  # overdue and other states are taken on this day: min(end, today)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, self.label, self.kind)

    @property
    def ended(self) -> bool:
        """Whether the period was over when its figures were taken (截至 otherwise)."""
        return self.as_of >= self.end


@dataclass(frozen=True)
class Scope:
    code: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class CategoryRow:
    code: str
    label: str
    level: str  # group | leaf
    list: str
    eight_point: bool
    problems: int
    persons: int
    sanctioned: int


@dataclass(frozen=True)
class UnitRow:
    code: str
    label: str
    figures: dict[str, int]


@dataclass(frozen=True)
class RankRow:
    code: str
    label: str
    persons: int
    sanctioned: int


@dataclass(frozen=True)
class FormRow:
    form: int
    label: str
    persons: int
    share: float  # percent of the persons handled, one decimal


@dataclass(frozen=True)
class OutcomeRow:
    kind: str
    label: str
    persons: int


@dataclass(frozen=True)
class GradeRow:
    code: str
    label: str
    poor: bool
    count: int


@dataclass(frozen=True)
class RectificationSummary:
    grades: list[GradeRow]
    evaluated: int
    exposed: int
    finished: int
    finished_on_time: int
    overdue: int  # as of the period's as-of day
    poor: int
    poor_exposed: int
    poor_handled: int
    followups: dict[str, int]  # follow-up name -> poor-graded rectifications
    returns: int  # 退回重改: returns of the rectifications finished in the period
    extended: int  # finished in the period after an approved extension
    false_rectification: int  # 整改不实: found false by a 回头看 in the period


@dataclass(frozen=True)
class Breakdowns:
    categories: list[CategoryRow]
    units: list[UnitRow]
    ranks: list[RankRow]
    forms: list[FormRow]
    outcomes: list[OutcomeRow]
    rectification: RectificationSummary
    #: Per unit below the scope: finished, finished_on_time, returns, extended,
    #: false_rectification (the figures of ``figures.BREAKDOWNS['rectification_units']``).
    rectification_units: list[UnitRow]


@dataclass(frozen=True)
class TrendPoint:
    month: str
    figures: dict[str, int]


@dataclass(frozen=True)
class CasePerson:
    name: str
    post: str
    unit: str
    outcomes: list[str]
    decision_date: date


@dataclass(frozen=True)
class CaseItem:
    ref: str
    unit: str
    category: str
    description: str
    discovery_date: date
    amount: float | None
    persons: list[CasePerson]


@dataclass(frozen=True)
class Statistics:
    """Everything a bulletin reports for one period and scope."""

    period: PeriodInfo
    scope: Scope
    figures: dict[str, int]
    comparisons: dict[str, dict[str, int]]  # previous | last_year | year_to_date
    breakdowns: Breakdowns
    trend: list[TrendPoint]
    typical_cases: list[CaseItem] = field(default_factory=list)
    version: int = CONTRACT_VERSION

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings), with the contract's version."""
        return dump(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statistics:
        """Read a serialised contract; ValueError naming the field on bad or newer input."""
        version = data.get("version") if isinstance(data, dict) else None
        if version != CONTRACT_VERSION:
            raise ValueError(
                f"statistics: contract version {version!r} (this version reads {CONTRACT_VERSION})"
            )
        return load(cls, data, "statistics")
