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
    crisis_chat: str = "988lifeline.org"
    support_contact_es: str | None = None  # in Spanish texts; the English one when unset
    care_team_response: str = "by the next working day"
    care_team_response_es: str = "en la siguiente jornada laboral"


_TEXTS: dict[str, dict[str, str]] = {
    "invitation": {
        "en": "{org}: you've been invited to get short texts for your pain-management group: "
        "pacing breaks, breathing, check-ins. Reply YES to join. Reply STOP to opt out, "
        "HELP for help. Msg&data rates may apply.",
        "es": "{org}: le invitamos a recibir textos breves de su grupo de manejo del dolor: "
        "pausas, ejercicios para respirar, preguntas. Responda SI para unirse, STOP para darse "
        "de baja, AYUDA para ayuda. Pueden aplicarse tarifas de mensajes y datos.",
    },
    "welcome": {
        "en": "{org}: welcome! You'll get 1-5 texts a day. Reply with a number when asked, "
        "DONE after an exercise, PAUSE 3 for a break, HELP for help, STOP to opt out.",
        "es": "{org}: ¡bienvenido/a! Le enviaremos entre 1 y 5 textos diarios. Conteste con una "
        "cifra cuando se la pidamos, LISTO tras un ejercicio, PAUSA 3 para descansar, AYUDA "
        "para ayuda, STOP para salir.",
    },
    "already_active": {
        "en": "{org}: you're already signed up. Reply HELP for help, STOP to opt out.",
        "es": "{org}: ya forma parte del programa. Responda AYUDA para ayuda, STOP para salir.",
    },
    "resubscribed": {
        "en": "{org}: welcome back! Your texts will start again. Reply STOP at any time to opt out.",
        "es": "{org}: ¡bienvenido/a de nuevo! Le volveremos a enviar textos. Responda STOP "
        "cuando quiera para salir.",
    },
    "help": {
        "en": "{org} sends texts for your pain-management group. To reach a person: "
        "{support}. Reply STOP to opt out, PAUSE 3 for a break. In a crisis call or text "
        "{crisis}.",
        "es": "{org} le manda textos de su grupo de manejo del dolor. Para hablar con una "
        "persona: {support}. Responda STOP para salir, PAUSA 3 para una pausa. En una crisis, "
        "llame o escriba al {crisis}.",
    },
    "stopped": {
        "en": "{org}: you're unsubscribed and will get no more texts. Reply START to rejoin.",
        "es": "{org}: se ha dado de baja y ya no le enviaremos textos. Responda START para volver.",
    },
    "unknown_number": {
        "en": "{org}: this number isn't enrolled. To join, ask your group facilitator. "
        "Reply STOP to opt out.",
        "es": "{org}: este teléfono no consta en nuestros grupos. Para unirse, hable con su "
        "facilitador/a. Responda STOP para salir.",
    },
    "not_yet_joined": {
        "en": "{org}: please reply YES to join first, or STOP to opt out.",
        "es": "{org}: responda SI para unirse primero, o STOP para salir.",
    },
    # Fixed, reviewed crisis wording, never generated, never varied: written to the 988
    # Lifeline's safe-messaging guidance (docs/crisis.md). Two messages: the resources first,
    # then what this line is and when the care team will read it.
    "crisis": {
        "en": "If you are thinking about suicide or hurting yourself, please reach out now: call "
        "or text {crisis} (Suicide & Crisis Lifeline), free, confidential and open 24/7, or chat "
        "at {crisis_chat}. In an emergency call {emergency}.",
        "es": "Si piensa en el suicidio o en hacerse daño, busque ayuda ahora: llame al {crisis} "
        "y marque 2 para hablar en español, o escriba AYUDA al {crisis}. Es gratis, confidencial "
        "y atiende las 24 horas. En una emergencia, llame al {emergency}.",
    },
    "crisis_followup": {
        "en": "{org}: this text line is not watched around the clock, but {crisis} always is. "
        "We've told your care team and they will read your message {when}.",
        "es": "{org}: este teléfono no se vigila a todas horas, pero el {crisis} atiende "
        "siempre. Ya avisamos a su equipo, que va a leer su mensaje {when}.",
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
        "es": "Gracias. Use una cifra del 0 al 10, por ejemplo 6.",
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
        "en": "Paused: no texts for {days_text}. Reply RESUME to restart sooner.",
        "es": "En pausa: no le enviaremos textos en {days_text}. Responda SEGUIR para volver antes.",
    },
    "ack_resume": {
        "en": "Welcome back. Your texts will start again.",
        "es": "Bienvenido/a de nuevo. Le volveremos a enviar textos.",
    },
    "not_paused": {
        "en": "Your texts are not paused, so they carry on as usual. Reply PAUSE 3 for a break.",
        "es": "Sus textos no estaban en pausa: siguen como siempre. Responda PAUSA 3 para descansar.",
    },
    "ack_more": {
        "en": "Another exercise is on its way.",
        "es": "Otro ejercicio va en camino.",
    },
    "ack_more_limited": {
        "en": "That's plenty for now. More exercises later today.",
        "es": "Por ahora es suficiente. Le mandaremos otros ejercicios luego.",
    },
    "ack_flare": {
        "en": "Sorry you're having a flare. We'll send fewer, gentler texts for a few days and "
        "let your facilitator know. Be kind to yourself.",
        "es": "Sentimos que tenga un brote de dolor. Por ahora le enviaremos menos textos y "
        "avisaremos a su facilitador/a. Sea amable consigo mismo/a.",
    },
    "crisis_alert_sms": {
        "en": "{org} ALERT: a participant in group {group} sent a message that may signal a "
        "crisis. Open alert #{alert} in Paceline now.",
        "es": "{org} ALERTA: un mensaje de un participante del grupo {group} puede indicar "
        "una crisis. Abra la alerta #{alert} en Paceline ya.",
    },
}

_VALUE_WORDS = {
    "en": {"pain": "pain {v}/10", "mood": "mood {v}/10", "and": " and "},
    "es": {"pain": "dolor {v}/10", "mood": "humor {v}/10", "and": " y "},
}


def language_or_default(language: str | None) -> str:
    """A supported language code: the given one, or English."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def system_text(key: str, language: str | None, org: Org, **values: object) -> str:
    """The fixed text `key` in `language` with the organisation's details filled in."""
    lang = language_or_default(language)
    template = _TEXTS[key][lang]
    spanish = lang == "es"
    if "days" in values:
        values = {**values, "days_text": days_text(int(str(values["days"])), lang)}
    return template.format(
        org=org.name,
        support=(org.support_contact_es or org.support_contact) if spanish else org.support_contact,
        crisis=org.crisis_line,
        crisis_chat=org.crisis_chat,
        emergency=org.emergency_number,
        when=org.care_team_response_es if spanish else org.care_team_response,
        **values,
    )


def days_text(days: int, language: str | None) -> str:
    """'1 day', '3 days', '1 dia', '7 dias' (GSM-7 has no i with an accent)."""
    if language_or_default(language) == "es":
        return "1 dia" if days == 1 else f"{days} dias"
    return "1 day" if days == 1 else f"{days} days"


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
