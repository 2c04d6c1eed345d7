"""Facilitator pages: groups, enrolment (one or a pasted/uploaded list), members, group notes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import redis
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from messages.schedule import check_timezone
from messages.system import LANGUAGES
from service.care.replies import unread_count
from service.messaging.pacing import backlog_seconds, sender_key
from service.models import Group, OutboundMessage, Participant, ParticipantStatus, Role
from service.platform.db import db, utcnow
from service.platform.redis_conn import get_redis
from service.platform.settings import Settings
from service.programme.broadcast import (
    BroadcastError,
    BroadcastEstimate,
    estimate_broadcast,
    send_group_message,
)
from service.programme.dispatch import TestPromptRefused, send_test_prompt
from service.programme.enrolment import (
    EnrolmentError,
    check_bulk,
    enrol,
    enrol_bulk,
    send_invitation,
    withdraw,
)
from service.programme.plans import cancel_planned
from service.programme.zones import suggest_zone
from service.staff.auth import can_write_group
from service.ui import group_or_403, login_required, participant_or_403, role_required, ui

COMMON_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "Europe/London", "Europe/Madrid",
    "Australia/Sydney", "Asia/Kolkata", "UTC",
)  # fmt: skip


def _settings() -> Settings:
    return current_app.extensions["paceline.settings"]


@ui.get("/")
@login_required
def home() -> str:
    """The groups the current user may see."""
    session = db.session()
    if g.current_user.role == Role.ADMIN:
        groups = session.scalars(select(Group).order_by(Group.name)).all()
    else:
        groups = g.current_user.groups
    return render_template("ui/home.html", groups=groups)


@ui.route("/groups/new", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.FACILITATOR)
def new_group() -> str | Response:
    """Create a group (a facilitator who creates it is assigned to it)."""
    errors: dict[str, str] = {}
    form = request.form
    if request.method == "POST":
        name = (form.get("name") or "").strip()
        timezone = form.get("timezone") or ""
        if not name or len(name) > 120:
            errors["name"] = "Give the group a name (at most 120 characters)."
        reason = check_timezone(timezone)
        if reason:
            errors["timezone"] = reason
        if not errors:
            group = Group(name=name, timezone=timezone)
            if g.current_user.role == Role.FACILITATOR:
                group.staff.append(g.current_user)
            db.session().add(group)
            db.session().commit()
            flash(f"Group '{name}' created.", "ok")
            return redirect(url_for("ui.group", group_id=group.id))
    return render_template("ui/group_new.html", errors=errors, form=form, zones=COMMON_ZONES)


@ui.get("/groups/<int:group_id>")
@login_required
def group(group_id: int) -> str:
    """Members, enrolment and group notes."""
    grp = group_or_403(group_id)
    return render_template(
        "ui/group.html", group=grp, can_write=can_write_group(g.current_user, grp),
        languages=LANGUAGES, zones=COMMON_ZONES, report=None,
        unread=unread_count(db.session(), grp.id),
    )  # fmt: skip


@ui.post("/groups/<int:group_id>/enrol")
@login_required
def enrol_one(group_id: int) -> str | Response:
    """Enrol one member; errors are shown next to the form and nothing is stored."""
    grp = group_or_403(group_id, write=True)
    form = request.form
    session = db.session()
    try:
        participant = enrol(session, _settings(), grp, form.get("phone"), form.get("name", ""),
                            form.get("timezone") or None, form.get("language") or None)  # fmt: skip
        session.commit()
    except (EnrolmentError, IntegrityError) as exc:
        session.rollback()
        message = str(exc) if isinstance(exc, EnrolmentError) else "that number is already enrolled"
        flash(f"Not enrolled: {message}", "error")
        return redirect(url_for("ui.group", group_id=grp.id))
    message = f"Invitation to {participant.phone} {_when_it_goes(session, participant)}."
    if zone := suggest_zone(participant):
        message += (f" The number's area code is in {zone}, not the group's {grp.timezone}: if "
                    "they live there, set their own zone on their page.")  # fmt: skip
    flash(message, "ok")
    return redirect(url_for("ui.group", group_id=grp.id))


def plural(count: int, word: str) -> str:
    """'1 member', '2 members'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _when_it_goes(session: Any, participant: Participant) -> str:
    """'queued: it goes out now' or 'queued: held for quiet hours until 08:00 America/New_York'
    for the member's latest invitation."""
    row = session.scalar(
        select(OutboundMessage)
        .where(
            OutboundMessage.participant_id == participant.id, OutboundMessage.kind == "invitation"
        )
        .order_by(OutboundMessage.id.desc())
        .limit(1)
    )
    return queued_words(row, participant)


def queued_words(row: OutboundMessage | None, participant: Participant) -> str:
    """Where a text just queued stands, in words: now, or held until a local time."""
    if (
        row is None
        or row.next_attempt_at is None
        or row.next_attempt_at <= utcnow() + timedelta(minutes=1)
    ):
        return "queued: it goes out now"
    zone = participant.effective_timezone()
    local = row.next_attempt_at.astimezone(ZoneInfo(zone))
    return f"queued: held for quiet hours until {local:%H:%M} {zone}"


@ui.post("/participants/<int:participant_id>/test-prompt")
@login_required
def test_prompt(participant_id: int) -> Response:
    """Send the member a check-in now, to see the programme as they do (consent checked;
    quiet hours waited out except with the console backend, where no phone is reached)."""
    participant = participant_or_403(participant_id, write=True)
    session = db.session()
    try:
        row = send_test_prompt(session, participant, utcnow(),
                               ignore_quiet_hours=_settings().sms_backend == "console")  # fmt: skip
    except TestPromptRefused as exc:
        session.rollback()
        flash(f"No test prompt sent: {exc}.", "error")
        return redirect(url_for("ui.member", participant_id=participant.id))
    session.commit()
    flash(f"Test check-in {queued_words(row, participant)}.", "ok")
    return redirect(url_for("ui.member", participant_id=participant.id))


