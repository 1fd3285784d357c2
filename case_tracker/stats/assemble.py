"""The statistics of a bulletin, assembled from counts: shared by both backends.

A backend only counts (:class:`Counter`): pandas on a register file, or SQL
and read_group inside Odoo.  Everything else — which rows the category table
has for the lists valid in the period, labels, shares, comparisons, the trend —
is decided here once, so the file and the live source cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from case_tracker.domain import load
from case_tracker.figures import BREAKDOWNS_BY_KEY, RECTIFICATION_FIGURES, Figure
from case_tracker.stats.contract import (
    Breakdowns,
    CaseItem,
    CasePerson,
    CategoryRow,
    FormRow,
    GradeRow,
    OutcomeRow,
    PeriodInfo,
    RankRow,
    RectificationSummary,
    Scope,
    Statistics,
    TrendPoint,
    UnitRow,
)
from case_tracker.stats.period import Period


class Counter(Protocol):
    """What a back end counts, for its scope: any declared figure, in total or per group.

    Both back ends implement the same small interface; every table of the bulletin
    is assembled here from the declarations of ``case_tracker.figures``.
    """

    def count(self, figure: Figure, start: date, end: date, as_of: date | None = None) -> int:
        """The records of ``figure`` dated in [start, end] (or taken as of ``as_of``)."""

    def count_by(
        self, figure: Figure, group: str, start: date, end: date, as_of: date | None = None
    ) -> dict:
        """The same per group of a declared grouping (``figures.GROUPINGS``)."""

    def figures_many(self, windows: list[tuple[date, date]]) -> list[dict[str, int]]:
        """The headline figures of several windows at once (comparisons and the trend)."""

    def child_units(self) -> list[tuple[str, str, str]]:
        """(code, name, kind) of the units one level below the scope (the unit table's rows)."""

    def typical_cases(self, start: date, end: date) -> list[dict]: ...


def breakdown(counter: Counter, key: str, period: Period, as_of: date | None = None) -> dict:
    """A declared breakdown: column name -> {group key: count}."""
    declared = BREAKDOWNS_BY_KEY[key]
    return {
        name: counter.count_by(figure, declared.group, period.start, period.end, as_of)
        for name, figure in declared.columns
    }


def category_rows(counter: Counter, period: Period) -> list[CategoryRow]:
    """The CCDI-style table for the category lists valid in the period, with group rows."""
    domain = load()
    columns = breakdown(counter, "categories", period)
    codes = set().union(*columns.values())
    counts = {code: tuple(columns[name].get(code, 0) for name in columns) for code in codes}
    rows = []
    for category_list in domain.lists_for_period(period.start, period.end):
        day = min(period.end, category_list.valid_to or date.max)
        for top in domain.top_categories(category_list.code):
            rows.append(_row(top, "group", counts))
            rows.extend(
                _row(leaf, "leaf", counts)
                for leaf in domain.children(top.code)
                if domain.category_valid_on(leaf.code, day) or leaf.code in counts
            )
    return rows


def _row(category, level: str, counts: dict) -> CategoryRow:
    problems, persons, sanctioned = counts.get(category.code, (0, 0, 0))
    return CategoryRow(
        code=category.code,
        label=category.name if level == "group" else category.label,
        level=level,
        list=category.list_code,
        eight_point=load().is_eight_point(category.code),
        problems=problems,
        persons=persons,
        sanctioned=sanctioned,
    )


def outcome_names(codes: Iterable[str]) -> list[str]:
    """A person's outcomes as a bulletin lists them: the heaviest first."""
    domain = load()
    outcomes = sorted((domain.outcome(code) for code in codes), key=lambda o: -o.severity)
    return [outcome.name for outcome in outcomes]


def rank_rows(counter: Counter, period: Period) -> list[RankRow]:
    columns = breakdown(counter, "ranks", period)
    return [
        RankRow(
            rank.code,
            rank.name,
            columns["persons"].get(rank.code, 0),
            columns["sanctioned"].get(rank.code, 0),
        )
        for rank in sorted(load().ranks, key=lambda r: r.sequence)
        if not rank.report_as
    ]


def form_rows(counter: Counter, period: Period) -> list[FormRow]:
    counts = breakdown(counter, "forms", period)["persons"]
    total = sum(counts.values())
    return [
        FormRow(
            form=form.number,
            label=form.name,
            persons=counts.get(form.number, 0),
            share=round(100 * counts.get(form.number, 0) / total, 1) if total else 0.0,
        )
        for form in load().forms
    ]


def outcome_rows(counter: Counter, period: Period) -> list[OutcomeRow]:
    domain = load()
    counts = breakdown(counter, "outcomes", period)["persons"]
    return [
        OutcomeRow(kind, domain.outcome_kind_name(kind, period.end), counts.get(kind, 0))
        for kind in domain.outcome_kinds
    ]


def rectification_summary(counter: Counter, period: Period, as_of: date) -> RectificationSummary:
    domain = load()
    by_grade = breakdown(counter, "grades", period)["count"]
    followups = breakdown(counter, "followups", period)["count"]
    totals = {
        figure.key: counter.count(figure, period.start, period.end, as_of)
        for figure in RECTIFICATION_FIGURES
    }
    scales = {domain.grade(code).scale for code, n in by_grade.items() if n}
    scale = scales.pop() if len(scales) == 1 else domain.settings.get("default_grade_scale")
    return RectificationSummary(
        grades=[
            GradeRow(g.code, g.name, g.poor, by_grade.get(g.code, 0))
            for g in sorted(domain.grades, key=lambda g: g.sequence)
            if g.scale == scale
        ],
        **totals,
        followups={f.name: followups.get(f.code, 0) for f in domain.followups},
    )


def unit_table(counter: Counter, period: Period, key: str = "units") -> list[UnitRow]:
    """One row per unit below the scope, in one order for every source: by kind, then code.

    (A register lists units in its own order, a database in the order they were
    created: neither is a rule.)  ``key``: the declared breakdown by unit to tabulate.
    """
    columns = breakdown(counter, key, period)
    return [
        UnitRow(code, name, {key: counts.get(code, 0) for key, counts in columns.items()})
        for code, name, _kind in sorted(counter.child_units(), key=_unit_order)
    ]


def _unit_order(unit: tuple[str, str, str]) -> tuple[int, str]:
    """Districts before the city's departments (the order of the domain's unit kinds), then
    by code."""
    kinds = [kind.code for kind in load().unit_kinds]
    code, _name, kind = unit
    return (kinds.index(kind) if kind in kinds else len(kinds), code)


def as_of(period: Period, today: date | None = None) -> date:
    """The day a period's state-dependent figures (overdue) are taken on.

    The end of the period, or today while the period has not ended: a bulletin
    of the current month says 截至 today.
    """
    return min(period.end, today or date.today())


def _case(case: dict) -> CaseItem:
    return CaseItem(
        ref=case["ref"],
        unit=case["unit"],
        category=case["category"],
        description=case["description"],
        discovery_date=date.fromisoformat(case["discovery_date"]),
        amount=case["amount"],
        persons=[
            CasePerson(
                name=p["name"],
                post=p["post"],
                unit=p["unit"],
                outcomes=list(p["outcomes"]),
                decision_date=date.fromisoformat(p["decision_date"]),
            )
            for p in case["persons"]
        ],
    )


def statistics(
    counter: Counter,
    period: Period,
    unit: str | None,
    unit_name: str | None,
    today: date | None = None,
) -> Statistics:
    """Everything a bulletin reports, as the typed statistics contract."""
    taken_on = as_of(period, today)
    windows = {
        "previous": period.previous(),
        "last_year": period.last_year(),
        "year_to_date": period.year_to_date(),
    }
    months = period.trailing_months(12)
    spans = [period, *windows.values(), *months]
    figures, *rest = counter.figures_many([(p.start, p.end) for p in spans])
    compared, trend = rest[: len(windows)], rest[len(windows) :]
    return Statistics(
        period=PeriodInfo(
            label=period.label,
            title=period.title,
            kind=period.kind,
            start=period.start,
            end=period.end,
            as_of=taken_on,
        ),
        scope=Scope(unit, unit_name),
        figures=figures,
        comparisons=dict(zip(windows, compared, strict=True)),
        breakdowns=Breakdowns(
            categories=category_rows(counter, period),
            units=unit_table(counter, period),
            ranks=rank_rows(counter, period),
            forms=form_rows(counter, period),
            outcomes=outcome_rows(counter, period),
            rectification=rectification_summary(counter, period, taken_on),
            rectification_units=unit_table(counter, period, "rectification_units"),
        ),
        trend=[
            TrendPoint(month.label, counts) for month, counts in zip(months, trend, strict=True)
        ],
        typical_cases=[_case(case) for case in counter.typical_cases(period.start, period.end)],
    )
