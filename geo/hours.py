"""Opening hours (OpenStreetMap syntax) read the way the reference reads them: ``opening_hours.js`` itself, run
in V8 (``mini-racer``), in the métropole — French public holidays (``PH``), school holidays of zone B (``SH``),
sun times of Marseille, open ends (``19:00+``), fallbacks (``||``), comments. Whether a place is open at a
moment, and its hours day by day in French ("9h–12h30, 14h–17h").

A place without hours is neither open nor closed: ``state_at`` answers ``None`` and lists say « horaires non
renseignés ». What the reference calls unknown (a comment alone, an open end, « sur rendez-vous ») is « à
confirmer », never open nor closed. Every call is bounded; one that fails or takes too long is « à confirmer »
and a log line.
"""

from __future__ import annotations

import atexit
import datetime as dt
import itertools
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from py_mini_racer import JSEvalException, LibNotFoundError, MiniRacer

from geo import logs, settings
from geo.clock import PARIS, now  # noqa: F401 (geo.hours.now: the clock, for the pages)

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NO_HOURS = "horaires non renseignés"
STATE_LABELS = {"open": "Ouvert maintenant", "closed": "Fermé maintenant", "unknown": "Horaires à confirmer"}
VENDOR = Path(__file__).parent / "vendor"
ENGINE_FILES = ("suncalc.js", "opening_hours.js", "evaluate.js")  # in this order: each needs the one before
CALL_SECONDS = 2.0
WAIT_SECONDS = 5.0  # a call waits behind others at most this long (TimeoutError: « à confirmer », a log line)
# The reference's note on an open end (« 19:00+ »), in French: « Indiqué comme "open end" (fin ouverte)… ».
OPEN_END = '"open end"'
LOG = logs.get("horaires")
# What the engine raises: a JS exception, a timeout or out of memory (JSEvalException), a library it cannot load.
ENGINE_ERRORS = (JSEvalException, LibNotFoundError, OSError)
_caller = ThreadPoolExecutor(max_workers=1, thread_name_prefix="horaires")
_failed_calls = [0]  # how many calls failed since the process started (see ``failures``)


def failures() -> int:
    """How many engine calls have failed or timed out so far: what a caller that keeps an answer built from
    hours compares before and after, so as not to keep « à confirmer » that only a failure wrote."""
    return _failed_calls[0]


def _failed(expression: str, error: BaseException) -> None:
    _failed_calls[0] += 1
    LOG.error("horaires « %s » non évalués : %s", expression[:80], error.__class__.__name__)


class Reading(NamedTuple):
    """What the reference makes of an expression: whether it reads it, its error, its warnings (in French, the
    remark without the expression they point into) and the expression as it would write it."""

    ok: bool
    error: str = ""
    warnings: tuple[str, ...] = ()
    pretty: str = ""
    evaluated: bool = True  # False: the engine failed or took too long (not kept: the next call tries again)


@lru_cache(maxsize=1)
def _engine():
    settings.use_paris_local_time()  # before V8 starts: it reads its time zone once
    engine = MiniRacer()
    for name in ENGINE_FILES:
        engine.eval((VENDOR / name).read_text(encoding="utf-8"))
    return engine


@atexit.register
def close() -> None:
    """Stop the engine, and the thread mini-racer runs it from, while the process can still wait for that
    thread. Left to the collector at exit, mini-racer joins its thread once the interpreter has stopped running
    threads, and the process never ends (1 exit in 14 under load: a server test waited forever)."""
    if _engine.cache_info().currsize:
        _engine().close()
        _engine.cache_clear()


def _call(function: str, *args):
    """One call of the engine, bounded by CALL_SECONDS. The engine is created and called from a thread of our
    own, where no asyncio loop runs: created where one runs (a server's, Playwright's) mini-racer would bind to
    that loop, and could neither bound a call nor answer one made while that loop waits."""
    return _caller.submit(_bounded_call, function, *args).result(timeout=WAIT_SECONDS)


def _bounded_call(function: str, *args):
    return _engine().call(function, *args, timeout_sec=CALL_SECONDS)


def read(expression: str) -> Reading:
    """The reference's verdict on ``expression`` (an empty one is not read)."""
    if not (expression or "").strip():
        return Reading(False, "horaires vides")
    try:
        return _read(expression)
    except ENGINE_ERRORS as error:
        _failed(expression, error)
        return Reading(False, "horaires non évalués (délai dépassé)", evaluated=False)


@lru_cache(maxsize=4096)
def _read(expression: str) -> Reading:
    answer = _call("carteRead", expression)
    if not answer["ok"]:
        return Reading(False, _first_line(answer["error"]))
    return Reading(True, "", tuple(_remark(w) for w in answer["warnings"]), answer.get("pretty") or "")


def _first_line(message) -> str:
    return str(message).strip().splitlines()[0] if str(message).strip() else ""


def _remark(warning) -> str:
    """« Lundi <--- (Veuillez utiliser l'abréviation anglaise "Mo" pour "lundi".) » → the remark alone."""
    line = _first_line(warning)
    _, marker, remark = line.partition(" <--- (")
    return remark.removesuffix(")").strip() if marker else line


def valid(expression: str) -> bool:
    """Whether the reference reads ``expression``."""
    return read(expression).ok


