"""One case's life as the events its commands would record (``Generator.case_events``): the mix of 现场办结,
claims on time and late, 退单, 提级, 延期, 督办, notes, resolutions, revisits and duplicates that
``generate.py`` writes into a benchmark ledger."""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from wenzheng_cli.config import Settings
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.deadlines import WorkCalendar, due_from, parse_span
from wenzheng_cli.domain.ids import format_number

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vocabulary import (
    CATEGORIES,
    CHANNELS,
    CLERKS,
    COMMUNITIES,
    ESTATES,
    GIVEN,
    GRIDS,
    HANDLERS,
    NATURES,
    ON_SITE_RESULTS,
    PROBLEMS,
    RATINGS_OK,
    RESULTS,
    REVISITORS,
    SURNAMES,
    UNITS,
    Activity,
    office_hours,
    pick,
)


class Generator:
    def __init__(self, rng: random.Random, end: datetime, office: str) -> None:
        self.rng = rng
        self.end = end
        self.office = office
        self.config = Settings.parse({"office.code": office})
        self.calendar = WorkCalendar()
        self.due_cache: dict[tuple[date, str], datetime] = {}
        self.seq_by_year: dict[int, int] = {}
        self.activities: list[Activity] = []
        self.activity_index: dict[tuple[str, str, int, int], int] = {}
        self.open_twins: dict[str, str] = {}  # category → a recent case number, for duplicates

    # --- deadlines -----------------------------------------------------------------------------------------
    def due(self, start: datetime, span_text: str) -> datetime:
        span = parse_span(span_text)
        if span.unit == "h":
            return start + timedelta(hours=span.amount)
        key = (start.date(), span_text)
        found = self.due_cache.get(key)
        if found is None:
            found = self.due_cache[key] = due_from(start, span, self.calendar)
        return found

    # --- activities ----------------------------------------------------------------------------------------
    def activity_for(self, community: str, kind: str, moment: datetime) -> int:
        """The community's 问政日 / 议事会 of that month (held on its first Tuesday), made on first use."""
        key = (community, kind, moment.year, moment.month)
        found = self.activity_index.get(key)
        if found is None:
            first = date(moment.year, moment.month, 1)
            tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
            held = datetime(tuesday.year, tuesday.month, tuesday.day, 9, 0, tzinfo=clock.TZ)
            found = len(self.activities) + 1
            self.activities.append(Activity(found, community, kind, min(held, moment)))
            self.activity_index[key] = found
        return found

    # --- one case ------------------------------------------------------------------------------------------
    def case_events(self, received: datetime) -> list[tuple[str, datetime, str, dict[str, object]]]:
        """The events of one case as (action, at, actor, payload), stopped at the end moment."""
        rng = self.rng
        community = rng.choice(COMMUNITIES)
        category = pick(rng, CATEGORIES)
        channel = pick(rng, CHANNELS)
        nature = pick(rng, NATURES)
        estate = rng.choice(ESTATES)
        building = rng.randint(1, 32)
        address = f"{estate}{building}号楼{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        problem = rng.choice(PROBLEMS[category])
        description = (
            f"{estate}{building}号楼居民反映：{problem}。"
            + rng.choice(["已持续一段时间，", "近期多次出现，", "今天上午发现，", "此前反映过一次，"])
            + rng.choice(
                ["希望社区尽快协调解决。", "请相关部门尽快处理。", "希望给个答复。", "请帮忙联系处理。"]
            )
        )
        if rng.random() < 0.3:
            description += "居民表示如有需要可随时电话联系，白天上班，晚上七点以后在家。"
        year = received.year
        seq = self.seq_by_year.get(year, 0) + 1
        self.seq_by_year[year] = seq
        number = format_number(self.office, year, seq)
        payload: dict[str, object] = {
            "number": number,
            "office": self.office,
            "year": year,
            "seq": seq,
            "description": description,
            "resident": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
            "phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            "address": address,
            "community": community,
            "grid": rng.choice(GRIDS),
            "channel": channel,
            "category": category,
            "nature": nature,
            "difficulty": rng.choices((1, 2, 3, 4, 5), (30, 35, 20, 10, 5))[0],
        }
        if channel in ("问政日", "议事会"):
            payload["activity_id"] = self.activity_for(community, channel, received)
        on_site_share = 0.7 if channel == "问政日" else 0.08
        events: list[tuple[str, datetime, str, dict[str, object]]] = []
        clerk = rng.choice(CLERKS)
        if rng.random() < on_site_share:
            payload.update(on_site=rng.choice(ON_SITE_RESULTS), level="社区", outcome="solved")
            events.append(("intake", received, clerk, payload))
            self._revisit_tail(events, received, None, category, nature)
            return self._until_end(events)
        events.append(("intake", received, clerk, payload))
        span = str(self.config.span_for(category, nature))
        moment = received + timedelta(minutes=rng.randint(20, 60 * 26))
        if rng.random() < 0.02:  # a duplicate of an earlier case, withdrawn before anyone works on it
            twin = self.open_twins.get(category)
            if twin:
                events.append(
                    ("withdraw", moment, clerk, {"reason": f"与 {twin} 重复", "duplicate_of": twin})
                )
                return self._until_end(events)
        self.open_twins[category] = number
        handler = rng.choice(HANDLERS)
        unit = rng.choice(UNITS[category])
        level = "网格" if rng.random() < 0.15 else "社区"
        due = self.due(moment, span)
        events.append(
            (
                "assign",
                moment,
                clerk,
                {"handler": handler, "unit": unit, "level": level, "due_at": clock.iso(due)},
            )
        )
        if rng.random() < 0.03:  # 退单, then assigned elsewhere
            moment += timedelta(hours=rng.randint(1, 30))
            events.append(("return", moment, handler, {"reason": "不属本单位职责，请重新分派"}))
            moment += timedelta(hours=rng.randint(1, 20))
            handler, unit = rng.choice(HANDLERS), rng.choice(UNITS[category])
            due = self.due(moment, span)
            events.append(
                (
                    "assign",
                    moment,
                    clerk,
                    {"handler": handler, "unit": unit, "level": level, "due_at": clock.iso(due)},
                )
            )
        if rng.random() < 0.015:
            moment += timedelta(hours=rng.randint(2, 48))
            events.append(("withdraw", moment, clerk, {"reason": "居民已自行解决，申请撤件"}))
            return self._until_end(events)
        late_claim = rng.random() < 0.08
        moment += (
            timedelta(hours=rng.uniform(30, 110)) if late_claim else timedelta(minutes=rng.randint(5, 300))
        )
        events.append(("claim", moment, handler, {}))
        if rng.random() < 0.05:  # 提级 / 吹哨
            moment += timedelta(hours=rng.randint(2, 72))
            up = "街道" if level != "区" and rng.random() < 0.8 else "区"
            esc: dict[str, object] = {
                "level": up,
                "unit": f"{up}{rng.choice(['城管办', '综治办', '住建办'])}",
            }
            esc["reason"] = "涉及多个部门，需上级协调"
            if rng.random() < 0.5:
                due = self.due(moment, "10wd")
                esc["due_at"] = clock.iso(due)
            events.append(("escalate", moment, clerk, esc))
            level = str(esc["level"])
        for _ in range(rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]):
            moment += timedelta(hours=rng.randint(1, 40))
            events.append(
                (
                    "note",
                    moment,
                    handler,
                    {"text": rng.choice(["已联系居民了解情况", "已现场查看，正在协调", "等待配件到货"])},
                )
            )
        if rng.random() < 0.04:
            moment += timedelta(hours=rng.randint(1, 24))
            new_due = self.due(max(due, moment), "5wd")
            events.append(
                (
                    "extend",
                    moment,
                    handler,
                    {
                        "due_at": clock.iso(new_due),
                        "previous_due_at": clock.iso(due),
                        "reason": "需协调多方，申请延期",
                    },
                )
            )
            due = new_due
        if rng.random() < 0.02:
            moment += timedelta(hours=rng.randint(1, 24))
            events.append(("supervise", moment, clerk, {"reason": "群众反映强烈，列入督办", "kind": "督办"}))
        if rng.random() < 0.001:  # an old case nobody resolves
            return self._until_end(events)
        # Resolution: mostly within the limit, some late.
        remaining = (due - moment).total_seconds()
        if rng.random() < 0.88 and remaining > 600:
            moment += timedelta(seconds=rng.uniform(300, remaining))
        else:
            moment = max(moment, due) + timedelta(hours=rng.uniform(2, 120))
        outcome = rng.choices(("solved", "partly", "explained"), (80, 8, 12))[0]
        resolution: dict[str, object] = {"result": rng.choice(RESULTS[outcome]), "outcome": outcome}
        if rng.random() < 0.6:
            resolution["feedback"] = rng.choice(["电话", "当面", "短信"])
        events.append(("resolve", moment, handler, resolution))
        self._revisit_tail(events, moment, handler, category, nature)
        return self._until_end(events)

    def _revisit_tail(
        self,
        events: list[tuple[str, datetime, str, dict[str, object]]],
        moment: datetime,
        handler: str | None,
        category: str,
        nature: str,
    ) -> None:
        rng = self.rng
        for round_ in range(4):
            if rng.random() < (0.003 if round_ == 0 else 0.02):
                return  # never revisited (or not again after 未联系上): stays 待回访
            moment += timedelta(hours=rng.uniform(4, 120))
            who = rng.choice(REVISITORS)
            method = rng.choice(["电话", "入户", "短信"])
            roll = rng.random()
            if roll < 0.05:
                events.append(
                    ("revisit", moment, who, {"rating": "unreachable", "method": method, "effect": "none"})
                )
                continue
            if roll < 0.11 and handler is not None and round_ < 2:
                due = self.due(moment, str(self.config.span_for(category, nature)))
                events.append(
                    (
                        "revisit",
                        moment,
                        who,
                        {
                            "rating": rng.choice(["dissatisfied", "very_dissatisfied"]),
                            "method": method,
                            "comment": "问题反复出现，不满意",
                            "effect": "reopened",
                            "due_at": clock.iso(due),
                        },
                    )
                )
                remaining = (due - moment).total_seconds()
                moment += timedelta(seconds=rng.uniform(600, max(1200, remaining * 1.1)))
                events.append(
                    ("resolve", moment, handler, {"result": "已再次上门彻底处理", "outcome": "solved"})
                )
                continue
            events.append(
                (
                    "revisit",
                    moment,
                    who,
                    {"rating": pick(rng, RATINGS_OK), "method": method, "effect": "closed"},
                )
            )
            return

    def _until_end(
        self, events: list[tuple[str, datetime, str, dict[str, object]]]
    ) -> list[tuple[str, datetime, str, dict[str, object]]]:
        kept = []
        for action, at, actor, payload in events:
            moment = at if action == "intake" else office_hours(at)
            if moment > self.end:
                break
            kept.append((action, moment, actor, payload))
        return kept
