"""FHIR R4 export: a participant's pain and mood observations and their surveys, as a
collection Bundle.

Pain uses LOINC 72514-3 (Pain severity - 0-10 verbal numeric rating [Score] - Reported).
LOINC has no general 0-10 mood rating, so mood uses Paceline's own code system
(MOOD_SYSTEM, code "mood-0-10": 0 very low to 10 very good), documented in docs/fhir.md.

Each survey (PEG, PHQ-2, GAD-2) is a QuestionnaireResponse against a Questionnaire whose
canonical URL the app serves (`questionnaire`), plus, when it was completed, a score
Observation in category `survey` that is `derivedFrom` the response.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from messages.surveys import INSTRUMENTS, Code, Instrument
from service.models import Observation, Participant, SurveyResponse, SurveyStatus
from service.platform.db import iso, utcnow

LOINC = "http://loinc.org"
PAIN_CODE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
MOOD_SYSTEM = "https://paceline.invalid/fhir/CodeSystem/observation"
MOOD_CODE = {
    "system": MOOD_SYSTEM,
    "code": "mood-0-10",
    "display": "Mood rating 0 (very low) to 10 (very good) - Reported",
}
PARTICIPANT_SYSTEM = "https://paceline.invalid/fhir/NamingSystem/participant-id"
_NAMESPACE = uuid.UUID("5b0c7f8e-6a53-4a7e-9d1e-2f1b0d3c9a41")


def _urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{key}')}"


def observations_bundle(
    participant: Participant,
    observations: Iterable[Observation],
    surveys: Iterable[SurveyResponse] = (),
    base_url: str = "",
) -> dict[str, Any]:
    """A FHIR R4 Bundle (collection) with a Patient, one Observation per rating, and for each
    survey its QuestionnaireResponse, score Observation and (once) its Questionnaire."""
    patient_url = _urn("patient", participant.id)
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": patient_url,
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": PARTICIPANT_SYSTEM, "value": str(participant.id)}],
                "active": participant.status.value not in ("opted_out", "withdrawn"),
            },
        }
    ]
    for obs in observations:
        code = PAIN_CODE if obs.kind == "pain" else MOOD_CODE
        entries.append(
            {
                "fullUrl": _urn("observation", obs.id),
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                    "code": "survey",
                                    "display": "Survey",
                                }
                            ]
                        }
                    ],
                    "code": {"coding": [code], "text": f"{obs.kind} 0-10"},
                    "subject": {"reference": patient_url},
                    "effectiveDateTime": iso(obs.recorded_at),
                    "valueInteger": obs.value,
                    "method": {"text": "SMS reply"},
                },
            }
        )
    entries.extend(survey_entries(patient_url, surveys, base_url))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": iso(utcnow()),
        "entry": entries,
    }


SURVEY_CATEGORY = [{"coding": [{
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey", "display": "Survey",
}]}]  # fmt: skip


def _coding(code: Code) -> dict[str, str]:
    return {"system": code.system, "code": code.code, "display": code.display}


def canonical(instrument: Instrument, base_url: str) -> str:
    """The Questionnaire's canonical URL (served by the app at that address)."""
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/paceline-{instrument.key}"


def questionnaire(instrument: Instrument, base_url: str) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire: items with their LOINC codes, the English
    wording texted, answer options (LOINC answer codes) for the 0-3 items."""
    items = []
    for item in instrument.items:
        entry: dict[str, Any] = {
            "linkId": item.link_id, "text": item.text["en"], "required": True,
            "code": [_coding(item.code)] if item.code else [],
        }  # fmt: skip
        if item.answer_codes:
            entry["type"] = "choice"
            entry["answerOption"] = [
                {"valueCoding": {"system": LOINC, "code": code, "display": item.labels["en"][value]}}
                for value, code in enumerate(item.answer_codes)
            ]  # fmt: skip
        else:
            entry["type"] = "integer"
            entry["extension"] = [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": item.low},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": item.high},
            ]  # fmt: skip
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"paceline-{instrument.key}",
        "url": canonical(instrument, base_url),
        "version": instrument.version,
        "name": instrument.name.replace("-", ""),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "copyright": instrument.licence,
        "item": items,
    }
    if instrument.panel is not None:
        resource["code"] = [_coding(instrument.panel)]
    return resource


def survey_entries(
    patient_url: str, surveys: Iterable[SurveyResponse], base_url: str
) -> list[dict[str, Any]]:
    """QuestionnaireResponse and score Observation entries, and the Questionnaires they use."""
    entries: list[dict[str, Any]] = []
    used: dict[str, Instrument] = {}
    for response in surveys:
        if response.status == SurveyStatus.OPEN:
            continue  # still being answered: exported once it closes
        instrument = INSTRUMENTS[response.instrument]
        used[instrument.key] = instrument
        answers = {a.link_id: a for a in response.answers}
        qr_url = _urn("questionnaire-response", response.id)
        items = []
        for item in instrument.items:
            answer = answers.get(item.link_id)
            entry: dict[str, Any] = {"linkId": item.link_id, "text": item.text["en"]}
            if answer is not None and answer.value is not None:
                value = (
                    {"valueCoding": {"system": LOINC, "code": item.answer_codes[answer.value],
                                     "display": item.labels["en"][answer.value]}}
                    if item.answer_codes else {"valueInteger": answer.value}
                )  # fmt: skip
                entry["answer"] = [value]
            items.append(entry)
        entries.append({"fullUrl": qr_url, "resource": {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{canonical(instrument, base_url)}|{response.version}",
            "status": "completed" if response.status == SurveyStatus.COMPLETE else "stopped",
            "subject": {"reference": patient_url},
            "authored": iso(response.completed_at or response.started_at),
            "item": items,
        }})  # fmt: skip
        if response.status == SurveyStatus.COMPLETE and response.score is not None:
            entries.append({"fullUrl": _urn("survey-score", response.id),
                            "resource": _score_observation(instrument, response, patient_url, qr_url)})  # fmt: skip
    for instrument in used.values():
        entries.append({"fullUrl": canonical(instrument, base_url),
                        "resource": questionnaire(instrument, base_url)})  # fmt: skip
    return entries


def _score_observation(
    instrument: Instrument, response: SurveyResponse, patient_url: str, qr_url: str
) -> dict[str, Any]:
    score = response.score or 0.0
    value: dict[str, Any] = (
        {"valueQuantity": {"value": score, "unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"}}
        if instrument.scoring == "mean" else {"valueInteger": int(score)}
    )  # fmt: skip
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": SURVEY_CATEGORY,
        "code": {"coding": [_coding(instrument.total)], "text": f"{instrument.name} score"},
        "subject": {"reference": patient_url},
        "effectiveDateTime": iso(response.completed_at or response.started_at),
        "derivedFrom": [{"reference": qr_url}],
        "method": {"text": "SMS, one item at a time"},
        **value,
    }
    if response.positive is not None:
        flag = "POS" if response.positive else "NEG"
        observation["interpretation"] = [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": flag, "display": "Positive" if response.positive else "Negative",
        }]}]  # fmt: skip
    return observation
