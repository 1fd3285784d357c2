from odoo import fields, models

from case_tracker.domain import load


class DiGrade(models.Model):
    """Rectification evaluation grade (整改评价); poor grades demand a follow-up."""

    _name = "di.grade"
    _inherit = "di.master.mixin"
    _description = "Rectification grade"
    _domain_list = "grades"

    scale = fields.Selection(
        [("five", "Five grades"), ("four", "Four grades")],
        required=True,
        default=lambda self: load().settings.get("default_grade_scale", "five"),
    )
    poor = fields.Boolean(
        string="Poor grade",
        help="Fairly poor and poor grades lead to serious handling, a public notice, "
        "an interview of the unit head and a follow-up inspection.",
    )

    def _domain_values(self, entry, domain):
        values = super()._domain_values(entry, domain)
        values.update(scale=entry.scale, poor=entry.poor)
        return values
