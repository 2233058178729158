"""Every line of bad_inputs.tsv: the right exit code, one clear message with a hint, no traceback, nothing
changed in the ledger, and no resident's name or phone in the message."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import sqlite3
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wenzheng_cli.cli.app import app

CORPUS = Path(__file__).parent / "fixtures" / "bad_inputs.tsv"
PII = ("李桂兰", "13912340001", "王秀英", "13912340002")
FIXED = {
    "{long}": "长" * 25_000,
    "{nul}": "\x00",
    "{binary}": "\x01\x02\x7f\ufffd\x1b[31m\ud7ff",
    "{sql}": "1'; DROP TABLE cases; --",
    "{formula}": '=HYPERLINK("http://x","点我")',
    # Terminal escapes (colour, window title, bell, an 8-bit CSI), Rich markup and a right-to-left override.
    "{esc}": "\x1b[31m红\x1b]0;标题\x07\x9b2J[/x][link=http://x]点\u202e",
    "{huge}": "9" * 20,
}
# What no message may carry to a terminal: control characters but newline and tab, C1, bidi overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HEADER = "受理时间,诉求内容,联系电话,居民姓名,难度\n"


def files() -> dict[str, bytes]:
    """Malformed import files, made fresh for every line of the corpus that names them."""
    xlsx = (EXAMPLES / "platform-export.xlsx").read_bytes()
    good = HEADER + "2026-11-17,路灯不亮,13900000000,李桂兰,2\n"
    return {
        "junk.bin": bytes(range(256)) * 40,
        "junk.csv": bytes(range(256)) * 40,
        "junk.xlsx": bytes(range(256)) * 40,
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "good.xlsx": xlsx,
        "ragged.csv": (good + "2026-11-18,多,余,的,列,还有\n").encode(),
        "nul.csv": (HEADER + "2026-11-17,路灯\x00不亮,,,\n").encode(),
        "bad-date.csv": (HEADER + "2026-13-45,坏日期,,,\n").encode(),
        "feb30.csv": (HEADER + "2026-02-30,坏日期,,,\n").encode(),
        "future.csv": (HEADER + "2027-06-01,未来的件,,,\n").encode(),
        "no-date.csv": (HEADER + ",没有日期,,,\n").encode(),
        "no-text.csv": (HEADER + "2026-11-17,,,,\n").encode(),
        "bad-phone.csv": (HEADER + "2026-11-17,路灯,abc,,\n").encode(),
        "formula-phone.csv": (HEADER + "2026-11-17,路灯,=1+2,,\n").encode(),
        "bad-difficulty.csv": (HEADER + "2026-11-17,路灯,,,9\n").encode(),
        "sql.csv": (HEADER + "2026-11-17'; DROP TABLE cases;--,路灯,,,\n").encode(),
        "long.csv": (HEADER + "2026-11-17," + "长" * 25_000 + ",,,\n").encode(),
        "one-bad-of-many.csv": (HEADER + "2026-11-17,路灯不亮,,,\n" * 50 + "2026-11-31,坏,,,\n").encode(),
        "no-columns.csv": "姓名,电话\n张三,13900000000\n".encode(),
        "gbk.csv": (HEADER + "2026-11-17,路灯不亮了吗,,,\n").encode("gbk"),
        "reply-before.csv": "受理时间,诉求内容,答复意见,答复时间\n2026-11-17,路灯,已修复,2026-11-10\n".encode(),
        "reply-bad-time.csv": "受理时间,诉求内容,答复意见,答复时间\n2026-11-17,路灯,已修复,不知道\n".encode(),
        "unclosed.csv": (HEADER + '"2026-11-17,"未闭合的引号\n').encode(),
        "bad.jsonl": '{"受理时间": "2026-11-17", "诉求内容": "路灯"}\nnot json\n'.encode(),
        "array.jsonl": b"[1, 2]\n",
        "latin.jsonl": '{"受理时间": "2026-11-17", "诉求内容": "路灯"}\n'.encode("gbk"),
        "bad-date.jsonl": '{"受理时间": "2026-13-45", "诉求内容": "路灯"}\n'.encode(),
        "text.txt": b"this is not a table at all\n",
        "markup.csv": (HEADER + "[/x]\x1b[31m2026-13-45[link=http://x]点我[/link],路灯,,,\n").encode(),
        "foreign.sqlite": _sqlite("CREATE TABLE contacts (name TEXT, phone TEXT)", 0),
        "foreign-v3.sqlite": _sqlite("CREATE TABLE orders (id INTEGER PRIMARY KEY)", 3),
        **reading_files(),
    }


def reading_files() -> dict[str, bytes]:
    """Files that test the readers' bounds and formats (issues 11 and 16)."""
    xls = (Path(__file__).parent / "fixtures" / "board.xls").read_bytes()
    record = '{"受理时间": "2026-11-17", "诉求内容": "路灯不亮"}'
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return {
        "zeros.csv": b"\x00" * 70_000,
        "numbers.json": b"[1, 2, 3]",
        "text.json": '"只是一段文字"'.encode(),
        "scalars.json": '{\n  "名称": "一条",\n  "数量": 2\n}\n'.encode(),
        "rows.json": b"[[1, 2], [3, 4]]",
        "deep.json": b"[" * 5000 + b"]" * 5000,
        "broken.json": f'[{record},\n {{"受理时间" "2026-11-18"}}]'.encode(),
        "trailing.json": f"[{record}] 5".encode(),
        "cut.json": f'[{record}, {{"受理时间": "2026-11-18", "诉求内容": "没写'.encode(),
        "twice.jsonl": (
            record + '\n{"受理时间": "2026-11-17", "诉求内容": "甲", "诉求内容": "乙"}\n'
        ).encode(),
        "only-twice.jsonl": '{"受理时间": "2026-11-17", "诉求内容": "甲", "诉求内容": "乙"}\n'.encode(),
        "bigint.jsonl": ('{"受理时间": ' + "9" * 4300 + ', "诉求内容": "路灯"}\n').encode(),
        "deep.jsonl": (record + "\n" + '{"诉求内容": ' + "[" * 20_000 + "]" * 20_000 + "}\n").encode(),
        "cut.xls": xls[:3000],
        "junk.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8,
        "binary.xls": bytes(range(256)) * 8,
        "page.xls": "<html><table><tr><td>受理时间</td></tr></table></html>".encode(),
        "zip.xlsx": zipped.getvalue(),
        "wide.csv": (",".join(f"列{i}" for i in range(17_000)) + "\n").encode(),
        "long-cell.csv": (HEADER + "2026-11-17,路灯,,," + "长" * 40_000 + "\n").encode(),
        "spill.csv": "受理时间,诉求内容\n2026-11-17,路灯,李桂兰,13912340001\n".encode(),
        "bom-gbk.csv": b"\xef\xbb\xbf" + "date,text\n2026-11-17,ok\n2026-11-18,路灯不亮\n".encode("gbk"),
        "ambiguous-date.csv": (HEADER + "12/08/2016,路灯不亮,,,\n").encode(),
        "against-order.csv": (HEADER + "31/12/2016,甲,,,\n12/31/2016,乙,,,\n").encode(),
        "one-gbk-line.csv": (HEADER + "2026-11-17,路灯不亮,,,\n").encode()
        + "2026-11-18,暖气不热,,,\n".encode("gbk")
        + "2026-11-19,井盖缺失,,,\n".encode(),
    }


