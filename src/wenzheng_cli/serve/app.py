"""The HTTP side of ``wenzheng serve``: the endpoint that runs a clerk's command, the one that says whose a token
is, and the leaders' pages. Nothing here knows what a command does: the runner runs it as the command line would.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO

import anyio
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from wenzheng_cli.domain.clerks import Clerk
from wenzheng_cli.serve import pages, wire
from wenzheng_cli.serve.auth import clerk_of
from wenzheng_cli.serve.one_thread import on_ledger
from wenzheng_cli.serve.runner import Done, Refused, Runner

LOG = logging.getLogger("wenzheng.serve")
# A request's body arrives within this, however slow the client (a slow upload is still moving).
BODY_IDLE_S = 30.0
SPOOL_IN_MEMORY = 1 << 20


def build_app(runner: Runner, *, max_upload: int = 200 << 20) -> Starlette:
    """The server's app over ``runner``; a request's body (files included) may be at most ``max_upload`` bytes."""
    routes: list[BaseRoute] = [
        Route(wire.PATH, _run, methods=["POST"]),
        Route(wire.WHOAMI, _whoami, methods=["GET"]),
    ]
    routes.extend(pages.routes())
    app = Starlette(routes=routes)
    app.state.runner = runner
    app.state.max_upload = max_upload
    return app


def _refusal(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=status, headers={"Cache-Control": "no-store"})


async def _whoami(request: Request) -> Response:
    clerk = await on_ledger(request, lambda: clerk_of(request, cookie=False))
    if clerk is None:
        return _refusal(401, "令牌不对或已删除")
    office = await on_ledger(request, request.app.state.runner.office)
    return JSONResponse({"name": clerk.name, "role": clerk.role.value, "office": office})


async def _run(request: Request) -> Response:
    started = time.monotonic()
    clerk = await on_ledger(request, lambda: clerk_of(request, cookie=False))
    if clerk is None:
        _log(request, None, "-", 401, started)
        return _refusal(401, "令牌不对或已删除")
    limit: int = request.app.state.max_upload
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        return _refusal(411, "请求须注明长度")
    if int(length) > limit + wire.HEADER_MAX:
        _log(request, clerk.name, "-", 413, started)
        return _refusal(413, f"上传的文件太大（上限 {limit >> 20} MB）；可拆成几个文件分别导入")
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115  (closed by _finish)
    try:
        received = await _receive(request, body, limit + wire.HEADER_MAX)
    except _TooSlow:
        body.close()
        _log(request, clerk.name, "-", 408, started)
        return _refusal(408, "上传太慢，已中断")
    if received is None:
        body.close()
        _log(request, clerk.name, "-", 413, started)
        return _refusal(413, f"上传的文件太大（上限 {limit >> 20} MB）")
    folder = Path(tempfile.mkdtemp(prefix="wz-req-"))
    try:
        done = await on_ledger(request, _unpack_and_run, request.app.state.runner, body, folder, clerk)
    except Refused as refused:
        _cleanup(folder, body)
        _log(request, clerk.name, "-", refused.status, started)
        return _refusal(refused.status, refused.message)
    except wire.FrameError:
        _cleanup(folder, body)
        _log(request, clerk.name, "-", 400, started)
        return _refusal(400, "请求不完整或格式不对")
    _log(request, clerk.name, done[0], 200, started)
    headers = {"Cache-Control": "no-store"}
    if not done[1].files:  # all in memory already: one write (a stream costs a thread hop a chunk)
        answer = b"".join(done[1].frame())
        return Response(answer, media_type="application/octet-stream", headers=headers)
    cleanup = BackgroundTask(_cleanup, folder, body, *done[1].files)
    return StreamingResponse(
        done[1].frame(), media_type="application/octet-stream", headers=headers, background=cleanup
    )


class _TooSlow(Exception):
    pass


async def _receive(request: Request, body: IO[bytes], limit: int) -> int | None:
    """The request's body into ``body``; None when it runs over ``limit``. A client that sends nothing for
    ``BODY_IDLE_S`` is cut off (slow uploads that keep moving are fine)."""
    size = 0
    stream = request.stream().__aiter__()
    while True:
        with anyio.move_on_after(BODY_IDLE_S) as scope:
            try:
                chunk = await stream.__anext__()
            except StopAsyncIteration:
                break
        if scope.cancelled_caught:
            raise _TooSlow
        size += len(chunk)
        if size > limit:
            return None
        body.write(chunk)
    body.seek(0)
    return size


def _unpack_and_run(runner: Runner, body: IO[bytes], folder: Path, clerk: Clerk) -> tuple[str, Done]:
    request = wire.Request.from_header(wire.read_header(body))
    sizes = list(request.sizes)
    if not sizes:
        raise wire.FrameError("blobs")
    stdin = wire.read_blob(body, sizes.pop(0)) if sizes[0] <= (64 << 20) else b""
    inputs = [arg for arg in request.files if arg.kind == "in"]
    if len(inputs) != len(sizes):
        raise wire.FrameError("files")
    for number, (arg, size) in enumerate(zip(inputs, sizes, strict=True)):
        path = folder / f"in-{number}" / arg.name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            wire.copy_blob(body, size, out)
    from wenzheng_cli.cli.remote_args import command_path

    done = runner.run(request, stdin, folder, clerk)
    if not done.files:  # nothing to stream from the folder: cleared here, not in another thread hop later
        _cleanup(folder, body)
    return " ".join(command_path(request.argv)) or "-", done


def _cleanup(folder: Path, body: IO[bytes], *more: Path) -> None:
    body.close()
    shutil.rmtree(folder, ignore_errors=True)
    for path in more:  # an answer given again is kept in its own folder
        if path.parent.name.startswith("wz-again-"):
            shutil.rmtree(path.parent, ignore_errors=True)


def _log(request: Request, clerk: str | None, command: str, status: int, started: float) -> None:
    """One line per request: who, which command, the answer and how long — never its arguments (residents' names,
    phones and texts are in them), never a token, never a query string."""
    client = request.client.host if request.client else "-"
    took = (time.monotonic() - started) * 1000
    LOG.info("%s %s %s %s %d %.0fms", client, clerk or "-", request.scope["path"], command, status, took)
