from odoo.exceptions import AccessError
from odoo.tests import tagged

from case_tracker.domain import load, source_hash

from .common import DiCase


@tagged("post_install", "-at_install")
class TestMasterData(DiCase):
    def test_every_domain_entry_is_loaded_with_its_flags(self):
        domain = load()
        outcomes = {o.code: o for o in self.env["di.outcome"].search([])}
        self.assertEqual(set(outcomes), {o.code for o in domain.outcomes})
        for entry in domain.outcomes:
            record = outcomes[entry.code]
            self.assertEqual(int(record.form), entry.form)
            self.assertEqual(record.severity, entry.severity)
            self.assertEqual(record.sanction, entry.sanction)
            self.assertEqual(record.party_only, entry.party_only)
        categories = self.env["di.category"].search([])
        self.assertEqual(set(categories.mapped("code")), {c.code for c in domain.categories})
        for category in categories:
            self.assertEqual(category.eight_point, domain.is_eight_point(category.code))
        grades = self.env["di.grade"].search([])
        self.assertEqual(set(grades.filtered("poor").mapped("code")), set(domain.poor_grades()))
        self.assertEqual(
            self.code("di.rank", "general_cadre").report_as_id, self.code("di.rank", "township")
        )

    def test_sync_is_idempotent_and_retires_without_deleting(self):
        Outcome = self.env["di.outcome"]
        before = Outcome.search_count([])
        Outcome._sync_from_domain()
        self.assertEqual(Outcome.search_count([]), before)
        # An entry that left the domain file is archived, not deleted.
        legacy = Outcome.create(
            {
                "code": "legacy_x",
                "name": "old",
                "kind": "education",
                "form": "1",
                "severity": 1,
                "from_domain": True,
            }
        )
        Outcome._sync_from_domain()
        self.assertFalse(legacy.active)
        self.assertTrue(legacy.exists())

    def test_master_data_is_read_only_in_odoo(self):
        """The domain file owns master data: no group writes it, administrators included."""
        admin = self.env(user=self.users["admin"])
        with self.assertRaises(AccessError):
            admin["di.outcome"].create(
                {"code": "local_talk", "name": "本地谈话", "kind": "education", "form": "1"}
            )
        with self.assertRaises(AccessError):
            admin["di.category"].search([], limit=1).write({"valid_to": "2020-01-01"})
        with self.assertRaises(AccessError):
            admin["di.grade"].search([], limit=1).unlink()

    def test_the_synchronised_definition_is_remembered(self):
        self.env["di.master.mixin"]._sync_all_from_domain()
        parameter = self.env["ir.config_parameter"].get_param("discipline_inspection.domain_hash")
        self.assertEqual(parameter, source_hash())

    def test_changed_name_is_restored_from_the_domain_core(self):
        grade = self.code("di.grade", "poor")
        grade.name = "changed"
        self.env["di.grade"]._sync_from_domain()
        self.assertEqual(grade.name, "差")
