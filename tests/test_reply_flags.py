"""Reply quality at 办结: each reply judged (too short, only received/forwarded/referred, off the request's topic,
no result), the flags on the case (``reply_flags``), a warning at ``resolve`` and a count at ``import`` (never a
refusal), ``list --weak-reply``, the weekly 答复待完善 section, the monthly 答复规范率, and the flags rebuilt
from the events (amend, undo, reopen, ``check``, the upgrade of an older ledger)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.reply_quality import judge
from wenzheng_cli.store import schema

pytestmark = pytest.mark.contract

LAMP = "3号楼东侧路灯不亮，晚上出行很不方便"
SOUND = "经现场查看，3号楼东侧路灯灯泡损坏，已于11月18日更换新灯泡，路灯恢复照明。"


@pytest.mark.parametrize(
    ("reply", "flags"),
    [
        (SOUND, ()),
        ("已处理", ("too_short",)),
        ("网友：您好！留言已收悉", ("too_short", "ack_only")),
        ("您的留言已收悉，关于您反映的问题，已转市城管局调查处理。", ("too_short", "ack_only")),
        ("请咨询市人社局。", ("too_short", "ack_only")),
        # says something, but nothing about the lamp, and no result
        (
            "感谢您对我们工作的肯定和鼓励，网友的期待和满意是我们最大的动力，我们一如既往做好问政工作。",
            ("off_topic", "no_outcome"),
        ),
        # about the lamp, but no result
        ("3号楼东侧路灯的问题，社区会和物业一起商量路灯维护的事情，请您放心等待。", ("no_outcome",)),
        # no reply at all (a file that says 办结 without one) is not judged
        (None, ()),
    ],
)
def test_the_rules(reply: str | None, flags: tuple[str, ...]) -> None:
    assert judge(reply, LAMP) == flags


@pytest.mark.parametrize(
    ("reply", "flags"),
    [
        ("", ("too_short", "no_outcome")),
        ("   ", ("too_short", "no_outcome")),
        ("无", ("too_short", "no_outcome")),
        ("、、——", ("too_short", "no_outcome")),
        # only punctuation or a date: what an import reads as an acknowledgement (domain.replies)
        ("。。。！", ("too_short", "ack_only")),
        ("2019年7月9日", ("too_short", "ack_only")),
        ("2019-01-14 10:00", ("too_short", "ack_only")),
    ],
)
def test_a_reply_that_says_nothing_is_flagged(reply: str, flags: tuple[str, ...]) -> None:
    assert judge(reply, LAMP) == flags


def test_a_very_long_reply_is_judged_within_its_first_part() -> None:
    long = SOUND + "路" * 50_000
    assert judge(long, LAMP) == ()
    assert judge("路" * 50_000, LAMP) == ("off_topic", "no_outcome")


def _assigned(wz: Wz, text: str = LAMP) -> str:
    number = str(wz.json("intake", text)["number"])
    wz("assign", number, "--to", "王芳")
    return number


def test_resolve_warns_and_records_the_flags_never_refuses(wz: Wz) -> None:
    wz("init", "--office", "WZ", "--name", "杨柳社区")
    number = _assigned(wz)
    result = wz("--operator", "王芳", "resolve", number, "--result", "已处理", "--json")
    assert json.loads(result.stdout)["reply_flags"] == ["too_short"]
    assert result.stderr == (
        "提示: WZ-2026-0001 答复待完善: 答复过短；群众回访前请补充（撤销后重新办结: wenzheng undo WZ-2026-0001，"
        '再 wenzheng resolve WZ-2026-0001 --result "…"）\n'
    )
    good = _assigned(wz)
    sound = wz("--operator", "王芳", "resolve", good, "--result", SOUND, "--json")
    assert json.loads(sound.stdout)["reply_flags"] == []
    assert sound.stderr == ""
    shown = wz.json("show", number)
    assert shown["events"][-1]["reply_flags"] == ["too_short"]
    assert "答复待完善: 答复过短" in wz("show", number).stdout


def test_several_cases_warn_once(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    first, second = _assigned(wz), _assigned(wz)
    result = wz("--operator", "王芳", "resolve", first, second, "--result", "已收悉，已转城管科")
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "提示: WZ-2026-0001、WZ-2026-0002 答复待完善: 答复过短，只是收悉、转办或请咨询他处；群众回访前请补充"
    )


def test_bad_results_are_refused_as_before(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    number = _assigned(wz)
    assert wz.fail("--operator", "王芳", "resolve", number, "--result", "").stderr.startswith(
        "错误: 办理结果"
    )
    long = wz.fail("--operator", "王芳", "resolve", number, "--result", "已" * 50_000)
    assert "上限 20000 字" in long.stderr
    assert wz.json("show", number)["status"] == "assigned"
    # only punctuation, or only a date: accepted, and flagged
    done = wz.json("--operator", "王芳", "resolve", number, "--result", "2026年11月18日")
    assert done["reply_flags"] == ["too_short", "ack_only"]


def test_amend_undo_and_reopen_follow_the_latest_reply(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    number = _assigned(wz, "楼道里堆满了纸箱和旧家具")
    reply = "经核实，3号楼东侧路灯灯泡损坏，已于11月18日更换新灯泡，恢复照明，请放心。"
    assert wz.json("--operator", "王芳", "resolve", number, "--result", reply)["reply_flags"] == ["off_topic"]
    # the request corrected: the same reply now answers it
    amended = wz.json("amend", number, "--text", LAMP, "--reason", "受理时内容录错")
    assert amended["reply_flags"] == []
    wz("undo", number, "--yes")  # takes back the amend
    assert wz.json("show", number)["reply_flags"] == ["off_topic"]
    wz("undo", number, "--yes")  # takes back the resolve
    assert wz.json("show", number)["reply_flags"] == []
    wz("--operator", "王芳", "resolve", number, "--result", "已处理")
    reopened = wz.json("--operator", "孙红", "revisit", number, "--rating", "不满意")
    assert (reopened["status"], reopened["reply_flags"]) == ("assigned", [])
    assert "全部一致" in wz("check").stdout


def test_list_weak_reply(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    weak, good, open_ = _assigned(wz), _assigned(wz), _assigned(wz)
    wz("--operator", "王芳", "resolve", weak, "--result", "已处理")
    wz("--operator", "王芳", "resolve", good, "--result", SOUND)
    assert [c["number"] for c in wz.json("list", "--weak-reply")] == [weak]
    assert wz.json("list", "--weak-reply", "--status", "open") == wz.json("list", "--weak-reply")
    assert open_ not in [c["number"] for c in wz.json("list", "--weak-reply")]


def test_the_weekly_ledger_lists_weak_replies_awaiting_the_revisit(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    weak, good, closed = _assigned(wz), _assigned(wz), _assigned(wz)
    wz("--operator", "王芳", "resolve", weak, closed, "--result", "已处理")
    wz("--operator", "王芳", "resolve", good, "--result", SOUND)
    wz("--operator", "孙红", "revisit", closed, "--rating", "满意")
    data = wz.json("report", "weekly")
    assert [c["number"] for c in data["weak_reply"]] == [weak]
    assert data["totals"]["weak_reply"] == 1
    assert list(data)[:9] == [
        "week", "new", "resolved", "closed", "carried_over", "overdue", "report_back", "weak_reply", "totals"
    ]  # fmt: skip
    markdown = wz("report", "weekly", "--format", "markdown").stdout
    section = markdown.split("## 答复待完善")[1].split("##")[0]
    assert weak in section and "已处理（答复过短）" in section and good not in section


def test_the_monthly_report_counts_sound_replies(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    weak, good = _assigned(wz), _assigned(wz)
    wz("intake", "咨询低保材料", "--on-site", "已当场告知")  # not judged: counts as sound
    wz("--operator", "王芳", "resolve", weak, "--result", "已处理")
    wz("--operator", "王芳", "resolve", good, "--result", SOUND)
    data = wz.json("report", "monthly", "--month", "2026-11")
    assert (data["totals"]["reply_ok"], data["totals"]["resolved"]) == (2, 3)
    assert data["rates"]["reply_ok_rate"] == 0.6667
    assert "答复规范率" in wz("report", "monthly", "--month", "2026-11", "--format", "csv").stdout


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_import_judges_each_answer_and_counts_the_weak_ones(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--office", "WZ")
    head = ["留言编号", "留言时间", "留言详情", "答复意见", "答复时间"]
    rows = [
        head,
        ["1", "2026-11-02 09:00", LAMP, SOUND, "2026-11-05 10:00"],
        ["2", "2026-11-02 10:00", "小区垃圾清运不及时", "请咨询区城管局", "2026-11-05 10:00"],
        [
            "3",
            "2026-11-02 11:00",
            "楼道堆放杂物",
            "您的留言已收悉。",
            "2026-11-05 10:00",
        ],  # a note: stays open
    ]
    path = _write(tmp_path / "replies.csv", rows)
    result = wz("import", str(path))
    assert "1 件答复待完善（wenzheng list --weak-reply 查看）" in result.stdout
    flags = {c["description"]: (c["status"], c["reply_flags"]) for c in wz.json("list")}
    assert flags == {
        LAMP: ("resolved", []),
        "小区垃圾清运不及时": ("resolved", ["too_short", "ack_only"]),
        "楼道堆放杂物": ("registered", []),
    }
    assert "全部一致" in wz("check").stdout
    again = _write(
        tmp_path / "again.csv", [head, ["4", "2026-11-03 09:00", "噪音扰民", "已处理", "2026-11-06"]]
    )
    data = wz.json("import", str(again))
    assert data["imported"] == 1 and not [key for key in data if "repl" in key or "weak" in key]


@pytest.mark.local  # makes the open ledger an older one; a server upgrades at start
def test_an_older_ledger_gets_its_flags_on_upgrade(wz: Wz, ledger_env: Path) -> None:
    """A ledger made before replies were judged: its 办结 events carry no flags. The upgrade judges the cases'
    latest replies, the fold agrees (``check``), and the monthly rate leaves those 办结 out as unknown."""
    wz("init", "--office", "WZ")
    weak, good = _assigned(wz), _assigned(wz)
    wz("intake", "咨询低保材料", "--on-site", "已当场告知")
    wz("--operator", "王芳", "resolve", weak, "--result", "已处理")
    wz("--operator", "王芳", "resolve", good, "--result", SOUND)
    with sqlite3.connect(ledger_env) as conn:
        # the same ledger as an older version left it: no column, no flags in the 办结 events
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute(
            "UPDATE events SET payload = json_remove(payload, '$.reply_flags') WHERE action = 'resolve'"
        )
        conn.execute("ALTER TABLE cases DROP COLUMN reply_flags")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm014_reply_flags'")
        conn.execute(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
            " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )
        conn.execute(f"PRAGMA user_version = {schema.latest() - 1}")
    assert "全部一致" in wz("check").stdout
    assert [c["number"] for c in wz.json("list", "--weak-reply")] == [weak]
    data = wz.json("report", "monthly", "--month", "2026-11")
    assert data["left_out"] == {"reply_ok_rate": 2}
    assert (data["totals"]["reply_ok"], data["rates"]["reply_ok_rate"]) == (1, 1.0)
