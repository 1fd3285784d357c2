"""The bulletin PDF: ``render(BulletinData) -> bytes``, a pure function.

No database, no RPC: the CLI and the Odoo add-on call the same function with
data built by the statistics.  Layout follows the Party and government document
format (GB/T 9704): A4, red issuing-body header and red rule, title in a heading
face, body in a Song face at 三号 (16 pt), headings 一级 in 黑体, page numbers
"— 1 —" at the foot.  Every font is an embedded TrueType font (see
:mod:`case_tracker.bulletin.fonts`); charts set their fonts explicitly so no
Helvetica sneaks in.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from xml.sax.saxutils import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from case_tracker.bulletin.data import (
    BulletinData,
    CountTable,
    FormShare,
    HeadlineFigure,
    Rectification,
    TrendPoint,
    TypicalCase,
)
from case_tracker.bulletin.fonts import Fonts, register
from case_tracker.bulletin.wording import COUNT_HEADERS, change, change_words, cn_date, percent
from case_tracker.figures import FIGURES_BY_KEY

# ------------------------------------------------------------------ page and colours
PAGE = A4
MARGINS = {"top": 37 * mm, "bottom": 35 * mm, "left": 28 * mm, "right": 26 * mm}  # GB/T 9704
FRAME_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]
RED = colors.HexColor("#D7000F")
SHADE = colors.HexColor("#E8E8E8")
HEAD_SHADE = colors.HexColor("#D0D0D0")
GRID = colors.HexColor("#404040")
SERIES = (colors.HexColor("#C0392B"), colors.HexColor("#2E5C8A"), colors.HexColor("#7F8C8D"))
PIE_COLOURS = (
    colors.HexColor("#2E5C8A"),
    colors.HexColor("#E0A030"),
    colors.HexColor("#C0392B"),
    colors.HexColor("#5A5A5A"),
)

BODY_SIZE = 16  # 三号
BODY_LEADING = 28.95  # 22 lines on the GB/T 9704 type area
TABLE_SIZE = 11
TABLE_LEADING = 14

SECTION_NUMBERS = "一二三四五六七八九十"

#: Which figures the opening paragraph joins into one clause (their wording is each
#: figure's own, from case_tracker/figures.py).  Groups are joined by "；".
HEADLINE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("inspections", "problems", "persons_handled"),
    ("eight_point_problems", "eight_point_persons", "eight_point_sanctioned"),
    ("exposed_poor_handled",),
)
assert {k for g in HEADLINE_GROUPS for k in g} <= set(FIGURES_BY_KEY), "unknown figure"


def section_title(number: int, text: str) -> str:
    return f"（{SECTION_NUMBERS[number - 1]}）{text}"


# ------------------------------------------------------------------ styles
class Styles:
    """Paragraph styles for one pair of fonts."""

    def __init__(self, fonts: Fonts) -> None:
        body, head = fonts.body.name, fonts.heading.name
        self.body_font, self.head_font = body, head
        common = {"wordWrap": "CJK", "fontName": body}
        self.body = ParagraphStyle(
            "body",
            fontSize=BODY_SIZE,
            leading=BODY_LEADING,
            firstLineIndent=2 * BODY_SIZE,
            alignment=TA_JUSTIFY,
            **common,
        )
        self.plain = ParagraphStyle("plain", parent=self.body, firstLineIndent=0)
        self.red_head = ParagraphStyle(
            "red_head",
            fontName=head,
            fontSize=34,
            leading=44,
            alignment=TA_CENTER,
            textColor=RED,
            wordWrap="CJK",
        )
        self.number = ParagraphStyle(
            "number", parent=self.plain, alignment=TA_CENTER, leading=BODY_SIZE * 1.4
        )
        self.title = ParagraphStyle(
            "title",
            fontName=head,
            fontSize=22,
            leading=34,
            alignment=TA_CENTER,
            spaceBefore=10,
            spaceAfter=18,
            wordWrap="CJK",
        )
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=head,
            spaceBefore=4,
            keepWithNext=True,
        )
        self.signature = ParagraphStyle(
            "signature", parent=self.plain, alignment=TA_RIGHT, rightIndent=4 * BODY_SIZE
        )
        self.caption = ParagraphStyle(
            "caption",
            fontName=head,
            fontSize=13,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=4,
            wordWrap="CJK",
            keepWithNext=True,
        )
        self.note = ParagraphStyle(
            "note",
            fontName=body,
            fontSize=10.5,
            leading=15,
            textColor=colors.HexColor("#333333"),
            wordWrap="CJK",
            spaceBefore=2,
            spaceAfter=6,
        )
        self.cell = ParagraphStyle(
            "cell", fontName=body, fontSize=TABLE_SIZE, leading=TABLE_LEADING, wordWrap="CJK"
        )
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=head)
        self.cell_head = ParagraphStyle(
            "cell_head", parent=self.cell, fontName=head, alignment=TA_CENTER
        )
        self.cell_num = ParagraphStyle("cell_num", parent=self.cell, alignment=TA_RIGHT)
        self.cell_num_bold = ParagraphStyle("cell_num_bold", parent=self.cell_num, fontName=head)
        self.record = ParagraphStyle(
            "record", fontName=body, fontSize=14, leading=22, wordWrap="CJK", alignment=TA_LEFT
        )

    def head(self, text: str) -> str:
        """Inline heading face (the CJK faces have no bold: 黑体 is the emphasis)."""
        return f'<font name="{self.head_font}">{text}</font>'


# ------------------------------------------------------------------ flowables
class Rule(Flowable):
    """A horizontal rule across the frame: the red rule under the header, 版记 lines."""

    def __init__(self, color, thickness: float, space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.color, self.thickness = color, thickness
        self.space_before, self.space_after = space_before, space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.space_before + self.thickness + self.space_after

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.thickness)
        y = self.space_after + self.thickness / 2
        canvas.line(0, y, self.width, y)
        canvas.restoreState()


#: Good places to end a title line (after these characters).
TITLE_BREAKS = "的于年市区县、，）"


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Split a centred title into lines of about equal length, preferring natural breaks.

    Titles such as 关于2018年上半年全市正风肃纪监督检查情况的通报 would otherwise
    wrap with one or two characters on the last line.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    total = stringWidth(text, font, size)
    if total <= width:
        return [text]
    count = int(total // width) + 1
    lines, rest = [], text
    for k in range(count - 1, 0, -1):
        target = stringWidth(rest, font, size) / (k + 1)
        best, best_score = None, None
        for i in range(1, len(rest)):
            head = stringWidth(rest[:i], font, size)
            if head > width:
                break
            if rest[i - 1].isdigit() and rest[i].isdigit():
                continue  # never split a number
            score = abs(head - target) - (size * 1.5 if rest[i - 1] in TITLE_BREAKS else 0)
            if best_score is None or score < best_score:
                best, best_score = i, score
        if best is None:
            break
        lines.append(rest[:best])
        rest = rest[best:]
    lines.append(rest)
    return lines


def _fit_size(text: str, font: str, preferred: float, width: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    longest = max((stringWidth(line, font, preferred) for line in text.splitlines()), default=1)
    return min(preferred, preferred * width / max(longest, 1) * 0.98)


# ------------------------------------------------------------------ sections
class Builder:
    """Collects the flowables of one bulletin, section by section."""

    def __init__(self, data: BulletinData, styles: Styles) -> None:
        self.data, self.s = data, styles
        self.story: list[Flowable] = []
        self.section = 0
        self.table_no = 0
        self.figure_no = 0

    # -- small helpers
    def para(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.story.append(Paragraph(text, style or self.s.body))

    def heading(self, text: str) -> None:
        self.section += 1
        self.story.append(CondPageBreak(4 * BODY_LEADING))
        self.para(escape(section_title(self.section, text)), self.s.heading)

    def caption(self, kind: str, text: str) -> Paragraph:
        if kind == "表":
            self.table_no += 1
            number = self.table_no
        else:
            self.figure_no += 1
            number = self.figure_no
        return Paragraph(f"{kind}{number}　{escape(text)}", self.s.caption)

    # -- header
    def header(self) -> None:
        d, s = self.data, self.s
        size = _fit_size(d.issuing_body, s.head_font, 34, FRAME_WIDTH)
        red = ParagraphStyle("red_fit", parent=s.red_head, fontSize=size, leading=size * 1.3)
        self.para(escape(d.issuing_body).replace("\n", "<br/>"), red)
        self.story.append(Spacer(1, 6 * mm))
        if d.number:
            self.para(escape(d.number), s.number)
        self.story.append(Rule(RED, 2.2, space_before=2 * mm, space_after=1))
        self.story.append(Rule(RED, 0.6, space_before=0, space_after=8 * mm))
        self.para(
            "<br/>".join(
                escape(line)
                for part in d.title.splitlines()
                for line in balanced_lines(part, s.head_font, s.title.fontSize, FRAME_WIDTH)
            ),
            s.title,
        )
        if d.recipients:
            self.para(escape(d.recipients.rstrip("：:") + "："), s.plain)

    # -- (一) overview
    def overview(self) -> None:
        d, s = self.data, self.s
        self.heading("总体情况")
        figures = {f.key: f for f in d.headline}
        groups = []
        used = set()
        for keys in HEADLINE_GROUPS:
            parts = [_phrase(figures[k]) for k in keys if k in figures]
            used.update(keys)
            if parts:
                groups.append("，".join(parts))
        extra = [_phrase(f) for f in d.headline if f.key not in used]
        if extra:
            groups.append("，".join(extra))
        lead = f"{d.period_label}，{d.scope_label}" if d.scope_label else d.period_label
        if d.as_of:  # the period has not ended: say up to which day the figures go
            lead = f"{d.period_label}（截至{cn_date(d.as_of)}），{d.scope_label}"
        lead = escape(lead) + (escape(d.intro) if d.intro else "各级纪检监察机关")
        if groups:
            self.para(lead + "；".join(escape(g) for g in groups) + "。")
        else:
            self.para(lead + "本期无统计数据。")

        sentence = _comparison_sentence(d)
        if sentence:
            self.para(escape(sentence))
        if any(f.previous is not None or f.last_year is not None for f in d.headline) or any(
            f.year_to_date is not None for f in d.headline
        ):
            self.story.append(self.comparison_table())
        if d.trend:
            self.story.append(
                KeepTogether(
                    [
                        self.caption("图", f"近{len(d.trend)}个月发现问题和处理人员趋势"),
                        trend_chart(d.trend, s),
                    ]
                )
            )

    def comparison_table(self) -> Flowable:
        d, s = self.data, self.s
        prev = d.previous_label or "上期"
        last = d.last_year_label or "去年同期"
        head = ["指标", d.period_label or "本期", prev, "环比", last, "同比", "年度累计"]
        rows = [[Paragraph(escape(h), s.cell_head) for h in head]]
        for f in d.headline:
            rows.append(
                [
                    Paragraph(escape(f.short_label or f"{f.label}（{f.unit}）"), s.cell),
                    *(
                        Paragraph(escape(v), s.cell_num)
                        for v in (
                            str(f.value),
                            _opt(f.previous),
                            change(f.value, f.previous),
                            _opt(f.last_year),
                            change(f.value, f.last_year),
                            _opt(f.year_to_date),
                        )
                    ),
                ]
            )
        widths = [128, 52, 58, 50, 58, 50, 46]
        widths[0] += FRAME_WIDTH - sum(widths)
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="CENTER", spaceAfter=8)
        table.setStyle(_table_style(s.body_font))
        return KeepTogether([self.caption("表", "主要指标对比"), table])

    # -- count tables
    def count_table(self, table: CountTable) -> list[Flowable]:
        s = self.s
        with_insp = table.has_inspections
        with_problems = table.has_problems
        counts = COUNT_HEADERS if with_problems else COUNT_HEADERS[1:]
        head = [table.header, *(("监督检查（次）",) if with_insp else ()), *counts]
        rows = [[Paragraph(_header(h), s.cell_head) for h in head]]
        shaded = []
        for i, row in enumerate(table.rows, start=1):
            strong = row.level != "leaf"
            label_style = s.cell_bold if strong else s.cell
            num_style = s.cell_num_bold if strong else s.cell_num
            indent = "　" * (2 * row.indent)
            numbers = [row.persons, row.sanctioned]
            if with_problems:
                numbers.insert(0, row.problems if row.problems is not None else "—")
            if with_insp:
                numbers.insert(0, row.inspections if row.inspections is not None else "—")
            rows.append(
                [
                    Paragraph(indent + escape(row.label), label_style),
                    *(Paragraph(str(n), num_style) for n in numbers),
                ]
            )
            if strong:
                shaded.append(i)
        n_numeric = len(head) - 1
        numeric = 64 if n_numeric > 3 else 80
        widths = [FRAME_WIDTH - numeric * n_numeric] + [numeric] * n_numeric
        out = Table(rows, colWidths=widths, repeatRows=1, hAlign="CENTER", spaceAfter=8)
        style = _table_style(s.body_font)
        for i in shaded:
            style.add("BACKGROUND", (0, i), (-1, i), SHADE)
        out.setStyle(style)
        parts: list[Flowable] = [self.caption("表", table.title), out]
        if table.note:
            parts.append(Paragraph("注：" + escape(table.note), s.note))
        # A short table stays on one page; a long one breaks, repeating its header row.
        return [KeepTogether(parts)] if len(rows) <= 16 else parts

    def categories(self) -> None:
        d = self.data
        if d.categories is None:
            return
        self.heading("问题分类统计")
        total = next((r for r in d.categories.rows if r.level == "total"), None)
        if total is not None:
            self.para(
                escape(
                    f"按问题类型统计，共查处问题{total.problems}起，批评教育和处理"
                    f"{total.persons}人，其中党纪政务处分{total.sanctioned}人，分类情况见下表。"
                )
            )
        self.story.extend(self.count_table(d.categories))

    def units_and_ranks(self) -> None:
        d = self.data
        if d.by_unit is None and d.by_rank is None:
            return
        titles = []
        if d.by_unit is not None:
            titles.append("单位")
        if d.by_rank is not None:
            titles.append("级别")
        self.heading("分" + "、分".join(titles) + "统计")
        for table in (d.by_unit, d.by_rank):
            if table is not None:
                self.story.extend(self.count_table(table))

    # -- (四) four forms
    def forms(self) -> None:
        d, s = self.data, self.s
        if not d.forms:
            return
        self.heading("运用监督执纪“四种形态”情况")
        total = sum(f.persons for f in d.forms)
        if total:
            parts = [f"{f.name}{f.persons}人，占{f.percent:.1f}%" for f in d.forms]
            self.para(
                escape(
                    f"运用监督执纪“四种形态”批评教育帮助和处理{total}人，其中"
                    + "；".join(parts)
                    + "。"
                )
            )
            self.story.append(
                KeepTogether(
                    [self.caption("图", "“四种形态”处理人数占比"), forms_chart(d.forms, s)]
                )
            )
        else:
            self.para("本期未运用“四种形态”处理人员。")

    # -- (五) rectification
    def rectification(self) -> None:
        d, s = self.data, self.s
        r: Rectification | None = d.rectification
        if r is None:
            return
        self.heading("公开曝光问题整改评价情况")
        graded = "、".join(f"“{g.name}”{g.count}个" for g in r.grades)
        text = f"本期对{r.total}个问题的整改情况进行评价"
        if r.exposed:
            text += f"（其中公开曝光问题{r.exposed}个）"
        text += f"，评价为{graded}" if graded else ""
        overdue_on = f"截至{cn_date(d.as_of)}" if d.as_of else ""
        text += f"；按期完成整改{r.on_time}个，{overdue_on}逾期未完成整改{r.overdue}个。"
        poor_names = "”和“".join(reversed([g.name for g in r.grades if g.poor])) or "较差"
        if r.poor:
            text += (
                f"整改评价为“{poor_names}”的问题{r.poor}个，其中对公开曝光问题"
                f"{r.poor_handled}个进行严肃处理并通报。"
            )
        self.para(escape(text))
        if r.grades:
            rows = [
                [Paragraph(escape(h), s.cell_head) for h in ("评价等次", "问题数（个）", "占比")]
            ]
            poor_rows = []
            for i, g in enumerate(r.grades, start=1):
                style, num = (s.cell_bold, s.cell_num_bold) if g.poor else (s.cell, s.cell_num)
                rows.append(
                    [
                        Paragraph(escape(g.name), style),
                        Paragraph(str(g.count), num),
                        Paragraph(percent(g.count, r.total), num),
                    ]
                )
                if g.poor:
                    poor_rows.append(i)
            table = Table(
                rows, colWidths=[160, 120, 120], repeatRows=1, hAlign="CENTER", spaceAfter=8
            )
            style = _table_style(s.body_font)
            for i in poor_rows:
                style.add("BACKGROUND", (0, i), (-1, i), SHADE)
            table.setStyle(style)
            self.story.append(KeepTogether([self.caption("表", "整改评价等次分布"), table]))
        self.followups(r, poor_names)

    def followups(self, r: Rectification, poor_names: str) -> None:
        """What was done about poor grades: full sentences as paragraphs, short items joined."""
        items = [line.strip() for line in r.followups if line.strip()]
        if items and not any(line[-1] in "。；！" for line in items):
            self.para(escape(f"对整改评价为“{poor_names}”的问题，" + "、".join(items) + "。"))
            return
        for line in items:
            self.para(escape(line))

    # -- (六) typical cases
    def cases(self) -> None:
        d, s = self.data, self.s
        if not d.cases:
            return
        self.heading("典型问题通报")
        self.para(escape(f"现将{len(d.cases)}起典型问题通报如下："))
        for i, case in enumerate(d.cases, start=1):
            self.para(_case_text(i, case, s))

    # -- (七) requirements
    def requirements(self) -> None:
        d = self.data
        if not d.requirements:
            return
        self.heading("下步工作要求")
        for line in d.requirements:
            self.para(escape(line))

    # -- signature and 版记
    def closing(self) -> None:
        d, s = self.data, self.s
        self.story.append(Spacer(1, BODY_LEADING))
        sign = [
            Paragraph(escape(line), s.signature)
            for line in (*d.issuing_body.splitlines(), cn_date(d.date))
        ]
        self.story.append(KeepTogether(sign))
        record: list[Flowable] = []
        if d.source_note:
            record.append(Paragraph("数据说明：" + escape(d.source_note), s.note))
        if d.issuing_office:
            record += [
                Spacer(1, 6 * mm),
                Rule(colors.black, 1.0, space_after=3),
                Paragraph(
                    escape(d.issuing_office)
                    + "&nbsp;" * 6
                    + f'<font name="{s.body_font}">{cn_date(d.date)}印发</font>',
                    s.record,
                ),
                Rule(colors.black, 1.0, space_before=3),
            ]
        if record:
            self.story.append(KeepTogether(record))


def _header(text: str) -> str:
    """A column heading with its unit on a line of its own: 查处问题数 / （起）."""
    name, sep, unit = text.partition("（")
    return escape(name) + (f"<br/>（{escape(unit)}" if sep and name else escape(sep + unit))


def _opt(value: int | None) -> str:
    return "—" if value is None else str(value)


def _phrase(figure: HeadlineFigure) -> str:
    return figure.phrase or f"{figure.label}{figure.value}{figure.unit}"


def _short(figure: HeadlineFigure) -> str:
    """The figure's name without its unit: 发现问题 in 发现问题增长5.0%."""
    return (figure.short_label or figure.label).split("（")[0]


