"""Hints that send a clerk to a README section (「备份与恢复」) name a section that exists under that title."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_REFERENCE = re.compile(r"README[^「」\n\"]{0,6}「([^」]+)」")


def references() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "src").rglob("*.py")):
        for title in _REFERENCE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(title, []).append(path.name)
    return found


def test_hints_point_at_readme_headings() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    headings = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    found = references()
    assert "备份与恢复" in found  # the check sees the references it is about
    for title, files in found.items():
        assert any(heading == title or heading.startswith(f"{title} ") for heading in headings), (
            title,
            files,
        )
