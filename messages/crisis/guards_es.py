"""Guards for the Spanish phrase families: "me muero de risa", "seguir con los ejercicios",
"escuadrón suicida", "me corté cocinando". See guards.py for how guards work."""

from __future__ import annotations

import re

from messages.crisis.families import CONCERN, CRISIS
from messages.crisis.guards_harm import _INTENT_BEFORE


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
