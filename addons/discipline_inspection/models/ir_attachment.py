from odoo import api, models
from odoo.exceptions import UserError


class IrAttachment(models.Model):
    """The PDF and tables of a published bulletin are sealed with it (not its chatter files)."""

    _inherit = "ir.attachment"

    def _sealed_bulletins(self, res_model=None, res_ids=()):
        ids = set(res_ids)
        for attachment in self:
            # The frozen documents are field attachments (pdf, xlsx); files posted in the
            # chatter stay free.
            if attachment.res_model == "di.bulletin" and attachment.res_id and attachment.res_field:
                ids.add(attachment.res_id)
        if res_model not in (None, "di.bulletin") or not ids:
            return self.env["di.bulletin"]
        # sudo: the seal holds whoever asks, whether or not they may read the bulletin
        bulletins = self.env["di.bulletin"].sudo().browse(ids).exists()
        return bulletins.filtered(lambda b: b.state != "draft")

    def _check_not_sealed(self, bulletins):
        if bulletins and self.env["di.bulletin"]._workflow_guarded():
            raise UserError(
                self.env._(
                    "The documents of published bulletin %(name)s are sealed with it.",
                    name=bulletins[0].number or bulletins[0].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("res_model") == "di.bulletin" and vals.get("res_field"):
                sealed = self._sealed_bulletins("di.bulletin", [vals.get("res_id")])
                self._check_not_sealed(sealed)
        return super().create(vals_list)

    def write(self, vals):
        self._check_not_sealed(self._sealed_bulletins())
        return super().write(vals)

    def unlink(self):
        self._check_not_sealed(self._sealed_bulletins())
        return super().unlink()
