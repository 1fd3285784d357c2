"""Odoo-style domains evaluated on one record (a mapping of field values).

A rule written once as a domain (e.g. :meth:`Domain.overdue_domain`) is
evaluated three ways with the same meaning: by Odoo's ORM on the server, by the
pandas engine on a register (``case_tracker.stats.engine.evaluate_domain``) and
here on a single record.  Semantics follow Odoo: terms are implicitly AND-ed,
``&``/``|``/``!`` are prefix operators, ``False`` stands for an empty value and
a comparison with an empty value is false.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence

_COMPARE = {
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def _empty(value: object) -> bool:
    return value is None or value is False


def term(value: object, op: str, wanted: object) -> bool:
    """One ``(field, op, value)`` term on the field's ``value``."""
    if op in ("=", "!="):
        equal = _empty(value) if wanted is False else value == wanted
        return equal if op == "=" else not equal
    if op in ("in", "not in"):
        inside = value in tuple(wanted)  # type: ignore[arg-type]
        return inside if op == "in" else not inside
    if op in _COMPARE:
        return not _empty(value) and bool(_COMPARE[op](value, wanted))
    raise ValueError(f"unsupported operator {op!r}")


def matches(record: Mapping, domain: Sequence) -> bool:
    """Whether ``record`` satisfies the Odoo-style ``domain``."""
    items = list(domain)

    def parse(position: int) -> tuple[bool, int]:
        item = items[position]
        if item in ("&", "|"):
            left, position = parse(position + 1)
            right, position = parse(position)
            return (left and right) if item == "&" else (left or right), position
        if item == "!":
            inner, position = parse(position + 1)
            return not inner, position
        field, op, wanted = item
        return term(record.get(field), op, wanted), position + 1

    result, position = True, 0
    while position < len(items):
        value, position = parse(position)
        result = result and value
    return result


def as_one_term(domain: Sequence) -> list:
    """``domain`` with its implicit ANDs made explicit: one term, safe to nest or negate."""
    items = list(domain)
    terms: list[list] = []
    position = 0
    while position < len(items):
        start, needed = position, 1
        while needed:
            item = items[position]
            needed += 1 if item in ("&", "|") else 0 if item == "!" else -1
            position += 1
        terms.append(items[start:position])
    if not terms:
        return []
    return ["&"] * (len(terms) - 1) + [item for term in terms for item in term]
