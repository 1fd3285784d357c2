import base64
import json
import re
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from case_tracker.figures import FIGURES
from case_tracker.integrity import (
    code_in_pdf,
    figures_sha256,
    normalise_code,
    pdf_sha256,
    verification_code,
)

from .common import DiCase


def flip(pdf: bytes, at: int) -> bytes:
    """The same file with one byte changed."""
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def producer_byte(pdf: bytes) -> int:
    """A byte of the PDF's metadata: changing it leaves every page readable."""
    return pdf.index(b"ReportLab") + 8


@tagged("post_install", "-at_install")
class TestBulletinVerification(DiCase):
    """The seal of a published bulletin, di.bulletin.verify_pdf and the 核验通报 wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_problem(cls.hs, "hl_gifts", date(2024, 3, 20)).action_confirm()
        cls.published = cls.generate("T-1")
        cls.published.action_publish()
        cls.draft = cls.generate("T-2")
        cls.published_pdf = base64.b64decode(cls.published.pdf)
        cls.draft_pdf = base64.b64decode(cls.draft.pdf)

    @classmethod
    def generate(cls, number):
        reviewer = cls.users["reviewer_hs"]
        wizard = (
            cls.env["di.bulletin.wizard"]
            .with_user(reviewer)
            .create(
                {
                    "period_type": "month",
                    "year": 2024,
                    "month": "3",
                    "unit_id": cls.hs.id,
                    "issuing_body": "Test commission",
                    "number": number,
                }
            )
        )
        res_id = wizard.action_generate()["res_id"]
        return cls.env["di.bulletin"].with_user(reviewer).browse(res_id)

    def verify(self, user, pdf=None, code=None):
        Bulletin = self.env["di.bulletin"].with_user(self.users[user])
        digest = pdf_sha256(pdf) if pdf is not None else False
        claimed = code if code is not None else (code_in_pdf(pdf) if pdf is not None else False)
        return Bulletin.verify_pdf(digest, claimed or False)

    def test_the_code_is_printed_and_publication_seals_the_bulletin(self):
        bulletin = self.published
        digest = figures_sha256(bulletin.statistics)
        self.assertEqual(bulletin.figures_sha256, digest)
        self.assertEqual(bulletin.verification_code, verification_code(bulletin.id, digest))
        self.assertTrue(re.fullmatch(r"\d{4}-\d{4}-\d{4}", bulletin.verification_code))
        self.assertEqual(code_in_pdf(self.published_pdf), bulletin.verification_code)
        self.assertEqual(bulletin.pdf_sha256, pdf_sha256(self.published_pdf))
        self.assertEqual(bulletin.published_by_id, self.users["reviewer_hs"])
        self.assertTrue(bulletin.published_on)
        # a draft carries its code already, but no seal
        self.assertEqual(code_in_pdf(self.draft_pdf), self.draft.verification_code)
        self.assertNotEqual(self.draft.verification_code, bulletin.verification_code)
        self.assertFalse(self.draft.pdf_sha256 or self.draft.published_on)

    def test_verdicts(self):
        code = self.published.verification_code
        result = self.verify("reviewer_hs", self.published_pdf)
        self.assertEqual((result["verdict"], result["readable"]), ("verified", True))
        self.assertTrue(result["record_intact"])
        header = result["bulletin"]
        self.assertEqual((header["number"], header["id"]), ("T-1", self.published.id))
        self.assertEqual(header["title"], self.published.name)
        self.assertEqual(header["issuing_body"], "Test commission")
        self.assertEqual((header["period"], header["scope_code"]), ("2024-03", "T-HS"))
        self.assertEqual(header["published_by"], self.users["reviewer_hs"].name)
        self.assertEqual(header["verification_code"], code)
        self.assertFalse({"statistics", "data", *(f.key for f in FIGURES)} & set(header))

        altered = flip(self.published_pdf, producer_byte(self.published_pdf))
        self.assertEqual(code_in_pdf(altered), code)  # still claims to be T-1
        result = self.verify("reviewer_hs", altered)
        self.assertEqual((result["verdict"], result["bulletin"]["number"]), ("altered", "T-1"))
        middle = flip(self.published_pdf, len(self.published_pdf) // 2)
        self.assertIn(self.verify("reviewer_hs", middle)["verdict"], ("altered", "unknown"))

        result = self.verify("reviewer_hs", self.draft_pdf)
        self.assertEqual(
            (result["verdict"], result["bulletin"]["number"]), ("not_published", "T-2")
        )

        no_code = self.verify("reviewer_hs", self.published_pdf + b"\n", code="")
        self.assertEqual((no_code["verdict"], no_code["reason"]), ("unknown", "no_code"))
        stranger = verification_code(10**9, "0" * 64)
        result = self.verify("reviewer_hs", altered, code=stranger)
        self.assertEqual((result["verdict"], result["reason"]), ("unknown", "unknown_code"))
        digits = code.replace("-", "")
        typo = digits[:-1] + str((int(digits[-1]) + 1) % 10)
        self.assertIsNone(normalise_code(typo))
        result = self.verify("reviewer_hs", code=typo)
        self.assertEqual((result["verdict"], result["reason"]), ("unknown", "invalid_code"))
        result = self.verify("reviewer_hs", code=digits)  # typed without its dashes
        self.assertEqual((result["verdict"], result["bulletin"]["number"]), ("code_only", "T-1"))
        with self.assertRaisesRegex(UserError, "not a SHA-256"):
            self.env["di.bulletin"].verify_pdf("not a digest", False)

    def test_who_may_verify_and_what_they_learn(self):
        """A user who may not read the bulletin learns whether the file is genuine, no more."""
        Bulletin = self.env["di.bulletin"]
        self.assertFalse(self.published.with_user(self.users["inspector_jb"]).has_access("read"))
        result = self.verify("inspector_jb", self.published_pdf)
        self.assertEqual((result["verdict"], result["readable"]), ("verified", False))
        header = result["bulletin"]
        self.assertEqual((header["number"], header["title"]), ("T-1", self.published.name))
        self.assertTrue(header["published_on"])
        for private in ("id", "published_by", "figures_sha256", "pdf_sha256"):
            self.assertNotIn(private, header)
        # a draft of another unit: not published, and not which one
        result = self.verify("inspector_jb", self.draft_pdf)
        self.assertEqual((result["verdict"], result["bulletin"]), ("not_published", False))
        # the city's inspector reads the 海曙 bulletin: the whole header
        self.assertIn("published_by", self.verify("city_inspector", self.published_pdf)["bulletin"])
        outsider = new_test_user(self.env, login="t_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            Bulletin.with_user(outsider).verify_pdf(pdf_sha256(self.published_pdf), False)

    def test_a_tampered_record_is_reported(self):
        """The statistics changed in the database behind the ORM: the seal no longer matches."""
        statistics = dict(self.published.statistics, figures={"problems": 12345})
        self.env.cr.execute(
            "UPDATE di_bulletin SET statistics = %s WHERE id = %s",
            (json.dumps(statistics), self.published.id),
        )
        self.published.invalidate_recordset()
        result = self.verify("reviewer_hs", self.published_pdf)
        self.assertEqual((result["verdict"], result["record_intact"]), ("verified", False))

    def test_publication_refuses_a_pdf_without_its_code(self):
        draft = self.draft.sudo()
        draft.pdf = base64.b64encode(self.published_pdf)  # another bulletin's PDF
        with self.assertRaisesRegex(UserError, "does not carry its verification code"):
            self.draft.action_publish()
        draft.verification_code = False  # a draft computed before codes existed
        with self.assertRaisesRegex(UserError, "do not match its verification code"):
            self.draft.action_publish()
        self.assertEqual(self.draft.state, "draft")
        self.draft.action_generate()  # recomputing fixes it
        self.draft.action_publish()
        self.assertEqual(self.draft.state, "published")
        self.assertEqual(
            self.verify("inspector_hs", base64.b64decode(self.draft.pdf))["verdict"], "verified"
        )

    def wizard(self, user, **values):
        Wizard = self.env["di.bulletin.verify"].with_user(self.users[user])
        wizard = Wizard.create(values)
        action = wizard.action_verify()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        return wizard

    def test_the_wizard_gives_the_same_verdicts(self):
        pdf = base64.b64encode(self.published_pdf)
        wizard = self.wizard("inspector_hs", pdf=pdf, pdf_filename="T-1.pdf")
        self.assertEqual((wizard.verdict, wizard.verified), ("verified", True))
        self.assertEqual(wizard.bulletin_id, self.published)
        self.assertEqual(
            (wizard.number, wizard.published_by), ("T-1", self.users["reviewer_hs"].name)
        )
        self.assertEqual(wizard.code_found, self.published.verification_code)
        self.assertEqual(wizard.file_sha256, self.published.pdf_sha256)
        self.assertIn("T-1", wizard.message)
        # another district: genuine, the printed header only
        wizard = self.wizard("inspector_jb", pdf=pdf)
        self.assertEqual((wizard.verdict, wizard.number), ("verified", "T-1"))
        self.assertFalse(wizard.bulletin_id or wizard.published_by)
        altered = flip(self.published_pdf, producer_byte(self.published_pdf))
        wizard = self.wizard("leader_hs", pdf=base64.b64encode(altered))
        self.assertEqual(
            (wizard.verdict, wizard.verified, wizard.number), ("altered", False, "T-1")
        )
        wizard = self.wizard("inspector_hs", pdf=base64.b64encode(self.draft_pdf))
        self.assertEqual(wizard.verdict, "not_published")
        wizard = self.wizard("inspector_jb", code=self.published.verification_code)
        self.assertEqual((wizard.verdict, wizard.number), ("code_only", "T-1"))
        wizard = self.wizard("inspector_jb", code="1234")
        self.assertEqual(wizard.verdict, "unknown")
        self.assertIn("1234", wizard.message)
        with self.assertRaisesRegex(UserError, "not a PDF"):
            self.wizard("inspector_hs", pdf=base64.b64encode(b"PK\x03\x04 a workbook"))
        with self.assertRaisesRegex(UserError, "Upload the PDF"):
            self.wizard("inspector_hs")
