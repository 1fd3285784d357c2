from datetime import date

import psycopg2
from odoo import Command
from odoo.tools import mute_logger

from .common import DiCase

DAY = date(2018, 6, 1)


class TestReferences(DiCase):
    """Drawn references skip those already in use (imported registers use the same pattern)."""

    def next_number(self, code, day=DAY):
        """The number the sequence ``code`` would give next for ``day`` (1 for a new year)."""
        sequence = self.env["ir.sequence"].search([("code", "=", code)], limit=1)
        ranges = sequence.date_range_ids.filtered(lambda r: r.date_from <= day <= r.date_to)
        return ranges.number_next_actual if ranges else 1

    def problem_vals(self, unit=None, **values):
        return {
            "unit_id": (unit or self.hs).id,
            "category_id": self.code("di.category", "e8_dining").id,
            "description": "back-dated problem",
            "discovery_date": DAY,
            **values,
        }

    def test_a_back_dated_problem_after_an_import_gets_the_next_free_reference(self):
        n = self.next_number("di.problem")
        rows = [
            {
                "_row": index,
                "ref": f"W2018-{number:05d}",
                "unit_code": unit,
                "category": "e8_dining",
                "description": "imported",
                "discovery_date": "2018-03-01",
            }
            for index, (number, unit) in enumerate(((n, "T-HS"), (n + 1, "T-HS"), (n + 2, "T-JB")))
        ]
        results = self.env["di.import.service"].import_rows("problems", rows)
        self.assertEqual({r["status"] for r in results}, {"created"}, results)
        # An inspector of Haishu cannot see the Jiangbei problem, and still never gets its number.
        Problem = self.env["di.problem"].with_user(self.users["inspector_hs"])
        self.assertFalse(Problem.search([("ref", "=", f"W2018-{n + 2:05d}")]))
        first = Problem.create(self.problem_vals())
        self.assertEqual(first.ref, f"W2018-{n + 3:05d}")
        second = Problem.create(self.problem_vals())
        self.assertEqual(second.ref, f"W2018-{n + 4:05d}")  # no number burnt by a failure

    def test_inspections_and_persons_skip_taken_references_too(self):
        n = self.next_number("di.inspection")
        Inspection = self.env["di.inspection"]
        base = {"date": DAY, "method": "open", "unit_ids": [Command.set(self.hs.ids)]}
        Inspection.create([{**base, "ref": f"J2018-{n + k:05d}"} for k in range(2)])
        self.assertEqual(Inspection.create(base).ref, f"J2018-{n + 2:05d}")

        problem = self.env["di.problem"].create(self.problem_vals())
        m = self.next_number("di.person")
        self.make_person(problem, ref=f"P2018-{m:05d}", decision_date=DAY, name="Li Si")
        person = self.make_person(problem, decision_date=DAY, name="Wang Wu")
        self.assertEqual(person.ref, f"P2018-{m + 1:05d}")

    def test_a_batch_skips_the_references_it_brings_itself(self):
        n = self.next_number("di.problem")
        records = self.env["di.problem"].create(
            [
                self.problem_vals(),
                self.problem_vals(ref=f"W2018-{n + 1:05d}"),
                self.problem_vals(),
            ]
        )
        self.assertEqual(records.mapped("ref"), [f"W2018-{n + k:05d}" for k in (0, 1, 2)])

    def test_the_unique_constraint_stays_the_final_gate(self):
        taken = self.env["di.problem"].create(self.problem_vals()).ref
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["di.problem"].create(self.problem_vals(ref=taken))
