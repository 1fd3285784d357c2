from odoo import fields, models

from case_tracker.domain import load

OUTCOME_KINDS = [(code, info["name_en"]) for code, info in load().outcome_kinds.items()]
FORMS = [(str(form.number), form.name_en) for form in load().forms]


class DiOutcome(models.Model):
    """Outcome for a handled person, with its four-form weight (from the domain core)."""

    _name = "di.outcome"
    _inherit = "di.master.mixin"
    _description = "Handling outcome"
    _domain_list = "outcomes"

    kind = fields.Selection(OUTCOME_KINDS, required=True)
    form = fields.Selection(FORMS, string="Four forms", required=True)
    severity = fields.Integer(
        required=True, help="Orders outcomes: the heaviest decides a person's form."
    )
    sanction = fields.Boolean(
        string="Party or government sanction",
        help="Counts towards the persons given Party or government sanctions.",
    )
    party_only = fields.Boolean(
        string="Party members only", help="A Party sanction: refused for non-members."
    )

    def _domain_values(self, entry, domain):
        values = super()._domain_values(entry, domain)
        values.update(
            kind=entry.kind,
            form=str(entry.form),
            severity=entry.severity,
            sanction=entry.sanction,
            party_only=entry.party_only,
        )
        return values
