from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class DiCase(TransactionCase):
    """Two districts of one city, with real users of every group in each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Unit = cls.env["di.unit"]
        cls.city = Unit.create({"name": "City", "code": "T-CITY", "kind": "city"})
        cls.hs = Unit.create(
            {"name": "Haishu", "code": "T-HS", "kind": "district", "parent_id": cls.city.id}
        )
        cls.hs_street = Unit.create(
            {"name": "Gulou", "code": "T-HS-GL", "kind": "subdistrict", "parent_id": cls.hs.id}
        )
        cls.jb = Unit.create(
            {"name": "Jiangbei", "code": "T-JB", "kind": "district", "parent_id": cls.city.id}
        )
        prefix = "discipline_inspection.group_di_"
        cls.users = {}
        for unit_key, unit in (("hs", cls.hs), ("jb", cls.jb)):
            for role in ("inspector", "reviewer", "leader"):
                cls.users[f"{role}_{unit_key}"] = new_test_user(
                    cls.env,
                    login=f"t_{role}_{unit_key}",
                    groups=f"base.group_user,{prefix}{role}",
                    di_unit_ids=[Command.set(unit.ids)],
                )
        cls.users["admin"] = new_test_user(
            cls.env, login="t_admin", groups=f"base.group_user,{prefix}admin"
        )
        cls.users["city_inspector"] = new_test_user(
            cls.env,
            login="t_city_inspector",
            groups=f"base.group_user,{prefix}inspector",
            di_unit_ids=[Command.set(cls.city.ids)],
        )
        cls.hs.write(
            {
                "head_user_id": cls.users["leader_hs"].id,
                "leader_user_id": cls.users["reviewer_hs"].id,
            }
        )

    @classmethod
    def code(cls, model, code):
        return cls.env[model].search([("code", "=", code)])

    @classmethod
    def make_problem(cls, unit=None, category="hl_dining_public", day=date(2024, 3, 1), **values):
        return cls.env["di.problem"].create(
            {
                "unit_id": (unit or cls.hs).id,
                "category_id": cls.code("di.category", category).id,
                "description": "test problem",
                "discovery_date": day,
                **values,
            }
        )

    @classmethod
    def make_person(cls, problems, outcomes=("criticism",), member=True, **values):
        return cls.env["di.person"].create(
            {
                "name": values.pop("name", "Zhang San"),
                "unit_id": values.pop("unit_id", problems[:1].unit_id.id),
                "rank_id": cls.code("di.rank", "township").id,
                "party_member": member,
                "problem_ids": [Command.set(problems.ids)],
                "outcome_ids": [
                    Command.set(cls.env["di.outcome"].search([("code", "in", list(outcomes))]).ids)
                ],
                "decision_date": values.pop("decision_date", date(2024, 4, 1)),
                **values,
            }
        )
