from odoo import fields, models

from case_tracker.domain import load

ACTIONS = [(t.action, t.name_en) for t in load().rectification_transitions] + [
    ("extension", "Extension approved"),
]


class DiRectificationRound(models.Model):
    """整改轮次: one step of a rectification's loop, kept with who, when and why.

    Written by the workflow only (submissions, returns, acceptance, extensions,
    回头看 findings); nobody creates, edits or deletes a round.
    """

    _name = "di.rectification.round"
    _description = "Rectification round"
    _order = "rectification_id, date, id"
    _rec_name = "action"

    rectification_id = fields.Many2one(
        "di.rectification", required=True, ondelete="cascade", index=True, readonly=True
    )
    problem_unit_id = fields.Many2one(
        related="rectification_id.problem_unit_id", store=True, index=True, string="Unit"
    )
    number = fields.Integer(
        string="Round", readonly=True, help="The submission this step belongs to (1 = first)."
    )
    action = fields.Selection(ACTIONS, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(readonly=True)
    state_before = fields.Char(readonly=True)
    state_after = fields.Char(readonly=True)
    deadline = fields.Date(string="Deadline then", readonly=True)
    company_id = fields.Many2one(related="rectification_id.company_id", store=True, index=True)
