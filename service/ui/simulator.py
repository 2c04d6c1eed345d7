"""The phone simulator (console backend only): play a client; replies go through the real,
signed Twilio webhook."""

from __future__ import annotations

import uuid
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from werkzeug.wrappers import Response

from messages.phone import InvalidPhoneNumber, normalize_phone
from service.messaging.delivery import has_left
from service.models import Group, InboundMessage, OutboundMessage, Participant, Role
from service.platform.db import db
from service.staff.auth import can_read_group
from service.ui import login_required, ui


def _enabled() -> None:
    if current_app.extensions["paceline.settings"].sms_backend != "console":
        abort(404)


def _visible_participants() -> list[Participant]:
    session = db.session()
    query = select(Participant).order_by(Participant.id)
    if g.current_user.role != Role.ADMIN:
        query = query.join(Group).where(Group.id.in_([grp.id for grp in g.current_user.groups]))
    return list(session.scalars(query).all())


@ui.get("/simulator")
@login_required
def simulator() -> str:
    """Pick or type a phone number and see its conversation as the phone shows it."""
    _enabled()
    settings = current_app.extensions["paceline.settings"]
    phone = None
    raw = request.args.get("phone", "")
    if raw:
        try:
            phone = normalize_phone(raw, settings.default_phone_region)
        except InvalidPhoneNumber as exc:
            flash(str(exc), "error")
    messages: list[tuple[str, object]] = []
    participant = None
    if phone:
        session = db.session()
        participant = session.scalar(select(Participant).where(Participant.phone == phone))
        if participant is not None:
            g.audit_participant = participant.id  # whose conversation was shown
        if participant is not None and not can_read_group(g.current_user, participant.group):
            abort(403)
        if participant is None:
            flash("That number is not a member of your groups: its texts are not shown.", "error")
        # Only a member's own conversation: never texts to staff or on-call numbers, which
        # belong to no participant (a crisis page to on-call names a group and an alert).
        outbound = (
            session.scalars(
                select(OutboundMessage).where(OutboundMessage.participant_id == participant.id)
            ).all()
            if participant
            else []
        )
        inbound = (
            session.scalars(
                select(InboundMessage).where(InboundMessage.participant_id == participant.id)
            ).all()
            if participant
            else []
        )
        # A phone shows only what has left: not a text still held for quiet hours.
        items = [("out", m.sent_at or m.created_at, m) for m in outbound if has_left(m)] + [
            ("in", m.received_at, m) for m in inbound
        ]
        items.sort(key=lambda item: (item[1], item[0] == "out"))
        messages = [(d, m) for d, _, m in items]
    zone = ZoneInfo(participant.effective_timezone()) if phone and participant else UTC
    return render_template(
        "ui/simulator.html",
        phone=phone,
        messages=messages,
        people=_visible_participants(),
        zone=zone,
    )


@ui.post("/simulator/send")
@login_required
def simulator_send() -> Response:
    """Deliver the typed reply through POST /twilio/inbound, signed as Twilio signs it."""
    _enabled()
    settings = current_app.extensions["paceline.settings"]
    try:
        phone = normalize_phone(request.form.get("phone", ""), settings.default_phone_region)
    except InvalidPhoneNumber as exc:
        flash(str(exc), "error")
        return redirect(url_for("ui.simulator"))
    participant = db.session().scalar(select(Participant).where(Participant.phone == phone))
    if participant is not None and not can_read_group(g.current_user, participant.group):
        abort(403)
    body = request.form.get("body", "")[:1600]
    params = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": settings.twilio_account_sid or "AC" + "0" * 32,
        "From": phone,
        "To": settings.twilio_from_number or "+15005550006",
        "Body": body,
        "NumMedia": "0",
    }
    path = url_for("webhooks.inbound")
    signature = RequestValidator(settings.webhook_auth_token).compute_signature(
        settings.public_url(path), params
    )
    response = current_app.test_client().post(
        path, data=params, headers={"X-Twilio-Signature": signature}
    )
    if response.status_code != 200:
        flash(f"The webhook answered {response.status_code}.", "error")
    return redirect(url_for("ui.simulator", phone=phone) + "#compose")
