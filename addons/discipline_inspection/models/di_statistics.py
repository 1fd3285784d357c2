"""Bulletin statistics computed inside Odoo: the live source of ``case-tracker``.

The figures and their counting rules come from ``case_tracker.figures`` and the
assembly of tables from ``case_tracker.stats.assemble``; this file only counts,
in SQL over ``_search()`` sub-queries so the caller's record rules and company
restrictions apply and no record is sent to the client.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from case_tracker.domain import load, source_text
from case_tracker.figures import (
    BY_CATEGORY,
    BY_FOLLOWUP,
    BY_FORM,
    BY_GRADE,
    BY_OUTCOME_KIND,
    BY_RANK,
    BY_UNIT,
    COUNTED_IN_ODOO,
    DISTINCT_PERSONS,
    DRILLABLE,
    FIGURES,
    SUM,
    expand,
)
from case_tracker.schema import KINDS
from case_tracker.stats import assemble
from case_tracker.stats.period import Period, parse_period

SUBJECT_MODELS = {kind.key: kind.model for kind in KINDS}
SCOPE_FIELDS = {
    "inspections": "unit_ids",
    "problems": "unit_id",
    "rectifications": "problem_unit_id",
    "persons": "unit_id",
}
COUNTED = {subject: list(domain) for subject, domain in COUNTED_IN_ODOO.items()}


def _whole_month(start: date, end: date) -> bool:
    return start.day == 1 and end == (start + relativedelta(months=1, days=-1))


def _span(windows) -> tuple[date, date]:
    windows = list(windows)
    return min(start for start, _end in windows), max(end for _start, end in windows)


class LiveCounter:
    """The counts ``assemble.statistics`` needs, for one scope, as the current user."""

    def __init__(self, env, root=None):
        self.env = env
        self.root = root

    # -- domains ---------------------------------------------------------
    def domain(self, subject: str, date_field: str, start: date, end: date, extra=()) -> list:
        """The records of a subject dated in [start, end] within the scope (also the drill-down).

        Without a date field, the records are taken as they stand (``extra`` holds
        the as-of terms, already spelled out by ``figures.expand``).
        """
        window = [(date_field, ">=", start), (date_field, "<=", end)] if date_field else []
        domain = [*window, *COUNTED[subject], *extra]
        if self.root:
            domain.append((SCOPE_FIELDS[subject], "child_of", self.root.id))
        return domain

    def figure_domain(self, figure, start: date, end: date, as_of: date | None = None):
        """(model, domain) of the records a figure counts: also its drill-down."""
        extra = expand(figure.domain, as_of or end)
        domain = self.domain(figure.subject, figure.date_field, start, end, extra)
        return SUBJECT_MODELS[figure.subject], domain

    def count(self, figure, start: date, end: date, as_of: date | None = None) -> int:
        """The one counting primitive: any declared figure, in a window, as of a day."""
        _model, domain = self.figure_domain(figure, start, end, as_of)
        query = self._query(figure.subject, domain)
        ((count,),) = self._rows(query.select(self._measure(figure, query.table)))
        return count

    def _query(self, subject: str, domain: list):
        return self.env[SUBJECT_MODELS[subject]]._search(domain)

    def _rows(self, sql: SQL) -> list[tuple]:
        # The joins below read columns the ORM may still hold in memory: write them first.
        self.env.flush_all()
        self.env.cr.execute(sql)
        return self.env.cr.fetchall()

    # -- the Counter interface -------------------------------------------
    def _measure(self, figure, alias: str, joined: bool = False) -> SQL:
        """Persons count distinct people; records count rows (distinct ids over a join); a
        SUM figure adds up its field (0 without records, as pandas says)."""
        if figure.measure == DISTINCT_PERSONS:
            return SQL("COUNT(DISTINCT %s)", SQL.identifier(alias, "identity_key"))
        if figure.measure == SUM:  # over the rows of one record each (no fan-out join)
            return SQL("COALESCE(SUM(%s), 0)", SQL.identifier(alias, figure.field))
        if joined:
            return SQL("COUNT(DISTINCT %s)", SQL.identifier(alias, "id"))
        return SQL("COUNT(*)")

    def figures_many(self, windows: list[tuple[date, date]]) -> list[dict[str, int]]:
        """All windows at once: whole months in one GROUP BY month, others with FILTER."""
        results = [{} for _window in windows]
        months = {i: w for i, w in enumerate(windows) if _whole_month(*w)}
        others = {i: w for i, w in enumerate(windows) if i not in months}
        for figure in FIGURES:
            if others:
                query = self._figure_query(figure, *_span(others.values()))
                day = SQL.identifier(query.table, figure.date_field)
                measure = self._measure(figure, query.table)
                columns = [
                    SQL("%s FILTER (WHERE %s BETWEEN %s AND %s)", measure, day, start, end)
                    for start, end in others.values()
                ]
                (counts,) = self._rows(query.select(*columns))
                for index, count in zip(others, counts, strict=True):
                    results[index][figure.key] = count
            if months:
                query = self._figure_query(figure, *_span(months.values()))
                day = SQL.identifier(query.table, figure.date_field)
                per_month = dict(
                    self._rows(
                        SQL(
                            "SELECT date_trunc('month', %s)::date, %s FROM %s WHERE %s GROUP BY 1",
                            day,
                            self._measure(figure, query.table),
                            query.from_clause,
                            query.where_clause,
                        )
                    )
                )
                for index, (start, _end) in months.items():
                    results[index][figure.key] = per_month.get(start, 0)
        return results

    def _figure_query(self, figure, start: date, end: date):
        _model, domain = self.figure_domain(figure, start, end)
        return self._query(figure.subject, domain)

    # -- counting per group ------------------------------------------------
    def count_by(self, figure, group: str, start: date, end: date, as_of: date | None = None):
        """A figure per group of a declared grouping (``case_tracker.figures.GROUPINGS``).

        One query: the figure's records (a ``_search`` sub-query, record rules
        apply) joined to what the grouping groups by.
        """
        _model, domain = self.figure_domain(figure, start, end, as_of)
        records = self._query(figure.subject, domain).subselect()
        if group == BY_FORM:  # each person once, at the heaviest form of the window
            found = self._rows(
                SQL(
                    """
                    SELECT heaviest, COUNT(*) FROM (
                        SELECT MAX(form) AS heaviest FROM di_person
                         WHERE id IN %s GROUP BY identity_key
                    ) AS per_person GROUP BY 1
                    """,
                    records,
                )
            )
            return {int(form or 0): count for form, count in found}
        joins, keys = self._grouping(figure.subject, group)
        table = SQL.identifier(self.env[SUBJECT_MODELS[figure.subject]]._table)
        if figure.measure == DISTINCT_PERSONS:
            measure = SQL("COUNT(DISTINCT t.identity_key)")
        elif figure.measure == SUM:
            # A record joins once per key of the groupings SUM figures use (unit, grade,
            # follow-up): each record's value counts once per group.
            measure = SQL("SUM(t.%s)", SQL.identifier(figure.field))
        else:  # a record counts once per group, however many ways it falls in it
            measure = SQL("COUNT(DISTINCT t.id)")
        sets = SQL(", ").join(SQL("(%s)", key) for key in keys)
        found = self._rows(
            SQL(
                "SELECT %s, %s FROM %s t %s WHERE t.id IN %s GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(keys),
                measure,
                table,
                joins,
                records,
                sets,
            )
        )
        counts = {}
        for *key_values, count in found:
            key = next((value for value in key_values if value is not None), None)
            if key is not None:
                counts[key] = count
        if group == BY_UNIT:
            code_of = {unit.id: unit.code for unit in self._child_unit_records()}
            return {code_of[key]: n for key, n in counts.items() if key in code_of}
        return counts

    def _grouping(self, subject: str, group: str) -> tuple[SQL, list[SQL]]:
        """The joins from a subject's table ``t`` to what ``group`` groups by, and its keys."""
        if group == BY_CATEGORY:
            to_problem = SQL("")
            problem = SQL("t")
            if subject == "persons":
                to_problem = self._relation_join("di.person", "problem_ids", "t", "p")
                problem = SQL("p")
            return (
                SQL(
                    "%s JOIN di_category c ON c.id = %s.category_id "
                    "LEFT JOIN di_category g ON g.id = c.parent_id",
                    to_problem,
                    problem,
                ),
                [SQL("c.code"), SQL("g.code")],
            )
        if group == BY_UNIT:
            units = self._child_unit_records()
            if not units:
                return SQL("JOIN di_unit u ON FALSE"), [SQL("NULL::int")]
            # A unit's parent_path lists its ancestors' ids: the child unit holding a
            # record is the id at the child units' depth.
            depth = len(units[0].parent_path.split("/")) - 1
            if subject == "inspections":
                join = self._relation_join("di.inspection", "unit_ids", "t", "u")
            else:
                join = SQL("JOIN di_unit u ON u.id = t.%s", SQL.identifier(SCOPE_FIELDS[subject]))
            return join, [SQL("NULLIF(split_part(u.parent_path, '/', %s), '')::int", depth)]
        if group == BY_RANK:
            return (
                SQL(
                    "JOIN di_rank rk ON rk.id = t.rank_id "
                    "LEFT JOIN di_rank ra ON ra.id = rk.report_as_id"
                ),
                [SQL("COALESCE(ra.code, rk.code)")],
            )
        if group == BY_OUTCOME_KIND:
            return self._relation_join("di.person", "outcome_ids", "t", "o"), [SQL("o.kind")]
        if group == BY_GRADE:
            return SQL("JOIN di_grade gr ON gr.id = t.grade_id"), [SQL("gr.code")]
        if group == BY_FOLLOWUP:
            join = self._relation_join("di.rectification", "followup_ids", "t", "f")
            return join, [SQL("f.code")]
        raise ValueError(f"unknown grouping {group!r}")

    def _relation_join(self, model: str, field_name: str, alias: str, target: str) -> SQL:
        """Join the records of a many2many field of ``alias`` as ``target``."""
        field = self.env[model]._fields[field_name]
        relation = SQL.identifier(f"{target}_rel")
        return SQL(
            "JOIN %s %s ON %s.%s = %s.id JOIN %s %s ON %s.id = %s.%s",
            SQL.identifier(field.relation),
            relation,
            relation,
            SQL.identifier(field.column1),
            SQL.identifier(alias),
            SQL.identifier(self.env[field.comodel_name]._table),
            SQL.identifier(target),
            SQL.identifier(target),
            relation,
            SQL.identifier(field.column2),
        )

    def _child_unit_records(self):
        Unit = self.env["di.unit"]
        if self.root:
            return Unit.search([("parent_id", "=", self.root.id)], order="id") or self.root
        roots = Unit.search([("parent_id", "=", False)], order="id")
        if len(roots) == 1:
            return Unit.search([("parent_id", "=", roots.id)], order="id")
        return roots

    def child_units(self) -> list[tuple[str, str, str]]:
        return [(unit.code, unit.name, unit.kind or "") for unit in self._child_unit_records()]

    def typical_cases(self, start: date, end: date) -> list[dict]:
        domain = load()
        problems = self.env["di.problem"].search(
            self.domain("problems", "discovery_date", start, end, [("typical", "=", True)]),
            order="discovery_date, ref",
        )
        cases = []
        for problem in problems:
            persons = problem.person_ids.filtered(lambda p: p.state == "confirmed")
            cases.append(
                {
                    "ref": problem.ref,
                    "unit": problem.unit_id.name,
                    "category": domain.category(problem.category_id.code).label,
                    "description": problem.description,
                    "discovery_date": problem.discovery_date.isoformat(),
                    "amount": problem.amount if problem.amount > 0 else None,
                    "persons": [
                        {
                            "name": person.name,
                            "post": person.post or "",
                            "unit": person.unit_id.name,
                            "outcomes": assemble.outcome_names(person.outcome_ids.mapped("code")),
                            "decision_date": person.decision_date.isoformat(),
                        }
                        for person in persons.sorted("ref")
                    ],
                }
            )
        return cases


