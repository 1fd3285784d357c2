"""The cross-field rules through the importer's validator: the shared table of cases.

The add-on runs the same table through its constraints (its test_rule_cases.py);
both must give the verdict of the table with the rule's own message.
"""

from __future__ import annotations

import pytest

from case_tracker.domain import rules
from case_tracker.domain.rule_cases import BASELINE, CASES, Case
from case_tracker.importer.register import Location, Record, Register, validate


def _register(case: Case) -> tuple[Register, Record]:
    """A register holding the case's record and the valid records it refers to."""
    register = Register()
    where = Location("case.csv", "", 2)
    problem = {
        "ref": "P-1",
        "unit_code": "U",
        "description": "x",
        "inspection_ref": "I-1",
        **BASELINE["problems"],
    }
    inspection = {
        "ref": "I-1",
        "date": BASELINE["problems"]["inspection_date"],
        "unit_codes": ["U"],
    }
    register.records["inspections"].append(Record("inspections", inspection, where))
    values = case.values()
    if case.kind == "problems":
        problem.update(values)
        problem["inspection_ref"] = "I-1" if values.get("inspection_date") else None
        register.records["inspections"][0].values["date"] = values.get("inspection_date")
        record = Record("problems", problem, where)
        register.records["problems"].append(record)
        return register, record
    problem["discovery_date"] = dict(values.get("problems", ())).get("P-1") or values.get(
        "discovery_date", problem["discovery_date"]
    )
    register.records["problems"].append(Record("problems", problem, where))
    if case.kind == "rectifications":
        row = {"problem_ref": "P-1", **values}
    else:
        row = {
            "ref": "H-1",
            "name": "张三",
            "unit_code": "U",
            "rank": "township",
            "problem_refs": [ref for ref, _found in values["problems"]],
            **values,
        }
    record = Record(case.kind, row, where)
    register.records[case.kind].append(record)
    return register, record


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_importer_gives_the_tables_verdict(case: Case):
    register, record = _register(case)
    validate(register)
    expected = rules.check(case.kind, case.values())
    if case.breaks:
        (violation,) = expected
        assert violation.rule == case.rule
        assert [(i.reason_zh, i.reason_en) for i in register.issues] == [
            (violation.zh, violation.en)
        ]
        assert record not in register.records[case.kind]
    else:
        assert expected == []
        assert register.issues == []
        assert record in register.records[case.kind]


def test_every_rule_is_shown_both_ways():
    shown = {(case.rule, case.breaks) for case in CASES}
    every = {(rule.code, breaks) for rule in rules.RULES for breaks in (True, False)}
    assert every <= shown
    assert len(CASES) >= 30


def test_messages_name_the_values_in_both_languages():
    (violation,) = rules.check("persons", {**BASELINE["persons"], "party_member": False})
    assert violation.message("zh_CN") == "非中共党员不能给予党内警告"
    assert violation.message("en_US") == "Party warning is only for Party members"
