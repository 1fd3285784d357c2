"""The statistics of a bulletin, assembled from counts: shared by both backends.

A backend only counts (:class:`Counter`): pandas on a register file, or SQL
and read_group inside Odoo.  Everything else — which rows the category table
has for the lists valid in the period, labels, shares, comparisons, the trend —
is decided here once, so the file and the live source cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from case_tracker.domain import load
from case_tracker.stats.period import Period


class Counter(Protocol):
    """What a backend counts, for its scope, between two dates (both inclusive)."""

    def figures(self, start: date, end: date) -> dict[str, int]: ...

    def figures_many(self, windows: list[tuple[date, date]]) -> list[dict[str, int]]:
        """The figures of several windows at once (comparisons and the trend)."""

    def category_counts(self, start: date, end: date) -> dict[str, tuple[int, int, int]]:
        """code -> (problems, distinct persons, distinct sanctioned), leaves and parents."""

    def child_units(self) -> list[tuple[str, str]]:
        """(code, name) of the units one level below the scope (its rows in the unit table)."""

    def figures_by_unit(self, start: date, end: date) -> dict[str, dict[str, int]]:
        """code -> figures of each unit of :meth:`child_units` (with its sub-units)."""

    def rank_counts(self, start: date, end: date) -> dict[str, tuple[int, int]]:
        """CCDI rank code -> (distinct persons, distinct sanctioned)."""

    def form_counts(self, start: date, end: date) -> dict[int, int]:
        """form -> persons, each person once at their heaviest form in the period."""

    def outcome_kind_counts(self, start: date, end: date) -> dict[str, int]: ...

    def rectification_counts(self, start: date, end: date, as_of: date) -> dict:
        """Grades, timeliness and follow-up of [start, end]; overdue as of ``as_of``."""

    def typical_cases(self, start: date, end: date) -> list[dict]: ...


def category_rows(counter: Counter, period: Period) -> list[dict]:
    """The CCDI-style table for the category lists valid in the period, with group rows."""
    domain = load()
    counts = counter.category_counts(period.start, period.end)
    rows = []
    for category_list in domain.lists_for_period(period.start, period.end):
        day = min(period.end, category_list.valid_to or date.max)
        for top in domain.top_categories(category_list.code):
            rows.append(_row(top, "group", counts))
            rows.extend(
                _row(leaf, "leaf", counts)
                for leaf in domain.children(top.code)
                if domain.category_valid_on(leaf.code, day) or leaf.code in counts
            )
    return rows


def _row(category, level: str, counts: dict) -> dict:
    problems, persons, sanctioned = counts.get(category.code, (0, 0, 0))
    return {
        "code": category.code,
        "label": category.name if level == "group" else category.label,
        "level": level,
        "list": category.list_code,
        "eight_point": load().is_eight_point(category.code),
        "problems": problems,
        "persons": persons,
        "sanctioned": sanctioned,
    }


def outcome_names(codes: Iterable[str]) -> list[str]:
    """A person's outcomes as a bulletin lists them: the heaviest first."""
    domain = load()
    outcomes = sorted((domain.outcome(code) for code in codes), key=lambda o: -o.severity)
    return [outcome.name for outcome in outcomes]


def rank_rows(counter: Counter, period: Period) -> list[dict]:
    counts = counter.rank_counts(period.start, period.end)
    return [
        {
            "code": rank.code,
            "label": rank.name,
            "persons": counts.get(rank.code, (0, 0))[0],
            "sanctioned": counts.get(rank.code, (0, 0))[1],
        }
        for rank in sorted(load().ranks, key=lambda r: r.sequence)
        if not rank.report_as
    ]


def form_rows(counter: Counter, period: Period) -> list[dict]:
    counts = counter.form_counts(period.start, period.end)
    total = sum(counts.values())
    return [
        {
            "form": form.number,
            "label": form.name,
            "persons": counts.get(form.number, 0),
            "share": round(100 * counts.get(form.number, 0) / total, 1) if total else 0.0,
        }
        for form in load().forms
    ]


def outcome_rows(counter: Counter, period: Period) -> list[dict]:
    domain = load()
    counts = counter.outcome_kind_counts(period.start, period.end)
    return [
        {
            "kind": kind,
            "label": domain.outcome_kind_name(kind, period.end),
            "persons": counts.get(kind, 0),
        }
        for kind in domain.outcome_kinds
    ]


def rectification_summary(counter: Counter, period: Period, as_of: date) -> dict:
    domain = load()
    counts = counter.rectification_counts(period.start, period.end, as_of)
    by_grade = counts["grades"]
    scales = {domain.grade(code).scale for code, n in by_grade.items() if n}
    scale = scales.pop() if len(scales) == 1 else domain.settings.get("default_grade_scale")
    return {
        "grades": [
            {"code": g.code, "label": g.name, "poor": g.poor, "count": by_grade.get(g.code, 0)}
            for g in sorted(domain.grades, key=lambda g: g.sequence)
            if g.scale == scale
        ],
        **{k: counts[k] for k in ("evaluated", "exposed", "finished", "finished_on_time")},
        **{k: counts[k] for k in ("overdue", "poor", "poor_exposed", "poor_handled")},
        "followups": {f.name: counts["followups"].get(f.code, 0) for f in domain.followups},
    }


def as_of(period: Period, today: date | None = None) -> date:
    """The day a period's state-dependent figures (overdue) are taken on.

    The end of the period, or today while the period has not ended: a bulletin
    of the current month says 截至 today.
    """
    return min(period.end, today or date.today())


def statistics(
    counter: Counter,
    period: Period,
    unit: str | None,
    unit_name: str | None,
    today: date | None = None,
) -> dict:
    """Everything a bulletin reports, as plain JSON-able data with stable keys."""
    taken_on = as_of(period, today)
    windows = {
        "previous": period.previous(),
        "last_year": period.last_year(),
        "year_to_date": period.year_to_date(),
    }
    months = period.trailing_months(12)
    spans = [period, *windows.values(), *months]
    figures, *rest = counter.figures_many([(p.start, p.end) for p in spans])
    compared, trend = rest[: len(windows)], rest[len(windows) :]
    by_unit = counter.figures_by_unit(period.start, period.end)
    return {
        "period": {
            "label": period.label,
            "title": period.title,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": taken_on.isoformat(),
        },
        "scope": {"code": unit, "name": unit_name},
        "figures": figures,
        "comparisons": dict(zip(windows, compared, strict=True)),
        "breakdowns": {
            "categories": category_rows(counter, period),
            "units": [
                {"code": code, "label": name, **by_unit[code]}
                for code, name in counter.child_units()
            ],
            "ranks": rank_rows(counter, period),
            "forms": form_rows(counter, period),
            "outcomes": outcome_rows(counter, period),
            "rectification": rectification_summary(counter, period, taken_on),
        },
        "trend": [
            {"month": month.label, **counts} for month, counts in zip(months, trend, strict=True)
        ],
        "typical_cases": counter.typical_cases(period.start, period.end),
    }
