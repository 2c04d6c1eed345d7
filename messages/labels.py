"""Labelled logs: "pain 6", "p6 m4", "6 pain 4 mood", "pain then mood 6 4", "no pain",
"dolor 6 ánimo 4", with label slips ("pian 6", "moos 4"); valid whatever was asked."""

from __future__ import annotations

import re

from messages.fuzzy import near
from messages.numbers import NUM, as_rating, strip_scale, to_number

_PAIN_LABELS = ("pain", "dolor")


_MOOD_LABELS = ("mood", "animo", "humor")


_NO_PAIN = re.compile(
    r"^(?:no|zero|sin)\s+(?:pain|dolor)\b(?!\s+(?:meds|medication|medicine|relief|killers|pills|clinic|doctor|management|group))"
    r"|\b(?:pain|dolor)\s*[- ]?free\b"
)


_JOIN = r"(?:\s*(?:level|score|rating|now|today|right\s+now|currently|nivel)?\s*(?:is|was|=|:|-|at|of|about|around|maybe|es|esta|de|feels?\s+like)?\s*(?:a|an|about|around|maybe|like|un|una|solid|strong)?\s*)"


_EXACT_LABELS = {"p": "pain", "pain": "pain", "dolor": "pain", "m": "mood", "mood": "mood",
                 "animo": "mood", "humor": "mood"}  # fmt: skip


_NOT_LABELS = frozenset({"mom", "more", "most", "main", "pan", "pin", "moon", "made"})


def _label_kind(word: str) -> str | None:
    """'pain', 'mood' or None for a word standing where a label would ("pian", "moos", "p")."""
    if word in _EXACT_LABELS:
        return _EXACT_LABELS[word]
    if word in _NOT_LABELS:
        return None
    if any(near(word, label) for label in _PAIN_LABELS):
        return "pain"
    if any(near(word, label) for label in _MOOD_LABELS) or (
        len(word) == 3 and word.startswith("mo")
    ):
        return "mood"
    return None


_LABEL_THEN_VALUE = re.compile(
    rf"(?<![a-z'])(?P<label>[a-z]{{1,6}}){_JOIN}(?P<value>{NUM})(?![a-z\d])(?:\s*(?:/|out\s+of|of)\s*10\b)?"
)


_VALUE_THEN_LABEL = re.compile(
    rf"(?<![\w.])(?P<value>{NUM})\s+(?P<label>pain|mood|dolor|animo)\b(?!\s*{_JOIN}\s*\d)"
)


_VALUE_FIRST = re.compile(rf"(?P<value>{NUM})\s+(?P<label>pain|mood|dolor|animo)\b")


_PAIN_THEN_MOOD = re.compile(
    rf"\bpain\s+(?:then|and|/)\s+mood\s*:?\s*(?P<a>{NUM})[\s,/-]+(?P<b>{NUM})\b"
)


_GLUED_DIGIT = re.compile(r"(\d)([a-z])")


_NOT_LABEL_TEXT = re.compile(r"[^\w\s./:=-]")


_STARTS_WITH_VALUE = re.compile(rf"\s*{NUM}\s+(?:pain|mood|dolor|animo)\b")


_RANGE_AFTER_LABEL = re.compile(rf"\s*(?:-|to|or|o|a)\s*(?P<b>{NUM})(?![\w])")


def labelled_values(folded: str) -> tuple[dict[str, int], bool, bool]:
    """Pain and mood given with a label; whether a labelled value was out of range; and whether a
    label was read from a slip ("pian 6")."""
    values: dict[str, int] = {}
    out_of_range = slipped = False
    text = strip_scale(folded)
    text = _GLUED_DIGIT.sub(r"\1 \2", text)  # "p6m4" -> "p6 m4"
    text = _NOT_LABEL_TEXT.sub(" ", text)

    def add(kind: str, raw: float | None) -> None:
        nonlocal out_of_range
        if raw is None:
            return
        if 0 <= raw <= 10:
            values.setdefault(kind, as_rating(raw, kind))
        else:
            out_of_range = True

    pair = _PAIN_THEN_MOOD.search(text)
    if pair:
        add("pain", to_number(pair.group("a")))
        add("mood", to_number(pair.group("b")))
        return values, out_of_range, False
    if _NO_PAIN.search(text):
        values["pain"] = 0
    if _STARTS_WITH_VALUE.match(text):
        # "6 pain 4 mood": every value stands before its label.
        for match in _VALUE_FIRST.finditer(text):
            add(
                "pain" if match.group("label") in _PAIN_LABELS else "mood",
                to_number(match.group("value")),
            )
        return values, out_of_range, False
    for match in _LABEL_THEN_VALUE.finditer(text):
        label = match.group("label")
        kind = _label_kind(label)
        if kind is None:
            continue
        if label not in _EXACT_LABELS:
            slipped = True
        value_text = match.group("value")
        # a range after a label: "mood 3-4" -> 3, "pain 5-6" -> 6
        rest = text[match.end() :]
        ranged = _RANGE_AFTER_LABEL.match(rest)
        raw = to_number(value_text)
        if ranged and raw is not None and (b := to_number(ranged.group("b"))) is not None:
            if abs(raw - b) <= 3 and b >= 0:
                raw = max(raw, b) if kind == "pain" else min(raw, b)
        add(kind, raw)
    for match in _VALUE_THEN_LABEL.finditer(text):
        kind = "pain" if match.group("label") in _PAIN_LABELS else "mood"
        if kind not in values:
            add(kind, to_number(match.group("value")))
    return values, out_of_range, slipped
