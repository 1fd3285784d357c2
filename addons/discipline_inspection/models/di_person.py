from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from case_tracker.domain import heaviest, load, rules
from case_tracker.schema import person_identity

from .di_batch_create import by_id, field_columns
from .di_batch_fields import BatchMany2many
from .di_outcome import FORMS
from .di_workflow_guard import workflow_step


class DiPerson(models.Model):
    """A handled person (处理人员): one decision, its outcomes, the problems it answers for."""

    _name = "di.person"
    _description = "Handled person"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "di.workflow.guard",
        "di.reference.mixin",
        "di.batch.create",
        "di.grouped.read",
    ]
    _workflow_fields = ("state",)
    _reference_sequence = "di.person"
    _reference_date_field = "decision_date"
    _order = "decision_date desc, id desc"
    _rec_names_search = ["name", "ref"]

    # indexed by its unique constraint
    ref = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    name = fields.Char(required=True, tracking=True)
    identity = fields.Char(
        string="Identity key",
        tracking=True,
        help="Identifies the same person across decisions (e.g. a staff number); "
        "name and unit are used when empty.",
    )
    # Stored computes are not precomputed: the ORM computes them for a whole created batch at
    # flush (one query per dependency) instead of per record on a new() copy before the insert.
    identity_key = fields.Char(compute="_compute_identity_key", store=True, index=True)
    identity_id = fields.Many2one(
        "di.person.identity",
        compute="_compute_identity_id",
        store=True,
        index=True,
        string="Identity number",
        help="The identity key as an integer: what the statistics count distinct.",
    )
    unit_id = fields.Many2one("di.unit", string="Unit", required=True, index=True, tracking=True)
    post = fields.Char(tracking=True)
    rank_id = fields.Many2one("di.rank", string="Rank", required=True, tracking=True, index=True)
    party_member = fields.Boolean(string="Party member", tracking=True)
    problem_ids = BatchMany2many(
        "di.problem",
        "di_person_problem_rel",
        "person_id",
        "problem_id",
        string="Problems",
        required=True,
        tracking=True,
    )
    outcome_ids = BatchMany2many("di.outcome", string="Outcomes", required=True, tracking=True)
    decision_date = fields.Date(required=True, index=True, tracking=True)
    document_no = fields.Char(string="Document number", tracking=True)
    heaviest_outcome_id = fields.Many2one(
        "di.outcome",
        compute="_compute_outcome_figures",
        store=True,
        string="Heaviest outcome",
    )
    form = fields.Selection(
        FORMS,
        compute="_compute_outcome_figures",
        store=True,
        string="Four forms",
        index=True,
    )
    sanctioned = fields.Boolean(
        compute="_compute_outcome_figures",
        store=True,
        string="Party or government sanction",
        index=True,
    )
    eight_point = fields.Boolean(
        compute="_compute_eight_point",
        store=True,
        string="Eight-point",
        index=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Decided")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _sql_constraints = [("ref_unique", "unique(ref)", "The person reference must be unique.")]

    @api.depends("identity", "name", "unit_id.code")
    def _compute_identity_key(self):
        for person in self:
            person.identity_key = person_identity(
                person.identity, person.name or "", person.unit_id.code or ""
            )

    @api.depends("identity_key")
    def _compute_identity_id(self):
        saved = self.filtered("id")  # a form's new record gets its number when saved
        numbers = self.env["di.person.identity"]._ids_for(saved.mapped("identity_key"))
        for person in self:
            person.identity_id = numbers.get(person.identity_key) if person.id else False

    @api.depends("outcome_ids", "outcome_ids.severity", "outcome_ids.form")
    def _compute_outcome_figures(self):
        for person in self:
            decisive = heaviest(person.outcome_ids)
            # _origin: computed on a new record (a form's onchange), its outcomes are new
            # records whose ids the database cannot store.
            person.heaviest_outcome_id = decisive._origin if decisive else False
            person.form = decisive.form if decisive else False
            person.sanctioned = any(person.outcome_ids.mapped("sanction"))

    @api.depends("problem_ids.eight_point")
    def _compute_eight_point(self):
        for person in self:
            person.eight_point = any(person.problem_ids.mapped("eight_point"))

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._assign_references(vals_list))

    def _values_before_insert(self, stored_list):
        """Identity key and number, the outcomes' figures and eight-point, for the batch.

        What the computes give on a created person: one read of the batch's units,
        outcomes and problems, and the identity numbers registered at once.
        """
        units = self._existing("di.unit", [s.get("unit_id") for s in stored_list], ["code"])
        outcomes = self._x2many_after_create(
            "outcome_ids", stored_list, ["severity", "form", "sanction"]
        )
        problems = self._x2many_after_create("problem_ids", stored_list, ["eight_point"])
        keys = []
        for stored in stored_list:
            unit = units.get(stored.get("unit_id"))
            identity = stored.get("identity")
            keys.append(
                unit
                and person_identity(
                    None if identity in (None, False) else identity,
                    stored.get("name") or "",
                    unit.code or "",
                )
            )
        numbers = self.env["di.person.identity"]._ids_for(key for key in keys if key)
        result = []
        for key, outcome, problem in zip(keys, outcomes, problems, strict=True):
            values = {}
            if key:
                values.update(identity_key=key, identity_id=numbers.get(key, False))
            if outcome is not None:
                decisive = heaviest(outcome)
                values.update(
                    heaviest_outcome_id=decisive.id if decisive else False,
                    form=decisive.form if decisive else False,
                    sanctioned=any(o.sanction for o in outcome),
                )
            if problem is not None:
                values["eight_point"] = any(p.eight_point for p in problem)
            result.append(values)
        return result

    # ------------------------------------------------------- the rules
    def _rule_rows(self):
        """Per person, the logical values the domain core's rules read (docs/domain.md §5),
        read column by column for the whole recordset.
        """
        own = field_columns(self, ["outcome_ids", "party_member", "decision_date", "problem_ids"])
        codes = by_id(self.outcome_ids, "code")
        problems = self.problem_ids
        refs, discovered = by_id(problems, "ref"), by_id(problems, "discovery_date")
        return [
            {
                "outcomes": tuple(codes[o] for o in own["outcome_ids"][i]),
                "party_member": own["party_member"][i],
                "decision_date": own["decision_date"][i] or None,
                "problems": tuple((refs[p], discovered[p]) for p in own["problem_ids"][i]),
            }
            for i in range(len(self))
        ]

    @api.constrains("outcome_ids", "party_member", "decision_date", "problem_ids")
    def _check_rules(self):
        domain = load()
        for person, values in zip(self, self._rule_rows(), strict=True):
            for violation in rules.check("persons", values, domain):
                raise ValidationError(
                    self.env._(
                        "%(name)s: %(reason)s",
                        name=person.name,
                        reason=violation.message(self.env.lang),
                    )
                )

    @api.constrains("identity_key", "problem_ids")
    def _check_not_handled_twice(self):
        # One search for the whole recordset (a bulk import checks thousands at once).
        # Every pending column of the model written first, in one UPDATE: the search would
        # write the identity keys alone, and the other computed columns in a second UPDATE.
        self.flush_model()
        # sudo: a duplicate in a unit this user cannot see is still a duplicate;
        # the message below names no record of that unit.
        candidates = self.sudo().search(
            [
                ("identity_key", "in", list(set(self.mapped("identity_key")))),
                ("problem_ids", "in", self.problem_ids.ids),
            ]
        )
        theirs = field_columns(candidates, ["identity_key", "problem_ids"])
        handled = {}
        for other_id, key, problem_ids in zip(
            candidates._ids, theirs["identity_key"], theirs["problem_ids"], strict=True
        ):
            for problem_id in problem_ids:
                handled.setdefault((key, problem_id), set()).add(other_id)
        mine = field_columns(self, ["identity_key", "problem_ids"])
        for person, key, problem_ids in zip(
            self, mine["identity_key"], mine["problem_ids"], strict=True
        ):
            for problem_id in problem_ids:
                others = handled.get((key, problem_id), ())
                if len(others) > 1 or (others and person.id not in others):
                    problem = self.env["di.problem"].browse(problem_id)
                    raise ValidationError(
                        self.env._(
                            "%(name)s: %(reason)s",
                            name=person.name,
                            reason=rules.handled_twice(problem.ref).message(self.env.lang),
                        )
                    )

    # ------------------------------------------------------ transitions
    def action_confirm(self):
        for person in self:
            if person.state != "draft":
                raise UserError(self.env._("%(name)s is already decided.", name=person.name))
        with workflow_step():
            self.state = "confirmed"

    def action_reset_draft(self):
        with workflow_step():
            self.state = "draft"

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(person.state != "draft" for person in self):
            raise UserError(self.env._("Only draft handled persons can be deleted."))
