"""Twilio webhooks: inbound messages and status callbacks, both signature-checked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from service.conversation.inbound import handle_inbound
from service.messaging.outbox import suppress_pending
from service.models import (
    MessageStatus,
    NumberStatus,
    OutboundMessage,
)
from service.models.messaging import STATUS_RANK
from service.platform.db import db, utcnow
from service.platform.settings import Settings

webhooks = Blueprint("webhooks", __name__, url_prefix="/twilio")
log = logging.getLogger(__name__)

TWIML = "application/xml"
_TWILIO_STATUS = {
    "queued": MessageStatus.ACCEPTED,
    "accepted": MessageStatus.ACCEPTED,
    "scheduled": MessageStatus.ACCEPTED,
    "sending": MessageStatus.ACCEPTED,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.FAILED,
}
# Carrier error codes in status callbacks that tell us the number cannot take SMS.
_NUMBER_ERRORS = {
    30005: NumberStatus.INVALID,
    30006: NumberStatus.NOT_MOBILE,
    21211: NumberStatus.INVALID,
    21614: NumberStatus.NOT_MOBILE,
}


def _settings() -> Settings:
    return current_app.extensions["paceline.settings"]


def signed_url() -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL plus the path and query the app received.

    Behind a proxy the app sees another host and scheme, so the request's own URL is
    never used.
    """
    query = request.query_string.decode()
    return _settings().public_url(request.path) + (f"?{query}" if query else "")


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403, nothing stored) any request without a valid X-Twilio-Signature."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(_settings().webhook_auth_token)
        if not signature or not validator.validate(signed_url(), request.form, signature):
            log.warning("refused %s: bad or missing Twilio signature", request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@webhooks.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """A message came in: act on it and answer with TwiML holding any reply."""
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    sender = form.get("From", "")
    if not sid or not sender:
        abort(400, "MessageSid and From are required")
    try:
        num_media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0
    session = db.session()
    result = handle_inbound(session, _settings(), sid, sender, form.get("Body", ""), num_media)
    session.commit()
    twiml = MessagingResponse()
    for row in result.replies:
        twiml.message(row.body, action=_settings().public_url(f"/twilio/status?outbound={row.id}"))
    return Response(str(twiml), mimetype=TWIML)


@webhooks.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    """A delivery status changed; apply it unless it would move the message backwards."""
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    new = _TWILIO_STATUS.get((form.get("MessageStatus") or form.get("SmsStatus") or "").lower())
    if not sid or new is None:
        return "", 204
    session = db.session()
    row = session.scalar(select(OutboundMessage).where(OutboundMessage.twilio_sid == sid))
    if row is None:
        # TwiML replies, and API sends whose SID was not saved yet, carry our row id.
        outbound_id = request.args.get("outbound", type=int)
        row = session.get(OutboundMessage, outbound_id) if outbound_id else None
        if row is None or (row.twilio_sid and row.twilio_sid != sid):
            log.info("status callback for unknown message %s ignored", sid)
            return "", 204
        row.twilio_sid = sid
    if STATUS_RANK[new] > STATUS_RANK[row.status] or row.status == MessageStatus.SENDING:
        row.status = new
        now = utcnow()
        if new in (MessageStatus.SENT, MessageStatus.DELIVERED) and row.sent_at is None:
            row.sent_at = now
        if new == MessageStatus.DELIVERED:
            row.delivered_at = now
        code = form.get("ErrorCode", type=int)
        if code:
            row.error_code = code
            _apply_number_error(session, row, code)
    session.commit()
    return "", 204


def _apply_number_error(session: Any, row: OutboundMessage, code: int) -> None:
    participant = row.participant
    number_status = _NUMBER_ERRORS.get(code)
    if participant is not None and number_status is not None:
        participant.number_status = number_status
        suppress_pending(session, participant, f"number {number_status.value}")
