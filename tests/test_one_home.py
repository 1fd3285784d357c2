"""One home per rule: checks that a second copy of a rule has not crept back in."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_tracker.domain import load
from case_tracker.domain.predicate import matches
from case_tracker.stats.engine import evaluate_domain

REPO = Path(__file__).resolve().parents[1]
ADDON = REPO / "addons" / "discipline_inspection"
#: Production Python (tests and benchmarks may spell states out to assert them).
PRODUCTION = [
    *sorted((REPO / "case_tracker").rglob("*.py")),
    *sorted((ADDON / "models").rglob("*.py")),
    *sorted((ADDON / "wizards").rglob("*.py")),
    *sorted((REPO / "scripts").glob("*.py")),
]
DOMAIN_CORE = REPO / "case_tracker" / "domain"
#: Models with a state field of their own whose codes happen to share a spelling.
OTHER_WORKFLOWS = {ADDON / "models" / "di_inspection.py", ADDON / "models" / "di_bulletin.py"}


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    # Docstrings are prose, not code.
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.discard(value.value)
    return found


@pytest.mark.parametrize("path", PRODUCTION, ids=lambda p: str(p.relative_to(REPO)))
def test_no_rectification_state_code_outside_the_domain_core(path: Path):
    if DOMAIN_CORE in path.parents or path in OTHER_WORKFLOWS:
        pytest.skip("the domain core, or a model with its own workflow")
    codes = {state.code for state in load().rectification_states}
    # "revisit" is also a follow-up decision and an inspection method code.
    literals = (_string_constants(path) & codes) - {"revisit"}
    assert not literals, f"{path.name} spells rectification states {sorted(literals)}"


def _demo_units() -> set[tuple[str, str, str, str]]:
    root = ElementTree.parse(ADDON / "demo" / "discipline_inspection_demo.xml").getroot()
    records = [r for r in root.iter("record") if r.get("model") == "di.unit"]
    code_of = {r.get("id"): r.find("field[@name='code']").text for r in records}
    units = set()
    for record in records:
        fields = {f.get("name"): f for f in record.findall("field")}
        parent = fields.get("parent_id")
        units.add(
            (
                fields["code"].text,
                fields["name"].text,
                code_of[parent.get("ref")] if parent is not None else "",
                fields["kind"].text,
            )
        )
    return units


def test_the_demo_units_are_units_of_the_sample_city():
    """Importing the sample into a demo database adds units and changes none."""
    from case_tracker.sample.generator import sample_dataset

    units = sample_dataset().units.fillna("")
    sample = set(
        zip(units["code"], units["name"], units["parent_code"], units["kind"], strict=True)
    )
    assert _demo_units() <= sample, sorted(_demo_units() - sample)


_DAYS = st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 3, 1)))


@settings(max_examples=300, deadline=None)
@given(
    state=st.sampled_from([s.code for s in load().rectification_states]),
    deadline=st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 3, 1)),
    finish=_DAYS,
    as_of=st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 3, 1)),
)
def test_overdue_means_the_same_per_record_and_on_a_register(state, deadline, finish, as_of):
    """The one definition of overdue, evaluated per record and by the pandas engine."""
    frame = pd.DataFrame(
        {
            "state": [state],
            "deadline": pd.to_datetime([deadline]),
            "finish_date": pd.to_datetime([finish]),
        }
    )
    on_register = bool(evaluate_domain(frame, load().overdue_domain(as_of)).iloc[0])
    assert load().is_overdue(state, deadline, finish, as_of) == on_register
    values = {"state": state, "deadline": deadline, "finish_date": finish}
    assert matches(values, load().overdue_domain(as_of)) == on_register


def test_overdue_by_example():
    domain, day = load(), date(2020, 2, 1)
    assert domain.is_overdue("pending", date(2020, 1, 31), None, day)
    assert not domain.is_overdue("pending", day, None, day)  # due today: not yet overdue
    assert domain.is_overdue("closed", date(2020, 1, 10), date(2020, 2, 5), day)  # finished later
    assert not domain.is_overdue("closed", date(2020, 1, 10), date(2020, 1, 20), day)
    assert not domain.is_overdue("revisit", date(2020, 1, 10), None, day)  # reopened, not late
