from datetime import date

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError

from case_tracker.stats.period import parse_period

PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("half", "Half-year"),
    ("year", "Year"),
    ("range", "Date range"),
]
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = [(str(number), name) for number, name in enumerate(MONTH_NAMES, start=1)]


def _last_month(record) -> date:
    """The default period: the month before today (in the user's time zone)."""
    return fields.Date.context_today(record).replace(day=1) - relativedelta(months=1)


class DiBulletinWizard(models.TransientModel):
    """生成通报: choose the period and scope, compute, freeze and render a bulletin."""

    _name = "di.bulletin.wizard"
    _description = "Generate a statistics bulletin"

    period_type = fields.Selection(PERIOD_TYPES, required=True, default="month")
    year = fields.Integer(required=True, default=lambda self: _last_month(self).year)
    month = fields.Selection(MONTHS, default=lambda self: str(_last_month(self).month))
    quarter = fields.Selection(
        [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")],
        default=lambda self: str((_last_month(self).month - 1) // 3 + 1),
    )
    half = fields.Selection(
        [("1", "First half"), ("2", "Second half")],
        default=lambda self: "1" if _last_month(self).month <= 6 else "2",
    )
    date_from = fields.Date()
    date_to = fields.Date()
    unit_id = fields.Many2one(
        "di.unit",
        default=lambda self: self._default_unit(),
        string="Scope",
        help="The unit and its sub-units. Empty: every unit you may see.",
    )
    issuing_body = fields.Char(
        compute="_compute_issuing_body",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="The commission of the scope (or of its nearest ancestor) unless the bulletin "
        "template names one.",
    )
    number = fields.Char(
        string="Bulletin number",
        compute="_compute_number",
        store=True,
        precompute=True,
        readonly=False,
        help="e.g. 甬纪通〔2018〕3号; proposed from the commission's document code.",
    )
    issue_date = fields.Date(
        string="Date of issue", required=True, default=fields.Date.context_today
    )
    period = fields.Char(compute="_compute_period", help="The period code the bulletin records.")
    period_running = fields.Boolean(
        compute="_compute_period", help="The period has not ended: figures are as of today."
    )
    period_end = fields.Date(compute="_compute_period")

    def _default_unit(self):
        """A user of one unit reports on that unit: its commission heads the bulletin."""
        if self.env.user.has_group("discipline_inspection.group_di_admin"):
            return False
        units = self.env.user.di_unit_ids
        return units if len(units) == 1 else False

    @api.depends("unit_id")
    def _compute_issuing_body(self):
        for wizard in self:
            wizard.issuing_body = self.env["di.bulletin"]._default_issuer(wizard.unit_id)

    @api.depends("unit_id", "issue_date")
    def _compute_number(self):
        for wizard in self:
            bulletins = self.env["di.bulletin"]
            wizard.number = bulletins._next_number(wizard.unit_id, wizard.issue_date) or False

    @api.depends("period_type", "year", "month", "quarter", "half", "date_from", "date_to")
    def _compute_period(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.period = wizard._period_code()
            try:
                end = parse_period(wizard.period).end if wizard.period else False
            except ValueError:
                end = False
            wizard.period_end = end
            wizard.period_running = bool(end and end > today)

    def _period_code(self) -> str | bool:
        kind, year = self.period_type, self.year
        if kind == "month" and self.month:
            return f"{year}-{int(self.month):02d}"
        if kind == "quarter" and self.quarter:
            return f"{year}-Q{self.quarter}"
        if kind == "half" and self.half:
            return f"{year}-H{self.half}"
        if kind == "year":
            return str(year)
        if kind == "range" and self.date_from and self.date_to:
            return f"{self.date_from.isoformat()}..{self.date_to.isoformat()}"
        return False

    def action_generate(self):
        self.ensure_one()
        period = self._period_code()
        if not period:
            raise UserError(self.env._("Choose the period of the bulletin."))
        # The statistics first: a scope outside the user's units is refused with a clear
        # message before anything is created, and a transaction that has written nothing
        # yet may count over several connections.
        stats = self.env["di.statistics"]._statistics(period, self.unit_id.code or False)
        bulletin = self.env["di.bulletin"].create(
            {
                "period": period,
                "unit_id": self.unit_id.id,
                "issuing_body": self.issuing_body,
                "number": self.number,
                "issue_date": self.issue_date,
            }
        )
        bulletin._generate(stats)
        # The bulletins' own window action on the new record: with its id the web client finds
        # its menu (the app bar stays, also after a reload) and the breadcrumb keeps the way in.
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "discipline_inspection.action_di_bulletin"
        )
        action.update(
            {
                "res_id": bulletin.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
            }
        )
        return action
