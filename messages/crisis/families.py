"""The phrase families of crisis language, in English and Spanish, on the normal form.

Each family follows a line of the Columbia Suicide Severity Rating Scale screener or of the
published warning-sign lists, so that a clinician reading `crisis_reason` knows what kind of
message it was:

| family | what it covers |
|---|---|
| `wish_dead` | wishing to be dead, to sleep and not wake up, for God to take them |
| `thoughts` | thoughts of suicide or of ending one's life, in any tense |
| `method` | a means: pills, a gun, a rope, a bridge, a train |
| `plan` | intent and plan: when, how, "tonight is the night", "won't be around much longer" |
| `preparing` | preparatory acts: a note written, things given away, saying goodbye |
| `burden` | being a burden, others better off without them, nobody would miss them |
| `no_reason` | no reason to live, life not worth it, cannot go on |
| `trapped` | feeling trapped, no way out |
| `self_harm` | cutting, burning, hurting oneself on purpose |

A pattern is (family, level, regex, guard). `level` is `crisis` or `concern` (the same reply,
an alert marked for review). `guard` names a rule in `guards.py` that reads the match in its
clause and may lower it: an idiom, an accident, a figure of speech. Negation and third-party
mentions are handled for every pattern in `detector.py`.

Write patterns against `normalise()` output only: contractions are spelt out ("do not",
"i am", "i would", "can not"), and misspellings of lexicon words are already corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CRISIS = "crisis"
CONCERN = "concern"


@dataclass(frozen=True)
class Pattern:
    """One way of saying a family's thing."""

    family: str
    level: str
    regex: re.Pattern[str]
    guard: str | None = None


# Fragments ---------------------------------------------------------------------------------
_ADV = r"(?:\s+(?:just|really|honestly|seriously|so|truly|sometimes|still|actually|literally|kind of|all|even|please|simply|kinda|lowkey|fr|badly|often|always|constantly))*"
_WANT = (
    r"(?:want|wants|wanted|wanting|wish|wished|wishing|ready|prefer|need|needed|would like|"
    r"would love|hope|hoping|pray|praying|deserve|plan|planning|planned|trying|try|tried|"
    r"decided|tempted|feel like|feels like|felt like|feeling like|desire|long|longing|choose|chose|ok|okay|fine)"
)
_PILLS = (
    r"(?:pills|meds|medication|medications|medicine|tablets|oxy|oxys|oxycodone|percs|"
    r"percocet|painkillers|pain killers|sleeping pills|opioids|opiates|tramadol|gabapentin|"
    r"morphine|xanax|ambien|tylenol|advil|ibuprofen|paracetamol|insulin|prescriptions|"
    r"hydrocodone|vicodin|norco|fentanyl|lyrica|benzos|valium|klonopin|them)"
)
_OTHERS = (
    r"(?:everyone|everybody|they|people|my family|family|my kids|the kids|my children|"
    r"my husband|my wife|my partner|the world|my son|my daughter|my parents|my mom|my dad|"
    r"all of them|them|you all|y all|yall|my friends|everyone else|things|life|he|she|"
    r"my boyfriend|my girlfriend|my fiance|the family|my loved ones|my grandkids)"
)
_WITHOUT_ME = (
    r"(?:without me|if i (?:was|were|am|was not|were not) (?:gone|dead|not here|not around|"
    r"here)|when i am gone|once i am gone|if i died|if i die|with me gone|after i am gone|"
    r"if i disappeared|if i did not exist|if i was never born)"
)


def _p(family: str, level: str, regex: str, guard: str | None = None) -> Pattern:
    return Pattern(family, level, re.compile(regex), guard)


