"""Turn a client's SMS reply into an intent, pain and mood values, and a crisis flag.

`parse_reply` is pure and total: any string in, a `Reply` out, never an exception. The order
of the checks is the order of what matters most:

1. crisis language (flagged whatever else the message says; values in it are still read);
2. carrier keywords alone (opt-out, opt-in, help), then plain-language opt-out requests;
3. our own commands (DONE, SKIP, PAUSE [N], RESUME, MORE, FLARE);
4. labelled logs ("pain 6", "p6 m4", "mood is 3"), valid whatever was asked;
5. unlabelled numbers, read against what the open prompt asked (`expecting`);
6. anything else is a note for the clinician.

A value outside 0-10 is never logged: the reply comes back with `out_of_range=True` so the
caller can re-ask kindly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from messages.crisis import is_crisis

MAX_PAUSE_DAYS = 30


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


@dataclass(frozen=True)
class Reply:
    """The meaning of one inbound SMS."""

    intent: Intent
    pain: int | None = None
    mood: int | None = None
    crisis: bool = False
    pause_days: int | None = None
    out_of_range: bool = False  # a number was given but outside 0-10: re-ask, log nothing


# --- normalisation -----------------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": 0, "none": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}  # fmt: skip

_NUM = r"(?:\d{1,9}(?:\.\d+)?)"


def _fold(text: str) -> str:
    """Lower case, accents removed, curly quotes straightened, whitespace collapsed."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[\u2018\u2019\u02bc`´]", "'", folded)
    folded = re.sub(r"[\u201c\u201d]", '"', folded)
    return re.sub(r"\s+", " ", folded).strip()


def _words_only(folded: str) -> str:
    """Letters, digits, apostrophes, single spaces: 'STOP!!' -> 'stop', 'opt-out' -> 'opt out'."""
    spaced = re.sub(r"[^\w\s']", " ", folded)
    spaced = re.sub(r"(?<!\w)'|'(?!\w)", " ", spaced)
    return re.sub(r"\s+", " ", spaced).strip()


# --- keywords ------------------------------------------------------------------------------

_OPT_OUT_WORDS = {
    "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
    "opt out", "stop please", "please stop", "stop pls", "pls stop", "stop now", "stop it",
    "stop thanks", "stop thank you", "unsubscribe me", "unsubscribe please", "parar", "alto",
    "baja", "cancelar", "detener",
}  # fmt: skip
_OPT_IN_WORDS = {
    "start", "yes", "unstop", "y", "yes please", "yes i agree", "yes i do", "yep", "yeah",
    "si", "comenzar", "empezar", "start again", "opt in", "optin", "subscribe",
}  # fmt: skip
_HELP_WORDS = {"help", "info", "help please", "ayuda", "informacion", "help me", "info please"}

# Plain-language requests to stop the texts. Each names the texts (or us) so that "we had to
# stop for lunch" is not an opt-out.
_TEXTS = r"(?:texts?|texting|messages?|messaging|msgs?|sms|reminders?|prompts?|notifications?)\b"
_OPT_OUT_PHRASES = re.compile(
    r"|".join(
        [
            rf"\bstop\s+(?:all\s+|the\s+|these\s+|your\s+|sending\s+(?:me\s+)?(?:all\s+)?(?:the\s+|these\s+|any\s+)?)?{_TEXTS}",
            r"\bstop\s+(?:texting|messaging|contacting|sending|emailing|bothering)\s*(?:me|us)?\b",
            r"^(?:please\s+|pls\s+|just\s+)?stop\s+(?:it|this|these|them|that)?\s*(?:please|pls|now|thanks|thank\s+you)?$",
            r"\b(?:do\s*n'?t|do\s+not|dont|never)\s+(?:text|message|contact|sms|send)\s+me\b",
            rf"\bno\s+(?:more|further)\s+{_TEXTS}",
            rf"\b(?:do\s*n'?t|do\s+not|dont)\s+(?:want|need)\s+(?:any\s+more\s+|anymore\s+|these\s+|any\s+|your\s+|the\s+)?{_TEXTS}",
            r"\b(?:take|remove|delete)\s+me\s+(?:off|from)\b",
            r"\bremove\s+(?:me|my\s+number)\b",
            r"\b(?:opt|sign)\s+me\s+out\b",
            r"\bunsubscribe\b",
            r"\bi\s+(?:want|wish|would\s+like|d\s+like)\s+to\s+(?:opt\s+out|unsubscribe|stop\s+(?:getting|receiving|these|the\s+texts|texts|messages))\b",
            r"\bleave\s+me\s+alone\b",
            r"\bno\s+(?:mas|quiero)\s+(?:mensajes|textos)\b",
            r"\bdeja(?:r|n)?\s+de\s+(?:enviar|mandar)(?:me)?\b",
        ]
    )
)


