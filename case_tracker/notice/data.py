"""What a rectification notice (整改通知书) says, from the record of one inspection.

An *inspection record* is a plain, JSON-able dict — the same whether it comes
from a register file, the sample or a live Odoo (over RPC)::

    {"ref": "J2018-02487", "date": "2018-05-05", "end_date": "2018-05-05",
     "method": "four_no_two_direct", "topic": "…", "team": "第六监督检查组",
     "leader": "潘桂超", "phone": "",
     "units": [{"code": "NB-HS-ZJ", "name": "海曙区住房和城乡建设局"}],
     "problems": [{"ref": "W2018-01147", "unit": "海曙区住房和城乡建设局",
                   "category": "不作为、慢作为", "description": "…",
                   "deadline": "2018-06-07", "requirement": "…"}],
     "issuer": {"name": "…", "code": "海纪", "unit_code": "NB-HS",
                "unit_name": "海曙区", "top": false}}
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from case_tracker.bulletin.issuer import Issuer, fallback, issuer_from_units, issuer_lines
from case_tracker.bulletin.wording import cn_date, date_range
from case_tracker.errors import UserFacingError

#: The requirement when the register records no rectification measures.
DEFAULT_REQUIREMENT = "对照问题立行立改，举一反三开展自查自纠，建立健全长效机制。"
#: Methods that are set phrases and go in quotation marks.
QUOTED_METHODS = ("四不两直", "回头看")
#: Days to report when no rectification deadline is recorded.
DEFAULT_DAYS = 30


class NoticeError(UserFacingError):
    """No notice can be made: an unknown inspection, or one that found no problem."""


@dataclass
class NoticeProblem:
    category: str  # 违规公款吃喝 (the category's label)
    facts: str
    requirement: str
    deadline: date | None
    unit: str = ""  # the responsible unit, named when the inspection covered several
    ref: str = ""


@dataclass
class NoticeData:
    issuing_body: str  # one line per body
    number: str  # 发文字号, e.g. 甬纪督〔2018〕3号
    date: date  # 成文日期
    title: str
    recipients: str  # 主送机关: the inspected unit(s)
    lead: str  # 导语: when, who, how, what was found
    problems: list[NoticeProblem]
    report_by: date  # 请于X年X月X日前将整改情况书面报送
    report_to: str  # 区纪委监委
    contact: str  # 联系人：…
    issuing_office: str = ""
    cc: str = ""
    inspection_ref: str = ""
    several_units: bool = False
    warnings: list[str] = field(default_factory=list)


def _day(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):  # also pandas' Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _method_name(code: str) -> str:
    from case_tracker.domain import load

    for entry in load().inspection_methods:
        if code in (entry.code, entry.name, entry.name_en):
            return entry.name
    return code


def build_notice(
    record: dict,
    *,
    number: str = "",
    issue_date: date | None = None,
    contact: str = "",
    cc: str = "",
    issuing_body: str = "",
) -> NoticeData:
    """The notice for one inspection record; :class:`NoticeError` when it found no problem."""
    ref = record.get("ref", "")
    problems = record.get("problems") or []
    if not problems:
        raise NoticeError(
            f"检查 {ref} 未发现问题，无需整改通知书 / inspection {ref} found no problem: "
            "there is nothing to rectify"
        )
    found = record.get("issuer")
    issuer = Issuer(**found) if found else fallback()
    day = issue_date or date.today()
    units = [u["name"] for u in record.get("units") or []]
    with_problems = list(dict.fromkeys(p.get("unit") or "" for p in problems))
    addressed = [u for u in units if u in with_problems] + [
        u for u in with_problems if u and u not in units
    ]
    several = len(addressed) > 1
    items = [
        NoticeProblem(
            category=p.get("category") or "其他",
            facts=(p.get("description") or "").strip(),
            requirement=(p.get("requirement") or "").strip() or DEFAULT_REQUIREMENT,
            deadline=_day(p.get("deadline")),
            unit=p.get("unit") or "",
            ref=p.get("ref") or "",
        )
        for p in problems
    ]
    deadlines = [p.deadline for p in items if p.deadline]
    report_by = max(deadlines) if deadlines else day + timedelta(days=DEFAULT_DAYS)
    warnings = []
    if deadlines and min(deadlines) < day:
        warnings.append(
            f"{ref}: 成文日期 {cn_date(day)} 晚于整改时限 {cn_date(min(deadlines))}，"
            "可用 --date 指定 / the notice is dated after a rectification deadline; "
            "pass --date to date it when it was issued"
        )
    start, end = _day(record.get("date")), _day(record.get("end_date"))
    when = date_range(start, end) if start and end and end > start else cn_date(start or day)
    method = _method_name(record.get("method") or "")
    quoted = f"“{method}”" if method in QUOTED_METHODS else method
    how = f"采取{quoted}方式，" if method else ""
    topic = (record.get("topic") or "").strip() or "正风肃纪监督检查"
    team = (record.get("team") or "").strip()
    you = "你们" if several else "你单位"
    lead = (
        f"{when}，{issuer.short}{team}{how}对{you}开展{topic}，发现问题{len(items)}个。"
        "现将有关问题及整改要求通知如下。"
    )
    target = addressed[0] if len(addressed) == 1 else ""
    title = f"关于{target}{topic}发现问题的整改通知书"
    leader, phone = (record.get("leader") or "").strip(), (record.get("phone") or "").strip()
    if not contact:
        who = f"{leader}（{issuer.short}{team}）" if leader else f"{issuer.short}{team}"
        contact = who + (f"，联系电话：{phone}" if phone else "")
    bodies = issuing_body or issuer.name
    return NoticeData(
        issuing_body="\n".join(issuer_lines(bodies)),
        number=number,
        date=day,
        title=title,
        recipients="、".join(addressed) or "各有关单位",
        lead=lead,
        problems=items,
        report_by=report_by,
        report_to=issuer.short + (team if team else ""),
        contact="联系人：" + contact.removeprefix("联系人：").rstrip("。") + "。",
        issuing_office=Issuer(bodies).office,
        cc=cc,
        inspection_ref=ref,
        several_units=several,
        warnings=warnings,
    )


def inspection_record(dataset, ref: str) -> dict:
    """The record of inspection ``ref`` of a register (sample or files): see the module doc."""
    from case_tracker.domain import load

    inspections = dataset.inspections
    match = inspections[inspections["ref"] == ref]
    if match.empty:
        raise NoticeError(f"没有检查编号 {ref} / no inspection with reference {ref}")
    row = match.iloc[0]
    names = dataset.unit_names()
    codes = list(row["unit_codes"])
    problems = dataset.problems[dataset.problems["inspection_ref"] == ref].sort_values("ref")
    rect = dataset.rectifications
    domain = load()
    items = []
    for problem in problems.itertuples():
        rows = rect[rect["problem_ref"] == problem.ref].sort_values("deadline")
        first = rows.iloc[0] if not rows.empty else None
        measures = first["measures"] if first is not None else ""
        deadline = _day(first["deadline"]) if first is not None else None
        items.append(
            {
                "ref": problem.ref,
                "unit": names.get(problem.unit_code, problem.unit_code),
                "category": domain.category(problem.category).label,
                "description": problem.description if isinstance(problem.description, str) else "",
                "deadline": deadline.isoformat() if deadline else None,
                "requirement": measures if isinstance(measures, str) else "",
            }
        )
    issuer = issuer_from_units(dataset.units, codes[0] if codes else None)
    return {
        "ref": ref,
        "date": _iso(row["date"]),
        "end_date": _iso(row["end_date"]),
        "method": row["method"] if isinstance(row["method"], str) else "",
        "topic": row["topic"] if isinstance(row["topic"], str) else "",
        "team": row["team"] if isinstance(row["team"], str) else "",
        "leader": row["leader"] if isinstance(row["leader"], str) else "",
        "phone": "",
        "units": [{"code": c, "name": names.get(c, c)} for c in codes],
        "problems": items,
        "issuer": issuer.to_dict() if issuer else None,
    }


def _iso(value) -> str | None:
    import pandas as pd

    day = None if pd.isna(value) else _day(value)
    return day.isoformat() if day else None


def warn(data: NoticeData) -> None:
    for line in data.warnings:
        print(f"warning: {line}", file=sys.stderr)
