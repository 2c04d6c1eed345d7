"""The prompt library: pacing breaks, breathing and relaxation scripts, social nudges.

Each entry has a stable key (stored with what was sent, so rotation can avoid repeats) and a
text per language. Texts are plain GSM-7 and at most two segments (tests enforce both).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from messages.system import language_or_default


@dataclass(frozen=True)
class Content:
    """One prompt text in every supported language."""

    key: str
    kind: str
    texts: dict[str, str]

    def text(self, language: str | None) -> str:
        """The text in `language` (English when that language is missing)."""
        return self.texts.get(language_or_default(language)) or self.texts["en"]


def _c(key: str, kind: str, en: str, es: str) -> Content:
    return Content(key=key, kind=kind, texts={"en": en, "es": es})


LIBRARY: tuple[Content, ...] = (
    _c("pacing-1", "pacing",
       "Time for a 2-minute pacing break: stand, stretch, sip some water. Reply DONE when you have.",
       "Hora de una pausa de 2 minutos: levantese, estirese, beba agua. Responda DONE al terminar."),
    _c("pacing-2", "pacing",
       "Pacing check: have you been in one position a while? Change it for 2 minutes. Reply DONE after.",
       "Pausa: lleva rato en la misma postura? Cambiela por 2 minutos. Responda DONE despues."),
    _c("pacing-3", "pacing",
       "A short pause before the next task: roll your shoulders 5 times, then go gently. Reply DONE.",
       "Una pausa antes de la siguiente tarea: gire los hombros 5 veces y siga con calma. Responda DONE."),
    _c("pacing-4", "pacing",
       "Break time: walk to a window or door and take in what you see for a minute. Reply DONE.",
       "Hora de pausa: camine hasta una ventana o puerta y mire fuera un minuto. Responda DONE."),
    _c("breathing-diaphragm-1", "breathing",
       "Belly breathing: hand on your belly, breathe in through your nose for 4 so it rises, "
       "out slowly for 6. Repeat 5 times. Reply DONE after.",
       "Respiracion abdominal: mano en el vientre, inhale por la nariz 4 tiempos, exhale "
       "despacio 6. Repita 5 veces. Responda DONE al terminar."),
    _c("breathing-box-1", "breathing",
       "Box breathing: in for 4, hold for 4, out for 4, hold for 4. Four rounds, at your own pace. "
       "Reply DONE after.",
       "Respiracion en caja: inhale 4, sostenga 4, exhale 4, sostenga 4. Cuatro vueltas, a su "
       "ritmo. Responda DONE al terminar."),
    _c("relax-pmr-1", "breathing",
       "Muscle relaxation: squeeze your hands into fists for 5 seconds, then let go and notice "
       "the difference. Do the same with your shoulders. Reply DONE.",
       "Relajacion muscular: apriete los puños 5 segundos, suelte y note la diferencia. Haga lo "
       "mismo con los hombros. Responda DONE."),
    _c("relax-imagery-1", "breathing",
       "Close your eyes for a minute and picture a calm place you know. What do you hear and "
       "smell there? Breathe slowly. Reply DONE after.",
       "Cierre los ojos un minuto e imagine un lugar tranquilo que conozca. Que oye y que huele? "
       "Respire despacio. Responda DONE al terminar."),
)  # fmt: skip

BY_KEY = {c.key: c for c in LIBRARY}


def contents_of(kinds: Iterable[str]) -> list[Content]:
    """Every entry of the given kinds, in library order."""
    wanted = set(kinds)
    return [c for c in LIBRARY if c.kind in wanted]


def choose(kinds: Iterable[str], recent_keys: Sequence[str]) -> Content:
    """The least recently used entry of `kinds`: never sent first, then the oldest sent.

    `recent_keys` lists content keys sent to this participant, newest first.
    """
    candidates = contents_of(kinds)
    if not candidates:
        raise ValueError(f"no content of kinds {sorted(set(kinds))}")
    last_seen = {key: i for i, key in reversed(list(enumerate(recent_keys)))}
    never = [c for c in candidates if c.key not in last_seen]
    if never:
        return never[0]
    return max(candidates, key=lambda c: last_seen[c.key])
