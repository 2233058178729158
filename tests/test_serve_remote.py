"""What only a command sent to ``wenzheng serve`` has: a question asked at the clerk's own terminal, standard
input piped on the clerk's PC, files uploaded and written back there under the names the clerk typed, and the
refusals of the client and the server (a path of the server's PC, ``--db`` with ``--server``, a server that
cannot be reached)."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.cli import Wz
from tests.support.offices import ledger_at
from tests.support.remote import RemoteWz, clerk_token
from tests.support.serving import free_port
from wenzheng_cli import importers
from wenzheng_cli.cli.remote_server import Server, server_of
from wenzheng_cli.importers.base import Importer
from wenzheng_cli.serve import wire
from wenzheng_cli.serve.app import build_app
from wenzheng_cli.serve.runner import Runner

HEADER = ["工单编号", "受理时间", "姓名", "联系电话", "地址", "类别", "诉求内容"]
ROWS = [
    ["GD1", "2026/11/17 9:00", "李桂兰", "13812345678", "杨柳3号楼", "环境卫生", "垃圾没人清"],
    ["GD2", "2026/11/17 9:10", "王建国", "电话见备注", "杨柳5号楼", "环境卫生", "路灯不亮"],
    ["GD3", "2026/11/17 9:30", "陈志强", "13600001111", "北苑1号楼", "投诉举报", "噪音扰民"],
]


@pytest.fixture
def remote(monkeypatch: pytest.MonkeyPatch) -> Iterator[RemoteWz]:
    monkeypatch.setenv("NO_COLOR", "1")  # the client's terminal, as the server renders for it
    wz = RemoteWz()
    wz("init", "--office", "YL", "--name", "杨柳社区")
    try:
        yield wz
    finally:
        wz.close()


def without_ids(data: Any) -> Any:
    """``data`` without the cases' ULIDs (two ledgers given the same cases number them alike, not so their ids)."""
    if isinstance(data, dict):
        return {key: without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    return data


def numbers(wz: Wz) -> list[str]:
    return [case["number"] for case in wz.json("list")]


@pytest.mark.slow
def test_a_question_is_asked_at_the_clerks_terminal(remote: RemoteWz) -> None:
    remote.tty = True
    result = remote("intake", input="楼道灯不亮\n市政设施\n")
    assert result.stdout == "诉求内容: 类别（可直接回车跳过）: 已受理 YL-2026-0001 · 待交办\n"
    assert result.stderr == ""
    remote.tty = False
    case = remote.json("show", "1")
    assert (case["description"], case["category"]) == ("楼道灯不亮", "市政设施")
    # No answer (the clerk pressed Ctrl-D): nothing is taken in.
    remote.tty = True
    cancelled = remote("intake", input="", code=1)
    assert cancelled.stderr.endswith("已取消，台账未作更改\n")
    remote.tty = False
    assert numbers(remote) == ["YL-2026-0001"]


@pytest.mark.slow
def test_case_numbers_piped_on_the_clients_pc(remote: RemoteWz) -> None:
    for text in ("路灯不亮", "垃圾没人清", "噪音扰民"):
        remote("intake", text)
    listed = remote("list", "--json").stdout
    result = remote("assign", "-", "--unit", "城管科", input=listed)
    assert result.stdout.splitlines()[-1] == "共 3 件: 已办理 3 件"
    assert [case["unit"] for case in remote.json("list")] == ["城管科"] * 3
    result = remote("claim", "-", "--operator", "城管科", input="1\n3\n")
    assert [case["status"] for case in remote.json("list")] == ["claimed", "assigned", "claimed"]
    assert remote.json("show", "3")["handler"] == "城管科"  # the clerk whose token claimed it


@pytest.mark.slow
def test_files_are_uploaded_and_written_back_under_the_clients_names(
    remote: RemoteWz, tmp_path: Path, blank_ledger: Path
) -> None:
    source = tmp_path / "走访.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    rejects = tmp_path / "退回" / "rejects.csv"
    rejects.parent.mkdir()
    args = ["import", str(source), "--skip-invalid", "--rejects", str(rejects), "--json"]
    # The same import on a ledger of this PC: what the clerk at the server would see.
    here = tmp_path / "here.db"
    shutil.copyfile(blank_ledger, here)
    with ledger_at(here):
        Wz()("init", "--office", "YL", "--name", "杨柳社区")
        local = Wz()(*args)
    local_rejects = rejects.read_bytes()
    rejects.unlink()
    sent = remote(*args)
    assert sent.stdout == local.stdout and sent.stderr == local.stderr
    assert json.loads(sent.stdout)["rejects"] == str(rejects)  # the clerk's path, never the server's
    assert rejects.read_bytes() == local_rejects
    assert numbers(remote) == ["YL-2026-0002", "YL-2026-0001"]
    with ledger_at(here):
        weekly = Wz().json("report", "weekly", "--week", "2026-11-17")
    sent_weekly = remote.json("report", "weekly", "--week", "2026-11-17")  # written in pieces: all arrive
    assert without_ids(sent_weekly) == without_ids(weekly)
    # A report written to the clerk's file, the message naming it as typed.
    report = tmp_path / "周台账.xlsx"
    written = remote("report", "weekly", "--week", "2026-11-17", "--output", str(report))
    assert written.stdout == ""
    assert written.stderr == f"已写入 {report}\n"
    assert report.read_bytes()[:2] == b"PK"
    page = tmp_path / "案件.html"
    assert remote("show", "1", "--output", str(page)).stderr == f"已写入 {page}\n"
    assert "垃圾没人清" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_setting_changed_on_the_servers_pc_holds_at_once(remote: RemoteWz, ledger_env: Path) -> None:
    remote("config", "add", "communities", "杨柳")
    remote("intake", "路灯不亮", "--community", "杨柳")
    assert remote.json("config", "show")["communities"] == ["杨柳"]  # read by the server, no write after it
    # The clerk at the server's PC adds a community with the command line there, the server still running.
    Wz()("config", "add", "communities", "清河", "--db", str(ledger_env))
    assert remote.json("intake", "噪音扰民", "--community", "清河")["community"] == "清河"


def test_a_path_of_the_servers_pc_is_refused_and_never_read(
    ledger_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Wz()("init", "--office", "YL")
    opened: list[str] = []
    real = importers.identify

    def identify(path: Path) -> Importer:
        opened.append(str(path))
        return real(path)

    monkeypatch.setattr(importers, "identify", identify)
    token = clerk_token(ledger_env, "clerk")
    runner = Runner(ledger_env)
    try:
        client = TestClient(build_app(runner))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
        argv = ["import", "/etc/passwd", "--json"]
        # Typed as an argument, never declared a file of the request.
        bare = wire.Request("r1", argv, wire.Terminal(), [], [], [0])
        # Declared the file to upload, but no bytes of it sent.
        declared = wire.Request(
            "r2", argv, wire.Terminal(), [wire.FileArg(1, "", "in", "/etc/passwd")], [], [0]
        )
        for request in (bare, declared):
            answer = client.post(
                wire.PATH, content=b"".join(wire.frame(request.header(), [b""])), headers=headers
            )
            assert answer.status_code == 400, answer.text
            assert "root:" not in answer.text
    finally:
        runner.close()
    assert opened == []
    assert Wz().json("list") == []


def test_db_with_server_is_a_usage_error(remote: RemoteWz, tmp_path: Path) -> None:
    typed = ["--server", "http://127.0.0.1:9", "--db", str(tmp_path / "x.db"), "list"]
    server = server_of(typed)
    assert server is not None
    result = remote.invoke(Server(server.url, "token"), typed)
    assert result.exit_code == 2
    assert result.stderr == "错误: 在服务器上办理时不能用 --db\n提示: 去掉 --db，或去掉 --server 在本机办理\n"


def test_an_unreachable_server_says_nothing_was_done(remote: RemoteWz) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = remote.invoke(Server(url, "token"), ["intake", "路灯不亮"])
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()
    assert first.startswith(f"错误: 无法连接服务器 {url}（") and first.endswith("）；命令未办理")
    assert hint.startswith("提示: ")
    assert Wz().json("list") == []
