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

from wenzheng_cli.domain import clock, source_keys
from wenzheng_cli.domain.fields import MAX_FIELD, MAX_TEXT, NO_VALUE, PHONE_HINT
from wenzheng_cli.domain.import_fields import IMPORT_FIELDS, Kind
from wenzheng_cli.domain.replies import REPLY_FEEDBACK, is_done_state, read_reply
from wenzheng_cli.domain.text import mask_name, mask_phone, normalise
from wenzheng_cli.errors import Phrase, option, phrase
from wenzheng_cli.importers.date_order import DateOrders
from wenzheng_cli.importers.headers import Plan, field_label, header_key
from wenzheng_cli.importers.values import (
    clean_line,
    clean_long,
    clean_phone,
    clean_short,
    to_text,
)

FILE_WIDE = ("channel", "community", "grid")  # --channel, --community, --grid fill these where a row has none
DATE_HINT = "写成 2026/11/17、2026-11-17 9:30 或 2026年11月17日"


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    value: str
    message: Phrase
    hint: Phrase


Fields = dict[str, Any]


@dataclass(frozen=True)
class FileWide:
    """What an import gives every row that has none: ``--at`` (ISO), ``--channel``, ``--community``, ``--grid``;
    and ``--source``, the name its keys are scoped by (default: the name of the file's key column)."""

    received_at: str | None = None
    channel: str | None = None
    community: str | None = None
    grid: str | None = None
    source: str | None = None


# How the cells of a text column are cleaned, and their longest value, by the kind of the field.
_TEXT_KINDS: dict[Kind, tuple[Callable[[str], str], int]] = {
    Kind.TEXT: (clean_long, MAX_TEXT),
    Kind.LINE: (clean_line, MAX_FIELD),
    Kind.SHORT: (clean_short, MAX_FIELD),
}
# The text fields (``domain.import_fields``), read in the table's order.
TEXT_FIELDS: tuple[tuple[str, Callable[[str], str], int], ...] = tuple(
    (f.name, *_TEXT_KINDS[f.kind]) for f in IMPORT_FIELDS if f.kind in _TEXT_KINDS
)
# What a parsed row holds: its columns' fields, and what its reply, 办结时间 and 办理状态 come to — a resolution
# (``resolved_at``, ``result``, ``outcome``, ``feedback``) or an acknowledgement noted (``note_at``,
# ``note_text``) — and the row's warnings as (column, message); its source key once the row is valid.
OUTPUT = tuple(f.name for f in IMPORT_FIELDS if f.parsed and f.kind is not Kind.KEY)
CONTROL_HINT = "删去其中的控制字符后重试"
Errors = list[RowError] | None


