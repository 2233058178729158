"""The fields of an import, as one table: what a column of a file may be called, how its cells are read, and
where each value goes on its way into the ledger.

Each ``ImportField`` is read from a column of the file (it has a Chinese ``label`` and header ``synonyms``),
made by the row parser from the others (a resolution, a note, what is kept with the case), or given by the
import itself (its activity, a suggested category). From ``IMPORT_FIELDS`` come the header synonyms
(``importers.headers``), what a parsed row holds (``importers.row_parser``), what a row's digest covers and
what two rows of one key are compared by (``core.import_keys``), and the columns rows are staged in
(``store.import_stage``). A header claimed by two fields is refused when ``importers.headers`` is imported
(it alone knows how headers compare).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How the cells of a column are read."""

    TEXT = "text"  # a long text (诉求内容, 答复意见), up to MAX_TEXT
    LINE = "line"  # one line (标题), up to MAX_FIELD
    SHORT = "short"  # a short value (a name, a place, a category), up to MAX_FIELD
    TIME = "time"  # a date or a moment
    PHONE = "phone"
    DIFFICULTY = "difficulty"  # 1–5
    KEY = "key"  # the source's own number of the row
    MADE = "made"  # no column: made by the row parser from the others
    GIVEN = "given"  # no column: given by the import (its activity, a suggested category)


@dataclass(frozen=True)
class ImportField:
    name: str
    kind: Kind
    label: str | None = None  # the Chinese name (a header, and ``--map``'s other name for the field)
    synonyms: tuple[str, ...] = ()  # headers that name it; the first ones are those offices' files really use
    stage: str | None = None  # its column in the staging table (None: not staged)
    digest: int | None = None  # its place in a row's digest, which a re-import recomputes: never renumber
    agreement: bool = False  # two rows of one key disagree when both have it and it differs
    fact: bool = False  # a later row of the same key may bring it onto a staged row
    note: str = ""  # said after its synonyms in the README's table

    @property
    def from_column(self) -> bool:
        return self.label is not None

    @property
    def parsed(self) -> bool:
        """The row parser sets it (read from a column, or made from them)."""
        return self.kind is not Kind.GIVEN


