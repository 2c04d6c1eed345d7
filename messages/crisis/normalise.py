"""Crisis normalisation: one spelling for the many ways people write the same words.

The phrase families in `families.py` are written against this normal form only: lower case,
no accents, straight apostrophes, contractions spelt out ("don't" -> "do not", "i'd" -> "i
would"), SMS spellings and slang resolved ("wanna", "thinkin bout", "kms", "unalive"),
glued words split ("killmyself"), letter runs shortened ("sooo" -> "soo"), and misspelt key
words mapped to their lexicon spelling by edit distance ("sucidal" -> "suicidal"). Clause
punctuation survives as " . " and " ? " so that negation and guards stay inside a clause.
"""

from __future__ import annotations

import re
from functools import lru_cache

from messages.fuzzy import closest
from messages.text import fold
from messages.vocabulary import is_common

# Words a misspelling may be read as. Long enough to have few real neighbours (see
# messages.fuzzy); "kill" is the one short word, safe because its neighbours (will, bill,
# fill, hill, pill) differ in the first letter.
LEXICON: tuple[str, ...] = (
    # English
    "kill", "killing", "killed", "want", "wants", "suicide", "suicidal", "suicidally", "myself", "yourself",
    "overdose", "overdosed", "overdosing", "goodbye", "goodbyes", "hanging", "burden",
    "anymore", "everyone", "everybody", "without", "tomorrow", "tonight", "planned",
    "planning", "thinking", "thoughts", "wrists", "medication", "medications", "alive",
    "living", "pills", "tablets", "worthless", "hopeless", "pointless", "trapped", "wanted",
    "nobody", "purpose", "forever", "disappear", "cutting", "harming", "hurting",
    "burning", "strangle", "suffocate", "bottle", "bridge", "ending", "please", "really",
    "honestly", "seriously", "someone", "somebody", "better", "nothing", "reason", "kidding",
    "stockpiling", "saving", "collecting", "hoarding", "letter", "belongings",
    # Spanish
    "matarme", "suicidarme", "suicidio", "suicida", "suicido", "suicidar", "suicidarse", "suicidas", "morirme", "despertar", "despertarme",
    "quiero", "quisiera", "desaparecer", "cortarme", "lastimarme", "pastillas", "carga",
    "mejor", "nadie", "extranaria", "estarian", "estarias", "vivir", "viviendo", "ahorcarme",
    "dispararme", "sobredosis", "despedida", "ojala", "morir", "muerto", "muerta",
    "aguanto", "proposito",
)  # fmt: skip

_LEXICON_SET = frozenset(LEXICON)
# A slip never touches the first letter (messages.fuzzy), so only those words are compared.
_BY_FIRST_LETTER: dict[str, tuple[str, ...]] = {}
for _word in LEXICON:
    _BY_FIRST_LETTER[_word[0]] = (*_BY_FIRST_LETTER.get(_word[0], ()), _word)
# Short key words whose last letter is often held down: "diee", "deadd".
_SHORT_KEYS = frozenset({"die", "dead", "kill", "end", "cut", "live", "life"})

# Real words that sit one slip from a lexicon word: never "corrected".
_REAL_WORDS = frozenset(
    """loving liking lying lining leaving giving having moving diving olive alike alive
    polls pulls pills bills fills kills hills mills kilt kiln kiss kits drying dyeing
    beter bitter batter butter burned burden murder garden border harder things thing
    mother bother cutting putting getting setting sitting hitting letting meeting
    planted planner plants playing praying paying saying staying slaying
    nothing noting tonight tonite today ending sending spending bending tending lending
    wanted waited wasted handed hunted hurting hunting harming warming farming burning
    turning learning earning carga cargo carta cara mejor menor mayor morir mover motor
    vivir venir quiero quiere quieres nadie nadir muerto muerte muerta suerte muero muere
    mueres muera mueran murio morire moriria despedi despido despedir despidiendo
    reason season person please pleased purpose suppose propose proposito""".split()
)

