"""Starting ``wenzheng serve``: the ledger checked and opened, the rule that a server others can reach needs
clerks, what the clerk at the server's PC is told, and uvicorn serving the app until Ctrl-C."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from wenzheng_cli.errors import WenzhengError, command, option, phrase
from wenzheng_cli.store.clerks import clerk_names
from wenzheng_cli.store.ledger import resolve_path

# A server slows no one down by refusing more connections than this at once (a slow client holds one).
MAX_CONNECTIONS = 64
KEEP_ALIVE_S = 5
# A request's headers arrive within this of the connection opening, or of the answer before on the same one.
HEADERS_S = 10.0


@dataclass(frozen=True)
class Options:
    host: str
    port: int
    cert: str | None
    key: str | None
    max_upload_mb: int


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(db: str | None, app_dir: Path | None, options: Options, say: object) -> None:
    """Serve the ledger at ``db`` (as the command line resolves it) until interrupted; ``say(line)`` tells the
    person who started it what is going on."""
    try:
        import uvicorn

        from wenzheng_cli.serve.app import build_app
    except ImportError:
        raise WenzhengError(
            "开服务需要可选组件 serve（uvicorn、Starlette），本机未安装",
            hint="先安装: pip install 'wenzheng[serve]'（make 已装好）",
        ) from None
    from wenzheng_cli.serve.runner import Runner

    assert callable(say)
    if (options.cert is None) != (options.key is None):
        raise WenzhengError(
            "启用 TLS 需要同时给出证书和私钥",
            hint=phrase("写全 ", option("cert", "server.crt"), " ", option("key", "server.key")),
        )
    for given in (options.cert, options.key):
        if given is not None and not Path(given).is_file():
            raise WenzhengError(f"找不到文件: {given}", hint="写出证书或私钥文件的路径")
    path = resolve_path(db, app_dir)
    runner = Runner(path)
    try:
        if not loopback(options.host) and not clerk_names(runner.ledger.conn):
            raise WenzhengError(
                f"在 {options.host} 上开服务，其他电脑都能连上，须先添加至少一个办事员",
                hint=phrase(
                    "先运行 ", command("clerk add", "王芳", option("role", "admin")), "，把令牌交给本人"
                ),
            )
        app = build_app(runner, max_upload=options.max_upload_mb << 20)
        scheme = "https" if options.cert else "http"
        say(f"问政台账服务已启动: {scheme}://{options.host}:{options.port}/   台账 {path}")
        say("其他电脑: wenzheng login 上面的地址，或设 WENZHENG_SERVER；按 Ctrl-C 停止")
        if not options.cert and not loopback(options.host):
            say(
                "提示: 未启用 TLS（--cert/--key）：令牌和居民信息在局域网中以明文传输，只在可信的办公网内这样用"
            )
        if not clerk_names(runner.ledger.conn):
            say("提示: 还没有办事员，本机以外的命令都会被拒绝；添加用 wenzheng clerk add 王芳 --role admin")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
        uvicorn.run(
            app,
            host=options.host,
            port=options.port,
            ssl_certfile=options.cert,
            ssl_keyfile=options.key,
            access_log=False,  # its lines carry query strings; the app logs each request without them
            log_level="warning",
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=KEEP_ALIVE_S,
            server_header=False,
            http=_protocol(),
        )
    finally:
        runner.close()


def _protocol() -> type[asyncio.Protocol]:
    """uvicorn's HTTP/1.1 with a deadline for each request's headers. uvicorn bounds the wait between two
    requests only: a client that connects and says nothing, or sends its headers a byte at a time, would hold
    one of the server's connections for as long as it likes, and enough of them would turn every clerk away."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._await_headers(None)

        def on_response_complete(self) -> None:
            answered = self.cycle  # a request sent right behind it may start in the call below
            super().on_response_complete()
            if not self.transport.is_closing():
                self._await_headers(answered)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _await_headers(self, answered: object) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(HEADERS_S, self._late, answered)

        def _late(self, answered: object) -> None:
            """No request has begun since the deadline was set: the connection is cut."""
            if self.cycle is answered and not self.transport.is_closing():
                self.transport.close()

    return Protocol