def _is_opt_out_phrase(words: str) -> bool:
    # "don't text me" must win, but "don't stop" must not be an opt-out.
    if re.search(r"\b(?:do\s*n'?t|do\s+not|dont|never|not)\s+stop\b", words):
        return False
    return _OPT_OUT_PHRASES.search(words) is not None


# --- our own commands -----------------------------------------------------------------------

_POLITE = r"(?:\s+(?:please|pls|thanks|thank you|thx|ty|for now|now|today|again))*"
_DONE = re.compile(
    rf"^(?:(?:i'?m\s+|i\s+am\s+|all\s+|just\s+)?done|did\s+it|i\s+did\s+it|finished|"
    rf"i\s+finished|completed?|listo|lista|hecho|ya)(?:\s+(?:it|that|the\s+\w+|with\s+it))?{_POLITE}$"
)
_SKIP = re.compile(
    rf"^(?:skip|skipping|saltar|omitir)(?:\s+(?:this|this\s+one|it|that|that\s+one|today|"
    rf"the\s+\w+))?{_POLITE}$"
)
_RESUME = re.compile(rf"^(?:resume|unpause|restart|continue|reanudar|seguir|continuar){_POLITE}$")
_MORE = re.compile(
    rf"^(?:more|another|another\s+one|one\s+more|more\s+exercises?|another\s+exercise|"
    rf"send\s+(?:me\s+)?(?:another|more)(?:\s+\w+)?|mas|otro|otra){_POLITE}$"
)
_FLARE = re.compile(
    r"^(?:flare|flare\s*up|flareup|flaring|flaring\s+up|brote|crisis\s+de\s+dolor)\b"
    r"|\b(?:having|in|got|had)\s+(?:a\s+)?(?:bad\s+|big\s+|major\s+|pain\s+)?flare(?:\s*up)?\b"
    r"|\bmy\s+(?:pain\s+is\s+)?flar(?:e|ing)\s*up\b"
    r"|\bflare\s+(?:today|again|now)\b"
)
_PAUSE = re.compile(
    r"^(?:pause|pausa|pausar|hold|snooze)"
    r"(?:\s*(?:for\s+|por\s+)?(?P<n>\d{1,3}|[a-z]+)?\s*(?P<unit>d|ds|day|days|dia|dias|"
    r"w|wk|wks|week|weeks|semana|semanas)?)?"
    r"(?:\s+(?:please|pls|thanks|thank you))?$"
)


def _pause_days(words: str) -> int | None:
    """Days asked for by a PAUSE command, or None when `words` is not one."""
    match = _PAUSE.match(words)
    if not match:
        return None
    raw_n, unit = match.group("n"), match.group("unit")
    if raw_n is None:
        n = 1
    elif raw_n.isdigit():
        n = int(raw_n)
    elif raw_n in _NUMBER_WORDS or raw_n in {"a", "an", "un"}:
        n = _NUMBER_WORDS.get(raw_n, 1)
    else:
        return None
    if unit and unit[0] in "ws":
        n *= 7
    return max(1, min(n, MAX_PAUSE_DAYS))


# --- numbers and labelled logs --------------------------------------------------------------

