"""The programs ``import_bench.py`` runs in child processes, each timed on its own: the bare load, the import's
parts measured apart (read + parse, its writes, the repeat sweep) and the floor of its writes.

Each is the text of a Python program, run with ``python -c PROGRAM ARGS…``.
"""

BARE = r"""
import csv, sqlite3, sys
src, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
with open(src, encoding="utf-8-sig", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    cols = ", ".join(f"c{i} TEXT" for i in range(len(header)))
    conn.execute(f"CREATE TABLE rows ({cols})")
    marks = ", ".join("?" for _ in header)
    conn.execute("BEGIN")
    batch = []
    for row in reader:
        batch.append(row)
        if len(batch) >= 1000:
            conn.executemany(f"INSERT INTO rows VALUES ({marks})", batch)
            batch = []
    conn.executemany(f"INSERT INTO rows VALUES ({marks})", batch)
    conn.execute("COMMIT")
"""


PARSE_ONLY = r"""
import sys
from pathlib import Path
from wenzheng_cli.domain import clock
from wenzheng_cli.importers import open_table
from wenzheng_cli.importers.base import BadRow, Options
from wenzheng_cli.importers.headers import plan_columns
from wenzheng_cli.importers.row_parser import RowParser
now = clock.now()
valid = 0
with open_table(Path(sys.argv[1]), Options()) as table:
    plan = plan_columns(table.columns, [], table.source)
    parser = RowParser(plan, now)
    for number, cells in table.rows:
        if not isinstance(cells, BadRow) and isinstance(parser.parse(number, cells), dict):
            valid += 1
print(valid)
"""

REPEATS_ONLY = r"""
import sys, tempfile, time
from pathlib import Path
from wenzheng_cli.core.duplicates import DuplicateFinder
from wenzheng_cli.domain import clock
from wenzheng_cli.importers import open_table
from wenzheng_cli.importers.base import BadRow, Options
from wenzheng_cli.importers.headers import plan_columns
from wenzheng_cli.importers.row_parser import RowParser
from wenzheng_cli.store.ledger import open_ledger
now = clock.now()
rows = []
with open_table(Path(sys.argv[1]), Options()) as table:
    parser = RowParser(plan_columns(table.columns, [], table.source), now)
    for number, cells in table.rows:
        f = None if isinstance(cells, BadRow) else parser.parse(number, cells)
        if isinstance(f, dict):
            rows.append((str(number), f["received_at"], f["description"], f["phone"], f["address"], f["category"]))
rows.sort(key=lambda r: r[1])
ledger = open_ledger(Path(tempfile.mkdtemp()) / "empty.db", create=True)
started = time.perf_counter()
flags = DuplicateFinder(ledger.conn, 30, 90).sweep(rows)
print(f"{time.perf_counter() - started:.3f} {len(flags)}")
"""

WRITE_ONLY = r"""
import sqlite3, sys, time
src, db = sys.argv[1], sys.argv[2]
if len(sys.argv) > 3:  # without the secondary indexes: only the keys (id, number, source key …) remain
    conn = sqlite3.connect(db)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL"
    ).fetchall():
        conn.execute(f"DROP INDEX {name}")
    conn.commit()
    conn.close()
from wenzheng_cli.core import analysis, importing
from wenzheng_cli.core.duplicates import DuplicateFinder
from wenzheng_cli.store import search
spent = {"sweep": 0.0, "index": 0.0}
marks = {}
def timed(owner, name, label):
    fn = getattr(owner, name)
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started
    setattr(owner, name, run)
timed(DuplicateFinder, "sweep", "sweep")
timed(search, "index_added", "index")
finish = importing.ImportRun.finish
def marked(self):
    marks["start"] = time.perf_counter()
    finish(self)
importing.ImportRun.finish = marked
analysis.note_stale_after_import = lambda session: marks.setdefault("committed", time.perf_counter())
sys.argv = ["wenzheng", "import", src]
from wenzheng_cli.entry import main
try:
    main()
except SystemExit:
    pass
writes = marks["committed"] - marks["start"] - spent["sweep"] - spent["index"]
print(f"\nWRITES {writes:.3f} {spent['index']:.3f}")
"""


FLOOR = r"""
import sqlite3, sys, time
source, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = NORMAL")
conn.execute("PRAGMA cache_size = -16384")
conn.execute("ATTACH ? AS done", (source,))
for table in ("cases", "events"):  # read once, so that the copy is timed from a warm page cache
    conn.execute(f"SELECT COUNT(*), SUM(LENGTH(id)) FROM done.{table}").fetchone()
started = time.perf_counter()
conn.execute("BEGIN IMMEDIATE")
conn.execute("DROP TRIGGER case_search_insert")  # the search index is timed apart
for table in ("cases", "events"):
    names = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
    conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM done.{table} ORDER BY rowid")
conn.execute("COMMIT")
conn.execute("DETACH done")
conn.close()  # the last connection's checkpoint of the WAL is part of writing
print(f"{time.perf_counter() - started:.3f}")
"""
