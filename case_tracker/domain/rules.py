"""The cross-field rules of a register record, written once (docs/domain.md §5).

The importer's validator and the add-on's constraints both call :func:`check`
on the same logical values (the register columns of :mod:`case_tracker.schema`
plus the few facts a rule needs from a linked record, such as the problem's
discovery date), so both sides give the same verdict with the same message in
Chinese and English.  ``case_tracker.domain.rule_cases`` holds the table of
examples both sides are tested against.

Values are codes and dates: ``category`` is a category code, ``grade`` a grade
code, ``outcomes`` a tuple of outcome codes, ``problems`` a tuple of
``(ref, discovery_date)`` of the problems a person answers for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from case_tracker.domain import Domain, load


@dataclass(frozen=True)
class Violation:
    """A broken rule: which, about which column and value, and why (in both languages)."""

    rule: str
    column: str
    value: object
    zh: str
    en: str

    def message(self, lang: str | None = None) -> str:
        return self.zh if (lang or "").startswith("zh") else self.en


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    #: The logical values the rule reads: the add-on re-checks it when one of them changes.
    reads: tuple[str, ...]
    check: Callable[[Mapping, Domain], Violation | None]


RULES: list[Rule] = []
#: The same rules by kind: ``check`` runs for every record a batch creates.
_RULES_BY_KIND: dict[str, list[Rule]] = {}


def rule(code: str, kind: str, *reads: str):
    def register(function: Callable[[Mapping, Domain], Violation | None]):
        entry = Rule(code, kind, reads, function)
        RULES.append(entry)
        _RULES_BY_KIND.setdefault(kind, []).append(entry)
        return function

    return register


def _before(day: date | None, other: date | None) -> bool:
    return bool(day and other and day < other)


# ------------------------------------------------------------------ problems
@rule("category_leaf", "problems", "category")
def _category_leaf(v: Mapping, domain: Domain) -> Violation | None:
    category = domain.category(v["category"])
    if category.is_leaf:
        return None
    return Violation(
        "category_leaf",
        "category",
        category.name,
        f"请填写“{category.label}”下的具体问题类别",
        f"file it under a sub-category of {category.name_en or category.label}",
    )


@rule("category_in_use", "problems", "category", "discovery_date")
def _category_in_use(v: Mapping, domain: Domain) -> Violation | None:
    category = domain.category(v["category"])
    day = v.get("discovery_date")
    if not category.is_leaf or not day or domain.category_valid_on(category.code, day):
        return None
    return Violation(
        "category_in_use",
        "category",
        category.name,
        f"问题类别“{category.label}”在发现日期{day.isoformat()}不适用",
        f"category {category.code} was not in use on {day.isoformat()}",
    )


@rule("exposure_needs_flag", "problems", "exposed", "exposure_channel", "exposure_date")
def _exposure_needs_flag(v: Mapping, domain: Domain) -> Violation | None:
    if v.get("exposed") or not (v.get("exposure_channel") or v.get("exposure_date")):
        return None
    return Violation(
        "exposure_needs_flag",
        "exposed",
        "否",
        "填写了曝光信息但未标记公开曝光",
        "exposure details without the exposed flag",
    )


@rule("amount_not_negative", "problems", "amount")
def _amount_not_negative(v: Mapping, domain: Domain) -> Violation | None:
    if (v.get("amount") or 0) >= 0:
        return None
    return Violation(
        "amount_not_negative",
        "amount",
        v["amount"],
        "涉及金额不能为负数",
        "the amount cannot be negative",
    )


@rule("discovered_during_inspection", "problems", "discovery_date", "inspection_date")
def _discovered_during_inspection(v: Mapping, domain: Domain) -> Violation | None:
    if not _before(v.get("discovery_date"), v.get("inspection_date")):
        return None
    return Violation(
        "discovered_during_inspection",
        "discovery_date",
        v["discovery_date"],
        f"发现日期早于所属监督检查的检查日期{v['inspection_date'].isoformat()}",
        f"discovered before its inspection began ({v['inspection_date'].isoformat()})",
    )


# ------------------------------------------------------------ rectifications
@rule("grade_needs_finished", "rectifications", "grade", "state")
def _grade_needs_finished(v: Mapping, domain: Domain) -> Violation | None:
    if not v.get("grade") or domain.rectification_state(v["state"]).finished:
        return None
    return Violation(
        "grade_needs_finished",
        "grade",
        domain.grade(v["grade"]).name,
        "整改未完成，不能评价",
        "graded before the rectification is finished",
    )


@rule("closed_needs_grade", "rectifications", "grade", "state")
def _closed_needs_grade(v: Mapping, domain: Domain) -> Violation | None:
    if v.get("grade") or not domain.rectification_state(v["state"]).closed:
        return None
    return Violation(
        "closed_needs_grade",
        "grade",
        "",
        "已销号的整改须有整改评价",
        "a closed rectification needs a grade",
    )


@rule("poor_grade_needs_followup", "rectifications", "grade", "followups")
def _poor_grade_needs_followup(v: Mapping, domain: Domain) -> Violation | None:
    if not v.get("grade") or not domain.is_poor_grade(v["grade"]) or v.get("followups"):
        return None
    return Violation(
        "poor_grade_needs_followup",
        "followups",
        "",
        f"评价为“{domain.grade(v['grade']).name}”，须填写后续处理措施（严肃处理并通报、约谈、回头看）",
        f"graded {domain.grade(v['grade']).name_en}: record the follow-up decision",
    )


@rule("finished_needs_finish_date", "rectifications", "state", "finish_date")
def _finished_needs_finish_date(v: Mapping, domain: Domain) -> Violation | None:
    finished = domain.rectification_state(v["state"]).finished
    if finished == bool(v.get("finish_date")):
        return None
    state = domain.rectification_state(v["state"])
    if finished:
        return Violation(
            "finished_needs_finish_date",
            "finish_date",
            "",
            f"整改状态为“{state.name}”，须填写整改完成日期",
            f"state {state.name_en} needs the date the work was finished",
        )
    return Violation(
        "finished_needs_finish_date",
        "finish_date",
        v["finish_date"],
        f"整改状态为“{state.name}”，不应有整改完成日期",
        f"state {state.name_en} cannot have a finish date",
    )


def _not_before_discovery(code: str, column: str, zh: str, en: str):
    @rule(code, "rectifications", column, "discovery_date")
    def check(v: Mapping, domain: Domain) -> Violation | None:
        if not _before(v.get(column), v.get("discovery_date")):
            return None
        found = v["discovery_date"].isoformat()
        return Violation(code, column, v[column], f"{zh}早于问题发现日期{found}", f"{en} ({found})")

    return check


_not_before_discovery(
    "deadline_after_discovery", "deadline", "整改时限", "deadline before discovery"
)
_not_before_discovery(
    "finished_after_discovery", "finish_date", "整改完成日期", "finished before discovery"
)
_not_before_discovery(
    "evaluated_after_discovery", "evaluation_date", "评价日期", "evaluated before discovery"
)
_not_before_discovery(
    "original_deadline_after_discovery",
    "original_deadline",
    "原定整改期限",
    "original deadline before discovery",
)
_not_before_discovery(
    "recurrence_after_discovery",
    "recurrence_date",
    "整改不实认定日期",
    "found false before discovery",
)

#: The rectification loop's counts, as the register names them.
_COUNTS = (
    ("return_count", "退回重改次数", "returns"),
    ("extension_count", "延期次数", "extensions"),
    ("recurrence_count", "整改不实次数", "recurrences"),
)


@rule("counts_not_negative", "rectifications", *(key for key, _zh, _en in _COUNTS))
def _counts_not_negative(v: Mapping, domain: Domain) -> Violation | None:
    for key, zh, en in _COUNTS:
        if (v.get(key) or 0) < 0:
            return Violation(
                "counts_not_negative",
                key,
                v[key],
                f"{zh}不能为负数",
                f"the number of {en} cannot be negative",
            )
    return None


@rule("recurrence_date_iff_recurred", "rectifications", "recurrence_count", "recurrence_date")
def _recurrence_date_iff_recurred(v: Mapping, domain: Domain) -> Violation | None:
    """整改不实 is dated by the 回头看 that found it: a count needs its day, a day its count."""
    recurred = (v.get("recurrence_count") or 0) > 0
    if recurred == bool(v.get("recurrence_date")):
        return None
    if recurred:
        return Violation(
            "recurrence_date_iff_recurred",
            "recurrence_date",
            "",
            f"整改不实次数为{v['recurrence_count']}，须填写整改不实认定日期",
            "found false by a follow-up inspection: record the day it was found",
        )
    return Violation(
        "recurrence_date_iff_recurred",
        "recurrence_date",
        v["recurrence_date"],
        "整改不实次数为0，不应有整改不实认定日期",
        "a day it was found false, but no recurrence counted",
    )


@rule("evaluated_after_finish", "rectifications", "evaluation_date", "finish_date")
def _evaluated_after_finish(v: Mapping, domain: Domain) -> Violation | None:
    if not _before(v.get("evaluation_date"), v.get("finish_date")):
        return None
    return Violation(
        "evaluated_after_finish",
        "evaluation_date",
        v["evaluation_date"],
        f"评价日期早于整改完成日期{v['finish_date'].isoformat()}",
        f"evaluated before it was finished ({v['finish_date'].isoformat()})",
    )


# ------------------------------------------------------------------- persons
@rule("party_sanction_for_members", "persons", "outcomes", "party_member")
def _party_sanction_for_members(v: Mapping, domain: Domain) -> Violation | None:
    wrong = domain.party_only_violations(v.get("outcomes", ()), bool(v.get("party_member")))
    if not wrong:
        return None
    names = "、".join(o.name for o in wrong)
    return Violation(
        "party_sanction_for_members",
        "outcomes",
        names,
        f"非中共党员不能给予{names}",
        f"{', '.join(o.name_en for o in wrong)} is only for Party members",
    )


@rule("needs_problem_and_outcome", "persons", "problems", "outcomes")
def _needs_problem_and_outcome(v: Mapping, domain: Domain) -> Violation | None:
    if v.get("problems") and v.get("outcomes"):
        return None
    column = "outcomes" if v.get("problems") else "problem_refs"
    return Violation(
        "needs_problem_and_outcome",
        column,
        "",
        "须至少填写一个问题编号和一项处理结果",
        "needs at least one problem and one outcome",
    )


@rule("decided_after_discovery", "persons", "decision_date", "problems")
def _decided_after_discovery(v: Mapping, domain: Domain) -> Violation | None:
    decided = v.get("decision_date")
    for ref, found in v.get("problems", ()):
        if _before(decided, found):
            return Violation(
                "decided_after_discovery",
                "decision_date",
                decided,
                f"处理日期早于问题{ref}的发现日期{found.isoformat()}",
                f"decision before problem {ref} was discovered ({found.isoformat()})",
            )
    return None


def handled_twice(ref: str) -> Violation:
    """The one rule across records: a person is handled once per problem."""
    return Violation(
        "handled_once_per_problem",
        "problem_refs",
        ref,
        f"同一人员因问题{ref}重复处理",
        f"the same person is handled twice for problem {ref}",
    )


# ------------------------------------------------------------------ checking
def rules_for(kind: str) -> list[Rule]:
    return list(_RULES_BY_KIND.get(kind, ()))


def check(kind: str, values: Mapping, domain: Domain | None = None) -> list[Violation]:
    """Every rule of ``kind`` that ``values`` break, in the order they are declared."""
    domain = domain or load()
    found = (r.check(values, domain) for r in _RULES_BY_KIND.get(kind, ()))
    return [violation for violation in found if violation is not None]
