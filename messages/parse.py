"""Turn a client's SMS reply into an intent, pain and mood values, and a crisis verdict.

`parse_reply` is pure and total: any string in, a `Reply` out, never an exception. The order
of the checks is the order of what matters most:

1. crisis language (`messages.crisis.detect`), flagged whatever else the message says;
2. phone reactions that quote our prompt (`Liked "How is your pain..."`): a note;
3. questions about the texts ("is there a way to stop them on weekends?"): a note flagged
   for the facilitator, never an opt-out;
4. carrier keywords (opt-out, opt-in, help) and plain-language opt-out requests, English and
   Spanish, with the typos people make;
5. our own commands (DONE, SKIP, PAUSE [N], RESUME, MORE, FLARE);
6. labelled logs ("pain 6", "p6 m4", "6 pain 4 mood", "no pain"), valid whatever was asked;
7. unlabelled numbers, read against what the open prompt asked (`expecting`);
8. anything else is a note for the clinician.

A value outside 0-10 is never logged: the reply comes back with `out_of_range=True` so the
caller can re-ask kindly. `review` says why a person should read the reply (a question, an
unsure reading, a concern); the facilitator's "Replies to read" list shows those.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from messages import keywords as kw
from messages.crisis import detect
from messages.labels import labelled_values
from messages.numbers import (
    Found,
    as_rating,
    checkin_pair,
    ratings,
    replace_keycaps,
)
from messages.text import fold

MAX_PAUSE_DAYS = kw.MAX_PAUSE_DAYS


class Intent(StrEnum):
    """What a reply asks for."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"
    LOG = "log"
    DONE = "done"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    MORE = "more"
    FLARE = "flare"
    NOTE = "note"


EXPECTING = (None, "pain", "mood", "checkin")

REVIEW_QUESTION = "question"  # a question about the texts: a person should answer it
REVIEW_UNSURE = "unsure"  # read with less confidence (a slip corrected, a long message)
REVIEW_CONCERN = "concern"  # negated or third-party mention of suicide or self-harm


@dataclass(frozen=True)
class Reply:
    """The meaning of one inbound SMS."""

    intent: Intent
    pain: int | None = None
    mood: int | None = None
    crisis: bool = False  # crisis language: the fixed resources reply and an urgent alert
    pause_days: int | None = None
    out_of_range: bool = False  # a number was given but outside 0-10: re-ask, log nothing
    concern: bool = False  # a concern: the same reply and an alert marked for review
    crisis_reason: str | None = None  # the phrase family that raised crisis or concern
    review: str | None = None  # why a person should read this reply, if they should


# --- normalisation -----------------------------------------------------------------------


_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s']|(?<!\w)'|'(?!\w)")


def _fold(text: str) -> str:
    """Lower case, accents removed, curly quotes straightened, whitespace collapsed."""
    return " ".join(fold(replace_keycaps(text)).split())


def _words_only(folded: str) -> str:
    """Letters, digits, single spaces: 'STOP!!' -> 'stop', 'opt-out' -> 'opt out', "don't" -> 'dont'."""
    return " ".join(_NOT_WORD.sub(" ", folded).replace("'", "").split())


def _word_count(words: str) -> int:
    return len(words.split()) if words else 0


# --- reactions and questions ----------------------------------------------------------------

# iPhone and Android reactions quote the message they react to: never a rating or a command.
_REACTION = re.compile(
    r"^(?:liked|loved|disliked|laughed at|emphasi[sz]ed|questioned|reacted\s+\S{1,12}\s+to|"
    r"le gusto|le encanto|no le gusto|se rio de|enfatizo|cuestiono|reacciono\s+\S{1,12}\s+a|"
    r'removed\s+an?\s+\w+\s+from)\s*["\u201c\']'
)
_STOP_WORDS = r"(?:stop|stopping|cancel|unsubscribe|opt out|quit|end|turn off|pause|parar|dejar de|cancelar|baja)"
_QUESTION_START = re.compile(
    r"^(?:is there|are there|how (?:do|can|would|could)|how to|what (?:if|happens|do)|can i|could i|"
    r"do i|does|should i|why|when|if i|will|como|puedo|hay (?:forma|manera)|que pasa)\b"
)
_DIRECT_REQUEST = re.compile(
    r"^(?:can|could|would|will) you (?:please |pls )?(?:just )?(?:stop|remove|unsubscribe|take me off|cancel)|"
    r"^(?:please |pls )?(?:stop|unsubscribe|cancel)\b(?!.*\b(?:but|only|on|for|just the|weekends?|mornings?)\b)"
)


