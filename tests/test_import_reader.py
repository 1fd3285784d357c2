"""Reading messy registers: encodings, dates, full-width text, title and merged header rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from case_tracker.importer.register import read_register
from case_tracker.importer.values import CellError, convert, parse_date
from case_tracker.schema import PERSONS, PROBLEMS, RECTIFICATIONS

PROBLEM_HEADER = ["问题编号", "责任单位编码", "问题类别", "问题描述", "发现日期", "是否公开曝光"]


@pytest.mark.parametrize(
    "value",
    [
        "2018年6月3日",
        "2018.6.3",
        "2018/06/03",
        "2018-06-03",
        "２０１８年６月３日",
        43254,
        43254.0,
        "43254",
        datetime(2018, 6, 3, 0, 0),
        date(2018, 6, 3),
        "2018 年 6 月 3 日",
        "20180603",
    ],
)
def test_dates_in_every_spelling(value):
    assert parse_date(value) == date(2018, 6, 3)


@pytest.mark.parametrize("value", ["2018-02-30", "next week", "", "0", -5])
def test_bad_dates_say_why(value):
    with pytest.raises(CellError) as info:
        parse_date(value)
    assert info.value.zh and info.value.en


def test_codes_bools_money_and_lists():
    grade = RECTIFICATIONS.column("grade")
    assert convert(grade, "较 差") == "fairly_poor"
    assert convert(PERSONS.column("party_member"), "中共党员") is True
    assert convert(PERSONS.column("party_member"), " 否 ") is False
    assert convert(PROBLEMS.column("amount"), "１,２００元") == 1200.0
    assert convert(PROBLEMS.column("amount"), "1.5万") == 15000.0
    assert convert(PERSONS.column("outcomes"), "党内警告、诫勉谈话，党内警告") == (
        "party_warning",
        "admonition",
    )
    assert convert(PERSONS.column("problem_refs"), "W1；W2") == ("W1", "W2")
    with pytest.raises(CellError, match="不是有效的"):
        convert(grade, "很好")


def write_csv(path, rows, encoding):
    text = "\n".join(",".join(str(c) for c in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_csv_encodings_title_row_and_trailing_blanks(tmp_path, encoding):
    rows = [
        ["2018年上半年问题台账", "", "", "", "", ""],
        PROBLEM_HEADER,
        ["W1", "A", "违规公款吃喝", "公款吃喝", "2018年3月1日", "是"],
        ["W2", "A", "不作为、慢作为", "推诿扯皮", "2018.3.2", "否"],
        ["", "", "", "", "", ""],
        ["", "", "", "", "", ""],
    ]
    register = read_register([write_csv(tmp_path / "problems.csv", rows, encoding)])
    assert not register.issues, register.issues
    problems = register.rows["problems"]
    assert [p["category"] for p in problems] == ["e8_dining", "loc_inaction"]
    assert problems[0]["exposed"] is True
    assert problems[1]["discovery_date"] == date(2018, 3, 2)


def test_xlsx_with_merged_header_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "发现问题"
    sheet.append(["宁波市正风肃纪问题台账"])
    sheet.append(["基本情况", None, None, None, "发现情况", None])
    sheet.append(["问题编号", "责任单位编码", "问题类别", "问题描述", "发现日期", "是否公开曝光"])
    sheet.append(["W1", "A", "公车私用", "周末驾车", 43254, "√"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register = read_register([path])
    assert not register.issues, register.issues
    (problem,) = register.rows["problems"]
    assert problem["category"] == "e8_vehicles"
    assert problem["discovery_date"] == date(2018, 6, 3)


def test_bad_rows_are_reported_and_good_rows_kept(tmp_path):
    rows = [
        PROBLEM_HEADER,
        ["W1", "A", "违规公款吃喝", "x", "2018-03-01", "否"],
        ["W2", "A", "吃喝玩乐", "x", "2018-03-01", "否"],
        ["W3", "A", "违规公款吃喝", "x", "", "否"],
        ["W1", "A", "违规公款吃喝", "x", "2018-03-01", "否"],
        ["W4", "A", "公款国内旅游", "x", "2020-03-01", "否"],
    ]
    register = read_register([write_csv(tmp_path / "problems.csv", rows, "utf-8")])
    assert [p["ref"] for p in register.rows["problems"]] == ["W1"]
    by_row = {i.row: i for i in register.issues}
    assert set(by_row) == {3, 4, 5, 6}
    assert by_row[3].column == "问题类别" and by_row[3].value == "吃喝玩乐"
    assert "必填" in by_row[4].reason_zh and by_row[4].column == "发现日期"
    assert "重复" in by_row[5].reason_zh
    assert "not in use" in by_row[6].reason_en  # the 2013 list ended in November 2019


def test_cross_field_checks(tmp_path):
    write_csv(
        tmp_path / "problems.csv",
        [
            PROBLEM_HEADER,
            ["W1", "A", "违规公款吃喝", "x", "2018-03-01", "否"],
            ["W2", "A", "违规公款吃喝", "y", "2018-03-01", "否"],
        ],
        "utf-8",
    )
    write_csv(
        tmp_path / "persons.csv",
        [
            [
                "人员编号",
                "姓名",
                "单位编码",
                "级别",
                "是否党员",
                "问题编号",
                "处理结果",
                "处理日期",
            ],
            ["P1", "张三", "A", "乡科级", "否", "W1", "开除党籍", "2018-04-01"],
            ["P2", "李四", "A", "乡科级", "是", "W1", "党内警告", "2018-02-01"],
            ["P3", "王五", "A", "乡科级", "是", "W1", "诫勉", "2018-04-01"],
            ["P4", "王五", "A", "乡科级", "是", "W1", "诫勉", "2018-05-01"],
        ],
        "utf-8",
    )
    write_csv(
        tmp_path / "rectifications.csv",
        [
            ["问题编号", "整改时限", "整改状态", "整改评价", "后续处理", "整改完成日期"],
            ["W1", "2018-04-01", "整改中", "好", "", ""],
            ["W2", "2018-04-01", "已整改待验收", "", "", "2018-02-01"],
        ],
        "utf-8",
    )
    register = read_register(sorted(tmp_path.glob("*.csv")))
    reasons = {(i.file, i.row): i.reason_en for i in register.issues}
    assert "only for Party members" in reasons[("persons.csv", 2)]
    assert "decision before problem W1" in reasons[("persons.csv", 3)]
    assert "handled twice" in reasons[("persons.csv", 5)]
    assert "graded before" in reasons[("rectifications.csv", 2)]
    assert "finished before discovery" in reasons[("rectifications.csv", 3)]
    assert [p["ref"] for p in register.rows["persons"]] == ["P3"]


def test_the_rectification_loop_columns(tmp_path):
    """Counts as typed (２次, 1.0, blank = 0), dates of the original deadline and of 整改不实,
    and the loop's rules: a count needs its day, counts are not negative."""
    write_csv(
        tmp_path / "problems.csv",
        [
            PROBLEM_HEADER,
            *([f"W{i}", "A", "违规公款吃喝", "x", "2018-03-01", "否"] for i in range(5)),
        ],
        "utf-8",
    )
    header = ["问题编号", "整改时限", "原定整改期限", "整改状态", "退回重改次数", "延期次数"]
    header += ["整改不实次数", "整改不实认定日期"]
    write_csv(
        tmp_path / "rectifications.csv",
        [
            header,
            ["W0", "2018-05-01", "2018年4月1日", "整改中", "２次", "1.0", "", ""],
            ["W1", "2018-05-01", "", "整改中", "", "", "1", "2018-04-20"],
            ["W2", "2018-05-01", "", "整改中", "两次", "", "", ""],
            ["W3", "2018-05-01", "", "整改中", "-1", "", "", ""],
            ["W4", "2018-05-01", "", "整改中", "", "", "1", ""],
        ],
        "utf-8",
    )
    register = read_register(sorted(tmp_path.glob("*.csv")))
    reasons = {(i.file, i.row): i.reason_en for i in register.issues}
    assert "expected a whole number" in reasons[("rectifications.csv", 4)]
    assert "returns cannot be negative" in reasons[("rectifications.csv", 5)]
    assert "record the day it was found" in reasons[("rectifications.csv", 6)]
    rows = {row["problem_ref"]: row for row in register.rows["rectifications"]}
    assert sorted(rows) == ["W0", "W1"]
    assert rows["W0"]["original_deadline"] == date(2018, 4, 1)
    assert (rows["W0"]["return_count"], rows["W0"]["extension_count"]) == (2, 1)
    assert "return_count" not in rows["W1"]  # blank: the file source reads 0, Odoo keeps its own
    assert rows["W1"]["recurrence_date"] == date(2018, 4, 20)


