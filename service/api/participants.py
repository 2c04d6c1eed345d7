"""Participants: enrol, read, their conversation, observations and FHIR export."""

from __future__ import annotations

from flask import Response, current_app, g, jsonify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.api import ApiError, api, json_body, jsonify_list
from service.api.access import group_for, participant_for
from service.api.serialize import (
    inbound_json,
    observation_json,
    outbound_json,
    participant_json,
)
from service.care.fhir import observations_bundle
from service.care.summaries import series
from service.models import InboundMessage, OutboundMessage
from service.platform.db import db
from service.programme.enrolment import EnrolmentError, enrol
from service.programme.surveys import survey_history


@api.post("/groups/<int:group_id>/participants")
def enrol_participant(group_id: int) -> tuple[Response, int]:
    """Enrol a phone number in a group: 201 and an invitation queued; 409 if already enrolled."""
    group = group_for(group_id, write=True)
    data = json_body()
    session = db.session()
    settings = current_app.extensions["paceline.settings"]
    try:
        participant = enrol(
            session,
            settings,
            group,
            data.get("phone"),
            data.get("name", ""),
            data.get("timezone"),
            data.get("language"),
        )
        session.commit()
    except EnrolmentError as exc:
        session.rollback()
        raise ApiError(409 if exc.duplicate else 422, str(exc), exc.fields) from None
    except IntegrityError:
        session.rollback()  # two requests for the same phone at once
        raise ApiError(
            409, "that phone number is already enrolled", {"phone": "already enrolled"}
        ) from None
    return jsonify(participant_json(participant)), 201


@api.get("/participants/<int:participant_id>")
def get_participant(participant_id: int) -> Response:
    """One participant."""
    return jsonify(participant_json(participant_for(participant_id)))


@api.get("/participants/<int:participant_id>/messages")
def participant_messages(participant_id: int) -> Response:
    """The conversation, both directions, oldest first, with delivery status."""
    participant = participant_for(participant_id)
    session = db.session()
    outbound = session.scalars(
        select(OutboundMessage).where(OutboundMessage.participant_id == participant.id)
    ).all()
    inbound = session.scalars(
        select(InboundMessage).where(InboundMessage.participant_id == participant.id)
    ).all()
    items = [outbound_json(m) for m in outbound] + [inbound_json(m) for m in inbound]
    items.sort(key=lambda item: (item["at"] or "", item["direction"] == "outbound", item["id"]))
    return jsonify_list(items)


@api.get("/participants/<int:participant_id>/observations")
def participant_observations(participant_id: int) -> Response:
    """Pain and mood ratings, oldest first."""
    participant = participant_for(participant_id)
    return jsonify_list([observation_json(o) for o in series(db.session(), participant.id)])


@api.get("/participants/<int:participant_id>/fhir")
def participant_fhir(participant_id: int) -> Response:
    """The participant's observations as a FHIR R4 Bundle (type collection)."""
    participant = participant_for(participant_id)
    rows = series(db.session(), participant.id)
    surveys = survey_history(db.session(), participant.id)
    g.audit_detail = f"FHIR Bundle of observations and surveys; rows={len(rows) + len(surveys)}"
    base_url = current_app.extensions["paceline.settings"].public_base_url
    response = jsonify(observations_bundle(participant, rows, surveys, base_url))
    response.mimetype = "application/fhir+json"
    return response
