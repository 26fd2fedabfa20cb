"""Our files in a real French office suite: LibreOffice Calc (Debian's, headless, fr-FR), the way a member of
staff opens a download and saves it back. Without LibreOffice these tests skip with the reason, except under
CI (CI=true), where .ci/run installs it and they must run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from geo.catalogue import COLUMNS, read_catalogue
from geo.export import to_csv
from geo.importer import review
from geo.layer import read_layer
from geo.selection import prepare
from tests.conftest import DATA

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if not SOFFICE and os.environ.get("CI") == "true":
    raise pytest.UsageError("LibreOffice must be installed under CI (see .ci/run)")
pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice absent (apt install libreoffice-calc-nogui)")

FRENCH = 1036  # fr-FR, the language LibreOffice reads numbers and dates with
# LibreOffice's CSV dialog as it opens on such a file: Tab, comma and semicolon ticked, " as text delimiter,
# UTF-8, from line 1, French; the last token is « Detect special numbers » (dates), tried off and on.
DIALOG = "CSV:9/44/59,34,76,1,,{language},false,{special}"


def office(source: Path, target: str, tmp_path: Path, infilter: str = "") -> Path:
    """``soffice --convert-to``: the file LibreOffice writes, in its own profile (never the user's)."""
    out = tmp_path / "sortie"
    out.mkdir(parents=True, exist_ok=True)
    command = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profil'}",
               *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target, "--outdir", str(out),
               str(source)]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    written = out / f"{source.stem}.{target.split(':')[0]}"
    assert written.exists(), f"LibreOffice n'a rien écrit pour {source.name}"
    return written


def shipped_table():
    table = prepare(read_layer(DATA / "initiatives.geojson"))
    table.loc[table.index[0], "opening_hours"] = "24/7"  # the cell Calc would make 24 July
    return table


def sheet_rows(path: Path) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


@pytest.mark.parametrize("special", ["false", "true"])
def test_our_csv_opens_in_french_calc_with_no_column_shifted_numbers_as_numbers_and_24_7_as_written(tmp_path,
                                                                                                 special):
    table = shipped_table()
    path = tmp_path / "carte-des-possibles.csv"
    path.write_bytes(to_csv(table))
    rows = sheet_rows(office(path, "ods", tmp_path, DIALOG.format(language=FRENCH, special=special)))
    header, body = rows[0], rows[1:]
    assert len(body) == len(table)
    width = max(index for index, cell in enumerate(header) if str(cell).strip()) + 1  # the grid is padded
    shifted = [row[0] for row in body if any(str(c).strip() for c in row[width:])]
    assert shifted == []  # before: 33 of 33 rows shifted (the comma of a description split it)
    assert [row[header.index("Nom")] for row in body] == table["name"].tolist()
    latitudes = [row[header.index("latitude")] for row in body]
    assert all(isinstance(value, float) for value in latitudes), latitudes[:3]  # numbers, not text
    assert abs(latitudes[0] - table.iloc[0]["lat"]) < 1e-9
    hours = body[0][header.index("Horaires")]
    assert isinstance(hours, str) and hours.lstrip("'") == "24/7"  # text, not 24 July


def test_a_download_saved_back_by_calc_imports_as_it_was_in_csv_and_in_ods(tmp_path, territory):
    table = shipped_table()
    path = tmp_path / "carte-des-possibles.csv"
    path.write_bytes(to_csv(table))
    ods = office(path, "ods", tmp_path, DIALOG.format(language=FRENCH, special="true"))
    saved = office(ods, "csv:Text - txt - csv (StarCalc):59,34,76,1", tmp_path / "retour")
    shipped = {row.values["id"]: row.values for row in read_catalogue(DATA / "initiatives.csv", territory)[0]}
    shipped[table.iloc[0]["id"]] = {**shipped[table.iloc[0]["id"]], "opening_hours": "24/7", "hours_source": ""}
    for name, data in (("CSV réenregistré par Calc", saved.read_bytes()), ("ODS de Calc", ods.read_bytes())):
        result = review(data, [], territory)
        assert not result.problems, (name, [str(p) for p in result.problems[:3]])
        back = {row.values["id"]: row.values for row in result.accepted}
        for key, original in shipped.items():
            for column in COLUMNS:
                if column in ("insee", "hours_source") and not original[column]:
                    continue  # the layer names the commune's code where the catalogue left it to be found
                assert back[key][column] == original[column], (name, key, column, back[key][column])


def test_a_workbook_with_a_notes_sheet_a_title_row_and_date_cells_is_read_where_its_columns_are(tmp_path,
                                                                                                 territory):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Ce classeur liste les initiatives à ajouter."])
    sheet = book.create_sheet("Initiatives")
    sheet.append(["Initiatives repérées en juin 2024"])  # a title row above the columns
    sheet.append([])
    sheet.append(["nom", "catégorie", "thèmes", "description", "commune", "source", "ouverture",
                  "source de l'ouverture", "statut", "date du statut", "source du statut"])
    sheet.append(["Épicerie du Panier", "association", "alimentation", "Épicerie solidaire.", "Marseille",
                  "Test, 2024", dt.date(2024, 6, 18), "https://example.org (2024-06-18)", "watch",
                  "18/06/2024", "https://example.org (2024-06-18)"])  # a date cell: read back as a datetime
    xlsx = tmp_path / "classeur.xlsx"
    book.save(xlsx)
    ods = office(xlsx, "ods", tmp_path)
    for data in (xlsx.read_bytes(), ods.read_bytes()):
        result = review(data, [], territory)
        assert not result.problems, [str(p) for p in result.problems]
        assert result.read_from == ("feuille « Initiatives », noms des colonnes lus ligne 3, les lignes au-dessus "
                                    "ignorées")
        (row,) = result.accepted
        assert row.line == 4 and row.values["opened"] == "2024-06-18" and row.values["status_date"] == "2024-06-18"