EN: tuple[Pattern, ...] = (
    # --- wish to be dead ----------------------------------------------------------------
    _p("wish_dead", CRISIS, rf"\b{_WANT}{_ADV}(?: to| for)? (?:die|be dead|death|dying)\b", "die"),
    _p(
        "wish_dead",
        CRISIS,
        rf"\b{_WANT}{_ADV} to dye\b(?! (?:my|the|her|his|it|them|some|a|an|this|that|your|our|their)\b)",
    ),
    _p("wish_dead", CONCERN, r"\b(?:going|gonna|about) to die\b", "die"),
    _p(
        "wish_dead",
        CRISIS,
        r"\brather (?:just )?(?:be dead|die|not exist|not be alive|not be here|not wake up)\b",
        "rather",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:wish|wished|wishing|hope|hoping|pray|praying|want)(?: that)?(?: i)? (?:was|were|could be|had been|would be|am|to be|could just be) (?:dead|gone|not alive|not here|not around|never born)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:wish|wished|wishing|hope|hoping|pray|praying|want|wanted|would like|maybe)(?: that| to| for)?(?: i)?(?: could| would| will| just| simply)* (?:never|not|do not|will not|would not|did not|wont)(?: ever)? (?:wake|wakeup|waking)(?: up)?\b",
        "wake",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:sleep|asleep|bed)(?: tonight)?(?: and| to)? (?:never|not)(?: ever)? wake(?: up)?\b",
        "wake",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:sleep|rest) forever\b|\bnever wake up again\b|\beternal sleep\b|\bnot (?:to )?wake up (?:again|ever|tomorrow|in the morning)\b",
        "sleep_forever",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:do not|did not|no longer|not|never)(?: even| really| honestly| just| ever| actually| think i| think i really| think i even)? (?:want|wanna|wish|care|feel like|like|need) to (?:live|be alive|exist|be here|be around|go on|keep going|keep living|continue living|carry on|wake up|see tomorrow|see another day|be on this earth|breathe|be anymore|stay alive|survive)\b",
        "continue",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:tired|sick|exhausted|weary) of (?:living|being alive|life|existing|being here|waking up|breathing|this life|my life|being me)\b",
    ),
    _p(
        "wish_dead",
        CONCERN,
        r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:it all|everything|all of it|fighting)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:wish|wished|wishing|want|wanted|pray|praying|hope|asking|ask|beg|begging|begged)(?: that| for)? (?:god|the lord|lord|jesus|someone|somebody|something|death|cancer|a truck|a car|a bus|the universe|you|allah|dios) (?:would|will|to|could|please)? ?(?:just )?(?:take me|kill me|end (?:it|me|my life)|let me (?:die|go)|come for me|come get me|hit me|finish me|put me out|call me home|bring me home)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:god|lord|jesus|allah)(?: please| just| why do not you| why will not you| if you are there| can you| would you| will you)* (?:take me|call me home|let me die|end this|end it|kill me)\b(?! (?:to|with|through|out|back|for|along))",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bpray(?:ing|ed)? (?:for|to) (?:death|die|the end|it to be over|not wake|never wake|be taken)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:welcome|long for|longing for|waiting for|wait for|look forward to|looking forward to|ready for) (?:death|dying|the end of my life|my death)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:wish|wished|wishing|want|wanted|hope)(?: that)? (?:i|to)(?: could| would)?(?: just)? (?:disappear|vanish|not exist|stop existing|cease to exist|not be here|not be alive|not have been born|have never been born|never been born|was never born|had never been born|was not born|were not born|had not been born|never existed|fade away|go away forever|be gone)\b",
        "disappear",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bwish i (?:was|were|had) (?:not|never) (?:here|alive|born|around|been born)\b|\bwish i had not been born\b|\bshould never have been born\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bbetter off dead\b|\bshould (?:just )?be dead\b|\bwould be better dead\b|\bi want death\b|\bbe better dead\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:death|dying|being dead|not existing|not being here) (?:would be|is|sounds|seems|feels|looks|would feel|must be)(?: so| like)? (?:better|easier|a relief|nice|peaceful|good|the only|the answer|the best|preferable|like a relief|like the only)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:want|wanted|wish|hope|need|pray)(?: for)? (?:it|life|everything|my life|it all|this life|the world) (?:all )?to (?:end|be over|stop forever|stop for good)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:want|wish|need|hope)(?: it| everything| it all| life| my life| all of it)(?: all)? to (?:stop|end)(?: \.)? (?:permanently|forever|for good|for ever)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:pray|praying|prayed|wish|wishing|hope|hoping|asking|ask|beg|begging)\b(?:\s+\w+){0,4}?\s+(?:god|lord|jesus|dios|allah) (?:would |will |to |could |just )?(?:takes?|took|taking|calls?|called) me\b(?! (?:to|with|through|out|back|along|shopping|home from))",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:wish|wishing|hope|hoping|pray) (?:it|life|everything|my life|it all) (?:would|will|could)(?: all| just| finally| simply)* (?:end|be over)\b",
    ),
    _p(
        "wish_dead",
        CONCERN,
        r"\b(?:wish|wishing|want|hope) (?:this|the pain|it) (?:would|will|to) (?:all )?(?:end|be over|stop) (?:forever|for good|permanently)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:i am|am|i feel|feel) (?:so )?(?:done|finished) (?:with )?(?:life|living|being alive|this life|existing)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bwant out of (?:this life|life|this world|here forever|existence)\b|\bwant to leave this (?:world|earth|life)\b|\bleave this world\b",
    ),
    _p(
        "wish_dead",
        CONCERN,
        r"\b(?:just|please|someone|somebody|would you|can someone|could someone|i want someone to|i wish someone would) kill me\b|\bkill me now\b",
        "joking",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bwhy am i (?:still )?(?:alive|here|living|breathing)\b|\bwhy (?:do|should) i (?:even )?(?:keep living|stay alive|bother living|keep going|go on living|live)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:want|wanted|wish|ready|need)(?: to)? (?:go to )?sleep and (?:never|not) (?:wake|come back)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bready to (?:go|leave|be gone) (?:for good|forever|permanently|home to (?:god|the lord|jesus))\b|\bready to (?:meet|see) (?:my maker|god|jesus)\b|\bi am ready to go (?:now|already)(?=\s*(?:[.?]|$))",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:do not|dont) care (?:if|whether) i (?:live|die|wake up|am alive|make it)\b",
    ),
    _p(
        "wish_dead",
        CONCERN,
        r"\bi am (?:so |just |completely |totally |really )(?:done|finished)(?=\s*(?:[.?]|$))(?!\s*\.\s*(?:thanks|thank|ok|bye|see|with))",
    ),
    # --- thoughts of suicide or ending one's life --------------------------------------------
    _p("thoughts", CRISIS, r"\bsuicid(?:e|al|ally|ality|ing)\b", "suicide"),
    _p("thoughts", CRISIS, r"\bkill(?:ing|ed|s)? myself\b", "killing_myself"),
    _p(
        "thoughts",
        CRISIS,
        r"\b(?:end(?:ing|ed|s)?|take|taking|took|took away|taken) (?:my|my own|away my) life\b|\bend(?:ing)? myself\b|\bend(?:ing)? my existence\b|\bend(?:ing)? my own existence\b",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\bend(?:ing|ed)? it all\b|\bend(?:ing)? it (?:tonight|today|now|soon|tomorrow|this weekend|for real)\b|\bend(?:ing)? everything\b|\bend(?:ing)? it for good\b|\bend(?:ing)? it forever\b|\bend(?:ing)? it once and for all\b",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\b(?:to|wanna|will|would|could|should|might|about|of|going to|want to|plan to|ready to|thinking of|thinking about|think about|thought about|considering|consider|just|gonna|finally|me|i|decided to|tempted to|how to|way to|like|feel like|felt like|courage to) (?:just |finally |really )?end(?:ing)? (?:it|things|this|my suffering|the suffering|this life|it now|it tonight|it today|it soon|all this|this misery|my misery|this pain for good|this pain forever)\b",
        "end_it",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\b(?:thinking|thought|thinks|think|thoughts|fantasi[sz]ing|fantasi[sz]e|dreaming|obsessing) (?:a lot |so much |constantly |again |more )?(?:of|about) (?:not being here|not being around|not existing|not living|not waking up|ending|killing|hurting myself|overdosing|jumping|hanging|taking all|taking my|my funeral|my own funeral|dying|death|being dead|how to die|how i would die)\b",
        "thoughts_death",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\b(?:imagining|imagine|imagined|picturing|picture|pictured|planning|planned|plan|thinking about|think about|dreaming about|dream about|fantasi[sz]ing about) (?:my own|my) (?:funeral|death|grave|suicide|obituary)\b",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\b(?:thoughts|ideation|ideas|urges|impulses) (?:of|about) (?:ending|killing|harming|hurting|suicide|death|dying|not being)\b",
    ),
    _p(
        "thoughts",
        CONCERN,
        r"\bdark thoughts\b|\bintrusive thoughts\b|\bbad thoughts\b|\bscary thoughts\b|\bthoughts are getting dark\b",
    ),
    _p("thoughts", CONCERN, r"\bkill(?:ed|ing|s)? (?:yourself|himself|herself|themselves)\b"),
    _p(
        "thoughts",
        CRISIS,
        r"\bcommit(?:ted|ting)?(?: it)?\b(?= (?:tonight|today|tomorrow|soon|this week))",
    ),
    # --- method ------------------------------------------------------------------------------
    _p(
        "method",
        CRISIS,
        r"\b(?:(?:pills|bottle|bottles|gun|rope|knife|blade|razor|noose|meds|tablets)(?: \w+){0,3} (?:next to me|in front of me|in my hand|ready|lined up|counted out|by my bed|on my nightstand|waiting)|(?:have|got|holding) (?:a|the|my) (?:gun|rope|knife|blade|razor|noose) (?:ready|loaded|here|with me))\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:hang|hanging|hanged|hung|shoot|shooting|shot|drown|drowning|drowned|poison|poisoning|poisoned|suffocate|suffocating|suffocated|strangle|strangling|electrocute|electrocuting|gas|gassing|stab|stabbing|stabbed|smother|smothering|overdose|overdosing|overdosed) myself\b",
        "method_idiom",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:slit|slits|slitting|slice|sliced|slicing|cut|cutting|slash|slashed|slashing|open|opening) (?:my|both|both my|open my|my own) wrists?\b",
        "accident",
    ),
    _p("method", CRISIS, r"\bover ?dos(?:e|ed|ing|es)\b", "dose_question"),
    _p(
        "method",
        CRISIS,
        rf"\b(?:take|taking|took|taken|swallow|swallowed|swallowing|down|downed|downing|eat|ate|chug|chugged|pop|popped|popping)(?: like)? (?:all|every one|everyone|every single|the whole|a whole|the entire|an entire|the bottle|a bottle|a full bottle|a handful|handfuls|a bunch|a lot|too many|way too many|loads|all of|the rest|enough|more than enough)(?: of)?(?: my| the| these| those| them| it| of my| of the| bottle of| box of| pack of)?(?: \w+)? (?:{_PILLS}|bottle|box|pack|packet|stash|supply)\b",
        "pills",
    ),
    _p(
        "method", CRISIS, r"\b(?:the|a) (?:whole|entire|full) (?:bottle|box|pack|packet)\b", "pills"
    ),
    _p(
        "method",
        CRISIS,
        rf"\b(?:putting aside|put aside|setting aside|set aside|squirreling away|squirrelling away|stocking up on|stocked up on|holding onto|hiding|hid|saving|save|saved|stockpiling|stockpile|stockpiled|hoarding|hoard|hoarded|collecting|collect|collected|stashing|stash|stashed|keeping|kept|storing|store|stored|building up|gathering|gathered|counting|counted)(?: up| away)?(?: all)?(?: my| some| the| enough| extra| of my| old| all my)?(?: \w+)? {_PILLS}\b",
        "pills_saving",
    ),
    _p(
        "method",
        CRISIS,
        rf"\b(?:have|got|there are|i have got|i have|with) enough {_PILLS}\b(?! (?:for|to last|until|till|left for))|\benough {_PILLS} (?:saved|stored|to (?:die|end|kill|do it|overdose|not wake|never wake|finish))\b|\b{_PILLS} (?:saved up|stockpiled|stashed|hoarded)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:gun|pistol|rifle|shotgun|revolver|barrel|knife|blade) (?:to|in|against|at) my (?:head|mouth|temple|chest|throat|wrist|wrists|heart)\b|\bnoose\b|\b(?:tie|tied|tying|made|make|making|bought|got|buy|buying) (?:a|the|my) (?:rope|noose)\b|\bput a bullet\b|\bbullet (?:in|through) my\b|\bblow my (?:brains|head) out\b|\bbrains out\b",
    ),
    _p(
        "method",
        CONCERN,
        r"\b(?:bought|got|buy|get|getting|buying|loaded|load|loading|cleaned|borrowed|found) (?:a|my|the|his|her|dads|my dads|my husbands|a new) (?:gun|pistol|rifle|shotgun|firearm|revolver|rope|razor|razor blades|blades|bullets)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:to|gonna|going to|want to|will|might|could|thinking of|thinking about) (?:jump|jumping|leap|step|walk|drive|throw myself|swerve) (?:off|from|into|in front of|out of|out in front of|onto) (?:a|the|my|this|that|some|oncoming)\b",
        "jump",
    ),
    _p(
        "method",
        CRISIS,
        r"\bjump(?:ing|ed)? (?:off|from) (?:a|the|my|this|that) (?:bridge|building|roof|rooftop|cliff|balcony|overpass|tower|ledge|parking garage|window|skyscraper|car park|highway)\b|\b(?:jump|jumping|jumped|step|stepping|stepped|walk|walking|walked|throw myself|threw myself|lie down|lay down)(?: out)? in front of (?:a|the|an) (?:train|bus|car|truck|subway|lorry|tram|oncoming)\b|\bdrive (?:my car )?(?:off|into) (?:a|the) (?:bridge|cliff|tree|wall|river|lake|ocean|pole|ditch)\b|\bcrash(?:ing)? my car (?:on purpose|into)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:look|looked|looking|googled|googling|google|searched|searching|search|researched|researching|reading up on|read up on)(?: up)? (?:how|ways|what|the best way|methods|which)\b(?:\s+\w+){0,8}?\s+(?:pills|meds|die|dying|overdose|takes|kill|lethal|end it|end my life|painless|not wake|hang|jump)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:in the|in my) (?:garage|car) with the (?:car|engine|motor) running\b|\b(?:car|engine) running in the (?:closed )?garage\b|\buse (?:it|them|this|that|the \w+|a \w+) on myself\b|\b(?:going to|gonna|want to|about to|ready to) jump(?=\s*(?:[.?]|$))",
    ),
    _p(
        "method",
        CRISIS,
        r"\bhow (?:many|much) (?:\w+ ){0,3}(?:would it take|does it take|to take|should i take|do i need) to (?:die|overdose|kill|end|not wake|never wake|od)\b|\b(?:lethal|fatal|deadly) (?:dose|amount|overdose)\b|\bpainless(?:ly)? (?:way|ways|death|method|methods) to die\b|\bpainless way\b|\bquickest way to die\b|\beasiest way to die\b|\bways to die\b|\bhow to die\b",
    ),
    # --- intent and plan ----------------------------------------------------------------------
    _p(
        "plan",
        CRISIS,
        r"\b(?:thought about|thinking about|think about|figured out|worked out|imagined|imagining|planned|planning|decided|picked|chosen|know|knew) (?:exactly )?(?:how|when|where) (?:i would|i will|i am going to|i am gonna|i could|i plan to|i am planning to|i might) (?:do it|end it|go|die)\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:i will|i am going to|i might|i may) be (?:gone|dead) (?:by|before) (?:morning|tomorrow|tonight|the weekend|friday|saturday|sunday|monday|tuesday|wednesday|thursday|next week|the time you read this|then)\b|\bbe (?:gone|dead) (?:for good|forever|permanently)\b",
        "travel",
    ),
    _p(
        "plan",
        CRISIS,
        r"\bif i (?:died|die|was dead|were dead|did not wake up|never woke up|was gone|were gone|killed myself|disappeared)\b(?:\s+\w+){0,8}?\s+(?:relief|better|fine|okay|ok|a good thing|nobody would|no one would|blessing|happier|easier|free)\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:i )?know (?:exactly )?(?:how|when|where) (?:i would|i will|i am going to|i am gonna|i could|i would like to|i plan to|i am planning to) do it\b|\bi know how i would\b|\b(?:know|figured out|decided|picked|chosen|chose) (?:how|when|where|the day|the date|the place|the way|the method)(?: i will| i would| i am going to| to)? (?:do it|end it|die|go)\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:got|have|had|i have) (?:it|everything) (?:all )?(?:planned|figured out|worked out|ready|set|arranged|sorted)(?: out)?\b|\bplanned (?:it )?(?:all )?out\b|\bi have a plan\b|\bmy plan is to\b|\bhave made a plan\b|\bmade (?:a|my) plan\b",
        "plan",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:tonight|today|tomorrow|this weekend|friday|saturday|sunday|monday|tuesday|wednesday|thursday) (?:is|will be) the (?:night|day|end)\b|\bi am going to do it (?:tonight|today|tomorrow|soon|this weekend|now|on \w+)\b|\bdoing it (?:tonight|today|tomorrow|this weekend)\b|\bdecided to (?:end|do it|go through with it|die|kill)\b|\bgo(?:ing)? through with it\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:will not|am not going to|will never|not going to|wont|may not|might not|probably will not) be (?:here|around|alive|on this earth|living|breathing|a problem|a burden|bothering anyone|bothering you) (?:much longer|for long|for much longer|tomorrow|next week|by (?:friday|tomorrow|the weekend|next week|morning|monday|saturday|sunday)|anymore|any longer|to see|after (?:tonight|today|this)|in the morning|soon)\b",
        "travel",
    ),
    _p(
        "plan",
        CRISIS,
        r"\bnot (?:be |going to be )?(?:around|here|alive) (?:much longer|for long|for much longer|anymore|any longer)\b",
        "travel",
    ),
    _p(
        "plan",
        CRISIS,
        r"\bit (?:will|is going to|is gonna|should) (?:all )?be over soon\b|\bsoon it will (?:all )?be over\b|\bwill all be over (?:soon|tonight|tomorrow)\b|\bthe pain will end (?:tonight|soon) for good\b|\b(?:this|tonight) is the end\b|\bthis is the end for me\b|\bthe end is near\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:it is|its) time (?:for me )?to (?:go|die|leave|end it|say goodbye|check out)\b",
        "time_to_go",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:you will|you are going to|you will not|will not|nobody will|no one will|you may not|you might not) (?:never )?(?:hear from me|see me|have to deal with me|have to worry about me) (?:tomorrow|after tonight|after today)\b",
        "travel",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:you will|you are going to|you will not|will not|nobody will|no one will|you may not|you might not) (?:never )?(?:hear from me|see me|have to deal with me|have to worry about me) (?:again|anymore|much longer|after (?:tonight|today))\b|\blast (?:text|message|time you hear from me|time you will hear from me|words)\b",
    ),
    # --- preparing ----------------------------------------------------------------------------
    _p(
        "preparing",
        CRISIS,
        r"\bsuicide (?:note|letter|letters|notes|message|video)\b|\b(?:goodbye|farewell) (?:note|letter|letters|notes|message|messages|video|texts?)\b(?! (?:to|for) (?:a|my|our|the) (?:coworker|colleague|boss|teacher|team|class|neighbou?r))|\b(?:this is|here is|these are|consider this) (?:my|a) (?:last|final) (?:note|letter|message|text|words|goodbye)\b",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:wrote|written|writing|write|left|leaving|leave|finished|prepared|typed|drafted) (?:my|the|a|out my) (?:note|letter|letters|notes)\b(?! (?:to|for|in|on|about|from|at|with|asking|saying|reminding|so))",
        "note",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:wrote|written|writing|write|left|leaving) (?:letters|notes|a note|a letter|goodbye letters) (?:to|for) (?:everyone|everybody|my family|my kids|my children|each of|all of|my loved ones|the people i love)\b",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:gave|giving|give|given|gifted|gifting) away (?:all )?(?:of )?(?:my|all my|most of my|everything|all of my)(?: \w+)? (?:things|stuff|belongings|possessions|clothes|pets|cat|dog|jewelry|books|valuables|savings|prized|collection|everything)?\b",
        "give_away",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:said|saying|say|said all) (?:my )?goodbyes\b|\bthis is (?:my |our |a )?(?:final |last )?goodbye\b|\bgoodbye (?:forever|everyone|everybody|all|world|cruel world|for good|for the last time|my friends)\b|\b(?:wanted|want|needed|need|just want|just wanted|going) to say goodbye\b|\b(?:saying|say|said) goodbye to (?:everyone|everybody|you all|all of you|the world|my family|my kids|my children|everything|life)\b",
        "goodbye",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:put|putting|getting|get|got|have|had) (?:all )?my affairs in order\b|\btying up (?:all )?(?:my )?loose ends\b|\baffairs (?:are|is) (?:all )?in order\b|\b(?:my|the) (?:suicide |goodbye |last )?(?:note|notes|letter|letters) (?:is|are) (?:all )?(?:written|ready|done|finished|on the table)\b",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:giv|giving|gave|give|given)\w* (?:away )?(?:my|all my|away my) \w+(?: \w+)? (?:to|away)\b(?=.*\b(?:will not|wont|no longer|never) need\b)|\bthank you for everything(?: \.)? (?:goodbye|bye forever|farewell)\b",
    ),
    _p(
        "preparing",
        CONCERN,
        r"\b(?:made|making|wrote|writing|updated|updating|finished|finalized|changed) (?:out )?my will\b|\b(?:planning|planned|paid for|picked|chose) my (?:own )?funeral\b|\bsorry for everything\b|\bplease (?:tell|let) (?:my|them|everyone) (?:know )?(?:that )?i love\b|\bthank you for everything\b(?=.*\b(?:goodbye|bye|forever|always)\b)",
    ),
    # --- burden -------------------------------------------------------------------------------
    _p(
        "burden",
        CRISIS,
        rf"\b{_OTHERS} (?:would|will|might|could|are|is|would all|will all|would just|would probably|would definitely|would really)(?: all)? be (?:so much |much |a lot |way |far |so |all |better |definitely )?(?:better|happier|easier|fine|ok|okay|relieved|free|safer)(?: off)? {_WITHOUT_ME}\b",
    ),
    _p("burden", CRISIS, rf"\b(?:better|happier|easier|fine|ok|okay)(?: off)? {_WITHOUT_ME}\b"),
    _p(
        "burden",
        CRISIS,
        r"\b(?:i am|i feel|feel|i feel like|feeling|feels like|being|just|such|nothing but|i have become|i became|become|becoming|i will be|i would be|i am only|i am just|i am such|to be|im)(?: like)?(?: a| such a| nothing but a| only a| just a| a huge| a big| a total| an| the)? (?:burden|drain|waste of space|waste of air|waste of oxygen|waste of life|waste of skin|waste of money|waste of time and money|problem for everyone|weight on everyone|dead weight)\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\b(?:deserve|deserves|need|needs) (?:a|an|someone|somebody|better)\b(?:\s+\w+){0,6}?\s+(?:not a burden|is not a burden|better than me|who is not (?:sick|broken|like me))\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\bburden (?:to|on|for|upon) (?:everyone|everybody|my family|them|my kids|others|the people|my husband|my wife|my children|my partner|you all|the world|society|everyone around me|my loved ones|those around me)\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\b(?:nobody|no one|not a soul|not one person|none of them|not anyone|no body)(?: at all)? (?:would|will|is going to|gonna|going to|even|really|ever|is gonna)(?: even| really| ever| actually)? (?:miss|notice|care|mourn|cry|come to my funeral)(?: me| if i| when i| that i|$)?\b",
        "nobody",
    ),
    _p(
        "burden",
        CRISIS,
        r"\b(?:nobody|no one|noone) (?:cares|would care|will care|would even care|would notice|would even notice) (?:if|whether|that) i (?:live|die|died|am alive|am gone|was gone|were gone|am here|exist|disappeared|disappear|was dead|killed)\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\bworld (?:would be |will be |is )?(?:a )?better (?:place )?without me\b|\bbetter off without me\b|\bbe better without me\b|\beveryone would be relieved\b",
    ),
    _p(
        "burden",
        CONCERN,
        r"\bi am (?:so |just |completely |totally )?(?:worthless|useless|a failure|a waste|a disappointment)\b|\bi ruin everything\b|\beveryone hates me\b",
    ),
    # --- no reason to live -------------------------------------------------------------------
    _p(
        "no_reason",
        CRISIS,
        r"\b(?:no|nothing|not any|no more|not a single|no real|zero|nothing left|nobody|no one|not much|nothing else)(?: left)?(?: to| worth| else to)? (?:live|living|stay alive|stay|keep going|go on) for\b|\bnothing (?:left )?to live for\b|\bno reason to stay\b|\bnothing to stay for\b",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\bno (?:reason|reasons|point|purpose|use|sense|will|desire|wish)(?: at all| anymore| for me| left)? (?:to|in|for|of) (?:live|living|life|go on|going on|keep going|keep living|be alive|being alive|being here|be here|stay alive|staying alive|wake up|waking up|continue living|existing|exist|carry on|carrying on)\b",
    ),
    _p(
        "no_reason",
        CONCERN,
        r"\bno (?:point|reason|use|purpose)(?: at all| anymore)? (?:to|in|for|of) (?:anything|trying|getting up|going on with this|it all|any of it|anything anymore)\b|\bwhat is the point anymore\b|\bi (?:just )?give up(?: on (?:everything|it all|myself))?(?=\s*(?:[.?]|$))|\bhopeless\b|\bno hope\b|\bno future\b|\bi have lost all hope\b|\bno light at the end\b",
        "coping",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\b(?:life|living|my life|existence|this life|being alive|it all|any of this|staying alive)(?: is| feels| seems| has become| just is| really is| honestly is| just)? (?:not|no longer|never|not even|not really) (?:worth|worth it|worth living|worth the pain|worth the effort|worth fighting for)\b",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\bnot worth (?:living|being alive|staying alive|it anymore|going on|the fight anymore)\b|\b(?:life|living|existence|my life) (?:is|feels|seems) (?:pointless|meaningless|hopeless|not worth it|a waste|over)\b|\b(?:life|living|my life) has no (?:meaning|point|purpose)\b|\bwhat is the point (?:of|in) (?:living|life|going on|being alive|existing|it all|staying alive|waking up)\b|\bwhy (?:bother|even bother|keep) (?:living|going on|being alive|staying alive|trying to live)\b",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\bcan not (?:go on|keep going|keep living|do this|live like this|keep doing this|continue living|face another day|survive this|carry on|be here|be alive|stay alive|take another day|handle life|handle living|live with this)(?:(?: anymore| any longer| like this| much longer| for much longer| one more day)\b|(?=\s*(?:[.?]|$)))",
    ),
    _p(
        "no_reason",
        CONCERN,
        r"\bcan not (?:take|handle|stand|bear|cope with|deal with|cope|manage|face) (?:it|this|the pain|this pain|it all|anything|life|any of this|much more|this anymore)?(?: anymore| any longer| much longer| another day)\b",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\b(?:give|giving|given|gave) up on (?:life|living|myself|being alive|staying alive|everything|the world)\b|\bready to give up on life\b|\bdone fighting\b|\bno fight left\b|\bready to give up\b",
    ),
    # --- trapped -------------------------------------------------------------------------------
    _p(
        "trapped",
        CRISIS,
        r"\b(?:feel|feeling|felt|am|i am|so|totally|completely|utterly|always|just|forever|hopelessly) trapped\b(?! (?:in|at|by|under|inside) (?:traffic|the traffic|an elevator|the elevator|the lift|a lift|the car|the snow|snow|the rain|the house by|the airport|a meeting|meetings|work|the office|line|a queue|the queue|the bathroom))|\btrapped in (?:this|my) (?:body|life|pain|head|mind|hell|situation|existence)\b",
    ),
    _p("trapped", CRISIS, r"\bno way out\b", "way_out"),
    _p(
        "trapped",
        CRISIS,
        r"\bonly way out\b|\bonly (?:escape|solution|option|answer|choice|way) (?:left |now )?(?:is|would be) (?:death|dying|to die|to end it|to kill myself|suicide|to go)\b|\bonly way to (?:escape|stop|end) (?:this|the pain|it)\b(?= .*\b(?:die|dying|death|end it|kill)\b)|\bonly way (?:to )?escape\b",
    ),
    _p(
        "trapped",
        CONCERN,
        r"\bno escape\b|\bcan not escape\b|\bno way to escape\b|\bstuck forever\b|\bnothing will ever change\b|\bnever going to get better\b|\bwill never get better\b",
    ),
    # --- added from the fifth batch: means, places, favours, last days ---------------------
    _p(
        "plan",
        CRISIS,
        r"\bif i (?:had|have|could get|get|found) (?:the |a |enough )?(?:means|gun|pills|rope|guts|courage|nerve|chance)\b|\b(?:i would|i will|i am going to|i am gonna|going to) do it (?:tonight|today|tomorrow|this weekend|soon)\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:picked|chosen|chose|found|scouted|looked at|checked out)(?: out)? (?:the|a|my) (?:bridge|building|cliff|overpass|method|rope|tree|spot to|place to|day to|date)\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:do not|can not|never) see myself (?:being )?(?:around|alive|here|living|in this world)\b|\b(?:will not|am not going to) be (?:around|here|alive) (?:next|in a|by next|for next)\b",
        "travel",
    ),
    _p(
        "plan",
        CRISIS,
        r"\bmake it\b(?:\s+\w+){0,8}?\s+(?:do not|never) want to\b|\bthis is my last (?:day|night|week|morning)\b(?! (?:at|of|in|on|with|before|as))|\band i know how(?=\s*(?:[.?]|$))",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:sleep|asleep) (?:and )?stay asleep\b|\bstay asleep forever\b|\bwhy (?:even )?(?:wake up|get up|keep waking up)(?: tomorrow| anymore| at all| again|(?=\s*(?:[.?]|$)))",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bend (?:my|the|this) (?:pain|suffering|misery) (?:forever|for good|permanently|once and for all)\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\b(?:favor|favour|relief|blessing|kindness)\b(?:\s+\w+){0,6}?\s+(?:by |if i )?(?:dying|die|died|dead|gone|killing myself|not being here|was gone|disappeared)\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\b(?:get over it|move on|be fine|be okay|be ok|manage|cope|forget me)\b(?:\s+\w+){0,4}?\s+(?:if i (?:was|were|am) gone|when i am gone|once i am gone|after i am gone|if i died|without me)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:took|take|taking|swallowed|swallow|ate|downed) (?:everything|all of it|all of them|whatever) (?:in|from) (?:my|the) (?:medicine cabinet|cabinet|drawer|bathroom|pill box|pillbox|cupboard)\b|\btook everything i (?:had|could find)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:looking|staring|sitting|holding|looked|stared|held)(?: at| with)? (?:the|my|all my|all the|a) (?:pills|meds|bottle|bottles|gun|rope|knife|blade|razor|noose)\b",
        "staring",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:drive|driving|drove|crash|crashing|crashed|swerve|swerving|swerved|steer|steering)(?: my car| the car)? (?:off|into|in front of|onto) (?:a|the|my|this|that|some|oncoming)\b",
        "jump",
    ),
    # --- added from the sixth batch --------------------------------------------------------
    _p(
        "method",
        CRISIS,
        r"\b(?:not stopping|not stop|running|run|drive through|driving through|blow through|blowing through) (?:at )?(?:a|the) red (?:light|lights)\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\b(?:plan|to plan|plans|planning|planned|thinking|thought|figure out|figuring out|work out|working out) (?:exactly )?how (?:i would|i will|i am going to|i could|to) (?:do it|end it|die|kill myself|go)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bstop (?:hurting|feeling|breathing|living|being|existing) (?:forever|for good|permanently|for ever)\b|\bshould (?:just |really |probably |simply )?(?:die|be dead|not be alive|not exist)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:wish|wished|wishing|hope|hoping|pray|praying)(?: that)? i (?:could|would|will|might|did)(?: just| simply| finally)? (?:die|pass away|go in my sleep|not wake up)\b",
        "die",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:thank you|thanks)(?: for everything| all| so much| you all)? and (?:goodbye|bye forever|farewell)\b|\b(?:wanted|want|needed) to tell (?:you|you all|everyone|everybody)\b(?:\s+\w+){0,6}?\s+goodbye\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\bbetter off with (?:someone else|somebody else|another (?:mom|dad|mother|father|parent|wife|husband|partner|person))\b",
    ),
    # --- added from the seventh batch: safety, reunion, going away -------------------------
    _p(
        "plan",
        CRISIS,
        r"\b(?:can not|could not|will not) (?:promise|guarantee|say)(?: that)? i (?:will|would|am going to|can) (?:be|stay|keep myself) safe\b|\b(?:do not|not|never) feel safe (?:with|around|by) (?:myself|me)\b|\b(?:scared|afraid|worried|terrified) (?:that )?i (?:might|will|would|could|am going to) (?:do something to myself|hurt myself|do something stupid|harm myself|end it)\b|\bdo something to myself\b",
    ),
    _p(
        "plan",
        CRISIS,
        r"\bmade up my mind\b(?:\s*\.)?(?:\s+\w+){0,3}?\s+(?:tonight|today|tomorrow|this weekend|to end|to die|to do it|it is time)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:want|wanted|wish|ready|long|longing) to be with (?:my late|my dead|my departed|god|jesus|the lord)\b",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\bnothing (?:left )?for me (?:here|anymore|in this world|on this earth|in this life)\b",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:letters|notes|goodbyes|sorry)\b(?:\s+\w+){0,8}?\s+before i (?:go|leave|die|am gone)\b",
    ),
    # --- self-harm ----------------------------------------------------------------------------
    _p(
        "self_harm",
        CRISIS,
        r"\bself (?:harm|harmed|harming|harmer|injury|injure|injured|injuring|injurious|destruct|destructive|mutilation|mutilate|mutilating|hurt|hurting|punish|punishment)\b|\bself ?harm\w*\b",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\bused to (?:cut|self harm|hurt myself|burn myself|cutting)\b(?:\s+\w+){0,8}?\s+(?:urge|urges|again|back|want to|started|tempted|craving)\b",
    ),
    _p(
        "self_harm",
        CONCERN,
        r"\bused to (?:cut|self harm|hurt myself|burn myself)\b|\b(?:urge|urges) (?:to cut |to hurt myself )?(?:are|is|have|has|came|come) (?:back|coming back|stronger|strong)\b",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:blade|blades|razor|razors|cutting|burning myself|hurting myself|self harm)\b(?:\s+\w+){0,6}?\s+only (?:thing|way) (?:that )?(?:helps|works|makes me feel|i can feel|to feel|to cope)\b",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\bsh (?:again|tonight|today|last night|this morning|relapse|urges?)\b|\b(?:did|doing|done|relapsed on|urge to|urges to|want to|clean from) sh\b",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:burn|burned|burnt|burning|scratch|scratched|scratching|hit|hitting|punch|punched|punching|bang|banged|banging|bruise|bruised|bite|bit|biting) my (?:arms?|wrists?|legs?|thighs?|skin|hands?|stomach|head|face|body|chest)\b",
        "body_hurt",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:urge|urges|relapse|relapsed|relapsing|clean from|days clean|months clean|weeks clean|free from|resisting|resisted|fighting|triggered|craving|crave|want|wanted|need|needed) (?:to |on |from |the urge to |back into |into )?(?:sh|self harm|cutting|cut|cut again|hurt myself|harm myself|burn myself|bleed|the blade|blades|the razor)\b",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:cut|cutting|cuts|slice|slicing|sliced|carve|carved|carving|scratch|scratched|scratching|scrape|scraped|slash|slashed|gash|gashed|stab|stabbed) (?:myself|my (?:arms?|wrists?|thighs?|legs?|skin|stomach|body|hips?|forearms?|flesh|belly|chest|ankles?))\b",
        "accident",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:been|started|start|keep|kept|back to|went back to|urge to|relapsed|i am|i was|caught myself|stopped|quit|quitting|stop|secretly|still|tempted to|thinking about|thought about|resorted to|resorting to|back into)(?: \w+)? (?:cutting|self harming|burning myself|hurting myself|harming myself)\b(?! (?:back|down|out|up|off|in|carbs|sugar|the|my hair|grass|coupons|wood|it|them|things|corners|class|onions|vegetables|veggies|meat|bread|hair|costs|expenses|gluten|dairy|calories|caffeine|coffee|alcohol|wheat|salt|fat|fabric|paper|a|an|some|through|across|ties|cake|pizza|up|that|this|those|these|my)\b)",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:cut|cutting|hurt|hurting|burned|burnt|burning|harmed|harming|bled|bleeding) (?:myself )?(?:again|on purpose|deliberately|intentionally|for the first time in|to feel something|to feel better|so i could feel|to punish|to cope|to release|so i feel|to numb)\b",
        "accident",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:burn|burned|burnt|burning|hurt|hurting|harm|harming|hit|hitting|punch|punching|punched|bruise|bruising|bruised|starve|starving|starved|punish|punishing|punished|bang|banging|banged|mutilate|mutilating|choke|choking|choked|bite|biting|bit|pinch|pinching|whip|whipping|beat|beating) myself\b",
        "hurt_myself",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:razor|razors|razor blade|razor blades|blade|blades|lighter|scissors|knife|compass) (?:on|to|into|across|against) my (?:skin|arm|arms|wrist|wrists|leg|legs|thigh|thighs|body|stomach)\b|\bscars? (?:on|from|all over) my (?:arms|wrists|thighs|legs)\b(?= .*\b(?:again|new|fresh|myself|did|made)\b)|\bfresh (?:cuts|scars|wounds)\b",
    ),
)


