"""The one phone rule, the same at the counter and in an import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.fields import check_phone

GOOD = [
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    "+86 13812345678",
    "0532-88886666",
    "(0532)88886666",
    "88886666",
    "12345",
    "138****5678",
    "13812345678, 0532-88886666",
    "0532-88886666转123",
]
BAD = ["1380013800", "138001380001", "0532-8888", "123456789", "电话", "13a12345678"]


@pytest.mark.parametrize("phone", GOOD)
def test_numbers_people_write_pass(phone: str) -> None:
    assert check_phone(phone) == phone


@pytest.mark.parametrize("phone", BAD)
def test_wrong_numbers_are_refused(phone: str) -> None:
    with pytest.raises(ValueError):
        check_phone(phone)


@pytest.mark.parametrize(("phone", "ok"), [("138****5678", True), ("1380013800", False), ("无", True)])
def test_counter_and_import_agree(wz: Wz, tmp_path: Path, phone: str, ok: bool) -> None:
    typed = wz("intake", "路灯不亮", "--phone", phone, code=0 if ok else 1)
    if not ok:
        assert typed.stderr.startswith("错误: 手机号应为 11 位数字")
    path = tmp_path / "rows.csv"
    path.write_text(f"受理时间,诉求内容,联系电话\n2026-11-20,路灯不亮,{phone}\n", encoding="utf-8")
    imported = wz("import", str(path), "--json", code=0 if ok else 1)
    assert '"invalid": 0' in imported.stdout if ok else '"invalid": 1' in imported.stdout


def test_a_typed_value_suggests_the_same_value_written_with_chinese_numerals_first() -> None:
    from wenzheng_cli.domain.taxonomy import closest

    assert closest("1片区", ["二片区", "三片区", "一片区"])[0] == "一片区"
    assert closest("qq", ["微信", "QQ"])[0] == "QQ"


# How people write one number: every form compares as the same digits.
ONE_NUMBER = [
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    "+86 13812345678",
    "+86-138-1234-5678",
    "(138)12345678",
]


@pytest.mark.parametrize("phone", ONE_NUMBER)
def test_a_number_written_any_way_is_the_same_digits(phone: str) -> None:
    from wenzheng_cli.domain.fields import phone_digits

    assert phone_digits(phone) == "13812345678"


def test_masked_and_several_numbers_keep_what_tells_them_apart() -> None:
    from wenzheng_cli.domain.fields import phone_digits

    assert phone_digits("138****5678") == "138****5678" != phone_digits("13812345678")
    assert phone_digits("0532-88886666转123") == "053288886666123"
    assert phone_digits("13812345678、13987654321") == "1381234567813987654321"


@pytest.mark.parametrize("phone", [*ONE_NUMBER, "0532-88886666", "(0532) 8888 6666", "12345", "138****5678"])
def test_the_sql_of_the_shipped_migration_compares_as_the_rule_does(phone: str) -> None:
    """``PHONE_KEY_SQL`` (m005) drops what the forms above use; for those it is ``phone_digits``."""
    import sqlite3

    from wenzheng_cli.domain.fields import phone_digits
    from wenzheng_cli.store.schema import PHONE_KEY_SQL

    conn = sqlite3.connect(":memory:")
    (in_sql,) = conn.execute(f"SELECT {PHONE_KEY_SQL.format(col='?')}", (phone,)).fetchone()
    assert in_sql == phone_digits(phone)


def test_the_sweep_and_a_later_export_compare_phones_by_the_one_rule() -> None:
    from wenzheng_cli.core.duplicates import phone_key
    from wenzheng_cli.core.import_keys import agrees

    assert {phone_key(p) for p in ONE_NUMBER} == {"13812345678"}
    assert phone_key("138****5678") is None and phone_key("12345") is None
    row = {
        "received_at": "2026-11-20T00:00:00+08:00",
        "description": "路灯不亮",
        "phone": "+86 138 1234 5678",
    }
    assert agrees(row, {**row, "phone": "13812345678"})
    assert not agrees(row, {**row, "phone": "13987654321"})
