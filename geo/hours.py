"""Opening hours (OpenStreetMap syntax) read in Europe/Paris time, with French public holidays (``PH``):
whether a place is open at a moment, and its hours day by day in French ("9h–12h30, 14h–17h").

A place without hours is neither open nor closed: ``state_at`` answers ``None`` and lists say
"horaires non renseignés".
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from opening_hours import OpeningHours, ParserError, State  # type: ignore[attr-defined]  # not in its stub

from geo.clock import PARIS, now  # noqa: F401 (geo.hours.now: the clock, for the pages)

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NO_HOURS = "horaires non renseignés"
STATE_LABELS = {"open": "Ouvert maintenant", "closed": "Fermé maintenant", "unknown": "Horaires à confirmer"}


@lru_cache(maxsize=4096)
def parse(expression: str) -> OpeningHours | None:
    """The parsed expression, or None when it is empty or not valid OpenStreetMap syntax."""
    if not (expression or "").strip():
        return None
    try:
        return OpeningHours(expression, timezone=PARIS, country="FR")
    except (ParserError, SyntaxError, ValueError):
        return None


def state_at(expression: str, when: dt.datetime) -> str | None:
    """"open", "closed" or "unknown" at ``when`` (a naive time is taken as Paris time); None without hours."""
    hours = parse(expression)
    if hours is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=PARIS)
    state = hours.state(when.astimezone(PARIS))[0]
    return {State.OPEN: "open", State.CLOSED: "closed"}.get(state, "unknown")


def _clock(moment: dt.datetime, day_start: dt.datetime) -> str:
    minutes = round((moment - day_start).total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


@lru_cache(maxsize=16384)
def _day(expression: str, day: dt.date) -> tuple[tuple, tuple, tuple[str, ...]]:
    """(open ranges, ranges whose state is unknown, the comments of those) of ``day``, as (start, end) minutes
    after midnight on Paris clocks (end may be 1440); a range that falls in the hour skipped when clocks go
    forward is no range at all."""
    hours = parse(expression)
    if hours is None:
        return (), (), ()
    start = dt.datetime.combine(day, dt.time(), PARIS)
    end = start + dt.timedelta(days=1)
    ranges: dict[State, list] = {State.OPEN: [], State.UNKNOWN: []}
    comments = []
    for begin, finish, state, comment in hours.intervals(start, end):
        if state in ranges:
            low = max(begin, start) if begin else start
            high = min(finish, end) if finish else end
            span = (round((low - start).total_seconds() / 60), round((high - start).total_seconds() / 60))
            if span[1] > span[0]:  # "Su 02:00-03:00" the night clocks go forward: that hour does not exist
                ranges[state].append(span)
                if state == State.UNKNOWN and comment and comment not in comments:
                    comments.append(comment)
    return tuple(ranges[State.OPEN]), tuple(ranges[State.UNKNOWN]), tuple(comments)


def day_ranges(expression: str, day: dt.date) -> tuple[tuple[int, int], ...]:
    """The open ranges of ``day`` (see ``_day``)."""
    return _day(expression, day)[0]


def day_text(expression: str, day: dt.date) -> str:
    """"9h–12h30, 14h–17h", "fermé", or for hours a page gave without clock times "à confirmer (midi et
    soir)" — never "fermé" for what is not known."""
    opened, unknown, comments = _day(expression, day)
    if not unknown:
        return format_ranges(opened)
    doubt = "à confirmer" + (f" ({' ; '.join(comments)})" if comments else "")
    return f"{format_ranges(opened)}, {doubt}" if opened else doubt


def format_ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    """"9h–12h30, 14h–17h", "24h/24" or "fermé"."""
    if not ranges:
        return "fermé"
    if ranges == ((0, 1440),):
        return "24h/24"
    midnight = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # only for the arithmetic of a day's minutes
    return ", ".join(
        f"{_clock(midnight + dt.timedelta(minutes=a), midnight)}–{_clock(midnight + dt.timedelta(minutes=b), midnight)}"
        for a, b in ranges
    )


def week(expression: str, today: dt.date) -> list[tuple[dt.date, str, tuple, tuple]]:
    """Seven days from ``today``: (date, "9h–12h30, 14h–17h", open ranges, ranges to confirm); empty without
    valid hours."""
    if parse(expression) is None:
        return []
    days = [today + dt.timedelta(days=offset) for offset in range(7)]
    return [(day, day_text(expression, day), *_day(expression, day)[:2]) for day in days]


def week_lines(expression: str, today: dt.date) -> list[str]:
    """"Aujourd'hui 9h–12h30, 14h–17h", then "mercredi 9h–12h", … (today first)."""
    return [
        f"{'Aujourd’hui' if index == 0 else DAYS[day.weekday()].capitalize()} {text}"
        for index, (day, text, *_) in enumerate(week(expression, today))
    ]


def open_mask(expressions, when: dt.datetime) -> list[bool]:
    """For each expression, whether the place is open at ``when`` (no hours or unknown: False).
    Each distinct expression is evaluated once."""
    states = {expression: state_at(expression, when) for expression in set(expressions)}
    return [states[expression] == "open" for expression in expressions]


def today_line(expression: str, when: dt.datetime, *, walkable: bool = True) -> str:
    """"Ouvert maintenant · aujourd’hui 9h–12h30, 14h–17h", "Fermé maintenant · aujourd’hui fermé",
    "horaires non renseignés" (or "" for what is not a place one walks into)."""
    state = state_at(expression, when)
    if state is None:
        return NO_HOURS if walkable else ""
    return f"{STATE_LABELS[state]} · aujourd’hui {day_text(expression, when.date())}"
