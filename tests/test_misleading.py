"""Answers that pointed the wrong way: a UTF-8 file with one line in another encoding, a backup refused with the
rejects' example name, and text formats on the standard output passing what a terminal acts on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.cli.app import app
from wenzheng_cli.importers.csvfile import choose_encoding, stray_line
from wenzheng_cli.render import report_output

# A colour, a window title with a bell, an 8-bit CSI that clears the screen.
HOSTILE = "路灯\x1b[31m红\x1b]0;标题\x07\x9b2J不亮"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LINES = ["受理时间,诉求内容,联系电话\n", "2026-11-17,路灯不亮,\n", "2026-11-18,楼道堆物,\n"]


def mixed() -> bytes:
    """Five lines of UTF-8 but the fourth, pasted in from a GBK file."""
    return (
        "".join(LINES).encode() + "2026-11-19,暖气不热,\n".encode("gbk") + "2026-11-20,噪音扰民,\n".encode()
    )


def test_a_utf8_file_with_one_gbk_line_names_that_line(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(mixed())
    wz("init")
    err = wz.fail("import", str(path), "--dry-run").stderr
    first, hint = err.splitlines()
    assert "mixed.csv 第 4 行不是 UTF-8 编码" in first and "找不到" not in err
    assert "UTF-8" in hint and "--encoding gbk" in hint
    assert "鍙楃悊" not in err  # no header read in the wrong encoding


def test_the_stray_line_is_found_only_in_a_file_that_is_utf8_otherwise() -> None:
    assert stray_line(mixed()) == 4
    whole_gbk = "".join([*LINES, "2026-11-19,暖气不热,\n"]).encode("gbk")
    assert stray_line(whole_gbk) is None
    assert choose_encoding(whole_gbk, None, "a.csv")[0] == "gb18030"


def test_a_whole_gbk_file_still_imports(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("".join(LINES).encode("gbk"))
    wz("init")
    assert wz.json("import", str(path))["imported"] == 2


def test_a_backup_refused_suggests_a_backup_name(wz: Wz) -> None:
    wz("init")
    hint = wz.fail("backup", "/dev/stdout").stderr.splitlines()[1]
    assert ".db" in hint and "未导入" not in hint


def test_rejects_refused_still_suggest_a_rejects_name(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("受理时间,诉求内容\n2026-13-45,坏日期\n", encoding="utf-8")
    wz("init")
    hint = wz.fail("import", str(path), "--skip-invalid", "--rejects", "/dev/stdout").stderr.splitlines()[1]
    assert "未导入.csv" in hint


@pytest.fixture
def hostile(wz: Wz) -> None:
    wz("intake", HOSTILE, "--at", "2026-11-23 09:00")


@pytest.mark.parametrize("fmt", ["csv", "markdown", "html"])
@pytest.mark.parametrize("output", [[], ["--output", "/dev/stdout"]])
def test_text_formats_on_the_standard_output_are_printable(
    wz: Wz, hostile: None, fmt: str, output: list[str]
) -> None:
    out = wz("report", "weekly", "--format", fmt, *output).stdout
    assert not UNSAFE.search(out.replace("\r\n", "\n")), repr(out)
    assert "路灯[31m红]0;标题2J不亮" in out


def test_csv_on_the_standard_output_keeps_its_line_ends(wz: Wz, hostile: None) -> None:
    out = wz.runner.invoke(app, ["report", "weekly", "--format", "csv"]).stdout_bytes
    assert out.startswith(b"\xef\xbb\xbf") and out.count(b"\r\n") >= 3 and b"\x1b" not in out


def test_files_keep_every_character(wz: Wz, hostile: None, tmp_path: Path) -> None:
    path = tmp_path / "周台账.csv"
    wz("report", "weekly", "--output", str(path))
    assert HOSTILE in path.read_text(encoding="utf-8-sig")


def test_json_on_a_pipe_is_left_as_it_is(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """Data for programs (the hotspots' JSON) keeps every character in a pipe; only text formats are filtered."""
    data = '{"summary": "红\x9b2J"}\n'.encode()
    report_output.deliver(data, None, text=False)
    report_output.deliver(data, None)
    out = capfdbinary.readouterr().out
    assert out == data + '{"summary": "红2J"}\n'.encode()
