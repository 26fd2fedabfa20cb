"""Opening hours with fixed clocks (Europe/Paris, French public holidays) and the "Ouvert maintenant" filter."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from geo.hours import NO_HOURS, PARIS, format_ranges, state_at, today_line, week_lines
from geo.layer import read_layer
from geo.selection import Filters, prepare, select
from tests.conftest import DATA, REPO_DIR

OFFICE = "Mo-Fr 09:00-12:30,14:00-17:00; PH off"
TUESDAY_10H = dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
SUNDAY_10H = dt.datetime(2026, 11, 29, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize(("expression", "when", "expected"), [
    (OFFICE, TUESDAY_10H, "open"),  # a weekday morning
    (OFFICE, dt.datetime(2026, 11, 24, 13, 0, tzinfo=PARIS), "closed"),  # lunch break
    (OFFICE, SUNDAY_10H, "closed"),  # a Sunday
    (OFFICE, dt.datetime(2026, 11, 11, 10, 0, tzinfo=PARIS), "closed"),  # 11 novembre, a Wednesday: PH
    (OFFICE, dt.datetime(2026, 7, 14, 10, 0, tzinfo=PARIS), "closed"),  # 14 juillet, a Tuesday: PH
    (OFFICE, dt.datetime(2026, 11, 12, 10, 0, tzinfo=PARIS), "open"),  # the day after
    ("Fr-Sa 22:00-02:00", dt.datetime(2026, 11, 28, 1, 0, tzinfo=PARIS), "open"),  # across midnight
    ("Fr-Sa 22:00-02:00", dt.datetime(2026, 11, 28, 3, 0, tzinfo=PARIS), "closed"),
    (OFFICE, dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC), "open"),  # 10:30 in Paris
    (OFFICE, dt.datetime(2026, 11, 24, 7, 30, tzinfo=dt.UTC), "closed"),  # 8:30 in Paris
    ("Mo-Fr 09:00-17:00 unknown", TUESDAY_10H, "unknown"),
])
def test_state_at_a_fixed_clock(expression, when, expected):
    assert state_at(expression, when) == expected


def test_no_hours_is_neither_open_nor_closed():
    assert state_at("", TUESDAY_10H) is None and state_at("n'importe quoi", TUESDAY_10H) is None
    assert today_line("", TUESDAY_10H) == NO_HOURS
    assert today_line("", TUESDAY_10H, walkable=False) == ""


def test_hours_read_in_french_today_first():
    assert today_line(OFFICE, TUESDAY_10H) == "Ouvert maintenant · aujourd’hui 9h–12h30, 14h–17h"
    assert today_line(OFFICE, SUNDAY_10H) == "Fermé maintenant · aujourd’hui fermé"
    lines = week_lines(OFFICE, TUESDAY_10H.date())
    assert lines[0] == "Aujourd’hui 9h–12h30, 14h–17h" and lines[1] == "Mercredi 9h–12h30, 14h–17h"
    assert lines[5] == "Dimanche fermé" and len(lines) == 7
    assert format_ranges(((0, 1440),)) == "24h/24"


@pytest.fixture(scope="module")
def everything():
    layers = [read_layer(DATA / "initiatives.geojson"), read_layer(DATA / "sources" / "mediation_numerique.geojson")]
    return prepare(pd.concat(layers, ignore_index=True))


def test_open_now_keeps_only_places_open_at_that_moment(everything):
    with_hours = everything[everything["opening_hours"] != ""]
    tuesday = select(everything, Filters(open_at=TUESDAY_10H))
    sunday = select(everything, Filters(open_at=SUNDAY_10H))
    assert len(with_hours) >= 100
    assert len(sunday) < len(tuesday) < len(with_hours)
    assert all(state_at(h, TUESDAY_10H) == "open" for h in tuesday["opening_hours"])
    closed = with_hours[~with_hours["id"].isin(tuesday["id"])]
    assert all(state_at(h, TUESDAY_10H) != "open" for h in closed["opening_hours"])
    assert not (tuesday["opening_hours"] == "").any()  # no hours: never "open now"


def test_a_fixed_clock_that_is_no_time_falls_back_to_the_real_one_and_says_so(monkeypatch):
    import datetime as dt
    import logging

    from geo import clock

    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    clock.LOG.addHandler(handler)  # the app's logging may not propagate to pytest's capture
    clock._said_once.cache_clear()
    try:
        monkeypatch.setenv("CARTE_NOW", "mardi midi")
        before = dt.datetime.now(clock.PARIS)
        assert before <= clock.now() <= dt.datetime.now(clock.PARIS)  # the real clock, not an error on every page
    finally:
        clock.LOG.removeHandler(handler)
    assert any("CARTE_NOW illisible" in message for message in said)


def test_a_fixed_clock_in_the_night_clocks_go_forward_is_read_on_the_other_side(monkeypatch):
    from geo.hours import now

    monkeypatch.setenv("CARTE_NOW", "2026-03-29T02:30")  # 02:00 → 03:00 in Paris: 02:30 does not exist
    moment = now()
    assert (moment.hour, moment.minute, moment.utcoffset().total_seconds()) == (3, 30, 7200)


def test_hours_in_the_hour_clocks_skip_are_no_range_and_the_hour_they_repeat_reads_as_written():
    from geo.hours import day_ranges, format_ranges, today_line

    spring, autumn = dt.date(2026, 3, 29), dt.date(2026, 10, 25)  # Sundays: 02:00 → 03:00, then 03:00 → 02:00
    assert day_ranges("Su 02:00-03:00", spring) == () and format_ranges(day_ranges("Su 02:00-03:00", spring)) == "fermé"
    assert format_ranges(day_ranges("Su 01:00-04:00", spring)) == "1h–4h"  # before: « 3h–3h » for the first
    assert format_ranges(day_ranges("Su 02:00-03:00", autumn)) == "2h–3h"
    line = today_line("Su 02:00-03:00", dt.datetime(2026, 3, 29, 12, 0, tzinfo=PARIS))
    assert "3h–3h" not in line and line.endswith("aujourd’hui fermé")


def test_hours_a_page_gave_without_clock_times_are_to_confirm_never_closed():
    from geo.hours import state_at, today_line, week_lines

    expression = 'Mo-Su unknown "midi et soir ; heures précises non publiées"'  # Le République, May 2022
    tuesday_noon = dt.datetime(2026, 12, 1, 12, 30, tzinfo=PARIS)
    assert state_at(expression, tuesday_noon) == "unknown"
    assert today_line(expression, tuesday_noon) == (
        "Horaires à confirmer · aujourd’hui à confirmer (midi et soir ; heures précises non publiées)")
    assert all("fermé" not in line for line in week_lines(expression, tuesday_noon.date()))
    mixed = 'Mo-Fr 12:00-14:00; Sa unknown "le soir"'
    assert week_lines(mixed, dt.date(2026, 12, 5))[0] == "Aujourd’hui à confirmer (le soir)"


def test_every_date_the_app_records_follows_the_one_clock(monkeypatch, territory):
    """With CARTE_NOW set, an import's default source, a position's date and the year check all read it
    (before: eight calls to date.today() ignored it, a fixed-clock demo showed today beside a fixed « now »)."""
    from geo import clock
    from geo.catalogue import COLUMNS, Row, validate_row
    from geo.importer import default_source
    from geo.position import today

    monkeypatch.setenv("CARTE_NOW", "2031-06-15T10:00")
    assert clock.today() == dt.date(2031, 6, 15) and clock.utc_now().hour == 8
    assert default_source("f.csv") == "Import de l'équipe du 15/06/2031 — f.csv" and today() == "2031-06-15"
    row = {column: "" for column in COLUMNS} | {"id": "x", "name": "X", "category": "association",
                                                "themes": "inclusion", "description": "d", "commune": "Marseille",
                                                "year": "2032", "source": "s"}
    assert validate_row(Row(2, row), territory) == []  # next year, by the fixed clock


CHRISTMAS_WEEK = dt.date(2026, 12, 21)  # a Monday: 25 December a public holiday, zone B on school holidays


@pytest.mark.parametrize(("expression", "day", "expected"), [
    ('"sur rendez-vous"', CHRISTMAS_WEEK, "à confirmer (sur rendez-vous)"),  # was « 24h/24 »
    ("Tu-Sa 19:00+", dt.date(2026, 12, 22), "à partir de 19h, fermeture non précisée"),  # was « 19h–24h »
    ("Mo, Tu 09:00-12:00", dt.date(2026, 12, 8), "9h–12h"),
    ("Mo, Tu 09:00-12:00", dt.date(2026, 12, 9), "fermé"),
    ("Mo-Fr 09:00-12:00; SH off", dt.date(2026, 12, 22), "fermé"),  # school holidays: closed (was open)
    ("Mo-Fr 09:00-12:00; SH off", dt.date(2026, 12, 8), "9h–12h"),
    ("Mo-Fr 08:30-12:00 || \"sur rendez-vous\"", dt.date(2026, 12, 12), "à confirmer (sur rendez-vous)"),
    ("Mo-Su sunrise-sunset", dt.date(2026, 12, 7), "7h56–17h02"),  # Marseille's sun, not 7h–19h
    ("Mo-Fr 12:00-14:00; PH off", dt.date(2026, 12, 25), "fermé"),
])
def test_hours_the_previous_reader_got_wrong_are_read_as_the_reference_reads_them(expression, day, expected):
    from geo.hours import day_text

    assert day_text(expression, day) == expected


def test_an_ambiguous_expression_is_refused_with_the_form_to_write():
    from geo.catalogue import Row, validate_row
    from geo.territory import load_territory
    from tests.conftest import initiative

    problems = validate_row(Row(2, initiative(opening_hours="Lundi 9h-12h")), load_territory(DATA))
    assert [p.field for p in problems] == ["opening_hours"]
    assert "écrivez « Mo 09:00-12:00 »" in problems[0].message and "abréviation anglaise" in problems[0].message
    wrong = validate_row(Row(2, initiative(opening_hours="Mo-Fr 25:00")), load_territory(DATA))
    assert "n'est pas au format OpenStreetMap" in wrong[0].message and "Tiret" in wrong[0].message
    assert validate_row(Row(2, initiative(opening_hours='Mo-Fr 09:00-12:00; "sur rendez-vous"')),
                        load_territory(DATA)) == []


def test_a_reader_that_does_not_answer_in_time_says_to_confirm_and_is_asked_again(monkeypatch, caplog):
    import logging

    from geo import hours

    slow, day = "Mo-Su 10:00-11:07", dt.date(2031, 1, 6)  # asked by no other test: nothing cached
    assert hours.valid(slow)  # read in time; its week and its state are not
    monkeypatch.setattr(hours, "CALL_SECONDS", 0.000001)
    monkeypatch.setattr(logging.getLogger("carte"), "propagate", True)  # the app's own handler stops it otherwise
    with caplog.at_level(logging.ERROR, logger="carte"):
        assert hours.day_text(slow, day) == "à confirmer"
        assert hours.state_at(slow, dt.datetime(2031, 1, 6, 10, 30, tzinfo=PARIS)) == "unknown"
    assert "non évalués" in caplog.text
    monkeypatch.setattr(hours, "CALL_SECONDS", 2.0)  # the reader answers again: nothing of the failure was kept
    assert hours.day_text(slow, day) == "10h–11h07"
    assert hours.state_at(slow, dt.datetime(2031, 1, 6, 10, 30, tzinfo=PARIS)) == "open"


def test_a_process_that_read_hours_closes_the_engine_before_the_interpreter_stops_its_threads():
    """mini-racer's own clean-up, left to the collector, joins a thread the ending interpreter no longer runs:
    the process then never exits (seen in one server start out of 14 under load). The engine is closed by an
    exit handler, while threads still run: the check below is registered first, so it runs after it."""
    script = (
        "import atexit, threading\n"
        "def check():\n"
        "    from geo import hours\n"
        "    alive = [t.name for t in threading.enumerate() if t is not threading.main_thread()]\n"
        "    print('engine', hours._engine.cache_info().currsize, 'threads', alive)\n"
        "atexit.register(check)\n"
        "from geo import hours\n"
        "assert hours.read('Mo 09:00-12:00').ok\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO_DIR)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "engine 0 threads []"
