from odoo import fields, models


class DiRank(models.Model):
    """Rank (级别) of a handled person; local ranks roll up into the CCDI rows."""

    _name = "di.rank"
    _inherit = "di.master.mixin"
    _description = "Rank"
    _domain_list = "ranks"

    report_as_id = fields.Many2one(
        "di.rank", string="Reported as", help="The CCDI table row this rank is counted under."
    )

    def _domain_values(self, entry, domain):
        values = super()._domain_values(entry, domain)
        if entry.report_as:
            values["report_as_id"] = (
                self.with_context(active_test=False).search([("code", "=", entry.report_as)]).id
            )
        return values
