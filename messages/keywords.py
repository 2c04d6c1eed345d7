"""Keywords and commands: STOP, YES, HELP, DONE, SKIP, PAUSE N, RESUME, MORE, FLARE, in English
and Spanish, as people really type them ("Stopp", "Doen", "yep done", "paus 3", "flair").

Carrier-reserved words (STOP, END, CANCEL, QUIT, YES, HELP, ...) mean what the carrier says.
A keyword is recognised when the message is the keyword, perhaps with polite words around it
or repeated ("STOP STOP STOP"), or a slip away from it: a held-down letter ("stopp"), two
letters swapped ("doen"), and for our own commands one letter missed ("skp"). Opting out
accepts only the first two kinds of slip: "step" is not "stop".
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_PAUSE_DAYS = 30

OPT_OUT_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "alto",
     "basta", "parar", "cancelar", "baja", "detener", "para"}
)  # fmt: skip
OPT_OUT_PHRASES = frozenset(
    {"stop all", "opt out", "stop now", "stop it", "unsubscribe me", "wrong number",
     "wrong number stop", "stop wrong number", "wrong person", "not me", "basta ya",
     "darme de baja", "dar de baja", "de baja", "me quiero dar de baja", "quiero darme de baja",
     "ya basta", "alto ya", "stop texting", "stop messaging", "numero equivocado"}
)  # fmt: skip
OPT_IN_WORDS = frozenset(
    {"start", "yes", "unstop", "y", "yep", "yeah", "si", "comenzar", "empezar", "subscribe",
     "optin", "acepto"}
)  # fmt: skip
OPT_IN_PHRASES = frozenset(
    {"yes please", "yes i agree", "yes i do", "start again", "opt in", "si acepto", "si quiero",
     "si por favor", "yes i want to join", "i agree", "yes sure"}
)  # fmt: skip
HELP_WORDS = frozenset({"help", "info", "ayuda", "informacion"})
HELP_PHRASES = frozenset(
    {"help please", "help me", "info please", "ayuda por favor", "necesito ayuda"}
)

# Words that may surround a keyword without changing it.
FILLERS = frozenset(
    """please pls plz thanks thank you thx ty now today again ok okay k for now all
    just yep yes yeah yup sure the this that it one por favor gracias ya ahora hoy im i am""".split()
)

_DONE_WORDS = frozenset(
    {"done", "finished", "completed", "complete", "listo", "lista", "hecho", "termine"}
)
_DONE_PHRASES = re.compile(
    r"^(?:(?:i|i'?m|i am|i have|i've|just|all|yep|yes|yeah|yup|ok|okay)\s+)*"
    r"(?:did it|did that|did the \w+(?: \w+)?|did my \w+(?: \w+)?|done it|done with (?:it|that)|"
    r"finished it|ya lo hice|lo hice|ya termine|ya esta|ya)$"
)
_SKIP_WORDS = frozenset({"skip", "skipping", "saltar", "omitir", "paso"})
_RESUME_WORDS = frozenset(
    {"resume", "unpause", "restart", "continue", "reanudar", "seguir", "continuar"}
)
_RESUME_PHRASES = frozenset({"start again please", "resume texts", "resume messages", "back again"})
_MORE_WORDS = frozenset({"more", "another", "mas", "otro", "otra"})
_MORE_PHRASES = re.compile(
    r"^(?:another one|one more|more exercises?|another exercise|send (?:me )?(?:another|more|one more)"
    r"(?: \w+)?|can i have (?:another|one more)(?: \w+)?|otro ejercicio|uno mas|mas ejercicios)$"
)
_FLARE_WORDS = frozenset({"flare", "flareup", "flair", "flaire", "brote", "flaring"})
_FLARE_PHRASE = re.compile(
    r"^(?:flare|flair|brote)\s*up\b"
    r"|\b(?:having|in|got|had|have|with|a|bad|big|major|pain|huge)\s+(?:a\s+)?(?:bad\s+|big\s+|"
    r"major\s+|pain\s+|huge\s+)?(?:flare|flair)(?:\s*up)?\b"
    r"|\b(?:my\s+)?(?:pain|back|fibro|arthritis|knee|knees|hip|neck)\s+(?:is\s+)?flar(?:e|ing)\s*(?:up)?\b"
    r"|\b(?:flare|flair)\s+(?:today|again|now|up today)\b"
    r"|\bcrisis de dolor\b|\b(?:tengo|con) (?:un )?brote\b"
)
_FLARE_ENDED = re.compile(r"\b(?:no|not|over|gone|better|ended|ending|finished|passed|no more)\b")
_PAUSE = re.compile(
    r"^(?:pause|paus|pausa|pausar|hold|snooze|pase)"
    r"(?:\s*(?:for\s+|por\s+)?(?P<n>\d{1,3}|[a-z]+)?\s*(?P<unit>d|ds|day|days|dia|dias|"
    r"w|wk|wks|week|weeks|semana|semanas)?)?"
    r"(?:\s+(?:please|pls|thanks|thank you|por favor|gracias))?$"
)
_PAUSE_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "ten": 10, "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4,
    "cinco": 5, "seis": 6, "siete": 7, "diez": 10,
}  # fmt: skip


def _squash(word: str) -> str:
    """Held-down letters removed: 'stopppp' -> 'stop', 'donee' -> 'done'."""
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=64)
def _variants(keywords: frozenset[str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Lookup tables for a keyword set: squashed form, swapped letters, one missed letter."""
    squashed = {_squash(k): k for k in keywords}
    swapped: dict[str, str] = {}
    missed: dict[str, str] = {}
    for keyword in keywords:
        if len(keyword) >= 4:
            for i in range(len(keyword) - 1):
                variant = keyword[:i] + keyword[i + 1] + keyword[i] + keyword[i + 2 :]
                if variant != keyword:
                    swapped.setdefault(variant, keyword)
            for i in range(1, len(keyword)):  # the first letter is never the one missed
                missed.setdefault(keyword[:i] + keyword[i + 1 :], keyword)
    return squashed, swapped, missed


