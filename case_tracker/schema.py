"""The register format: record kinds, their business keys and columns.

One definition serves the import template, the importer's header mapping, the
offline (file) statistics source and ``case-tracker sample --export``: a column
added here is added everywhere.

Field types:
    str, text     free text (``text`` may be long)
    date          a calendar day (many spellings accepted on import)
    money         an amount in yuan, two decimals
    int           a whole number (a count: blank is the column's default, 0)
    bool          是/否 (and yes/no, 1/0, Y/N, √/×)
    code:KIND     one entry of the domain core's KIND list (matched by name, code or alias)
    codes:KIND    several entries, separated by 、，,；; or newlines
    ref:KIND      the business key of a record of another kind
    refs:KIND     several such keys
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    header_en: str
    type: str = "str"
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    #: The add-on's field this column is stored in (default: the column's key); for
    #: ref/code columns of records or master data, the many2one/many2many field.
    field: str = ""
    #: Stored when the cell is empty (e.g. a unit of unknown kind is "other").
    default: object = None
    #: An empty cell leaves the stored value alone (instead of clearing it).
    kept_when_blank: bool = False

    @property
    def odoo_field(self) -> str:
        return self.field or self.key

    @cached_property  # asked for every cell a register holds
    def base_type(self) -> str:
        return self.type.split(":", 1)[0]

    @cached_property
    def target(self) -> str | None:
        """For code/codes/ref/refs columns: the domain list or record kind referred to."""
        return self.type.split(":", 1)[1] if ":" in self.type else None

    @property
    def is_multi(self) -> bool:
        return self.base_type in ("codes", "refs")


@dataclass(frozen=True)
class Kind:
    key: str
    sheet: str
    sheet_en: str
    business_key: str
    columns: tuple[Column, ...]
    model: str = ""  # the add-on's model that stores this kind
    #: Field values every imported record gets: a register holds registered records.
    fixed: tuple[tuple[str, object], ...] = ()
    #: The add-on's field that identifies a record of this kind (default: the business key).
    key_field: str = ""

    @property
    def odoo_key(self) -> str:
        return self.key_field or self.business_key

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key} has no column {key!r}")


UNITS = Kind(
    key="units",
    model="di.unit",
    sheet="单位",
    sheet_en="Units",
    business_key="code",
    columns=(
        Column("code", "单位编码", "Unit code", required=True, aliases=("编码", "单位代码")),
        Column("name", "单位名称", "Unit name", required=True, aliases=("单位", "名称")),
        Column(
            "parent_code",
            "上级单位编码",
            "Parent unit code",
            "ref:units",
            aliases=("上级单位", "上级编码"),
            field="parent_id",
        ),
        Column(
            "kind",
            "单位类别",
            "Unit kind",
            "code:unit_kinds",
            aliases=("类别", "单位类型"),
            default="other",
        ),
        Column(
            "commission",
            "发文机关",
            "Issuing commission",
            aliases=("纪委监委", "发文机关名称"),
            help="本单位纪委监委全称，用于版头和落款（纪委、监委之间空一格）；空则用上级单位的",
            field="commission_name",
            kept_when_blank=True,
        ),
        Column(
            "commission_code",
            "发文机关代字",
            "Document code",
            aliases=("文号代字", "发文代字"),
            help="发文字号中的机关代字，如“海纪”（海纪通〔2018〕3号）",
            kept_when_blank=True,
        ),
    ),
)

INSPECTIONS = Kind(
    key="inspections",
    model="di.inspection",
    fixed=(("state", "done"),),
    sheet="监督检查",
    sheet_en="Inspections",
    business_key="ref",
    columns=(
        Column("ref", "检查编号", "Inspection ref", required=True, aliases=("编号", "检查序号")),
        Column(
            "date",
            "检查日期",
            "Inspection date",
            "date",
            required=True,
            aliases=("日期", "开始日期", "检查时间"),
        ),
        Column("end_date", "结束日期", "End date", "date"),
        Column(
            "method",
            "检查方式",
            "Method",
            "code:inspection_methods",
            required=True,
            aliases=("方式", "检查方法"),
        ),
        Column("topic", "检查主题", "Topic", aliases=("主题", "检查内容")),
        Column("team", "检查组", "Team", aliases=("检查组别",)),
        Column(
            "leader", "检查组长", "Team leader", aliases=("组长", "带队领导"), field="leader_name"
        ),
        Column(
            "unit_codes",
            "被检查单位编码",
            "Inspected unit codes",
            "refs:units",
            required=True,
            aliases=("被检查单位", "检查对象"),
            field="unit_ids",
        ),
        Column("findings", "检查情况", "Findings", "text", aliases=("发现情况", "情况说明")),
    ),
)

PROBLEMS = Kind(
    key="problems",
    model="di.problem",
    fixed=(("state", "confirmed"),),
    sheet="发现问题",
    sheet_en="Problems",
    business_key="ref",
    columns=(
        Column("ref", "问题编号", "Problem ref", required=True, aliases=("编号",)),
        Column(
            "inspection_ref",
            "检查编号",
            "Inspection ref",
            "ref:inspections",
            help="空白表示问题来自信访举报、媒体等，而非监督检查",
            field="inspection_id",
        ),
        Column("source", "问题来源", "Source", aliases=("来源",)),
        Column(
            "unit_code",
            "责任单位编码",
            "Responsible unit code",
            "ref:units",
            required=True,
            aliases=("责任单位", "单位编码"),
            field="unit_id",
        ),
        Column("responsible", "责任人", "Responsible persons"),
        Column(
            "category",
            "问题类别",
            "Category",
            "code:categories",
            required=True,
            aliases=("问题类型", "类别", "问题分类"),
            field="category_id",
        ),
        Column(
            "description",
            "问题描述",
            "Description",
            "text",
            required=True,
            aliases=("问题表现", "具体问题", "问题"),
        ),
        Column(
            "amount",
            "涉及金额（元）",
            "Amount (yuan)",
            "money",
            aliases=("涉及金额", "金额", "金额（元）"),
        ),
        Column(
            "discovery_date",
            "发现日期",
            "Discovery date",
            "date",
            required=True,
            aliases=("发现时间",),
        ),
        Column("exposed", "是否公开曝光", "Publicly exposed", "bool", aliases=("公开曝光", "曝光")),
        Column(
            "exposure_channel",
            "曝光渠道",
            "Exposure channel",
            "code:exposure_channels",
            aliases=("曝光媒体",),
        ),
        Column("exposure_date", "曝光日期", "Exposure date", "date", aliases=("曝光时间",)),
        Column("exposure_link", "曝光链接", "Exposure link", aliases=("链接",)),
        Column("typical", "典型案例", "Typical case", "bool", aliases=("是否典型", "典型问题")),
    ),
)

RECTIFICATIONS = Kind(
    key="rectifications",
    model="di.rectification",
    key_field="problem_id",  # a rectification is keyed by its problem
    sheet="整改",
    sheet_en="Rectifications",
    business_key="problem_ref",
    columns=(
        Column(
            "problem_ref",
            "问题编号",
            "Problem ref",
            "ref:problems",
            required=True,
            field="problem_id",
        ),
        Column("measures", "整改措施", "Measures", "text", aliases=("措施",)),
        Column(
            "deadline", "整改时限", "Deadline", "date", required=True, aliases=("整改期限", "时限")
        ),
        Column(
            "original_deadline",
            "原定整改期限",
            "Original deadline",
            "date",
            aliases=("原定期限", "原整改时限"),
            help="经批准延期的，填最初确定的整改期限（整改时限填延期后的期限）；"
            "未延期的可空，视同整改时限。按期完成按原定整改期限认定",
            # Blank: Odoo keeps what it has (on create: the deadline), as the file reads it.
            kept_when_blank=True,
        ),
        Column(
            "unit_code",
            "整改责任单位编码",
            "Responsible unit code",
            "ref:units",
            aliases=("整改责任单位",),
            field="unit_id",
        ),
        Column("responsible", "整改责任人", "Responsible person"),
        Column(
            "state",
            "整改状态",
            "State",
            "code:rectification_states",
            required=True,
            aliases=("状态",),
        ),
        Column("finish_date", "整改完成日期", "Finished on", "date", aliases=("完成日期",)),
        Column(
            "grade",
            "整改评价",
            "Grade",
            "code:grades",
            aliases=("评价", "评价等次"),
            field="grade_id",
        ),
        Column("evaluation_date", "评价日期", "Evaluated on", "date", aliases=("评价时间",)),
        Column(
            "followups",
            "后续处理",
            "Follow-up decisions",
            "codes:followups",
            aliases=("处理措施",),
            field="followup_ids",
        ),
        Column("followup_note", "处理情况说明", "Follow-up note", "text"),
        # The loop's counts and date are history the add-on's actions keep: a register
        # without them (blank) leaves what Odoo holds; the file source reads blank as 0.
        Column(
            "return_count",
            "退回重改次数",
            "Returns",
            "int",
            aliases=("退回次数", "退回整改次数"),
            help="验收时被退回重新整改的次数；空为0（系统中已有的整改保留原值）",
            default=0,
            kept_when_blank=True,
        ),
        Column(
            "extension_count",
            "延期次数",
            "Extensions",
            "int",
            aliases=("批准延期次数",),
            help="经批准延长整改期限的次数；空为0（系统中已有的整改保留原值）",
            default=0,
            kept_when_blank=True,
        ),
        Column(
            "recurrence_count",
            "整改不实次数",
            "Recurrences",
            "int",
            aliases=("反弹次数", "整改反弹次数"),
            help="“回头看”发现问题反弹回潮或虚假整改的次数；空为0（系统中已有的整改保留原值）",
            default=0,
            kept_when_blank=True,
        ),
        Column(
            "recurrence_date",
            "整改不实认定日期",
            "Recurrence found on",
            "date",
            aliases=("回头看认定日期", "整改不实日期"),
            help="最近一次“回头看”认定整改不实的日期；整改不实次数大于0时必填",
            kept_when_blank=True,
        ),
    ),
)

PERSONS = Kind(
    key="persons",
    model="di.person",
    fixed=(("state", "confirmed"),),
    sheet="处理人员",
    sheet_en="Handled persons",
    business_key="ref",
    columns=(
        Column("ref", "人员编号", "Person ref", required=True, aliases=("编号",)),
        Column("name", "姓名", "Name", required=True),
        Column(
            "unit_code",
            "单位编码",
            "Unit code",
            "ref:units",
            required=True,
            aliases=("所在单位", "单位"),
            field="unit_id",
        ),
        Column("post", "职务", "Post", aliases=("职务职级",)),
        Column(
            "rank", "级别", "Rank", "code:ranks", required=True, aliases=("职级",), field="rank_id"
        ),
        Column(
            "party_member",
            "是否党员",
            "Party member",
            "bool",
            required=True,
            aliases=("党员", "政治面貌"),
        ),
        Column(
            "problem_refs",
            "问题编号",
            "Problem refs",
            "refs:problems",
            required=True,
            aliases=("涉及问题编号",),
            field="problem_ids",
        ),
        Column(
            "outcomes",
            "处理结果",
            "Outcomes",
            "codes:outcomes",
            required=True,
            aliases=("处理方式", "处分", "处理处分"),
            field="outcome_ids",
        ),
        Column(
            "decision_date",
            "处理日期",
            "Decision date",
            "date",
            required=True,
            aliases=("处分日期", "决定日期", "处理时间"),
        ),
        Column("document_no", "处理文号", "Document number", aliases=("文号",)),
        Column(
            "identity",
            "身份标识",
            "Identity key",
            help="同一人多次被处理时用于识别同一人（如工号）；为空时按 姓名+单位 识别",
        ),
    ),
)

#: Headers of columns that carry no data and are skipped without a word: a running row
#: number, which nearly every hand-kept register has.  Any other header the importer does
#: not know is reported (file, sheet, column) and makes ``import --strict`` refuse.
DECORATIVE_HEADERS: tuple[str, ...] = ("序号", "No.", "#")

#: Kinds in dependency order: a kind only refers to kinds before it.
KINDS: tuple[Kind, ...] = (UNITS, INSPECTIONS, PROBLEMS, RECTIFICATIONS, PERSONS)
KINDS_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}

#: Domain-core lists the add-on stores as records (looked up by code); the other coded
#: lists (methods, states, channels, unit kinds) are selection values stored as codes.
MASTER_MODELS: dict[str, str] = {
    "categories": "di.category",
    "grades": "di.grade",
    "followups": "di.followup",
    "ranks": "di.rank",
    "outcomes": "di.outcome",
}


def lookup(target: str) -> tuple[str, str] | None:
    """(model, key field) of what a ref/code column refers to, or None for a selection code."""
    if target in KINDS_BY_KEY:
        kind = KINDS_BY_KEY[target]
        return kind.model, kind.business_key
    if target in MASTER_MODELS:
        return MASTER_MODELS[target], "code"
    return None


# The status of each row an import sends, as the server answers it.
CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"
ROW_STATUSES = (CREATED, UPDATED, UNCHANGED, ERROR)


def person_identity(identity: str | None, name: str, unit_code: str) -> str:
    """The key that makes 处理人数 count each person once (docs/domain.md §2)."""
    return identity.strip() if identity and identity.strip() else f"{name.strip()}@{unit_code}"
