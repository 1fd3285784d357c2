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
``persons``         ``eight_point``  at least one of the person's problems is eight-point
                    ``sanctioned``   at least one Party or government sanction
                    ``form``         the four form of the heaviest outcome (1..4)

Counting rules (docs/domain.md §2):
* problems and inspections count records (起/个/次);
* persons count distinct people (``schema.person_identity``): each person once,
  even with several outcomes or several records in the period;
* the sanctioned are a subset of the handled: same period, same people, plus
  ``sanctioned``.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "count"
DISTINCT_PERSONS = "distinct_persons"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    label_en: str
    subject: str
    date_field: str
    measure: str
    domain: tuple[tuple[str, str, object], ...] = ()
    unit: str = "个"


FIGURES: tuple[Figure, ...] = (
    Figure(
        "inspections",
        "开展正风肃纪监督检查",
        "Supervision inspections",
        "inspections",
        "date",
        COUNT,
        unit="次",
    ),
    Figure("problems", "发现问题", "Problems found", "problems", "discovery_date", COUNT),
    Figure(
        "persons_handled",
        "处理人员",
        "Persons handled",
        "persons",
        "decision_date",
        DISTINCT_PERSONS,
        unit="人",
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
    ),
    Figure(
        "exposed_poor_handled",
        "公开曝光问题整改评价为“差”和“较差”并严肃处理通报",
        "Exposed problems graded poor and handled",
        "rectifications",
        "evaluation_date",
        COUNT,
        (("exposed", "=", True), ("poor", "=", True), ("handled", "=", True)),
    ),
)

#: In Odoo only registered records count: drafts are work in progress and cancelled
#: inspections did not take place.  (A register file holds registered records only,
#: and the importer stores them registered.)  An Odoo domain per subject.
COUNTED_IN_ODOO: dict[str, tuple[tuple[str, str, object], ...]] = {
    "inspections": (("state", "in", ("in_progress", "done")),),
    "problems": (("state", "=", "confirmed"),),
    "rectifications": (("problem_id.state", "=", "confirmed"),),
    "persons": (("state", "=", "confirmed"),),
}

FIGURES_BY_KEY: dict[str, Figure] = {figure.key: figure for figure in FIGURES}
