"""Short standard measures asked over SMS, one item at a time: PEG, PHQ-2 and GAD-2.

Each instrument lists its items with their LOINC codes (docs/fhir.md: the table and where each
code was checked), the wording texted in English and Spanish, the answer range and, for the
0-3 items, the standard answer labels, which are accepted as words as well as numbers. Scores
are computed as the instruments define: PEG is the mean of its three items (0-10); PHQ-2 and
GAD-2 are sums (0-6), positive at 3 or more (Kroenke 2003; Kroenke 2007). A score is only given
for a complete survey: a partial one is recorded as partial, with the items answered.

Wording and licences: PHQ-2 and GAD-2 are from the PHQ screeners (Spitzer, Williams, Kroenke;
Pfizer): "no permission required to reproduce, translate, display or distribute"; the Spanish
wording follows Pfizer's Spanish (US) version. PEG (Krebs et al., J Gen Intern Med 2009) is
free to use; its Spanish wording here is Paceline's translation, not a validated version. Each
item's SMS text is the published question, shortened only by putting the scale after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from messages.numbers import NUMBER_WORDS, replace_keycaps
from messages.text import fold

LOINC = "http://loinc.org"


@dataclass(frozen=True)
class Code:
    """A coding: system, code, display."""

    system: str
    code: str
    display: str


@dataclass(frozen=True)
class SurveyItem:
    """One question: its link id (the FHIR linkId and the export's column), code and range."""

    link_id: str
    code: Code | None
    low: int
    high: int
    text: Mapping[str, str]  # language -> the question as texted
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # language -> per value
    answer_codes: tuple[str, ...] = ()  # LOINC answer codes per value (LA...), 0-3 items


@dataclass(frozen=True)
class Instrument:
    """A short standard measure."""

    key: str  # peg, phq2, gad2: also the prompt kind's suffix (survey_peg)
    title: str
    panel: Code | None
    total: Code
    items: tuple[SurveyItem, ...]
    scoring: str  # "mean" or "sum"
    positive_at: int | None  # a screen is positive at this total or more
    intro: Mapping[str, str]
    thanks: Mapping[str, str]
    licence: str
    version: str = "1"

    @property
    def name(self) -> str:
        """'PHQ-2'."""
        return self.title.split(":")[0]

    @property
    def score_range(self) -> tuple[int, int]:
        if self.scoring == "mean":
            return self.items[0].low, self.items[0].high
        return sum(i.low for i in self.items), sum(i.high for i in self.items)


# Answer labels of the PHQ/GAD items, and their LOINC answer codes.
FREQUENCY_LABELS = {
    "en": ("Not at all", "Several days", "More than half the days", "Nearly every day"),
    "es": ("Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"),
}
FREQUENCY_ANSWERS = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
_SCALE_0_3 = {
    "en": "Reply 0 not at all, 1 several days, 2 more than half the days, 3 nearly every day.",
    "es": "Responda 0 ningún día, 1 varios días, 2 más de la mitad de los días, "
    "3 casi todos los días.",
}
_TWO_WEEKS = {
    "en": "Over the last 2 weeks, how often have you been bothered by: ",
    "es": "Durante las últimas 2 semanas, ¿con qué frecuencia le ha molestado: ",
}


def _frequency_item(link_id: str, code: Code, en: str, es: str) -> SurveyItem:
    return SurveyItem(
        link_id=link_id, code=code, low=0, high=3,
        text={"en": f"{_TWO_WEEKS['en']}{en}? {_SCALE_0_3['en']}",
              "es": f"{_TWO_WEEKS['es']}{es}? {_SCALE_0_3['es']}"},
        labels=FREQUENCY_LABELS, answer_codes=FREQUENCY_ANSWERS,
    )  # fmt: skip


PEG = Instrument(
    key="peg",
    title="PEG: pain intensity and interference (3 items)",
    panel=Code(LOINC, "91148-7", "Pain, Enjoyment of life, General activity (PEG) 3 item pain scale"),
    total=Code(LOINC, "91147-9", "Pain, Enjoyment of life, General activity (PEG) score"),
    items=(
        SurveyItem("peg-1", Code(LOINC, "75893-8", "Pain intensity rating scale [PEG]"), 0, 10, {
            "en": "What number best describes your pain on average in the past week? "
                  "0 no pain, 10 pain as bad as you can imagine.",
            "es": "¿Qué número describe mejor su dolor en promedio la semana pasada? "
                  "0 sin dolor, 10 el peor dolor que pueda imaginar.",
        }),
        SurveyItem("peg-2", Code(LOINC, "91145-3", "Pain interference with enjoyment of life [PEG]"), 0, 10, {
            "en": "What number best describes how, during the past week, pain has interfered "
                  "with your enjoyment of life? 0 not at all, 10 completely.",
            "es": "¿Qué número describe mejor cuánto el dolor ha interferido la semana pasada "
                  "con su disfrute de la vida? 0 nada, 10 por completo.",
        }),
        SurveyItem("peg-3", Code(LOINC, "91146-1", "Pain interference with general activity [PEG]"), 0, 10, {
            "en": "What number best describes how, during the past week, pain has interfered "
                  "with your general activity? 0 not at all, 10 completely.",
            "es": "¿Qué número describe mejor cuánto el dolor ha interferido la semana pasada "
                  "con su actividad general? 0 nada, 10 por completo.",
        }),
    ),
    scoring="mean",
    positive_at=None,
    intro={"en": "Weekly pain check (3 questions). ", "es": "Control semanal del dolor (3 preguntas). "},
    thanks={"en": "Thank you: all 3 answers are in for your care team.",
            "es": "Gracias: sus 3 respuestas ya están para su equipo."},
    licence="Krebs EE et al., J Gen Intern Med 2009;24(6):733-8; free to use",
)  # fmt: skip

PHQ2 = Instrument(
    key="phq2",
    title="PHQ-2: depression screen (2 items)",
    panel=Code(LOINC, "55757-9", "Patient Health Questionnaire 2 item (PHQ-2) [Reported]"),
    total=Code(LOINC, "55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]"),
    items=(
        _frequency_item("phq2-1", Code(LOINC, "44250-9", "Little interest or pleasure in doing things"),
                        "little interest or pleasure in doing things",
                        "poco interés o placer en hacer cosas"),
        _frequency_item("phq2-2", Code(LOINC, "44255-8", "Feeling down, depressed, or hopeless"),
                        "feeling down, depressed, or hopeless",
                        "sentirse decaído(a), deprimido(a) o sin esperanzas"),
    ),
    scoring="sum",
    positive_at=3,
    intro={"en": "2 quick questions about your mood. ", "es": "2 preguntas rápidas sobre su ánimo. "},
    thanks={"en": "Thank you for answering. Your care team will see it.",
            "es": "Gracias por responder. Su equipo lo verá."},
    licence="PHQ-2, Pfizer Inc.: no permission required to reproduce, translate, display or distribute",
)  # fmt: skip

# GAD-2 has no panel code of its own in LOINC (it is the first two GAD-7 items), and 70274-6
# is the GAD-7 total: the GAD-2 total carries Paceline's own code (docs/fhir.md).
SCORE_SYSTEM = "https://paceline.invalid/fhir/CodeSystem/score"
GAD2 = Instrument(
    key="gad2",
    title="GAD-2: anxiety screen (2 items)",
    panel=None,
    total=Code(SCORE_SYSTEM, "gad2-total", "Generalized anxiety disorder 2 item (GAD-2) total score"),
    items=(
        _frequency_item("gad2-1", Code(LOINC, "69725-0", "Feeling nervous, anxious or on edge"),
                        "feeling nervous, anxious, or on edge",
                        "sentirse nervioso(a), ansioso(a) o con los nervios de punta"),
        _frequency_item("gad2-2", Code(LOINC, "68509-9", "Not being able to stop or control worrying"),
                        "not being able to stop or control worrying",
                        "no poder dejar de preocuparse o no poder controlar la preocupación"),
    ),
    scoring="sum",
    positive_at=3,
    intro={"en": "2 quick questions about worry. ", "es": "2 preguntas rápidas sobre la preocupación. "},
    thanks={"en": "Thank you for answering. Your care team will see it.",
            "es": "Gracias por responder. Su equipo lo verá."},
    licence="GAD-2, Pfizer Inc.: no permission required to reproduce, translate, display or distribute",
)  # fmt: skip

INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (PEG, PHQ2, GAD2)}
SURVEY_KINDS = {f"survey_{key}": key for key in INSTRUMENTS}  # prompt kind -> instrument


