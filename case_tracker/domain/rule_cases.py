"""Worked examples of every cross-field rule, each both ways (kept and broken).

The same table is run against the importer's validator (tests/test_rules.py)
and against the add-on's constraints (the add-on's test_rule_cases.py): both
must give the verdict below, and the same message.  Each case changes a valid
baseline record of its kind; the baselines are consistent with each other (the
rectification and the person answer for the baseline problem).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

INSPECTION_DATE = date(2020, 3, 2)
DISCOVERY = date(2020, 3, 5)

BASELINE: dict[str, dict] = {
    "problems": {
        "category": "hl_dining_public",
        "discovery_date": DISCOVERY,
        "inspection_date": INSPECTION_DATE,
        "exposed": False,
        "exposure_channel": None,
        "exposure_date": None,
        "amount": 1200.0,
    },
    "rectifications": {
        "state": "in_progress",
        "deadline": date(2020, 4, 5),
        "finish_date": None,
        "grade": None,
        "evaluation_date": None,
        "followups": (),
        "discovery_date": DISCOVERY,
        "original_deadline": None,
        "return_count": 0,
        "extension_count": 0,
        "recurrence_count": 0,
        "recurrence_date": None,
    },
    "persons": {
        "outcomes": ("party_warning",),
        "party_member": True,
        "decision_date": date(2020, 5, 10),
        "problems": (("P-1", DISCOVERY),),
    },
}


@dataclass(frozen=True)
class Case:
    rule: str
    kind: str
    changes: dict = field(default_factory=dict)
    breaks: bool = True

    def values(self) -> dict:
        return {**BASELINE[self.kind], **self.changes}

    def __str__(self) -> str:
        verdict = "breaks" if self.breaks else "keeps"
        return f"{self.kind}: {verdict} {self.rule} with {self.changes}"


_CLOSED = {"finish_date": date(2020, 3, 30), "evaluation_date": date(2020, 4, 10)}

CASES: tuple[Case, ...] = (
    # problems
    Case("category_leaf", "problems", {"category": "hl"}),
    Case("category_leaf", "problems", {"category": "hl_gifts"}, breaks=False),
    Case("category_in_use", "problems", {"category": "e8_dining"}),
    Case(
        "category_in_use",
        "problems",
        {"category": "e8_dining", "discovery_date": date(2019, 6, 1), "inspection_date": None},
        breaks=False,
    ),
    Case(
        "category_in_use",
        "problems",
        {
            "category": "hl_dining_public",
            "discovery_date": date(2019, 6, 1),
            "inspection_date": None,
        },
    ),
    Case(
        "category_in_use",
        "problems",
        {
            "category": "e8_festival_gifts",
            "discovery_date": date(2013, 12, 1),
            "inspection_date": None,
        },
    ),
    Case("exposure_needs_flag", "problems", {"exposure_channel": "press"}),
    Case("exposure_needs_flag", "problems", {"exposure_date": date(2020, 3, 9)}),
    Case(
        "exposure_needs_flag",
        "problems",
        {"exposed": True, "exposure_channel": "press", "exposure_date": date(2020, 3, 9)},
        breaks=False,
    ),
    Case("amount_not_negative", "problems", {"amount": -5.0}),
    Case("amount_not_negative", "problems", {"amount": 0.0}, breaks=False),
    Case("discovered_during_inspection", "problems", {"discovery_date": date(2020, 3, 1)}),
    Case(
        "discovered_during_inspection",
        "problems",
        {"discovery_date": INSPECTION_DATE},
        breaks=False,
    ),
    # rectifications
    Case("grade_needs_finished", "rectifications", {"grade": "good"}),
    Case(
        "grade_needs_finished",
        "rectifications",
        {"state": "to_accept", "grade": "good", **_CLOSED},
        breaks=False,
    ),
    Case("closed_needs_grade", "rectifications", {"state": "closed", **_CLOSED}),
    Case(
        "closed_needs_grade",
        "rectifications",
        {"state": "closed", "grade": "average", **_CLOSED},
        breaks=False,
    ),
    Case(
        "poor_grade_needs_followup",
        "rectifications",
        {"state": "closed", "grade": "poor", **_CLOSED},
    ),
    Case(
        "poor_grade_needs_followup",
        "rectifications",
        {"state": "closed", "grade": "fairly_poor", "followups": ("interview",), **_CLOSED},
        breaks=False,
    ),
    Case("finished_needs_finish_date", "rectifications", {"state": "to_accept"}),
    Case(
        "finished_needs_finish_date",
        "rectifications",
        {"state": "in_progress", "finish_date": date(2020, 3, 30)},
    ),
    Case(
        "finished_needs_finish_date",
        "rectifications",
        {"state": "to_accept", "finish_date": date(2020, 3, 30)},
        breaks=False,
    ),
    Case("deadline_after_discovery", "rectifications", {"deadline": date(2020, 3, 1)}),
    Case("deadline_after_discovery", "rectifications", {"deadline": DISCOVERY}, breaks=False),
    Case(
        "finished_after_discovery",
        "rectifications",
        {"state": "to_accept", "finish_date": date(2020, 3, 4)},
    ),
    Case(
        "finished_after_discovery",
        "rectifications",
        {"state": "to_accept", "finish_date": DISCOVERY},
        breaks=False,
    ),
    Case(
        "evaluated_after_discovery",
        "rectifications",
        {"evaluation_date": date(2020, 3, 4)},
    ),
    Case(
        "evaluated_after_discovery",
        "rectifications",
        {"evaluation_date": DISCOVERY},
        breaks=False,
    ),
    Case(
        "evaluated_after_finish",
        "rectifications",
        {"state": "closed", "grade": "good", "finish_date": date(2020, 3, 30)}
        | {"evaluation_date": date(2020, 3, 20)},
    ),
    Case(
        "evaluated_after_finish",
        "rectifications",
        {"state": "closed", "grade": "good", "finish_date": date(2020, 3, 30)}
        | {"evaluation_date": date(2020, 3, 30)},
        breaks=False,
    ),
    Case(
        "original_deadline_after_discovery",
        "rectifications",
        {"original_deadline": date(2020, 3, 1), "extension_count": 1},
    ),
    Case(
        "original_deadline_after_discovery",
        "rectifications",
        {"original_deadline": DISCOVERY, "extension_count": 1},
        breaks=False,
    ),
    Case(
        "recurrence_after_discovery",
        "rectifications",
        {"recurrence_count": 1, "recurrence_date": date(2020, 3, 4)},
    ),
    Case(
        "recurrence_after_discovery",
        "rectifications",
        {"recurrence_count": 1, "recurrence_date": DISCOVERY},
        breaks=False,
    ),
    Case("counts_not_negative", "rectifications", {"return_count": -1}),
    Case("counts_not_negative", "rectifications", {"extension_count": -2}),
    Case(
        "counts_not_negative",
        "rectifications",
        {"return_count": 2, "extension_count": 1},
        breaks=False,
    ),
    Case("recurrence_date_iff_recurred", "rectifications", {"recurrence_count": 1}),
    Case(
        "recurrence_date_iff_recurred",
        "rectifications",
        {"recurrence_date": date(2020, 4, 20)},
    ),
    Case(
        "recurrence_date_iff_recurred",
        "rectifications",
        {"recurrence_count": 2, "recurrence_date": date(2020, 4, 20)},
        breaks=False,
    ),
    # persons
    Case("party_sanction_for_members", "persons", {"party_member": False}),
    Case(
        "party_sanction_for_members",
        "persons",
        {"party_member": False, "outcomes": ("gov_warning",)},
        breaks=False,
    ),
    Case(
        "party_sanction_for_members",
        "persons",
        {"party_member": False, "outcomes": ("criticism", "party_expulsion")},
    ),
    Case("decided_after_discovery", "persons", {"decision_date": date(2020, 3, 4)}),
    Case("decided_after_discovery", "persons", {"decision_date": DISCOVERY}, breaks=False),
    Case("needs_problem_and_outcome", "persons", {"outcomes": ()}),
    Case(
        "needs_problem_and_outcome",
        "persons",
        {"outcomes": ("criticism",), "party_member": False},
        breaks=False,
    ),
)
