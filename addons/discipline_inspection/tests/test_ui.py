import logging
from datetime import date

from lxml import etree
from odoo import Command
from odoo.tests import new_test_user

from .common import DiCase

ROOT_MENU = "discipline_inspection.menu_di_root"


class TestUi(DiCase):
    """What the web client gets: landing app, actions, field access in views, calendar data."""

    def first_app(self, user):
        # The apps as the web client lists them (load_menus: the user's visible roots, in order).
        return self.env["ir.ui.menu"].with_user(user).get_user_roots()[:1].id

    def test_users_of_every_group_land_on_the_dashboard(self):
        # Without a home action of their own, Odoo opens the first app: the add-on's, whose
        # action is the dashboard.
        root = self.env.ref(ROOT_MENU)
        self.assertEqual(root.action, self.env.ref("discipline_inspection.action_di_dashboard"))
        later = new_test_user(
            self.env,
            login="t_created_later",
            groups="base.group_user,discipline_inspection.group_di_inspector",
        )
        for user in [*self.users.values(), later]:
            with self.subTest(user=user.login):
                self.assertFalse(user.action_id)
                self.assertEqual(self.first_app(user), root.id)
        outsider = new_test_user(self.env, login="t_outsider", groups="base.group_user")
        self.assertNotEqual(self.first_app(outsider), root.id)

    def test_the_wizard_opens_the_bulletin_in_the_bulletins_action(self):
        wizard = (
            self.env["di.bulletin.wizard"]
            .with_user(self.users["reviewer_hs"])
            .create({"period_type": "month", "year": 2024, "month": "3", "issuing_body": "T"})
        )
        action = wizard.action_generate()
        bulletins = self.env.ref("discipline_inspection.action_di_bulletin")
        # The action's id lets the web client find the menu: the app bar and breadcrumb stay.
        self.assertEqual(action["id"], bulletins.id)
        self.assertEqual(action["res_model"], "di.bulletin")
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(action["target"], "current")
        bulletin = self.env["di.bulletin"].browse(action["res_id"])
        self.assertEqual(bulletin.period, "2024-03")

    def grade_nodes(self, user):
        views = self.env["di.rectification"].with_user(user).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        return arch.xpath("//field[@name='grade_id']")

    def test_the_grade_is_read_only_in_the_form_and_given_through_evaluate(self):
        """Nobody types a grade: reviewers use the Evaluate button, others do not see it."""
        for user in ("inspector_hs", "leader_hs", "reviewer_hs"):
            with self.subTest(user=user):
                (node,) = self.grade_nodes(self.users[user])
                self.assertIn(node.get("readonly"), ("1", "True"))
        for user, shown in (("inspector_hs", False), ("reviewer_hs", True)):
            views = (
                self.env["di.rectification"]
                .with_user(self.users[user])
                .get_views([(False, "form")])
            )
            arch = etree.fromstring(views["views"]["form"]["arch"])
            buttons = arch.xpath("//button[@name='action_open_evaluation']")
            self.assertEqual(bool(buttons), shown, user)

    def inspection(self, day, end=None, topic="Gifts at festivals"):
        return self.env["di.inspection"].create(
            {
                "date": day,
                "end_date": end,
                "method": "open",
                "topic": topic,
                "unit_ids": [Command.set(self.hs.ids)],
            }
        )

    def test_the_calendar_shows_inspections_without_an_end_date_as_one_day(self):
        one_day = self.inspection(date(2024, 5, 6))
        three_days = self.inspection(date(2024, 5, 7), date(2024, 5, 9), topic=False)
        self.assertEqual(one_day.calendar_end, date(2024, 5, 6))
        self.assertEqual(three_days.calendar_end, date(2024, 5, 9))
        self.assertEqual(one_day.calendar_title, f"Gifts at festivals · {one_day.ref}")
        self.assertEqual(three_days.calendar_title, three_days.ref)
        # The calendar's range query: starts before the range ends and ends after it starts.
        Inspection = self.env["di.inspection"]

        def in_range(start, end):
            return Inspection.search(
                [
                    ("id", "in", (one_day | three_days).ids),
                    ("date", "<=", end),
                    ("calendar_end", ">=", start),
                ]
            )

        self.assertEqual(in_range(date(2024, 5, 6), date(2024, 5, 6)), one_day)
        self.assertEqual(in_range(date(2024, 5, 8), date(2024, 5, 31)), three_days)
        self.assertEqual(in_range(date(2024, 5, 1), date(2024, 5, 31)), one_day | three_days)
        self.assertFalse(in_range(date(2024, 5, 10), date(2024, 5, 31)))
        # Moved in the calendar: a one-day visit keeps no end date; a longer one gets one.
        one_day.write({"date": date(2024, 5, 13), "calendar_end": date(2024, 5, 13)})
        self.assertFalse(one_day.end_date)
        one_day.write({"calendar_end": date(2024, 5, 14)})
        self.assertEqual(one_day.end_date, date(2024, 5, 14))

    def test_a_batch_that_falls_back_to_row_by_row_logs_why(self):
        rows = [
            {"_row": 2, "ref": "T-J-1", "date": "2024-05-06", "method": "open",
             "unit_codes": ["T-HS"]},
            {"_row": 3, "ref": "T-J-2", "date": "2024-05-06", "end_date": "2024-05-01",
             "method": "open", "unit_codes": ["T-HS"]},
        ]  # fmt: skip
        logger = "odoo.addons.discipline_inspection.models.di_import_service"
        # logging.INFO, not "INFO": Odoo names its level 25 "INFO" too.
        with self.assertLogs(logger, logging.INFO) as logs:
            results = self.env["di.import.service"].import_rows("inspections", rows)
        self.assertEqual([r["status"] for r in results], ["created", "error"])
        (line,) = [m for m in logs.output if "row by row" in m]
        self.assertIn("2 di.inspection", line)
        self.assertIn("ends before it starts", line)
