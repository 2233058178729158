"""What a command works with: the open ledger, the office's configuration, who is acting, and now."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wenzheng_cli.config import Settings
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD, clean_text
from wenzheng_cli.errors import UsageError
from wenzheng_cli.store.ledger import Ledger, open_ledger, resolve_path

if TYPE_CHECKING:
    from wenzheng_cli.domain.deadlines import WorkCalendar


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
            "--operator 的值为空",
            hint="写出经办人姓名，如 --operator 王芳；不写则用 $WENZHENG_OPERATOR 或系统用户名",
        )
    name = clean_text(typed if typed is not None else default_operator(), "经办人", MAX_FIELD)
    return name or "unknown"


@dataclass
class Session:
    ledger: Ledger
    operator: str
    origin: str = "cli"
    warnings: list[str] = field(default_factory=list)
    _settings: Settings | None = None
    _calendar: WorkCalendar | None = None
    _now: datetime | None = None

    @classmethod
    def open(cls, db: str | None, operator: str | None, *, create: bool) -> Session:
        who = checked_operator(operator)
        path: Path = resolve_path(db)
        ledger = open_ledger(path, create=create)
        return cls(ledger=ledger, operator=who)

    @property
    def settings(self) -> Settings:
        """The office's settings, parsed and checked once (a bad stored value is a clear error here)."""
        if self._settings is None:
            self._settings = Settings.parse(self.ledger.settings())
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
            from wenzheng_cli.domain.deadlines import WorkCalendar

            settings = self.settings
            self._calendar = WorkCalendar(
                extra_holidays=list(settings.holidays), extra_workdays=list(settings.workdays)
            )
        return self._calendar

    def collect_warnings(self) -> list[str]:
        warnings = list(self.warnings)
        if self._calendar is not None:
            warnings.extend(w for w in self._calendar.warnings if w not in warnings)
        return warnings

    def close(self) -> None:
        self.ledger.close()
