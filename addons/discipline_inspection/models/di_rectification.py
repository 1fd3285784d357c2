from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from case_tracker.domain import load

STATES = [(entry.code, entry.name_en) for entry in load().rectification_states]
#: States in which the rectification work is finished, so it may be graded.
FINISHED = ("to_accept", "closed", "revisit")
REVIEWER_GROUP = "discipline_inspection.group_di_reviewer"


class DiRectification(models.Model):
    """Rectification (整改) of one problem, from 待整改 to 已销号, and its evaluation grade."""

    _name = "di.rectification"
    _description = "Rectification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"
    _rec_name = "problem_id"

    problem_id = fields.Many2one(
        "di.problem", string="Problem", required=True, ondelete="cascade", index=True
    )
    measures = fields.Text(tracking=True)
    deadline = fields.Date(required=True, tracking=True, index=True)
    unit_id = fields.Many2one("di.unit", string="Responsible unit", tracking=True, index=True)
    responsible = fields.Char(string="Responsible person (name)", tracking=True)
    responsible_user_id = fields.Many2one(
        "res.users", string="Responsible user", tracking=True, help="Receives deadline warnings."
    )
    state = fields.Selection(
        STATES, default="pending", required=True, readonly=True, tracking=True, index=True
    )
    finish_date = fields.Date(string="Finished on", tracking=True)
    grade_id = fields.Many2one("di.grade", string="Grade", tracking=True, index=True)
    evaluation_date = fields.Date(string="Evaluated on", tracking=True, index=True)
    evaluator_id = fields.Many2one("res.users", string="Evaluated by", readonly=True)
    followup_ids = fields.Many2many("di.followup", string="Follow-up decisions", tracking=True)
    followup_note = fields.Text(string="Follow-up note", tracking=True)
    evidence_ids = fields.Many2many("ir.attachment", string="Evidence")
    poor = fields.Boolean(related="grade_id.poor", store=True, precompute=True, string="Poor grade")
    exposed = fields.Boolean(
        related="problem_id.exposed", store=True, precompute=True, string="Exposed"
    )
    eight_point = fields.Boolean(related="problem_id.eight_point", store=True, precompute=True)
    problem_unit_id = fields.Many2one(
        related="problem_id.unit_id", store=True, precompute=True, index=True, string="Problem unit"
    )
    handled = fields.Boolean(
        compute="_compute_handled",
        store=True,
        precompute=True,
        help="A follow-up decision is recorded.",
    )
    on_time = fields.Boolean(compute="_compute_timeliness", store=True, precompute=True)
    overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_overdue", help="Past its deadline, unfinished."
    )
    warning_level = fields.Selection(
        [("green", "Green"), ("yellow", "Yellow"), ("red", "Red")],
        readonly=True,
        copy=False,
        help="The highest deadline warning already sent.",
    )
    company_id = fields.Many2one(
        related="problem_id.company_id", store=True, precompute=True, index=True
    )

    _sql_constraints = [
        ("problem_unique", "unique(problem_id)", "A problem has one rectification."),
    ]

    @api.depends("problem_id.ref", "problem_unit_id.name")
    def _compute_display_name(self):
        """The problem's reference and its unit: what a deadline calendar needs to show."""
        for rectification in self:
            parts = [rectification.problem_id.ref, rectification.problem_unit_id.name]
            rectification.display_name = " · ".join(part for part in parts if part)

    @api.depends("followup_ids")
    def _compute_handled(self):
        for rectification in self:
            rectification.handled = bool(rectification.followup_ids)

    @api.depends("finish_date", "deadline")
    def _compute_timeliness(self):
        for rectification in self:
            rectification.on_time = bool(
                rectification.finish_date and rectification.finish_date <= rectification.deadline
            )

    @api.depends("deadline", "state")
    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for rectification in self:
            rectification.overdue = rectification._is_overdue(today)

    def _is_overdue(self, today):
        return self.state in ("pending", "in_progress") and self.deadline < today

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue."))
        domain = [
            ("state", "in", ("pending", "in_progress")),
            ("deadline", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    # ------------------------------------------------------------ the gate
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("grade_id") for vals in vals_list):
            self._check_reviewer()
            for vals in vals_list:
                if vals.get("grade_id"):
                    vals.setdefault("evaluator_id", self.env.uid)
                    vals.setdefault("evaluation_date", fields.Date.context_today(self))
        return super().create(vals_list)

    def write(self, vals):
        if "grade_id" in vals or "evaluation_date" in vals:
            self._check_reviewer()
            if vals.get("grade_id"):
                vals.setdefault("evaluator_id", self.env.uid)
                vals.setdefault("evaluation_date", fields.Date.context_today(self))
        return super().write(vals)

    def _check_reviewer(self):
        """Only reviewers grade a rectification, whatever the path (UI, RPC, import)."""
        if not self.env.su and not self.env.user.has_group(REVIEWER_GROUP):
            raise AccessError(self.env._("Only reviewers may grade a rectification."))

    @api.constrains("grade_id", "state")
    def _check_grade_on_finished(self):
        for rectification in self:
            if rectification.grade_id and rectification.state not in FINISHED:
                raise ValidationError(
                    self.env._(
                        "Rectification of %(ref)s: only a finished rectification can be graded.",
                        ref=rectification.problem_id.ref,
                    )
                )
            if rectification.state == "closed" and not rectification.grade_id:
                raise ValidationError(
                    self.env._(
                        "Rectification of %(ref)s: it is closed only once accepted with a grade.",
                        ref=rectification.problem_id.ref,
                    )
                )

    @api.constrains("grade_id", "followup_ids")
    def _check_poor_grade_followup(self):
        for rectification in self:
            if rectification.grade_id.poor and not rectification.followup_ids:
                raise ValidationError(
                    self.env._(
                        "Rectification of %(ref)s is graded %(grade)s: record the follow-up "
                        "decision (serious handling and notice, interview, follow-up inspection).",
                        ref=rectification.problem_id.ref,
                        grade=rectification.grade_id.name,
                    )
                )

    @api.constrains("deadline", "finish_date", "evaluation_date")
    def _check_dates(self):
        for rectification in self:
            discovered = rectification.problem_id.discovery_date
            ref = rectification.problem_id.ref
            if discovered and rectification.deadline < discovered:
                raise ValidationError(
                    self.env._("Rectification of %(ref)s: deadline before discovery.", ref=ref)
                )
            if discovered and rectification.finish_date and rectification.finish_date < discovered:
                raise ValidationError(
                    self.env._("Rectification of %(ref)s: finished before discovery.", ref=ref)
                )
            if (
                rectification.evaluation_date
                and rectification.finish_date
                and rectification.evaluation_date < rectification.finish_date
            ):
                raise ValidationError(
                    self.env._(
                        "Rectification of %(ref)s: evaluated before it was finished.", ref=ref
                    )
                )

    # ------------------------------------------------------- transitions
    def _move(self, allowed, new_state, **values):
        for rectification in self:
            if rectification.state not in allowed:
                raise UserError(
                    self.env._(
                        "Rectification of %(ref)s cannot do that in its current state.",
                        ref=rectification.problem_id.ref,
                    )
                )
        self.write({"state": new_state, **values})

    def action_start(self):
        self._move(("pending",), "in_progress")

    def action_submit(self):
        """Rectified: hand over for acceptance (已整改待验收)."""
        for rectification in self:
            rectification._move(
                ("in_progress", "revisit"),
                "to_accept",
                finish_date=rectification.finish_date or fields.Date.context_today(self),
            )

    def action_accept(self):
        """Accept and close (销号): reviewers only, with a grade."""
        self._check_reviewer()
        self._move(("to_accept",), "closed")

    def action_reject(self):
        self._check_reviewer()
        self._move(("to_accept",), "in_progress", grade_id=False, evaluation_date=False)

    def action_revisit(self):
        """回头看: reopen a closed rectification for a follow-up inspection."""
        self._move(("closed",), "revisit")

    # ------------------------------------------------------ the cron job
    def _warning_settings(self):
        settings = load().settings
        params = self.env["ir.config_parameter"].sudo()  # sudo: read-only system settings
        green = int(
            params.get_param(
                "discipline_inspection.warning_green_days", settings["warning_green_days"]
            )
        )
        yellow = int(
            params.get_param(
                "discipline_inspection.warning_yellow_days", settings["warning_yellow_days"]
            )
        )
        return green, yellow

    def _warning_level_for(self, today, green, yellow):
        days_left = (self.deadline - today).days
        if days_left < 0:
            return "red"
        if days_left <= yellow:
            return "yellow"
        if days_left <= green:
            return "green"
        return False

    @api.model
    def _cron_deadline_warnings(self):
        """Plan green/yellow/red deadline activities once per level (idempotent)."""
        green, yellow = self._warning_settings()
        today = fields.Date.context_today(self)
        order = {False: 0, "green": 1, "yellow": 2, "red": 3}
        open_ones = self.search(
            [
                ("state", "in", ("pending", "in_progress", "revisit")),
                ("deadline", "<=", fields.Date.add(today, days=green)),
            ]
        )
        for rectification in open_ones:
            level = rectification._warning_level_for(today, green, yellow)
            if order[level] <= order[rectification.warning_level or False]:
                continue
            rectification._plan_warning(level)
            rectification.warning_level = level
        return True

    def _plan_warning(self, level):
        unit = self.unit_id or self.problem_id.unit_id
        if level == "green":
            users = self.responsible_user_id
        elif level == "yellow":
            users = self.responsible_user_id | unit.leader_user_id
        else:
            users = unit.head_user_id | unit.leader_user_id
        activity_type = self.env.ref(f"discipline_inspection.mail_activity_deadline_{level}")
        for user in users or self.env.user.browse(self.create_uid.id):
            # The job runs as OdooBot: write each summary in its recipient's language.
            env = self.with_context(lang=user.lang or self.env.lang).env
            summary = {
                "green": env._("Rectification deadline approaching"),
                "yellow": env._("Rectification deadline in a few days"),
                "red": env._("Rectification overdue"),
            }[level]
            self.activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary,
                date_deadline=self.deadline,
                user_id=user.id,
            )
