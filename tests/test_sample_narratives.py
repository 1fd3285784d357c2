"""The sample's texts read like a register, and rewriting them changed no number.

``tests/data/sample_statistics.json`` holds the statistics of the sample for
several periods and scopes, computed before the narratives were rewritten
(typical cases without their description and posts, the only texts in them
that changed).  Regenerate it only for a change that is meant to move figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from case_tracker.domain import load
from case_tracker.sample.generator import LOCAL_WEIGHTS as LOCAL
from case_tracker.sample.generator import sample_dataset
from case_tracker.stats.contract import Statistics
from case_tracker.stats.engine import statistics
from case_tracker.stats.period import parse_period

GOLDEN = Path(__file__).parent / "data" / "sample_statistics.json"


def _without_narratives(stats: Statistics) -> dict:
    plain = json.loads(json.dumps(stats.to_dict(), default=str))
    for case in plain["typical_cases"]:
        case.pop("description")
        for person in case["persons"]:
            person.pop("post")
    return plain


@pytest.fixture(scope="module")
def dataset():
    return sample_dataset()


def test_every_number_is_unchanged(dataset):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert len(golden) >= 6
    for key, expected in golden.items():
        period, unit = key.split("@")
        got = statistics(dataset, parse_period(period), None if unit == "all" else unit)
        assert _without_narratives(got) == expected, key


def test_typical_cases_name_the_person_of_their_heading(dataset):
    stats = statistics(dataset, parse_period("2018"), None)
    assert len(stats.typical_cases) >= 10
    for case in stats.typical_cases:
        lead = case.persons[0].name
        named = [p.name for p in case.persons if p.name in case.description]
        assert named and named[0] == lead, (case.ref, case.description)
        assert case.description.index(lead) < 40, case.description


def test_posts_fit_their_units(dataset):
    units = dict(zip(dataset.units["code"], dataset.units["kind"], strict=True))
    wrong_for = {
        "subdistrict": ("局长", "处长", "校长", "院长", "公司"),
        "department": ("街道", "社区", "村"),
    }
    city_departments = {c for c, k in units.items() if k == "department" and c.count("-") == 1}
    for post, code in zip(dataset.persons["post"], dataset.persons["unit_code"], strict=True):
        kind = units[code]
        for word in wrong_for.get(kind, ()):
            assert word not in post, (code, post)
        if code in city_departments:
            assert "街道" not in post, (code, post)


def test_descriptions_read_like_a_register(dataset):
    domain = load()
    bare = {domain.category(code).label + "问题。" for code in set(dataset.problems["category"])}
    descriptions = list(dataset.problems["description"])
    assert not [d for d in descriptions if d in bare or "问题问题" in d][:5]
    facts: dict[str, set[str]] = {}
    for category, text in zip(dataset.problems["category"], descriptions, strict=True):
        facts.setdefault(category, set()).add(re.sub(r"^[^，]*，|\d+", "", text))
    common = [c for c in LOCAL if c in facts]
    assert common and all(len(facts[c]) >= 3 for c in common), facts  # not one per category
    for text in descriptions:
        assert re.fullmatch(r"\d{4}年\d{1,2}月，[^A-Za-z{}]+。", text), text
    measures = set(dataset.rectifications["measures"])
    assert len(measures) > 5, measures  # a requirement per kind of problem
