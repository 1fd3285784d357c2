"""The file backend: bulletin figures evaluated on a :class:`Dataset` with pandas.

Every figure comes from :data:`case_tracker.figures.FIGURES`; the Odoo-style
domain of a figure is evaluated here on a DataFrame, as the live backend
evaluates it on the server.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from case_tracker.domain import load
from case_tracker.figures import (
    BY_CATEGORY,
    BY_FOLLOWUP,
    BY_FORM,
    BY_GRADE,
    BY_OUTCOME_KIND,
    BY_RANK,
    BY_UNIT,
    DISTINCT_PERSONS,
    FIGURES,
    SUM,
    Figure,
    expand,
)
from case_tracker.stats import assemble
from case_tracker.stats.contract import Statistics
from case_tracker.stats.dataset import UNIT_COLUMN, Dataset
from case_tracker.stats.period import Period

_COMPARE = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def evaluate_domain(frame: pd.DataFrame, domain: Sequence) -> pd.Series:
    """A boolean mask for an Odoo-style domain (prefix ``&``/``|``/``!``, implicit AND)."""
    items = list(domain)
    if not items:
        return pd.Series(True, index=frame.index)

    def parse(position: int) -> tuple[pd.Series, int]:
        item = items[position]
        if item == "&" or item == "|":
            left, position = parse(position + 1)
            right, position = parse(position)
            return (left & right if item == "&" else left | right), position
        if item == "!":
            inner, position = parse(position + 1)
            return ~inner, position
        field, op, value = item
        return _term(frame[field], op, value, item), position + 1

    masks = []
    position = 0
    while position < len(items):
        mask, position = parse(position)
        masks.append(mask)
    result = masks[0]
    for mask in masks[1:]:
        result &= mask
    return result


def _term(column: pd.Series, op: str, value: object, item: object) -> pd.Series:
    """One term with the semantics of ``case_tracker.domain.predicate.term``."""
    if isinstance(value, date):
        value = pd.Timestamp(value)
    if value is False and op in ("=", "!="):
        empty = column.isna() | column.eq(False)
        return empty if op == "=" else ~empty
    if op == "in":
        mask = column.isin(list(value))  # type: ignore[arg-type]
    elif op == "not in":
        mask = ~column.isin(list(value))  # type: ignore[arg-type]
    elif op in _COMPARE:
        mask = _COMPARE[op](column, value)
    else:
        raise ValueError(f"unsupported operator {op!r} in {item!r}")
    return mask.fillna(False).astype(bool)


def in_scope(dataset: Dataset, subject: str, units: set[str] | None) -> pd.Series:
    frame = dataset.frame(subject)
    if units is None:
        return pd.Series(True, index=frame.index)
    column = frame[UNIT_COLUMN[subject]]
    if subject == "inspections":
        return column.map(lambda codes: bool(units & set(codes)))
    return column.isin(units)


def _each(column: pd.Series, key) -> list:
    """``column.map(key)`` over plain Python values: pandas' string arrays hand ``map`` one
    element at a time through ``__getitem__``, several times slower than ``tolist()``."""
    return [key(value) for value in column.tolist()]


def _present(value) -> bool:
    """Not None nor NaN (what pandas' ``notna`` keeps)."""
    return value is not None and value == value


def in_period(frame: pd.DataFrame, date_field: str, start: date, end: date) -> pd.Series:
    """Inclusive at both ends; an empty date is in no period."""
    days = frame[date_field]
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def select(
    dataset: Dataset,
    figure: Figure,
    start: date,
    end: date,
    units: set[str] | None,
    as_of: date | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The records a figure counts in [start, end] and a scope (also the drill-down).

    A figure without a date field is taken as of ``as_of`` (default: ``end``).  Counting
    asks for the ``columns`` it reads only: copying every column of the selected rows
    (long texts included) was most of the time of the sample's statistics.
    """
    frame = dataset.frame(figure.subject)
    mask = in_scope(dataset, figure.subject, units) & evaluate_domain(
        frame, expand(figure.domain, as_of or end)
    )
    if figure.date_field:
        mask &= in_period(frame, figure.date_field, start, end)
    return frame[mask] if columns is None else frame.loc[mask, list(columns)]


#: The column that identifies a record of each subject (a record counts once per group).
_ID = {"inspections": "ref", "problems": "ref", "rectifications": "problem_ref", "persons": "ref"}


def measure(frame: pd.DataFrame, figure: Figure) -> int:
    """Problems and inspections count records; persons count distinct people; a SUM figure
    adds up its field."""
    if figure.measure == DISTINCT_PERSONS:
        return int(frame["identity_key"].nunique())
    if figure.measure == SUM:
        return int(frame[figure.field].sum())
    return len(frame)


def measured_column(figure: Figure) -> str:
    """The column :func:`measure` and the groupings count by."""
    return "identity_key" if figure.measure == DISTINCT_PERSONS else _ID[figure.subject]


def _measure_columns(figure: Figure) -> tuple[str, ...]:
    """The columns counting a figure reads: its identifier, and the field a SUM adds up."""
    return (measured_column(figure), *((figure.field,) if figure.measure == SUM else ()))


#: The columns each grouping reads (those of them the subject has).
_GROUP_COLUMNS = {
    BY_CATEGORY: ("category", "problem_refs"),
    BY_UNIT: tuple(dict.fromkeys(UNIT_COLUMN.values())),
    BY_RANK: ("ccdi_rank",),
    BY_OUTCOME_KIND: ("outcomes",),
    BY_GRADE: ("grade",),
    BY_FOLLOWUP: ("followups",),
    BY_FORM: ("form", "identity_key"),
}


class PandasCounter:
    """The file backend's counts for one scope (a set of unit codes, or everything)."""

    def __init__(self, dataset: Dataset, units: set[str] | None, root: str | None = None):
        self.dataset = dataset
        self.units = units
        self.root = root

    def _problems(self, start: date, end: date) -> pd.DataFrame:
        frame = self.dataset.problems
        return frame[
            in_period(frame, "discovery_date", start, end)
            & in_scope(self.dataset, "problems", self.units)
        ]

    # -- the counting primitive ------------------------------------------
    def count(self, figure: Figure, start: date, end: date, as_of: date | None = None) -> int:
        """Any declared figure, in a window, as of a day."""
        columns = _measure_columns(figure)
        return measure(select(self.dataset, figure, start, end, self.units, as_of, columns), figure)

    def count_by(
        self, figure: Figure, group: str, start: date, end: date, as_of: date | None = None
    ) -> dict:
        """The same, per group of a declared grouping (``figures.GROUPINGS``)."""
        if group not in _GROUP_COLUMNS:
            raise ValueError(f"unknown grouping {group!r}")
        source = self.dataset.frame(figure.subject)
        wanted = {*_GROUP_COLUMNS[group], *_measure_columns(figure)}
        columns = [column for column in source.columns if column in wanted]
        frame = select(self.dataset, figure, start, end, self.units, as_of, columns)
        if group == BY_FORM:  # each person once, at the heaviest form of the window
            heaviest = frame.groupby("identity_key")["form"].max()
            return {int(form): int(n) for form, n in heaviest.value_counts().items()}
        # A record counts once per group, however many ways it falls in it (a person: once
        # per identity): the distinct identifiers of each key, keys in sorted order.  A SUM
        # figure adds up the field of those records, each record once per group.
        keys = self._group_keys(frame, group, figure.subject)
        values = frame[figure.field].tolist() if figure.measure == SUM else None
        members: dict = {}
        for position, (record_keys, identifier) in enumerate(
            zip(keys, frame[measured_column(figure)].tolist(), strict=True)
        ):
            if not _present(identifier):
                continue
            for key in record_keys:
                if _present(key):
                    members.setdefault(key, {})[identifier] = (
                        values[position] if values is not None else 1
                    )
        if values is not None:
            return {key: int(sum(members[key].values())) for key in sorted(members)}
        return {key: len(members[key]) for key in sorted(members)}

    def _group_keys(self, frame: pd.DataFrame, group: str, subject: str) -> list[tuple]:
        """Each record's keys in ``group`` (a tuple: a record may fall in several)."""
        domain = load()
        if group == BY_CATEGORY:
            parent_of = {c.code: c.parent for c in domain.categories}

            def with_parents(codes) -> tuple:
                return tuple({*codes, *(parent_of[c] for c in codes if parent_of[c])})

            if "category" in frame:
                return _each(frame["category"], lambda code: with_parents((code,)))
            problems = self.dataset.problems
            category_of = dict(
                zip(problems["ref"].tolist(), problems["category"].tolist(), strict=True)
            )
            return _each(
                frame["problem_refs"],
                lambda refs: with_parents(tuple({category_of.get(r) for r in refs} - {None})),
            )
        if group == BY_UNIT:
            child = self._child_of_unit
            return _each(
                frame[UNIT_COLUMN[subject]],
                lambda codes: tuple(
                    {child.get(code) for code in (codes if isinstance(codes, tuple) else (codes,))}
                    - {None}
                ),
            )
        if group == BY_RANK:
            return _each(frame["ccdi_rank"], lambda code: (code,))
        if group == BY_OUTCOME_KIND:
            return _each(
                frame["outcomes"],
                lambda codes: tuple({domain.outcome(code).kind for code in codes}),
            )
        if group == BY_GRADE:
            return _each(frame["grade"], lambda code: (code,) if code else ())
        if group == BY_FOLLOWUP:
            return _each(frame["followups"], tuple)
        if group == BY_FORM:
            return _each(frame["form"], lambda form: (form,))
        raise ValueError(f"unknown grouping {group!r}")

    @functools.cached_property
    def _child_of_unit(self) -> dict[str, str]:
        """Unit code -> the unit of :meth:`child_units` that holds it."""
        return {
            member: code
            for code, *_rest in self.child_units()
            for member in self.dataset.descendants(code)
        }

    # -- what the assembly asks for -------------------------------------
    def figures_many(self, windows: list[tuple[date, date]]) -> list[dict[str, int]]:
        """:meth:`count` of every headline figure for each window (scope and domain once)."""
        results: list[dict[str, int]] = [{} for _window in windows]
        for figure in FIGURES:
            frame = self.dataset.frame(figure.subject)
            span_end = max(end for _start, end in windows)
            mask = in_scope(self.dataset, figure.subject, self.units) & evaluate_domain(
                frame, expand(figure.domain, span_end)
            )
            days = frame.loc[mask, figure.date_field].to_numpy()  # NaT is in no window
            distinct = figure.measure == DISTINCT_PERSONS
            people = frame.loc[mask, "identity_key"].to_numpy() if distinct else None
            summed = frame.loc[mask, figure.field].to_numpy() if figure.measure == SUM else None
            for result, (start, end) in zip(results, windows, strict=True):
                inside = (days >= np.datetime64(start)) & (days <= np.datetime64(end))
                if summed is not None:  # as measure(): the field added up
                    result[figure.key] = int(summed[inside].sum())
                elif people is None:
                    result[figure.key] = int(inside.sum())
                else:  # as measure(): distinct non-empty identities
                    result[figure.key] = len({p for p in people[inside] if _present(p)})
        return results

    def child_units(self) -> list[tuple[str, str, str]]:
        units = self.dataset.units
        parents = units["parent_code"].fillna("")
        if self.root is None:
            roots = set(units.loc[parents == "", "code"])
            mask = parents.isin(roots) if len(roots) == 1 else units["code"].isin(roots)
        else:
            mask = parents == self.root
            if not mask.any():
                mask = units["code"] == self.root
        chosen = units.loc[mask]
        return list(zip(chosen["code"], chosen["name"], chosen["kind"].fillna(""), strict=True))

    def typical_cases(self, start: date, end: date) -> list[dict]:
        """Problems flagged typical, discovered in the period, with their handled persons."""
        domain = load()
        problems = self._problems(start, end)
        problems = problems[problems["typical"].eq(True)].sort_values(["discovery_date", "ref"])
        persons = self.dataset.persons
        names = self.dataset.unit_names()
        wanted = set(problems["ref"].tolist())
        rows_of: dict[str, list[int]] = {}  # each problem's persons, by position, in order
        for position, refs in enumerate(persons["problem_refs"].tolist()):
            for ref in wanted.intersection(refs):
                rows_of.setdefault(ref, []).append(position)
        cases = []
        for problem in problems.itertuples():
            people = persons.iloc[rows_of.get(problem.ref, [])]
            cases.append(
                {
                    "ref": problem.ref,
                    "unit": names.get(problem.unit_code, problem.unit_code),
                    "category": domain.category(problem.category).label,
                    "description": problem.description,
                    "discovery_date": problem.discovery_date.date().isoformat(),
                    "amount": float(problem.amount) if problem.amount > 0 else None,
                    "persons": [
                        {
                            "name": p.name,
                            "post": p.post if isinstance(p.post, str) else "",
                            "unit": names.get(p.unit_code, p.unit_code),
                            "outcomes": assemble.outcome_names(p.outcomes),
                            "decision_date": p.decision_date.date().isoformat(),
                        }
                        for p in people.sort_values("ref").itertuples()
                    ],
                }
            )
        return cases


def figures(dataset: Dataset, period: Period, units: set[str] | None = None) -> dict[str, int]:
    return PandasCounter(dataset, units).figures_many([(period.start, period.end)])[0]


def category_table(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    return assemble.category_rows(PandasCounter(dataset, units), period)


def four_forms(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    return assemble.form_rows(PandasCounter(dataset, units), period)


def statistics(
    dataset: Dataset, period: Period, unit: str | None = None, today: date | None = None
) -> Statistics:
    """Everything a bulletin reports for a period and scope (the file backend)."""
    units = dataset.descendants(unit) if unit else None
    counter = PandasCounter(dataset, units, root=unit)
    name = dataset.unit_names().get(unit) if unit else None
    return assemble.statistics(counter, period, unit, name, today)
