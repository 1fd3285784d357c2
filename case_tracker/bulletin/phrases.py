"""How the bulletin words each headline figure — one table, kept apart so it can move.

(These texts belong with the Figure definitions in :mod:`case_tracker.figures`
and are meant to move there; nothing else in the renderer knows a figure by key.)

``{v}`` is the value and ``{u}`` the unit.  Figures are grouped into the clauses
of the opening paragraph, joined by "，" within a group and "；" between groups.
A figure whose value is 0 is left out (official texts do not write "0个问题");
when the first figure of a group is left out, the next one uses its
``STANDALONE`` wording so the clause still says what it counts.
"""

from __future__ import annotations

from case_tracker.figures import FIGURES_BY_KEY

HEADLINE_PHRASES: dict[str, str] = {
    "inspections": "开展正风肃纪监督检查{v}{u}",
    "problems": "发现问题{v}{u}",
    "persons_handled": "处理人员{v}{u}",
    "eight_point_problems": "查处违反中央八项规定精神问题{v}{u}",
    "eight_point_persons": "处理{v}{u}",
    "eight_point_sanctioned": "其中党纪政务处分{v}{u}",
    "exposed_poor_handled": "对公开曝光问题整改评价为“差”和“较差”的{v}{u}问题进行严肃处理并通报",
}
STANDALONE: dict[str, str] = {
    "eight_point_persons": "因违反中央八项规定精神问题处理{v}{u}",
    "eight_point_sanctioned": "因违反中央八项规定精神问题给予党纪政务处分{v}{u}",
}
HEADLINE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("inspections", "problems", "persons_handled"),
    ("eight_point_problems", "eight_point_persons", "eight_point_sanctioned"),
    ("exposed_poor_handled",),
)
#: Short names for the comparison table (the labels are sentence fragments).
SHORT_LABELS: dict[str, str] = {
    "inspections": "监督检查（次）",
    "problems": "发现问题（个）",
    "persons_handled": "处理人员（人）",
    "eight_point_problems": "八项规定精神问题（起）",
    "eight_point_persons": "八项规定精神问题处理（人）",
    "eight_point_sanctioned": "其中党纪政务处分（人）",
    "exposed_poor_handled": "曝光问题整改差评并处理（个）",
}
#: The subject of a comparison: 监督检查次数上升18.3%.
COMPARED_AS: dict[str, str] = {
    "inspections": "监督检查次数",
    "problems": "发现问题数",
    "persons_handled": "处理人数",
}
assert set(HEADLINE_PHRASES) <= set(FIGURES_BY_KEY), "phrase for an unknown figure"
assert set(STANDALONE) <= set(HEADLINE_PHRASES), "standalone phrase for an unknown figure"
assert set(SHORT_LABELS) <= set(FIGURES_BY_KEY), "short label for an unknown figure"
assert set(COMPARED_AS) <= set(FIGURES_BY_KEY), "comparison subject for an unknown figure"
