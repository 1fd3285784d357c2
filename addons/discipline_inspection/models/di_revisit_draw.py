from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from case_tracker.domain import load, revisit

from .di_workflow_guard import workflow_step


class DiRevisitDraw(models.Model):
    """回头看抽查: a reviewer draws closed rectifications of a unit and period for re-inspection.

    Every rectification graded poor (较差/差) is drawn; of the others a share is drawn at
    random (case_tracker.domain.revisit).  The candidates, the share and the seed are kept,
    so the draw can be repeated from this record and audited.
    """

    _name = "di.revisit.draw"
    _description = "Follow-up inspection draw"
    _inherit = ["mail.thread", "di.workflow.guard"]
    _workflow_fields = ("state", "seed", "method", "candidate_ids", "drawn_ids", "draw_date")
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    unit_id = fields.Many2one(
        "di.unit",
        string="Unit",
        required=True,
        index=True,
        tracking=True,
        help="Closed rectifications of this unit and its sub-units are candidates.",
    )
    date_from = fields.Date(string="Closed from", required=True, tracking=True)
    date_to = fields.Date(string="Closed to", required=True, tracking=True)
    share = fields.Float(
        string="Share drawn",
        required=True,
        default=lambda self: load().settings.get("revisit_share", 0.2),
        tracking=True,
        help="The fraction of the candidates not graded poor that is drawn at random; "
        "every one graded 较差/差 is drawn besides.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("drawn", "Drawn")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    seed = fields.Integer(readonly=True, copy=False, help="The random seed the draw used.")
    method = fields.Char(
        string="Drawing method", readonly=True, copy=False, help="The drawing procedure, versioned."
    )
    draw_date = fields.Datetime(readonly=True, copy=False)
    drawn_by_id = fields.Many2one("res.users", string="Drawn by", readonly=True, copy=False)
    candidate_ids = fields.Many2many(
        "di.rectification",
        "di_revisit_draw_candidate_rel",
        "draw_id",
        "rectification_id",
        string="Candidates",
        readonly=True,
        copy=False,
    )
    drawn_ids = fields.Many2many(
        "di.rectification",
        "di_revisit_draw_drawn_rel",
        "draw_id",
        "rectification_id",
        string="Drawn",
        readonly=True,
        copy=False,
    )
    candidate_count = fields.Integer(compute="_compute_counts")
    drawn_count = fields.Integer(compute="_compute_counts")
    poor_count = fields.Integer(string="Graded poor (always drawn)", compute="_compute_counts")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("unit_id.name", "date_from", "date_to")
    def _compute_name(self):
        for draw in self:
            draw.name = f"{draw.unit_id.name or ''} {draw.date_from or ''}–{draw.date_to or ''}"

    @api.depends("candidate_ids", "drawn_ids")
    def _compute_counts(self):
        for draw in self:
            draw.candidate_count = len(draw.candidate_ids)
            draw.drawn_count = len(draw.drawn_ids)
            draw.poor_count = len(draw.candidate_ids.filtered("poor"))

    @api.constrains("share", "date_from", "date_to")
    def _check_values(self):
        for draw in self:
            if not 0 < draw.share <= 1:
                raise ValidationError(self.env._("The share drawn is more than 0 and at most 1."))
            if draw.date_from > draw.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    def _candidates(self):
        """Closed rectifications of the unit's tree, finished in the period."""
        self.ensure_one()
        return self.env["di.rectification"].search(
            [
                ("state", "in", load().states_where(closed=True)),
                ("problem_unit_id", "child_of", self.unit_id.id),
                ("finish_date", ">=", self.date_from),
                ("finish_date", "<=", self.date_to),
            ]
        )

    def _drawn_from_record(self):
        """The draw again, from what this record keeps (candidates, grades, share, seed)."""
        self.ensure_one()
        candidates = self.candidate_ids
        ids = revisit.draw(candidates.ids, candidates.filtered("poor").ids, self.share, self.seed)
        return self.env["di.rectification"].browse(ids)

    def action_draw(self):
        """Draw, keep the draw, and send each drawn rectification to 回头看."""
        self.env["di.rectification"]._check_reviewer()
        for draw in self:
            if draw.state != "draft":
                raise UserError(self.env._("This draw was already made."))
            candidates = draw._candidates()
            if not candidates:
                raise UserError(
                    self.env._(
                        "No closed rectification of %(unit)s finished in this period.",
                        unit=draw.unit_id.display_name,
                    )
                )
            with workflow_step():
                draw.write(
                    {
                        "candidate_ids": [fields.Command.set(candidates.ids)],
                        "seed": revisit.new_seed(),
                        "method": revisit.METHOD,
                        "draw_date": fields.Datetime.now(),
                        "drawn_by_id": self.env.uid,
                        "state": "drawn",
                    }
                )
                drawn = draw._drawn_from_record()
                draw.write({"drawn_ids": [fields.Command.set(drawn.ids)]})
            drawn._move("revisit", reason=self.env._("Drawn by %(draw)s", draw=draw.name))
            draw._message_log(
                body=self.env._(
                    "%(drawn)s of %(candidates)s closed rectifications drawn "
                    "(%(poor)s graded poor, all drawn); seed %(seed)s.",
                    drawn=draw.drawn_count,
                    candidates=draw.candidate_count,
                    poor=draw.poor_count,
                    seed=draw.seed,
                )
            )
        return True

    def is_reproducible(self):
        """True when drawing again from the record gives exactly the rectifications drawn."""
        self.ensure_one()
        return self.state == "drawn" and self._drawn_from_record() == self.drawn_ids

    def action_check_reproducible(self):
        self.ensure_one()
        same = self.is_reproducible()
        if same:
            message = self.env._(
                "Drawn again from this record: the same %(n)s rectifications.", n=self.drawn_count
            )
        else:
            message = self.env._(
                "Drawn again from this record: a different result. The draw was altered."
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success" if same else "danger"},
        }
