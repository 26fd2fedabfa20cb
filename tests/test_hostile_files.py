"""Hostile spreadsheets (issue 17, item 8): a workbook that unpacks to hundreds of megabytes, XML entities and
external entities, names that read other than they are stored. Each is refused with a French message naming
what is wrong, never a traceback, within a memory bound — and nothing is added."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from geo.catalogue import Row, validate_row
from geo.importer import review

HEADER = ["nom", "catégorie", "thèmes", "description", "commune", "source"]
ROW = ["Épicerie du Panier", "restaurant-solidaire", "alimentation", "Paniers à prix libre.", "Marseille", "Test"]


def workbook(*rows: list[str]) -> bytes:
    book = Workbook()
    for row in (HEADER, *rows):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data: bytes, changes: dict[str, bytes | None], big: tuple[str, int] | None = None) -> bytes:
    """``data``'s zip with some members replaced, and optionally one member of ``big[1]`` bytes streamed in."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename in changes:
                continue
            target.writestr(member, source.read(member))
        for name, content in changes.items():
            if content is not None:
                target.writestr(name, content)
        if big:
            with target.open(big[0], "w", force_zip64=True) as stream:
                stream.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                             b'2006/main" count="1" uniqueCount="1"><si><t>')
                chunk = b"A" * 1_000_000
                for _ in range(big[1] // len(chunk)):
                    stream.write(chunk)
                stream.write(b"</t></si></sst>")
    return out.getvalue()


def shared_string_bomb(size: int) -> bytes:
    """A workbook whose first name is shared string 0, a string of ``size`` bytes."""
    data = workbook(ROW)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        sheet, rels, types = (source.read(name) for name in (
            "xl/worksheets/sheet1.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"))
    # The name's cell, however the writer spelled it (with lxml installed, « É » is written « &#201; »).
    sheet, replaced = re.subn(rb'<c r="A2" t="inlineStr"><is><t>[^<]*</t></is>', b'<c r="A2" t="s"><v>0</v>', sheet)
    assert replaced == 1, "the name's cell was not found in the sheet's XML"
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                        b"</Relationships>")
    types = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return rewritten(data, {"xl/worksheets/sheet1.xml": sheet, "xl/_rels/workbook.xml.rels": rels,
                            "[Content_Types].xml": types}, big=("xl/sharedStrings.xml", size))


def test_a_small_shared_string_still_reads(territory):
    result = review(shared_string_bomb(1_000_000), [], territory)
    assert any(p.field == "name" and "1000000 caractères" in p.message for p in result.problems)


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_under_a_memory_bound(territory):
    bomb = shared_string_bomb(300_000_000)
    assert len(bomb) < 2_000_000  # under the upload limit: only what it unpacks to betrays it
    tracemalloc.start()
    result = review(bomb, [], territory)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not result.accepted and len(result.problems) == 1
    assert "se décompresse en 300 Mo" in result.problems[0].message and "au-delà de 25 Mo" in result.problems[0].message
    assert peak < 20_000_000, f"{peak / 1e6:.0f} Mo"  # before: openpyxl read the whole string


ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>')
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'


@pytest.mark.parametrize(("declaration", "entity"), [(ENTITIES, b"&c;"), (EXTERNAL, b"&secret;")],
                         ids=["entités en cascade", "entité externe"])
def test_a_workbook_whose_xml_declares_entities_is_refused_in_french(territory, declaration, entity):
    data = workbook(ROW)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[-1].replace(b"\xc3\x89picerie du Panier", entity, 1)  # an inline string cell
    hostile = rewritten(data, {"xl/worksheets/sheet1.xml": declaration + body})
    result = review(hostile, [], territory)  # before: xml.etree's ParseError, a traceback
    assert not result.accepted and len(result.problems) == 1
    assert "déclare des entités" in result.problems[0].message or "illisible" in result.problems[0].message


@pytest.mark.parametrize(("name", "said"), [
    ("Épicerie\nsolidaire", "retour à la ligne"),
    ("Épicerie \u202eeriadilos", "sens d'écriture"),
    ("Épicerie\u2066 solidaire", "sens d'écriture"),
    ("Épicerie\x07", "caractère de contrôle"),
    ("É" * 501, "501 caractères : 500 au plus"),
])
def test_a_name_that_reads_other_than_it_is_stored_is_refused_with_its_row_and_field(territory, name, said):
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([HEADER, [name, *ROW[1:]]])
    result = review(text.getvalue().encode("utf-8"), [], territory)
    assert not result.accepted
    problem = next(p for p in result.problems if p.field == "name")
    assert problem.line == 2 and said in problem.message


def test_a_description_keeps_its_line_breaks(territory):
    from geo.catalogue import COLUMNS

    values = dict(zip(("name", "category", "themes", "description", "commune", "source"), ROW, strict=True))
    values |= {"id": "epicerie-du-panier", "year": "2026", "description": "Paniers.\nLe mardi."}
    assert validate_row(Row(2, {column: "" for column in COLUMNS} | values), territory) == []
