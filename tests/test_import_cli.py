"""``case-tracker import`` without Odoo: what is reported, and every exit code of the README.

Unrecognised columns are reported (file, sheet, column) as warnings and make
--strict refuse; ambiguous values are refused naming their candidates; a file
that cannot be read exits 2 before anything logs in; usage, connection and
interruption have their own codes.  The same codes against a live server (a
server killed mid-import, Ctrl-C) are in tests/test_import_live.py.
"""

from __future__ import annotations

import csv
import os
import socket
from pathlib import Path

import pytest
from openpyxl import Workbook

from case_tracker.cli import main
from case_tracker.commands import import_ as import_command
from case_tracker.importer.register import COLUMN, read_register
from case_tracker.importer.template import write_template
from case_tracker.rpc import PASSWORD_ENV

PROBLEMS = ["问题编号", "责任单位编码", "问题类别", "问题描述", "发现日期"]
PERSONS = ["人员编号", "姓名", "单位编码", "级别", "是否党员", "问题编号", "处理结果", "处理日期"]
#: The summary of the register the issue measured: one problem with a 是否曝光 column
#: (not a known alias of 是否公开曝光) and one person sanctioned with 开除 alone.
MEASURED_SUMMARY = "校验 validated: 1 行有效 valid, 1 行有误 rejected, 1 列未导入 column ignored"
MEASURED_ISSUES = [
    "警告 warning: register.xlsx [发现问题] 第1行 是否曝光："
    "第F列的表头无法识别，该列未导入（是否应为“是否公开曝光”？） / "
    "column F: unrecognised header; the column is not imported "
    "(did you mean 是否公开曝光 / Publicly exposed?)",
    "register.xlsx [处理人员] 第2行 处理结果“开除”："
    "“开除”有多种含义：开除党籍、政务开除，请填写全称 / "
    "ambiguous '开除': party_expulsion (Expulsion from the Party) or "
    "gov_expulsion (Expulsion from public employment); write the full name",
]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def measured_register(path: Path) -> Path:
    return workbook(
        path,
        {
            "发现问题": [
                [*PROBLEMS, "是否曝光"],
                ["W1", "A", "违规公款吃喝", "公款吃喝", "2018-03-01", "是"],
            ],
            "处理人员": [
                PERSONS,
                ["P1", "张三", "A", "乡科级", "是", "W1", "开除", "2018-04-01"],
            ],
        },
    )


def report_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8-sig")))


