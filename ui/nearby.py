"""The list of nearest initiatives, as cards a phone can read."""

from __future__ import annotations

import html
from urllib.parse import quote

import pandas as pd
import streamlit as st

from geo.facts import citations
from geo.hours import now, today_line, week_lines
from geo.nearby import WALKING_LIMIT_KM, format_km
from geo.start import StartPoint
from ui.chrome import announce
from ui.escape import plain


def directions_url(start: StartPoint, lat: float, lon: float) -> str:
    """OpenStreetMap walking directions from the start to a point (numbers only: nothing to escape)."""
    return ("https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
            f"{start.lat:.5f}%2C{start.lon:.5f}%3B{lat:.5f}%2C{lon:.5f}")


def transit_url(start: StartPoint, lat: float, lon: float) -> str:
    """Public-transport directions (Google Maps' documented directions URL; numbers only)."""
    return ("https://www.google.com/maps/dir/?api=1&travelmode=transit"
            f"&origin={start.lat:.5f},{start.lon:.5f}&destination={lat:.5f},{lon:.5f}")


PAGE = 20  # results shown at first, and added by each « Voir plus »


def shown_count(search: tuple) -> int:
    """How many results are shown for ``search`` (the start point and the filters): PAGE, then PAGE more per
    « Voir plus »; a new search starts again at PAGE."""
    if st.session_state.get("near_search") != search:
        st.session_state["near_search"] = search
        st.session_state["near_shown"] = PAGE
    return int(st.session_state["near_shown"])


def _more() -> None:
    st.session_state["near_shown"] = int(st.session_state.get("near_shown", PAGE)) + PAGE


def more_button(total: int, shown: int) -> None:
    """« Voir 20 résultats de plus » under the list while some are not shown; what it adds is announced."""
    remaining = total - shown
    if remaining <= 0:
        return
    step = min(PAGE, remaining)
    st.caption(f"{shown} affichés sur {total}, du plus proche au plus loin.")
    st.button(f"Voir {step} résultat{'s' if step > 1 else ''} de plus", on_click=_more, key="near_more",
              icon=":material/expand_more:")


def results_list(results: pd.DataFrame, start: StartPoint, radius: float | None,
                 nearest_beyond: pd.DataFrame | None = None, shown: int = PAGE) -> None:
    """The results nearest first, ``shown`` of them, then « Voir plus »; with none in the radius, the nearest few
    beyond it, said as such."""
    if results.empty and (nearest_beyond is None or nearest_beyond.empty):
        st.info("Aucune initiative de ces catégories dans la Métropole. Ajoutez des catégories.",
                icon=":material/search_off:")
        return
    if results.empty:
        closest = nearest_beyond.iloc[0]["distance_km"]
        st.info(f"Aucune initiative de ces catégories dans un rayon de {radius} km : la plus proche est à "
                f"{format_km(closest)}. Voici les plus proches.", icon=":material/travel_explore:")
        results = nearest_beyond
    total, page = len(results), results.head(shown)
    found = f"{total} résultat{'s' if total > 1 else ''}"
    first = f" : les {len(page)} plus proches ci-dessous" if total > len(page) else ""
    st.markdown(f"**{found}**, du plus proche au plus loin{first}")
    announce(f"{found} trouvé{'s' if total > 1 else ''}, du plus proche au plus loin"
             + (f", {len(page)} affichés." if first else "."))
    cards(page, start)
    more_button(total, len(page))


