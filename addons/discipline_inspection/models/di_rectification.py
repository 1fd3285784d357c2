from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv.expression import normalize_domain

from case_tracker.domain import load, rules

from .di_workflow_guard import workflow_step

STATES = [(entry.code, entry.name_en) for entry in load().rectification_states]
REVIEWER_GROUP = "discipline_inspection.group_di_reviewer"


class DiRectification(models.Model):
    """Rectification (整改) of one problem, from 待整改 to 已销号, and its evaluation grade."""

    _name = "di.rectification"
    _description = "Rectification"
    _inherit = ["mail.thread", "mail.activity.mixin", "di.workflow.guard", "di.batch.create"]
    _workflow_fields = (
        "state",
        "grade_id",
        "evaluator_id",
        "evaluation_date",
        "return_count",
        "extension_count",
        "recurrence_count",
        "recurrence_date",
    )
    _order = "deadline, id"
    _rec_name = "problem_id"

    problem_id = fields.Many2one(
        "di.problem", string="Problem", required=True, ondelete="cascade", index=True
    )
    measures = fields.Text(tracking=True)
    deadline = fields.Date(
        required=True,
        tracking=True,
        index=True,
        help="The deadline in force: the original one, or the last approved extension's.",
    )
    # Stored computes are not precomputed: the ORM computes them for a whole created batch at
    # flush (one query per dependency) instead of per record on a new() copy before the insert.
    original_deadline = fields.Date(
        compute="_compute_original_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="The deadline first set (原定整改期限). Extensions never move it: timeliness "
        "(按期完成) is measured against it.",
    )
    return_count = fields.Integer(
        string="Returns",
        readonly=True,
        copy=False,
        help="Times a reviewer sent the rectification back (退回重改).",
    )
    extension_count = fields.Integer(
        string="Extensions",
        readonly=True,
        copy=False,
        help="Approved deadline extensions (延期).",
    )
    recurrence_count = fields.Integer(
        string="Recurrences",
        readonly=True,
        copy=False,
        help="Times a follow-up inspection (回头看) found the problem back or the "
        "rectification false (整改反弹、虚假整改).",
    )
    recurrence_date = fields.Date(
        string="Recurrence found on",
        readonly=True,
        copy=False,
        index=True,
        help="When a follow-up inspection last found the rectification false (整改不实).",
    )
    false_rectification = fields.Boolean(
        string="False rectification",
        compute="_compute_false_rectification",
        store=True,
        help="整改不实: a follow-up inspection found the problem recurred or the "
        "rectification reported falsely.",
    )
    unit_id = fields.Many2one("di.unit", string="Responsible unit", tracking=True, index=True)
    responsible = fields.Char(string="Responsible person (name)", tracking=True)
    responsible_user_id = fields.Many2one(
        "res.users", string="Responsible user", tracking=True, help="Receives deadline warnings."
    )
    state = fields.Selection(
        STATES,
        default=lambda self: load().initial_state(),
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    is_open = fields.Boolean(
        compute="_compute_state_flags", help="Rectification work is still to do."
    )
    is_finished = fields.Boolean(
        compute="_compute_state_flags", help="The work is done, so it may be graded."
    )
    is_closed = fields.Boolean(compute="_compute_state_flags", help="Accepted and closed (销号).")
    available_actions = fields.Char(
        compute="_compute_state_flags",
        help="The workflow actions the current state allows (the views show their buttons).",
    )
    finish_date = fields.Date(string="Finished on", tracking=True)
    grade_id = fields.Many2one("di.grade", string="Grade", tracking=True, index=True)
    evaluation_date = fields.Date(string="Evaluated on", tracking=True, index=True)
    evaluator_id = fields.Many2one("res.users", string="Evaluated by", readonly=True)
    followup_ids = fields.Many2many("di.followup", string="Follow-up decisions", tracking=True)
    followup_note = fields.Text(string="Follow-up note", tracking=True)
    evidence_ids = fields.Many2many("ir.attachment", string="Evidence")
    poor = fields.Boolean(related="grade_id.poor", store=True, string="Poor grade")
    exposed = fields.Boolean(related="problem_id.exposed", store=True, string="Exposed")
    eight_point = fields.Boolean(related="problem_id.eight_point", store=True)
    problem_unit_id = fields.Many2one(
        related="problem_id.unit_id", store=True, index=True, string="Problem unit"
    )
    handled = fields.Boolean(
        compute="_compute_handled",
        store=True,
        help="A follow-up decision is recorded.",
    )
    on_time = fields.Boolean(compute="_compute_timeliness", store=True)
    overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_overdue", help="Past its deadline, unfinished."
    )
    warning_level = fields.Selection(
        [("green", "Green"), ("yellow", "Yellow"), ("red", "Red")],
        readonly=True,
        copy=False,
        help="The highest deadline warning already sent.",
    )
    company_id = fields.Many2one(related="problem_id.company_id", store=True, index=True)

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

    @api.depends("deadline")
    def _compute_original_deadline(self):
        """The first deadline given; an extension changes ``deadline`` only."""
        for rectification in self:
            if not rectification.original_deadline:
                rectification.original_deadline = rectification.deadline

    @api.depends("recurrence_count")
    def _compute_false_rectification(self):
        for rectification in self:
            rectification.false_rectification = rectification.recurrence_count > 0

    @api.depends("finish_date", "original_deadline")
    def _compute_timeliness(self):
        """按期完成 against the original deadline, whatever extensions were granted."""
        for rectification in self:
            limit = rectification.original_deadline or rectification.deadline
            rectification.on_time = bool(
                rectification.finish_date and limit and rectification.finish_date <= limit
            )

    @api.depends("state")
    def _compute_state_flags(self):
        domain = load()
        for rectification in self:
            code = rectification.state
            state = domain.rectification_state(code) if code else None
            rectification.is_open = bool(state and state.open)
            rectification.is_finished = bool(state and state.finished)
            rectification.is_closed = bool(state and state.closed)
            rectification.available_actions = " ".join(
                t.action for t in domain.rectification_transitions if code in t.sources
            )

    @api.depends("deadline", "state", "finish_date")
    @api.depends_context("tz")
    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for rectification in self:
            rectification.overdue = rectification._is_overdue(today)

    def _is_overdue(self, as_of):
        """逾期 on ``as_of``: the domain core's one definition."""
        return load().is_overdue(self.state, self.deadline, self.finish_date or None, as_of)

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue."))
        domain = load().overdue_domain(fields.Date.context_today(self))
        return domain if (operator == "=") == value else ["!", *normalize_domain(domain)]

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

    def _rule_values(self):
        """The logical values the domain core's rules read (docs/domain.md §5)."""
        return {
            "state": self.state,
            "grade": self.grade_id.code or None,
            "followups": tuple(self.followup_ids.mapped("code")),
            "deadline": self.deadline,
            "finish_date": self.finish_date or None,
            "evaluation_date": self.evaluation_date or None,
            "discovery_date": self.problem_id.discovery_date or None,
        }

    @api.constrains(
        "state", "grade_id", "followup_ids", "deadline", "finish_date", "evaluation_date"
    )
    def _check_rules(self):
        for rectification in self:
            for violation in rules.check("rectifications", rectification._rule_values()):
                raise ValidationError(
                    self.env._(
                        "Rectification of %(ref)s: %(reason)s",
                        ref=rectification.problem_id.ref,
                        reason=violation.message(self.env.lang),
                    )
                )

    # ------------------------------------------------------- transitions
    def _move(self, action):
        """Apply a workflow action of the domain core to each rectification.

        Reaching a finished state records the finish date; going back to an
        unfinished one clears it with the grade (the work was not done after all).
        """
        domain = load()
        transition = domain.transition(action)
        if transition.reviewer:
            self._check_reviewer()
        for rectification in self:
            if rectification.state not in transition.sources:
                raise UserError(
                    self.env._(
                        "Rectification of %(ref)s cannot do that in its current state.",
                        ref=rectification.problem_id.ref,
                    )
                )
        target = domain.rectification_state(transition.target)
        for rectification in self:
            values = {"state": target.code}
            if not target.finished:
                cleared = ("finish_date", "grade_id", "evaluation_date")
                values.update({name: False for name in cleared if rectification[name]})
            elif not rectification.finish_date:
                values["finish_date"] = fields.Date.context_today(self)
            with workflow_step():
                rectification.write(values)

    def action_start(self):
        self._move("start")

    def evaluate(self, grade, followups=None, note=None):
        """整改评价: a reviewer grades a finished rectification (evaluator and date recorded).

        The only way to set a grade, from the 评价 dialog or over RPC; a poor grade
        needs its follow-up decisions in the same step (the domain core's rule).
        """
        self._check_reviewer()
        for rectification in self:
            if not rectification.is_finished or rectification.is_closed:
                raise UserError(
                    self.env._(
                        "Rectification of %(ref)s: only a finished, not yet closed "
                        "rectification can be evaluated.",
                        ref=rectification.problem_id.ref,
                    )
                )
        values = {
            "grade_id": grade.id,
            "evaluator_id": self.env.uid,
            "evaluation_date": fields.Date.context_today(self),
        }
        if followups is not None:
            values["followup_ids"] = [fields.Command.set(followups.ids)]
        if note is not None:
            values["followup_note"] = note
        with workflow_step():
            self.write(values)
        return True

    def action_open_evaluation(self):
        """The 评价 dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evaluate the rectification"),
            "res_model": "di.rectification.evaluation",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_rectification_id": self.id,
                "default_grade_id": self.grade_id.id,
                "default_followup_ids": self.followup_ids.ids,
                "default_followup_note": self.followup_note,
            },
        }

    def action_submit(self):
        """Rectified: hand over for acceptance (已整改待验收)."""
        self._move("submit")

    def action_accept(self):
        """Accept and close (销号): reviewers only, with a grade."""
        self._move("accept")

    def action_reject(self):
        self._move("reject")

    def action_revisit(self):
        """回头看: reopen a closed rectification for a follow-up inspection."""
        self._move("revisit")

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
        if self._is_overdue(today):
            return "red"
        days_left = (self.deadline - today).days
        if days_left < 0:
            return False  # past its deadline but not overdue: finished, back for a 回头看
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
                ("state", "in", load().states_where(open=True)),
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
