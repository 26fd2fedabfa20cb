"""Données: the catalogue as a table, how precise each position is, downloads, sources and credits."""

from functools import partial

import streamlit as st

from geo.export import to_csv, to_geojson, to_standalone_html
from geo.sources import datasets
from geo.text import number
from geo.vocabulary import PRECISIONS, PROVIDERS
from ui import data, reference, standards
from ui.filters import page_filters
from ui.tables import initiatives_table

table, territory = data.initiatives(), reference.territory()
selection = data.selection(page_filters(table, territory))

st.title("Les données")
st.caption(f"{number(len(selection))} initiative(s) sélectionnée(s) sur {number(len(table))} · les filtres de la "
           "barre latérale s'appliquent au tableau et aux téléchargements.")
initiatives_table(selection.assign(provider=selection["provider"].map(PROVIDERS)), details=True, key="donnees")

st.header("Télécharger la sélection")
csv_column, geojson_column, html_column = st.columns(3)
csv_column.download_button("CSV (tableur)", partial(to_csv, selection), "carte-des-possibles.csv", "text/csv",
                           icon=":material/table_view:", width="stretch")
geojson_column.download_button("GeoJSON (SIG)", partial(to_geojson, selection), "carte-des-possibles.geojson",
                               "application/geo+json", icon=":material/map:", width="stretch")
html_column.download_button(
    "Carte HTML autonome", partial(to_standalone_html, selection, reference.outlines(), "Carte des Possibles"),
    "carte-des-possibles.html", "text/html", icon=":material/offline_pin:", width="stretch",
    help="Un seul fichier qui s'ouvre dans un navigateur, sans connexion : pour présenter là où le Wi-Fi manque.")

st.subheader("Dans les standards nationaux")
st.caption("Pour les cartes et annuaires qui lisent les schémas nationaux : chaque fichier dit la précision de "
           "chaque position et liste les initiatives laissées de côté, avec la raison (voir la documentation "
           "des données).")
standards.downloads(selection)

st.header("Précision des positions")
st.markdown(
    "Chaque position indique sa précision et qui l'a produite. Les positions « rue » sont **approximatives** : "
    "dessinées en pointillés sur la carte, avec le signe ≈. Une initiative connue seulement par sa commune "
    "n'est pas dessinée en un point : elle figure dans le badge « sans adresse » de sa commune.")
precision = selection.groupby(["precision", "provider"]).size().rename("initiatives").reset_index()
precision = precision.assign(precision=precision["precision"].map(PRECISIONS),
                             provider=precision["provider"].map(PROVIDERS))
st.dataframe(precision, hide_index=True, width="stretch",
             column_config={"precision": "Précision", "provider": "Produite par", "initiatives": "Initiatives"})

st.header("Sources des données")
sources = datasets()
per_source = selection.assign(with_hours=selection["opening_hours"] != "").groupby("dataset").agg(
    initiatives=("id", "size"), horaires=("with_hours", "sum"), terminees=("ended", "sum")).reset_index()
per_source = per_source.assign(licence=per_source["dataset"].map(lambda k: sources[k].licence),
                               dataset=per_source["dataset"].map(lambda k: sources[k].label))
st.dataframe(per_source, hide_index=True, width="stretch",
             column_config={"dataset": "Source", "initiatives": "Initiatives", "horaires": "Avec horaires",
                            "terminees": "Terminées", "licence": "Licence"})

st.header("Sources et crédits")
st.markdown("""
- **Initiatives** : communiqué de One Provence « Aix-Marseille-Provence, terre d'innovation sociale et solidaire »
  (décembre 2023) ; communiqué de la Métropole Aix-Marseille-Provence « Innovation sociale : La Métropole
  Aix-Marseille Provence labellisée “French Impact” » (7 mars 2019). Chaque initiative cite sa source ; les
  adresses, statuts (terminé, renommé) et dates d'ouverture citent la page où ils ont été lus. L'**année** d'une
  initiative est celle de sa source, pas celle de sa création.
- **Lieux de médiation numérique** : ANCT – Cartographie nationale des lieux d'inclusion numérique, extrait du
  17 mai 2023 (Hub du Sud), **Licence Ouverte 2.0** ; sans les téléphones ni les courriels des personnes.
- **Communes, codes postaux, conseils de territoire** : INSEE COG 2026 et La Poste via
  `@etalab/decoupage-administratif` (Licence Ouverte / Etalab) ; composition des conseils de territoire
  d'après Wikipédia (CC BY-SA).
- **Contours des communes** : IGN Admin Express (Licence Ouverte). **Contours des arrondissements de Marseille** :
  IGN – ADMIN EXPRESS COG 2022, couche ARRONDISSEMENT_MUNICIPAL (Licence Ouverte / Etalab).
- **Rues de Marseille, lieux nommés, fond de carte** : © les contributeurs d'OpenStreetMap (ODbL 1.0) ;
  point du quartier de la Belle-de-Mai d'après provence7.com.
- **Géocodage** : Base Adresse Nationale (Licence Ouverte 2.0) via la Géoplateforme de l'IGN ;
  Nominatim (OpenStreetMap).
- **Icônes** : Font Awesome Free (CC BY 4.0). Carte : Leaflet (BSD-2), folium (MIT).
""")
