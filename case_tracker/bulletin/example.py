"""A complete hand-made :class:`BulletinData` for the renderer's tests and benchmark.

It has the shape of a real half-year city bulletin (the headline figures are the
H1 2018 reference example of docs/domain.md §2), so layout, page breaks and render
time are exercised on a realistic document.  It is NOT what ``case-tracker
bulletin`` prints: the command builds its data from the registers.  Labels of
categories, ranks, forms and grades come from the domain core.
"""

from __future__ import annotations

from datetime import date

from case_tracker.bulletin.data import (
    BulletinData,
    CountRow,
    CountTable,
    FormShare,
    GradeCount,
    Rectification,
    TrendPoint,
    TypicalCase,
    case_title,
)
from case_tracker.domain import load
from case_tracker.figures import FIGURES_BY_KEY
from case_tracker.stats.bulletin import headline_figure

HEADLINE = {  # key: (value, previous, same period last year, year to date)
    "inspections": (3164, 2871, 2650, 3164),
    "problems": (1735, 1690, 1520, 1735),
    "persons_handled": (1261, 1230, 1104, 1261),
    "eight_point_problems": (57, 61, 72, 57),
    "eight_point_persons": (77, 80, 95, 77),
    "eight_point_sanctioned": (34, 36, 41, 34),
    "exposed_poor_handled": (15, 12, 9, 15),
}

# per leaf category of the 2013 "8+5" list and of the local list: problems, persons, sanctioned
EIGHT_POINT = {
    "problems": [18, 2, 0, 9, 1, 6, 12, 3, 0, 0, 2, 1, 0, 0, 3],
    "persons": [25, 3, 0, 12, 1, 9, 16, 4, 0, 0, 3, 1, 0, 0, 3],
    "sanctioned": [11, 1, 0, 6, 1, 4, 7, 2, 0, 0, 1, 0, 0, 0, 1],
}
LOCAL = {
    "problems": [612, 544, 301, 96, 125],
    "persons": [402, 398, 221, 88, 75],
    "sanctioned": [40, 35, 22, 19, 8],
}
UNITS = (
    "海曙区",
    "江北区",
    "镇海区",
    "北仑区",
    "鄞州区",
    "奉化区",
    "余姚市",
    "慈溪市",
    "宁海县",
    "象山县",
)
UNIT_WEIGHTS = (11, 8, 7, 10, 14, 7, 10, 11, 8, 7, 7)  # the last: 市直单位
FORMS = (1012, 190, 41, 18)
GRADES = {"good": 180, "fairly_good": 140, "average": 85, "fairly_poor": 11, "poor": 4}
MONTHS = [f"2017-{m:02d}" for m in range(7, 13)] + [f"2018-{m:02d}" for m in range(1, 7)]
TREND_PROBLEMS = (260, 240, 270, 290, 300, 330, 250, 180, 310, 320, 335, 340)
TREND_PERSONS = (190, 170, 200, 210, 220, 240, 180, 130, 225, 235, 240, 251)


