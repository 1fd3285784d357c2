"""Bulletin figures: one declarative definition, evaluated by two backends.

Each :class:`Figure` says what it counts (``subject``), which records
(``domain``, an Odoo-style domain over the logical fields below), which date
puts a record in a period (``date_field``) and how to count (``measure``).
The live backend turns it into server-side aggregation on Odoo; the file
backend into a pandas query; the same entry gives the drill-down action.

Logical fields (beyond the register columns of :mod:`case_tracker.schema`):

``problems``        ``eight_point``  the category belongs to a CCDI table list
``rectifications``  ``exposed``      its problem was publicly exposed
                    ``poor``         graded 较差/差 (domain core: grade.poor)
                    ``handled``      a follow-up decision is recorded
                    ``on_time``      finished by the original deadline (extensions
                                     do not move it: 按期完成)
                    ``false_rectification``  a 回头看 found it false (recurrence_count > 0)
``persons``         ``eight_point``  at least one of the person's problems is eight-point
                    ``sanctioned``   at least one Party or government sanction
                    ``form``         the four form of the heaviest outcome (1..4)

Counting rules (docs/domain.md §2):
* problems and inspections count records (起/个/次);
* persons count distinct people (``schema.person_identity``): each person once,
  even with several outcomes or several records in the period;
* the sanctioned are a subset of the handled: same period, same people, plus
  ``sanctioned``;
* a ``SUM`` figure adds up a count field of its records (退回重改次数: the returns of
  the rectifications finished in the period), each record once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from case_tracker.domain import load
from case_tracker.domain.predicate import as_one_term

COUNT = "count"
DISTINCT_PERSONS = "distinct_persons"
#: The total of a numeric field (``Figure.field``) over the records, each record once.
SUM = "sum"
MEASURES = (COUNT, DISTINCT_PERSONS, SUM)


@dataclass(frozen=True)
class Figure:
    """One figure: what it counts, which records, dated by what, and how it is worded.

    ``date_field`` puts a record in a period; a figure without one is taken *as
    of* a day instead (overdue: the state on that day).  ``phrase`` is the
    figure in the bulletin's opening paragraph (``{v}`` the value, ``{u}`` the
    unit), ``short_label`` its row in the comparison table.
    """

    key: str
    label: str
    label_en: str
    subject: str
    date_field: str
    measure: str
    domain: tuple[tuple[str, str, object], ...] = ()
    unit: str = "个"
    phrase: str = ""
    short_label: str = ""
    #: The phrase when the figure opens its clause (the one before it was 0 and left out).
    standalone: str = ""
    #: The figure as the subject of a comparison: 监督检查次数上升18.3%.
    compared_as: str = ""
    #: The field a ``SUM`` figure adds up (a logical field of its subject).
    field: str = ""
    #: The written definition (口径) printed with the figure where it is new to readers.
    definition: str = ""

    @property
    def table_label(self) -> str:
        return self.short_label or f"{self.label}（{self.unit}）"


FIGURES: tuple[Figure, ...] = (
    Figure(
        "inspections",
        "开展正风肃纪监督检查",
        "Supervision inspections",
        "inspections",
        "date",
        COUNT,
        unit="次",
        phrase="开展正风肃纪监督检查{v}{u}",
        short_label="监督检查（次）",
        compared_as="监督检查次数",
    ),
    Figure(
        "problems",
        "发现问题",
        "Problems found",
        "problems",
        "discovery_date",
        COUNT,
        phrase="发现问题{v}{u}",
        short_label="发现问题（个）",
        compared_as="发现问题数",
    ),
    Figure(
        "persons_handled",
        "处理人员",
        "Persons handled",
        "persons",
        "decision_date",
        DISTINCT_PERSONS,
        unit="人",
        phrase="处理人员{v}{u}",
        short_label="处理人员（人）",
        compared_as="处理人数",
    ),
    Figure(
        "eight_point_problems",
        "查处违反中央八项规定精神问题",
        "Eight-point problems",
        "problems",
        "discovery_date",
        COUNT,
        (("eight_point", "=", True),),
        unit="起",
        phrase="查处违反中央八项规定精神问题{v}{u}",
        short_label="八项规定精神问题（起）",
    ),
    Figure(
        "eight_point_persons",
        "违反中央八项规定精神处理人数",
        "Persons handled for Eight-point problems",
        "persons",
        "decision_date",
        DISTINCT_PERSONS,
        (("eight_point", "=", True),),
        unit="人",
        phrase="处理{v}{u}",
        short_label="八项规定精神问题处理（人）",
        standalone="因违反中央八项规定精神问题处理{v}{u}",
    ),
    Figure(
        "eight_point_sanctioned",
        "其中党纪政务处分",
        "of whom given Party or government sanctions",
        "persons",
        "decision_date",
        DISTINCT_PERSONS,
        (("eight_point", "=", True), ("sanctioned", "=", True)),
        unit="人",
        phrase="其中党纪政务处分{v}{u}",
        short_label="其中党纪政务处分（人）",
        standalone="因违反中央八项规定精神问题给予党纪政务处分{v}{u}",
    ),
    Figure(
        "exposed_poor_handled",
        "公开曝光问题整改评价为“差”和“较差”并严肃处理通报",
        "Exposed problems graded poor and handled",
        "rectifications",
        "evaluation_date",
        COUNT,
        (("exposed", "=", True), ("poor", "=", True), ("handled", "=", True)),
        phrase="对公开曝光问题整改评价为“差”和“较差”的{v}{u}问题进行严肃处理并通报",
        short_label="曝光问题整改差评并处理（个）",
    ),
)

FIGURES_BY_KEY: dict[str, Figure] = {figure.key: figure for figure in FIGURES}
#: The clauses of the bulletin's opening paragraph: figures joined by "，" within a clause.
HEADLINE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("inspections", "problems", "persons_handled"),
    ("eight_point_problems", "eight_point_persons", "eight_point_sanctioned"),
    ("exposed_poor_handled",),
)

#: The bulletin's 逾期未完成整改: taken as of a day (the period's end, or today while the
#: period runs), by the domain core's one definition of overdue.
OVERDUE = Figure(
    "overdue",
    "逾期未完成整改",
    "Rectifications overdue",
    "rectifications",
    "",
    COUNT,
    (("overdue", "=", True),),
)
#: 党纪政务处分人数: the sanctioned among the persons handled (the 其中 column of the tables).
SANCTIONED = Figure(
    "sanctioned",
    "党纪政务处分",
    "Given Party or government sanctions",
    "persons",
    "decision_date",
    DISTINCT_PERSONS,
    (("sanctioned", "=", True),),
    unit="人",
)


# ---------------------------------------------------------------- breakdowns
#: Figures of the bulletin's rectification section (整改评价情况), by key.
def _rectifications(key, label, label_en, date_field, domain=(), **more) -> Figure:
    return Figure(key, label, label_en, "rectifications", date_field, COUNT, domain, **more)


POOR_GRADES = _rectifications(
    "poor", "整改评价为“较差”“差”", "Graded poor", "evaluation_date", (("poor", "=", True),)
)
FINISHED = _rectifications("finished", "本期完成整改", "Finished", "finish_date")
FINISHED_ON_TIME = _rectifications(
    "finished_on_time",
    "其中按期完成",
    "Finished by the deadline",
    "finish_date",
    (("on_time", "=", True),),
)
#: 退回重改: the returns of the rectifications finished in the period (a rectification
#: returned twice counts twice); its drill-down lists those returned at least once.
RETURNS = Figure(
    "returns",
    "退回重改",
    "Returns for rework",
    "rectifications",
    "finish_date",
    SUM,
    (("return_count", ">", 0),),
    unit="次",
    field="return_count",
    short_label="退回重改（次）",
)
EXTENDED = _rectifications(
    "extended",
    "其中经批准延期",
    "Finished after an approved extension",
    "finish_date",
    (("extension_count", ">", 0),),
    short_label="经批准延期（个）",
)
#: 整改不实: counted by the day a 回头看 found it, not by its (cleared) finish.
FALSE_RECTIFICATION = _rectifications(
    "false_rectification",
    "整改不实",
    "False rectifications",
    "recurrence_date",
    (("false_rectification", "=", True),),
    short_label="整改不实（个）",
    definition="整改不实：“回头看”复查发现问题反弹回潮或整改虚假的整改事项，"
    "按复查认定日期计入当期；认定后重新整改，原完成日期和评价不再计入。",
)
RECTIFICATION_FIGURES: tuple[Figure, ...] = (
    _rectifications("evaluated", "本期评价", "Evaluated", "evaluation_date"),
    _rectifications(
        "exposed",
        "其中公开曝光问题",
        "Evaluated, exposed",
        "evaluation_date",
        (("exposed", "=", True),),
    ),
    FINISHED,
    FINISHED_ON_TIME,
    OVERDUE,
    POOR_GRADES,
    _rectifications(
        "poor_exposed",
        "评价为较差、差的公开曝光问题",
        "Graded poor, exposed",
        "evaluation_date",
        (("poor", "=", True), ("exposed", "=", True)),
    ),
    _rectifications(
        "poor_handled",
        "评价为较差、差并已作出后续处理",
        "Graded poor, followed up",
        "evaluation_date",
        (("poor", "=", True), ("handled", "=", True)),
    ),
    RETURNS,
    EXTENDED,
    FALSE_RECTIFICATION,
)
RECTIFICATION_BY_KEY: dict[str, Figure] = {f.key: f for f in RECTIFICATION_FIGURES}

# What a breakdown groups its records by; each back end knows how to group by each:
BY_CATEGORY = "category"  # problems: category and its group; persons: their problems' categories
BY_UNIT = "unit"  # the unit one level below the scope that holds the record
BY_RANK = "rank"  # persons: the CCDI reporting rank
BY_FORM = "form"  # persons: each person once, at the heaviest form of the window
BY_OUTCOME_KIND = "outcome_kind"  # persons: the kinds of their outcomes
BY_GRADE = "grade"  # rectifications: the grade
BY_FOLLOWUP = "followup"  # rectifications: each follow-up decision recorded
GROUPINGS = (BY_CATEGORY, BY_UNIT, BY_RANK, BY_FORM, BY_OUTCOME_KIND, BY_GRADE, BY_FOLLOWUP)


@dataclass(frozen=True)
class Breakdown:
    """A table of the bulletin: ``columns`` (name, figure) counted per group of ``group``."""

    key: str
    group: str
    columns: tuple[tuple[str, Figure], ...]


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "categories",
        BY_CATEGORY,
        (
            ("problems", FIGURES_BY_KEY["problems"]),
            ("persons", FIGURES_BY_KEY["persons_handled"]),
            ("sanctioned", SANCTIONED),
        ),
    ),
    Breakdown("units", BY_UNIT, tuple((figure.key, figure) for figure in FIGURES)),
    Breakdown(
        "ranks",
        BY_RANK,
        (("persons", FIGURES_BY_KEY["persons_handled"]), ("sanctioned", SANCTIONED)),
    ),
    Breakdown("forms", BY_FORM, (("persons", FIGURES_BY_KEY["persons_handled"]),)),
    Breakdown("outcomes", BY_OUTCOME_KIND, (("persons", FIGURES_BY_KEY["persons_handled"]),)),
    Breakdown("grades", BY_GRADE, (("count", RECTIFICATION_BY_KEY["evaluated"]),)),
    Breakdown("followups", BY_FOLLOWUP, (("count", POOR_GRADES),)),
    #: 各单位整改情况: timeliness, returns, extensions and 整改不实 per unit.
    Breakdown(
        "rectification_units",
        BY_UNIT,
        tuple(
            (figure.key, figure)
            for figure in (FINISHED, FINISHED_ON_TIME, RETURNS, EXTENDED, FALSE_RECTIFICATION)
        ),
    ),
)
BREAKDOWNS_BY_KEY: dict[str, Breakdown] = {b.key: b for b in BREAKDOWNS}

#: Every figure a drill-down may name: the headline figures and the rectification section's.
DRILLABLE: dict[str, Figure] = {**FIGURES_BY_KEY, **RECTIFICATION_BY_KEY}


def rate(part: int, whole: int) -> float | None:
    """A rate in percent with one decimal (按期完成率), None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def as_of_terms(as_of: date) -> dict[tuple, list]:
    """Logical terms that depend on the day they are taken on, spelled out for ``as_of``.

    Each is defined by the rectification states' flags in the domain core, never
    by state codes.
    """
    domain = load()
    soon = as_of + timedelta(days=int(domain.settings["warning_yellow_days"]))
    return {
        ("overdue", "=", True): domain.overdue_domain(as_of),
        ("due_soon", "=", True): [
            ("state", "in", domain.states_where(open=True)),
            ("deadline", ">=", as_of),
            ("deadline", "<=", soon),
        ],
        ("awaiting_acceptance", "=", True): [
            ("state", "in", domain.states_where(finished=True, open=False, closed=False))
        ],
        ("rectification_closed", "=", False): [
            ("rectification_state", "not in", domain.states_where(closed=True))
        ],
    }


