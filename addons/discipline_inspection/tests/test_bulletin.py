import base64
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from case_tracker.figures import (
    BY_CATEGORY,
    FIGURES,
    FIGURES_BY_KEY,
    OVERDUE,
    RECTIFICATION_FIGURES,
)

from ..models import di_statistics
from ..models.di_statistics import THROUGH_RELATION, LiveCounter, _fetch
from ..models.di_workflow_guard import workflow_step
from .common import DiCase


@tagged("post_install", "-at_install")
class TestStatisticsAndBulletin(DiCase):
    """The live statistics (di.statistics), the 生成通报 wizard and the bulletin record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # March 2024 in 海曙: two eight-point problems (one exposed and graded poor, handled),
        # one local problem still in draft (not counted), and one problem in 江北.
        cls.dining = cls.make_problem(cls.hs_street, "hl_dining_public", date(2024, 3, 4))
        cls.gifts = cls.make_problem(cls.hs, "hl_gifts", date(2024, 3, 20), exposed=True)
        cls.draft = cls.make_problem(cls.hs, "hl_gifts", date(2024, 3, 21))
        cls.jb_problem = cls.make_problem(cls.jb, "hl_dining_public", date(2024, 3, 5))
        (cls.dining | cls.gifts | cls.jb_problem).action_confirm()
        cls.zhang = cls.make_person(
            cls.dining, ("criticism", "party_warning"), decision_date=date(2024, 3, 25)
        )
        # The same person (same name and unit) for a second problem: counted once.
        cls.zhang_again = cls.make_person(
            cls.gifts, ("criticism",), unit_id=cls.hs_street.id, decision_date=date(2024, 3, 28)
        )
        cls.li = cls.make_person(cls.jb_problem, ("criticism",), name="Li Si")
        (cls.zhang | cls.zhang_again | cls.li).action_confirm()
        cls.li.decision_date = date(2024, 3, 30)
        cls.env["di.inspection"].create(
            [
                {
                    "date": date(2024, 3, 1),
                    "method": "open",
                    "unit_ids": [Command.set(unit.ids)],
                }
                for unit in (cls.hs, cls.hs_street, cls.jb)
            ]
        ).action_start()
        rect = cls.gifts.rectification_ids
        rect.write({"state": "to_accept", "finish_date": date(2024, 3, 26)})
        poor = cls.code("di.grade", "poor")
        serious = cls.code("di.followup", "serious_notice")
        with freeze_time("2024-03-27"):
            rect.with_user(cls.users["reviewer_hs"]).evaluate(poor, serious)

    def figures(self, user=None, unit=False, period="2024-03"):
        statistics = self.env["di.statistics"]
        if user:
            statistics = statistics.with_user(self.users[user])
        return statistics.compute_figures(period, unit)

    def test_counting_rules(self):
        self.assertEqual(
            self.figures(unit="T-HS"),
            {
                "inspections": 2,
                "problems": 2,  # the draft problem does not count
                "persons_handled": 1,  # 张三 twice in one unit: one person
                "eight_point_problems": 2,
                "eight_point_persons": 1,
                "eight_point_sanctioned": 1,  # the party warning
                "exposed_poor_handled": 1,
            },
        )
        city = self.figures(unit="T-CITY")
        counts = (city["inspections"], city["problems"], city["persons_handled"])
        self.assertEqual(counts, (3, 3, 2))
        self.assertEqual(self.figures(period="2024-02")["problems"], 0)
        self.assertEqual(self.figures(period="2024-03-20..2024-03-20")["problems"], 1)

    def test_many_windows_count_as_each_window_alone(self):
        """The headline figures of many windows at once (records counted per day, persons
        per month or per window) are what the counting primitive finds in each window alone,
        for windows that overlap, repeat and cut months."""
        windows = [
            (date(2024, 3, 1), date(2024, 3, 31)),
            (date(2024, 3, 4), date(2024, 3, 20)),
            (date(2024, 3, 21), date(2024, 3, 31)),
            (date(2024, 3, 1), date(2024, 3, 31)),
            (date(2024, 2, 1), date(2024, 2, 29)),
            (date(2024, 1, 1), date(2024, 3, 25)),
        ]
        many = LiveCounter(self.env).figures_many(windows)
        self.assertEqual(many[1]["problems"], 3)  # the 4th, 5th and 20th of March
        self.assertEqual(many[5]["persons_handled"], 1)  # 张三 by the 25th, once
        for window, figures in zip(windows, many, strict=True):
            for figure in FIGURES:
                alone = LiveCounter(self.env).count(figure, *window)
                self.assertEqual(figures[figure.key], alone, (window, figure.key))

    def test_a_figure_as_of_a_day_is_counted_once_for_the_windows_ending_that_day(self):
        """The dashboard's windows all end today. A figure that takes the records as they stand
        (the overdue) is counted with the first window's scan and left out of the next ones'
        (which then need not read every rectification), with the count a counter of any one
        of those windows finds."""
        self.dining.rectification_ids.deadline = date(2024, 3, 10)  # overdue on the 31st
        finished = next(f for f in RECTIFICATION_FIGURES if f.key == "finished")
        day = date(2024, 3, 31)
        month, year = (date(2024, 3, 1), day), (date(2024, 1, 1), day)
        counter = LiveCounter(self.env)
        queries = []

        def noting(cr, sql):
            queries.append(sql.code)
            return _fetch(cr, sql)

        with patch.object(di_statistics, "_fetch", noting):
            overdue = counter.count(OVERDUE, *month, day)
            finished_in_year = counter.count(finished, *year, day)
            overdue_again = counter.count(OVERDUE, *year, day)
        self.assertEqual(overdue, 1)
        self.assertEqual(overdue_again, overdue)
        self.assertEqual(LiveCounter(self.env).count(OVERDUE, *year, day), overdue)
        self.assertEqual(finished_in_year, 1)  # the gifts' rectification, on 26 March
        self.assertEqual(LiveCounter(self.env).count(finished, *year, day), finished_in_year)
        self.assertEqual(len(queries), 2)  # the month's scan and the year's, nothing more
        overdue_terms = counter._condition(OVERDUE, day).code
        self.assertIn(overdue_terms, queries[0])
        self.assertNotIn(overdue_terms, queries[1])

    def test_a_persons_total_after_its_breakdowns(self):
        """A bulletin's counter counts persons per group without their total; a total asked
        afterwards is counted then, and is the total a counter of totals finds."""
        persons = FIGURES_BY_KEY["persons_handled"]
        march = (date(2024, 3, 1), date(2024, 3, 31))
        grouped = LiveCounter(self.env, grouped=True)
        by_category = grouped.count_by(persons, BY_CATEGORY, *march)
        self.assertEqual((by_category["hl_dining_public"], by_category["hl_gifts"]), (2, 1))
        self.assertEqual(grouped.count(persons, *march), 2)
        self.assertEqual(LiveCounter(self.env).count(persons, *march), 2)

    def test_scans_through_relation_tables_merge_and_the_setting_ends_with_them(self):
        setting = "SELECT current_setting('enable_hashjoin')"
        self.assertEqual(_fetch(self.env.cr, SQL(THROUGH_RELATION + setting)), [("off",)])
        self.assertEqual(_fetch(self.env.cr, SQL(setting)), [("on",)])
        stats = self.env["di.statistics"].compute_statistics("2024-Q1")
        outcomes = {row["kind"]: row["persons"] for row in stats["breakdowns"]["outcomes"]}
        # 张三's criticism (twice) and party warning, 李四's criticism: each person once a kind
        self.assertEqual((outcomes["education"], outcomes["party"]), (2, 1))
        self.assertEqual(_fetch(self.env.cr, SQL(setting)), [("on",)])

    def test_a_rectification_counts_while_its_problem_is_registered(self):
        """The counter reads the problem's state as the rectification stores it: the copy
        follows the problem both ways, and so does the count."""
        finished = next(f for f in RECTIFICATION_FIGURES if f.key == "finished")
        march = (date(2024, 3, 1), date(2024, 3, 31))
        before = LiveCounter(self.env).count(finished, *march)
        problem = self.make_problem(self.jb, "hl_dining_public", date(2024, 3, 6))
        problem.action_confirm()
        rectification = problem.rectification_ids
        rectification.write({"state": "to_accept", "finish_date": date(2024, 3, 15)})
        self.assertEqual(rectification.problem_state, "confirmed")
        self.assertEqual(LiveCounter(self.env).count(finished, *march), before + 1)
        with workflow_step():  # any way the problem leaves the register: the copy follows
            problem.state = "draft"
        self.assertEqual(rectification.problem_state, "draft")
        self.assertEqual(LiveCounter(self.env).count(finished, *march), before)

    def test_statistics_breakdowns(self):
        stats = self.env["di.statistics"].compute_statistics("2024-Q1", "T-HS")
        self.assertEqual(stats["scope"], {"code": "T-HS", "name": "Haishu"})
        forms = {row["form"]: row["persons"] for row in stats["breakdowns"]["forms"]}
        self.assertEqual(forms, {1: 0, 2: 1, 3: 0, 4: 0})  # the heaviest outcome decides
        units = {row["code"]: row["figures"]["problems"] for row in stats["breakdowns"]["units"]}
        self.assertEqual(units, {"T-HS-GL": 1})
        lists = {row["list"] for row in stats["breakdowns"]["categories"]}
        self.assertIn("ccdi2019", lists)
        self.assertNotIn("ccdi2013", lists)
        self.assertEqual(stats["breakdowns"]["rectification"]["poor_handled"], 1)
        self.assertEqual(len(stats["trend"]), 12)

    def test_record_rules_apply_to_the_figures(self):
        self.assertEqual(self.figures("inspector_hs")["problems"], 2)
        self.assertEqual(self.figures("inspector_jb")["problems"], 1)
        self.assertEqual(self.figures("city_inspector")["problems"], 3)
        with self.assertRaisesRegex(UserError, "T-JB"):
            self.figures("inspector_hs", unit="T-JB")
        with self.assertRaisesRegex(UserError, "NOPE"):
            self.figures(unit="NOPE")
        with self.assertRaises(UserError):
            self.figures(period="2024-13")

    def generate(self, user="reviewer_hs", **values):
        wizard = (
            self.env["di.bulletin.wizard"]
            .with_user(self.users[user])
            .create(
                {
                    "period_type": "month",
                    "year": 2024,
                    "month": "3",
                    "issuing_body": "Test commission",
                    **values,
                }
            )
        )
        action = wizard.action_generate()
        return self.env["di.bulletin"].with_user(self.users[user]).browse(action["res_id"])

    def test_wizard_freezes_figures_and_renders_the_pdf(self):
        bulletin = self.generate(unit_id=self.hs.id, number="T-1")
        self.assertEqual(bulletin.period, "2024-03")
        self.assertEqual(bulletin.problems, 2)
        self.assertEqual(bulletin.exposed_poor_handled, 1)
        self.assertEqual(bulletin.date_from, date(2024, 3, 1))
        self.assertEqual(bulletin.generated_by_id, self.users["reviewer_hs"])
        self.assertIn("Haishu", bulletin.name)
        self.assertEqual(bulletin.statistics["figures"]["problems"], 2)
        self.assertEqual(bulletin.data["number"], "T-1")
        self.assertTrue(bulletin.pdf_filename.endswith(".pdf"))
        self.assertEqual(base64.b64decode(bulletin.pdf)[:4], b"%PDF")
        self.assertEqual(base64.b64decode(bulletin.xlsx)[:2], b"PK")  # the tables, as .xlsx
        self.assertTrue(bulletin.xlsx_filename.endswith(".xlsx"))
        # Frozen: a later problem changes the live figures, not the issued bulletin.
        self.make_problem(self.hs, "hl_gifts", date(2024, 3, 30)).action_confirm()
        self.assertEqual(self.figures(unit="T-HS")["problems"], 3)
        bulletin.invalidate_recordset()
        self.assertEqual(bulletin.problems, 2)
        bulletin.action_generate()  # a draft may be recomputed
        self.assertEqual(bulletin.problems, 3)

    def test_wizard_periods(self):
        Wizard = self.env["di.bulletin.wizard"]
        cases = [
            ({"period_type": "quarter", "quarter": "2"}, "2024-Q2"),
            ({"period_type": "half", "half": "2"}, "2024-H2"),
            ({"period_type": "year"}, "2024"),
            (
                {"period_type": "range", "date_from": "2024-01-15", "date_to": "2024-02-10"},
                "2024-01-15..2024-02-10",
            ),
        ]
        for values, expected in cases:
            wizard = Wizard.create({"year": 2024, "issuing_body": "x", **values})
            self.assertEqual(wizard.period, expected)
        with self.assertRaises(UserError):
            Wizard.create({"period_type": "range", "issuing_body": "x"}).action_generate()

    def test_publish_locks_the_bulletin(self):
        bulletin = self.generate()
        bulletin.action_publish()
        self.assertEqual(bulletin.state, "published")
        with self.assertRaises(UserError):
            bulletin.action_generate()
        with self.assertRaises(UserError):
            bulletin.unlink()
        self.assertFalse(hasattr(bulletin, "action_reset_draft"))  # no way back to draft
        with self.assertRaises(ValidationError):
            self.env["di.bulletin"].create({"period": "someday", "issuing_body": "x"})

    def test_every_figure_opens_the_records_it_counts(self):
        bulletin = self.generate(unit_id=self.hs.id)
        for key in (
            "inspections",
            "problems",
            "eight_point_problems",
            "exposed_poor_handled",
        ):
            action = bulletin.with_context(figure=key).action_open_figure()
            records = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(len(records), bulletin[key], key)
        action = bulletin.with_context(figure="persons_handled").action_open_figure()
        persons = self.env["di.person"].search(action["domain"])
        self.assertEqual(persons, self.zhang | self.zhang_again)
        self.assertEqual(len(set(persons.mapped("identity_key"))), bulletin.persons_handled)

    def test_bulletin_access(self):
        with self.assertRaises(AccessError):
            self.generate(user="inspector_hs")
        hs_bulletin = self.generate()  # no scope given: the reviewer's own unit
        self.assertEqual(hs_bulletin.unit_id, self.hs)
        city_bulletin = self.generate(user="admin")
        jb_bulletin = self.generate(user="reviewer_jb", unit_id=self.jb.id)
        Bulletin = self.env["di.bulletin"]
        seen_by_hs = Bulletin.with_user(self.users["inspector_hs"]).search([])
        self.assertEqual(seen_by_hs, hs_bulletin | city_bulletin)
        seen_by_jb_leader = Bulletin.with_user(self.users["leader_jb"]).search([])
        self.assertEqual(seen_by_jb_leader, jb_bulletin | city_bulletin)
        with self.assertRaises(AccessError):
            city_bulletin.with_user(self.users["leader_hs"]).write({"number": "x"})
        with self.assertRaisesRegex(UserError, "T-JB"):
            self.generate(unit_id=self.jb.id)

    def test_monthly_cron_drafts_last_month_once(self):
        Bulletin = self.env["di.bulletin"]
        first = Bulletin._cron_draft_monthly(today=date(2024, 4, 2))
        whole_city = self.env["di.statistics"].compute_figures("2024-03", False)
        self.assertEqual(first.problems, whole_city["problems"])
        self.assertGreaterEqual(first.problems, 3)
        self.assertEqual((first.period, first.auto, first.state), ("2024-03", True, "draft"))
        self.assertFalse(Bulletin._cron_draft_monthly(today=date(2024, 4, 3)))
        self.assertEqual(Bulletin.search_count([("period", "=", "2024-03")]), 1)
        cron = self.env.ref("discipline_inspection.ir_cron_monthly_bulletin")
        self.assertTrue(cron.active)

    # -- sealed: a published bulletin is an official statement ------------------

    def published(self):
        bulletin = self.generate(unit_id=self.hs.id, number="海纪通〔2024〕9号")
        bulletin.action_publish()
        return bulletin

    def test_no_role_changes_a_published_bulletin(self):
        bulletin = self.published()
        self.assertEqual(bulletin.published_by_id, self.users["reviewer_hs"])
        for user in ("reviewer_hs", "admin"):
            mine = bulletin.with_user(self.users[user])
            for values in (
                {"issuing_body": "forged"},
                {"problems": 777},
                {"state": "draft"},
                {"number": "another"},
                {"pdf": base64.b64encode(b"%PDF-1.4 forged")},
                {"pdf_sha256": "0" * 64},
                {"verification_code": "0000-0000-0000"},
            ):
                with self.subTest(user=user, values=list(values)), self.assertRaises(UserError):
                    mine.write(values)
        self.assertEqual((bulletin.problems, bulletin.state), (2, "published"))

    def test_its_attachments_do_not_change_either(self):
        bulletin = self.published()
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "di.bulletin"),
                ("res_id", "=", bulletin.id),
                ("res_field", "=", "pdf"),
            ]
        )
        self.assertTrue(attachment)
        for user in ("reviewer_hs", "admin"):
            with self.subTest(user=user):
                with self.assertRaises(UserError):  # AccessError is a UserError
                    attachment.with_user(self.users[user]).write({"datas": base64.b64encode(b"x")})
                with self.assertRaises(UserError):  # AccessError is a UserError
                    attachment.with_user(self.users[user]).unlink()

    def test_figures_are_never_typed_in(self):
        draft = self.generate(unit_id=self.hs.id)
        for user in ("reviewer_hs", "admin"):
            with self.subTest(user=user), self.assertRaises(AccessError):
                draft.with_user(self.users[user]).write({"problems": 12345})
        with self.assertRaises(AccessError):
            self.env["di.bulletin"].with_user(self.users["admin"]).create(
                {"period": "2024-03", "issuing_body": "x", "problems": 12345}
            )

    def test_a_district_makes_bulletins_only_for_its_own_scope(self):
        Wizard = self.env["di.bulletin.wizard"].with_user(self.users["reviewer_hs"])
        for scope in (self.city, self.jb):  # a unit above, another district
            with (
                self.subTest(scope=scope.code),
                self.assertRaises(UserError),
            ):  # AccessError is a UserError
                Wizard.create(
                    {"period_type": "month", "year": 2024, "month": "3", "unit_id": scope.id}
                ).action_generate()
        Bulletin = self.env["di.bulletin"].with_user(self.users["reviewer_hs"])
        with self.assertRaises(AccessError):  # a city-wide record, created directly
            Bulletin.create({"period": "2024-03", "issuing_body": "x"})
        with self.assertRaises(AccessError):
            Bulletin.create({"period": "2024-03", "issuing_body": "x", "unit_id": self.city.id})
        street = Bulletin.create(
            {"period": "2024-03", "issuing_body": "x", "unit_id": self.hs_street.id}
        )
        self.assertTrue(street)  # a unit below is theirs to report on

    def test_a_correction_supersedes_and_both_stay(self):
        bulletin = self.published()
        reviewer = bulletin.with_user(self.users["reviewer_hs"])
        with self.assertRaises(UserError):
            reviewer.correct("  ")
        correction = reviewer.correct("江北区的台账重复导入")
        self.assertEqual(correction.state, "draft")
        self.assertEqual(correction.supersedes_id, bulletin)
        self.assertEqual(correction.correction_by_id, self.users["reviewer_hs"])
        self.assertEqual(correction.correction_reason, "江北区的台账重复导入")
        self.assertEqual(bulletin.state, "published")  # until the correction is published
        correction.action_publish()
        self.assertEqual(bulletin.state, "superseded")
        self.assertEqual(bulletin.superseded_by_id, correction)
        self.assertIn("江北区的台账重复导入", bulletin.message_ids[:1].body)
        with self.assertRaises(UserError):
            bulletin.with_user(self.users["admin"]).write({"state": "published"})

    def test_buttons_show_only_where_the_user_may_act(self):
        hs_bulletin = self.generate()
        city_bulletin = self.generate(user="admin")
        reviewer = self.users["reviewer_hs"]
        self.assertTrue(hs_bulletin.with_user(reviewer).may_change)
        self.assertFalse(city_bulletin.with_user(reviewer).may_change)  # read, not theirs
        self.assertTrue(city_bulletin.with_user(self.users["admin"]).may_change)
        # Hidden buttons are refused on the server too.
        for action in ("action_generate", "action_publish"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(city_bulletin.with_user(reviewer), action)()
