"""Replies to read: a group's list, and marking one handled."""

from __future__ import annotations

from flask import Response, g, jsonify, request

from service.api import api, jsonify_list
from service.api.access import group_for, inbound_for
from service.api.serialize import reply_to_read_json
from service.care.replies import mark_handled, replies_to_read, why_listed
from service.platform.db import db, utcnow


@api.get("/groups/<int:group_id>/replies")
def group_replies(group_id: int) -> Response:
    """Replies waiting for a person (crisis and concern first, then newest); ?handled=1 adds
    the handled ones."""
    group = group_for(group_id)
    rows = replies_to_read(
        db.session(), group.id, include_handled=request.args.get("handled") in ("1", "true")
    )
    return jsonify_list([reply_to_read_json(r.message, r.why) for r in rows])


@api.post("/replies/<int:message_id>/handled")
def reply_handled(message_id: int) -> Response:
    """Mark a reply handled (idempotent: the first person and time are kept)."""
    message = inbound_for(message_id)
    if mark_handled(db.session(), message, g.user, utcnow()):
        db.session().commit()
    return jsonify(reply_to_read_json(message, why_listed(message)))
