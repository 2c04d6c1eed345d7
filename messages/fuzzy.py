"""Tolerance for misspelt key words: a bounded edit distance, not a list of typos.

People text with their thumbs, on a bad day, sometimes by voice. `near(word, target)` says
whether `word` is `target` with one slip of the thumb (two for long words): a letter missed,
doubled, swapped with its neighbour or mistyped. The first letter must match, and words of
three letters or fewer must match exactly, because short words have too many real
neighbours ("will" is one letter from "kill").
"""

from __future__ import annotations

from functools import lru_cache


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours).

    Stops early: any distance above `limit` is returned as `limit + 1`.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_slips(target: str) -> int:
    """How many slips a word of this length may carry and still be read as `target`."""
    if len(target) <= 3:
        return 0
    return 1 if len(target) <= 7 else 2


@lru_cache(maxsize=65536)
def near(word: str, target: str) -> bool:
    """True when `word` is `target` or a plausible misspelling of it."""
    if word == target:
        return True
    slips = allowed_slips(target)
    if not slips or not word or word[0] != target[0]:
        return False
    return edit_distance(word, target, slips) <= slips


def closest(word: str, targets: tuple[str, ...]) -> str | None:
    """The target `word` is nearest to (exact matches first), or None."""
    if word in targets:
        return word
    best, best_distance = None, 99
    for target in targets:
        if near(word, target):
            distance = edit_distance(word, target, allowed_slips(target))
            if distance < best_distance:
                best, best_distance = target, distance
    return best
