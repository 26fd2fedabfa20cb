"""Page chrome shared by the pages: presentation mode, category counts, safe display of user text."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.vocabulary import CATEGORIES
from geo.webmap.icons import data_uri
from geo.webmap.markers import to_js

PRESENTATION = "presentation"  # query parameter: ?presentation=1 is part of the permalink
_PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: .5rem 1rem !important; max-width: 100% !important; }
/* Read from the back of a room: figures and the story in large type. */
[data-testid="stMetricLabel"] p, [data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] p,
[data-testid="stMarkdownContainer"] li { font-size: 28px !important; line-height: 1.35 !important; }
[data-testid="stHeading"] h3 { font-size: 40px !important; }
</style>"""


EMBED = "carte_seule"  # ?embed=true&carte_seule=1: the map alone, for a partner's site
_EMBED_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stBottom"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
</style>"""


def embedded() -> bool:
    """Whether the page is embedded on a partner's site as the map alone (``?carte_seule=1``)."""
    if st.query_params.get(EMBED) != "1":
        return False
    st.html(_EMBED_CSS)
    return True


def presenting() -> bool:
    """Whether the page is shown in presentation mode (kept in the URL, so it survives reruns, section
    changes, the tour's steps and a reload)."""
    return st.query_params.get(PRESENTATION) == "1"


def _present(on: bool) -> None:
    if on:
        st.query_params[PRESENTATION] = "1"
    elif PRESENTATION in st.query_params:
        del st.query_params[PRESENTATION]


_FULL_SCREEN = """<button id="plein-ecran" type="button" style="font: 15px system-ui, sans-serif; padding: 6px 14px;
  border: 1px solid #ccc; border-radius: 8px; background: #fff; cursor: pointer">Plein écran</button>
<script>
  // The Fullscreen API on the page itself (the button lives in a small frame of the same origin).
  const page = window.parent.document;
  document.getElementById("plein-ecran").addEventListener("click", () => {
    if (page.fullscreenElement) page.exitFullscreen(); else page.documentElement.requestFullscreen();
  });
</script>"""


def big_figures(figures: dict[str, object]) -> None:
    """Key figures in large type (56 px, labels 28 px) for a projector."""
    cells = "".join(f'<div><div class="carte-figure">{html.escape(str(value))}</div>'
                    f'<div class="carte-figure-label">{html.escape(label)}</div></div>'
                    for label, value in figures.items())
    st.html('<style>.carte-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px}'
            ".carte-figure{font-size:56px;font-weight:700;line-height:1.1}.carte-figure-label{font-size:28px;"
            f'color:#444}}</style><div class="carte-figures" role="list">{cells}</div>')


def full_screen_button() -> None:
    """A real full-screen switch for a projector (the browser's Fullscreen API), beside the exit button."""
    import streamlit.components.v1 as components

    components.html(_FULL_SCREEN, height=44)


def presentation_toggle() -> bool:
    """A "mode présentation" switch (full-width map, no sidebar, large type) and its way back."""
    on = presenting()
    if on:
        st.html(_PRESENTATION_CSS)
        left, right = st.columns([1, 1])
        left.button("Quitter le mode présentation", on_click=_present, args=(False,),
                    icon=":material/close_fullscreen:")
        with right:
            full_screen_button()
    else:
        st.sidebar.button("Mode présentation", on_click=_present, args=(True,), icon=":material/slideshow:",
                          help="Carte en plein écran, sans barre latérale, en grands caractères : pour un "
                               "vidéoprojecteur. Le lien de la page le garde.", width="stretch")
    return on


