from odoo import fields, models


class DiRectificationEvaluation(models.TransientModel):
    """整改评价: the reviewer's dialog that grades a finished rectification."""

    _name = "di.rectification.evaluation"
    _description = "Evaluate a rectification"

    rectification_id = fields.Many2one("di.rectification", required=True, ondelete="cascade")
    grade_id = fields.Many2one("di.grade", string="Grade", required=True)
    poor = fields.Boolean(related="grade_id.poor")
    followup_ids = fields.Many2many("di.followup", string="Follow-up decisions")
    followup_note = fields.Text(string="Follow-up note")

    def action_apply(self):
        self.ensure_one()
        self.rectification_id.evaluate(self.grade_id, self.followup_ids, self.followup_note)
        return {"type": "ir.actions.act_window_close"}
