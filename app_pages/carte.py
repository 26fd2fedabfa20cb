"""Carte: every initiative, filtered from the sidebar, on the map and as a list."""

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from geo.clock import today
from geo.export import to_csv, to_geojson
from geo.selection import not_known_open
from geo.standards import schema_org
from geo.text import number
from geo.webmap.basemap import view_from_link, view_of
from ui import data, reference
from ui.chrome import announce
from ui.escape import plain
from ui.filters import page_filters, reset_filters
from ui.layout import category_counts, embedded, phone_first, presentation_toggle
from ui.maps import initiatives_map
from ui.tables import initiatives_table

table = data.initiatives()
filters = page_filters(table, reference.territory())
selection = data.selection(filters)
unsure = selection.iloc[0:0]
if filters.open_at is not None:  # « Ouvert maintenant » never hides the unknown: it comes after, said as such
    every = data.selection(replace(filters, open_at=None))
    unsure = every[not_known_open(every, filters.open_at)]
    opened, selection = len(selection), pd.concat([selection, unsure])
alone = embedded()  # on a partner's site: the map of the selection, nothing else
presenting = alone or presentation_toggle()

# The map is sent first and its header drawn above it afterwards: the browser starts loading the map's frame
# while the rest of the page is still being drawn (bench/journeys.py: about 0.1 s sooner).
header = st.container()
# ?fiche=<id>: a link to one initiative opens the map on it with its card open, whatever the filters.
fiche = st.query_params.get("fiche", "")
focus = table[table["id"] == fiche] if fiche else table.iloc[0:0]  # (a mask over every row costs each visit)
if not focus.empty and fiche not in set(selection["id"]):
    selection = pd.concat([selection, focus])
# A link's view applies when the page opens; afterwards each new selection is framed as usual.
linked_view = None
if not st.session_state.get("carte_view_opened"):
    st.session_state["carte_view_opened"] = True
    linked_view = view_from_link(st.query_params.get("vue_carte", ""), reference.territory().bounds)
if focus.empty and linked_view:
    center, zoom = linked_view  # the view the link was copied from
elif focus.empty:
    center, zoom = view_of(selection["lat"], selection["lon"])
else:
    row = focus.iloc[0]
    center, zoom = (row["lat"], row["lon"]), 12 if row["commune_level"] else 16
initiatives_map(selection, key="carte", height=600 if alone else 760 if presenting else 560, center=center, zoom=zoom,
                open_id=fiche or None, remember_view=not alone)

with header:
    if not presenting:
        phone_first()
        st.title("Carte des Possibles")
        st.html('<p class="carte-sous-titre">L\'économie sociale et solidaire de la Métropole Aix-Marseille-Provence : '
                "restaurants solidaires, lieux d'aide numérique, lauréats, défis du territoire, réseaux.</p>")
        st.page_link("app_pages/autour_de_moi.py", label="Autour de moi : le plus proche d'abord",
                     icon=":material/near_me:")
    if not alone:
        plural = "s" if len(selection) > 1 else ""
        st.markdown(f"**{number(len(selection))}** initiative{plural} sur {number(len(table))}")
        announce(f"{number(len(selection))} initiative{plural} affichée{plural} sur {number(len(table))}.")
        if filters.open_at is not None:
            st.caption(f"{opened} ouverte{'s' if opened > 1 else ''} maintenant selon les horaires publiés, puis "
                       f"{len(unsure)} aux horaires non renseignés ou à confirmer (peut-être ouvertes : vérifiez "
                       "avant d'y aller) ; les lieux fermés à cette heure sont écartés.")
    hint = "" if alone else data.search_hint(filters.text)
    if hint and not selection.empty:
        st.caption(f"Recherche approchée : résultats pour « {plain(hint)} ».")
    elif hint:
        st.info(f"Vouliez-vous dire « {plain(hint)} » ?", icon=":material/spellcheck:")
    if not alone:
        category_counts(selection)
    if selection.empty and not alone:
        st.info("Aucune initiative ne correspond à ces filtres. Élargissez la recherche ou effacez les filtres.",
                icon=":material/search_off:")
        st.button("Effacer les filtres", on_click=reset_filters, key="reset_empty")
    if fiche and focus.empty:
        st.warning("Cette fiche n'existe pas ou plus : voici toute la carte.", icon=":material/link_off:")
    elif not focus.empty:  # what search engines read of the place a link opens (schema.org JSON-LD)
        st.html(schema_org.script(schema_org.place(focus.iloc[0].to_dict(), today())),
                unsafe_allow_javascript=True)

if not presenting and not selection.empty:
    st.header("La sélection en liste")
    initiatives_table(selection)
    left, right = st.columns(2)
    left.download_button("Télécharger en CSV", partial(to_csv, selection), "carte-des-possibles.csv", "text/csv",
                         icon=":material/download:", width="stretch")
    right.download_button("Télécharger en GeoJSON", partial(to_geojson, selection), "carte-des-possibles.geojson",
                          "application/geo+json", icon=":material/download:", width="stretch")
