import base64

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from case_tracker.domain import load
from case_tracker.notice import NoticeError, build_notice

from .di_batch_fields import BatchMany2many
from .di_workflow_guard import workflow_step

METHODS = [(entry.code, entry.name_en) for entry in load().inspection_methods]
ADMIN_GROUP = "discipline_inspection.group_di_admin"


class DiInspection(models.Model):
    """A supervision inspection (监督检查): one visit, counted once, that can find problems."""

    _name = "di.inspection"
    _description = "Supervision inspection"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "di.workflow.guard",
        "di.reference.mixin",
        "di.batch.create",
        "di.grouped.read",
    ]
    _workflow_fields = (
        "state",
        "cross_check_assigned_by_id",
        "cross_check_assigned_on",
        "cross_check_basis",
    )
    _reference_sequence = "di.inspection"
    _reference_date_field = "date"
    _order = "date desc, id desc"
    _rec_name = "ref"
    _rec_names_search = ["ref", "topic"]

    # indexed by its unique constraint
    ref = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    date = fields.Date(
        string="Inspection date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        index=True,  # the inspections of a month (the dashboard, a month's bulletin)
    )
    end_date = fields.Date(tracking=True)
    calendar_end = fields.Date(
        string="Last day",
        compute="_compute_calendar_end",
        inverse="_inverse_calendar_end",
        search="_search_calendar_end",
        help="The end date, or the inspection date when the inspection has no end date "
        "(a one-day visit): what the calendar shows.",
    )
    calendar_title = fields.Char(
        string="Calendar title",
        compute="_compute_calendar_title",
        help="The topic and reference, for the calendar.",
    )
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
    unit_ids = BatchMany2many("di.unit", string="Inspected units", required=True)
    # Stored computes are not precomputed: the ORM computes them for a whole created batch at
    # flush (one query per dependency) instead of per record on a new() copy before the insert.
    unit_id = fields.Many2one(
        "di.unit",
        string="Main unit",
        compute="_compute_unit_id",
        store=True,
        index=True,
        help="The first inspected unit: decides who sees the inspection.",
    )
    findings = fields.Html()
    cross_check_assigned_by_id = fields.Many2one(
        "res.users",
        string="Cross-check assigned by",
        readonly=True,
        tracking=True,
        help="交叉互查: a team inspects units outside its own, as assigned by the city.",
    )
    cross_check_assigned_on = fields.Datetime(string="Cross-check assigned on", readonly=True)
    cross_check_basis = fields.Char(
        string="Assignment document",
        readonly=True,
        tracking=True,
        help="The decision that assigns the cross-check (e.g. its document number).",
    )
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
    notice_number = fields.Char(
        string="Notice number",
        tracking=True,
        copy=False,
        help="Document number of the rectification notice, e.g. 海纪督〔2018〕3号; "
        "proposed from the commission's document code when empty.",
    )
    notice_date = fields.Date(
        string="Notice date",
        tracking=True,
        copy=False,
        help="Date of the rectification notice; the day it is first generated when empty.",
    )
    notice_attachment_id = fields.Many2one(
        "ir.attachment", string="Rectification notice", readonly=True, copy=False
    )

    _sql_constraints = [("ref_unique", "unique(ref)", "The inspection reference must be unique.")]

    @api.depends("unit_ids")
    def _compute_unit_id(self):
        for inspection in self:
            # _origin: computed on a new record (a form's onchange), unit_ids holds new
            # records whose ids the database cannot store.
            inspection.unit_id = inspection.unit_ids[:1]._origin

    @api.depends("date", "end_date")
    def _compute_calendar_end(self):
        for inspection in self:
            inspection.calendar_end = inspection.end_date or inspection.date

    def _inverse_calendar_end(self):
        # Moved or stretched in the calendar: a one-day visit keeps no end date.
        for inspection in self:
            end = inspection.calendar_end
            inspection.end_date = end if end and end != inspection.date else False

    def _search_calendar_end(self, operator, value):
        if operator not in ("<", "<=", ">", ">=", "="):
            raise UserError(self.env._("Unsupported search on the last day."))
        return [
            "|",
            ("end_date", operator, value),
            "&",
            ("end_date", "=", False),
            ("date", operator, value),
        ]

    @api.depends("ref", "topic")
    def _compute_calendar_title(self):
        for inspection in self:
            inspection.calendar_title = (
                f"{inspection.topic} · {inspection.ref}" if inspection.topic else inspection.ref
            )

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

    def _values_before_insert(self, stored_list):
        """The main unit: the first inspected unit, as the compute reads it after create."""
        return [
            {} if units is None else {"unit_id": units[0].id if units else False}
            for units in self._x2many_after_create("unit_ids", stored_list, [])
        ]

    @api.constrains("date", "end_date")
    def _check_dates(self):
        for inspection in self:
            if inspection.end_date and inspection.end_date < inspection.date:
                raise ValidationError(
                    self.env._("Inspection %(ref)s ends before it starts.", ref=inspection.ref)
                )

    @api.constrains("unit_ids")
    def _check_units_in_scope(self):
        """An inspection targets units within its author's scope, unless the city assigned it.

        A district's team cannot open an inspection of another district on its own
        (it would count in that district's figures); 交叉互查 is assigned by a
        city-level leader or an administrator, recorded on the inspection.
        """
        if self.env.su or self.env.user.has_group(ADMIN_GROUP):
            return
        mine = self.env.user.di_unit_ids
        for inspection in self.filtered(lambda i: not i.cross_check_assigned_by_id):
            outside = inspection.unit_ids - inspection.unit_ids.filtered_domain(
                [("id", "child_of", mine.ids)]
            )
            if outside:
                raise ValidationError(
                    self.env._(
                        "Inspection %(ref)s: %(units)s is outside your units. An inspection "
                        "of other units (交叉互查) is assigned by the city.",
                        ref=inspection.ref,
                        units="、".join(outside.mapped("name")),
                    )
                )

    def _assign_cross_check(self, basis):
        """Record who assigned a 交叉互查, when and on what basis (the wizard's last step)."""
        with workflow_step():
            self.write(
                {
                    "cross_check_assigned_by_id": self.env.uid,
                    "cross_check_assigned_on": fields.Datetime.now(),
                    "cross_check_basis": basis,
                }
            )
        for inspection in self:
            inspection._message_log(
                body=self.env._(
                    "Cross-check (交叉互查) assigned by %(user)s: %(basis)s",
                    user=self.env.user.name,
                    basis=basis,
                )
            )

    def action_start(self):
        self._check_state("draft")
        with workflow_step():
            self.state = "in_progress"

    def action_done(self):
        self._check_state("in_progress")
        with workflow_step():
            self.state = "done"
        for inspection in self.filtered(lambda i: not i.end_date):
            inspection.end_date = fields.Date.context_today(self)

    def action_cancel(self):
        self._check_state("draft", "in_progress")
        with workflow_step():
            self.state = "cancelled"

    def action_reset_draft(self):
        self._check_state("cancelled")
        with workflow_step():
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

    # ------------------------------------------------------------------ 整改通知书
    def _notice_problems(self):
        return self.problem_ids.filtered(lambda p: p.state == "confirmed").sorted("ref")

    def _notice_record(self) -> dict:
        """This inspection as case_tracker.notice reads it (see its data module)."""
        self.ensure_one()
        issuer = self.unit_ids[:1]._issuer()
        leader = self.leader_id
        return {
            "ref": self.ref,
            "date": fields.Date.to_string(self.date),
            "end_date": fields.Date.to_string(self.end_date) if self.end_date else None,
            "method": self.method,
            "topic": self.topic or "",
            "team": self.team or "",
            "leader": leader.name or self.leader_name or "",
            "phone": leader.partner_id.phone or leader.partner_id.mobile or "",
            "units": [{"code": unit.code, "name": unit.name} for unit in self.unit_ids],
            "problems": [
                {
                    "ref": problem.ref,
                    "unit": problem.unit_id.name,
                    "category": problem.category_id.short_name or problem.category_id.name,
                    "description": problem.description or "",
                    "deadline": fields.Date.to_string(problem.deadline)
                    if problem.deadline
                    else None,
                    "requirement": problem.rectification_id.measures or "",
                }
                for problem in self._notice_problems()
            ],
            "issuer": None
            if issuer is None
            else {
                "name": issuer.name,
                "code": issuer.code,
                "unit_code": issuer.unit_code,
                "unit_name": issuer.unit_name,
                "top": issuer.top,
            },
        }

    @api.model
    def notice_record(self, ref):
        """RPC (case-tracker notice --url): the record of inspection ``ref``, or False."""
        inspection = self.search([("ref", "=", ref)], limit=1)
        return inspection._notice_record() if inspection else False

    def _next_notice_number(self, day) -> str:
        """代字督〔year〕n号: one more than the commission's notices of that year."""
        issuer = self.unit_ids[:1]._issuer()
        if issuer is None or not issuer.code:
            return ""
        prefix = f"{issuer.code}督〔{day.year}〕"
        # sudo: numbering counts every notice of the commission, also in units the user cannot see
        taken = self.sudo().search_count([("notice_number", "=like", f"{prefix}%")])
        return issuer.number("督", day.year, taken + 1)

    def _deliver_notice_to_liaisons(self, name, pdf, title):
        """The inspected units' liaisons receive the notice on each of their rectifications.

        They cannot read the inspection, so the notice goes where they work: attached to
        each rectification it covers, with one to-do per liaison.
        """
        rectifications = self._notice_problems().rectification_id
        datas = base64.b64encode(pdf)
        for liaison in rectifications.liaison_user_id:
            theirs = rectifications.filtered(lambda r, user=liaison: r.liaison_user_id == user)
            theirs.message_subscribe(partner_ids=liaison.partner_id.ids)
            for index, rectification in enumerate(theirs):
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": name,
                        "type": "binary",
                        "datas": datas,
                        "res_model": rectification._name,
                        "res_id": rectification.id,
                        "mimetype": "application/pdf",
                    }
                )
                rectification._message_log(
                    body=Markup("%s<br/>%s")
                    % (self.env._("Rectification notice received."), title),
                    attachment_ids=attachment.ids,
                )
                if index == 0:  # one to-do per liaison, on their first rectification
                    env = self.with_context(lang=liaison.lang or self.env.lang).env
                    # The to-do is the notification (in their activities), not an e-mail that
                    # the generating user may have no address to send from.
                    rectification.with_context(mail_activity_quick_update=True).activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=env._("Rectification notice: rectify and report by the deadline"),
                        note=title,
                        date_deadline=rectification.deadline,
                        user_id=liaison.id,
                    )

    def action_rectification_notice(self):
        """Generate the 整改通知书, attach it here and post it in the chatter."""
        from case_tracker.notice import render

        self.ensure_one()
        if not self._notice_problems():
            raise UserError(
                self.env._(
                    "Inspection %(ref)s has no registered problem: there is nothing to rectify.",
                    ref=self.ref,
                )
            )
        day = self.notice_date or fields.Date.context_today(self)
        number = self.notice_number or self._next_notice_number(day)
        try:
            data = build_notice(self._notice_record(), number=number, issue_date=day)
        except NoticeError as error:
            raise UserError(str(error)) from error
        pdf = render(data)
        name = self.env._("Rectification notice %(number)s.pdf", number=number or self.ref)
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "type": "binary",
                "datas": base64.b64encode(pdf),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self.write(
            {
                "notice_number": number or False,
                "notice_date": day,
                "notice_attachment_id": attachment.id,
            }
        )
        count = len(data.problems)
        body = Markup("%s<br/>%s") % (
            self.env._("Rectification notice generated: %(count)s problems.", count=count),
            data.title,
        )
        self._message_log(body=body, attachment_ids=attachment.ids)
        self._deliver_notice_to_liaisons(name, pdf, data.title)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