def _moment(fields) -> dt.datetime:
    """The instant (UTC) of Paris wall-clock fields; one in the hour clocks skip is read with the offset before
    the change, so a range inside that hour has no length. Instants, not wall clocks: Python subtracts two
    times of one zone by their clocks."""
    year, month, day, hour, minute = fields
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(dt.UTC)


def _days(expression: str, first: dt.date, count: int) -> tuple[tuple[tuple, tuple, tuple[str, ...]], ...]:
    """``_evaluated_days``, or every day « à confirmer » when the reader failed or took too long (said in the
    log, tried again at the next call)."""
    reading = read(expression)
    if not reading.ok:
        return tuple(((), ((0, 1440),) if not reading.evaluated else (), ()) for _ in range(count))
    try:
        return _evaluated_days(expression, first, count)
    except ENGINE_ERRORS as error:
        _failed(expression, error)
        return tuple(((), ((0, 1440),), ()) for _ in range(count))


@lru_cache(maxsize=16384)
def _evaluated_days(expression: str, first: dt.date, count: int) -> tuple[tuple[tuple, tuple, tuple[str, ...]], ...]:
    """For each of ``count`` days from ``first``: (open ranges, ranges whose state is unknown, the comments of
    those), as (start, end) minutes after midnight on Paris clocks (end may be 1440); a range that falls in the
    hour skipped when clocks go forward is no range at all."""
    starts = [_moment((*(first + dt.timedelta(days=n)).timetuple()[:3], 0, 0)) for n in range(count + 1)]
    intervals = _call("carteIntervals", expression, first.year, first.month, first.day, count)
    days = []
    for start, end in itertools.pairwise(starts):
        opened: list[tuple[int, int]] = []
        unknown: list[tuple[int, int]] = []
        comments: list[str] = []
        for begin_fields, finish_fields, doubt, comment in intervals:
            low, high = max(_moment(begin_fields), start), min(_moment(finish_fields), end)
            span = (_clock_minutes(low, start), _clock_minutes(high, start))
            if high > low:  # "Su 02:00-03:00" the night clocks go forward: that hour does not exist
                (unknown if doubt else opened).append(span)
                if doubt and comment and comment not in comments:
                    comments.append(comment)
        days.append((tuple(opened), tuple(unknown), tuple(comments)))
    return tuple(days)


def _clock_minutes(moment: dt.datetime, day_start: dt.datetime) -> int:
    """Minutes after midnight on Paris clocks (1440 for the next midnight)."""
    clock, day = moment.astimezone(PARIS), day_start.astimezone(PARIS).date()
    return clock.hour * 60 + clock.minute if clock.date() == day else 1440


def _day(expression: str, day: dt.date) -> tuple[tuple, tuple, tuple[str, ...]]:
    return _days(expression, day, 1)[0]


def state_at(expression: str, when: dt.datetime) -> str | None:
    """"open", "closed" or "unknown" at ``when`` (a naive time is taken as Paris time); None without hours."""
    reading = read(expression)
    if not reading.ok:
        return None if reading.evaluated else "unknown"
    when = (when if when.tzinfo else when.replace(tzinfo=PARIS)).astimezone(PARIS)
    try:
        return _state(expression, when.year, when.month, when.day, when.hour, when.minute)
    except ENGINE_ERRORS as error:  # not cached: the next call tries again
        _failed(expression, error)
        return "unknown"


@lru_cache(maxsize=16384)
def _state(expression: str, *fields: int) -> str:
    return _call("carteState", expression, *fields)


def day_ranges(expression: str, day: dt.date) -> tuple[tuple[int, int], ...]:
    """The open ranges of ``day`` (see ``_days``)."""
    return _day(expression, day)[0]


def _doubt(unknown: tuple, comments: tuple[str, ...]) -> str:
    """« à partir de 19h, fermeture non précisée » for an open end (« jusqu'à 5h environ, suite de la veille »
    for its night); else « à confirmer (sur rendez-vous) »."""
    said = [comment for comment in comments if OPEN_END not in comment]
    if len(said) < len(comments) and not said:
        return ", ".join(f"jusqu'à {_clock(end)} environ, suite de la veille" if start == 0
                         else f"à partir de {_clock(start)}, fermeture non précisée" for start, end in unknown)
    return "à confirmer" + (f" ({' ; '.join(said)})" if said else "")


def day_text(expression: str, day: dt.date) -> str:
    """"9h–12h30, 14h–17h", "fermé", or for hours a page gave without clock times "à confirmer (midi et
    soir)" — never "fermé" for what is not known."""
    return _text(*_day(expression, day))


def _clock(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def format_ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    """"9h–12h30, 14h–17h", "24h/24" or "fermé"."""
    if not ranges:
        return "fermé"
    if ranges == ((0, 1440),):
        return "24h/24"
    return ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in ranges)


def week(expression: str, today: dt.date, count: int = 7) -> list[tuple[dt.date, str, tuple, tuple]]:
    """``count`` days from ``today`` (a week unless told): (date, "9h–12h30, 14h–17h", open ranges, ranges to
    confirm); empty without valid hours."""
    reading = read(expression)
    if not reading.ok and reading.evaluated:
        return []
    days = _days(expression, today, count)
    return [(today + dt.timedelta(days=n), _text(*days[n]), *days[n][:2]) for n in range(count)]


def _text(opened: tuple, unknown: tuple, comments: tuple[str, ...]) -> str:
    if not unknown:
        return format_ranges(opened)
    doubt = _doubt(unknown, comments)
    return f"{format_ranges(opened)}, {doubt}" if opened else doubt


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
