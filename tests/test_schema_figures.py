"""The register schema and the figure definitions agree with the domain core."""

from __future__ import annotations

from datetime import date

from case_tracker.domain import load
from case_tracker.figures import (
    FIGURES,
    FIGURES_BY_KEY,
    MEASURES,
    RECTIFICATION_FIGURES,
    SUM,
    TILES,
)
from case_tracker.figures import as_of_terms as as_of_terms_of
from case_tracker.schema import KINDS, KINDS_BY_KEY, person_identity

D = load()
DERIVED = {
    "problems": {"eight_point"},
    "rectifications": {"exposed", "poor", "handled", "on_time", "false_rectification"},
    "persons": {"eight_point", "sanctioned", "form"},
    "inspections": set(),
}


def test_kinds_refer_only_to_earlier_kinds_and_known_lists():
    seen: set[str] = set()
    for kind in KINDS:
        keys = [c.key for c in kind.columns]
        assert len(keys) == len(set(keys)), kind.key
        assert kind.business_key in keys
        headers = [c.header for c in kind.columns]
        assert len(headers) == len(set(headers)), kind.key
        for column in kind.columns:
            if column.base_type in ("ref", "refs"):
                assert column.target in seen | {kind.key}, (kind.key, column.key)
            elif column.base_type in ("code", "codes"):
                assert hasattr(D, column.target), column.target
            else:
                assert column.base_type in ("str", "text", "date", "money", "bool", "int")
        seen.add(kind.key)


def test_business_keys_are_required():
    for kind in KINDS:
        assert kind.column(kind.business_key).required


def test_person_identity_counts_each_person_once():
    assert person_identity("", "张三", "HS") == person_identity(None, "张三 ", "HS")
    assert person_identity("", "张三", "HS") != person_identity("", "张三", "JB")
    assert person_identity("E001", "张三", "HS") == person_identity("E001", "张三", "JB")


def test_figures_are_well_formed():
    assert len(FIGURES_BY_KEY) == len(FIGURES)
    assert {
        "inspections",
        "problems",
        "persons_handled",
        "eight_point_problems",
        "eight_point_persons",
        "eight_point_sanctioned",
        "exposed_poor_handled",
    } <= set(FIGURES_BY_KEY)
    # Spelled out by figures.expand for the day they are taken on.
    as_of_terms = {field for field, _op, _value in as_of_terms_of(date(2018, 6, 30))}
    for figure in (*FIGURES, *RECTIFICATION_FIGURES, *(tile.figure for tile in TILES)):
        kind = KINDS_BY_KEY[figure.subject]
        columns = {c.key for c in kind.columns}
        assert figure.date_field in columns or (not figure.date_field and figure.domain)
        for field, op, _value in figure.domain:
            assert field in columns | DERIVED[figure.subject] | as_of_terms, (figure.key, field)
            assert op in ("=", "!=", "in", "not in", "<", ">", "<=", ">=")
        assert figure.measure in MEASURES
        assert figure.measure != "distinct_persons" or figure.subject == "persons"
        # A SUM adds up a whole number the register holds for each record.
        assert figure.measure != SUM or kind.column(figure.field).base_type == "int"
        assert bool(figure.field) == (figure.measure == SUM), figure.key


def test_sanctioned_is_a_subset_of_handled():
    handled = FIGURES_BY_KEY["eight_point_persons"]
    sanctioned = FIGURES_BY_KEY["eight_point_sanctioned"]
    assert set(handled.domain) < set(sanctioned.domain)
    assert (handled.subject, handled.date_field, handled.measure) == (
        sanctioned.subject,
        sanctioned.date_field,
        sanctioned.measure,
    )
