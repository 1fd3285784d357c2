from datetime import date

from odoo import Command
from odoo.models import BaseModel
from odoo.tests import tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestGroupedRead(DiCase):
    """Groups by links come back as the ORM's own join gives them: same groups, same order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Unit = cls.env["di.unit"]
        # Created in the reverse of their names' order: ids and the units' order disagree.
        cls.units = Unit.browse()
        for name, code in (("Zeta", "T-Z"), ("Mid", "T-M"), ("Alpha", "T-A")):
            cls.units |= Unit.create(
                {"name": name, "code": code, "kind": "district", "parent_id": cls.city.id}
            )
        cls.inspection = cls.env["di.inspection"].create(
            {"date": date(2024, 2, 1), "unit_ids": [Command.set(cls.units[:1].ids)]}
        )
        categories = ("hl_dining_public", "hl_gifts", "hl_vehicles", "hl_travel")
        for index, unit in enumerate(cls.units):
            for number, category in enumerate(categories[: index + 2]):
                cls.make_problem(
                    unit=unit,
                    category=category,
                    inspection_id=cls.inspection.id if number % 2 else False,
                )
        cls.domain = [("unit_id", "in", cls.units.ids)]

    def assert_as_the_orm(self, groupby, order):
        Problem = self.env["di.problem"].with_user(self.users["admin"])
        ours = Problem._read_group(self.domain, groupby, ["__count"], order=order)
        # The ORM's own: its join of the linked tables, ordered by SQL.
        theirs = BaseModel._read_group(Problem, self.domain, groupby, ["__count"], order=order)
        self.assertEqual(ours, theirs, f"groupby {groupby}, order {order!r}")
        return ours

    def test_same_groups_in_the_same_order(self):
        cases = [
            (["unit_id"], "unit_id"),
            (["unit_id"], "unit_id desc"),
            (["category_id"], "category_id"),
            (["unit_id", "category_id"], "unit_id,category_id"),
            (["category_id", "unit_id"], "category_id DESC, unit_id ASC"),
            (["inspection_id"], "inspection_id"),  # problems without one: NULL last
            (["inspection_id", "unit_id"], "inspection_id desc,unit_id"),  # NULL first
        ]
        for groupby, order in cases:
            with self.subTest(groupby=groupby, order=order):
                self.assert_as_the_orm(groupby, order)
        rows = self.assert_as_the_orm(["unit_id"], "unit_id")
        self.assertEqual([unit.name for unit, _count in rows], ["Alpha", "Mid", "Zeta"])
        self.assertEqual([count for _unit, count in rows], [4, 3, 2])

    def test_the_pivot_as_the_web_client_asks(self):
        Problem = self.env["di.problem"].with_user(self.users["admin"])
        groups = Problem.read_group(
            self.domain, ["__count"], ["unit_id", "category_id"], lazy=False
        )
        self.assertEqual(
            [(g["unit_id"][1].split("/")[-1].strip(), g["__count"]) for g in groups][:2],
            [("Alpha", 1), ("Alpha", 1)],
        )
        self.assertEqual(sum(g["__count"] for g in groups), 9)

    def test_other_orders_are_left_to_the_orm(self):
        Problem = self.env["di.problem"]
        self.assertIsNone(Problem._link_order_directions(["unit_id"], "__count desc", 0, None))
        self.assertIsNone(Problem._link_order_directions(["unit_id"], "unit_id", 0, 10))
        self.assertIsNone(Problem._link_order_directions(["state"], "state", 0, None))
        self.assertIsNone(
            Problem._link_order_directions(
                ["discovery_date:month"], "discovery_date:month", 0, None
            )
        )
        self.assertEqual(
            Problem._link_order_directions(
                ["unit_id", "category_id"], "unit_id desc,category_id", 0, None
            ),
            [True, False],
        )
        # With a limit, the ORM's path: the same groups as ours, cut.
        rows = self.assert_as_the_orm(["unit_id"], "unit_id")
        limited = Problem._read_group(
            self.domain, ["unit_id"], ["__count"], limit=2, order="unit_id"
        )
        self.assertEqual(limited, rows[:2])
