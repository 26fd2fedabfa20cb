"""Accent-insensitive text search that stays fast at 100 000 initiatives: an index of the words of
each row's folded text. A query word matches a row when it is part of one of the row's words, which is
exactly ``word in text`` for a word without spaces, but the cost follows the vocabulary and the matches,
not the length of every text."""

from __future__ import annotations

import difflib
import re

import numpy as np

from geo.text import fold

TYPO_MIN_LENGTH = 5


def edit_distance(a: str, b: str) -> int:
    """Letters to insert, delete, change or swap to turn ``a`` into ``b`` (Damerau–Levenshtein, optimal
    string alignment)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class TextIndex:
    """Rows by word, for texts already folded (``geo.text.fold``); row ``i`` is ``texts[i]``."""

    def __init__(self, texts: list[str]):
        self.size = len(texts)
        postings: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            for word in set(text.split()):
                postings.setdefault(word, []).append(row)
        vocabulary = list(postings)
        self._vocabulary = vocabulary
        # The vocabulary as one string, one word per line, to find a query inside words at C speed.
        self._joined = "\n".join(vocabulary)
        self._line_starts = np.cumsum([0] + [len(word) + 1 for word in vocabulary[:-1]])
        lengths = np.fromiter((len(rows) for rows in postings.values()), dtype=np.int64, count=len(postings))
        self._starts = np.concatenate([[0], np.cumsum(lengths)])
        self._rows = np.fromiter((row for rows in postings.values() for row in rows), dtype=np.int32,
                                 count=int(self._starts[-1]))

    def _rows_with(self, word: str) -> np.ndarray:
        positions = [match.start() for match in re.finditer(re.escape(word), self._joined)]
        codes = np.unique(np.searchsorted(self._line_starts, positions, side="right") - 1)
        slices = [self._rows[self._starts[c]:self._starts[c + 1]] for c in codes]
        return np.concatenate(slices) if slices else np.array([], dtype=np.int32)

    def close_words(self, word: str) -> list[str]:
        """Words of the index a typo away from ``word`` (for words of 5 letters or more): "republiqe" →
        "republique"."""
        if len(word) < TYPO_MIN_LENGTH:
            return []
        allowed = 1 if len(word) < 8 else 2
        return [other for other in difflib.get_close_matches(word, self._vocabulary, n=10, cutoff=0.75)
                if edit_distance(word, other) <= allowed]

    def matches(self, query: str) -> np.ndarray:
        """Boolean mask over the rows: every word of ``query`` found, or when a long word is found nowhere,
        one of the index's words a typo away from it."""
        mask = np.ones(self.size, bool)
        for word in fold(query).split():
            found = np.zeros(self.size, bool)
            rows = self._rows_with(word)
            if not len(rows):
                close = [self._rows_with(other) for other in self.close_words(word)]
                rows = np.concatenate(close) if close else rows
            found[rows] = True
            mask &= found
        return mask

    def suggestion(self, query: str) -> str:
        """The query with each unknown long word replaced by its closest word ("" when nothing is closer)."""
        words, changed = [], False
        for word in fold(query).split():
            close = [] if len(self._rows_with(word)) else self.close_words(word)[:1]
            words.append(close[0] if close else word)
            changed |= bool(close)
        return " ".join(words) if changed else ""
