from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .common import DiCase


@tagged("post_install", "-at_install")
class TestRules(DiCase):
    def test_eight_point_follows_the_category(self):
        self.assertTrue(self.make_problem(category="hl_gifts").eight_point)
        self.assertFalse(self.make_problem(category="loc_inaction").eight_point)

    def test_category_must_be_valid_on_the_discovery_date(self):
        with self.assertRaises(ValidationError):
            self.make_problem(category="e8_dining", day=date(2020, 1, 1))
        with self.assertRaises(ValidationError):
            self.make_problem(category="hl_dining_public", day=date(2018, 6, 1))
        self.assertTrue(self.make_problem(category="e8_dining", day=date(2018, 6, 1)).eight_point)

    def test_problem_needs_a_leaf_category(self):
        with self.assertRaises(ValidationError):
            self.make_problem(category="hl")

    def test_party_sanction_only_for_members(self):
        problem = self.make_problem()
        with self.assertRaises(ValidationError):
            self.make_person(problem, outcomes=("party_expulsion",), member=False)
        with self.assertRaises(ValidationError):
            self.make_person(problem, outcomes=("party_warning",), member=False, name="Li")
        person = self.make_person(problem, outcomes=("gov_expulsion",), member=False, name="Wu")
        self.assertEqual(person.form, "3")
        with self.assertRaises(ValidationError):
            person.outcome_ids = [Command.link(self.code("di.outcome", "party_warning").id)]

    def test_decision_not_before_discovery(self):
        problem = self.make_problem(day=date(2024, 3, 1))
        with self.assertRaises(ValidationError):
            self.make_person(problem, decision_date=date(2024, 2, 28))
        self.make_person(problem, decision_date=date(2024, 3, 1))

    def test_no_duplicate_handling_of_one_person_for_one_problem(self):
        problem, other = self.make_problem(), self.make_problem()
        self.make_person(problem, name="Zhou")
        with self.assertRaises(ValidationError):
            self.make_person(problem | other, name="Zhou")
        # The same person for another problem is a new handling, counted once by identity.
        again = self.make_person(other, name="Zhou")
        self.assertEqual(again.identity_key, "Zhou@T-HS")

    def test_four_forms_from_the_heaviest_outcome(self):
        problem = self.make_problem()
        cases = [
            (("criticism", "admonition"), "1", False),
            (("criticism", "party_warning"), "2", True),
            (("org_removal",), "2", False),
            (("party_warning", "party_probation"), "3", True),
            (("gov_demerit", "transfer_prosecution"), "4", True),
        ]
        for index, (outcomes, form, sanctioned) in enumerate(cases):
            person = self.make_person(problem, outcomes=outcomes, name=f"P{index}")
            self.assertEqual(person.form, form, outcomes)
            self.assertEqual(person.sanctioned, sanctioned, outcomes)
        person.outcome_ids = [Command.set(self.code("di.outcome", "talk_reminder").ids)]
        self.assertEqual(person.form, "1")
        self.assertFalse(person.sanctioned)

    def test_person_eight_point_follows_any_problem(self):
        person = self.make_person(self.make_problem(category="loc_inaction"))
        self.assertFalse(person.eight_point)
        person.problem_ids = [Command.link(self.make_problem(category="hl_gifts").id)]
        self.assertTrue(person.eight_point)

    def _finished_rectification(self, problem):
        problem.action_confirm()
        rectification = problem.rectification_id
        rectification.action_start()
        rectification.action_submit()
        return rectification

    def test_grade_only_on_a_finished_rectification(self):
        problem = self.make_problem()
        problem.action_confirm()
        rectification = problem.rectification_id
        with self.assertRaises(ValidationError):
            rectification.grade_id = self.code("di.grade", "good")
        rectification.action_start()
        with self.assertRaises(ValidationError):
            rectification.grade_id = self.code("di.grade", "good")
        rectification.action_submit()
        rectification.grade_id = self.code("di.grade", "good")
        self.assertEqual(rectification.evaluator_id, self.env.user)

    def test_a_finish_dated_in_a_later_time_zone_is_graded_that_day(self):
        """From 16:00 UTC it is already tomorrow in Beijing: a finish recorded there is graded
        by a reviewer whose day is still today without breaking "evaluated after finished"."""
        rectification = self._finished_rectification(self.make_problem())
        reviewer = rectification.with_user(self.users["reviewer_hs"]).with_context(tz="UTC")
        tomorrow = fields.Date.context_today(reviewer) + timedelta(days=1)
        rectification.finish_date = tomorrow
        reviewer.evaluate(self.code("di.grade", "good"))
        self.assertEqual(rectification.evaluation_date, tomorrow)
        # a finish of an earlier day leaves the evaluation dated today
        other = self._finished_rectification(self.make_problem())
        other.finish_date = tomorrow - timedelta(days=3)
        other.with_user(self.users["reviewer_hs"]).with_context(tz="UTC").evaluate(
            self.code("di.grade", "good")
        )
        self.assertEqual(other.evaluation_date, tomorrow - timedelta(days=1))

    def test_grade_only_by_reviewers(self):
        rectification = self._finished_rectification(self.make_problem())
        good = self.code("di.grade", "good")
        with self.assertRaises(AccessError):
            rectification.with_user(self.users["inspector_hs"]).evaluate(good)
        with self.assertRaises(AccessError):  # a grade is given through the 评价 action only
            rectification.with_user(self.users["reviewer_hs"]).grade_id = good
        rectification.with_user(self.users["reviewer_hs"]).evaluate(good)
        self.assertEqual(rectification.grade_id, good)
        self.assertEqual(rectification.evaluator_id, self.users["reviewer_hs"])

    def test_poor_grade_requires_a_followup(self):
        rectification = self._finished_rectification(self.make_problem(exposed=True))
        with self.assertRaises(ValidationError):
            rectification.grade_id = self.code("di.grade", "fairly_poor")
        rectification.write(
            {
                "grade_id": self.code("di.grade", "fairly_poor").id,
                "followup_ids": [Command.set(self.code("di.followup", "serious_notice").ids)],
            }
        )
        self.assertTrue(rectification.poor and rectification.handled and rectification.exposed)

    def test_closing_requires_a_grade(self):
        rectification = self._finished_rectification(self.make_problem())
        with self.assertRaises(ValidationError):
            rectification.action_accept()

    def test_rectification_dates(self):
        problem = self.make_problem(day=date(2024, 3, 1))
        with self.assertRaises(ValidationError):
            self.env["di.rectification"].create(
                {"problem_id": problem.id, "deadline": date(2024, 2, 1)}
            )

    @mute_logger("odoo.sql_db")
    def test_business_keys_are_unique(self):
        problem = self.make_problem()
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.make_problem(ref=problem.ref)
            self.env.flush_all()
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["di.unit"].create({"name": "dup", "code": "T-HS"})
            self.env.flush_all()

    def test_exposure_details_need_the_exposed_flag(self):
        with self.assertRaises(ValidationError):
            self.make_problem(exposure_channel="tv")
