"""How documents write numbers, dates, changes and outcomes: shared by the PDFs and the workbook.

No ReportLab here, so the workbook (and Odoo) can use it without loading the renderer.
Rules, as official texts (公文) write them:

- numbers in Arabic digits without separators (3164次), percentages with one
  decimal (70.7%); an increase of 100 % or more in 倍 (增长1.5倍);
- dates in full, without leading zeros (2018年7月16日);
- a Party or government sanction is a 处分 (受到党内警告处分), an
  organisational measure or a criticism is not (被免职, 受到批评教育).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

COUNT_HEADERS = ("查处问题数（起）", "批评教育和处理人数（人）", "其中：党纪政务处分人数（人）")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_range(start: date, end: date) -> str:
    """2018年1月1日至6月30日: the year is not repeated within one year."""
    if start == end:
        return cn_date(start)
    if start.year == end.year:
        return f"{cn_date(start)}至{end.month}月{end.day}日"
    return f"{cn_date(start)}至{cn_date(end)}"


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def per(part: float, whole: float) -> str:
    """A ratio as printed in a table, two decimals (退回重改次数 per rectification)."""
    return f"{part / whole:.2f}" if whole else "—"


def change(now: int, before: int | None) -> str:
    """Relative change as printed in the comparison table."""
    if before is None:
        return "—"
    if before == 0:
        return "—" if now == 0 else "新增"
    delta = 100 * (now - before) / before
    if abs(delta) < 0.05:
        return "持平"
    return f"{'+' if delta > 0 else '-'}{abs(delta):.1f}%"


def change_words(now: int, before: int | None) -> str | None:
    """上升12.3% / 下降4.0% / 增长1.5倍 / 持平, or None when there is nothing to compare with."""
    if before is None or before == 0:
        return None
    delta = 100 * (now - before) / before
    if abs(delta) < 0.05:
        return "持平"
    if delta >= 100:
        return f"增长{delta / 100:.1f}倍"
    return f"{'上升' if delta > 0 else '下降'}{abs(delta):.1f}%"


@cache
def _outcome_kinds() -> dict[str, str]:
    from case_tracker.domain import load

    return {outcome.name: outcome.kind for outcome in load().outcomes}


#: How a measure reads after the person's name; 处分 is kept for sanctions.
MEASURE_PHRASES = {
    "谈话提醒": "被谈话提醒",
    "批评教育": "受到批评教育",
    "责令检查": "被责令作出书面检查",
    "警示谈话": "被警示谈话",
    "责令公开道歉": "被责令公开道歉",
    "通报批评": "被通报批评",
    "诫勉": "受到诫勉",
    "问责通报": "被问责通报",
    "问责诫勉": "被问责诫勉",
    "问责组织调整或者组织处理": "被问责并予以组织调整",
    "问责纪律处分": "被问责并受到纪律处分",
    "停职检查": "被停职检查",
    "调整职务": "被调整职务",
    "责令辞职": "被责令辞职",
    "免职": "被免职",
    "降职": "被降职",
    "移送司法机关": "涉嫌犯罪问题被移送司法机关依法处理",
}


def outcome_phrase(outcomes: Sequence[str]) -> str:
    """What happened to a person: 受到党内严重警告、政务记大过处分，并被调整职务.

    ``outcomes`` are names as the statistics give them (heaviest first); names
    of sanctions (党纪/政务) are joined into one 处分, every other outcome reads
    as itself.
    """
    kinds = _outcome_kinds()
    sanctions = [name for name in outcomes if kinds.get(name) in ("party", "government")]
    others = [name for name in outcomes if name not in sanctions]
    parts = []
    if sanctions:
        parts.append("受到" + "、".join(sanctions) + "处分")
    for name in others:
        phrase = MEASURE_PHRASES.get(name, f"受到{name}处理")
        if parts and phrase.startswith("被"):
            phrase = "并" + phrase
        parts.append(phrase)
    return "，".join(parts)


def persons_outcomes(people: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The closing sentence of a typical case: 张三受到党内警告处分；李四被诫勉。"""
    sentences = [f"{name}{outcome_phrase(outcomes)}" for name, outcomes in people if outcomes]
    return "；".join(sentences) + "。" if sentences else ""
