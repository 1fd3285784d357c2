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


def rect(problem_ref, grade, evaluated, followups=(), deadline=None, finished=None, **loop):
    """A closed rectification; ``loop``: the liaison loop's columns (returns, extensions...)."""
    return {
        "problem_ref": problem_ref,
        "deadline": deadline or date(2018, 3, 1),
        "state": "closed",
        "finish_date": finished or date(2018, 2, 1),
        "grade": grade,
        "evaluation_date": evaluated,
        "followups": tuple(followups),
        **loop,
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
            # Returned twice before it was accepted.
            rect("W1", "poor", date(2018, 2, 10), ("serious_notice",), return_count=2),
            # Extended from 15 April: finished after its original deadline, so not on time.
            rect(
                "W3",
                "fairly_poor",
                date(2018, 7, 1),
                ("interview",),
                deadline=date(2018, 4, 30),
                finished=date(2018, 4, 20),
                original_deadline=date(2018, 4, 15),
                extension_count=1,
                return_count=1,
            ),
            rect("W2", "good", date(2018, 2, 10), finished=date(2018, 2, 8)),
            # Closed in January, found false by a 回头看 on 10 March, reopened with a new
            # deadline and rectified again (awaiting acceptance): 整改不实 in March.
            {
                "problem_ref": "W4",
                "deadline": date(2018, 5, 1),
                "original_deadline": date(2018, 1, 20),
                "state": "to_accept",
                "finish_date": date(2018, 4, 25),
                "recurrence_count": 1,
                "recurrence_date": date(2018, 3, 10),
            },
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


def _rectification(dataset, label, unit=None):
    from case_tracker.stats.engine import statistics

    return statistics(dataset, parse_period(label), unit).breakdowns


def test_rectification_loop_figures(dataset):
    """按期完成 against the original deadline; returns added up; 整改不实 by its finding."""
    summary = _rectification(dataset, "2018-H1").rectification
    # Finished in H1: W1 (2-01), W2 (2-08), W3 (4-20), W4 (4-25 after reopening).
    assert summary.finished == 4
    # W3 finished by the deadline in force but after its original one; W4 after both.
    assert summary.finished_on_time == 2
    assert summary.returns == 3  # W1 twice, W3 once
    assert summary.extended == 1  # W3
    assert summary.false_rectification == 1  # W4, found false on 10 March
    march = _rectification(dataset, "2018-03").rectification
    assert (march.finished, march.false_rectification, march.returns) == (0, 1, 0)
    april = _rectification(dataset, "2018-04").rectification
    assert (april.finished, april.returns, april.extended) == (2, 1, 1)


def test_rectification_loop_per_unit(dataset):
    """Each unit below the scope, its figures adding up to the scope's."""
    breakdowns = _rectification(dataset, "2018-H1")
    rows = {row.code: row.figures for row in breakdowns.rectification_units}
    assert rows == {
        "A": {
            "finished": 3,
            "finished_on_time": 2,
            "returns": 2,
            "extended": 0,
            "false_rectification": 1,
        },
        "B": {
            "finished": 1,
            "finished_on_time": 0,
            "returns": 1,
            "extended": 1,
            "false_rectification": 0,
        },
    }
    summary = breakdowns.rectification
    for key in rows["A"]:
        assert rows["A"][key] + rows["B"][key] == getattr(summary, key), key
    in_b = _rectification(dataset, "2018-H1", "B").rectification
    assert (in_b.finished, in_b.returns, in_b.extended) == (1, 1, 1)


def test_sum_measure_adds_each_record_once_per_group(dataset):
    """SUM adds a field over the records, also per group (0 without records, never NaN)."""
    from case_tracker.figures import BY_GRADE, BY_UNIT, RETURNS, Figure
    from case_tracker.stats.engine import PandasCounter

    counter = PandasCounter(dataset, None)
    start, end = date(2018, 1, 1), date(2018, 6, 30)
    assert counter.count(RETURNS, start, end) == 3
    assert counter.count(RETURNS, date(2019, 1, 1), date(2019, 12, 31)) == 0
    assert counter.count_by(RETURNS, BY_GRADE, start, end) == {"poor": 2, "fairly_poor": 1}
    assert counter.count_by(RETURNS, BY_UNIT, start, end) == {"A": 2, "B": 1}
    every = Figure(
        "all_returns", "", "", "rectifications", "finish_date", "sum", field="return_count"
    )
    assert counter.count(every, start, end) == 3  # the zeros of W2 and W4 add nothing
    extensions = Figure(
        "extensions", "", "", "rectifications", "finish_date", "sum", field="extension_count"
    )
    assert counter.count(extensions, start, end) == 1


def test_a_register_without_the_loop_columns_reads_as_no_returns_and_no_extensions():
    """Blank original deadline = the deadline; blank counts = 0 (older registers)."""
    rows = hand_checked_rows()
    for record in rows["rectifications"]:
        for key in ("original_deadline", "return_count", "extension_count"):
            record.pop(key, None)
    frame = Dataset.from_rows(rows).rectifications.set_index("problem_ref")
    assert (frame["original_deadline"] == frame["deadline"]).all()
    assert frame["return_count"].sum() == 0 and frame["return_count"].dtype.kind == "i"
    assert bool(frame.loc["W3", "on_time"])  # by its deadline: no extension recorded
    assert list(frame["false_rectification"]) == [False, False, False, True]


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
