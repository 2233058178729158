"""Whether a command line runs on a ``wenzheng serve`` (``--server URL``, ``WENZHENG_SERVER``, or after
``wenzheng login``), and which: the few lines every command runs first, apart from the client
(``cli.remote``), so that a local command loads nothing of HTTP or TLS."""

from __future__ import annotations

import os
from dataclasses import dataclass

from wenzheng_cli.cli import remote_state
from wenzheng_cli.cli.remote_args import command_at

LOCAL_ONLY = {"serve", "login", "completion"}


@dataclass(frozen=True)
class Server:
    url: str
    token: str | None
    cafile: str | None = None


def server_of(args: list[str]) -> Server | None:
    """The server ``args`` are to run on, or None for a local run."""
    at = command_at(args)
    if at is None or args[at] in LOCAL_ONLY or "--help" in args or "-h" in args:
        return None
    url = _global_value(args[:at], "--server") or os.environ.get("WENZHENG_SERVER") or None
    saved = remote_state.saved()
    if url is None:
        if saved is None or any(a == "--db" or a.startswith("--db=") for a in args):
            return None
        url = saved.get("url")
        if not isinstance(url, str):
            return None
    token = os.environ.get("WENZHENG_TOKEN") or None
    if token is None and saved is not None and saved.get("url") == url.rstrip("/"):
        token = saved.get("token") if isinstance(saved.get("token"), str) else None
    cafile = os.environ.get("WENZHENG_CAFILE") or (saved or {}).get("cafile")
    return Server(url.rstrip("/"), token, cafile if isinstance(cafile, str) else None)


def _global_value(head: list[str], name: str) -> str | None:
    for i, token in enumerate(head):
        if token == name and i + 1 < len(head):
            return head[i + 1]
        if token.startswith(name + "="):
            return token[len(name) + 1 :]
    return None
