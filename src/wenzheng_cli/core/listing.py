"""Finding cases: the filters of ``wenzheng list``, typed the way clerks type them."""

from __future__ import annotations

from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD
from wenzheng_cli.domain.models import STATUS_LABELS, Case, Status
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.store import cases as store

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


def find_cases(
    session: Session,
    *,
    status: str | None = None,
    community: str | None = None,
    handler: str | None = None,
    overdue: bool = False,
    since: str | None = None,
    until: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    duplicates: bool = False,
) -> tuple[list[Case], int]:
    """The matching cases (newest first; most overdue first with ``overdue``) and how many match in all."""
    start = end = None
    if since or until:
        from wenzheng_cli.core.dates import span

        start = clock.iso(clock.start_of_day(span(session, since)[0])) if since else None
        end = clock.iso(clock.end_of_day(span(session, until)[1])) if until else None
    if start and end and start > end:
        raise WenzhengError("--since 晚于 --until", hint="起始日期应早于截止日期")
    if search is not None and not search.strip():
        raise WenzhengError("--search 的内容为空", hint="例如 --search 路灯")
    if search is not None and len(search.strip()) > MAX_FIELD:
        raise WenzhengError(
            f"--search 的内容过长（{len(search.strip())} 字，上限 {MAX_FIELD} 字）",
            hint="用几个关键字搜索，如 --search 路灯",
        )
    if limit is not None and limit < 0:
        raise WenzhengError("--limit 不能为负数", hint="--limit 0 显示全部")
    if limit is not None and limit > MAX_LIMIT:
        limit = 0  # more than any ledger holds: all of them
    f = store.CaseFilter(
        statuses=parse_statuses(status),
        community=community.strip() if community else None,
        handler=handler.strip() if handler else None,
        overdue_at=clock.iso(session.now) if overdue else None,
        since=start,
        until=end,
        search=search,
        limit=limit or None,
        duplicates=duplicates,
    )
    conn = session.ledger.conn
    cases = store.list_cases(conn, f)
    total = len(cases) if not f.limit or len(cases) < f.limit else store.count_matching(conn, f)
    return cases, total


def twins(session: Session, cases: list[Case]) -> dict[str, list[dict[str, object]]]:
    """Each listed case's possible twins (flagged by imports): [{number, status, reason, score}]."""
    from wenzheng_cli.store.imports import twins_of

    return twins_of(session.ledger.conn, [c.id for c in cases])
