"""The groupings of ``--by`` are one table (``domain.groupings``): what ``--by`` accepts, its help, the labels,
the fold's reading of a case's group and the SQL that groups rows all come from it."""

from __future__ import annotations

from typing import get_args

from tests.support.cli import Wz
from tests.test_report_monthly import build_october
from wenzheng_cli.domain.groupings import GROUPINGS, HEAD_COLUMNS
from wenzheng_cli.domain.metrics import Return, Track
from wenzheng_cli.reports import figures
from wenzheng_cli.reports.grouping import BY_LABELS, parse_by


def test_every_grouping_is_readable_by_the_fold() -> None:
    for grouping in GROUPINGS:
        if grouping.moves:  # read from the fold as of the moment, and from where a 退单 came from
            assert grouping.column in Track.__dataclass_fields__, grouping.key
            assert grouping.column in Return.__dataclass_fields__, grouping.key
        else:  # read from the case's head, which the store reads in this order
            assert HEAD_COLUMNS[grouping.position] == grouping.column
    assert len(HEAD_COLUMNS) == figures.HEAD_WIDTH
    assert (
        HEAD_COLUMNS.index("difficulty"),
        HEAD_COLUMNS.index("activity_id"),
    ) == (figures.DIFFICULTY, figures.ACTIVITY)


def test_by_accepts_each_key_label_and_word_and_its_help_lists_them() -> None:
    from wenzheng_cli.cli.report import ByOpt

    help_text = get_args(ByOpt)[1].help  # Annotated[type, typer.Option(...)]
    for grouping in GROUPINGS:
        assert f"{grouping.key}（{grouping.label}）" in help_text
        for word in (grouping.key, grouping.key.upper(), grouping.label, *grouping.words):
            assert parse_by(word) == grouping.key
        assert BY_LABELS[grouping.key] == grouping.label
    assert parse_by(None) == "community"


def test_an_unknown_grouping_is_refused_listing_them_all(wz: Wz) -> None:
    build_october(wz)
    result = wz.fail("report", "monthly", "--month", "2026-10", "--by", "楼栋")
    assert "不能按「楼栋」分组" in result.stderr
    listed = "、".join(f"{g.key}（{g.label}）" for g in GROUPINGS)
    assert f"提示: --by 可选: {listed}\n" in result.stderr
