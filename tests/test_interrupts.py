"""Ctrl-C at any moment gives the one line and exit 130 (or, once the command is over, changes nothing): never a
traceback, never "Exception ignored". Each case runs the real entry point in its own process."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.signals import sigint_default

ROWS = 20_000
NOISE = ("Traceback", "Exception ignored", "KeyboardInterrupt", ".py")


def _quiet(stderr: str) -> bool:
    return not any(word in stderr for word in NOISE)


def _big_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工单号", "受理时间", "联系电话", "住址", "诉求类别", "诉求内容"])
        for i in range(ROWS):
            w.writerow([f"GD{i:06d}", f"2026/10/{1 + i % 28} 9:{i % 60:02d}:00", f"139{i:08d}",
                        f"杨柳小区{i % 40}号楼", "环境卫生", f"第{i}件：楼道堆放杂物影响通行"])  # fmt: skip
    return path


def _fresh_ledger(path: Path) -> dict[str, str]:
    env = {**os.environ, "WENZHENG_DB": str(path)}
    done = subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", "init", "--office", "YL"],
        env=env,
        capture_output=True,
        timeout=60,
        preexec_fn=sigint_default,
    )
    assert done.returncode == 0, done.stderr
    return env


@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_a_big_import(wz: Wz, tmp_path: Path) -> None:
    """Parsing, staging, the sweep for repeats (a cursor read as a stream), the inserts: SIGINT at delays spread
    over the whole run, measured first on a run of its own."""
    source = _big_csv(tmp_path / "big.csv")
    command = [sys.executable, "-m", "wenzheng_cli", "import", str(source)]
    env = _fresh_ledger(tmp_path / "whole.db")
    started = time.monotonic()
    whole = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, preexec_fn=sigint_default
    )
    took = time.monotonic() - started
    assert whole.returncode == 0, whole.stderr
    for n, share in enumerate((0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95)):
        env = _fresh_ledger(tmp_path / f"cut{n}.db")
        proc = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=sigint_default,
        )
        time.sleep(took * share)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=600)
        assert proc.returncode in (130, 0), (share, proc.returncode, stderr)
        assert _quiet(stderr), (share, stderr)
        if proc.returncode == 130:
            assert stderr == "已中断，台账未作更改\n", (share, stderr)


# Ctrl-C while entry.py itself is being loaded: SIGINT arrives as its module body imports ``warnings``.
WHILE_ENTRY_LOADS = """
import os, signal, sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "warnings":
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.modules.pop("warnings", None)
sys.meta_path.insert(0, CtrlC())
sys.argv = ["wenzheng", "list"]
from wenzheng_cli.entry import main
main()
"""

# Ctrl-C after entry.py is loaded and before ``main`` has begun.
BEFORE_MAIN = """
import os, signal, sys
sys.argv = ["wenzheng", "list"]
from wenzheng_cli.entry import main
os.kill(os.getpid(), signal.SIGINT)
main()
"""

# Ctrl-C once the command is over, while the process exits.
AFTER_THE_COMMAND = """
import os, signal, sys
sys.argv = ["wenzheng", "list"]
from wenzheng_cli.entry import main
try:
    main()
except SystemExit as exc:
    os.kill(os.getpid(), signal.SIGINT)
    print("exit", exc.code)
"""

# A program started with Ctrl-C ignored (a job put in the background by a script) keeps it ignored.
IGNORED_BY_THE_PARENT = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
sys.argv = ["wenzheng", "list"]
from wenzheng_cli.entry import main
os.kill(os.getpid(), signal.SIGINT)
main()
"""


# Ctrl-C while the import machinery lets go of a module's lock (a weakref callback, where an exception is
# printed as ignored and lost): it lands once the callback is over.
IN_AN_IMPORT_LOCK_CALLBACK = """
import os, signal, sys, weakref
sys.argv = ["wenzheng", "list"]
from wenzheng_cli import entry
lock = {"os": os, "signal": signal}
exec(compile(
    "def cb(ref):\\n    os.kill(os.getpid(), signal.SIGINT)\\n    for _ in range(100000):\\n        pass\\n",
    "<frozen importlib._bootstrap>", "exec"), lock)
class Module:
    pass
def undecodable(args):
    module = Module()
    held = weakref.ref(module, lock["cb"])
    del module  # the callback runs here, inside main
    return None
entry.undecodable = undecodable
entry.main()
"""


def _script(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, preexec_fn=sigint_default
    )


@pytest.mark.parametrize("script", [WHILE_ENTRY_LOADS, BEFORE_MAIN], ids=["entry-loading", "before-main"])
def test_ctrl_c_while_the_program_starts_is_one_line(wz: Wz, script: str) -> None:
    wz("intake", "路灯不亮")
    done = _script(script)
    assert (done.returncode, done.stderr, done.stdout) == (130, "已中断，台账未作更改\n", "")


def test_ctrl_c_in_an_import_lock_callback_is_not_lost(wz: Wz) -> None:
    wz("intake", "路灯不亮")
    done = _script(IN_AN_IMPORT_LOCK_CALLBACK)
    assert (done.returncode, done.stderr, done.stdout) == (130, "已中断，台账未作更改\n", "")


def test_ctrl_c_once_the_command_is_over_changes_nothing(wz: Wz) -> None:
    wz("intake", "路灯不亮")
    done = _script(AFTER_THE_COMMAND)
    assert done.returncode == 0 and done.stdout.endswith("exit 0\n"), done
    assert "路灯不亮" in done.stdout and _quiet(done.stderr), done.stderr


def test_ctrl_c_ignored_by_the_parent_stays_ignored(wz: Wz) -> None:
    wz("intake", "路灯不亮")
    done = _script(IGNORED_BY_THE_PARENT)
    assert done.returncode == 0 and "路灯不亮" in done.stdout, done
    assert _quiet(done.stderr), done.stderr
