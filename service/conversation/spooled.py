"""When the database is down: answer at the edge from the text alone, and drain the spool later.

`edge_replies` is what the webhook can say without the database: the fixed crisis texts to
crisis language, the STOP confirmation, the HELP text (in the default language: the
participant's own is in the database). `drain_spool` runs from the sweep once the database is
back: every kept request, oldest first, goes through the same `handle_inbound` as a live one
(idempotent on MessageSid), so alerts and on-call notifications are raised then. Replies the
edge already gave are recorded as sent; a welcome or a pause confirmation is sent now; a
late "Thanks, got it" is not worth a text and is recorded as not sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from messages.parse import Intent, parse_reply
from messages.system import system_text
from service.conversation.inbound import handle_inbound
from service.conversation.intents import CRISIS_TEXTS
from service.messaging.outbox import queue_message
from service.messaging.status import apply_status
from service.models import MessageStatus
from service.platform import spool
from service.platform.db import DATABASE_DOWN, storable_text
from service.platform.settings import Settings
from service.programme.enrolment import org_of

log = logging.getLogger(__name__)

DRAIN_BATCH = 200
# Replies worth sending late, when the edge could not: they change what the person expects.
SEND_LATE = frozenset({"welcome", "resubscribed", "already_active", "not_yet_joined", "help",
                       "ack_pause", "ack_resume", "ack_flare", "unknown_number"})  # fmt: skip


def edge_replies(settings: Settings, body: str) -> list[tuple[str, str]]:
    """(kind, text) replies that need no database: crisis, STOP, HELP."""
    reply = parse_reply(body)
    org = org_of(settings)
    if reply.crisis or reply.concern:
        return [(key, system_text(key, None, org)) for key in CRISIS_TEXTS]
    if reply.intent == Intent.OPT_OUT:
        return [("opt_out_confirmation", system_text("stopped", None, org))]
    if reply.intent == Intent.HELP:
        return [("help", system_text("help", None, org))]
    return []


@dataclass(frozen=True)
class DrainReport:
    """What one drain did."""

    inbound: int
    statuses: int
    unreadable: int


def drain_spool(app: Flask, session: Session, limit: int = DRAIN_BATCH) -> DrainReport:
    """Move kept requests into the database, oldest first; each committed on its own."""
    if not spool.acquire_drain_lock(app):
        return DrainReport(0, 0, 0)
    try:
        return _drain(app, session, limit)
    finally:
        spool.release_drain_lock(app)


def _drain(app: Flask, session: Session, limit: int) -> DrainReport:
    settings: Settings = app.extensions["paceline.settings"]
    file_entries, files = spool.take_file_entries(app)
    try:
        redis_lines = spool.peek_redis(app, limit)
    except Exception as exc:
        log.warning("spool: Redis unreachable while draining (%s)", type(exc).__name__)
        redis_lines = []
    entries = file_entries + [e for _, e in redis_lines if e is not None]
    unreadable = sum(1 for _, e in redis_lines if e is None)
    entries.sort(key=lambda entry: entry.received_at)  # arrival order across both stores
    inbound = statuses = 0
    for entry in entries:
        try:
            if entry.kind == "status":
                statuses += _apply_status(session, entry)
            else:
                inbound += _apply_inbound(session, settings, entry)
        except DATABASE_DOWN:
            session.rollback()
            log.warning("spool: the database went away while draining; the rest waits")
            raise  # nothing is forgotten: what was committed is skipped next time by its SID
        except Exception:
            session.rollback()
            log.exception("spool: one request could not be applied; kept as a dead letter")
            spool.keep_dead_letter(app, entry)
    # Everything read is committed (or was a duplicate): forget it.
    spool.forget_files(files)
    if redis_lines:
        spool.drop_redis(app, len(redis_lines))
    if inbound or statuses or unreadable:
        log.warning(
            "spool drained: %d inbound, %d status callbacks, %d unreadable lines dropped",
            inbound,
            statuses,
            unreadable,
        )
    return DrainReport(inbound, statuses, unreadable)


def _apply_inbound(session: Session, settings: Settings, entry: spool.SpoolEntry) -> int:
    form = entry.form
    received_at = datetime.fromisoformat(entry.received_at.replace("Z", "+00:00"))
    body, original_length = storable_text(form.get("Body", ""))
    try:
        result = handle_inbound(
            session,
            settings,
            form.get("MessageSid") or form.get("SmsSid") or "",
            form.get("From", ""),
            body,
            form_int(form.get("NumMedia")),
            now=received_at,
        )
        if result.inbound is not None and original_length is not None:
            result.inbound.original_length = original_length
        for row in result.replies:
            if row.kind in entry.answered:
                continue  # the TwiML answer at the edge carried it
            row.status = MessageStatus.SUPPRESSED
            row.error_message = "not sent at once: the database was down when the text came in"
            if row.kind in SEND_LATE and result.inbound is not None:
                queue_message(
                    session,
                    body=row.body,
                    kind=row.kind,
                    participant=row.participant,
                    to_phone=row.to_phone,
                    urgent=True,
                )
        session.commit()
        return 0 if result.duplicate else 1
    except IntegrityError:
        session.rollback()  # the same MessageSid arrived live meanwhile: nothing to do
        return 0


def _apply_status(session: Session, entry: spool.SpoolEntry) -> int:
    form = entry.form
    outbound = entry.args.get("outbound")
    changed = apply_status(
        session,
        form.get("MessageSid") or form.get("SmsSid") or "",
        int(outbound) if outbound and outbound.isdigit() else None,
        form.get("MessageStatus") or form.get("SmsStatus") or "",
        form_int(form.get("ErrorCode")) or None,
        datetime.fromisoformat(entry.received_at.replace("Z", "+00:00")),
    )
    session.commit()
    return int(changed)


def form_int(value: str | None) -> int:
    """A Twilio form field as a whole number, 0 when absent or malformed."""
    try:
        return int(value or 0)
    except ValueError:
        return 0
