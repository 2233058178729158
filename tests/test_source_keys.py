"""Source keys never collide across sources (issue 26, item 3): a source name may hold any character, ``:``
included, and a key of one source never stands for a case of another; keys stored so far keep their form."""

from __future__ import annotations

import sqlite3
from itertools import product
from pathlib import Path

from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds, result, write_csv
from wenzheng_cli.domain.source_keys import compose, is_alternative_of, split

HEADER = ["留言编号", "留言时间", "留言详情", "答复意见", "答复时间"]


def keys(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT source_key FROM cases ORDER BY pk")]
    finally:
        conn.close()


def test_a_colon_in_the_source_does_not_reach_another_sources_case(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    first = write_csv(tmp_path / "src1.csv", [HEADER, ["c", "2026-11-01 09:00", "路灯不亮", "", ""]])
    second = write_csv(
        tmp_path / "src2.csv",
        [HEADER, ["b:c", "2026-11-01 09:00", "路灯不亮", "已修复路灯", "2026-11-02 09:00"]],
    )
    assert wz.json("import", str(first), "--source", "a:b")["imported"] == 1
    done = wz.json("import", str(second), "--source", "a")
    assert (done["imported"], done["updated"]) == (1, 0)
    assert wz.json("show", "1")["status"] == "registered"  # the other source's case is untouched
    assert wz.json("show", "2")["status"] == "resolved"
    assert wz.json("import", str(first), "--source", "a:b") == result(skipped_existing=1, rows=1)
    assert wz.json("import", str(second), "--source", "a") == result(skipped_existing=1, rows=1)
    assert keys(ledger_env) == ["a\\:b:c", "a:b:c"]
    assert assert_cases_are_folds(ledger_env) == 2


def test_keys_of_plain_sources_keep_their_form(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """What ledgers hold already is found again by a re-import: the common sources are written as before."""
    path = write_csv(tmp_path / "a.csv", [HEADER, ["2549", "2026-11-01 09:00", "路灯不亮", "", ""]])
    wz("import", str(path))
    wz("import", str(path), "--source", "12345")
    unkeyed = write_csv(tmp_path / "b.csv", [HEADER[1:3], ["2026-11-02 09:00", "井盖缺失"]])
    wz("import", str(unkeyed))
    wz("import", str(unkeyed), "--source", "走访")
    stored = keys(ledger_env)
    assert stored[:2] == ["留言编号:2549", "12345:2549"]
    assert stored[2].startswith("row:") and stored[3].startswith("走访:row:")


def test_any_two_sources_and_keys_give_two_keys() -> None:
    parts = [
        "",
        "a",
        "a:b",
        "b:c",
        "c",
        "\\",
        "a\\",
        "\\:",
        ":",
        "::",
        "a\\:b",
        "row",
        "#",
        "a#1",
        "留言编号",
    ]
    seen: dict[str, tuple[str, str]] = {}
    for source, key in product(parts, parts):
        text = compose(source, key)
        assert seen.setdefault(text, (source, key)) == (source, key), text
        assert split(text) == (source, key)
    assert compose("12345", "2549") == "12345:2549"


def test_a_key_with_a_hash_is_not_another_keys_alternative(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """``7#2`` is a key of its own, not a different case that came with key ``7``."""
    first = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["7", "2026-11-01 09:00", "路灯不亮", "", ""],
            ["7#2", "2026-11-02 09:00", "井盖缺失", "", ""],
        ],
    )
    wz("import", str(first))
    later = write_csv(
        tmp_path / "b.csv", [HEADER, ["7", "2026-11-02 09:00", "井盖缺失", "已补上井盖", "2026-11-03 09:00"]]
    )
    done = wz.json("import", str(later))
    assert (done["imported"], done["updated"], done["same_key"]) == (1, 0, 1)
    assert wz.json("show", "2")["status"] == "registered"
    assert is_alternative_of("留言编号:7#0123456789ab", "留言编号:7")
    assert is_alternative_of("留言编号:7#0123456789ab-2", "留言编号:7")
    assert not is_alternative_of("留言编号:7#2", "留言编号:7")
    assert assert_cases_are_folds(ledger_env) == 3
