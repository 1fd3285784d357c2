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
from case_tracker.figures import FIGURES
from case_tracker.stats.period import parse_period

DEFAULT_ISSUER = "中共宁波市纪律检查委员会 宁波市监察委员会"
REQUIREMENTS = [
    "持续加大监督检查力度。各级纪检监察机关要紧盯重要节点，综合运用明察暗访、"
    "“四不两直”、交叉互查等方式，坚决防止“四风”问题反弹回潮。",
    "压紧压实整改责任。对发现的问题建立问题清单、任务清单、责任清单，"
    "做到整改一个、销号一个、巩固一个；对整改评价为“较差”“差”的问题严肃处理并通报，开展回头看。",
    "强化通报曝光警示作用。对典型问题点名道姓通报曝光，释放越往后执纪越严的强烈信号，"
    "推动以案促改、以案促治。",
]


def _title(stats: dict) -> str:
    scope = stats["scope"]["name"] or "全市"
    return f"关于{stats['period']['title']}{scope}正风肃纪监督检查情况的通报"


def build_bulletin_data(
    stats: dict,
    *,
    issuing_body: str = DEFAULT_ISSUER,
    number: str = "",
    issue_date: date | None = None,
    source_note: str = "",
) -> BulletinData:
    """A :class:`BulletinData` from the output of a source's ``statistics()``."""
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
        issuing_body=issuing_body,
        number=number,
        date=issue_date or period.end,
        title=_title(stats),
        period_label=stats["period"]["title"],
        scope_label=stats["scope"]["name"] or "全市",
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
        requirements=list(REQUIREMENTS),
        source_note=source_note,
    )
