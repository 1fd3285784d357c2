"""The 公文 layout of GB/T 9704-2012 《党政机关公文格式》, shared by every document printed.

A :class:`Document` is filled in reading order — 版头 (:class:`Head`), title,
主送机关, body paragraphs, headings 一、（一）1．（1）, tables and figures, then
:meth:`Document.close` with the 附件说明, the 落款 and the 版记 — and
:meth:`Document.render` returns the PDF.  Nothing is drawn outside the version
core (156 × 225 mm at 28 mm from the left and 37 mm from the top) except the
page numbers, 7 mm below it.

Text is set by this module rather than by ReportLab's paragraphs, because a
公文 needs what they do not do: a grid of 22 lines of 28 characters (3号 at a
15.8 pt character pitch, as word processors set it), Chinese line-breaking that
pushes a character down instead of letting punctuation hang into the margin,
numbers kept whole, and fixed terms such as 正风肃纪 never broken across lines.
Each glyph is placed on the page itself, so the same code runs on ReportLab
3.6.12 (Odoo 18's pin) and on current releases.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Table,
    TableStyle,
)

from case_tracker.bulletin.fonts import Fonts, register
from case_tracker.integrity import CODE_LABEL

# ------------------------------------------------------------------ geometry (GB/T 9704 §5)
PAGE_WIDTH, PAGE_HEIGHT = A4
CORE_LEFT = 28 * mm  # 订口 (left white edge)
CORE_TOP = 37 * mm  # 天头 (top white edge)
CORE_WIDTH = 156 * mm
CORE_HEIGHT = 225 * mm
CORE_RIGHT = CORE_LEFT + CORE_WIDTH
CORE_BOTTOM = PAGE_HEIGHT - CORE_TOP - CORE_HEIGHT  # lower edge, from the page's bottom
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE = CORE_HEIGHT / LINES_PER_PAGE  # one 行: 28.99 pt
SIZE_2 = 22  # 2号: title
SIZE_3 = 16  # 3号: body and most elements
SIZE_4 = 14  # 4号: page numbers, 版记
SIZE_XIAO_4 = 12  # 小4号: table cells and notes
PITCH = CORE_WIDTH / CHARS_PER_LINE  # advance of a 3号 character: 28 to the line
MASTHEAD_OFFSET = 35 * mm  # 发文机关标志: upper edge 35 mm below the core's upper edge
PAGE_NUMBER_GAP = 7 * mm  # 一字线 of the page number 7 mm below the core
SEAL_ROOM = 2  # blank lines between the body and the signature, where the seal goes
RED = colors.HexColor("#E60012")  # 发文机关标志 and the 版头 separator
RULE_RED = 0.8 * mm
RULE_THICK = 0.35 * mm  # 版记: first and last rules
RULE_THIN = 0.25 * mm  # 版记: rules in between

# ------------------------------------------------------------------ Chinese line breaking
#: May not start a line (closing punctuation); the character before goes down with it.
CANNOT_START = "，。、；：？！”’）》〉」』】〕…—％%·．,.;:?!)]"
#: May not end a line (opening punctuation).
CANNOT_END = "“‘（《〈「『【〔([#"
#: Full-width marks whose empty right half may be given up when a line is tight (in
#: AR PL UMing 。、 sit in the middle of their box, so they keep their width).
SQUEEZABLE = "，；：）”’"
SQUEEZE = 0.5
#: Terms never broken across lines.
FIXED_TERMS = (
    "正风肃纪",
    "八项规定",
    "四风",
    "四种形态",
    "四不两直",
    "纪委监委",
    "纪检监察",
    "回头看",
)
#: Measure words kept on the line of the number before them (3164次, 15个, 72.5%).
MEASURES = "次个人起件项元万亿倍年月日号条期家名批天"
#: Good places to end a title line (after these), per 7.3.1 "回行时要做到词意完整".
TITLE_BREAKS = "的于"


def cn_number(n: int) -> str:
    """Chinese numerals for heading numbers: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def cn_date(day: date) -> str:
    """成文日期 and 印发日期: full year, no leading zeros (7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


# ------------------------------------------------------------------ text model
@dataclass(frozen=True)
class Run:
    """A stretch of text in one role's face (body, heading, title, kai) and colour."""

    text: str
    role: str = "body"
    color: colors.Color | None = None


