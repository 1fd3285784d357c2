"""From statistics to a bulletin: the same structure whichever source computed the figures."""

from __future__ import annotations

from datetime import date

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
from case_tracker.bulletin.template import BulletinTemplate
from case_tracker.figures import FIGURES, Figure
from case_tracker.stats.contract import Statistics


def headline_figure(
    figure: Figure,
    value: int,
    previous: int | None = None,
    last_year: int | None = None,
    year_to_date: int | None = None,
) -> HeadlineFigure:
    """A figure as the bulletin prints it, worded by its one definition."""
    return HeadlineFigure(
        key=figure.key,
        label=figure.label,
        unit=figure.unit,
        value=value,
        previous=previous,
        last_year=last_year,
        year_to_date=year_to_date,
        phrase=figure.sentence(value),
        short_label=figure.table_label,
    )


def build_bulletin_data(
    stats: Statistics,
    *,
    issuing_body: str | None = None,
    number: str = "",
    issue_date: date | None = None,
    source_note: str = "",
    template: BulletinTemplate | None = None,
) -> BulletinData:
    """A :class:`BulletinData` from a source's statistics (the typed contract).

    The wording comes from ``template``; ``issuing_body`` overrides its masthead.
    """
    template = template or BulletinTemplate()
    period = stats.period.period
    comparisons = stats.comparisons
    figures = stats.figures
    headline = [
        headline_figure(
            figure,
            figures[figure.key],
            comparisons["previous"][figure.key],
            comparisons["last_year"][figure.key],
            comparisons["year_to_date"][figure.key],
        )
        for figure in FIGURES
    ]
    breakdowns = stats.breakdowns
    category_rows = [
        CountRow(
            label=row.label,
            problems=row.problems,
            persons=row.persons,
            sanctioned=row.sanctioned,
            level="group" if row.level == "group" else "leaf",
            code=row.code,
            indent=0 if row.level == "group" else 1,
        )
        for row in breakdowns.categories
    ]
    unit_rows = [
        CountRow(
            label=row.label,
            problems=row.figures["problems"],
            persons=row.figures["persons_handled"],
            sanctioned=row.figures["eight_point_sanctioned"],
            code=row.code,
            inspections=row.figures["inspections"],
        )
        for row in breakdowns.units
    ]
    unit_rows.append(
        CountRow(
            label="合计",
            problems=figures["problems"],
            persons=figures["persons_handled"],
            sanctioned=figures["eight_point_sanctioned"],
            level="total",
            inspections=figures["inspections"],
        )
    )
    rank_rows = [
        CountRow(
            label=row.label,
            problems=None,
            persons=row.persons,
            sanctioned=row.sanctioned,
            code=row.code,
        )
        for row in breakdowns.ranks
    ]
    rect = breakdowns.rectification
    rectification = Rectification(
        grades=[
            GradeCount(code=g.code, name=g.label, count=g.count, poor=g.poor) for g in rect.grades
        ],
        total=sum(g.count for g in rect.grades),
        exposed=rect.exposed,
        on_time=rect.finished_on_time,
        overdue=rect.overdue,
        poor=rect.poor,
        poor_handled=figures["exposed_poor_handled"],
        followups=[f"{name}{count}个" for name, count in rect.followups.items() if count],
    )
    cases = []
    for case in stats.typical_cases:
        people = case.persons
        lead = people[0] if people else None
        outcome = "；".join(f"{p.name}受到{'、'.join(p.outcomes)}处理" for p in people)
        cases.append(
            TypicalCase(
                title=case_title(
                    lead.unit if lead else case.unit,
                    lead.post if lead else "",
                    lead.name if lead else "",
                    case.category,
                ),
                facts=case.description,
                outcome=(outcome + "。") if outcome else "",
                ref=case.ref,
            )
        )
    return BulletinData(
        issuing_body=issuing_body or template.issuing_body,
        issuing_office=template.issuing_office,
        number=number,
        date=issue_date or period.end,
        title=template.title_for(period.title, stats.scope.name),
        period_label=period.title,
        scope_label=stats.scope.name or template.whole_scope,
        headline=headline,
        previous_label=period.previous().title,
        last_year_label=period.last_year().title,
        as_of=stats.period.as_of if not stats.period.ended else None,
        categories=CountTable(
            title="问题分类统计表",
            header="问题类型",
            rows=category_rows,
            note="问题数按发现日期统计；处理人数、党纪政务处分人数按处理日期统计，每人只计一次。",
        ),
        by_unit=CountTable(
            title="各地区各单位情况",
            header="单位",
            rows=unit_rows,
            note="“处分”列为违反中央八项规定精神问题中给予党纪政务处分人数。",
        ),
        by_rank=CountTable(title="按级别统计", header="级别", rows=rank_rows),
        forms=[
            FormShare(number=f.form, name=f.label, persons=f.persons, percent=f.share)
            for f in breakdowns.forms
        ],
        rectification=rectification,
        trend=[
            TrendPoint(
                month=p.month,
                problems=p.figures["problems"],
                persons=p.figures["persons_handled"],
            )
            for p in stats.trend
        ],
        cases=cases,
        requirements=list(template.requirements),
        source_note=source_note,
    )
