from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv.expression import normalize_domain

from case_tracker.domain import load, rules

from .di_batch_create import by_id, field_columns
from .di_batch_fields import BatchMany2many
from .di_workflow_guard import workflow_step

STATES = [(entry.code, entry.name_en) for entry in load().rectification_states]
REVIEWER_GROUP = "discipline_inspection.group_di_reviewer"
INSPECTOR_GROUP = "discipline_inspection.group_di_inspector"
LIAISON_GROUP = "discipline_inspection.group_di_liaison"
EXTENSION_REQUEST_VIEW = "discipline_inspection.di_rectification_extension_view_request"
#: What the inspected unit's liaison writes: the work, not the commission's record of it.
LIAISON_FIELDS = frozenset({"measures", "progress_note", "evidence_ids"})
#: The rectification's own fields the domain core's rules read (with its follow-ups, read
#: as superuser, and its problem's discovery date): what they check, and when.
RULE_FIELDS = (
    "state",
    "grade_id",
    "deadline",
    "finish_date",
    "evaluation_date",
    "original_deadline",
    "return_count",
    "extension_count",
    "recurrence_count",
    "recurrence_date",
)


class DiRectification(models.Model):
    """Rectification (整改) of one problem, from 待整改 to 已销号, and its evaluation grade."""

    _name = "di.rectification"
    _description = "Rectification"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "di.workflow.guard",
        "di.batch.create",
        "di.grouped.read",
    ]
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

    # indexed by its unique constraint
    problem_id = fields.Many2one("di.problem", string="Problem", required=True, ondelete="cascade")
    measures = fields.Text(tracking=True)
    progress_note = fields.Text(
        string="Progress",
        tracking=True,
        help="The responsible unit's account of where the rectification stands.",
    )
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
    # Indexed: the dashboard's windows (this year, today) find the few finished in them.
    finish_date = fields.Date(string="Finished on", tracking=True, index=True)
    grade_id = fields.Many2one("di.grade", string="Grade", tracking=True, index=True)
    evaluation_date = fields.Date(string="Evaluated on", tracking=True, index=True)
    evaluator_id = fields.Many2one("res.users", string="Evaluated by", readonly=True)
    # The commission's follow-up (accountability) stays with its own staff: a liaison of the
    # inspected unit never reads it.
    followup_ids = BatchMany2many(
        "di.followup",
        string="Follow-up decisions",
        tracking=True,
        groups="discipline_inspection.group_di_inspector,discipline_inspection.group_di_leader",
    )
    followup_note = fields.Text(
        string="Follow-up note",
        tracking=True,
        groups="discipline_inspection.group_di_inspector,discipline_inspection.group_di_leader",
    )
    evidence_ids = fields.Many2many("ir.attachment", string="Evidence")
    poor = fields.Boolean(related="grade_id.poor", store=True, string="Poor grade")
    exposed = fields.Boolean(related="problem_id.exposed", store=True, string="Exposed")
    eight_point = fields.Boolean(related="problem_id.eight_point", store=True)
    problem_unit_id = fields.Many2one(
        related="problem_id.unit_id", store=True, index=True, string="Problem unit"
    )
    # Stored so that counting a period's rectifications (only those of registered problems
    # count) reads the rectification's own row instead of joining every problem.
    problem_state = fields.Selection(
        related="problem_id.state", store=True, index=True, string="Problem state"
    )
    handled = fields.Boolean(
        compute="_compute_handled",
        store=True,
        help="A follow-up decision is recorded.",
        groups="discipline_inspection.group_di_inspector,discipline_inspection.group_di_leader",
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
    liaison_user_id = fields.Many2one(
        "res.users",
        string="Liaison",
        compute="_compute_liaison_user_id",
        help="The responsible unit's 整改联络员 (of the unit or the nearest unit above): "
        "receives the 整改通知书 and the first deadline warning.",
    )
    round_ids = fields.One2many("di.rectification.round", "rectification_id", string="Rounds")
    extension_ids = fields.One2many(
        "di.rectification.extension", "rectification_id", string="Extension requests"
    )
    may_request_extension = fields.Boolean(compute="_compute_may_request_extension")
    is_staff = fields.Boolean(
        compute="_compute_is_staff",
        help="The current user is the commission's staff (not a liaison of the unit).",
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

    @api.depends("deadline")
    def _compute_original_deadline(self):
        """The deadline the commission set: it follows the commission's own corrections of the
        deadline until an extension is granted or a 回头看 reopens; those move ``deadline`` only.
        """
        for rectification in self:
            moved = rectification.extension_count or rectification.recurrence_count
            if not rectification.original_deadline or not moved:
                rectification.original_deadline = rectification.deadline

    @api.depends("unit_id.liaison_user_id", "problem_unit_id.liaison_user_id")
    def _compute_liaison_user_id(self):
        for rectification in self:
            unit = rectification.unit_id or rectification.problem_unit_id
            while unit and not unit.liaison_user_id:
                unit = unit.parent_id
            rectification.liaison_user_id = unit.liaison_user_id

    @api.depends("state", "extension_ids.state")
    def _compute_may_request_extension(self):
        for rectification in self:
            rectification.may_request_extension = (
                rectification.is_open
                and not rectification.is_finished
                and "requested" not in rectification.extension_ids.mapped("state")
            )

    @api.depends_context("uid")
    def _compute_is_staff(self):
        staff = self.env.user.has_group(INSPECTOR_GROUP)
        for rectification in self:
            rectification.is_staff = staff

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
                    if "evaluation_date" not in vals:
                        vals["evaluation_date"] = self._evaluation_day(vals.get("finish_date"))
        return super().create(vals_list)

    def _values_before_insert(self, stored_list):
        """The problem's and grade's related values, the original deadline, the flags.

        What the computes give on a created rectification: one read of the batch's
        problems, grades and follow-ups instead of an ``UPDATE`` of every new row.
        """
        problems = self._existing(
            "di.problem",
            [s.get("problem_id") for s in stored_list],
            ["exposed", "eight_point", "unit_id", "company_id", "state"],
        )
        grades = self._existing("di.grade", [s.get("grade_id") for s in stored_list], ["poor"])
        followups = self._x2many_after_create("followup_ids", stored_list, [])
        result = []
        for stored, followup in zip(stored_list, followups, strict=True):
            values = {}
            problem = problems.get(stored.get("problem_id"))
            if problem:
                values.update(
                    exposed=problem.exposed,
                    eight_point=problem.eight_point,
                    problem_unit_id=problem.unit_id,
                    problem_state=problem.state,
                    company_id=problem.company_id,
                )
            grade_id = stored.get("grade_id")
            if not grade_id or grade_id in grades:
                values["poor"] = bool(grade_id) and grades[grade_id].poor
            if followup is not None:
                values["handled"] = bool(followup)
            deadline = self._as_date(stored.get("deadline"))
            # Given, it is protected by the ORM and stays; else the compute copies the deadline.
            original = self._as_date(stored.get("original_deadline")) or deadline
            if "original_deadline" not in stored:
                values["original_deadline"] = deadline
            finish = self._as_date(stored.get("finish_date"))
            values["on_time"] = bool(finish and original and finish <= original)
            values["false_rectification"] = (stored.get("recurrence_count") or 0) > 0
            result.append(values)
        return result

    def write(self, vals):
        if self._workflow_guarded() and self._liaison_only():
            outside = set(vals) - LIAISON_FIELDS
            if outside:
                raise AccessError(
                    self.env._(
                        "A liaison records measures, progress and evidence; %(fields)s "
                        "are the commission's.",
                        fields=", ".join(
                            self._fields[name].get_description(self.env)["string"]
                            for name in sorted(outside)
                        ),
                    )
                )
        if "grade_id" in vals or "evaluation_date" in vals:
            self._check_reviewer()
            if vals.get("grade_id"):
                vals.setdefault("evaluator_id", self.env.uid)
                if "evaluation_date" not in vals:
                    vals["evaluation_date"] = self._evaluation_day(vals.get("finish_date"))
        return super().write(vals)

    def _evaluation_day(self, finish=None):
        """The day an evaluation is dated: today in the reviewer's time zone, and never
        before the finish it grades.  A finish recorded by a user whose day had already
        begun (another time zone: from 23:00 UTC it is tomorrow in Brussels, from 16:00 UTC
        in Beijing) is graded that day.
        """
        finished = [fields.Date.to_date(day) for day in (*self.mapped("finish_date"), finish)]
        return max([fields.Date.context_today(self), *(day for day in finished if day)])

    def _liaison_only(self):
        """The user is an inspected unit's liaison, not the commission's staff."""
        user = self.env.user
        if self.env.su or user.has_group(INSPECTOR_GROUP):
            return False
        return user.has_group(LIAISON_GROUP)

    def _check_reviewer(self):
        """Only reviewers grade a rectification, whatever the path (UI, RPC, import)."""
        if not self.env.su and not self.env.user.has_group(REVIEWER_GROUP):
            raise AccessError(self.env._("Only reviewers may grade a rectification."))

    def _rule_rows(self):
        """Per rectification, the logical values the domain core's rules read
        (docs/domain.md §5), read column by column for the whole recordset.
        """
        own = field_columns(self, [*RULE_FIELDS, "problem_id"])
        # sudo: the rule reads the follow-up decisions even when a liaison (who may not
        # read them) takes the step; nothing of them is returned to the user
        followups = field_columns(self.sudo(), ["followup_ids"])["followup_ids"]
        codes = by_id(self.sudo().followup_ids, "code")
        grades = by_id(self.grade_id, "code")
        discovered = by_id(self.problem_id, "discovery_date")
        return [
            {
                "state": own["state"][i],
                "grade": grades.get(own["grade_id"][i]) or None,
                "followups": tuple(codes[f] for f in followups[i]),
                "deadline": own["deadline"][i],
                "finish_date": own["finish_date"][i] or None,
                "evaluation_date": own["evaluation_date"][i] or None,
                "discovery_date": discovered.get(own["problem_id"][i]) or None,
                "original_deadline": own["original_deadline"][i] or None,
                "return_count": own["return_count"][i],
                "extension_count": own["extension_count"][i],
                "recurrence_count": own["recurrence_count"][i],
                "recurrence_date": own["recurrence_date"][i] or None,
            }
            for i in range(len(self))
        ]

    @api.constrains(*RULE_FIELDS, "followup_ids")
    def _check_rules(self):
        domain = load()
        for rectification, values in zip(self, self._rule_rows(), strict=True):
            for violation in rules.check("rectifications", values, domain):
                raise ValidationError(
                    self.env._(
                        "Rectification of %(ref)s: %(reason)s",
                        ref=rectification.problem_id.ref,
                        reason=violation.message(self.env.lang),
                    )
                )

    # ------------------------------------------------------- transitions
    def _move(self, action, reason=None, deadline=None):
        """Apply a workflow action of the domain core to each rectification, as one round.

        Reaching a finished state records the finish date; going back to an
        unfinished one clears it with the grade (the work was not done after all).
        The action's counter (returns, recurrences) goes up by one; ``deadline``
        is the new deadline of a reopened rectification.  Each step is kept as a
        round and said in the chatter.
        """
        domain = load()
        transition = domain.transition(action)
        if transition.reviewer:
            self._check_reviewer()
        elif self._liaison_only() and not transition.liaison:
            raise AccessError(self.env._("This step is the commission's, not the liaison's."))
        reason = (reason or "").strip()
        if transition.reason and not reason:
            raise UserError(
                self.env._("%(step)s needs a reason.", step=self._transition_label(transition))
            )
        for rectification in self:
            if rectification.state not in transition.sources:
                raise UserError(
                    self.env._(
                        "Rectification of %(ref)s cannot do that in its current state.",
                        ref=rectification.problem_id.ref,
                    )
                )
        target = domain.rectification_state(transition.target)
        today = fields.Date.context_today(self)
        for rectification in self:
            before = rectification.state
            values = {"state": target.code}
            if not target.finished:
                cleared = ("finish_date", "grade_id", "evaluation_date")
                values.update({name: False for name in cleared if rectification[name]})
            elif not rectification.finish_date:
                values["finish_date"] = today
            if transition.counter:
                values[transition.counter] = rectification[transition.counter] + 1
            if transition.counter == "recurrence_count":
                values["recurrence_date"] = today
            if deadline:
                values.update(deadline=deadline, warning_level=False)
            with workflow_step():
                rectification.write(values)
            rectification._log_round(action, before, reason)
        return True

    def _transition_label(self, transition):
        return transition.name if (self.env.lang or "").startswith("zh") else transition.name_en

    def _log_round(self, action, state_before, reason=None):
        """Keep the step as a round (who, when, why) and say it in the chatter."""
        self.ensure_one()
        submissions = len(self.round_ids.filtered(lambda r: r.action == "submit"))
        number = submissions + 1 if action == "submit" else max(submissions, 1)
        # sudo: rounds are the workflow's own log; no user creates or edits them directly
        self.env["di.rectification.round"].sudo().create(
            {
                "rectification_id": self.id,
                "number": number,
                "action": action,
                "user_id": self.env.uid,
                "reason": reason or False,
                "state_before": state_before,
                "state_after": self.state,
                "deadline": self.deadline,
            }
        )
        if action == "extension":
            label = self.env._("Extension approved")
        else:
            label = self._transition_label(load().transition(action))
        body = self.env._("%(step)s (round %(n)s)", step=label, n=number)
        if reason:
            body = self.env._("%(step)s. Reason: %(reason)s", step=body, reason=reason)
        self._message_log(body=body)

    def _extend(self, extension):
        """An approved extension: the deadline in force moves, the original stays."""
        self.ensure_one()
        with workflow_step():
            self.write(
                {
                    "deadline": extension.new_deadline,
                    "extension_count": self.extension_count + 1,
                    "warning_level": False,
                }
            )
        self._log_round("extension", self.state, extension.reason)

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
            "evaluation_date": self._evaluation_day(),
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

    def action_reject(self, reason=None):
        """退回重改: back to the unit, with the reviewer's reason (kept as a round)."""
        return self._move("reject", reason=reason)

    def action_revisit(self, reason=None):
        """回头看: a closed rectification goes back for a follow-up inspection."""
        return self._move("revisit", reason=reason)

    def action_confirm_revisit(self):
        """回头看 found the rectification holding: closed again."""
        return self._move("confirm")

    def action_recur(self, reason=None, deadline=None):
        """回头看 found it false (整改反弹、虚假整改): reopened with a new deadline, counted."""
        if not deadline:
            deadline = fields.Date.add(
                fields.Date.context_today(self), days=self._recurrence_days()
            )
        return self._move("recur", reason=reason, deadline=deadline)

    @api.model
    def _recurrence_days(self):
        """Days a reopened rectification gets unless the reviewer says otherwise."""
        return int(load().settings.get("recurrence_days", 30))

    def _open_step_dialog(self, action):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self._transition_label(load().transition(action)),
            "res_model": "di.rectification.step",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rectification_id": self.id, "default_action": action},
        }

    def action_open_return(self):
        """The 退回重改 dialog (a reason is required)."""
        return self._open_step_dialog("reject")

    def action_open_recur(self):
        """The 整改不实 dialog (a reason and a new deadline)."""
        return self._open_step_dialog("recur")

    def action_request_extension(self):
        """The 申请延期 dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request an extension"),
            "res_model": "di.rectification.extension",
            "view_mode": "form",
            "views": [(self.env.ref(EXTENSION_REQUEST_VIEW).id, "form")],
            "target": "new",
            "context": {"default_rectification_id": self.id},
        }

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

    def _warning_recipients(self, level):
        """The deadline ladder: the unit's liaison first, then its head, then the leader."""
        unit = self.unit_id or self.problem_id.unit_id
        users = self.liaison_user_id | self.responsible_user_id
        if level in ("yellow", "red"):
            users |= unit.head_user_id
        if level == "red":
            users |= unit.leader_user_id
        return users or self.env.user.browse(self.create_uid.id)

    def _plan_warning(self, level):
        activity_type = self.env.ref(f"discipline_inspection.mail_activity_deadline_{level}")
        for user in self._warning_recipients(level):
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
