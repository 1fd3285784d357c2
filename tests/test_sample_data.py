"""The shipped sample data (case_tracker/sample/sample_city.json.gz) is the generator's output."""

from __future__ import annotations

import gzip
import json
import tomllib
from pathlib import Path

import pandas.testing as pdt
import pytest

from case_tracker.sample import shipped
from case_tracker.sample.generator import generate_rows, sample_dataset
from case_tracker.stats.dataset import Dataset

REPO = Path(__file__).resolve().parents[1]
KIND_KEYS = ("units", "inspections", "problems", "rectifications", "persons")


@pytest.fixture(scope="module")
def generated() -> dict[str, list[dict]]:
    return generate_rows()


def _differences(expected: dict, actual: dict) -> list[str]:
    """Where two payloads differ, one line per kind and column (for a readable failure)."""
    lines = []
    for kind, columns in expected["kinds"].items():
        other = actual["kinds"].get(kind)
        if other is None:
            lines.append(f"{kind}: missing from the shipped file")
            continue
        for column, values in columns.items():
            shipped_values = other.get(column)
            if shipped_values is None:
                lines.append(f"{kind}.{column}: missing from the shipped file")
            elif len(values) != len(shipped_values):
                lines.append(
                    f"{kind}.{column}: {len(values)} rows generated, {len(shipped_values)} shipped"
                )
            elif values != shipped_values:
                pairs = enumerate(zip(values, shipped_values, strict=True))
                row = next(i for i, (a, b) in pairs if a != b)
                lines.append(
                    f"{kind}.{column}: first difference in row {row}: "
                    f"generated {values[row]!r}, shipped {shipped_values[row]!r}"
                )
    return lines


def test_the_shipped_sample_is_what_the_generator_produces(generated):
    expected = shipped.payload(generated)
    actual = shipped.read_payload(shipped.DATA_FILE)
    differences = _differences(expected, actual)
    assert not differences and expected == actual, (
        "case_tracker/sample/sample_city.json.gz is stale (the generator changed); "
        f"regenerate it with `{shipped.REGENERATE}` and commit it:\n  " + "\n  ".join(differences)
    )
    # Deterministic bytes: regenerating an unchanged generator leaves the file unchanged in git.
    assert shipped.encode(generated) == shipped.DATA_FILE.read_bytes()


def test_the_loaded_sample_equals_the_generated_register(generated):
    loaded = sample_dataset()
    fresh = Dataset.from_rows(generated)
    for kind in KIND_KEYS:
        pdt.assert_frame_equal(getattr(loaded, kind), getattr(fresh, kind), obj=kind)


def test_a_stale_file_is_refused_with_the_regeneration_command(tmp_path, generated):
    document = shipped.payload(generated)
    del document["kinds"]["persons"]["outcomes"]
    stale = tmp_path / "stale.json.gz"
    stale.write_bytes(gzip.compress(json.dumps(document).encode()))
    with pytest.raises(ValueError, match=r"persons lacks the columns outcomes.*python3 -m"):
        shipped.load_dataset(stale)
    document["format"] = shipped.FORMAT + 1
    stale.write_bytes(gzip.compress(json.dumps(document).encode()))
    with pytest.raises(ValueError, match="format"):
        shipped.load_dataset(stale)


def test_the_sample_file_is_declared_as_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["case_tracker"]
    relative = shipped.DATA_FILE.relative_to(REPO / "case_tracker")
    assert any(relative.match(pattern) for pattern in patterns), patterns
