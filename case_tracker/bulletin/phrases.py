"""How the bulletin words each headline figure: read from the figures' own definitions.

The wording lives with each :class:`case_tracker.figures.Figure` (``phrase``,
``standalone``, ``short_label``, ``compared_as``); these tables are the renderer's
view of it, keyed by figure.  ``{v}`` is the value and ``{u}`` the unit.  A figure
whose value is 0 is left out (official texts do not write "0个问题"); when the first
figure of a clause is left out, the next one uses its ``standalone`` wording so the
clause still says what it counts.
"""

from __future__ import annotations

from case_tracker.figures import FIGURES, HEADLINE_GROUPS

__all__ = ["COMPARED_AS", "HEADLINE_GROUPS", "HEADLINE_PHRASES", "SHORT_LABELS", "STANDALONE"]

HEADLINE_PHRASES: dict[str, str] = {f.key: f.phrase for f in FIGURES if f.phrase}
STANDALONE: dict[str, str] = {f.key: f.standalone for f in FIGURES if f.standalone}
SHORT_LABELS: dict[str, str] = {f.key: f.table_label for f in FIGURES}
COMPARED_AS: dict[str, str] = {f.key: f.compared_as for f in FIGURES if f.compared_as}
