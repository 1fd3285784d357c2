from odoo import fields, models
from odoo.exceptions import AccessError

ADMIN_GROUP = "discipline_inspection.group_di_admin"
LEADER_GROUP = "discipline_inspection.group_di_leader"


class DiCrossCheckWizard(models.TransientModel):
    """交叉互查: the city assigns a team to inspect units outside its own.

    Only an administrator or a leader of a city-level unit (a unit without a
    parent) may assign one; the inspection records who assigned it, when and on
    what basis, and its chatter says so.
    """

    _name = "di.cross.check.wizard"
    _description = "Assign a cross-check"

    date = fields.Date(string="Inspection date", required=True, default=fields.Date.context_today)
    topic = fields.Char(required=True)
    unit_ids = fields.Many2many("di.unit", string="Inspected units", required=True)
    leader_id = fields.Many2one("res.users", string="Team leader", required=True)
    member_ids = fields.Many2many("res.users", string="Team members")
    team = fields.Char(string="Inspection team")
    basis = fields.Char(
        string="Assignment document",
        required=True,
        help="The decision that assigns the cross-check, e.g. its document number.",
    )

    def _check_may_assign(self):
        user = self.env.user
        city_level = user.di_unit_ids.filtered(lambda unit: not unit.parent_id)
        if not (user.has_group(ADMIN_GROUP) or (user.has_group(LEADER_GROUP) and city_level)):
            raise AccessError(
                self.env._("Only the city's leaders and administrators assign cross-checks.")
            )

    def action_assign(self):
        self.ensure_one()
        self._check_may_assign()
        # sudo: leaders write nothing by their access rights; assigning a cross-check is the
        # one record they create, checked just above and recorded with their name below.
        inspection = (
            self.env["di.inspection"]
            .sudo()
            .create(
                {
                    "date": self.date,
                    "topic": self.topic,
                    "method": "cross",
                    "unit_ids": [fields.Command.set(self.unit_ids.ids)],
                    "leader_id": self.leader_id.id,
                    "member_ids": [fields.Command.set(self.member_ids.ids)],
                    "team": self.team,
                }
            )
        )
        inspection.with_user(self.env.user).sudo()._assign_cross_check(self.basis)
        return {
            "type": "ir.actions.act_window",
            "res_model": "di.inspection",
            "res_id": inspection.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
