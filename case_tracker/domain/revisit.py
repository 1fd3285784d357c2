"""回头看 draws: which closed rectifications are re-inspected, reproducibly.

The rule (docs/domain.md): every rectification graded 较差/差 is drawn; of the
others, ``ceil(share × n)`` are drawn at random.  The draw depends only on the
candidates, the poor ones, the share and a seed, all kept with the draw, so that
anyone can draw again from the record and get the same rectifications.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Iterable

#: Bumped if the procedure below ever changes: a draw records the method it used.
METHOD = "v1: all poor; then random.Random(seed).sample(sorted others, ceil(share*n))"


def new_seed() -> int:
    """A seed nobody chose (kept with the draw, so the draw can be repeated)."""
    return secrets.randbelow(2**31 - 1) + 1


def draw(candidates: Iterable[int], poor: Iterable[int], share: float, seed: int) -> list[int]:
    """The ids drawn from ``candidates`` (ids of closed rectifications), sorted.

    ``poor``: the candidates graded poor, always drawn.  ``share``: the fraction
    of the other candidates drawn at random (0 < share ≤ 1).
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    pool = sorted(set(candidates))
    always = sorted(set(poor) & set(pool))
    others = [rid for rid in pool if rid not in set(always)]
    count = math.ceil(share * len(others))
    chosen = random.Random(seed).sample(others, count) if count else []
    return sorted([*always, *chosen])
