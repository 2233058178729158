"""Reply quality at 办结 on a real 留言板 export: the share of replies each rule flags, the distributions the
thresholds were read from, samples of flagged and unflagged replies to read, and the time the upgrade that fills
``reply_flags`` for an existing ledger takes.

    python benchmarks/reply_flags.py                  # import into a temporary ledger, shares, 20 + 20 samples
    python benchmarks/reply_flags.py --samples 40 --seed 3

The export is ../shared/data/tipdm2020c_fujian4_messages_with_replies.xlsx (skipped when absent). It is imported
as a clerk would (``wenzheng import``), so the replies are judged exactly as the import judges them.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from wenzheng_cli.domain.models import flags_text, stored_flags  # noqa: E402
from wenzheng_cli.domain.replies import substance  # noqa: E402
from wenzheng_cli.domain.reply_quality import FLAGS, SHORT_MIN, judge, pairs  # noqa: E402
from wenzheng_cli.store import schema  # noqa: E402

EXPORT = HERE.parents[1] / "shared" / "data" / "tipdm2020c_fujian4_messages_with_replies.xlsx"


def wenzheng(db: Path, *args: str) -> str:
    env = {**os.environ, "WENZHENG_DB": str(db)}
    command = [sys.executable, "-c", "from wenzheng_cli.entry import main; main()", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def quantiles(values: list[int], points: tuple[float, ...] = (0.05, 0.1, 0.2, 0.3, 0.5)) -> str:
    ordered = sorted(values)
    return "  ".join(f"p{int(q * 100)}={ordered[int(q * (len(ordered) - 1))]}" for q in points)


def upgrade_time(db: Path) -> float:
    """Seconds the m014 upgrade takes on ``db`` made to look as an older version left it (no column)."""
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE cases DROP COLUMN reply_flags")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm014_reply_flags'")
        conn.execute(f"PRAGMA user_version = {schema.latest() - 1}")
    started = time.perf_counter()
    wenzheng(db, "list", "--limit", "1", "--json")  # opens, upgrades, lists one case
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samples", type=int, default=20, help="flagged and unflagged replies shown (default 20)"
    )
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    if not EXPORT.exists():
        print(f"skipped: {EXPORT.name} not available")
        return 0
    with tempfile.TemporaryDirectory(prefix="wz-replies-") as tmp:
        db = Path(tmp) / "fujian4.db"
        wenzheng(db, "init", "--office", "FJ")
        started = time.perf_counter()
        wenzheng(db, "import", str(EXPORT))
        took = time.perf_counter() - started
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT number, title, description, result, reply_flags FROM cases"
                " WHERE result IS NOT NULL AND status IN ('resolved', 'closed') ORDER BY pk"
            ).fetchall()
        print(f"{EXPORT.name}: imported in {took:.1f} s; {len(rows)} cases resolved by a reply")
        counts = Counter(flag for *_, flags in rows for flag in stored_flags(flags))
        flagged = [row for row in rows if row[4] != "[]"]
        for flag in FLAGS:
            print(f"  {flag:<11} {counts[flag]:>5}  {counts[flag] / len(rows):6.1%}")
        print(f"  any flag    {len(flagged):>5}  {len(flagged) / len(rows):6.1%}")
        # the judge on the stored rows gives what the import stored
        assert all(flags_text(judge(r, d, t)) == f for _, t, d, r, f in rows)
        sizes = [len("".join(substance(reply))) for *_, reply, _ in rows]
        print(f"substance length (characters, threshold {SHORT_MIN}): {quantiles(sizes)}")
        shared = [len(pairs(f"{t}\n{d}") & pairs(reply)) for _, t, d, reply, _ in rows]
        print(f"word pairs shared with the request: {quantiles(shared)}; none: {shared.count(0)}")
        rng = random.Random(args.seed)
        sound = [row for row in rows if row[4] == "[]"]
        for title, pool in (("flagged", flagged), ("unflagged", sound)):
            print(f"\n--- {args.samples} {title} replies ---")
            for number, head, description, reply, flags in rng.sample(pool, min(args.samples, len(pool))):
                asked = (head or description)[:40].replace("\n", " ")
                print(f"{number} {','.join(stored_flags(flags)) or '-'}\n  问: {asked}\n  答: {reply[:160]}")
        print(f"\nupgrade (m014) of this ledger: {upgrade_time(db):.2f} s including the command's start")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
