"""Text normalisation shared by every look-up: accents, case, hyphens, abbreviations."""

from __future__ import annotations

import re
import unicodedata

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


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and turn punctuation into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare.lower().replace("œ", "oe").replace("æ", "ae")).strip()


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
