"""EMA compliance and surveys through the API (the same numbers as the dashboard)."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, g, jsonify, request

from messages.surveys import INSTRUMENTS
from service.api import ApiError, api
from service.api.access import group_for, participant_for
from service.care.compliance import OUTCOMES, Compliance, compliance
from service.models import Participant, SurveyResponse
from service.platform.db import db, iso, utcnow
from service.programme.surveys import survey_history


def _compliance_json(result: Compliance) -> dict[str, object]:
    def tally(t: object) -> dict[str, object]:
        return {name: getattr(t, name) for name in ("sent", *OUTCOMES)} | {
            "percent_in_window": t.percent  # type: ignore[attr-defined]
        }  # fmt: skip

    return {
        "total": tally(result.total),
        "median_minutes_to_answer": result.median,
        "by_day": [{"day": day, **tally(t)} for day, t in result.days()],
    }


@api.get("/groups/<int:group_id>/compliance")
def group_compliance(group_id: int) -> Response:
    """The group's EMA compliance by day of participation (all time, or ?days=N back)."""
    group = group_for(group_id)
    now = utcnow()
    since = None
    if (raw := request.args.get("days")) is not None:
        if not raw.isdigit() or not 1 <= int(raw) <= 3650:
            raise ApiError(422, "days must be a whole number from 1 to 3650")
        since = now - timedelta(days=int(raw))
    result = compliance(db.session(), Participant.group_id == group.id, now, since)
    g.audit_detail = f"EMA compliance; prompts={result.total.sent}"
    return jsonify(_compliance_json(result))


def _survey_json(s: SurveyResponse) -> dict[str, object]:
    instrument = INSTRUMENTS[s.instrument]
    return {
        "id": s.id, "instrument": s.instrument, "name": instrument.name, "status": s.status.value,
        "started_at": iso(s.started_at), "completed_at": iso(s.completed_at),
        "answers": {a.link_id: a.value for a in s.answers}, "score": s.score,
        "positive": s.positive, "score_loinc": instrument.total.code,
    }  # fmt: skip


@api.get("/participants/<int:participant_id>/surveys")
def participant_surveys(participant_id: int) -> Response:
    """The member's surveys with answers and scores, and their compliance."""
    participant = participant_for(participant_id)
    session = db.session()
    surveys = survey_history(session, participant.id)
    g.audit_detail = f"surveys and compliance; rows={len(surveys)}"
    return jsonify({
        "items": [_survey_json(s) for s in surveys],
        "compliance": _compliance_json(compliance(session, [participant.id], utcnow())),
    })  # fmt: skip
