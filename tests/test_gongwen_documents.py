"""Both documents read back and measured against GB/T 9704-2012 (tests/pdf_check.py).

The sample bulletin (甬纪通〔2018〕12号), the same bulletin as a published record
prints it (with its 核验码 in the 版记) and the notice of a sample inspection
(甬纪督〔2018〕3号) must each: stay inside the version core within ±2 mm, set
the body in 3号 on 22 lines a page, put the page numbers under the core on the
outer side, embed every font with at least three families by role, print no
Latin word, and carry the 发文字号 on page 1 under a red masthead.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from case_tracker.bulletin.fonts import register
from case_tracker.bulletin.gongwen import (
    BODY,
    CANNOT_END,
    CANNOT_START,
    CORE_WIDTH,
    FIXED_TERMS,
    PLAIN,
    Run,
    layout,
)
from case_tracker.cli import main
from case_tracker.integrity import CODE_LABEL, code_in_pdf, verification_code
from tests import pdf_check as pc

DOCUMENTS = {
    "bulletin": (
        ["bulletin", "--sample", "--period", "2018-H1", "--number", "甬纪通〔2018〕12号"],
        "甬纪通〔2018〕12号",
    ),
    "notice": (
        ["notice", "--sample", "--inspection", "J2018-03619", "--number", "甬纪督〔2018〕3号"],
        "甬纪督〔2018〕3号",
    ),
}


#: The code a bulletin record would carry (case_tracker.integrity), made up for the sample.
SEALED_CODE = verification_code(12, "0" * 64)


def sealed_bulletin() -> bytes:
    """The sample bulletin as Odoo renders a bulletin record: with its 核验码."""
    from case_tracker.bulletin import render
    from case_tracker.bulletin.issuer import issuer_from_units
    from case_tracker.sample.generator import sample_dataset
    from case_tracker.stats.bulletin import build_bulletin_data
    from case_tracker.stats.engine import statistics
    from case_tracker.stats.period import parse_period

    dataset = sample_dataset()
    data = build_bulletin_data(
        statistics(dataset, parse_period("2018-H1"), None),
        number=DOCUMENTS["bulletin"][1],
        issue_date=date(2018, 7, 16),
        issuer=issuer_from_units(dataset.units, None),
        verification_code=SEALED_CODE,
    )
    return render(data)


@pytest.fixture(scope="module", params=[*sorted(DOCUMENTS), "sealed bulletin"])
def document(request, tmp_path_factory):
    if request.param == "sealed bulletin":
        pdf = sealed_bulletin()
        return request.param, DOCUMENTS["bulletin"][1], pdf, pc.read(pdf)
    args, number = DOCUMENTS[request.param]
    out = tmp_path_factory.mktemp(request.param) / f"{request.param}.pdf"
    assert main([*args, "--date", "2018-07-16", "-o", str(out)]) == 0
    pdf = out.read_bytes()
    return request.param, number, pdf, pc.read(pdf)


def test_everything_stays_inside_the_version_core(document):
    _name, _number, _pdf, pages = document
    assert pc.outside_core(pages) == []
    left, top, right, bottom = pc.extent(pages)
    assert abs(left - pc.CORE_LEFT) < 2 and abs(right - pc.CORE_RIGHT) < 2  # and fills it
    assert top >= pc.CORE_TOP - 2 and bottom <= pc.CORE_BOTTOM + 2


def test_body_is_3hao_on_22_lines_a_page(document):
    name, _number, _pdf, pages = document
    family, size = pc.body_font(pages)
    assert size == 16 and family == "UMingCN"
    rows = []
    for page in pages:
        if page.number == 1:  # under the masthead, title and 主送机关 the grid starts again
            start = max(g.bottom for g in page.glyphs if g.text == "：" and g.size == 16)
            page = pc.Page(1, [g for g in page.glyphs if g.top > start], page.shapes)
        rows.append(page.body_rows())
    # every 3号 line sits on one of the 22 rows of 225/22 mm that fill the core (a page of
    # running text uses all 22: tests/test_notice.py::test_a_long_notice_fills_its_pages…)
    assert all(0 <= r <= 21 for page_rows in rows for r in page_rows)
    assert sum(len(page_rows) for page_rows in rows) > 30
    # 28 characters a line: a full line of running text holds 28 full-width characters
    line = [g for g in pages[-1].glyphs if g.size == 16]
    by_row: dict[int, list] = {}
    for g in line:
        by_row.setdefault(round((g.top - pc.CORE_TOP) / pc.LINE_MM), []).append(g)
    widest = max(len([g for g in row if ord(g.text) > 0x2E80]) for row in by_row.values())
    assert widest >= 28 or name == "notice"  # more only where punctuation is squeezed


def test_page_numbers_under_the_core_on_the_outer_side(document):
    _name, _number, _pdf, pages = document
    assert len(pages) >= 2
    for page in pages:
        text = "".join(g.text for g in page.page_number)
        assert text == f"— {page.number} —"
        top = min(g.top for g in page.page_number)
        assert pc.CORE_BOTTOM + 3 < top < pc.CORE_BOTTOM + 10, top  # 一字线 7 mm under the core
        assert {g.size for g in page.page_number} == {14}  # 4号
        if page.number % 2:  # odd: right, one character in
            assert abs(max(g.x1 for g in page.page_number) - (pc.CORE_RIGHT - 14 / pc.MM)) < 0.5
        else:
            assert abs(min(g.x0 for g in page.page_number) - (pc.CORE_LEFT + 14 / pc.MM)) < 0.5


def test_every_font_embedded_and_three_families_by_role(document):
    _name, _number, pdf, pages = document
    fonts = pc.embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    title = {g.font for g in pages[0].glyphs if g.size == 22}  # 2号 title
    masthead = {g.font for g in pages[0].glyphs if g.size > 22}
    body, _size = pc.body_font(pages)
    heading = {f for f, _s in pc.fonts_of(pages, "一、")}
    second = {f for f, _s in pc.fonts_of(pages, "（一）")}
    assert masthead == title  # 小标宋 for both
    roles = [*title, body, *heading, *second]
    assert len(roles) == 4 and len(set(roles)) >= 3, roles
    assert len({pc.family(f) for f in fonts}) >= 3


def test_no_latin_words_in_the_text(document):
    _name, _number, _pdf, pages = document
    text = "".join(p.text for p in pages)
    assert not re.findall(r"[A-Za-z]+", text)


def test_masthead_number_and_red_rule_on_page_one(document):
    _name, number, _pdf, pages = document
    first = pages[0]
    masthead = [g for g in first.glyphs if g.size > 22]
    assert masthead and all(g.color and g.color[0] > 0.8 > g.color[1] for g in masthead)  # red
    assert abs(min(g.top for g in masthead) - (pc.CORE_TOP + 35)) < 1  # 35 mm under the core top
    assert number in first.text
    number_top = min(g.top for g in first.glyphs if g.text == "〔")
    rules = [s for s in first.shapes if s[2] - s[0] > 150 and s[1] > number_top]
    assert rules and min(r[1] for r in rules) - number_top < 12  # the red rule under it
    assert "中共宁波市纪律检查委员会" in first.text.replace(" ", "")
    title_top = min(g.top for g in first.glyphs if g.size == 22)
    assert title_top > min(r[1] for r in rules)  # the title under the rule


def test_the_verification_code_in_the_imprint_of_a_published_bulletin_only(document):
    """A bulletin record's 核验码: in the 版记, on the last page, between its rules, in 4号.

    A bulletin made from files (the command line) has none: no server vouches for it.
    """
    name, _number, pdf, pages = document
    if name != "sealed bulletin":
        assert CODE_LABEL not in "".join(p.text for p in pages)
        assert code_in_pdf(pdf) is None
        return
    assert code_in_pdf(pdf) == SEALED_CODE
    last = pages[-1]
    at = last.text.find(CODE_LABEL)
    assert at >= 0 and all(CODE_LABEL not in p.text for p in pages[:-1])
    glyphs = last.glyphs[at : at + len(CODE_LABEL) + 1 + len(SEALED_CODE)]
    assert "".join(g.text for g in glyphs) == f"{CODE_LABEL}：{SEALED_CODE}"
    assert {g.size for g in glyphs} == {14}  # 4号, as the rest of the 版记
    assert abs(glyphs[0].x0 - (pc.CORE_LEFT + 14 / pc.MM)) < 0.5  # 左空一字
    issued = last.text.find("印发")
    assert 0 <= issued < at  # under the 印发 row, the last row of the 版记
    rules = sorted(s[1] for s in last.shapes if s[2] - s[0] > 150)  # full-width rules
    top, bottom = min(g.top for g in glyphs), max(g.bottom for g in glyphs)
    assert any(top - 8 < y < top for y in rules) and any(bottom < y < bottom + 8 for y in rules)
    assert abs(rules[-1] - pc.CORE_BOTTOM) < 1  # the last rule on the core's lower edge


def test_fixed_terms_and_numbers_never_break(document):
    _name, _number, _pdf, pages = document
    lines = []  # body lines in reading order: (page, starts at the left edge, text)
    for page in pages:
        rows: dict[int, list] = {}
        for g in page.glyphs:
            if g.size == 16:
                rows.setdefault(round(g.top * 4), []).append(g)
        for _top, row in sorted(rows.items()):
            row.sort(key=lambda g: g.x0)
            lines.append((page.number, row[0].x0 < pc.CORE_LEFT + 1, "".join(g.text for g in row)))
    for (_p, _l, before), (_q, continued, after) in itertools.pairwise(lines):
        if not continued:  # a new paragraph or heading (indented) may start with anything
            continue
        assert after[0] not in CANNOT_START, f"line starts with {after[:20]}"
        assert before[-1] not in CANNOT_END, f"line ends with {before[-20:]}"
        for term in FIXED_TERMS:
            for cut in range(1, len(term)):
                broken = before.endswith(term[:cut]) and after.startswith(term[cut:])
                assert not broken, f"{term} broken: …{before[-6:]} / {after[:6]}…"
        assert not (before[-1].isdigit() and after[0].isdigit()), f"…{before[-6:]} / {after[:6]}"


# ------------------------------------------------------------------ the line breaker itself
@pytest.fixture(scope="module")
def fonts():
    return register()


def _lines(text, fonts, width=CORE_WIDTH, style=BODY):
    return [
        "".join(a.text for a in line.atoms) for line in layout([Run(text)], style, fonts, width)
    ]


def test_punctuation_never_hangs_and_never_starts_a_line(fonts):
    text = "各级纪检监察机关要紧盯重要节点综合运用明察暗访等方式，" * 6
    for width in range(300, 450, 7):
        for line in _lines(text, fonts, width):
            assert line[0] not in CANNOT_START
        for laid in layout([Run(text)], BODY, fonts, width):
            right = laid.xs[-1] + laid.atoms[-1].width
            assert right <= width + 0.5  # nothing in the margin


def test_28_characters_a_line(fonts):
    lines = _lines("正" * 100, fonts, style=PLAIN)
    assert [len(line) for line in lines[:3]] == [28, 28, 28]
    assert len(_lines("正" * 100, fonts)[0]) == 26  # the first line is indented two characters


def test_numbers_with_their_measure_and_fixed_terms_stay_whole(fonts):
    text = "开展监督检查次数共计" + "一" * 15 + "3164次，正风肃纪四种形态"
    for width in range(200, 450, 3):
        lines = _lines(text, fonts, width, PLAIN)
        joined = "|".join(lines)
        assert "3164次" in joined and "正风肃纪" in joined and "四种形态" in joined, joined


def test_a_piece_wider_than_the_line_is_cut_and_the_layout_ends(fonts):
    # A run with no break inside (a long code, a URL) wider than the line: once this looped
    # forever (the cut fell back on the line's own start) until the process ran out of memory.
    text = "联系人：张三，" + "A1B2C3D4E5" * 12 + "。"
    for width in (40, 120, CORE_WIDTH):
        lines = _lines(text, fonts, width, PLAIN)
        assert "".join(lines) == text
        assert len(lines) < len(text)