def _lang(language: str | None) -> str:
    return language if language in ("en", "es") else "en"


def question(instrument: Instrument, index: int, language: str | None) -> str:
    """The text asking item `index`: the first carries the survey's introduction."""
    lang = _lang(language)
    text = instrument.items[index].text[lang]
    return instrument.intro[lang] + text if index == 0 else text


def reask(instrument: Instrument, index: int, language: str | None) -> str:
    """Asked once more after an answer that does not fit the item."""
    item, lang = instrument.items[index], _lang(language)
    hint = {
        "en": f"Sorry, that answer doesn't fit. Please reply with one number from {item.low} to {item.high}. ",
        "es": f"Perdón, esa respuesta no sirve. Responda con un número del {item.low} al {item.high}. ",
    }[lang]  # fmt: skip
    return hint + item.text[lang]


def thanks(instrument: Instrument, language: str | None) -> str:
    return instrument.thanks[_lang(language)]


# Frequency answers in words, folded (no accents, lower case), longest first when matched.
_FREQUENCY_WORDS: dict[str, int] = {
    "not at all": 0, "not once": 0, "never": 0, "none": 0, "no days": 0, "zero days": 0,
    "ningun dia": 0, "ningun": 0, "nunca": 0, "nada": 0, "para nada": 0,
    "several days": 1, "several": 1, "some days": 1, "a few days": 1, "sometimes": 1,
    "varios dias": 1, "varios": 1, "algunos dias": 1, "a veces": 1,
    "more than half the days": 2, "more than half": 2, "over half": 2, "most days": 2,
    "mas de la mitad de los dias": 2, "mas de la mitad": 2, "la mayoria de los dias": 2,
    "nearly every day": 3, "almost every day": 3, "every day": 3, "everyday": 3,
    "nearly everyday": 3, "almost everyday": 3, "always": 3, "daily": 3,
    "casi todos los dias": 3, "todos los dias": 3, "casi siempre": 3, "siempre": 3,
}  # fmt: skip
_WORDS_BY_LENGTH = sorted(_FREQUENCY_WORDS, key=len, reverse=True)
_INTEGER = re.compile(r"(?<![\d.,])-?\d+(?:[.,]\d+)?(?![\d.,])")
_NOISE = re.compile(r"[^\w\s-]")
_OUT_OF_TEN = re.compile(r"\s*(?:/|out of|outta|of|de|sobre)\s*10\b")


