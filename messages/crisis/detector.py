"""The crisis detector: normalise, match every phrase family, apply guards, then negation and
third-party rules, and keep the strongest level with the family that raised it.

Layers, in order:
1. `normalise()` (one spelling; misspelt key words corrected by edit distance);
2. every pattern of `families.ALL` is searched; a match is read inside its clause only;
3. the pattern's guard (an idiom, an accident, a figure of speech) may drop or lower it;
4. a negation just before the match ("I'm not suicidal", "I would never") or a third person
   as its subject ("my friend died by suicide") lowers it to `concern`: still a person's look;
5. when no phrase matched, a last layer looks for ideas that belong together inside one
   clause, in any word order ("don't see the point anymore of being alive": a negation, a
   meaning word and a life word), so that a new way of saying a family's thing is caught;
6. the strongest level wins: `crisis` over `concern`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from messages.crisis.families import ALL, CONCERN, CRISIS, ES, Pattern
from messages.crisis.guards import GUARDS
from messages.crisis.normalise import normalise

_ES_PATTERNS = frozenset(id(p) for p in ES)
_RANK = {None: 0, CONCERN: 1, CRISIS: 2}

_NEGATORS_EN = frozenset({"not", "never", "nor"})
_NEGATORS_ES = frozenset({"no", "nunca", "jamas", "tampoco", "ni"})
# "not" that does not negate what follows: "not sure", "can not stop thinking about".
_NOT_A_NEGATION = re.compile(
    r"\b(?:not|no) (?:sure|know|certain|stop|help|anymore|lie|going to lie|gonna lie|kidding|"
    r"joking|gonna|one|body|longer sure|doubt|se|sé|puedo dejar de|dejo de|aguanto|sabe|se si)\b"
    r"|\b(?:can|could) not (?:stop|help|get)\b|\bnot (?:going to|gonna) make it\b|\bno (?:one|body|reason|point|way|more|hope|future)\b"
    r"|\bnot (?:only|just)\b"
)
_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine", "yo", "mi", "mis", "conmigo"})
_THIRD_PERSON_EN = frozenset(
    """he she they him her his hers them their theirs himself herself themselves friend friends
    brother sister mom mother mum dad father son daughter husband wife cousin uncle aunt
    neighbor neighbour coworker partner boyfriend girlfriend someone somebody people person
    patient grandma grandpa grandmother grandfather nephew niece kid kids child children teen
    teenager classmate colleague boss fiance ex character guy girl man woman celebrity actor
    singer""".split()
)
_THIRD_PERSON_ES = frozenset(
    """amigo amiga hermano hermana mama papa madre padre hijo hija esposo esposa marido primo
    prima tio tia vecino vecina abuelo abuela el ella ellos ellas alguien novio novia companero
    companera suicido""".split()
)
_FIRST_PERSON_MATCH = re.compile(r"\b(?:i|me|my|myself|mine|matarme|morirme|quiero|soy|mi|me)\b")


@dataclass(frozen=True)
class CrisisResult:
    """The detector's verdict: `level` is None, `concern` or `crisis`; `reason` the family."""

    level: str | None = None
    reason: str | None = None

    @property
    def crisis(self) -> bool:
        """A crisis: the fixed resources reply and an urgent alert."""
        return self.level == CRISIS

    @property
    def concern(self) -> bool:
        """A concern: the same reply and an alert marked for review."""
        return self.level == CONCERN


NO_CRISIS = CrisisResult()


