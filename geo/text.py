"""Text normalisation shared by every look-up: accents, case, hyphens, abbreviations."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "trav": "traverse",
    "ch": "chemin",
    "che": "chemin",
    "pl": "place",
    "imp": "impasse",
    "crs": "cours",
    "rte": "route",
    "qu": "quai",
    "sq": "square",
    "all": "allee",
    "prom": "promenade",
}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINING = r"[\u0300-\u036f]"


def number(n: int) -> str:
    """A count as French typography writes it: 100 000, thousands apart by a narrow no-break space."""
    return f"{n:,}".replace(",", "\u202f")


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and turn punctuation into single spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower().replace("œ", "oe").replace("æ", "ae"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare).strip()


def normalise(text: str) -> str:
    """``fold`` plus French abbreviations spelled out ("St" → "saint", "Trav." → "traverse")."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def word_ngrams(text: str, longest: int = 8) -> list[str]:
    """Every run of 1 to ``longest`` consecutive words of normalised ``text``, longest first."""
    words = normalise(text).split()
    return [
        " ".join(words[start : start + size])
        for size in range(min(longest, len(words)), 0, -1)
        for start in range(len(words) - size + 1)
    ]


def fold_series(texts: pd.Series) -> pd.Series:
    """``fold`` for a whole column at once (vectorised, same result)."""
    return (texts.fillna("").str.lower().str.replace("œ", "oe").str.replace("æ", "ae")
            .str.normalize("NFKD").str.replace(_COMBINING, "", regex=True)
            .str.replace(_NON_WORD.pattern, " ", regex=True).str.strip())

# Text a spreadsheet would turn into a date or a fraction: « 24/7 » (hours) would become 24 July.
DATE_LIKE = re.compile(r"^\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?$")
