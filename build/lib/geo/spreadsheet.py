"""Spreadsheets as French staff really export them: CSV with ``;`` or ``,``, UTF-8 with or without BOM
or Windows-1252, and XLSX. Turned into catalogue rows with their line numbers, never an exception."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from geo.catalogue import COLUMNS, FIELD_LABELS, Problem, Row
from geo.text import fold

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
# A workbook is a zip: what it unpacks to is bounded before anything is opened (a 2 MB file can hold a 2 GB string).
MAX_UNPACKED = 25_000_000
MAX_MEMBERS = 500
_HEADER_NAMES = {fold(name): name for name in COLUMNS} | {fold(label): name for name, label in FIELD_LABELS.items()}


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in French."""


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UnreadableFile("fichier en UTF-16 : enregistrez-le en « CSV UTF-8 »")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("le fichier n'est pas un tableur (contenu binaire)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("encodage du texte non reconnu (enregistrez en UTF-8)")  # pragma: no cover


def _csv_cells(data: bytes) -> list[list[str]]:
    text = _decode(data)
    sample = text[:10_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:  # said in French, with the line where the reader stopped
        said = str(error)
        if "field larger than field limit" in said:
            said = f"une cellule dépasse {csv.field_size_limit():,} caractères".replace(",", "\u202f")
        elif "new-line character" in said:
            said = "un retour à la ligne hors guillemets"
        else:
            said = "des guillemets ou des séparateurs mal formés"
        raise UnreadableFile(f"CSV illisible à la ligne {reader.line_num} : {said}") from error


def _check_unpacked(data: bytes) -> None:
    """Refuse a workbook that would unpack past MAX_UNPACKED bytes, by the sizes its zip declares (Python's
    zipfile never unpacks more than a member declares: a member that lies fails its CRC)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(f"classeur XLSX illisible ({error.__class__.__name__})") from error
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        raise UnreadableFile(f"classeur XLSX refusé : il se décompresse en {unpacked // 1_000_000} Mo "
                             f"({len(members)} parties) pour {len(data) // 1000} ko, au-delà de "
                             f"{MAX_UNPACKED // 1_000_000} Mo ; enregistrez-le de nouveau ou en CSV")


def _xlsx_cells(data: bytes) -> list[list[str]]:
    """The first sheet's cells, read row by row and never more than the row limit allows: a small file that
    decompresses to a million rows is refused after MAX_ROWS + 2 rows, not read whole; its unpacked size is
    bounded first, and its XML may not declare entities (defusedxml: billion laughs, external entities)."""
    _check_unpacked(data)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        rows = list(islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2))
    except DefusedXmlException as error:
        raise UnreadableFile("classeur XLSX refusé : son XML déclare des entités (construction dangereuse, "
                             "jamais produite par un tableur)") from error
    except ParseError as error:
        raise UnreadableFile("classeur XLSX illisible (XML mal formé)") from error
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as error:
        raise UnreadableFile(f"classeur XLSX illisible ({error.__class__.__name__})") from error
    return [["" if value is None else str(value) for value in row] for row in rows]


@dataclass
class Sheet:
    """What a spreadsheet gave: rows keyed by catalogue column, problems, the required columns it lacks, and
    the columns it has that the catalogue does not know (ignored, and said so)."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    missing: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def __iter__(self):  # rows, problems = read_spreadsheet(...)
        return iter((self.rows, self.problems))


REQUIRED = ("name", "category", "themes", "description", "commune")  # "source" defaults to the import itself


def read_spreadsheet(data: bytes) -> Sheet:
    """Rows of an uploaded CSV or XLSX file, keyed by catalogue column, with spreadsheet line numbers. A
    missing column is reported once and the rows are still read, so that the file's other problems show too."""
    if len(data) > MAX_BYTES:
        return Sheet(problems=[Problem(0, "", f"fichier trop volumineux ({len(data) // 1000} ko, maximum "
                                              f"{MAX_BYTES // 1000} ko)")])
    if not data.strip():
        return Sheet(problems=[Problem(0, "", "le fichier est vide")])
    try:
        cells = _xlsx_cells(data) if data[:2] == b"PK" else _csv_cells(data)
    except UnreadableFile as error:
        return Sheet(problems=[Problem(0, "", str(error))])
    if not cells:
        return Sheet(problems=[Problem(0, "", "le fichier est vide")])
    header = [_HEADER_NAMES.get(fold(cell), "") for cell in cells[0]]
    sheet = Sheet(ignored=tuple(str(c).strip() for c, name in zip(cells[0], header, strict=True)
                                if not name and str(c).strip()))
    sheet.missing = tuple(name for name in REQUIRED if name not in header)
    if sheet.missing:
        names = ", ".join(f"{FIELD_LABELS[name]} ({name})" for name in sheet.missing)
        sheet.problems.append(Problem(1, "", f"colonnes obligatoires absentes : {names} ; vérifiez le séparateur "
                                             "et la première ligne"))
        if not any(header):  # not one known column: the rows mean nothing
            return sheet
    body = [(line, row) for line, row in enumerate(cells[1:], start=2) if any(str(c).strip() for c in row)]
    if not body:
        sheet.problems.append(Problem(0, "", "aucune initiative dans le fichier (seulement la ligne des colonnes)"))
        return sheet
    if len(body) > MAX_ROWS:
        cut = data[:2] == b"PK" and len(cells) == MAX_ROWS + 2  # a workbook is read no further than the limit
        shown = f"plus de {MAX_ROWS} lignes" if cut else f"{len(body)} lignes"
        sheet.problems = [Problem(0, "", f"{shown} : importez au plus {MAX_ROWS} lignes à la fois")]
        return sheet
    for line, row in body:
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header):]):
            sheet.problems.append(Problem(line, "", f"{len(row)} valeurs pour {len(header)} colonnes"))
            continue
        values = {column: "" for column in COLUMNS}
        values.update((name, str(cell).strip()) for name, cell in zip(header, row, strict=False) if name)
        sheet.rows.append(Row(line, values))
    return sheet
