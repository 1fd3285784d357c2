from dateutil.relativedelta import relativedelta
from odoo import api, fields, models


class DiDashboard(models.TransientModel):
    """Today's counts for the current user, computed through the ORM so record rules apply."""

    _name = "di.dashboard"
    _description = "Discipline inspection dashboard"

    overdue_count = fields.Integer(compute="_compute_counts", string="Overdue rectifications")
    due_soon_count = fields.Integer(compute="_compute_counts", string="Due within 10 days")
    to_accept_count = fields.Integer(compute="_compute_counts", string="Awaiting acceptance")
    open_count = fields.Integer(compute="_compute_counts", string="Problems not closed")
    poor_count = fields.Integer(compute="_compute_counts", string="Poor grades this year")
    month_inspection_count = fields.Integer(
        compute="_compute_counts", string="Inspections this month"
    )
    month_problem_count = fields.Integer(compute="_compute_counts", string="Problems this month")
    month_eight_point_count = fields.Integer(
        compute="_compute_counts", string="Eight-point problems this month"
    )
    month_person_count = fields.Integer(
        compute="_compute_counts", string="Persons handled this month"
    )
    month_sanctioned_count = fields.Integer(
        compute="_compute_counts", string="Sanctioned this month"
    )

    def _domains(self):
        """Each tile's model and domain: the counts and the lists they open agree."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        year = today.replace(month=1, day=1)
        soon = today + relativedelta(days=10)
        return {
            "overdue_count": ("di.rectification", [("overdue", "=", True)]),
            "due_soon_count": (
                "di.rectification",
                [
                    ("state", "in", ("pending", "in_progress", "revisit")),
                    ("deadline", ">=", today),
                    ("deadline", "<=", soon),
                ],
            ),
            "to_accept_count": ("di.rectification", [("state", "=", "to_accept")]),
            "open_count": ("di.problem", [("rectification_state", "!=", "closed")]),
            "poor_count": (
                "di.rectification",
                [("poor", "=", True), ("evaluation_date", ">=", year)],
            ),
            "month_inspection_count": ("di.inspection", [("date", ">=", month)]),
            "month_problem_count": ("di.problem", [("discovery_date", ">=", month)]),
            "month_eight_point_count": (
                "di.problem",
                [("discovery_date", ">=", month), ("eight_point", "=", True)],
            ),
            "month_person_count": ("di.person", [("decision_date", ">=", month)]),
            "month_sanctioned_count": (
                "di.person",
                [("decision_date", ">=", month), ("sanctioned", "=", True)],
            ),
        }

    def _compute_display_name(self):
        # The breadcrumb shows the record's name: the dashboard's title, not "di.dashboard,1".
        for dashboard in self:
            dashboard.display_name = self.env._("Today")

    @api.depends_context("uid")
    def _compute_counts(self):
        domains = self._domains()
        counts = {
            key: self.env[model].search_count(domain) for key, (model, domain) in domains.items()
        }
        for dashboard in self:
            dashboard.update(counts)

    def action_open_tile(self):
        key = self.env.context["tile"]
        model, domain = self._domains()[key]
        return {
            "type": "ir.actions.act_window",
            "name": self._fields[key].get_description(self.env)["string"],
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
        }

    @api.model
    def action_open_dashboard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Today"),
            "res_model": self._name,
            "res_id": self.create({}).id,
            "view_mode": "form",
            "views": [(self.env.ref("discipline_inspection.di_dashboard_view_form").id, "form")],
            "target": "current",
        }
