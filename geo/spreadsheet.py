"""Spreadsheets as French staff really export them: CSV with ``;`` or ``,``, UTF-8 with or without BOM
or Windows-1252, and XLSX. Turned into catalogue rows with their line numbers, never an exception."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from geo.catalogue import COLUMNS, FIELD_LABELS, Problem, Row
from geo.text import fold

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
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
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise UnreadableFile(f"CSV illisible ({error})") from error


def _xlsx_cells(data: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(f"classeur XLSX illisible ({error.__class__.__name__})") from error
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def read_spreadsheet(data: bytes) -> tuple[list[Row], list[Problem]]:
    """Rows of an uploaded CSV or XLSX file, keyed by catalogue column, with spreadsheet line numbers."""
    if len(data) > MAX_BYTES:
        return [], [Problem(0, "", f"fichier trop volumineux ({len(data) // 1000} ko, maximum "
                                   f"{MAX_BYTES // 1000} ko)")]
    if not data.strip():
        return [], [Problem(0, "", "le fichier est vide")]
    try:
        cells = _xlsx_cells(data) if data[:2] == b"PK" else _csv_cells(data)
    except UnreadableFile as error:
        return [], [Problem(0, "", str(error))]
    if not cells:
        return [], [Problem(0, "", "le fichier est vide")]
    header = [_HEADER_NAMES.get(fold(cell), "") for cell in cells[0]]
    required = ("name", "category", "themes", "description", "commune", "source")
    missing = [name for name in required if name not in header]
    if missing:
        names = ", ".join(f"{FIELD_LABELS[name]} ({name})" for name in missing)
        return [], [Problem(1, "", f"colonnes obligatoires absentes : {names} ; vérifiez le séparateur "
                                   "et la première ligne")]
    body = [(line, row) for line, row in enumerate(cells[1:], start=2) if any(str(c).strip() for c in row)]
    if not body:
        return [], [Problem(0, "", "aucune initiative dans le fichier (seulement la ligne des colonnes)")]
    if len(body) > MAX_ROWS:
        return [], [Problem(0, "", f"{len(body)} lignes : importez au plus {MAX_ROWS} lignes à la fois")]
    rows, problems = [], []
    for line, row in body:
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header):]):
            problems.append(Problem(line, "", f"{len(row)} valeurs pour {len(header)} colonnes"))
            continue
        values = {column: "" for column in COLUMNS}
        values.update((name, str(cell).strip()) for name, cell in zip(header, row, strict=False) if name)
        rows.append(Row(line, values))
    return rows, problems
