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
from case_tracker.figures import FIGURES
from case_tracker.stats.period import parse_period


def build_bulletin_data(
    stats: dict,
    *,
    issuing_body: str | None = None,
    number: str = "",
    issue_date: date | None = None,
    source_note: str = "",
    template: BulletinTemplate | None = None,
) -> BulletinData:
    """A :class:`BulletinData` from the output of a source's ``statistics()``.

    The wording comes from ``template``; ``issuing_body`` overrides its masthead.
    """
    template = template or BulletinTemplate()
    period = parse_period(stats["period"]["label"])
    comparisons = stats["comparisons"]
    headline = [
        HeadlineFigure(
            key=figure.key,
            label=figure.label,
            unit=figure.unit,
            value=stats["figures"][figure.key],
            previous=comparisons["previous"][figure.key],
            last_year=comparisons["last_year"][figure.key],
            year_to_date=comparisons["year_to_date"][figure.key],
        )
        for figure in FIGURES
    ]
    breakdowns = stats["breakdowns"]
    category_rows = [
        CountRow(
            label=row["label"],
            problems=row["problems"],
            persons=row["persons"],
            sanctioned=row["sanctioned"],
            level="group" if row["level"] == "group" else "leaf",
            code=row["code"],
            indent=0 if row["level"] == "group" else 1,
        )
        for row in breakdowns["categories"]
    ]
    unit_rows = [
        CountRow(
            label=row["label"],
            problems=row["problems"],
            persons=row["persons_handled"],
            sanctioned=row["eight_point_sanctioned"],
            code=row["code"],
            inspections=row["inspections"],
        )
        for row in breakdowns["units"]
    ]
    figures = stats["figures"]
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
            label=row["label"],
            problems=None,
            persons=row["persons"],
            sanctioned=row["sanctioned"],
            code=row["code"],
        )
        for row in breakdowns["ranks"]
    ]
    rect = breakdowns["rectification"]
    rectification = Rectification(
        grades=[
            GradeCount(code=g["code"], name=g["label"], count=g["count"], poor=g["poor"])
            for g in rect["grades"]
        ],
        total=sum(g["count"] for g in rect["grades"]),
        exposed=rect["exposed"],
        on_time=rect["finished_on_time"],
        overdue=rect["overdue"],
        poor=rect["poor"],
        poor_handled=figures["exposed_poor_handled"],
        followups=[f"{name}{count}个" for name, count in rect["followups"].items() if count],
    )
    cases = []
    for case in stats["typical_cases"]:
        people = case["persons"]
        lead = people[0] if people else {"unit": case["unit"], "post": "", "name": ""}
        outcome = "；".join(f"{p['name']}受到{'、'.join(p['outcomes'])}处理" for p in people)
        cases.append(
            TypicalCase(
                title=case_title(lead["unit"], lead["post"], lead["name"], case["category"]),
                facts=case["description"],
                outcome=(outcome + "。") if outcome else "",
                ref=case["ref"],
            )
        )
    return BulletinData(
        issuing_body=issuing_body or template.issuing_body,
        issuing_office=template.issuing_office,
        number=number,
        date=issue_date or period.end,
        title=template.title_for(stats["period"]["title"], stats["scope"]["name"]),
        period_label=stats["period"]["title"],
        scope_label=stats["scope"]["name"] or template.whole_scope,
        headline=headline,
        previous_label=period.previous().title,
        last_year_label=period.last_year().title,
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
            FormShare(number=f["form"], name=f["label"], persons=f["persons"], percent=f["share"])
            for f in breakdowns["forms"]
        ],
        rectification=rectification,
        trend=[
            TrendPoint(month=p["month"], problems=p["problems"], persons=p["persons_handled"])
            for p in stats["trend"]
        ],
        cases=cases,
        requirements=list(template.requirements),
        source_note=source_note,
    )
