"""Start-up of everyday commands on a small ledger, this tree side by side with another commit, in one run.

    python benchmarks/startup.py --against HEAD            # intake, list --json, report weekly
    python benchmarks/startup.py --against /tmp/wz-before/src --runs 21 -- list --since 上周 --json
    python benchmarks/startup.py --against 6c236ee~ --prepare "assign YL-2026-{n:04d} --to 王芳" \
        -- resolve YL-2026-{n:04d} --result 已更换灯泡，路灯恢复照明 --operator 王芳

Each tree has a small ledger of its own (made and filled by that tree, so that an older one is never handed a
ledger of a newer schema): ``--cases`` cases received (each then given the ``--prepare`` commands), and
``{n}`` in a command line is the case of the run (1, 2, … per tree), for commands that change a case once.

Each figure is the median over several runs, each in a fresh process running the console script's entry,
interleaved (this tree, the other one, the floor ``python -c "import typer, rich.console"``) so that noise from
other work on the machine hits all alike. Wall time is what a clerk waits; CPU time (user + system) is steadier
on a busy machine. The other tree is a commit's ``src/`` taken with ``git archive``, or a ``src/`` folder (a
``git worktree`` of it); it and this tree's ``src/`` are copied into a temporary folder, compiled to bytecode as
an installed package is, and put first on PYTHONPATH in turn.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-23T10:00:00+08:00"
DEFAULT = (
    ["intake", "井盖缺失", "--category", "环境卫生", "--json"],
    ["list", "--json"],
    ["report", "weekly"],
)
FLOOR = "import typer, rich.console"


def timed(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {code[:120]}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def command(args: list[str]) -> str:
    return f"import sys; sys.argv = ['wenzheng', *{args!r}]; from wenzheng_cli.entry import main; main()"


def _numbered(args: list[str], n: int) -> list[str]:
    """A command line with ``{n}`` (and ``{n:04d}`` …) standing for the case of the run."""
    return [arg.format(n=n) if "{n" in arg else arg for arg in args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--against",
        required=True,
        help="a commit to compare with (main, HEAD~3), or another tree's src/ folder",
    )
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument(
        "--cases", type=int, default=20, help="cases in each tree's ledger (at least runs + 1)"
    )
    parser.add_argument(
        "--prepare",
        action="append",
        default=[],
        help="a command line run on each case before the timing, {n} its number (repeatable)",
    )
    parser.add_argument("args", nargs="*", help="one command line to time instead of the default three")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wz-startup-") as tmp:
        other = Path(tmp) / "other"
        other.mkdir()
        if Path(opts.against).is_dir():
            shutil.copytree(
                opts.against, other / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", opts.against, "src"], check=True, capture_output=True
            )
            subprocess.run(["tar", "-x", "-C", str(other)], input=archive.stdout, check=True)
        this = Path(tmp) / "this" / "src"
        shutil.copytree(ROOT / "src", this, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        for tree in (this, other / "src"):
            compileall.compile_dir(tree, quiet=1)
        trees = {"this tree": str(this), opts.against: str(other / "src")}
        base = {**os.environ, "WENZHENG_NOW": NOW}
        for name in ("COLUMNS", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
            base.pop(name, None)
        envs = {
            name: {**base, "PYTHONPATH": src, "WENZHENG_DB": str(Path(tmp) / f"small-{i}.db")}
            for i, (name, src) in enumerate(trees.items())
        }
        here = envs["this tree"]
        cases = max(opts.cases, opts.runs + 1)
        for env in envs.values():
            timed(command(["init", "--office", "YL"]), env)
            for n in range(1, cases + 1):
                timed(command(["intake", f"3号楼路灯不亮 {n}", "--category", "环境卫生"]), env)
                for line in opts.prepare:
                    timed(command(shlex.split(line.format(n=n))), env)
        print(f"{opts.runs} runs each, interleaved; medians of wall time (CPU time)")
        for args in [opts.args] if opts.args else DEFAULT:
            figures: dict[str, list[tuple[float, float]]] = {name: [] for name in [*envs, "floor"]}
            for env in envs.values():  # warm the file cache
                timed(command(_numbered(args, 1)), env)
            for run in range(2, opts.runs + 2):
                for name, env in envs.items():
                    figures[name].append(timed(command(_numbered(args, run)), env))
                figures["floor"].append(timed(FLOOR, here))
            wall = {name: statistics.median(w for w, _ in runs) * 1000 for name, runs in figures.items()}
            cpu = {name: statistics.median(c for _, c in runs) * 1000 for name, runs in figures.items()}
            shown = "  ".join(f"{name} {wall[name]:5.0f} ms ({cpu[name]:3.0f})" for name in figures)
            ratio = wall["this tree"] / wall[opts.against]
            print(f"{' '.join(args)[:24]:<24} {shown}  this/other {ratio:.2f}x")


if __name__ == "__main__":
    main()
