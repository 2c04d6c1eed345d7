"""Groups: create, list, read."""

from __future__ import annotations

from flask import Response, g, jsonify
from sqlalchemy import select

from messages.schedule import check_timezone
from service.api import ApiError, api, json_body, jsonify_list, require_fields_ok
from service.api.access import group_for
from service.api.serialize import group_json
from service.models import Group, Role, StaffUser
from service.platform.db import db


@api.post("/groups")
def create_group() -> tuple[Response, int]:
    """Create a group; a facilitator who creates one is assigned to it."""
    if g.user.role == Role.CLINICIAN:
        raise ApiError(403, "clinicians cannot create groups")
    data = json_body()
    errors: dict[str, str] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 120:
        errors["name"] = "required, at most 120 characters"
    tz_reason = check_timezone(data.get("timezone"))
    if tz_reason:
        errors["timezone"] = tz_reason
    require_fields_ok(errors)
    session = db.session()
    group = Group(name=name.strip(), timezone=data["timezone"])
    if g.user.role == Role.FACILITATOR:
        group.staff.append(g.user)
    session.add(group)
    session.commit()
    return jsonify(group_json(group)), 201


@api.get("/groups")
def list_groups() -> Response:
    """The groups the current user may see."""
    session = db.session()
    if g.user.role == Role.ADMIN:
        groups = session.scalars(select(Group).order_by(Group.name)).all()
    else:
        groups = session.get(StaffUser, g.user.id).groups  # type: ignore[union-attr]
    return jsonify_list([group_json(x) for x in groups])


@api.get("/groups/<int:group_id>")
def get_group(group_id: int) -> Response:
    """One group."""
    return jsonify(group_json(group_for(group_id)))


@api.get("/groups/<int:group_id>/participants")
def list_group_participants(group_id: int) -> Response:
    """The members of a group."""
    from service.api.serialize import participant_json

    return jsonify_list([participant_json(p) for p in group_for(group_id).participants])
