from odoo import models


class DiFollowup(models.Model):
    """Follow-up decision after a poor grade (严肃处理并通报, 约谈, 回头看)."""

    _name = "di.followup"
    _inherit = "di.master.mixin"
    _description = "Follow-up decision"
    _domain_list = "followups"