# In the order the README lists them and the row parser reads the text columns.
IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "received_at",
        Kind.TIME,
        "受理时间",
        (
            *("走访日期", "受理时间", "留言时间", "受理日期", "来电时间", "反映时间", "登记时间", "登记日期"),
            *("走访时间", "日期", "时间", "received_at", "received", "date", "time", "created_at"),
        ),
        stage="received_at",
        digest=0,
    ),
    ImportField(
        "description",
        Kind.TEXT,
        "诉求内容",
        (
            *("诉求内容", "留言详情", "问题描述", "反映内容", "反映问题", "来电内容", "诉求件内容"),
            *("投诉件内容", "投诉内容", "诉求详情", "事项内容", "诉求", "内容"),
            *("description", "content", "text", "details"),
        ),
        stage="description",
        digest=1,
    ),
    ImportField(
        "title",
        Kind.LINE,
        "标题",
        ("标题", "留言主题", "主题", "title", "subject"),
        stage="title",
        digest=2,
        agreement=True,
    ),
    ImportField(
        "resident",
        Kind.SHORT,
        "居民姓名",
        ("居民姓名", "留言用户", "姓名", "反映人", "来电人", "诉求人", "resident", "name"),
        stage="resident",
        digest=3,
        agreement=True,
    ),
    ImportField(
        "phone",
        Kind.PHONE,
        "联系电话",
        ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "phone", "mobile", "tel"),
        stage="phone",
        digest=11,
    ),
    ImportField(
        "address",
        Kind.SHORT,
        "住址",
        ("住址", "地址", "家庭住址", "详细地址", "address"),
        stage="address",
        digest=4,
        agreement=True,
    ),
    ImportField(
        "community",
        Kind.SHORT,
        "社区",
        ("社区", "区域", "所属社区", "community", "area"),
        stage="community",
        digest=8,
        agreement=True,
    ),
    ImportField(
        "grid",
        Kind.SHORT,
        "网格",
        ("片区", "网格", "所属网格", "grid", "zone"),
        stage="grid",
        digest=9,
        agreement=True,
    ),
    ImportField(
        "channel",
        Kind.SHORT,
        "渠道",
        ("渠道", "信息来源", "来源", "来源渠道", "channel", "source"),
        stage="channel",
        digest=7,
        agreement=True,
    ),
    ImportField(
        "category",
        Kind.SHORT,
        "类别",
        ("诉求类别", "一级分类", "一级标签", "类别", "分类", "问题类别", "category"),
        stage="category",
        digest=5,
        agreement=True,
    ),
    ImportField(
        "nature",
        Kind.SHORT,
        "性质",
        ("性质", "诉求性质", "nature"),
        stage="nature",
        digest=6,
        agreement=True,
    ),
    ImportField(
        "difficulty",
        Kind.DIFFICULTY,
        "难度",
        ("难度", "难度系数", "分值权重", "difficulty"),
        stage="difficulty",
        digest=10,
        agreement=True,
        note="（1–5）",
    ),
    ImportField(
        "unit",
        Kind.SHORT,
        "承办单位",
        (
            *("承办单位", "受理单位", "办理单位", "处理单位", "承办部门", "责任单位", "主办单位"),
            *("unit", "department"),
        ),
        stage="unit",
        digest=14,
        fact=True,
    ),
    ImportField(
        "state",
        Kind.SHORT,
        "办理状态",
        ("办理状态", "处理状态", "办结状态", "工单状态", "状态", "state", "status"),
        note="（已办结、已完成、已处理、已答复…… 表示已办结；其余的值随案保存）",
    ),
    ImportField(
        "on_site",
        Kind.TEXT,
        "现场办结结果",
        ("办理结果", "现场办结", "现场办理结果", "处理结果", "on_site", "result"),
        stage="on_site",
        digest=13,
    ),
    ImportField(
        "reply",
        Kind.TEXT,
        "答复意见",
        ("答复意见", "回复", "答复", "回复内容", "答复内容", "reply", "answer", "response"),
    ),
    ImportField(
        "replied_at",
        Kind.TIME,
        "答复时间",
        ("答复时间", "回复时间", "答复日期", "回复日期", "replied_at", "reply_time", "answered_at"),
    ),
    ImportField(
        "resolved_at",
        Kind.TIME,
        "办结时间",
        ("办结时间", "办结日期", "结案时间", "完成时间", "办理完成时间", "resolved_at", "closed_at"),
        stage="resolved_at",
        digest=15,
        fact=True,
    ),
    ImportField(
        "source_key",
        Kind.KEY,
        "来源编号",
        (
            *("留言编号", "办件编号", "工单号", "工单编号", "来源编号", "source_key", "ticket"),
            *("ticket_id", "id", "key"),
        ),
        stage="key",
    ),
    # Made by the row parser: what the row's columns come to.
    ImportField("extra", Kind.MADE, stage="extra", digest=12),  # the columns kept with the case
    ImportField("result", Kind.MADE, stage="result", digest=16, fact=True),  # a resolution's
    ImportField("outcome", Kind.MADE, stage="outcome", digest=17, fact=True),
    ImportField("feedback", Kind.MADE, stage="feedback", fact=True),
    ImportField("note_at", Kind.MADE, stage="note_at", digest=18, fact=True),  # an acknowledgement noted
    ImportField("note_text", Kind.MADE, stage="note_text", digest=19, fact=True),
    ImportField("title_for_text", Kind.MADE),  # the title stood in for an empty text
    ImportField("warnings", Kind.MADE),  # (column, message) the row is reported with
    # Given by the import.
    ImportField("activity_id", Kind.GIVEN, stage="activity_id", digest=20),
    ImportField("category_suggested", Kind.GIVEN, stage="category_suggested"),
)
BY_NAME = {f.name: f for f in IMPORT_FIELDS}
COLUMN_FIELDS = tuple(f for f in IMPORT_FIELDS if f.from_column)
# What a row's digest covers, in its order: everything the row would put on its case.
CONTENT = tuple(f.name for f in sorted(IMPORT_FIELDS, key=lambda f: f.digest or 0) if f.digest is not None)
# What two rows of one key are compared by when both have it, in the digest's order.
AGREEMENT = tuple(name for name in CONTENT if BY_NAME[name].agreement)


def _check(table: tuple[ImportField, ...]) -> None:
    """Refuse, when the module is imported, a table whose names, staging columns or digest places clash."""
    for what, values in (
        ("name", [f.name for f in table]),
        ("staging column", [f.stage for f in table if f.stage is not None]),
        ("digest place", [f.digest for f in table if f.digest is not None]),
    ):
        if len(set(values)) != len(values):
            raise ValueError(f"two import fields share a {what}")
    if sorted(f.digest for f in table if f.digest is not None) != list(range(len(CONTENT))):
        raise ValueError("the digest places of the import fields must run 0, 1, 2 … without a gap")


_check(IMPORT_FIELDS)
