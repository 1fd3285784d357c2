from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestWorkflowGuard(DiCase):
    """Workflow fields change only through their actions: write and create as real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.problem = cls.make_problem(cls.hs, day=date(2024, 3, 4))
        cls.problem.action_confirm()
        cls.rectification = cls.problem.rectification_ids
        cls.person = cls.make_person(cls.problem, decision_date=date(2024, 3, 20))
        cls.inspection = cls.env["di.inspection"].create(
            {"date": date(2024, 3, 1), "method": "open", "unit_ids": [Command.set(cls.hs.ids)]}
        )

    def test_no_state_is_written_directly(self):
        for user in ("inspector_hs", "reviewer_hs", "admin"):
            env = self.env(user=self.users[user])
            for record, value in (
                (self.problem, "draft"),
                (self.person, "confirmed"),
                (self.inspection, "done"),
                (self.rectification, "in_progress"),
            ):
                with self.subTest(user=user, model=record._name), self.assertRaises(AccessError):
                    record.with_env(env).write({"state": value})

    def test_an_inspector_cannot_close_by_write(self):
        """销号 only through 验收 (a reviewer's action), never by writing the state."""
        self.rectification.action_start()
        self.rectification.action_submit()
        self.rectification.with_user(self.users["reviewer_hs"]).evaluate(
            self.code("di.grade", "good")
        )
        inspector = self.rectification.with_user(self.users["inspector_hs"])
        with self.assertRaises(AccessError):
            inspector.write({"state": "closed"})
        with self.assertRaises(AccessError):
            inspector.action_accept()
        self.rectification.with_user(self.users["reviewer_hs"]).action_accept()
        self.assertTrue(self.rectification.is_closed)

    def test_grade_evaluator_and_date_only_through_evaluation(self):
        self.rectification.action_start()
        self.rectification.action_submit()
        reviewer = self.rectification.with_user(self.users["reviewer_hs"])
        good = self.code("di.grade", "good")
        for values in (
            {"grade_id": good.id},
            {"evaluation_date": "2024-01-01"},
            {"evaluator_id": self.users["reviewer_hs"].id},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                reviewer.write(values)
        reviewer.evaluate(good)
        self.assertEqual(
            (self.rectification.grade_id, self.rectification.evaluator_id),
            (good, self.users["reviewer_hs"]),
        )

    def test_records_are_created_in_their_first_state(self):
        inspector = self.env(user=self.users["inspector_hs"])
        with self.assertRaises(AccessError):
            inspector["di.problem"].create(
                {
                    "unit_id": self.hs.id,
                    "category_id": self.code("di.category", "hl_gifts").id,
                    "description": "x",
                    "discovery_date": date(2024, 3, 5),
                    "state": "confirmed",
                }
            )
        with self.assertRaises(AccessError):
            inspector["di.inspection"].create(
                {
                    "date": date(2024, 3, 1),
                    "method": "open",
                    "unit_ids": [Command.set(self.hs.ids)],
                    "state": "done",
                }
            )
        draft = inspector["di.problem"].create(
            {
                "unit_id": self.hs.id,
                "category_id": self.code("di.category", "hl_gifts").id,
                "description": "x",
                "discovery_date": date(2024, 3, 5),
                "state": "draft",  # its first state may be named
            }
        )
        draft.action_confirm()
        self.assertEqual(draft.state, "confirmed")

    def test_the_register_import_loads_history_with_its_states(self):
        """import_rows stores registered records and their rectification state (history)."""
        service = self.env["di.import.service"].with_user(self.users["inspector_hs"])
        (result,) = service.import_rows(
            "problems",
            [
                {
                    "_row": 2,
                    "ref": "IMP-1",
                    "unit_code": self.hs.code,
                    "category": "hl_gifts",
                    "description": "imported",
                    "discovery_date": "2024-03-05",
                }
            ],
        )
        self.assertEqual(result["status"], "created", result)
        problem = self.env["di.problem"].browse(result["id"])
        self.assertEqual(problem.state, "confirmed")
