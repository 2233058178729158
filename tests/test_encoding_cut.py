"""GBK/GB18030 detection survives a sample cut anywhere (issue 11, finding 4): the first 256 KiB of a file
end inside a two- or four-byte character about half the time, and charset-normalizer alone then finds
nothing. Real text (the message board's messages), encoded as Chinese Windows saves it, cut at every offset
of a window and at offsets hypothesis picks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.env import SHARED_DATA
from wenzheng_cli.importers.csvfile import SAMPLE, choose_encoding, cut_to_character

REAL = SHARED_DATA / "tipdm2020c_fujian2_labelled_train.csv"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tuesday-visit-gbk.csv"
SIZE = 24 * 1024  # a sample long enough for the detector, short enough for many runs


def real_text() -> str:
    if REAL.exists():
        return REAL.read_text(encoding="utf-8-sig")[:200_000]
    return EXAMPLE.read_bytes().decode("gb18030") * 40  # the repo's own GBK example, when the data is absent


@pytest.fixture(scope="module")
def encoded() -> dict[str, bytes]:
    text = real_text()
    return {
        "gbk": text.encode("gbk", errors="ignore"),
        # GB18030's four-byte characters too: rare ones, sprinkled through the text.
        "gb18030": "".join(ch + ("\u3400" if i % 97 == 0 else "") for i, ch in enumerate(text)).encode(
            "gb18030"
        ),
    }


def detected(sample: bytes) -> str:
    return choose_encoding(sample, None, "a.csv", complete=False)[0]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_every_offset_of_a_window(encoded: dict[str, bytes], encoding: str) -> None:
    data = encoded[encoding]
    cuts_inside = 0
    for end in range(SIZE, SIZE + 12):  # covers every position inside a 1-, 2- and 4-byte character
        sample = data[:end]
        try:
            sample.decode("gb18030")
        except UnicodeDecodeError:
            cuts_inside += 1
        assert detected(sample) == "gb18030", end
    assert cuts_inside >= 3  # the window really cuts characters in two


@settings(max_examples=40, deadline=None)
@given(end=st.integers(min_value=2048, max_value=SAMPLE), which=st.sampled_from(["gbk", "gb18030"]))
def test_any_cut(encoded: dict[str, bytes], end: int, which: str) -> None:
    assert detected(encoded[which][:end]) == "gb18030"


@given(st.text(min_size=1, max_size=300), st.integers(min_value=0, max_value=8))
def test_the_cut_lands_on_a_character_boundary(text: str, drop: int) -> None:
    for encoding in ("utf-8", "gb18030"):
        data = text.encode(encoding)
        sample = data[: max(1, len(data) - drop)]
        kept = cut_to_character(sample)
        assert data.startswith(kept)
        if any(b < 0x30 for b in sample):
            kept.decode(encoding)  # ends on a whole character
