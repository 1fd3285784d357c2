"""The sample's texts: posts that fit their units, facts that read like a register's.

Written after every record and number is drawn, with a random generator of
their own, so changing a text never moves a figure (tests/test_sample_narratives.py
holds the figures to that).  All names, places and facts are invented.
"""

from __future__ import annotations

import random
from datetime import date

#: Posts by the kind of unit and the person's rank (rank codes of the domain core).
POSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "city_bureau": {
        "prefectural": ("副局长", "党委委员、副局长"),
        "county": ("处长", "副处长", "办公室主任"),
        "township": ("一级主任科员", "四级主任科员", "科长"),
        "general_cadre": ("科员", "工作人员"),
    },
    "subdistrict": {
        "prefectural": ("党工委书记",),
        "county": ("党工委书记", "办事处主任", "党工委副书记"),
        "township": ("办事处副主任", "党工委委员", "武装部部长", "综合行政执法中队中队长"),
        "general_cadre": ("科员", "便民服务中心工作人员", "综合行政执法队员"),
        "other_personnel": ("社区党委书记", "社区居委会主任", "村党支部书记", "村委会主任"),
    },
    "district_bureau": {
        "prefectural": ("局长",),
        "county": ("局长", "党委书记"),
        "township": ("副局长", "办公室主任", "科长"),
        "general_cadre": ("科员", "工作人员"),
    },
}
#: Posts of 其他人员 (schools, hospitals, enterprises) by the bureau they belong to.
OTHER_POSTS: dict[str, tuple[str, ...]] = {
    "教育局": ("中心学校校长", "中学副校长", "小学总务主任"),
    "卫生健康委员会": ("市属医院科室主任", "市属医院后勤处处长"),
    "交通运输局": ("交通运输执法支队队员", "局属事业单位工作人员"),
    "国资委": ("市属国有企业部门经理", "市属国有企业副总经理"),
    "住房和城乡建设局": ("局属国有公司经理", "城建档案馆工作人员"),
    "市场监督管理局": ("市场监管所协管员", "食品检测站工作人员"),
}
#: Bureaus headed by a 主任 rather than a 局长.
COMMITTEES = ("委员会", "国资委")


def unit_type(code: str, name: str) -> str:
    if code.count("-") == 1:
        return "city_bureau"
    return "subdistrict" if name.endswith(("街道", "镇", "乡")) else "district_bureau"


def post_for(code: str, name: str, rank: str, rng: random.Random) -> str:
    """A post that exists in this unit at this rank."""
    kind = unit_type(code, name)
    if rank == "other_personnel" and kind != "subdistrict":
        bureau = next((k for k in OTHER_POSTS if name.endswith(k)), "")
        return rng.choice(OTHER_POSTS.get(bureau, ("下属单位工作人员",)))
    post = rng.choice(POSTS[kind].get(rank) or POSTS[kind]["general_cadre"])
    if name.endswith(COMMITTEES):
        post = post.replace("局长", "主任")
    return post


