"""Integrity of published bulletins: the figures' digest, the PDF's digest, the 核验码.

A bulletin published in Odoo is sealed (``di.bulletin._seal``) with two SHA-256
digests, and its PDF carries a short verification code in the 版记 so that
anyone holding the file can ask the server whether it is the published one
(``case-tracker verify`` or the 核验通报 page).  This module is the one
definition of the three, shared by the add-on and the command line; it needs
neither Odoo nor ReportLab.

Canonical form of the frozen figures (what :func:`figures_sha256` hashes)
    The statistics contract as JSON (``Statistics.to_dict()``, or the
    ``statistics`` field of the record, which holds the same JSON), written as
    UTF-8 with object keys sorted, no whitespace (separators ``,`` and ``:``),
    non-ASCII characters as themselves (not ``\\uXXXX``), lists in their order,
    a float with an integral value written as an integer (``50.0`` → ``50``:
    a JSON store may give back either), any other float as Python's shortest
    round-trip repr, and NaN or infinity refused.  Anyone may recompute it::

        json.dumps(normalised, sort_keys=True, separators=(",", ":"),
                   ensure_ascii=False, allow_nan=False).encode("utf-8")

Verification code (核验码)
    Twelve decimal digits printed as ``NNNN-NNNN-NNNN``: eleven taken from
    ``SHA-256("case_tracker bulletin <id> <figures_sha256>")`` (the integer
    value of the digest modulo 10¹¹) and a Damm check digit, which catches
    every single mistyped digit and every swap of two neighbouring digits.
    Digits only: unambiguous when read aloud or retyped, and a 公文 prints no
    Latin letters.  It names the bulletin (the record's id and its figures);
    the PDF's SHA-256, stored at publication, is what proves the bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from typing import Any

#: The label printed before the code in the 版记, and looked for when reading it back.
CODE_LABEL = "核验码"
CODE_DIGITS = 12
_DATA_DIGITS = CODE_DIGITS - 1
_IN_TEXT = re.compile(rf"{CODE_LABEL}\s*[:：]?\s*((?:\d[\s\-‐‑–]*){{{CODE_DIGITS}}})")

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


# ------------------------------------------------------------------ digests
def _normalised(value: Any, where: str = "statistics") -> Any:
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ValueError(f"{where}: key {key!r} is not a string")
        return {key: _normalised(inner, f"{where}.{key}") for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(inner, f"{where}[{i}]") for i, inner in enumerate(value)]
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value!r} has no JSON form")
        return int(value) if value.is_integer() else value
    if value is None or isinstance(value, bool | int | str):
        return value
    raise ValueError(f"{where}: {type(value).__name__} is not JSON data")


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of JSON data (see the module's docstring)."""
    return json.dumps(
        _normalised(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def figures_sha256(statistics: dict[str, Any]) -> str:
    """SHA-256 (hex) of the frozen figures: the statistics contract in canonical form."""
    return hashlib.sha256(canonical_json(statistics)).hexdigest()


def pdf_sha256(pdf: bytes) -> str:
    """SHA-256 (hex) of a file's bytes, exactly as stored or downloaded."""
    return hashlib.sha256(pdf).hexdigest()


# ------------------------------------------------------------------ the code
def _check_digit(digits: str) -> int:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return interim


def verification_code(bulletin_id: int, figures_hash: str) -> str:
    """The 核验码 of a bulletin record and its figures, as printed: ``NNNN-NNNN-NNNN``."""
    if not isinstance(bulletin_id, int) or bulletin_id <= 0:
        raise ValueError(f"bulletin id {bulletin_id!r}: a saved record's id is needed")
    if not re.fullmatch(r"[0-9a-f]{64}", figures_hash or ""):
        raise ValueError(f"{figures_hash!r} is not a SHA-256 in hex")
    seed = f"case_tracker bulletin {bulletin_id} {figures_hash}".encode()
    number = int.from_bytes(hashlib.sha256(seed).digest(), "big") % 10**_DATA_DIGITS
    digits = f"{number:0{_DATA_DIGITS}d}"
    return _grouped(digits + str(_check_digit(digits)))


def _grouped(digits: str) -> str:
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalise_code(text: str | None) -> str | None:
    """A code as typed or read (any spaces or dashes) in its printed form; None if not valid.

    Full-width digits count as digits; twelve digits with a wrong check digit
    (a typo) are not a code.
    """
    if not text:
        return None
    digits = "".join(str(int(char)) for char in str(text) if char.isdigit())
    if len(digits) != CODE_DIGITS or _check_digit(digits) != 0:
        return None
    return _grouped(digits)


def code_in_text(text: str) -> str | None:
    """The code printed after 核验码 in a document's text (the last one: the 版记 ends it).

    Returned in its printed form even when its check digit is wrong (an edited
    code): what the document claims is reported as it reads.
    """
    found = _IN_TEXT.findall(text or "")
    if not found:
        return None
    return _grouped("".join(char for char in found[-1] if char.isdigit()))


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pypdf reads it (PyPDF2 inside Odoo, which ships that instead).

    ValueError when the file cannot be read as a PDF at all.
    """
    try:
        from pypdf import PdfReader
    except ImportError:  # Odoo 18's own virtualenv has PyPDF2 2.x with the same reader API
        from PyPDF2 import PdfReader
    try:
        reader = PdfReader(io.BytesIO(pdf))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # a damaged file fails anywhere in the parser, with any error
        raise ValueError(f"unreadable PDF: {exc}") from exc


def code_in_pdf(pdf: bytes) -> str | None:
    """The 核验码 printed in a PDF, read back from its text; None when none can be read.

    See :func:`code_in_text`: check it with :func:`normalise_code` before trusting it.
    """
    try:
        return code_in_text(pdf_text(pdf))
    except ValueError:
        return None
