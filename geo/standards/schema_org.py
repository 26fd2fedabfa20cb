"""One initiative as schema.org JSON-LD, for the page a ``?fiche=`` link opens: what search engines read of a
place (name, address, position, website, hours).

Hours are given as the seven days from the day the page is drawn, each with its dates (``validFrom`` /
``validThrough``): a holiday in that week is closed that day, and a day whose hours a source left to confirm
is not given — never a week we do not know."""

from __future__ import annotations

import datetime as dt
import json

from geo import hours
from geo.standards import coordinates, text
from geo.vocabulary import NOT_PLACES

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TYPES = {"restaurant-solidaire": "Restaurant"}


def place(row: dict, today: dt.date) -> dict:
    """The JSON-LD object of one row of the layer table."""
    kind = "Organization" if row["category"] in NOT_PLACES else TYPES.get(row["category"], "Place")
    data: dict = {"@context": "https://schema.org", "@type": kind, "name": row["name"], "identifier": row["id"]}
    for key, value in (("description", text(row.get("description"))), ("url", text(row.get("website")))):
        if value:
            data[key] = value
    address = {key: value for key, value in (
        ("streetAddress", text(row.get("address"))), ("postalCode", text(row.get("postcode"))),
        ("addressLocality", text(row.get("commune")))) if value}
    if address:
        data["address"] = {"@type": "PostalAddress", **address, "addressCountry": "FR"}
    if kind != "Organization" and (where := coordinates(row)):
        data["geo"] = {"@type": "GeoCoordinates", **where}
    specifications = opening_hours(text(row.get("opening_hours")) or "", today)
    if specifications:
        data["openingHoursSpecification"] = specifications
    return data


def opening_hours(expression: str, today: dt.date) -> list[dict]:
    """One specification per open range of the seven days from ``today`` (none for a day to confirm)."""
    specifications = []
    for day, _, opened, unknown in hours.week(expression, today):
        if unknown:
            continue
        for start, end in opened:
            specifications.append({
                "@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{DAYS[day.weekday()]}",
                "opens": _time(start), "closes": _time(min(end, 1439)),
                "validFrom": day.isoformat(), "validThrough": day.isoformat()})
    return specifications


def _time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def script(data: dict) -> str:
    """The ``<script type="application/ld+json">`` element; no ``<`` inside, so no text can close it."""
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{payload}</script>'
