"""The file backend: bulletin figures evaluated on a :class:`Dataset` with pandas.

Every figure comes from :data:`case_tracker.figures.FIGURES`; the Odoo-style
domain of a figure is evaluated here on a DataFrame, as the live backend
evaluates it on the server.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date

import pandas as pd

from case_tracker.domain import load
from case_tracker.figures import DISTINCT_PERSONS, FIGURES, Figure
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
        column = frame[field]
        if op == "in":
            mask = column.isin(list(value))
        elif op == "not in":
            mask = ~column.isin(list(value))
        elif op in _COMPARE:
            mask = _COMPARE[op](column, value)
        else:
            raise ValueError(f"unsupported operator {op!r} in {item!r}")
        return mask.fillna(False).astype(bool), position + 1

    masks = []
    position = 0
    while position < len(items):
        mask, position = parse(position)
        masks.append(mask)
    result = masks[0]
    for mask in masks[1:]:
        result &= mask
    return result


def in_scope(dataset: Dataset, subject: str, units: set[str] | None) -> pd.Series:
    frame = dataset.frame(subject)
    if units is None:
        return pd.Series(True, index=frame.index)
    column = frame[UNIT_COLUMN[subject]]
    if subject == "inspections":
        return column.map(lambda codes: bool(units & set(codes)))
    return column.isin(units)


def in_period(frame: pd.DataFrame, date_field: str, start: date, end: date) -> pd.Series:
    """Inclusive at both ends; an empty date is in no period."""
    days = frame[date_field]
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def select(
    dataset: Dataset, figure: Figure, period: Period, units: set[str] | None
) -> pd.DataFrame:
    """The records a figure counts in a period and scope (also the drill-down)."""
    frame = dataset.frame(figure.subject)
    mask = (
        in_period(frame, figure.date_field, period.start, period.end)
        & in_scope(dataset, figure.subject, units)
        & evaluate_domain(frame, figure.domain)
    )
    return frame[mask]


def measure(frame: pd.DataFrame, figure: Figure) -> int:
    """Problems and inspections count records; persons count distinct people."""
    if figure.measure == DISTINCT_PERSONS:
        return int(frame["identity_key"].nunique())
    return len(frame)


def figures(dataset: Dataset, period: Period, units: set[str] | None = None) -> dict[str, int]:
    return {f.key: measure(select(dataset, f, period, units), f) for f in FIGURES}


def _persons_in(dataset: Dataset, period: Period, units: set[str] | None) -> pd.DataFrame:
    frame = dataset.persons
    return frame[
        in_period(frame, "decision_date", period.start, period.end)
        & in_scope(dataset, "persons", units)
    ]


def _problems_in(dataset: Dataset, period: Period, units: set[str] | None) -> pd.DataFrame:
    frame = dataset.problems
    return frame[
        in_period(frame, "discovery_date", period.start, period.end)
        & in_scope(dataset, "problems", units)
    ]


def category_table(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    """The CCDI-style table: rows per category of the lists valid in the period, subtotals.

    Problems are counted by discovery date; persons (distinct) and the sanctioned
    among them by decision date, under each category of their problems.
    """
    domain = load()
    problems = _problems_in(dataset, period, units)
    persons = _persons_in(dataset, period, units)
    category_of = dict(zip(dataset.problems["ref"], dataset.problems["category"], strict=True))
    exploded = persons.assign(
        category=persons["problem_refs"].map(lambda refs: tuple({category_of.get(r) for r in refs}))
    ).explode("category")
    rows = []
    seen_categories = set(problems["category"])
    for category_list in domain.lists_for_period(period.start, period.end):
        day = min(period.end, _list_end(category_list))
        for top in domain.top_categories(category_list.code):
            leaves = domain.children(top.code)
            rows.append(_category_row(problems, exploded, top, [c.code for c in leaves], "group"))
            rows.extend(
                _category_row(problems, exploded, leaf, [leaf.code], "leaf")
                for leaf in leaves
                if domain.category_valid_on(leaf.code, day) or leaf.code in seen_categories
            )
    return rows


def _category_row(
    problems: pd.DataFrame, persons: pd.DataFrame, category, codes: list[str], level: str
) -> dict:
    domain = load()
    people = persons[persons["category"].isin(codes)]
    return {
        "code": category.code,
        "label": category.name if level == "group" else category.label,
        "level": level,
        "list": category.list_code,
        "eight_point": domain.is_eight_point(category.code),
        "problems": int(problems["category"].isin(codes).sum()),
        "persons": int(people["identity_key"].nunique()),
        "sanctioned": int(people.loc[people["sanctioned"], "identity_key"].nunique()),
    }


def _list_end(category_list) -> date:
    return category_list.valid_to or date.max


def unit_table(dataset: Dataset, period: Period, root: str | None) -> list[dict]:
    """Figures per direct sub-unit of the scope (each with its own sub-units)."""
    codes = dataset.units["code"]
    parents = dataset.units["parent_code"].fillna("")
    if root is None:
        roots = set(codes[parents == ""])
        children = list(codes[parents.isin(roots)]) or list(roots)
    else:
        children = list(codes[parents == root]) or [root]
    names = dataset.unit_names()
    rows = []
    for code in children:
        scope = dataset.descendants(code)
        values = figures(dataset, period, scope)
        rows.append({"code": code, "label": names[code], **values})
    return rows


def rank_table(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    domain = load()
    persons = _persons_in(dataset, period, units)
    rows = []
    for rank in sorted(domain.ranks, key=lambda r: r.sequence):
        if rank.report_as:
            continue
        people = persons[persons["ccdi_rank"] == rank.code]
        rows.append(
            {
                "code": rank.code,
                "label": rank.name,
                "persons": int(people["identity_key"].nunique()),
                "sanctioned": int(people.loc[people["sanctioned"], "identity_key"].nunique()),
            }
        )
    return rows


def four_forms(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    """Persons per form; a person handled several times counts under their heaviest form."""
    domain = load()
    persons = _persons_in(dataset, period, units)
    heaviest = persons.groupby("identity_key")["form"].max()
    total = len(heaviest)
    rows = []
    for form in domain.forms:
        count = int((heaviest == form.number).sum())
        rows.append(
            {
                "form": form.number,
                "label": form.name,
                "persons": count,
                "share": round(100 * count / total, 1) if total else 0.0,
            }
        )
    return rows


def outcome_table(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    domain = load()
    persons = _persons_in(dataset, period, units)
    exploded = persons.explode("outcomes")
    rows = []
    for kind in domain.outcome_kinds:
        codes = [o.code for o in domain.outcomes if o.kind == kind]
        people = exploded[exploded["outcomes"].isin(codes)]
        rows.append(
            {
                "kind": kind,
                "label": domain.outcome_kind_name(kind, period.end),
                "persons": int(people["identity_key"].nunique()),
            }
        )
    return rows


def rectification_summary(dataset: Dataset, period: Period, units: set[str] | None) -> dict:
    """Grades given in the period (by evaluation date), finished on time, overdue at its end."""
    domain = load()
    rect = dataset.rectifications
    scope = in_scope(dataset, "rectifications", units)
    evaluated = rect[scope & in_period(rect, "evaluation_date", period.start, period.end)]
    finished = rect[scope & in_period(rect, "finish_date", period.start, period.end)]
    end = pd.Timestamp(period.end)
    open_at_end = rect[
        scope
        & (rect["deadline"] < end)
        & (rect["finish_date"].isna() | (rect["finish_date"] > end))
        & rect["problem_ref"].isin(
            dataset.problems.loc[dataset.problems["discovery_date"] <= end, "ref"]
        )
    ]
    grades = [g for g in sorted(domain.grades, key=lambda g: g.sequence)]
    used_scales = set(evaluated["grade"].dropna().map(lambda c: domain.grade(c).scale))
    scale = (used_scales or {domain.settings.get("default_grade_scale", "five")}).pop()
    poor = evaluated[evaluated["poor"]]
    return {
        "grades": [
            {
                "code": g.code,
                "label": g.name,
                "poor": g.poor,
                "count": int((evaluated["grade"] == g.code).sum()),
            }
            for g in grades
            if g.scale == scale
        ],
        "evaluated": len(evaluated),
        "exposed": int(evaluated["exposed"].sum()),
        "finished": len(finished),
        "finished_on_time": int((finished["finish_date"] <= finished["deadline"]).sum()),
        "overdue": len(open_at_end),
        "poor": len(poor),
        "poor_exposed": int(poor["exposed"].sum()),
        "poor_handled": int(poor["handled"].sum()),
        "followups": {
            f.name: int(poor["followups"].map(lambda codes, c=f.code: c in codes).sum())
            for f in domain.followups
        },
    }


def trend(dataset: Dataset, period: Period, units: set[str] | None, months: int = 12) -> list:
    return [
        {"month": month.label, **figures(dataset, month, units)}
        for month in period.trailing_months(months)
    ]


def typical_cases(dataset: Dataset, period: Period, units: set[str] | None) -> list[dict]:
    """Problems flagged typical, discovered in the period, with the persons handled for them."""
    domain = load()
    problems = _problems_in(dataset, period, units)
    problems = problems[problems["typical"]].sort_values(["discovery_date", "ref"])
    persons = dataset.persons
    names = dataset.unit_names()
    cases = []
    for problem in problems.itertuples():
        people = persons[persons["problem_refs"].map(lambda refs, r=problem.ref: r in refs)]
        cases.append(
            {
                "ref": problem.ref,
                "unit": names.get(problem.unit_code, problem.unit_code),
                "category": domain.category(problem.category).label,
                "description": problem.description,
                "discovery_date": problem.discovery_date.date().isoformat(),
                "amount": None if pd.isna(problem.amount) else float(problem.amount),
                "persons": [
                    {
                        "name": p.name,
                        "post": p.post if isinstance(p.post, str) else "",
                        "unit": names.get(p.unit_code, p.unit_code),
                        "outcomes": [domain.outcome(c).name for c in p.outcomes],
                        "decision_date": p.decision_date.date().isoformat(),
                    }
                    for p in people.itertuples()
                ],
            }
        )
    return cases


def statistics(dataset: Dataset, period: Period, unit: str | None = None) -> dict:
    """Everything a bulletin reports for a period and scope, as plain JSON-able data."""
    units = dataset.descendants(unit) if unit else None
    names = dataset.unit_names()
    return {
        "period": {
            "label": period.label,
            "title": period.title,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "scope": {"code": unit, "name": names.get(unit) if unit else None},
        "figures": figures(dataset, period, units),
        "comparisons": {
            "previous": figures(dataset, period.previous(), units),
            "last_year": figures(dataset, period.last_year(), units),
            "year_to_date": figures(dataset, period.year_to_date(), units),
        },
        "breakdowns": {
            "categories": category_table(dataset, period, units),
            "units": unit_table(dataset, period, unit),
            "ranks": rank_table(dataset, period, units),
            "forms": four_forms(dataset, period, units),
            "outcomes": outcome_table(dataset, period, units),
            "rectification": rectification_summary(dataset, period, units),
        },
        "trend": trend(dataset, period, units),
        "typical_cases": typical_cases(dataset, period, units),
    }
