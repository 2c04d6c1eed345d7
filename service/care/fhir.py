"""FHIR R4 export: a participant's pain and mood observations as a collection Bundle.

Pain uses LOINC 72514-3 (Pain severity - 0-10 verbal numeric rating [Score] - Reported).
LOINC has no general 0-10 mood rating, so mood uses Paceline's own code system
(MOOD_SYSTEM, code "mood-0-10": 0 very low to 10 very good), documented in docs/fhir.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from service.models import Observation, Participant
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
    participant: Participant, observations: Iterable[Observation]
) -> dict[str, Any]:
    """A FHIR R4 Bundle (collection) with a Patient and one Observation per rating."""
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
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": iso(utcnow()),
        "entry": entries,
    }
