import base64
from datetime import date

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from case_tracker.bulletin.issuer import Issuer, fallback
from case_tracker.bulletin.template import BulletinTemplate, TemplateError, loads_template
from case_tracker.figures import FIGURES
from case_tracker.stats.bulletin import build_bulletin_data
from case_tracker.stats.period import parse_period
from case_tracker.stats.workbook import write_workbook

from .di_workflow_guard import workflow_step

ISSUER_PARAMETER = "discipline_inspection.bulletin_issuer"
TEMPLATE_PARAMETER = "discipline_inspection.bulletin_template"


class DiBulletin(models.Model):
    """An issued statistics bulletin (通报): its figures frozen as computed, and its PDF.

    The figures are computed by ``di.statistics`` (the same code as the
    command line) as the user who generates the bulletin, then frozen: later
    corrections of the registers do not change an issued bulletin.  Sealed:
    only the server computes figures (no user, the administrator included,
    writes them through any API), a published bulletin never changes, and a
    correction is a new bulletin that supersedes it, with the reason.
    """

    _name = "di.bulletin"
    _description = "Statistics bulletin"
    _inherit = ["mail.thread", "di.workflow.guard"]
    _order = "date_to desc, id desc"

    name = fields.Char(string="Title", readonly=True, tracking=True)
    number = fields.Char(
        string="Bulletin number", tracking=True, help="e.g. 第3期 or 甬纪通〔2018〕3号"
    )
    issuing_body = fields.Char(required=True, tracking=True)
    issue_date = fields.Date(
        string="Date of issue", required=True, default=fields.Date.context_today, tracking=True
    )
    period = fields.Char(
        required=True,
        tracking=True,
        help="2018-06 (month), 2018-Q3, 2018-H1, 2018 or 2018-01-01..2018-03-31.",
    )
    period_title = fields.Char(string="Period covered", readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True, index=True)
    unit_id = fields.Many2one(
        "di.unit",
        string="Scope",
        tracking=True,
        index=True,
        help="The unit and its sub-units. Empty: every unit the author may see.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("superseded", "Superseded")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    auto = fields.Boolean(string="Drafted automatically", readonly=True, copy=False)
    generated_on = fields.Datetime(string="Figures computed on", readonly=True, copy=False)
    generated_by_id = fields.Many2one(
        "res.users", string="Figures computed by", readonly=True, copy=False
    )
    statistics = fields.Json(string="Frozen statistics", readonly=True, copy=False)
    data = fields.Json(string="Frozen bulletin data", readonly=True, copy=False)
    pdf = fields.Binary(string="PDF", attachment=True, readonly=True, copy=False)
    pdf_filename = fields.Char(readonly=True, copy=False)
    xlsx = fields.Binary(string="Tables (Excel)", attachment=True, readonly=True, copy=False)
    xlsx_filename = fields.Char(readonly=True, copy=False)
    # One frozen value per bulletin figure of case_tracker.figures, named by its key.
    for _figure in FIGURES:
        locals()[_figure.key] = fields.Integer(string=_figure.label_en, readonly=True, copy=False)
    del _figure
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    published_on = fields.Datetime(readonly=True, copy=False)
    supersedes_id = fields.Many2one(
        "di.bulletin",
        string="Corrects",
        readonly=True,
        copy=False,
        index=True,
        help="The published bulletin this one corrects; it is superseded when this one is "
        "published.",
    )
    superseded_by_id = fields.Many2one(
        "di.bulletin", string="Corrected by", readonly=True, copy=False, index=True
    )
    correction_reason = fields.Text(readonly=True, copy=False, tracking=True)
    correction_by_id = fields.Many2one(
        "res.users", string="Correction started by", readonly=True, copy=False
    )
    correction_on = fields.Datetime(string="Correction started on", readonly=True, copy=False)
    # Not indexed on its own: the unique (company, number) constraint's index leads with it.
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    #: Only the server's actions write these (computing, publishing, correcting).
    _workflow_fields = (
        "state",
        "name",
        "period_title",
        "date_from",
        "date_to",
        "auto",
        "generated_on",
        "generated_by_id",
        "statistics",
        "data",
        "pdf",
        "pdf_filename",
        "xlsx",
        "xlsx_filename",
        *(figure.key for figure in FIGURES),
        "published_by_id",
        "published_on",
        "verification_code",
        "figures_sha256",
        "pdf_sha256",
        "supersedes_id",
        "superseded_by_id",
        "correction_reason",
        "correction_by_id",
        "correction_on",
    )
    may_change = fields.Boolean(
        compute="_compute_may_change",
        help="The current user may recompute, publish or correct it (a scope of their units).",
    )

    #: What the chatter and followers may still change on a sealed bulletin.
    _SEALED_EXCEPTIONS = ("message_", "activity_", "website_message", "has_message")

    _sql_constraints = [
        (
            "number_unique",
            "unique(company_id, number)",
            "A bulletin number is used once per company.",
        )
    ]

    @api.depends_context("uid")
    def _compute_may_change(self):
        allowed = self._filtered_access("write")
        for bulletin in self:
            bulletin.may_change = bulletin in allowed

    def write(self, vals):
        sealed = self.filtered(lambda b: b.state != "draft")
        changed = [name for name in vals if not name.startswith(self._SEALED_EXCEPTIONS)]
        if sealed and changed and self._workflow_guarded():
            raise UserError(
                self.env._(
                    "Bulletin %(name)s is published and sealed: nothing on it changes. "
                    "To correct it, issue a correction that supersedes it.",
                    name=sealed[0].number or sealed[0].name,
                )
            )
        return super().write(vals)

    @api.constrains("period")
    def _check_period(self):
        for bulletin in self:
            try:
                parse_period(bulletin.period)
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Invalid period %(period)s: %(error)s", period=bulletin.period, error=error
                    )
                ) from error

    @api.model
    def _template(self) -> BulletinTemplate:
        """The commission's wording: TOML in a system parameter, else the defaults."""
        parameters = self.env["ir.config_parameter"].sudo()  # sudo: reading one setting
        text = parameters.get_param(TEMPLATE_PARAMETER)
        if not text:
            return BulletinTemplate()
        try:
            return loads_template(text, TEMPLATE_PARAMETER)
        except TemplateError as error:
            raise UserError(str(error)) from error

    @api.model
    def _issuer(self, unit=None) -> Issuer | None:
        """The commission of a scope: the unit's (or nearest ancestor's), else the top unit's."""
        Unit = self.env["di.unit"]
        return unit._issuer() if unit else Unit._top_issuer()

    @api.model
    def _default_issuer(self, unit=None) -> str:
        """发文机关 of a bulletin: the template's, else the scope's commission, else the setting."""
        template = self._template().issuing_body
        if template:
            return template
        issuer = self._issuer(unit)
        if issuer is not None:
            return issuer.name
        parameter = self.env["ir.config_parameter"].sudo()  # sudo: reading one setting
        return parameter.get_param(ISSUER_PARAMETER) or fallback().name

    @api.model
    def _next_number(self, unit, day) -> str:
        """代字通〔year〕n号: one more than the commission's bulletins of that year."""
        issuer = self._issuer(unit)
        if issuer is None or not issuer.code or not day:
            return ""
        prefix = f"{issuer.code}通〔{day.year}〕"
        # sudo: numbering counts every bulletin of the commission, also in units the user cannot see
        taken = self.sudo().search_count([("number", "=like", f"{prefix}%")])
        return issuer.number("通", day.year, taken + 1)

    def _generate(self, computed=None):
        """Compute the figures as the current user, freeze them and render the PDF.

        ``computed``: the statistics of this one bulletin, when counted already (the wizard
        counts before it creates the bulletin, so that the counting may use several
        connections: see ``LiveCounter.concurrently``).
        """
        from case_tracker.bulletin import render

        if computed is not None:
            self.ensure_one()
        for bulletin in self:
            if bulletin.state != "draft":
                raise UserError(self.env._("A published bulletin cannot be recomputed."))
            stats = computed
            if stats is None:
                stats = self.env["di.statistics"]._statistics(
                    bulletin.period, bulletin.unit_id.code or False
                )
            now = fields.Datetime.now()
            note = self.env._(
                "Source: registers of %(company)s as of %(time)s.",
                company=bulletin.company_id.name,
                time=fields.Datetime.context_timestamp(self, now).strftime("%Y-%m-%d %H:%M"),
            )
            scope = bulletin.unit_id or self.env["di.unit"].search(
                [("code", "=", stats.scope.code or False)], limit=1
            )
            integrity = bulletin._integrity_values(stats)  # the 核验码 printed in the PDF
            data = build_bulletin_data(
                stats,
                issuing_body=bulletin.issuing_body,
                number=bulletin.number or "",
                issue_date=bulletin.issue_date,
                source_note=note,
                template=self._template(),
                issuer=self._issuer(scope),
                verification_code=integrity["verification_code"],
            )
            pdf = render(data)
            period = stats.period
            scope = stats.scope.code
            if scope and not bulletin.unit_id:  # a user of one unit: their unit is the scope
                bulletin.unit_id = self.env["di.unit"].search([("code", "=", scope)], limit=1)
            with workflow_step():
                bulletin.write(
                    {
                        "name": data.title,
                        "period_title": period.title,
                        "date_from": period.start,
                        "date_to": period.end,
                        "statistics": stats.to_dict(),
                        "data": data.to_dict(),
                        "pdf": base64.b64encode(pdf),
                        "pdf_filename": f"{bulletin.number or data.title}.pdf",
                        "xlsx": base64.b64encode(write_workbook(stats)),
                        "xlsx_filename": f"{bulletin.number or data.title}-统计表.xlsx",
                        "generated_on": now,
                        "generated_by_id": self.env.user.id,
                        **{figure.key: stats.figures[figure.key] for figure in FIGURES},
                        **integrity,
                    }
                )
        return True

    def action_generate(self):
        self._generate()
        return True

    def action_publish(self):
        """印发: seal the bulletin (who and when); a correction supersedes the one it corrects."""
        for bulletin in self:
            if bulletin.state != "draft":
                continue
            if not bulletin.pdf:
                bulletin._generate()
            with workflow_step():
                bulletin._seal()  # the verification code checked, the PDF's digest stored
                bulletin.write(
                    {
                        "state": "published",
                        "published_by_id": self.env.uid,
                        "published_on": fields.Datetime.now(),
                    }
                )
                corrected = bulletin.supersedes_id
                if corrected:
                    corrected.write({"state": "superseded", "superseded_by_id": bulletin.id})
            if corrected:
                corrected._message_log(
                    body=self.env._(
                        "Superseded by %(name)s: %(reason)s",
                        name=bulletin.number or bulletin.name,
                        reason=bulletin.correction_reason,
                    )
                )
        return True

    def correct(self, reason):
        """A correction: a new draft that supersedes this published bulletin once published.

        The published bulletin stays as it was, with a link both ways; the reason,
        who and when are recorded on the correction.
        """
        self.ensure_one()
        if self.state != "published":
            raise UserError(self.env._("Only a published bulletin is corrected."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the bulletin is corrected."))
        if self.search_count([("supersedes_id", "=", self.id), ("state", "=", "draft")]):
            raise UserError(self.env._("A correction of this bulletin is already in draft."))
        correction = self.create(
            {
                "period": self.period,
                "unit_id": self.unit_id.id,
                "issuing_body": self.issuing_body,
                "issue_date": fields.Date.context_today(self),
                "number": False,
                "company_id": self.company_id.id,
            }
        )
        with workflow_step():
            correction.write(
                {
                    "supersedes_id": self.id,
                    "correction_reason": reason.strip(),
                    "correction_by_id": self.env.uid,
                    "correction_on": fields.Datetime.now(),
                }
            )
        correction._generate()
        return correction

    def action_open_correction(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct the bulletin"),
            "res_model": "di.bulletin.correction",
            "view_mode": "form",
            "target": "new",
            "context": {"default_bulletin_id": self.id},
        }

    def action_open_figure(self):
        """The records a figure counts (as they are now), in the bulletin's period and scope."""
        self.ensure_one()
        key = self.env.context.get("figure")
        if key not in {figure.key for figure in FIGURES} or not self.date_from:
            raise UserError(self.env._("Compute the figures first."))
        return self.env["di.statistics"].figure_action(
            key, self.date_from, self.date_to, self.unit_id.code or False
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(bulletin.state != "draft" for bulletin in self):
            raise UserError(self.env._("A published bulletin cannot be deleted."))

    @api.model
    def _cron_draft_monthly(self, today: date | None = None):
        """Draft last month's city-wide bulletin, once (switch off by deactivating the job)."""
        today = today or fields.Date.context_today(self)
        month = today.replace(day=1) - relativedelta(months=1)
        period = f"{month.year}-{month.month:02d}"
        if self.search_count([("period", "=", period), ("unit_id", "=", False)]):
            return False
        # No "created" line: the job runs as OdooBot, whose language would name the model in
        # English in a Chinese chatter; the record says it was drafted automatically.
        bulletin = self.with_context(mail_create_nolog=True).create(
            {
                "period": period,
                "issuing_body": self._default_issuer(),
                "issue_date": today,
                "auto": True,
            }
        )
        bulletin._generate()
        return bulletin
