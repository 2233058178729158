"""Tables at the widths clerks' terminals have: case numbers, dates, statuses and figures stay whole, text gives
way first (shortened, or columns left out with a note)."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from tests.support.cli import Wz

WIDTHS = (80, 100, 120, 160)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
CUT = re.compile(r"(\d…|…\d|YL-…|20\d\d-…|\d%…)")


@pytest.fixture
def office(wz: Wz) -> list[str]:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    wz("config", "add", "communities", "杨柳", "清河")
    numbers = []
    texts = [
        ("3号楼2单元楼道堆放旧家具和纸箱，影响通行，存在消防隐患，请尽快清理", "堆码物清理", "杨柳"),
        ("独居老人申请临时救助，冬季取暖费有困难，希望社区帮助联系民政部门", "困难诉求", "清河"),
        ("楼上住户空调外机滴水，与邻居多次协商未果，请社区调解", "群众纠纷", "杨柳"),
        ("8号楼暖气不热，室温不到16度，家中有老人和婴儿", "水电暖气燃气", "清河"),
    ]
    for i, (text, category, community) in enumerate(texts):
        number = wz.json(
            "intake", text, "--resident", "李桂兰", "--phone", "13812345678", "--community", community,
            "--category", category, "--at", f"2026-11-17 09:{10 + i}",
        )["number"]  # fmt: skip
        numbers.append(number)
    wz(
        "assign",
        numbers[0],
        "--to",
        "刘强",
        "--unit",
        "杨柳物业服务中心",
        "--within",
        "3wd",
        "--at",
        "2026-11-17 10:00",
    )
    wz("assign", numbers[1], "--unit", "街道民政办", "--within", "1d", "--at", "2026-11-17 10:00")
    wz("assign", numbers[2], "--to", "黄磊", "--unit", "人民调解委员会", "--at", "2026-11-17 10:00")
    wz("supervise", numbers[1], "--reason", "超期未办结", "--at", "2026-11-19 10:00")
    wz(
        "--operator",
        "刘强",
        "resolve",
        numbers[0],
        "--result",
        "已清运旧家具和纸箱，楼道恢复通行",
        "--at",
        "2026-11-18",
    )
    wz("--operator", "孙红", "revisit", numbers[0], "--rating", "非常满意", "--at", "2026-11-19")
    return numbers


def terminal(wz: Wz, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as a clerk's
    text = _ANSI.sub("", wz(*args).stdout)
    for line in text.splitlines():
        assert cell_len(line) <= width, (width, line)
    assert not CUT.search(text), CUT.search(text)
    return text


@pytest.mark.parametrize("width", WIDTHS)
def test_weekly_keeps_numbers_dates_and_statuses_whole(
    wz: Wz, office: list[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    text = terminal(wz, monkeypatch, width, "report", "weekly", "--week", "2026-11-17")
    for number in office:
        assert number in text
    # 受理日期 and 街道民政办's 1d limit, dates of the report's year without the year
    assert "│11-17" in text.replace(" ", "") and "11-18" in text
    assert "已交办·逾期" in text and "已销账" in text
    if width < 160:
        assert "终端较窄，表中省略了" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_monthly_keeps_figures_whole(
    wz: Wz, office: list[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    data = json.loads(wz("report", "monthly", "--month", "2026-11", "--json").stdout)
    text = terminal(wz, monkeypatch, width, "report", "monthly", "--month", "2026-11")
    for group in data["groups"]:
        assert f"{group['score']:.2f}" in text
        assert f"{group['rates']['completion_rate'] * 100:.1f}%" in text
    assert f"{data['rates']['satisfaction_rate'] * 100:.1f}%" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_list_and_show(wz: Wz, office: list[str], monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    listed = terminal(wz, monkeypatch, width, "list")
    for number in office:
        assert number in listed
    assert "2026-11-17" in listed and "2026-11-18" in listed
    shown = terminal(wz, monkeypatch, width, "show", office[0])
    assert "2026-11-17 09:10" in shown and "2026-11-19" in shown
