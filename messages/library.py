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
    # --- pacing breaks ---
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
    _c("pacing-5", "pacing",
       "Pacing tip: split the next job into two halves with a short rest between. Reply DONE if you try it.",
       "Consejo: divida la siguiente tarea en dos partes con un descanso entre ellas. Responda DONE si lo prueba."),
    _c("pacing-6", "pacing",
       "Pause for 2 minutes: sit back, let your arms rest, and notice 3 things you can hear. Reply DONE.",
       "Pause 2 minutos: reclinese, deje descansar los brazos y note 3 sonidos. Responda DONE."),
    _c("pacing-7", "pacing",
       "Stop before the pain tells you to. Take a 2-minute break now, then carry on at an easy pace. Reply DONE.",
       "Pare antes de que el dolor se lo pida. Descanse 2 minutos y siga a un ritmo suave. Responda DONE."),
    _c("pacing-8", "pacing",
       "Gentle movement break: slowly turn your head side to side, then flex your ankles 10 times. Reply DONE.",
       "Pausa de movimiento: gire la cabeza despacio a cada lado y mueva los tobillos 10 veces. Responda DONE."),
    _c("pacing-9", "pacing",
       "Check your pace: on a scale of easy to rushed, where are you? Slow down one notch for the next hour. Reply DONE.",
       "Revise su ritmo: de tranquilo a apurado, donde esta? Baje un punto la proxima hora. Responda DONE."),
    _c("pacing-10", "pacing",
       "Time to switch: if you've been sitting, stand; if standing, sit for a few minutes. Reply DONE.",
       "Hora de cambiar: si estaba sentado/a, parese; si estaba de pie, sientese unos minutos. Responda DONE."),
    # --- breathing and relaxation scripts ---
    _c("breathing-diaphragm-1", "breathing",
       "Belly breathing: hand on your belly, breathe in through your nose for 4 so it rises, "
       "out slowly for 6. Repeat 5 times. Reply DONE after.",
       "Respiracion abdominal: mano en el vientre, inhale por la nariz 4 tiempos, exhale "
       "despacio 6. Repita 5 veces. Responda DONE al terminar."),
    _c("breathing-diaphragm-2", "breathing",
       "Lie or sit back. Let your belly rise as you breathe in, fall as you breathe out. "
       "Ten slow breaths, no rush. Reply DONE after.",
       "Recuestese o reclinese. Deje que el vientre suba al inhalar y baje al exhalar. "
       "Diez respiraciones lentas, sin prisa. Responda DONE."),
    _c("breathing-box-1", "breathing",
       "Box breathing: in for 4, hold for 4, out for 4, hold for 4. Four rounds, at your own pace. "
       "Reply DONE after.",
       "Respiracion en caja: inhale 4, sostenga 4, exhale 4, sostenga 4. Cuatro vueltas, a su "
       "ritmo. Responda DONE al terminar."),
    _c("breathing-box-2", "breathing",
       "Try 4 rounds of box breathing: picture tracing a square, one side per count of 4: in, "
       "hold, out, hold. Reply DONE after.",
       "Haga 4 vueltas de respiracion en caja: imagine dibujar un cuadrado, un lado cada 4 "
       "tiempos: inhale, sostenga, exhale, sostenga. Responda DONE."),
    _c("breathing-long-out-1", "breathing",
       "Calming breath: breathe in for 4, then out for 8 through pursed lips, like cooling soup. "
       "Repeat 6 times. Reply DONE after.",
       "Respiracion calmante: inhale 4 tiempos y exhale 8 con los labios juntos, como soplando "
       "sopa. Repita 6 veces. Responda DONE."),
    _c("relax-pmr-1", "breathing",
       "Muscle relaxation: squeeze your hands into fists for 5 seconds, then let go and notice "
       "the difference. Do the same with your shoulders. Reply DONE.",
       "Relajacion muscular: apriete los puños 5 segundos, suelte y note la diferencia. Haga lo "
       "mismo con los hombros. Responda DONE."),
    _c("relax-pmr-2", "breathing",
       "Relax from the feet up: gently tense your feet for 5 seconds, release. Then calves, then "
       "thighs. Only as much as feels OK. Reply DONE.",
       "Relaje desde los pies: tense los pies 5 segundos y suelte. Luego pantorrillas y muslos. "
       "Solo lo que le resulte comodo. Responda DONE."),
    _c("relax-pmr-3", "breathing",
       "Face and jaw: scrunch your face for 5 seconds, then let it go soft. Let your jaw drop a "
       "little. Breathe slowly for a minute. Reply DONE.",
       "Cara y mandibula: arrugue la cara 5 segundos y luego relajela. Deje caer un poco la "
       "mandibula. Respire lento un minuto. Responda DONE."),
    _c("relax-imagery-1", "breathing",
       "Close your eyes for a minute and picture a calm place you know. What do you hear and "
       "smell there? Breathe slowly. Reply DONE after.",
       "Cierre los ojos un minuto e imagine un lugar tranquilo que conozca. Que oye y que huele? "
       "Respire despacio. Responda DONE al terminar."),
    _c("relax-imagery-2", "breathing",
       "Imagine warm sunlight resting on the part of you that hurts, softening it a little with "
       "each out-breath. Stay for a minute. Reply DONE.",
       "Imagine una luz calida sobre la parte que le duele, que la suaviza un poco con cada "
       "exhalacion. Quedese un minuto. Responda DONE."),
    # --- social connection (nudges, never guilt) ---
    _c("social-1", "social",
       "Who could you send a quick hello to today? Even a short message counts.",
       "A quien podria mandar un saludo hoy? Hasta un mensaje corto cuenta."),
    _c("social-2", "social",
       "Is there someone who makes you smile? Maybe share a photo or a memory with them today.",
       "Hay alguien que le haga sonreir? Quizas hoy le comparta una foto o un recuerdo."),
    _c("social-3", "social",
       "A small idea: call or text someone from your group and ask how their week is going.",
       "Una idea: llame o escriba a alguien de su grupo y pregunte que tal su semana."),
    _c("social-4", "social",
       "Connection helps with pain. Could you have a cup of tea or a chat with someone this week?",
       "Estar en contacto ayuda con el dolor. Podria tomar un te o charlar con alguien esta semana?"),
    _c("social-5", "social",
       "Think of one person you'd like to hear from. What if you reached out first today?",
       "Piense en una persona de la que le gustaria saber. Y si hoy le escribe usted primero?"),
    _c("social-6", "social",
       "Sharing a laugh counts as pain care too. Who could you send something funny to?",
       "Reir con alguien tambien cuida del dolor. A quien podria mandar algo gracioso?"),
    _c("social-7", "social",
       "If it's a low-energy day, a short voice note or a wave to a neighbour is plenty.",
       "Si hoy tiene poca energia, un audio corto o saludar a un vecino es suficiente."),
    _c("social-8", "social",
       "Is there a small plan you could make with someone for the weekend? Keep it easy.",
       "Hay algun plan pequeño que pueda hacer con alguien el fin de semana? Que sea facil."),
    # --- check-ins ---
    _c("checkin-pain-1", "checkin_pain",
       "How is your pain right now, 0 (none) to 10 (worst)? Reply with a number.",
       "Como esta su dolor ahora, de 0 (nada) a 10 (el peor)? Responda con un numero."),
    _c("checkin-pain-2", "checkin_pain",
       "Quick check-in: your pain at the moment, 0 to 10? (0 = none, 10 = worst)",
       "Pregunta rapida: su dolor en este momento, de 0 a 10? (0 = nada, 10 = el peor)"),
    _c("checkin-pain-3", "checkin_pain",
       "What number would you give your pain right now, from 0 (none) to 10 (worst)?",
       "Que numero le daria a su dolor ahora, de 0 (nada) a 10 (el peor)?"),
    _c("checkin-pain-4", "checkin_pain",
       "Checking in on your pain: 0 means none, 10 the worst you can imagine. Where is it now?",
       "Sobre su dolor: 0 es nada, 10 el peor que imagine. Donde esta ahora?"),
    _c("checkin-pain-5", "checkin_pain",
       "Pain check: reply 0-10 (0 none, 10 worst). Thanks for keeping track.",
       "Control de dolor: responda 0-10 (0 nada, 10 el peor). Gracias por llevar la cuenta."),
    _c("checkin-pain-6", "checkin_pain",
       "How much does it hurt right now? A number from 0 (no pain) to 10 (worst) is perfect.",
       "Cuanto le duele ahora? Un numero de 0 (sin dolor) a 10 (el peor) es perfecto."),
    _c("checkin-pain-7", "checkin_pain",
       "Time for a pain rating: 0 (none) to 10 (worst). Just the number is fine.",
       "Hora de puntuar el dolor: 0 (nada) a 10 (el peor). Basta con el numero."),
    _c("checkin-pain-8", "checkin_pain",
       "Your pain score for now, please: 0 if none, 10 if it's the worst. Thank you.",
       "Su nivel de dolor ahora, por favor: 0 si no hay, 10 si es el peor. Gracias."),
    _c("checkin-mood-1", "checkin_mood",
       "How is your mood right now, 0 (very low) to 10 (very good)? Reply with a number.",
       "Como esta su animo ahora, de 0 (muy bajo) a 10 (muy bueno)? Responda con un numero."),
    _c("checkin-mood-2", "checkin_mood",
       "Quick mood check: 0 (very low) to 10 (very good), where are you today?",
       "Pregunta rapida de animo: de 0 (muy bajo) a 10 (muy bueno), como esta hoy?"),
    _c("checkin-mood-3", "checkin_mood",
       "What number fits your mood right now? 0 is very low, 10 is very good.",
       "Que numero describe su animo ahora? 0 es muy bajo, 10 muy bueno."),
    _c("checkin-mood-4", "checkin_mood",
       "Checking in on how you feel: mood from 0 (very low) to 10 (very good)?",
       "Sobre como se siente: animo de 0 (muy bajo) a 10 (muy bueno)?"),
    _c("checkin-mood-5", "checkin_mood",
       "Mood check: reply 0-10 (0 very low, 10 very good). Any number is a fine answer.",
       "Control de animo: responda 0-10 (0 muy bajo, 10 muy bueno). Cualquier numero vale."),
    _c("checkin-mood-6", "checkin_mood",
       "How are your spirits today, from 0 (very low) to 10 (very good)?",
       "Como anda de animo hoy, de 0 (muy bajo) a 10 (muy bueno)?"),
    _c("checkin-mood-7", "checkin_mood",
       "Time for a mood rating: 0 (very low) to 10 (very good). Just the number is fine.",
       "Hora de puntuar el animo: 0 (muy bajo) a 10 (muy bueno). Basta con el numero."),
    _c("checkin-mood-8", "checkin_mood",
       "Your mood for now, please: 0 if very low, 10 if very good. Thank you.",
       "Su animo ahora, por favor: 0 si esta muy bajo, 10 si esta muy bien. Gracias."),
    _c("checkin-both-1", "checkin_both",
       "Evening check-in: your pain (0 none-10 worst) then your mood (0 very low-10 very good). "
       "Reply like: 6 4",
       "Pregunta de la tarde: su dolor (0 nada-10 el peor) y su animo (0 muy bajo-10 muy bueno). "
       "Responda asi: 6 4"),
    _c("checkin-both-2", "checkin_both",
       "How did today go? Reply pain then mood, each 0-10, e.g. 5 6 (pain 10 = worst, mood 10 = very good).",
       "Como fue hoy? Responda dolor y animo, de 0 a 10, ej. 5 6 (dolor 10 = el peor, animo 10 = muy bueno)."),
    _c("checkin-both-3", "checkin_both",
       "Two numbers please: pain right now (0-10), then mood (0-10). For example: 4 7",
       "Dos numeros por favor: dolor ahora (0-10) y animo (0-10). Por ejemplo: 4 7"),
    _c("checkin-both-4", "checkin_both",
       "Daily check-in: pain 0-10 and mood 0-10. You can write pain 5 mood 6, or just 5 6.",
       "Pregunta diaria: dolor 0-10 y animo 0-10. Puede escribir dolor 5 animo 6, o solo 5 6."),
    _c("checkin-both-5", "checkin_both",
       "Before the day ends: how are your pain and your mood, each 0 to 10? Reply e.g. 6 5",
       "Antes de terminar el dia: como estan su dolor y su animo, de 0 a 10? Responda ej. 6 5"),
    _c("checkin-both-6", "checkin_both",
       "Check-in time. Pain (0 none, 10 worst) and mood (0 very low, 10 very good)? Reply like 3 7",
       "Hora de la pregunta. Dolor (0 nada, 10 el peor) y animo (0 muy bajo, 10 muy bueno)? Ej. 3 7"),
    _c("checkin-both-7", "checkin_both",
       "Thanks for another day of practice. Pain then mood, 0-10 each, e.g. 5 5",
       "Gracias por otro dia de practica. Dolor y animo, de 0 a 10 cada uno, ej. 5 5"),
    # --- tied to group sessions ---
    _c("checkin-both-8", "checkin_both",
       "End-of-day check-in: pain 0-10 (10 worst), then mood 0-10 (10 very good). Reply e.g. 4 6",
       "Pregunta de fin del dia: dolor 0-10 (10 el peor) y animo 0-10 (10 muy bien). Ej. 4 6"),
    _c("session-checkin-1", "session_checkin",
       "Your group meets soon. Before it: pain then mood, 0-10 each, e.g. 5 6",
       "Su grupo se reune pronto. Antes: dolor y animo, de 0 a 10, ej. 5 6"),
    _c("session-checkin-2", "session_checkin",
       "See you at group later. Quick check-in first: pain (0-10) and mood (0-10)?",
       "Nos vemos en el grupo. Antes una pregunta: dolor (0-10) y animo (0-10)?"),
    _c("session-checkin-3", "session_checkin",
       "Group today! How are your pain and mood, each 0 to 10? Reply like 4 6",
       "Hoy hay grupo. Como estan su dolor y su animo, de 0 a 10? Responda asi: 4 6"),
    _c("session-practice-1", "session_practice",
       "After yesterday's group: pick one skill you talked about and try it for 5 minutes today. "
       "Reply DONE when you have.",
       "Tras el grupo de ayer: elija una habilidad que vieron y practiquela 5 minutos hoy. "
       "Responda DONE al hacerlo."),
    _c("session-practice-2", "session_practice",
       "What stuck with you from group? Give it a short try today. Reply DONE after.",
       "Que le quedo del grupo? Pruebelo un rato hoy. Responda DONE despues."),
    _c("session-practice-3", "session_practice",
       "Practice makes the skills stick: spend a few minutes today on something from this week's group. Reply DONE.",
       "La practica afianza lo aprendido: dedique unos minutos hoy a algo del grupo. Responda DONE."),
    # --- one gentle reminder for an unanswered check-in ---
    _c("reminder-1", "reminder",
       "Gentle reminder: when you have a moment, a number 0-10 for the earlier check-in helps.",
       "Recordatorio: cuando pueda, un numero del 0 al 10 para la pregunta de antes nos ayuda."),
    _c("reminder-2", "reminder",
       "No pressure: if you'd like, reply to the earlier check-in with a number 0-10.",
       "Sin presion: si quiere, responda a la pregunta de antes con un numero del 0 al 10."),
    _c("reminder-3", "reminder",
       "Still time to answer the check-in if you want to: just a number 0-10.",
       "Aun puede responder la pregunta si quiere: solo un numero del 0 al 10."),
    _c("reminder-4", "reminder",
       "A quick nudge about the check-in earlier. A number 0-10 is all it takes.",
       "Un aviso sobre la pregunta de antes. Basta un numero del 0 al 10."),
    # --- automatic return after PAUSE or FLARE ---
    _c("resume-1", "resume",
       "Hello again! Your texts start again today. Reply PAUSE 3 for another break, STOP to opt out.",
       "Hola de nuevo. Hoy vuelven sus textos. Responda PAUSE 3 para otra pausa, STOP para salir."),
    _c("resume-2", "resume",
       "Welcome back. We'll pick up your usual texts from today. Reply HELP any time.",
       "Bienvenido/a de nuevo. Retomamos sus textos de siempre desde hoy. Responda HELP cuando quiera."),
    _c("flare-end-1", "flare_end",
       "Hope the flare has eased. Your usual texts start again now. Reply FLARE if you need a lighter few days.",
       "Esperamos que la crisis haya pasado. Vuelven sus textos habituales. Responda FLARE si necesita unos dias mas suaves."),
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


def rotate(kind: str, n: int) -> Content:
    """The n-th variant of `kind`, cycling (for texts sent in turn: reminders, hellos)."""
    candidates = contents_of((kind,))
    if not candidates:
        raise ValueError(f"no content of kind {kind}")
    return candidates[n % len(candidates)]
