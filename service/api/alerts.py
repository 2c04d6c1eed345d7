"""Alerts: a group's queue and acknowledgement."""

from __future__ import annotations

from flask import Response, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.api import ApiError, api, jsonify_list
from service.api.access import alert_for, group_for
from service.api.serialize import alert_json
from service.care.alert_workflow import AckError, acknowledge, triage_key
from service.models import Alert
from service.platform.db import db, utcnow


@api.get("/groups/<int:group_id>/alerts")
def group_alerts(group_id: int) -> Response:
    """Open alerts first (most serious, then longest waiting), then acknowledged ones;
    ?open=1 for open only."""
    group = group_for(group_id)
    query = (
        select(Alert).where(Alert.group_id == group.id).options(selectinload(Alert.notifications))
    )
    if request.args.get("open") in ("1", "true"):
        query = query.where(Alert.acknowledged_at.is_(None))
    rows = sorted(db.session().scalars(query.limit(1000)).all(), key=triage_key)
    return jsonify_list([alert_json(a) for a in rows])


@api.post("/alerts/<int:alert_id>/ack")
def acknowledge_alert(alert_id: int) -> Response:
    """Acknowledge an alert with what was done ({"action": ..., "note": ...}); idempotent:
    the first acknowledgement is kept. Actions: see ACK_ACTIONS."""
    alert = alert_for(alert_id)
    data = request.get_json(silent=True) or {}
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object")
    settings = current_app.extensions["paceline.settings"]
    try:
        changed = acknowledge(
            alert, g.user, data.get("action"), data.get("note"), utcnow(), settings
        )
    except AckError as exc:
        raise ApiError(
            exc.status, str(exc), {"action": str(exc)} if exc.status == 422 else None
        ) from None
    if changed:
        db.session().commit()
    return jsonify(alert_json(alert))
