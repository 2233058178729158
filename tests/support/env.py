"""The world every test runs in: the pinned clock and where the real data lives."""

from __future__ import annotations

from pathlib import Path

NOW = "2026-11-23T10:00:00+08:00"  # a Monday
# The offices' real files, beside the repository; the tests that read them skip when it is absent.
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
