"""A register held as one pandas DataFrame per kind, with the derived fields the figures use.

Columns are the keys of :mod:`case_tracker.schema`; domain values are codes;
multi-valued columns hold tuples; dates are datetime64 (NaT when empty).
:func:`derive` adds the logical fields of :mod:`case_tracker.figures`
(``eight_point``, ``poor``, ``sanctioned``...) from the domain core, so no code
list is written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from case_tracker.domain import Domain, load
from case_tracker.schema import KINDS, person_identity

#: For each subject, the column that places a record in a unit (scope).
UNIT_COLUMN = {
    "inspections": "unit_codes",
    "problems": "unit_code",
    "rectifications": "problem_unit_code",
    "persons": "unit_code",
}


class UnknownUnitError(ValueError):
    """A scope names a unit the register does not have."""


@dataclass
class Dataset:
    units: pd.DataFrame
    inspections: pd.DataFrame
    problems: pd.DataFrame
    rectifications: pd.DataFrame
    persons: pd.DataFrame

    def frame(self, kind: str) -> pd.DataFrame:
        return getattr(self, kind)

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[Mapping]]) -> Dataset:
        """Build from normalised rows (dicts keyed by schema column keys), then derive."""
        frames = {}
        for kind in KINDS:
            columns = [c.key for c in kind.columns]
            frame = pd.DataFrame(list(rows.get(kind.key, ())), columns=columns)
            for column in kind.columns:
                if column.base_type == "date":
                    frame[column.key] = pd.to_datetime(frame[column.key], errors="coerce")
                elif column.base_type == "bool":
                    frame[column.key] = frame[column.key].fillna(False).astype(bool)
                elif column.base_type == "int":
                    frame[column.key] = (
                        pd.to_numeric(frame[column.key], errors="coerce")
                        .fillna(column.default or 0)
                        .astype(int)
                    )
                elif column.is_multi:
                    frame[column.key] = frame[column.key].map(
                        lambda v: tuple(v) if isinstance(v, list | tuple) else ()
                    )
            frames[kind.key] = frame
        return derive(cls(**frames))

    def descendants(self, unit_code: str) -> set[str]:
        """The unit and all its sub-units (a scope)."""
        if unit_code not in set(self.units["code"]):
            raise UnknownUnitError(f"unknown unit code {unit_code!r} / 未知单位编码")
        children: dict[str, list[str]] = {}
        for code, parent in zip(self.units["code"], self.units["parent_code"], strict=True):
            if isinstance(parent, str) and parent:
                children.setdefault(parent, []).append(code)
        found, todo = set(), [unit_code]
        while todo:
            code = todo.pop()
            if code not in found:
                found.add(code)
                todo.extend(children.get(code, ()))
        return found

    def unit_names(self) -> dict[str, str]:
        return dict(zip(self.units["code"], self.units["name"], strict=True))


def _per_value(column: pd.Series, function) -> list:
    """``column.map(function)`` for a pure function of a hashable value, computed once per
    distinct value: a few dozen outcome combinations and ranks among thousands of persons."""
    memo: dict = {}
    results = []
    for value in column.tolist():
        try:
            result = memo[value]
        except KeyError:
            result = memo[value] = function(value)
        results.append(result)
    return results


def derive(dataset: Dataset, domain: Domain | None = None) -> Dataset:
    """Add the logical fields of the figures, each from its one rule in the domain core."""
    domain = domain or load()
    eight = domain.eight_point_categories()
    poor = domain.poor_grades()
    problems = dataset.problems
    problems["eight_point"] = problems["category"].isin(eight)
    by_ref = problems.set_index("ref")
    rect = dataset.rectifications
    rect["exposed"] = rect["problem_ref"].map(by_ref["exposed"]).fillna(False).astype(bool)
    rect["eight_point"] = rect["problem_ref"].map(by_ref["eight_point"]).fillna(False).astype(bool)
    rect["problem_unit_code"] = rect["problem_ref"].map(by_ref["unit_code"])
    rect["poor"] = rect["grade"].isin(poor)
    rect["handled"] = rect["followups"].map(bool)
    # A register without an original deadline had no extension: the first one is the one
    # in force (the add-on's default too).  按期完成 is measured against it.
    rect["original_deadline"] = rect["original_deadline"].fillna(rect["deadline"])
    rect["on_time"] = (rect["finish_date"] <= rect["original_deadline"]).fillna(False).astype(bool)
    rect["false_rectification"] = rect["recurrence_count"] > 0
    persons = dataset.persons
    eight_refs = set(problems.loc[problems["eight_point"], "ref"])
    persons["eight_point"] = _per_value(
        persons["problem_refs"], lambda refs: bool(eight_refs & set(refs))
    )
    persons["sanctioned"] = _per_value(persons["outcomes"], domain.is_sanctioned)
    persons["form"] = _per_value(persons["outcomes"], lambda codes: domain.form_of(codes) or 0)
    persons["identity_key"] = [
        person_identity(identity if isinstance(identity, str) else None, name, unit)
        for identity, name, unit in zip(
            persons["identity"].tolist(),
            persons["name"].tolist(),
            persons["unit_code"].tolist(),
            strict=True,
        )
    ]
    persons["ccdi_rank"] = _per_value(persons["rank"], lambda code: domain.rank(code).ccdi_rank)
    return dataset
