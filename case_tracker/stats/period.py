"""Reporting periods: a month, quarter, half-year, year or date range, and its comparisons."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    kind: str  # month | quarter | half | year | range

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period {self.label!r} ends before it starts")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def shifted(self, months: int) -> Period:
        """The period of the same kind ``months`` months away (negative: earlier)."""
        if self.kind == "range":
            days = (self.end - self.start).days + 1
            delta = timedelta(days=days) if months > 0 else -timedelta(days=days)
            if abs(months) == 12:
                start = _add_months(self.start, months)
                end = _add_months(self.end, months)
            else:
                start, end = self.start + delta, self.end + delta
            return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", "range")
        start = _add_months(self.start, months)
        return parse_period(_label(self.kind, start))

    def previous(self) -> Period:
        """环比: the period just before, of the same length."""
        return self.shifted(-self.months if self.kind != "range" else -1)

    def last_year(self) -> Period:
        """同比: the same period one year earlier."""
        return self.shifted(-12)

    def year_to_date(self) -> Period:
        """累计: from 1 January of the period's year to its end."""
        start = date(self.end.year, 1, 1)
        return Period(start, self.end, f"{self.end.year}年1—{self.end.month}月", "range")

    def trailing_months(self, count: int = 12) -> list[Period]:
        """The ``count`` calendar months ending with the period's last month (trend charts)."""
        last = date(self.end.year, self.end.month, 1)
        starts = [_add_months(last, -i) for i in reversed(range(count))]
        return [parse_period(_label("month", start)) for start in starts]

    @property
    def title(self) -> str:
        """The period as a bulletin names it: 2018年上半年, 2018年第三季度, 2018年6月."""
        y = self.start.year
        if self.kind == "year":
            return f"{y}年"
        if self.kind == "half":
            return f"{y}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{y}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind == "month":
            return f"{y}年{self.start.month}月"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _label(kind: str, start: date) -> str:
    if kind == "year":
        return f"{start.year}"
    if kind == "half":
        return f"{start.year}-H{1 if start.month <= 6 else 2}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """Parse 2018, 2018-H1, 2018-Q3, 2018-06 or 2018-01-01..2018-03-31."""
    value = text.strip().upper()
    if match := re.fullmatch(r"(\d{4})", value):
        year = int(match.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), value, "year")
    if match := re.fullmatch(r"(\d{4})-H([12])", value):
        year, half = int(match.group(1)), int(match.group(2))
        first = 1 if half == 1 else 7
        return Period(date(year, first, 1), _month_end(year, first + 5), value, "half")
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * quarter - 2
        return Period(date(year, first, 1), _month_end(year, first + 2), value, "quarter")
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month} in period {text!r}")
        return Period(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}", "month")
    if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value):
        start, end = (date.fromisoformat(part) for part in match.groups())
        return Period(start, end, value, "range")
    raise ValueError(
        f"unknown period {text!r}: use 2018, 2018-H1, 2018-Q3, 2018-06 "
        "or 2018-01-01..2018-03-31 / 期间格式不正确"
    )
