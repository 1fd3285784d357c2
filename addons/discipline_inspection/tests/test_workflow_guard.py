from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

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

    def test_the_import_grades_only_as_a_reviewer(self):
        """The grade field is read-only and 评价 hidden for inspectors: import_rows refuses too."""
        self.rectification.action_start()
        self.rectification.action_submit()
        row = {
            "_row": 2,
            "problem_ref": self.problem.ref,
            "deadline": self.rectification.deadline.isoformat(),
            "state": "to_accept",
            "finish_date": self.rectification.finish_date.isoformat(),
            "grade": "good",
        }
        service = self.env["di.import.service"]
        (refused,) = service.with_user(self.users["inspector_hs"]).import_rows(
            "rectifications", [row]
        )
        self.assertEqual(refused["status"], "error", refused)
        self.assertFalse(self.rectification.grade_id)
        (stored,) = service.with_user(self.users["reviewer_hs"]).import_rows(
            "rectifications", [row]
        )
        self.assertEqual(stored["status"], "updated", stored)
        self.assertEqual(self.rectification.grade_id.code, "good")


@tagged("post_install", "-at_install")
class TestCrossUnitInspections(DiCase):
    """An inspection targets its author's units; 交叉互查 is assigned by the city."""

    def _inspection(self, user, units):
        return (
            self.env["di.inspection"]
            .with_user(self.users[user])
            .create(
                {"date": date(2024, 3, 1), "method": "open", "unit_ids": [Command.set(units.ids)]}
            )
        )

    def test_a_district_cannot_open_an_inspection_of_another(self):
        for user in ("inspector_hs", "reviewer_hs"):
            with self.subTest(user=user), self.assertRaises(ValidationError):
                self._inspection(user, self.jb)
        own = self._inspection("inspector_hs", self.hs_street)
        with self.assertRaises(ValidationError):  # nor widen one afterwards
            own.with_user(self.users["inspector_hs"]).unit_ids = [Command.link(self.jb.id)]
        self.assertTrue(self._inspection("city_inspector", self.jb))

    def test_the_city_assigns_a_cross_check_and_it_is_recorded(self):
        wizard_values = {
            "topic": "交叉互查：江北区节日纠“四风”",
            "unit_ids": [Command.set(self.jb.ids)],
            "leader_id": self.users["inspector_hs"].id,
            "basis": "甬纪办〔2024〕12号",
        }
        with self.assertRaises(AccessError):  # a district's leader does not assign one
            self.env["di.cross.check.wizard"].with_user(self.users["leader_hs"]).create(
                wizard_values
            ).action_assign()
        city_leader = new_test_user(
            self.env,
            login="t_city_leader",
            groups="base.group_user,discipline_inspection.group_di_leader",
            di_unit_ids=[Command.set(self.city.ids)],
        )
        action = (
            self.env["di.cross.check.wizard"]
            .with_user(city_leader)
            .create(wizard_values)
            .action_assign()
        )
        inspection = self.env["di.inspection"].browse(action["res_id"])
        self.assertEqual(inspection.cross_check_assigned_by_id, city_leader)
        self.assertEqual(inspection.cross_check_basis, "甬纪办〔2024〕12号")
        self.assertEqual(inspection.method, "cross")
        self.assertIn("甬纪办〔2024〕12号", inspection.message_ids[:1].body)
        # The assigned team works on it; it counts in 江北区, the inspected district.
        team = inspection.with_user(self.users["inspector_hs"])
        team.action_start()
        self.assertEqual(team.state, "in_progress")
        with self.assertRaises(AccessError):  # nobody rewrites the assignment
            team.write({"cross_check_basis": "another"})
