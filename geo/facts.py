"""Practical facts read from public pages (``data/practical_facts.csv``): opening hours, price, how to get in,
accessibility, website, status notes — each with its page's own words, address, date and a confidence. Several
pages may speak of one field of one entry: the most recent dated page wins (an undated page comes after every
dated one; then the higher confidence; then the file's order), the others stay in the file as history, nothing
is averaged. Access conditions add up rather than compete (booking, identity check…): all are kept, best first.

``apply`` writes the chosen facts into catalogue rows (``python -m geo facts`` does it for
``data/initiatives.csv``), each field with its ``*_source`` (« https://… (2024-01) »)."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from geo.catalogue import PARTIAL_DATE, Problem
from geo.phrases import french_date

FACTS_FILE = "practical_facts.csv"
FIELDS = ("opening_hours", "price", "access", "accessibility", "website", "status_note")
CONFIDENCES = ("high", "medium", "low")
UNDATED = "undated"
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
# Catalogue field ← fact field, and the catalogue field that cites it.
WRITTEN = {"opening_hours": ("opening_hours", "hours_source"), "price": ("price", "price_source"),
           "access": ("access", "access_source"), "accessibility": ("accessibility", "accessibility_source"),
           "website": ("website", "website_source")}


@dataclass(frozen=True)
class Fact:
    id: str
    field: str
    value: str
    quote: str
    url: str
    page_date: str  # YYYY, YYYY-MM, YYYY-MM-DD or "undated"
    confidence: str
    note: str = ""
    line: int = 0

    @property
    def cited(self) -> str:
        """How a catalogue field cites it: « https://… (2024-01-16) » or « https://… (non daté) »."""
        return f"{self.url} ({self.page_date if self.page_date != UNDATED else 'non daté'})"

    def rank(self) -> tuple:
        """Sort key, best first: dated before undated, the most recent page, the higher confidence."""
        dated = self.page_date != UNDATED
        return (not dated, _descending(self.page_date) if dated else "", CONFIDENCES.index(self.confidence),
                self.line)


def _descending(date: str) -> str:
    """A key that sorts dates newest first ("2024-01-16" before "2024-01" before "2023-09")."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date) + "\U0010ffff"


def read_facts(text: str) -> tuple[list[Fact], list[Problem]]:
    """The facts of a ``practical_facts.csv`` text, and the rows refused (line, field, why)."""
    facts, problems = [], []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for line, row in enumerate(reader, start=2):
        values = {key: (row.get(key) or "").strip() for key in Fact.__dataclass_fields__ if key != "line"}
        wrong = _problem(values)
        if wrong:
            problems.append(Problem(line, wrong[0], wrong[1]))
            continue
        facts.append(Fact(**values, line=line))
    return facts, problems


def _problem(values: dict[str, str]) -> tuple[str, str] | None:
    from geo import hours

    if not values["id"]:
        return "id", "identifiant manquant"
    if values["field"] not in FIELDS:
        return "field", f"champ inconnu « {values['field']} » ({', '.join(FIELDS)})"
    if not values["value"]:
        return "value", "valeur manquante"
    if not re.match(r"^https?://\S+$", values["url"]):
        return "url", "la page citée doit être une adresse http(s)"
    if values["page_date"] != UNDATED and not PARTIAL_DATE.match(values["page_date"]):
        return "page_date", f"« {values['page_date']} » n'est pas une date AAAA, AAAA-MM, AAAA-MM-JJ ni « undated »"
    if values["confidence"] not in CONFIDENCES:
        return "confidence", f"confiance inconnue « {values['confidence']} » ({', '.join(CONFIDENCES)})"
    if values["field"] == "opening_hours" and not hours.valid(values["value"]):
        return "value", f"« {values['value']} » n'est pas au format OpenStreetMap"
    return None


def read_facts_file(folder: Path) -> tuple[list[Fact], list[Problem]]:
    path = Path(folder) / FACTS_FILE
    return read_facts(path.read_text(encoding="utf-8")) if path.exists() else ([], [])


def by_entry(facts: list[Fact]) -> dict[str, dict[str, list[Fact]]]:
    """Each entry's facts per field, best first."""
    grouped: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in facts:
        grouped[fact.id][fact.field].append(fact)
    return {key: {field: sorted(items, key=Fact.rank) for field, items in fields.items()}
            for key, fields in grouped.items()}


def website(value: str) -> str:
    """A site a page names, as an address ("www.x.fr (réservation en ligne)" → "https://www.x.fr"); '' for
    what is not a site (an e-mail, a phone number)."""
    domain = value.split(" ", 1)[0].strip().lower().rstrip("/")
    return f"https://{domain}" if _DOMAIN.match(domain) else ""


def apply(values: dict[str, str], facts: dict[str, list[Fact]]) -> dict[str, str]:
    """A catalogue row with the chosen facts of its entry written in, each with its source; a field no page
    speaks of is left as it is."""
    values = dict(values)
    for field, (column, source) in WRITTEN.items():
        chosen = facts.get(field, [])
        if field == "website":
            chosen = [fact for fact in chosen if website(fact.value)][:1]
            if chosen:
                values[column], values[source] = website(chosen[0].value), chosen[0].cited
            continue
        if field != "access":
            chosen = chosen[:1]
        if chosen:
            values[column] = " ; ".join(fact.value for fact in chosen)
            values[source] = " ; ".join(fact.cited for fact in chosen)
    return values


def site_name(url: str) -> str:
    """« destimed.fr » from a page's address."""
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


_CITED = re.compile(r"^(https?://\S+)(?: \(([^)]*)\))?$")


def citations(text: str) -> list[list[str]]:
    """A ``*_source`` field as [site, address, « mai 2022 » or « non daté »] per page cited; a source typed
    by staff that is not an address stays as it is (["the text", "", ""])."""

    cited = []
    for part in (p.strip() for p in (text or "").split(" ; ")):
        if not part:
            continue
        match = _CITED.match(part)
        if not match:
            cited.append([part, "", ""])
            continue
        url, date = match.group(1), match.group(2) or ""
        cited.append([site_name(url), url, french_date(date) if PARTIAL_DATE.match(date) else date])
    return cited


def newest_date(*sources: str) -> str:
    """The most recent page date (AAAA[-MM[-JJ]]) among ``*_source`` texts, '' when none is dated."""
    dates = [match.group(1) for text in sources for match in re.finditer(r"\((\d{4}(?:-\d{2}(?:-\d{2})?)?)\)",
                                                                         text or "")]
    return max(dates, default="")


def freshness_text(date: str, cited: bool) -> str:
    """« Informations pratiques d'après une page de janvier 2024 », « … des pages non datées », or ''."""

    if date:
        return f"Informations pratiques d'après une page {'du' if len(date) == 10 else 'de'} {french_date(date)}"
    return "Informations pratiques d'après des pages non datées" if cited else ""
