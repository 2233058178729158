"""The masks of the case rows the ledger writes as JSON itself (``store.case_text``): their usual values are
masked in SQL, any other through the mask itself; both ways give what the mask gives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.support.masks import MASKED_TEXT
from wenzheng_cli.domain.text import mask_name, mask_phone
from wenzheng_cli.store.case_text import _USUAL


def _in_sql(mask: Callable[[Any], Any], value: str | None) -> Any:
    conn = sqlite3.connect(":memory:")
    try:
        conn.create_function("wz_mask", 1, mask, deterministic=True)
        expression = _USUAL[mask].format(v="?", f="wz_mask")
        return conn.execute(f"SELECT {expression}", [value] * expression.count("?")).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("mask", [mask_name, mask_phone])
@settings(max_examples=400, deadline=None)
@given(value=st.one_of(st.none(), st.text(alphabet=MASKED_TEXT, max_size=14)))
@example(value="李")
@example(value="李四")
@example(value="欧阳娜娜")
@example(value=" 李四 ")
@example(value="13812345678")
@example(value="138123456789")
@example(value="138****5678")
@example(value="")
def test_a_mask_in_sql_gives_what_the_mask_gives(mask: Callable[[Any], Any], value: str | None) -> None:
    assert _in_sql(mask, value) == mask(value)


def test_the_usual_values_are_masked_without_a_call_into_python() -> None:
    def refused(value: Any) -> Any:
        raise AssertionError(f"called for {value!r}")

    conn = sqlite3.connect(":memory:")
    conn.create_function("wz_mask", 1, refused)
    for mask, value, shown in [(mask_phone, "13812345678", "138****5678"), (mask_name, "王小明", "王**")]:
        expression = _USUAL[mask].format(v="?", f="wz_mask")
        assert conn.execute(f"SELECT {expression}", [value] * expression.count("?")).fetchone()[0] == shown
    conn.close()