def _clause_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The words of the match's clause before it and after it ('.' ends a clause; a '?'
    stays in `after` so guards can see a question), and the rest of the message after that."""
    before = text[:start]
    cut = before.rfind(" . ")
    before = before[cut + 3 :] if cut >= 0 else before
    after = rest = text[end:]
    cut = after.find(" . ")
    if cut >= 0:
        after, rest = after[:cut], after[cut + 3 :]
    else:
        rest = ""
    return before, after, rest


def _negated(before: str, matched: str, spanish: bool) -> bool:
    # Spanish puts "no" right before the verb ("no me quiero morir"); further back it
    # belongs to another verb ("si el dolor no para me voy a matar").
    words = before.split()[-1:] if spanish else before.split()[-4:]
    negators = _NEGATORS_ES | _NEGATORS_EN if spanish else _NEGATORS_EN
    if not any(w in negators for w in words):
        return False
    # The exception may run into the match: "can not" + "stop cutting".
    return not _NOT_A_NEGATION.search(" ".join(before.split()[-6:]) + " " + matched + " ")


def _third_party(before: str, matched: str, after: str, spanish: bool) -> bool:
    if _FIRST_PERSON_MATCH.search(matched):
        return False
    if re.match(r"\s*(?:himself|herself|themselves|yourself)\b", after):
        return True
    third = _THIRD_PERSON_ES if spanish else _THIRD_PERSON_EN
    if spanish and matched.split()[-1] in third:  # "se suicido": he or she did
        return True
    for word in reversed(before.split()[-8:]):
        if word in _FIRST_PERSON:
            return False
        if word in third:
            return True
    return False


def _judge(text: str, pattern: Pattern, match: re.Match[str]) -> str | None:
    before, after, rest = _clause_around(text, match.start(), match.end())
    matched = match.group(0)
    level: str | None = pattern.level
    if pattern.guard:
        level = GUARDS[pattern.guard](before, matched, after, level, rest)
        if level is None:
            return None
    spanish = id(pattern) in _ES_PATTERNS
    # Burden is said of oneself even when others are its subject ("my kids deserve better").
    third = pattern.family != "burden" and _third_party(before, matched, after, spanish)
    if _negated(before, matched, spanish) or third:
        return CONCERN
    return level


# Ideas that, together in one clause, say a family's thing whatever the word order.
_NEG = frozenset(
    {"not", "never", "no", "nothing", "nor", "none", "nunca", "nada", "ningun", "ninguna"}
)
_MEANING = frozenset({"point", "reason", "purpose", "sense", "meaning", "worth", "use", "sentido",
                      "razon", "motivo", "motivos", "razones", "caso"})  # fmt: skip
_LIFE = frozenset({"alive", "living", "live", "life", "existing", "exist", "existence", "vivir",
                   "vida", "viviendo", "vivo", "viva"})  # fmt: skip
_WISH = frozenset({"wish", "hope", "pray", "praying", "want", "wishing", "hoping", "ojala",
                   "quiero", "quisiera", "espero"})  # fmt: skip
_BETTER = frozenset({"better", "happier", "easier", "relieved", "mejor", "felices"})
_GONE = re.compile(
    r"\bwithout me\b|\bif i (?:\w+ )?(?:went away|go away|left|disappeared) (?:forever|for good)\b|"
    r"\bif i (?:\w+ )?(?:was|were|am|had)? ?(?:gone|disappeared|dead|died|vanished|"
    r"(?:not|never) (?:here|around|alive|in it|in the picture|born|in their lives|in your lives))\b|\bsin mi\b|\bsi (?:yo )?(?:no estuviera|desapareciera|me muero|muriera)\b"
)
_WAKE = re.compile(r"\b(?:not|never|no) (?:\w+ )?(?:wake|despertar|despierte|despertara)\b")
_WAKE_BENIGN = re.compile(
    r"\b(?:wake|despertar)\w* (?:up )?(?:with|in|early|late|at|before|feeling|con|temprano|tarde)\b"
)


def _co_occurrence(normal: str) -> CrisisResult:
    for clause in normal.split(" . "):
        words = set(clause.split())
        if words & _NEG and words & _MEANING and words & _LIFE:
            return CrisisResult(CRISIS, "no_reason")
        if words & _BETTER and _GONE.search(clause):
            return CrisisResult(CRISIS, "burden")
        if words & _WISH and _WAKE.search(clause) and not _WAKE_BENIGN.search(clause):
            return CrisisResult(CRISIS, "wish_dead")
    return NO_CRISIS


# --- a gate, so a reply such as "6" or "done, thanks" costs microseconds ---------------------
# Every pattern's regex source holds literal letter runs; a match contains at least one of
# its pattern's content runs (a run of 3+ letters that is not a function word) at the start
# of a word. So a pattern runs only when a word of the message begins with one of its runs. tests/messages/test_crisis.py checks
# that the gated detector answers exactly as the ungated one on every corpus row.
_FUNCTION_WORDS = frozenset(
    """the and you not was for all just are but her his its our out has had have been will
    would could should did does this that these those them they what when where who why
    how any one off own too very with from into onto than then there here about again
    really honestly seriously kind please even still actually literally simply always often
    sometimes badly constantly lowkey kinda""".split()
)


def _content_runs(source: str) -> frozenset[str]:
    cleaned = re.sub(r"\\[a-zA-Z]|\[[^\]]*\]|\{[^}]*\}|\(\?[<!=:P]*", " ", source)
    runs = {r for r in re.findall(r"[a-z]{3,}", cleaned) if r not in _FUNCTION_WORDS}
    return frozenset(runs)


_RUNS = tuple(_content_runs(p.regex.pattern) for p in ALL)
_RUN_INDEX: dict[str, list[int]] = {}
for _i, _runs in enumerate(_RUNS):
    for _run in _runs:
        _RUN_INDEX.setdefault(_run, []).append(_i)
_LONGEST_RUN = max(len(r) for r in _RUN_INDEX)


def _candidates(normal: str) -> list[int]:
    """Indexes of the patterns whose content runs begin a word of the text, in pattern order.

    A run inside a match starts a word of it (runs are split at every regex construct, and
    the patterns glue no letters before a run), so prefixes are enough.
    """
    hits: set[int] = set()
    index = _RUN_INDEX
    for word in set(normal.split()):
        for j in range(3, min(len(word), _LONGEST_RUN) + 1):
            found = index.get(word[:j])
            if found:
                hits.update(found)
    return sorted(hits)


def detect(text: str) -> CrisisResult:
    """Read one message for crisis language: the level and the family that raised it."""
    if not text or not any(c.isalpha() for c in text):
        return NO_CRISIS  # "6", "6 4", "7/10", "👍": no words, no crisis language
    return _detect_normal(f" {normalise(text)} ", gated=True)


def _detect_normal(normal: str, gated: bool) -> CrisisResult:
    best = NO_CRISIS
    indexes = _candidates(normal) if gated else range(len(ALL))
    for index in indexes:
        pattern = ALL[index]
        for match in pattern.regex.finditer(normal):
            level = _judge(normal, pattern, match)
            if _RANK[level] > _RANK[best.level]:
                best = CrisisResult(level, pattern.family)
                if level == CRISIS:
                    return best
    if best.level is None:
        return _co_occurrence(normal.strip())
    return best


def is_crisis(text: str) -> bool:
    """True when `text` is crisis language (not merely a concern)."""
    return detect(text).crisis
