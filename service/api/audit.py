"""The audit trail for admins' tools: GET /api/v1/audit, filtered like the admin page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, g, request

from service.api import ApiError, api, jsonify_list
from service.models import AuditEvent, Role
from service.platform.db import db, iso
from service.staff.audit import ACTIONS, events

MAX = 500


def _event_json(e: AuditEvent) -> dict[str, object]:
    return {
        "id": e.id, "at": iso(e.at), "staff_id": e.staff_id, "role": e.role,
        "address": e.address, "action": e.action, "object_type": e.object_type,
        "object_id": e.object_id, "participant_id": e.participant_id, "detail": e.detail,
        "outcome": e.outcome, "prev_hash": e.prev_hash, "hash": e.hash,
    }  # fmt: skip


@api.get("/audit")
def audit_events() -> Response:
    """Newest first: ?staff_id, ?participant_id, ?action, ?since, ?until (ISO 8601),
    ?before_id for the next page, ?limit (at most 500). Admins only."""
    if g.user.role != Role.ADMIN:
        raise ApiError(403, "only admins read the audit trail")
    args = request.args
    filters: dict[str, object] = {}
    fields: dict[str, str] = {}
    for name in ("staff_id", "participant_id", "before_id"):
        raw = args.get(name, "")
        if raw:
            if raw.isdigit():
                filters[name] = int(raw)
            else:
                fields[name] = "must be a whole number"
    if args.get("action"):
        if args["action"] in ACTIONS:
            filters["action"] = args["action"]
        else:
            fields["action"] = f"must be one of {', '.join(ACTIONS)}"
    for name in ("since", "until"):
        raw = args.get(name, "")
        if raw:
            try:
                value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
                filters[name] = value if value.tzinfo else value.replace(tzinfo=UTC)
            except ValueError:
                fields[name] = "must be an ISO 8601 date or time"
    raw_limit = args.get("limit", "100")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX:
        fields["limit"] = f"must be a whole number from 1 to {MAX}"
    if fields:
        raise ApiError(422, "some parameters are not valid", fields)
    rows = events(db.session(), limit=int(raw_limit), **filters)
    return jsonify_list([_event_json(e) for e in rows])
