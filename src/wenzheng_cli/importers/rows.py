"""One row of a file → the fields of a case, or the reasons it cannot be one (errors as data, never raised).

Each error names the row as the file shows it (Excel's row number; the line of a JSON Lines file), the column
as headed in the file, the value (personal data masked), why, and the fix.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.text import mask_name, mask_phone, normalise
from wenzheng_cli.importers.headers import Plan, field_label, header_key
from wenzheng_cli.importers.values import (
    clean_line,
    clean_long,
    clean_phone,
    clean_short,
    parse_moment,
    to_text,
)

MAX_TEXT = 20000
MAX_FIELD = 200
FUTURE_SLACK = timedelta(minutes=10)
SHORT_FIELDS = ("resident", "address", "community", "grid", "channel", "category", "nature")
DATE_HINT = "写成 2026/11/17、2026-11-17 9:30 或 2026年11月17日"


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    value: str
    message: str
    hint: str


Fields = dict[str, Any]


class RowParser:
    """Parses rows against a column plan. ``parse`` returns the fields or the row's errors; it never raises."""

    def __init__(self, plan: Plan, now: datetime) -> None:
        self.plan = plan
        self.now = now
        self.limit_iso = clock.iso(now + FUTURE_SLACK) or ""
        self._width = -1
        self._compile()

    def _compile(self) -> None:
        plan = self.plan
        f = plan.fields
        self._width = len(plan.columns)
        self.short = [(name, f[name]) for name in SHORT_FIELDS if name in f]
        self.absent = dict.fromkeys(name for name in SHORT_FIELDS if name not in f)
        self.extra = [(plan.columns[i], i) for i in plan.extra]
        self.key_index = f.get("source_key")
        self.key_prefix = header_key(plan.columns[self.key_index]) if self.key_index is not None else ""

    def _column(self, index: int | None, name: str) -> str:
        return self.plan.columns[index] if index is not None else field_label(name)

    def parse(self, row: int, cells: Sequence[Any]) -> Fields | list[RowError]:
        if len(self.plan.columns) != self._width:
            self._compile()
        width = self._width
        errors: list[RowError] = []
        if len(cells) != width:
            if len(cells) > width and any(to_text(c).strip() for c in cells[width:]):
                errors.append(
                    RowError(
                        row,
                        f"第{width + 1}列起",
                        to_text(next(c for c in cells[width:] if to_text(c).strip()))[:40],
                        f"本行有 {len(cells)} 个字段，表头只有 {width} 列",
                        "内容里的逗号要放在英文双引号里；或在 Excel 中打开后另存为 CSV",
                    )
                )
            cells = [*cells[:width], *([None] * (width - len(cells)))]
        f = self.plan.fields
        out: Fields = dict(self.absent)

        def fail(name: str, index: int | None, value: object, message: str, hint: str) -> None:
            shown = to_text(value).strip()
            if name == "phone":
                shown = mask_phone(shown) or ""
            elif name == "resident":
                shown = mask_name(shown) or ""
            errors.append(RowError(row, self._column(index, name), shown[:40], message, hint))

        # 受理时间
        index = f.get("received_at")
        received = ""
        raw = cells[index] if index is not None else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            fail("received_at", index, "", "受理时间为空", f"补上受理时间，{DATE_HINT}")
        else:
            try:
                received, _ = parse_moment(raw, self.now)
            except ValueError as exc:
                fail("received_at", index, raw, str(exc), DATE_HINT)
            else:
                if received > self.limit_iso:
                    fail(
                        "received_at",
                        index,
                        raw,
                        "受理时间晚于现在",
                        "写事情实际发生的日期，不能写将来的日期",
                    )
        out["received_at"] = received

        # 诉求内容 and 标题 (the title stands in for an empty description)
        for name, clean, limit in (("description", clean_long, MAX_TEXT), ("title", clean_line, MAX_FIELD)):
            index = f.get(name)
            value = None
            if index is not None and cells[index] is not None:
                try:
                    value = clean(to_text(cells[index])) or None
                except ValueError as exc:
                    fail(name, index, "", str(exc), "删去其中的控制字符后重试")
                if value is not None and len(value) > limit:
                    fail(
                        name,
                        index,
                        value,
                        f"{field_label(name)}过长（{len(value)} 字，上限 {limit} 字）",
                        "请精简",
                    )
                    value = None
            out[name] = value
        if not out["description"]:
            if out["title"]:
                out["description"] = out["title"]
            else:
                index = f.get("description", f.get("title"))
                fail("description", index, "", "诉求内容为空", "补上诉求内容，或删去这一行")

        # short fields
        for name, index in self.short:
            raw = cells[index]
            if raw is None:
                out[name] = None
                continue
            try:
                value = clean_short(to_text(raw)) or None
            except ValueError as exc:
                fail(name, index, "", str(exc), "删去其中的控制字符后重试")
                value = None
            if value is not None and len(value) > MAX_FIELD:
                fail(
                    name,
                    index,
                    value,
                    f"{field_label(name)}过长（{len(value)} 字，上限 {MAX_FIELD} 字）",
                    "请精简",
                )
                value = None
            out[name] = value
        self._phone(cells, out, fail)
        self._difficulty(cells, out, fail)
        self._resolution(cells, out, fail)
        out["extra"] = self._extra(cells)
        if errors:
            return errors
        out["source_key"] = self._key(cells, out)
        return out

    def _phone(self, cells: Sequence[Any], out: Fields, fail: Any) -> None:
        index = self.plan.fields.get("phone")
        out["phone"] = None
        if index is None or cells[index] is None:
            return
        try:
            out["phone"] = clean_phone(to_text(cells[index]))
        except ValueError as exc:
            fail("phone", index, cells[index], str(exc), "只写数字，例如 13812345678 或 0532-88886666")

    def _difficulty(self, cells: Sequence[Any], out: Fields, fail: Any) -> None:
        index = self.plan.fields.get("difficulty")
        out["difficulty"] = None
        if index is None or cells[index] is None:
            return
        text = clean_short(to_text(cells[index]))
        if not text:
            return
        if text.isdigit() and 1 <= int(text) <= 5:
            out["difficulty"] = int(text)
        else:
            fail("difficulty", index, text, "难度应为 1–5 的整数", "写 1（最易）到 5（最难）")

    def _resolution(self, cells: Sequence[Any], out: Fields, fail: Any) -> None:
        """办理结果 (resolved on the spot) or 答复意见 + 答复时间 (a reply recorded as the resolution)."""
        f = self.plan.fields
        for name in ("on_site", "reply"):
            index = f.get(name)
            value = None
            if index is not None and cells[index] is not None:
                try:
                    value = clean_long(to_text(cells[index])) or None
                except ValueError as exc:
                    fail(name, index, "", str(exc), "删去其中的控制字符后重试")
                if value is not None and len(value) > MAX_TEXT:
                    fail(
                        name,
                        index,
                        value,
                        f"{field_label(name)}过长（{len(value)} 字）",
                        f"请精简到 {MAX_TEXT} 字以内",
                    )
                    value = None
            out[name] = value
        out["replied_at"] = None
        index = f.get("replied_at")
        raw = cells[index] if index is not None else None
        has_time = raw is not None and not (isinstance(raw, str) and not raw.strip())
        reply_index = f.get("reply")
        if out["on_site"] and out["reply"]:
            fail(
                "on_site",
                f.get("on_site"),
                "",
                "同一行既有办理结果（现场办结）又有答复意见",
                "用 --map 把其中一列设为 extra",
            )
            return
        if not out["reply"]:
            if has_time:
                fail("replied_at", index, raw, "有答复时间但没有答复意见", "补上答复意见，或删去答复时间")
            return
        if not has_time:
            fail(
                "replied_at",
                index if index is not None else reply_index,
                "",
                "有答复意见但没有答复时间",
                f"补上答复时间，{DATE_HINT}",
            )
            return
        try:
            replied, with_time = parse_moment(raw, self.now)
        except ValueError as exc:
            fail("replied_at", index, raw, str(exc), DATE_HINT)
            return
        received = out["received_at"]
        if received and not with_time and replied[:10] == received[:10] and replied < received:
            replied = received  # a reply dated the same day, without a time: not before the message
        if replied > self.limit_iso:
            fail("replied_at", index, raw, "答复时间晚于现在", "写实际答复的日期，不能写将来的日期")
        elif received and replied < received:
            fail("replied_at", index, raw, "答复时间早于受理时间", "检查两列的日期是否写反")
        else:
            out["replied_at"] = replied

    def _extra(self, cells: Sequence[Any]) -> str | None:
        kept: dict[str, str] = {}
        for name, index in self.extra:
            raw = cells[index]
            if raw is None:
                continue
            if isinstance(raw, (dict, list)):
                kept[name] = json.dumps(raw, ensure_ascii=False)
                continue
            try:
                value = clean_long(to_text(raw))
            except ValueError:
                continue
            if value:
                kept[name or f"第{index + 1}列"] = value
        return json.dumps(kept, ensure_ascii=False) if kept else None

    def _key(self, cells: Sequence[Any], out: Fields) -> str:
        """The key column (``留言编号:2549``), else a hash of the normalised row, so a re-import finds it."""
        if self.key_index is not None and cells[self.key_index] is not None:
            try:
                value = clean_short(to_text(cells[self.key_index]))
            except ValueError:
                value = ""
            if value:
                return f"{self.key_prefix}:{value}"
        parts = (
            out["received_at"],
            normalise(out["description"] or ""),
            "".join(ch for ch in out["phone"] or "" if ch.isdigit()),
            out["resident"] or "",
            out["address"] or "",
        )
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
        return f"row:{digest}"