_CONTRACTIONS = [
    (r"\b(?:i'?m|ima|imma)\b", "i am"),
    (r"\bi'?ve\b", "i have"),
    (r"\bi'd\b|\bid\b(?= (?:rather|be|do|like|love|just|never|better|want|kill))", "i would"),
    (
        r"\bi'll\b|\bill(?= (?:be|hurt|do|kill|end|never|go|take|jump|cut|die|try|make|have|get|just|finally|probably|not)\b)",
        "i will",
    ),
    (r"\bcan'?t\b|\bcannot\b|\bcant\b", "can not"),
    (r"\bwon'?t\b|\bwont\b", "will not"),
    (r"\bain'?t\b", "am not"),
    (
        r"\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)n'?t\b",
        r"\1 not",
    ),
    (r"\b(\w+)'re\b", r"\1 are"),
    (r"\b(\w+)'ve\b", r"\1 have"),
    (r"\b(\w+)'d\b", r"\1 would"),
    (r"\b(\w+)'ll\b", r"\1 will"),
    (r"\b(it|that|there|what|he|she|life|everything|nothing|this|who|where)'?s\b", r"\1 is"),
    (r"'", ""),
]

_SLANG = {
    "wanna": "want to", "wana": "want to", "wan": "want", "gonna": "going to",
    "gunna": "going to", "finna": "going to", "tryna": "trying to", "gotta": "got to",
    "kinda": "kind of", "lemme": "let me", "gimme": "give me", "bout": "about",
    "abt": "about", "bc": "because", "cuz": "because", "coz": "because", "cos": "because",
    "u": "you", "ur": "your", "r": "are", "rn": "right now", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
    "tomoro": "tomorrow", "2nite": "tonight", "tonite": "tonight", "2day": "today",
    "b4": "before", "ppl": "people", "every1": "everyone", "some1": "someone",
    "no1": "no one", "any1": "anyone", "evry": "every", "nvr": "never", "cn": "can",
    "jus": "just", "juss": "just", "thx": "thanks", "pls": "please", "plz": "please",
    "myslf": "myself", "meself": "myself", "mself": "myself", "mysefl": "myself",
    "kil": "kill", "kll": "kill", "kiil": "kill", "dye": "dye", "di": "die", "dy": "die",
    "kms": "kill myself", "kmsf": "kill myself", "kys": "kill yourself",
    "ctb": "kill myself", "unalive": "kill", "unaliving": "killing", "unalived": "killed",
    "sewerslide": "suicide", "sewer slide": "suicide", "sudoku": "sudoku",
    "od": "overdose", "oding": "overdosing", "odd": "odd", "oded": "overdosed",
    "selfharm": "self harm", "self-harm": "self harm", "sh": "sh", "im": "i am",
    "ive": "i have", "dont": "do not", "didnt": "did not", "doesnt": "does not",
    "isnt": "is not", "wasnt": "was not", "wouldnt": "would not", "couldnt": "could not",
    "shouldnt": "should not", "havent": "have not", "hasnt": "has not", "arent": "are not",
    "werent": "were not", "thats": "that is", "whats": "what is", "theres": "there is",
    "noone": "no one", "nobodys": "nobody is", "everyones": "everyone is",
    "xq": "porque", "pq": "porque", "q": "que", "k": "que", "tb": "tambien", "tmb": "tambien",
    "x": "por", "d": "de", "ntp": "no te preocupes", "nd": "nada",
}  # fmt: skip

# Dropped final g: "thinkin", "endin", "cuttin". Only these stems, so "within", "begin"
# and "cabin" stay as they are.
_G_DROPPED = re.compile(
    r"\b(think|go|try|plann|end|kill|cutt|want|feel|sav|hurt|dy|liv|tak|noth|someth|"
    r"everyth|wish|hop|pray|wait|burn|harm|hang|jump|writ|giv|say|collect|stockpil|hoard|"
    r"fight|los|drown|shoot|overdos|prepar|start|keep|get|stay)in'?\b"
)
# Words glued together by a fast thumb or voice typing: "killmyself", "endmylife".
_GLUED = re.compile(
    r"\b(kill|hurt|cut|harm|burn|end|hang|shoot|drown|poison|starve|punish)(ing|ed)?"
    r"(myself|my|me|it|this)\b"
)
_GLUED_TO = re.compile(r"\b(want|wanted|going|need|wish|ready|trying|plan|planning)to\b")
# Leetspeak inside words: "su1c1de", "k1ll", "d1e".
_LEET = re.compile(r"\b(?=\w*[a-z])\w*[013457@$]\w*\b")
_LEET_MAP = str.maketrans({"1": "i", "0": "o", "3": "e", "4": "a", "5": "s", "7": "t",
                           "@": "a", "$": "s"})  # fmt: skip


