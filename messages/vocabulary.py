"""Common English and Spanish words: words people really write, which are never "corrected".

The word frequencies ship with the `pyspellchecker` package (derived from OpenSubtitles and
Wiktionary); they are read once, lazily, from the installed package, nothing is downloaded.
A word seen at least `COMMON_AT` times is common: "shaving" is not a slip for "saving", nor
"went" for "want", however close they are.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

from messages.text import strip_accents

COMMON_AT = 500
LANGUAGES = ("en", "es")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Every common word of the supported languages, lower case, with and without accents."""
    words: set[str] = set()
    package = resources.files("spellchecker") / "resources"
    for language in LANGUAGES:
        with (package / f"{language}.json.gz").open("rb") as raw, gzip.open(raw, "rt") as text:
            counts: dict[str, int] = json.load(text)
        for word, count in counts.items():
            if count >= COMMON_AT:
                words.add(word)
                words.add(strip_accents(word))  # texts are read without accents
    return frozenset(words)


def is_common(word: str) -> bool:
    """True when `word` is a common English or Spanish word."""
    return word in common_words()
