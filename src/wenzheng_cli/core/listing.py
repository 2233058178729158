"""Finding cases: the filters of ``wenzheng list``, typed the way clerks type them."""

from __future__ import annotations

from dataclasses import dataclass

from wenzheng_cli.core import offices
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD
from wenzheng_cli.domain.models import STATUS_LABELS, Case, Status
from wenzheng_cli.errors import WenzhengError, option, phrase
from wenzheng_cli.store import cases as store
from wenzheng_cli.store.imports import twins_of

OPEN_WORDS = {"open", "未销账", "未办结", "在办"}
MAX_LIMIT = 2**62


def parse_statuses(text: str | None) -> list[str]:
    if not text:
        return []
    chosen: list[str] = []
    labels = {label: status.value for status, label in STATUS_LABELS.items()}
    for part in text.replace("，", ",").split(","):
        word = part.strip()
        if not word:
            continue
        if word.lower() in OPEN_WORDS or word in OPEN_WORDS:
            chosen.extend(st.value for st in Status if st.is_open)
        elif word.lower() in {st.value for st in Status}:
            chosen.append(word.lower())
        elif word in labels:
            chosen.append(labels[word])
        else:
            options = "、".join(f"{label}({st.value})" for st, label in STATUS_LABELS.items())
            raise WenzhengError(
                f"状态「{word[:20]}」无法识别", hint=f"可选: {options}，或 open（全部未销账）"
            )
    return list(dict.fromkeys(chosen))


SORT_WORDS = {
    "受理时间": "received",
    "受理": "received",
    "更新": "updated",
    "时限": "due",
    "编号": "number",
    "状态": "status",
    "社区": "community",
    "网格": "grid",
    "类别": "category",
    "渠道": "channel",
    "性质": "nature",
    "承办人": "handler",
    "承办单位": "unit",
    "层级": "level",
    "难度": "difficulty",
}


def parse_sort(text: str | None) -> tuple[str | None, bool | None]:
    """``due`` → (due, natural direction); ``-due`` → (due, the other way round)."""
    if text is None or not text.strip():
        return None, None
    word = text.strip()
    flip = word.startswith("-")
    word = word.lstrip("-").strip()
    key = SORT_WORDS.get(word, word.lower())
    if key not in store.SORTS:
        options = "、".join(store.SORTS)
        raise WenzhengError(
            f"不能按「{word[:20]}」排序",
            hint=phrase(option("sort"), f" 可选: {options}；前加 - 倒序，如 ", option("sort"), "=-due"),
        )
    _, natural = store.SORTS[key]
    return key, (not natural) if flip else None


@dataclass(frozen=True)
class ListQuery:
    """What ``wenzheng list`` was asked, as typed."""

    status: str | None = None
    community: str | None = None
    grid: str | None = None
    handler: str | None = None
    unit: str | None = None
    category: str | None = None
    channel: str | None = None
    nature: str | None = None
    level: str | None = None
    supervised: bool = False
    overdue: bool = False
    duplicates: bool = False
    imported: bool = False  # only the cases an import brought (with --history or not)
    weak_reply: bool = False  # only the cases whose latest reply was judged weak (reply_flags)
    office: str | None = None  # only one office's cases (its code or name): a street ledger holds several
    since: str | None = None
    until: str | None = None
    search: str | None = None
    sort: str | None = None
    limit: int | None = None
    offset: int | None = None


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def find_cases(session: Session, q: ListQuery) -> tuple[list[Case], int]:
    """The matching cases (newest first; most overdue first with ``overdue``; else as ``sort`` says) and how
    many match in all."""
    start = end = None
    if q.since or q.until:
        from wenzheng_cli.core.dates import span  # the parser of typed dates loads only when a date is typed

        start = clock.iso(clock.start_of_day(span(session, q.since)[0])) if q.since else None
        end = clock.iso(clock.end_of_day(span(session, q.until)[1])) if q.until else None
    if start and end and start > end:
        raise WenzhengError(phrase(option("since"), " 晚于 ", option("until")), hint="起始日期应早于截止日期")
    if q.search is not None and not q.search.strip():
        raise WenzhengError(
            phrase(option("search"), " 的内容为空"), hint=phrase("例如 ", option("search", "路灯"))
        )
    if q.search is not None and len(q.search.strip()) > MAX_FIELD:
        raise WenzhengError(
            phrase(option("search"), f" 的内容过长（{len(q.search.strip())} 字，上限 {MAX_FIELD} 字）"),
            hint=phrase("用几个关键字搜索，如 ", option("search", "路灯")),
        )
    if q.limit is not None and q.limit < 0:
        raise WenzhengError(
            phrase(option("limit"), " 不能为负数"), hint=phrase(option("limit", "0"), " 显示全部")
        )
    if q.offset is not None and q.offset < 0:
        raise WenzhengError(
            phrase(option("offset"), " 不能为负数"),
            hint=phrase("例如 ", option("limit", "50"), " ", option("offset", "50"), " 显示第 51–100 件"),
        )
    sort, descending = parse_sort(q.sort)
    limit = q.limit
    if limit is not None and limit > MAX_LIMIT:
        limit = 0  # more than any ledger holds: all of them
    # past any ledger's end (and within SQLite's integers): none of them, as any offset past the end
    offset = min(q.offset or 0, MAX_LIMIT)
    f = store.CaseFilter(
        statuses=parse_statuses(q.status),
        community=_text(q.community),
        grid=_text(q.grid),
        handler=_text(q.handler),
        unit=_text(q.unit),
        category=_text(q.category),
        channel=_text(q.channel),
        nature=_text(q.nature),
        level=_text(q.level),
        supervised=q.supervised,
        overdue_at=clock.iso(session.now) if q.overdue else None,
        since=start,
        until=end,
        search=q.search,
        limit=limit or None,
        offset=offset,
        sort=sort,
        descending=descending,
        duplicates=q.duplicates,
        imported=q.imported,
        weak_reply=q.weak_reply,
        office=offices.resolve(session, q.office),
    )
    conn = session.ledger.conn
    search = store.searching(conn, f)
    found = store.list_cases(conn, f, search)
    if f.limit is None and not f.offset:
        total = len(found)
    elif found and (f.limit is None or len(found) < f.limit):
        total = f.offset + len(found)
    else:
        total = store.count_matching(conn, f, search)
    return found, total


def twins(session: Session, cases: list[Case]) -> dict[str, list[dict[str, object]]]:
    """Each listed case's possible twins (flagged by imports): [{number, status, reason, score}]."""
    return twins_of(session.ledger.conn, [c.id for c in cases])
