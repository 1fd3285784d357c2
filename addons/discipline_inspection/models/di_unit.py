from odoo import api, fields, models
from odoo.exceptions import ValidationError

from case_tracker.domain import load

UNIT_KINDS = [(entry.code, entry.name_en) for entry in load().unit_kinds]


class DiUnit(models.Model):
    """A unit (单位) in the city's hierarchy; access to records follows this tree."""

    _name = "di.unit"
    _description = "Unit"
    _inherit = ["mail.thread"]
    _parent_store = True
    _order = "complete_name"
    _rec_names_search = ["complete_name", "code"]

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    kind = fields.Selection(UNIT_KINDS, default="other", required=True, tracking=True)
    parent_id = fields.Many2one(
        "di.unit", string="Parent unit", index=True, ondelete="restrict", tracking=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("di.unit", "parent_id", string="Sub-units")
    head_user_id = fields.Many2one(
        "res.users", string="Head", tracking=True, help="Receives overdue (red) warnings."
    )
    leader_user_id = fields.Many2one(
        "res.users",
        string="Leader in charge",
        tracking=True,
        help="Receives the 10-day (yellow) deadline warnings with the responsible person.",
    )
    user_ids = fields.Many2many(
        "res.users", "di_unit_res_users_rel", "unit_id", "user_id", string="Members"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "The unit code must be unique.")]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for unit in self:
            if unit.parent_id:
                unit.complete_name = f"{unit.parent_id.complete_name} / {unit.name}"
            else:
                unit.complete_name = unit.name

    @api.depends("complete_name")
    def _compute_display_name(self):
        for unit in self:
            unit.display_name = unit.complete_name or unit.name

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A unit cannot be its own ancestor."))