def _sqlite(sql: str, version: int) -> bytes:
    """A database of another program: a table of its own and a ``user_version`` of its own."""
    conn = sqlite3.connect(":memory:")
    conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {version}")
    data = conn.serialize()
    conn.close()
    return data


@dataclass(frozen=True)
class Bad:
    line: int
    code: int
    fragment: str
    command: str

    def __str__(self) -> str:
        return f"L{self.line}: {self.command[:60]}"


def load() -> list[Bad]:
    cases = []
    for number, raw in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        code, fragment, command = raw.split("\t")
        cases.append(Bad(number, int(code), fragment, command))
    return cases


SETUP = [
    ["init"],
    ["config", "add", "communities", "杨柳", "清河"],
    ["intake", "楼道堆放杂物", "--resident", "李桂兰", "--phone", "13912340001", "--at", "2026-11-17 09:00"],
    [
        "intake",
        "独居老人临时救助",
        "--resident",
        "王秀英",
        "--phone",
        "13912340002",
        "--at",
        "2026-11-17 09:30",
    ],
    ["intake", "路灯不亮", "--at", "2026-11-17 09:40"],
    ["intake", "暖气不热", "--at", "2026-11-17 09:50"],
    ["intake", "噪音扰民", "--at", "2026-11-17 09:55"],
    ["intake", "重复反映", "--at", "2026-11-17 09:58"],
    ["assign", "2", "--to", "王芳", "--within", "5wd", "--at", "2026-11-17 10:00"],
    ["assign", "3", "--to", "王芳", "--at", "2026-11-17 10:00"],
    ["claim", "3", "--operator", "王芳", "--at", "2026-11-17 11:00"],
    ["assign", "4", "--to", "王芳", "--at", "2026-11-17 10:00"],
    ["resolve", "4", "--result", "已修复", "--at", "2026-11-18 10:00"],
    ["assign", "5", "--to", "王芳", "--at", "2026-11-17 10:00"],
    ["resolve", "5", "--result", "已处理", "--at", "2026-11-18 10:00"],
    ["revisit", "5", "--rating", "满意", "--operator", "回访员", "--at", "2026-11-19 10:00"],
    ["withdraw", "6", "--duplicate-of", "3", "--at", "2026-11-17 10:00"],
]


