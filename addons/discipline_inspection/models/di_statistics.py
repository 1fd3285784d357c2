"""Bulletin statistics computed inside Odoo: the live source of ``case-tracker``.

The figures and their counting rules come from ``case_tracker.figures`` and the
assembly of tables from ``case_tracker.stats.assemble``; this file only counts,
in SQL over ``_search()`` sub-queries so the caller's record rules and company
restrictions apply and no record is sent to the client.
"""

import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from datetime import date

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from case_tracker.domain import load, source_text
from case_tracker.figures import (
    BREAKDOWNS,
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
    RECTIFICATION_FIGURES,
    SUM,
    TILES,
    expand,
)
from case_tracker.schema import KINDS
from case_tracker.stats import assemble
from case_tracker.stats.period import Period, parse_period

_logger = logging.getLogger(__name__)

SUBJECT_MODELS = {kind.key: kind.model for kind in KINDS}
SCOPE_FIELDS = {
    "inspections": "unit_ids",
    "problems": "unit_id",
    "rectifications": "problem_unit_id",
    "persons": "unit_id",
}
COUNTED = {subject: list(domain) for subject, domain in COUNTED_IN_ODOO.items()}
#: The pseudo-group of a figure's total (its batch's empty grouping set).
TOTAL = "total"
#: Memory for the per-person hash aggregates of one statistics transaction.
WORK_MEM = "64MB"
#: How many database connections a whole bulletin's queries share (system parameter
#: ``discipline_inspection.statistics_connections``; 1 runs them one after the other).
CONNECTIONS_PARAMETER = "discipline_inspection.statistics_connections"
DEFAULT_CONNECTIONS = 2


def _settings(cr, together: bool = False) -> None:
    """The statistics' own settings, for this transaction only (SET LOCAL also runs on a
    read-only replica). ``together``: one of several connections running the queries."""
    # The per-person aggregates hash a few hundred thousand rows: give them memory.
    cr.execute(SQL("SET LOCAL work_mem = %s", WORK_MEM))
    # Compiling these plans (JIT) cost more than it saved on 1M problems: 0.2 s a query.
    cr.execute(SQL("SET LOCAL jit = off"))
    if together:
        # The connections are the parallelism: workers of each query on top of them
        # measured 0.3 s slower (3.9 s against 4.3 s on 1M problems, 2 cores).
        cr.execute(SQL("SET LOCAL max_parallel_workers_per_gather = 0"))


#: Opens the scans that join a many2many's relation table (see ``_planner``).
THROUGH_RELATION = "/* through a relation table */ "


@contextlib.contextmanager
def _planner(cr, sql: SQL):
    """The planner's settings for one statement of the statistics.

    A scan through a many2many's relation table (persons to their problems and outcomes,
    inspections to their units, rectifications to their follow-ups) is planned without
    hash joins: PostgreSQL then merges the counted records with the relation table's index
    instead of hashing them and reading the whole table (700,000 to 1,000,000 rows for
    1M problems), and looks up the few linked records by id. Those four queries on 1M
    problems, one connection: the city's half-year 1.96 -> 1.46 s, its year 2.71 -> 2.11 s,
    a month 0.70 -> 0.64 s, one unit's year 0.22 -> 0.16 s; a district's half-year (a tenth
    of the rows) 0.51 -> 0.56 s. The other queries join small tables (units, grades,
    ranks), where hash joins were as fast or faster: they keep them.
    """
    through = sql.code.startswith(THROUGH_RELATION)
    if through:
        cr.execute(SQL("SET LOCAL enable_hashjoin = off"))
    yield
    if through:  # (after a failed statement the transaction is over anyway)
        cr.execute(SQL("SET LOCAL enable_hashjoin TO DEFAULT"))


def _estimated_cost(cr, sql: SQL) -> float:
    """The planner's estimate of a query's cost (planned, not run)."""
    with _planner(cr, sql):
        cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", sql))
        return cr.fetchone()[0][0]["Plan"]["Total Cost"]


def _fetch(cr, sql: SQL) -> list[tuple]:
    with _planner(cr, sql):
        cr.execute(sql)
        return cr.fetchall()


def _key(sql: SQL) -> tuple[str, str]:
    return sql.code, repr(sql.params)


def _declared_figures() -> list:
    """Every figure the bulletin, its breakdowns and the dashboard declare, once each."""
    declared = [*FIGURES, *RECTIFICATION_FIGURES, *(tile.figure for tile in TILES)]
    declared += [figure for breakdown in BREAKDOWNS for _name, figure in breakdown.columns]
    return list(dict.fromkeys(declared))


def _declared_groups(subject: str) -> list[str]:
    """The groupings the breakdowns count a subject's figures by."""
    groups = [
        breakdown.group
        for breakdown in BREAKDOWNS
        if any(figure.subject == subject for _name, figure in breakdown.columns)
    ]
    return list(dict.fromkeys(groups))


