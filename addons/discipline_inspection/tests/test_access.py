from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestAccess(DiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hs_problem = cls.make_problem(unit=cls.hs_street)
        cls.jb_problem = cls.make_problem(unit=cls.jb)
        cls.hs_problem.action_confirm()
        cls.jb_problem.action_confirm()
        cls.hs_person = cls.make_person(cls.hs_problem, name="HS person")
        cls.jb_person = cls.make_person(cls.jb_problem, name="JB person")

    def visible(self, user_key, model):
        return self.env[model].with_user(self.users[user_key]).search([])

    def test_district_users_see_their_district_and_sub_units_only(self):
        for role in ("inspector", "reviewer", "leader"):
            problems = self.visible(f"{role}_hs", "di.problem")
            self.assertIn(self.hs_problem, problems, role)
            self.assertNotIn(self.jb_problem, problems, role)
            persons = self.visible(f"{role}_hs", "di.person")
            self.assertIn(self.hs_person, persons, role)
            self.assertNotIn(self.jb_person, persons, role)
            rects = self.visible(f"{role}_hs", "di.rectification")
            self.assertIn(self.hs_problem.rectification_id, rects, role)
            self.assertNotIn(self.jb_problem.rectification_id, rects, role)
            problems = self.visible(f"{role}_jb", "di.problem")
            self.assertIn(self.jb_problem, problems, role)
            self.assertNotIn(self.hs_problem, problems, role)

    def test_reading_another_district_by_id_is_refused(self):
        with self.assertRaises(AccessError):
            self.jb_person.with_user(self.users["inspector_hs"]).read(["name"])
        with self.assertRaises(AccessError):
            self.jb_problem.with_user(self.users["reviewer_hs"]).description  # noqa: B018

    def test_city_and_admin_see_everything(self):
        for key in ("city_inspector", "admin"):
            problems = self.visible(key, "di.problem")
            self.assertIn(self.hs_problem, problems)
            self.assertIn(self.jb_problem, problems)
            persons = self.visible(key, "di.person")
            self.assertIn(self.jb_person, persons)

    def test_inspector_writes_in_own_district_not_in_others(self):
        inspector = self.users["inspector_hs"]
        problem = self.make_problem(unit=self.hs_street).with_user(inspector)
        problem.description = "edited by the inspector"
        created = (
            self.env["di.problem"]
            .with_user(inspector)
            .create(
                {
                    "unit_id": self.hs.id,
                    "category_id": self.code("di.category", "hl_gifts").id,
                    "description": "created by the inspector",
                }
            )
        )
        self.assertTrue(created.ref)
        with self.assertRaises(AccessError):
            self.env["di.problem"].with_user(inspector).create(
                {
                    "unit_id": self.jb.id,
                    "category_id": self.code("di.category", "hl_gifts").id,
                    "description": "not my district",
                }
            )

    def test_leader_reads_but_never_writes(self):
        leader = self.users["leader_hs"]
        self.assertEqual(self.hs_problem.with_user(leader).description, "test problem")
        with self.assertRaises(AccessError):
            self.hs_problem.with_user(leader).description = "no"
        with self.assertRaises(AccessError):
            self.hs_person.with_user(leader).post = "no"
        with self.assertRaises(AccessError):
            self.env["di.inspection"].with_user(leader).create({"unit_ids": [(6, 0, self.hs.ids)]})

    def test_units_only_for_administrators_and_master_data_for_nobody(self):
        grade = self.code("di.grade", "good")
        for user in ("reviewer_hs", "admin"):  # the domain file owns master data
            with self.assertRaises(AccessError):
                grade.with_user(self.users[user]).name = "x"
        with self.assertRaises(AccessError):
            self.hs.with_user(self.users["inspector_hs"]).name = "x"
        self.hs.with_user(self.users["admin"]).name = "Haishu District"

    def test_users_without_a_group_see_nothing(self):
        outsider = new_test_user(self.env, login="t_outsider", groups="base.group_user")
        for model in ("di.problem", "di.person", "di.inspection", "di.rectification"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(outsider).search([])

    def test_inspector_deletes_only_drafts(self):
        inspector = self.users["inspector_hs"]
        draft = self.make_problem(unit=self.hs)
        draft.with_user(inspector).unlink()
        self.assertFalse(draft.exists())
        with self.assertRaises(UserError):
            self.hs_problem.with_user(inspector).unlink()

    def test_dashboard_counts_only_what_the_user_may_see(self):
        for key, expected in (("inspector_hs", self.hs_problem), ("inspector_jb", self.jb_problem)):
            user = self.users[key]
            dashboard = self.env["di.dashboard"].with_user(user).create({})
            visible_open = (
                self.env["di.problem"]
                .with_user(user)
                .search([("rectification_state", "!=", "closed")])
            )
            self.assertEqual(dashboard.open_count, len(visible_open))
            self.assertIn(expected, visible_open)
            action = dashboard.with_context(tile="open_count").action_open_tile()
            self.assertEqual(
                self.env[action["res_model"]].with_user(user).search_count(action["domain"]),
                dashboard.open_count,
            )
        admin = self.env["di.dashboard"].with_user(self.users["admin"]).create({})
        self.assertGreaterEqual(admin.open_count, 2)
