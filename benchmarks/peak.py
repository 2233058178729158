"""Wall time, CPU time and peak memory of one command in a process of its own, for every benchmark here.

On Linux a child's peak resident size (``ru_maxrss`` from ``wait4``) starts at its parent's size at the fork and
is kept across exec: a benchmark holding 150 MB of its own (open ledgers, rows read in-process) would lend them to
every command it times. So the command is started by ``/usr/bin/time`` (a process of a few MB), which reports
the command's own figures; where it is missing, the figures are the child's as ``wait4`` gives them, and the
peak may include this process's size (said once on stderr).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Any

TIME = shutil.which("time", path="/usr/bin:/bin")
_WARNED: list[bool] = []


@dataclass(frozen=True)
class Usage:
    seconds: float  # wall, as this process waited for it
    cpu: float  # user + system
    peak_mb: float
    code: int  # exit code
    stderr: str = ""  # what it said there (its last 4,000 characters), unless sent elsewhere
    together_mb: float = 0.0  # the peak of it and the processes it started, together (Linux; 0 elsewhere)


def run(
    cmd: list[str], env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL, stderr: Any = None
) -> Usage:
    """Run ``cmd`` to its end and measure it: ``stdout`` as for ``subprocess.Popen`` (default: dropped), its
    stderr kept in ``Usage.stderr`` unless ``stderr`` says where it goes."""
    kept = stderr is None
    with tempfile.TemporaryFile() as said:
        usage = _run(cmd, env, stdout, said if kept else stderr)
        if kept:
            said.seek(0)
            text = said.read().decode(errors="replace")[-4000:]
            usage = Usage(usage.seconds, usage.cpu, usage.peak_mb, usage.code, text, usage.together_mb)
    return usage


class _Tree:
    """The resident size of a process and those it started, added up, polled every 20 ms from /proc: a command
    that starts a process of its own (``hotspots`` reads in a second one) uses the two together. The peak is
    the largest sum seen (a spike shorter than a poll may be missed: ``run`` takes the command's own peak
    too)."""

    def __init__(self, pid: int) -> None:
        self.root = pid
        self.peak_kb = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak_kb / 1024

    def _poll(self) -> None:
        while not self.done.wait(0.02):
            total, stack = 0, [self.root]
            while stack:
                pid = stack.pop()
                try:
                    if pid != self.root:  # /usr/bin/time, a few MB, is not the command
                        with open(f"/proc/{pid}/status") as status:
                            total += next(
                                int(line.split()[1]) for line in status if line.startswith("VmRSS:")
                            )
                    for task in os.listdir(f"/proc/{pid}/task"):
                        with open(f"/proc/{pid}/task/{task}/children") as children:
                            stack.extend(int(child) for child in children.read().split())
                except (OSError, ValueError, StopIteration):
                    continue
            self.peak_kb = max(self.peak_kb, total)


def _run(cmd: list[str], env: dict[str, str] | None, stdout: Any, stderr: Any) -> Usage:
    if TIME is None:
        if not _WARNED:
            _WARNED.append(True)
            print("(no /usr/bin/time: peak memory may include the benchmark's own)", file=sys.stderr)
        started = time.perf_counter()
        process = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        return Usage(
            time.perf_counter() - started,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status),
        )
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        process = subprocess.Popen(
            [TIME, "-q", "-o", report.name, "-f", "%U %S %M", *cmd], env=env, stdout=stdout, stderr=stderr
        )
        tree = _Tree(process.pid) if os.path.isdir("/proc") else None
        code = process.wait()
        seconds = time.perf_counter() - started
        together = tree.stop() if tree else 0.0
        user, system, peak_kb = report.read().split()[-3:]
    own = int(peak_kb) / 1024
    return Usage(seconds, float(user) + float(system), own, code, "", max(together, own))