def test_ambiguous_values_are_refused_naming_every_candidate(tmp_path):
    header = [
        "人员编号",
        "姓名",
        "单位编码",
        "级别",
        "是否党员",
        "问题编号",
        "处理结果",
        "处理日期",
    ]
    write_csv(
        tmp_path / "persons.csv",
        [
            header,
            ["P1", "张三", "A", "乡科级", "是", "W1", "开除", "2018-04-01"],
            ["P2", "李四", "A", "乡科级", "是", "W1", "诫勉、警告", "2018-04-01"],
            ["P3", "王五", "A", "乡科级", "是", "W1", "政务警告", "2018-04-01"],
        ],
        "utf-8",
    )
    write_csv(
        tmp_path / "problems.csv",
        [
            PROBLEM_HEADER,
            ["W1", "A", "违规公款吃喝", "x", "2018-03-01", "否"],
            ["W2", "A", "其他", "y", "2018-03-02", "否"],
        ],
        "utf-8",
    )
    register = read_register(sorted(tmp_path.glob("*.csv")))
    reasons = {(i.file, i.row): (i.value, i.reason_zh, i.reason_en) for i in register.issues}
    assert reasons[("persons.csv", 2)] == (
        "开除",
        "“开除”有多种含义：开除党籍、政务开除，请填写全称",
        "ambiguous '开除': party_expulsion (Expulsion from the Party) or "
        "gov_expulsion (Expulsion from public employment); write the full name",
    )
    value, zh, en = reasons[("persons.csv", 3)]
    assert value == "诫勉、警告"
    assert "党内警告、政务警告" in zh and "party_warning (Party warning) or gov_warning" in en
    value, zh, en = reasons[("problems.csv", 3)]
    assert "其他违反八项规定精神问题、其他问题" in zh  # the lists in use on 2018-03-02
    assert "e8_other" in en and "loc_other" in en and "fb_other" not in en
    assert [p["ref"] for p in register.rows["persons"]] == ["P3"]


