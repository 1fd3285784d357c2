from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .di_workflow_guard import workflow_step


class DiRectificationExtension(models.Model):
    """申请延期: the responsible unit asks for a later deadline; a reviewer decides.

    The original deadline never moves (timeliness is measured against it); an
    approved extension moves the deadline in force and is counted on its own.
    """

    _name = "di.rectification.extension"
    _description = "Deadline extension request"
    _inherit = ["mail.thread", "di.workflow.guard"]
    _workflow_fields = ("state", "decided_by_id", "decision_date", "current_deadline")
    _order = "request_date desc, id desc"
    _rec_name = "rectification_id"

    rectification_id = fields.Many2one(
        "di.rectification", required=True, ondelete="cascade", index=True
    )
    problem_unit_id = fields.Many2one(
        related="rectification_id.problem_unit_id", store=True, index=True, string="Unit"
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Requested by", default=lambda self: self.env.user, readonly=True
    )
    request_date = fields.Date(default=fields.Date.context_today, readonly=True)
    reason = fields.Text(required=True, tracking=True)
    current_deadline = fields.Date(
        string="Deadline at request",
        compute="_compute_current_deadline",
        store=True,
        readonly=False,
        precompute=True,
        help="The deadline in force when the extension was asked for.",
    )
    new_deadline = fields.Date(string="Requested deadline", required=True, tracking=True)
    state = fields.Selection(
        [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")],
        default="requested",
        required=True,
        readonly=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decision_date = fields.Date(readonly=True)
    decision_note = fields.Text(tracking=True)
    company_id = fields.Many2one(related="rectification_id.company_id", store=True, index=True)

    @api.depends("rectification_id")
    def _compute_current_deadline(self):
        for extension in self:
            if not extension.current_deadline:
                extension.current_deadline = extension.rectification_id.deadline

    @api.constrains("new_deadline", "current_deadline")
    def _check_later(self):
        for extension in self:
            new, old = extension.new_deadline, extension.current_deadline
            if new and old and new <= old:
                raise ValidationError(
                    self.env._(
                        "Extension of %(ref)s: the requested deadline %(new)s must be "
                        "after the deadline in force, %(old)s.",
                        ref=extension.rectification_id.problem_id.ref,
                        new=extension.new_deadline,
                        old=extension.current_deadline,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        extensions = super().create(vals_list)
        for extension in extensions:
            rectification = extension.rectification_id
            if not rectification.is_open or rectification.is_finished:
                raise UserError(
                    self.env._(
                        "Rectification of %(ref)s: an extension is asked for while the "
                        "work is still to do.",
                        ref=rectification.problem_id.ref,
                    )
                )
            if len(rectification.extension_ids.filtered(lambda e: e.state == "requested")) > 1:
                raise UserError(
                    self.env._(
                        "Rectification of %(ref)s already has an extension request waiting "
                        "for a decision.",
                        ref=rectification.problem_id.ref,
                    )
                )
            rectification._message_log(
                body=self.env._(
                    "Extension requested: to %(date)s. Reason: %(reason)s",
                    date=extension.new_deadline,
                    reason=extension.reason,
                )
            )
        return extensions

    def write(self, vals):
        if self._workflow_guarded():
            if "decision_note" in vals:  # the decision's words are the reviewer's
                self.env["di.rectification"]._check_reviewer()
            for extension in self:
                if extension.state != "requested":
                    raise UserError(self.env._("A decided extension request is kept as it is."))
        return super().write(vals)

    def _decide(self, state, note):
        self.env["di.rectification"]._check_reviewer()
        for extension in self:
            if extension.state != "requested":
                raise UserError(self.env._("This extension request was already decided."))
        with workflow_step():
            self.write(
                {
                    "state": state,
                    "decided_by_id": self.env.uid,
                    "decision_date": fields.Date.context_today(self),
                    "decision_note": note or False,
                }
            )

    def action_approve(self, note=None):
        """Approve: the deadline in force moves; the original stays; the extension counts."""
        self._decide("approved", note)
        for extension in self:
            extension.rectification_id._extend(extension)
        return True

    def action_refuse(self, note=None):
        self._decide("refused", note)
        for extension in self:
            extension.rectification_id._message_log(
                body=self.env._(
                    "Extension to %(date)s refused. %(note)s",
                    date=extension.new_deadline,
                    note=extension.decision_note or "",
                )
            )
        return True
