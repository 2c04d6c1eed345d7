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
       "Pausa de 2 minutos: de pie, estire el cuerpo y beba agua. Responda LISTO al terminar."),
    _c("pacing-2", "pacing",
       "Pacing check: have you been in one position a while? Change it for 2 minutes. Reply DONE after.",
       "¿Lleva rato en la misma postura? Cambie de postura 2 minutos. Responda LISTO después."),
    _c("pacing-3", "pacing",
       "A short pause before the next task: roll your shoulders 5 times, then go gently. Reply DONE.",
       "Una pausa antes de la siguiente tarea: gire los hombros 5 veces y siga con calma. Responda LISTO."),
    _c("pacing-4", "pacing",
       "Break time: walk to a window or door and take in what you see for a minute. Reply DONE.",
       "Hora de pausa: camine hasta una ventana o puerta y mire afuera un minuto. Responda LISTO."),
    _c("pacing-5", "pacing",
       "Pacing tip: split the next job into two halves with a short rest between. Reply DONE if you try it.",
       "Consejo: divida la siguiente tarea en dos partes, con un descanso entre ellas. Responda LISTO si lo prueba."),
    _c("pacing-6", "pacing",
       "Pause for 2 minutes: sit back, let your arms rest, and notice 3 things you can hear. Reply DONE.",
       "Haga una pausa de 2 minutos: apoye la espalda, deje descansar los brazos y escuche 3 sonidos. Responda LISTO."),
    _c("pacing-7", "pacing",
       "Stop before the pain tells you to. Take a 2-minute break now, then carry on at an easy pace. Reply DONE.",
       "Pare antes de que el dolor se lo pida. Descanse 2 minutos y siga a un ritmo suave. Responda LISTO."),
    _c("pacing-8", "pacing",
       "Gentle movement break: slowly turn your head side to side, then flex your ankles 10 times. Reply DONE.",
       "Pausa de movimiento: gire la cabeza despacio a cada lado y mueva los tobillos 10 veces. Responda LISTO."),
    _c("pacing-9", "pacing",
       "Check your pace: on a scale of easy to rushed, where are you? Slow down one notch for the next hour. Reply DONE.",
       "Revise su ritmo: ¿va con calma o con prisa? En la siguiente hora, baje un poco el ritmo. Responda LISTO."),
    _c("pacing-10", "pacing",
       "Time to switch: if you've been sitting, stand; if standing, sit for a few minutes. Reply DONE.",
       "Hora de cambiar: si estaba sentado/a, quédese de pie un rato; si estaba de pie, siéntese unos minutos. Responda LISTO."),
    # --- breathing and relaxation scripts ---
    _c("breathing-diaphragm-1", "breathing",
       "Belly breathing: hand on your belly, breathe in through your nose for 4 so it rises, "
       "out slowly for 6. Repeat 5 times. Reply DONE after.",
       "Respirar con el vientre: mano en el vientre, inhale por la nariz contando 4 y exhale despacio contando 6. Repita 5 veces. Responda LISTO al terminar."),
    _c("breathing-diaphragm-2", "breathing",
       "Lie or sit back. Let your belly rise as you breathe in, fall as you breathe out. "
       "Ten slow breaths, no rush. Reply DONE after.",
       "Recuéstese o apoye la espalda. Deje que el vientre suba al inhalar y baje al exhalar. Respire lento diez veces, sin prisa. Responda LISTO."),
    _c("breathing-box-1", "breathing",
       "Box breathing: in for 4, hold for 4, out for 4, hold for 4. Four rounds, at your own pace. "
       "Reply DONE after.",
       "Respirar en cuadrado: inhale 4, aguante 4, exhale 4, aguante 4. Cuatro vueltas, a su ritmo. Responda LISTO al terminar."),
    _c("breathing-box-2", "breathing",
       "Try 4 rounds of box breathing: picture tracing a square, one side per count of 4: in, "
       "hold, out, hold. Reply DONE after.",
       "Haga 4 vueltas de respirar en cuadrado: imagine dibujar un cuadrado, un lado cada 4 tiempos: inhale, aguante, exhale, aguante. Responda LISTO."),
    _c("breathing-long-out-1", "breathing",
       "Calming breath: breathe in for 4, then out for 8 through pursed lips, like cooling soup. "
       "Repeat 6 times. Reply DONE after.",
       "Para calmarse: inhale contando 4 y suelte el aire contando 8, con los labios fruncidos, como si soplara una vela despacio. Repita 6 veces. Responda LISTO."),
    _c("relax-pmr-1", "breathing",
       "Muscle relaxation: squeeze your hands into fists for 5 seconds, then let go and notice "
       "the difference. Do the same with your shoulders. Reply DONE.",
       "Para relajarse: apriete los puños 5 segundos, suelte y note la diferencia. Haga lo mismo con los hombros. Responda LISTO."),
    _c("relax-pmr-2", "breathing",
       "Relax from the feet up: gently tense your feet for 5 seconds, release. Then calves, then "
       "thighs. Only as much as feels OK. Reply DONE.",
       "Relaje desde los pies: tense los pies 5 segundos y suelte. Luego pantorrillas y muslos. Solo hasta donde se sienta bien. Responda LISTO."),
    _c("relax-pmr-3", "breathing",
       "Face and jaw: scrunch your face for 5 seconds, then let it go soft. Let your jaw drop a "
       "little. Breathe slowly for a minute. Reply DONE.",
       "Cara y boca: arrugue la cara 5 segundos y luego suéltela. Deje la boca un poco entreabierta. Respire lento un minuto. Responda LISTO."),
    _c("relax-imagery-1", "breathing",
       "Close your eyes for a minute and picture a calm place you know. What do you hear and "
       "smell there? Breathe slowly. Reply DONE after.",
       "Cierre los ojos un minuto e imagine un lugar tranquilo que conozca. ¿Qué oye y qué huele? Respire despacio. Responda LISTO al terminar."),
    _c("relax-imagery-2", "breathing",
       "Imagine warm sunlight resting on the part of you that hurts, softening it a little with "
       "each out-breath. Stay for a minute. Reply DONE.",
       "Imagine una luz tibia sobre la parte que le duele, que la suaviza un poco cada vez que suelta el aire. Quédese un minuto. Responda LISTO."),
    # --- social connection (nudges, never guilt) ---
    _c("social-1", "social",
       "Who could you send a quick hello to today? Even a short message counts.",
       "¿A quién le puede mandar un saludo hoy? Hasta un mensaje corto cuenta."),
    _c("social-2", "social",
       "Is there someone who makes you smile? Maybe share a photo or a memory with them today.",
       "¿Hay alguien que le saque una sonrisa? Tal vez hoy le puede compartir una foto o un recuerdo."),
    _c("social-3", "social",
       "A small idea: call or text someone from your group and ask how their week is going.",
       "Una idea: llame o escriba a alguien de su grupo y pregunte qué tal le va la semana."),
    _c("social-4", "social",
       "Connection helps with pain. Could you have a cup of tea or a chat with someone this week?",
       "Estar en contacto ayuda con el dolor. ¿Puede tomar un té o charlar con alguien esta semana?"),
    _c("social-5", "social",
       "Think of one person you'd like to hear from. What if you reached out first today?",
       "Piense en una persona a la que extraña. ¿Y si hoy le escribe usted primero?"),
    _c("social-6", "social",
       "Sharing a laugh counts as pain care too. Who could you send something funny to?",
       "Compartir una risa también cuida del dolor. ¿A quién le puede mandar algo gracioso?"),
    _c("social-7", "social",
       "If it's a low-energy day, a short voice note or a wave to a neighbour is plenty.",
       "Si hoy tiene pocas fuerzas, un audio corto o saludar a un vecino es suficiente."),
    _c("social-8", "social",
       "Is there a small plan you could make with someone for the weekend? Keep it easy.",
       "¿Puede hacer un plan pequeño con alguien para el fin de semana? Que sea sencillo."),
    # --- check-ins ---
    _c("checkin-pain-1", "checkin_pain",
       "How is your pain right now, 0 (none) to 10 (worst)? Reply with a number.",
       "¿Qué tal su dolor ahora, de 0 (nada) a 10 (el peor)? Basta con responder la cifra."),
    _c("checkin-pain-2", "checkin_pain",
       "Quick check-in: your pain at the moment, 0 to 10? (0 = none, 10 = worst)",
       "Pregunta breve: su dolor en este momento, ¿de 0 a 10? (0 = nada, 10 = el peor)"),
    _c("checkin-pain-3", "checkin_pain",
       "What number would you give your pain right now, from 0 (none) to 10 (worst)?",
       "¿Qué nota le pone a su dolor ahora, de 0 (nada) a 10 (el peor)?"),
    _c("checkin-pain-4", "checkin_pain",
       "Checking in on your pain: 0 means none, 10 the worst you can imagine. Where is it now?",
       "Sobre su dolor: 0 es nada y 10 el peor que pueda imaginar. ¿Qué nota tiene ahora?"),
    _c("checkin-pain-5", "checkin_pain",
       "Pain check: reply 0-10 (0 none, 10 worst). Thanks for keeping track.",
       "Control de dolor: responda 0-10 (0 nada, 10 el peor). Gracias por llevar la cuenta."),
    _c("checkin-pain-6", "checkin_pain",
       "How much does it hurt right now? A number from 0 (no pain) to 10 (worst) is perfect.",
       "¿Qué tanto le duele ahora? Una cifra de 0 (sin dolor) a 10 (el peor) es perfecta."),
    _c("checkin-pain-7", "checkin_pain",
       "Time for a pain rating: 0 (none) to 10 (worst). Just the number is fine.",
       "Hora de puntuar el dolor: 0 (nada) a 10 (el peor). Basta con la cifra."),
    _c("checkin-pain-8", "checkin_pain",
       "Your pain score for now, please: 0 if none, 10 if it's the worst. Thank you.",
       "Su nivel de dolor ahora, por favor: 0 si no hay, 10 si es el peor. Gracias."),
    _c("checkin-mood-1", "checkin_mood",
       "How is your mood right now, 0 (very low) to 10 (very good)? Reply with a number.",
       "¿Qué tal su humor ahora, de 0 (muy bajo) a 10 (muy bueno)? Responda con una cifra."),
    _c("checkin-mood-2", "checkin_mood",
       "Quick mood check: 0 (very low) to 10 (very good), where are you today?",
       "Pregunta breve de humor: de 0 (muy bajo) a 10 (muy bueno), ¿qué tal hoy?"),
    _c("checkin-mood-3", "checkin_mood",
       "What number fits your mood right now? 0 is very low, 10 is very good.",
       "¿Qué nota le pone a su humor ahora? 0 es muy bajo, 10 muy bueno."),
    _c("checkin-mood-4", "checkin_mood",
       "Checking in on how you feel: mood from 0 (very low) to 10 (very good)?",
       "Sobre su humor: de 0 (muy bajo) a 10 (muy bueno), ¿qué tal se siente?"),
    _c("checkin-mood-5", "checkin_mood",
       "Mood check: reply 0-10 (0 very low, 10 very good). Any number is a fine answer.",
       "Control de humor: responda 0-10 (0 muy bajo, 10 muy bueno). Cualquier cifra vale."),
    _c("checkin-mood-6", "checkin_mood",
       "How are your spirits today, from 0 (very low) to 10 (very good)?",
       "¿Qué tal anda de humor hoy, de 0 (muy bajo) a 10 (muy bueno)?"),
    _c("checkin-mood-7", "checkin_mood",
       "Time for a mood rating: 0 (very low) to 10 (very good). Just the number is fine.",
       "Hora de puntuar su humor: 0 (muy bajo) a 10 (muy bueno). Basta con la cifra."),
    _c("checkin-mood-8", "checkin_mood",
       "Your mood for now, please: 0 if very low, 10 if very good. Thank you.",
       "Su humor ahora, por favor: 0 si anda muy bajo, 10 si anda muy bien. Gracias."),
    _c("checkin-both-1", "checkin_both",
       "Evening check-in: your pain (0 none-10 worst) then your mood (0 very low-10 very good). "
       "Reply like: 6 4",
       "Pregunta de la tarde: su dolor (0 nada-10 el peor) y su humor (0 muy bajo-10 muy bueno). Por ejemplo: 6 4"),
    _c("checkin-both-2", "checkin_both",
       "How did today go? Reply pain then mood, each 0-10, e.g. 5 6 (pain 10 = worst, mood 10 = very good).",
       "¿Qué tal fue hoy? Responda dolor y humor, de 0 a 10, ej. 5 6 (dolor 10 = el peor, humor 10 = muy bueno)."),
    _c("checkin-both-3", "checkin_both",
       "Two numbers please: pain right now (0-10), then mood (0-10). For example: 4 7",
       "Dos cifras, por favor: dolor ahora (0-10) y humor (0-10). Por ejemplo: 4 7"),
    _c("checkin-both-4", "checkin_both",
       "Daily check-in: pain 0-10 and mood 0-10. You can write pain 5 mood 6, or just 5 6.",
       "Pregunta diaria: dolor 0-10 y humor 0-10. Puede escribir dolor 5 humor 6, o solo 5 6."),
    _c("checkin-both-5", "checkin_both",
       "Before the day ends: how are your pain and your mood, each 0 to 10? Reply e.g. 6 5",
       "Antes de acostarse: ¿qué tal su dolor y su humor, de 0 a 10? Responda por ejemplo 6 5"),
    _c("checkin-both-6", "checkin_both",
       "Check-in time. Pain (0 none, 10 worst) and mood (0 very low, 10 very good)? Reply like 3 7",
       "Hora de la pregunta. ¿Dolor (0 nada, 10 el peor) y humor (0 muy bajo, 10 muy bueno)? Ej. 3 7"),
    _c("checkin-both-7", "checkin_both",
       "Thanks for another day of practice. Pain then mood, 0-10 each, e.g. 5 5",
       "Gracias por seguir practicando. Dolor y humor, de 0 a 10 cada uno, ej. 5 5"),
    # --- tied to group sessions ---
    _c("checkin-both-8", "checkin_both",
       "End-of-day check-in: pain 0-10 (10 worst), then mood 0-10 (10 very good). Reply e.g. 4 6",
       "Pregunta de la noche: dolor 0-10 (10 el peor) y humor 0-10 (10 muy bien). Ej. 4 6"),
    _c("session-checkin-1", "session_checkin",
       "Your group meets soon. Before it: pain then mood, 0-10 each, e.g. 5 6",
       "Pronto tiene su grupo. Antes, dolor y humor de 0 a 10, ej. 5 6"),
    _c("session-checkin-2", "session_checkin",
       "See you at group later. Quick check-in first: pain (0-10) and mood (0-10)?",
       "Nos vemos en el grupo. Antes, una pregunta: ¿dolor (0-10) y humor (0-10)?"),
    _c("session-checkin-3", "session_checkin",
       "Group today! How are your pain and mood, each 0 to 10? Reply like 4 6",
       "¡Hoy hay grupo! ¿Qué tal su dolor y su humor, de 0 a 10? Por ejemplo: 4 6"),
    _c("session-practice-1", "session_practice",
       "After yesterday's group: pick one skill you talked about and try it for 5 minutes today. "
       "Reply DONE when you have.",
       "Tras el grupo de ayer: elija una habilidad que vieron y pruébela 5 minutos hoy. Responda LISTO al hacerlo."),
    _c("session-practice-2", "session_practice",
       "What stuck with you from group? Give it a short try today. Reply DONE after.",
       "¿Qué recuerda del grupo? Pruébelo un rato hoy. Responda LISTO después."),
    _c("session-practice-3", "session_practice",
       "Practice makes the skills stick: spend a few minutes today on something from this week's group. Reply DONE.",
       "Practicar afianza lo aprendido: dedique unos minutos hoy a algo del grupo. Responda LISTO."),
    # --- one gentle reminder for an unanswered check-in ---
    _c("reminder-1", "reminder",
       "Gentle reminder: when you have a moment, a number 0-10 for the earlier check-in helps.",
       "Recordatorio: cuando pueda, una cifra del 0 al 10 para la pregunta de antes nos ayuda."),
    _c("reminder-2", "reminder",
       "No pressure: if you'd like, reply to the earlier check-in with a number 0-10.",
       "Sin prisa: si quiere, responda a la pregunta de antes con una cifra del 0 al 10."),
    _c("reminder-3", "reminder",
       "Still time to answer the check-in if you want to: just a number 0-10.",
       "Si quiere, puede responder la pregunta de antes: solo una cifra del 0 al 10."),
    _c("reminder-4", "reminder",
       "A quick nudge about the check-in earlier. A number 0-10 is all it takes.",
       "Un aviso sobre la pregunta de antes. Basta una cifra del 0 al 10."),
    # --- automatic return after PAUSE or FLARE ---
    _c("resume-1", "resume",
       "Hello again! Your texts start again today. Reply PAUSE 3 for another break, STOP to opt out.",
       "Hola de nuevo. Hoy vuelven sus textos. Responda PAUSA 3 para otra pausa, STOP para salir."),
    _c("resume-2", "resume",
       "Welcome back. We'll pick up your usual texts from today. Reply HELP any time.",
       "Bienvenido/a de nuevo. Retomamos sus textos de siempre desde hoy. Responda AYUDA cuando quiera."),
    _c("flare-end-1", "flare_end",
       "Hope the flare has eased. Your usual texts start again now. Reply FLARE if you need a lighter few days.",
       "Esperamos que el brote haya pasado. Vuelven sus textos de siempre. Responda BROTE si necesita seguir con menos textos."),
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
