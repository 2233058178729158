"""The output of every command on the demo ledger, written to a folder, so that two versions of wenzheng can be
compared byte for byte (a refactoring must leave every JSON answer as it was).

    python benchmarks/json_parity.py build LEDGER              # the demo ledger (examples/demo.sh), once
    python benchmarks/json_parity.py run LEDGER OUT [--src DIR] # every command on a copy of it -> OUT/*.txt
    python benchmarks/json_parity.py compare OUT1 OUT2          # the files that differ; exit 1 if any

``--src`` runs the package found in another checkout's ``src`` (``git worktree add /tmp/before HEAD~5``) with
this interpreter. Both runs start from the same ledger file, so case and event ids agree; the ids made by the
commands that write are replaced by ``<ULID>`` before comparing, and the run's folder by ``<DIR>``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-23T17:30:00+08:00"
ULID = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{26}\b")

READS: list[list[str]] = [
    *[["show", str(n), "--json"] for n in range(1, 16)],
    ["show", "3", "--json", "--show-pii"],
    ["show", "3"],
    ["list", "--json"],
    ["list"],
    *[["list", "--status", s, "--json"] for s in ("registered", "assigned", "claimed", "resolved", "closed")],
    ["list", "--overdue", "--json"],
    ["list", "--supervised", "--json"],
    ["list", "--duplicates", "--json"],
    ["list", "--search", "路灯", "--json"],
    ["list", "--community", "清河", "--json"],
    ["list", "--sort", "-due", "--limit", "3", "--offset", "2", "--json"],
    ["list", "--imported", "--json"],
    ["list", "--weak-reply", "--json"],
    ["report", "weekly", "--week", "2026-11-17", "--json"],
    ["report", "weekly", "--week", "2026-11-17"],
    ["report", "weekly", "--week", "2026-11-17", "--format", "csv"],
    ["report", "weekly", "--week", "2026-11-17", "--format", "markdown"],
    ["report", "weekly", "--week", "2026-11-10", "--json"],
    ["report", "weekly", "--week", "2026-11-17", "--community", "清河", "--json"],
    ["report", "monthly", "--month", "2026-11", "--json"],
    ["report", "monthly", "--month", "2026-11"],
    ["report", "monthly", "--month", "2026-11", "--format", "csv"],
    *[
        ["report", "monthly", "--month", "2026-11", "--by", by, "--json"]
        for by in ("community", "unit", "category", "channel", "grid", "level", "nature", "handler")
    ],
    ["report", "monthly", "--month", "2026-11", "--as-of", "2026-11-20", "--json"],
    ["report", "trend", "--months", "3", "--until", "2026-11", "--json"],
    ["report", "trend", "--months", "3", "--until", "2026-11", "--by", "community", "--json"],
    ["hotspots", "--since", "2026-11-01", "--json"],
    ["suggest", "小区路灯不亮", "--json"],
    ["check", "--json"],
    ["config", "show", "--json"],
    ["activity", "list", "--json"],
    ["import", str(ROOT / "examples" / "tuesday-visit-gbk.csv"), "--dry-run", "--json"],
    ["import", str(ROOT / "examples" / "platform-export.xlsx"), "--dry-run", "--json"],
    # Refusals: one case (stderr), several (a list with the refused ones).
    ["assign", "1", "--to", "王芳", "--json"],
    ["claim", "1", "2", "3", "4", "--json"],
    ["revisit", "1", "--rating", "满意", "--json"],
    ["intake", "", "--json"],
    ["list", "--since", "2026-11-20", "--until", "2026-11-01", "--json"],
    ["report", "monthly", "--by", "nothing", "--json"],
]

WRITES: list[list[str]] = [
    ["intake", "9号楼下水道堵塞", "--community", "杨柳", "--category", "市政设施", "--json"],
    ["assign", "16", "--to", "刘强", "--within", "2wd", "--json"],
    ["--operator", "刘强", "claim", "16", "--json"],
    ["note", "16", "已联系疏通公司", "--json"],
    ["extend", "16", "--within", "3wd", "--reason", "等待设备", "--json"],
    ["supervise", "16", "--reason", "群众催办", "--json"],
    ["--operator", "刘强", "resolve", "16", "--result", "已疏通", "--json"],
    ["revisit", "16", "--rating", "满意", "--json"],
    ["amend", "9", "--category", "物业管理", "--reason", "类别选错", "--json"],
    ["undo", "9", "--yes", "--json"],
    ["withdraw", "11", "--reason", "居民自行解决", "--json"],
    ["assign", "12", "13", "14", "--unit", "城管科", "--json"],
    ["activity", "add", "12月居民问政日", "--at", "2026-11-23", "--kind", "问政日", "--json"],
    ["config", "set", "span.default", "3wd", "--json"],
    ["report", "monthly", "--month", "2026-11", "--json"],
    ["check", "--json"],
]


def _env(work: Path, src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        WENZHENG_DB=str(work / "ledger.db"),
        WENZHENG_HOME=str(work / "home"),
        WENZHENG_NOW=NOW,
        WENZHENG_OPERATOR="赵静",
        COLUMNS="120",
        TZ="Asia/Shanghai",
    )
    env.pop("WENZHENG_DEBUG", None)
    env["PYTHONPATH"] = str(src if src is not None else ROOT / "src")
    return env


def build(ledger: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shim = Path(tmp) / "bin"
        shim.mkdir()
        (shim / "wenzheng").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m wenzheng_cli "$@"\n')
        (shim / "wenzheng").chmod(0o755)
        env = _env(Path(tmp), None)
        env.update(DEMO_DIR=tmp, PATH=f"{shim}:{env['PATH']}")
        subprocess.run(["bash", str(ROOT / "examples" / "demo.sh")], env=env, check=True, capture_output=True)
        shutil.copyfile(Path(tmp) / "yangliu.db", ledger)


def run(ledger: Path, out: Path, src: Path | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copyfile(ledger, work / "ledger.db")
        env = _env(work, src)
        for i, args in enumerate(READS + WRITES):
            done = subprocess.run(
                [sys.executable, "-m", "wenzheng_cli", *args], env=env, capture_output=True, text=True
            )
            text = f"$ wenzheng {' '.join(args)}\nexit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
            text = ULID.sub("<ULID>", text.replace(tmp, "<DIR>")) if args in WRITES else text
            (out / f"{i:03d}.txt").write_text(text.replace(tmp, "<DIR>").replace(str(ROOT), "<ROOT>"))


def compare(first: Path, second: Path) -> int:
    names = sorted({p.name for p in first.glob("*.txt")} | {p.name for p in second.glob("*.txt")})
    differ = [n for n in names if not (first / n).is_file() or not (second / n).is_file()]
    differ += [n for n in names if n not in differ and (first / n).read_bytes() != (second / n).read_bytes()]
    for name in sorted(differ):
        print(
            f"differs: {name}  ({(first / name).read_text().splitlines()[0] if (first / name).is_file() else ''})"
        )
    print(f"{len(names) - len(differ)} of {len(names)} outputs identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("build").add_argument("ledger", type=Path)
    r = sub.add_parser("run")
    r.add_argument("ledger", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--src", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("first", type=Path)
    c.add_argument("second", type=Path)
    args = parser.parse_args()
    if args.what == "build":
        build(args.ledger)
        return 0
    if args.what == "run":
        run(args.ledger, args.out, args.src)
        return 0
    return compare(args.first, args.second)


if __name__ == "__main__":
    sys.exit(main())
