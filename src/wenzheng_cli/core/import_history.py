"""``import --history``: the rows of a file recorded as they stood, closed when the file says 办结.

What a history import adds to an ordinary one, row by row and at the end:
- the file's rating (a 满意度, 评价 or 回访结果 column, kept with the case like any column the import does not
  read) in the closed rating set, for the revisit that closes a concluded row;
- the rows that contradict themselves as history (a rating on a row the file does not say is 办结, a 办理状态
  of 已办结 without any time to close it at, a rating no one can read) refused with the row, the column and
  the fix — 办结 or 答复 before 受理 is refused for every import already;
- for an ordinary import, whether its rows look like history (most of them concluded before the ledger's
  first case, or long ago on an empty ledger), so that the import suggests ``--history``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from wenzheng_cli.core.import_keys import Known
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import NO_VALUE
from wenzheng_cli.domain.ids import new_ulid
from wenzheng_cli.domain.models import EFFECT_CLOSED, RATING_LABELS, Action, Event, Rating, Status
from wenzheng_cli.domain.replies import is_done_state
from wenzheng_cli.domain.states import apply
from wenzheng_cli.errors import Phrase, option, phrase
from wenzheng_cli.importers.headers import field_label, header_key
from wenzheng_cli.importers.row_parser import RowError
from wenzheng_cli.store import cases as case_store
from wenzheng_cli.store import import_stage as stage

# Headers of the column a file keeps its rating in (compared as ``importers.headers`` compares headers).
RATING_HEADERS = frozenset(
    header_key(h)
    for h in (
        *("满意度", "满意度评价", "回访满意度", "群众满意度", "办理满意度", "满意程度", "满意情况"),
        *("评价", "评价结果", "群众评价", "回访评价", "回访结果", "回访情况", "rating", "satisfaction"),
    )
)
# The words files write for a rating, beyond the closed set's own labels and values.
RATING_WORDS: dict[str, Rating] = {
    **{label: rating for rating, label in RATING_LABELS.items()},
    **{rating.value: rating for rating in Rating},
    "很满意": Rating.VERY_SATISFIED,
    "十分满意": Rating.VERY_SATISFIED,
    "比较满意": Rating.BASICALLY_SATISFIED,
    "较满意": Rating.BASICALLY_SATISFIED,
    "一般": Rating.BASICALLY_SATISFIED,
    "很不满意": Rating.VERY_DISSATISFIED,
    "联系不上": Rating.UNREACHABLE,
    "无法联系": Rating.UNREACHABLE,
    "未接通": Rating.UNREACHABLE,
    "未联系到": Rating.UNREACHABLE,
}
# A rating cell that says there is none.
NO_RATING = frozenset({*NO_VALUE, "未评价", "未回访", "暂无", "无评价"})
RATING_HINT = "写 非常满意、满意、基本满意、不满意、非常不满意 或 未联系上；没有评价的行留空"

# An ordinary import whose rows are at least this share concluded before the ledger began (and at least
# this many) is suggested ``--history``; on an empty ledger, "before" means this many days before now.
HISTORY_SHARE = 0.8
HISTORY_MIN_ROWS = 5
HISTORY_AGE_DAYS = 90


def _rating_cell(fields: dict[str, Any]) -> tuple[str, str] | None:
    """(column, text) of the row's first non-empty rating column, among the columns kept with the case."""
    extra = fields.get("extra")
    if not extra:
        return None
    kept = json.loads(extra)
    if not isinstance(kept, dict):
        return None
    for column, value in kept.items():
        if header_key(column) in RATING_HEADERS and isinstance(value, str):
            text = value.strip()
            if text and text.lower() not in NO_RATING:
                return column, text
    return None


def read_rating(text: str) -> Rating | None:
    """The rating a file's word stands for (``很满意`` → very_satisfied), None for a word that is none."""
    word = text.strip()
    return RATING_WORDS.get(word) or RATING_WORDS.get(word.lower().replace("-", "_").replace(" ", "_"))


