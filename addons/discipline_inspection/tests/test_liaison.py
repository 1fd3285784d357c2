import math
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestLiaison(DiCase):
    """The inspected unit's 整改联络员, as a real user, and the loop they work in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.liaison = new_test_user(
            cls.env,
            login="t_liaison_hs",
            groups="base.group_user,discipline_inspection.group_di_liaison",
            di_unit_ids=[Command.set(cls.hs.ids)],
        )
        cls.hs.liaison_user_id = cls.liaison
        cls.reviewer = cls.users["reviewer_hs"]

    def registered(self, unit=None, days_left=30, **values):
        problem = self.make_problem(unit=unit, day=date.today() - timedelta(days=40), **values)
        problem.action_confirm()
        problem.rectification_id.deadline = date.today() + timedelta(days=days_left)
        return problem

    # ----------------------------------------------------------------- what they see
    def test_a_liaison_sees_own_registered_records_and_nothing_else(self):
        own = self.registered()
        street = self.registered(unit=self.hs_street)
        draft = self.make_problem()
        other = self.registered(unit=self.jb)
        self.make_person(own, decision_date=date.today())
        Problem = self.env["di.problem"].with_user(self.liaison)
        self.assertEqual(Problem.search([]), own | street)
        self.assertNotIn(draft, Problem.search([]))
        with self.assertRaises(AccessError):
            Problem.browse(other.id).read(["description"])
        with self.assertRaises(AccessError):
            Problem.browse(draft.id).read(["description"])
        Rect = self.env["di.rectification"].with_user(self.liaison)
        self.assertEqual(Rect.search([]), (own | street).rectification_id)
        with self.assertRaises(AccessError):
            Rect.browse(other.rectification_id.id).read(["measures"])

    def test_handled_persons_are_refused_on_every_path(self):
        problem = self.registered()
        self.make_person(problem, decision_date=date.today())
        Person = self.env["di.person"].with_user(self.liaison)
        for attempt in (
            lambda: Person.search([]),
            lambda: Person.search_count([]),
            lambda: Person.read_group([], ["unit_id"], ["unit_id"]),
            lambda: Person.browse(problem.person_ids.id).read(["name"]),
        ):
            with self.subTest(attempt=attempt), self.assertRaises(AccessError):
                attempt()
        mine = problem.with_user(self.liaison)
        # Through the problem: the related fields about persons are the commission's.
        for field in ("person_ids", "person_count", "responsible"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                mine.read([field])
        with self.assertRaises(AccessError):
            self.env["di.problem"].with_user(self.liaison).search([("person_ids.name", "=", "x")])
        with self.assertRaises(AccessError):
            mine.rectification_id.read(["followup_ids"])
        # Nor the inspections, nor the sanctions' master data.
        for model in ("di.inspection", "di.outcome", "di.rank", "di.dashboard"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.liaison).search([])

    def test_a_liaison_reads_bulletins_only_once_published(self):
        Bulletin = self.env["di.bulletin"]
        wizard = (
            self.env["di.bulletin.wizard"]
            .with_user(self.reviewer)
            .create({"period_type": "month", "year": 2024, "month": "3", "issuing_body": "T"})
        )
        bulletin = Bulletin.browse(wizard.action_generate()["res_id"])
        self.assertFalse(Bulletin.with_user(self.liaison).search([("id", "=", bulletin.id)]))
        bulletin.with_user(self.reviewer).action_publish()
        self.assertTrue(Bulletin.with_user(self.liaison).search([("id", "=", bulletin.id)]))

    # ----------------------------------------------------------------- what they do
    def test_a_liaison_records_the_work_but_not_the_commissions_fields(self):
        rect = self.registered().rectification_id.with_user(self.liaison)
        rect.write({"measures": "Refund the meal", "progress_note": "Refunded on 3 May"})
        self.assertEqual(rect.progress_note, "Refunded on 3 May")
        for values in (
            {"deadline": date.today() + timedelta(days=90)},
            {"finish_date": date.today()},
            {"responsible_user_id": self.liaison.id},
            {"return_count": 0},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                rect.write(values)
        rect.action_start()
        rect.action_submit()
        for step in (rect.action_accept, rect.action_revisit):
            with self.assertRaises(AccessError):
                step()
        with self.assertRaises(AccessError):
            rect.action_reject(reason="I return it myself")

    def test_a_liaison_cannot_write_through_a_register_import(self):
        """The import is a workflow step: the form's field checks do not hold inside it."""
        rect = self.registered().rectification_id
        deadline = rect.deadline
        service = self.env["di.import.service"].with_user(self.liaison)
        row = {
            "_row": 2,
            "problem_ref": rect.problem_id.ref,
            "deadline": str(deadline + timedelta(days=200)),
            "return_count": 0,
        }
        with self.assertRaisesRegex(AccessError, "Only inspectors import registers"):
            service.import_rows("rectifications", [row])
        with self.assertRaisesRegex(AccessError, "Only inspectors import registers"):
            service.start_log(["register.xlsx"])
        self.assertEqual(rect.deadline, deadline)

    def test_the_full_loop_submit_return_resubmit_accept(self):
        rect = self.registered().rectification_id
        mine = rect.with_user(self.liaison)
        mine.action_start()
        mine.action_submit()
        theirs = rect.with_user(self.reviewer)
        with self.assertRaises(UserError):
            theirs.action_reject(reason="  ")
        theirs.action_reject(reason="Only the rules were sent, no records of their use.")
        self.assertEqual(rect.state, "in_progress")
        self.assertEqual(rect.return_count, 1)
        self.assertFalse(rect.finish_date)
        mine.action_submit()
        theirs.evaluate(self.code("di.grade", "good"))
        theirs.action_accept()
        self.assertTrue(rect.is_closed)
        rounds = rect.round_ids
        self.assertEqual(
            [(r.action, r.number, r.user_id) for r in rounds],
            [
                ("start", 1, self.liaison),
                ("submit", 1, self.liaison),
                ("reject", 1, self.reviewer),
                ("submit", 2, self.liaison),
                ("accept", 2, self.reviewer),
            ],
        )
        self.assertEqual(rounds[2].reason, "Only the rules were sent, no records of their use.")
        self.assertTrue(all(r.date for r in rounds))
        self.assertTrue(
            any("Only the rules were sent" in (m.body or "") for m in rect.message_ids),
            "the return's reason is in the chatter",
        )
        # The liaison reads the rounds; nobody writes them.
        self.assertEqual(mine.round_ids, rounds)
        with self.assertRaises(AccessError):
            rounds[0].with_user(self.reviewer).write({"reason": "edited"})
        with self.assertRaises(AccessError):
            self.env["di.rectification.round"].with_user(self.reviewer).create(
                {"rectification_id": rect.id, "action": "submit", "user_id": self.reviewer.id}
            )
        # Returns are a field to filter and group on.
        Rect = self.env["di.rectification"].with_user(self.reviewer)
        self.assertIn(rect, Rect.search([("return_count", ">", 0)]))
        groups = Rect.read_group([("id", "=", rect.id)], ["return_count"], ["return_count"])
        self.assertEqual(groups[0]["return_count"], 1)

    # ----------------------------------------------------------------- extensions
    def request(self, rect, days):
        return (
            self.env["di.rectification.extension"]
            .with_user(self.liaison)
            .create(
                {
                    "rectification_id": rect.id,
                    "new_deadline": rect.deadline + timedelta(days=days),
                    "reason": "The archive must be consulted",
                }
            )
        )

    def test_an_extension_moves_the_deadline_not_the_timeliness(self):
        rect = self.registered(days_left=-5).rectification_id  # already late
        original = rect.deadline
        self.assertEqual(rect.original_deadline, original)
        self.assertTrue(rect.overdue)
        extension = self.request(rect, 30)
        self.assertEqual(extension.current_deadline, original)
        with self.assertRaises(UserError):  # one request at a time
            self.request(rect, 40)
        with self.assertRaises(AccessError):  # the liaison does not decide
            extension.action_approve()
        with self.assertRaises(AccessError):  # nor write the decision's words
            extension.write({"decision_note": "Approved by myself"})
        with self.assertRaises(AccessError):  # the deadline at request is the one in force
            self.env["di.rectification.extension"].with_user(self.liaison).create(
                {
                    "rectification_id": rect.id,
                    "current_deadline": original + timedelta(days=60),
                    "new_deadline": original + timedelta(days=90),
                    "reason": "typed",
                }
            )
        extension.with_user(self.reviewer).action_approve()
        self.assertEqual(extension.state, "approved")
        self.assertEqual(extension.decided_by_id, self.reviewer)
        self.assertEqual(rect.deadline, original + timedelta(days=30))
        self.assertEqual(rect.original_deadline, original)
        self.assertEqual(rect.extension_count, 1)
        self.assertFalse(rect.overdue)  # within the deadline in force
        self.assertEqual(
            rect.round_ids.filtered(lambda r: r.action == "extension").deadline, rect.deadline
        )
        with self.assertRaises(UserError):  # a decided request is kept as it is
            extension.with_user(self.reviewer).write({"new_deadline": date.today()})
        mine = rect.with_user(self.liaison)
        mine.action_start()
        mine.action_submit()
        # 按期完成 is measured against the original deadline: finished after it, not on time.
        self.assertGreater(rect.finish_date, original)
        self.assertFalse(rect.on_time)
        Rect = self.env["di.rectification"]
        self.assertIn(rect, Rect.search([("extension_count", ">", 0)]))
        self.assertNotIn(rect, Rect.search([("on_time", "=", True)]))

    def test_a_refused_extension_changes_nothing(self):
        rect = self.registered(days_left=10).rectification_id
        deadline = rect.deadline
        extension = self.request(rect, 20)
        with self.assertRaises(ValidationError):  # not later than the deadline in force
            extension.write({"new_deadline": deadline - timedelta(days=1)})
        extension.with_user(self.reviewer).action_refuse(note="Keep the deadline")
        self.assertEqual((rect.deadline, rect.extension_count), (deadline, 0))
        self.assertEqual(extension.state, "refused")
        # Finished in time: on time.
        rect.with_user(self.liaison).action_start()
        rect.with_user(self.liaison).action_submit()
        self.assertTrue(rect.on_time)

    # ----------------------------------------------------------------- warnings
    def test_the_deadline_job_reaches_the_liaison_then_the_head(self):
        rect = self.registered(days_left=15).rectification_id
        Rect = self.env["di.rectification"]

        def recipients():
            activities = self.env["mail.activity"].search(
                [("res_model", "=", "di.rectification"), ("res_id", "=", rect.id)]
            )
            return activities.user_id

        self.assertEqual(rect.liaison_user_id, self.liaison)
        Rect._cron_deadline_warnings()
        self.assertEqual(recipients(), self.liaison)
        rect.deadline = date.today() + timedelta(days=3)
        Rect._cron_deadline_warnings()
        self.assertEqual(recipients(), self.liaison | self.hs.head_user_id)
        count = len(rect.activity_ids)
        Rect._cron_deadline_warnings()  # twice: no duplicates
        self.assertEqual(len(rect.activity_ids), count)
        rect.deadline = date.today() - timedelta(days=1)
        Rect._cron_deadline_warnings()
        self.assertEqual(recipients(), self.liaison | self.hs.head_user_id | self.hs.leader_user_id)
        # A sub-unit without a liaison of its own: the one above.
        street = self.registered(unit=self.hs_street).rectification_id
        self.assertEqual(street.liaison_user_id, self.liaison)

    # ----------------------------------------------------------------- 回头看
    def closed(self, grade="good", unit=None):
        rect = self.registered(unit=unit).rectification_id
        worker, reviewer = (
            (self.users["inspector_jb"], self.users["reviewer_jb"])
            if unit == self.jb
            else (self.liaison, self.reviewer)
        )
        rect.with_user(worker).action_start()
        rect.with_user(worker).action_submit()
        rect.with_user(reviewer).evaluate(
            self.code("di.grade", grade),
            followups=self.code("di.followup", "interview")
            if grade in ("poor", "fairly_poor")
            else None,
        )
        rect.with_user(reviewer).action_accept()
        return rect

    def test_the_revisit_draw_is_reproducible_and_takes_every_poor_one(self):
        good = self.env["di.rectification"]
        for _ in range(9):
            good |= self.closed()
        poor = self.closed("poor") | self.closed("fairly_poor", unit=self.hs_street)
        elsewhere = self.closed(unit=self.jb)
        today = date.today()
        draw = (
            self.env["di.revisit.draw"]
            .with_user(self.reviewer)
            .create(
                {
                    "unit_id": self.hs.id,
                    "date_from": today - timedelta(days=1),
                    "date_to": today,
                    "share": 0.3,
                }
            )
        )
        with self.assertRaises(AccessError):
            draw.with_user(self.liaison).action_draw()
        with self.assertRaises(AccessError):
            draw.with_user(self.users["inspector_hs"]).action_draw()
        draw.action_draw()
        self.assertEqual(draw.candidate_ids, good | poor)
        self.assertNotIn(elsewhere, draw.candidate_ids)
        self.assertLessEqual(poor, draw.drawn_ids)
        self.assertEqual(draw.drawn_count, len(poor) + math.ceil(0.3 * len(good)))
        self.assertTrue(draw.seed and draw.method and draw.drawn_by_id == self.reviewer)
        self.assertTrue(all(r.state == "revisit" for r in draw.drawn_ids))
        self.assertTrue(draw.is_reproducible())
        with self.assertRaises(AccessError):  # the record of the draw is kept as made
            draw.write({"seed": draw.seed + 1})
        # An altered record no longer reproduces (written around the guard, as a DBA might).
        undrawn = (good - draw.drawn_ids)[:1]
        draw.sudo().write({"drawn_ids": [Command.link(undrawn.id)]})
        self.assertFalse(draw.is_reproducible())

    def test_a_recurrence_reopens_and_counts_as_false_rectification(self):
        rect = self.closed()
        theirs = rect.with_user(self.reviewer)
        theirs.action_revisit()
        with self.assertRaises(UserError):
            theirs.action_recur()
        new_deadline = date.today() + timedelta(days=20)
        theirs.action_recur(reason="The window still asks for money", deadline=new_deadline)
        self.assertEqual(rect.state, "in_progress")
        self.assertTrue(rect.is_open)
        self.assertEqual((rect.recurrence_count, rect.recurrence_date), (1, date.today()))
        self.assertTrue(rect.false_rectification)
        self.assertEqual(rect.deadline, new_deadline)
        self.assertFalse(rect.grade_id)
        Rect = self.env["di.rectification"]
        self.assertIn(rect, Rect.search([("false_rectification", "=", True)]))
        # The other outcome: the rectification holds, closed again, not counted.
        held = self.closed()
        held.with_user(self.reviewer).action_revisit()
        held.with_user(self.reviewer).action_confirm_revisit()
        self.assertTrue(held.is_closed)
        self.assertFalse(held.false_rectification)

    # ----------------------------------------------------------------- the notice
    def test_the_liaison_receives_the_rectification_notice(self):
        inspection = self.env["di.inspection"].create(
            {
                "date": date.today() - timedelta(days=41),
                "unit_ids": [Command.set(self.hs.ids)],
                "topic": "Public dining",
                "leader_id": self.reviewer.id,
            }
        )
        problem = self.registered(inspection_id=inspection.id)
        inspection.with_user(self.reviewer).action_rectification_notice()
        rect = problem.rectification_id.with_user(self.liaison)
        attachments = (
            self.env["ir.attachment"]
            .with_user(self.liaison)
            .search([("res_model", "=", "di.rectification"), ("res_id", "=", rect.id)])
        )
        self.assertEqual(len(attachments), 1)
        self.assertTrue(attachments.raw.startswith(b"%PDF"))
        self.assertIn(self.liaison.partner_id, rect.message_partner_ids)
        # A to-do of their own: the notice is work to do by the deadline.
        todo = rect.activity_ids.filtered(lambda a: a.user_id == self.liaison)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.date_deadline, rect.deadline)
        # Generated by a user without an e-mail address: still delivered (a log, not a mail).
        self.reviewer.partner_id.email = False
        inspection.with_user(self.reviewer).action_rectification_notice()
