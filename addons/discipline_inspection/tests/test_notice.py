import base64
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DiCase


@tagged("post_install", "-at_install")
class TestIssuerAndNotice(DiCase):
    """The commission of a unit, the bulletin wizard's masthead and number, the 整改通知书."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.city.write({"commission_name": "中共某市纪律检查委员会 某市监察委员会"})
        cls.hs.write(
            {
                "commission_name": "中共某市海曙区纪律检查委员会 某市海曙区监察委员会",
                "commission_code": "海纪",
            }
        )
        cls.inspection = cls.env["di.inspection"].create(
            {
                "date": date(2024, 3, 4),
                "end_date": date(2024, 3, 5),
                "method": "four_no_two_direct",
                "topic": "春节期间作风建设监督检查",
                "team": "第一监督检查组",
                "unit_ids": [Command.set(cls.hs_street.ids)],
            }
        )
        cls.problem = cls.make_problem(
            cls.hs_street,
            "hl_dining_public",
            date(2024, 3, 4),
            inspection_id=cls.inspection.id,
            description="2024年3月，该单位以工作餐名义在辖区酒店安排公款宴请。",
        )
        cls.problem.action_confirm()
        cls.problem.rectification_ids.write(
            {"measures": "退缴违规公款，严格执行公务接待标准。", "deadline": date(2024, 4, 4)}
        )

    def test_a_unit_issues_through_its_nearest_commission(self):
        self.assertEqual(self.hs_street.issuer_unit_id, self.hs)
        self.assertEqual(self.hs._issuer().code, "海纪")
        self.assertEqual(self.jb._issuer().unit_code, "T-CITY")  # no commission of its own
        found = self.env["di.unit"].commission_for("T-HS-GL")
        self.assertEqual((found["code"], found["unit_name"]), ("海纪", "Haishu"))
        self.assertFalse(self.env["di.unit"].commission_for("NOPE"))

    def test_the_wizard_takes_masthead_and_number_from_the_scope(self):
        Wizard = self.env["di.bulletin.wizard"].with_user(self.users["reviewer_hs"])
        wizard = Wizard.create(
            {
                "period_type": "month",
                "year": 2024,
                "month": "3",
                "unit_id": self.hs.id,
                "issue_date": date(2024, 4, 2),
            }
        )
        self.assertEqual(wizard.issuing_body, self.hs.commission_name)
        self.assertEqual(wizard.number, "海纪通〔2024〕1号")
        bulletin = self.env["di.bulletin"].browse(wizard.action_generate()["res_id"])
        self.assertEqual(bulletin.data["issuing_body"], self.hs.commission_name)
        self.assertEqual(bulletin.data["scope_label"], "Haishu")  # no 区 in the test's name
        self.assertEqual(bulletin.data["issuing_office"], "中共某市海曙区纪委办公室")
        again = Wizard.create({"unit_id": self.hs.id, "issue_date": date(2024, 5, 2)})
        self.assertEqual(again.number, "海纪通〔2024〕2号")
        # (The city's unit named: a database with demo data has a second city of its own.)
        city = Wizard.with_user(self.users["admin"]).create(
            {"unit_id": self.city.id, "issue_date": date(2024, 5, 2)}
        )
        self.assertEqual(city.issuing_body, self.city.commission_name)
        self.assertFalse(city.number)  # the city has no document code

    def test_a_district_user_reports_on_their_district_by_default(self):
        """No scope chosen: a user of one unit gets that unit, and its commission's masthead."""
        wizard = self.env["di.bulletin.wizard"].with_user(self.users["reviewer_hs"]).create({})
        self.assertEqual(wizard.unit_id, self.hs)
        self.assertEqual(wizard.issuing_body, self.hs.commission_name)
        admin = self.env["di.bulletin.wizard"].with_user(self.users["admin"]).create({})
        self.assertFalse(admin.unit_id)

    def test_the_notice_is_attached_and_posted(self):
        inspection = self.inspection.with_user(self.users["inspector_hs"])
        inspection.notice_date = date(2024, 3, 6)
        action = inspection.action_rectification_notice()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(inspection.notice_number, "海纪督〔2024〕1号")
        self.assertEqual(inspection.notice_date, date(2024, 3, 6))
        attachment = inspection.notice_attachment_id
        linked = (attachment.res_model, attachment.res_id)
        self.assertEqual(linked, ("di.inspection", inspection.id))
        self.assertEqual(base64.b64decode(attachment.datas)[:4], b"%PDF")
        message = inspection.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertEqual(len(message), 1)
        record = inspection._notice_record()
        self.assertEqual(record["units"][0]["code"], "T-HS-GL")
        self.assertEqual(record["problems"][0]["deadline"], "2024-04-04")
        requirement = record["problems"][0]["requirement"]
        self.assertEqual(requirement, "退缴违规公款，严格执行公务接待标准。")
        self.assertEqual(record["issuer"]["code"], "海纪")
        # Generated again: same number and date, a new attachment.
        inspection.action_rectification_notice()
        self.assertEqual(inspection.notice_number, "海纪督〔2024〕1号")
        self.assertNotEqual(inspection.notice_attachment_id, attachment)
        self.assertEqual(
            self.env["di.inspection"].notice_record(inspection.ref)["ref"], inspection.ref
        )
        self.assertFalse(self.env["di.inspection"].notice_record("NOPE"))

    def test_no_notice_without_a_registered_problem(self):
        empty = self.env["di.inspection"].create(
            {"date": date(2024, 3, 1), "method": "open", "unit_ids": [Command.set(self.hs.ids)]}
        )
        self.make_problem(self.hs, inspection_id=empty.id)  # a draft does not count
        with self.assertRaisesRegex(UserError, empty.ref):
            empty.action_rectification_notice()
