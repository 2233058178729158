"""What an import is asked for and what it answers: the request (files, options, file-wide values), the result
(the counts and messages of the CLI contract), and the values every row of the files gets (``file_wide``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from wenzheng_cli.core.session import Session
from wenzheng_cli.core.timing import business_time
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD, clean_text
from wenzheng_cli.errors import Phrase, UsageError, WenzhengError, command, option, phrase
from wenzheng_cli.files import check_output
from wenzheng_cli.importers.date_order import parse_order
from wenzheng_cli.importers.row_parser import FileWide
from wenzheng_cli.store.activities import get_activity


class RejectSink(Protocol):
    def write(self, source: str, columns: Sequence[str], cells: Sequence[Any], message: Phrase) -> None: ...

    def flush(self) -> None: ...


Progress = Callable[[str, int, int | None, str], None]  # (file, done, total, "bytes" or "rows")


@dataclass
class ImportRequest:
    paths: list[Path]
    maps: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    source: str | None = None  # --source: what keys are scoped by
    at: str | None = None  # --at: the received time of rows without one
    channel: str | None = None  # --channel, --community, --grid: for rows without one
    community: str | None = None
    grid: str | None = None
    activity: int | None = None  # --activity: the 问政 activity every row belongs to
    date_order: str | None = None  # ymd, mdy or dmy: how 01/02/2016-style dates read (else from the file)
    suggest_category: bool = False
    history: bool = False  # --history: rows recorded as they stood, closed when the file says 办结

    def __post_init__(self) -> None:
        self.date_order = parse_order(self.date_order)  # as typed (年月日 …) → ymd, mdy or dmy


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    skipped_existing: int = 0
    invalid: int = 0
    duplicates_flagged: int = 0
    # The rows' errors and warnings and the notes say what they say as phrases (``message``, ``hint``), which
    # the front end spells.
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    resolved: int = 0
    repeated: int = 0
    same_key: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    new_values: dict[str, list[str]] = field(default_factory=dict)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[Phrase] = field(default_factory=list)
    errors_total: int = 0
    suggested: int = 0  # empty categories filled with the learned suggestion (--suggest-category)
    weak_replies: int = 0  # new cases whose reply was judged weak (``reply_flags``)
    dry_run: bool = False
    skip_invalid: bool = False
    committed: bool = False
    history: bool = False  # imported with --history
    suggest_history: Phrase | None = None  # rows that look like history, imported without --history

    @property
    def refused(self) -> bool:
        """Invalid rows without --skip-invalid: nothing was (or, in a dry run, would be) imported."""
        return self.invalid > 0 and not self.skip_invalid


def check_rejects(session: Session, req: ImportRequest, rejects: Path) -> None:
    """The file the rejected rows go to is neither the ledger nor one of the files imported."""
    check_output(rejects, ledger=session.ledger.path, inputs=req.paths, example="未导入.csv")


def file_wide(session: Session, req: ImportRequest) -> FileWide:
    """``--source``, ``--at``, ``--channel``, ``--community``, ``--grid`` as every row gets them; an
    ``--activity`` that does not exist is refused before anything is read."""
    if req.activity is not None and get_activity(session.ledger.conn, req.activity) is None:
        raise WenzhengError(
            f"找不到问政活动 {req.activity}", hint=phrase("用 ", command("activity list"), " 查看活动编号")
        )
    at = (
        clock.iso(business_time(session, req.at, what="受理", day_start=True)) if req.at is not None else None
    )
    source = clean_text(req.source, phrase(option("source")), MAX_FIELD)
    if req.source is not None and not source:
        raise UsageError(
            phrase(option("source"), " 的内容为空"),
            hint=phrase("写来源名称，例如 ", option("source", "12345"), " 或 ", option("source", "留言板")),
        )
    return FileWide(
        received_at=at,
        channel=clean_text(req.channel, "渠道", MAX_FIELD),
        community=clean_text(req.community, "社区", MAX_FIELD),
        grid=clean_text(req.grid, "网格", MAX_FIELD),
        source=source,
    )
