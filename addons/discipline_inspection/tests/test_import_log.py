from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestImportLog(DiCase):
    """Tracking is off while a register loads: each batch leaves one summary on the run's log."""

    def _row(self, ref, day="2024-03-05"):
        return {
            "_row": 2,
            "ref": ref,
            "unit_code": self.hs.code,
            "category": "hl_gifts",
            "description": "imported",
            "discovery_date": day,
        }

    def test_one_message_per_batch_with_who_which_file_and_counts(self):
        user = self.users["inspector_hs"]
        service = self.env["di.import.service"].with_user(user)
        log_id = service.start_log(["problems.csv", "persons.csv"])
        log = self.env["di.import.log"].browse(log_id)
        self.assertEqual(log.user_id, user)
        self.assertEqual(log.name, "problems.csv, persons.csv")
        before = len(log.message_ids)
        first = service.import_rows(
            "problems", [self._row("LOG-1"), self._row("LOG-2")], log_id=log_id, source="a.csv"
        )
        self.assertEqual([r["status"] for r in first], ["created", "created"])
        again = [self._row("LOG-1"), {**self._row("LOG-3"), "category": "no_such_code"}]
        service.import_rows("problems", again, log_id=log_id, source="b.csv")
        messages = log.message_ids.sorted("id")[before:]
        self.assertEqual(len(messages), 2)  # one per batch, none per record
        self.assertEqual(messages.author_id, user.partner_id)
        self.assertIn("a.csv", messages[0].body)
        self.assertIn("2 rows, 2 created", messages[0].body)
        self.assertIn("b.csv", messages[1].body)
        self.assertIn("1 unchanged, 1 refused", messages[1].body)
        problem = self.env["di.problem"].browse(first[0]["id"])
        self.assertFalse(problem.message_ids.tracking_value_ids)  # tracking was off

    def test_a_log_is_its_users_own(self):
        log_id = self.env["di.import.service"].with_user(self.users["inspector_hs"]).start_log([])
        other = self.env["di.import.service"].with_user(self.users["reviewer_hs"])
        with self.assertRaises(UserError):
            other.import_rows("problems", [self._row("LOG-9")], log_id=log_id)
        self.assertFalse(self.env["di.problem"].search([("ref", "=", "LOG-9")]))
        logs = self.env["di.import.log"].with_user(self.users["reviewer_hs"]).search([])
        self.assertNotIn(log_id, logs.ids)
