"""Numbers in a reply: which ones are 0-10 ratings, labelled or not, read as a clinician would.

- "7/10", "seven", "six out of ten", "8 outta 10", "5ish", "🔟", "about a 6" are ratings;
- doses, counts, times and dates are not: "took 2 advil", "my 2 grandkids", "at 6", "3/14";
- negation and change: "not a 10" is no rating; "not a 10 today, more like 4" is 4; "was 9 now
  6" and "down from 8 to 5" are the current value;
- a range or half point is read at its worse end for the client: the higher number for pain,
  the lower for mood ("5-6" pain is 6, "mood 3-4" is 3, "5.5" pain is 6, "4.5" mood is 4);
  in a check-in, "6-4" is pain 6 and mood 4 (see docs/replies.md).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NUMBER_WORDS = {
    "zero": 0, "none": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_WORD_ALTERNATION = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
NUM = rf"(?:-?\d{{1,9}}(?:[.,]\d+)?|{_WORD_ALTERNATION})"

_KEYCAPS = {"\U0001f51f": " 10 ", **{f"{d}\ufe0f\u20e3": f" {d} " for d in range(10)}}
_KEYCAPS.update({f"{d}\u20e3": f" {d} " for d in range(10)})

# What may follow a rating: "7 today", "5 I think", "6 thanks". Any other word after a number
# makes it a count of things ("2 advil", "3 hours", "2 grandkids").
_RATING_FOLLOWERS = frozenset(
    """today now tonight this right i it its im is maybe probably prob thanks thank thx ty
    pls please ok okay and or but so lol haha at the moment atm again still though tho
    yesterday mostly overall out outta of de sobre hoy ahora creo gracias y o pero ish
    pain mood dolor animo humor then after before wish""".split()
)
# What before a number makes it not a rating: "at 6", "took 2", "on the 5th", "until 9".
_NOT_RATING_BEFORE = re.compile(
    r"\b(?:at|by|since|until|till|til|before|after|around|took|take|taking|had|have|ate|drank|"
    r"walked|walk|slept|sleep|ran|did|do|lost|gained|weigh|weighed|room|number|call|page|step|"
    r"steps|week|day|session|group|las|a las|tome|tomé|the|my|our|his|her|every|each|"
    r"last|first|next|for|in|over|under|than|x|times|minus)\s*$"
)
_SCALE = re.compile(
    r"\(?\s*(?:from\s+)?0\s*(?:-|to|a|–)\s*10\s*\)?|\bon a scale(?: of)?\b|\bscale\b"
)
_NOT_A = re.compile(
    rf"\b(?:not|no|isn'?t|wasn'?t|never)\s+(?:a|an|even a|even|un|una)?\s*(?P<n>{NUM})\b"
)
_FROM_TO = re.compile(
    rf"\bfrom\s+(?:a\s+)?(?P<a>{NUM})\s+(?:to|down to|up to)\s+(?:a\s+)?(?P<b>{NUM})\b"
)
_WAS_NOW = re.compile(
    rf"\b(?:was|were|earlier|this morning|yesterday|last night|started at|started)\b(?:[^\d]{{0,30}})"
    rf"(?P<a>{NUM})\b(?P<mid>[^\d]{{0,40}}?)\b(?:now|but|currently|down to|up to|then|and now|"
    rf"ahora|pero)\b[^\d]{{0,20}}?(?P<b>{NUM})\b"
)
_OUT_OF_TEN = re.compile(
    rf"(?P<value>{NUM})\s*(?:/|out\s+of|outta|of|de|sobre)\s*(?:10|ten|diez)\b"
)
_SLASH = re.compile(r"\b(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,4})\b")
_RANGE = re.compile(rf"(?<![\d.])(?P<a>{NUM})\s*(?:-|–|to|or|a|o|/)\s*(?P<b>{NUM})(?![\d.])")
_TIME_OR_DATE = re.compile(
    r"\b\d{1,2}:\d\d\b|\b\d{1,2}\s*(?:am|pm|a\.m|p\.m|hrs?|hours?|h|mins?|minutes?|secs?|"
    r"seconds?|days?|weeks?|wks?|months?|years?|yrs?|times?|x|mg|ml|mcg|pills?|tablets?|"
    r"steps?|miles?|km|%|percent|st|nd|rd|th|horas?|minutos?|dias?|veces|semanas?|anos?|"
    r"meses?|kg|lbs?|pounds?)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{3,4}\b(?=\s*(?:am|pm))"
)


_ISH = re.compile(r"(\d)(ish|i?sh)\b")
_A_NUMBER = re.compile(rf"(?<![\w.]){NUM}(?![\w])")
_FOLLOWER = re.compile(r"\s*([a-z']+)")


@dataclass(frozen=True)
class Found:
    """A rating read from text, with how it was read."""

    value: float
    resolved: bool = False  # a range, a change or a negation was resolved to get it


def replace_keycaps(text: str) -> str:
    """Emoji keycaps ('🔟', '6️⃣') as plain digits."""
    for cap, digit in _KEYCAPS.items():
        if cap in text:
            text = text.replace(cap, digit)
    return text


def to_number(token: str) -> float | None:
    """A number token as a float, or None."""
    token = token.strip()
    if token in NUMBER_WORDS:
        return float(NUMBER_WORDS[token])
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def as_rating(value: float, kind: str) -> int:
    """A half point at the worse end for the client: up for pain, down for mood."""
    return math.ceil(value) if kind == "pain" else math.floor(value)


def strip_scale(text: str) -> str:
    """Remove mentions of the scale itself: 'pain (0-10) 6', 'my pain 0-10 is a 7'."""
    return _SCALE.sub(" ", text)


def ratings(folded: str, kind: str, allow_words: bool) -> list[Found]:
    """The rating-like numbers of a message, in order, resolved for `kind` (pain or mood).

    Number words count when `allow_words` (a short message, or one framed as a rating).
    """
    text = strip_scale(_TIME_OR_DATE.sub(" ", replace_keycaps(folded)))
    text = _ISH.sub(r"\1 ish", text)  # "5ish"
    resolved: list[tuple[int, Found]] = []

    def keep(position: int, value: float | None, was_resolved: bool = True) -> str:
        if value is not None:
            resolved.append((position, Found(value, was_resolved)))
        return " "

    # "not a 10 today, more like 4": the negated number is dropped.
    text = _NOT_A.sub(" ", text)
    # "down from 8 to 5", "was 9 now 6": the current value.
    text = _FROM_TO.sub(lambda m: keep(m.start(), to_number(m.group("b"))), text)
    text = _WAS_NOW.sub(lambda m: keep(m.start(), to_number(m.group("b"))), text)
    text = _OUT_OF_TEN.sub(lambda m: keep(m.start(), to_number(m.group("value")), False), text)

    def _slash(m: re.Match[str]) -> str:
        a, b = int(m.group("a")), int(m.group("b"))
        if b == 10:
            return keep(m.start(), float(a), False)
        return " " if (b > 10 or a > 10) else m.group(0)  # a date, not a rating

    text = _SLASH.sub(_slash, text)

    def _range(m: re.Match[str]) -> str:
        a, b = to_number(m.group("a")), to_number(m.group("b"))
        if a is None or b is None or a == b or abs(a - b) > 3 or a < 0 or b < 0:
            return m.group(0)
        return keep(m.start(), max(a, b) if kind == "pain" else min(a, b))

    text = _RANGE.sub(_range, text)
    for match in _A_NUMBER.finditer(text):
        token = match.group(0)
        before, after = text[: match.start()], text[match.end() :]
        if _NOT_RATING_BEFORE.search(before):
            continue
        follower = _FOLLOWER.match(after)
        if follower and follower.group(1) not in _RATING_FOLLOWERS:
            continue  # "2 advil", "3 grandkids"
        if not token[0].isdigit() and token[0] != "-" and not allow_words:
            continue
        value = to_number(token)
        if value is not None:
            resolved.append((match.start(), Found(value)))
    resolved.sort(key=lambda item: item[0])
    return [found for _, found in resolved]


def checkin_pair(folded: str) -> tuple[float, float] | None:
    """'6-4', '6/4', '6, 4', '6 and 4' in a check-in: pain then mood. Not '7/10': that is one
    rating out of ten (`ratings` reads it), not pain 7 and mood 10."""
    text = strip_scale(replace_keycaps(folded))
    match = re.fullmatch(
        rf"\s*(?:pain then mood\s*:?\s*)?(?P<a>{NUM})\s*(?P<sep>-|–|/|,|and|y|then|&|\s)\s*(?P<b>{NUM})\s*[.!]*\s*",
        text,
    )
    if not match:
        return None
    a, b = to_number(match.group("a")), to_number(match.group("b"))
    if match.group("sep") == "/" and b == 10:
        return None
    return (a, b) if a is not None and b is not None else None
