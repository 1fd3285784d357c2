"""Text normalisation shared by matching and import: registers are typed by hand."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Brackets and quotes that hand-typed registers use inconsistently.
_NOISE = str.maketrans("", "", "()[]“”\"'‘’「」《》<>")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters, punctuation and the ideographic space to ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def normalise_text(text: object) -> str:
    """A comparison key: half-width, no spaces, no brackets or quotes, lower-case."""
    if text is None:
        return ""
    try:
        return _normalise_text(text)
    except TypeError:  # not hashable: not remembered
        return _normalise_text.__wrapped__(text)


@lru_cache(maxsize=1 << 14, typed=True)  # matching names is hot on import: few distinct ones
def _normalise_text(text: object) -> str:
    value = to_halfwidth(str(text)).translate(_NOISE)
    return _SPACES.sub("", value).lower()


def clean_cell(text: object) -> str:
    """A stored value: half-width digits and spaces, inner runs of spaces folded, trimmed."""
    if text is None:
        return ""
    try:
        return _clean_cell(text)
    except TypeError:  # not hashable: not remembered
        return _clean_cell.__wrapped__(text)


@lru_cache(maxsize=1 << 16, typed=True)  # a register repeats its names, codes and dates
def _clean_cell(text: object) -> str:
    return _SPACES.sub(" ", to_halfwidth(str(text))).strip()