class DiStatistics(models.AbstractModel):
    """Entry points of the live source: one RPC call returns a bulletin's statistics."""

    _name = "di.statistics"
    _description = "Bulletin statistics"

    @api.model
    def _counter(self, unit_code: str | None) -> LiveCounter:
        """The scope: the unit asked for, which must lie within the user's units.

        Without a unit, administrators get the whole city and a user of one
        unit gets that unit (record rules would hide the rest anyway, and the
        unit table must not list units they cannot see as zeros).
        """
        user = self.env.user
        sees_all = user.has_group("discipline_inspection.group_di_admin")
        if not unit_code:
            if not sees_all and len(user.di_unit_ids) == 1:
                return LiveCounter(self.env, user.di_unit_ids)
            return LiveCounter(self.env)
        Unit = self.env["di.unit"]
        unit = Unit.search([("code", "=", unit_code)], limit=1)
        if not unit:
            raise UserError(self.env._("There is no unit with code %(code)s.", code=unit_code))
        if not sees_all and not Unit.search_count(
            [("id", "=", unit.id), ("id", "child_of", user.di_unit_ids.ids)]
        ):
            raise UserError(self.env._("Unit %(code)s is outside your units.", code=unit_code))
        return LiveCounter(self.env, unit)

    @api.model
    def _period(self, period: str) -> Period:
        try:
            return parse_period(period)
        except ValueError as error:
            message = self.env._("Invalid period %(period)s: %(error)s", period=period, error=error)
            raise UserError(message) from error

    @api.model
    def compute_statistics(self, period: str, unit_code: str | None = None) -> dict:
        """Everything a bulletin reports for a period (e.g. '2018-H1') and a unit's scope.

        The statistics contract serialised (``Statistics.to_dict``, with its version).
        """
        return self._statistics(period, unit_code).to_dict()

    @api.model
    def _statistics(self, period: str, unit_code: str | None = None):
        """The typed statistics contract (``case_tracker.stats.contract.Statistics``)."""
        counter = self._counter(unit_code)
        root = counter.root
        code, name = (root.code, root.name) if root else (None, None)
        today = fields.Date.context_today(self)
        return assemble.statistics(counter, self._period(period), code, name, today)

    @api.model
    def domain_definition(self) -> str:
        """The domain definition in force (TOML): clients read registers and label with it."""
        return source_text()

    @api.model
    def compute_figures(self, period: str, unit_code: str | None = None) -> dict[str, int]:
        """The headline figures only (cheap: one query per figure)."""
        span = self._period(period)
        return self._counter(unit_code).figures_many([(span.start, span.end)])[0]

    @api.model
    def figure_action(self, key: str, start, end, unit_code: str | None = None) -> dict:
        """The list of the records a figure counts: the drill-down of a bulletin figure
        (a headline figure or one of the rectification section's)."""
        figure = DRILLABLE[key]
        model, domain = self._counter(unit_code).figure_domain(
            figure, fields.Date.to_date(start), fields.Date.to_date(end)
        )
        chinese = (self.env.lang or "").startswith("zh")
        return {
            "type": "ir.actions.act_window",
            "name": figure.label if chinese else figure.label_en,
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }
