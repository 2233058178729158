"""The fields of an import are one table (``domain.import_fields``): header synonyms, the parser's output, what
a row's digest covers and the staging columns all come from it, and the README lists every synonym it has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wenzheng_cli.core import import_keys
from wenzheng_cli.domain.import_fields import (
    AGREEMENT,
    BY_NAME,
    COLUMN_FIELDS,
    CONTENT,
    IMPORT_FIELDS,
    Kind,
)
from wenzheng_cli.importers import headers
from wenzheng_cli.importers.headers import field_for, field_label, synonym_table
from wenzheng_cli.importers.row_parser import OUTPUT, TEXT_FIELDS
from wenzheng_cli.store import import_stage

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_table() -> str:
    """The table of the README's section 表头怎么对应, as written."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### 表头怎么对应") :]
    section = section[: section.index("\n### ", 1)]
    return "".join(line + "\n" for line in section.splitlines() if line.startswith("|"))


def test_the_readme_lists_every_synonym() -> None:
    """Regenerate with ``python -m wenzheng_cli.importers`` and paste over the README's table."""
    assert readme_table() == synonym_table()
    listed = sum(len(re.split("、", row.split(" | ")[1])) for row in readme_table().splitlines()[2:])
    assert listed >= sum(len(f.synonyms) for f in COLUMN_FIELDS) >= 144


def test_every_header_reads_as_its_field() -> None:
    for f in COLUMN_FIELDS:
        assert f.label is not None
        for word in (f.name, f.label, *f.synonyms):
            assert field_for(word) == f.name, word
        assert field_label(f.name) == f.label


def test_a_header_claimed_by_two_fields_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fields = dict(headers.FIELDS)
    label, words = fields["category"]
    fields["category"] = (label, (*words, "电话"))  # the phone's
    monkeypatch.setattr(headers, "FIELDS", fields)
    with pytest.raises(ValueError, match="电话"):
        headers._synonyms()
    fields["category"] = (label, (*words, "Category*"))  # its own, spelled otherwise: fine
    assert headers._synonyms()["category"] == "category"


def test_the_parser_holds_every_field_it_reads_or_makes() -> None:
    assert set(OUTPUT) == {f.name for f in IMPORT_FIELDS if f.kind not in (Kind.GIVEN, Kind.KEY)}
    texts = [name for name, _, _ in TEXT_FIELDS]
    assert texts == [f.name for f in IMPORT_FIELDS if f.kind in (Kind.TEXT, Kind.LINE, Kind.SHORT)]


def test_what_is_staged_and_compared() -> None:
    staged = set(import_stage.STAGE_COLUMNS)
    assert {f.stage for f in IMPORT_FIELDS if f.stage} <= staged
    assert import_stage.STAGE_COLUMNS[0] == BY_NAME["source_key"].stage  # read back as the row's key
    # A staged row is compared by its content, so all of it is staged under the field's own name.
    assert all(BY_NAME[name].stage == name for name in CONTENT)
    assert set(import_keys.STAGED_COLUMNS) <= staged
    assert set(import_stage.FACT_COLUMNS) <= staged
    assert AGREEMENT == import_keys.AGREEMENT and set(AGREEMENT) <= set(CONTENT)


def test_a_new_fact_is_a_column_a_staged_row_may_take() -> None:
    known = import_keys.Known("k", "c", "第 2 行", {}, in_ledger=False, ref=1)
    resolved = {"unit": "城管科", "resolved_at": "2026-10-13T10:00:00+08:00", "result": "已清理"}
    noted = {"note_at": "2026-10-13T10:00:00+08:00", "note_text": "已收到"}
    for fields in (resolved | {"outcome": "solved", "feedback": "答复"}, noted):
        assert set(import_keys.new_facts(known, fields)) <= set(import_stage.FACT_COLUMNS)


def test_the_digest_of_a_row_never_changes() -> None:
    """A re-import recomputes the digest of each row to find the keys given to rows that shared a key
    (``key#digest``): the fields it covers, and their order, are fixed."""
    row = {
        "received_at": "2026-10-12T09:00:00+08:00",
        "description": "楼道堆物",
        "title": "堆物",
        "resident": "李四",
        "address": "3号楼",
        "category": "环境",
        "nature": "投诉",
        "channel": "12345",
        "community": "杨柳",
        "grid": "一网格",
        "difficulty": 2,
        "phone": "13800138000",
        "unit": "城管科",
        "resolved_at": "2026-10-13T10:00:00+08:00",
        "result": "已清理",
        "outcome": "solved",
    }
    assert import_keys.digest(row) == "0c53c5baaadd6066"
    assert CONTENT[:2] == ("received_at", "description") and CONTENT[-1] == "activity_id"
