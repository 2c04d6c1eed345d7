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

# (before, matched, after, level, rest) -> level; `after` ends with the clause, `rest` does not.
Guard = Callable[[str, str, str, str, str], str | None]

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


def _es_morir(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.match(
        r"\s*de (?:la |el )?(?:risa|verguenza|hambre|sueno|ganas|frio|calor|cansancio|aburrimiento|envidia|amor|"
        r"gusto|emocion|nervios)|\s*(?:tranquil[oa]|en paz) (?:cuando|de viej)|\s*de viej",
        after,
    ):
        return None
    return level


def _es_seguir(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # "no quiero seguir con los ejercicios" is about the programme; "no quiero vivir con este
    # dolor" is not.
    if re.match(
        r"\s*(?:con|en) (?:el|la|los|las|este|esta|estos|estas|mi|mis) (?:programa|mensajes|textos|"
        r"grupo|ejercicios|ejercicio|tratamiento|terapia|medicamento|medicina|pastillas|clases|curso)"
        r"|\s*(?:haciendo|tomando|recibiendo|yendo)\b",
        after,
    ):
        return None
    return level


def _es_suicidio(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.search(
        r"\b(?:escuadron|mision|es un|seria un|eso es un|fue un|politico|social|profesional)\s*$",
        before,
    ):
        return None
    if re.match(r"\s*(?:squad|politico|social|profesional)\b", after):
        return None
    if re.search(
        r"\b(?:prevencion|documental|pelicula|libro|articulo|noticia|programa)\b",
        before + " " + after,
    ):
        return CONCERN
    if re.match(r"\bse suicid", "se " + matched) and re.search(r"\bse\s*$", before):
        return CONCERN
    return level


def _es_accident(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    if re.search(
        r"\b(?:a proposito|adrede|otra vez|de nuevo|para sentir|porque me lo merezco)\b", after
    ):
        return CRISIS
    if _INTENT_BEFORE.search(before) and not re.match(
        r"\s*(?:con (?:los|el|las|estos|estas) (?:ejercicios|ejercicio|estiramientos)|haciendo|al )",
        after,
    ):
        return CRISIS
    if re.match(
        r"\s*(?:el|la|los|las|un|una|mi|con|en|al|haciendo|cocinando|pelando|sin querer|por accidente|"
        r"cortando|picando|planchando|contra|jugando|en el|trabajando|limpiando|la espalda|la rodilla)\b",
        after,
    ):
        return None
    return level


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


def _staring(before: str, matched: str, after: str, level: str, rest: str = "") -> str | None:
    # Staring at, holding, sitting with the pills is a warning; looking at them may be a check.
    if re.match(r"(?:staring|stared|holding|held|sitting)", matched):
        return level
    if re.search(
        r"\bfor (?:an|a|hours|ages|a long|the last|so long|ever)\b|\bagain\b", after + " " + rest
    ):
        return level
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


GUARDS: dict[str, Guard] = {
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
