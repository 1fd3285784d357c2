"""The bulletin PDF read back: fonts embedded, figures and wording in the text, sane pages.

The GB/T 9704 geometry of the bulletin and the notice is measured in
tests/test_gongwen_documents.py.
"""

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
from case_tracker.bulletin.data import Rectification
from case_tracker.bulletin.example import example
from case_tracker.bulletin.pdf import change, headline_sentence, render
from case_tracker.bulletin.wording import change_words, outcome_phrase, persons_outcomes
from tests import pdf_check
from tests.pdf_check import embedded_fonts


def assert_all_embedded(reader_or_pdf) -> None:
    pdf = reader_or_pdf if isinstance(reader_or_pdf, bytes) else _bytes(reader_or_pdf)
    fonts = embedded_fonts(pdf)
    assert fonts, "no fonts at all"
    for name, embedded in fonts.items():
        assert embedded, f"{name}: not embedded (base-14 or CID font?)"
    names = " ".join(fonts)
    assert "Helvetica" not in names and "Times" not in names


def _bytes(reader: PdfReader) -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter(clone_from=reader)
    writer.write(out)
    return out.getvalue()


def text_of(pdf: bytes, page_numbers: bool = False) -> str:
    """Extracted text without whitespace (CJK lines wrap anywhere) nor page numbers."""
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    return text if page_numbers else re.sub(r"—\d+—", "", text)


@pytest.fixture(scope="module")
def example_pdf() -> bytes:
    return render(example())


def test_every_font_is_embedded(example_pdf):
    assert_all_embedded(example_pdf)


def test_nothing_leaves_the_version_core(example_pdf):
    """Within 0.3 mm, tables, charts and their legends included (GB/T 9704 allows ±1 mm)."""
    assert pdf_check.outside_core(pdf_check.read(example_pdf), tolerance=0.3) == []


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
        "一、总体情况",
        "二、问题分类情况",
        "六、典型问题通报",
        "七、下步工作要求",
        "（一）持续保持高压态势。",  # the requirement's own 一是 gives way to the numbering
    ):
        assert heading in text, heading
    assert "一是" not in text
    assert "中共宁波市纪委" in text and "宁波市监委" in text
    assert data.number in text
    assert "违规公款吃喝" in text and "乡科级及以下" in text and "第四种形态" in text
    for i, case in enumerate(data.cases, start=1):
        assert f"（{'一二三四'[i - 1]}）{case.title}" in text
    assert "2018年7月16日印发" in text
    assert "合计17351261158" in text  # the category table's total row, as given


def test_page_numbers_and_page_count(example_pdf):
    reader = PdfReader(io.BytesIO(example_pdf))
    pages = len(reader.pages)
    assert 3 <= pages <= 14
    text = text_of(example_pdf, page_numbers=True)
    for number in range(1, pages + 1):
        assert f"—{number}—" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_minimal_bulletin_renders():
    data = BulletinData(
        issuing_body="中共某县纪律检查委员会 某县监察委员会",
        number="某纪通〔2024〕1号",
        date=date(2024, 1, 5),
        title="关于2023年12月正风肃纪监督检查情况的通报",
        period_label="2023年12月",
        scope_label="全县",
        headline=[HeadlineFigure("problems", "发现问题", "个", 7)],
    )
    pdf = render(data)
    assert_all_embedded(pdf)
    text = text_of(pdf)
    assert "发现问题7个" in text
    assert "二、" not in text  # absent sections are not numbered
    assert text.count("中共某县纪律检查委员会") == 2  # masthead and signature


def test_zero_counts_are_not_written_into_sentences():
    figures = {f.key: f for f in example().headline}
    zeroed = [
        replace(f, value=0) if f.key in ("exposed_poor_handled", "eight_point_problems") else f
        for f in figures.values()
    ]
    sentence = headline_sentence(zeroed)
    assert "0个" not in sentence and "0起" not in sentence
    assert "因违反中央八项规定精神问题处理77人" in sentence  # still says what it counts
    rect = Rectification(total=10, on_time=10, overdue=0, poor=0)
    pdf = render(replace(example(), headline=zeroed, rectification=rect))
    text = text_of(pdf)
    assert "逾期未完成整改0" not in text and "的0个" not in text
    assert "按期完成整改10个" in text


def test_the_rectification_loop_leaves_zeros_out_and_defines_false_rectification():
    """Only 整改不实 in the period: the section says it and prints its definition (no empty
    table); no return or extension is written as 0."""
    from case_tracker.bulletin import UnitRectification
    from case_tracker.figures import FALSE_RECTIFICATION

    units = [UnitRectification("甲区", 0, 0, 0, 0, 2), UnitRectification("乙区", 0, 0, 0, 0, 0)]
    rect = Rectification(false_rectification=2, definition=FALSE_RECTIFICATION.definition)
    text = text_of(render(replace(example(), rectification=replace(rect, units=units))))
    assert "“回头看”发现整改不实2个" in text and FALSE_RECTIFICATION.definition in text
    assert "完成整改0" not in text and "退回重改0" not in text and "延期后完成0" not in text
    assert "平均退回" in text  # a unit found one: the table by unit is printed
    finished = Rectification(
        finished=8, on_time=6, returns=0, extended=0, definition=FALSE_RECTIFICATION.definition
    )
    text = text_of(render(replace(example(), rectification=finished)))
    assert "本期完成整改8个，按原定整改期限计算，按期完成率75.0%。" in text
    assert "整改不实" not in text  # none found: neither the figure nor its definition


