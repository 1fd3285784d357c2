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
    UnitRectification,
    case_title,
)
from case_tracker.bulletin.issuer import Issuer, fallback
from case_tracker.bulletin.template import BulletinTemplate
from case_tracker.bulletin.wording import date_range, persons_outcomes
from case_tracker.figures import FALSE_RECTIFICATION, FIGURES, Figure
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
    )


def build_bulletin_data(
    stats: Statistics,
    *,
    issuing_body: str | None = None,
    number: str = "",
    issue_date: date | None = None,
    source_note: str = "",
    template: BulletinTemplate | None = None,
    issuer: Issuer | None = None,
    verification_code: str = "",
) -> BulletinData:
    """A :class:`BulletinData` from a source's statistics (the typed contract).

    ``issuer`` is the commission of the scope (masthead, signature, office,
    主送机关 and the name of its whole area); a text set in ``template``
    overrides it, and ``issuing_body`` (the user's own entry) overrides both.
    The 成文日期 is the day of generation unless ``issue_date`` says otherwise.
    ``verification_code`` is the 核验码 of a bulletin record, printed in the 版记.
    """
    template = template or BulletinTemplate()
    period = stats.period.period
    commission = issuer or fallback()
    scope_code, scope_name = stats.scope.code, stats.scope.name
    whole = template.whole_scope or commission.whole_scope or "全市"
    scope_label = whole if scope_code in (None, commission.unit_code) else scope_name
    bodies = issuing_body or template.issuing_body or commission.name
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
        finished=rect.finished,
        returns=rect.returns,
        extended=rect.extended,
        false_rectification=rect.false_rectification,
        definition=FALSE_RECTIFICATION.definition,
        units=[
            UnitRectification(
                label=row.label,
                finished=row.figures["finished"],
                on_time=row.figures["finished_on_time"],
                returns=row.figures["returns"],
                extended=row.figures["extended"],
                false_rectification=row.figures["false_rectification"],
                code=row.code,
            )
            for row in breakdowns.rectification_units
        ]
        + [
            UnitRectification(
                label="合计",
                finished=rect.finished,
                on_time=rect.finished_on_time,
                returns=rect.returns,
                extended=rect.extended,
                false_rectification=rect.false_rectification,
                level="total",
            )
        ],
    )
    cases = []
    for case in stats.typical_cases:
        people = case.persons
        lead = people[0] if people else None
        outcome = persons_outcomes([(p.name, p.outcomes) for p in people])
        cases.append(
            TypicalCase(
                title=case_title(
                    lead.unit if lead else case.unit,
                    lead.post if lead else "",
                    lead.name if lead else "",
                    case.category,
                ),
                facts=case.description,
                outcome=outcome,
                ref=case.ref,
            )
        )
    title = template.title_for(period.title, scope_label)
    dates = date_range(period.start, period.end)
    return BulletinData(
        issuing_body=bodies,
        issuing_office=template.issuing_office or Issuer(bodies).office,
        number=number,
        date=issue_date or date.today(),
        title=title,
        period_label=period.title,
        scope_label=scope_label,
        headline=headline,
        previous_label=period.previous().title,
        last_year_label=period.last_year().title,
        as_of=stats.period.as_of if not stats.period.ended else None,
        categories=CountTable(
            title="问题分类统计表",
            header="问题类型",
            rows=category_rows,
            note="问题数按发现日期统计；处理人数、党纪政务处分人数按处理日期统计，每人只计一次。",
            sum_note="同一人员因不同类型问题受到处理的，在各类型中分别统计，在所属大类中只计一次，"
            "故各类型人数相加可能大于大类人数。",
        ),
        by_unit=CountTable(
            title="各地区各单位情况",
            header="单位",
            rows=unit_rows,
            headers=[
                "监督检查（次）",
                "发现问题（个）",
                "处理人员（人）",
                "八项规定精神问题党纪政务处分（人）",
            ],
            note="末列只统计因违反中央八项规定精神问题受到党纪政务处分的人数，"
            "问题分类统计表和按级别统计表中的党纪政务处分人数则包括全部问题，口径不同。",
            sum_note="一次监督检查涉及多个单位的，在各单位分别统计，合计中只计一次；"
            f"直接对{scope_name or commission.unit_name or '上级单位'}本级开展的监督检查"
            "和发现的问题只计入合计。",
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
        recipients=template.recipients or commission.recipients(),
        source_note=source_note,
        lead=template.lead_for(period.title, scope_label, dates),
        cc=template.cc,
        period_start=period.start,
        period_end=period.end,
        verification_code=verification_code,
    )
