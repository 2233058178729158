"""Reading each import format: the reader wenzheng uses against the alternatives, in time and peak memory.

    python benchmarks/read_formats.py               # 100k JSON records, 20k-row workbooks
    python benchmarks/read_formats.py --rows 50000

Each figure is one fresh process that only reads the file (every row, nothing parsed or written) and prints
its wall time and peak RSS. What is compared, and why wenzheng reads as it does:
- JSON arrays and objects of records: wenzheng's reader (blocks + the standard library's C decoder, one record
  at a time), ijson's C backend (``items`` / ``kvitems``), and a whole-file ``json.load``;
- .xlsx: openpyxl read-only through wenzheng's bounded reader, and python-calamine;
- .xls: xlrd through wenzheng's reader, and python-calamine;
- a shared-strings bomb: one 30,000-character string used by 20,000 cells (0.7 MB as .xlsx, 0.35 MB as .xls),
  which calamine copies into every cell.
Alternatives not installed (ijson, python-calamine; xlwt to write the .xls files) are skipped and named.
Files are generated into ``benchmarks/data/read/`` (not in git) and reused.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import peak

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "read"
WORDS = "路灯不亮下水道堵塞楼道堆放杂物噪音扰民暖气不热物业管理垃圾清运停车难违章搭建"

READERS = {
    "wenzheng": """
from pathlib import Path
from wenzheng_cli.importers import open_table
from wenzheng_cli.importers.base import Options
with open_table(Path(PATH), Options()) as table:
    for _ in table.rows:
        pass
""",
    "decode only": """
from wenzheng_cli.importers.jsondoc import _items, _Stream
with open(PATH, "rb") as f:
    for _ in _items(_Stream(f, "utf-8-sig", "x")):
        pass
""",
    "ijson": """
import ijson
with open(PATH, "rb") as f:
    first = f.read(1); f.seek(0)
    items = ijson.items(f, "item", use_float=True) if first == b"[" else ijson.kvitems(f, "", use_float=True)
    for _ in items:
        pass
""",
    "json.load": """
import json
with open(PATH, encoding="utf-8") as f:
    for _ in json.load(f):
        pass
""",
    "calamine": """
from python_calamine import CalamineWorkbook
for _ in CalamineWorkbook.from_path(PATH).get_sheet_by_index(0).iter_rows():
    pass
""",
}
NEEDS = {"ijson": "ijson", "calamine": "python_calamine"}


def record(i: int, rng: random.Random) -> dict[str, str]:
    return {
        "工单号": f"GD{i:07d}",
        "受理时间": f"2024/{1 + i % 12}/{1 + i % 28} 9:{i % 60:02d}:00",
        "居民姓名": f"居民{i}",
        "联系电话": f"139{i:08d}",
        "住址": f"{i % 500}号楼",
        "诉求类别": "环境卫生",
        "诉求内容": "".join(rng.choice(WORDS) for _ in range(40 + i % 60)),
    }


def generate(rows: int, sheet_rows: int) -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    files = {
        "array.json": DATA / f"array-{rows}.json",
        "object.json": DATA / f"object-{rows}.json",
        "sheet.xlsx": DATA / f"sheet-{sheet_rows}.xlsx",
        "sheet.xls": DATA / f"sheet-{sheet_rows}.xls",
        "strings-bomb.xlsx": DATA / "strings-bomb.xlsx",
        "strings-bomb.xls": DATA / "strings-bomb.xls",
    }
    if not files["array.json"].exists() or not files["object.json"].exists():
        records = [record(i, rng) for i in range(rows)]
        files["array.json"].write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        by_key = {r["工单号"]: r for r in records}
        files["object.json"].write_text(json.dumps(by_key, ensure_ascii=False, indent=1), encoding="utf-8")
    from openpyxl import Workbook

    if not files["sheet.xlsx"].exists():
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(record(0, rng)))
        for i in range(sheet_rows):
            sheet.append(list(record(i, rng).values()))
        book.save(files["sheet.xlsx"])
    long = "x" * 30_000
    if not files["strings-bomb.xlsx"].exists():
        book = Workbook()
        book.active.append(["受理时间", "诉求内容"])
        for _ in range(2000):
            book.active.append([long] * 10)
        book.save(files["strings-bomb.xlsx"])
    if importlib.util.find_spec("xlwt") is None:
        print("(xlwt not installed: no .xls files; pip install xlwt to write them)")
        del files["sheet.xls"], files["strings-bomb.xls"]
        return files
    import xlwt

    if not files["sheet.xls"].exists():
        xls = xlwt.Workbook(encoding="utf-8")
        sheet = xls.add_sheet("Sheet1")
        for j, name in enumerate(record(0, rng)):
            sheet.write(0, j, name)
        for i in range(min(sheet_rows, 65_000)):
            for j, value in enumerate(record(i, rng).values()):
                sheet.write(i + 1, j, value)
        xls.save(str(files["sheet.xls"]))
    if not files["strings-bomb.xls"].exists():
        xls = xlwt.Workbook(encoding="utf-8")
        sheet = xls.add_sheet("S")
        sheet.write(0, 0, "受理时间")
        sheet.write(0, 1, "诉求内容")
        for i in range(1, 2001):
            for j in range(10):
                sheet.write(i, j, long)
        xls.save(str(files["strings-bomb.xls"]))
    return files


def measure(reader: str, path: Path) -> tuple[float, int] | str:
    code = f"PATH = {str(path)!r}\n" + READERS[reader]
    usage = peak.run([sys.executable, "-c", code])
    if usage.code != 0:
        err = usage.stderr.strip().splitlines()
        last = err[-1] if err else str(usage.code)
        refused = "WenzhengError: "
        if refused in last:
            return f"refused in {usage.seconds:.2f} s, {int(usage.peak_mb)} MB: {last.split(refused)[1][:60]}"
        return f"failed: {last[:80]}"
    return usage.seconds, int(usage.peak_mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="records in the JSON files")
    parser.add_argument("--sheet-rows", type=int, default=20_000, help="rows in the workbooks")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.rows, args.sheet_rows)
        return
    # Generated in a child: peak memory is inherited across fork, and the generator holds every record.
    sizes = ["--rows", str(args.rows), "--sheet-rows", str(args.sheet_rows)]
    subprocess.run([sys.executable, __file__, "--generate-only", *sizes], check=True)
    files = generate(args.rows, args.sheet_rows)
    plan = {
        "array.json": ("wenzheng", "decode only", "ijson", "json.load"),
        "object.json": ("wenzheng", "decode only", "ijson", "json.load"),
        "sheet.xlsx": ("wenzheng", "calamine"),
        "sheet.xls": ("wenzheng", "calamine"),
        "strings-bomb.xlsx": ("wenzheng", "calamine"),
        "strings-bomb.xls": ("wenzheng", "calamine"),
    }
    print(f"{'file':<20} {'size':>8}  {'reader':<10} {'seconds':>8} {'peak MB':>8}")
    for name, readers in plan.items():
        path = files.get(name)
        if path is None:
            continue
        size = f"{path.stat().st_size / 2**20:.1f} MB"
        for reader in readers:
            module = NEEDS.get(reader)
            if module is not None and importlib.util.find_spec(module) is None:
                print(f"{name:<20} {size:>8}  {reader:<10} (not installed)")
                continue
            figure = measure(reader, path)
            if isinstance(figure, str):
                print(f"{name:<20} {size:>8}  {reader:<10} {figure}")
            else:
                print(f"{name:<20} {size:>8}  {reader:<10} {figure[0]:>8.2f} {figure[1]:>8}")


if __name__ == "__main__":
    main()
