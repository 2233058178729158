"""What a command works with: the open ledger, the office's configuration, who is acting, and now."""

from __future__ import annotations

import getpass
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wenzheng_cli.config import Settings
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD, clean_text
from wenzheng_cli.errors import Phrase, UsageError, WenzhengError, option, phrase
from wenzheng_cli.store.failures import explain
from wenzheng_cli.store.ledger import NAME as LEDGER_NAME
from wenzheng_cli.store.ledger import Commits as Commits  # the front end counts a run's commits in one
from wenzheng_cli.store.ledger import Ledger as Ledger  # what a server keeps open for its commands
from wenzheng_cli.store.ledger import open_ledger, resolve_path

__all__ = ["LEDGER_NAME", "Commits", "Ledger", "Session", "failure", "ledger_file"]

if TYPE_CHECKING:
    from wenzheng_cli.domain.deadlines import WorkCalendar


def ledger_file(db: str | None, app_dir: Path | None) -> Path:
    """The ledger a command works on: ``db`` as given, else ``$WENZHENG_DB``, else the default one in
    ``app_dir``."""
    return resolve_path(db, app_dir)


def failure(exc: sqlite3.Error, path: Path) -> WenzhengError:
    """What an error SQLite raised means to the clerk (locked, read-only, disk full, not a ledger …)."""
    return explain(exc, path)


def default_operator() -> str:
    env = os.environ.get("WENZHENG_OPERATOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def checked_operator(typed: str | None) -> str:
    """``--operator`` as recorded on every event: a name of at most MAX_FIELD characters, never blank."""
    if typed is not None and not typed.strip():
        raise UsageError(
            phrase(option("operator"), " 的值为空"),
            hint=phrase(
                "写出经办人姓名，如 ",
                option("operator", "王芳"),
                "；不写则用 $WENZHENG_OPERATOR 或系统用户名",
            ),
        )
    name = clean_text(typed if typed is not None else default_operator(), "经办人", MAX_FIELD)
    return name or "unknown"


@dataclass
class Session:
    ledger: Ledger
    operator: str
    origin: str = "cli"
    # False where the operator is a clerk of a served ledger: ``undo`` then takes back only their own steps
    may_undo_others: bool = True
    warnings: list[Phrase] = field(default_factory=list)  # for the clerk, said once the command is done
    _settings: Settings | None = None
    _calendar: WorkCalendar | None = None
    _now: datetime | None = None

    @classmethod
    def open(
        cls,
        db: str | None,
        operator: str | None,
        *,
        create: bool,
        app_dir: Path | None = None,
        commits: Commits | None = None,
    ) -> Session:
        """The ledger at ``db``, else the default one, in the user's app dir as the front end found it; its
        commits are counted into ``commits`` (the front end's, for one run)."""
        who = checked_operator(operator)
        path: Path = resolve_path(db, app_dir)
        ledger = open_ledger(path, create=create, app_dir=app_dir, commits=commits)
        return cls(ledger=ledger, operator=who)

    @property
    def settings(self) -> Settings:
        """The office's settings, parsed and checked once (a bad stored value is a clear error here)."""
        if self._settings is None:
            raw = self.ledger.settings()
            kept = self.ledger.parsed  # parsed by an earlier command over the same open ledger (``serve``)
            if kept is not None and kept[0] is raw and isinstance(kept[1], Settings):
                self._settings = kept[1]
            else:
                self._settings = Settings.parse(raw)
                self.ledger.parsed = (raw, self._settings)
        return self._settings

    def reload(self) -> None:
        self._settings = None
        self._calendar = None

    @property
    def now(self) -> datetime:
        if self._now is None:
            self._now = clock.now()
        return self._now

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            # deadline arithmetic (working days, holidays, spans): loaded only by work with due dates
            from wenzheng_cli.domain.deadlines import WorkCalendar

            settings = self.settings
            self._calendar = WorkCalendar(
                extra_holidays=list(settings.holidays), extra_workdays=list(settings.workdays)
            )
        return self._calendar

    def collect_warnings(self) -> list[Phrase]:
        warnings = list(self.warnings)
        if self._calendar is not None:
            warnings.extend(w for w in self._calendar.warnings if w not in warnings)
        return warnings

    def close(self) -> None:
        self.ledger.close()
