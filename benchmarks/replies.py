"""How the import reads the replies of a real 留言板 export: how many each rule catches, with samples to read.

    python benchmarks/replies.py                     # counts per rule, 12 samples of each
    python benchmarks/replies.py --samples 40        # more samples
    python benchmarks/replies.py --rule answer --near # answers that mention 转/收悉 (the false positives to check)
    python benchmarks/replies.py --all forwarded_to_unit > out.tsv   # every reply of one rule, tab-separated

The export is ../shared/data/tipdm2020c_fujian4_messages_with_replies.xlsx (skipped when absent). Its replies
are read as the import reads them (the same reader, the same cleaning, ``domain.replies.read_reply``).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from wenzheng_cli.domain.replies import ACK_MAX, ReplyKind, read_reply  # noqa: E402
from wenzheng_cli.importers.base import Options  # noqa: E402
from wenzheng_cli.importers.headers import header_key  # noqa: E402
from wenzheng_cli.importers.values import clean_long, to_text  # noqa: E402
from wenzheng_cli.importers.xlsx import XlsxImporter  # noqa: E402

EXPORT = HERE.parents[1] / "shared" / "data" / "tipdm2020c_fujian4_messages_with_replies.xlsx"
NEAR = re.compile(r"转|交由|交办|收悉|收到")  # what a forwarding or an acknowledgement says


def replies(path: Path) -> list[tuple[str, str]]:
    """(留言编号, reply) for every row, the reply cleaned as the import cleans it ("" when the cell is empty)."""
    with XlsxImporter().extract(path, Options()) as table:
        names = [header_key(c or "") for c in table.columns]
        key, reply = names.index(header_key("留言编号")), names.index(header_key("答复意见"))
        out = []
        for _, cells in table.rows:
            raw = cells[reply]
            out.append((to_text(cells[key]), clean_long(to_text(raw)) if raw is not None else ""))
        return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12, help="replies shown per rule (default 12)")
    parser.add_argument("--rule", choices=[k.value for k in ReplyKind], help="show samples of this rule only")
    parser.add_argument("--near", action="store_true", help="samples only among replies that mention 转/收悉")
    parser.add_argument("--all", metavar="RULE", help="print every reply of RULE (tab-separated) and stop")
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    if not EXPORT.exists():
        print(f"skipped: {EXPORT.name} not available")
        return 0
    rows = replies(EXPORT)
    by_kind: dict[ReplyKind, list[tuple[str, str, str | None]]] = {k: [] for k in ReplyKind}
    for key, text in rows:
        reading = read_reply(text)
        by_kind[reading.kind].append((key, text, reading.unit))
    if args.all:
        for key, text, unit in by_kind[ReplyKind(args.all)]:
            print(f"{key}\t{unit or ''}\t{text}")
        return 0
    print(f"{EXPORT.name}: {len(rows)} replies")
    for kind in ReplyKind:
        print(f"  {kind.value:<18} {len(by_kind[kind]):>5}")
    units = Counter(unit for kind in ReplyKind for _, _, unit in by_kind[kind] if unit)
    print(f"  units named: {sum(units.values())} replies, {len(units)} distinct")
    near = [t for _, t, _ in by_kind[ReplyKind.ANSWER] if NEAR.search(t)]
    short = [t for t in near if len(t) <= ACK_MAX]
    print(f"  answers that mention 转/收悉: {len(near)} (of which {len(short)} within {ACK_MAX} characters)")
    rng = random.Random(args.seed)
    for kind in ReplyKind:
        if kind is ReplyKind.NONE or (args.rule and kind.value != args.rule):
            continue
        pool = by_kind[kind]
        if args.near:
            pool = [item for item in pool if NEAR.search(item[1])]
        print(f"\n== {kind.value} ({len(pool)})")
        for key, text, unit in rng.sample(pool, min(args.samples, len(pool))):
            shown = text if len(text) <= 120 else text[:117] + "…"
            print(f"  {key:>6}  [{unit or '-'}]  {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