@pytest.fixture(scope="module")
def base_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "base.db"
    runner = CliRunner()
    env = {"WENZHENG_DB": str(db), "WENZHENG_NOW": "2026-11-23T10:00:00+08:00", "WENZHENG_OPERATOR": "clerk"}
    for args in SETUP:
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, (args, result.stderr)
    conn = sqlite3.connect(db)
    statuses = [row[0] for row in conn.execute("SELECT status FROM cases ORDER BY seq")]
    assert statuses == ["registered", "assigned", "claimed", "resolved", "closed", "withdrawn"]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def dump(db: Path) -> list[object]:
    conn = sqlite3.connect(db)
    rows: list[object] = []
    for table in ("cases", "events", "settings", "activities"):
        rows.extend(conn.execute(f"SELECT * FROM {table} ORDER BY 1"))
    conn.close()
    return rows


def test_the_corpus_is_large_enough() -> None:
    assert len(load()) >= 300


@pytest.mark.parametrize("bad", load(), ids=str)
def test_bad_input(bad: Bad, base_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "ledger.db"
    shutil.copy(base_ledger, db)
    monkeypatch.setenv("WENZHENG_DB", str(db))
    for name, data in files().items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "existing.db").write_bytes(b"keep me")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link.db").symlink_to(db)
    words = shlex.split(bad.command)
    values = {**FIXED, "{dir}": str(tmp_path), "{db}": str(db)}
    values.update({"{fifo}": str(tmp_path / "fifo"), "{link}": str(tmp_path / "link.db")})
    args = []
    for word in words:
        for key, value in values.items():
            word = word.replace(key, value)
        args.append(word)
    before = dump(db)
    result = CliRunner().invoke(app, args)
    out, err = result.stdout, result.stderr
    assert result.exit_code == bad.code, f"{bad}: exit {result.exit_code}\n{err}\n{result.exception!r}"
    assert "Traceback" not in out + err
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    for secret in PII:
        assert secret not in err, f"{bad} leaked personal data"
    assert not UNSAFE.search(out + err), f"{bad} printed control characters: {out + err!r}"
    if bad.code == 1:
        lines = err.splitlines()
        assert len(lines) == 2, err
        assert lines[0].startswith("错误: ") and bad.fragment in lines[0], err
        assert lines[1].startswith("提示: "), err
        assert len(lines[0]) < 300, "the message must stay one short line"
    elif bad.fragment:
        assert bad.fragment in err
    assert dump(db) == before, f"{bad} changed the ledger"
    assert (tmp_path / "existing.db").read_bytes() == b"keep me"
    assert stat.S_ISFIFO((tmp_path / "fifo").stat().st_mode) and (tmp_path / "link.db").is_symlink()
    for device in ("/dev/null", "/dev/full", "/dev/zero"):
        assert stat.S_ISCHR(os.stat(device).st_mode), f"{bad} replaced {device}"
        assert not Path(f"{device}-wal").exists(), f"{bad} made a ledger of {device}"