def expand(domain, as_of: date) -> list:
    """A figure's domain with its as-of terms (overdue, due soon...) spelled out for ``as_of``."""
    terms = as_of_terms(as_of)
    expanded: list = []
    for item in domain:
        expanded += as_one_term(terms[item]) if item in terms else [item]
    return expanded


@dataclass(frozen=True)
class Tile:
    """A dashboard tile: a figure counted over a window that ends today.

    ``window``: ``month`` (the 1st of this month to today), ``year`` (1 January
    to today) or ``today`` (as of today, for figures without a date).  Tiles of
    bulletin figures count exactly what the bulletin counts; work-queue tiles
    (``work=True``) count records by their state now, which no bulletin reports,
    and their labels say so.
    """

    key: str
    figure: Figure
    window: str
    label: str
    label_en: str
    work: bool = False


#: Work queues: rectifications and problems by their state today (not bulletin figures).
def _state_figure(key, label, label_en, subject, flags_domain, date_field="") -> Figure:
    return Figure(key, label, label_en, subject, date_field, COUNT, flags_domain)


TILES: tuple[Tile, ...] = (
    Tile("overdue_count", OVERDUE, "today", "逾期未完成整改", "Rectifications overdue"),
    Tile(
        "due_soon_count",
        _state_figure(
            "due_soon",
            "10日内到期的整改",
            "Rectifications due within 10 days",
            "rectifications",
            (("due_soon", "=", True),),
        ),
        "today",
        "10日内到期（工作提醒）",
        "Due within 10 days (work queue)",
        work=True,
    ),
    Tile(
        "to_accept_count",
        _state_figure(
            "awaiting_acceptance",
            "待验收的整改",
            "Rectifications awaiting acceptance",
            "rectifications",
            (("awaiting_acceptance", "=", True),),
        ),
        "today",
        "待验收（工作提醒）",
        "Awaiting acceptance (work queue)",
        work=True,
    ),
    Tile(
        "open_count",
        _state_figure(
            "not_closed",
            "未销号问题",
            "Problems not closed",
            "problems",
            (("rectification_closed", "=", False),),
        ),
        "today",
        "未销号问题（工作提醒）",
        "Problems not closed (work queue)",
        work=True,
    ),
    Tile("poor_count", POOR_GRADES, "year", "本年整改评价较差、差", "Poor grades this year"),
    Tile("month_inspection_count", FIGURES[0], "month", "本月监督检查", "Inspections this month"),
    Tile("month_problem_count", FIGURES[1], "month", "本月发现问题", "Problems this month"),
    Tile(
        "month_eight_point_count",
        FIGURES[3],
        "month",
        "本月八项规定精神问题",
        "Eight-point problems this month",
    ),
    Tile("month_person_count", FIGURES[2], "month", "本月处理人员", "Persons handled this month"),
    Tile(
        "month_sanctioned_count",
        SANCTIONED,
        "month",
        "本月党纪政务处分",
        "Sanctioned this month",
    ),
    Tile("year_finished_count", FINISHED, "year", "本年完成整改", "Finished this year"),
    Tile(
        "year_on_time_count",
        FINISHED_ON_TIME,
        "year",
        "本年按期完成整改",
        "Finished by the original deadline this year",
    ),
    Tile("year_return_count", RETURNS, "year", "本年退回重改（次）", "Returns this year"),
    Tile(
        "year_extended_count",
        EXTENDED,
        "year",
        "本年经批准延期后完成",
        "Finished after an extension this year",
    ),
    Tile(
        "year_false_rectification_count",
        FALSE_RECTIFICATION,
        "year",
        "本年整改不实",
        "False rectifications this year",
    ),
)
TILES_BY_KEY: dict[str, Tile] = {tile.key: tile for tile in TILES}


#: In Odoo only registered records count: drafts are work in progress and cancelled
#: inspections did not take place.  (A register file holds registered records only,
#: and the importer stores them registered.)  An Odoo domain per subject.
COUNTED_IN_ODOO: dict[str, tuple[tuple[str, str, object], ...]] = {
    "inspections": (("state", "not in", ("draft", "cancelled")),),
    "problems": (("state", "=", "confirmed"),),
    # the problem's state, as the rectification stores it (``problem_state``)
    "rectifications": (("problem_state", "=", "confirmed"),),
    "persons": (("state", "=", "confirmed"),),
}
