"""Turning hand-typed register cells into typed values, with a reason when that fails.

Dates arrive as 2018年6月3日, 2018.6.3, 2018/06/03, 2018-06-03, Excel serial
numbers or datetime cells; digits and spaces may be full-width; names of
categories, grades, ranks and outcomes are matched against the domain core.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from case_tracker.domain import load
from case_tracker.domain.text import clean_cell, to_halfwidth
from case_tracker.schema import Column

EXCEL_EPOCH = date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPLIT = re.compile(r"[、,，;；/\n]+")
TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有", "党员", "中共党员", "是党员"}
FALSE = {"否", "n", "no", "false", "0", "×", "无", "非党员", "群众", "不是"}


class CellError(ValueError):
    """A cell that cannot be read: the reason in Chinese and in English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"日期数值超出范围：{value}", f"date serial out of range: {value}")
    if isinstance(value, str):
        return _parse_date_text(value)
    return _parse_date_text.__wrapped__(value)


@lru_cache(maxsize=1 << 14)  # a register's dates are a few thousand days, each many times
def _parse_date_text(value: object) -> date:
    text = to_halfwidth(str(value)).strip()
    text = re.sub(r"\s+00:00(:00)?$", "", text)
    for pattern in (_DATE, _DATE_COMPACT):
        if match := pattern.match(text):
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return parse_date(float(text))
    raise CellError(f"无法识别的日期：{value}", f"not a date: {value!r}")


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = to_halfwidth(str(value)).strip().lower().replace(" ", "")
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(f"应填“是”或“否”：{value}", f"expected yes/no: {value!r}")


def parse_money(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    else:
        text = to_halfwidth(str(value)).strip().replace(",", "").replace("，", "")
        text = re.sub(r"(元|人民币|￥|¥)", "", text).strip()
        multiplier = 1.0
        if text.endswith("万"):
            text, multiplier = text[:-1], 10000.0
        try:
            amount = float(text) * multiplier
        except ValueError:
            raise CellError(f"无法识别的金额：{value}", f"not an amount: {value!r}") from None
    if amount < 0:
        raise CellError(f"金额不能为负：{value}", f"negative amount: {value!r}")
    return round(amount, 2)


def parse_int(value: object) -> int:
    """A count as typed: 2, 2.0, ２, 2次 (whether it may be negative is a rule's matter)."""
    if isinstance(value, bool):
        raise CellError(f"应填整数：{value}", f"expected a whole number: {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = to_halfwidth(str(value)).strip().removesuffix("次").strip()
        try:
            number = float(text)
        except ValueError:
            raise CellError(f"应填整数：{value}", f"expected a whole number: {value!r}") from None
    if not number.is_integer():
        raise CellError(f"应填整数：{value}", f"expected a whole number: {value!r}")
    return int(number)


def parse_code(column: Column, value: object, on: date | None = None) -> str:
    domain = load()
    text = clean_cell(value)
    codes = domain.resolve(column.target, text, on=on)
    if len(codes) > 1:  # never guessed: the reason names every candidate
        entries = [domain.get(column.target, code) for code in codes]
        raise CellError(
            f"“{text}”有多种含义：{'、'.join(e.name for e in entries)}，请填写全称",
            f"ambiguous {text!r}: "
            + " or ".join(f"{e.code} ({e.name_en})" for e in entries)
            + "; write the full name",
        )
    if not codes:
        hint = "、".join(domain.candidates(column.target)[:8])
        raise CellError(
            f"“{text}”不是有效的{column.header}（可选：{hint}……）",
            f"{text!r} is not a known {column.header_en.lower()}",
        )
    return codes[0]


def split_multi(value: object) -> list[str]:
    return [part.strip() for part in _SPLIT.split(to_halfwidth(str(value))) if part.strip()]


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean_cell(value))


def convert(column: Column, value: object, on: date | None = None) -> object:
    """The typed value of one non-blank cell (CellError when it cannot be read)."""
    kind = column.base_type
    if kind == "date":
        return parse_date(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "money":
        return parse_money(value)
    if kind == "int":
        return parse_int(value)
    if kind == "code":
        return parse_code(column, value, on)
    if kind == "codes":
        codes = []
        for part in split_multi(value):
            code = parse_code(column, part, on)
            if code not in codes:
                codes.append(code)
        return tuple(codes)
    if kind == "refs":
        return tuple(dict.fromkeys(clean_cell(p) for p in split_multi(value)))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_cell(value) if kind != "text" else str(value).strip()
    return text
