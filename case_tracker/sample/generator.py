"""The bundled sample: a synthetic city register, 2017-01 to 2018-12, generated deterministically.

Its first half of 2018 gives exactly the figures of the reference bulletin
(docs/domain.md §2): 3164 inspections, 1735 problems, 1261 persons handled; 57
Eight-point problems, 77 persons handled for them, 34 of them sanctioned; 15
exposed problems graded poor and handled.  The targets are met by
construction (counts are drawn first, attributes after), and every record obeys
the add-on's server-side rules so the sample imports into a live Odoo.

The rectification loop with the responsible units (returns at acceptance, approved
extensions, 回头看 finding a closed rectification false) is drawn after the
rectifications, with a random generator of its own, so the figures drawn before it
keep their values; only what it changes moves (timeliness against the original
deadline, the reopened rectifications).

Texts (posts, facts, rectification requirements) are written last, with a
random generator of their own (:mod:`case_tracker.sample.texts`), so they can be
improved without moving a single figure.  All names and facts are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from case_tracker.domain import load
from case_tracker.sample import texts
from case_tracker.sample.shipped import sample_dataset  # noqa: F401 - where callers found it

SEED = 2018
START, END = date(2017, 1, 1), date(2018, 12, 31)
H1_2018 = (date(2018, 1, 1), date(2018, 6, 30))
#: The reference figures for 2018-H1 (the Ningbo bulletin of that half-year).
TARGETS = {
    "inspections": 3164,
    "problems": 1735,
    "persons_handled": 1261,
    "eight_point_problems": 57,
    "eight_point_persons": 77,
    "eight_point_sanctioned": 34,
    "exposed_poor_handled": 15,
}
#: Persons handled twice within 2018-H1 (two records, one person): exercises distinct counting.
H1_REPEATS = 10

CITY = ("NB", "宁波市")
DISTRICTS = [
    ("NB-HS", "海曙区", 1.2),
    ("NB-JB", "江北区", 0.8),
    ("NB-ZH", "镇海区", 0.7),
    ("NB-BL", "北仑区", 1.0),
    ("NB-YZ", "鄞州区", 1.5),
    ("NB-FH", "奉化区", 0.8),
    ("NB-YY", "余姚市", 1.1),
    ("NB-CX", "慈溪市", 1.2),
    ("NB-NH", "宁海县", 0.9),
    ("NB-XS", "象山县", 0.8),
]
#: 发文机关代字 of each commission (invented, like everything in the sample).
COMMISSION_CODES = {
    "NB": "甬纪",
    "NB-HS": "海纪",
    "NB-JB": "北纪",
    "NB-ZH": "镇纪",
    "NB-BL": "仑纪",
    "NB-YZ": "鄞纪",
    "NB-FH": "奉纪",
    "NB-YY": "姚纪",
    "NB-CX": "慈纪",
    "NB-NH": "宁纪",
    "NB-XS": "象纪",
}


def commission_name(area: str) -> str:
    """纪委 and 监委 of an area: districts of the city carry its name, counties and cities not."""
    full = area if area == CITY[1] or area[-1] in "市县" else f"{CITY[1]}{area}"
    return f"中共{full}纪律检查委员会 {full}监察委员会"


SUB_UNITS = [
    ("01", "城东街道", "subdistrict"),
    ("02", "城西街道", "subdistrict"),
    ("03", "新城街道", "subdistrict"),
    ("JY", "教育局", "department"),
    ("ZJ", "住房和城乡建设局", "department"),
    ("SC", "市场监督管理局", "department"),
]
#: Real names for some districts' sub-units (the add-on's demo data uses the same units,
#: so the sample imports cleanly into a demo database): suffix -> (code suffix, name).
NAMED_SUB_UNITS = {
    "NB-HS": {"01": ("GL", "鼓楼街道"), "02": ("SJ", "石碶街道"), "03": ("JSG", "集士港镇")},
    "NB-JB": {"01": ("ZQ", "庄桥街道")},
}
#: Units the registers know that have no records in the sample: (code, name, parent, kind).
QUIET_UNITS = [
    ("NB-HS-GL-ZS", "中山社区", "NB-HS-GL", "village"),
    ("NB-HS-WJ", "海曙区卫生健康局", "NB-HS", "department"),
    ("NB-HS-CT", "海曙区城投集团", "NB-HS", "enterprise"),
    ("NB-JB-JT", "江北区交通运输局", "NB-JB", "department"),
]
CITY_DEPARTMENTS = [
    ("NB-JYJ", "宁波市教育局"),
    ("NB-WJW", "宁波市卫生健康委员会"),
    ("NB-JTJ", "宁波市交通运输局"),
    ("NB-GZW", "宁波市国资委"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海波斌宇浩凯鹏飞"
TOPICS = [
    "元旦春节期间作风建设监督检查",
    "清明五一期间纠治“四风”监督检查",
    "端午期间正风肃纪专项检查",
    "中秋国庆期间作风建设监督检查",
    "基层服务窗口作风暗访",
    "公务用车使用管理专项检查",
    "机关工作纪律监督检查",
    "形式主义官僚主义问题专项整治检查",
    "整改落实情况回头看",
    "优化营商环境作风监督检查",
]
METHOD_WEIGHTS = {
    "open": 3,
    "covert": 4,
    "four_no_two_direct": 3,
    "random": 3,
    "cross": 1,
    "thematic": 2,
    "revisit": 1,
}
EIGHT_POINT_WEIGHTS = {
    "e8_dining": 22,
    "e8_gifts": 18,
    "e8_vehicles": 16,
    "e8_allowances": 12,
    "e8_reception": 6,
    "e8_travel_domestic": 5,
    "e8_weddings": 5,
    "e8_entertainment": 4,
    "e8_festival_gifts": 4,
    "e8_travel_abroad": 1,
    "e8_clubs": 1,
    "e8_housing": 1,
    "e8_buildings": 1,
    "e8_other": 4,
}
LOCAL_WEIGHTS = {
    "loc_work_discipline": 40,
    "loc_inaction": 28,
    "loc_masses": 15,
    "loc_integrity": 9,
    "loc_other": 8,
}
RANK_POSTS = {
    "prefectural": (1, ["副局长", "党委副书记"]),
    "county": (6, ["局长", "副局长", "街道党工委副书记", "办公室主任"]),
    "township": (44, ["科长", "副科长", "所长", "街道办事处副主任", "中队长"]),
    "general_cadre": (31, ["科员", "工作人员", "窗口工作人员", "执法队员"]),
    "other_personnel": (18, ["村党支部书记", "村委会主任", "公司经理", "社区工作人员"]),
}
FORM_SHARE = {1: 0.72, 2: 0.225, 3: 0.03, 4: 0.025}


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    district: str | None
    weight: float


def _split(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` that add up to ``total`` exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _months() -> list[tuple[date, date]]:
    months = []
    day = START
    while day <= END:
        nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        months.append((day, nxt - timedelta(days=1)))
        day = nxt
    return months


#: Seasonality of the work (Spring Festival in February; summer and year-end peaks).
SEASON = [0.85, 0.7, 1.0, 1.05, 1.15, 1.2, 1.0, 0.95, 1.1, 1.05, 1.0, 1.15]


class _Builder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.domain = load()
        self.units_rows: list[dict] = []
        self.inspections: list[dict] = []
        self.problems: list[dict] = []
        self.rectifications: list[dict] = []
        self.persons: list[dict] = []
        self.leaf_units: list[_Unit] = []
        self.counters = {"J": {}, "W": {}, "P": {}}
        self.identity_seq = 0

    # ------------------------------------------------------------ helpers
    def ref(self, prefix: str, day: date) -> str:
        seq = self.counters[prefix].get(day.year, 0) + 1
        self.counters[prefix][day.year] = seq
        return f"{prefix}{day.year}-{seq:05d}"

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def name(self) -> str:
        surname = self.rng.choice(SURNAMES)
        given = self.rng.choice(GIVEN) + ("" if self.rng.random() < 0.3 else self.rng.choice(GIVEN))
        return surname + given

    def day_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # -------------------------------------------------------------- units
    def build_units(self) -> None:
        self.units_rows.append(
            {
                "code": CITY[0],
                "name": CITY[1],
                "parent_code": "",
                "kind": "city",
                "commission": commission_name(CITY[1]),
                "commission_code": COMMISSION_CODES[CITY[0]],
            }
        )
        for code, name in CITY_DEPARTMENTS:
            self.units_rows.append(
                {"code": code, "name": name, "parent_code": CITY[0], "kind": "department"}
            )
            self.leaf_units.append(_Unit(code, name, None, 0.5))
        for code, name, weight in DISTRICTS:
            self.units_rows.append(
                {
                    "code": code,
                    "name": name,
                    "parent_code": CITY[0],
                    "kind": "district",
                    "commission": commission_name(name),
                    "commission_code": COMMISSION_CODES[code],
                }
            )
            for suffix, sub_name, kind in SUB_UNITS:
                suffix, sub_name = NAMED_SUB_UNITS.get(code, {}).get(suffix, (suffix, sub_name))
                sub_code = f"{code}-{suffix}"
                label = f"{name}{sub_name}"
                self.units_rows.append(
                    {"code": sub_code, "name": label, "parent_code": code, "kind": kind}
                )
                self.leaf_units.append(_Unit(sub_code, label, code, weight))
        for code, name, parent, kind in QUIET_UNITS:
            self.units_rows.append(
                {"code": code, "name": name, "parent_code": parent, "kind": kind}
            )

    def unit(self) -> _Unit:
        return self.rng.choices(self.leaf_units, weights=[u.weight for u in self.leaf_units])[0]

    # ------------------------------------------------- monthly volumes
    def monthly_counts(self, key: str, base: float, h1_target: int) -> list[int]:
        months = _months()
        h1 = [i for i, (s, _e) in enumerate(months) if H1_2018[0] <= s <= H1_2018[1]]
        counts = []
        for start, _end in months:
            year_factor = 0.82 if start.year == 2017 else 1.04
            noise = self.rng.uniform(0.92, 1.08)
            counts.append(round(base * SEASON[start.month - 1] * year_factor * noise))
        for index, value in zip(
            h1, _split(h1_target, [SEASON[months[i][0].month - 1] for i in h1]), strict=True
        ):
            counts[index] = value
        return counts

    # -------------------------------------------------------- records
    def build(self) -> dict[str, list[dict]]:
        """The register's rows by kind, keyed by schema column (private ``_`` keys dropped)."""
        self.build_units()
        months = _months()
        inspections = self.monthly_counts("inspections", 527, TARGETS["inspections"])
        problems = self.monthly_counts("problems", 289, TARGETS["problems"])
        eight = self.monthly_counts("eight", 9.5, TARGETS["eight_point_problems"])
        for (start, end), n_insp, n_prob, n_eight in zip(
            months, inspections, problems, eight, strict=True
        ):
            month_inspections = [self.add_inspection(start, end) for _ in range(n_insp)]
            kinds = [True] * n_eight + [False] * (n_prob - n_eight)
            self.rng.shuffle(kinds)
            for eight_point in kinds:
                self.add_problem(start, end, eight_point, month_inspections)
        self.add_persons(months)
        self.add_rectifications()
        self.add_liaison_history()
        self.flag_typical_cases()
        self.write_texts()
        rows = {
            "units": self.units_rows,
            "inspections": self.inspections,
            "problems": self.problems,
            "rectifications": self.rectifications,
            "persons": self.persons,
        }
        return {
            kind: [{k: v for k, v in row.items() if not k.startswith("_")} for row in records]
            for kind, records in rows.items()
        }

    def add_inspection(self, start: date, end: date) -> dict:
        unit = self.unit()
        day = self.day_in(start, end)
        inspection = {
            "ref": self.ref("J", day),
            "date": day,
            "end_date": min(day + timedelta(days=self.rng.choice((0, 0, 1, 2))), end),
            "method": self.pick(METHOD_WEIGHTS),
            "topic": self.rng.choice(TOPICS),
            "team": f"第{'一二三四五六七八'[self.rng.randrange(8)]}监督检查组",
            "leader": self.name(),
            "unit_codes": (unit.code,),
            "findings": "",
            "_unit": unit,
        }
        self.inspections.append(inspection)
        return inspection

    def add_problem(self, start: date, end: date, eight_point: bool, inspections: list) -> None:
        from_inspection = self.rng.random() < 0.9 and inspections
        if from_inspection:
            inspection = self.rng.choice(inspections)
            unit = inspection["_unit"]
            day = min(inspection["date"] + timedelta(days=self.rng.choice((0, 0, 0, 1, 3))), end)
        else:
            inspection, unit, day = None, self.unit(), self.day_in(start, end)
        category = self.pick(EIGHT_POINT_WEIGHTS if eight_point else LOCAL_WEIGHTS)
        amount = None
        if eight_point and category not in ("e8_vehicles",):
            amount = float(
                self.rng.choice((380, 560, 800, 1200, 1860, 2400, 3500, 5000, 8600, 12000))
            )
        exposed = self.rng.random() < (0.12 if eight_point else 0.06)
        self.problems.append(
            {
                "ref": self.ref("W", day),
                "inspection_ref": inspection["ref"] if inspection else "",
                "source": "监督检查" if inspection else self.rng.choice(("信访举报", "媒体曝光")),
                "unit_code": unit.code,
                "responsible": "",
                "category": category,
                "description": "",  # written by write_texts()
                "amount": amount,
                "discovery_date": day,
                "exposed": exposed,
                "exposure_channel": self.rng.choice(("tv", "press", "website", "new_media"))
                if exposed
                else "",
                "exposure_date": day + timedelta(days=self.rng.randrange(3, 20))
                if exposed
                else None,
                "exposure_link": "",
                "typical": False,
                "_unit": unit,
            }
        )

    # ------------------------------------------------------------ persons
    def add_persons(self, months) -> None:
        eight_problems = [p for p in self.problems if self.domain.is_eight_point(p["category"])]
        other_problems = [p for p in self.problems if not self.domain.is_eight_point(p["category"])]
        eight_counts = self.monthly_counts("eight_persons", 12, TARGETS["eight_point_persons"])
        other_counts = self.monthly_counts(
            "persons", 205, TARGETS["persons_handled"] - TARGETS["eight_point_persons"]
        )
        h1_index = [i for i, (s, _e) in enumerate(months) if H1_2018[0] <= s <= H1_2018[1]]
        sanctioned_h1 = _split(
            TARGETS["eight_point_sanctioned"], [eight_counts[i] for i in h1_index]
        )
        h1_other_records: list[dict] = []
        for index, (start, end) in enumerate(months):
            in_h1 = index in h1_index
            n_sanctioned = sanctioned_h1[h1_index.index(index)] if in_h1 else None
            for k in range(eight_counts[index]):
                sanction = (k < n_sanctioned) if in_h1 else (self.rng.random() < 0.45)
                self.add_person(start, end, eight_problems, force_sanction=sanction)
            for _ in range(other_counts[index]):
                record = self.add_person(start, end, other_problems, force_sanction=None)
                if in_h1 and record:
                    h1_other_records.append(record)
        # A few people handled a second time within 2018-H1, for another problem.
        for first in self.rng.sample(h1_other_records, H1_REPEATS):
            self.add_person(
                first["decision_date"],
                H1_2018[1],
                other_problems,
                force_sanction=None,
                same_as=first,
            )

    def add_person(self, start, end, pool, force_sanction, same_as=None) -> dict | None:
        decision = self.day_in(start, end)
        candidates = [
            p
            for p in pool[-4000:]
            if p["discovery_date"] <= decision
            and (decision - p["discovery_date"]).days <= 150
            and (same_as is None or p["ref"] not in same_as["problem_refs"])
        ]
        if not candidates:
            candidates = [p for p in pool if p["discovery_date"] <= end] or pool[:1]
            decision = max(decision, candidates[0]["discovery_date"])
            if decision > end:
                return None
        problem = self.rng.choice(candidates)
        if problem["discovery_date"] > decision:
            decision = problem["discovery_date"]
        rank = self.pick({code: weight for code, (weight, _posts) in RANK_POSTS.items()})
        member = self.rng.random() < (0.9 if rank in ("county", "prefectural", "township") else 0.6)
        outcomes = self.outcomes(member, force_sanction)
        if same_as is None:
            self.identity_seq += 1
            identity, name, unit = f"GH{self.identity_seq:06d}", self.name(), problem["_unit"]
            post = self.rng.choice(RANK_POSTS[rank][1])
        else:
            identity, name = same_as["identity"], same_as["name"]
            unit, rank, member = same_as["_unit"], same_as["rank"], same_as["party_member"]
            post = same_as["post"]
            outcomes = self.outcomes(member, None)
        record = {
            "ref": self.ref("P", decision),
            "name": name,
            "unit_code": unit.code,
            "post": post,
            "rank": rank,
            "party_member": member,
            "problem_refs": (problem["ref"],),
            "outcomes": outcomes,
            "decision_date": decision,
            "document_no": f"{unit.name[:2]}纪发〔{decision.year}〕{self.rng.randrange(1, 300)}号",
            "identity": identity,
            "_unit": unit,
        }
        problem["responsible"] = problem["responsible"] or name
        self.persons.append(record)
        return record

    def outcomes(self, member: bool, force_sanction: bool | None) -> tuple[str, ...]:
        domain = self.domain
        by_form: dict[int, list] = {}
        for outcome in domain.outcomes:
            if outcome.party_only and not member:
                continue
            by_form.setdefault(outcome.form, []).append(outcome)
        if force_sanction is True:
            form = self.rng.choices((2, 3), weights=(0.85, 0.15))[0]
            choice = [o for o in by_form[form] if o.sanction]
        elif force_sanction is False:
            form = self.rng.choices((1, 2), weights=(0.8, 0.2))[0]
            choice = [o for o in by_form[form] if not o.sanction]
        else:
            form = self.rng.choices(list(FORM_SHARE), weights=list(FORM_SHARE.values()))[0]
            choice = by_form[form]
        main = self.rng.choice(choice)
        codes = [main.code]
        if main.form >= 3 and member and main.kind == "government":
            codes.insert(0, "party_probation" if main.form == 3 else "party_warning")
        if main.form == 4:
            codes = [self.rng.choice([o.code for o in by_form[3] if o.sanction]), main.code]
        return tuple(codes)

    # -------------------------------------------------------- rectification
    def add_rectifications(self) -> None:
        (closed,) = self.domain.states_where(closed=True)
        (rectifying,) = self.domain.states_where(counts_overdue=True, initial=False)
        (submitted,) = self.domain.states_where(finished=True, open=False, closed=False)
        poor = [g.code for g in self.domain.grades if g.scale == "five" and g.poor]
        fine = [g.code for g in self.domain.grades if g.scale == "five" and not g.poor]
        h1_exposed = []
        for problem in self.problems:
            found = problem["discovery_date"]
            deadline = found + timedelta(days=self.rng.choice((15, 30, 30, 45, 60, 90)))
            late = self.rng.random() < 0.08
            finish = (
                deadline + timedelta(days=self.rng.randrange(1, 30))
                if late
                else (found + timedelta(days=self.rng.randrange(5, (deadline - found).days + 1)))
            )
            evaluation = finish + timedelta(days=self.rng.randrange(3, 25))
            record = {
                "problem_ref": problem["ref"],
                "measures": "立行立改，退还违规款项，完善相关制度，举一反三开展自查自纠。",
                "deadline": deadline,
                "unit_code": problem["unit_code"],
                "responsible": "单位主要负责人",
                "state": closed,
                "finish_date": finish,
                "grade": "",
                "evaluation_date": evaluation,
                "followups": (),
                "followup_note": "",
            }
            if finish > END:
                record.update(state=rectifying, finish_date=None, evaluation_date=None)
            elif evaluation > END:
                record.update(state=submitted, evaluation_date=None)
            else:
                record["grade"] = self.rng.choices(fine, weights=(45, 35, 20))[0]
                in_h1 = H1_2018[0] <= evaluation <= H1_2018[1]
                if problem["exposed"] and in_h1:
                    h1_exposed.append(record)
                elif self.rng.random() < (0.12 if problem["exposed"] else 0.03):
                    self.make_poor(record, poor)
            self.rectifications.append(record)
        for record in self.rng.sample(h1_exposed, TARGETS["exposed_poor_handled"]):
            self.make_poor(record, poor)

    def add_liaison_history(self) -> None:
        """Returns, extensions and 整改不实, drawn with a generator of their own.

        Most rectifications were never returned, some once or twice; about one in ten
        finished under an approved extension (its original deadline earlier than the one
        in force); a few closed ones were found false at a 回头看 and reopened
        (:meth:`reopen`).  Poor grades are left alone (the reference figures count them).
        """
        rng = random.Random(f"{SEED}-liaison")
        (closed,) = self.domain.states_where(closed=True)
        poor = set(self.domain.poor_grades())
        found = {p["ref"]: p for p in self.problems}
        for record in self.rectifications:
            problem = found[record["problem_ref"]]
            record["original_deadline"] = record["deadline"]
            record["return_count"] = rng.choices((0, 1, 2), weights=(86, 11, 3))[0]
            record["extension_count"] = 0
            record["recurrence_count"] = 0
            record["recurrence_date"] = None
            room = (record["deadline"] - problem["discovery_date"]).days
            if rng.random() < 0.1 and room > 15:
                extensions = rng.choices((1, 2), weights=(9, 1))[0]
                days = min(rng.choice((15, 20, 30)) * extensions, room - 5)
                record["extension_count"] = extensions
                record["original_deadline"] = record["deadline"] - timedelta(days=days)
            if (
                record["state"] == closed
                and record["grade"] not in poor
                and not problem["exposed"]
                and rng.random() < 0.006
            ):
                self.reopen(record, rng)

    def reopen(self, record: dict, rng: random.Random) -> None:
        """整改不实: a 回头看 after the acceptance finds the problem back.

        Reopened as the workflow does (整改中, a new deadline; finish, grade and evaluation
        cleared); rectified again by the new deadline when the register's span allows,
        then submitted or, once evaluated, closed again.  The original deadline stays.
        """
        (rectifying,) = self.domain.states_where(counts_overdue=True, initial=False)
        (closed,) = self.domain.states_where(closed=True)
        (submitted,) = self.domain.states_where(finished=True, open=False, closed=False)
        fine = [g.code for g in self.domain.grades if g.scale == "five" and not g.poor]
        day = record["evaluation_date"] + timedelta(days=rng.randrange(20, 120))
        if day > END:
            return
        deadline = day + timedelta(days=rng.choice((30, 45, 60)))
        record.update(
            state=rectifying,
            deadline=deadline,
            finish_date=None,
            grade="",
            evaluation_date=None,
            recurrence_count=1,
            recurrence_date=day,
        )
        finish = day + timedelta(days=rng.randrange(10, (deadline - day).days + 1))
        if finish > END:
            return
        evaluation = finish + timedelta(days=rng.randrange(3, 25))
        record.update(state=submitted, finish_date=finish)
        if evaluation <= END:
            record.update(
                state=closed,
                grade=rng.choices(fine, weights=(20, 45, 35))[0],
                evaluation_date=evaluation,
            )

    def make_poor(self, record: dict, poor: list[str]) -> None:
        record["grade"] = self.rng.choice(poor)
        record["followups"] = ("serious_notice", "interview") + (
            ("revisit",) if self.rng.random() < 0.6 else ()
        )
        record["followup_note"] = "对责任单位严肃处理并通报，约谈单位主要负责人，限期重新整改。"

    # ------------------------------------------------------- typical cases
    def flag_typical_cases(self) -> None:
        """Eight-point problems with sanctioned persons become the bulletin's typical cases."""
        sanctioned_refs = {}
        for person in self.persons:
            if self.domain.is_sanctioned(person["outcomes"]):
                for ref in person["problem_refs"]:
                    sanctioned_refs.setdefault(ref, person)
        by_ref = {p["ref"]: p for p in self.problems}
        for ref in sanctioned_refs:
            problem = by_ref[ref]
            if not self.domain.is_eight_point(problem["category"]):
                continue
            if self.rng.random() > 0.5:
                continue
            problem["typical"] = True

    # ------------------------------------------------------------- texts
    def write_texts(self) -> None:
        """Posts, facts and requirements, drawn from a generator of their own (no figure moves).

        A typical case names, first, the person the bulletin puts in its heading
        (the problem's persons in the order of their references).
        """
        rng = random.Random(f"{SEED}-texts")
        posts: dict[str, str] = {}
        handled: dict[str, list[dict]] = {}
        for person in self.persons:
            key = person["identity"]
            if key not in posts:
                unit = person["_unit"]
                posts[key] = texts.post_for(unit.code, unit.name, person["rank"], rng)
            person["post"] = posts[key]
            for ref in person["problem_refs"]:
                handled.setdefault(ref, []).append(person)
        for problem in self.problems:
            category, day = problem["category"], problem["discovery_date"]
            people = sorted(handled.get(problem["ref"], ()), key=lambda p: p["ref"])
            names = list(dict.fromkeys(p["name"] for p in people))
            if problem["typical"] and names:
                problem["description"] = texts.named_facts(
                    category, day, problem["amount"], names[0], names[1:], rng
                )
            else:
                problem["description"] = texts.unit_facts(category, day, problem["amount"], rng)
        categories = {p["ref"]: p["category"] for p in self.problems}
        for record in self.rectifications:
            record["measures"] = texts.requirement(categories[record["problem_ref"]])


def generate_rows() -> dict[str, list[dict]]:
    """Generate the sample register anew (about a second): rows by kind, as for
    :meth:`Dataset.from_rows`.  The package ships its output (:mod:`case_tracker.sample.shipped`);
    after changing this module, regenerate that file with ``python3 -m case_tracker.sample``."""
    return _Builder().build()