ES: tuple[Pattern, ...] = (
    _p(
        "plan",
        CRISIS,
        r"\bno me siento (?:segur[oa]|a salvo) (?:conmigo|con mi)\b|\b(?:miedo|temo|me da miedo) (?:de )?(?:hacerme algo|hacerme dano|lo que pueda hacer(?:me)?)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bquiero que (?:todo|esto|mi vida|la vida) (?:se )?(?:termine|acabe|se acabe)\b",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:ya )?me (?:despedi|despido|estoy despidiendo) de (?:mis hijos|mi familia|todos|ustedes|mis nietos|mis seres queridos)\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:me )?(?:quiero|quisiera|queria|deseo|desearia|necesito|prefiero|preferiria|me gustaria|tengo ganas de|ganas de|solo quiero|nada mas quiero|ya quiero)(?: ya)?(?: solo)? (?:morir|morirme|estar muert[oa]|dejar de vivir|dejar de existir|no existir|desaparecer|no despertar|dormir y no despertar|irme de este mundo|irme para siempre|estar con dios|ya no vivir|ya no estar|no estar aqui|no estar)\b",
        "es_morir",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bme quiero morir\b|\bme quisiera morir\b|\bme quiero ir de este mundo\b",
        "es_morir",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bojala (?:no (?:despertar|despierte|despertara|despertase|amanecer|amanezca|amaneciera)|me (?:muera|muriera|moriera)|(?:estuviera|estuviese) muert[oa]|dios me (?:lleve|llevara|llevase|recoja)|me (?:lleve|llevara) dios|no (?:haber|hubiera) nacido|no existiera|desapareciera|todo (?:se acabe|se acabara|termine|terminara))\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:que )?dios me (?:lleve|recoja|lleve ya|quite la vida|lleve con el)\b|\b(?:pido|le pido|rezo|ruego) (?:a dios )?(?:que|para) (?:me lleve|no despertar|morir|me muera)\b|\bno (?:quiero|quisiera) (?:volver a )?despertar(?:me)?\b|\bdormir(?:me)? y no despertar\b|\bdormir para siempre\b",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\bno (?:quiero|quisiera|deseo|tengo ganas de) (?:seguir )?(?:vivir|viviendo|vivo|estar aqui|estar viva|estar vivo|existir|seguir|seguir aqui|seguir asi|continuar|estar en este mundo|ver otro dia|amanecer)\b",
        "es_seguir",
    ),
    _p(
        "wish_dead",
        CRISIS,
        r"\b(?:mejor|preferiria estar|estaria mejor|estaria mejor estar|seria mejor estar) muert[oa]s?\b|\bseria mejor (?:morir|morirme|no existir|no estar|desaparecer|no haber nacido|no despertar|no despertarme|dormir para siempre|estar muert[oa]|irme para siempre)\b|\b(?:cansad[oa]|harta?o?) de vivir\b|\bno (?:aguanto|soporto) (?:la vida|vivir|estar vivo|estar viva)\b",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\bsuicid(?:io|arme|arse|arte|a|as|ado|ada|o|ando)\b|\bme voy a (?:matar|suicidar|quitar la vida)\b|\bme (?:quiero|voy a|podria|pienso) (?:matar|suicidar)\b|\bmatarme\b|\bquitarme la vida\b|\bme quite la vida\b|\bacabar con (?:mi vida|todo|esto|mi existencia|mi sufrimiento)\b|\bterminar con (?:mi vida|todo|esto|mi existencia)\b|\bponer fin a (?:mi vida|todo|esto)\b|\bquitarme de en medio\b",
        "es_suicidio",
    ),
    _p(
        "thoughts",
        CRISIS,
        r"\b(?:pienso|pensando|pense|he pensado|estoy pensando|pensamientos|ideas|pienso mucho|sigo pensando) (?:en|de) (?:matarme|morir|morirme|suicidarme|quitarme la vida|acabar con todo|acabar con mi vida|no estar|desaparecer|la muerte|mi muerte|terminar con todo|hacerme dano)\b",
    ),
    _p(
        "method",
        CRISIS,
        r"\b(?:tomarme|tomar|me tome|me tomare|tragarme|me trague|me voy a tomar) (?:todas|toda|todo|el frasco|la caja|un punado|muchas|un monton|el resto|todas mis|toda la caja|todo el frasco)(?: de)?(?: las| mis| la| el)? (?:pastillas|medicinas|medicamentos|pildoras|tabletas|frasco|caja|las|mis)?\b",
        "pills",
    ),
    _p(
        "method",
        CRISIS,
        r"\bsobredosis\b|\b(?:me voy a|voy a|quiero|me quiero|pienso|podria) (?:tirar|aventar|arrojar|lanzar)(?:me)? (?:del|de un|de una|de la|desde|al|por|bajo|frente a|delante de|a las vias)\b|\b(?:guardando|juntando|acumulando|ahorrando|escondiendo|guarde|junte|acumule|tengo guardadas|tengo suficientes|tengo bastantes) (?:\w+ )?(?:pastillas|medicinas|medicamentos|pildoras|tabletas)\b|\bahorcarme\b|\bcolgarme\b|\bdispararme\b|\bpegarme un tiro\b|\btirarme (?:del|de un|de una|de la|desde|al|por|bajo|frente a|delante de|a las vias) (?:\w+ )?(?:puente|edificio|techo|ventana|balcon|tren|metro|camion|auto|carro|coche|vias|azotea|piso|acantilado)\b|\baventarme\b|\barrojarme\b|\bcortarme las venas\b|\bme corte las venas\b|\b(?:compre|consegui|tengo) (?:una )?(?:pistola|arma|soga|cuerda)(?: para)?\b",
        "dose_question",
    ),
    _p(
        "plan",
        CRISIS,
        r"\btengo (?:un plan|todo (?:planeado|pensado|listo|preparado))\b|\bya (?:se|decidi) (?:como|cuando|donde) (?:lo voy a hacer|hacerlo|lo haria)\b|\bya lo tengo (?:planeado|decidido|pensado)\b|\b(?:hoy|esta noche|manana|este fin de semana) (?:es|sera) el dia\b|\bno (?:voy a|estare|estar[eé]) (?:estar )?(?:aqui|viv[oa]) (?:manana|mucho tiempo|por mucho|la proxima semana)\b|\bya no me van a ver\b|\bya no van a saber de mi\b|\bpronto (?:todo )?(?:se acabara|terminara|estara todo terminado)\b",
    ),
    _p(
        "preparing",
        CRISIS,
        r"\b(?:escribi|escribiendo|deje|he escrito|ya escribi) (?:mi|una|la|mis|unas) cartas? (?:de despedida|para todos|para mi familia|para mis hijos)?\b(?! (?:al|a la|para el|para la|para mi (?:doctor|medico|jefe)|del banco|de recomendacion|de trabajo))|\bcarta de despedida\b|\b(?:regale|regalando|regalo|estoy regalando|di|he regalado|di todas) (?:todas )?(?:mis|todas mis) (?:cosas|pertenencias|mascotas|ropa|joyas)\b|\besto es (?:un )?adios\b|\badios (?:para siempre|a todos|mundo)\b|\bme despido (?:de todos|para siempre|de ustedes)\b|\bquiero despedirme\b|\bmis ultimas palabras\b|\bultimo mensaje\b",
    ),
    _p(
        "burden",
        CRISIS,
        r"\bsoy (?:una|un|solo una|solo un|nada mas que una|nada mas que un) (?:carga|estorbo|problema para todos|peso)\b|\bser (?:una|un) (?:carga|estorbo)\b|\bsiento que soy (?:una|un) (?:carga|estorbo)\b|\b(?:estarian|estaran|estarias|estaria|vivirian|serian|seria|estaria todo|todos estarian|mi familia estaria|mis hijos estarian) (?:todos )?(?:mucho )?mejor (?:sin mi|si yo no estuviera|si no estuviera|si me muero|si muero|cuando me vaya|si me voy|si desaparezco)\b|\bmejor sin mi\b|\bnadie me (?:extranaria|extranara|va a extranar|echaria de menos|echara de menos|va a echar de menos|quiere|necesita)\b|\ba nadie le importaria si (?:me muero|muero|desaparezco|no estoy)\b|\bnadie (?:notaria|se daria cuenta) si (?:me muero|muero|desaparezco|no estoy|me voy)\b",
    ),
    _p(
        "no_reason",
        CRISIS,
        r"\bno vale la pena (?:vivir|seguir|seguir viviendo|estar vivo|estar viva|la vida)\b|\bla vida no vale la pena\b|\bno tengo (?:razon|razones|motivo|motivos|por que|para que|nada por que|nada para) (?:para )?(?:vivir|seguir)\b|\bno hay (?:razon|motivo|razones|motivos) para (?:vivir|seguir)\b|\bya no (?:puedo|aguanto|soporto) (?:mas|seguir|vivir asi|con esta vida|con mi vida)\b(?! (?:con el dolor|el dolor|este dolor|de dolor))|\bya no puedo seguir\b|\bno puedo seguir (?:asi|viviendo|mas)\b|\bpara que seguir\b|\bno tiene (?:sentido|caso) (?:vivir|seguir|la vida|nada)\b|\bme rindo\b",
    ),
    _p(
        "trapped",
        CRISIS,
        r"\bno (?:hay|tengo|veo) (?:salida|otra salida|escapatoria)\b|\bla unica salida\b|\batrapad[oa] (?:en|sin)\b|\bme siento atrapad[oa]\b",
    ),
    _p(
        "self_harm",
        CRISIS,
        r"\b(?:me corte|me corto|me estoy cortando|me he cortado|volvi a cortarme|cortarme|cortandome|me lastime|me lastimo|lastimarme|me hice dano|hacerme dano|hacerme mal|hacerme algo|me queme|quemarme|me estoy lastimando|me pegue|golpearme|autolesion\w*|autolesionarme|hacerme cortes|me hago dano|me hago cortes|me estoy haciendo dano|haciendome dano|estoy haciendome dano)\b",
        "es_accident",
    ),
)

ALL: tuple[Pattern, ...] = EN + ES
