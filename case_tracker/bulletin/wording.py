"""How a bulletin writes numbers and dates: shared by the PDF and the statistics workbook.

No ReportLab here, so the workbook (and Odoo) can use it without loading the renderer.
"""

from __future__ import annotations

from datetime import date

COUNT_HEADERS = ("查处问题数（起）", "批评教育和处理人数（人）", "其中：党纪政务处分人数（人）")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


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
    """上升12.3% / 下降4.0% / 持平, or None when there is nothing to compare with."""
    if before is None or before == 0:
        return None
    delta = 100 * (now - before) / before
    if abs(delta) < 0.05:
        return "持平"
    return f"{'上升' if delta > 0 else '下降'}{abs(delta):.1f}%"
