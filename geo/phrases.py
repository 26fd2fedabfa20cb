"""The French phrases said about an entry (its status, its opening, a date as precise as its source), apart from
the selection that computes them once per layer."""

from __future__ import annotations

_STATUS_VERBS = {"ended": "Terminé", "changed": "A changé"}


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")



def french_date(date: str) -> str:
    """"18 juin 2024", "juin 2024", "2024" from a date as precise as its source (AAAA[-MM[-JJ]])."""
    parts = date.split("-")
    if len(parts) == 3:
        day = int(parts[2])
        return f"{'1er' if day == 1 else day} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return date



def status_text(status: str, date: str) -> str:
    """"Terminé en 2020", "A changé le 8 octobre 2020", "Terminé" (no date), "À vérifier (page du 28 mars
    2025)", or "" when active."""
    if status == "watch":
        return f"À vérifier (page {'du' if len(date) == 10 else 'de'} {french_date(date)})" if date else "À vérifier"
    verb = _STATUS_VERBS.get(status)
    if not verb:
        return ""
    if not date:
        return verb
    return f"{verb} {'le' if len(date) == 10 else 'en'} {french_date(date)}"



def opened_text(date: str) -> str:
    """"Ouvert le 18 juin 2024", "Ouvert en 2017", or ""."""
    return f"Ouvert {'le' if len(date) == 10 else 'en'} {french_date(date)}" if date else ""
