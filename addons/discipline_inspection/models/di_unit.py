from odoo import api, fields, models
from odoo.exceptions import ValidationError

from case_tracker.bulletin.issuer import Issuer
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
    code = fields.Char(required=True, tracking=True)  # indexed by its unique constraint
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    kind = fields.Selection(UNIT_KINDS, default="other", required=True, tracking=True)
    parent_id = fields.Many2one(
        "di.unit", string="Parent unit", index=True, ondelete="restrict", tracking=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("di.unit", "parent_id", string="Sub-units")
    liaison_user_id = fields.Many2one(
        "res.users",
        string="Rectification liaison",
        tracking=True,
        help="整改联络员: the unit's own user who reports on its rectifications; receives the "
        "整改通知书 and every deadline warning first. Sub-units without one use this one.",
    )
    head_user_id = fields.Many2one(
        "res.users",
        string="Head",
        tracking=True,
        help="Receives the 10-day (yellow) and overdue (red) warnings after the liaison.",
    )
    leader_user_id = fields.Many2one(
        "res.users",
        string="Leader in charge",
        tracking=True,
        help="Receives the overdue (red) warnings after the liaison and the head.",
    )
    user_ids = fields.Many2many(
        "res.users", "di_unit_res_users_rel", "unit_id", "user_id", string="Members"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    commission_name = fields.Char(
        string="Commission",
        tracking=True,
        help="Full name of this unit's discipline inspection commission, for the masthead and "
        "signature of its documents; the Party commission and the supervisory commission are "
        "separated by a space. Empty: the commission of the parent unit.",
    )
    commission_code = fields.Char(
        string="Document code",
        tracking=True,
        help="The commission's short form in document numbers, e.g. 海纪 for 海纪通〔2018〕3号.",
    )
    issuer_unit_id = fields.Many2one(
        "di.unit",
        string="Issuing commission of",
        compute="_compute_issuer_unit_id",
        recursive=True,
        help="The unit (this one or the nearest ancestor) whose commission issues its documents.",
    )

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

    @api.depends("commission_name", "parent_id.issuer_unit_id")
    def _compute_issuer_unit_id(self):
        for unit in self:
            if unit.commission_name:
                unit.issuer_unit_id = unit
            else:
                unit.issuer_unit_id = unit.parent_id.issuer_unit_id

    def _issuer(self) -> Issuer | None:
        """The commission that issues this unit's documents (nearest with a name)."""
        self.ensure_one()
        # sudo: the commission's name and code are printed on documents every member may make
        owner = self.sudo().issuer_unit_id
        if not owner:
            return None
        return Issuer(
            owner.commission_name,
            owner.commission_code or "",
            owner.code,
            owner.name,
            top=not owner.parent_id,
        )

    @api.model
    def _top_issuer(self) -> Issuer | None:
        """The commission of the single top unit (a scope of every unit)."""
        roots = self.sudo().search([("parent_id", "=", False)], limit=2)
        return roots._issuer() if len(roots) == 1 else None

    @api.model
    def commission_for(self, code=False):
        """RPC: the issuing commission of unit ``code`` (the top unit's when empty), or False."""
        if code:
            unit = self.search([("code", "=", code)], limit=1)
            if not unit:
                return False
            issuer = unit._issuer()
        else:
            issuer = self._top_issuer()
        return issuer.to_dict() if issuer is not None else False

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A unit cannot be its own ancestor."))
