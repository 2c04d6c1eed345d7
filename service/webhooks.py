"""Twilio webhooks: inbound messages and status callbacks, both signature-checked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from service.conversation.inbound import InboundResult, handle_inbound
from service.conversation.spooled import edge_replies, form_int
from service.messaging.sms import ConsoleBackend
from service.messaging.status import apply_status
from service.platform.db import DATABASE_DOWN, db, has_unstorable, storable_text, utcnow
from service.platform.settings import Settings
from service.platform.spool import spool

webhooks = Blueprint("webhooks", __name__, url_prefix="/twilio")
log = logging.getLogger(__name__)

TWIML = "application/xml"


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
    """A message came in: act on it and answer with TwiML holding any reply.

    If the database cannot take it, the request is spooled and the answer is what the text
    alone allows (crisis resources, the STOP confirmation, HELP): nothing is lost.
    """
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    sender = form.get("From", "")
    if not sid or not sender or has_unstorable(sid + sender):
        abort(400, "MessageSid and From are required")
    num_media = form_int(form.get("NumMedia"))
    body, original_length = storable_text(form.get("Body", ""))
    settings = _settings()
    session = db.session()
    try:
        result = _handle(session, settings, sid, sender, body, num_media, original_length)
    except DATABASE_DOWN as exc:
        return _spooled_answer(session, "inbound", body, exc)
    twiml = MessagingResponse()
    backend = current_app.extensions["paceline.sms"]
    for row in result.replies:
        twiml.message(row.body, action=settings.public_url(f"/twilio/status?outbound={row.id}"))
        if isinstance(backend, ConsoleBackend):  # make run: show the replies Twilio would send
            backend.show(row.to_phone, row.body, "reply in TwiML")
    return Response(str(twiml), mimetype=TWIML)


def _handle(
    session: Any,
    settings: Settings,
    sid: str,
    sender: str,
    body: str,
    num_media: int,
    original_length: int | None,
) -> InboundResult:
    """Handle and commit; a redelivery racing this one finds its stored answer instead."""
    try:
        # Most texts are new: insert at once and let the unique MessageSid catch a redelivery.
        result = handle_inbound(session, settings, sid, sender, body, num_media, redelivery=False)
        if result.inbound is not None and not result.duplicate and original_length is not None:
            result.inbound.original_length = original_length
        session.commit()
        return result
    except IntegrityError:
        # Twilio redelivered this MessageSid while we were handling it: the other request
        # committed first, so answer exactly as it did.
        session.rollback()
        result = handle_inbound(session, settings, sid, sender, body, num_media)
        session.commit()
        return result


def _spooled_answer(session: Any, kind: str, body: str, exc: Exception) -> Response:
    """Keep the request and answer what needs no database."""
    try:
        session.rollback()
    except DATABASE_DOWN:
        pass
    log.error("database unavailable (%s): spooling the %s request", type(exc).__name__, kind)
    settings = _settings()
    replies = edge_replies(settings, body) if kind == "inbound" else []
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        spool(app, kind, request.form.to_dict(), request.args.to_dict(), utcnow(),
              [k for k, _ in replies])  # fmt: skip
    except OSError:
        log.critical("spool failed too: a %s request could not be kept", kind)
        abort(500)
    if kind != "inbound":
        return Response("", status=204)
    twiml = MessagingResponse()
    for _kind, text in replies:
        twiml.message(text)
    return Response(str(twiml), mimetype=TWIML)


@webhooks.post("/status")
@twilio_signed
def status() -> Response:
    """A delivery status changed; apply it unless it would move the message backwards."""
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    session = db.session()
    try:
        apply_status(
            session,
            sid,
            request.args.get("outbound", type=int),
            form.get("MessageStatus") or form.get("SmsStatus") or "",
            form.get("ErrorCode", type=int),
            utcnow(),
        )
        session.commit()
    except DATABASE_DOWN as exc:
        return _spooled_answer(session, "status", "", exc)
    return Response("", status=204)
