"""A real ``wenzheng serve`` under load and killed: ten clients × a hundred mixed commands at once leave every
success in the ledger exactly once (and no "locked" error); ``kill -9`` of the server while clients write leaves
each command applied once or not at all, as the client said; a request sent again with its id after the restart
gets its first answer and is not done twice."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.serving import Served, post

pytestmark = pytest.mark.slow  # a server process, client processes and signals

CLIENT = """
import contextlib, io, json, sys
from wenzheng_cli.cli.remote import run_remote
from wenzheng_cli.cli.remote_server import Server

url, token, me, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

def run(kind, args, text=""):
    print(json.dumps({"start": kind, "text": text}, ensure_ascii=False), flush=True)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_remote(Server(url, token), args)
    said = {"end": kind, "text": text, "code": code, "out": out.getvalue(), "err": err.getvalue()}
    print(json.dumps(said, ensure_ascii=False), flush=True)
    return code, out.getvalue()

if mode == "mix":  # a clerk's day: ten commands a case
    for n in range(count // 10):
        text = f"{me}第{n}件 3号楼楼道灯不亮"
        code, out = run("intake", ["intake", text, "--json"], text)
        case = json.loads(out)["number"]
        run("assign", ["assign", case, "--to", me])
        run("claim", ["claim", case])
        run("note", ["note", case, f"{me}第{n}件 已联系物业"])
        run("list", ["list", "--status", "open", "--limit", "20", "--json"])
        run("resolve", ["resolve", case, "--result", "已更换楼道灯泡并试亮，居民确认"])
        run("show", ["show", case, "--json"])
        run("search", ["list", "--search", text, "--json"])
        run("report", ["report", "weekly", "--json"])
        run("show", ["show", case])
elif mode == "intakes":  # until the first command that does not go through
    for n in range(count):
        text = f"{me}第{n}件 夜间施工噪音扰民"
        if run("intake", ["intake", text, "--json"], text)[0]:
            break
else:  # one intake, typed again
    run("intake", ["intake", mode, "--json"], mode)
"""


def client(
    served: Served, token: str, me: str, home: Path, mode: str, count: int = 0
) -> subprocess.Popen[str]:
    """A client process running ``run_remote`` as the console script does, one JSON line per command."""
    env = {**os.environ, "WENZHENG_HOME": str(home)}
    for name in ("WENZHENG_DB", "WENZHENG_OPERATOR", "WENZHENG_SERVER", "WENZHENG_TOKEN"):
        env.pop(name, None)
    args = [sys.executable, "-c", CLIENT, served.url, token, me, mode, str(count)]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ended(lines: list[str]) -> list[dict[str, object]]:
    return [said for said in map(json.loads, lines) if "end" in said]


def descriptions(db: Path) -> Counter[str]:
    """Each case's text, counted, read straight from the file (the server may be down)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return Counter(row[0] for row in conn.execute("SELECT description FROM cases"))


@pytest.fixture
def office(wz: Wz) -> dict[str, str]:
    """A ledger with ten clerks (办事员0 … 办事员9), by name their tokens."""
    wz("init", "--office", "YL", "--name", "杨柳社区")
    return {
        f"办事员{i}": wz.json("clerk", "add", f"办事员{i}", "--role", "clerk")["token"] for i in range(10)
    }


@pytest.fixture
def served(office: dict[str, str], ledger_env: Path, tmp_path: Path) -> Iterator[Served]:
    server = Served(ledger_env, tmp_path / "serve.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_ten_clients_at_once_each_success_once_and_no_lock_errors(
    served: Served, office: dict[str, str], ledger_env: Path, tmp_path: Path, wz: Wz
) -> None:
    procs = {
        me: client(served, token, me, tmp_path / f"home-{me}", "mix", 100) for me, token in office.items()
    }
    said = {me: proc.communicate(timeout=900) for me, proc in procs.items()}
    for me, (out, err) in said.items():
        assert procs[me].returncode == 0, err
        answers = ended(out.splitlines())
        assert len(answers) == 100
        failed = [a for a in answers if a["code"] != 0]
        assert not failed, failed[:3]
        assert not [a for a in answers if "locked" in str(a["err"]) or "busy" in str(a["err"])]
    texts = descriptions(ledger_env)
    assert len(texts) == 100 and set(texts.values()) == {1}
    assert texts == Counter(f"{me}第{n}件 3号楼楼道灯不亮" for me in office for n in range(10))
    cases = wz.json("list", "--limit", "0")
    assert Counter(case["status"] for case in cases) == {"resolved": 100}
    assert {case["handler"] for case in cases} == set(office)
    for case in cases[::7]:  # each step once, by the clerk of the token
        events = wz.json("show", case["number"])["events"]
        actions = Counter(event["action"] for event in events)
        assert actions == {"intake": 1, "assign": 1, "claim": 1, "note": 1, "resolve": 1}, actions
        assert {(event["actor"], event["origin"]) for event in events} == {(case["handler"], "serve")}
    wz("check")


def test_kill_9_during_writes_each_command_once_or_not_at_all_as_the_client_said(
    served: Served, office: dict[str, str], ledger_env: Path, tmp_path: Path, wz: Wz
) -> None:
    writers = dict(list(office.items())[:4])
    procs = {
        me: client(served, token, me, tmp_path / f"home-{me}", "intakes", 10_000)
        for me, token in writers.items()
    }
    lines: dict[str, list[str]] = {me: [] for me in writers}
    readers = [threading.Thread(target=_collect, args=(procs[me], lines[me])) for me in writers]
    for reader in readers:
        reader.start()
    while min(len(ended(lines[me])) for me in writers) < 5:  # every client well under way
        assert all(proc.poll() is None for proc in procs.values()), lines
        time.sleep(0.05)
    served.kill()
    for reader in readers:
        reader.join(120)
    ok, not_applied, unknown = [], [], []
    for me in writers:
        answers = ended(lines[me])
        *done, last = answers
        assert all(a["code"] == 0 for a in done)
        ok += [str(a["text"]) for a in done]
        err = str(last["err"])
        assert last["code"] == 1 and err.startswith("错误: "), last
        if "命令未办理" in err:
            not_applied.append(str(last["text"]))
        else:
            assert "不能确定命令是否已办理" in err, err
            unknown.append(str(last["text"]))
    texts = descriptions(ledger_env)
    assert all(texts[t] == 1 for t in ok)
    assert all(texts[t] == 0 for t in not_applied)
    assert all(texts[t] in (0, 1) for t in unknown)
    assert set(texts) <= set(ok) | set(unknown)

    served.start()  # the same port, the same ledger
    for me in writers:
        text = next((t for t in unknown if t.startswith(me)), None)
        if text is None:
            continue
        again = client(served, writers[me], me, tmp_path / f"home-{me}", text)
        out, err = again.communicate(timeout=120)
        (answer,) = ended(out.splitlines())
        assert answer["code"] == 0, answer
        if texts[text]:  # applied before the kill: its first answer, or word that it was applied
            first = json.loads(str(answer["out"])) if answer["out"] else None
            assert first is None or first["description"] == text
            assert first is not None or "已在服务器上办理" in str(answer["err"])
    after = descriptions(ledger_env)
    assert all(after[t] == 1 for t in ok + unknown)
    assert all(after[t] == 0 for t in not_applied)
    wz("check")


def _collect(proc: subprocess.Popen[str], into: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        into.append(line)
    proc.wait()


def test_a_request_sent_again_after_a_restart_gets_its_first_answer_once(
    served: Served, office: dict[str, str], ledger_env: Path
) -> None:
    token = office["办事员0"]
    argv = ["intake", "5号楼电梯困人，已报修", "--json"]
    first = post(served.url, token, argv, "retry-1")
    assert first.status == 200 and first.code == 0 and first.note == ""
    served.kill()
    served.start()
    again = post(served.url, token, argv, "retry-1")
    assert (again.status, again.code, again.stdout, again.stderr) == (200, 0, first.stdout, first.stderr)
    assert again.note == "again"
    assert descriptions(ledger_env) == {"5号楼电梯困人，已报修": 1}
    other = post(served.url, token, ["intake", "别的诉求", "--json"], "retry-1")
    assert other.status == 409 and "这个请求编号已用于另一条命令" in other.stderr.decode()
    assert descriptions(ledger_env) == {"5号楼电梯困人，已报修": 1}
    fresh = post(served.url, token, argv, "retry-2")
    assert fresh.code == 0 and json.loads(fresh.stdout)["number"] != json.loads(first.stdout)["number"]


def test_a_request_applied_but_never_answered_is_reported_applied_not_run_again(
    served: Served, office: dict[str, str], ledger_env: Path
) -> None:
    """The window ``kill -9`` can hit between a command's commit and its answer being kept: the retry is told
    the command was applied (and how much of it), and it is not run again."""
    token = office["办事员0"]
    argv = ["intake", "5号楼电梯困人，已报修", "--json"]
    assert post(served.url, token, argv, "cut-1").code == 0
    served.kill()
    with sqlite3.connect(ledger_env) as conn:
        conn.execute("UPDATE requests SET code = NULL, response = NULL WHERE id = 'cut-1'")
    served.start()
    again = post(served.url, token, argv, "cut-1")
    assert (again.status, again.code, again.stdout, again.note) == (200, 0, b"", "applied")
    assert again.stderr.decode().startswith("提示: 这条命令已在服务器上办理（已保存 1 项）")
    assert descriptions(ledger_env) == {"5号楼电梯困人，已报修": 1}
