from odoo import fields, models


class DiImportLog(models.Model):
    """One register import: who ran it, when, from which files, and what each batch did.

    The import turns tracking off (a register loads history by the thousand: one chatter
    line per field per record would cost more than the records), so each batch leaves
    one summary message here instead: the kind, the file, and how many rows were
    created, updated, unchanged or refused.  Written by the import service only.
    """

    _name = "di.import.log"
    _description = "Register import log"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Files", readonly=True, required=True)
    user_id = fields.Many2one(
        "res.users", string="Imported by", readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