_ASKS_TO_STOP = re.compile(rf"\b{_STOP_WORDS}\b")


def _is_question_about_texts(folded: str, words: str) -> bool:
    asks = "?" in folded or "\u00bf" in folded or _QUESTION_START.match(words)
    return bool(asks and _ASKS_TO_STOP.search(words) and not _DIRECT_REQUEST.match(words))


# --- plain-language opt-out ---------------------------------------------------------------------

_TEXTS = r"(?:texts?|texting|messages?|messaging|msgs?|sms|reminders?|prompts?|notifications?|mensajes?|textos?)\b"
_OPT_OUT_PHRASES = re.compile(
    r"|".join(
        [
            rf"\b(?:stop|quit|cancel|end)\s+(?:all\s+|the\s+|these\s+|your\s+|this\s+|sending\s+(?:me\s+)?(?:all\s+)?(?:the\s+|these\s+|any\s+)?)?{_TEXTS}",
            r"\b(?:stop|quit|cease)\s+(?:texting|messaging|contacting|sending|emailing|bothering|txting)\s*(?:me|us)?\b",
            r"^(?:please\s+|pls\s+|just\s+)?stop\s+(?:it|this|these|them|that)?\s*(?:please|pls|now|thanks|thank\s+you)?$",
            r"\b(?:do\s*n'?t|do\s+not|dont|never)\s+(?:text|message|contact|sms|send|txt)\s+(?:me|this\s+number)\b",
            rf"\bno\s+(?:more|further)\s+{_TEXTS}",
            rf"\b(?:do\s*n'?t|do\s+not|dont)\s+(?:want|need)\s+(?:any\s+more\s+|anymore\s+|these\s+|any\s+|your\s+|the\s+)?{_TEXTS}",
            r"\b(?:take|remove|delete)\s+me\s+(?:off|from)\b",
            r"\bremove\s+(?:me|my\s+number)\b",
            r"\b(?:opt|sign)\s+me\s+out\b",
            r"\bunsubscribe\b",
            r"\bi\s+(?:want|wish|would\s+like|d\s+like)\s+to\s+(?:opt\s+out|unsubscribe|stop\s+(?:getting|receiving|these|the\s+texts|texts|messages))\b",
            r"\bleave\s+me\s+alone\b",
            r"^wrong\s+(?:number|person)\b",
            r"\b(?:no|ya no)\s+(?:mas|quiero|me\s+(?:manden|envien|escriban|mande|envie))\s+(?:recibir\s+)?(?:mas\s+)?(?:mensajes|textos)\b",
            r"\bno\s+quiero\s+recibir\b",
            r"\bya\s+no\s+(?:me\s+)?(?:manden|envien|escriban|mande|envie)\b",
            r"\bno\s+me\s+(?:manden|envien|escriban|mande|envie)\s+mas\b",
            r"\bdej(?:a|en|ar|e)\s+de\s+(?:enviar|mandar|escribir)(?:me)?\b",
            r"\b(?:darme|dar|me\s+doy)\s+de\s+baja\b",
        ]
    )
)


_DONT_STOP = re.compile(r"\b(?:do\s*n'?t|do\s+not|dont|never|not|cant|can not|cannot)\s+stop\b")


def _is_opt_out_phrase(words: str) -> bool:
    # "don't text me" must win, but "don't stop" must not be an opt-out.
    if _DONT_STOP.search(words):
        return False
    return _OPT_OUT_PHRASES.search(words) is not None


# --- the parser --------------------------------------------------------------------------


_WORD_FRAME = re.compile(
    r"\b(?:a|an|about|around|maybe|like|is|its|it's|im|i'm|at|was|say|probably|prob|roughly|"
    r"nearly|almost|solid|strong|un|una|como|es|esta|mas\s+o\s+menos)\s+(?:"
    + "|".join(sorted(("zero one two three four five six seven eight nine ten cero uno dos tres "
                       "cuatro cinco seis siete ocho nueve diez").split(), key=len, reverse=True))
    + r")\b"
)  # fmt: skip


Make = Callable[..., Reply]
_TOPICS = (
    ("pain", re.compile(r"\b(?:pain|dolor|hurts?|hurting)\b")),
    ("mood", re.compile(r"\b(?:mood|animo|humor)\b")),
)


def parse_reply(text: str, expecting: str | None = None) -> Reply:
    """Parse one SMS reply. `expecting`: None, "pain", "mood" or "checkin" (pain then mood)."""
    return _parse(
        text if isinstance(text, str) else "", expecting if expecting in EXPECTING else None
    )


