"""The benchmark generator writes what the commands write: every case row is the fold of its events."""

from __future__ import annotations

import subprocess
import sys
from itertools import groupby
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.states import fold
from wenzheng_cli.store import cases as store
from wenzheng_cli.store.ledger import open_ledger

GENERATE = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def test_generated_ledger_is_one_the_commands_accept(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gen.db"
    subprocess.run(
        [sys.executable, str(GENERATE), "--cases", "400", "--years", "0.2", "--out", str(path)],
        check=True,
        capture_output=True,
    )
    ledger = open_ledger(path, create=False)
    try:
        rows = {case.id: case for case in store.iter_cases(ledger.conn)}
        events = list(store.iter_all_events(ledger.conn))
    finally:
        ledger.close()
    assert len(rows) == 400
    for case_id, group in groupby(events, key=lambda e: e.case_id):
        history = list(group)
        assert fold(history) == rows.pop(case_id)
        assert [e.at for e in history] == sorted(e.at for e in history)
    assert rows == {}
    actions = {e.action.value for e in events}
    assert actions >= {"intake", "assign", "claim", "resolve", "revisit", "note", "withdraw"}
    monkeypatch.setenv("WENZHENG_DB", str(path))
    listed = wz.json("list", "--limit", "5")
    assert len(listed) == 5 and listed[0]["phone"].count("*") == 4
    assert wz.json("show", listed[0]["number"])["events"][0]["action"] == "intake"
    assert wz.json("report", "monthly", "--month", "2026-10")["totals"]["received"] > 0
    assert wz.json("report", "weekly")["totals"]["new"] > 0
    # Its search index holds every case (built at once at the end, as an import does).
    found = wz.json("list", "--search", "居民反映")
    assert len(found) == 400
    assert wz.json("list", "--search", "号楼", "--limit", "1")[0]["number"] == listed[0]["number"]
