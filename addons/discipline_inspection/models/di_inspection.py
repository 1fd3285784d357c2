from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from case_tracker.domain import load

METHODS = [(entry.code, entry.name_en) for entry in load().inspection_methods]


class DiInspection(models.Model):
    """A supervision inspection (监督检查): one visit, counted once, that can find problems."""

    _name = "di.inspection"
    _description = "Supervision inspection"
    _inherit = ["mail.thread", "mail.activity.mixin", "di.reference.mixin"]
    _reference_sequence = "di.inspection"
    _reference_date_field = "date"
    _order = "date desc, id desc"
    _rec_name = "ref"
    _rec_names_search = ["ref", "topic"]

    ref = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index=True, default="/"
    )
    date = fields.Date(
        string="Inspection date", required=True, default=fields.Date.context_today, tracking=True
    )
    end_date = fields.Date(tracking=True)
    method = fields.Selection(METHODS, required=True, default="open", tracking=True)
    topic = fields.Char(tracking=True)
    team = fields.Char(string="Inspection team", tracking=True)
    leader_id = fields.Many2one(
        "res.users", string="Team leader", default=lambda self: self.env.user, tracking=True
    )
    leader_name = fields.Char(
        string="Team leader (name)", tracking=True, help="As written in an imported register."
    )
    member_ids = fields.Many2many("res.users", string="Team members")
    unit_ids = fields.Many2many("di.unit", string="Inspected units", required=True)
    unit_id = fields.Many2one(
        "di.unit",
        string="Main unit",
        compute="_compute_unit_id",
        store=True,
        precompute=True,
        index=True,
        help="The first inspected unit: decides who sees the inspection.",
    )
    findings = fields.Html()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    problem_ids = fields.One2many("di.problem", "inspection_id", string="Problems")
    problem_count = fields.Integer(compute="_compute_counts", string="Problems found")
    person_count = fields.Integer(compute="_compute_counts", string="Persons handled")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _sql_constraints = [("ref_unique", "unique(ref)", "The inspection reference must be unique.")]

    @api.depends("unit_ids")
    def _compute_unit_id(self):
        for inspection in self:
            inspection.unit_id = inspection.unit_ids[:1]

    @api.depends("problem_ids", "problem_ids.person_ids")
    def _compute_counts(self):
        for inspection in self:
            inspection.problem_count = len(inspection.problem_ids)
            inspection.person_count = len(
                set(inspection.problem_ids.person_ids.mapped("identity_key"))
            )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._assign_references(vals_list))

    @api.constrains("date", "end_date")
    def _check_dates(self):
        for inspection in self:
            if inspection.end_date and inspection.end_date < inspection.date:
                raise ValidationError(
                    self.env._("Inspection %(ref)s ends before it starts.", ref=inspection.ref)
                )

    def action_start(self):
        self._check_state("draft")
        self.state = "in_progress"

    def action_done(self):
        self._check_state("in_progress")
        self.state = "done"
        for inspection in self.filtered(lambda i: not i.end_date):
            inspection.end_date = fields.Date.context_today(self)

    def action_cancel(self):
        self._check_state("draft", "in_progress")
        self.state = "cancelled"

    def action_reset_draft(self):
        self._check_state("cancelled")
        self.state = "draft"

    def _check_state(self, *allowed):
        for inspection in self:
            if inspection.state not in allowed:
                raise UserError(
                    self.env._(
                        "Inspection %(ref)s cannot do that in its current state.",
                        ref=inspection.ref,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(inspection.state != "draft" for inspection in self):
            raise UserError(self.env._("Only draft inspections can be deleted."))

    def action_view_problems(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "discipline_inspection.action_di_problem"
        )
        action["domain"] = [("inspection_id", "=", self.id)]
        action["context"] = {"default_inspection_id": self.id}
        return action

    def action_view_persons(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "discipline_inspection.action_di_person"
        )
        action["domain"] = [("problem_ids.inspection_id", "=", self.id)]
        return action