_PAIN_LABEL = r"(?:pain|p|dolor)"
_MOOD_LABEL = r"(?:mood|m|animo|humor|estado\s+de\s+animo)"
_NUMBER_TOKEN = rf"(?:{_NUM}|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})"
_JOIN = r"(?:\s*(?:level|score|rating|now|today|right\s+now|currently|nivel)?\s*(?:is|was|=|:|-|at|of|about|around|maybe|es|esta|de)?\s*(?:a|an|about|around|maybe|like|un|una)?\s*)"
_LABELLED = re.compile(
    rf"(?<![a-z'])(?P<label>{_PAIN_LABEL}|{_MOOD_LABEL})(?![a-z]){_JOIN}(?P<value>{_NUMBER_TOKEN})(?![a-z\d])(?:\s*(?:/|out\s+of|of)\s*10\b)?"
)
# Numbers that are clearly not a rating: times, durations, doses, counts of things.
_NOT_A_RATING = re.compile(
    rf"\b{_NUM}\s*(?::\d\d)?\s*(?:am|pm|a\.m|p\.m|h|hrs?|hours?|mins?|minutes?|secs?|seconds?|"
    rf"days?|weeks?|wks?|months?|years?|yrs?|times?|x|mg|ml|pills?|tablets?|steps?|miles?|km|"
    rf"kids?|people|cups?|glass(?:es)?|%|percent|st|nd|rd|th|horas?|minutos?|dias?|veces)\b"
    rf"|\b\d{{1,2}}:\d\d\b|\b(?:by|since|until|till|before|after)\s+{_NUM}\b"
)
_OUT_OF_TEN = re.compile(rf"(?P<value>{_NUMBER_TOKEN})\s*(?:/|out\s+of|of|de)\s*10\b")
_RANGE = re.compile(rf"\b(?P<a>{_NUM})\s*(?:-|to|or|a|o)\s*(?P<b>{_NUM})\b")


