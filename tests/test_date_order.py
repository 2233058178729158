"""``01/02/2016``-style dates: the order a column's unambiguous dates show, or ``--date-order``; a date that
stays ambiguous is an error showing every reading (issue 11, finding 5)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import write_csv
from wenzheng_cli.domain import clock
from wenzheng_cli.errors import UsageError
from wenzheng_cli.importers.date_order import DateError, DateOrder, parse_order
from wenzheng_cli.render.phrases import say

pytestmark = pytest.mark.contract

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=clock.TZ)
HEADER = ["受理时间", "诉求内容"]


def dates(wz: Wz) -> dict[str, str]:
    return {c["description"]: c["received_at"] for c in wz.json("list", "--since", "2000-01-01")}


def test_the_column_settles_the_order_wherever_its_telling_date_stands(wz: Wz, tmp_path: Path) -> None:
    rows = [HEADER, ["12/08/2016", "路灯不亮"], ["05/06/2016 9:30 PM", "下水道"], ["12/31/2016", "楼道杂物"]]
    report = wz.json("import", str(write_csv(tmp_path / "us.csv", rows)))
    assert (report["imported"], report["errors"]) == (3, [])
    assert dates(wz) == {
        "路灯不亮": "2016-12-08T00:00:00+08:00",
        "下水道": "2016-05-06T21:30:00+08:00",
        "楼道杂物": "2016-12-31T00:00:00+08:00",
    }


def test_day_first_columns_and_two_digit_years(wz: Wz, tmp_path: Path) -> None:
    rows = [HEADER, ["31.12.2016", "甲"], ["01.02.2016", "乙"]]
    wz.json("import", str(write_csv(tmp_path / "de.csv", rows)))
    rows = [HEADER, ["01/02/16", "丙"], ["12/31/16", "丁"]]  # US Excel's m/d/yy
    wz.json("import", str(write_csv(tmp_path / "yy.csv", rows)))
    assert dates(wz) == {
        "甲": "2016-12-31T00:00:00+08:00",
        "乙": "2016-02-01T00:00:00+08:00",
        "丙": "2016-01-02T00:00:00+08:00",
        "丁": "2016-12-31T00:00:00+08:00",
    }


def test_an_ambiguous_date_is_an_error_showing_both_readings(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    path = write_csv(tmp_path / "a.csv", [HEADER, ["12/08/2016", "路灯不亮"], ["05/05/2016", "同一天"]])
    report = json.loads(wz.fail("import", str(path), "--json").stdout)
    assert report["errors"] == [
        {
            "file": "a.csv",
            "row": 2,
            "column": "受理时间",
            "value": "12/08/2016",
            "message": "日期「12/08/2016」可读作 2016-12-08（月/日/年）或 2016-08-12（日/月/年），本列没有能分辨的日期",
            "hint": "加 --date-order mdy（月/日/年）或 --date-order dmy（日/月/年）说明日期的写法",
        }
    ]  # 05/05/2016 reads the same either way
    assert wz.json("import", str(path), "--date-order", "dmy")["imported"] == 2
    assert dates(wz) == {"路灯不亮": "2016-08-12T00:00:00+08:00", "同一天": "2016-05-05T00:00:00+08:00"}


def test_a_date_against_the_columns_order_names_the_date_that_set_it(wz: Wz, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [HEADER, ["31/12/2016", "甲"], ["12/31/2016", "乙"]])
    report = json.loads(wz.fail("import", str(path), "--json").stdout)
    assert [(e["row"], e["message"]) for e in report["errors"]] == [
        (3, "日期「12/31/2016」按日/月/年读不存在（本列的「31/12/2016」只能是日/月/年）")
    ]


def test_reply_dates_have_their_own_column_order(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ["受理时间", "诉求内容", "答复意见", "答复时间"],
        ["2016/12/01", "甲", "已修复", "12/08/2016"],
        ["2016/12/02", "乙", "已处理", "12/13/2016"],
    ]
    assert wz.json("import", str(write_csv(tmp_path / "r.csv", rows)))["resolved"] == 2
    assert wz.json("show", "2016-1")["resolved_at"] == "2016-12-08T00:00:00+08:00"


def test_the_look_ahead_reads_workbooks_and_json_too(wz: Wz, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in [
        HEADER,
        ["12/08/2016", "甲"],
        *([f"0{i}/0{i}/2016", f"同{i}"] for i in range(1, 6)),
        ["12/31/2016", "乙"],
    ]:
        book.worksheets[0].append(row)
    book.save(tmp_path / "w.xlsx")
    assert wz.json("import", str(tmp_path / "w.xlsx"))["imported"] == 7
    records = [{"受理时间": "03/04/2016", "诉求内容": "丙"}, {"受理时间": "13/04/2016", "诉求内容": "丁"}]
    (tmp_path / "r.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert wz.json("import", str(tmp_path / "r.json"))["imported"] == 2
    got = dates(wz)
    assert (got["甲"], got["丙"]) == ("2016-12-08T00:00:00+08:00", "2016-04-03T00:00:00+08:00")


@pytest.mark.parametrize(
    ("order", "text", "expected"),
    [
        ("mdy", "02/03/2016", "2016-02-03T00:00:00+08:00"),
        ("dmy", "02/03/2016", "2016-03-02T00:00:00+08:00"),
        ("ymd", "16/03/02", "2016-03-02T00:00:00+08:00"),
        ("mdy", "02/03/99 11:05:09 am", "1999-02-03T11:05:09+08:00"),
        ("dmy", "2016-03-02 08:00", "2016-03-02T08:00:00+08:00"),  # year first: never in question
    ],
)
def test_given_orders(order: str, text: str, expected: str) -> None:
    assert DateOrder(0, order, None).read(text, NOW)[0] == expected


@pytest.mark.parametrize(
    ("order", "text", "message"),
    [
        ("ymd", "12/08/2016", "日期「12/08/2016」的年份在后，与 --date-order ymd 不符"),
        ("mdy", "31/12/2016", "日期「31/12/2016」按月/日/年读不存在"),
        (None, "31/31/2016", "日期「31/31/2016」不存在"),
        (None, "12/31/2016 13:00 PM", "时间「12/31/2016 13:00 PM」不存在"),
        (
            None,
            "01/02/03",
            "日期「01/02/03」可读作 2003-01-02（月/日/年）或 2003-02-01（日/月/年）或 2001-02-03（年/月/日）",
        ),
    ],
)
def test_dates_that_cannot_be_read(order: str | None, text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        DateOrder(0, order, None).read(text, NOW)
    assert say(caught.value.message).startswith(message)


def test_date_order_option() -> None:
    assert [parse_order(t) for t in (None, "MDY", " dmy ", "年月日")] == [None, "mdy", "dmy", "ymd"]
    with pytest.raises(UsageError):
        parse_order("xyz")


def test_a_wrong_date_order_is_a_usage_error(wz: Wz, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [HEADER, ["12/08/2016", "路灯不亮"]])
    error = wz.fail("import", str(path), "--date-order", "m-d-y", code=2).stderr.splitlines()
    assert error == [
        "错误: --date-order「m-d-y」无法识别",
        "提示: 写 ymd（年/月/日）、mdy（月/日/年）或 dmy（日/月/年）",
    ]
