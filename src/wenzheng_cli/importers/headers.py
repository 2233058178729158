"""Which column holds what: header synonyms (Chinese and English) and ``--map COLUMN=FIELD``.

A header is compared after NFKC, lower-casing and dropping spaces, a trailing ``*`` and anything in brackets,
so ``联系电话（手机）``, ``联系 电话`` and ``Phone*`` all read as the phone column. Columns that match no field
are kept with each case (its ``extra``) and named once in the summary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wenzheng_cli.errors import UsageError, WenzhengError

# field → (Chinese label, synonyms). The first synonyms are those the offices' files really use.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "received_at": (
        "受理时间",
        (
            "走访日期",
            "受理时间",
            "留言时间",
            "受理日期",
            "来电时间",
            "反映时间",
            "登记时间",
            "登记日期",
            "走访时间",
            "日期",
            "时间",
            "received_at",
            "received",
            "date",
            "time",
            "created_at",
        ),
    ),
    "description": (
        "诉求内容",
        (
            "诉求内容",
            "留言详情",
            "问题描述",
            "反映内容",
            "反映问题",
            "来电内容",
            "诉求件内容",
            "投诉件内容",
            "投诉内容",
            "诉求详情",
            "事项内容",
            "诉求",
            "内容",
            "description",
            "content",
            "text",
            "details",
        ),
    ),
    "title": ("标题", ("标题", "留言主题", "主题", "title", "subject")),
    "resident": (
        "居民姓名",
        ("居民姓名", "留言用户", "姓名", "反映人", "来电人", "诉求人", "resident", "name"),
    ),
    "phone": (
        "联系电话",
        ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "phone", "mobile", "tel"),
    ),
    "address": ("住址", ("住址", "地址", "家庭住址", "详细地址", "address")),
    "community": ("社区", ("社区", "区域", "所属社区", "community", "area")),
    "grid": ("网格", ("片区", "网格", "所属网格", "grid", "zone")),
    "channel": ("渠道", ("渠道", "信息来源", "来源", "来源渠道", "channel", "source")),
    "category": ("类别", ("诉求类别", "一级分类", "一级标签", "类别", "分类", "问题类别", "category")),
    "nature": ("性质", ("性质", "诉求性质", "nature")),
    "difficulty": ("难度", ("难度", "难度系数", "分值权重", "difficulty")),
    "on_site": ("现场办结结果", ("办理结果", "现场办结", "现场办理结果", "处理结果", "on_site", "result")),
    "reply": (
        "答复意见",
        ("答复意见", "回复", "答复", "回复内容", "答复内容", "reply", "answer", "response"),
    ),
    "replied_at": (
        "答复时间",
        ("答复时间", "回复时间", "答复日期", "回复日期", "replied_at", "reply_time", "answered_at"),
    ),
    "unit": (
        "承办单位",
        (
            "承办单位",
            "受理单位",
            "办理单位",
            "处理单位",
            "承办部门",
            "责任单位",
            "主办单位",
            "unit",
            "department",
        ),
    ),
    "resolved_at": (
        "办结时间",
        ("办结时间", "办结日期", "结案时间", "完成时间", "办理完成时间", "resolved_at", "closed_at"),
    ),
    "state": ("办理状态", ("办理状态", "处理状态", "办结状态", "工单状态", "状态", "state", "status")),
    "source_key": (
        "来源编号",
        (
            "留言编号",
            "办件编号",
            "工单号",
            "工单编号",
            "来源编号",
            "source_key",
            "ticket",
            "ticket_id",
            "id",
            "key",
        ),
    ),
}
# Columns wenzheng itself writes into a rejects file; reading that file back must not keep them.
IGNORED_HEADERS = ("导入错误", "来源文件")
IGNORE = "ignore"
EXTRA = "extra"
REQUIRED = ("received_at", "description")

_BRACKETS = re.compile(r"[(\[（【<《].*?[)\]）】>》]")
_DROP = re.compile(r"[\s*:：]+")


def header_key(text: object) -> str:
    value = unicodedata.normalize("NFKC", str(text if text is not None else "")).lower()
    return _DROP.sub("", _BRACKETS.sub("", value))


_SYNONYMS: dict[str, str] = {}
for _name, (_label, _words) in FIELDS.items():
    for _word in (_name, _label, *_words):
        _SYNONYMS.setdefault(header_key(_word), _name)
for _word in IGNORED_HEADERS:
    _SYNONYMS[header_key(_word)] = IGNORE


def field_for(header: object) -> str | None:
    return _SYNONYMS.get(header_key(header))


def field_label(name: str) -> str:
    return FIELDS[name][0] if name in FIELDS else name


@dataclass(frozen=True)
class ColumnMap:
    """``--map COLUMN=FIELD`` as typed; FIELD may be a field name, its Chinese label, ``extra`` or ``ignore``."""

    column: str
    field: str


def parse_maps(items: Iterable[str]) -> list[ColumnMap]:
    maps: list[ColumnMap] = []
    options = "、".join(f"{name}（{label}）" for name, (label, _) in FIELDS.items())
    for item in items:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise UsageError(
                f"--map「{item}」写法不对", hint="写成 --map 列名=字段，例如 --map 反映日期=received_at"
            )
        target_key = header_key(target)
        if target_key in (IGNORE, "忽略", "skip"):
            name = IGNORE
        elif target_key in (EXTRA, "附加", "其他"):
            name = EXTRA
        elif target.strip() in FIELDS:
            name = target.strip()
        else:
            found = field_for(target)
            if found is None or found == IGNORE:
                raise UsageError(
                    f"--map 的字段「{target.strip()}」无法识别", hint=f"可选: {options}、extra、ignore"
                )
            name = found
        maps.append(ColumnMap(column.strip(), name))
    return maps


@dataclass
class Plan:
    """Where each field is read from (column positions), and what the summary must say about the header."""

    columns: list[str]
    fields: dict[str, int] = field(default_factory=dict)  # field → column index
    extra: list[int] = field(default_factory=list)  # unknown columns kept with the case
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the whole file, reported with the rows'

    @property
    def unknown_columns(self) -> list[str]:
        return [self.columns[i] for i in self.extra]

    def add_column(self, name: str) -> None:
        """A column seen only later in the file (JSON Lines objects with new keys)."""
        self.columns.append(name)
        index = len(self.columns) - 1
        found = field_for(name)
        if found is None:
            self.extra.append(index)
        elif found != IGNORE and found not in self.fields:
            self.fields[found] = index
        elif found != IGNORE:
            self.extra.append(index)


def plan_columns(columns: Sequence[str], maps: Sequence[ColumnMap], source: str) -> Plan:
    """Match the header to fields: ``--map`` first, then synonyms; the first column for a field wins."""
    names = [str(c).strip() if c is not None else "" for c in columns]
    plan = Plan(columns=list(names))
    chosen: dict[int, str] = {}
    by_name = {header_key(n): i for i, n in reversed(list(enumerate(names))) if n}
    for m in maps:
        index = by_name.get(header_key(m.column))
        if index is None:
            raise WenzhengError(
                f"{source} 中没有「{m.column}」列（--map）",
                hint="表头有: " + "、".join(n for n in names if n)[:300],
            )
        chosen[index] = m.field
    mapped = {f for f in chosen.values() if f not in (IGNORE, EXTRA)}
    for index, name in enumerate(names):
        if index in chosen or not name:
            continue
        found = field_for(name)
        if found is None:
            chosen[index] = EXTRA
        elif found == IGNORE or found not in mapped:
            chosen[index] = found
            mapped.add(found)
        else:
            chosen[index] = EXTRA
            first = next(names[i] for i, f in chosen.items() if f == found)
            plan.notes.append(
                f"「{name}」与「{first}」都对应{field_label(found)}，用「{first}」，「{name}」随案保存"
            )
    for index, target in sorted(chosen.items()):
        if target == EXTRA:
            plan.extra.append(index)
        elif target != IGNORE:
            if target in plan.fields:
                raise UsageError(
                    f"--map 把两列都对应到{field_label(target)}",
                    hint="每个字段只能来自一列",
                )
            plan.fields[target] = index
    _description_fallback(plan)
    return plan


# A column named like these holds the text when no column is named as the description (诉求件内容, 事件详情 …);
# one named for the answer or the handling never does.
_TEXT_ENDINGS = ("内容", "详情", "描述")
_NOT_TEXT = ("答复", "回复", "办理", "处理", "结果", "备注", "意见")


def _description_fallback(plan: Plan) -> None:
    """No description column: take the first kept column named like one; else say the title stands in."""
    if "description" in plan.fields:
        return
    for index in plan.extra:
        key = header_key(plan.columns[index])
        if key.endswith(_TEXT_ENDINGS) and not any(word in key for word in _NOT_TEXT):
            plan.extra.remove(index)
            plan.fields["description"] = index
            plan.notes.append(f"把「{plan.columns[index]}」作为诉求内容")
            return
    if "title" in plan.fields:
        title = plan.columns[plan.fields["title"]]
        plan.warnings.append(
            f"没有诉求内容列，用「{title}」（标题）代替诉求内容；如另有内容列请用 --map 列名=诉求内容 指定"
        )


def check_required(plan: Plan, source: str, *, received_given: bool = False) -> None:
    """The columns every row needs: a received time (unless ``--at`` gives one for all) and a text."""
    missing = [
        f
        for f in REQUIRED
        if f not in plan.fields
        and not (f == "description" and "title" in plan.fields)
        and not (f == "received_at" and received_given)
    ]
    if not missing:
        return
    labels = "、".join(field_label(f) for f in missing)
    example = "反映日期=received_at" if "received_at" in missing else "情况说明=description"
    extra = "；没有日期列时用 --at 给出全部行的受理日期" if "received_at" in missing else ""
    raise WenzhengError(
        f"{source} 找不到{labels}列",
        hint=f"表头有: {'、'.join(c for c in plan.columns if c)[:200]}；用 --map 指定，例如 --map {example}{extra}",
    )


def header_score(cells: Sequence[object]) -> int:
    """How many cells of a row read as known headers: finds the header under a title row."""
    return sum(1 for c in cells if c is not None and str(c).strip() and field_for(c) is not None)
