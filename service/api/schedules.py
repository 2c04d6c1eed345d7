"""Schedules: a group's programme and sessions, a participant's preferences and 14-day preview."""

from __future__ import annotations

from flask import Response, current_app, g, jsonify, request
from sqlalchemy import select

from messages.legal_hours import quiet_reason, region_window, window_for
from messages.schedule import (
    PROMPT_KINDS,
    ScheduleError,
    check_timezone,
    parse_hhmm,
    parse_local_datetime,
    programme_from_json,
    programme_to_json,
)
from messages.system import LANGUAGES
from service.api import ApiError, api, json_body, jsonify_list, require_fields_ok
from service.api.access import group_for, participant_for
from service.api.serialize import participant_json
from service.models import GroupSession
from service.platform.db import db, iso, utcnow
from service.programme.plans import preview, programme_of, replan, replan_group
from service.programme.zones import set_zone

MAX_PREVIEW_DAYS = 31


def _session_json(s: GroupSession) -> dict[str, object]:
    return {"id": s.id, "starts_at": iso(s.starts_at), "title": s.title}


@api.get("/groups/<int:group_id>/schedule")
def get_schedule(group_id: int) -> Response:
    """The group's programme (the default one until a facilitator sets it) and sessions."""
    group = group_for(group_id)
    return jsonify(
        schedule=programme_to_json(programme_of(group)),
        is_default=group.schedule is None,
        timezone=group.timezone,
        sessions=[_session_json(s) for s in group.sessions],
    )


@api.put("/groups/<int:group_id>/schedule")
def put_schedule(group_id: int) -> Response:
    """Replace the programme (422 with reasons when it cannot be planned); members are replanned."""
    group = group_for(group_id, write=True)
    data = json_body()
    try:
        region = current_app.extensions["paceline.settings"].default_phone_region
        programme = programme_from_json(data.get("schedule", data), region_window(region))
    except ScheduleError as exc:
        raise ApiError(422, "the schedule cannot be planned", exc.reasons) from None
    session = db.session()
    group.schedule = programme_to_json(programme)
    replan_group(session, group, utcnow())
    session.commit()
    return get_schedule(group_id)


@api.post("/groups/<int:group_id>/sessions")
def add_session(group_id: int) -> tuple[Response, int]:
    """Add a group session: a check-in is planned before it and a practice nudge after."""
    group = group_for(group_id, write=True)
    data = json_body()
    errors: dict[str, str] = {}
    starts_at = None
    try:
        starts_at = parse_local_datetime(data.get("starts_at"), group.timezone)
        if starts_at <= utcnow():
            errors["starts_at"] = "must be in the future"
    except ValueError as exc:
        errors["starts_at"] = str(exc)
    title = data.get("title", "")
    if not isinstance(title, str) or len(title) > 120:
        errors["title"] = "must be text of at most 120 characters"
    require_fields_ok(errors)
    session = db.session()
    duplicate = session.scalar(
        select(GroupSession).where(
            GroupSession.group_id == group.id, GroupSession.starts_at == starts_at
        )
    )
    if duplicate:
        raise ApiError(
            409, "the group already has a session at that time", {"starts_at": "duplicate"}
        )
    row = GroupSession(group=group, starts_at=starts_at, title=title.strip())
    session.add(row)
    replan_group(session, group, utcnow())
    session.commit()
    return jsonify(_session_json(row)), 201


@api.get("/groups/<int:group_id>/sessions")
def list_sessions(group_id: int) -> Response:
    """The group's sessions."""
    return jsonify_list([_session_json(s) for s in group_for(group_id).sessions])


@api.get("/participants/<int:participant_id>/schedule")
def participant_schedule(participant_id: int) -> Response:
    """The prompts planned over the next ?days=14, computed by the planner's own code."""
    participant = participant_for(participant_id)
    days = request.args.get("days", default=14, type=int)
    if days is None or not 1 <= days <= MAX_PREVIEW_DAYS:
        raise ApiError(422, f"days must be from 1 to {MAX_PREVIEW_DAYS}", {"days": "out of range"})
    slots = preview(db.session(), participant, utcnow(), days)
    return jsonify(
        timezone=participant.effective_timezone(),
        status=participant.status.value,
        items=[
            {
                "kind": s.kind,
                "local_time": s.local.isoformat(),
                "utc_time": iso(s.at),
                "expecting": s.expecting,
            }
            for s in slots
        ],
    )


@api.patch("/participants/<int:participant_id>")
def update_participant(participant_id: int) -> Response:
    """Personal overrides: timezone, quiet hours, preferred times, language, name."""
    participant = participant_for(participant_id, write=True)
    data = json_body()
    errors: dict[str, str] = {}
    if "timezone" in data and data["timezone"] is not None:
        reason = check_timezone(data["timezone"])
        if reason:
            errors["timezone"] = reason
    for name in ("quiet_start", "quiet_end"):
        if data.get(name) is not None:
            parse_hhmm(data[name], name, errors)
    if ("quiet_start" in data) != ("quiet_end" in data):
        errors["quiet_start"] = "give quiet_start and quiet_end together"
    preferred = data.get("preferred_times")
    if preferred is not None:
        if not isinstance(preferred, dict) or any(k not in PROMPT_KINDS for k in preferred):
            errors["preferred_times"] = f"must map kinds ({', '.join(PROMPT_KINDS)}) to HH:MM"
        else:
            for kind, value in preferred.items():
                parse_hhmm(value, f"preferred_times.{kind}", errors)
    if "language" in data and data["language"] not in LANGUAGES:
        errors["language"] = f"must be one of {', '.join(LANGUAGES)}"
    if "name" in data and (not isinstance(data["name"], str) or len(data["name"]) > 120):
        errors["name"] = "must be text of at most 120 characters"
    legal = window_for(participant.phone)
    if legal and not errors and data.get("quiet_start") and data.get("quiet_end"):
        start, end = (parse_hhmm(data[n], n, errors) for n in ("quiet_start", "quiet_end"))
        if start and end and (why := quiet_reason(start, end, legal)):
            errors["quiet_start"] = why
    require_fields_ok(errors)
    session = db.session()
    now = utcnow()
    if "timezone" in data:
        set_zone(session, participant, data["timezone"], source="api", at=now,
                 staff_id=g.user.id)  # fmt: skip
    for name in ("quiet_start", "quiet_end", "preferred_times", "language", "name"):
        if name in data:
            setattr(participant, name, data[name] or (None if name != "name" else ""))
    replan(session, participant, now)
    session.commit()
    return jsonify(participant_json(participant))
