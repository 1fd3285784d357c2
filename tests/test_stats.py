"""Counting rules on small hand-checked registers (docs/domain.md §2), and the sample's targets."""

from __future__ import annotations

from datetime import date

import pytest

from case_tracker.stats.dataset import Dataset
from case_tracker.stats.engine import category_table, evaluate_domain, figures, four_forms
from case_tracker.stats.period import parse_period

UNITS = [
    {"code": "C", "name": "市", "parent_code": "", "kind": "city"},
    {"code": "A", "name": "甲区", "parent_code": "C", "kind": "district"},
    {"code": "A1", "name": "甲区一街道", "parent_code": "A", "kind": "subdistrict"},
    {"code": "B", "name": "乙区", "parent_code": "C", "kind": "district"},
]


def problem(ref, day, category="e8_dining", unit="A1", exposed=False):
    return {
        "ref": ref,
        "unit_code": unit,
        "category": category,
        "description": "x",
        "discovery_date": day,
        "exposed": exposed,
        "typical": False,
    }


def person(ref, problems, outcomes, day, name="张三", unit="A1", identity=None):
    return {
        "ref": ref,
        "name": name,
        "unit_code": unit,
        "rank": "township",
        "party_member": True,
        "problem_refs": tuple(problems),
        "outcomes": tuple(outcomes),
        "decision_date": day,
        "identity": identity,
    }


def rect(problem_ref, grade, evaluated, followups=(), deadline=None, finished=None):
    return {
        "problem_ref": problem_ref,
        "deadline": deadline or date(2018, 3, 1),
        "state": "closed",
        "finish_date": finished or date(2018, 2, 1),
        "grade": grade,
        "evaluation_date": evaluated,
        "followups": tuple(followups),
    }


def hand_checked_rows() -> dict[str, list[dict]]:
    """A tiny city whose every figure is worked out by hand in the tests below."""
    return {
        "units": UNITS,
        "inspections": [
            {"ref": "J1", "date": date(2018, 1, 1), "method": "open", "unit_codes": ("A1",)},
            {"ref": "J2", "date": date(2018, 6, 30), "method": "covert", "unit_codes": ("B",)},
            {"ref": "J3", "date": date(2018, 7, 1), "method": "covert", "unit_codes": ("B",)},
            {"ref": "J0", "date": date(2017, 12, 31), "method": "open", "unit_codes": ("A",)},
        ],
        "problems": [
            problem("W1", date(2018, 1, 5), exposed=True),
            problem("W2", date(2018, 2, 5), "loc_inaction"),
            problem("W3", date(2018, 3, 5), "e8_gifts", unit="B", exposed=True),
            problem("W4", date(2017, 12, 20), "e8_vehicles"),
        ],
        "rectifications": [
            rect("W1", "poor", date(2018, 2, 10), ("serious_notice",)),
            rect(
                "W3",
                "fairly_poor",
                date(2018, 7, 1),
                ("interview",),
                deadline=date(2018, 4, 30),
                finished=date(2018, 4, 20),
            ),
            rect("W2", "good", date(2018, 2, 10), finished=date(2018, 2, 8)),
        ],
        "persons": [
            # One person, two outcomes: counted once, sanctioned once.
            person("P1", ["W1"], ["criticism", "party_warning"], date(2018, 2, 1)),
            # The same person again (same name and unit) for another problem.
            person("P2", ["W2"], ["criticism"], date(2018, 3, 1)),
            # Same name, other unit: another person.
            person("P3", ["W3"], ["admonition"], date(2018, 4, 1), unit="B"),
            # Decided before the period: not counted.
            person("P4", ["W4"], ["gov_demerit"], date(2017, 12, 30), name="李四"),
            # Same identity key across units: one person.
            person("P5", ["W4"], ["gov_warning"], date(2018, 5, 1), name="王五", identity="X1"),
            person(
                "P6",
                ["W3"],
                ["criticism"],
                date(2018, 5, 2),
                name="王五",
                unit="B",
                identity="X1",
            ),
        ],
    }


@pytest.fixture
def dataset():
    return Dataset.from_rows(hand_checked_rows())


def test_counting_rules(dataset):
    result = figures(dataset, parse_period("2018-H1"))
    assert result == {
        "inspections": 2,  # J1 and J2: both ends of the period are inclusive
        "problems": 3,
        "persons_handled": 3,  # 张三@A1, 张三@B, X1
        "eight_point_problems": 2,  # W1, W3 (W2 is a local category)
        "eight_point_persons": 3,  # 张三@A1 (W1), 张三@B (W3), X1 (W4, W3)
        "eight_point_sanctioned": 2,  # 张三@A1 party warning; X1 government warning
        "exposed_poor_handled": 1,  # W1; W3 was graded in July
    }


