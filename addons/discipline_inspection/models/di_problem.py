from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.sql import create_index

from case_tracker.domain import load, rules

from .di_batch_create import by_id, commanded_ids, field_columns
from .di_workflow_guard import workflow_step

CHANNELS = [(entry.code, entry.name_en) for entry in load().exposure_channels]
#: The problem's fields the domain core's rules read: what they check, and when.
RULE_FIELDS = (
    "category_id",
    "discovery_date",
    "inspection_id",
    "exposed",
    "exposure_channel",
    "exposure_date",
    "amount",
)
RECTIFICATION_STATES = [(entry.code, entry.name_en) for entry in load().rectification_states]


class DiProblem(models.Model):
    """A problem found (发现问题), from an inspection, a letter or the media."""

    _name = "di.problem"
    _description = "Problem"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "di.workflow.guard",
        "di.reference.mixin",
        "di.batch.create",
        "di.grouped.read",
    ]
    _workflow_fields = ("state",)
    _reference_sequence = "di.problem"
    _reference_date_field = "discovery_date"
    _order = "discovery_date desc, id desc"
    _rec_name = "ref"
    _rec_names_search = ["ref", "description"]

    # indexed by its unique constraint
    ref = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    inspection_id = fields.Many2one(
        "di.inspection", string="Inspection", index=True, tracking=True, ondelete="restrict"
    )
    source = fields.Selection(
        [
            ("inspection", "Inspection"),
            ("letter", "Letters and complaints"),
            ("media", "Media"),
            ("other", "Other"),
        ],
        default="inspection",
        required=True,
        tracking=True,
    )
    # Indexed by ``init()``'s (unit, category, company): it serves lookups by unit too.
    unit_id = fields.Many2one("di.unit", string="Responsible unit", required=True, tracking=True)
    # Who is answerable, and who was handled: never shown to a liaison of the inspected unit.
    responsible = fields.Char(
        string="Responsible persons",
        tracking=True,
        groups="discipline_inspection.group_di_inspector,discipline_inspection.group_di_leader",
    )
    category_id = fields.Many2one(
        "di.category",
        string="Category",
        required=True,
        index=True,
        tracking=True,
        domain="[('child_ids', '=', False)]",
    )
    # Stored computes are not precomputed: the ORM computes them for a whole created batch at
    # flush (one query per dependency) instead of per record on a new() copy before the insert.
    eight_point = fields.Boolean(
        related="category_id.eight_point",
        store=True,
        string="Eight-point",
        index=True,
    )
    description = fields.Text(required=True, tracking=True)
    amount = fields.Float(string="Amount involved (yuan)", digits=(16, 2), tracking=True)
    discovery_date = fields.Date(
        required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    exposed = fields.Boolean(string="Publicly exposed", tracking=True, index=True)
    exposure_channel = fields.Selection(CHANNELS, tracking=True)
    exposure_date = fields.Date(tracking=True)
    exposure_link = fields.Char(tracking=True)
    typical = fields.Boolean(
        string="Typical case", tracking=True, help="Reported by name in the bulletin."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Registered")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    rectification_ids = fields.One2many("di.rectification", "problem_id", string="Rectifications")
    rectification_id = fields.Many2one(
        "di.rectification", compute="_compute_rectification_id", string="Rectification"
    )
    rectification_state = fields.Selection(
        RECTIFICATION_STATES,
        compute="_compute_rectification",
        store=True,
        string="Rectification state",
        group_expand="_expand_rectification_states",
    )
    deadline = fields.Date(
        compute="_compute_rectification",
        store=True,
        string="Rectification deadline",
    )
    grade_id = fields.Many2one(
        "di.grade", compute="_compute_rectification", store=True, string="Grade"
    )
    person_ids = fields.Many2many(
        "di.person",
        "di_person_problem_rel",
        "problem_id",
        "person_id",
        string="Handled persons",
        groups="discipline_inspection.group_di_inspector,discipline_inspection.group_di_leader",
    )
    person_count = fields.Integer(
        compute="_compute_person_count",
        string="Persons",
        groups="discipline_inspection.group_di_inspector,discipline_inspection.group_di_leader",
    )
    in_my_units = fields.Boolean(
        compute="_compute_in_my_units", search="_search_in_my_units", string="In my units"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _sql_constraints = [("ref_unique", "unique(ref)", "The problem reference must be unique.")]

    def init(self):
        # The bulletin's typical cases (典型案例) are a few dozen among a million problems:
        # a partial index finds a period's by their date (0.25 s a bulletin without it).
        create_index(
            self.env.cr,
            "di_problem_typical_discovery_date_index",
            self._table,
            ['"discovery_date"'],
            where='"typical"',
        )
        # The pivot by unit and category, and its rows' and columns' totals, as the record
        # rules filter them (by company, and by unit for a district): read from the index
        # alone, in order (1M problems: the three queries 0.43 s -> 0.16 s in psql).
        create_index(
            self.env.cr,
            "di_problem_unit_category_company_index",
            self._table,
            ['"unit_id"', '"category_id"', '"company_id"'],
        )

    def _compute_in_my_units(self):
        mine = self.search([("id", "in", self.ids), *self._search_in_my_units("=", True)])
        for problem in self:
            problem.in_my_units = problem in mine

    def _search_in_my_units(self, operator, value):
        domain = [("unit_id", "child_of", self.env.user.di_unit_ids.ids)]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.depends(
        "rectification_ids.state", "rectification_ids.deadline", "rectification_ids.grade_id"
    )
    def _compute_rectification(self):
        """The first rectification's state, deadline and grade.

        Read column by column and assigned to each group of problems sharing a value at
        once: a created batch of rectifications recomputes thousands of problems.
        """
        initial = load().initial_state()
        if not all(self._ids):  # a form's new record: its values live in the cache only
            for problem in self:
                rectification = problem.rectification_ids[:1]
                problem.rectification_state = rectification.state or initial
                problem.deadline = rectification.deadline
                problem.grade_id = rectification.grade_id
            return
        firsts = [
            ids[:1] for ids in field_columns(self, ["rectification_ids"])["rectification_ids"]
        ]
        rectifications = self.env["di.rectification"].browse(
            first for (first,) in filter(None, firsts)
        )
        own = field_columns(rectifications, ["state", "deadline", "grade_id"])
        found = {
            rid: (state, deadline, grade)
            for rid, state, deadline, grade in zip(
                rectifications._ids, own["state"], own["deadline"], own["grade_id"], strict=True
            )
        }
        groups = {"rectification_state": {}, "deadline": {}, "grade_id": {}}
        for problem_id, first in zip(self._ids, firsts, strict=True):
            state, deadline, grade = found[first[0]] if first else (False, False, False)
            groups["rectification_state"].setdefault(state or initial, []).append(problem_id)
            groups["deadline"].setdefault(deadline, []).append(problem_id)
            groups["grade_id"].setdefault(grade, []).append(problem_id)
        for name, by_value in groups.items():
            for value, ids in by_value.items():
                self.browse(ids)[name] = value

    @api.depends("rectification_ids")
    def _compute_rectification_id(self):
        for problem in self:
            problem.rectification_id = problem.rectification_ids[:1]

    def _expand_rectification_states(self, states, domain):
        return [code for code, _label in RECTIFICATION_STATES]

    @api.depends("person_ids")
    def _compute_person_count(self):
        for problem in self:
            problem.person_count = len(problem.person_ids)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._assign_references(vals_list))

    def _values_before_insert(self, stored_list):
        """Eight-point from the category; the rectification's fields of a problem created
        without one (the register's: its rectification comes after).
        """
        categories = self._existing(
            "di.category", [s.get("category_id") for s in stored_list], ["eight_point"]
        )
        initial = load().initial_state()
        result = []
        for stored in stored_list:
            values = {}
            category = categories.get(stored.get("category_id"))
            if category:
                values["eight_point"] = category.eight_point
            if commanded_ids(stored.get("rectification_ids")) == ():
                values.update(rectification_state=initial, deadline=False, grade_id=False)
            result.append(values)
        return result

    def _rule_rows(self):
        """Per problem, the logical values the domain core's rules read (docs/domain.md §5),
        read column by column for the whole recordset.
        """
        own = field_columns(self, RULE_FIELDS)
        codes = by_id(self.category_id, "code")
        inspected = by_id(self.inspection_id, "date")
        return [
            {
                "category": codes.get(own["category_id"][i], False),
                "discovery_date": own["discovery_date"][i] or None,
                "inspection_date": inspected.get(own["inspection_id"][i]) or None,
                "exposed": own["exposed"][i],
                "exposure_channel": own["exposure_channel"][i] or None,
                "exposure_date": own["exposure_date"][i] or None,
                "amount": own["amount"][i],
            }
            for i in range(len(self))
        ]

    @api.constrains(*RULE_FIELDS)
    def _check_rules(self):
        domain = load()
        for problem, values in zip(self, self._rule_rows(), strict=True):
            for violation in rules.check("problems", values, domain):
                raise ValidationError(
                    self.env._(
                        "Problem %(ref)s: %(reason)s",
                        ref=problem.ref,
                        reason=violation.message(self.env.lang),
                    )
                )

    def action_confirm(self):
        """Register the problem and open its rectification (待整改)."""
        for problem in self:
            if problem.state != "draft":
                raise UserError(
                    self.env._("Problem %(ref)s is already registered.", ref=problem.ref)
                )
        with workflow_step():
            self.state = "confirmed"
        without = self.filtered(lambda p: not p.rectification_ids)
        self.env["di.rectification"].create(
            [
                {
                    "problem_id": problem.id,
                    "unit_id": problem.unit_id.id,
                    "deadline": fields.Date.add(problem.discovery_date, months=1),
                }
                for problem in without
            ]
        )

    def action_reset_draft(self):
        for problem in self:
            started = problem.rectification_state not in (False, load().initial_state())
            if started or problem.person_ids:
                raise UserError(
                    self.env._(
                        "Problem %(ref)s already has rectification work or handled persons.",
                        ref=problem.ref,
                    )
                )
        with workflow_step():
            self.state = "draft"

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(problem.state != "draft" for problem in self):
            raise UserError(self.env._("Only draft problems can be deleted."))

    def action_view_rectification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "di.rectification",
            "view_mode": "form",
            "res_id": self.rectification_id.id,
        }

    def action_view_persons(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "discipline_inspection.action_di_person"
        )
        action["domain"] = [("problem_ids", "in", self.ids)]
        action["context"] = {"default_problem_ids": [self.id], "default_unit_id": self.unit_id.id}
        return action
