"""Page chrome shared by the pages: presentation mode, category counts, safe display of user text."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from geo.vocabulary import CATEGORIES
from geo.webmap.icons import data_uri

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


# The Fullscreen API on the page itself: ui/static/page.js answers a click on this button (no frame, no Tab stop
# of its own beyond the button).
_FULL_SCREEN = ('<button id="plein-ecran" type="button" class="carte-plein-ecran" aria-pressed="false">'
                "Plein écran</button>")


def big_figures(figures: dict[str, object]) -> None:
    """Key figures in large type (56 px, labels 28 px) for a projector."""
    cells = "".join(f'<li><div class="carte-figure">{html.escape(str(value))}</div>'
                    f'<div class="carte-figure-label">{html.escape(label)}</div></li>'
                    for label, value in figures.items())
    st.html(f'<ul class="carte-figures" aria-label="Chiffres clés">{cells}</ul>')  # styled by page.css


def full_screen_button() -> None:
    """A real full-screen switch for a projector (the browser's Fullscreen API), beside the exit button."""
    st.html(_FULL_SCREEN)


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


_PHONE_CSS = """<style>
.carte-sous-titre { color: #5c5e66; font-size: 14px; margin: 0; }  /* 6.4:1 on white */
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
        f'<li class="chip"><span class="dot" style="background:{CATEGORIES[c].hex}">'
        f'<img src="{data_uri(CATEGORIES[c].icon)}" alt=""></span>{html.escape(CATEGORIES[c].label)} <b>{n}</b>'
        "</li>"
        for c, n in counts.items()
    )
    # A list (styled by ui/static/page.css), focusable: on a phone the row scrolls sideways, and a keyboard must
    # be able to scroll it too.
    st.html(f'<ul class="chips" tabindex="0" aria-label="Nombre d\'initiatives par catégorie">{chips}</ul>')