def split(total: int, weights: tuple[int, ...] | list[int]) -> list[int]:
    """Largest-remainder split of ``total`` by ``weights`` (parts add up exactly)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _category_table() -> CountTable:
    domain = load()
    rows: list[CountRow] = []
    totals = [0, 0, 0]
    for top, counts in (("e8", EIGHT_POINT), ("loc", LOCAL)):
        group = domain.category(top)
        leaves = domain.children(top)
        sums = [sum(counts[k]) for k in ("problems", "persons", "sanctioned")]
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
        rows.append(CountRow(group.label, *sums, level="group", code=group.code))
        for i, leaf in enumerate(leaves):
            rows.append(
                CountRow(
                    leaf.label,
                    counts["problems"][i],
                    counts["persons"][i],
                    counts["sanctioned"][i],
                    code=leaf.code,
                    indent=1,
                )
            )
    rows.append(CountRow("合计", *totals, level="total"))
    return CountTable(
        "2018年上半年问题分类统计表",
        "问题类型",
        rows,
        note="违反中央八项规定精神问题按2013年9月至2019年11月的“8+5”分类统计；"
        "问题按发现日期、人员按处理决定日期计入本期，每人只计一次。",
    )


def _unit_table() -> CountTable:
    names = (*UNITS, "市直单位")
    columns = {
        key: split(HEADLINE[key][0], UNIT_WEIGHTS)
        for key in ("inspections", "problems", "persons_handled")
    }
    sanctioned = split(158, UNIT_WEIGHTS)
    rows = [
        CountRow(
            name,
            columns["problems"][i],
            columns["persons_handled"][i],
            sanctioned[i],
            inspections=columns["inspections"][i],
        )
        for i, name in enumerate(names)
    ]
    rows.append(
        CountRow(
            "合计",
            HEADLINE["problems"][0],
            HEADLINE["persons_handled"][0],
            158,
            level="total",
            inspections=HEADLINE["inspections"][0],
        )
    )
    return CountTable("分单位统计表", "单位", rows)


def _rank_table() -> CountTable:
    domain = load()
    ccdi = [r for r in domain.ranks if r.report_as is None]
    persons = [0, 3, 58, 1200]
    problems = [0, 3, 51, 1681]
    sanctioned = [0, 2, 21, 135]
    rows = [
        CountRow(r.name, problems[i], persons[i], sanctioned[i], code=r.code)
        for i, r in enumerate(ccdi)
    ]
    rows.append(CountRow("合计", sum(problems), sum(persons), sum(sanctioned), level="total"))
    return CountTable("分级别统计表", "级别", rows)


def example() -> BulletinData:
    domain = load()
    total_persons = sum(FORMS)
    grades = [
        GradeCount(g.code, g.name, GRADES[g.code], g.poor)
        for g in domain.grades
        if g.code in GRADES
    ]
    evaluated = sum(GRADES.values())
    return BulletinData(
        issuing_body="中共宁波市纪委 宁波市监委",
        number="甬纪通〔2018〕12号",
        date=date(2018, 7, 16),
        title="关于2018年上半年全市正风肃纪监督检查情况的通报",
        period_label="2018年上半年",
        scope_label="全市",
        headline=[headline_figure(FIGURES_BY_KEY[key], *HEADLINE[key]) for key in HEADLINE],
        previous_label="2017年下半年",
        last_year_label="2017年上半年",
        categories=_category_table(),
        by_unit=_unit_table(),
        by_rank=_rank_table(),
        forms=[
            FormShare(f.number, f.name, n, round(100 * n / total_persons, 1))
            for f, n in zip(domain.forms, FORMS, strict=True)
        ],
        rectification=Rectification(
            grades=grades,
            total=evaluated,
            exposed=96,
            on_time=398,
            overdue=22,
            poor=sum(g.count for g in grades if g.poor),
            poor_handled=15,
            followups=[
                "对整改评价为“差”和“较差”的15个问题，均已进行严肃处理并在市纪委监委网站通报，"
                "对相关单位主要负责人进行约谈，并组织开展“回头看”，督促举一反三、建章立制。",
            ],
        ),
        trend=[
            TrendPoint(m, p, n)
            for m, p, n in zip(MONTHS, TREND_PROBLEMS, TREND_PERSONS, strict=True)
        ],
        cases=[
            TypicalCase(
                case_title("海曙区某街道", "城管科科长", "张某某", "违规公款吃喝"),
                "2018年1月至3月，张某某先后4次组织科室人员在辖区内酒店用公款聚餐，"
                "共计花费公款6820元，并以“工作餐”名义在单位报销。",
                "张某某受到党内警告处分，违规费用已全部清退。",
                ref="P-2018-0101",
            ),
            TypicalCase(
                case_title("镇海区某局", "原副局长", "李某某", "违规收受礼品礼金"),
                "2017年春节、中秋节期间，李某某先后收受管理服务对象所送购物卡、礼金共计12000元。",
                "李某某受到留党察看一年、撤职处分，并责令退赔违纪所得。",
                ref="P-2018-0217",
            ),
            TypicalCase(
                case_title("余姚市某镇", "党委委员", "王某", "违规操办婚丧喜庆"),
                "2018年4月，王某为其子操办婚宴，邀请管理服务对象参加，共计宴请42桌，"
                "收受礼金3.6万元。",
                "王某受到党内严重警告处分，所收礼金已全部退还。",
                ref="P-2018-0355",
            ),
            TypicalCase(
                case_title("象山县某村", "党支部书记", "陈某某", "不作为、慢作为"),
                "2018年2月至5月，陈某某对群众反映强烈的村道塌陷问题推诿拖延，"
                "经多次督办仍未整改，被电视问政节目公开曝光。",
                "陈某某受到党内警告处分，该村整改评价为“差”，已组织开展“回头看”。",
                ref="P-2018-0412",
            ),
        ],
        requirements=[
            "一是持续保持高压态势。各级纪检监察机关要紧盯重要节点，综合运用明察暗访、"
            "交叉互查、“四不两直”等方式，对顶风违纪问题坚决从严查处、点名道姓通报曝光。",
            "二是压实整改责任。对公开曝光问题要建立问题清单、任务清单、责任清单，"
            "做到“整改一个、销号一个、巩固一个”，对整改不力、评价为“差”和“较差”的严肃问责。",
            "三是深化运用“四种形态”。坚持惩前毖后、治病救人，把监督执纪第一种形态挺在前面，"
            "抓早抓小、防微杜渐。",
        ],
        recipients="各区县（市）纪委监委，市纪委监委各派驻（出）机构",
        issuing_office="中共宁波市纪委办公室",
        source_note="示例数据，仅用于版式与性能测试。",
    )
