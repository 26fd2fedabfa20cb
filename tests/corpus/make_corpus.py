"""Writes the bad spreadsheets of this folder (run once; the files are committed).

    python -m tests.corpus.make_corpus
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADER = ["name", "category", "themes", "description", "address", "postcode", "commune", "year", "website",
          "source", "opening_hours"]
GOOD = {"name": "Cantine du Panier", "category": "restaurant-solidaire", "themes": "alimentation; insertion",
        "description": "Repas à prix libre.", "address": "10 rue du Panier", "postcode": "13002",
        "commune": "Marseille", "year": "2025", "website": "https://example.org", "source": "Équipe, 2025",
        "opening_hours": "Mo-Fr 12:00-14:00"}


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def good(**changes) -> dict[str, str]:
    return {**GOOD, **changes}


FILES: dict[str, bytes] = {
    "01_pipe_separator.csv": csv_bytes([good()], delimiter="|"),
    "02_utf16.csv": csv_bytes([good()]).decode().encode("utf-16"),
    "03_missing_name_column_and_unknown_commune.csv": csv_bytes([good(commune="Paris", postcode="75001")],
                                                                 header=[c for c in HEADER if c != "name"]),
    "04_unknown_commune.csv": csv_bytes([good(commune="Paris", postcode="75001")]),
    "05_postcode_of_another_commune.csv": csv_bytes([good(postcode="13600")]),
    "06_empty_name.csv": csv_bytes([good(name="")]),
    "07_duplicate_of_catalogue.csv": csv_bytes([good(name="Le République", commune="Marseille")]),
    "08_duplicate_within_file.csv": csv_bytes([good(), good(name="cantine du panier")]),
    "09_ten_thousand_rows.csv": csv_bytes([good(name=f"Cantine {n}") for n in range(10_000)]),
    "10_binary_junk.csv": bytes(range(256)) * 8,
    "11_formula_equals.csv": csv_bytes([good(name='=HYPERLINK("http://evil.example","clic")')]),
    "12_formula_at.csv": csv_bytes([good(description="@SUM(A1:A9)")]),
    "13_formula_plus.csv": csv_bytes([good(description="+cmd|' /C calc'!A0")]),
    "14_script_in_website.csv": csv_bytes([good(website="<script>alert(1)</script>")]),
    "15_javascript_url.csv": csv_bytes([good(website="javascript:alert(1)")]),
    "16_bad_opening_hours.csv": csv_bytes([good(opening_hours="lundi midi")]),
    "17_misspelt_category.csv": csv_bytes([good(category="restaurant solidair")]),
    "18_unknown_theme.csv": csv_bytes([good(themes="alimentation; cuisine")]),
    "19_bad_year.csv": csv_bytes([good(year="20X5")]),
    "20_short_postcode.csv": csv_bytes([good(postcode="1300")]),
    "21_empty_file.csv": b"",
    "22_header_only.csv": csv_bytes([]),
    "23_too_many_values.csv": csv_bytes([good()]) + b"Extra,restaurant-solidaire,alimentation,x,,13002,Marseille,"
                                                  b"2025,,src,,en trop\r\n",
    "24_broken.xlsx": b"PK\x03\x04" + b"not really a workbook" * 10,
    "25_semicolon_bom_unknown_commune.csv": b"\xef\xbb\xbf" + csv_bytes([good(commune="Marseile")], delimiter=";"),
    "26_windows1252_empty_source.csv": csv_bytes([good(name="Café Joyeux Sainte-Marthe", source="")],
                                                 delimiter=";", encoding="cp1252"),
}


def write_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([good(commune="Aix en Provance").get(column, "") for column in HEADER])
    sheet.append([good(name="Epicerie solidaire", description="=1+1").get(column, "") for column in HEADER])
    book.save(path)


def main() -> None:
    for name, content in FILES.items():
        (HERE / name).write_bytes(content)
    write_xlsx(HERE / "28_xlsx_misspelt_commune_and_formula.xlsx")
    id_header = ["id", *HEADER]
    (HERE / "27_existing_id.csv").write_bytes(csv_bytes([{**good(name="Autre nom"), "id": "le-republique"}],
                                                        header=id_header))


if __name__ == "__main__":
    main()
