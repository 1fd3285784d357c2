from odoo import api, fields, models

from case_tracker.figures import TILES, TILES_BY_KEY


class DiDashboard(models.TransientModel):
    """Today's counts for the current user: declared figures, counted as the bulletin counts.

    Each tile is a figure of ``case_tracker.figures.TILES`` counted by the live
    statistics' one counting primitive, so "this month" on the dashboard and the
    month's bulletin of the same scope give the same numbers.
    """

    _name = "di.dashboard"
    _description = "Discipline inspection dashboard"

    # One field per tile of case_tracker.figures.TILES, which says what each one counts.
    for _tile in TILES:
        locals()[_tile.key] = fields.Integer(compute="_compute_counts", string=_tile.label_en)
    del _tile

    def _window(self, tile):
        """The tile's window, ending today: (start, end, as of)."""
        today = fields.Date.context_today(self)
        start = {
            "month": today.replace(day=1),
            "year": today.replace(month=1, day=1),
            "today": today,
        }[tile.window]
        return start, today, today

    def _counter(self):
        # The user's own scope: what a bulletin of their unit counts (record rules apply).
        return self.env["di.statistics"]._counter(False)

    def _compute_display_name(self):
        # The breadcrumb shows the record's name: the dashboard's title, not "di.dashboard,1".
        for dashboard in self:
            dashboard.display_name = self.env._("Today")

    @api.depends_context("uid")
    def _compute_counts(self):
        counter = self._counter()
        counts = {tile.key: counter.count(tile.figure, *self._window(tile)) for tile in TILES}
        for dashboard in self:
            dashboard.update(counts)

    def action_open_tile(self):
        tile = TILES_BY_KEY[self.env.context["tile"]]
        model, domain = self._counter().figure_domain(tile.figure, *self._window(tile))
        return {
            "type": "ir.actions.act_window",
            "name": self._fields[tile.key].get_description(self.env)["string"],
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
