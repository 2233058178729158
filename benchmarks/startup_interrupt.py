"""Ctrl-C while ``wenzheng`` starts: what a clerk sees when SIGINT comes 0–40 ms after the command was typed.

    python benchmarks/startup_interrupt.py [--runs 2] [--until-ms 40]

Starts ``wenzheng list`` (the console script beside this interpreter) on a fresh ledger and sends SIGINT after
0, 0.5, 1 … ms, ``--runs`` times each. Each outcome is counted:

- ``answered``: the program's one line (已中断，台账未作更改) and exit 130;
- ``finished``: the command was done before the signal came (exit 0, nothing else on stderr);
- ``killed``: SIGINT came before the interpreter set its handler, and the process ended silently;
- ``interpreter``: inside CPython's own start-up (``Fatal Python error: init_…``, its ``site`` and ``io``
  modules, setting up the script it runs), before any line of the program runs;
- ``loading``: while the interpreter loads the program's first module (pip's script, line 3);
- ``other``: anything else, printed in full: a defect of the program.
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def outcome(code: int, err: str) -> str:
    starting = ("Fatal Python error", "<frozen site>", "failed to set __main__", "Failed checking if argv[0]")
    if any(sign in err for sign in starting):
        return "interpreter"
    if "Traceback" in err or "Exception ignored" in err:
        return "loading" if "bin/wenzheng" in err and "wenzheng_cli/" not in err else "other"
    if code == 130 and "已中断" in err:
        return "answered"
    if code == -signal.SIGINT and not err.strip():
        return "killed"
    if code == 0:
        return "finished"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--until-ms", type=float, default=40.0)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("wenzheng")
    counts: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, WENZHENG_DB=str(Path(home, "a.db")), WENZHENG_HOME=home)
        subprocess.run([str(script), "init", "--office", "YL"], env=env, capture_output=True, check=True)
        steps = int(args.until_ms * 2)
        for delay in (i / 2000 for i in range(steps)):
            for _ in range(args.runs):
                process = subprocess.Popen(
                    [str(script), "list"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
                time.sleep(delay)
                process.send_signal(signal.SIGINT)
                _, raw = process.communicate()
                err = raw.decode(errors="replace")
                kind = outcome(process.returncode, err)
                counts[kind] += 1
                if kind == "other":
                    print(f"--- {delay * 1000:.1f} ms, exit {process.returncode}\n{err}")
    total = sum(counts.values())
    for kind in ("answered", "finished", "killed", "interpreter", "loading", "other"):
        print(f"{kind:<12} {counts[kind]:>4} of {total}")


if __name__ == "__main__":
    main()
