from datetime import date

from freezegun import freeze_time
from odoo.tests import tagged
from odoo.tools import SQL

from case_tracker.figures import FIGURES_BY_KEY, TILES

from .common import DiCase

TODAY = date(2024, 5, 17)


@tagged("post_install", "-at_install")
class TestOneHome(DiCase):
    """Figures two paths compute are equal; stored values are what a fresh computation gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # May 2024 in 海曙 and 江北, seen on 17 May: deadlines behind and ahead, finished and not.
        cls.problems = cls.env["di.problem"]
        for unit, day, deadline in (
            (cls.hs, date(2024, 4, 2), date(2024, 5, 2)),  # overdue, 15 days
            (cls.hs_street, date(2024, 5, 3), date(2024, 5, 16)),  # overdue since yesterday
            (cls.hs, date(2024, 5, 6), date(2024, 5, 17)),  # due today: not overdue yet
            (cls.hs, date(2024, 5, 8), date(2024, 5, 25)),  # ahead
            (cls.jb, date(2024, 5, 9), date(2024, 5, 10)),  # overdue, in the other district
            (cls.hs, date(2024, 4, 1), date(2024, 4, 20)),  # finished late: not overdue today
        ):
            problem = cls.make_problem(unit, day=day)
            problem.action_confirm()
            problem.rectification_ids.deadline = deadline
            cls.problems |= problem
        late = cls.problems[-1].rectification_ids
        late.write({"state": "to_accept", "finish_date": date(2024, 5, 3)})
        draft = cls.make_problem(cls.hs, day=date(2024, 5, 2))  # a draft counts nowhere
        person = cls.make_person(
            cls.problems[0], ("criticism", "party_warning"), decision_date=date(2024, 5, 7)
        )
        person.action_confirm()
        # The same person (name and unit) handled again for another problem: counted once.
        cls.make_person(
            cls.problems[1],
            ("party_serious_warning",),
            unit_id=cls.hs.id,
            decision_date=date(2024, 5, 8),
        ).action_confirm()
        cls.draft = draft

    def test_dashboard_tiles_equal_the_months_bulletin(self):
        """A fixed "today" inside May: each tile of a bulletin figure equals the May bulletin."""
        for user in ("reviewer_hs", "inspector_jb", "admin"):
            with self.subTest(user=user), freeze_time(TODAY):
                env = self.env(user=self.users[user])
                dashboard = env["di.dashboard"].create({})
                stats = env["di.statistics"].compute_statistics("2024-05", False)
                self.assertEqual(stats["period"]["as_of"], TODAY.isoformat())
                rectification = stats["breakdowns"]["rectification"]
                self.assertEqual(dashboard.overdue_count, rectification["overdue"])
                for tile in TILES:
                    if tile.window == "month" and tile.figure.key in FIGURES_BY_KEY:
                        self.assertEqual(dashboard[tile.key], stats["figures"][tile.figure.key])
                # The year's tiles (poor grades, the rectification loop): what a bulletin of
                # 1 January to today counts in its rectification section.
                year = env["di.statistics"].compute_statistics(f"2024-01-01..{TODAY}", False)
                section = year["breakdowns"]["rectification"]
                year_tiles = [t for t in TILES if t.window == "year"]
                self.assertGreaterEqual(len(year_tiles), 6)
                for tile in year_tiles:
                    self.assertEqual(dashboard[tile.key], section[tile.figure.key], tile.key)
        with freeze_time(TODAY):
            hs = self.env(user=self.users["reviewer_hs"])["di.dashboard"].create({})
            self.assertEqual(hs.overdue_count, 2)
            self.assertEqual(hs.month_problem_count, 3)  # registered only: not the draft
            self.assertEqual(hs.month_person_count, 1)  # Zhang San, once
            self.assertEqual(hs.month_sanctioned_count, 1)
            self.assertEqual(
                self.env(user=self.users["admin"])["di.dashboard"].create({}).overdue_count, 3
            )

    def test_overdue_field_search_and_statistics_agree(self):
        Rectification = self.env["di.rectification"]
        with freeze_time(TODAY):
            rectifications = self.problems.rectification_ids
            flagged = rectifications.filtered("overdue")
            self.assertEqual(
                Rectification.search([("overdue", "=", True)]) & rectifications, flagged
            )
            self.assertEqual(
                Rectification.search([("overdue", "=", False)]) & rectifications,
                rectifications - flagged,
            )
            self.assertEqual(len(flagged), 3)
            stats = self.env["di.statistics"].compute_statistics("2024-05", False)
            self.assertEqual(stats["breakdowns"]["rectification"]["overdue"], len(flagged))
        # A past period is taken as of its end: on 30 April only the first one was overdue.
        april = self.env["di.statistics"].compute_statistics("2024-04", False)
        self.assertEqual(april["period"]["as_of"], "2024-04-30")
        self.assertEqual(april["breakdowns"]["rectification"]["overdue"], 1)

    def _stored_values(self, record):
        """The stored computed columns of ``record``, as the database holds them."""
        names = [
            name
            for name, field in record._fields.items()
            if field.store and field.compute and field.column_type
        ]
        self.env.flush_all()
        columns = SQL(", ").join(SQL.identifier(name) for name in names)
        table = SQL.identifier(record._table)
        self.env.cr.execute(SQL("SELECT %s FROM %s WHERE id = %s", columns, table, record.id))
        return dict(zip(names, self.env.cr.fetchone(), strict=True))

    def assertStoredIsFresh(self, record):
        """Every stored computed field holds, in the database, what computing it now gives."""
        saved = self._stored_values(record)
        for name in saved:
            self.env.add_to_compute(record._fields[name], record)
        self.env.flush_all()  # computes them again and writes what changed
        self.assertEqual(self._stored_values(record), saved, record)

    def test_stored_fields_read_back_after_save(self):
        person = self.make_person(
            self.problems[2],
            ("criticism", "party_serious_warning"),
            member=True,
            name="Wang Wu",
            decision_date=date(2024, 5, 10),
        )
        # Read back from the database, not from the cache of the transaction that saved it.
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(person.heaviest_outcome_id.code, "party_serious_warning")
        self.assertEqual((person.form, person.sanctioned, person.eight_point), ("2", True, True))
        inspection = self.env["di.inspection"].create(
            {"date": date(2024, 4, 1), "method": "open", "unit_ids": [(6, 0, self.hs.ids)]}
        )
        self.problems[0].inspection_id = inspection
        for record in (
            person,
            self.problems[0],
            self.problems[-1].rectification_ids,
            self.draft,
            inspection,
            self.hs_street,
        ):
            with self.subTest(record=record):
                self.assertStoredIsFresh(record)

    def test_eight_point_follows_the_category_list_after_a_change(self):
        """A stored eight-point flag is recomputed when the master data it derives from changes."""
        problem = self.problems[0]
        self.assertTrue(problem.eight_point)
        category_list = problem.category_id.list_id
        category_list.eight_point = False
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertFalse(problem.eight_point)
        self.assertFalse(problem.person_ids[:1].eight_point)
        category_list.eight_point = True
        self.assertTrue(problem.eight_point)
        self.assertEqual(problem.category_id.eight_point, True)
        self.assertEqual(problem.category_id.list_id.eight_point, True)
