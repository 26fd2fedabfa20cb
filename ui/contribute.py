"""The staff contribution sections: every change goes through ``geo.store.CatalogueStore``."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo import logs
from geo.build import query_for
from geo.cache import DatabaseCache
from geo.catalogue import COLUMNS, FACT_SOURCES, FIELD_LABELS, Problem, Row
from geo.chain import data_chain
from geo.database import UnknownSchema
from geo.facts import newest_date
from geo.hours import PARIS, now, week_lines
from geo.importer import default_source, review, slug
from geo.layer import feature, features_table
from geo.position import point_from
from geo.selection import prepare
from geo.sources import CATALOGUE
from geo.spreadsheet import MAX_BYTES
from geo.store import ADDRESS_FIELDS, UNCHANGED, CatalogueStore, Conflict, SaveRefused
from geo.territory import Territory
from geo.vocabulary import CATEGORIES, STATUSES, THEME_SEPARATOR, THEMES, split_themes
from ui import data, database, geocoding, reference
from ui.auth import identity
from ui.escape import plain
from ui.maps import initiatives_map

LOG = logs.get("contributions")


# What staff read when the catalogue's database does not answer: never SQL, a host or a traceback.
DATABASE_DOWN = ("La base du catalogue ne répond pas : {what} est impossible pour l'instant, et rien n'a été "
                 "modifié. Réessayez dans un instant ; si cela dure, l'équipe technique en est avertie par le journal "
                 "du serveur.")


def store() -> CatalogueStore | None:
    """The catalogue's store, or None with a French message (and a log line) when its database cannot be
    opened: a wrong role, a server down, a frozen one."""
    try:
        return database.store()
    except UnknownSchema as newer:
        LOG.error("schéma du catalogue inconnu : %s", newer.revision)
        st.error(str(newer), icon=":material/update:")
        return None
    except (sa.exc.SQLAlchemyError, OSError) as error:
        LOG.error("ouverture du catalogue impossible pour l'équipe : %s", error.__class__.__name__)
        st.error(DATABASE_DOWN.format(what="l'ouverture du catalogue"), icon=":material/cloud_off:")
        return None


def section(name: str, draw) -> None:
    """Draw one staff section; a database that stops answering while it is drawn is one French message for
    that section (its reads and saves alike), and a log line."""
    try:
        draw()
    except (sa.exc.SQLAlchemyError, OSError) as error:
        LOG.error("section « %s » : base du catalogue injoignable (%s)", name, error.__class__.__name__)
        st.error(DATABASE_DOWN.format(what=f"« {name} »"), icon=":material/cloud_off:")


def problems_table(problems: list[Problem]) -> None:
    st.dataframe(pd.DataFrame([{"ligne": p.line or "", "champ": FIELD_LABELS.get(p.field, p.field) or "—",
                                "problème": p.message} for p in problems]),
                 hide_index=True, width="stretch")


def _saved(action, success: str) -> bool:
    """Run a save; its outcome as a message (a refusal or a conflict lists why, and nothing changed)."""
    try:
        saved = action()
    except Conflict as conflict:
        st.error("Conflit : " + conflict.problems[0].message, icon=":material/sync_problem:")
        return False
    except SaveRefused as refused:
        st.error("Rien n'a été enregistré :")
        problems_table(refused.problems)
        return False
    except sa.exc.SQLAlchemyError as error:
        LOG.error("enregistrement impossible : %s", error.__class__.__name__)
        st.error(DATABASE_DOWN.format(what="cet enregistrement"), icon=":material/cloud_off:")
        return False
    if saved.summary == UNCHANGED:
        st.info("Aucun changement : rien n'a été enregistré, la version publiée reste la n° "
                f"{saved.version}.", icon=":material/info:")
        return True
    database.saved()
    st.success(f"{success} Version n° {saved.version} publiée : la carte publique est à jour "
               f"({saved.total} initiatives au catalogue).")
    return True


def _located(values_list: list[dict[str, str]], territory: Territory, progress: bool = False) -> list:
    """Where each row is, through the chain with the online address service (its guard shared with the
    visitors': rate, pauses, recent failures), answers kept in the database's cache. Done before a save, never
    inside its transaction: the save then finds these answers in the cache instead of asking the network."""
    chain = data_chain(data.data_dir(), territory, online=(ban,) if (ban := geocoding.address_geocoder()) else (),
                       cache=DatabaseCache(database.store().engine))
    bar = st.progress(0.0, text="Géocodage…") if progress else None
    located = []
    for done, values in enumerate(values_list, start=1):
        query = query_for(Row(0, values), territory)
        located.append((query, chain.locate(query).position))
        if bar is not None:
            bar.progress(done / len(values_list), text=f"Géocodage… {done}/{len(values_list)}")
    if bar is not None:
        bar.empty()
    return located


def _preview(accepted, territory: Territory, data_digest: str) -> pd.DataFrame:
    """The new rows on a map, located once per uploaded file: the reruns that follow (a field typed, « Ajouter »)
    reuse it instead of asking the address service again."""
    kept = st.session_state.get("import_preview")
    if kept and kept[0] == data_digest:
        return kept[1]
    located = _located([row.values for row in accepted], territory, progress=True)
    preview = prepare(features_table([feature(row.values, query.area, query.commune.territory, position)
                                      for row, (query, position) in zip(accepted, located, strict=True)]))
    st.session_state["import_preview"] = (data_digest, preview)
    return preview


def import_section(catalogue: CatalogueStore, territory: Territory) -> None:
    st.markdown("CSV (séparateur `;` ou `,`, UTF-8 ou Windows-1252), XLSX ou ODS (LibreOffice) ; une ligne des noms "
                "des colonnes (un titre au-dessus est ignoré ; la feuille qui les porte est trouvée) "
                f"(`{'`, `'.join(COLUMNS[1:6])}`… ou leurs libellés français), {MAX_BYTES // 1_000_000} Mo au plus.")
    upload = st.file_uploader("Tableur", type=["csv", "xlsx", "ods"], key="import_file")
    if upload is None:
        return
    source = st.text_input("Source des lignes qui n'en citent pas", default_source(upload.name), max_chars=300,
                           key=f"import_source_{upload.file_id}",
                           help="Le document ou la page d'où viennent ces initiatives ; modifiable avant l'ajout.")
    result = review(upload.getvalue(), catalogue.rows(), territory, source=source.strip())
    if result.read_from:
        st.info(f"Lu dans le fichier : {plain(result.read_from)}.", icon=":material/table_view:")
    if result.ignored_columns:
        st.info("Colonnes ignorées (inconnues du catalogue) : " + ", ".join(f"« {plain(c)} »"
                                                                          for c in result.ignored_columns))
    accepted, problems = result
    if problems:
        st.warning(f"{len(problems)} problème(s) : corrigez le fichier et importez-le à nouveau. "
                   "Rien n'a été modifié.")
        problems_table(problems)
        return
    st.success(f"{len(accepted)} nouvelle(s) initiative(s) valide(s)."
               + (f" {result.defaulted_source} sans source citeront « {plain(source.strip())} »."
                  if result.defaulted_source else ""))
    preview = _preview(accepted, territory, hashlib.sha256(upload.getvalue()).hexdigest())
    st.dataframe(preview[["name", "commune", "precision_label", "position_label"]], hide_index=True,
                 width="stretch", column_config={"name": "Nom", "commune": "Commune",
                                                 "precision_label": "Précision", "position_label": "Position"})
    hours_as_read(accepted)
    initiatives_map(preview, key="import_preview", height=380)
    if st.button("Ajouter au catalogue", type="primary", icon=":material/library_add:"):
        _saved(lambda: catalogue.add([row.values for row in accepted], identity(), action="import"),
               f"{len(accepted)} initiative(s) ajoutée(s).")


def hours_as_read(accepted) -> None:
    """The hours of the file as the map will read them, the week from today: a week not as meant is seen
    before it is added (hours the reader finds ambiguous were refused with the form to write)."""
    rows = [row.values for row in accepted if row.values["opening_hours"]]
    if not rows:
        return
    today = now().date()
    st.markdown("**Horaires tels que la carte les lira** (les 7 jours à partir d'aujourd'hui) : vérifiez-les.")
    st.dataframe(pd.DataFrame([{
        "Nom": row["name"], "Horaires du fichier": row["opening_hours"],
        "Semaine comprise": " · ".join(week_lines(row["opening_hours"], today))} for row in rows]),
        hide_index=True, width="stretch")


def freshness_table(rows: list[dict[str, str]]) -> None:
    """The entries whose practical facts are the oldest (none first), for the staff to check them again."""
    dates = sorted((newest_date(*(row[c] for c in FACT_SOURCES.values())), row["name"]) for row in rows
                    if row["status"] != "ended")
    with st.expander("Fiches à revoir d'abord : informations pratiques les plus anciennes"):
        st.dataframe(pd.DataFrame([{"initiative": name, "page la plus récente": date or "aucune page datée"}
                                   for date, name in dates]), hide_index=True, width="stretch")


def edit_section(catalogue: CatalogueStore) -> None:
    rows = {row["id"]: row for row in catalogue.rows()}
    freshness_table(list(rows.values()))
    chosen = st.selectbox("Initiative", ["", *rows], format_func=lambda i: rows[i]["name"] if i in rows
                          else "➕ Nouvelle", key="edit_id")
    values = rows.get(chosen, {column: "" for column in COLUMNS})
    # The revision this person started from: a save made after someone else's is refused, not merged.
    started = st.session_state.get("edit_opened")
    if chosen and (not started or started[0] != chosen):
        st.session_state["edit_opened"] = started = (chosen, values["revision"])
    new = _edit_form(values)  # its own function: none of its field names can shadow this section's state
    if new is not None and any(new[column] != values[column] for column in ADDRESS_FIELDS):
        _located([new], reference.territory())  # a new address is asked online now, so that the save finds it cached
    if new is not None and chosen:
        if _saved(lambda: catalogue.update(chosen, new, identity(), expected_revision=started[1]),
                  "Modification enregistrée."):
            st.session_state.pop("edit_opened", None)  # the next form starts from the saved revision
    elif new is not None:
        new["id"] = slug(new["name"])
        _saved(lambda: catalogue.add([new], identity()), "Initiative ajoutée.")
    confirmed = chosen and st.checkbox("Supprimer cette initiative", key="confirm_delete")
    deleting = confirmed and st.button("Confirmer la suppression", type="primary", icon=":material/delete:")
    if deleting and _saved(lambda: catalogue.delete(chosen, identity(), expected_revision=started[1]),
                           "Initiative supprimée."):
        st.session_state.pop("edit_opened", None)


def _edit_form(values: dict[str, str]) -> dict[str, str] | None:
    """The add-or-edit form filled with ``values``; the row as typed once « Enregistrer » is pressed, else None."""
    places = {a.name: a.name for a in sorted(reference.territory().communes.values(), key=lambda a: a.name)}
    with st.form("edit_form"):
        name = st.text_input("Nom", values["name"], max_chars=200)
        category = st.selectbox("Catégorie", list(CATEGORIES), format_func=lambda c: CATEGORIES[c].label,
                                index=list(CATEGORIES).index(values["category"]) if values["category"] else 0)
        themes = st.multiselect("Thèmes", list(THEMES), split_themes(values["themes"]), format_func=THEMES.get)
        description = st.text_area("Description", values["description"], max_chars=1000)
        address = st.text_input("Adresse", values["address"], max_chars=200)
        left, right = st.columns(2)
        postcode = left.text_input("Code postal", values["postcode"], max_chars=5)
        commune = right.selectbox("Commune", list(places), index=list(places).index(values["commune"])
                                  if values["commune"] in places else None, placeholder="Choisissez")
        year = left.text_input("Année", values["year"], max_chars=4)
        award = right.text_input("Distinction", values["award"], max_chars=200)
        website = st.text_input("Site web (http ou https)", values["website"], max_chars=300)
        source = st.text_input("Source (document, date)", values["source"], max_chars=300)
        hours = left.text_input("Horaires (format OpenStreetMap)", values["opening_hours"], max_chars=200)
        access = right.text_input("Accessibilité", values["accessibility"], max_chars=200)
        address_source = st.text_input("Source de l'adresse (page, date)", values["address_source"], max_chars=500)
        status = left.selectbox("Statut", list(STATUSES), format_func=STATUSES.get,
                                index=list(STATUSES).index(values["status"]) if values["status"] in STATUSES else 0)
        status_date = right.text_input("Date du statut (AAAA, AAAA-MM ou AAAA-MM-JJ)", values["status_date"],
                                       max_chars=10)
        status_note = st.text_input("Fait daté (terminé, renommé, déménage…)", values["status_note"], max_chars=300)
        status_source = st.text_input("Source du statut (page, date)", values["status_source"], max_chars=500)
        former_name = left.text_input("Ancien nom", values["former_name"], max_chars=200)
        opened = right.text_input("Ouverture (AAAA, AAAA-MM ou AAAA-MM-JJ)", values["opened"], max_chars=10)
        st.markdown("**Faits pratiques**, chacun avec la page qui le dit : « https://… (AAAA-MM-JJ) », plusieurs "
                    "séparées par « ; » (voir `data/practical_facts.csv`).")
        facts = {"price": st.text_input("Prix", values["price"], max_chars=500),
                 "access": st.text_area("Conditions d'accès (réservation, public, pièces à présenter…)",
                                        values["access"], max_chars=2000)}
        for fact, column in FACT_SOURCES.items():
            facts[column] = st.text_input(FIELD_LABELS[column][:1].upper() + FIELD_LABELS[column][1:],
                                          values[column], max_chars=2000 if fact == "access" else 500)
        if not st.form_submit_button("Enregistrer", type="primary", icon=":material/save:"):
            return None
    return {**values, "name": name.strip(), "category": category, "themes": f"{THEME_SEPARATOR} ".join(themes),
            "description": description.strip(), "address": address.strip(), "postcode": postcode.strip(),
            "commune": commune or "", "year": year.strip(), "award": award.strip(), "website": website.strip(),
            "source": source.strip(), "opening_hours": hours.strip(), "accessibility": access.strip(),
            "address_source": address_source.strip(), "status": status, "status_date": status_date.strip(),
            "status_note": status_note.strip(), "status_source": status_source.strip(),
            "former_name": former_name.strip(), "opened": opened.strip(),
            **{column: value.strip() for column, value in facts.items()}}


def position_section(catalogue: CatalogueStore) -> None:
    table = data.initiatives()
    table = table[table["dataset"] == CATALOGUE.key]  # a source's entries are corrected at their source
    names = dict(zip(table["id"], table["name"], strict=True))
    chosen = st.selectbox("Initiative à replacer", list(names), format_func=names.get, index=None,
                          placeholder="Choisissez une initiative", key="position_id")
    if not chosen:
        return
    row = table[table["id"] == chosen]
    st.caption(f"Position actuelle : {row.iloc[0]['precision_label']} ({plain(row.iloc[0]['position_label'])}). "
               "Cliquez sur la carte à l'endroit exact.")
    clicked = initiatives_map(row, key="position_map", height=420, cluster=False, center=(row.iloc[0]["lat"],
                              row.iloc[0]["lon"]), zoom=15, returned_objects=("last_clicked",))
    point = point_from(clicked.get("last_clicked")) if isinstance(clicked, dict) else None
    if point:
        st.write(f"Nouveau point : {point[0]:.5f}, {point[1]:.5f}")
        if st.button("Enregistrer cette position", type="primary", icon=":material/pin_drop:"):
            _saved(lambda: catalogue.set_position(chosen, *point, identity()), "Position enregistrée.")


def history_section(catalogue: CatalogueStore) -> None:
    """Every change, newest first, with who, when and what; any version can be put back (itself a change)."""
    history = catalogue.history(limit=HISTORY_SHOWN)
    st.markdown("Chaque enregistrement est une version : qui, quand, quoi (avant → après). Revenir à une "
                "version la rétablit telle qu'elle était juste après ce changement ; ce retour est lui-même "
                "une nouvelle version, qu'on peut annuler à son tour.")
    if not history:
        st.info("Aucune version enregistrée.")
        return
    st.dataframe(pd.DataFrame([{"version": r.number, "Date": _local(r.at), "Par": r.author, "Action": r.label,
                                "Détail": r.summary} for r in history]),
                 hide_index=True, width="stretch",
                 column_config={"version": st.column_config.NumberColumn("Version", format="%d")})
    numbers = [r.number for r in history]
    chosen = st.selectbox("Voir ou rétablir la version", numbers, index=None, key="history_version",
                          placeholder="Choisissez un numéro de version",
                          format_func=lambda n: next(f"n° {r.number} — {_local(r.at)} — {r.label} : {r.summary}"
                                                     for r in history if r.number == n))
    if chosen is None:
        return
    revision = next(r for r in history if r.number == chosen)
    changes = _change_rows(revision)
    if changes:
        st.dataframe(pd.DataFrame(changes).rename(columns=str.capitalize), hide_index=True, width="stretch")
    if chosen == numbers[0]:
        st.caption("C'est la version publiée.")
    elif st.button(f"Revenir à la version n° {chosen}", icon=":material/history:", key="restore_version"):
        _saved(lambda: catalogue.restore(chosen, identity()), f"Version n° {chosen} rétablie.")


HISTORY_SHOWN = 200


def _local(at) -> str:
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return f"{at.astimezone(PARIS):%d/%m/%Y %H:%M}"


def _change_rows(revision) -> list[dict[str, str]]:
    """What a revision changed, one line per field: initiative, field, before, after."""
    lines = []
    for change in revision.changes[:500]:
        before, after = change["before"] or {}, change["after"] or {}
        name = after.get("name") or before.get("name") or change["id"]
        if change["kind"] == "position":
            lines.append({"initiative": name, "champ": "position corrigée",
                          "avant": _point(change["before"]), "après": _point(change["after"])})
            continue
        for column in COLUMNS:
            if before.get(column, "") != after.get(column, ""):
                lines.append({"initiative": name, "champ": FIELD_LABELS.get(column, column),
                              "avant": before.get(column, "") if change["before"] else "(n'existait pas)",
                              "après": after.get(column, "") if change["after"] else "(supprimée)"})
    return lines


def _point(entry: dict | None) -> str:
    return f"{entry['lat']:.5f}, {entry['lon']:.5f}" if entry else "(géocodage)"
