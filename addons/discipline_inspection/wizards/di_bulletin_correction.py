from odoo import fields, models


class DiBulletinCorrection(models.TransientModel):
    """更正: why a published bulletin is corrected; the correction supersedes it once published."""

    _name = "di.bulletin.correction"
    _description = "Correct a published bulletin"

    bulletin_id = fields.Many2one("di.bulletin", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Why the published figures are corrected.")

    def action_correct(self):
        self.ensure_one()
        correction = self.bulletin_id.correct(self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "di.bulletin",
            "res_id": correction.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