def _comparison_sentence(d: BulletinData) -> str:
    keys = HEADLINE_GROUPS[0]
    figures = [f for f in d.headline if f.key in keys] or d.headline[:3]
    parts = []
    for attr, label in (("previous", d.previous_label), ("last_year", d.last_year_label)):
        words = [
            f"{_short(f)}{w}"
            for f in figures
            if (w := change_words(f.value, getattr(f, attr))) is not None
        ]
        if words:
            kind = "环比" if attr == "previous" else "同比"
            ref = f"与{label}相比" if label else kind
            parts.append(f"{ref}，" + "、".join(words))
    ytd = [
        f"{_short(f)}{f.year_to_date}{f.unit}"
        for f in figures
        if f.year_to_date is not None and f.year_to_date != f.value
    ]
    if ytd:
        parts.append("今年以来累计" + "、".join(ytd))
    return "；".join(parts) + "。" if parts else ""


def _case_text(number: int, case: TypicalCase, s: Styles) -> str:
    title = escape(case.title.strip())
    if title and not title.endswith("。"):
        title += "。"
    body = escape("".join(t.strip() for t in (case.facts, case.outcome) if t.strip()))
    return s.head(f"{number}．{title}") + body


def _table_style(font: str) -> TableStyle:
    # The cell font matters even with Paragraph cells: the table sets it on the
    # canvas, and the default (Helvetica) would end up, unembedded, in the PDF.
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("GRID", (0, 0), (-1, -1), 0.6, GRID),
            ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
    )


