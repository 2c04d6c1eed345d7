"""Alerts: a group's queue and acknowledgement."""

from __future__ import annotations

from flask import Response, g, jsonify, request
from sqlalchemy import select

from service.api import api, jsonify_list
from service.api.access import alert_for, group_for
from service.api.serialize import alert_json
from service.care.alert_rules import acknowledge
from service.models import Alert
from service.platform.db import db, utcnow


@api.get("/groups/<int:group_id>/alerts")
def group_alerts(group_id: int) -> Response:
    """Open alerts first (newest first), then acknowledged ones; ?open=1 for open only."""
    group = group_for(group_id)
    query = select(Alert).where(Alert.group_id == group.id)
    if request.args.get("open") in ("1", "true"):
        query = query.where(Alert.acknowledged_at.is_(None))
    rows = (
        db.session()
        .scalars(
            query.order_by(
                Alert.acknowledged_at.is_not(None), Alert.created_at.desc(), Alert.id.desc()
            )
        )
        .all()
    )
    return jsonify_list([alert_json(a) for a in rows])


@api.post("/alerts/<int:alert_id>/ack")
def acknowledge_alert(alert_id: int) -> Response:
    """Acknowledge an alert (idempotent: the first acknowledgement is kept)."""
    alert = alert_for(alert_id)
    if acknowledge(alert, g.user.id, utcnow()):
        db.session().commit()
    return jsonify(alert_json(alert))
