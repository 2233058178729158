"""The command endpoint of a real ``wenzheng serve`` against what a hostile or careless client sends: no token, a
wrong, removed or misplaced one, a role running what it may not, an upload over the limit, a client that
trickles its request, and what the server's log keeps — each refused or inert, nothing written, no token and no
resident's data in the log, and the server still answering everyone else. Starting it where other PCs can reach
it needs a clerk, and says when TLS is off. (The pages' own security is in ``test_serve_pages.py``.)"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.serving import Served, free_port, post, server_env
from wenzheng_cli.cli.remote import run_remote
from wenzheng_cli.cli.remote_server import Server
from wenzheng_cli.serve import wire

pytestmark = pytest.mark.slow  # a server process each

RESIDENT, PHONE = "张秀英", "13987654321"


@pytest.fixture
def office(wz: Wz) -> dict[str, str]:
    """Tokens by role: 管理员 (admin), 王芳 (clerk), 赵书记 (viewer); and ``removed``, 李四's (a clerk since
    removed)."""
    wz("init", "--office", "YL", "--name", "杨柳社区")
    tokens = {
        role: wz.json("clerk", "add", name, "--role", role)["token"]
        for name, role in (("管理员", "admin"), ("王芳", "clerk"), ("赵书记", "viewer"))
    }
    tokens["removed"] = wz.json("clerk", "add", "李四", "--role", "clerk")["token"]
    wz("clerk", "remove", "李四")
    return tokens


def serve(ledger: Path, folder: Path, *extra: str) -> Served:
    server = Served(ledger, folder / f"serve-{len(list(folder.glob('serve-*')))}.log", *extra)
    server.start()
    return server


@pytest.fixture
def served(office: dict[str, str], ledger_env: Path, tmp_path: Path) -> Iterator[Served]:
    server = serve(ledger_env, tmp_path)
    try:
        yield server
    finally:
        server.stop()


def contents(db: Path) -> dict[str, list[str]]:
    """Every row of every table the ledger holds: equal before and after means nothing was written."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [
            name
            for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            if not sql.startswith("CREATE VIRTUAL")
        ]
        return {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"'))) for name in tables}
    finally:
        conn.close()


def intake(text: str = "3号楼路灯不亮") -> list[str]:
    return ["intake", text, "--resident", RESIDENT, "--phone", PHONE, "--json"]


@pytest.mark.parametrize("who", ["none", "wrong", "removed", "long"])
def test_no_wrong_or_removed_token_is_401_and_nothing_written(
    served: Served, office: dict[str, str], ledger_env: Path, who: str
) -> None:
    before = contents(ledger_env)
    token = {
        "none": None,
        "wrong": office["clerk"][:-2] + "xx",
        "removed": office["removed"],
        "long": office["clerk"] * 10,
    }[who]
    reply = post(served.url, token, intake(), f"no-{who}")
    assert (reply.status, reply.stderr.decode()) == (401, "令牌不对或已删除")
    assert contents(ledger_env) == before


def test_a_token_in_the_address_or_a_cookie_does_not_run_a_command(
    served: Served, office: dict[str, str], ledger_env: Path
) -> None:
    """Only ``Authorization`` counts on the command endpoint: a token in the URL would be in logs and
    histories, and a cookie would let another site's form send commands (the pages' cookie is theirs alone)."""
    before = contents(ledger_env)
    request = wire.Request("in-url", intake(), wire.Terminal(), [], [], [0])
    for target, headers in (
        (f"{wire.PATH}?token={office['clerk']}", {}),
        (wire.PATH, {"Cookie": f"wenzheng_token={office['clerk']}"}),
    ):
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        conn.request("POST", target, body=request.header(), headers=headers)
        assert conn.getresponse().status == 401
        conn.close()
    assert contents(ledger_env) == before
    assert office["clerk"] not in served.output()


@pytest.mark.parametrize(
    ("role", "argv", "command"),
    [
        ("viewer", intake(), "intake"),
        ("viewer", ["note", "1", "已联系物业"], "note"),
        ("clerk", ["config", "set", "office.name", "别的社区"], "config set"),
        ("clerk", ["clerk", "add", "孙八", "--role", "admin", "--json"], "clerk add"),
        ("clerk", ["clerk", "remove", "管理员"], "clerk remove"),
        ("clerk", ["backup", "copy.db"], "backup"),
    ],
)
def test_a_role_running_what_it_may_not_is_403_and_nothing_written(
    served: Served, office: dict[str, str], ledger_env: Path, role: str, argv: list[str], command: str
) -> None:
    before = contents(ledger_env)
    reply = post(served.url, office[role], argv, f"role-{role}-{command}")
    name = {"viewer": "赵书记", "clerk": "王芳"}[role]
    label = {"viewer": "查看", "clerk": "办事员"}[role]
    assert reply.status == 403
    assert reply.stderr.decode() == f"{name} 的角色（{label}）不能运行「{command}」"
    assert contents(ledger_env) == before


def test_commands_that_never_run_on_a_server_are_refused(
    served: Served, office: dict[str, str], ledger_env: Path
) -> None:
    before = contents(ledger_env)
    for argv in (["init", "--office", "XX"], ["serve", "--port", "9"], ["login", "http://x"]):
        reply = post(served.url, office["admin"], argv, f"local-{argv[0]}")
        assert reply.status == 400, reply
        assert "只能在存放台账的电脑上运行" in reply.stderr.decode()
    assert contents(ledger_env) == before


def test_a_path_of_the_servers_pc_is_never_read_or_written(
    served: Served, office: dict[str, str], ledger_env: Path, tmp_path: Path
) -> None:
    """A frame that names a server path instead of uploading the file (the client never sends one) is
    refused: no file of the server's PC is read into the ledger or written by a command."""
    secret = tmp_path / "server-only.csv"
    secret.write_text("受理时间,诉求内容\n2026-11-17 09:00,服务器上的文件\n", encoding="utf-8")
    before = contents(ledger_env)
    for argv in (["import", str(secret)], ["report", "weekly", "--output", str(tmp_path / "out.html")]):
        reply = post(served.url, office["admin"], argv, f"path-{argv[0]}")
        assert reply.status == 400, reply
        assert "服务器不读写它自己电脑上的文件" in reply.stderr.decode()
    assert not (tmp_path / "out.html").exists()
    assert contents(ledger_env) == before


def big_csv(rows: int) -> bytes:
    lines = ["受理时间,诉求内容,联系电话"]
    lines += [
        f"2026-11-17 09:{i % 60:02d},第{i}件 楼道灯不亮，晚上看不见路,1390000{i % 10000:04d}"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_an_upload_over_the_limit_is_413_nothing_written_and_others_still_served(
    office: dict[str, str], ledger_env: Path, tmp_path: Path
) -> None:
    server = serve(ledger_env, tmp_path, "--max-upload", "1")
    try:
        before = contents(ledger_env)
        data = big_csv(30_000)
        assert len(data) > 2 << 20
        upload = ((wire.FileArg(1, "", "in", "诉求.csv"), data),)
        reply = post(server.url, office["clerk"], ["import", "诉求.csv"], "big-1", files=upload)
        assert reply.status == 413 and "上传的文件太大（上限 1 MB）" in reply.stderr.decode()
        assert contents(ledger_env) == before
        # the clerk's own client says so in one line, and that nothing was done
        (tmp_path / "诉求.csv").write_bytes(data)
        code, _out, err = remote(server, office["clerk"], ["import", str(tmp_path / "诉求.csv")])
        assert code == 1 and err.startswith("错误: 上传的文件太大（上限 1 MB）"), err
        assert "命令未办理" in err
        assert contents(ledger_env) == before
        small = ((wire.FileArg(1, "", "in", "诉求.csv"), big_csv(3)),)
        done = post(server.url, office["clerk"], ["import", "诉求.csv", "--json"], "small-1", files=small)
        assert (done.status, done.code) == (200, 0), done
        assert post(server.url, office["viewer"], ["list", "--json"], "list-1").code == 0
    finally:
        server.stop()


def test_a_body_without_a_length_is_refused(served: Served, office: dict[str, str], ledger_env: Path) -> None:
    before = contents(ledger_env)
    request = wire.Request("chunked", intake(), wire.Terminal(), [], [], [0]).header()
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        head = (
            f"POST {wire.PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {office['clerk']}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        sock.sendall(head + f"{len(request):x}\r\n".encode() + request + b"\r\n0\r\n\r\n")
        assert sock.recv(200).startswith(b"HTTP/1.1 411 ")
    assert contents(ledger_env) == before


def remote(server: Served, token: str, args: list[str]) -> tuple[int, str, str]:
    """A command through the clerk's own client (``run_remote``), its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_remote(Server(server.url, token), args)
    return code, out.getvalue(), err.getvalue()


def closed(sock: socket.socket, trickle: bytes) -> bool:
    """Whether the server cuts ``sock`` off while it sends ``trickle`` a byte at a time (at most one byte every
    half second, for two minutes at most)."""
    sock.settimeout(0.5)
    for i in range(240):
        try:
            if sock.recv(4096) == b"":
                return True
        except TimeoutError:
            pass
        except OSError:
            return True
        try:
            sock.send(trickle[i % len(trickle) : i % len(trickle) + 1])
        except OSError:
            return True
    return False


def test_a_client_that_trickles_is_cut_off_and_others_are_served_meanwhile(
    served: Served, office: dict[str, str], ledger_env: Path
) -> None:
    """Slowloris: one client trickles its headers a byte at a time, another sends headers and then a body that
    stops; each holds a connection for a bounded time only, and the others' commands go through meanwhile."""
    header_trickler = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    header_trickler.send(b"POST /api/run HTTP/1.1\r\nHost: x\r\n")
    body_staller = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    body_staller.send(
        f"POST {wire.PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {office['clerk']}\r\n"
        "Content-Length: 100000\r\n\r\n".encode()
        + b"\x00" * 10
    )
    silent = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    try:
        for n in range(3):
            reply = post(served.url, office["clerk"], intake(f"第{n}件 楼道灯不亮"), f"meanwhile-{n}")
            assert (reply.status, reply.code) == (200, 0)
        assert closed(header_trickler, b"X-Slow: " + b"a" * 50)
        assert closed(silent, b"")
        body_staller.settimeout(120)
        answer = body_staller.recv(200)
        assert answer.startswith(b"HTTP/1.1 408 ") or answer == b"", answer
        assert post(served.url, office["viewer"], ["list", "--json"], "after").code == 0
    finally:
        for sock in (header_trickler, body_staller, silent):
            sock.close()
    assert len([row for row in contents(ledger_env)["cases"] if "楼道灯不亮" in row]) == 3


def test_no_token_and_no_residents_data_in_the_servers_log(
    served: Served, office: dict[str, str], ledger_env: Path, tmp_path: Path
) -> None:
    code, out, _err = remote(served, office["clerk"], intake(f"{RESIDENT}家 3号楼路灯不亮"))
    assert code == 0
    number = out.split('"number": "')[1].split('"')[0]
    for args in (
        ["show", number, "--show-pii"],
        ["list", "--search", RESIDENT],
        ["note", number, f"已电话联系{PHONE}"],
    ):
        assert remote(served, office["clerk"], args)[0] == 0
    assert remote(served, office["viewer"], intake(f"{RESIDENT} {PHONE}"))[0] == 1  # refused: 403
    assert remote(served, office["clerk"] + "x", ["list", "--search", PHONE])[0] == 1  # a wrong token: 401
    env = {**server_env(), "WENZHENG_HOME": str(tmp_path / "client")}
    env.pop("WENZHENG_DB")
    login = subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", "login", served.url, "--token", office["viewer"] + "x"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert login.returncode == 1 and "不认这个令牌" in login.stderr
    log = served.output()
    assert "王芳 /api/run intake 200" in log and "赵书记 /api/run - 403" in log and "- /api/run - 401" in log
    for secret in (*office.values(), office["viewer"] + "x", office["clerk"] + "x", RESIDENT, PHONE):
        assert secret not in log, secret


def test_listening_beyond_this_pc_needs_a_clerk_and_says_when_tls_is_off(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    ledger = Path(server_env()["WENZHENG_DB"])
    port = free_port()
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "wenzheng_cli",
            "serve",
            "--db",
            str(ledger),
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
        ],
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("错误: 在 0.0.0.0 上开服务，其他电脑都能连上，须先添加至少一个办事员")
    assert "wenzheng clerk add 王芳 --role admin" in refused.stderr
    wz("clerk", "add", "王芳", "--role", "admin")
    server = Served(ledger, tmp_path / "lan.log", host="0.0.0.0")
    server.start()
    try:
        said = server.output()
        assert "未启用 TLS" in said and "明文" in said, said
    finally:
        server.stop()
