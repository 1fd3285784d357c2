"""The bulletin (通报) PDF: ``render(BulletinData) -> bytes``, a pure function.

No database, no RPC: the CLI and the Odoo add-on call the same function with
data built by the statistics.  The page is a 公文 by GB/T 9704-2012, laid out
by :mod:`case_tracker.bulletin.gongwen`: 版头 with the scope's commission and
the 发文字号, title, 主送机关, a 导语 stating period and scope, the sections
一、 to 七、, the 落款 with room for the seal, and the 版记.

Wording rules: a figure of 0 is not written into a sentence; 处分 is said of
sanctions only (:mod:`case_tracker.bulletin.wording`); a table whose total is
not the sum of its rows says why underneath.  The figures are printed exactly
as the statistics give them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from case_tracker.bulletin.data import (
    BulletinData,
    CountTable,
    FormShare,
    HeadlineFigure,
    Rectification,
    TrendPoint,
    TypicalCase,
    UnitRectification,
)
from case_tracker.bulletin.fonts import Fonts, register
from case_tracker.bulletin.gongwen import CORE_WIDTH, Document, Head, Imprint
from case_tracker.bulletin.issuer import issuer_lines
from case_tracker.bulletin.phrases import (
    COMPARED_AS,
    HEADLINE_GROUPS,
    HEADLINE_PHRASES,
    SHORT_LABELS,
    STANDALONE,
)
from case_tracker.bulletin.wording import (
    COUNT_HEADERS,
    change,
    change_words,
    cn_date,
    date_range,
    per,
    percent,
)

SERIES = (colors.HexColor("#C0392B"), colors.HexColor("#2E5C8A"))
PIE_COLOURS = (
    colors.HexColor("#2E5C8A"),
    colors.HexColor("#E0A030"),
    colors.HexColor("#C0392B"),
    colors.HexColor("#5A5A5A"),
)


# ------------------------------------------------------------------ sentences
def headline_sentence(headline: Sequence[HeadlineFigure]) -> str:
    """The figures of the opening paragraph, zeros left out; empty when all are zero."""
    figures = {f.key: f for f in headline}
    groups, used = [], set()
    for keys in (*HEADLINE_GROUPS, tuple(f.key for f in headline)):
        parts, dropped_first = [], False
        for n, key in enumerate(keys):
            figure = figures.get(key)
            if figure is None or key in used:
                continue
            used.add(key)
            if figure.value == 0:
                dropped_first = dropped_first or n == 0 or not parts
                continue
            template = HEADLINE_PHRASES.get(key, "{label}{v}{u}")
            if dropped_first and not parts and key in STANDALONE:
                template = STANDALONE[key]
            parts.append(template.format(v=figure.value, u=figure.unit, label=figure.label))
        if parts:
            groups.append("，".join(parts))
    return "；".join(groups)


def comparison_sentence(d: BulletinData) -> str:
    """与2017年下半年相比，监督检查次数上升18.3%、…；今年以来累计…。"""
    figures = [f for f in d.headline if f.key in COMPARED_AS]
    parts = []
    for attr, label, kind in (
        ("previous", d.previous_label, "环比"),
        ("last_year", d.last_year_label, "同比"),
    ):
        words = [
            f"{COMPARED_AS[f.key]}{w}"
            for f in figures
            if (w := change_words(f.value, getattr(f, attr))) is not None
        ]
        if words:
            parts.append((f"与{label}相比，" if label else f"{kind}") + "、".join(words))
    ytd = [
        f"{COMPARED_AS[f.key].removesuffix('数').removesuffix('次')}{f.year_to_date}{f.unit}"
        for f in figures
        if f.year_to_date and f.year_to_date != f.value
    ]
    if ytd:
        parts.append("今年以来累计" + "、".join(ytd))
    return "；".join(parts) + "。" if parts else ""


def _non_zero(items: Sequence[tuple[str, int]], unit: str) -> list[str]:
    return [f"{name}{count}{unit}" for name, count in items if count]


# ------------------------------------------------------------------ sections
class Bulletin:
    """Fills a :class:`Document` with the sections of one bulletin."""

    def __init__(self, data: BulletinData, fonts: Fonts) -> None:
        self.d = data
        self.doc = Document(
            fonts,
            Head("\n".join(issuer_lines(data.issuing_body)), data.number),
            data.title,
            data.recipients or "各有关单位",
        )
        self.tables = 0
        self.figures = 0

    def table_caption(self, title: str) -> str:
        self.tables += 1
        return f"表{self.tables}　{title}"

    def figure_caption(self, title: str) -> str:
        self.figures += 1
        return f"图{self.figures}　{title}"

    def build(self) -> Document:
        d, doc = self.d, self.doc
        doc.paragraph(d.lead or self.default_lead())
        for section in (
            self.overview,
            self.categories,
            self.units_and_ranks,
            self.forms,
            self.rectification,
            self.cases,
            self.requirements,
        ):
            section()
        office = d.issuing_office
        code = d.verification_code
        imprint = (
            Imprint(cc=d.cc, office=office, date=d.date, code=code)
            if office or d.cc or code
            else None
        )
        doc.close("\n".join(issuer_lines(d.issuing_body)), d.date, imprint=imprint)
        return doc

    def default_lead(self) -> str:
        d = self.d
        dates = f"（{date_range(d.period_start, d.period_end)}）" if d.period_start else ""
        return (
            f"{d.period_label}{dates}，{d.scope_label}各级纪检监察机关持续开展正风肃纪监督检查。"
            "现将有关情况通报如下。"
        )

    # -- 一、
    def overview(self) -> None:
        d, doc = self.d, self.doc
        doc.heading(1, "总体情况")
        figures = headline_sentence(d.headline)
        # A period not yet over: say up to which day the figures go.
        until = f"（截至{cn_date(d.as_of)}）" if d.as_of else ""
        who = f"{d.period_label}{until}，{d.scope_label}各级纪检监察机关"
        if figures:
            doc.paragraph(f"{who}共{figures}。")
        else:
            doc.paragraph(f"{d.period_label}，{d.scope_label}暂无正风肃纪监督检查统计数据。")
        sentence = comparison_sentence(d)
        if sentence:
            doc.paragraph(sentence)
        if any(
            f.previous is not None or f.last_year is not None or f.year_to_date is not None
            for f in d.headline
        ):
            self.comparison_table()
        if d.trend and any(p.problems or p.persons for p in d.trend):
            first, last = _month(d.trend[0].month, True), _month(d.trend[-1].month, True)
            span = f"{first}至{last}" if len(d.trend) > 1 else first
            doc.flowable(
                doc.caption(self.figure_caption(f"{span}发现问题和处理人员趋势")),
                trend_chart(d.trend, doc.fonts),
            )

    def comparison_table(self) -> None:
        d = self.d
        head = [
            "指标",
            d.period_label or "本期",
            d.previous_label or "上期",
            "环比",
            d.last_year_label or "去年同期",
            "同比",
            "年度累计",
        ]
        rows = [head]
        for f in d.headline:
            rows.append(
                [
                    SHORT_LABELS.get(f.key, f"{f.label}（{f.unit}）"),
                    str(f.value),
                    _opt(f.previous),
                    change(f.value, f.previous),
                    _opt(f.last_year),
                    change(f.value, f.last_year),
                    _opt(f.year_to_date),
                ]
            )
        self.doc.table(self.table_caption("主要指标对比"), rows, [33, 15, 15, 12, 15, 12, 16])

    # -- 二、
    def categories(self) -> None:
        table = self.d.categories
        if table is None:
            return
        self.doc.heading(1, "问题分类情况")
        groups = [r for r in table.rows if r.level == "group"]
        parts = []
        for g in groups:
            if g.problems:
                text = f"{g.label}{g.problems}起"
                if g.persons:
                    text += f"，处理{g.persons}人"
                    if g.sanctioned:
                        text += f"，其中党纪政务处分{g.sanctioned}人"
                parts.append(text)
        if parts:
            self.doc.paragraph("从问题类型看，查处" + "；".join(parts) + "。分类情况见下表。")
        self.count_table(table)

    # -- 三、
    def units_and_ranks(self) -> None:
        d, doc = self.d, self.doc
        tables = [t for t in (d.by_unit, d.by_rank) if t is not None and t.rows]
        if not tables:
            return
        doc.heading(1, "分地区分单位、分级别情况")
        if d.by_unit is not None and d.by_unit.rows:
            doc.heading(2, "各地区各单位情况")
            leaves = [r for r in d.by_unit.rows if r.level == "leaf" and r.problems]
            if leaves:
                top = sorted(leaves, key=lambda r: -(r.problems or 0))[:3]
                names = "、".join(f"{r.label}（{r.problems}个）" for r in top)
                doc.paragraph(f"发现问题较多的是{names}。各地区各单位情况见下表。")
            self.count_table(d.by_unit)
        if d.by_rank is not None and d.by_rank.rows:
            doc.heading(2, "按级别统计")
            counted = _non_zero([(r.label, r.persons) for r in d.by_rank.rows], "人")
            if counted:
                doc.paragraph("从被处理人员级别看，" + "，".join(counted) + "。")
            self.count_table(d.by_rank)

    def count_table(self, table: CountTable) -> None:
        with_insp, with_problems = table.has_inspections, table.has_problems
        counts = list(table.headers) or [
            *(("监督检查（次）",) if with_insp else ()),
            *(COUNT_HEADERS if with_problems else COUNT_HEADERS[1:]),
        ]
        rows = [[table.header, *counts]]
        strong = []
        for i, row in enumerate(table.rows, start=1):
            numbers = [row.persons, row.sanctioned]
            if with_problems:
                numbers.insert(0, row.problems if row.problems is not None else "—")
            if with_insp:
                numbers.insert(0, row.inspections if row.inspections is not None else "—")
            rows.append(["　" * (2 * row.indent) + row.label, *(str(n) for n in numbers)])
            if row.level != "leaf":
                strong.append(i)
        label_width = 32 if len(counts) > 3 else 46
        widths = [label_width] + [(100 - label_width) / len(counts)] * len(counts)
        notes = [table.note] if table.note else []
        if table.sum_note and not _adds_up(table):
            notes.append(table.sum_note)
        self.doc.table(
            self.table_caption(table.title), rows, widths, strong_rows=strong, notes=notes
        )

    # -- 四、
    def forms(self) -> None:
        d, doc = self.d, self.doc
        if not d.forms:
            return
        total = sum(f.persons for f in d.forms)
        if not total:
            return
        doc.heading(1, "运用监督执纪“四种形态”情况")
        parts = [f"{f.name}{f.persons}人，占{f.percent:.1f}%" for f in d.forms if f.persons]
        doc.paragraph(
            f"运用监督执纪“四种形态”批评教育帮助和处理{total}人，其中" + "；".join(parts) + "。"
        )
        doc.flowable(
            doc.caption(self.figure_caption("“四种形态”处理人数占比")),
            forms_chart(d.forms, doc.fonts),
        )

    # -- 五、
    def rectification(self) -> None:
        d, doc = self.d, self.doc
        r: Rectification | None = d.rectification
        if r is None or not (
            r.total or r.on_time or r.overdue or r.finished or r.false_rectification
        ):
            return
        doc.heading(1, "公开曝光问题整改评价情况")
        sentences = []
        if r.total:
            text = f"对{r.total}个问题的整改情况进行评价"
            if r.exposed:
                text += f"（其中公开曝光问题{r.exposed}个）"
            graded = "、".join(f"“{g.name}”{g.count}个" for g in r.grades if g.count)
            sentences.append(text + (f"，评价为{graded}" if graded else ""))
        overdue = f"截至{cn_date(d.as_of)}逾期未完成整改" if d.as_of else "逾期未完成整改"
        done = _non_zero([("按期完成整改", r.on_time), (overdue, r.overdue)], "个")
        if done:
            sentences.append("，".join(done))
        text = "本期" + "；".join(sentences) + "。"
        poor_names = "”和“".join(reversed([g.name for g in r.grades if g.poor])) or "较差"
        if r.poor:
            text += f"整改评价为“{poor_names}”的问题{r.poor}个"
            if r.poor_handled:
                text += f"，对其中{r.poor_handled}个公开曝光问题进行严肃处理并通报"
            text += "。"
        doc.paragraph(text)
        if any(g.count for g in r.grades):
            rows = [["评价等次", "问题数（个）", "占比"]]
            strong = []
            for i, g in enumerate(r.grades, start=1):
                rows.append([g.name, str(g.count), percent(g.count, r.total)])
                if g.poor:
                    strong.append(i)
            doc.table(
                self.table_caption("整改评价等次分布"), rows, [40, 30, 30], strong_rows=strong
            )
        self.followups(r, poor_names)
        self.rectification_loop(r)

    def rectification_loop(self, r: Rectification) -> None:
        """Timeliness, returns, extensions and 整改不实: a sentence, the table by unit, and
        the definition of 整改不实 under it."""
        parts = []
        if r.finished:
            parts.append(
                f"本期完成整改{r.finished}个，按原定整改期限计算，"
                f"按期完成率{percent(r.on_time, r.finished)}"
            )
            if r.extended:
                parts.append(f"经批准延期后完成{r.extended}个")
            if r.returns:
                parts.append(
                    f"验收时退回重改{r.returns}次，平均每个整改事项{per(r.returns, r.finished)}次"
                )
        if r.false_rectification:
            parts.append(f"“回头看”发现整改不实{r.false_rectification}个")
        rows = [u for u in r.units if u.level == "leaf"]
        shown = any(u.finished or u.false_rectification for u in rows)
        if parts:
            more = "各单位整改情况见下表。" if shown else ""
            self.doc.paragraph("；".join(parts) + "。" + more)
        if shown:
            self.rectification_units(r.units, r.definition)
        elif r.false_rectification and r.definition:
            self.doc.paragraph(r.definition)

    def rectification_units(self, units: Sequence[UnitRectification], definition: str) -> None:
        # Headers of four characters (five in the wider rate column): one line each.
        header = ["单位", "完成整改", "按期完成率", "平均退回", "批准延期", "整改不实"]
        rows = [header]
        strong = []
        for i, u in enumerate(units, start=1):
            rows.append(
                [
                    u.label,
                    str(u.finished),
                    percent(u.on_time, u.finished),
                    per(u.returns, u.finished),
                    str(u.extended),
                    str(u.false_rectification),
                ]
            )
            if u.level != "leaf":
                strong.append(i)
        notes = [
            "完成整改、批准延期、整改不实单位为个，平均退回单位为次。完成整改、按期完成、"
            "退回重改和批准延期按整改完成日期统计；按期完成以原定整改期限为准，批准延期"
            "不改变原定期限；平均退回为退回重改次数除以完成整改数。"
        ]
        if definition:
            notes.append(definition)
        self.doc.table(
            self.table_caption("各单位整改情况"),
            rows,
            [28, 14, 16, 14, 14, 14],
            strong_rows=strong,
            notes=notes,
        )

    def followups(self, r: Rectification, poor_names: str) -> None:
        """What was done about poor grades: full sentences as paragraphs, short items joined."""
        items = [line.strip() for line in r.followups if line.strip()]
        if items and not any(line[-1] in "。；！" for line in items):
            self.doc.paragraph(f"对整改评价为“{poor_names}”的问题，" + "、".join(items) + "。")
            return
        for line in items:
            self.doc.paragraph(line)

    # -- 六、
    def cases(self) -> None:
        d, doc = self.d, self.doc
        if not d.cases:
            return
        doc.heading(1, "典型问题通报")
        doc.paragraph(f"现将{len(d.cases)}起典型问题通报如下。")
        for case in d.cases:
            title, body = _case_parts(case)
            doc.heading(2, title, body)

    # -- 七、
    def requirements(self) -> None:
        d, doc = self.d, self.doc
        if not d.requirements:
            return
        doc.heading(1, "下步工作要求")
        for line in d.requirements:
            line = re.sub(r"^[一二三四五六七八九十]+是", "", line.strip())  # numbered here
            head, sep, rest = line.partition("。")
            if sep and rest and len(head) <= 16:
                doc.heading(2, head + "。", rest)  # the lead sentence in 楷体, as usual
            else:
                doc.heading(2, "", line)


def _adds_up(table: CountTable) -> bool:
    """Whether every total (and group) row is the sum of the rows it stands for."""
    keys = ("inspections", "problems", "persons", "sanctioned")
    rows = table.rows
    total = next((r for r in rows if r.level == "total"), None)
    if total is not None:
        leaves = [r for r in rows if r.level in ("leaf", "group") and r.indent == 0]
        for key in keys:
            if getattr(total, key) is not None and getattr(total, key) != sum(
                getattr(r, key) or 0 for r in leaves
            ):
                return False
    current, members = None, []
    for row in [*rows, None]:
        if row is None or row.level == "group":
            if current is not None and members:
                for key in keys:
                    value = getattr(current, key)
                    if value is not None and value != sum(getattr(m, key) or 0 for m in members):
                        return False
            current, members = row, []
        elif row.level == "leaf" and current is not None:
            members.append(row)
    return True


def _case_parts(case: TypicalCase) -> tuple[str, str]:
    title = case.title.strip()
    if title and not title.endswith("。"):
        title += "。"
    body = "".join(t.strip() for t in (case.facts, case.outcome) if t.strip())
    return title, body


def _opt(value: int | None) -> str:
    return "—" if value is None else str(value)


def _month(label: str, with_year: bool) -> str:
    """2018-01 → 1月 (2018年1月 with the year): no Latin or ISO dates on the page."""
    year, sep, month = label.partition("-")
    if not sep or not (year.isdigit() and month.isdigit()):
        return label
    return f"{year}年{int(month)}月" if with_year else f"{int(month)}月"


# ------------------------------------------------------------------ charts
def trend_chart(points: Sequence[TrendPoint], fonts: Fonts) -> Drawing:
    """Problems and persons per month: a line chart with its own fonts on every label."""
    body = fonts.body.name
    width, height = CORE_WIDTH, 190
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 36, 30
    chart.width, chart.height = width - 46, height - 62
    chart.data = [[p.problems for p in points], [p.persons for p in points]]
    chart.categoryAxis.categoryNames = [_month(p.month, False) for p in points]
    top = max(max(chart.data[0]), max(chart.data[1]), 1)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_ceiling(top)
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = body
        axis.labels.fontSize = 10
    chart.valueAxis.labelTextFormat = _int_label
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#CCCCCC")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.joinedLines = True
    for i, colour in enumerate(SERIES):
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 1.4
        chart.lines[i].symbol = makeMarker("FilledCircle" if i == 0 else "FilledSquare", size=4)
        chart.lines[i].symbol.fillColor = colour
        chart.lines[i].symbol.strokeColor = colour
    chart.lineLabelFormat = "%d"
    chart.lineLabels.fontName = body
    chart.lineLabels.fontSize = 9
    chart.lineLabels.dy = 5
    for j in range(len(points)):
        chart.lineLabels[(1, j)].dy = -17  # persons under their points, problems above
    drawing.add(chart)
    legend = Legend()
    legend.fontName = body
    legend.fontSize = 11
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 90
    legend.x, legend.y = width / 2 - 90, height - 6
    legend.colorNamePairs = [(SERIES[0], "发现问题（个）"), (SERIES[1], "处理人员（人）")]
    drawing.add(legend)
    _check_fonts(drawing, fonts)
    return drawing


def forms_chart(forms: Sequence[FormShare], fonts: Fonts) -> Drawing:
    """四种形态: a pie of the persons per form, with a legend giving persons and %."""
    body = fonts.body.name
    width, height = CORE_WIDTH, 160
    drawing = Drawing(width, height)
    shown = [f for f in forms if f.persons > 0]
    pie = Pie()
    pie.x, pie.y = 70, 12
    pie.width = pie.height = 136
    pie.data = [f.persons for f in shown]
    # Small slices get no label (they would overlap); the legend gives every figure.
    pie.labels = [f"{f.percent:.1f}%" if f.percent >= 5 else "" for f in shown]
    pie.simpleLabels = 0
    pie.sideLabels = 0
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 1
    pie.slices.fontName = body
    pie.slices.fontSize = 11
    pie.slices.labelRadius = 1.18
    colour_of = {f.number: PIE_COLOURS[(f.number - 1) % len(PIE_COLOURS)] for f in forms}
    for i, f in enumerate(shown):
        pie.slices[i].fillColor = colour_of[f.number]
    drawing.add(pie)
    legend = Legend()
    legend.fontName = body
    legend.fontSize = 12
    legend.dx = legend.dy = 10
    legend.deltay = 24
    legend.columnMaximum = 4
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colour_of[f.number], f"{f.name}　{f.persons}人（{f.percent:.1f}%）") for f in shown
    ]
    # as far right as the longest entry allows, never past the version core
    longest = max((stringWidth(name, body, 12) for _c, name in legend.colorNamePairs), default=0)
    legend.x = min(262, width - longest - legend.dx - legend.dxTextSpace - 2)
    legend.y = height - 30
    drawing.add(legend)
    _check_fonts(drawing, fonts)
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


def _check_fonts(drawing: Drawing, fonts: Fonts) -> None:
    """Refuse a chart label in a font other than ours: it would not be embedded.

    The drawing's own initial font is also ours: the PDF renderer otherwise
    starts every drawing with Helvetica, which ends up unembedded in the file.
    """
    drawing.initialFontName = fonts.body.name
    allowed = {fonts.role(role).name for role in ("body", "heading", "title", "kai")}
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


# ------------------------------------------------------------------ entry point
def render(data: BulletinData, fonts: Fonts | None = None) -> bytes:
    """The bulletin as PDF bytes (A4, GB/T 9704 layout, every font embedded)."""
    fonts = fonts or register()
    doc = Bulletin(data, fonts).build()
    return doc.render(
        author=" ".join(issuer_lines(data.issuing_body)),
        subject=f"{data.period_label} {data.scope_label}".strip(),
        keywords=data.source_note,
    )
