"""Integrity anyone can check: the seal of a published bulletin, and verifying a PDF against it.

The figures' digest and the 核验码 are set when the figures are computed (the
code is printed in the PDF's 版记); publication seals the bulletin with the PDF's
digest, who and when.  ``verify_pdf`` answers, for any user of the add-on,
whether a PDF is an unaltered published bulletin and which one.  The digests
and the code are defined once, in :mod:`case_tracker.integrity`.
"""

import base64
import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from case_tracker.integrity import (
    code_in_pdf,
    figures_sha256,
    normalise_code,
    pdf_sha256,
    verification_code,
)

#: What ``verify_pdf`` says of a file (or of a code typed without the file).
VERDICTS = [
    ("verified", "Verified: the published bulletin, unaltered"),
    ("altered", "Not verified: altered"),
    ("not_published", "Not verified: not published"),
    ("unknown", "Not verified: unknown"),
    ("code_only", "Code of a published bulletin (file not checked)"),
]


class DiBulletin(models.Model):
    _inherit = "di.bulletin"

    # indexed by its unique constraint
    verification_code = fields.Char(
        string="Verification code",
        readonly=True,
        copy=False,
        help="核验码 printed in the 版记 of the PDF: derived from the bulletin's record and "
        "the digest of its figures. Anyone holding the PDF can verify it with it.",
    )
    figures_sha256 = fields.Char(
        string="Figures SHA-256",
        readonly=True,
        copy=False,
        help="SHA-256 of the frozen figures: the statistics as canonical JSON (sorted keys, "
        "no whitespace, UTF-8).",
    )
    pdf_sha256 = fields.Char(
        string="PDF SHA-256",
        readonly=True,
        copy=False,
        index=True,
        help="SHA-256 of the PDF as published: a copy with one byte changed does not match.",
    )

    _sql_constraints = [
        (
            "verification_code_unique",
            "unique(verification_code)",
            "A verification code names one bulletin.",
        )
    ]

    def _integrity_values(self, stats) -> dict:
        """The figures' digest and the 核验码, from the statistics about to be frozen."""
        self.ensure_one()
        digest = figures_sha256(stats.to_dict())
        return {"figures_sha256": digest, "verification_code": verification_code(self.id, digest)}

    def _seal(self):
        """At publication: check that the PDF carries the code of these figures, store its digest.

        Refuses a draft whose frozen figures, code and PDF do not belong together
        (computed before codes existed, or changed since): recomputing fixes it.
        """
        for bulletin in self:
            digest = figures_sha256(bulletin.statistics or {})
            expected = verification_code(bulletin.id, digest)
            if digest != bulletin.figures_sha256 or bulletin.verification_code != expected:
                raise UserError(
                    self.env._(
                        "The figures of %(bulletin)s do not match its verification code: "
                        "recompute the figures, check them, then publish.",
                        bulletin=bulletin.display_name,
                    )
                )
            pdf = base64.b64decode(bulletin.with_context(bin_size=False).pdf or b"")
            if code_in_pdf(pdf) != expected:
                raise UserError(
                    self.env._(
                        "The PDF of %(bulletin)s does not carry its verification code: "
                        "recompute the figures, check them, then publish.",
                        bulletin=bulletin.display_name,
                    )
                )
            bulletin.write({"pdf_sha256": pdf_sha256(pdf)})
        return True

    def _seal_intact(self) -> bool:
        """Whether the stored figures and PDF still have the digests sealed at publication."""
        self.ensure_one()
        pdf = base64.b64decode(self.with_context(bin_size=False).pdf or b"")
        return (
            figures_sha256(self.statistics or {}) == self.figures_sha256
            and pdf_sha256(pdf) == self.pdf_sha256
        )

    def _verification_header(self, readable: bool) -> dict:
        """What a verdict says about the bulletin: what its PDF prints, and its publication.

        A user who may not read the bulletin gets the header printed on the document
        and the publication date; who published it, the record and the digests only
        when they may read it.  Never a figure.
        """
        self.ensure_one()
        data = self.data or {}
        state = dict(self._fields["state"]._description_selection(self.env))
        header = {
            "number": self.number or "",
            "title": self.name or "",
            "issuing_body": self.issuing_body or "",
            "period": self.period or "",
            "period_title": self.period_title or "",
            "date_from": fields.Date.to_string(self.date_from) or "",
            "date_to": fields.Date.to_string(self.date_to) or "",
            "scope": self.unit_id.name or data.get("scope_label") or "",
            "scope_code": self.unit_id.code or "",
            "issue_date": fields.Date.to_string(self.issue_date) or "",
            "state": self.state,
            "state_label": state.get(self.state, self.state),
            "verification_code": self.verification_code or "",
            "published_on": fields.Datetime.to_string(self.published_on) or "",
        }
        if readable:
            header.update(
                {
                    "id": self.id,
                    "published_by": self.published_by_id.name or "",
                    "figures_sha256": self.figures_sha256 or "",
                    "pdf_sha256": self.pdf_sha256 or "",
                }
            )
        return header

    @api.model
    @api.readonly
    def verify_pdf(self, sha256_hex=False, code=False):
        """Whether a PDF is an unaltered published bulletin, and which one (RPC and the wizard).

        ``sha256_hex``: the SHA-256 of the file as the user holds it (the file itself
        need not be sent); ``code``: the 核验码 printed in it (or typed).  Returns
        ``verdict`` (verified, altered, not_published, unknown, code_only), ``reason``
        (of an unknown: no_code, invalid_code, unknown_code), ``code`` (as given, in
        its printed form), ``bulletin`` (see ``_verification_header``, or False),
        ``readable`` and ``record_intact`` (the server's copy still matches its seal).
        """
        # Any user of the add-on may verify: those are the users who may read bulletins.
        self.browse().check_access("read")
        digest = (sha256_hex or "").strip().lower()
        if digest and not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise UserError(self.env._("%(value)s is not a SHA-256 in hex.", value=sha256_hex))
        given = (code or "").strip()
        claimed = normalise_code(given)
        result = {
            "verdict": "unknown",
            "reason": "invalid_code" if given and not claimed else "no_code",
            "code": claimed or given,
            "bulletin": False,
            "readable": False,
            "record_intact": None,
        }
        # sudo: whether a document is genuine is answered for every bulletin, also one of a
        # unit the user may not read; such a user gets only the header the document itself
        # prints (_verification_header), never a figure, and nothing about drafts.
        Bulletin = self.sudo()
        found = Bulletin.browse()
        if digest:
            found = Bulletin.search(
                [("pdf_sha256", "=", digest), ("state", "!=", "draft")], limit=1
            )
        if found:
            result["verdict"] = "verified"
        elif claimed:
            found = Bulletin.search([("verification_code", "=", claimed)], limit=1)
            if not found:
                result["reason"] = "unknown_code"
            elif found.state == "draft" or not found.pdf_sha256:
                result["verdict"] = "not_published"
            else:
                result["verdict"] = "altered" if digest else "code_only"
        if not found or result["verdict"] == "unknown":
            return result
        result["reason"] = False
        readable = self.browse(found.id).has_access("read")
        result["readable"] = readable
        if result["verdict"] == "not_published":
            if readable:  # a draft is internal work: only who may read it learns which one
                result["bulletin"] = found._verification_header(readable)
            return result
        result["bulletin"] = found._verification_header(readable)
        result["record_intact"] = found._seal_intact()
        return result
