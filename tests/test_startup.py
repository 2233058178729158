"""What the console script answers before and around a command: Ctrl-C (while loading, inside a command,
between the cases of a multi-case command), arguments that are not UTF-8, library warnings. Each runs the real
entry point in its own process, since Ctrl-C and argv bytes only exist there."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support.cli import Wz
from tests.support.signals import sigint_default

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Ctrl-C while the program is still loading: SIGINT arrives during the import of rich.console.
AT_STARTUP = """
import os, signal, sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "rich.console":
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, CtrlC())
sys.argv = ["wenzheng", *sys.argv[1:]]
from wenzheng_cli.entry import main
main()
"""

# Ctrl-C inside a command: SIGINT arrives in the middle of the n-th transaction, just before its case is
# stored.
IN_COMMAND = """
import os, signal, sys, time
from wenzheng_cli.store import cases
calls = {"n": 0}
store = cases.update_case
def interrupted(*args, **kwargs):
    calls["n"] += 1
    if calls["n"] == int(os.environ["CTRL_C_AT"]):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    return store(*args, **kwargs)
cases.update_case = interrupted
sys.argv = ["wenzheng", *sys.argv[1:]]
from wenzheng_cli.entry import main
main()
"""


def run(
    *args: str | bytes, script: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command: list[str | bytes] = (
        [sys.executable, "-c", script] if script else [sys.executable, "-m", "wenzheng_cli"]
    )
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        preexec_fn=sigint_default,
    )


def rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    found = conn.execute("SELECT number, status FROM cases ORDER BY pk").fetchall()
    found += conn.execute("SELECT case_id, action FROM events ORDER BY seq").fetchall()
    conn.close()
    return found


def test_ctrl_c_while_loading_is_one_line_and_exit_130(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    before = rows(ledger_env)
    done = run("intake", "井盖缺失", script=AT_STARTUP)
    assert (done.returncode, done.stderr, done.stdout) == (130, "已中断，台账未作更改\n", "")
    assert rows(ledger_env) == before


def test_ctrl_c_inside_a_command_rolls_back_and_says_so(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    before = rows(ledger_env)
    done = run("assign", "1", "--to", "王芳", script=IN_COMMAND, env={"CTRL_C_AT": "1"})
    assert (done.returncode, done.stderr) == (130, "已中断，台账未作更改\n")
    assert rows(ledger_env) == before


def test_ctrl_c_after_a_commit_names_what_was_saved(wz: Wz, ledger_env: Path) -> None:
    """A command that does several cases, each in its own transaction, has saved the ones done before Ctrl-C."""
    wz("intake", "路灯不亮")
    wz("intake", "井盖缺失")
    done = run("assign", "1", "2", "--to", "王芳", script=IN_COMMAND, env={"CTRL_C_AT": "2"})
    assert (done.returncode, done.stderr) == (130, "已中断：此前已完成的 1 项已保存，其余未作更改\n")
    statuses = [row for row in rows(ledger_env) if str(row[0]).startswith("WZ-")]
    assert statuses == [("WZ-2026-0001", "assigned"), ("WZ-2026-0002", "registered")]


def test_arguments_that_are_not_utf8_are_refused_in_one_line(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    before = rows(ledger_env)
    for args in ([b"intake", b"\xc2\xb7\xff\xfe GBK text"], [b"list", b"--search", b"\xb7\xbd"]):
        done = run(*args)
        lines = done.stderr.splitlines()
        assert done.returncode == 1 and len(lines) == 2, done.stderr
        assert (
            lines[0] == "错误: 第 2 个参数中有无法识别的字符（不是 UTF-8 编码），台账未作更改"
            or "第 3 个参数" in lines[0]
        )
        assert lines[1].startswith("提示: 把脚本或终端的编码改为 UTF-8")
    env = dict(os.environ)
    environ_bytes = {k.encode(): v.encode() for k, v in env.items()}
    environ_bytes[b"WENZHENG_OPERATOR"] = b"\xcd\xf5\xb7\xbc"  # 王芳 in GBK
    done = subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", "intake", "x"],
        capture_output=True,
        text=True,
        env=environ_bytes,
    )
    assert done.returncode == 1 and "环境变量 WENZHENG_OPERATOR 中有无法识别的字符" in done.stderr
    assert "Traceback" not in done.stderr
    assert rows(ledger_env) == before


def test_library_warnings_do_not_reach_the_clerk(tmp_path: Path, ledger_env: Path) -> None:
    """dateutil warns (with its own source path) about a time zone name it cannot place; the import says
    nothing of it, and with WENZHENG_DEBUG the warning is there for a maintainer."""
    notes = tmp_path / "visit.csv"
    notes.write_text("受理时间,诉求内容\n2026-11-17 09:00 CST,路灯不亮\n", encoding="utf-8")
    # dateutil takes a name of the local zone for that zone: in China's zone (or Chicago's) CST is local and
    # draws no warning. In UTC it names no zone dateutil knows, wherever the tests run.
    utc = {"TZ": "UTC"}
    quiet = run("import", str(notes), "--dry-run", env=utc)
    assert quiet.returncode == 0, quiet.stderr
    assert "Warning" not in quiet.stderr and "site-packages" not in quiet.stderr
    loud = run("import", str(notes), "--dry-run", env={**utc, "WENZHENG_DEBUG": "1"})
    assert "UnknownTimezoneWarning" in loud.stderr  # the file does make dateutil warn: the quiet run hid it
