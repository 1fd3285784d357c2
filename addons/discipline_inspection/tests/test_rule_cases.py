from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from case_tracker.domain import rules
from case_tracker.domain.rule_cases import CASES, Case

from ..models.di_workflow_guard import workflow_step
from .common import DiCase


@tagged("post_install", "-at_install")
class TestRuleCases(DiCase):
    """The shared table of rule cases through the add-on's constraints.

    The importer's validator runs the same table (tests/test_rules.py): both
    sides must give the table's verdict with the rule's own message.
    """

    def _ids(self, model, codes):
        return self.env[model].search([("code", "in", list(codes))]).ids

    def _inspection(self, day):
        if not day:
            return False
        return (
            self.env["di.inspection"]
            .create(
                {
                    "date": day,
                    "method": "open",
                    "unit_ids": [Command.set(self.hs.ids)],
                }
            )
            .id
        )

    def _problem(self, values):
        return self.make_problem(
            category=values["category"],
            day=values["discovery_date"],
            inspection_id=self._inspection(values.get("inspection_date")),
            exposed=values["exposed"],
            exposure_channel=values.get("exposure_channel") or False,
            exposure_date=values.get("exposure_date") or False,
            amount=values["amount"],
        )

    def _create(self, case: Case):
        values = case.values()
        if case.kind == "problems":
            return self._problem(values)
        if case.kind == "rectifications":
            problem = self.make_problem(day=values["discovery_date"])
            loop = {  # the liaison loop's workflow fields: set as the register import sets them
                name: values[name]
                for name in ("return_count", "extension_count", "recurrence_count")
            }
            loop["recurrence_date"] = values["recurrence_date"] or False
            if values["original_deadline"]:  # blank: the model's default, the deadline
                loop["original_deadline"] = values["original_deadline"]
            with workflow_step():
                return self.env["di.rectification"].create(
                    {
                        "problem_id": problem.id,
                        "state": values["state"],
                        "deadline": values["deadline"],
                        "finish_date": values["finish_date"] or False,
                        "grade_id": self.code("di.grade", values["grade"]).id,
                        "evaluation_date": values["evaluation_date"] or False,
                        "followup_ids": [
                            Command.set(self._ids("di.followup", values["followups"]))
                        ],
                        **loop,
                    }
                )
        ((ref, found),) = values["problems"]
        problem = self.make_problem(day=found, ref=ref)
        return self.make_person(
            problem,
            outcomes=values["outcomes"],
            member=values["party_member"],
            decision_date=values["decision_date"],
        )

    def test_every_case_gives_the_tables_verdict_and_message(self):
        self.assertGreaterEqual(len(CASES), 30)
        for case in CASES:
            with self.subTest(case=str(case)):
                expected = rules.check(case.kind, case.values())
                if case.breaks:
                    (violation,) = expected
                    self.assertEqual(violation.rule, case.rule)
                    with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                        self._create(case)
                        self.env.flush_all()
                    self.assertIn(violation.message(self.env.lang), str(caught.exception))
                else:
                    self.assertEqual(expected, [])
                    with self.env.cr.savepoint() as savepoint:
                        record = self._create(case)
                        self.env.flush_all()
                        self.assertTrue(record.exists())
                        savepoint.rollback()  # the next case reuses the references
                    self.env.invalidate_all()

    def test_messages_follow_the_users_language(self):
        """A Chinese user reads the rule's Chinese message, as the importer reports it."""
        self.env["res.lang"]._activate_lang("zh_CN")
        problem = self.make_problem()
        values = {
            "outcomes": ("party_expulsion",),
            "party_member": False,
            "problems": (("P", None),),
        }
        (violation,) = rules.check("persons", values)
        for lang, message in (("zh_CN", violation.zh), ("en_US", violation.en)):
            with self.subTest(lang=lang), self.assertRaises(ValidationError) as caught:
                self.env["di.person"].with_context(lang=lang).create(
                    {
                        "name": "Li Si",
                        "unit_id": self.hs.id,
                        "rank_id": self.code("di.rank", "township").id,
                        "party_member": False,
                        "problem_ids": [Command.set(problem.ids)],
                        "outcome_ids": [Command.set(self._ids("di.outcome", values["outcomes"]))],
                        "decision_date": problem.discovery_date,
                    }
                )
            self.assertIn(message, str(caught.exception))
