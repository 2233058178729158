"""The cases a ``CASE...`` argument names: single numbers, ranges (``25-77``) and the numbers piped in (``-``).

Pure parsing: every token is read, checked and turned into spans of one year's sequence numbers before any
case is touched, so a bad token refuses the whole command instead of stopping it half way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.domain.ids import parse_number
from wenzheng_cli.errors import Option, Phrase, WenzhengError, command, option, phrase, pieces

STDIN = "-"  # the token that reads the case numbers from standard input
MAX_RANGE = 10_000  # cases one range may name: more is a slip of the keyboard (1-20000 for 1-200)

_SEQ = r"#?(\d{1,9})"
_YEAR = r"(\d{4})"
_OFFICE = r"([A-Za-z][A-Za-z0-9]*)"
_SEP = r"\s*(?:-|~|～|至)\s*"
# The forms of a range, tried in this order: full number to full number, full number to a sequence number,
# year-sequence to year-sequence, year-sequence to a sequence number, sequence to sequence (this year).
_RANGES = (
    ("full-full", re.compile(rf"^{_OFFICE}-{_YEAR}-{_SEQ}{_SEP}{_OFFICE}-{_YEAR}-{_SEQ}$")),
    ("full-seq", re.compile(rf"^{_OFFICE}-{_YEAR}-{_SEQ}{_SEP}{_SEQ}$")),
    ("year-year", re.compile(rf"^{_YEAR}-{_SEQ}{_SEP}{_YEAR}-{_SEQ}$")),
    ("year-seq", re.compile(rf"^{_YEAR}-{_SEQ}{_SEP}{_SEQ}$")),
    ("seq-seq", re.compile(rf"^{_SEQ}{_SEP}{_SEQ}$")),
)
# ``2026-42`` is case 42 of 2026, as it always was; four digits that cannot be a year (``0025-0077``,
# ``1200-1300``) begin a range of this year instead.
_YEAR_SEQ = re.compile(r"^(\d{4})-#?\d{1,9}$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2199
# What a time of day looks like when it lost its quotes: ``--at 11-12 9:00`` leaves ``9:00`` as a case.
_TIME = re.compile(
    r"^(?:上午|下午|晚上|早上|中午|凌晨|傍晚)?\d{1,2}(?:[:：]\d{2}(?:[:：]\d{2})?|点(?:半|\d{1,2}分?)?)$"
    r"|^(?:上午|下午|晚上|早上|中午|凌晨|傍晚)$"
)


_COMMENT = re.compile(r"^#(?!\d)")  # a line of notes among the numbers piped in; ``#42`` is case 42


@dataclass(frozen=True)
class Span:
    """Sequence numbers ``first``..``last`` of one ``year`` (one case when they are equal); ``ranged`` when
    typed as a range, so that a range which matches no case at all can be refused as one."""

    year: int
    first: int
    last: int
    typed: str
    ranged: bool = False

    def numbers(self) -> range:
        return range(self.first, self.last + 1)


def parse_token(text: str, office: str, year: int, at: str | None = None) -> Span:
    """One word of ``CASE...``: ``42``, ``2026-42``, ``YL-2026-0042`` or a range of them.

    ``at`` is the ``--at`` value typed, so that a time of day that lost its quotes is told how to write it.
    """
    typed = text.strip()
    if not (_YEAR_SEQ.match(typed) and _FIRST_YEAR <= int(typed[:4]) <= _LAST_YEAR):
        for form, pattern in _RANGES:
            m = pattern.match(typed)
            if m:
                return _range(form, m.groups(), typed, office, year)
    try:
        number_year, seq = parse_number(typed, office, year)
    except WenzhengError as exc:
        if _TIME.match(typed):
            raise WenzhengError(
                f"「{typed}」不是案件编号，像是一个时间", hint=_time_hint(typed, at)
            ) from None
        raise exc from None
    return Span(number_year, seq, seq, typed)


def _time_hint(typed: str, at: str | None) -> Phrase:
    if at is not None:
        return phrase("日期和时间之间有空格时要加引号: ", Option("at", f"{at} {typed}", prose=True))
    return phrase("业务时间写在 ", option("at"), " 后: ", Option("at", f"今天 {typed}", prose=True))


def _range(form: str, groups: tuple[str | Any, ...], typed: str, office: str, year: int) -> Span:
    shown = typed[:40]
    if form == "full-full":
        left, right = f"{groups[0]}-{groups[1]}-{groups[2]}", f"{groups[3]}-{groups[4]}-{groups[5]}"
        (y1, first), (y2, last) = parse_number(left, office, year), parse_number(right, office, year)
    elif form == "full-seq":
        y1, first = parse_number(f"{groups[0]}-{groups[1]}-{groups[2]}", office, year)
        y2, last = y1, int(groups[3])
    elif form == "year-year":
        y1, first, y2, last = (int(g) for g in groups)
    elif form == "year-seq":
        y1, first, last = (int(g) for g in groups)
        y2 = y1
    else:
        y1 = y2 = year
        first, last = int(groups[0]), int(groups[1])
    if y1 != y2:
        raise WenzhengError(
            f"范围「{shown}」跨了年度（{y1} 年到 {y2} 年），一个范围只能在同一年度内",
            hint=f"按年度分两段写: {y1}-{first}-止号 {y2}-1-{last}（年份-起号-止号，止号为 {y1} 年最后一号）",
        )
    if first > last:
        raise WenzhengError(
            f"范围「{shown}」起止颠倒: {first} 大于 {last}", hint=f"从小号写到大号，如 {last}-{first}"
        )
    if last - first + 1 > MAX_RANGE:
        raise WenzhengError(
            f"范围「{shown}」有 {last - first + 1} 件，一个范围最多 {MAX_RANGE} 件",
            hint=f"检查起止号是否写错；确需这么多请分段写，如 {first}-{first + MAX_RANGE - 1} "
            f"{first + MAX_RANGE}-{last}",
        )
    return Span(y1, first, last, typed, ranged=True)


def parse_piped(text: str, office: str, year: int) -> list[Span]:
    """The case numbers piped in: one per line (blank lines and ``#`` lines skipped), or JSON: what ``list
    --json`` prints (cases: their ``number``), a list of numbers, one case, or the answer of a command that
    took several cases (``[{number, ok, …}]``: the cases it did, not the ones it refused)."""
    body = text.lstrip("\ufeff").strip()
    read = _from_json if body.startswith(("[", "{")) else _from_lines
    spans = read(body, office, year)
    if not spans:
        raise WenzhengError("标准输入中没有案件编号", hint=_PIPE_HINT)
    return spans


_PIPE_HINT = phrase(
    "每行写一个案件编号，或接 ",
    command("list", option("status", "resolved"), option("json")),
    " 的输出",
)


def _from_lines(body: str, office: str, year: int) -> list[Span]:
    spans: list[Span] = []
    for number, raw in enumerate(body.splitlines(), start=1):
        line = raw.strip()
        if not line or _COMMENT.match(line):
            continue
        try:
            spans.append(parse_token(line, office, year))
        except WenzhengError as exc:
            raise _at_line(exc, f"标准输入第 {number} 行: ") from None
    return spans


def _at_line(exc: WenzhengError, where: str) -> WenzhengError:
    return WenzhengError(phrase(where, *pieces(exc.message)), hint=exc.hint, code=exc.code)


def _from_json(body: str, office: str, year: int) -> list[Span]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise WenzhengError(
            f"标准输入不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）", hint=_PIPE_HINT
        ) from None
    except RecursionError:
        raise WenzhengError("标准输入的 JSON 嵌套过深", hint=_PIPE_HINT) from None
    items = data if isinstance(data, list) else [data]
    spans: list[Span] = []
    skipped = 0
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict) and item.get("ok") is False:
            skipped += 1  # refused by the command that printed it: not passed on
            continue
        value = item.get("number") if isinstance(item, dict) else item
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise WenzhengError(
                f"标准输入的 JSON 第 {index} 项没有案件编号（number）",
                hint=phrase("接 ", command("list", option("json")), " 的输出，或写编号的列表，如 [42, 43]"),
            )
        try:
            spans.append(parse_token(str(value), office, year))
        except WenzhengError as exc:
            raise _at_line(exc, f"标准输入的 JSON 第 {index} 项: ") from None
    if not spans and skipped:
        raise WenzhengError(
            f"标准输入中的 {skipped} 件都是上一步未办成的（ok 为 false），没有要办的案件",
            hint="先按上一步的提示处理这几件，再重新执行",
        )
    return spans