def test_sanctioned_is_a_subset_of_handled(dataset):
    for label in ("2018-H1", "2018", "2018-Q1", "2018-05"):
        result = figures(dataset, parse_period(label))
        assert result["eight_point_sanctioned"] <= result["eight_point_persons"]
        assert result["eight_point_persons"] <= result["persons_handled"]


def test_period_boundaries(dataset):
    assert figures(dataset, parse_period("2018-07"))["inspections"] == 1
    assert figures(dataset, parse_period("2017-12"))["inspections"] == 1
    assert figures(dataset, parse_period("2018-06-30..2018-07-01"))["inspections"] == 2
    assert figures(dataset, parse_period("2018-H2"))["exposed_poor_handled"] == 1


def test_scope_includes_sub_units(dataset):
    in_a = figures(dataset, parse_period("2018-H1"), dataset.descendants("A"))
    assert in_a["inspections"] == 1 and in_a["problems"] == 2
    in_b = figures(dataset, parse_period("2018-H1"), dataset.descendants("B"))
    assert in_b["problems"] == 1 and in_b["persons_handled"] == 2
    with pytest.raises(ValueError, match="unknown unit"):
        dataset.descendants("Z")


def test_four_forms_count_each_person_once_at_the_heaviest_form(dataset):
    forms = {row.form: row.persons for row in four_forms(dataset, parse_period("2018-H1"), None)}
    # 张三@A1: party warning (2) and criticism (1) -> 2; 张三@B: 1; X1: 2.
    assert forms == {1: 1, 2: 2, 3: 0, 4: 0}


def test_category_table_uses_the_list_valid_in_the_period(dataset):
    rows_2018 = category_table(dataset, parse_period("2018-H1"), None)
    assert {r.list for r in rows_2018} == {"ccdi2013", "local"}
    group = next(r for r in rows_2018 if r.code == "e8")
    assert group.problems == 2 and group.level == "group"
    dining = next(r for r in rows_2018 if r.code == "e8_dining")
    assert (dining.problems, dining.persons, dining.sanctioned) == (1, 1, 1)
    rows_2020 = category_table(dataset, parse_period("2020"), None)
    assert {r.list for r in rows_2020} == {"ccdi2019", "local"}
    rows_change = category_table(dataset, parse_period("2019-Q4"), None)
    assert {r.list for r in rows_change} == {"ccdi2013", "ccdi2019", "local"}


def test_domain_evaluator(dataset):
    frame = dataset.problems
    assert evaluate_domain(frame, [("eight_point", "=", True)]).sum() == 3
    assert evaluate_domain(frame, ["|", ("ref", "=", "W1"), ("ref", "=", "W2")]).sum() == 2
    assert evaluate_domain(frame, ["!", ("ref", "in", ["W1", "W2"])]).sum() == 2
    assert evaluate_domain(frame, [("ref", "not in", ["W1"]), ("exposed", "=", True)]).sum() == 1


def test_periods():
    h1 = parse_period("2018-H1")
    assert (h1.start, h1.end) == (date(2018, 1, 1), date(2018, 6, 30))
    assert h1.previous().label == "2017-H2"
    assert h1.last_year().label == "2017-H1"
    assert parse_period("2018-03").previous().label == "2018-02"
    assert parse_period("2018-01").previous().label == "2017-12"
    assert parse_period("2018-Q1").previous().label == "2017-Q4"
    ytd = parse_period("2018-Q3").year_to_date()
    assert (ytd.start, ytd.end) == (date(2018, 1, 1), date(2018, 9, 30))
    assert [p.label for p in parse_period("2018-H1").trailing_months(3)] == [
        "2018-04",
        "2018-05",
        "2018-06",
    ]
    assert parse_period("2018-H1").title == "2018年上半年"
    with pytest.raises(ValueError, match="unknown period"):
        parse_period("2018-H3")
    with pytest.raises(ValueError, match="no month"):
        parse_period("2018-13")


def test_the_sample_gives_the_reference_bulletin_figures():
    from case_tracker.sample.generator import TARGETS, sample_dataset

    assert figures(sample_dataset(), parse_period("2018-H1")) == TARGETS


def test_an_empty_register_gives_zeros_not_a_crash():
    from case_tracker.stats.engine import statistics

    result = statistics(Dataset.from_rows({}), parse_period("2018"))
    assert set(result.figures.values()) == {0}
    assert all(row.problems == 0 for row in result.breakdowns.categories)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sample", "--unit", "NOPE"], "no unit with code NOPE"),
        (["--file", "/nonexistent/register.xlsx"], "/nonexistent/register.xlsx：文件不存在"),
    ],
)
def test_stats_command_refuses_bad_sources_clearly(args, message, capsys):
    from case_tracker.cli import main

    assert main(["stats", "--period", "2018-H1", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_period_names_the_problem(capsys):
    from case_tracker.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--sample", "--period", "2018-13"])
    assert exit_info.value.code == 2
    assert "no month 13" in capsys.readouterr().err
