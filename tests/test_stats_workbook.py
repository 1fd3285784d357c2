"""The statistics workbook (统计表): the bulletin's tables with the same numbers, one sheet each."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from case_tracker.cli import main
from case_tracker.sample.generator import TARGETS


def test_stats_command_writes_the_tables_as_a_workbook(tmp_path, capsys):
    out = tmp_path / "stats.xlsx"
    assert main(["stats", "--sample", "--period", "2018-H1", "--xlsx", str(out)]) == 0
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == [
        "主要指标",
        "问题分类",
        "分单位",
        "分级别",
        "四种形态",
        "整改评价",
        "分单位整改",
        "近12个月",
    ]
    headline = {row[0].value: row[1].value for row in book["主要指标"].iter_rows(min_row=3)}
    assert headline["发现问题（个）"] == TARGETS["problems"]
    assert headline["处理人员（人）"] == TARGETS["persons_handled"]
    units = [row for row in book["分单位"].iter_rows(min_row=3, values_only=True)]
    assert units[-1][0] == "合计" and units[-1][2] == TARGETS["problems"]
    assert sum(row[2] for row in units[:-1]) == TARGETS["problems"]
    categories = book["问题分类"]
    eight_point = next(row for row in categories.iter_rows(min_row=3) if "八项规定" in row[0].value)
    assert eight_point[1].value == TARGETS["eight_point_problems"] and eight_point[0].font.bold
    assert book["近12个月"].max_row == 2 + 12


def test_the_workbook_has_the_rectification_loop_per_unit(tmp_path):
    """Finished, on-time rate, returns per rectification, extensions and 整改不实 by unit,
    with the same numbers as the statistics and the definition of 整改不实."""
    from case_tracker.sample.generator import sample_dataset
    from case_tracker.stats.engine import statistics
    from case_tracker.stats.period import parse_period
    from case_tracker.stats.workbook import write_workbook

    stats = statistics(sample_dataset(), parse_period("2018-H1"))
    rect = stats.breakdowns.rectification
    book = load_workbook(io.BytesIO(write_workbook(stats)))
    rows = list(book["分单位整改"].iter_rows(min_row=3, values_only=True))
    total = rows[-1]
    assert total[0] == "合计"
    assert total[1:] == (
        rect.finished,
        rect.finished_on_time,
        round(100 * rect.finished_on_time / rect.finished, 1),
        rect.returns,
        round(rect.returns / rect.finished, 2),
        rect.extended,
        rect.false_rectification,
    )
    assert rect.returns and rect.extended and rect.false_rectification  # the sample has them
    for column in (1, 2, 4, 6, 7):  # counts add up over the units
        assert sum(row[column] for row in rows[:-1]) == total[column], column
    labels = [row[0] for row in rows[:-1]]
    assert labels == [row.label for row in stats.breakdowns.rectification_units]
    summary = {row[0]: row[1] for row in book["整改评价"].iter_rows(min_row=3, values_only=True)}
    assert summary["“回头看”发现整改不实"] == rect.false_rectification
    assert summary["验收退回重改（次）"] == rect.returns
    assert any(str(key).startswith("整改不实：“回头看”复查") for key in summary)


def test_an_unwritable_workbook_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "missing" / "stats.xlsx"
    assert main(["stats", "--sample", "--period", "2018-H1", "--xlsx", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err