@dataclass(frozen=True)
class TextStyle:
    size: float = SIZE_3
    leading: float = LINE
    align: str = "justify"  # justify | left | center | right | distribute
    first_indent: float = 2  # in characters of ``size``
    indent: float = 0.0  # left indent of every line, pt
    rest_indent: float = 0.0  # extra left indent of the lines after the first, pt
    right_indent: float = 0.0  # pt
    grid: bool = True  # full-width characters on the 28-a-line pitch (3号 text)
    balance: bool = False  # lines of about equal length (titles)
    stroke: float = 0.0  # outline width in em (faux bold for the 小标宋 role)
    role: str = "body"  # the face whose metrics place the baseline


BODY = TextStyle()
PLAIN = TextStyle(first_indent=0)


@dataclass
class _Atom:
    """An unbreakable piece of a line: one CJK character, or a run of digits/Latin."""

    text: str
    font: str
    size: float
    width: float
    color: colors.Color | None
    stroke: float
    space: bool = False
    squeeze: float = 0.0  # how much narrower it may be set when a line is tight


@dataclass
class _Line:
    atoms: list[_Atom]
    xs: list[float]  # x of each atom, from the left of the text area


def _font_for(char: str, role: str, fonts: Fonts) -> str:
    """The role's face, or a face that has the glyph (GB2312 faces lack rare characters)."""
    for choice in (fonts.role(role), fonts.body, fonts.heading):
        if char.isspace() or choice.covers(char):
            return choice.name
    return fonts.role(role).name


def _is_latin(char: str) -> bool:
    return ord(char) < 0x2E80 and not char.isspace() and char not in "—…·“”‘’"


def _atoms(runs: Sequence[Run], style: TextStyle, fonts: Fonts) -> tuple[list[_Atom], str]:
    atoms: list[_Atom] = []
    for run in runs:
        text = run.text
        i = 0
        while i < len(text):
            char = text[i]
            font = _font_for(char, run.role, fonts)
            stroke = style.stroke * style.size if run.role == "title" else 0.0
            if char == " ":
                width = stringWidth(" ", font, style.size)
                atoms.append(_Atom(" ", font, style.size, width, run.color, stroke, space=True))
                i += 1
                continue
            j = i + 1
            if _is_latin(char):
                while j < len(text) and _is_latin(text[j]):
                    j += 1
            piece = text[i:j]
            width = stringWidth(piece, font, style.size)
            if style.grid and j == i + 1 and width > 0.75 * style.size:
                width *= PITCH / SIZE_3  # full-width: 28 to the line at 3号
            # only marks of the body face, whose ink is known to sit on the left
            squeeze = SQUEEZE * width if piece in SQUEEZABLE and font == fonts.body.name else 0
            atoms.append(_Atom(piece, font, style.size, width, run.color, stroke, False, squeeze))
            i = j
    return atoms, "".join(a.text for a in atoms)


def _breaks(atoms: list[_Atom], text: str, extra_terms: Iterable[str] = ()) -> list[bool]:
    """``breaks[i]``: a line may end before atom ``i``."""
    starts, pos = [], 0
    for atom in atoms:
        starts.append(pos)
        pos += len(atom.text)
    protected = [False] * (len(text) + 1)  # protected[k]: no break before character k
    for term in (*FIXED_TERMS, *extra_terms):
        at = text.find(term)
        while at >= 0:
            for k in range(at + 1, at + len(term)):
                protected[k] = True
            at = text.find(term, at + 1)
    breaks = [False] * len(atoms)
    for i in range(1, len(atoms)):
        prev, cur = atoms[i - 1], atoms[i]
        if cur.space or prev.space:
            breaks[i] = True
            continue
        if cur.text[0] in CANNOT_START or prev.text[-1] in CANNOT_END:
            continue
        if protected[starts[i]]:
            continue
        if prev.text[-1].isdigit() and cur.text in MEASURES:
            continue
        breaks[i] = True
    return breaks


def _squeezable(atom: _Atom) -> float:
    """How much a full-width punctuation mark may be narrowed (its ink sits on the left)."""
    return atom.squeeze


def _greedy(atoms, breaks, widths: tuple[float, float]) -> list[tuple[int, int]]:
    """Line spans (start, end) filling each line as far as the breaking rules allow."""
    spans = []
    start, n = 0, len(atoms)
    while start < n:
        while start < n and atoms[start].space:
            start += 1
        if start >= n:
            break
        avail = widths[0] if not spans else widths[1]
        used, squeeze, i = 0.0, 0.0, start
        # punctuation before the atom may give up to half its width (标点挤压)
        while i < n and used + atoms[i].width <= avail + squeeze + 0.01:
            used += atoms[i].width
            squeeze += _squeezable(atoms[i])
            i += 1
        if i < n:
            j = i
            while j > start + 1 and not breaks[j]:
                j -= 1
            # a piece wider than the line: cut it (and always move on, by one atom at least)
            i = j if breaks[j] and j > start else max(i, start + 1)
        spans.append((start, i))
        start = i
    return spans


