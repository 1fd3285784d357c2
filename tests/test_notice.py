"""The 整改通知书: what it says, from the sample, and the CLI's errors."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader

from case_tracker.cli import main
from case_tracker.notice import NoticeError, build_notice, inspection_record, render
from case_tracker.sample.generator import sample_dataset
from tests.pdf_check import plain_text

#: A sample inspection of a city bureau (宁波市交通运输局, 3 problems), by the city commission.
REF = "J2018-03619"


def text_of(pdf: bytes) -> str:
    return plain_text(pdf)


@pytest.fixture(scope="module")
def record() -> dict:
    return inspection_record(sample_dataset(), REF)


def test_the_record_of_a_sample_inspection(record):
    assert record["units"] == [{"code": "NB-JTJ", "name": "宁波市交通运输局"}]
    assert record["issuer"]["code"] == "甬纪"
    assert len(record["problems"]) == 3
    assert all(p["deadline"] and p["requirement"] for p in record["problems"])


def test_the_notice_names_unit_problems_requirements_and_deadlines(record, tmp_path):
    out = tmp_path / "notice.pdf"
    args = ["notice", "--inspection", REF, "--sample", "--number", "甬纪督〔2018〕3号"]
    assert main([*args, "--date", "2018-07-13", "-o", str(out)]) == 0
    text = text_of(out.read_bytes())
    first_page = re.sub(r"\s+", "", PdfReader(out).pages[0].extract_text())
    assert "中共宁波市纪律检查委员会" in first_page and "甬纪督〔2018〕3号" in first_page
    assert "宁波市交通运输局：" in text  # 主送机关: the inspected unit
    assert "整改通知书" in text
    for problem in record["problems"]:
        kind = problem["category"].removesuffix("问题")
        assert f"{kind}问题" in text
        assert re.sub(r"\s+", "", problem["description"]) in text
        assert problem["requirement"] in text
        day = date.fromisoformat(problem["deadline"])
        assert f"{day.year}年{day.month}月{day.day}日前整改到位" in text
    last = max(date.fromisoformat(p["deadline"]) for p in record["problems"])
    assert f"请于{last.year}年{last.month}月{last.day}日前将整改情况书面报送" in text
    assert f"联系人：{record['leader']}" in text
    assert "中共宁波市纪委办公室2018年7月13日印发" in text  # 版记
    assert text.count("中共宁波市纪律检查委员会") == 2  # masthead and signature


def test_several_units_are_named_and_addressed(record):
    second = {"code": "NB-JYJ", "name": "宁波市教育局"}
    problems = [*record["problems"], {**record["problems"][0], "unit": second["name"]}]
    data = build_notice(
        {**record, "units": [*record["units"], second], "problems": problems},
        issue_date=date(2018, 7, 13),
    )
    assert data.several_units and data.recipients == "宁波市交通运输局、宁波市教育局"
    assert "对你们开展" in data.lead
    text = text_of(render(data))
    assert "宁波市教育局" in text.split("二、有关要求")[0].split("：", 1)[1]


def test_a_notice_dated_after_its_deadlines_says_so(record, capsys):
    data = build_notice(record, issue_date=date(2026, 1, 5))
    assert data.warnings and "--date" in data.warnings[0]
    assert not build_notice(record, issue_date=date(2018, 7, 13)).warnings


@pytest.mark.parametrize(
    ("ref", "message"),
    [("J1999-00001", "no inspection with reference J1999-00001"), ("J2017-00001", "no problem")],
)
def test_unknown_inspection_or_no_problem_is_a_clear_error(ref, message, tmp_path, capsys):
    out = tmp_path / "n.pdf"
    assert main(["notice", "--inspection", ref, "--sample", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_an_inspection_without_problems_raises_for_callers(record):
    with pytest.raises(NoticeError, match="未发现问题"):
        build_notice({**record, "problems": []})


def test_url_needs_db_and_user(tmp_path, capsys):
    out = tmp_path / "n.pdf"
    assert main(["notice", "--inspection", REF, "--url", "http://127.0.0.1:9", "-o", str(out)]) == 2
    assert "--db" in capsys.readouterr().err


def test_a_long_notice_fills_its_pages_with_22_lines(record):
    from tests import pdf_check

    problems = [{**p, "ref": f"{p['ref']}-{i}"} for i in range(3) for p in record["problems"]]
    pdf = render(build_notice({**record, "problems": problems}, issue_date=date(2018, 7, 13)))
    pages = pdf_check.read(pdf)
    assert len(pages) >= 3
    full = [len(page.body_rows()) for page in pages[1:]]
    assert 22 in full and max(full) == 22, full
    assert pdf_check.outside_core(pages) == []
