"""Guards for self-harm and methods: an accident is not self-harm, a dose question is not an
overdose, pills taken as prescribed are not a method. See guards.py for how guards work."""

from __future__ import annotations

import re

from messages.crisis.families import CONCERN, CRISIS

_INTENT_AFTER = re.compile(
    r"^\s*(?:again\b|on purpose|deliberately|intentionally|to feel|to punish|so i (?:could|can|would)|"
    r"to cope|to numb|to release|to make it stop|because i (?:deserve|hate))"
)


_INTENT_BEFORE = re.compile(
    r"\b(?:want|wanna|wanted|going to|gonna|urge|urges|tempted|thinking|thought about|feel like|"
    r"felt like|need to|needed to|might|could|will|afraid i|scared i|keep|kept|started|"
    r"relapsed|again|would|try to|tried to|planning|plan to|quiero|voy a|ganas de|pienso)\b"
)


_ACCIDENT = re.compile(
    r"\b(?:by accident|accidentally|by mistake|not on purpose|shaving|cooking|chopping|slicing|"
    r"peeling|making|baking|gardening|opening|while|when (?:i was |i were )?(?:cooking|making|"
    r"chopping|opening|fixing|cleaning|gardening|shaving|working)|with a (?:kitchen|can|bread)|"
    r"in the kitchen|at work|at dinner|doing the dishes|washing|fixing|on (?:a|the|my|some|an) "
    r"(?!purpose)|on glass|paper|trimming|carving the|ironing|the stove|the oven|the iron|the pan|"
    r"hot (?:water|oil|tea|coffee|pan)|grill|lifting|carrying|moving|pulling|reaching|falling|fell|"
    r"slipped|tripped|stretching|exercis\w*|workout|doing (?:the|my|some|those|these)|at (?:the )?"
    r"(?:gym|physio|pt)|playing|in my (?:back|knee|neck|shoulder|hip|ankle|wrist)|"
    r"my (?:back|knee|neck|shoulder|hip|ankle))\b"
)


# An injury told as news: "I hurt myself yesterday, badly". Only for hurting, never cutting.
_INJURY_NEWS = re.compile(
    r"\b(?:yesterday|the other day|last (?:week|night)|this morning|pretty bad|badly|a bit|a little|"
    r"again (?:doing|lifting|on|at))\b"
)


_WITH_A_TOOL = re.compile(
    r"\bwith (?:a|my|the) (?:lighter|razor|blade|cigarette|match|matches|belt|compass|pin)\b"
)


_NOT_THE_BODY = re.compile(
    r"^\s*(?:a|an|some|another|the|a bit of|a piece|a slice|myself a|myself some)\b"
)