@lru_cache(maxsize=8192)  # pure, and the same few replies ("5", "done") come all day
def _parse(raw: str, expecting: str | None) -> Reply:
    folded = _fold(raw)
    words = _words_only(folded)
    verdict = detect(raw)

    def reply(intent: Intent, review: str | None = None, **kwargs: object) -> Reply:
        if verdict.concern and review is None:
            review = REVIEW_CONCERN
        return Reply(
            intent=intent,
            crisis=verdict.crisis,
            concern=verdict.concern,
            crisis_reason=verdict.reason,
            review=review,
            **kwargs,  # type: ignore[arg-type]
        )

    if _REACTION.match(folded):
        return reply(Intent.NOTE)
    if _is_question_about_texts(folded, words):
        return reply(Intent.NOTE, review=REVIEW_QUESTION)

    if words in kw.OPT_OUT_PHRASES or kw.single_keyword(words, kw.OPT_OUT_WORDS):
        return reply(Intent.OPT_OUT)
    if words in kw.OPT_IN_PHRASES or kw.single_keyword(words, kw.OPT_IN_WORDS):
        return reply(Intent.OPT_IN)
    if words in kw.HELP_PHRASES or kw.single_keyword(words, kw.HELP_WORDS):
        return reply(Intent.HELP)
    if _word_count(words) <= 14 and _is_opt_out_phrase(words):
        return reply(Intent.OPT_OUT)

    has_digit = any(c.isdigit() for c in words)
    if not has_digit and kw.is_done(words):
        return reply(Intent.DONE)
    if not has_digit and kw.is_skip(words):
        return reply(Intent.SKIP)
    pause_days = kw.pause_days(words)
    if pause_days is not None:
        return reply(Intent.PAUSE, pause_days=pause_days)
    if kw.is_resume(words):
        return reply(Intent.RESUME)
    if kw.is_more(words):
        return reply(Intent.MORE)
    if kw.is_flare(words):
        return reply(Intent.FLARE)

    labelled, labelled_out, slipped = labelled_values(folded)
    if labelled:
        return reply(
            Intent.LOG,
            review=REVIEW_UNSURE if slipped else None,
            pain=labelled.get("pain"),
            mood=labelled.get("mood"),
            out_of_range=labelled_out,
        )
    if labelled_out:
        return reply(Intent.NOTE, out_of_range=True)
    return _unlabelled(folded, words, expecting, reply)


def _unlabelled(folded: str, words: str, expecting: str | None, make: Make) -> Reply:
    """Numbers without a label, read against the open prompt (`make` carries the verdict)."""
    count = _word_count(words)
    if expecting is None:
        # "my pain is bad today, about an 8": one number and one topic word is a log too.
        topic = {kind for kind, pattern in _TOPICS if pattern.search(words)}
        if len(topic) != 1 or count > 16:
            return make(Intent.NOTE)
        kind = topic.pop()
        found = ratings(folded, kind, allow_words=bool(_WORD_FRAME.search(folded)))
        if len(found) != 1:
            return make(Intent.NOTE)
        return _single(found[0], kind, make, REVIEW_UNSURE)
    # An answer to the open question is short; a long story with a number in it is a note.
    if count > 16:
        return make(Intent.NOTE)
    allow_words = count <= 4 or bool(_WORD_FRAME.search(folded))
    if expecting == "checkin":
        pair = checkin_pair(folded)
        if pair is not None:
            return _pair(pair, make)
        found = ratings(folded, "pain", allow_words)
        if len(found) >= 2:
            return _pair((found[0].value, found[1].value), make)
        if found:
            return _single(found[0], "pain", make, None)
        return make(Intent.NOTE)
    kind = expecting
    found = ratings(folded, kind, allow_words)
    if not found:
        return make(Intent.NOTE)
    review = REVIEW_UNSURE if (len(found) > 1 or found[-1].resolved or count > 8) else None
    return _single(found[-1], kind, make, review)


def _single(found: Found, kind: str, make: Make, review: str | None) -> Reply:
    if not 0 <= found.value <= 10:
        return make(Intent.NOTE, out_of_range=True)
    return make(Intent.LOG, review=review, **{kind: as_rating(found.value, kind)})


def _pair(pair: tuple[float, float], make: Make) -> Reply:
    pain, mood = pair
    pain_ok, mood_ok = 0 <= pain <= 10, 0 <= mood <= 10
    if not pain_ok and not mood_ok:
        return make(Intent.NOTE, out_of_range=True)
    return make(
        Intent.LOG,
        pain=as_rating(pain, "pain") if pain_ok else None,
        mood=as_rating(mood, "mood") if mood_ok else None,
        out_of_range=not (pain_ok and mood_ok),
    )