def open_now_lists(opened: pd.DataFrame, unsure: pd.DataFrame, start: StartPoint, radius: float | None,
                   shown: int = PAGE) -> None:
    """« Ouvert maintenant »: the places open now by their published hours, nearest first; then, apart, those
    whose hours say nothing for now (none published, given without clock times, or under watch) — never
    counted as closed; with neither, how many were left out and why. The first ``shown`` of both, then
    « Voir plus »."""
    within = f"dans un rayon de {radius} km" if radius else "dans la Métropole"
    said = (f"{len(opened)} ouvert{'s' if len(opened) > 1 else ''} maintenant {within} selon les horaires publiés ; "
            f"{len(unsure)} aux horaires non renseignés ou à confirmer, listé{'s' if len(unsure) > 1 else ''} à part.")
    announce(said)
    opened_page = opened.head(shown)
    unsure_page = unsure.head(max(0, shown - len(opened_page)))
    if opened.empty:
        st.info(f"Aucun lieu ouvert maintenant {within} selon les horaires publiés. "
                + ((f"{len(unsure)} lieux dont les horaires ne sont pas connus pour cette heure sont listés "
                    "ci-dessous : ils sont peut-être ouverts, vérifiez avant d'y aller." if len(unsure) > 1 else
                    "1 lieu dont les horaires ne sont pas connus pour cette heure est listé ci-dessous : il est "
                    "peut-être ouvert, vérifiez avant d'y aller.")
                   if len(unsure) else "Aucun autre lieu de ces catégories n'a d'horaires inconnus."),
                icon=":material/schedule:")
    else:
        st.markdown(f"**{len(opened)} ouvert{'s' if len(opened) > 1 else ''} maintenant**, du plus proche au plus loin")
        cards(opened_page, start)
    if len(unsure_page):
        st.html('<h2 class="carte-groupe">Horaires non renseignés ou à confirmer</h2>')
        st.caption("Peut-être ouverts : leurs horaires ne disent rien pour cette heure, ou leur situation est à "
                   "vérifier. Ils ne sont jamais comptés comme fermés.")
        cards(unsure_page, start, first=len(opened) + 1)
    more_button(len(opened) + len(unsure), len(opened_page) + len(unsure_page))


def _fact(label: str, value: str, source: str) -> None:
    if value:
        st.markdown(f"**{label}** : {plain(value)}")
        if source:
            st.caption(f"source : {cited(source)}")


def cited(source: str) -> str:
    """« destimed.fr (mai 2022), … », each site a link (Markdown, escaped)."""
    parts = []
    for site, url, date in citations(source):
        name = plain(site) if not url else f"[{plain(site)}]({url.replace(')', '%29').replace(' ', '%20')})"
        parts.append(name + (f" ({plain(date)})" if date else ""))
    return ", ".join(parts)


def cards(results: pd.DataFrame, start: StartPoint, first: int = 1) -> None:
    moment = now()
    for rank, row in enumerate(results.itertuples(), start=first):
        with st.container(border=True):
            # A heading per result: a screen reader goes from one to the next (RGAA 9.1).
            st.html(f'<h2 class="carte-resultat">{rank}. {html.escape(row.name)}</h2>')
            st.markdown(f"{plain(row.category_label)} · :blue[**{plain(row.distance_label)}**]")
            if row.status_label:
                st.markdown(f":gray-badge[{plain(row.status_label)}] {plain(row.status_note)}")
            hours = today_line(row.opening_hours, moment, walkable=row.walkable)
            if hours:
                colour = {"O": "green", "F": "red"}.get(hours[0], "gray")
                st.markdown(f":{colour}[**{plain(hours)}**]")
            if row.opening_hours:
                if row.hours_source:
                    st.caption(f"horaires, source : {cited(row.hours_source)}")
                with st.expander("Horaires de la semaine"):
                    st.markdown("  \n".join(plain(line) for line in week_lines(row.opening_hours, moment.date())))
            _fact("Prix", row.price, row.price_source)
            _fact("Pour y aller", row.access, row.access_source)
            _fact("Accessibilité", row.accessibility, row.accessibility_source)
            if row.approximate and not row.commune_level:
                st.caption(f"Position approximative ({plain(row.precision_label)})")
            if row.full_address:
                st.markdown(plain(row.full_address))
            if row.description:
                st.markdown(plain(row.description))
            if row.fees:
                st.caption(f"Tarif : {plain(row.fees)}")
            st.caption(f"Source : {plain(row.dataset_label)} — {plain(row.source)}"
                       + (f" · {plain(row.facts_label)}" if row.facts_label else ""))
            st.markdown(f"[Voir sa fiche sur la carte](./?fiche={quote(row.id)})")
            if row.commune_level:
                pass  # no directions to a commune's centre
            elif row.distance_km > WALKING_LIMIT_KM:
                st.link_button("Itinéraire en transports en commun", transit_url(start, row.lat, row.lon),
                               icon=":material/directions_bus:")
            else:
                st.link_button("Itinéraire à pied", directions_url(start, row.lat, row.lon),
                               icon=":material/directions_walk:")
