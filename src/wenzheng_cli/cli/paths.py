"""Where the user's own ledger lives when no path is given: the app dir, as the command line's toolkit finds it.

Only the front end knows how a platform places a user's app data; it finds the folder here and hands it down
to the core and the store, which never ask the toolkit themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from wenzheng_cli.core.session import LEDGER_NAME as NAME
from wenzheng_cli.core.session import ledger_file
from wenzheng_cli.errors import WenzhengError, option, phrase


def app_dir() -> Path:
    """``$WENZHENG_HOME``, else the user's local app dir — on Windows the local one, not the roaming one that
    group policy often redirects to a server share."""
    home = os.environ.get("WENZHENG_HOME")
    if home:
        return Path(home)

    return Path(typer.get_app_dir("wenzheng", roaming=False))


def ledger_dir(db: str | None) -> Path:
    """The app dir to hand down for a command given ``db`` (or none). When the ledger is to be the default one,
    a ledger made where earlier versions kept it (Windows' roaming app dir) is not silently left behind for a
    new, empty one."""
    folder = app_dir()
    if db is None and not os.environ.get("WENZHENG_DB") and not os.environ.get("WENZHENG_HOME"):
        _left_in_roaming_dir(folder / NAME)
    return folder


def ledger_path(db: str | None) -> Path:
    """The ledger a command given ``db`` (or none) works on."""
    return ledger_file(db, app_dir())


def _left_in_roaming_dir(path: Path) -> None:
    old = Path(typer.get_app_dir("wenzheng", roaming=True)) / NAME
    if old != path and old.exists() and not path.exists():  # pragma: no cover - Windows only
        raise WenzhengError(
            f"台账还在漫游配置目录 {old.parent}，该目录常被同步到服务器",
            hint=phrase(
                f"关闭所有 wenzheng 后，把其中的 {NAME}（连同 -wal、-shm 文件）移到 {path.parent}；或用 ",
                option("db"),
                " 指向它",
            ),
        )