def _balanced(atoms, breaks, width: float) -> list[tuple[int, int]]:
    """As few lines as greedy filling needs, of about equal length; titles prefer 的/于."""
    greedy = _greedy(atoms, breaks, (width, width))
    count = len(greedy)
    if count <= 1:
        return greedy
    n = len(atoms)
    prefix = [0.0]
    for atom in atoms:
        prefix.append(prefix[-1] + atom.width)
    target = prefix[-1] / count
    # best[k][i]: cost of setting atoms[:i] in k lines
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for i in range(1, n + 1):
            if i < n and not breaks[i]:
                continue
            for j in range(i):
                if best[k - 1][j] == inf or (j and not breaks[j]):
                    continue
                length = prefix[i] - prefix[j]
                if length > width + 0.01:
                    continue
                bonus = atoms[i - 1].size * 0.8 if atoms[i - 1].text[-1] in TITLE_BREAKS else 0
                cost = best[k - 1][j] + (length - target) ** 2 - (bonus**2 if i < n else 0)
                if cost < best[k][i]:
                    best[k][i], back[k][i] = cost, j
    if best[count][n] == inf:
        return greedy
    spans, i = [], n
    for k in range(count, 0, -1):
        j = back[k][i]
        spans.append((j, i))
        i = j
    return spans[::-1]


def layout(
    runs: Sequence[Run], style: TextStyle, fonts: Fonts, width: float, terms: Iterable[str] = ()
) -> list[_Line]:
    """Break ``runs`` into lines for a text area ``width`` wide and place every atom."""
    atoms, text = _atoms(runs, style, fonts)
    if not atoms:
        return []
    breaks = _breaks(atoms, text, terms)
    first = style.indent + style.first_indent * (PITCH if style.grid else style.size)
    rest = style.indent + style.rest_indent
    widths = (width - first - style.right_indent, width - rest - style.right_indent)
    spans = _balanced(atoms, breaks, widths[0]) if style.balance else _greedy(atoms, breaks, widths)
    lines = []
    for number, (start, end) in enumerate(spans):
        piece = atoms[start:end]
        while piece and piece[-1].space:
            piece = piece[:-1]
        left = first if number == 0 else rest
        avail = widths[0] if number == 0 else widths[1]
        advances = [a.width for a in piece]
        used = sum(advances)
        if used > avail + 0.01:  # squeezed: narrow the punctuation, never the last mark
            room = sum(_squeezable(a) for a in piece[:-1])
            factor = min(1.0, (used - avail) / room) if room else 0.0
            advances = [
                w - factor * _squeezable(a) if k < len(piece) - 1 else w
                for k, (a, w) in enumerate(zip(piece, advances, strict=True))
            ]
            used = sum(advances)
        last = number == len(spans) - 1
        gap, offset = 0.0, 0.0
        if style.align == "distribute" or (style.align == "justify" and not last):
            if len(piece) > 1:
                gap = max(avail - used, 0) / (len(piece) - 1)
        elif style.align == "center":
            offset = (avail - used) / 2
        elif style.align == "right":
            offset = avail - used
        xs, x = [], left + offset
        for advance in advances:
            xs.append(x)
            x += advance + gap
        lines.append(_Line(piece, xs))
    return lines


def _baseline_drop(fonts: Fonts, style: TextStyle) -> float:
    """From the top of a line cell to the baseline, with the em box centred in the cell."""
    choice = fonts.role(style.role)
    ascent = 0.88
    if choice.embedded:
        face = getFont(choice.name).face
        ascent = face.ascent / (face.ascent - face.descent)
    return (style.leading - style.size) / 2 + ascent * style.size


