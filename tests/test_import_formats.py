"""Every format a clerk is handed: old .xls, JSON arrays and objects of records, files known by content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import EXAMPLES, assert_cases_are_folds, result, write_csv
from wenzheng_cli.importers import jsondoc
from wenzheng_cli.importers.base import Options

pytestmark = pytest.mark.contract

FIXTURES = Path(__file__).parent / "fixtures"
BOARD = FIXTURES / "board.xls"
XLS_COLUMNS = {"board.xls 的工作表「留言」": ["已回访", "得分"]}


def records(n: int = 3) -> list[dict[str, object]]:
    return [
        {
            "工单号": f"GD{i}",
            "受理时间": f"2026-11-{10 + i} 09:00",
            "诉求内容": f"第{i}件诉求",
            "联系电话": None,
        }
        for i in range(1, n + 1)
    ]


# --- .xls ----------------------------------------------------------------------------------------------------


def test_old_excel_workbook(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = tmp_path / "board.xls"
    shutil.copy(BOARD, path)
    assert wz.json("import", str(path)) == result(imported=2, rows=2, unknown_columns=XLS_COLUMNS)
    # Numbered in received order: the file's first row (25 April) is the second case.
    first = wz.json("show", "2019-2", "--show-pii")
    assert (first["received_at"], first["description"], first["phone"], first["resident"]) == (
        "2019-04-25T09:32:09+08:00",  # a real date cell
        "物业管理有问题",
        "13912340001",  # a number cell, read as the digits it shows
        "A00045581",
    )
    assert first["events"][0]["source_key"] == "留言编号:2549"
    assert json.loads(first["events"][0]["extra"]) == {"已回访": "是"}
    second = wz.json("show", "2019-1", "--show-pii")
    assert (second["received_at"], second["phone"]) == ("2019-04-24T16:03:40+08:00", "13912340002")
    assert wz.json("import", str(path)) == result(skipped_existing=2, rows=2, unknown_columns=XLS_COLUMNS)
    assert "找不到受理时间、诉求内容列" in wz.fail("import", str(path), "--sheet", "说明").stderr
    assert "没有工作表「其他」" in wz.fail("import", str(path), "--sheet", "其他").stderr
    assert assert_cases_are_folds(ledger_env) == 2


def test_formats_are_known_by_content_not_name(wz: Wz, tmp_path: Path) -> None:
    renamed = tmp_path / "留言导出"  # no extension at all
    shutil.copy(BOARD, renamed)
    assert wz.json("import", str(renamed), "--dry-run")["imported"] == 2
    xlsx_named_xls = tmp_path / "platform.xls"
    shutil.copy(EXAMPLES / "platform-export.xlsx", xlsx_named_xls)
    assert wz.json("import", str(xlsx_named_xls), "--dry-run")["imported"] > 0
    tabbed = tmp_path / "走访.xls"  # what many web systems call an Excel export: tab-separated text
    tabbed.write_text("受理时间\t诉求内容\n2026-11-17\t路灯不亮\n", encoding="utf-8")
    assert wz.json("import", str(tabbed), "--dry-run")["imported"] == 1
    array = tmp_path / "export.dat"
    array.write_text(json.dumps(records(2), ensure_ascii=False), encoding="utf-8")
    assert wz.json("import", str(array), "--dry-run")["imported"] == 2
    lines_named_json = tmp_path / "hotline.json"
    lines_named_json.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records(2)) + "\n", encoding="utf-8"
    )
    assert wz.json("import", str(lines_named_json), "--dry-run")["imported"] == 2
    page = tmp_path / "导出.xls"
    page.write_text("<html><body><table><tr><td>受理时间</td></tr></table></body></html>", encoding="utf-8")
    error = wz.fail("import", str(page)).stderr
    assert (
        error.startswith("错误: 导出.xls 其实是网页（HTML）格式的表格") and "提示: 在 Excel 中打开后" in error
    )


def test_broken_old_workbooks(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    data = BOARD.read_bytes()
    for name, content in {
        "cut.xls": data[:3000],
        "junk.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8,
        "binary.xls": bytes(range(256)) * 8,
    }.items():
        path = tmp_path / name
        path.write_bytes(content)
        lines = wz.fail("import", str(path)).stderr.splitlines()
        assert lines[0].startswith(f"错误: {name} 无法按 xls 读取") and lines[0].endswith("文件可能已损坏")
        assert lines[1] == "提示: 在 Excel 中打开后「另存为」.xlsx 或「CSV UTF-8」再导入"
    assert not ledger_env.exists() or wz.json("list") == []


# --- JSON documents --------------------------------------------------------------------------------------------


def test_json_array_of_records(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = tmp_path / "complaints.json"
    rows = records(3)
    rows[1]["补充"] = {"来源": "网站", "标签": ["急"]}  # a key first seen later: a new column, kept as extra
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    assert wz.json("import", str(path)) == result(
        imported=3, rows=3, unknown_columns={"complaints.json": ["补充"]}
    )
    extra = json.loads(wz.json("show", "2")["events"][0]["extra"])
    assert extra == {"补充": '{"来源": "网站", "标签": ["急"]}'}
    assert wz.json("show", "3")["events"][0]["source_key"] == "工单号:GD3"
    assert wz.json("import", str(path))["skipped_existing"] == 3
    assert assert_cases_are_folds(ledger_env) == 3


def test_json_object_whose_values_are_records(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "hotline.json"
    body = {f"12345-{i}": {k: v for k, v in r.items() if k != "工单号"} for i, r in enumerate(records(2), 1)}
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")  # one line: still one document
    assert wz.json("import", str(path)) == result(imported=2, rows=2)
    assert wz.json("show", "1")["events"][0]["source_key"] == "key:12345-1"
    assert wz.json("import", str(path)) == result(skipped_existing=2, rows=2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2, 3]", "nr.json 是一个数组，但其中的值不是对象（第一个是数字），不是可导入的记录"),
        ('"just text"', "nr.json 不是 JSON 数组或对象，不是可导入的记录"),
        (
            '{\n  "name": "一条",\n  "count": 2\n}',
            "nr.json 是一个对象，但「name」的值不是记录（是文字），不是可导入的记录",
        ),
        ("[[1, 2], [3, 4]]", "nr.json 是一个数组，但其中的值不是对象（第一个是数组），不是可导入的记录"),
        (
            '[{"受理时间": "2026-11-17", "诉求内容": "x"},\n {"受理时间": "2026-11-18" "诉求内容": "y"}]',
            "nr.json 第 2 条记录（第 2 行）: JSON 格式有误，整个文件未导入",
        ),
        (
            '[{"受理时间": "2026-11-17", "诉求内容": "x"}] [1]',
            "nr.json 第 1 条记录（第 1 行）: 数据结束后还有多余的内容",
        ),
        ("[" * 50_000 + "]" * 50_000, "nr.json 第 1 条记录（第 1 行）: 嵌套太深（一条记录内最多 32 层）"),
        ('[{"受理时间": "2026-11-17", "诉求内容": "没写完', "nr.json 第 1 条记录（第 1 行）: JSON 格式有误"),
    ],
)
def test_json_that_is_not_records_is_one_clear_error(
    wz: Wz, tmp_path: Path, ledger_env: Path, content: str, message: str
) -> None:
    path = tmp_path / "nr.json"
    path.write_text(content, encoding="utf-8")
    lines = wz.fail("import", str(path)).stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"错误: {message}") and lines[1].startswith("提示: ")


def test_bad_records_are_row_errors_the_rest_import(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    good = records(1)[0]
    deep: object = "底"
    for _ in range(40):
        deep = [deep]
    path.write_text(
        json.dumps(
            {
                "A": good,
                "B": 7,
                "C": {**good, "工单号": "GD2", "附件": deep},
                "D": {**good, "工单号": "GD3", "诉求内容": "长" * 40_000},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = wz.json("import", str(path), "--skip-invalid")
    assert report["imported"] == 1
    assert [(e["row"], e["message"]) for e in report["errors"]] == [
        (2, "这一条不是 JSON 对象（记录）"),
        (3, "嵌套太深（一条记录内最多 32 层）"),
        (4, "「诉求内容」的内容超过 32767 字（Excel 一格的上限）"),
    ]


def test_a_directory_named_like_a_file(wz: Wz, tmp_path: Path) -> None:
    folder = tmp_path / "导出.json"
    folder.mkdir()
    lines = wz.fail("import", str(folder)).stderr.splitlines()
    assert lines == ["错误: " + f"{folder} 是目录，不是文件", "提示: 写出要导入的文件名，可一次写多个"]


def test_json_is_streamed_one_record_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """However long the array, the reader holds about a block and one record, never the file."""
    monkeypatch.setattr(jsondoc, "BLOCK", 4096)
    path = tmp_path / "big.json"
    rows = records(1) * 5000
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    assert path.stat().st_size > 100 * 4096
    largest = 0
    original = jsondoc._Stream.more

    def watched(self: jsondoc._Stream, size: int = 4096) -> None:
        nonlocal largest
        original(self, size)
        largest = max(largest, len(self.buf))

    monkeypatch.setattr(jsondoc._Stream, "more", watched)
    count = 0
    with jsondoc.JsonDocumentImporter().extract(path, Options()) as table:
        for _, cells in table.rows:
            assert not isinstance(cells, tuple) or len(cells) == 4
            count += 1
    assert count == 5000
    assert largest < 2 * 4096


def test_json_lines_keys_twice_long_numbers_and_deep_nesting(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "hotline.jsonl"
    path.write_text(
        '{"受理时间": "2026-11-17", "诉求内容": "路灯", "诉求内容": "下水道堵塞"}\n'
        '{"受理时间": "2026-11-17", "诉求内容": "长编号", "编号": ' + "9" * 4300 + "}\n"
        '{"受理时间": "2026-11-17", "诉求内容": "深", "v": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
        encoding="utf-8",
    )
    report = wz.json("import", str(path), "--skip-invalid")
    assert (report["imported"], report["invalid"]) == (1, 2)
    assert [(e["row"], e["message"]) for e in report["errors"]] == [
        (1, "键「诉求内容」出现了不止一次，无法确定用哪一个值"),
        (3, "嵌套太深（一条记录内最多 32 层）"),
    ]
    kept = json.loads(wz.json("show", "1", "--show-pii")["events"][0]["extra"])
    assert kept == {"编号": "9" * 4300}  # the digits as given, never a number Python refuses to print


def test_csv_files_keep_their_name_even_when_they_look_like_json(wz: Wz, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "notes.csv", [["[标题]受理时间", "诉求内容"], ["2026-11-17", "路灯"]])
    assert wz.json("import", str(path), "--dry-run")["imported"] == 1
