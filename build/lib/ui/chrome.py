"""What Streamlit's own chrome cannot be told through its options: French texts, ``lang="fr"``, each page's title,
visible focus and readable contrast, names for the controls it leaves unnamed, and browser Back and Forward
that return to what was on screen. ``ui/static/page.js`` applies them in the app's page; ``page.css`` styles it."""

from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

from geo.webmap.markers import to_js

SITE = "Carte des Possibles"

# Streamlit's own chrome that no option sets (its dialogs, the table and chart toolbars, widget buttons): French,
# exact texts, then whole messages by pattern. page.js applies them to text, aria-label, title and placeholder.
CHROME_FR = {
    "Page not found": "Page introuvable",
    "Connection error": "Connexion au serveur perdue",
    "Streamlit server is not responding. Are you connected to the internet?":
        "Le serveur de la carte ne répond pas. Êtes-vous connecté·e à Internet ?",
    "streamlit run yourscript.py": "",
    "Skip to main content": "Aller au contenu",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Select all": "Tout sélectionner",
    "Clear all": "Tout effacer",
    "Clear selection": "Effacer la sélection",
    "Close": "Fermer",
    "No results": "Aucun résultat",
    "Open": "Ouvrir la liste",
    "Upload": "Choisir un fichier",
    "file upload": "Choisir un fichier à importer",
    "Link to heading": "Lien vers ce titre",
    "Browse files": "Parcourir",
    "Drag and drop file here": "Glissez-déposez un fichier ici",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Ouvrir le menu",
    "Show password text": "Afficher le mot de passe",
    "Hide password text": "Masquer le mot de passe",
    "Running...": "Calcul en cours…",
}
CHROME_FR_PATTERNS = (
    (r"^You have requested page (/\S*), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.$",
     "La page $1 n'existe pas, ou n'est ouverte qu'à l'équipe connectée : voici la page d'accueil."),
    (r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "Cette page n'existe pas : voici la page d'accueil."),
    (r"^Is Streamlit still running\?.*$",
     "Le serveur de la carte ne répond plus. La page se reconnectera d'elle-même dès son retour ; sinon, "
     "rechargez-la dans un instant."),
    (r"^This app has encountered an error\. The original error message is redacted.*$",
     "Cette page a rencontré une erreur. Son détail n'est pas montré ici : il est inscrit dans le journal du "
     "serveur, dont l'équipe technique prend connaissance. Rechargez la page dans un instant."),
    (r"^Help for (.+)$", "Aide : $1"),
    (r"^(.+) — start$", "$1 — début"),
    (r"^(.+) — end$", "$1 — fin"),
    (r"^Remove (.+)$", "Retirer $1"),
    (r"^(\d+(?:[.,]\d+)?)\s?MB per file$", "$1 Mo par fichier"),
    (r"^(\d+(?:[.,]\d+)?)\s?KB per file$", "$1 ko par fichier"),
)
_STATIC = Path(__file__).parent / "static"
_CHROME = {"exact": CHROME_FR, "patterns": [list(pattern) for pattern in CHROME_FR_PATTERNS]}
# Built once at import: the script runs in the app's own page (st.html, no frame of its own, no Tab stop).
# DOMPurify drops a script whose text holds "<" before a letter or "/" (its mXSS guard): page.js has none.
_PAGE_JS = (_STATIC / "page.js").read_text(encoding="utf-8")
_SCRIPT = "<script>var CARTE_CHROME = " + to_js(_CHROME) + ";\n" + _PAGE_JS + "</script>"
_STYLE = "<style>" + (_STATIC / "page.css").read_text(encoding="utf-8") + "</style>"


def page_title(page: str) -> str:
    """The browser tab's title of a page: its own name first, then the site's."""
    return f"{page} · {SITE} · ESS Aix-Marseille-Provence"


def french_chrome(page: str) -> None:
    """The chrome of every page: its own title, Streamlit's chrome in French as far as the app can reach
    (lang="fr", its dialogs, toolbars and widget buttons), visible focus, and Back/Forward (ui/static/page.js)."""
    st.set_page_config(page_title=page_title(page))
    st.html(_STYLE)
    st.html(_SCRIPT, unsafe_allow_javascript=True)


def announce(text: str) -> None:
    """Say ``text`` to screen readers when it changes (a count of results): page.js copies it into one polite
    live region that lives as long as the page, so that it is heard even though Streamlit redraws the element.
    Word it apart from the visible line it repeats, so that one is never mistaken for the other."""
    st.html(f'<div data-annonce="{html.escape(text, quote=True)}" hidden></div>')
