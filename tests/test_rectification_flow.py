"""The README's picture of the rectification workflow is drawn from the domain file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from case_tracker.domain import load

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location(
        "draw_rectification_flow", ROOT / "scripts" / "draw_rectification_flow.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_diagram_is_the_domain_files_workflow():
    drawn = _script().flow_dot(load())
    committed = (ROOT / "docs" / "rectification_flow.dot").read_text(encoding="utf-8")
    assert committed == drawn, "run python3 scripts/draw_rectification_flow.py"
    svg = (ROOT / "docs" / "rectification_flow.svg").read_text(encoding="utf-8")
    for transition in load().rectification_transitions:
        assert transition.name in drawn
        assert transition.name in svg


def test_every_transition_is_an_edge():
    drawn = _script().flow_dot(load())
    edges = sum(len(t.sources) for t in load().rectification_transitions)
    assert drawn.count(" -> ") == edges
