from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestWorkflow(DiCase):
    def test_inspection_states(self):
        inspection = self.env["di.inspection"].create(
            {"date": date(2024, 3, 1), "unit_ids": [(6, 0, self.hs.ids)], "method": "covert"}
        )
        self.assertTrue(inspection.ref.startswith("J2024-"))
        self.assertEqual(inspection.state, "draft")
        with self.assertRaises(UserError):
            inspection.action_done()
        inspection.action_start()
        self.assertEqual(inspection.state, "in_progress")
        with self.assertRaises(UserError):
            inspection.unlink()
        inspection.action_done()
        self.assertEqual(inspection.state, "done")
        self.assertTrue(inspection.end_date)
        with self.assertRaises(UserError):
            inspection.action_cancel()
        other = inspection.copy({"date": date(2024, 3, 2)})
        other.action_cancel()
        other.action_reset_draft()
        other.unlink()
        self.assertFalse(other.exists())

    def test_inspection_counters(self):
        inspection = self.env["di.inspection"].create(
            {"date": date(2024, 3, 1), "unit_ids": [(6, 0, self.hs.ids)]}
        )
        first = self.make_problem(inspection_id=inspection.id)
        second = self.make_problem(inspection_id=inspection.id)
        self.make_person(first, name="A")
        self.make_person(second, name="A")
        self.make_person(second, name="B")
        self.assertEqual(inspection.problem_count, 2)
        self.assertEqual(inspection.person_count, 2)  # A is one person, handled twice

    def test_problem_discovered_before_its_inspection_is_refused(self):
        inspection = self.env["di.inspection"].create(
            {"date": date(2024, 3, 1), "unit_ids": [(6, 0, self.hs.ids)]}
        )
        with self.assertRaises(ValidationError):
            self.make_problem(inspection_id=inspection.id, day=date(2024, 2, 1))

    def test_rectification_states_and_problem_kanban_state(self):
        problem = self.make_problem()
        self.assertEqual(problem.rectification_state, "pending")
        problem.action_confirm()
        rect = problem.rectification_id
        self.assertEqual((rect.state, rect.deadline), ("pending", date(2024, 4, 1)))
        with self.assertRaises(UserError):
            rect.action_submit()
        rect.action_start()
        self.assertEqual(problem.rectification_state, "in_progress")
        rect.action_submit()
        self.assertEqual(rect.state, "to_accept")
        self.assertTrue(rect.finish_date)
        with self.assertRaises(UserError):  # a return says why
            rect.action_reject()
        rect.action_reject(reason="No evidence of the refund")
        self.assertEqual(rect.state, "in_progress")
        self.assertEqual(rect.return_count, 1)
        rect.action_submit()
        rect.grade_id = self.code("di.grade", "fairly_good")
        rect.action_accept()
        self.assertEqual(problem.rectification_state, "closed")
        self.assertEqual(problem.grade_id.code, "fairly_good")
        rect.action_revisit()
        self.assertEqual(rect.state, "revisit")
        rect.action_confirm_revisit()
        self.assertEqual(rect.state, "closed")
        self.assertEqual(
            rect.round_ids.mapped("action"),
            ["start", "submit", "reject", "submit", "accept", "revisit", "confirm"],
        )

    def test_overdue_search(self):
        problem = self.make_problem(day=date(2020, 1, 1), category="hl_gifts")
        problem.action_confirm()
        rect = problem.rectification_id
        Rect = self.env["di.rectification"]
        self.assertTrue(rect.overdue)
        self.assertIn(rect, Rect.search([("overdue", "=", True)]))
        self.assertNotIn(rect, Rect.search([("overdue", "=", False)]))
        rect.action_start()
        rect.action_submit()
        self.assertFalse(rect.overdue)
        self.assertNotIn(rect, Rect.search([("overdue", "=", True)]))

    def test_delete_only_in_draft(self):
        problem = self.make_problem()
        person = self.make_person(problem)
        person.action_confirm()
        with self.assertRaises(UserError):
            person.unlink()
        person.action_reset_draft()
        person.unlink()
        problem.action_confirm()
        with self.assertRaises(UserError):
            problem.unlink()
