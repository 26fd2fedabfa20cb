"""Territoire: key figures, charts, the map of initiatives per commune, award winners, guided tour."""

import streamlit as st
from streamlit_folium import st_folium

from geo.stats import area_table, areas_geojson, count_by, counts_by_area, key_figures, winners
from geo.territory import MARSEILLE
from geo.webmap.choropleth import choropleth_map
from ui import data, reference
from ui.charts import bar_chart
from ui.escape import plain
from ui.filters import page_filters
from ui.layout import big_figures, presentation_toggle
from ui.maps import publish_assets
from ui.tour import guided_tour

table, territory = data.initiatives(), reference.territory()
selection = data.selection(page_filters(table, territory))
presenting = presentation_toggle()

if presenting:  # no visible title before an audience, but one for a screen reader (RGAA 9.1)
    st.html('<h1 class="carte-sr">Le territoire en chiffres</h1>')
else:
    st.title("Le territoire en chiffres")
    st.caption("Pour présenter l'économie sociale et solidaire de la Métropole : chiffres clés, répartition, "
               "lauréats et visite guidée. Les filtres de la barre latérale s'appliquent à toute la page.")

figures = key_figures(selection)
shown = {"Initiatives": figures["initiatives"], "Communes concernées": f"{figures['communes']} / 92",
         "Prix et labels": figures["distinctions"], "Restaurants solidaires": figures["restaurants"]}
if presenting:  # read from the back of a room: Streamlit's metrics fit their text, so the figures are ours
    big_figures(shown)
else:
    for column, (label, value) in zip(st.columns(4), shown.items(), strict=True):
        column.metric(label, value)



def charts() -> None:
    for title, column in (("Par catégorie", "category_label"), ("Par thème", "themes"),
                          ("Par conseil de territoire", "conseil_de_territoire")):
        st.markdown(f"**{title}**")
        counts = count_by(selection, column)
        st.altair_chart(bar_chart(counts), width="stretch")
        with st.expander(f"{title} : les chiffres en tableau"):  # the chart's text alternative (RGAA 1.1)
            st.dataframe(counts, hide_index=True, width="stretch",
                         column_config={"valeur": title.removeprefix("Par ").capitalize(),
                                        "initiatives": st.column_config.NumberColumn("Initiatives", format="%d")})


def shaded_map() -> None:
    counts, marseille_only = counts_by_area(selection)
    publish_assets()
    marseille = territory.reference_point(territory.communes[MARSEILLE])
    the_map, legend = choropleth_map(
        reference.outlines(),
        areas_geojson(territory, reference.commune_outlines(), reference.arrondissement_outlines(), counts),
        unplaced=(marseille, marseille_only, "à Marseille sans arrondissement connu"))
    st_folium(the_map, key="choropleth", height=560, use_container_width=True, returned_objects=[])
    st.html("<div style='display:flex;gap:12px;flex-wrap:wrap;font-size:14px'>" + "".join(
        f"<span><span style='display:inline-block;width:14px;height:14px;background:{c};border:1px solid #999;"
        f"vertical-align:middle'></span> {label}</span>" for c, label in legend) + "</div>")
    if marseille_only:
        st.caption(f"Marseille : {marseille_only} initiative(s) connues seulement à l'échelle de la ville, "
                   "comptées dans l'étiquette posée sur la ville et non dans un arrondissement.")
    # The same figures as a table: the map's colours are read by the eye and the mouse only (RGAA 1.8, 4.1).
    st.markdown("**Les chiffres de la carte en tableau**")
    st.dataframe(area_table(territory, counts, marseille_only), hide_index=True, width="stretch",
                 column_config={"area": "Commune ou arrondissement", "conseil": "Conseil de territoire",
                                "initiatives": st.column_config.NumberColumn("Initiatives", format="%d")})


def award_winners() -> None:
    listed = winners(selection)
    if listed.empty:
        st.info("Aucun lauréat dans la sélection.")
    for year, group in listed.groupby("year", sort=False):
        st.header(str(year))
        for row in group.itertuples():
            st.markdown(f":material/emoji_events: **{plain(row.name)}** — {plain(row.award)}  \n"
                        f"{plain(row.description)}")


# One section drawn at a time (not st.tabs): a map in a hidden tab stays blank in Chrome
# (streamlit-folium #128), and hidden sections would be computed on every rerun for nothing.
SECTIONS = {"Visite guidée": lambda: guided_tour(selection, presenting), "Répartition": charts,
            "Carte par commune": shaded_map, "Lauréats": award_winners}
section = st.segmented_control("Vue", list(SECTIONS), default="Visite guidée", key="vue", bind="query-params",
                               required=True, label_visibility="collapsed")
SECTIONS[section]()
