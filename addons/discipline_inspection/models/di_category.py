from odoo import api, fields, models


class DiCategory(models.Model):
    """A problem category; leaves are filed on problems, parents make table subtotals."""

    _name = "di.category"
    _inherit = "di.master.mixin"
    _description = "Problem category"
    _domain_list = "categories"
    _parent_store = True
    _order = "sequence, id"

    short_name = fields.Char(help="Label used in tables when the full name is long.")
    list_id = fields.Many2one("di.category.list", string="List", required=True, index=True)
    parent_id = fields.Many2one("di.category", string="Parent category", index=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("di.category", "parent_id", string="Sub-categories")
    group_label = fields.Char(string="Group")
    valid_from = fields.Date()
    valid_to = fields.Date()
    # Not stored: a stored copy went stale when an install rolled back the part that computed
    # it (demo data on a database without zh_CN).  Problems store their own flag, which the
    # ORM recomputes whenever a category's list or a list's flag changes.
    eight_point = fields.Boolean(related="list_id.eight_point", string="Eight-point")

    @api.depends("name", "short_name", "list_id.valid_to")
    def _compute_display_name(self):
        for category in self:
            label = category.short_name or category.name
            if category.short_name == "其他" and category.parent_id:
                label = f"{category.parent_id.name}：{label}"
            category.display_name = label

    def _domain_values(self, entry, domain):
        values = super()._domain_values(entry, domain)
        lists = self.env["di.category.list"].with_context(active_test=False)
        parent = self.with_context(active_test=False).search([("code", "=", entry.parent)])
        values.update(
            short_name=entry.short or False,
            list_id=lists.search([("code", "=", entry.list_code)], limit=1).id,
            parent_id=parent.id if entry.parent else False,
            group_label=entry.group or False,
            valid_from=entry.valid_from or False,
            valid_to=entry.valid_to or False,
        )
        return values
