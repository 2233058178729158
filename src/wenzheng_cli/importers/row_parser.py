"""One row of a file → the fields of a case, or the reasons it cannot be one (errors as data, never raised).

Each error names the row as the file shows it (Excel's row number; the line of a JSON Lines file), the column
as headed in the file, the value (personal data masked), why, and the fix.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD, MAX_TEXT, PHONE_HINT
from wenzheng_cli.domain.text import mask_name, mask_phone, normalise
from wenzheng_cli.importers.date_order import DateOrders
from wenzheng_cli.importers.headers import Plan, field_label, header_key
from wenzheng_cli.importers.values import (
    clean_line,
    clean_long,
    clean_phone,
    clean_short,
    to_text,
)

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


TEXT_FIELDS: tuple[tuple[str, Callable[[str], str], int], ...] = (
    ("description", clean_long, MAX_TEXT),
    ("title", clean_line, MAX_FIELD),
    *((name, clean_short, MAX_FIELD) for name in SHORT_FIELDS),
    ("on_site", clean_long, MAX_TEXT),
    ("reply", clean_long, MAX_TEXT),
)
OUTPUT = (*(name for name, _, _ in TEXT_FIELDS), "received_at", "phone", "difficulty", "replied_at", "extra")
CONTROL_HINT = "删去其中的控制字符后重试"
Errors = list[RowError] | None


class RowParser:
    """Parses rows against a column plan. ``parse`` returns the fields or the row's errors; it never raises."""

    def __init__(self, plan: Plan, now: datetime, dates: DateOrders | None = None) -> None:
        self.plan = plan
        self.now = now
        self.dates = dates if dates is not None else DateOrders()
        self.limit_iso = clock.iso(now + clock.FUTURE_SLACK) or ""
        self._width = -1
        self._compile()

    def _compile(self) -> None:
        plan = self.plan
        f = plan.fields
        self._width = len(plan.columns)
        self.text = [(name, f[name], clean, limit) for name, clean, limit in TEXT_FIELDS if name in f]
        self.blank: Fields = dict.fromkeys(OUTPUT)
        self.extra = [(plan.columns[i] or f"第{i + 1}列", i) for i in plan.extra]
        self.received = f.get("received_at")
        self.phone = f.get("phone")
        self.difficulty = f.get("difficulty")
        self.replied = f.get("replied_at")
        self.key_index = f.get("source_key")
        self.key_prefix = header_key(plan.columns[self.key_index]) if self.key_index is not None else ""

    def _fail(
        self, errors: Errors, row: int, name: str, index: int | None, value: object, message: str, hint: str
    ) -> list[RowError]:
        shown = to_text(value).strip()
        if name == "phone":
            shown = mask_phone(shown) or ""
        elif name == "resident":
            shown = mask_name(shown) or ""
        column = self.plan.columns[index] if index is not None else field_label(name)
        error = RowError(row, column, shown[:40], message, hint)
        if errors is None:
            return [error]
        errors.append(error)
        return errors

    def parse(self, row: int, cells: Sequence[Any]) -> Fields | list[RowError]:
        if len(self.plan.columns) != self._width:
            self._compile()
        width = self._width
        errors: Errors = None
        if len(cells) != width:
            if len(cells) > width:
                spill = next((c for c in cells[width:] if to_text(c).strip()), None)
                if spill is not None:
                    errors = [
                        RowError(
                            row,
                            f"第{width + 1}列起",
                            "",  # never shown: the spilled cell is usually a name or a phone
                            f"本行有 {len(cells)} 个字段，表头只有 {width} 列",
                            "内容里的逗号要放在英文双引号里；或在 Excel 中打开后另存为 CSV",
                        )
                    ]
            cells = [*cells[:width], *([None] * (width - len(cells)))]
        out = self.blank.copy()
        for name, position, clean, limit in self.text:
            raw = cells[position]
            if raw is None or raw == "":
                continue
            try:
                value = clean(raw if type(raw) is str else to_text(raw))
            except ValueError as exc:
                errors = self._fail(errors, row, name, position, "", str(exc), CONTROL_HINT)
                continue
            if value:
                if len(value) > limit:
                    message = f"{field_label(name)}过长（{len(value)} 字，上限 {limit} 字）"
                    errors = self._fail(
                        errors, row, name, position, value, message, f"请精简到 {limit} 字以内"
                    )
                else:
                    out[name] = value

        # 受理时间
        index: int | None = self.received
        raw = cells[index] if index is not None else None
        if raw is None or (type(raw) is str and not raw.strip()):
            errors = self._fail(
                errors, row, "received_at", index, "", "受理时间为空", f"补上受理时间，{DATE_HINT}"
            )
        else:
            try:
                received = self.dates.read(index, raw, self.now)[0]
            except ValueError as exc:
                hint = getattr(exc, "hint", DATE_HINT)
                errors = self._fail(errors, row, "received_at", index, raw, str(exc), hint)
            else:
                if received > self.limit_iso:
                    why, hint = "受理时间晚于现在", "写事情实际发生的日期，不能写将来的日期"
                    errors = self._fail(errors, row, "received_at", index, raw, why, hint)
                else:
                    out["received_at"] = received

        # 诉求内容; the title stands in for an empty one
        if not out["description"]:
            if out["title"]:
                out["description"] = out["title"]
            elif not any(e.column == self._column_of("description") for e in errors or ()):
                index = self.plan.fields.get("description", self.plan.fields.get("title"))
                errors = self._fail(
                    errors, row, "description", index, "", "诉求内容为空", "补上诉求内容，或删去这一行"
                )

        index = self.phone
        if index is not None and cells[index] is not None and cells[index] != "":
            try:
                out["phone"] = clean_phone(to_text(cells[index]))
            except ValueError as exc:
                errors = self._fail(errors, row, "phone", index, cells[index], str(exc), PHONE_HINT)

        index = self.difficulty
        if index is not None and cells[index] is not None:
            text = clean_short(to_text(cells[index]))
            if text.isdigit() and 1 <= int(text) <= 5:
                out["difficulty"] = int(text)
            elif text:
                why, hint = "难度应为 1–5 的整数", "写 1（最易）到 5（最难）"
                errors = self._fail(errors, row, "difficulty", index, text, why, hint)

        if out["reply"] or out["on_site"] or self.replied is not None:
            errors = self._resolution(row, cells, out, errors)
        if self.extra:
            out["extra"] = self._extra(cells)
        if errors:
            return errors
        out["source_key"] = self._key(cells, out)
        return out

    def _column_of(self, name: str) -> str:
        index = self.plan.fields.get(name)
        return self.plan.columns[index] if index is not None else field_label(name)

    def _resolution(self, row: int, cells: Sequence[Any], out: Fields, errors: Errors) -> Errors:
        """办理结果 (resolved on the spot) or 答复意见 + 答复时间 (a reply recorded as the resolution)."""
        f = self.plan.fields
        index = self.replied
        raw = cells[index] if index is not None else None
        has_time = raw is not None and not (type(raw) is str and not raw.strip())
        if out["on_site"] and out["reply"]:
            why, hint = "同一行既有办理结果（现场办结）又有答复意见", "用 --map 把其中一列设为 extra"
            return self._fail(errors, row, "on_site", f.get("on_site"), "", why, hint)
        if not out["reply"]:
            if has_time and not (f.get("reply") is not None and self._reply_failed(errors)):
                why, hint = "有答复时间但没有答复意见", "补上答复意见，或删去答复时间"
                return self._fail(errors, row, "replied_at", index, raw, why, hint)
            return errors
        if not has_time:
            at = index if index is not None else f.get("reply")
            why, hint = "有答复意见但没有答复时间", f"补上答复时间，{DATE_HINT}"
            return self._fail(errors, row, "replied_at", at, "", why, hint)
        try:
            replied, with_time = self.dates.read(index, raw, self.now)
        except ValueError as exc:
            return self._fail(
                errors, row, "replied_at", index, raw, str(exc), getattr(exc, "hint", DATE_HINT)
            )
        received = out["received_at"]
        if received and not with_time and replied[:10] == received[:10] and replied < received:
            replied = received  # a reply dated the same day, without a time: not before the message
        if replied > self.limit_iso:
            why, hint = "答复时间晚于现在", "写实际答复的日期，不能写将来的日期"
            return self._fail(errors, row, "replied_at", index, raw, why, hint)
        if received and replied < received:
            why, hint = "答复时间早于受理时间", "检查两列的日期是否写反"
            return self._fail(errors, row, "replied_at", index, raw, why, hint)
        out["replied_at"] = replied
        return errors

    def _reply_failed(self, errors: Errors) -> bool:
        column = self._column_of("reply")
        return any(e.column == column for e in errors or ())

    def _extra(self, cells: Sequence[Any]) -> str | None:
        kept: dict[str, str] = {}
        for name, index in self.extra:
            raw = cells[index]
            if raw is None or raw == "":
                continue
            if isinstance(raw, (dict, list)):
                kept[name] = json.dumps(raw, ensure_ascii=False)
                continue
            try:
                value = clean_long(to_text(raw))
            except ValueError:
                continue
            if value:
                kept[name] = value
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