# ------------------------------------------------------------------ charts
def trend_chart(points: Sequence[TrendPoint], s: Styles) -> Drawing:
    """Problems and persons per month: a line chart with its own fonts on every label."""
    width, height = FRAME_WIDTH, 210
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 40, 50
    chart.width, chart.height = width - 60, height - 80
    chart.data = [[p.problems for p in points], [p.persons for p in points]]
    chart.categoryAxis.categoryNames = [p.month for p in points]
    top = max(max(chart.data[0]), max(chart.data[1]), 1)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_ceiling(top)
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = s.body_font
        axis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = _int_label
    chart.categoryAxis.labels.angle = 30 if len(points) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(points) > 8 else "n"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#CCCCCC")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.joinedLines = True
    for i, colour in enumerate(SERIES[:2]):
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 1.6
        chart.lines[i].symbol = makeMarker("FilledCircle" if i == 0 else "FilledSquare", size=4)
        chart.lines[i].symbol.fillColor = colour
        chart.lines[i].symbol.strokeColor = colour
    chart.lineLabelFormat = "%d"
    chart.lineLabels.fontName = s.body_font
    chart.lineLabels.fontSize = 7
    chart.lineLabels.dy = 5
    for j in range(len(points)):
        chart.lineLabels[(1, j)].dy = -12  # persons under their points, problems above
    drawing.add(chart)
    legend = Legend()
    legend.fontName = s.body_font
    legend.fontSize = 9
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 90
    legend.x, legend.y = width / 2 - 90, height - 6
    legend.colorNamePairs = [(SERIES[0], "发现问题（个）"), (SERIES[1], "处理人员（人）")]
    drawing.add(legend)
    _check_fonts(drawing, s)
    return drawing


