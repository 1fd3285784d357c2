"""The rectification notice (整改通知书) as a 公文: ``render(NoticeData) -> bytes``.

Same layout layer as the bulletin (:mod:`case_tracker.bulletin.gongwen`):
版头 with the commission and the 发文字号, title, the inspected unit as 主送机关,
a 导语 saying when, who and how, then 一、发现的问题及整改要求 (per problem its
category, the facts, the requirement and the deadline) and 二、有关要求 with the
date of the written report and a contact, the 落款 and the 版记.
"""

from __future__ import annotations

from case_tracker.bulletin.fonts import Fonts, register
from case_tracker.bulletin.gongwen import Document, Head, Imprint
from case_tracker.bulletin.wording import cn_date
from case_tracker.notice.data import NoticeData, NoticeProblem


def _heading(problem: NoticeProblem, several: bool) -> str:
    kind = problem.category.rstrip("。")
    if not kind.endswith("问题"):
        kind += "问题"
    return f"{problem.unit}{kind}" if several and problem.unit else kind


def build(data: NoticeData, fonts: Fonts) -> Document:
    doc = Document(fonts, Head(data.issuing_body, data.number), data.title, data.recipients)
    doc.paragraph(data.lead)
    doc.heading(1, "发现的问题及整改要求")
    for problem in data.problems:
        doc.heading(2, _heading(problem, data.several_units))
        doc.heading(3, "问题事实。", problem.facts or "见检查记录。")
        doc.heading(3, "整改要求。", problem.requirement)
        if problem.deadline:
            doc.heading(3, "整改时限。", f"{cn_date(problem.deadline)}前整改到位。")
        else:
            doc.heading(3, "整改时限。", "自收到本通知书之日起30日内整改到位。")
    doc.heading(1, "有关要求")
    doc.heading(
        2,
        "高度重视，抓好整改。",
        "要对照本通知书逐项建立问题清单、任务清单、责任清单，明确整改措施、责任人和完成时限，"
        "做到整改一个、销号一个、巩固一个，举一反三堵塞制度漏洞。",
    )
    doc.heading(
        2,
        "按时报送整改情况。",
        f"请于{cn_date(data.report_by)}前将整改情况书面报送{data.report_to}，"
        "并附相关佐证材料。逾期未报送或整改不到位的，将严肃追究相关人员责任。",
    )
    doc.paragraph(data.contact)
    imprint = (
        Imprint(cc=data.cc, office=data.issuing_office, date=data.date)
        if data.issuing_office or data.cc
        else None
    )
    doc.close(data.issuing_body, data.date, imprint=imprint)
    return doc


def render(data: NoticeData, fonts: Fonts | None = None) -> bytes:
    """The notice as PDF bytes (A4, GB/T 9704 layout, every font embedded)."""
    fonts = fonts or register()
    return build(data, fonts).render(
        author=" ".join(data.issuing_body.splitlines()),
        subject=data.recipients,
        keywords=data.inspection_ref,
    )