def _deleet(match: re.Match[str]) -> str:
    word = match.group(0)
    # A real number ("10", "3pm", "2nd") stays a number.
    if re.fullmatch(r"\d+(?:st|nd|rd|th|am|pm|x|s|mg|ml|k)?", word):
        return word
    return word.translate(_LEET_MAP)


@lru_cache(maxsize=65536)
def canonical_word(word: str) -> str:
    """A word as the lexicon spells it, when it is a slip away from a lexicon word."""
    if word in _LEXICON_SET:
        return word
    if not word.isalpha():
        return word
    single = re.sub(r"(\w)\1+$", r"\1", word)  # "diee" -> "die", "killl" -> "kil"
    if single in _SHORT_KEYS:
        return single
    if len(word) < 4 or word in _REAL_WORDS or is_common(word) or word[:-1] in _LEXICON_SET:
        return word
    return closest(word, _BY_FIRST_LETTER.get(word[0], ())) or word


_DIGIT_SLANG = re.compile(r"\b(?:no1|some1|every1|any1|2moro|2morrow|2nite|2day|b4)\b")
# "want 2 die", "want too die": a 2 or a too between a verb and a verb is "to".
_TWO_AS_TO = re.compile(
    r"\b(want|wanna|need|going|have|got|ready|try|trying|wish|like|love) (?:2|too) (?=[a-z])"
)
_RUNS = re.compile(r"(\w)\1{2,}")
_QUESTION = re.compile(r"\?+")
_CLAUSE = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[!;:,\n\u2026])+|\s[-\u2013\u2014]\s")
_OTHER = re.compile(r"[^\w\s?.']|_")
_CONTEXT_CONTRACTIONS = [(re.compile(p), r) for p, r in _CONTRACTIONS[:4]]
_TOKEN_CONTRACTIONS = [(re.compile(p), r) for p, r in _CONTRACTIONS[4:]]
_PHRASES = re.compile(r"\bmy (?:self|slef|sef)\b|\bany more\b|\bno body\b|\bevery (?:one|body)\b")
_CLAUSES = re.compile(r"(?:\s*\.\s*)+")


def _phrase(match: re.Match[str]) -> str:
    return "myself" if match.group(0).startswith("my") else match.group(0).replace(" ", "")


@lru_cache(maxsize=65536)
def _token(token: str) -> str:
    """One whitespace-separated token in normal form (perhaps several words)."""
    for pattern, replacement in _TOKEN_CONTRACTIONS:
        token = pattern.sub(replacement, token)
    words = []
    for word in token.split():
        word = _SLANG.get(word, word)
        word = _G_DROPPED.sub(r"\1ing", word)
        word = _GLUED.sub(lambda m: f"{m.group(1)}{m.group(2) or ''} {m.group(3)}", word)
        word = _GLUED_TO.sub(r"\1 to", word)
        words.extend(canonical_word(w) for w in word.split())
    return " ".join(words)


def normalise(text: str) -> str:
    """The normal form the phrase families are written against."""
    folded = fold(text)
    if any(c.isdigit() for c in folded):
        folded = _DIGIT_SLANG.sub(lambda m: _SLANG[m.group(0)], folded)
        folded = _LEET.sub(_deleet, folded)
    folded = _TWO_AS_TO.sub(r"\1 to ", folded)
    folded = _RUNS.sub(r"\1\1", folded)  # "sooo" -> "soo", "killlll" -> "kill"
    for pattern, replacement in _CONTEXT_CONTRACTIONS:
        folded = pattern.sub(replacement, folded)
    # Clause breaks survive as tokens; everything else that is not a letter goes.
    folded = _QUESTION.sub(" ? ", folded)
    folded = _CLAUSE.sub(" . ", folded)
    folded = _OTHER.sub(" ", folded)
    joined = " ".join(_token(t) for t in folded.split())
    joined = _PHRASES.sub(_phrase, joined)
    return _CLAUSES.sub(" . ", f" {joined} ").strip(" .")
