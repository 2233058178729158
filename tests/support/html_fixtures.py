"""Hand-made report dicts in the JSON shapes of the CLI contract, for the HTML pages' tests."""

from __future__ import annotations

from typing import Any

from wenzheng_cli.domain.tally import RATES

HOSTILE = '<script>alert("x")</script>&amp;'

RATE_KEYS = tuple(RATES)  # every rate of the contract, in its order

# 小板凳拉呱's story: complaints fell from 30 a month to 3. (received, resolved, completion, satisfaction)
TREND = [
    ("2025-12", 30, 24, 0.8, 0.75),
    ("2026-01", 27, 22, 0.8148, 0.8),
    ("2026-02", 22, 20, 0.9091, None),  # nobody rated: the satisfaction line breaks here
    ("2026-03", 18, 17, 0.9444, 0.88),
    ("2026-04", 15, 14, 0.9333, 0.9),
    ("2026-05", 12, 12, 1.0, 0.92),
    ("2026-06", 10, 9, 0.9, 0.95),
    ("2026-07", 8, 8, 1.0, 0.96),
    ("2026-08", 6, 6, 1.0, 1.0),
    ("2026-09", 5, 5, 1.0, 1.0),
    ("2026-10", 4, 4, 1.0, 1.0),
    ("2026-11", 3, 2, 0.6667, 1.0),
]


def _rates(completion: float | None, satisfaction: float | None) -> dict[str, float | None]:
    rates: dict[str, float | None] = dict.fromkeys(RATE_KEYS, 0.9)
    rates["completion_rate"] = completion
    rates["satisfaction_rate"] = satisfaction
    return rates


def trend() -> dict[str, Any]:
    months = [
        {"month": m, "totals": {"received": r, "resolved": d}, "rates": _rates(c, s)}
        for m, r, d, c, s in TREND
    ]
    groups = []
    for key, share in (("杨柳", 0.5), (HOSTILE, 0.3), (None, 0.2)):
        groups.append(
            {
                "key": key,
                "months": [
                    {
                        "month": m,
                        "totals": {"received": round(r * share), "resolved": round(d * share)},
                        "rates": _rates(c, s),
                    }
                    for m, r, d, c, s in TREND
                    if not (key is None and m == "2026-05")  # a month without a case of that group
                ],
            }
        )
    return {"by": "community", "months": months, "groups": groups}


def _totals(received: int, resolved: int) -> dict[str, int]:
    return {
        "received": received,
        "withdrawn": 1,
        "resolved": resolved,
        "on_site": 2,
        "committed": received - 2,
        "activities": 1,
        "activity_items": 3,
        "overdue_open": 1,
        "supervised": 2,
        "listed": 1,
        "escalated": 1,
        "returned": 0,
    }


def monthly(groups: int = 4) -> dict[str, Any]:
    """``groups`` ranked groups with falling scores, then the blank group, which has no rank."""
    rows = []
    for i in range(groups):
        name = HOSTILE if i == 1 else f"社区{i + 1}"
        rates = _rates(0.9 - i * 0.01, 0.95)
        rates["grassroots_rate"] = None
        rows.append(
            {
                "key": name,
                "totals": _totals(40 - i, 36 - i),
                "rates": rates,
                "score": round(95 - i * 0.7, 2),
                "rank": i + 1,
                "points": 30.0 - i,
            }
        )
    rows.append(
        {
            "key": None,
            "totals": _totals(2, 1),
            "rates": _rates(0.5, None),
            "score": None,
            "rank": None,
            "points": 0.0,
        }
    )
    return {
        "period": {"start": "2026-10-01", "end": "2026-10-31", "as_of": "2026-10-31T23:59:59+08:00"},
        "by": "community",
        "totals": _totals(160, 140),
        "rates": {**_rates(0.875, 0.95), "grassroots_rate": None},
        "points": 114.0,
        "score": 93.2,
        "groups": rows,
        "top_categories": [
            {"category": "堆码物清理", "received": 50, "share": 0.3125},
            {"category": "群众纠纷", "received": 40, "share": 0.25},
            {"category": HOSTILE, "received": 30, "share": 0.1875},
            {"category": None, "received": 10, "share": 0.0625},
        ],
        "activity": {"sessions": 2, "by_kind": {"问政日": 2}, "items": 6, "on_site": 4, "committed": 2},
        "scoring": {
            "score_weights": {"completion_rate": 0.5, "satisfaction_rate": 0.5},
            "points": {
                "closed": 1.0,
                "overdue": 2.0,
                "dissatisfied": 3.0,
                "returned": 1.0,
                "difficulty_weights": [1.0, 2.0, 3.0, 4.0, 5.0],
            },
        },
    }


def case(number: int, **extra: Any) -> dict[str, Any]:
    row = {
        "number": f"YL-2026-{number:04d}",
        "id": f"ID{number}",
        "status": "claimed",
        "received_at": "2026-11-17T09:00:00+08:00",
        "channel": "走访",
        "category": "堆码物清理",
        "nature": None,
        "description": f"3号楼楼道堆放杂物 {number}",
        "resident": "李**",
        "phone": "138****5678",
        "address": None,
        "community": "杨柳",
        "grid": "一网格",
        "handler": "王芳",
        "unit": "城管科",
        "level": "社区",
        "due_at": "2026-11-24T23:59:59+08:00",
        "difficulty": 2,
        "round": 1,
        "supervised": False,
        "resolved_at": None,
        "outcome": None,
        "result": None,
        "rating": None,
        "closed_at": None,
        "overdue": False,
    }
    row.update(extra)
    return row


def weekly(rows: int = 3) -> dict[str, Any]:
    """``rows`` new cases, the second one hostile and overdue in its second round; one closed."""
    new = [case(i + 1) for i in range(rows)]
    if rows > 1:
        new[1] = case(2, description=HOSTILE, overdue=True, round=2, due_at="2026-11-18T23:59:59+08:00")
    closed = [
        case(
            90,
            status="closed",
            outcome="solved",
            result="已清理",
            rating="satisfied",
            received_at="2026-11-10T09:00:00+08:00",
        )
    ]
    overdue = [c for c in new if c["overdue"]]
    sections = {
        "new": new,
        "resolved": closed,
        "closed": closed,
        "carried_over": [],
        "overdue": overdue,
        "report_back": new,
    }
    return {
        "week": {"start": "2026-11-17", "end": "2026-11-23"},
        **sections,
        "totals": {key: len(value) for key, value in sections.items()},
        "as_of": "2026-11-23T10:00:00+08:00",
    }