@pytest.fixture
def no_login(monkeypatch) -> list[str]:
    """Fails the test if the command asks for a password or connects; records the attempts."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise AssertionError("the command tried to log in")

    monkeypatch.setattr(import_command, "password_from_env_or_prompt", refuse)
    monkeypatch.setattr(import_command, "connect", refuse)
    return attempts


def closed_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_args(port: int | None = None) -> list[str]:
    port = port or closed_port()
    return ["--url", f"http://127.0.0.1:{port}", "--db", "jw", "--user", "importer"]


# ------------------------------------------------- unrecognised columns
def test_the_measured_register_gives_the_documented_lines(tmp_path, capsys, no_login):
    path = measured_register(tmp_path / "register.xlsx")
    report = tmp_path / "errors.csv"
    assert main(["import", str(path), "--dry-run", "--report", str(report)]) == 1
    out, err = capsys.readouterr()
    assert out.strip() == MEASURED_SUMMARY
    assert err.splitlines() == MEASURED_ISSUES
    column, value = report_rows(report)
    assert (column["文件 file"], column["工作表 sheet"], column["列 column"]) == (
        "register.xlsx",
        "发现问题",
        "是否曝光",
    )
    assert column["级别 level"] == "警告 warning" and "column F" in column["reason"]
    assert (value["行号 row"], value["值 value"], value["级别 level"]) == (
        "2",
        "开除",
        "错误 error",
    )
    assert "开除党籍" in value["原因"] and "gov_expulsion" in value["reason"]
    # --strict refuses the register as a whole, before anything connects.
    assert main(["import", str(path), "--dry-run", "--strict"]) == 3
    assert no_login == []


def test_the_readme_shows_these_lines():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "\n".join([*MEASURED_ISSUES, MEASURED_SUMMARY]) in readme


def test_an_ignored_column_is_a_warning_that_strict_turns_into_a_refusal(
    tmp_path, capsys, no_login
):
    path = workbook(
        tmp_path / "register.xlsx",
        {
            "发现问题": [
                [*PROBLEMS, "是否曝光"],
                ["W1", "A", "违规公款吃喝", "x", "2018-03-01", "是"],
            ]
        },
    )
    # A plain import takes the rows without the column (the dry run exits as it would) ...
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 行有效 valid, 0 行有误 rejected, 1 列未导入 column ignored" in out
    (problem,) = read_register([path]).rows["problems"]
    assert "exposed" not in problem  # not read as "not exposed": not read at all
    # ... and --strict refuses it (exit 3, nothing sent).
    assert main(["import", str(path), "--dry-run", "--strict"]) == 3
    assert "--strict" in capsys.readouterr().err


def test_what_counts_as_a_column(tmp_path):
    """Unknown, repeated and header-less columns are reported; blanks and 序号 are not."""
    rows = [
        ["2018年问题台账"],
        ["序号", *PROBLEMS, "备注", "问题编号", None, None],
        [1, "W1", "A", "违规公款吃喝", "x", "2018-03-01", "已约谈", "W1", "手写", None],
        [2, "W2", "A", "违规公款吃喝", "y", "2018-03-02", None, "W2", None, ""],
    ]
    register = read_register([workbook(tmp_path / "register.xlsx", {"发现问题": rows})])
    issues = register.ignored_columns
    assert [(i.column, i.row, i.level) for i in issues] == [
        ("备注", 2, COLUMN),
        ("问题编号", 2, COLUMN),
        ("（第I列 column）", 2, COLUMN),
    ]
    assert "column G: unrecognised header" in issues[0].reason_en
    assert "column H repeats Problem ref (column B)" in issues[1].reason_en
    assert "column I has values but no header" in issues[2].reason_en
    assert register.count() == 2 and register.rejected == 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_and_the_sample_export_report_nothing(tmp_path, capsys, fmt, no_login):
    template = write_template(tmp_path / "template.xlsx")
    assert read_register([template]).issues == []
    assert main(["sample", "--export", str(tmp_path / "sample"), "--format", fmt]) == 0
    paths = capsys.readouterr().out.split()
    assert main(["import", *paths, "--dry-run", "--strict"]) == 0
    out, err = capsys.readouterr()
    assert "0 行有误 rejected" in out and "ignored" not in out and err == ""


def test_a_sheet_without_a_required_column_counts_every_row_it_drops(tmp_path, capsys):
    path = tmp_path / "problems.csv"
    path.write_text("问题编号,责任单位编码,问题类别,发现日期\nW1,A,公款吃喝,2018-03-01\n" * 1)
    with path.open("a") as handle:
        handle.write("W2,A,公款吃喝,2018-03-02\n")
    assert main(["import", str(path), "--dry-run"]) == 1
    out, err = capsys.readouterr()
    assert "0 行有效 valid, 2 行有误 rejected" in out
    assert "缺少必需的列“问题描述”" in err and "none of the sheet's 2 rows" in err


# ---------------------------------------------------------- file errors: 2
def _pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    return path


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("missing.xlsx", lambda p: p, "no such file"),
        ("empty.xlsx", lambda p: (p.write_bytes(b""), p)[1], "the file is empty"),
        ("empty.csv", lambda p: (p.write_bytes(b""), p)[1], "the file is empty"),
        ("report.xlsx", _pdf, "not an Excel (.xlsx) workbook"),
        ("folder.csv", lambda p: p.mkdir() or p, "a folder, not a file"),
        ("register.pdf", _pdf, "unsupported file type"),
        ("notes.csv", lambda p: (p.write_text("a,b\n1,2\n"), p)[1], "no header row"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2_before_logging_in(
    tmp_path, capsys, no_login, name, make, reason
):
    good = workbook(tmp_path / "good.xlsx", {"发现问题": [PROBLEMS]})
    path = make(tmp_path / name)
    report = tmp_path / "errors.csv"
    code = main(["import", str(good), str(path), *server_args(), "--report", str(report)])
    assert code == 2
    out, err = capsys.readouterr()
    assert out == ""  # no "validated", no "rejected 1"
    assert err.startswith(f"error: {path}：") and reason in err
    assert no_login == []
    (row,) = report_rows(report)
    assert row["文件 file"] == str(path) and row["级别 level"] == "文件错误 file error"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_fifty_megabytes_of_random_bytes_exit_2(tmp_path, capsys, no_login, suffix):
    path = tmp_path / f"garbage{suffix}"
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1024 * 1024))
    assert main(["import", str(path), *server_args()]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"error: {path}：") and "Traceback" not in err
    assert no_login == []


def test_stats_and_bulletin_refuse_a_register_file_they_cannot_read(tmp_path, capsys):
    good = workbook(
        tmp_path / "good.xlsx",
        {"发现问题": [PROBLEMS, ["W1", "A", "违规公款吃喝", "x", "2018-03-01"]]},
    )
    missing = tmp_path / "missing.csv"
    assert main(["stats", "--period", "2018", "--file", str(good), str(missing)]) == 2
    assert "missing.csv" in capsys.readouterr().err


# ------------------------------------------------------ the other exit codes
def test_exit_0_and_1_of_a_dry_run(tmp_path, capsys):
    rows = [PROBLEMS, ["W1", "A", "违规公款吃喝", "x", "2018-03-01"]]
    good = workbook(tmp_path / "good.xlsx", {"发现问题": rows})
    assert main(["import", str(good), "--dry-run"]) == 0
    bad = workbook(tmp_path / "bad.xlsx", {"发现问题": [*rows, ["W2", "A", "吃喝玩乐", "y", ""]]})
    assert main(["import", str(bad), "--dry-run"]) == 1
    assert "1 行有效 valid, 1 行有误 rejected" in capsys.readouterr().out


def test_exit_2_for_usage_and_connection_errors(tmp_path, capsys, monkeypatch):
    good = workbook(tmp_path / "good.xlsx", {"发现问题": [PROBLEMS]})
    assert main(["import"]) == 2
    assert "no files" in capsys.readouterr().err
    assert main(["import", str(good)]) == 2  # nowhere to import to
    assert "--url, --db and --user" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["import", str(good), "--batch-size", "many"])
    assert info.value.code == 2
    monkeypatch.setenv(PASSWORD_ENV, "secret")
    assert main(["import", str(good), *server_args(closed_port())]) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err and "Traceback" not in err


def test_exit_130_when_interrupted(tmp_path, capsys, monkeypatch):
    good = workbook(tmp_path / "good.xlsx", {"发现问题": [PROBLEMS]})

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(import_command, "build_register", interrupted)
    assert main(["import", str(good), "--dry-run"]) == 130
    assert "interrupted / 已中断" in capsys.readouterr().err
