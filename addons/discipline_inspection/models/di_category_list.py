from odoo import fields, models


class DiCategoryList(models.Model):
    """A dated list of problem categories (the CCDI table changed in 2019)."""

    _name = "di.category.list"
    _inherit = "di.master.mixin"
    _description = "Problem category list"
    _domain_list = "category_lists"

    valid_from = fields.Date()
    valid_to = fields.Date()
    eight_point = fields.Boolean(
        string="Eight-point table",
        help="Problems filed under this list violate the Eight-point Regulation.",
    )
    category_ids = fields.One2many("di.category", "list_id", string="Categories")

    def _domain_values(self, entry, domain):
        values = super()._domain_values(entry, domain)
        values.update(
            valid_from=entry.valid_from or False,
            valid_to=entry.valid_to or False,
            eight_point=entry.eight_point,
        )
        return values

    def _register_hook(self):
        super()._register_hook()
        self.env["di.master.mixin"]._warn_if_domain_changed()
