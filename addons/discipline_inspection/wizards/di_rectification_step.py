from odoo import api, fields, models

from case_tracker.domain import load

#: The workflow steps that need a reason, as the domain file says.
STEPS = [(t.action, t.name_en) for t in load().rectification_transitions if t.reason]


class DiRectificationStep(models.TransientModel):
    """The dialog of a workflow step that needs a reason: 退回重改, 回头看 整改不实."""

    _name = "di.rectification.step"
    _description = "Rectification step with a reason"

    rectification_id = fields.Many2one("di.rectification", required=True, ondelete="cascade")
    action = fields.Selection(STEPS, required=True)
    reason = fields.Text(required=True)
    deadline = fields.Date(
        string="New deadline", help="The reopened rectification's deadline (整改不实 only)."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("action") == "recur" and "deadline" in fields_list:
            days = int(self.env["di.rectification"]._recurrence_days())
            values["deadline"] = fields.Date.add(fields.Date.context_today(self), days=days)
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.action == "reject":
            self.rectification_id.action_reject(reason=self.reason)
        else:
            self.rectification_id.action_recur(reason=self.reason, deadline=self.deadline)
        return {"type": "ir.actions.act_window_close"}
