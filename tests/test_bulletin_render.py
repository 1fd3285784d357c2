"""The bulletin PDF, read back with pypdf: fonts embedded, figures in the text, sane pages."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from case_tracker.bulletin import BulletinData, CountRow, CountTable, HeadlineFigure, TrendPoint
from case_tracker.bulletin import fonts as bulletin_fonts
from case_tracker.bulletin.example import example
from case_tracker.bulletin.pdf import balanced_lines, change, render


def pdf_fonts(reader: PdfReader) -> dict[str, dict]:
    """Every font used on any page (resources of pages and of their form XObjects)."""
    found: dict[str, dict] = {}

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def assert_all_embedded(reader: PdfReader) -> None:
    fonts = pdf_fonts(reader)
    assert fonts, "no fonts at all"
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{name}: not embedded (no descriptor; base-14 font?)"
        assert "/FontFile2" in descriptor.get_object(), f"{name}: no embedded TrueType program"


def text_of(reader: PdfReader) -> str:
    """Extracted text without whitespace (CJK lines wrap anywhere)."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def example_pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render(example())))


def test_every_font_is_embedded(example_pdf):
    assert_all_embedded(example_pdf)
    names = " ".join(pdf_fonts(example_pdf))
    assert "Helvetica" not in names and "Times" not in names


def test_reference_figures_are_in_the_text(example_pdf):
    text = text_of(example_pdf)
    for phrase in (
        "开展正风肃纪监督检查3164次",
        "发现问题1735个",
        "处理人员1261人",
        "查处违反中央八项规定精神问题57起",
        "处理77人",
        "党纪政务处分34人",
        "对公开曝光问题整改评价为“差”和“较差”的15个问题进行严肃处理并通报",
    ):
        assert phrase in text, phrase


def test_sections_tables_and_cases_are_printed(example_pdf):
    text = text_of(example_pdf)
    data = example()
    for heading in (
        "（一）总体情况",
        "（二）问题分类统计",
        "（六）典型问题通报",
        "（七）下步工作要求",
    ):
        assert heading in text
    assert data.issuing_body.replace(" ", "") in text
    assert data.number in text
    assert "违规公款吃喝" in text and "乡科级及以下" in text and "第四种形态" in text
    for i, case in enumerate(data.cases, start=1):
        assert f"{i}．{case.title}" in text
    assert "2018年7月16日印发" in text
    # category table: the total row reads 合计 1735 1261 158
    assert "合计17351261158" in text


def test_page_numbers_and_page_count(example_pdf):
    pages = len(example_pdf.pages)
    assert 3 <= pages <= 12
    text = text_of(example_pdf)
    for number in range(1, pages + 1):
        assert f"—{number}—" in text
    box = example_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_minimal_bulletin_renders():
    data = BulletinData(
        issuing_body="中共某县纪委 某县监委",
        number="第1期",
        date=date(2024, 1, 5),
        title="关于2023年12月正风肃纪监督检查情况的通报",
        period_label="2023年12月",
        scope_label="全县",
        headline=[HeadlineFigure("problems", "发现问题", "个", 7)],
    )
    reader = PdfReader(io.BytesIO(render(data)))
    assert_all_embedded(reader)
    text = text_of(reader)
    assert "发现问题7个" in text
    assert "（二）" not in text  # absent sections are not numbered


def test_markup_in_data_is_text_not_markup():
    data = replace(
        example(),
        title="关于<b>测试</b> & 通报",
        cases=[],
        categories=CountTable("表", "类型", [CountRow("A<B>&C", 1, 1, 0)]),
    )
    text = text_of(PdfReader(io.BytesIO(render(data))))
    assert "关于<b>测试</b>&通报" in text
    assert "A<B>&C" in text


def test_trend_of_zeros_and_one_month():
    data = replace(example(), trend=[TrendPoint("2018-06", 0, 0)])
    assert render(data).startswith(b"%PDF")


def test_render_is_deterministic():
    data = example()
    assert render(data) == render(data)


def test_fresh_machine_uses_the_shipped_font():
    fonts = bulletin_fonts.register(env={}, system={})
    assert fonts.body.source == fonts.heading.source == "shipped"
    assert fonts.body.family == "WenQuanYi Micro Hei"
    reader = PdfReader(io.BytesIO(render(example(), fonts=fonts)))
    assert_all_embedded(reader)
    assert "发现问题1735个" in text_of(reader)
    licence = bulletin_fonts.SHIPPED_DIR / "README-wqy-microhei.txt"
    assert "Apache-2.0" in licence.read_text(encoding="utf-8")


def test_font_from_the_environment(tmp_path):
    shipped = str(bulletin_fonts.SHIPPED[0])
    fonts = bulletin_fonts.register(env={"CASE_TRACKER_FONT_BODY": shipped + "#1"}, system={})
    assert fonts.body.source == "env" and fonts.body.index == 1
    assert fonts.heading.source == "shipped"
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"nothing")
    with pytest.raises(bulletin_fonts.FontError, match="CASE_TRACKER_FONT_HEADING"):
        bulletin_fonts.register(env={"CASE_TRACKER_FONT_HEADING": str(bad)}, system={})


def test_without_any_font_the_cid_fallback_is_announced(capsys):
    fonts = bulletin_fonts.register(env={}, system={}, shipped=(Path("/nonexistent.ttc"), 0))
    assert fonts.body.source == "cid" and not fonts.body.embedded
    assert "NOT embedded" in capsys.readouterr().err


def test_helpers():
    assert change(110, 100) == "+10.0%"
    assert change(90, 100) == "-10.0%"
    assert change(5, 0) == "新增"
    assert change(5, None) == "—"
    fonts = bulletin_fonts.register()
    title = "关于2018年上半年全市正风肃纪监督检查情况的通报"
    lines = balanced_lines(title, fonts.heading.name, 22, 440)
    assert "".join(lines) == title and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 6


def test_short_followups_read_as_one_sentence():
    data = example()
    assert data.rectification is not None
    rect = replace(data.rectification, followups=["严肃处理并通报3个", "回头看2个"])
    text = text_of(PdfReader(io.BytesIO(render(replace(data, rectification=rect)))))
    assert "对整改评价为“差”和“较差”的问题，严肃处理并通报3个、回头看2个。" in text