def _to_value(token: str) -> int | None:
    """A number token as an integer (half up), or None when it is not a number."""
    token = token.strip()
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    try:
        return int(Decimal(token.replace(",", ".")).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except ArithmeticError:
        return None


def _labelled_values(folded: str) -> tuple[dict[str, int], bool]:
    """Pain and mood given with a label; and whether any label carried a value out of range."""
    values: dict[str, int] = {}
    out_of_range = False
    # "p6m4": split letters glued to digits so the pattern sees "p6 m4".
    spaced = re.sub(r"(\d)([a-z])", r"\1 \2", folded)
    for match in _LABELLED.finditer(spaced):
        label = match.group("label")
        kind = "pain" if re.fullmatch(_PAIN_LABEL, label) else "mood"
        # single letters count only when glued to or next to a number, not as words
        value = _to_value(match.group("value"))
        if value is None:
            continue
        if 0 <= value <= 10:
            values.setdefault(kind, value)
        else:
            out_of_range = True
    return values, out_of_range


_WORD_FRAME_BEFORE = re.compile(
    r"(?:^|\b(?:a|an|about|around|maybe|like|is|its|it's|im|i'm|at|was|say|probably|prob|"
    r"roughly|nearly|almost|solid|strong|un|una|como|es|esta|mas\s+o\s+menos)\s+)$"
)
_WORD_FRAME_AFTER = re.compile(
    r"^(?:$|\s*(?:ish|today|now|right\s+now|tonight|this\s+(?:morning|afternoon|evening)|"
    r"i\s+think|i\s+guess|maybe|probably|hoy|ahora)\b)"
)


def _bare_numbers(folded: str) -> list[int]:
    """The rating-like numbers of a message, in order, ranges and 'x/10' resolved.

    Digits always count. A number word counts in a very short message ("five", "about six")
    or where it is framed as a rating ("it's a six today"), so "I had one good day" is not 1.
    """
    text = _NOT_A_RATING.sub(" ", folded)
    text = _OUT_OF_TEN.sub(lambda m: f" {m.group('value')} ", text)

    def _resolve_range(m: re.Match[str]) -> str:
        a, b = _to_value(m.group("a")), _to_value(m.group("b"))
        if a is None or b is None or a == b or abs(a - b) > 3:
            return m.group(0)
        return f" {max(a, b)} "

    text = _RANGE.sub(_resolve_range, text)
    text = re.sub(r"[^\w\s'.]|(?<!\d)\.|\.(?!\d)", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    short = _word_count(text) <= 4
    found: list[int] = []
    for match in re.finditer(rf"(?<![a-z\d.']){_NUMBER_TOKEN}(?![a-z\d'])", text):
        token = match.group(0)
        if not token[0].isdigit() and not short:
            before, after = text[: match.start()], text[match.end() :]
            if not (_WORD_FRAME_BEFORE.search(before) or _WORD_FRAME_AFTER.match(after)):
                continue
        value = _to_value(token)
        if value is not None:
            found.append(value)
    return found


def _word_count(words: str) -> int:
    return len(words.split()) if words else 0


# --- the parser --------------------------------------------------------------------------


def parse_reply(text: str, expecting: str | None = None) -> Reply:
    """Parse one SMS reply. `expecting`: None, "pain", "mood" or "checkin" (pain then mood)."""
    if expecting not in EXPECTING:
        expecting = None
    raw = text if isinstance(text, str) else ""
    folded = _fold(raw)
    words = _words_only(folded)
    crisis = is_crisis(raw)

    def reply(intent: Intent, **kwargs: object) -> Reply:
        return Reply(intent=intent, crisis=crisis, **kwargs)  # type: ignore[arg-type]

    if words in _OPT_OUT_WORDS:
        return reply(Intent.OPT_OUT)
    if words in _OPT_IN_WORDS:
        return reply(Intent.OPT_IN)
    if words in _HELP_WORDS:
        return reply(Intent.HELP)
    if _word_count(words) <= 14 and _is_opt_out_phrase(words):
        return reply(Intent.OPT_OUT)

    if _DONE.match(words):
        return reply(Intent.DONE)
    if _SKIP.match(words):
        return reply(Intent.SKIP)
    pause_days = _pause_days(words)
    if pause_days is not None:
        return reply(Intent.PAUSE, pause_days=pause_days)
    if _RESUME.match(words):
        return reply(Intent.RESUME)
    if _MORE.match(words):
        return reply(Intent.MORE)
    if _FLARE.search(words) and not re.search(r"\b(?:no|not|over|gone|better|ended)\b", words):
        return reply(Intent.FLARE)

    labelled, labelled_out = _labelled_values(folded)
    if labelled:
        return reply(
            Intent.LOG,
            pain=labelled.get("pain"),
            mood=labelled.get("mood"),
            out_of_range=labelled_out,
        )
    if labelled_out:
        return reply(Intent.NOTE, out_of_range=True)

    if expecting is None:
        # "my pain is bad today, about an 8": one number and one topic word is a log too.
        topic = {
            k
            for k, w in (("pain", r"pain|dolor"), ("mood", r"mood|animo|humor"))
            if re.search(rf"\b(?:{w})\b", words)
        }
        numbers = _bare_numbers(folded) if len(topic) == 1 and _word_count(words) <= 16 else []
        if len(numbers) == 1:
            if not 0 <= numbers[0] <= 10:
                return reply(Intent.NOTE, out_of_range=True)
            return reply(Intent.LOG, **{topic.pop(): numbers[0]})
        return reply(Intent.NOTE)
    # An answer to the open question is short; a long story with a number in it is a note.
    if _word_count(words) > 16:
        return reply(Intent.NOTE)
    numbers = _bare_numbers(folded)
    if not numbers:
        return reply(Intent.NOTE)
    in_range = [n for n in numbers if 0 <= n <= 10]
    if expecting == "checkin":
        if len(numbers) >= 2 and len(in_range) == len(numbers):
            return reply(Intent.LOG, pain=numbers[0], mood=numbers[1])
        if len(numbers) >= 2:
            pain = numbers[0] if 0 <= numbers[0] <= 10 else None
            mood = numbers[1] if 0 <= numbers[1] <= 10 else None
            if pain is None and mood is None:
                return reply(Intent.NOTE, out_of_range=True)
            return reply(Intent.LOG, pain=pain, mood=mood, out_of_range=True)
        if in_range:
            return reply(Intent.LOG, pain=in_range[0])
        return reply(Intent.NOTE, out_of_range=True)
    value = numbers[-1]
    if not 0 <= value <= 10:
        return reply(Intent.NOTE, out_of_range=True)
    if expecting == "pain":
        return reply(Intent.LOG, pain=value)
    return reply(Intent.LOG, mood=value)
