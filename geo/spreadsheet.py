"""Spreadsheets as French staff really export them: CSV with ``;`` or ``,``, UTF-8 with or without BOM
or Windows-1252, XLSX and ODS (LibreOffice). The sheet and the row that hold the columns are found (a title
above them, a notes sheet first) and said; date cells and dates typed « 18/06/2024 » are the dates they are.
Turned into catalogue rows with their line numbers, never an exception."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from python_calamine import CalamineError, CalamineWorkbook

from geo.catalogue import COLUMNS, FIELD_LABELS, Problem, Row
from geo.text import DATE_LIKE, fold

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
# A workbook is a zip: what it unpacks to is bounded before anything is opened (a 2 MB file can hold a 2 GB string).
MAX_UNPACKED = 25_000_000
MAX_MEMBERS = 500
_HEADER_NAMES = {fold(name): name for name in COLUMNS} | {fold(label): name for name, label in FIELD_LABELS.items()}
HEADER_SEARCH = 10  # rows of each sheet looked at for the one that names the columns
ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
DATE_FIELDS = ("status_date", "opened")
_FRENCH_DATE = re.compile(r"^(?:(\d{1,2})/)?(\d{1,2})/(\d{4})$")  # 18/06/2024 or 06/2024
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$")


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


def _cell(value) -> str:
    """A cell as text: a date as ISO (« 2024-06-18 », with its time only when it has one), a whole number
    without « .0 »."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_sheets(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """Each sheet's cells (name, rows), read row by row and never more than the row limit allows: a small file
    that decompresses to a million rows is refused after MAX_ROWS + 2 rows, not read whole; its unpacked size
    is bounded first (``read_spreadsheet``), and its XML may not declare entities (defusedxml: billion laughs,
    external entities)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheets = [(sheet.title, list(islice(sheet.iter_rows(values_only=True), MAX_ROWS + HEADER_SEARCH + 2)))
                  for sheet in book.worksheets]
    except DefusedXmlException as error:
        raise UnreadableFile("classeur XLSX refusé : son XML déclare des entités (construction dangereuse, "
                             "jamais produite par un tableur)") from error
    except ParseError as error:
        raise UnreadableFile("classeur XLSX illisible (XML mal formé)") from error
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as error:
        raise UnreadableFile(f"classeur XLSX illisible ({error.__class__.__name__})") from error
    return [(name, [[_cell(value) for value in row] for row in rows]) for name, rows in sheets]


def _is_ods(data: bytes) -> bool:
    try:
        return zipfile.ZipFile(io.BytesIO(data)).read("mimetype").startswith(ODS_TYPE)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def _ods_sheets(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """An OpenDocument spreadsheet (LibreOffice's own format), through calamine (whose XML reader expands no
    entity), its unpacked size bounded first (``read_spreadsheet``)."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False,
                                                                nrows=MAX_ROWS + HEADER_SEARCH + 2))
                  for name in book.sheet_names]
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile) as error:
        raise UnreadableFile(f"classeur ODS illisible ({error.__class__.__name__})") from error
    return [(name, [[_cell(value) for value in row] for row in rows]) for name, rows in sheets]


def _header_score(row: list[str]) -> tuple[int, int]:
    names = {_HEADER_NAMES.get(fold(cell), "") for cell in row} - {""}
    return len(names & set(REQUIRED)), len(names)


def _pick(sheets: list[tuple[str, list[list[str]]]]) -> tuple[str, int, list[list[str]]]:
    """The sheet and row that name the columns: the most required columns, then the most known ones; on a tie
    the first sheet, the first row."""
    best: tuple[tuple[int, int], str, int, list[list[str]]] = ((-1, -1), "", 0, [])
    for name, rows in sheets:
        for index, row in enumerate(rows[:HEADER_SEARCH]):
            score = _header_score(row)
            if score > best[0]:
                best = score, name, index, rows
    _, name, index, rows = best
    return name, index, rows


def unprotected(text: str) -> str:
    """A cell our download protected with an apostrophe (« '24/7 », see ``geo.export``), as it was."""
    if text.startswith("'") and (DATE_LIKE.match(text[1:]) or text[1:2] in ("=", "+", "-", "@")):
        return text[1:]
    return text


def french_date(text: str) -> str:
    """« 18/06/2024 » → « 2024-06-18 », « 06/2024 » → « 2024-06 », « 2024-06-18 00:00:00 » → « 2024-06-18 »;
    anything else as it is (the catalogue's check then says what is wrong)."""
    midnight = _MIDNIGHT.match(text)
    if midnight:
        return midnight.group(1)
    french = _FRENCH_DATE.match(text)
    if not french:
        return text
    day, month, year = french.groups()
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


@dataclass
class Sheet:
    """What a spreadsheet gave: rows keyed by catalogue column, problems, the required columns it lacks, and
    the columns it has that the catalogue does not know (ignored, and said so)."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    missing: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    read_from: str = ""  # « feuille « Initiatives », noms des colonnes ligne 3 » when not the first row of one sheet

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
        if data[:2] == b"PK":
            _check_unpacked(data)  # either workbook: what it unpacks to is bounded before it is opened
            sheets = _ods_sheets(data) if _is_ods(data) else _xlsx_sheets(data)
        else:
            sheets = [("", _csv_cells(data))]
    except UnreadableFile as error:
        return Sheet(problems=[Problem(0, "", str(error))])
    name, first, cells = _pick(sheets)
    if not cells:
        return Sheet(problems=[Problem(0, "", "le fichier est vide")])
    header = [_HEADER_NAMES.get(fold(cell), "") for cell in cells[first]]
    sheet = Sheet(ignored=tuple(str(c).strip() for c, name in zip(cells[first], header, strict=True)
                                if not name and str(c).strip()))
    where = [f"feuille « {name} »"] if len(sheets) > 1 else []
    if first:
        where.append(f"noms des colonnes lus ligne {first + 1}, les lignes au-dessus ignorées")
    sheet.read_from = ", ".join(where)
    sheet.missing = tuple(name for name in REQUIRED if name not in header)
    if sheet.missing:
        names = ", ".join(f"{FIELD_LABELS[name]} ({name})" for name in sheet.missing)
        sheet.problems.append(Problem(1, "", f"colonnes obligatoires absentes : {names} ; vérifiez le séparateur "
                                             "et la première ligne"))
        if not any(header):  # not one known column: the rows mean nothing
            return sheet
    body = [(line, row) for line, row in enumerate(cells[first + 1:], start=first + 2)
            if any(str(c).strip() for c in row)]
    if not body:
        sheet.problems.append(Problem(0, "", "aucune initiative dans le fichier (seulement la ligne des colonnes)"))
        return sheet
    if len(body) > MAX_ROWS:
        cut = data[:2] == b"PK" and len(cells) == MAX_ROWS + HEADER_SEARCH + 2  # a workbook is read no further
        shown = f"plus de {MAX_ROWS} lignes" if cut else f"{len(body)} lignes"
        sheet.problems = [Problem(0, "", f"{shown} : importez au plus {MAX_ROWS} lignes à la fois")]
        return sheet
    for line, row in body:
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header):]):
            sheet.problems.append(Problem(line, "", f"{len(row)} valeurs pour {len(header)} colonnes"))
            continue
        values = {column: "" for column in COLUMNS}
        values.update((name, unprotected(str(cell).strip())) for name, cell in zip(header, row, strict=False)
                      if name)
        values.update((name, french_date(values[name])) for name in DATE_FIELDS)
        sheet.rows.append(Row(line, values))
    return sheet
