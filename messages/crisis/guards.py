"""Guards: rules about meaning that lower a phrase match that is an idiom, an accident or a
figure of speech. Each reads the words after (and sometimes before) the match in its clause.

A guard returns the level to keep (`crisis` or `concern`) or None to drop the match. Write a
guard as a rule about what the words mean ("cut" with an object that is not the body, "end
it" whose object is a call or a relationship), never as a list of test sentences. When a
guard is unsure it keeps the match: a false alarm costs a clinician a minute.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from messages.crisis.families import CONCERN, CRISIS
from messages.crisis.guards_es import _es_accident, _es_morir, _es_seguir, _es_suicidio
from messages.crisis.guards_harm import (
    _accident,
    _body_hurt,
    _dose_question,
    _hurt_myself,
    _jump,
    _method_idiom,
    _pills,
    _pills_saving,
    _staring,
)

# (before, matched, after, level, rest) -> level; `after` ends with the clause, `rest` does not.
Guard = Callable[[str, str, str, str, str], str | None]


def _die(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "to die for", "die laughing", "dying my hair", "going to die if I don't get coffee"
    if re.match(
        r"\s*(?:for\b|laughing|of (?:laughter|embarrassment|boredom|shame|hunger|cold|heat|"
        r"jealousy|envy|cuteness)|from (?:embarrassment|laughter|boredom)|my hair|the hair|her hair|"
        r"his hair|hair|it|them|eggs|clothes|fabric|my (?:clothes|shirt|roots|eyebrows)|if\b|warmed|"
        r"when i see|happy\b|at peace when|old\b|of old age|someday|one day|eventually)",
        after,
    ):
        return None
    return level


def _rather(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "I'd rather die than live like this" is a crisis; "than go to the dentist" is a figure.
    if re.match(r"\s*than\b", after):
        if re.match(
            r"\s*than (?:live|go on|keep living|keep going|be in (?:this )?pain|suffer|feel "
            r"(?:this|like this)|be a burden|wake up|continue|face|spend|be alive|exist)",
            after,
        ):
            return CRISIS
        return None  # "I'd rather die than go to that party": a figure of speech
    return level


def _wake(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "I hope I don't wake up in pain again" is about the pain, not about dying.
    if re.match(
        r"\s*(?:with|in (?:pain|agony|the night|a|the middle)|feeling|stiff|sore|early|late|at|too|"
        r"before|so|this|like that|hurting|aching|during|screaming|crying|again (?:in|with)|"
        r"until|till|til|for|the (?:kids|baby|dog|neighbors|house)|him|her|them|anyone|my)\b",
        after,
    ):
        return None
    return level


def _continue(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "I don't want to continue the program" is a note; "don't want to go on" is not.
    if matched.endswith(("wake up", "wake")):
        return _wake(before, matched, after, level)
    if re.match(
        r"\s*(?:with |to |in |at )?(?:the|this|these|that|those|my|a|an|our|on the|on a)\s+"
        r"(?:program|programme|texts?|group|exercises?|course|class|study|messages?|walk|walking|"
        r"appointments?|treatment|therapy|physio|job|work|trip|holiday|vacation|meds|medication|"
        r"pills|diet|app|hospital|clinic|office|meeting|city|town|house|party|call|session)",
        after,
    ) or re.match(r"\s*(?:with|doing|taking|like this with)\b", after):
        return None
    if re.match(r"\s*(?:in|at) (?:the|this) ", after):
        return CONCERN
    return level


def _disappear(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.match(
        r"\s*(?:for (?:a|the|an|one|two|few|some|awhile|a while)\b|to (?:a|an|the|my) "
        r"(?:island|beach|cabin|mountains|lake|bed|room)|into (?:a|the|my) (?:book|bed|room|garden))",
        after,
    ):
        return None
    return level


_FIGURE = re.compile(
    r"\b(?:career|social|political|financial|professional|electoral|commercial|brand|fashion|"
    r"dietary|academic|relationship|tactical|corporate|economic|culinary|marketing|business|"
    r"it would be|that would be|that is|it is|would be|basically|pure|total|like)\s*$"
)
_FIGURE_AFTER = re.compile(
    r"^\s*(?:squad|doors?|runs?|drills?|sprints?|missions?|bomb\w*|attacks?|kings?|lane|jumps?|"
    r"burpees|wings|is painless|shift|pact)\b"
)
_TOPIC = re.compile(
    r"(?:\b(?:documentary|movie|show|book|article|podcast|film|episode|lecture|class|talk|news|"
    r"series|song|story|report|study|research|training)\b.*$)|\b(?:about|on|regarding|of)\s*$"
)


def _suicide(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if matched.startswith("suicidal"):
        return level
    if _FIGURE_AFTER.match(after) or _FIGURE.search(before):
        return None
    if re.search(
        r"\b(?:is|was|be|are)(?: pure| total| basically| literally| like| just)?\s*$", before
    ) and not re.search(r"\b(?:i|me|my)\b", before):
        return None  # "running in this heat is suicide": a figure of speech
    if re.match(
        r"^\s*(?:prevention|awareness|walk|rates?|statistics|research|numbers|figures|month|day|week)\b",
        after,
    ):
        return None  # the topic in the news or a campaign, not the person
    if re.match(r"^\s*(?:hotline|line|watch|survivors?|attempt|attempts)\b", after):
        return CONCERN if not re.search(r"\b(?:i|my|me)\b", before) else level
    if re.search(
        r"\b(?:movie|film|show|documentary|book|article|podcast|episode|news|song|series|novel|"
        r"play|story)s? (?:about|on|called|named)\s*$",
        before,
    ):
        return None  # the topic of something watched or read, not the person
    if re.search(
        r"\b(?:watch\w*|read\w*|saw|seeing|heard|talk\w*|discuss\w*|learn\w*|spoke|speak\w*|"
        r"lecture|class|group)\b",
        before,
    ) and _TOPIC.search(before):
        return CONCERN
    return level


def _killing_myself(
    before: str, matched: str, after: str, level: str, rest: str = ""
) -> str | None:
    if re.match(
        r"\s*(?:laughing|at (?:work|the gym|the office|physio|my job)|working|trying|to (?:get|make|"
        r"finish|keep|please|pay|meet|impress|earn|clean)|over (?:this|that|the|a|my|work|nothing)|"
        r"for (?:this|that|them|you|my job|work|nothing|a)|with (?:work|exercise|this workout|the "
        r"workout|overtime|chores|housework|cleaning|the exercises|these exercises)|doing|at this)\b",
        after,
    ) and not re.search(r"\b(?:killed|kill) myself$", matched):
        return None
    if re.search(r"\b(?:nearly|almost)\s*$", before) and re.match(
        r"\s*(?:\w+ing|on|with|when|by|falling)\b", after
    ):
        return None  # "I nearly killed myself tripping on the rug"
    if re.match(
        r"\s*slowly (?:with|by) (?:smoking|food|sugar|eating|drinking|cigarettes|stress|work)",
        after,
    ):
        return CONCERN
    return level


def _end_it(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.match(
        r"\s*(?:here|there|now with|call|conversation|chat|text|program|programme|session|group|week|"
        r"month|year|relationship|meeting|subscription|texts|messages|day|evening|night|morning|walk|"
        r"exercise|workout|chapter|book|show|movie|episode|game|list|meal|visit|trip|class|lease|"
        r"contract|the (?:call|conversation|day|week|texts|program|relationship|\w+ with)|on a (?:good|high|positive|happy|nice) note|early|with "
        r"(?:a|him|her|my|the|some)|off with|by (?:stretching|walking|breathing|doing))\b",
        after,
    ):
        return None
    return level


def _thoughts_death(
    before: str, matched: str, after: str, level: str, rest: str = ""
) -> str | None:
    last = matched.split()[-1]
    benign = {
        "ending": r"\s*(?:the|my|our|this|that|a|things with|it with)\b(?! life)",
        "killing": r"\s*(?:time|the|my (?:plants|lawn|garden)|it|weeds|bugs)\b",
        "jumping": r"\s*(?:in|into|rope|jacks|on|back|up|around|at)\b",
        "hanging": r"\s*(?:out|up|the|pictures|curtains|on|around|with|shelves)\b",
        "taking": r"\s*(?:on time|today|tonight|with|before|after|as|in the)\b",
        "my": r"",
    }
    pattern = benign.get(last)
    if pattern and re.match(pattern, after):
        return None
    if last in {"dying", "death"} or matched.endswith("being dead"):
        if re.match(r"\s*(?:of (?:my|her|his|a|the|our)|s\b|and (?:grief|loss))", after):
            return CONCERN
        return level  # "I think about dying every day": passive ideation
    return level


_DEATH_WORDS = re.compile(
    r"\b(?:die|dying|death|dead|end it|end my|kill|suicide|pills|gun|rope|jump|overdose|goodbye|"
    r"not wake|never wake|gone|tonight|friday|saturday|sunday|monday|tuesday|wednesday|thursday|"
    r"tomorrow|this weekend|do it|it|done)\b"
)


def _plan(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "I have a plan" alone, or a plan with a day or a means, is a plan; "my plan is to walk
    # more" or "a plan for the week" is not.
    tail = after.strip()
    if not tail or tail.startswith("?") or _DEATH_WORDS.search(tail):
        return level
    return None


def _travel(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    clause = f"{before} {after} {' '.join(rest.split()[:8])}"
    if re.search(
        r"\b(?:because|going|go|on holiday|on vacation|travel\w*|away|visiting|visit|trip|out of town|"
        r"at (?:the|my|a)|in (?:the )?hospital|surgery|appointment|working|work|flight|flying|camping|"
        r"busy|cruise|holiday|vacation|moving|move|wedding|funeral|conference|for (?:the|our|my|a) "
        r"|dentist|doctors?|dr|hospital|physio|clinic|therapy|pt|school|church|surgery|procedure|"
        r"(?:tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday) "
        r"(?:morning|afternoon|evening|night)|"
        r"(?:session|group|call|class|meeting|check)|session|class|group|meeting|leaving for|so )",
        clause,
    ):
        return None
    return level


def _note(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.search(r"\b(?:left|leave|leaving)\b", matched) and not re.search(r"\bmy\b", matched):
        return CONCERN
    return level


def _give_away(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    tail = matched.split("away", 1)[-1] + " " + after
    if re.search(
        r"\b(?:old|spare|extra|baby|winter|summer|outgrown|unused|kids|childrens|sons|daughters)\b"
        r"|\bto (?:charity|goodwill|the thrift|a thrift|donation|the church|the shelter|a friend|my "
        r"(?:sister|brother|neighbou?r|niece|nephew|friend))\b|\b(?:tickets|puppies|kittens|samples)\b",
        tail,
    ):
        return None
    return level


def _goodbye(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.match(
        r"\s*(?:to (?:my|the|our|her|his|a) (?!family|kids|children|loved|world)\w+|before (?:the|my|our|"
        r"i|we) (?:trip|move|surgery|flight|vacation|holiday|leave|go (?:on|to|for)|head)|at the "
        r"(?:airport|station|door)|for (?:now|today|the (?:day|night|week|weekend))|until|till|see you)",
        after,
    ) or re.search(
        r"\bsay goodbye to (?:my|the|our|her|his) (?!family|kids|children|loved)\w+", matched
    ):
        return None
    return level


def _nobody(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if "miss" in matched or "funeral" in matched or "mourn" in matched:
        return level
    if re.match(
        r"\s*(?:if|when|that) i (?:die|died|was gone|were gone|disappeared|disappear|was dead|were "
        r"dead|killed|am gone|was not here|were not here|did not wake|never woke|stopped breathing)",
        after,
    ):
        return level
    if after.strip() and not after.strip().startswith("."):
        return None  # "nobody would notice if I skipped a day"
    return level


def _way_out(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "no way out of this parking lot" is about a place; "no way out of this pain" is not.
    place = re.match(r"\s*of (?:this|the|that|my|our|here)\s+(\w+)", after)
    if place and place.group(1) not in {
        "life",
        "pain",
        "body",
        "hell",
        "situation",
        "mess",
        "world",
        "nightmare",
        "darkness",
        "hole",
        "misery",
        "depression",
    }:
        return None
    return level


def _time_to_go(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    tail = f"{after} {rest}"
    if re.search(
        r"\b(?:love you|goodbye|forever|sorry|forgive|for good|take care of|miss me)\b", tail
    ):
        return CRISIS
    if re.match(r"\s*(?:to|for|home|now|to bed|to sleep|to the|out|shopping|walk)\b", after):
        return None
    return CONCERN


_COPING = re.compile(
    r"\bbut (?:i am |im )?(?:hanging in|ok|okay|managing|coping|fine|getting through|doing the|"
    r"keeping going|still going)|\bhanging in there\b"
)
_LAUGHTER = re.compile(r"\b(?:lol|lmao|haha\w*|jk|rofl|lmfao)\b")
_SERIOUS = re.compile(r"\bnot (?:joking|kidding)\b|\bseriously\b|\bfor real\b|\bfr\b")


def _coping(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "hopeless about this pain sometimes, but I'm hanging in there": coping, not a warning.
    if level == CONCERN and _COPING.search(f"{before} {matched} {after} {rest}"):
        return None
    return level


def _joking(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "kill me now, the traffic was awful lol": a joke; "not joking" keeps it.
    text = f"{before} {matched} {after} {rest}"
    if _LAUGHTER.search(text) and not _SERIOUS.search(text):
        return None
    return level


def _sleep_forever(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "I could sleep forever after that session": tiredness; "I want to sleep forever" is not.
    if matched.startswith(("sleep", "rest")) and re.search(r"\b(?:could|can|would)\s*$", before):
        return None
    return level


GUARDS: dict[str, Guard] = {
    "sleep_forever": _sleep_forever,
    "staring": _staring,
    "coping": _coping,
    "joking": _joking,
    "way_out": _way_out,
    "time_to_go": _time_to_go,
    "body_hurt": _body_hurt,
    "method_idiom": _method_idiom,
    "die": _die,
    "rather": _rather,
    "wake": _wake,
    "continue": _continue,
    "disappear": _disappear,
    "suicide": _suicide,
    "killing_myself": _killing_myself,
    "end_it": _end_it,
    "thoughts_death": _thoughts_death,
    "accident": _accident,
    "hurt_myself": _hurt_myself,
    "dose_question": _dose_question,
    "pills": _pills,
    "pills_saving": _pills_saving,
    "jump": _jump,
    "plan": _plan,
    "travel": _travel,
    "note": _note,
    "give_away": _give_away,
    "goodbye": _goodbye,
    "nobody": _nobody,
    "es_morir": _es_morir,
    "es_seguir": _es_seguir,
    "es_suicidio": _es_suicidio,
    "es_accident": _es_accident,
}
