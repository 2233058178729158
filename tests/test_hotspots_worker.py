"""``hotspots`` over many cases reads them in a second process: the hotspots are the very ones one process finds
(the same JSON, byte for byte), an error there is the command's error, and the process ends with the command."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.test_hotspots_planted import background
from wenzheng_cli.analysis import problems
from wenzheng_cli.analysis.clusters import Gazetteer
from wenzheng_cli.core import hotspots_worker
from wenzheng_cli.errors import WenzhengError

FUJIAN4 = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "tipdm2020c_fujian4_messages_with_replies.xlsx"
)
_PROBLEMS = [
    "电梯经常故障困人",
    "楼道堆放杂物无人清理",
    "地下车库漏水严重",
    "晚上广场舞噪音扰民",
    "路灯不亮晚上看不见",
]
_ESTATES = ["梅溪湖小区", "阳光花园", "五矿万境", "幸福里"]


def _rows(count: int) -> list[tuple[str, str, str, str, str]]:
    """(text, address, category, day, phone): problems at estates and buildings, often the same, among noise."""
    rng = random.Random(11)
    noise = background(count)
    rows = []
    for i in range(count):
        estate, building = rng.choice(_ESTATES), rng.randint(1, 6)
        text = f"{estate}{building}号楼{rng.choice(_PROBLEMS)}，{noise[i][:8]}" if i % 3 else noise[i]
        day = f"2026-{1 + i * 10 // count:02d}-{1 + i % 28:02d}"
        rows.append(
            (text, f"{estate}{building}号楼{i % 9 + 1}01室", "", day, f"139{rng.randint(0, 999):08d}")
        )
    return rows


PERIOD = ("--since", "2026-01-01", "--until", "2026-11-30")


def _board(wz: Wz, tmp_path: Path, count: int) -> None:
    """A fresh ledger of ``count`` messages (``_rows``) through ``import``."""
    path = tmp_path / "board.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["留言详情", "地址", "类别", "留言时间", "联系电话"])
        out.writerows(_rows(count))
    wz("init", "--office", "YL")
    wz("import", str(path))


def _hotspots(wz: Wz, monkeypatch: pytest.MonkeyPatch, second_from: int, *period: str) -> str:
    monkeypatch.setattr(hotspots_worker, "SECOND_PROCESS_FROM", second_from)
    monkeypatch.setattr("wenzheng_cli.core.hotspots.SECOND_PROCESS_FROM", second_from)
    monkeypatch.setattr(hotspots_worker, "BATCH", 97)  # many batches, one of a few cases at the end
    monkeypatch.setattr("wenzheng_cli.core.hotspots.BATCH", 97)
    return wz("hotspots", *period, "--top", "30", "--json").stdout


def test_two_processes_find_what_one_finds(wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _board(wz, tmp_path, 1500)
    alone = _hotspots(wz, monkeypatch, 10**9, *PERIOD)
    assert len(alone) > 1000 and '"hotspots": [' in alone
    assert _hotspots(wz, monkeypatch, 1, *PERIOD) == alone


def test_where_no_second_process_starts_the_command_reads_alone(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _board(wz, tmp_path, 300)
    alone = _hotspots(wz, monkeypatch, 10**9, *PERIOD)

    def cannot(*args: object) -> None:
        raise OSError("no interpreter to start")

    monkeypatch.setattr(hotspots_worker.Worker, "__init__", cannot)
    assert _hotspots(wz, monkeypatch, 1, *PERIOD) == alone


def test_where_the_second_process_stops_midway_the_command_reads_the_rest(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _board(wz, tmp_path, 1000)
    alone = _hotspots(wz, monkeypatch, 10**9, *PERIOD)
    batches = hotspots_worker.Worker.batches
    taken: list[int] = []

    def killed_after_two(self: hotspots_worker.Worker) -> Iterator[hotspots_worker.Batch]:
        for number, batch in enumerate(batches(self)):
            taken.append(len(batch[0]))
            yield batch
            if number == 1:
                self._process.kill()  # what it had written before may still come; then it is gone

    monkeypatch.setattr(hotspots_worker.Worker, "batches", killed_after_two)
    assert _hotspots(wz, monkeypatch, 1, *PERIOD) == alone
    assert 2 <= len(taken) < 1000 // 97


@pytest.mark.skipif(not FUJIAN4.exists(), reason="../shared/data is not beside the repository")
def test_two_processes_find_what_one_finds_on_a_real_board(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    wz("init", "--office", "YL")
    wz("import", str(FUJIAN4), "--history")
    period = ("--since", "2010-01-01", "--until", "2026-11-30")
    alone = _hotspots(wz, monkeypatch, 10**9, *period)
    assert _hotspots(wz, monkeypatch, 1, *period) == alone


def test_an_error_in_the_second_process_is_the_commands(tmp_path: Path) -> None:
    idf = problems.Idf({}, 1)
    worker = hotspots_worker.Worker(tmp_path / "无此台账.db", "2026-01-01", "2026-12-31")
    with worker, pytest.raises(WenzhengError, match="台账文件不存在"):
        worker.weigh(idf, Gazetteer())
        list(worker.batches())


def test_the_second_process_ends_with_the_command(tmp_path: Path) -> None:
    worker = hotspots_worker.Worker(tmp_path / "无此台账.db", "2026-01-01", "2026-12-31")
    worker.close()  # before it was told anything: as when the command is interrupted
    assert worker._process.poll() is not None