def test_sanctions_are_punishments_and_measures_are_not():
    assert outcome_phrase(["政务警告"]) == "受到政务警告处分"
    assert outcome_phrase(["党内严重警告", "政务记大过"]) == "受到党内严重警告、政务记大过处分"
    assert outcome_phrase(["撤销党内职务", "免职"]) == "受到撤销党内职务处分，并被免职"
    assert outcome_phrase(["诫勉"]) == "受到诫勉"
    assert "处分" not in outcome_phrase(["谈话提醒"]) and "处理" not in outcome_phrase(["谈话提醒"])
    assert persons_outcomes([("张三", ["党内警告"]), ("李四", ["批评教育"])]) == (
        "张三受到党内警告处分；李四受到批评教育。"
    )


def test_changes_read_as_official_texts_write_them():
    assert change(110, 100) == "+10.0%"
    assert change(90, 100) == "-10.0%"
    assert change(5, 0) == "新增"
    assert change(5, None) == "—"
    assert change_words(125, 100) == "上升25.0%"
    assert change_words(75, 100) == "下降25.0%"
    assert change_words(250, 100) == "增长1.5倍"
    assert change_words(100, 100) == "持平"
    assert change_words(5, 0) is None


def test_markup_in_data_is_text_not_markup():
    data = replace(
        example(),
        title="关于<b>测试</b> & 通报",
        cases=[],
        categories=CountTable("表", "类型", [CountRow("A<B>&C", 1, 1, 0)]),
    )
    text = text_of(render(data))
    assert "关于<b>测试</b>&通报" in text
    assert "A<B>&C" in text


def test_trend_of_zeros_and_one_month():
    data = replace(example(), trend=[TrendPoint("2018-06", 0, 0)])
    assert render(data).startswith(b"%PDF")
    data = replace(example(), trend=[TrendPoint("2018-06", 3, 2)])
    assert "2018年6月发现问题和处理人员趋势" in text_of(render(data))


def test_a_table_whose_rows_do_not_add_up_says_why():
    rows = [CountRow("甲", 2, 2, 1), CountRow("乙", 1, 1, 0)]
    why = "一次检查涉及多个单位的，在各单位分别统计。"
    adds_up = CountTable("单位表", "单位", [*rows, CountRow("合计", 3, 3, 1, level="total")])
    text = text_of(render(replace(example(), by_unit=replace(adds_up, sum_note=why))))
    assert why not in text
    short = CountTable("单位表", "单位", [*rows, CountRow("合计", 2, 3, 1, level="total")])
    text = text_of(render(replace(example(), by_unit=replace(short, sum_note=why))))
    assert why in text


def test_render_is_deterministic():
    data = example()
    assert render(data) == render(data)


def test_fresh_machine_uses_the_shipped_font(capsys):
    fonts = bulletin_fonts.register(env={}, system={})
    assert fonts.body.source == fonts.heading.source == "shipped"
    assert fonts.body.family == "WenQuanYi Micro Hei"
    assert fonts.title.family == fonts.kai.family == "WenQuanYi Micro Hei"  # borrowed, announced
    assert "楷体" in capsys.readouterr().err
    pdf = render(example(), fonts=fonts)
    assert_all_embedded(pdf)
    assert "发现问题1735个" in text_of(pdf)
    licence = bulletin_fonts.SHIPPED_DIR / "README-wqy-microhei.txt"
    assert "Apache-2.0" in licence.read_text(encoding="utf-8")


def test_a_missing_role_face_falls_back_with_a_message(capsys):
    system = {**bulletin_fonts.SYSTEM, "kai": (("/nonexistent/ukai.ttc", 0, "fonts-arphic-ukai"),)}
    fonts = bulletin_fonts.register(system=system)
    assert fonts.kai.family == fonts.body.family and fonts.kai.source == "body face"
    err = capsys.readouterr().err
    assert "楷体" in err and "fonts-arphic-ukai" in err  # says what to install
    pdf = render(example(), fonts=fonts)
    assert_all_embedded(pdf)


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


def test_short_followups_read_as_one_sentence():
    data = example()
    assert data.rectification is not None
    rect = replace(data.rectification, followups=["严肃处理并通报3个", "回头看2个"])
    text = text_of(render(replace(data, rectification=rect)))
    assert "对整改评价为“差”和“较差”的问题，严肃处理并通报3个、回头看2个。" in text


def test_reportlab_lays_out_with_its_c_accelerators():
    """ReportLab 4+ finds them in the rl_accel package (a dependency); 3.6 has them built in.
    Without them the same PDF comes out, a third slower."""
    from reportlab.lib import rl_accel

    for name in ("fp_str", "instanceStringWidthTTF", "asciiBase85Encode"):
        assert name in rl_accel._c_funcs, f"{name}: pure-Python fallback (pip install rl_accel)"
