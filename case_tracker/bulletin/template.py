"""The wording of a bulletin that a commission adapts: masthead, title, 导语, closing requirements.

The figures and tables come from the statistics; these texts are the
commission's own.  By default the issuing body, its office, the 主送机关 and
the name of the whole area (全市/全区) come from the commission of the
bulletin's scope (:mod:`case_tracker.bulletin.issuer`); a key set in the
template overrides that for every scope.  A deployment keeps its template in a
TOML file (``case-tracker bulletin --template FILE``; in Odoo the system
parameter ``discipline_inspection.bulletin_template`` holds the same TOML).
reports/bulletin_template.toml documents every key.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path

from case_tracker.errors import UserFacingError

DEFAULT_LEAD = (
    "{period}，{scope}各级纪检监察机关深入贯彻落实中央八项规定精神，紧盯重要节点和关键环节，"
    "综合运用明察暗访、“四不两直”、交叉互查等方式，持续开展正风肃纪监督检查。"
    "现将{dates}监督检查情况通报如下。"
)
DEFAULT_REQUIREMENTS = (
    "持续加大监督检查力度。各级纪检监察机关要紧盯重要节点，综合运用明察暗访、"
    "“四不两直”、交叉互查等方式，坚决防止“四风”问题反弹回潮。",
    "压紧压实整改责任。对发现的问题建立问题清单、任务清单、责任清单，"
    "做到整改一个、销号一个、巩固一个；对整改评价为“较差”“差”的问题严肃处理并通报，开展回头看。",
    "强化通报曝光警示作用。对典型问题点名道姓通报曝光，释放越往后执纪越严的强烈信号，"
    "推动以案促改、以案促治。",
)


class TemplateError(UserFacingError):
    """A template file that cannot be used; the message names the key."""


@dataclass(frozen=True)
class BulletinTemplate:
    # Empty: taken from the commission of the bulletin's scope.
    issuing_body: str = ""  # 发文机关 (红头 and signature); bodies split on spaces or newlines
    issuing_office: str = ""  # 印发机关 of the 版记, e.g. 中共XX市纪委办公室
    recipients: str = ""  # 主送机关, e.g. 各区县（市）纪委监委，市纪委监委各派驻（出）机构
    whole_scope: str = ""  # the scope's name when it is the commission's whole area: 全市
    cc: str = ""  # 抄送机关 of the 版记
    title: str = "关于{period}{scope}正风肃纪监督检查情况的通报"
    lead: str = DEFAULT_LEAD  # 导语: {period}, {scope} and {dates} (2018年1月1日至6月30日)
    requirements: tuple[str, ...] = DEFAULT_REQUIREMENTS  # 下步工作要求, one per paragraph

    def title_for(self, period_title: str, scope_name: str | None) -> str:
        return self.title.format(period=period_title, scope=scope_name or self.whole_scope)

    def lead_for(self, period_title: str, scope_name: str, dates: str) -> str:
        return self.lead.format(period=period_title, scope=scope_name, dates=dates)


def loads_template(text: str, where: str = "template") -> BulletinTemplate:
    """A template from TOML text; unknown keys and wrong types are refused by name."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{where}: 不是有效的TOML / not valid TOML: {exc}") from exc
    known = {f.name: f for f in dataclasses.fields(BulletinTemplate)}
    for key, value in values.items():
        if key not in known:
            raise TemplateError(f"{where}: 未知的键 / unknown key {key!r}")
        if key == "requirements":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TemplateError(f"{where}: {key} 应为文本列表 / must be a list of strings")
            values[key] = tuple(value)
        elif not isinstance(value, str):
            raise TemplateError(f"{where}: {key} 应为文本 / must be a string, got {value!r}")
    template = BulletinTemplate(**values)
    try:
        template.title_for("2018年上半年", "全市")
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateError(
            f"{where}: title 只能使用 {{period}} 和 {{scope}} / may only use "
            f"{{period}} and {{scope}}: {exc}"
        ) from exc
    try:
        template.lead_for("2018年上半年", "全市", "2018年1月1日至6月30日")
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateError(
            f"{where}: lead 只能使用 {{period}}、{{scope}} 和 {{dates}} / may only use "
            f"{{period}}, {{scope}} and {{dates}}: {exc}"
        ) from exc
    return template


def load_template(path: Path) -> BulletinTemplate:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"{path}: 无法读取 / cannot read: {exc}") from exc
    return loads_template(text, str(path))
