"""``wenzheng suggest``, ``import --suggest-category`` and the counter's offer, learned from the ledger."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract

PROBLEMS = {
    "环境卫生": [
        "垃圾桶满溢无人清运",
        "楼道里小广告贴满墙面",
        "绿化带里堆着建筑垃圾",
        "垃圾站臭味很大苍蝇多",
    ],
    "市政设施": ["门口路灯不亮晚上看不见", "人行道井盖松动有隐患", "雨水井堵塞下雨积水", "路灯杆倾斜快倒了"],
    "社会保障": [
        "养老金资格认证不会操作",
        "医保报销比例是多少",
        "灵活就业人员怎么参保",
        "失业登记需要什么材料",
    ],
}
PLACES = ["阳光花园", "幸福里", "清河湾", "新华苑", "胜利家园", "红星公寓"]
UNITS = {"环境卫生": "环卫所", "市政设施": "市政工程所", "社会保障": "人社所"}


def labelled_csv(path: Path, count: int, *, seed: int, category: bool = True, start_day: int = 1) -> Path:
    """``count`` cases spread evenly over the three categories, with varied places and wording."""
    rng = random.Random(seed)
    names = sorted(PROBLEMS)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["受理时间", "诉求内容", "类别"])
        for i in range(count):
            name = names[i % 3]
            text = (
                f"{rng.choice(PLACES)}{rng.randint(1, 30)}号楼居民反映{rng.choice(PROBLEMS[name])}，"
                + rng.choice(["希望尽快处理", "请社区协调", "已经好几天了", "麻烦帮忙看看"])
            )
            day = f"2026-10-{start_day + i % 20:02d} 09:{i % 60:02d}"
            writer.writerow([day, text, name if category else ""])
    return path


def numbers_by_category(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as conn:
        found: dict[str, list[str]] = {}
        for number, category in conn.execute("SELECT number, category FROM cases ORDER BY pk"):
            found.setdefault(category, []).append(number)
    return found


def test_too_few_labelled_cases(wz: Wz, tmp_path: Path) -> None:
    wz("init")
    wz("import", str(labelled_csv(tmp_path / "a.csv", 30, seed=1)))
    result = wz.fail("suggest", "路灯不亮")
    assert result.stderr.splitlines() == [
        "错误: 台账中有类别的案件只有 30 件（3 个类别），至少需要 50 件、2 个类别以上才能学习类别建议",
        "提示: 先受理或导入带类别的案件（如 wenzheng import 带“类别”列的文件），再运行 wenzheng suggest",
    ]


def test_empty_text(wz: Wz) -> None:
    wz("init")
    result = wz.fail("suggest", " \u3000 ")
    assert result.stderr.startswith("错误: 要分类的诉求内容为空\n提示: ")
    assert "--top" in wz.fail("suggest", "路灯", "--top", "0").stderr


def test_suggests_category_and_unit_learned_here(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    imported = wz("import", str(labelled_csv(tmp_path / "a.csv", 90, seed=2)))
    # The import says what it made learnable; the learning is left to the next suggest.
    assert imported.stderr == "提示: 类别建议将在下次运行 wenzheng suggest 时学习（约需几秒）\n"
    first = wz("suggest", "清河湾门口路灯坏了不亮，晚上出行看不见", "--json")
    assert "已根据台账中 90 件有类别的案件学习类别建议（3 个类别" in first.stderr
    data = json.loads(first.stdout)
    assert next(x["value"] for x in data["category"]) == "市政设施"
    assert len(data["category"]) == 3 and data["category"][0]["score"] > 0.5
    assert sum(x["score"] for x in data["category"]) == pytest.approx(1.0, abs=0.01)
    assert data["unit"] == []  # no case has been given a unit yet
    # The model is kept: asking again does not train again.
    again = wz("suggest", "养老金认证怎么操作", "--json", "--top", "1")
    assert again.stderr == ""
    assert json.loads(again.stdout)["category"][0]["value"] == "社会保障"
    # Units come from the cases that were assigned one.
    for category, numbers in numbers_by_category(ledger_env).items():
        for number in numbers[:18]:  # 54 cases given a unit: enough to learn from
            wz("assign", number, "--unit", UNITS[category], "--within", "5wd", "--at", "2026-11-02")
    units = wz("suggest", "垃圾桶满了没人清运，臭味很大", "--json")
    assert "学习承办单位建议" in units.stderr
    assert json.loads(units.stdout)["unit"][0]["value"] == "环卫所"
    shown = wz("suggest", "垃圾桶满了没人清运").stdout
    assert shown.startswith("类别: 1. 环境卫生（") and "承办单位: 1. 环卫所（" in shown


def test_backup_carries_the_model(wz: Wz, tmp_path: Path) -> None:
    wz("init")
    wz("import", str(labelled_csv(tmp_path / "a.csv", 60, seed=3)))
    wz("suggest", "路灯不亮")
    copy = tmp_path / "copy.db"
    wz("backup", str(copy))
    answer = wz("--db", str(copy), "suggest", "井盖松动", "--json")
    assert answer.stderr == ""  # no training: the model came with the backup
    assert json.loads(answer.stdout)["category"][0]["value"] == "市政设施"


def test_retrained_after_an_import_of_enough_new_cases(wz: Wz, tmp_path: Path) -> None:
    wz("init")
    wz("import", str(labelled_csv(tmp_path / "a.csv", 60, seed=4)))  # 60 ≥ 50: learnable
    assert "已根据台账中 60 件有类别的案件学习类别建议" in wz("suggest", "路灯不亮").stderr
    assert "学习类别建议" not in wz("suggest", "路灯不亮").stderr  # trained already: nothing to say
    few = wz("import", str(labelled_csv(tmp_path / "b.csv", 20, seed=5, start_day=2)))
    assert "类别建议" not in few.stderr  # 20 new cases: not yet stale
    assert "学习类别建议" not in wz("suggest", "路灯不亮").stderr
    many = wz("import", str(labelled_csv(tmp_path / "c.csv", 40, seed=6, start_day=3)))
    assert many.stderr == "提示: 类别建议将在下次运行 wenzheng suggest 时按新导入的案件重新学习（约需几秒）\n"
    assert "已根据台账中 120 件有类别的案件学习类别建议" in wz("suggest", "路灯不亮").stderr  # 60 new: stale
    assert "学习类别建议" not in wz("suggest", "路灯不亮").stderr


def test_import_suggest_category(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    refused = wz.fail(
        "import", str(labelled_csv(tmp_path / "u.csv", 10, seed=7, category=False)), "--suggest-category"
    )
    assert "至少需要 50 件" in refused.stderr
    assert wz.json("list") == []  # nothing imported
    wz("import", str(labelled_csv(tmp_path / "a.csv", 60, seed=8)))
    path = tmp_path / "new.csv"
    path.write_text(
        "受理时间,诉求内容,类别\n"
        "2026-11-02 09:00,清河湾3号楼门口路灯不亮晚上看不见,\n"
        "2026-11-02 10:00,养老金资格认证不会操作,\n"
        "2026-11-02 11:00,垃圾桶满溢无人清运,市政设施\n",
        encoding="utf-8",
    )
    report = wz.json("import", str(path), "--suggest-category")
    assert (report["imported"], report["suggested"]) == (3, 2)
    lamp, pension, typed = wz.json("list", "--since", "2026-11-02")[::-1]
    assert (lamp["category"], lamp["category_suggested"]) == ("市政设施", True)
    assert (pension["category"], pension["category_suggested"]) == ("社会保障", True)
    assert (typed["category"], typed["category_suggested"]) == ("市政设施", False)  # as the file said
    assert wz.json("check")["ok"] is True  # the mark is in the intake event: a replay gives it back
    text = wz(
        "import", str(labelled_csv(tmp_path / "b.csv", 3, seed=9, category=False)), "--suggest-category"
    )
    assert "3 件没有类别，已按建议填上" in text.stdout


@pytest.mark.local  # patches this process's terminal check (remote: tests/test_serve_remote.py)
def test_intake_at_the_counter_offers_three(wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wz("init")
    wz("import", str(labelled_csv(tmp_path / "a.csv", 60, seed=10)))
    wz("suggest", "路灯不亮")
    monkeypatch.setattr("wenzheng_cli.cli.lifecycle.interactive", lambda: True)
    result = wz("intake", "新华苑门口路灯不亮晚上看不见", "--json", input="1\n")
    assert "类别建议: 1 市政设施（" in result.stdout
    case = json.loads(result.stdout[result.stdout.index("{") :])
    assert (case["category"], case["category_suggested"]) == ("市政设施", False)  # chosen by the clerk
    typed = wz("intake", "新华苑门口路灯不亮", "--json", input="环境卫生\n")
    assert json.loads(typed.stdout[typed.stdout.index("{") :])["category"] == "环境卫生"
