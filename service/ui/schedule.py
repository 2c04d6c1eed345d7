"""The schedule editor: programme items, quiet hours, cap, sessions, and a 14-day preview."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from messages.schedule import (
    PROMPT_KINDS,
    WEEKDAYS,
    Person,
    ScheduleError,
    parse_local_datetime,
    plan_slots,
    programme_from_json,
    programme_to_json,
)
from service.models import Group, GroupSession
from service.platform.db import db, utcnow
from service.programme.plans import programme_of, replan_group, session_starts
from service.staff.auth import can_write_group
from service.ui import group_or_403, login_required, ui

BLANK_ROWS = 2
KIND_LABELS = {
    "pacing": "Pacing break", "breathing": "Breathing / relaxation", "social": "Social connection",
    "checkin_pain": "Check-in: pain", "checkin_mood": "Check-in: mood", "checkin_both": "Check-in: pain and mood",
    "session_checkin": "Session check-in", "session_practice": "Session practice nudge",
}  # fmt: skip


def _form_to_json(form: dict) -> dict[str, object]:  # type: ignore[type-arg]
    items = []
    i = 0
    while f"item-{i}-kind" in form:
        kind = form.get(f"item-{i}-kind")
        if kind:
            item: dict[str, object] = {"kind": kind, "days": form.getlist(f"item-{i}-days")}  # type: ignore[attr-defined]
            if form.get(f"item-{i}-mode") == "window":
                item["window"] = [form.get(f"item-{i}-start"), form.get(f"item-{i}-end")]
                item["count"] = _int(form.get(f"item-{i}-count"), 1)
                item["min_gap_minutes"] = _int(form.get(f"item-{i}-gap"), 60)
            else:
                item["at"] = form.get(f"item-{i}-at")
            items.append(item)
        i += 1
    return {
        "daily_cap": _int(form.get("daily_cap"), 4),
        "quiet_start": form.get("quiet_start"),
        "quiet_end": form.get("quiet_end"),
        "response_window_minutes": _int(form.get("response_window_minutes"), 120),
        "reminder_after_minutes": _int(form.get("reminder_after_minutes"), 60),
        "items": items,
    }


def _int(value: object, default: int) -> object:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return value if value not in (None, "") else default


def _render(
    group: Group,
    schedule: dict[str, object],
    reasons: dict[str, str] | None = None,
    status: int = 200,
):
    now = utcnow()
    preview = []
    if not reasons:
        programme = programme_from_json(schedule)
        person = Person(id=0, timezone=group.timezone)
        end = now + timedelta(days=14)
        preview = plan_slots(
            programme, person, now, end, session_starts(db.session(), group.id, now, end)
        )
    return render_template(
        "ui/schedule.html", group=group, schedule=schedule, reasons=reasons or {}, preview=preview,
        kinds=PROMPT_KINDS, labels=KIND_LABELS, weekdays=WEEKDAYS, blank_rows=BLANK_ROWS,
        can_write=can_write_group(g.current_user, group), upcoming=[s for s in group.sessions if s.starts_at >= now],
    ), status  # fmt: skip


@ui.get("/groups/<int:group_id>/schedule")
@login_required
def schedule(group_id: int) -> tuple[str, int]:
    """The programme editor and what it plans for the next 14 days."""
    group = group_or_403(group_id)
    return _render(group, programme_to_json(programme_of(group)))


@ui.post("/groups/<int:group_id>/schedule")
@login_required
def save_schedule(group_id: int) -> tuple[str, int] | Response:
    """Save the programme, or show why it cannot be planned (nothing changes)."""
    group = group_or_403(group_id, write=True)
    data = _form_to_json(request.form)
    try:
        programme = programme_from_json(data)
    except ScheduleError as exc:
        return _render(group, data, exc.reasons, 422)
    group.schedule = programme_to_json(programme)
    replan_group(db.session(), group, utcnow())
    db.session().commit()
    flash("Schedule saved; members' plans are updated.", "ok")
    return redirect(url_for("ui.schedule", group_id=group.id))


@ui.post("/groups/<int:group_id>/sessions")
@login_required
def add_session_ui(group_id: int) -> Response:
    """Add a group session (local date and time in the group's zone)."""
    group = group_or_403(group_id, write=True)
    try:
        starts_at = parse_local_datetime(request.form.get("starts_at"), group.timezone)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("ui.schedule", group_id=group.id))
    if starts_at <= utcnow():
        flash("The session must be in the future.", "error")
        return redirect(url_for("ui.schedule", group_id=group.id))
    session = db.session()
    session.add(
        GroupSession(
            group=group, starts_at=starts_at, title=(request.form.get("title") or "")[:120]
        )
    )
    replan_group(session, group, utcnow())
    session.commit()
    flash(
        "Session added: a check-in goes out before it and a practice nudge the next morning.", "ok"
    )
    return redirect(url_for("ui.schedule", group_id=group.id))
