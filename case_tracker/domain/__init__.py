"""The domain core: typed, read-only access to ``domain.toml``.

Everything that knows a category, rank, grade, outcome or four-form mapping
reads it from here, so the add-on, the importer and the statistics never hold
a second copy of a rule.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from case_tracker.domain.predicate import matches
from case_tracker.domain.text import normalise_text

__all__ = [
    "Ambiguous",
    "Category",
    "CategoryList",
    "Domain",
    "Entry",
    "Grade",
    "Outcome",
    "Rank",
    "RectificationState",
    "Transition",
    "heaviest",
    "load",
    "normalise_text",
]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Entry:
    """A coded master-data entry with a Chinese name and accepted spellings."""

    code: str
    name: str
    name_en: str
    aliases: tuple[str, ...] = ()
    sequence: int = 0

    def spellings(self) -> tuple[str, ...]:
        """All strings the importer accepts for this entry (code included)."""
        return (self.code, self.name, self.name_en, *self.aliases)


@dataclass(frozen=True)
class CategoryList(Entry):
    valid_from: date | None = None
    valid_to: date | None = None
    eight_point: bool = False

    def valid_on(self, day: date) -> bool:
        return _within(day, self.valid_from, self.valid_to)


@dataclass(frozen=True)
class Category(Entry):
    list_code: str = ""
    parent: str | None = None
    group: str | None = None
    short: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def is_leaf(self) -> bool:
        return self.parent is not None

    @property
    def label(self) -> str:
        """The short label used in tables (the full name is often a paragraph)."""
        return self.short or self.name

    def spellings(self) -> tuple[str, ...]:
        return (*super().spellings(), *((self.short,) if self.short else ()))


@dataclass(frozen=True)
class Rank(Entry):
    report_as: str | None = None

    @property
    def ccdi_rank(self) -> str:
        """The CCDI table row this rank is reported under."""
        return self.report_as or self.code


@dataclass(frozen=True)
class Grade(Entry):
    scale: str = "five"
    poor: bool = False


@dataclass(frozen=True)
class Outcome(Entry):
    kind: str = ""
    form: int = 1
    severity: int = 0
    sanction: bool = False
    party_only: bool = False


@dataclass(frozen=True)
class RectificationState(Entry):
    """A rectification state and the flags every consumer asks for (never the code)."""

    initial: bool = False
    open: bool = False
    finished: bool = False
    closed: bool = False
    revisit: bool = False
    counts_overdue: bool = False


@dataclass(frozen=True)
class Transition:
    """A workflow action: from one of ``sources`` to ``target`` (reviewers only if ``reviewer``).

    ``liaison``: the inspected unit's liaison may take it; ``reason``: it needs one;
    ``counter``: the rectification's count (returns, recurrences) it adds one to.
    """

    action: str
    sources: tuple[str, ...]
    target: str
    reviewer: bool = False
    name: str = ""
    name_en: str = ""
    liaison: bool = False
    reason: bool = False
    counter: str = ""


@dataclass(frozen=True)
class Form:
    number: int
    name: str
    name_en: str
    description: str


@dataclass(frozen=True)
class Ambiguous:
    """A spelling registers use for more than one entry of a list: refused, never guessed."""

    kind: str  # the list, e.g. "outcomes"
    spelling: str
    candidates: tuple[str, ...]  # the codes it may mean, in the order an error names them


def heaviest(outcomes: Iterable):
    """The outcome that decides a person's four form: the one with the highest severity.

    Works on anything with a ``severity`` (domain entries, or the add-on's
    outcome records), so the add-on and the statistics apply one rule.
    """
    outcomes = list(outcomes)
    return max(outcomes, key=lambda o: o.severity) if outcomes else None


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass(frozen=True)
class Domain:
    """All configurable lists, as loaded from one TOML document."""

    settings: dict
    category_lists: tuple[CategoryList, ...]
    categories: tuple[Category, ...]
    ranks: tuple[Rank, ...]
    grades: tuple[Grade, ...]
    followups: tuple[Entry, ...]
    outcome_kinds: dict[str, dict]
    outcomes: tuple[Outcome, ...]
    forms: tuple[Form, ...]
    inspection_methods: tuple[Entry, ...]
    rectification_states: tuple[RectificationState, ...]
    rectification_transitions: tuple[Transition, ...]
    exposure_channels: tuple[Entry, ...]
    unit_kinds: tuple[Entry, ...]
    ambiguous: tuple[Ambiguous, ...] = ()
    _index: dict[str, dict[str, Entry]] = field(default_factory=dict, repr=False, compare=False)

    # ----------------------------------------------------------- look-ups
    def get(self, kind: str, code: str) -> Entry:
        """The entry of ``kind`` (e.g. ``"outcomes"``) with ``code``; KeyError if unknown."""
        try:
            return self._index[kind][code]
        except KeyError:
            raise KeyError(f"unknown {kind} code {code!r}") from None

    def category(self, code: str) -> Category:
        return self.get("categories", code)  # type: ignore[return-value]

    def category_list(self, code: str) -> CategoryList:
        return self.get("category_lists", code)  # type: ignore[return-value]

    def outcome(self, code: str) -> Outcome:
        return self.get("outcomes", code)  # type: ignore[return-value]

    def grade(self, code: str) -> Grade:
        return self.get("grades", code)  # type: ignore[return-value]

    def rank(self, code: str) -> Rank:
        return self.get("ranks", code)  # type: ignore[return-value]

    # ---------------------------------------------------------- the rules
    def is_eight_point(self, category_code: str) -> bool:
        """违反中央八项规定精神: the category belongs to a CCDI table list."""
        return self.category_list(self.category(category_code).list_code).eight_point

    def eight_point_categories(self) -> frozenset[str]:
        return frozenset(c.code for c in self.categories if self.is_eight_point(c.code))

    def category_valid_on(self, category_code: str, day: date) -> bool:
        category = self.category(category_code)
        return self.category_list(category.list_code).valid_on(day) and _within(
            day, category.valid_from, category.valid_to
        )

    def lists_for_period(self, start: date, end: date) -> tuple[CategoryList, ...]:
        """The category lists valid on at least one day of [start, end]."""
        return tuple(
            cl
            for cl in self.category_lists
            if (cl.valid_from is None or cl.valid_from <= end)
            and (cl.valid_to is None or start <= cl.valid_to)
        )

    def children(self, parent_code: str) -> tuple[Category, ...]:
        return tuple(
            sorted(
                (c for c in self.categories if c.parent == parent_code), key=lambda c: c.sequence
            )
        )

    def top_categories(self, list_code: str) -> tuple[Category, ...]:
        return tuple(
            sorted(
                (c for c in self.categories if c.list_code == list_code and c.parent is None),
                key=lambda c: c.sequence,
            )
        )

    def is_poor_grade(self, grade_code: str) -> bool:
        """较差 and 差 (or 不合格): serious handling and a public notice follow."""
        return self.grade(grade_code).poor

    def poor_grades(self) -> frozenset[str]:
        return frozenset(g.code for g in self.grades if g.poor)

    def heaviest_outcome(self, outcome_codes: Iterable[str]) -> Outcome | None:
        """The outcome that decides a person's form: the highest severity."""
        return heaviest(self.outcome(code) for code in outcome_codes)

    def form_of(self, outcome_codes: Iterable[str]) -> int | None:
        """四种形态 of a person: the form of the heaviest outcome (None without outcomes)."""
        heaviest = self.heaviest_outcome(outcome_codes)
        return heaviest.form if heaviest else None

    def is_sanctioned(self, outcome_codes: Iterable[str]) -> bool:
        """党纪政务处分: at least one Party or government sanction among the outcomes."""
        return any(self.outcome(code).sanction for code in outcome_codes)

    def sanction_codes(self) -> frozenset[str]:
        return frozenset(o.code for o in self.outcomes if o.sanction)

    def party_only_violations(
        self, outcome_codes: Iterable[str], party_member: bool
    ) -> tuple[Outcome, ...]:
        """Party sanctions given to a non-member (e.g. 开除党籍): always an error."""
        if party_member:
            return ()
        return tuple(o for o in map(self.outcome, outcome_codes) if o.party_only)

    def outcome_kind_name(self, kind: str, on: date | None = None) -> str:
        """政务处分 was called 政纪处分 before the 2018 reform: name it as it was then."""
        info = self.outcome_kinds[kind]
        renamed_on = _date(info.get("renamed_on"))
        if on is not None and renamed_on is not None and on < renamed_on:
            return info["former_name"]
        return info["name"]

    # ------------------------------------------------- rectification states
    def rectification_state(self, code: str) -> RectificationState:
        return self.get("rectification_states", code)  # type: ignore[return-value]

    def states_where(self, **flags: bool) -> tuple[str, ...]:
        """Codes of the rectification states whose flags all have the given values."""
        return tuple(
            state.code
            for state in self.rectification_states
            if all(getattr(state, flag) == wanted for flag, wanted in flags.items())
        )

    def initial_state(self) -> str:
        (code,) = self.states_where(initial=True)
        return code

    def transition(self, action: str) -> Transition:
        for transition in self.rectification_transitions:
            if transition.action == action:
                return transition
        raise KeyError(f"unknown rectification action {action!r}")

    def overdue_domain(self, as_of: date) -> list:
        """逾期 (overdue) on ``as_of``, as an Odoo-style domain over a rectification.

        The one definition of overdue: the deadline has passed and the work was
        not finished by ``as_of`` — finished after it, or not finished at all in a
        state that counts (待整改、整改中).  The model's field and its search, the
        deadline job, the dashboard and both statistics back ends all use it.
        """
        return [
            ("deadline", "<", as_of),
            "|",
            ("finish_date", ">", as_of),
            "&",
            ("finish_date", "=", False),
            ("state", "in", self.states_where(counts_overdue=True)),
        ]

    def is_overdue(
        self, state: str, deadline: date | None, finish_date: date | None, as_of: date
    ) -> bool:
        """:meth:`overdue_domain` for one rectification."""
        values = {"state": state, "deadline": deadline, "finish_date": finish_date}
        return matches(values, self.overdue_domain(as_of))

    # ------------------------------------------------------------ matching
    def match(self, kind: str, text: str, on: date | None = None) -> str | None:
        """The code whose name, code or alias equals ``text`` once normalised.

        Full-width characters, inner spaces and brackets are normalised away
        (``"较 差"`` matches ``较差``).  For categories, ``on`` restricts the
        match to entries valid on that date, which tells the 2013 and 2019
        lists apart when both spell a category the same way.  None when nothing
        matches or the spelling is ambiguous (see :meth:`resolve`).
        """
        hits = self.resolve(kind, text, on)
        return hits[0] if len(hits) == 1 else None

    def resolve(self, kind: str, text: str, on: date | None = None) -> tuple[str, ...]:
        """Every code ``text`` may mean: none, exactly one, or several (ambiguous).

        A spelling declared in ``[[ambiguous]]`` means all its candidates, even where
        one entry lists it as a short label: it is never guessed.  For categories,
        ``on`` keeps the candidates valid on that date when there are any.
        """
        wanted = normalise_text(text)
        if not wanted:
            return ()
        declared = self._ambiguous(kind).get(wanted)
        hits = list(declared if declared is not None else self._spellings(kind).get(wanted, ()))
        if kind == "categories" and len(hits) > 1:
            if declared is None:
                hits = [c for c in hits if self.category(c).is_leaf] or hits
            if on is not None:
                hits = [c for c in hits if self.category_valid_on(c, on)] or hits
        return tuple(hits)

    def ambiguous_spellings(self, kind: str) -> tuple[Ambiguous, ...]:
        """The spellings of ``kind`` that are refused as ambiguous, as declared."""
        return tuple(a for a in self.ambiguous if a.kind == kind)

    def _ambiguous(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Normalised declared spelling -> its candidates, built once per list."""
        cache_key = f"ambiguous:{kind}"
        if cache_key not in self._index:
            self._index[cache_key] = {  # type: ignore[assignment]
                normalise_text(a.spelling): a.candidates for a in self.ambiguous_spellings(kind)
            }
        return self._index[cache_key]  # type: ignore[return-value]

    def _spellings(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Normalised spelling -> codes, built once per list (matching is hot on import)."""
        cache_key = f"spellings:{kind}"
        if cache_key not in self._index:
            index: dict[str, list[str]] = {}
            for entry in self._index[kind].values():
                for spelling in {normalise_text(s) for s in entry.spellings() if s}:
                    index.setdefault(spelling, []).append(entry.code)
            self._index[cache_key] = {k: tuple(v) for k, v in index.items()}  # type: ignore[assignment]
        return self._index[cache_key]  # type: ignore[return-value]

    def candidates(self, kind: str) -> tuple[str, ...]:
        """Names to suggest in an error message when nothing matched."""
        return tuple(e.name for e in self._index[kind].values())


def _entries(cls, rows: Iterable[dict], **renames: str) -> tuple:
    out = []
    for row in rows:
        data = {renames.get(k, k): v for k, v in row.items()}
        data["aliases"] = tuple(data.get("aliases", ()))
        for key in ("valid_from", "valid_to"):
            if key in data:
                data[key] = _date(data[key])
        out.append(cls(**data))
    return tuple(out)


def parse(text: str) -> Domain:
    """Build a :class:`Domain` from TOML text (also used by tests with edited copies)."""
    raw = tomllib.loads(text)
    domain = Domain(
        settings=dict(raw.get("settings", {})),
        category_lists=_entries(CategoryList, raw["category_lists"]),
        categories=_entries(Category, raw["categories"], list="list_code"),
        ranks=_entries(Rank, raw["ranks"]),
        grades=_entries(Grade, raw["grades"]),
        followups=_entries(Entry, raw["followups"]),
        outcome_kinds=dict(raw["outcome_kinds"]),
        outcomes=_entries(Outcome, raw["outcomes"]),
        forms=tuple(Form(**f) for f in raw["forms"]),
        inspection_methods=_entries(Entry, raw["inspection_methods"]),
        rectification_states=_entries(RectificationState, raw["rectification_states"]),
        rectification_transitions=tuple(
            Transition(
                action=t["action"],
                sources=tuple(t["from"]),
                target=t["to"],
                reviewer=t.get("reviewer", False),
                name=t.get("name", ""),
                name_en=t.get("name_en", ""),
                liaison=t.get("liaison", False),
                reason=t.get("reason", False),
                counter=t.get("counter", ""),
            )
            for t in raw["rectification_transitions"]
        ),
        exposure_channels=_entries(Entry, raw["exposure_channels"]),
        unit_kinds=_entries(Entry, raw["unit_kinds"]),
        ambiguous=tuple(
            Ambiguous(kind=a["list"], spelling=a["spelling"], candidates=tuple(a["candidates"]))
            for a in raw.get("ambiguous", ())
        ),
    )
    for kind in (
        "category_lists",
        "categories",
        "ranks",
        "grades",
        "followups",
        "outcomes",
        "inspection_methods",
        "rectification_states",
        "exposure_channels",
        "unit_kinds",
    ):
        entries = getattr(domain, kind)
        index = {e.code: e for e in entries}
        if len(index) != len(entries):
            raise ValueError(f"duplicate code in {kind}")
        domain._index[kind] = index
    _check(domain)
    return domain


def _check(domain: Domain) -> None:
    """Refuse an inconsistent definition early rather than mis-count later."""
    lists = domain._index["category_lists"]
    for category in domain.categories:
        if category.list_code not in lists:
            raise ValueError(f"category {category.code}: unknown list {category.list_code!r}")
        if category.parent is not None:
            parent = domain._index["categories"].get(category.parent)
            if parent is None or parent.list_code != category.list_code:
                raise ValueError(f"category {category.code}: bad parent {category.parent!r}")
    states = domain._index["rectification_states"]
    if len(domain.states_where(initial=True)) != 1:
        raise ValueError("rectification_states: exactly one state must be initial")
    for transition in domain.rectification_transitions:
        for code in (*transition.sources, transition.target):
            if code not in states:
                raise ValueError(f"transition {transition.action}: unknown state {code!r}")
        if transition.reviewer and transition.liaison:
            raise ValueError(f"transition {transition.action}: reviewers only, or liaison too?")
    for rank in domain.ranks:
        if rank.report_as and rank.report_as not in domain._index["ranks"]:
            raise ValueError(f"rank {rank.code}: unknown report_as {rank.report_as!r}")
    forms = {f.number for f in domain.forms}
    for outcome in domain.outcomes:
        if outcome.form not in forms:
            raise ValueError(f"outcome {outcome.code}: unknown form {outcome.form}")
        if outcome.kind not in domain.outcome_kinds:
            raise ValueError(f"outcome {outcome.code}: unknown kind {outcome.kind!r}")
    for ambiguous in domain.ambiguous:
        where = f"ambiguous {ambiguous.spelling!r}"
        entries = domain._index.get(ambiguous.kind)
        if entries is None:
            raise ValueError(f"{where}: unknown list {ambiguous.kind!r}")
        if len(set(ambiguous.candidates)) < 2:
            raise ValueError(f"{where}: name at least two candidates")
        for code in ambiguous.candidates:
            if code not in entries:
                raise ValueError(f"{where}: unknown {ambiguous.kind} code {code!r}")
        spelling = normalise_text(ambiguous.spelling)
        for entry in entries.values():  # a declared spelling (not a table label) contradicts it
            if spelling in {normalise_text(s) for s in Entry.spellings(entry)}:
                raise ValueError(f"{where}: also a spelling of {entry.code}")


#: A deployment's own domain file (a complete copy of ``domain.toml``, edited): the one
#: definition for the add-on, the importer and the statistics of that deployment.
DOMAIN_FILE_VARIABLE = "CASE_TRACKER_DOMAIN_FILE"

_active: contextvars.ContextVar[Domain | None] = contextvars.ContextVar("domain", default=None)


def source_path() -> Path | None:
    """The deployment's domain file, or None for the bundled one."""
    configured = os.environ.get(DOMAIN_FILE_VARIABLE)
    return Path(configured) if configured else None


def source_text() -> str:
    """The domain definition in force as TOML text (the add-on hashes it to know when to resync).

    Read once per process and file: a deployment changes its file, then restarts and
    upgrades (``load`` is called for every cell an import reads).
    """
    return _read_source(os.environ.get(DOMAIN_FILE_VARIABLE) or None)


@cache
def _read_source(configured: str | None) -> str:
    if configured:
        return Path(configured).read_text(encoding="utf-8")
    return resources.files(__package__).joinpath("domain.toml").read_text(encoding="utf-8")


@cache
def _parsed(text: str) -> Domain:
    return parse(text)


def load() -> Domain:
    """The domain definition in force: the one :func:`use` set, else the configured file.

    The configured file is ``$CASE_TRACKER_DOMAIN_FILE`` when set (a deployment's own
    lists), else the bundled ``domain.toml``; each text is parsed once per process.
    """
    return _active.get() or _parsed(source_text())


def activate(domain: Domain) -> None:
    """Make ``domain`` the one :func:`load` returns from now on (a command talking to an Odoo
    takes that server's definition, so client and server match spellings and labels alike)."""
    _active.set(domain)


def source_hash(text: str | None = None) -> str:
    """A fingerprint of a definition's text: the add-on records the one it synchronised."""
    return hashlib.sha256((text if text is not None else source_text()).encode()).hexdigest()


@contextlib.contextmanager
def use(domain: Domain) -> Iterator[Domain]:
    """Make ``domain`` the one :func:`load` returns, e.g. the one a live Odoo uses."""
    token = _active.set(domain)
    try:
        yield domain
    finally:
        _active.reset(token)
