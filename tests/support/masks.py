"""What the masks' fast paths are tested on: the characters of the usual names (Chinese characters, the two ends of
the range and one on either side of it) and phones (digits), and those that make a value unusual."""

from __future__ import annotations

from hypothesis import strategies as st

MASKED_TEXT = st.sampled_from([*"李王欧阳娜鿿一㐀𠀀", *"0123456789", " ", "\u3000", "\t", "*", "-", "a", "·"])
