"""The app's pages, one line each: where its file is, its title and icon, and what it needs from the app —
the sidebar filters (drawn by the app, so that they keep their values from one filtering page to the next) or a
signed-in member of staff (signed out, such a page is not even registered). A new page is a file in app_pages/
and a line here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    filters: bool = False  # the sidebar filters apply to it
    staff: bool = False  # listed under « Équipe »
    signed_in: bool = False  # registered only for signed-in staff
    default: bool = False


PAGES = (
    PageSpec("app_pages/carte.py", "Carte", ":material/map:", filters=True, default=True),
    PageSpec("app_pages/autour_de_moi.py", "Autour de moi", ":material/near_me:"),
    PageSpec("app_pages/territoire.py", "Territoire", ":material/insights:", filters=True),
    PageSpec("app_pages/donnees.py", "Données", ":material/table:", filters=True),
    PageSpec("app_pages/accessibilite.py", "Accessibilité", ":material/accessibility_new:"),
    PageSpec("app_pages/equipe.py", "Espace équipe", ":material/lock:", staff=True),
    PageSpec("app_pages/contribuer.py", "Contribuer", ":material/edit_note:", staff=True, signed_in=True),
)
SECTIONS = {False: "Carte des Possibles", True: "Équipe"}  # by PageSpec.staff
