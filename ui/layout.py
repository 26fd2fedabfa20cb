"""Page chrome shared by the pages: presentation mode, category counts, safe display of user text."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from geo.vocabulary import CATEGORIES
from geo.webmap.icons import data_uri

PRESENTATION = "presentation"
_PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: .5rem 1rem !important; max-width: 100% !important; }
</style>"""


def presentation_toggle() -> bool:
    """A "mode présentation" switch (full-width map, no sidebar) and its way back."""
    on = st.session_state.get(PRESENTATION, False)
    if on:
        st.html(_PRESENTATION_CSS)
        st.button("Quitter le mode présentation", on_click=lambda: st.session_state.update({PRESENTATION: False}),
                  icon=":material/close_fullscreen:")
    else:
        st.sidebar.toggle("Mode présentation", key=PRESENTATION,
                          help="Carte en plein écran, sans barre latérale : pour un vidéoprojecteur.")
    return on


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
        "<style>.chips{display:flex;flex-wrap:wrap;gap:6px}.chip{display:inline-flex;align-items:center;gap:6px;"
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
