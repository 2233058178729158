"""Finding 3: repeats are found wherever they are — any community and category, in the file or the ledger —
and what is flagged is right. (``benchmarks/repeats.py`` prints the figures on larger and real sets.)"""

from __future__ import annotations

from pathlib import Path

from benchmarks import repeats
from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds
from wenzheng_cli.core.duplicates import text_pieces


def test_repeats_spread_among_a_thousand_unrelated_rows(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rows = repeats.generate(unrelated=1000, repeats=60, seed=5)
    half = len(rows) // 2
    wz("import", str(repeats.write_rows(tmp_path / "first.csv", rows[:half])))
    wz("import", str(repeats.write_rows(tmp_path / "second.csv", rows[half:])))
    score = repeats.score_generated(rows, repeats.flags_by_key(ledger_env))
    assert score.repeats == 60
    assert score.recall >= 0.9, score
    assert score.precision >= 0.95, score
    assert assert_cases_are_folds(ledger_env) == 1060


def test_a_repeat_is_filed_under_pieces_an_edit_leaves_alone() -> None:
    text = "杨柳小区3号楼2单元最近一周楼道里堆满了纸箱和旧家具，老人孩子出门很不安全，希望社区尽快协调处理。"
    norm, pieces = text_pieces(text)
    assert norm.startswith("杨柳小区3号楼") and "，" not in norm
    edited = "再次反映：" + text.replace("纸箱", "纸盒").replace("3", "３")
    _, again = text_pieces(edited)
    assert set(pieces) & set(again)  # the ending and the untouched clauses
    assert text_pieces("路灯不亮")[1] == ["^路灯不亮"]
    assert text_pieces("北苑新村井盖缺失，夜间极易发生危险")[1] == [
        "^北苑新村井盖缺失夜间极易发生危险",
        "~北苑新村井盖缺失",
        "~夜间极易发生危险",
    ]
    assert text_pieces("")[1] == []
