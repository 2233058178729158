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

from wenzheng_cli.domain.import_fields import COLUMN_FIELDS
from wenzheng_cli.errors import Option, Phrase, UsageError, WenzhengError, option, phrase

# field → (Chinese label, synonyms), from the one table of import fields, in its order.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    f.name: (f.label or f.name, f.synonyms) for f in COLUMN_FIELDS
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


def _synonyms() -> dict[str, str]:
    """Each header (as ``header_key`` reads it) → its field; a header two fields claim is refused here, when
    the module is imported, rather than silently read as the first one's."""
    found: dict[str, str] = {}
    claims = [(name, word) for name, (label, words) in FIELDS.items() for word in (name, label, *words)]
    for name, word in [*claims, *((IGNORE, word) for word in IGNORED_HEADERS)]:
        key = header_key(word)
        if found.setdefault(key, name) != name:
            raise ValueError(f"the header {word!r} is claimed by both {found[key]!r} and {name!r}")
    return found


_SYNONYMS = _synonyms()


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
                phrase(option("map"), f"「{item}」写法不对"),
                hint=phrase(
                    "写成 ", option("map", "列名=字段"), "，例如 ", option("map", "反映日期=received_at")
                ),
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
                    phrase(option("map"), f" 的字段「{target.strip()}」无法识别"),
                    hint=f"可选: {options}、extra、ignore",
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
    warnings: list[Phrase] = field(default_factory=list)  # about the whole file, reported with the rows'

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
                phrase(f"{source} 中没有「{m.column}」列（", option("map"), "）"),
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
                    phrase(option("map"), f" 把两列都对应到{field_label(target)}"),
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
            phrase(
                f"没有诉求内容列，用「{title}」（标题）代替诉求内容；如另有内容列请用 ",
                option("map", "列名=诉求内容"),
                " 指定",
            )
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
    at: tuple[str | Option, ...] = ()
    if "received_at" in missing:
        at = ("；没有日期列时用 ", option("at"), " 给出全部行的受理日期")
    header = "、".join(c for c in plan.columns if c)[:200]
    raise WenzhengError(
        f"{source} 找不到{labels}列",
        hint=phrase(f"表头有: {header}；用 ", option("map"), " 指定，例如 ", option("map", example), *at),
    )


def header_score(cells: Sequence[object]) -> int:
    """How many cells of a row read as known headers: finds the header under a title row."""
    return sum(1 for c in cells if c is not None and str(c).strip() and field_for(c) is not None)


def synonym_table() -> str:
    """The README's table of the headers each field is read from (section 表头怎么对应), in Markdown: the
    tests hold the README to it. ``python -m wenzheng_cli.importers`` prints it."""
    endings = "".join(f"“{word}”" for word in _TEXT_ENDINGS)
    notes = {"description": f"；都没有时，任何以{endings}结尾的列（{'、'.join(_NOT_TEXT)}类的除外）"}
    lines = ["| 字段 | 认得的表头 |", "|---|---|"]
    for f in COLUMN_FIELDS:
        lines.append(f"| {f.label} {f.name} | {'、'.join(f.synonyms)}{notes.get(f.name, f.note)} |")
    return "\n".join(lines) + "\n"