def forms_chart(forms: Sequence[FormShare], s: Styles) -> Drawing:
    """四种形态: a pie of the persons per form, with a legend giving persons and %."""
    width, height = FRAME_WIDTH, 170
    drawing = Drawing(width, height)
    shown = [f for f in forms if f.persons > 0]
    pie = Pie()
    pie.x, pie.y = 60, 15
    pie.width = pie.height = 140
    pie.data = [f.persons for f in shown]
    # Small slices get no label (they would overlap); the legend gives every figure.
    pie.labels = [f"{f.percent:.1f}%" if f.percent >= 5 else "" for f in shown]
    pie.simpleLabels = 0
    pie.sideLabels = 0
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 1
    pie.slices.fontName = s.body_font
    pie.slices.fontSize = 9
    pie.slices.labelRadius = 1.18
    colour_of = {f.number: PIE_COLOURS[(f.number - 1) % len(PIE_COLOURS)] for f in forms}
    for i, f in enumerate(shown):
        pie.slices[i].fillColor = colour_of[f.number]
    drawing.add(pie)
    legend = Legend()
    legend.fontName = s.body_font
    legend.fontSize = 11
    legend.x, legend.y = 260, height - 30
    legend.dx = legend.dy = 10
    legend.deltay = 24
    legend.columnMaximum = 4
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colour_of[f.number], f"{f.name}　{f.persons}人（{f.percent:.1f}%）") for f in forms
    ]
    drawing.add(legend)
    _check_fonts(drawing, s)
    return drawing