@lru_cache(maxsize=16384)
def keyword_match(word: str, keywords: frozenset[str], missed_letter: bool) -> str | None:
    """The keyword `word` stands for, allowing held-down or swapped letters (and, when
    `missed_letter`, one missed letter in a keyword of four letters or more)."""
    if word in keywords:
        return word
    squashed, swapped, missed = _variants(keywords)
    found = squashed.get(_squash(word)) or swapped.get(word)
    if found is None and missed_letter:
        found = missed.get(word)
    return found


def core_words(words: str) -> list[str]:
    """The words of a message without the fillers around a keyword."""
    return [w for w in words.split() if w not in FILLERS]


def single_keyword(words: str, keywords: frozenset[str], missed_letter: bool = False) -> bool:
    """True when the message is one keyword, perhaps repeated, with only fillers around it."""
    core = core_words(words) or words.split()  # "yes" alone is the keyword, not a filler
    if not core or len(core) > 3:
        return False
    found = {keyword_match(w, keywords, missed_letter) for w in core}
    return None not in found and len(found) == 1


def is_done(words: str) -> bool:
    """DONE and its ways: 'yep done', 'done, that helped', 'listo', 'did it'."""
    if single_keyword(words, _DONE_WORDS, missed_letter=True):
        return True
    if _DONE_PHRASES.match(words):
        return True
    # "done, that helped": the keyword first, a short comment after it.
    first, _, rest = words.partition(" ")
    return (
        keyword_match(first, _DONE_WORDS, missed_letter=True) is not None
        and len(rest.split()) <= 8
        and not re.search(r"\d", rest)
        and not re.match(r"(?:with|for|yet|by)\b", rest)
    )


def is_skip(words: str) -> bool:
    """SKIP, 'skip today', 'skip this one', 'skp', 'saltar'."""
    core = [w for w in core_words(words) if w not in {"one", "time"}]
    return bool(core) and len(core) <= 2 and keyword_match(core[0], _SKIP_WORDS, True) is not None


def is_resume(words: str) -> bool:
    """RESUME and its ways."""
    return words in _RESUME_PHRASES or single_keyword(words, _RESUME_WORDS, missed_letter=True)


def is_more(words: str) -> bool:
    """MORE, 'another one', 'send me another', 'otro'."""
    return bool(_MORE_PHRASES.match(words)) or single_keyword(words, _MORE_WORDS)


def is_flare(words: str) -> bool:
    """FLARE, 'flair', 'having a flare', BROTE, 'crisis de dolor' (never a suicide crisis)."""
    if single_keyword(words, _FLARE_WORDS, missed_letter=True):
        return True
    return bool(_FLARE_PHRASE.search(words)) and not _FLARE_ENDED.search(words)


def pause_days(words: str) -> int | None:
    """Days asked for by PAUSE [N] (or PAUSA N, 'una semana'), or None when not a pause."""
    match = _PAUSE.match(words)
    if not match:
        return None
    raw_n, unit = match.group("n"), match.group("unit")
    if raw_n is None:
        n = 1
    elif raw_n.isdigit():
        n = int(raw_n)
    elif raw_n in _PAUSE_NUMBERS:
        n = _PAUSE_NUMBERS[raw_n]
    elif raw_n in {"week", "semana", "wk"} and unit is None:
        n, unit = 1, "w"
    else:
        return None
    if unit and unit[0] in "ws":
        n *= 7
    return max(1, min(n, MAX_PAUSE_DAYS))