@dataclass(frozen=True)
class Answer:
    """An answer read for one item: its value, or why there is none."""

    value: int | None
    problem: str | None = None  # "out_of_range", "unclear"


def read_answer(item: SurveyItem, text: str) -> Answer:
    """Read one reply as an answer to `item`: a single number in its range, a number word, or
    (0-3 items) the answer label in words ("several days", "casi todos los días")."""
    folded = fold(replace_keycaps(text or ""))
    if item.high == 10:  # "7/10", "7 out of 10", "7 de 10": the scale, not a second number
        folded = _OUT_OF_TEN.sub(" ", folded)
    folded = " ".join(_NOISE.sub(" ", folded).split())
    # "2 - more than half the days": the number decides; the words must not disagree.
    numbers = [m.group(0) for m in _INTEGER.finditer(folded)]
    numbers += [w for w in folded.split() if w in NUMBER_WORDS and w != "none"]
    labelled = _label_value(folded) if item.labels else None
    if len(numbers) == 1:
        raw = numbers[0]
        value = float(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else float(raw.replace(",", "."))
        if not value.is_integer() or not item.low <= value <= item.high:
            return Answer(None, "out_of_range")
        if labelled is not None and labelled != int(value):
            return Answer(None, "unclear")
        return Answer(int(value))
    if len(numbers) > 1:
        return Answer(None, "unclear")
    if labelled is not None:
        return Answer(labelled)
    if item.high == 10 and folded in ("no pain", "none", "sin dolor", "nada", "not at all"):
        return Answer(0)
    return Answer(None, "unclear")


def _label_value(folded: str) -> int | None:
    """The one answer label named, longest phrases first ('nearly every day' before 'every
    day'); None when none is named or two different ones are ('several days, not every day')."""
    padded, found = f" {folded} ", set()
    for phrase in _WORDS_BY_LENGTH:
        if f" {phrase} " in padded:
            found.add(_FREQUENCY_WORDS[phrase])
            padded = padded.replace(f" {phrase} ", "  ")
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class Score:
    """An instrument's score: None unless every item was answered."""

    value: float | None
    positive: bool | None

    def label(self) -> str:
        if self.value is None:
            return "incomplete"
        text = f"{self.value:g}"
        return f"{text} (positive screen)" if self.positive else text


def score(instrument: Instrument, values: Sequence[int | None]) -> Score:
    """PEG: the mean of its items, to one decimal; PHQ-2 and GAD-2: the sum, positive at 3+."""
    if len(values) != len(instrument.items) or any(v is None for v in values):
        return Score(None, None)
    numbers = [int(v) for v in values if v is not None]
    if instrument.scoring == "mean":
        return Score(round(sum(numbers) / len(numbers), 1), None)
    total = sum(numbers)
    positive = instrument.positive_at is not None and total >= instrument.positive_at
    return Score(float(total), positive)
