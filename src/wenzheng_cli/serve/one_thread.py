"""The server's work on the ledger, handed to one thread at a time.

The ledger takes one command at a time (``Runner``'s lock). Requests that wait for it wait here, in the event
loop, rather than as one blocked thread each: ten clients at once would otherwise keep ten threads contending
for the interpreter with the one that works, which costs the server a third more CPU for each command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from starlette.requests import Request

T = TypeVar("T")


async def on_ledger(request: Request, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a worker thread, one such call at a time for the whole server."""
    state = request.app.state
    limiter = getattr(state, "ledger_limiter", None)
    if limiter is None:
        limiter = state.ledger_limiter = anyio.CapacityLimiter(1)
    return await anyio.to_thread.run_sync(work, *args, limiter=limiter)