def draw_lines(canvas, lines: Sequence[_Line], x0: float, top: float, drop: float, leading):
    """Draw laid-out lines, the first line's cell starting at ``top``."""
    for number, line in enumerate(lines):
        y = top - number * leading - drop
        stroked = [a for a in line.atoms if a.stroke]
        canvas.saveState()
        if stroked:
            canvas.setLineWidth(stroked[0].stroke)
            canvas.setLineJoin(1)
        tx = canvas.beginText()
        font = color = mode = None
        for atom, x in zip(line.atoms, line.xs, strict=True):
            if atom.space:
                continue
            if (atom.font, atom.size) != font:
                tx.setFont(atom.font, atom.size)
                font = (atom.font, atom.size)
            wanted = atom.color or colors.black
            if wanted != color:
                tx.setFillColor(wanted)
                canvas.setStrokeColor(wanted)
                color = wanted
            if (2 if atom.stroke else 0) != mode:
                mode = 2 if atom.stroke else 0
                tx.setTextRenderMode(mode)
            tx.setTextOrigin(x0 + x, y)
            tx.textOut(atom.text)
        canvas.drawText(tx)
        canvas.restoreState()


class Text(Flowable):
    """A paragraph set on the line grid; splits between lines across pages."""

    def __init__(
        self,
        runs: Sequence[Run] | str,
        style: TextStyle,
        fonts: Fonts,
        *,
        terms: Iterable[str] = (),
        lines: list[_Line] | None = None,
    ) -> None:
        super().__init__()
        self.runs = [Run(runs)] if isinstance(runs, str) else list(runs)
        self.style, self.fonts, self.terms = style, fonts, tuple(terms)
        self._lines = lines
        self._laid_for: float | None = None if lines is None else -1.0

    def lines(self, width: float) -> list[_Line]:
        if self._laid_for is None or (self._laid_for >= 0 and abs(self._laid_for - width) > 0.01):
            self._lines = layout(self.runs, self.style, self.fonts, width, self.terms)
            self._laid_for = width
        return self._lines or []

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = len(self.lines(avail_width)) * self.style.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        lines = self.lines(avail_width)
        fit = int((avail_height + 0.01) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit <= 0 or len(lines) <= 1 or (fit == 1 and len(lines) >= 3):
            return []  # no first line alone at the foot of a page
        if len(lines) - fit == 1 and fit >= 3:
            fit -= 1  # nor a last line alone at the top of the next (when two stay here)
        return [self.part(lines[:fit]), self.part(lines[fit:])]

    def part(self, lines: list[_Line]) -> Text:
        return Text(self.runs, self.style, self.fonts, terms=self.terms, lines=lines)

    def draw(self):
        lines = self.lines(self.width)
        drop = _baseline_drop(self.fonts, self.style)
        draw_lines(self.canv, lines, 0, self.height, drop, self.style.leading)


class Blank(Flowable):
    """Empty lines (``空一行``): whole grid lines, dropped at the top of a page."""

    def __init__(self, lines: float = 1) -> None:
        super().__init__()
        self.lines = lines

    def wrap(self, avail_width, avail_height):
        at_top = getattr(getattr(self, "_frame", None), "_atTop", 0)
        self.height = 0 if at_top else min(self.lines * LINE, avail_height)
        return avail_width, self.height

    def draw(self):
        pass


class GridSnap(Flowable):
    """Back onto the line grid after a table or a figure, so body lines stay 22 a page."""

    def wrap(self, avail_width, avail_height):
        rest = avail_height % LINE
        self.height = 0 if rest < 0.5 or LINE - rest < 0.5 else rest
        return avail_width, self.height

    def draw(self):
        pass


class _Masthead(Flowable):
    """份号, 密级 and 紧急程度 on the first lines, the red 发文机关标志 35 mm down."""

    def __init__(self, head: Head, fonts: Fonts) -> None:
        super().__init__()
        self.head, self.fonts = head, fonts
        names = [line.strip() for line in head.issuer.splitlines() if line.strip()]
        self.names = names or [""]
        title = fonts.title.name
        natural = max(stringWidth(n, title, head.issuer_size) for n in self.names)
        size, scale = head.issuer_size, 1.0
        if natural > CORE_WIDTH * 0.98:
            scale = CORE_WIDTH * 0.98 / natural
            if scale < 0.72:  # condensed 长体 looks right down to about 70 %
                size *= scale / 0.72
                scale = 0.72
        self.size, self.scale = size, scale
        self.leading = size * 1.3
        self.widths = [stringWidth(n, title, size) * scale for n in self.names]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = MASTHEAD_OFFSET + (len(self.names) - 1) * self.leading + self.size
        return self.width, self.height

    def draw(self):
        canvas, fonts, head = self.canv, self.fonts, self.head
        marks = [(head.copy_number, "body"), (head.secrecy, "heading"), (head.urgency, "heading")]
        row = 0
        for text, role in marks:
            if text:
                lines = layout([Run(text, role)], PLAIN, fonts, CORE_WIDTH)
                top = self.height - row * LINE
                draw_lines(canvas, lines, 0, top, _baseline_drop(fonts, PLAIN), LINE)
                row += 1
        face = getFont(fonts.title.name).face if fonts.title.embedded else None
        ascent = face.ascent / (face.ascent - face.descent) if face else 0.88
        widest = max(self.widths)
        canvas.saveState()
        canvas.setFillColor(RED)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(fonts.title.embolden * self.size)
        canvas.setLineJoin(1)
        for number, (name, width) in enumerate(zip(self.names, self.widths, strict=True)):
            # the first line's upper edge sits exactly 35 mm under the core's
            y = self.height - MASTHEAD_OFFSET - number * self.leading - ascent * self.size
            tx = canvas.beginText()
            tx.setFont(fonts.title.name, self.size)
            tx.setHorizScale(self.scale * 100)
            tx.setTextRenderMode(2 if fonts.title.embolden else 0)
            chars = list(name)
            # Joint issuers: every name spread to the widest, as mastheads are set.
            gap = (widest - width) / (len(chars) - 1) if len(chars) > 1 else 0
            x = (CORE_WIDTH - widest) / 2 if len(chars) > 1 else (CORE_WIDTH - width) / 2
            for char in chars:
                tx.setTextOrigin(x, y)
                tx.textOut(char)
                x += stringWidth(char, fonts.title.name, self.size) * self.scale + gap
            canvas.drawText(tx)
        canvas.restoreState()


class _NumberAndRule(Flowable):
    """发文字号 two lines under the masthead, centred; the red separator 4 mm under it."""

    def __init__(self, number: str, fonts: Fonts) -> None:
        super().__init__()
        self.number, self.fonts = number, fonts
        self.style = replace(PLAIN, align="center")
        self.drop = _baseline_drop(fonts, self.style)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        # 空二行, the number's line down to its em box, 4 mm, the rule
        self.height = 2 * LINE + self.drop + 0.12 * SIZE_3 + 4 * mm + RULE_RED
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        if self.number:
            lines = layout([Run(self.number)], self.style, self.fonts, self.width)
            draw_lines(canvas, lines, 0, self.height - 2 * LINE, self.drop, LINE)
        canvas.saveState()
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(RULE_RED)
        canvas.line(0, RULE_RED / 2, self.width, RULE_RED / 2)
        canvas.restoreState()


class _Closing(Flowable):
    """落款 (with room for the seal) and, at the foot of the page, the 版记.

    Carries the last lines of the body with it, so the signature never stands
    alone on a page; the 版记's last rule lies on the core's lower edge (7.4.1).
    """

    def __init__(self, before: list[Flowable], sign: list[Flowable], imprint: _Imprint | None):
        super().__init__()
        self.before, self.sign, self.imprint = before, sign, imprint

    def _heights(self, width):
        parts = [*self.before, *self.sign]
        return [p.wrap(width, CORE_HEIGHT)[1] for p in parts]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        needed = sum(self._heights(avail_width))
        if self.imprint is not None:
            needed += LINE + self.imprint.wrap(avail_width, avail_height)[1]
            self.height = max(needed, avail_height - 0.01)
        else:
            self.height = needed
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []  # all of it on the next page: the body lines it carries come along

    def draw(self):
        y = self.height
        for part, height in zip([*self.before, *self.sign], self._heights(self.width), strict=True):
            y -= height
            part.drawOn(self.canv, 0, y)
        if self.imprint is not None:
            self.imprint.drawOn(self.canv, 0, 0)


class _Signature(Flowable):
    """发文机关署名 centred over the 成文日期, which stands 4 characters in from the right."""

    def __init__(self, names: list[str], day: date, fonts: Fonts) -> None:
        super().__init__()
        self.names, self.day, self.fonts = names, day, fonts

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = (len(self.names) + 1) * LINE
        return self.width, self.height

    def draw(self):
        canvas, fonts = self.canv, self.fonts
        dated = cn_date(self.day)
        rows = [*self.names, dated]
        widths = [sum(a.width for a in _atoms([Run(t)], PLAIN, fonts)[0]) for t in rows]
        # The names centred over the date, which stands 4 characters in from the right;
        # a name too long for that moves left with the others, never past the core.
        centre = min(self.width - 4 * PITCH - widths[-1] / 2, self.width - max(widths) / 2)
        drop = _baseline_drop(fonts, PLAIN)
        for number, text in enumerate(rows):
            atoms = _atoms([Run(text)], PLAIN, fonts)[0]
            width = widths[number]
            left = centre - width / 2
            if number == len(rows) - 1:
                left = self.width - 4 * PITCH - width
            line = _Line(atoms, [])
            x = left
            for atom in atoms:
                line.xs.append(x)
                x += atom.width
            draw_lines(canvas, [line], 0, self.height - number * LINE, drop, LINE)


class _Imprint(Flowable):
    """版记: 抄送 and 印发机关/印发日期 in 4号 between rules (7.4), then the 核验码 if any.

    The verification code (:mod:`case_tracker.integrity`) takes a row of its own
    under the 印发 row, separated by a thin rule like the 版记's other elements.
    """

    def __init__(self, imprint: Imprint, fonts: Fonts) -> None:
        super().__init__()
        self.imprint, self.fonts = imprint, fonts
        self.style = TextStyle(size=SIZE_4, first_indent=0, grid=False, align="left")

    def _cc_lines(self, width):
        if not self.imprint.cc:
            return []
        label = "抄送："
        cc = self.imprint.cc.rstrip("。") + "。"
        hang = stringWidth(label, self.fonts.body.name, SIZE_4)
        style = replace(self.style, indent=SIZE_4, rest_indent=hang, right_indent=SIZE_4)
        return layout([Run(label + cc)], style, self.fonts, width)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        rows = len(self._cc_lines(avail_width)) + (1 if self._issued() else 0)
        rows += 1 if self.imprint.code else 0
        self.height = rows * LINE
        return self.width, self.height

    def _issued(self) -> bool:
        return bool(self.imprint.office or self.imprint.date)

    def draw(self):
        canvas, fonts = self.canv, self.fonts
        drop = _baseline_drop(fonts, self.style)
        cc = self._cc_lines(self.width)
        top = self.height
        rules = [(top, RULE_THICK)]
        if cc:
            draw_lines(canvas, cc, 0, top, drop, LINE)
            top -= len(cc) * LINE
            if self._issued():
                rules.append((top, RULE_THIN))
        if self._issued():
            office = replace(self.style, indent=SIZE_4)
            lines = layout([Run(self.imprint.office)], office, fonts, self.width)
            if self.imprint.date:
                issued = replace(self.style, align="right", right_indent=SIZE_4)
                text = cn_date(self.imprint.date) + "印发"
                lines += layout([Run(text)], issued, fonts, self.width)
            for line in lines:  # both on one line: office on the left, date on the right
                draw_lines(canvas, [line], 0, top, drop, LINE)
            top -= LINE
        if self.imprint.code:
            if top < self.height:
                rules.append((top, RULE_THIN))
            code = replace(self.style, indent=SIZE_4)
            text = f"{CODE_LABEL}：{self.imprint.code}"
            draw_lines(canvas, layout([Run(text)], code, fonts, self.width), 0, top, drop, LINE)
        rules.append((0, RULE_THICK))
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        for y, thickness in rules:
            canvas.setLineWidth(thickness)
            inside = y - thickness / 2 if y > 0 else thickness / 2
            canvas.line(0, inside, self.width, inside)
        canvas.restoreState()


# ------------------------------------------------------------------ the document
@dataclass(frozen=True)
class Head:
    """版头: 份号, 密级和保密期限, 紧急程度 (all optional), 发文机关标志 and 发文字号."""

    issuer: str  # one line per issuing body (纪委 and 监委 are two)
    number: str = ""  # 发文字号, e.g. 甬纪通〔2018〕12号
    copy_number: str = ""  # 份号, six digits
    secrecy: str = ""  # 密级和保密期限, e.g. 内部★1年
    urgency: str = ""  # 紧急程度, e.g. 特急
    issuer_size: float = 36  # pt before condensing: 发文机关标志 is set 醒目、庄重


@dataclass(frozen=True)
class Imprint:
    """版记: 抄送机关, 印发机关 and 印发日期."""

    cc: str = ""  # without 抄送： and the final 。
    office: str = ""
    date: date | None = None
    code: str = ""  # 核验码 of a published bulletin, on a row of its own


@dataclass
class Document:
    """One 公文, filled in reading order, rendered by :meth:`render`."""

    fonts: Fonts
    head: Head
    title: str
    recipients: str = ""
    story: list[Flowable] = field(default_factory=list)
    counters: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    closed: bool = False
    _heading: Text | None = None  # the last flowable, when it is a heading standing alone

    def __post_init__(self) -> None:
        fonts = self.fonts
        self.story += [_Masthead(self.head, fonts), _NumberAndRule(self.head.number, fonts)]
        self.story.append(Blank(2))  # 标题: 空二行 under the separator
        title = TextStyle(
            size=SIZE_2,
            leading=SIZE_2 * 1.45,
            align="center",
            first_indent=0,
            grid=False,
            balance=True,
            stroke=fonts.title.embolden,
            role="title",
        )
        for part in self.title.splitlines():
            self.story.append(Text([Run(part, "title")], title, fonts))
        if self.recipients:
            self.story.append(Blank(1))  # 主送机关: 空一行 under the title, 顶格
            text = self.recipients.rstrip("：:") + "："
            self.story.append(Text(text, PLAIN, fonts))
        self.story.append(GridSnap())

    # -- body
    def paragraph(self, text: str | Sequence[Run], style: TextStyle = BODY) -> Text:
        para = Text(text, style, self.fonts)
        self.story.append(para)
        return para

    def heading(self, level: int, text: str, run_on: str = "") -> Text:
        """一、 (黑体) （一） (楷体) 1． and （1） (仿宋); ``run_on`` continues in the body face."""
        self.counters[level - 1] += 1
        for deeper in range(level, 4):
            self.counters[deeper] = 0
        n = self.counters[level - 1]
        number = {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}．", 4: f"（{n}）"}
        role = {1: "heading", 2: "kai", 3: "body", 4: "body"}[level]
        # A heading on a line of its own never ends a page: it keeps two lines of what
        # follows with it, and a heading right under another (一、 then （一）) widens that
        # one's condition instead.  A run-in heading breaks like any paragraph.
        need = (2 if run_on else 3) * LINE
        previous = self.story[-2:] if len(self.story) >= 2 else []
        if previous and isinstance(previous[0], CondPageBreak) and previous[1] is self._heading:
            previous[0].height = LINE + need
        elif not run_on:
            self.story.append(CondPageBreak(need))
        runs = [Run(number[level] + text, role)]
        if run_on:
            runs.append(Run(run_on))
        para = Text(runs, BODY, self.fonts)
        self.story.append(para)
        self._heading = None if run_on else para
        return para

    def flowable(self, *parts: Flowable, keep_together: bool = True) -> None:
        """A table or a figure; the body returns to the line grid after it."""
        self.story.append(KeepTogether(list(parts)) if keep_together else parts[0])
        if not keep_together:
            self.story.extend(parts[1:])
        self.story.append(GridSnap())

    def caption(self, text: str) -> Text:
        style = TextStyle(align="center", first_indent=0, role="heading")
        return Text([Run(text, "heading")], style, self.fonts)

    def note(self, notes: Sequence[str]) -> Flowable:
        """注： under a table; several notes are numbered, each wrapping under its text."""
        body = self.fonts.body.name
        label = stringWidth("注：", body, SIZE_XIAO_4)
        style = TextStyle(size=SIZE_XIAO_4, leading=SIZE_XIAO_4 * 1.5, first_indent=0, grid=False)
        if len(notes) == 1:
            return Text("注：" + notes[0], replace(style, rest_indent=label), self.fonts)
        parts = []
        for i, text in enumerate(notes, start=1):
            number = f"{i}．"
            hang = stringWidth(number, body, SIZE_XIAO_4)
            lead = "注：" if i == 1 else ""
            indent = 0 if i == 1 else label
            rest = label + hang - indent
            parts.append(
                Text(
                    lead + number + text,
                    replace(style, indent=indent, rest_indent=rest),
                    self.fonts,
                )
            )
        return KeepTogether(parts)

    def cell(self, text: str, role: str = "body", align: str = "left") -> Text:
        style = TextStyle(
            size=SIZE_XIAO_4,
            leading=SIZE_XIAO_4 * 1.3,
            align=align,
            first_indent=0,
            grid=False,
            role=role,
        )
        return Text([Run(text, role)], style, self.fonts)

    def table(
        self,
        caption: str,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        strong_rows: Iterable[int] = (),
        numeric_from: int = 1,
        notes: Sequence[str] = (),
    ) -> None:
        """A table in 小4号 with a 黑体 header row; ``rows[0]`` is the header."""
        strong = set(strong_rows)
        cells = []
        for r, row in enumerate(rows):
            line = []
            for c, value in enumerate(row):
                role = "heading" if r == 0 or r in strong else "body"
                align = "center" if r == 0 else ("right" if c >= numeric_from else "left")
                line.append(self.cell(value, role, align))
            cells.append(line)
        scale = CORE_WIDTH / sum(widths)
        table = Table(cells, colWidths=[w * scale for w in widths], repeatRows=1)
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.fonts.body.name),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
        table.setStyle(style)
        parts: list[Flowable] = [self.caption(caption), table]
        if notes:
            parts.append(self.note(notes))
        if len(rows) <= 10:
            self.flowable(*parts)
        else:  # a long table breaks (its header row repeats); caption, header, 3 rows together
            self.story.append(CondPageBreak(LINE + 8 * 1.7 * SIZE_XIAO_4))
            self.flowable(*parts, keep_together=False)

    # -- closing
    def close(
        self,
        signature: str,
        day: date,
        *,
        attachments: Sequence[str] = (),
        remark: str = "",
        imprint: Imprint | None = None,
    ) -> None:
        """附件说明, 落款 with room for the seal, 附注, and the 版记 at the foot of the page."""
        fonts = self.fonts
        carried: list[Flowable] = []
        last = self.story[-1] if self.story else None
        if isinstance(last, Text) and last.style == BODY:
            lines = last.lines(CORE_WIDTH)
            keep = min(2, len(lines))
            self.story.pop()
            if len(lines) > keep:
                self.story.append(last.part(lines[:-keep]))
            carried.append(last.part(lines[-keep:]))
        if attachments:
            carried.append(Blank(1))  # 附件说明: 正文下空一行, 左空二字
            carried += self._attachments(attachments)
        names = [line.strip() for line in signature.splitlines() if line.strip()]
        sign: list[Flowable] = [Blank(SEAL_ROOM), _Signature(names, day, fonts)]
        if remark:
            text = remark if remark.startswith("（") else f"（{remark}）"
            sign.append(Text(text, BODY, fonts))
        block = _Closing(carried, sign, _Imprint(imprint, fonts) if imprint else None)
        self.story.append(block)
        self.closed = True

    def _attachments(self, names: Sequence[str]) -> list[Text]:
        """附件：1．XXX — a name that wraps lines up under its own first character."""

        def width(text: str) -> float:
            return sum(a.width for a in _atoms([Run(text)], BODY, self.fonts)[0])

        label = width("附件：")
        numbered = len(names) > 1
        parts = []
        for i, name in enumerate(names, start=1):
            number = f"{i}．" if numbered else ""
            text = ("附件：" if i == 1 else "") + number + name.rstrip("。.；;")
            indent = 2 * PITCH if i == 1 else 2 * PITCH + label
            hang = (label if i == 1 else 0) + width(number)
            style = replace(BODY, first_indent=0, indent=indent, rest_indent=hang, align="left")
            parts.append(Text(text, style, self.fonts))
        return parts

    # -- output
    def render(self, *, author: str = "", subject: str = "", keywords: str = "") -> bytes:
        if not self.closed:
            raise ValueError("close() the document before rendering it")
        buffer = io.BytesIO()
        fonts = self.fonts
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=CORE_LEFT,
            rightMargin=PAGE_WIDTH - CORE_RIGHT,
            topMargin=CORE_TOP,
            bottomMargin=CORE_BOTTOM,
            title=self.title.replace("\n", ""),
            author=author,
            subject=subject,
            keywords=keywords,
            creator="case_tracker",
            initialFontName=fonts.body.name,
            initialFontSize=SIZE_3,
            initialLeading=LINE,
            invariant=1,
        )
        frame = Frame(
            CORE_LEFT,
            CORE_BOTTOM,
            CORE_WIDTH,
            CORE_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="core",
        )
        doc.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=lambda c, d: page_number(c, d, fonts))]
        )
        doc.build(list(self.story))
        return buffer.getvalue()


def page_number(canvas, doc, fonts: Fonts) -> None:
    """ "— N —" in 4号 Song, 7 mm under the core; odd pages right, even pages left, 空一字 (7.5)."""
    text = f"— {doc.page} —"
    font = fonts.body.name
    width = stringWidth(text, font, SIZE_4)
    dash_height = 0.3 * SIZE_4  # the 一字线 sits about a third of the em above the baseline
    y = CORE_BOTTOM - PAGE_NUMBER_GAP - dash_height
    x = CORE_RIGHT - SIZE_4 - width if doc.page % 2 else CORE_LEFT + SIZE_4
    canvas.saveState()
    canvas.setFont(font, SIZE_4)
    canvas.setFillColor(colors.black)
    canvas.drawString(x, y, text)
    canvas.restoreState()


def default_fonts() -> Fonts:
    return register()
