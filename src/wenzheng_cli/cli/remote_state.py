"""What the client of a ``wenzheng serve`` keeps in the user's app dir (readable by this user alone): the server
and token of ``wenzheng login``, and the id of a command sent whose answer never came (so that running the same
command again cannot apply it twice)."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from wenzheng_cli.cli.paths import app_dir

SAVED = "server.json"
PENDING = "pending.json"
PENDING_FOR_S = 86_400  # a command in doubt keeps its id for a day


def saved() -> dict[str, Any] | None:
    try:
        data = json.loads((app_dir() / SAVED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _digest(url: str, argv: list[str]) -> str:
    import hashlib  # here: every command reads ``saved`` first, and only a remote one gets this far

    return hashlib.sha256(json.dumps([url, argv]).encode()).hexdigest()


def pending_id(url: str, argv: list[str]) -> str | None:
    try:
        data = json.loads((app_dir() / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    fresh = isinstance(data, dict) and time.time() - float(data.get("at", 0)) < PENDING_FOR_S
    if fresh and data.get("digest") == _digest(url, argv) and isinstance(data.get("id"), str):
        return str(data["id"])
    return None


def keep_pending(url: str, argv: list[str], request_id: str) -> None:
    base = request_id.split(".", 1)[0]
    record = {"id": base, "digest": _digest(url, argv), "at": time.time()}
    folder = app_dir()
    from wenzheng_cli.files import write_atomic  # only a remote command that lost its answer gets here

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(folder / PENDING, json.dumps(record).encode())
    except OSError:
        pass  # the clerk is told anyway; the retry just gets a new id


def forget_pending() -> None:
    with contextlib.suppress(OSError):
        (app_dir() / PENDING).unlink()


def save_login(url: str, token: str, cafile: str | None) -> None:
    folder = app_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    record: dict[str, Any] = {"url": url, "token": token}
    if cafile:
        record["cafile"] = cafile
    from wenzheng_cli.files import write_atomic

    write_atomic(folder / SAVED, json.dumps(record, ensure_ascii=False).encode())


def forget() -> None:
    with contextlib.suppress(FileNotFoundError):
        (app_dir() / SAVED).unlink()
