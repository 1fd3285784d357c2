from datetime import date, timedelta

from odoo.tests import tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestDeadlineCron(DiCase):
    def _rectification(self, days_left):
        today = date.today()
        problem = self.make_problem(day=today - timedelta(days=60), category="hl_gifts")
        problem.action_confirm()
        rect = problem.rectification_id
        rect.write(
            {
                "deadline": today + timedelta(days=days_left),
                "responsible_user_id": self.users["inspector_hs"].id,
                "unit_id": self.hs.id,
            }
        )
        return rect

    def _activities(self, rect):
        return self.env["mail.activity"].search(
            [("res_model", "=", "di.rectification"), ("res_id", "=", rect.id)]
        )

    def test_levels_recipients_and_no_duplicates_on_a_second_run(self):
        far, green, yellow, red = (self._rectification(d) for d in (40, 15, 5, -2))
        Rect = self.env["di.rectification"]
        Rect._cron_deadline_warnings()
        self.assertFalse(self._activities(far))
        self.assertEqual(green.warning_level, "green")
        self.assertEqual(self._activities(green).user_id, self.users["inspector_hs"])
        self.assertEqual(yellow.warning_level, "yellow")
        # The ladder: the responsible first, then the unit's head, then the leader in charge.
        self.assertEqual(
            self._activities(yellow).user_id,
            self.users["inspector_hs"] | self.users["leader_hs"],
        )
        self.assertEqual(red.warning_level, "red")
        self.assertEqual(
            self._activities(red).user_id,
            self.users["inspector_hs"] | self.users["leader_hs"] | self.users["reviewer_hs"],
        )
        counts = {r: len(self._activities(r)) for r in (green, yellow, red)}
        Rect._cron_deadline_warnings()
        self.assertEqual({r: len(self._activities(r)) for r in counts}, counts)

    def test_summaries_are_in_the_recipients_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.users["inspector_hs"].lang = "zh_CN"
        green = self._rectification(15)
        self.env["di.rectification"]._cron_deadline_warnings()
        self.assertEqual(self._activities(green).summary, "整改时限临近")

    def test_escalation_adds_the_next_level_only_once(self):
        rect = self._rectification(15)
        Rect = self.env["di.rectification"]
        Rect._cron_deadline_warnings()
        self.assertEqual(len(self._activities(rect)), 1)
        rect.deadline = date.today() + timedelta(days=3)
        Rect._cron_deadline_warnings()
        Rect._cron_deadline_warnings()
        self.assertEqual(rect.warning_level, "yellow")
        self.assertEqual(len(self._activities(rect)), 3)

    def test_finished_rectifications_get_no_warning(self):
        rect = self._rectification(-5)
        rect.action_start()
        rect.action_submit()
        self.env["di.rectification"]._cron_deadline_warnings()
        self.assertFalse(self._activities(rect))

    def test_thresholds_are_configurable(self):
        self.env["ir.config_parameter"].set_param("discipline_inspection.warning_green_days", 50)
        rect = self._rectification(40)
        self.env["di.rectification"]._cron_deadline_warnings()
        self.assertEqual(rect.warning_level, "green")