def _int_label(value: float) -> str:
    return str(round(value))


def _nice_ceiling(value: float) -> float:
    """A round axis maximum: 5 steps of 1, 2, 2.5 or 5 times a power of ten, with headroom."""
    target = max(value * 1.12, 5)
    magnitude = 1
    while magnitude * 10 <= target / 5:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * 5 >= target and step == int(step):
            return step * 5
    return 50 * magnitude


def _check_fonts(drawing: Drawing, s: Styles) -> None:
    """Refuse a chart label in a font other than ours: it would not be embedded.

    The drawing's own initial font is also ours: the PDF renderer otherwise
    starts every drawing with Helvetica, which ends up unembedded in the file.
    """
    drawing.initialFontName = s.body_font
    allowed = {s.body_font, s.head_font}
    for node in _strings(drawing):
        if node.fontName not in allowed:
            raise AssertionError(f"chart label {node.text!r} in font {node.fontName}")


def _strings(drawing: Drawing):
    expanded = drawing.expandUserNodes() if hasattr(drawing, "expandUserNodes") else drawing

    def walk(node):
        if isinstance(node, String):
            yield node
        for child in getattr(node, "contents", ()) or ():
            yield from walk(child)

    yield from walk(expanded)


# ------------------------------------------------------------------ document
SECTIONS: tuple[Callable[[Builder], None], ...] = (
    Builder.overview,
    Builder.categories,
    Builder.units_and_ranks,
    Builder.forms,
    Builder.rectification,
    Builder.cases,
    Builder.requirements,
)