def _accident(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if _INTENT_AFTER.match(after) or re.search(
        r"\b(?:on purpose|deliberately|intentionally)\b", after
    ):
        return CRISIS
    if (
        _NOT_THE_BODY.match(after)
        or re.match(r"\s*(?:off|short|loose|free|out|in|some slack)\b", after)
    ) and "myself" in matched:
        return None  # "cut myself a slice", "cut myself off from caffeine"
    if _ACCIDENT.search(after) or re.search(r"\b(?:paper|shaving)\s*$", before):
        return None
    return level


_HURT_BARE = {
    "hurt": CONCERN, "hurting": CONCERN, "burn": CONCERN, "burned": CONCERN, "burnt": CONCERN,
    "burning": CONCERN, "punish": CONCERN, "punishing": CONCERN, "punished": CONCERN,
    "starve": CONCERN, "starving": CONCERN, "starved": CONCERN, "bite": CONCERN,
    "biting": CONCERN, "bit": CONCERN, "bruise": CONCERN, "bruised": CONCERN,
    "bruising": CONCERN,
}  # fmt: skip


def _hurt_myself(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    verb = matched.split()[0]
    if verb in {"beat", "beating", "pinch", "pinching"}:
        return None  # "beating myself up", "had to pinch myself": idioms
    if _INTENT_AFTER.match(after) or re.search(
        r"\b(?:on purpose|deliberately|intentionally)\b", after
    ):
        return CRISIS
    if _ACCIDENT.search(after) or re.match(r"\s*(?:up|out|too hard|over)\b", after):
        return None
    if (
        _INTENT_BEFORE.search(before)
        or re.search(r"\bagain\b", after)
        or _WITH_A_TOOL.search(after)
    ):
        return CRISIS
    if _INJURY_NEWS.search(after):
        return None
    return _HURT_BARE.get(verb, level)


_DOSE_QUESTION = re.compile(
    r"(?:^|\b)(?:is|would|will|can|could|does|did|if|how many|how much|am i|should i|what if|"
    r"is it|was it|safe|ok|okay|too much|by accident|accidentally|by mistake|forgot|forget)\b"
)


def _dose_question(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    clause = f"{before} {matched} {after}"
    food = re.match(
        r"\s*on (?!my|the|his|her|all|pills|meds|medication|drugs|tablets|painkillers|opioids|heroin|fentanyl|oxy)(\w+)",
        after,
    )
    if food:
        return None  # "overdosed on chocolate": a figure of speech
    if re.search(r"\b(?:by accident|accidentally|by mistake|not on purpose)\b", clause):
        return CONCERN
    if "?" in after and _DOSE_QUESTION.search(before + " " + after.split("?")[0]):
        return None
    if re.search(r"\b(?:risk of|prevent|narcan|naloxone|signs of|danger of|avoid)\b", before):
        return None
    return level


_TAKEN_AS_PRESCRIBED = re.compile(
    r"\b(?:today|this morning|this evening|on time|like (?:i|you)|as (?:prescribed|directed|"
    r"told)|with (?:breakfast|lunch|dinner|food|water|my meal)|already|for the day|for today|"
    r"yesterday|every day|daily|a day|in the morning|at (?:night|bedtime|breakfast|\d)|before bed|"
    r"so far|and (?:feel|i feel)|of water|of juice|of soda|of milk|of shampoo|of lotion)\b"
)


def _pills(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    verb = matched.split()[0]
    clause = f"{before} {matched} {after}"
    if re.search(
        r"\b(?:at once|all at once|at the same time|together|to die|to end|to not wake|to never wake|and (?:go to sleep|never))\b",
        after,
    ):
        return CRISIS
    if "?" in after and _DOSE_QUESTION.search(before + " " + after.split("?")[0]):
        return None
    if re.search(r"\b(?:by accident|accidentally|by mistake|not on purpose)\b", clause):
        return CONCERN
    if re.search(
        r"\b(?:going to|gonna|want to|wanna|about to|planning to|plan to|will|might|ready to)\s*$",
        before,
    ):
        return CRISIS
    if re.search(
        r"\bof (?:wine|vodka|whiskey|whisky|rum|gin|tequila|beer|alcohol|liquor)\b", after
    ):
        return CONCERN
    if _TAKEN_AS_PRESCRIBED.search(after):
        return None
    if verb in {"take", "taking", "tomar"} and not _INTENT_BEFORE.search(before):
        return None  # "I take a lot of pills", "taking all my meds": adherence, not intent
    return level


def _pills_saving(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    verb = matched.split()[0]
    if verb in {
        "keeping",
        "kept",
        "storing",
        "store",
        "stored",
        "counting",
        "counted",
    } and not re.search(
        r"\b(?:up|enough|stash|all my|just in case|for (?:when|the day|later|one day|the end))\b",
        f"{matched} {after}",
    ):
        return None
    if re.match(
        r"\s*(?:for (?:my|the|a|our) (?:trip|vacation|holiday|travel|flight|pharmacy|refill)|in (?:a|the|"
        r"my) (?:box|organi[sz]er|cabinet|drawer|fridge|bag|purse)|on (?:my|the) (?:insurance|bill)|"
        r"money|with (?:a|the) (?:coupon|card|discount))",
        after,
    ):
        return None
    return level


def _jump(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.match(
        r"\s*(?:\w+ )?(?:bridge|building|roof|rooftop|cliff|balcony|overpass|tower|ledge|parking|window|"
        r"train|bus|car|truck|traffic|subway|tracks|river|lake|ocean|sea|highway|freeway|lorry|tram|"
        r"tree|wall|pole|ditch|oncoming)",
        after,
    ):
        return level
    return None


def _body_hurt(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "burned my arm with a cigarette on purpose" is self-harm; "burned my hand on the kettle" is not.
    if re.search(
        r"\b(?:on purpose|deliberately|intentionally|again|to feel|to punish|until it bled|till it bled|until i bled|till i bled|until it bruised)\b",
        after,
    ):
        return CRISIS
    if _WITH_A_TOOL.search(after) or _INTENT_BEFORE.search(before):
        return CRISIS
    return None


def _method_idiom(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.match(r"\s*in the (?:foot|feet|leg)\b", after):
        return None  # "shot myself in the foot"
    return level


def _staring(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # Staring at, holding, sitting with the pills is a warning; looking at them may be a check.
    if re.match(r"(?:staring|stared|holding|held|sitting)", matched):
        return level
    if re.search(
        r"\bfor (?:an|a|hours|ages|a long|the last|so long|ever)\b|\bagain\b", after + " " + rest
    ):
        return level
    return CONCERN
