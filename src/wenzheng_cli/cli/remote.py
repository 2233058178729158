"""A command run on a ``wenzheng serve`` instead of a local ledger (``--server URL``, ``WENZHENG_SERVER``, or
after ``wenzheng login``): the client side.

The command line is sent as typed, with what the server needs to run it as if here: this terminal's facts,
standard input when it is piped, and the files the command reads. The answer is what the command printed, its
exit code and the files it wrote, written here. A question the command asks is asked here, and the command sent
again with the answer. Each command carries an id; when the connection breaks after it was sent, it is sent again
with the same id (the server answers it once), and a command left in doubt keeps its id for the next try.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from wenzheng_cli.cli import remote_state
from wenzheng_cli.cli.remote_args import command_at
from wenzheng_cli.cli.remote_server import Server
from wenzheng_cli.errors import UsageError, WenzhengError, command, option, phrase
from wenzheng_cli.files import atomic_create, atomic_replace, check_output, standard_stream
from wenzheng_cli.render import console
from wenzheng_cli.serve import wire

STDIN_MAX = 64 << 20
CONNECT_TIMEOUT_S = 10.0
ANSWER_TIMEOUT_S = 900.0  # a long import or a year's report on a big ledger
RETRIES = (1.0, 2.0, 4.0)


def _without_server(args: list[str]) -> list[str]:
    at = command_at(args) or 0
    out: list[str] = []
    skip = False
    for i, token in enumerate(args):
        if skip:
            skip = False
            continue
        if i < at and token == "--server":
            skip = True
            continue
        if i < at and token.startswith("--server="):
            continue
        out.append(token)
    return out


def run_remote(server: Server, typed: list[str]) -> int:
    """Run the command line ``typed`` on ``server``; its exit code."""
    try:
        return _run(server, _without_server(typed))
    except WenzhengError as exc:
        console.error(exc.message, exc.hint)
        return exc.code
    except KeyboardInterrupt:
        sys.stderr.write("已中断；命令若已送到服务器，可能已办理：重新运行同一命令不会重复办理\n")
        return 130


def _run(server: Server, args: list[str]) -> int:
    from wenzheng_cli.cli.app import built
    from wenzheng_cli.cli.remote_args import named_files

    if any(a == "--db" or a.startswith("--db=") for a in args):
        raise UsageError(
            phrase("在服务器上办理时不能用 ", option("db")), hint="去掉 --db，或去掉 --server 在本机办理"
        )
    if not server.token:
        raise WenzhengError(
            f"没有 {server.url} 的令牌",
            hint=phrase("先运行 ", command("login", server.url), "，或设环境变量 WENZHENG_TOKEN"),
        )
    _path, named = named_files(built(), args)
    at = command_at(args) or 0
    verb = args[at] if at < len(args) else ""
    files: list[wire.FileArg] = []
    uploads: list[Path] = []
    force = "--force" in args
    for item in named:
        kind = item.kind
        if kind == "dest":  # backup's DEST: the same rule as a local backup, checked on this PC
            from wenzheng_cli.core.backup import destination

            kind = "dir" if destination(item.value, force=force)[1] else "out"
        if kind == "dir" and verb == "export":
            from wenzheng_cli.core.export import folder_for  # the same rule as a local export, checked here

            folder_for(item.value, force)
        if kind == "in":
            uploads.append(_readable(item.value))
        elif kind == "out":
            check_output(item.value, stream_ok=True)
        files.append(wire.FileArg(item.index, item.prefix, kind, item.value))
    stdin = b""
    if "-" in args[at + 1 :] and sys.stdin is not None and not sys.stdin.isatty():
        stdin = sys.stdin.buffer.read(STDIN_MAX + 1)
        if len(stdin) > STDIN_MAX:
            raise WenzhengError("标准输入太长", hint="分几次办理")
    terminal = _terminal()
    request_id = remote_state.pending_id(server.url, args) or uuid.uuid4().hex
    answers: list[str] = []
    shown = 0  # bytes of the command's output already shown (a command asked again prints them again)
    while True:
        rid = request_id if not answers else f"{request_id}.{len(answers)}"
        sizes = [len(stdin), *(p.stat().st_size for p in uploads)]
        request = wire.Request(rid, args, terminal, files, answers, sizes)
        answer, out, err, renamed = _send(server, request, stdin, uploads, files, args)
        skip = shown
        for stream, chunk in wire.interleave(out, err, answer.order):
            part = chunk[skip:]
            skip = max(0, skip - len(chunk))
            for said, made in renamed.items():  # a backup that took another free name here says so
                part = part.replace(said, made)
            _show(sys.stdout if stream == 1 else sys.stderr, part)
        if not answer.ask:
            remote_state.forget_pending()
            return answer.code
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            line = ""
        if not line:
            sys.stderr.write("\n已取消，台账未作更改\n")
            return 1
        answers.append(line.rstrip("\r\n"))
        shown = len(out) + len(err)


def _show(stream: IO[str], data: bytes) -> None:
    """What the command printed, as this terminal takes text (a Windows console in its own code page too)."""
    if data:
        stream.write(data.decode("utf-8", "replace"))
        stream.flush()


def _readable(value: str) -> Path:
    path = Path(value).expanduser()
    # The words of the import on the ledger's own PC (importers.identify), for the same mistakes
    if not path.exists():
        raise WenzhengError(f"找不到文件 {path}", hint="检查文件名和所在目录")
    if path.is_dir():
        raise WenzhengError(f"{path} 是目录，不是文件", hint="写出要导入的文件名，可一次写多个")
    if not path.is_file():
        raise WenzhengError(
            f"{path} 不是普通文件（管道或设备），无法导入",
            hint="先把内容保存为文件（如 走访.csv），再导入该文件",
        )
    return path


def _terminal() -> wire.Terminal:
    def tty(stream: IO[Any] | None) -> bool:
        return bool(stream is not None and stream.isatty())

    columns = lines = None
    if tty(sys.stdout) or tty(sys.stderr):
        size = shutil.get_terminal_size()
        columns, lines = size.columns, size.lines
    elif os.environ.get("COLUMNS", "").isdigit():
        columns = int(os.environ["COLUMNS"])
    env = {name: os.environ[name] for name in wire.TERMINAL_ENV if name in os.environ}
    return wire.Terminal(tty(sys.stdin), tty(sys.stdout), tty(sys.stderr), columns, lines, env)


def _connection(server: Server, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(server.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WenzhengError(
            f"服务器地址不对: {server.url}", hint="写成 http://192.168.1.20:8765 或 https://…"
        )
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=server.cafile)
        return http.client.HTTPSConnection(
            parts.hostname, parts.port or 443, timeout=timeout, context=context
        )
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)


def _send(
    server: Server,
    request: wire.Request,
    stdin: bytes,
    uploads: list[Path],
    files: list[wire.FileArg],
    args: list[str],
) -> tuple[wire.Answer, bytes, bytes, dict[bytes, bytes]]:
    """Send ``request`` until it is answered (the same id each time); write the files of the answer. The last
    item: the names the server gave that were taken here, each with the name the file got instead."""
    header = request.header()
    length = len(header) + len(stdin) + sum(p.stat().st_size for p in uploads)
    sent = False
    for attempt, pause in enumerate((0.0, *RETRIES)):
        time.sleep(pause)
        conn = _connection(server, CONNECT_TIMEOUT_S)
        try:
            conn.connect()
        except OSError as exc:
            if not sent:
                raise _unreachable(server, exc, applied=False) from None
            if attempt < len(RETRIES):
                continue
            remote_state.keep_pending(server.url, request.argv, request.id)
            raise _unreachable(server, exc, applied=None) from None
        try:
            assert conn.sock is not None
            conn.sock.settimeout(ANSWER_TIMEOUT_S)
            conn.putrequest("POST", wire.PATH)
            conn.putheader("Authorization", f"Bearer {server.token}")
            conn.putheader("Content-Type", "application/octet-stream")
            conn.putheader("Content-Length", str(length))
            conn.endheaders()
            sent = True
            for chunk in wire.frame(header, [stdin, *uploads]):
                conn.send(chunk)
            response = conn.getresponse()
            if response.status != 200:
                raise _refused(server, response.status, response.read(4096))
            answer = wire.Answer.from_header(wire.read_header(response))
            out = wire.read_blob(response, answer.sizes[0])
            err = wire.read_blob(response, answer.sizes[1])
            renamed = _write_files(response, answer, files, args)
            return answer, out, err, renamed
        except (OSError, http.client.HTTPException, wire.FrameError) as exc:
            if attempt < len(RETRIES):
                continue
            remote_state.keep_pending(server.url, request.argv, request.id)
            raise _unreachable(server, exc, applied=None) from None
        finally:
            conn.close()
    raise AssertionError("unreachable")


def _unreachable(server: Server, exc: BaseException, *, applied: bool | None) -> WenzhengError:
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    if applied is False:
        return WenzhengError(
            f"无法连接服务器 {server.url}（{why}）；命令未办理",
            hint="确认服务器电脑开着、wenzheng serve 在运行、地址和端口没写错",
        )
    return WenzhengError(
        f"服务器 {server.url} 中断了连接（{why}），不能确定命令是否已办理",
        hint="服务器恢复后重新运行同一条命令：已办理的不会重复办理，未办理的这次办理",
    )


def _refused(server: Server, status: int, body: bytes) -> WenzhengError:
    text = body.decode("utf-8", "replace").strip().splitlines()[0] if body.strip() else f"HTTP {status}"
    if status == 401:
        return WenzhengError(
            f"{server.url} 不认这个令牌（{text}）；命令未办理",
            hint=phrase("重新登录: ", command("login", server.url), "；令牌可能已被管理员删除"),
        )
    if status == 403:
        return WenzhengError(f"{text}；命令未办理", hint="请有权限的人办理，或请管理员调整角色")
    if status == 413:
        return WenzhengError(f"{text}；命令未办理", hint="把文件拆小，或请管理员调大 serve --max-upload")
    return WenzhengError(f"服务器拒绝了这条命令: {text}；命令未办理", hint="检查命令，或请管理员查看服务器")


def _write_files(
    response: IO[bytes], answer: wire.Answer, files: list[wire.FileArg], args: list[str]
) -> dict[bytes, bytes]:
    force = "--force" in args
    renamed: dict[bytes, bytes] = {}
    for entry, size in zip(answer.files, answer.sizes[2:], strict=True):
        arg = files[int(entry["file"])]
        name = Path(str(entry["name"]))
        if ".." in name.parts or name.is_absolute():
            raise wire.FrameError("name")
        if arg.kind == "out":
            target = Path(arg.shown).expanduser()
            if standard_stream(target) is not None:
                sys.stdout.buffer.write(wire.read_blob(response, size))
                continue
            with atomic_replace(target) as temp, temp.open("wb") as out:
                wire.copy_blob(response, size, out)
            continue
        folder = Path(arg.shown).expanduser()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # as backup and export make it on their own PC
        if args[command_at(args) or 0] == "backup":
            with atomic_create(_new_names(folder, name)) as made, made.temp.open("wb") as out:
                wire.copy_blob(response, size, out)
            if made.path != folder / name:
                for said, got in (
                    (str(folder / name), str(made.path)),
                    (str(Path(arg.shown) / name), str(made.path)),
                ):
                    renamed[said.encode()] = got.encode()
                    renamed[json.dumps(said)[1:-1].encode()] = json.dumps(got)[1:-1].encode()
            continue
        target = folder / name
        if target.exists() and not force:
            raise WenzhengError(
                f"{folder} 中已有上次导出的 {name}，未覆盖", hint="加 --force 替换它们，或换一个目录"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_replace(target) as temp, temp.open("wb") as out:
            wire.copy_blob(response, size, out)
    return renamed


def _new_names(folder: Path, name: Path) -> Iterator[Path]:
    yield folder / name
    for n in range(2, 1000):
        yield folder / f"{name.stem}-{n}{name.suffix}"


def login(url: str, token: str) -> dict[str, Any]:
    """Check ``token`` on the server at ``url`` and keep both in the app dir (readable by this user alone)."""
    server = Server(url.strip().rstrip("/"), token.strip(), os.environ.get("WENZHENG_CAFILE") or None)
    if not server.token:
        raise WenzhengError("令牌为空", hint="把管理员给你的令牌粘贴进来")
    conn = _connection(server, CONNECT_TIMEOUT_S)
    try:
        conn.request("GET", wire.WHOAMI, headers={"Authorization": f"Bearer {server.token}"})
        response = conn.getresponse()
        body = response.read(65536)
    except (OSError, http.client.HTTPException) as exc:
        raise _unreachable(server, exc, applied=False) from None
    finally:
        conn.close()
    if response.status != 200:
        raise _refused(server, response.status, body)
    who = json.loads(body)
    remote_state.save_login(server.url, server.token, server.cafile)
    from wenzheng_cli.domain.clerks import Role

    role = Role(who["role"])
    return {
        "url": server.url,
        "name": who["name"],
        "role": role.value,
        "role_label": role.label,
        "office": who.get("office", ""),
    }