def concluded(fields: dict[str, Any]) -> bool:
    """The row says the case was concluded, and when: resolved on the spot, or a 办结 (or answer) time."""
    return bool(fields.get("on_site") or fields.get("resolved_at"))


def check_row(row: int, fields: dict[str, Any]) -> list[RowError]:
    """A parsed row as history: its rating set on ``fields["rating"]``, or why the row contradicts itself."""
    errors: list[RowError] = []
    fields["rating"] = None
    done = concluded(fields)
    state = fields.get("state")
    if not done and is_done_state(state):
        column = field_label("state")
        why = f"办理状态为「{state}」，但没有办结时间或答复时间：作为历史导入时无法记为办结"
        hint = phrase("补上办结时间（或答复时间）；或不加 ", option("history"), " 导入")
        errors.append(RowError(row, column, str(state)[:40], why, hint))
    cell = _rating_cell(fields)
    if cell is None:
        return errors
    column, text = cell
    rating = read_rating(text)
    if rating is None:
        errors.append(RowError(row, column, text[:40], f"{column}「{text[:20]}」无法识别", RATING_HINT))
    elif not done:
        why = f"有{column}「{text[:20]}」，但本行没有办结（没有办结时间，答复也未办结）"
        hint = f"补上办结时间，或清空这一行的{column}"
        errors.append(RowError(row, column, text[:40], why, hint))
    else:
        fields["rating"] = rating.value
    return errors


def close(
    conn: sqlite3.Connection, known: Known | None, fields: dict[str, Any], actor: str, recorded_at: str
) -> bool:
    """A ledger case the row (imported as history) says is 办结, closed as history: a case an earlier import
    left 待回访 — ``import --history`` of the same file again closes it. Only a case no clerk has touched since
    (all its events imported): live work is closed by its revisit, never by a file. Whether it was closed."""
    if known is None or known.case is None or not concluded(fields):
        return False
    case = known.case
    if case.status is not Status.RESOLVED or case.resolved_at is None:
        return False
    touched = conn.execute(
        "SELECT 1 FROM events WHERE case_id = ? AND origin != 'import' LIMIT 1", (case.id,)
    ).fetchone()
    if touched is not None:
        return False
    payload: dict[str, Any] = {"imported": True, "history": True, "effect": EFFECT_CLOSED}
    if fields.get("rating"):
        payload["rating"] = fields["rating"]
    at = max(case.resolved_at, case_store.last_event_at(conn, case.id) or case.resolved_at)
    event = Event(new_ulid(), case.id, Action.REVISIT, at, recorded_at, actor, payload, "import")
    case_store.append_event(conn, event)
    known.case = apply(case, event)
    case_store.update_case(conn, known.case)
    known.concluded = True
    return True


def suggestion(conn: sqlite3.Connection, now: datetime) -> Phrase | None:
    """For an ordinary import: a hint to import with ``--history`` when most of the new rows were concluded
    before the ledger's first case (on an empty ledger, more than ``HISTORY_AGE_DAYS`` days ago)."""
    first = conn.execute("SELECT MIN(received_at) FROM cases").fetchone()[0]
    before = first if first is not None else clock.iso(now - timedelta(days=HISTORY_AGE_DAYS)) or ""
    rows, old = stage.concluded_before(conn, before)
    if rows < HISTORY_MIN_ROWS or old < HISTORY_SHARE * rows:
        return None
    since = "台账中第一件案件之前" if first is not None else f" {HISTORY_AGE_DAYS} 天以前"
    return phrase(
        f"新导入的 {rows} 行中有 {old} 行在{since}就已办结，像是历史记录，按在办案件导入会记为待回访；",
        "历史记录请加 ",
        option("history"),
        " 导入（已办结的记为已销账，不进入待回访和周台账）",
    )
