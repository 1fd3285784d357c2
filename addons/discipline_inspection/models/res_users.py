from odoo import fields, models


class ResUsers(models.Model):
    """Users belong to units: record rules give them their units and every sub-unit."""

    _inherit = "res.users"

    di_unit_ids = fields.Many2many(
        "di.unit",
        "di_unit_res_users_rel",
        "user_id",
        "unit_id",
        string="Inspection units",
        help="The user sees the records of these units and of all their sub-units.",
    )