def _same_family(one, other) -> bool:
    """Figures counted in one batch: same subject, and persons apart from records.

    Figures dated by different fields share the scan (each figure's window is a term
    of its own): the rectification section's five dates cost one scan, not five.
    """
    return (one.subject, one.measure == DISTINCT_PERSONS) == (
        other.subject,
        other.measure == DISTINCT_PERSONS,
    )


def _whole_month(start: date, end: date) -> bool:
    return start.day == 1 and end == (start + relativedelta(months=1, days=-1))


def _span(windows) -> tuple[date, date]:
    windows = list(windows)
    return min(start for start, _end in windows), max(end for _start, end in windows)


class LiveCounter:
    """The counts ``assemble.statistics`` needs, for one scope, as the current user.

    Counting is done in batches: the first ``count`` or ``count_by`` of a subject in a
    window computes, in one scan of that subject's records, every declared figure of
    the subject in that window, in total and per every grouping the bulletin's
    breakdowns use (``GROUPING SETS``); later calls read the batch.  Persons are
    counted distinct with a two-level aggregate (one row per person and group, then
    rows counted), which hashes where ``COUNT(DISTINCT)`` sorts once per group.
    """

    def __init__(self, env, root=None, *, grouped: bool = False):
        self.env = env
        self.root = root
        #: Whether a total brings its batch's groupings along: set for a whole bulletin,
        #: which asks a subject's totals and its breakdowns (one scan instead of two), not
        #: for a dashboard, which asks totals alone.
        self.grouped = grouped
        #: (subject, start, end, as of, persons?) -> {(figure, group): counts}
        self._batches: dict[tuple, dict] = {}
        self._conditions: dict[tuple, SQL] = {}
        self._units = None
        #: id -> code of the coded tables the groupings' keys stand for (see ``_codes``)
        self._code_tables: dict[str, dict[int, str]] = {}

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
        return self._batch(figure, TOTAL, start, end, as_of).get(None, 0)

    def _query(self, subject: str, domain: list):
        return self.env[SUBJECT_MODELS[subject]]._search(domain)

    def _rows(self, sql: SQL) -> list[tuple]:
        """The rows of one counting query: run, or noted (a rehearsal), or already
        answered (see ``concurrently``)."""
        # The joins below read columns the ORM may still hold in memory: write them first.
        self.env.flush_all()
        if self._noted is not None:
            self._noted.setdefault(_key(sql), sql)
            return []
        if self._answers is not None and _key(sql) in self._answers:
            return self._answers[_key(sql)]
        if not self._settings_done:
            _settings(self.env.cr)
            self._settings_done = True
        return _fetch(self.env.cr, sql)

    def _row(self, sql: SQL, width: int) -> tuple:
        """The one row of an aggregate without groups (zeros while rehearsing)."""
        rows = self._rows(sql)
        return rows[0] if rows else (0,) * width

    _settings_done = False
    #: While rehearsing: the queries asked, by their text and parameters.
    _noted: dict | None = None
    #: After the queries ran together: their rows, by their text and parameters.
    _answers: dict | None = None

    # -- several connections -------------------------------------------------
    def concurrently(self, build: Callable[[], object], connections: int):
        """``build()`` with its queries run over ``connections`` database connections at once.

        The queries a bulletin asks do not depend on the counts, so a first ``build()``
        (the rehearsal) only notes them; they then run over several connections that share
        this transaction's snapshot (``pg_export_snapshot``): every figure is read as of
        the same instant, as on one connection. The second ``build()`` reads their rows.
        One connection is used when the transaction has written (another connection would
        not see its changes) and in tests. On a read-only replica the other connections go
        to the replica too.
        """
        if connections < 2 or not self._may_share_snapshot():
            return build()
        self._noted = {}
        try:
            build()
            noted = self._noted
        finally:
            self._noted = None
            self._batches.clear()  # the rehearsal's batches are empty
        self._answers = self._run_together(list(noted.values()), connections)
        try:
            return build()
        finally:
            self._answers = None

    def _may_share_snapshot(self) -> bool:
        if self.env.registry.in_test_mode():  # the test cursor is one connection
            return False
        self.env.flush_all()
        # (a standby exports and imports snapshots too: checked on PostgreSQL 15)
        self.env.cr.execute(SQL("SELECT txid_current_if_assigned() IS NULL"))
        return self.env.cr.fetchone()[0]

    def _run_together(self, queries: list[SQL], connections: int) -> dict:
        """Each query's rows, the queries taken in turn by this cursor and ``connections - 1``
        more, all on this transaction's snapshot."""
        cr = self.env.cr
        _settings(cr, together=True)
        self._settings_done = True
        cr.execute(SQL("SELECT pg_export_snapshot()"))
        (snapshot,) = cr.fetchone()
        # The costliest first: the last query to start is a short one (the connections end
        # together).
        queries = sorted(queries, key=lambda sql: _estimated_cost(cr, sql), reverse=True)
        waiting: queue.SimpleQueue = queue.SimpleQueue()
        for sql in queries:
            waiting.put(sql)
        answers: dict = {}
        failures: list[BaseException] = []

        def take_turns(cursor) -> None:
            while not failures:
                try:
                    sql = waiting.get_nowait()
                except queue.Empty:
                    return
                answers[_key(sql)] = _fetch(cursor, sql)

        def helper() -> None:
            try:
                extra = self.env.registry.cursor(readonly=cr.readonly)
                try:
                    # The first statement of its transaction: the same snapshot as ``cr``.
                    extra.execute(SQL("SET TRANSACTION SNAPSHOT %s", snapshot))
                    _settings(extra, together=True)
                    take_turns(extra)
                finally:
                    extra.rollback()  # it only read
                    extra.close()
            except BaseException as error:  # raised again in the caller's thread
                failures.append(error)

        helpers = [threading.Thread(target=helper) for _n in range(connections - 1)]
        for thread in helpers:
            thread.start()
        try:
            take_turns(cr)
        except BaseException as error:  # the helpers stop at their next query
            failures.append(error)
        finally:
            for thread in helpers:
                thread.join()
        if failures:
            raise failures[0]
        return answers

    # -- SQL pieces ----------------------------------------------------------
    def _condition(self, figure, as_of: date) -> SQL:
        """A figure's own terms as a condition on its subject's table (as of a day).

        The scope, the window, what counts and the record rules are in the batch's
        base query; this is only what singles the figure out among its subject's
        records (eight-point, sanctioned, poor...).
        """
        extra = expand(figure.domain, as_of)
        key = (figure.subject, repr(extra))
        if key not in self._conditions:
            Model = self.env[SUBJECT_MODELS[figure.subject]]
            if not extra:
                condition = SQL("TRUE")
            else:
                query = Model._where_calc(extra, active_test=False)
                if query._joins:  # a path the ORM joins: the records by a sub-query
                    condition = SQL(
                        "%s IN %s",
                        SQL.identifier(Model._table, "id"),
                        Model._search(extra).subselect(),
                    )
                else:
                    condition = SQL("(%s)", query.where_clause)
            self._conditions[key] = condition
        return self._conditions[key]

    def _base(self, subject: str, date_field: str, start: date, end: date):
        """The subject's counted records in the window, within the scope, as the user sees them."""
        return self._query(subject, self.domain(subject, date_field, start, end))

    def _narrowed(self, where: SQL, figures, as_of: date, window=None) -> SQL:
        """``where`` and, when every figure has terms of its own, the records some figure
        counts: fewer rows reach the joins (the counted problems' semi-join above all).

        ``window(date_field)``: in a batch of several dates, each date's window (None
        for a figure taken as the records stand); a date whose figures include one
        without terms of its own is then its window alone.
        """
        tests = []
        for date_field in dict.fromkeys(figure.date_field for figure in figures):
            conditions = [self._condition(f, as_of) for f in figures if f.date_field == date_field]
            span = window(date_field) if window else None
            if any(condition.code == "TRUE" for condition in conditions):
                if span is None:  # a figure counts every record of the base
                    return where
                tests.append(span)
                continue
            chosen = SQL("(%s)", SQL(" OR ").join(conditions))
            tests.append(chosen if span is None else SQL("%s AND %s", span, chosen))
        return SQL("%s AND (%s)", where, SQL(" OR ").join(tests))

    @staticmethod
    def _where(query) -> SQL:
        return SQL("(%s)", query.where_clause) if query._where_clauses else SQL("TRUE")

    @staticmethod
    def _aggregate(figure, condition: SQL, alias: str) -> SQL:
        """A record figure over the rows that pass ``condition``: their number, or for a
        SUM figure their field added up (0 without rows, as the pandas back end says)."""
        if figure.measure == SUM:
            return SQL(
                "COALESCE(SUM(%s) FILTER (WHERE %s), 0)",
                SQL.identifier(alias, figure.field),
                condition,
            )
        return SQL("COUNT(*) FILTER (WHERE %s)", condition)

    @staticmethod
    def _identity(figure, alias: str) -> SQL:
        """What makes a record count once: the person's identity (as its integer), else the
        record."""
        if figure.measure == DISTINCT_PERSONS:
            return SQL.identifier(alias, "identity_id")
        return SQL.identifier(alias, "id")

    # -- the headline figures of many windows ---------------------------------
    def figures_many(self, windows: list[tuple[date, date]]) -> list[dict[str, int]]:
        """All windows at once: one scan per subject and date over the windows' span.

        Records are counted per day (``_records_by_day``) or with one ``COUNT(*) FILTER``
        per figure and window, distinct persons as ``_distinct_many`` says.
        """
        results = [{} for _window in windows]
        if not windows:
            return results
        start, end = _span(windows)
        families: dict[tuple, list] = {}
        for figure in FIGURES:
            if not figure.date_field:
                for index, window in enumerate(windows):
                    results[index][figure.key] = self.count(figure, *window)
                continue
            families.setdefault((figure.subject, figure.date_field, figure.measure), []).append(
                figure
            )
        for (subject, date_field, measure), figures in families.items():
            base = self._base(subject, date_field, start, end)
            if base.is_empty():
                counts = [0] * (len(figures) * len(windows))
            else:
                day = SQL.identifier(base.table, date_field)
                tests = [
                    SQL(
                        "%s AND %s BETWEEN %s AND %s",
                        self._condition(figure, window_end),
                        day,
                        window_start,
                        window_end,
                    )
                    for figure in figures
                    for window_start, window_end in windows
                ]
                if measure == DISTINCT_PERSONS:
                    counts = self._distinct_many(base, figures, windows, date_field)
                elif all(expand(f.domain, end) == list(f.domain) for f in figures):
                    counts = self._records_by_day(base, figures, windows, date_field)
                else:
                    per_window = [figure for figure in figures for _window in windows]
                    sql = SQL(
                        "SELECT %s FROM %s WHERE %s",
                        SQL(", ").join(
                            self._aggregate(figure, test, base.table)
                            for figure, test in zip(per_window, tests, strict=True)
                        ),
                        base.from_clause,
                        # not narrowed: some figure's terms change with the window's end
                        self._where(base),
                    )
                    counts = self._row(sql, len(per_window))
            position = iter(counts)
            for figure in figures:
                for index in range(len(windows)):
                    results[index][figure.key] = next(position)
        return results

    def _records_by_day(self, base, figures, windows, date_field) -> list[int]:
        """Record figures of each window, in the order figures x windows, from one count per
        day: a record is in one day, so a window's count is its days' counts added up.

        Only for figures whose terms do not depend on the window's end (as of a day).
        Measured on 1M problems: 0.2 s where a ``FILTER`` per figure and window (32 of
        them for a bulletin's 16 windows) took 0.4 s.
        """
        day = SQL.identifier(base.table, date_field)
        days = self._rows(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s GROUP BY 1",
                day,
                SQL(", ").join(
                    self._aggregate(figure, self._condition(figure, windows[0][1]), base.table)
                    for figure in figures
                ),
                base.from_clause,
                self._narrowed(self._where(base), figures, windows[0][1]),
            )
        )
        return [
            sum(counts[index] for on, *counts in days if start <= on <= end)
            for index in range(len(figures))
            for start, end in windows
        ]

    def _distinct_many(self, base, figures, windows, date_field) -> list[int]:
        """Distinct persons of each figure in each window, in the order figures x windows.

        Whole months in one ``GROUP BY`` month, other windows with ``FILTER``: two
        queries for all figures (``COUNT(DISTINCT)`` sorts only the rows it counts, and
        a person aggregate over the whole span measured three times slower).
        """
        day = SQL.identifier(base.table, date_field)
        identity = self._identity(figures[0], base.table)
        months = [i for i, window in enumerate(windows) if _whole_month(*window)]
        others = [i for i in range(len(windows)) if i not in months]
        found: dict[tuple[int, int], int] = {}
        if others:
            columns = [
                SQL(
                    "COUNT(DISTINCT %s) FILTER (WHERE %s AND %s BETWEEN %s AND %s)",
                    identity,
                    self._condition(figure, windows[i][1]),
                    day,
                    *windows[i],
                )
                for figure in figures
                for i in others
            ]
            row = self._row(
                SQL(
                    "SELECT %s FROM %s WHERE %s",
                    SQL(", ").join(columns),
                    base.from_clause,
                    self._where(base),
                ),
                len(columns),
            )
            cells = iter(row)
            for f in range(len(figures)):
                for i in others:
                    found[f, i] = next(cells)
        if months:
            columns = [
                SQL(
                    "COUNT(DISTINCT %s) FILTER (WHERE %s)",
                    identity,
                    self._condition(figure, max(windows[i][1] for i in months)),
                )
                for figure in figures
            ]
            # only the months' days: the span also holds the other windows' (a year ago)
            months_start, months_end = _span(windows[i] for i in months)
            per_month = {
                first: counts
                for first, *counts in self._rows(
                    SQL(
                        "SELECT date_trunc('month', %s)::date, %s FROM %s WHERE %s"
                        " AND %s BETWEEN %s AND %s GROUP BY 1",
                        day,
                        SQL(", ").join(columns),
                        base.from_clause,
                        self._where(base),
                        day,
                        months_start,
                        months_end,
                    )
                )
            }
            for i in months:
                counts = per_month.get(windows[i][0], [0] * len(figures))
                for f in range(len(figures)):
                    found[f, i] = counts[f]
        return [found[f, i] for f in range(len(figures)) for i in range(len(windows))]

    # -- counting per group ------------------------------------------------
    def count_by(self, figure, group: str, start: date, end: date, as_of: date | None = None):
        """A figure per group of a declared grouping (``case_tracker.figures.GROUPINGS``).

        Read from the batch of the figure's subject and window (see the class).
        """
        if group == BY_FORM:
            return self._count_by_form(figure, start, end, as_of)
        counts = self._batch(figure, group, start, end, as_of)
        if group == BY_UNIT:
            code_of = {unit.id: unit.code for unit in self._child_unit_records()}
            return {code_of[key]: n for key, n in counts.items() if key in code_of}
        return counts

    def _count_by_form(self, figure, start: date, end: date, as_of: date | None):
        """Each person once, at the heaviest form of the window."""
        base = self._base(figure.subject, figure.date_field, start, end)
        if base.is_empty():
            return {}
        found = self._rows(
            SQL(
                "SELECT heaviest, COUNT(*) FROM ("
                " SELECT MAX(%s) AS heaviest FROM %s WHERE %s AND %s GROUP BY %s"
                ") AS per_person GROUP BY 1",
                SQL.identifier(base.table, "form"),
                base.from_clause,
                self._where(base),
                self._condition(figure, as_of or end),
                self._identity(figure, base.table),
            )
        )
        return {int(form or 0): count for form, count in found}

    def _batch(self, figure, group: str, start: date, end: date, as_of: date | None) -> dict:
        """``figure`` per ``group`` (TOTAL: {None: n}), computed with its whole batch.

        A figure without a date field counts the records as they stand on ``as_of``, whatever
        the window. Once a batch has counted it, the batches of other windows as of the same
        day leave it out: the dashboard's windows (today, this month, this year) all end
        today, and each window's scan read every record for those figures (the open problems,
        the overdue rectifications) where its own dates have an index.
        """
        as_of = as_of or end
        persons = figure.measure == DISTINCT_PERSONS
        undated = self._batches.setdefault((figure.subject, None, None, as_of, persons), {})
        if not figure.date_field and (figure, group) in undated:
            return undated[(figure, group)]
        batch = self._batches.setdefault((figure.subject, start, end, as_of, persons), {})
        if (figure, group) not in batch:
            figures = [f for f in _declared_figures() if _same_family(f, figure)]
            figures += [] if figure in figures else [figure]
            groups = []  # a total alone: no grouping (a dashboard tile)
            if group != TOTAL or (self.grouped and not persons):
                groups = [g for g in _declared_groups(figure.subject) if g != BY_FORM]
                groups += [] if group in groups or group == TOTAL else [group]
            # A records total is one more group of the scan; a persons total is a hash of
            # every person: only when it is asked (a bulletin asks persons per group only).
            with_total = group == TOTAL or not persons
            counted = [*groups, *([TOTAL] if with_total else [])]
            figures = [
                f
                for f in figures
                if f.date_field or f == figure or any((f, g) not in undated for g in counted)
            ]
            computed = self._compute_batch(figures, groups, start, end, as_of, with_total)
            batch.update(computed)
            undated.update((key, n) for key, n in computed.items() if not key[0].date_field)
        return batch.get((figure, group), {})

    def _compute_batch(self, figures, groups, start, end, as_of, with_total=True) -> dict:
        """Every figure per group, and in total unless ``with_total`` is false, in as few
        scans of the subject as pays.

        Persons: a row per person and group (two-level), in one scan for the total and
        the groupings that give a person one row, and one scan per grouping through a
        many2many.  Records: one scan with ``COUNT(*)`` for the total and the groupings
        that give a record one row, and one ``COUNT(DISTINCT id)`` scan per grouping
        through a many2many.
        """
        subject = figures[0].subject
        date_fields = list(dict.fromkeys(figure.date_field for figure in figures))
        # One date: the window is the base query's (its index serves it); several: each
        # figure's window is a term of its own and the base takes every record counted.
        windowed = len(date_fields) > 1
        base = self._base(subject, "" if windowed else date_fields[0], start, end)
        if base.is_empty():
            totals = [TOTAL] if with_total else []
            return {(figure, group): {} for figure in figures for group in (*totals, *groups)}
        alias = base.table
        groupings = []  # (group, join, keys, multiplying, coded table)
        for group in groups:
            grouping = self._grouping(subject, group, alias)
            if grouping is not None:  # else nothing to group by (no units below the scope)
                groupings.append((group, *grouping))
        if windowed:
            conditions = [self._in_window(f, alias, start, end, as_of) for f in figures]
            where = self._narrowed(
                self._where(base),
                figures,
                as_of,
                lambda date_field: self._window(alias, date_field, start, end),
            )
        else:
            conditions = [self._condition(figure, as_of) for figure in figures]
            where = self._narrowed(self._where(base), figures, as_of)
        single = [g for g in groupings if not g[3]]
        if figures[0].measure == DISTINCT_PERSONS:
            # a grouping through a many2many in a scan of its own: its joins do not widen
            # the others' rows, and the scans can run on several connections at once
            parts = [(single, "per_person", with_total)] if with_total or single else []
            parts += [([g], "per_person", False) for g in groupings if g[3]]
        else:
            parts = [(single, "rows", True)] if single or not groups else []
            parts += [([g], "distinct", False) for g in groupings if g[3]]
        result = {
            (figure, group): {}
            for figure in figures
            for group in groups + ([TOTAL] if any(part[2] for part in parts) else [])
        }
        coded = {grouping[0]: grouping[4] for grouping in groupings if grouping[4]}
        for part_groupings, mode, part_total in parts:
            sql, owners = self._batch_sql(
                base, where, figures, conditions, part_groupings, mode, part_total
            )
            for gid, *values in self._rows(sql):
                owner, index = owners.get(gid, (None, None))
                if owner is None:
                    continue
                value = None if owner == TOTAL else values[index]
                if owner != TOTAL and value is None:
                    continue
                if owner in coded:  # an id: the group is its record's code
                    value = self._codes(coded[owner])[value]
                for figure, count in zip(
                    figures, values[len(values) - len(figures) :], strict=True
                ):
                    if count:
                        target = result[(figure, owner)]
                        target[value] = target.get(value, 0) + count
        return result

    @staticmethod
    def _window(alias: str, date_field: str, start: date, end: date) -> SQL | None:
        if not date_field:  # taken as the records stand (as of a day, in the figure's terms)
            return None
        return SQL("%s BETWEEN %s AND %s", SQL.identifier(alias, date_field), start, end)

    def _in_window(self, figure, alias: str, start: date, end: date, as_of: date) -> SQL:
        """A figure's own terms and its date in the window: its condition in a batch of
        several dates."""
        condition = self._condition(figure, as_of)
        window = self._window(alias, figure.date_field, start, end)
        if window is None:
            return condition
        if condition.code == "TRUE":
            return window
        return SQL("%s AND %s", window, condition)

    def _batch_sql(self, base, where, figures, conditions, groupings, mode, with_total):
        """One scan's SQL and, per ``GROUPING()`` value, (the group it counts, its key's column).

        ``rows``: ``COUNT(*)`` per grouping set; ``distinct``: ``COUNT(DISTINCT id)``;
        ``per_person``: one row per person (or record) and group with the figures that
        hold it there, then those rows counted.
        """
        joins = [grouping[1] for grouping in groupings]
        keys, owners_of_keys = [], []
        for group, _join, group_keys, _multiplying, _coded in groupings:
            keys += group_keys
            owners_of_keys += [group] * len(group_keys)
        names = [SQL.identifier(f"k{i}") for i in range(len(keys))]
        identity = self._identity(figures[0], base.table)
        grouping_id = SQL("GROUPING(%s)", SQL(", ").join(keys)) if keys else SQL("0")
        selected = [SQL("%s AS gid", grouping_id)]
        selected += [SQL("%s AS %s", k, n) for k, n in zip(keys, names, strict=True)]
        total = [SQL("()")] if with_total else []
        if mode == "per_person":
            sets = [SQL("(%s, %s)", k, identity) for k in keys]
            sets += [SQL("(%s)", identity)] if with_total else []
            flags = [
                SQL("bool_or(%s) AS %s", c, SQL.identifier(f"f{i}"))
                for i, c in enumerate(conditions)
            ]
            inner = SQL(
                "SELECT %s FROM %s %s WHERE %s GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(selected + flags),
                base.from_clause,
                SQL(" ").join(joins),
                where,
                SQL(", ").join(sets),
            )
            counted = [
                SQL("COUNT(*) FILTER (WHERE %s)", SQL.identifier(f"f{i}"))
                for i in range(len(conditions))
            ]
            sql = SQL(
                "SELECT gid, %s FROM (%s) AS per_group GROUP BY gid%s",
                SQL(", ").join([*names, *counted]),
                inner,
                SQL("").join(SQL(", %s", n) for n in names),
            )
        else:
            if mode == "distinct":  # only the rows the grouping holds: the outer join becomes inner
                where = SQL(
                    "%s AND (%s)", where, SQL(" OR ").join(SQL("%s IS NOT NULL", k) for k in keys)
                )
            # a SUM figure's record joins once per key of a many2many grouping: each
            # record's value adds once to each group it is in
            counted = [
                self._aggregate(figure, c, base.table)
                if mode == "rows" or figure.measure == SUM
                else SQL("COUNT(DISTINCT %s) FILTER (WHERE %s)", identity, c)
                for figure, c in zip(figures, conditions, strict=True)
            ]
            sets = [SQL("(%s)", k) for k in keys] + total
            sql = SQL(
                "SELECT %s FROM %s %s WHERE %s GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(selected + counted),
                base.from_clause,
                SQL(" ").join(joins),
                where,
                SQL(", ").join(sets),
            )
        # GROUPING() has a bit per key, set where the row is not grouped by that key.
        every = (1 << len(keys)) - 1
        owners = {every: (TOTAL, None)} if with_total else {}
        for index, owner in enumerate(owners_of_keys):
            owners[every & ~(1 << (len(keys) - 1 - index))] = (owner, index)
        if any(grouping[3] for grouping in groupings):
            sql = SQL(THROUGH_RELATION + "%s", sql)
        return sql, owners

    def _grouping(self, subject: str, group: str, alias: str):
        """(joins from the subject's table to what ``group`` groups by, its keys, whether the
        joins may give a record several rows, the table whose codes the keys' ids stand for
        or None), or None when there is nothing to group by.

        Keys are ids where the group is a record's code: an integer hashes faster than a
        text and needs no join to the coded table (persons by category: 1.12 s -> 0.90 s
        on 1M problems).
        """
        table = SQL.identifier(alias)
        if group == BY_CATEGORY:
            to_problem = SQL("")
            problem = table
            if subject == "persons":
                to_problem = self._relation_join("di.person", "problem_ids", alias, "p")
                problem = SQL("p")
            category = SQL("%s.category_id", problem)
            return (
                SQL("%s LEFT JOIN di_category c ON c.id = %s", to_problem, category),
                [category, SQL("c.parent_id")],
                subject == "persons",
                "di_category",
            )
        if group == BY_UNIT:
            units = self._child_unit_records()
            if not units:
                return None
            # A unit's parent_path lists its ancestors' ids: the child unit holding a
            # record is the id at the child units' depth, worked out once per unit
            # (OFFSET 0 keeps the planner from doing it for every joined row: 0.1 s on
            # 250k inspections).
            depth = len(units[0].parent_path.split("/")) - 1
            child_of_unit = SQL(
                "(SELECT id, NULLIF(split_part(parent_path, '/', %s), '')::int AS child"
                " FROM di_unit OFFSET 0)",
                depth,
            )
            if subject == "inspections":
                join = self._relation_join("di.inspection", "unit_ids", alias, "u", False)
                column = self.env["di.inspection"]._fields["unit_ids"].column2
                unit = SQL.identifier("u_rel", column)
            else:
                join = SQL("")
                unit = SQL.identifier(alias, SCOPE_FIELDS[subject])
            join = SQL("%s LEFT JOIN %s u ON u.id = %s", join, child_of_unit, unit)
            # ids: ``count_by`` maps them to the units' codes
            return join, [SQL("u.child")], subject == "inspections", None
        if group == BY_RANK:
            return (
                SQL("LEFT JOIN di_rank rk ON rk.id = %s", SQL.identifier(alias, "rank_id")),
                [SQL("COALESCE(rk.report_as_id, rk.id)")],  # the rank it is reported as
                False,
                "di_rank",
            )
        if group == BY_OUTCOME_KIND:
            join = self._relation_join("di.person", "outcome_ids", alias, "o")
            return join, [SQL("o.kind")], True, None
        if group == BY_GRADE:
            return SQL(""), [SQL.identifier(alias, "grade_id")], False, "di_grade"
        if group == BY_FOLLOWUP:
            join = self._relation_join("di.rectification", "followup_ids", alias, "f", False)
            column = self.env["di.rectification"]._fields["followup_ids"].column2
            return join, [SQL.identifier("f_rel", column)], True, "di_followup"
        raise ValueError(f"unknown grouping {group!r}")

    def _relation_join(
        self, model: str, field_name: str, alias: str, target: str, records: bool = True
    ) -> SQL:
        """Left-join a many2many field of ``alias``: its relation table as ``{target}_rel``
        and, with ``records``, the linked records as ``target``."""
        field = self.env[model]._fields[field_name]
        relation = SQL.identifier(f"{target}_rel")
        join = SQL(
            "LEFT JOIN %s %s ON %s.%s = %s",
            SQL.identifier(field.relation),
            relation,
            relation,
            SQL.identifier(field.column1),
            SQL.identifier(alias, "id"),
        )
        if not records:
            return join
        return SQL(
            "%s LEFT JOIN %s %s ON %s.id = %s.%s",
            join,
            SQL.identifier(self.env[field.comodel_name]._table),
            SQL.identifier(target),
            SQL.identifier(target),
            relation,
            SQL.identifier(field.column2),
        )

    def _codes(self, table: str) -> dict[int, str]:
        """id -> code of a coded table (categories, ranks, grades, follow-ups): what a
        grouping's id keys stand for. Read as the joins read them, archived records too."""
        if table not in self._code_tables:
            self.env.cr.execute(SQL("SELECT id, code FROM %s", SQL.identifier(table)))
            self._code_tables[table] = dict(self.env.cr.fetchall())
        return self._code_tables[table]

    def _child_unit_records(self):
        if self._units is None:
            self._units = self._find_child_units()
        return self._units

    def _find_child_units(self):
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
        if self._noted is not None:  # a rehearsal notes counting queries only
            return []
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
    """Entry points of the live source: one RPC call returns a bulletin's statistics.

    The public methods only read: they are marked ``@api.readonly``, so that a deployment
    with a streaming replica (``--db_replica_host``) serves them from the replica when the
    web client calls them (``/web/dataset/call_kw``), leaving the primary to the writes.
    """

    _name = "di.statistics"
    _description = "Bulletin statistics"

    @api.model
    def _counter(self, unit_code: str | None, *, grouped: bool = False) -> LiveCounter:
        """The scope: the unit asked for, which must lie within the user's units.

        Without a unit, administrators get the whole city and a user of one
        unit gets that unit (record rules would hide the rest anyway, and the
        unit table must not list units they cannot see as zeros).
        """
        user = self.env.user
        sees_all = user.has_group("discipline_inspection.group_di_admin")
        if not unit_code:
            if not sees_all and len(user.di_unit_ids) == 1:
                return LiveCounter(self.env, user.di_unit_ids, grouped=grouped)
            return LiveCounter(self.env, grouped=grouped)
        Unit = self.env["di.unit"]
        unit = Unit.search([("code", "=", unit_code)], limit=1)
        if not unit:
            raise UserError(self.env._("There is no unit with code %(code)s.", code=unit_code))
        if not sees_all and not Unit.search_count(
            [("id", "=", unit.id), ("id", "child_of", user.di_unit_ids.ids)]
        ):
            raise UserError(self.env._("Unit %(code)s is outside your units.", code=unit_code))
        return LiveCounter(self.env, unit, grouped=grouped)

    @api.model
    def _period(self, period: str) -> Period:
        try:
            return parse_period(period)
        except ValueError as error:
            message = self.env._("Invalid period %(period)s: %(error)s", period=period, error=error)
            raise UserError(message) from error

    @api.model
    @api.readonly
    def compute_statistics(self, period: str, unit_code: str | None = None) -> dict:
        """Everything a bulletin reports for a period (e.g. '2018-H1') and a unit's scope.

        The statistics contract serialised (``Statistics.to_dict``, with its version).
        """
        return self._statistics(period, unit_code).to_dict()

    @api.model
    def _statistics(self, period: str, unit_code: str | None = None):
        """The typed statistics contract (``case_tracker.stats.contract.Statistics``)."""
        counter = self._counter(unit_code, grouped=True)  # every breakdown will be asked
        root = counter.root
        code, name = (root.code, root.name) if root else (None, None)
        today = fields.Date.context_today(self)
        typed_period = self._period(period)
        return counter.concurrently(
            lambda: assemble.statistics(counter, typed_period, code, name, today),
            self._connections(),
        )

    @api.model
    def _connections(self) -> int:
        """How many database connections one bulletin's statistics may use at once."""
        # sudo: a technical setting of the deployment, read by every user who counts
        value = self.env["ir.config_parameter"].sudo().get_param(CONNECTIONS_PARAMETER)
        try:
            return max(1, int(value or DEFAULT_CONNECTIONS))
        except ValueError:
            _logger.warning("%s=%r is not a number: one connection", CONNECTIONS_PARAMETER, value)
            return 1

    @api.model
    @api.readonly
    def domain_definition(self) -> str:
        """The domain definition in force (TOML): clients read registers and label with it."""
        return source_text()

    @api.model
    @api.readonly
    def compute_figures(self, period: str, unit_code: str | None = None) -> dict[str, int]:
        """The headline figures only (cheap: one query per figure)."""
        span = self._period(period)
        return self._counter(unit_code).figures_many([(span.start, span.end)])[0]

    @api.model
    @api.readonly
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