# Streamlit's own chrome that no option sets (its dialogs, the table and chart toolbars): French, exact texts,
# then whole messages by pattern. The script below applies them in the page as Streamlit draws them.
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
)
_PAGE_SCRIPT = (Path(__file__).parent / "static" / "page.js").read_text(encoding="utf-8")
# A component's frame is replaced as pages change: it only plants the script in the app's page, where it stays.
_PLANT = """<script>
(function () {
  try {
    var page = window.parent.document;
    if (window.parent.carteChrome) { page.documentElement.lang = "fr"; return; }
    var script = page.createElement("script");
    script.textContent = __SCRIPT__;
    page.head.appendChild(script);
  } catch (error) {}
})();
</script>"""
_CHROME = {"exact": CHROME_FR, "patterns": [list(pattern) for pattern in CHROME_FR_PATTERNS]}
_PLANTED = _PLANT.replace("__SCRIPT__", to_js(f"var CARTE_CHROME = {to_js(_CHROME)};\n{_PAGE_SCRIPT}"))  # once
_FRENCH_CHROME_CSS = """<style>
/* Streamlit's own hint under text inputs is English only ("Press Enter to apply"): not shown. */
[data-testid="InputInstructions"] { display: none !important; }
</style>"""


def french_chrome() -> None:
    """Streamlit's chrome in French as far as the app can reach (lang="fr", no English hints, its dialogs and
    toolbars translated), and browser Back and Forward that return to what was on screen (ui/static/page.js)."""
    import streamlit.components.v1 as components

    st.html(_FRENCH_CHROME_CSS)
    components.html(_PLANTED, height=0)


_PHONE_CSS = """<style>
.carte-sous-titre { color: rgba(49, 51, 63, .6); font-size: 14px; margin: 0; }
@media (max-width: 640px) {  /* a phone: the answer first, not a header */
  [data-testid="stMainBlockContainer"], .block-container { padding-top: 2.75rem !important; }
  [data-testid="stHeading"] h1 { font-size: 1.5rem !important; padding: 0 !important; }
  .carte-sous-titre { display: none; }
  .chips { flex-wrap: nowrap !important; overflow-x: auto; padding-bottom: 4px; }
}
</style>"""


def phone_first() -> None:
    """On a phone, the map within the first screen: compact title, no subtitle, category counts in one
    scrolling row."""
    st.html(_PHONE_CSS)


def category_counts(table: pd.DataFrame) -> None:
    """One chip per category present in the selection: its symbol, label and count."""
    counts = table["category"].value_counts()
    chips = "".join(
        f'<span class="chip"><span class="dot" style="background:{CATEGORIES[c].hex}">'
        f'<img src="{data_uri(CATEGORIES[c].icon)}" alt=""></span>{html.escape(CATEGORIES[c].label)} <b>{n}</b>'
        "</span>"
        for c, n in counts.items()
    )
    st.html(
        "<style>.chips{display:flex;flex-wrap:wrap;gap:6px}.chip{display:inline-flex;white-space:nowrap;flex:none;align-items:center;gap:6px;"
        "padding:2px 10px 2px 2px;border-radius:14px;background:#f0f2f6;font-size:14px}.chip .dot{display:"
        "inline-flex;width:22px;height:22px;border-radius:50%;align-items:center;justify-content:center}.chip img"
        "{width:11px;height:11px}</style>"
        f'<div class="chips" aria-label="Nombre d\'initiatives par catégorie">{chips}</div>'
    )


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:="})
# A word joiner (invisible) after "www" and in "://" keeps GitHub-style autolinks from turning text into links.
_AUTOLINK = re.compile(r"(?i)(www)(?=\\\.)|(?<=:)(//)")


def plain(text: str) -> str:
    """Text shown as typed in st.markdown, on one line: never a heading, list, link, image or emphasis.
    Line breaks become spaces (a name followed by "===" would be a heading), markdown syntax is escaped and
    bare web addresses are not made links. Streamlit already escapes raw HTML in markdown."""
    escaped = " ".join(str(text).split()).translate(_MARKDOWN)
    return _AUTOLINK.sub(lambda m: (m.group(1) + "\u2060") if m.group(1) else "\u2060" + m.group(2), escaped)
