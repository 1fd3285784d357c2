import base64

from odoo import fields, models
from odoo.exceptions import UserError

from case_tracker.integrity import code_in_pdf, pdf_sha256

from ..models.di_bulletin_integrity import VERDICTS


class DiBulletinVerify(models.TransientModel):
    """核验通报: is this PDF an unaltered published bulletin, and which one?

    The verdict is ``di.bulletin.verify_pdf``'s, the same as ``case-tracker verify``
    gives: the file's SHA-256 against the digests sealed at publication, and the
    核验码 printed in it to say which bulletin it claims to be.
    """

    _name = "di.bulletin.verify"
    _description = "Verify a bulletin"

    pdf = fields.Binary(string="PDF file", attachment=False)
    pdf_filename = fields.Char()
    code = fields.Char(
        string="Verification code",
        help="The 12 digits after 核验码 in the 版记 of the bulletin; dashes and spaces are "
        "ignored. Needed only without the file.",
    )
    verdict = fields.Selection(VERDICTS, readonly=True)
    verified = fields.Boolean(readonly=True)
    message = fields.Text(string="Result", readonly=True)
    file_sha256 = fields.Char(string="SHA-256 of the file", readonly=True)
    code_found = fields.Char(string="Code printed in the file", readonly=True)
    bulletin_id = fields.Many2one("di.bulletin", string="Bulletin", readonly=True)
    number = fields.Char(string="Bulletin number", readonly=True)
    title = fields.Char(readonly=True)
    issuing_body = fields.Char(readonly=True)
    period_title = fields.Char(string="Period covered", readonly=True)
    scope = fields.Char(readonly=True)
    issue_date = fields.Date(string="Date of issue", readonly=True)
    state_label = fields.Char(string="Status", readonly=True)
    published_on = fields.Datetime(string="Published on", readonly=True)
    published_by = fields.Char(string="Published by", readonly=True)

    def action_verify(self):
        self.ensure_one()
        if not self.pdf and not (self.code or "").strip():
            raise UserError(
                self.env._("Upload the PDF, or type the verification code printed in it.")
            )
        digest = found = False
        if self.pdf:
            content = base64.b64decode(self.pdf)
            if not content.startswith(b"%PDF-"):
                raise UserError(self.env._("This file is not a PDF."))
            digest, found = pdf_sha256(content), code_in_pdf(content)
        result = self.env["di.bulletin"].verify_pdf(digest, found or self.code or False)
        header = result["bulletin"] or {}
        self.write(
            {
                "verdict": result["verdict"],
                "verified": result["verdict"] == "verified",
                "message": self._message(result, bool(digest)),
                "file_sha256": digest,
                "code_found": found,
                "bulletin_id": header.get("id", False),
                "number": header.get("number", False),
                "title": header.get("title", False),
                "issuing_body": header.get("issuing_body", False),
                "period_title": header.get("period_title", False),
                "scope": header.get("scope", False),
                "issue_date": header.get("issue_date") or False,
                "state_label": header.get("state_label", False),
                "published_on": header.get("published_on") or False,
                "published_by": header.get("published_by", False),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Verify a bulletin"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _message(self, result: dict, with_file: bool) -> str:
        """The verdict in a sentence or two, in the user's language."""
        header = result["bulletin"] or {}
        name = header.get("number") or header.get("title") or ""
        code = result["code"]
        verdict = result["verdict"]
        if verdict == "verified":
            text = self.env._("This file is the published bulletin %(name)s, unaltered.", name=name)
        elif verdict == "altered":
            text = self.env._(
                "Altered: this file carries the verification code of the published bulletin "
                "%(name)s, but its bytes differ from the published file. Ask the issuing body "
                "for the original, or compare it with the record.",
                name=name,
            )
        elif verdict == "not_published":
            text = self.env._(
                "Not published: the verification code %(code)s belongs to a bulletin that has "
                "not been published. It is not an official document.",
                code=code,
            )
        elif verdict == "code_only":
            text = self.env._(
                "The verification code %(code)s belongs to the published bulletin %(name)s. "
                "Upload the PDF to check that the file itself is unaltered.",
                code=code,
                name=name,
            )
        elif result["reason"] == "invalid_code":
            text = self.env._(
                "Unknown: %(code)s is not a valid verification code (a digit is wrong).",
                code=code,
            )
        elif result["reason"] == "unknown_code":
            text = self.env._(
                "Unknown: no bulletin here has the verification code %(code)s.", code=code
            )
        else:
            text = self.env._(
                "Unknown: no published bulletin is exactly this file, and no verification code "
                "could be read from it."
            )
        if verdict == "unknown" and with_file and result["reason"] != "no_code":
            text += " " + self.env._("No published bulletin is exactly this file.")
        if result["record_intact"] is False:
            text += "\n" + self.env._(
                "Warning: the server's stored copy of this bulletin no longer matches its seal. "
                "Tell the administrator."
            )
        return text
