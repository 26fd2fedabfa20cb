"""Hours read the way the reference reads them: every case of opening_hours.js's own test suite
(``tests/hours_reference/cases.json``, drawn from its ``test/test.js``) and our French cases and shipped hours
(``french.json``), answered by the reference itself in Marseille (``reference.mjs``, recorded in the
``*answers.json`` files), must be answered the same by ``geo.hours`` — minute by minute over a plain week and
Christmas week (a public holiday, school holidays) — and what the reference refuses, we refuse."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geo import hours

FOLDER = Path(__file__).parent / "hours_reference"
RECORDED = {name: json.loads((FOLDER / name).read_text(encoding="utf-8"))
            for name in ("answers.json", "french_answers.json")}


def minutes_of(intervals) -> dict[int, str]:
    """Minute of the week (wall clock) → "open" / "unknown"; a closed minute is absent."""
    states = {}
    for start, end, state in intervals:
        states.update((minute, state) for minute in range(start, end))
    return states


def reference_minutes(window: list, monday: dt.date) -> dict[int, str]:
    def minute(text: str) -> int:
        moment = dt.datetime.fromisoformat(text)
        return (moment.date() - monday).days * 1440 + moment.hour * 60 + moment.minute
    return minutes_of((minute(start), minute(end), state) for start, end, state, _ in window)


def our_minutes(expression: str, monday: dt.date) -> dict[int, str]:
    return minutes_of((n * 1440 + a, n * 1440 + b, state)
                      for n, (_, _, opened, unknown) in enumerate(hours.week(expression, monday))
                      for ranges, state in ((opened, "open"), (unknown, "unknown")) for a, b in ranges)


@pytest.mark.parametrize("recorded", RECORDED)
def test_every_case_is_answered_as_the_reference_answers_it(recorded):
    data = RECORDED[recorded]
    mondays = [dt.date.fromisoformat(start[:10]) for start, _ in data["windows"]]
    disagreements, refused = [], 0
    for case in data["answers"]:
        if "error" in case:
            refused += 1
            assert not hours.valid(case["expression"]), f"the reference refuses {case['expression']!r}, we read it"
            continue
        assert hours.valid(case["expression"]), f"the reference reads {case['expression']!r}, we refuse it"
        for monday, window in zip(mondays, case["windows"], strict=True):
            theirs, ours = reference_minutes(window, monday), our_minutes(case["expression"], monday)
            wrong = [m for m in set(theirs) | set(ours) if theirs.get(m, "closed") != ours.get(m, "closed")]
            if wrong:
                first = min(wrong)
                disagreements.append(f"{case['expression']!r} le {monday + dt.timedelta(days=first // 1440)} à "
                                     f"{first % 1440 // 60}h{first % 60:02d} : référence "
                                     f"{theirs.get(first, 'closed')}, nous {ours.get(first, 'closed')}")
    assert disagreements == []
    assert len(data["answers"]) - refused >= (500 if recorded == "answers.json" else 100)  # the cases are there


def test_the_reference_was_recorded_in_the_metropole_by_the_version_we_ship():
    shipped = (hours.VENDOR / "opening_hours.js").read_text(encoding="utf-8")
    for data in RECORDED.values():
        assert data["reference"] == "opening_hours.js 3.15.0"
    assert "Provence-Alpes-Côte d'Azur" in (FOLDER / "reference.mjs").read_text(encoding="utf-8")
    assert "Zone B" in shipped  # the school holidays of Aix-Marseille are the reference's own