def test_unreadable_files_are_reported_not_raised(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n")
    register = read_register([junk, other, tmp_path / "missing.csv"])
    assert len(register.issues) == 3
    assert all(i.reason_zh for i in register.issues)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(max_size=12), st.integers(-10, 99999), st.floats(allow_nan=True), st.none()
            ),
            max_size=8,
        ),
        max_size=8,
    )
)
def test_fuzz_no_crash_and_every_rejection_has_a_reason(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("fuzz") / "problems.csv"
    lines = [PROBLEM_HEADER, *rows]
    text = "\n".join(
        ",".join(
            "" if c is None else str(c).replace(",", " ").replace("\n", " ").replace("\r", " ")
            for c in row
        )
        for row in lines
    )
    path.write_text(text, encoding="utf-8")
    register = read_register([path])
    for issue in register.issues:
        assert issue.reason_zh and issue.reason_en
    assert register.count() + len({i.row for i in register.issues if i.row}) <= len(rows) + 1


def test_sample_export_round_trip(tmp_path):
    from case_tracker.export import dataset_records, write_register
    from case_tracker.sample.generator import TARGETS, sample_dataset
    from case_tracker.stats.dataset import Dataset
    from case_tracker.stats.engine import figures
    from case_tracker.stats.period import parse_period

    paths = write_register(dataset_records(sample_dataset()), tmp_path, "csv")
    register = read_register(paths)
    assert not register.issues
    assert figures(Dataset.from_rows(register.rows), parse_period("2018-H1")) == TARGETS


def test_template_has_every_kind_and_column_and_reads_back(tmp_path):
    from openpyxl import load_workbook

    from case_tracker.cli import main
    from case_tracker.importer.reader import INSTRUCTIONS_SHEET
    from case_tracker.schema import KINDS

    path = tmp_path / "模板.xlsx"
    assert main(["import", "--template", str(path)]) == 0
    workbook = load_workbook(path)
    assert workbook.sheetnames == [*(k.sheet for k in KINDS), INSTRUCTIONS_SHEET]
    guide = [row[1] for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    for kind in KINDS:
        header = [c.value for c in workbook[kind.sheet][1]]
        assert header == [c.header for c in kind.columns]
        assert all(c.comment and c.comment.text for c in workbook[kind.sheet][1])
        assert all(c.header in guide for c in kind.columns)
    assert "较差" in guide and "违规公款吃喝" in guide  # accepted values are listed
    empty = read_register([path])
    assert (empty.count(), empty.issues) == (0, [])

    workbook["发现问题"].append(["W1", "", "", "A", "", "违规公款吃喝", "x", "", "2018.3.1"])
    workbook.save(path)
    register = read_register([path])
    assert not register.issues
    assert register.rows["problems"][0]["discovery_date"] == date(2018, 3, 1)


def test_import_script_needs_the_password_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "import_register.py"
    path = write_csv(tmp_path / "problems.csv", [PROBLEM_HEADER], "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ODOO_PASSWORD"}
    args = [str(path), "--url", "http://127.0.0.1:9", "--db", "x", "--user", "u"]
    run = subprocess.run(
        [sys.executable, str(script), *args], env=env, capture_output=True, text=True
    )
    assert run.returncode == 2 and "ODOO_PASSWORD" in run.stderr
    run = subprocess.run(
        [sys.executable, str(script), *args, "--dry-run"], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