@ui.post("/groups/<int:group_id>/bulk")
@login_required
def enrol_many(group_id: int) -> str | Response:
    """Bulk enrolment: every row is checked first; nothing is imported while a row is bad,
    unless the facilitator chooses to import only the good rows."""
    grp = group_or_403(group_id, write=True)
    text = request.form.get("rows", "")
    upload = request.files.get("file")
    if upload and upload.filename:
        try:
            text = upload.read(512 * 1024).decode("utf-8-sig")
        except UnicodeDecodeError:
            flash("That file is not UTF-8 text (save it as CSV UTF-8).", "error")
            return redirect(url_for("ui.group", group_id=grp.id))
    session = db.session()
    try:
        rows = check_bulk(session, _settings(), text)
    except EnrolmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("ui.group", group_id=grp.id))
    if not rows:
        flash(
            "No rows found. Paste one phone number a line (phone, name, time zone, language).",
            "error",
        )
        return redirect(url_for("ui.group", group_id=grp.id))
    bad = [r for r in rows if r.problem]
    if bad and request.form.get("skip_bad") != "1":
        return render_template(
            "ui/group.html", group=grp, can_write=True, languages=LANGUAGES,
            zones=COMMON_ZONES, report=rows, pasted=text,
        ), 422  # fmt: skip
    try:
        created = enrol_bulk(session, _settings(), grp, rows)
        session.commit()
    except (EnrolmentError, IntegrityError):
        session.rollback()
        flash(
            "Nothing was imported: a number was enrolled by someone else meanwhile. Try again.",
            "error",
        )
        return redirect(url_for("ui.group", group_id=grp.id))
    flash(f"Enrolled {plural(len(created), 'member')}; {plural(len(bad), 'row')} skipped.", "ok")
    return redirect(url_for("ui.group", group_id=grp.id))


@ui.post("/participants/<int:participant_id>/<action>")
@login_required
def member_action(participant_id: int, action: str) -> Response:
    """Resend an invitation, pause for a week, or withdraw a member."""
    participant = participant_or_403(participant_id, write=True)
    session = db.session()
    now = utcnow()
    if action == "resend" and participant.status == ParticipantStatus.INVITED:
        send_invitation(session, _settings(), participant)
        session.flush()
        flash(f"Invitation {_when_it_goes(session, participant)}.", "ok")
    elif action == "pause" and participant.status == ParticipantStatus.ACTIVE:
        participant.status = ParticipantStatus.PAUSED
        participant.paused_until = now + timedelta(days=7)
        cancel_planned(session, participant)
        flash("Paused for 7 days.", "ok")
    elif action == "withdraw" and participant.status != ParticipantStatus.WITHDRAWN:
        withdraw(session, participant, staff_id=g.current_user.id)
        flash("Withdrawn: no more texts will be sent.", "ok")
    else:
        abort(400)
    session.commit()
    return redirect(url_for("ui.group", group_id=participant.group_id))


@ui.post("/groups/<int:group_id>/message")
@login_required
def group_message(group_id: int) -> Response | tuple[str, int]:
    """A one-off note to every active member (quiet hours: it waits for the morning). When the
    sender's rate means some members' turn comes after their quiet hours begin, the
    facilitator sees the estimate and decides before anything is queued."""
    grp = group_or_403(group_id, write=True)
    session = db.session()
    body = request.form.get("body", "")
    now = utcnow()
    try:
        estimate = estimate_broadcast(grp, body, now, *_sender_pace())
        if estimate.too_late and request.form.get("confirmed") != "1":
            return render_template(
                "ui/group.html", group=grp, can_write=True, languages=LANGUAGES,
                zones=COMMON_ZONES, report=None, unread=unread_count(session, grp.id),
                estimate=estimate, pending_note=body, pace=_pace_words(estimate),
            ), 200  # fmt: skip
        report = send_group_message(session, grp, body, now)
        session.commit()
    except BroadcastError as exc:
        session.rollback()
        flash(f"Not sent: {exc}", "error")
        return redirect(url_for("ui.group", group_id=grp.id))
    flash(
        f"Note queued: {report.now} now, {report.later} after quiet hours, "
        f"{report.skipped} not active. {_pace_words(estimate)}",
        "ok",
    )
    return redirect(url_for("ui.group", group_id=grp.id))


def _sender_pace() -> tuple[float, float]:
    """(segments a second, seconds already booked) of the sender; (0, 0) when not paced."""
    settings = _settings()
    if settings.sms_backend != "twilio" or settings.sender_mps <= 0:
        return 0.0, 0.0
    sender = sender_key(settings.twilio_messaging_service_sid, settings.twilio_from_number)
    try:
        booked = backlog_seconds(get_redis(current_app), sender)
    except (redis.ConnectionError, redis.TimeoutError):
        booked = 0.0  # the estimate then leaves out texts already waiting
    return settings.sender_mps, booked


def _pace_words(estimate: BroadcastEstimate) -> str:
    """'At 1 text a second it takes about 4 minutes to leave.' (or nothing when unpaced)."""
    if not estimate.mps or estimate.recipients < 2:
        return ""
    seconds = estimate.seconds
    took = (f"about {round(seconds)} seconds" if seconds < 90
            else f"about {round(seconds / 60)} minutes" if seconds < 5400
            else f"about {seconds / 3600:.1f} hours")  # fmt: skip
    rate = f"{estimate.mps:g} text{'s' if estimate.mps != 1 else ''} a second"
    return f"At the sender's rate ({rate}) it takes {took} to leave."
