"""The ledger's caches — the kept figures of past months, the suggestion models, the search index — as
``check`` verifies them. The first two can always be rebuilt from the cases and their events, and the commands
that read them do so when they meet a damaged one (a model: ``forget_model``, then learned again); ``check``
names each damaged entry and how it is rebuilt."""

from __future__ import annotations

import re
import sqlite3
from typing import Any, Literal

from wenzheng_cli.analysis.suggest import TARGET_LABELS, TARGETS
from wenzheng_cli.core.figures import read_kept
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.groupings import BY_KEY
from wenzheng_cli.errors import Phrase, command, option, phrase
from wenzheng_cli.store import analysis as models
from wenzheng_cli.store import figures as kept_figures
from wenzheng_cli.store import integrity as checks

_MONTH = re.compile(r"\d{4}-\d{2}")


def model_meta(
    conn: sqlite3.Connection, target: str, *, whole: bool = False
) -> dict[str, Any] | Literal[False] | None:
    """The stored model's row (``store.analysis.model_meta``): None when there is none, False when damaged
    (``whole``: its weights read through too, which scoring one text never does)."""
    try:
        meta = models.model_meta(conn, target)
    except models.DamagedModel:
        return False
    if whole and meta is not None and models.weights_damage(conn, target, len(meta["classes"]))[1]:
        return False
    return meta


def name_damaged_model(session: Session, target: str) -> None:
    """Say that a damaged model is left out, for the next ``suggest`` to learn again."""
    label = TARGET_LABELS[target]
    session.warnings.append(
        phrase(
            f"台账中存储的{label}建议模型已损坏，这次没有{label}建议；运行 ",
            command("suggest"),
            " 会重新学习",
        )
    )


def forget_model(session: Session, target: str) -> None:
    """Drop a damaged model (a cache of what the cases teach), so that it is learned again, and say so."""
    with session.ledger.write() as write:
        models.drop_model(write, target)
    session.warnings.append(f"台账中存储的{TARGET_LABELS[target]}建议模型已损坏，已删除并重新学习")


def problems(conn: sqlite3.Connection) -> list[Phrase]:
    """A message for each damaged cache entry (none: the caches are sound)."""
    return [*_figures(conn), *_models(conn), *_search(conn)]


def _figures(conn: sqlite3.Connection) -> list[Phrase]:
    found: list[Phrase] = []
    stray = 0
    last = kept_figures.last_seq(conn)
    for _, month, grouping, built_seq, data in kept_figures.rows(conn):
        readable = isinstance(data, str) and read_kept(data) is not None
        if readable and isinstance(built_seq, int) and built_seq <= last:
            continue
        if (
            isinstance(month, str)
            and _MONTH.fullmatch(month)
            and isinstance(grouping, str)
            and grouping in BY_KEY
        ):
            found.append(
                phrase(
                    f"{month} 按{BY_KEY[grouping].label}保存的月度统计数据已损坏；它可随时由办理记录重新统计，"
                    "下次统计该月时自动丢弃重算，如 ",
                    command("report", "monthly", option("month", month), option("by", grouping)),
                )
            )
        else:
            stray += 1
    if stray:
        found.append(
            f"{stray} 条保存的月度统计数据已损坏，且不属于任何月份或分组；下次统计任一月份时自动删除"
        )
    return found


def _models(conn: sqlite3.Connection) -> list[Phrase]:
    found: list[Phrase] = []
    for target in TARGETS:
        if model_meta(conn, target, whole=True) is False:
            label = TARGET_LABELS[target]
            found.append(
                phrase(
                    f"存储的{label}建议模型已损坏；它可随时由台账中的案件重新学习，下次运行 ",
                    command("suggest"),
                    " 时自动重新学习",
                )
            )
    return found


def _search(conn: sqlite3.Connection) -> list[Phrase]:
    indexed, cases, paused = checks.search_documents(conn)
    found: list[Phrase] = []
    if indexed != cases:
        held = "无法读取收录的件数" if indexed is None else f"收录了 {indexed} 件案件"
        found.append(
            phrase(f"搜索索引{held}，台账中有 {cases} 件：", command("list", option("search")), " 可能找不全")
        )
    if paused:
        found.append(
            phrase(
                "搜索索引被暂停（本应只在导入过程中暂停），此后受理的案件在 ",
                command("list", option("search")),
                " 中搜不到",
            )
        )
    return found