def build_story(data: BulletinData, styles: Styles) -> list[Flowable]:
    builder = Builder(data, styles)
    builder.header()
    for section in SECTIONS:
        section(builder)
    builder.closing()
    return builder.story


#: Chinese punctuation that must not start a line.  ReportLab's CJK wrapping
#: knows the Japanese set (。、」) but not ，；：？！” etc.; while a bulletin is
#: laid out, these are added to its list (the character then hangs in the margin,
#: as in Chinese typesetting).  Restored afterwards, so other users of ReportLab
#: in the same process (Odoo) are unaffected.
CANNOT_START = "，；：？！”’）》〉」』】〕%"
_layout_lock = threading.Lock()


@contextmanager
def _chinese_line_breaking() -> Iterator[None]:
    modules = (rl_paragraph, rl_textsplit)  # multi-fragment and single-fragment wrapping
    with _layout_lock:
        saved = [module.ALL_CANNOT_START for module in modules]
        for module, chars in zip(modules, saved, strict=True):
            module.ALL_CANNOT_START = chars + "".join(c for c in CANNOT_START if c not in chars)
        try:
            yield
        finally:
            for module, chars in zip(modules, saved, strict=True):
                module.ALL_CANNOT_START = chars


def render(data: BulletinData, fonts: Fonts | None = None) -> bytes:
    """The bulletin as PDF bytes (A4, every font embedded, text selectable)."""
    fonts = fonts or register()
    styles = Styles(fonts)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=data.title,
        author=data.issuing_body.replace("\n", " "),
        subject=f"{data.period_label} {data.scope_label}".strip(),
        creator="case_tracker",
        initialFontName=fonts.body.name,
        initialFontSize=BODY_SIZE,
        initialLeading=BODY_LEADING,
        invariant=1,
    )

    def page_number(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont(fonts.body.name, 14)
        canvas.drawCentredString(PAGE[0] / 2, MARGINS["bottom"] - 14 * mm, f"— {doc_.page} —")
        canvas.restoreState()

    frame = Frame(
        MARGINS["left"],
        MARGINS["bottom"],
        FRAME_WIDTH,
        PAGE[1] - MARGINS["top"] - MARGINS["bottom"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=page_number)])
    with _chinese_line_breaking():
        doc.build(build_story(data, styles))
    return buffer.getvalue()
