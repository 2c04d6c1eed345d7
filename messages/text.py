"""Folding text for matching: accents off, curly quotes straight, lower case. One place, so the
parser, the crisis detector and the vocabulary read a word the same way."""

from __future__ import annotations

import unicodedata

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                        "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                        "\u00ab": '"', "\u00bb": '"'})  # fmt: skip


def strip_accents(text: str) -> str:
    """'Estarían mejor sin mí' -> 'Estarian mejor sin mi' (ASCII text is returned as it is)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, no accents, straight quotes."""
    return strip_accents(text).lower().translate(QUOTES)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection): a leading ' ."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
