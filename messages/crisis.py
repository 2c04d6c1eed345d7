"""Crisis detection: does a message speak of suicide, wanting to die or self-harm?

Errs on the side of safety: a false alarm costs a clinician a minute, a miss can cost a life.
Common idioms ("this pain is killing me", "dead tired", "dying to try") are not crises.
Matching runs on a normalised copy of the text (lower case, straight apostrophes, no
"can't"/"cant" ambiguity), in English and Spanish.
"""

from __future__ import annotations

import re
import unicodedata

_ME = r"(?:my\s*self|myself|meself|my\s+own\s+self)"

_PATTERNS_EN = [
    r"\bsuicid\w*",
    r"\bkill(?:ing|ed)?\s+" + _ME,
    r"\b(?:kms|kys)\b",
    r"\bunalive\w*",
    r"\bend(?:ing)?\s+(?:it\s+all|my\s+(?:own\s+)?life|my\s+lif|everything|things|my\s+suffering)",
    r"\b(?:want|wanna|wanted|going|gonna|ready|plan(?:ning)?|need)\s+(?:to\s+)?end\s+it\b",
    r"\btake\s+my\s+(?:own\s+)?life\b",
    r"\b(?:want|wanna|wanted|wanting|wish|ready|going|gonna|plan(?:ning)?|prefer)\s+(?:to\s+)?die\b",
    r"\b(?:i|im|i am|id|i would)\s+(?:just\s+|really\s+|honestly\s+)?(?:rather\s+)?(?:want\s+to\s+)?be\s+dead\b",
    r"\brather\s+(?:be\s+)?dead\b",
    r"\brather\s+die\b",
    r"\bwish\s+(?:i\s+)?(?:was|were|could\s+be|had\s+been)\s+dead\b",
    r"\bwish\s+i\s+(?:could\s+)?(?:just\s+)?(?:die|disappear|not\s+wake\s+up|never\s+woke\s+up)\b",
    r"\bwish\s+i\s+(?:was|were)\s*(?:n't|not)\s+(?:here|alive|born)\b",
    r"\bwish\s+i\s+(?:had\s*n't|had\s+not|was\s*n't|were\s*n't)\s+(?:been\s+)?born\b",
    r"\bbetter\s+off\s+(?:dead|gone|without\s+me)\b",
    r"\b(?:no|nothing|not\s+much|nothing\s+left)\s+(?:left\s+)?(?:to\s+)?live\s+for\b",
    r"\bno\s+(?:reason|point|purpose)\s+(?:to|in|for)\s+(?:live|living|go\s+on|going\s+on|be\s+alive|being\s+alive|being\s+here|stay\s+alive)\b",
    r"\b(?:life|living)\s+(?:is\s*n't|is\s+not|isnt|not)\s+worth\s+(?:it|living)\b",
    r"\bnot\s+worth\s+living\b",
    r"\bdo\s*n't\s+want\s+to\s+(?:live|be\s+alive|be\s+here\s+any\s*more|exist|wake\s+up|go\s+on)\b",
    r"\bdo\s+not\s+want\s+to\s+(?:live|be\s+alive|be\s+here\s+any\s*more|exist|wake\s+up|go\s+on)\b",
    r"\bcan\s*not\s+go\s+on\s*(?:any\s*more|like\s+this|living|$)",
    r"\bcan\s*not\s+(?:keep\s+)?(?:living|do\s+this\s+any\s*more)\b",
    r"\bself[\s-]*harm\w*",
    r"\b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|injure|injuring)\s+" + _ME,
    r"\bover\s*dos(?:e|ed|ing)\b",
    r"\b(?:hang|hanging|shoot|shooting|drown|drowning|poison|poisoning)\s+" + _ME,
    r"\bslit\s+my\s+wrists?\b",
    r"\btake\s+(?:all|every\s*one|the\s+whole\s+bottle)\s+(?:of\s+)?(?:my\s+)?(?:pills|meds|medication|tablets)\b",
    r"\bjump\s+(?:off|in\s+front\s+of)\s+(?:a|the|my)\b",
    r"\bnot\s+(?:be\s+)?(?:around|here)\s+(?:much\s+longer|for\s+long|tomorrow)\b",
    r"\bgoodbye\s+(?:forever|everyone|cruel\s+world)\b",
]

_PATTERNS_ES = [
    r"\bquiero\s+morir\w*",
    r"\bme\s+quiero\s+morir\b",
    r"\bmatarme\b",
    r"\bme\s+voy\s+a\s+matar\b",
    r"\bquitarme\s+la\s+vida\b",
    r"\bno\s+quiero\s+(?:vivir|seguir\s+viviendo|estar\s+aqui|despertar)\b",
    r"\bhacerme\s+(?:dano|mal)\b",
    r"\bmejor\s+muert[oa]\b",
    r"\bno\s+vale\s+la\s+pena\s+vivir\b",
    r"\bacabar\s+con\s+(?:todo|mi\s+vida)\b",
    r"\bcortarme\b",
]

_CRISIS = re.compile("|".join(_PATTERNS_EN + _PATTERNS_ES), re.IGNORECASE)


def normalize_for_crisis(text: str) -> str:
    """Lower-case, accent-free text with straight apostrophes and uniform contractions."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[\u2018\u2019\u02bc`´]", "'", folded)
    # "dont", "wasnt" written without the apostrophe
    folded = re.sub(
        r"\b(do|does|did|is|was|were|are|had|have|could|would|should|wo|ca)nt\b", r"\1n't", folded
    )
    folded = re.sub(r"\bcan'?t\b|\bcannot\b|\bcan not\b", "can not", folded)
    folded = re.sub(r"\bwon'?t\b", "will not", folded)
    folded = re.sub(r"\bi'?m\b", "im", folded)
    folded = re.sub(r"\bi'?d\b", "id", folded)
    folded = re.sub(r"[^\w\s'-]", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def is_crisis(text: str) -> bool:
    """True when `text` speaks of suicide, wanting to die or self-harm."""
    if not text:
        return False
    return _CRISIS.search(normalize_for_crisis(text)) is not None
