"""The issuing body (发文机关) of a document: the commission of its scope.

Each unit of the register may name its commission (columns 发文机关 and
发文机关代字 of the unit sheet; fields on ``di.unit`` in Odoo); a unit without
one belongs to the nearest ancestor's.  A 海曙区 bulletin thus carries the
海曙区 commission in its masthead, signature and 发文字号, a city bulletin the
city's.  Templates may still override the wording (see
:mod:`case_tracker.bulletin.template`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

#: Used only when neither the scope nor a template names an issuing body.
FALLBACK_NAME = "中共宁波市纪律检查委员会 宁波市监察委员会"
#: Unit names ending in these are administrative areas: 全市, 全区, 全县.
AREA_SUFFIXES = "市区县"


def issuer_lines(name: str) -> list[str]:
    """One line per issuing body: 纪委 and 监委 (separated by spaces, "/" or newlines)."""
    return [part for part in re.split(r"[\s/／|｜]+", name.strip()) if part]


@dataclass(frozen=True)
class Issuer:
    """A commission: its full name, its 代字 for document numbers, and its unit."""

    name: str  # 中共宁波市海曙区纪律检查委员会 宁波市海曙区监察委员会
    code: str = ""  # 发文机关代字: 海纪 → 海纪通〔2018〕3号
    unit_code: str = ""  # the unit whose commission it is
    unit_name: str = ""  # 海曙区
    top: bool = False  # the commission of the register's top unit (a city addresses districts)

    def to_dict(self) -> dict:
        """As sent over RPC (a dataclass's fields by name)."""
        return dataclasses.asdict(self)

    @property
    def lines(self) -> list[str]:
        return issuer_lines(self.name)

    @property
    def masthead(self) -> str:
        return "\n".join(self.lines)

    @property
    def level(self) -> str:
        """区, 县 or 市 (empty for other units): how its documents say 全区, 区纪委监委."""
        last = self.unit_name[-1:] if self.unit_name else ""
        return last if last and last in AREA_SUFFIXES else ""

    @property
    def whole_scope(self) -> str:
        """The commission's own area, as a bulletin calls it: 全市 / 全区 / 全县."""
        return f"全{self.level}" if self.level else self.unit_name

    @property
    def short(self) -> str:
        """How a text refers to it: 区纪委监委 (the 纪委 and 监委 sit together)."""
        return f"{self.level}纪委监委" if self.level else "纪委监委"

    @property
    def office(self) -> str:
        """印发机关 of the 版记: the commission's office, e.g. 中共宁波市海曙区纪委办公室."""
        first = self.lines[0] if self.lines else ""
        if "纪律检查委员会" in first:
            return first.replace("纪律检查委员会", "纪委办公室")
        return f"{first}办公室" if first else ""

    def number(self, kind: str, year: int, sequence: int) -> str:
        """发文字号: 代字 + kind + 〔year〕 + sequence号 (GB/T 9704 7.2.4)."""
        return f"{self.code}{kind}〔{year}〕{sequence}号" if self.code else ""

    def recipients(self) -> str:
        """The usual 主送机关 of a commission's bulletin, by its level."""
        if self.top and self.level == "市":
            return "各区县（市）纪委监委，市纪委监委各派驻（出）机构，市直各单位"
        if self.level:
            c = self.level
            return f"各街道（镇）纪（工）委，{c}纪委监委各派驻（出）机构，{c}直各单位"
        return "各有关单位"


def fallback() -> Issuer:
    return Issuer(FALLBACK_NAME, "甬纪", "", "宁波市", top=True)


def issuer_from_units(rows, code: str | None) -> Issuer | None:
    """The commission of unit ``code`` (or of the single root unit) from unit rows.

    ``rows``: dicts or a DataFrame with the register's unit columns (code, name,
    parent_code, commission, commission_code).
    """
    records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
    by_code = {r.get("code"): r for r in records}
    if code is None:
        roots = [r for r in records if not _text(r.get("parent_code"))]
        if len(roots) != 1:
            return None
        code = roots[0]["code"]
    seen = set()
    while code and code in by_code and code not in seen:
        seen.add(code)
        row = by_code[code]
        if _text(row.get("commission")):
            return Issuer(
                _text(row.get("commission")),
                _text(row.get("commission_code")),
                code,
                _text(row.get("name")),
                top=not _text(row.get("parent_code")),
            )
        code = _text(row.get("parent_code"))
    return None


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""