#: Facts of an Eight-point problem with a named person (typical cases): {when} {who} {amount}.
NAMED_FACTS: dict[str, tuple[str, ...]] = {
    "e8_dining": (
        "{when}，{who}以工作接待名义在辖区酒店安排公款宴请，违规使用公款{amount}元。",
        "{when}，{who}在单位食堂违规安排公款吃喝并饮酒，涉及费用{amount}元。",
    ),
    "e8_gifts": (
        "{when}，{who}收受管理服务对象所送购物卡、礼品，折合人民币{amount}元。",
        "{when}，{who}收受辖区企业负责人所送礼金{amount}元。",
    ),
    "e8_vehicles": (
        "{when}，{who}多次驾驶公务用车办理私事，被暗访组发现并拍摄。",
        "{when}，{who}在双休日驾驶公务用车前往外地探亲，被暗访组查实。",
    ),
    "e8_allowances": ("{when}，{who}违规以加班补助名义发放津补贴{amount}元。",),
    "e8_reception": ("{when}，{who}在公务接待中超标准安排用餐和住宿，超支{amount}元。",),
    "e8_travel_domestic": ("{when}，{who}借考察学习之机组织公款旅游，费用{amount}元。",),
    "e8_travel_abroad": ("{when}，{who}以出国培训名义安排公款出境旅游，费用{amount}元。",),
    "e8_weddings": ("{when}，{who}违规操办子女婚宴，收受管理服务对象礼金{amount}元。",),
    "e8_entertainment": ("{when}，{who}接受管理服务对象安排的高消费娱乐活动，费用{amount}元。",),
    "e8_festival_gifts": ("{when}，{who}在节日期间违规收受下属单位所送节礼，价值{amount}元。",),
    "e8_clubs": ("{when}，{who}多次出入辖区一私人会所接受宴请，费用{amount}元。",),
    "e8_housing": ("{when}，{who}违规多占周转住房一套，应退缴租金{amount}元。",),
    "e8_buildings": ("{when}，{who}违规批准装修办公用房并超标配置办公家具，费用{amount}元。",),
    "e8_other": ("{when}，{who}违规借用管理服务对象车辆长期使用，折合费用{amount}元。",),
}
#: Facts of any problem as the register records them, about the unit: {when} {amount} {n}.
UNIT_FACTS: dict[str, tuple[str, ...]] = {
    "e8_dining": (
        "{when}，该单位以工作接待名义在辖区酒店安排公款宴请，违规使用公款{amount}元。",
        "{when}，该单位在内部食堂违规安排公款吃喝，涉及费用{amount}元。",
    ),
    "e8_gifts": ("{when}，该单位有关人员收受管理服务对象所送购物卡，折合人民币{amount}元。",),
    "e8_vehicles": (
        "{when}，检查组发现该单位公务用车在双休日停放于景区停车场，属公车私用。",
        "{when}，该单位公务用车使用登记与行车记录不符，存在公车私用问题。",
    ),
    "e8_allowances": ("{when}，该单位违规以加班补助名义发放津补贴{amount}元。",),
    "e8_reception": ("{when}，该单位公务接待超标准安排用餐和住宿，超支{amount}元。",),
    "e8_travel_domestic": ("{when}，该单位借考察学习之机组织公款旅游，费用{amount}元。",),
    "e8_travel_abroad": ("{when}，该单位以出国培训名义安排公款出境旅游，费用{amount}元。",),
    "e8_weddings": ("{when}，该单位有关人员违规操办婚宴，收受管理服务对象礼金{amount}元。",),
    "e8_entertainment": ("{when}，该单位有关人员接受高消费娱乐活动安排，费用{amount}元。",),
    "e8_festival_gifts": (
        "{when}，该单位有关人员在节日期间收受下属单位所送节礼，价值{amount}元。",
    ),
    "e8_clubs": ("{when}，该单位有关人员出入私人会所接受宴请，费用{amount}元。",),
    "e8_housing": ("{when}，该单位有关领导干部违规多占周转住房，应退缴租金{amount}元。",),
    "e8_buildings": ("{when}，该单位违规装修办公用房，费用{amount}元。",),
    "e8_other": ("{when}，该单位违规借用管理服务对象车辆，折合费用{amount}元。",),
    "loc_work_discipline": (
        "{when}，检查组暗访发现，该单位{n}名工作人员在工作时间离岗外出，未履行请假手续。",
        "{when}，检查组暗访发现，该单位窗口工作人员上班时间玩手机游戏、浏览与工作无关的网页。",
        "{when}，该单位{n}名工作人员迟到早退，考勤记录与实际出勤情况不符。",
        "{when}，该单位值班人员擅离岗位，值班电话无人接听。",
    ),
    "loc_inaction": (
        "{when}，群众反映的老旧小区排水管道破损问题，该单位推诿扯皮，逾期{n}个月未办结。",
        "{when}，该单位对交办的违章建筑整治任务敷衍应付，工作台账与实际情况不符。",
        "{when}，该单位对企业的办事申请未按承诺时限办结，企业{n}次往返仍未办成。",
    ),
    "loc_masses": (
        "{when}，该单位在发放困难群众临时救助金中把关不严，{n}户不符合条件的家庭领取救助。",
        "{when}，该单位窗口工作人员对办事群众态度生硬、推诿刁难，被群众投诉。",
        "{when}，该单位拖延发放征地补偿款{amount}元，群众反映强烈。",
    ),
    "loc_integrity": (
        "{when}，该单位{n}名工作人员违规在企业兼职取酬。",
        "{when}，该单位工作人员在工程项目验收中接受施工方安排的宴请。",
        "{when}，该单位工作人员违规借用管理服务对象车辆。",
    ),
    "loc_other": (
        "{when}，该单位“三重一大”事项未经集体研究决定。",
        "{when}，该单位会议记录、学习台账存在事后补记现象，过度留痕。",
        "{when}，该单位公务接待审批单、接待清单等凭证不全。",
    ),
}
#: What a rectification must achieve (the notice's 整改要求), by category.
REQUIREMENTS: dict[str, str] = {
    "e8_dining": "立即停止违规行为，责令相关人员退缴违规使用的公款；全面清理公务接待台账，"
    "严格执行公务接待标准。",
    "e8_gifts": "责令相关人员上交所收礼品礼金；开展廉洁教育，建立节日期间廉洁提醒制度。",
    "e8_vehicles": "立即纠正公车私用行为，严格执行公务用车登记和使用制度，加强车辆动态监管。",
    "e8_allowances": "立即停止违规发放，清退违规发放的津补贴；规范财务审批，严格执行津补贴政策。",
    "e8_reception": "退缴超标准接待费用，严格执行公务接待审批和清单制度。",
    "e8_travel_domestic": "退缴违规支出的费用，严格执行培训考察审批制度。",
    "e8_travel_abroad": "退缴违规支出的费用，严格执行因公出国（境）审批制度。",
    "e8_weddings": "退还所收礼金，严格执行婚丧喜庆事宜报告制度。",
    "e8_entertainment": "退缴相关费用，开展警示教育，严禁接受可能影响公正执行公务的活动安排。",
    "e8_festival_gifts": "上交所收节礼，建立节日期间作风建设监督提醒机制。",
    "loc_work_discipline": "严格执行考勤和请销假制度，加强日常监督管理，对相关人员进行批评教育。",
    "loc_inaction": "限期办结群众反映事项，建立工作台账，明确责任人和办结时限。",
    "loc_masses": "立即纠正侵害群众利益行为，退还或补发相关款项，并向群众公开整改结果。",
    "loc_integrity": "责令退还违规所得，开展廉洁从政专题教育，完善内部监督制约机制。",
}
DEFAULT_REQUIREMENT = "对照问题逐项整改，完善相关制度，举一反三开展自查自纠。"


def when(day: date) -> str:
    return f"{day.year}年{day.month}月"


def unit_facts(category: str, day: date, amount: float | None, rng: random.Random) -> str:
    template = rng.choice(UNIT_FACTS.get(category) or UNIT_FACTS["loc_other"])
    return template.format(
        when=when(day), amount=int(amount or rng.choice((2600, 5800))), n=rng.randint(2, 4)
    )


def named_facts(
    category: str, day: date, amount: float | None, who: str, others: list[str], rng
) -> str:
    template = rng.choice(NAMED_FACTS.get(category) or NAMED_FACTS["e8_other"])
    text = template.format(when=when(day), who=who, amount=int(amount or 0))
    if others:
        text += f"{'、'.join(others)}对此负有责任。"
    return text


def requirement(category: str) -> str:
    return REQUIREMENTS.get(category, DEFAULT_REQUIREMENT)