class RowParser:
    """Parses rows against a column plan. ``parse`` returns the fields or the row's errors; it never raises."""

    def __init__(
        self, plan: Plan, now: datetime, wide: FileWide | None = None, dates: DateOrders | None = None
    ) -> None:
        self.plan = plan
        self.now = now
        self.wide = wide or FileWide()
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
        self.fill = [(name, getattr(self.wide, name)) for name in FILE_WIDE if getattr(self.wide, name)]
        self.extra = [(plan.columns[i] or f"第{i + 1}列", i) for i in plan.extra]
        self.received = f.get("received_at")
        self.phone = f.get("phone")
        self.difficulty = f.get("difficulty")
        self.replied = f.get("replied_at")
        self.done_at = f.get("resolved_at")
        self.has_text_column = "description" in f
        self.key_index = f.get("source_key")
        named = header_key(plan.columns[self.key_index]) if self.key_index is not None else ""
        self.key_source = self.wide.source or named
        self.row_prefix = source_keys.compose(self.wide.source, "row") if self.wide.source else "row"

    def _fail(
        self,
        errors: Errors,
        row: int,
        name: str,
        index: int | None,
        value: object,
        message: Phrase,
        hint: Phrase,
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
        for name, value in self.fill:
            if out[name] is None:
                out[name] = value

        # 受理时间: the row's, else --at for every row without one
        index: int | None = self.received
        raw = cells[index] if index is not None else None
        if raw is None or (type(raw) is str and not raw.strip()):
            if self.wide.received_at is not None:
                out["received_at"] = self.wide.received_at
            else:
                errors = self._fail(
                    errors, row, "received_at", index, "", "受理时间为空", f"补上受理时间，{DATE_HINT}"
                )
        else:
            try:
                received = self.dates.read(index, raw, self.now)[0]
            except ValueError as exc:
                hint = getattr(exc, "hint", DATE_HINT)
                errors = self._fail(
                    errors, row, "received_at", index, raw, getattr(exc, "message", str(exc)), hint
                )
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
                out["title_for_text"] = self.has_text_column
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
            try:
                text = clean_short(to_text(cells[index]))
            except ValueError as exc:  # a NUL: the row's error, like any other field's
                errors = self._fail(errors, row, "difficulty", index, "", str(exc), "删除其中的控制字符")
                text = ""
            if text.isdigit() and 1 <= int(text) <= 5:
                out["difficulty"] = int(text)
            elif text:
                why, hint = "难度应为 1–5 的整数", "写 1（最易）到 5（最难）"
                errors = self._fail(errors, row, "difficulty", index, text, why, hint)

        kept: dict[str, str] = {}
        if out["reply"] or out["on_site"] or out["state"] or out["unit"] or self.replied is not None:
            errors = self._resolution(row, cells, out, errors, kept)
        if self.done_at is not None:
            errors = self._done_at(row, cells, out, errors)
        if not errors and (out["replied_at"] or out["resolved_at"] or out["state"] or out["on_site"]):
            self._conclude(out, kept)
        if self.extra or kept:
            out["extra"] = self._extra(cells, kept)
        if errors:
            return errors
        out["source_key"] = self._key(cells, out)
        return out

    def _column_of(self, name: str) -> str:
        index = self.plan.fields.get(name)
        return self.plan.columns[index] if index is not None else field_label(name)

    def _moment(
        self, row: int, raw: object, out: Fields, name: str, index: int | None, errors: Errors
    ) -> tuple[str | None, Errors]:
        """A reply or 办结 time: not in the future, not before the row's received time (a date without a
        time on the day received counts as that moment)."""
        try:
            moment, with_time = self.dates.read(index, raw, self.now)
        except ValueError as exc:
            why = getattr(exc, "message", str(exc))
            return None, self._fail(errors, row, name, index, raw, why, getattr(exc, "hint", DATE_HINT))
        received = out["received_at"]
        if received and not with_time and moment[:10] == received[:10] and moment < received:
            moment = received
        what = field_label(name)
        if moment > self.limit_iso:
            why, hint = f"{what}晚于现在", "写实际发生的日期，不能写将来的日期"
            return None, self._fail(errors, row, name, index, raw, why, hint)
        if received and moment < received:
            why, hint = f"{what}早于受理时间", "检查两列的日期是否写反"
            return None, self._fail(errors, row, name, index, raw, why, hint)
        return moment, errors

    def _resolution(
        self, row: int, cells: Sequence[Any], out: Fields, errors: Errors, kept: dict[str, str]
    ) -> Errors:
        """办理结果 (resolved on the spot), 答复意见 + 答复时间, 承办单位, as the row has them.

        An empty-like reply (无, -) is no reply. A reply without a time is kept with the case (its extra) and
        named in a warning; it never makes the row invalid."""
        f = self.plan.fields
        for name in ("reply", "on_site"):
            if out[name] is not None and out[name].lower() in NO_VALUE:
                out[name] = None
        if out["on_site"] and out["reply"]:
            why = "同一行既有办理结果（现场办结）又有答复意见"
            hint = phrase("用 ", option("map"), " 把其中一列设为 extra")
            return self._fail(errors, row, "on_site", f.get("on_site"), "", why, hint)
        if out["on_site"] and out["unit"]:
            kept[self._column_of("unit")] = out["unit"]  # resolved at intake: not assigned afterwards
            out["unit"] = None
        index = self.replied
        raw = cells[index] if index is not None else None
        has_time = raw is not None and not (type(raw) is str and not raw.strip())
        if has_time:
            out["replied_at"], errors = self._moment(row, raw, out, "replied_at", index, errors)
        if out["reply"] and not has_time:
            column = self._column_of("reply")
            kept[column] = out["reply"]
            self._warn(out, column, "有答复意见但没有答复时间：答复随案保存（附加信息），未记为办结")
            out["reply"] = None
        return errors

    def _done_at(self, row: int, cells: Sequence[Any], out: Fields, errors: Errors) -> Errors:
        """办结时间: when the case was concluded (a 现场办结 row was concluded at intake)."""
        index = self.done_at
        raw = cells[index] if index is not None else None
        if out["on_site"] or raw is None or (type(raw) is str and not raw.strip()):
            return errors
        out["resolved_at"], errors = self._moment(row, raw, out, "resolved_at", index, errors)
        return errors

    def _conclude(self, out: Fields, kept: dict[str, str]) -> None:
        """A resolution when the row says the case was concluded and when: the 办结时间, else the time of an
        answer (a reply that is more than an acknowledgement), else — with 办理状态 已办结 — the reply's time.
        An acknowledgement (received, forwarded, a unit's name) that concludes nothing becomes a note at its
        time; whatever concludes nothing is kept with the case. The unit a reply names (已转至县交通局 …, or
        a bare unit name) is the row's unit when it has none of its own: the case is assigned to it."""
        reply, replied_at, state = out["reply"], out["replied_at"], out["state"]
        done = is_done_state(state)
        if state is not None and not done:
            kept[self._column_of("state")] = state
        if out["on_site"]:
            return
        reading = read_reply(reply) if reply else None
        acknowledgement = reading is not None and reading.noted
        if reading is not None and reading.unit and out["unit"] is None:
            out["unit"] = reading.unit
        at = out["resolved_at"]
        if at is None and replied_at and ((reply and not acknowledgement) or done):
            at = replied_at
        if replied_at and not reply and at != replied_at:
            column = self._column_of("replied_at")
            kept[column] = replied_at
            if at is None:
                self._warn(out, column, "有答复时间但没有答复意见：答复时间随案保存（附加信息）")
        if at is None:
            if done:
                kept[self._column_of("state")] = state
                why = f"办理状态为「{state}」，但没有办结时间或答复时间：未记为办结，状态随案保存（附加信息）"
                self._warn(out, self._column_of("state"), why)
            if acknowledgement:
                out["note_at"], out["note_text"] = replied_at, reply
            return
        out["resolved_at"] = at
        if reply:
            out["result"], out["feedback"] = reply, REPLY_FEEDBACK
            if not acknowledgement:
                out["outcome"] = "solved"

    @staticmethod
    def _warn(out: Fields, column: str, message: str) -> None:
        if out["warnings"] is None:
            out["warnings"] = []
        out["warnings"].append((column, message))

    def _extra(self, cells: Sequence[Any], kept: dict[str, str]) -> str | None:
        found: dict[str, str] = {}
        for name, index in self.extra:
            raw = cells[index]
            if raw is None or raw == "":
                continue
            if isinstance(raw, (dict, list)):
                found[name] = json.dumps(raw, ensure_ascii=False)
                continue
            try:
                value = clean_long(to_text(raw))
            except ValueError:
                continue
            if value:
                found[name] = value
        found.update(kept)
        return json.dumps(found, ensure_ascii=False) if found else None

    def _key(self, cells: Sequence[Any], out: Fields) -> str:
        """The key column under its source (``留言编号:2549``, ``12345:2549`` with ``--source 12345``; see
        ``domain.source_keys``), else a hash of the normalised row, so a re-import finds it."""
        if self.key_index is not None and cells[self.key_index] is not None:
            try:
                value = clean_short(to_text(cells[self.key_index]))
            except ValueError:
                value = ""
            if value:
                return source_keys.compose(self.key_source, value)
        parts = (
            out["received_at"],
            normalise(out["description"] or ""),
            "".join(ch for ch in out["phone"] or "" if ch.isdigit()),
            out["resident"] or "",
            out["address"] or "",
        )
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
        return f"{self.row_prefix}:{digest}"
