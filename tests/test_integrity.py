"""The integrity definitions (case_tracker.integrity): canonical figures, digests, the 核验码."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from case_tracker import integrity
from case_tracker.integrity import (
    canonical_json,
    code_in_text,
    figures_sha256,
    normalise_code,
    verification_code,
)
from case_tracker.sample.generator import sample_dataset
from case_tracker.stats.engine import statistics
from case_tracker.stats.period import parse_period

HASH = hashlib.sha256(b"figures").hexdigest()


def test_the_canonical_form_is_the_documented_one():
    value = {"b": [1.0, 2.5, "正风肃纪"], "a": {"y": None, "x": True}, "c": 3}
    assert canonical_json(value) == (
        '{"a":{"x":true,"y":null},"b":[1,2.5,"正风肃纪"],"c":3}'.encode()
    )
    # the formula in the module's docstring, on data without integral floats
    plain = {"b": [2.5, "正风肃纪"], "a": 1}
    documented = json.dumps(
        plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
    assert canonical_json(plain) == documented


def test_the_canonical_form_ignores_key_order_and_whitespace_but_not_values():
    first = {"figures": {"problems": 3, "persons_handled": 2}, "share": 33.3}
    second = json.loads(
        json.dumps({"share": 33.3, "figures": {"persons_handled": 2, "problems": 3}}, indent=4)
    )
    assert figures_sha256(first) == figures_sha256(second)
    assert figures_sha256(first) != figures_sha256({**first, "share": 33.4})
    assert figures_sha256({"n": 50.0}) == figures_sha256({"n": 50})  # a JSON store may give either
    with pytest.raises(ValueError, match="nan"):
        canonical_json({"share": float("nan")})
    with pytest.raises(ValueError, match="key 1"):
        canonical_json({1: "a"})


@pytest.fixture(scope="module")
def sample_statistics():
    return statistics(sample_dataset(), parse_period("2018-H1"), None)


def test_the_digest_of_the_statistics_survives_a_json_round_trip(sample_statistics):
    """What the record freezes (JSON) hashes like what was computed."""
    computed = sample_statistics.to_dict()
    stored = json.loads(json.dumps(computed))
    assert figures_sha256(stored) == figures_sha256(computed)
    assert re.fullmatch(r"[0-9a-f]{64}", figures_sha256(computed))
    changed = json.loads(json.dumps(computed))
    changed["figures"]["problems"] += 1
    assert figures_sha256(changed) != figures_sha256(computed)


def test_the_code_is_twelve_digits_from_the_record_and_its_figures():
    code = verification_code(7, HASH)
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", code)
    assert verification_code(7, HASH) == code
    assert verification_code(8, HASH) != code
    assert verification_code(7, hashlib.sha256(b"other").hexdigest()) != code
    seed = f"case_tracker bulletin 7 {HASH}".encode()
    digits = int.from_bytes(hashlib.sha256(seed).digest(), "big") % 10**11
    assert code.replace("-", "")[:11] == f"{digits:011d}"  # as documented
    with pytest.raises(ValueError):
        verification_code(0, HASH)
    with pytest.raises(ValueError):
        verification_code(7, "not a digest")


@given(st.integers(min_value=1, max_value=10**9), st.binary(min_size=1, max_size=16))
def test_every_typo_and_every_swap_of_neighbours_is_caught(record_id, figures):
    code = verification_code(record_id, hashlib.sha256(figures).hexdigest())
    digits = code.replace("-", "")
    assert normalise_code(digits) == code
    for i, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit:
                assert normalise_code(digits[:i] + other + digits[i + 1 :]) is None
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert normalise_code(swapped) is None


def test_a_code_is_read_however_it_is_typed_or_extracted():
    code = verification_code(12, HASH)
    digits = code.replace("-", "")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in digits)  # full-width digits, as an IME types
    for typed in (code, digits, f" {digits[:4]} {digits[4:8]} {digits[8:]} ", wide):
        assert normalise_code(typed) == code
    assert normalise_code(digits[:-1]) is None and normalise_code("") is None
    text = f"印发\n{integrity.CODE_LABEL}：{code[:6]}\n{code[6:]}"  # wrapped by the extractor
    assert code_in_text(text) == code
    assert code_in_text(f"核验码：{verification_code(1, HASH)} … 核验码：{code}") == code
    assert code_in_text("no code here") is None
    broken = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    # an edited code is read as printed; normalise_code then refuses it
    assert code_in_text(f"核验码：{broken}").replace("-", "") == broken
    assert normalise_code(broken) is None


def test_an_unreadable_file_has_no_code():
    assert integrity.code_in_pdf(b"%PDF-1.4 garbage") is None
    with pytest.raises(ValueError, match="unreadable PDF"):
        integrity.pdf_text(b"not a pdf at all")
