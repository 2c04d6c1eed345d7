"""Fixed system texts: invitation, welcome, help, stop confirmation, crisis reply, acks, re-asks.

These are reviewed wording, versioned with the code, in English and Spanish. Each fits in at
most two GSM-7 segments (tests enforce it). Nothing here is generated at run time except the
substitution of the organisation's name, contact and crisis numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Org:
    """What the texts say about who is sending them."""

    name: str
    support_contact: str
    crisis_line: str = "988"
    emergency_number: str = "911"


_TEXTS: dict[str, dict[str, str]] = {
    "invitation": {
        "en": "{org}: you've been invited to get short texts for your pain-management group: "
        "pacing breaks, breathing, check-ins. Reply YES to join. Reply STOP to opt out, "
        "HELP for help. Msg&data rates may apply.",
        "es": "{org}: le invitaron a recibir textos breves de su grupo de manejo del dolor: "
        "pausas, respiracion, preguntas. Responda YES para unirse, STOP para no recibir mas, "
        "HELP para ayuda.",
    },
    "welcome": {
        "en": "{org}: welcome! You'll get 1-5 texts a day. Reply with a number when asked, "
        "DONE after an exercise, PAUSE 3 for a break, HELP for help, STOP to opt out.",
        "es": "{org}: bienvenido/a. Recibira 1-5 textos al dia. Responda con un numero cuando "
        "se le pida, DONE tras un ejercicio, PAUSE 3 para descansar, HELP ayuda, STOP salir.",
    },
    "already_active": {
        "en": "{org}: you're already signed up. Reply HELP for help, STOP to opt out.",
        "es": "{org}: ya esta inscrito/a. Responda HELP para ayuda, STOP para salir.",
    },
    "resubscribed": {
        "en": "{org}: welcome back! Your texts will start again. Reply STOP at any time to opt out.",
        "es": "{org}: bienvenido/a de nuevo. Volvera a recibir textos. Responda STOP para salir.",
    },
    "help": {
        "en": "{org} sends texts for your pain-management group. To reach a person: "
        "{support}. Reply STOP to opt out, PAUSE 3 for a break. In a crisis call or text "
        "{crisis}.",
        "es": "{org} envia textos para su grupo de manejo del dolor. Para hablar con alguien: "
        "{support}. Responda STOP para salir, PAUSE 3 para una pausa. En crisis llame o "
        "escriba al {crisis}.",
    },
    "stopped": {
        "en": "{org}: you're unsubscribed and will get no more texts. Reply START to rejoin.",
        "es": "{org}: se ha dado de baja y no recibira mas textos. Responda START para volver.",
    },
    "unknown_number": {
        "en": "{org}: this number isn't enrolled. To join, ask your group facilitator. "
        "Reply STOP to opt out.",
        "es": "{org}: este numero no esta inscrito. Para unirse, hable con su facilitador/a. "
        "Responda STOP para salir.",
    },
    "not_yet_joined": {
        "en": "{org}: please reply YES to join first, or STOP to opt out.",
        "es": "{org}: responda YES para unirse primero, o STOP para salir.",
    },
    # Fixed, reviewed crisis wording. Never generated, never varied.
    "crisis": {
        "en": "We're concerned about you. If you're thinking about suicide or hurting yourself, "
        "call or text {crisis} (Suicide & Crisis Lifeline) now; in an emergency call "
        "{emergency}. This line is not watched around the clock. We've told your care team.",
        "es": "Nos preocupa usted. Si piensa en el suicidio o en hacerse dano, llame o escriba "
        "al {crisis} (Linea de Crisis y Suicidio); en emergencia llame al {emergency}. Esta "
        "linea no se vigila siempre. Avisamos a su equipo.",
    },
    "ack_log": {
        "en": "Thanks, got it: {values}.",
        "es": "Gracias, anotado: {values}.",
    },
    "ack_note": {
        "en": "Thanks, your message is saved for your care team.",
        "es": "Gracias, su mensaje queda guardado para su equipo.",
    },
    "reask_range": {
        "en": "Thanks! Please use a number from 0 to 10, e.g. 6.",
        "es": "Gracias. Use un numero del 0 al 10, por ejemplo 6.",
    },
    "ack_done": {
        "en": "Well done. Thanks for letting us know.",
        "es": "Muy bien. Gracias por avisarnos.",
    },
    "ack_skip": {
        "en": "No problem, skipped.",
        "es": "Sin problema, lo saltamos.",
    },
    "ack_pause": {
        "en": "Paused. No texts for {days} day(s). Reply RESUME to restart sooner.",
        "es": "En pausa. Sin textos por {days} dia(s). Responda RESUME para seguir antes.",
    },
    "ack_resume": {
        "en": "Welcome back. Your texts will start again.",
        "es": "Bienvenido/a de nuevo. Volvera a recibir textos.",
    },
    "ack_more": {
        "en": "Another exercise is on its way.",
        "es": "Otro ejercicio va en camino.",
    },
    "ack_more_limited": {
        "en": "That's plenty for now. More exercises later today.",
        "es": "Suficiente por ahora. Mas ejercicios luego.",
    },
    "ack_flare": {
        "en": "Sorry you're having a flare. We'll send fewer, gentler texts for a few days and "
        "let your facilitator know. Be kind to yourself.",
        "es": "Sentimos que tenga una crisis de dolor. Enviaremos menos textos unos dias y "
        "avisaremos a su facilitador/a. Cuidese.",
    },
    "crisis_alert_sms": {
        "en": "{org} ALERT: a participant in group {group} sent a message that may signal a "
        "crisis. Open alert #{alert} in Paceline now.",
        "es": "{org} ALERTA: un participante del grupo {group} envio un mensaje que puede "
        "indicar una crisis. Abra la alerta #{alert} en Paceline.",
    },
}

_VALUE_WORDS = {
    "en": {"pain": "pain {v}/10", "mood": "mood {v}/10", "and": " and "},
    "es": {"pain": "dolor {v}/10", "mood": "animo {v}/10", "and": " y "},
}


def language_or_default(language: str | None) -> str:
    """A supported language code: the given one, or English."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def system_text(key: str, language: str | None, org: Org, **values: object) -> str:
    """The fixed text `key` in `language` with the organisation's details filled in."""
    lang = language_or_default(language)
    template = _TEXTS[key][lang]
    return template.format(
        org=org.name,
        support=org.support_contact,
        crisis=org.crisis_line,
        emergency=org.emergency_number,
        **values,
    )


def logged_values(language: str | None, pain: int | None, mood: int | None) -> str:
    """'pain 6/10 and mood 4/10' in the participant's language."""
    words = _VALUE_WORDS[language_or_default(language)]
    parts = []
    if pain is not None:
        parts.append(words["pain"].format(v=pain))
    if mood is not None:
        parts.append(words["mood"].format(v=mood))
    return words["and"].join(parts)


def system_keys() -> tuple[str, ...]:
    """Every fixed text's key (for tests that check length and alphabet)."""
    return tuple(_TEXTS)
