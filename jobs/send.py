"""Sending one outbox row: claim it, check consent, hand it to the backend, record the outcome."""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timedelta

import redis
from rq import Queue
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from jobs.context import job_app
from messages.phone import mask_phone
from service.messaging.outbox import (
    PACED_QUEUE,
    SEND_JOB,
    SEND_JOB_TIMEOUT,
    send_job_id,
    suppress_pending,
)
from service.messaging.pacing import URGENT_KINDS, reserve, sender_key
from service.messaging.sms import (
    INVALID_NUMBER,
    NOT_MOBILE,
    OPTED_OUT,
    SmsBackend,
    SmsError,
    get_backend,
)
from service.models import (
    MessageStatus,
    NumberStatus,
    OutboundMessage,
    ParticipantStatus,
)
from service.platform.db import db, utcnow
from service.platform.redis_conn import get_redis
from service.platform.settings import Settings
from service.programme.consent import record_opt_out

log = logging.getLogger(__name__)

# Kinds that may go to someone who has opted out or not yet joined.
OPT_OUT_EXEMPT = frozenset({"opt_out_confirmation"})
PRE_CONSENT_KINDS = frozenset({"invitation", "opt_out_confirmation", "help", "crisis_reply"})
RECONCILE_AFTER = timedelta(minutes=2)
MIN_VALIDITY_SECONDS = 60
INLINE_WAIT_SECONDS = 1.0  # a turn this close is waited for in the worker, not rescheduled
EARLY_WAKE_SECONDS = 1.5


def send_message(message_id: int) -> str:
    """RQ entry point: send outbox row `message_id` (idempotent; safe to run twice)."""
    with job_app() as app:
        settings: Settings = app.extensions["paceline.settings"]
        pacer = Pacer(get_redis(app), settings) if paced(settings) else None
        return deliver(db.session(), message_id, get_backend(app), settings, pacer=pacer)


def paced(settings: Settings) -> bool:
    """Texts are paced when they reach a carrier: the Twilio backend with a rate set."""
    return settings.sms_backend == "twilio" and settings.sender_mps > 0


class Pacer:
    """Reserves send slots from the sender's shared schedule (service/messaging/pacing.py)."""

    def __init__(self, connection: redis.Redis, settings: Settings) -> None:
        self.connection = connection
        self.mps = settings.sender_mps
        self.sender = sender_key(settings.twilio_messaging_service_sid,
                                 settings.twilio_from_number)  # fmt: skip

    def reserve(self, row: OutboundMessage) -> float:
        """Seconds this row must wait for its turn (0 for urgent texts, which never wait)."""
        return reserve(self.connection, self.sender, row.segments or 1, self.mps,
                       urgent=row.kind in URGENT_KINDS).wait  # fmt: skip


def backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1-based): 30 s doubling, at most 30 min, +-20%."""
    base = min(30 * 2 ** max(attempts - 1, 0), 1800)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def deliver(
    session: Session,
    message_id: int,
    backend: SmsBackend,
    settings: Settings,
    now: datetime | None = None,
    pacer: Pacer | None = None,
) -> str:
    """Send one queued outbox row; return what happened (sent, paced, suppressed, retry,
    failed, skip)."""
    now = now or utcnow()
    # Claim the row atomically: only one worker moves it from queued to sending.
    claimed = session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == message_id,
            OutboundMessage.status == MessageStatus.QUEUED,
            OutboundMessage.channel == "api",
            or_(
                OutboundMessage.next_attempt_at <= now,
                # RQ's scheduler wakes a job waiting its turn up to a second early (whole
                # seconds): claim it and wait out the rest of its slot here.
                OutboundMessage.paced_at <= now + timedelta(seconds=EARLY_WAKE_SECONDS),
            ),
        )
        .values(
            status=MessageStatus.SENDING,
            attempts=OutboundMessage.attempts + 1,
            updated_at=now,
        )
    ).rowcount
    session.commit()
    if not claimed:
        return "skip"
    row = session.get(OutboundMessage, message_id)
    assert row is not None
    session.refresh(row)

    reason = _suppression_reason(row)
    if reason:
        row.status = MessageStatus.SUPPRESSED
        row.error_message = reason
        session.commit()
        log.info("message %s suppressed: %s", message_id, reason)
        return "suppressed"

    validity = settings.message_validity_seconds
    if row.expires_at is not None:
        remaining = int((row.expires_at - now).total_seconds())
        if remaining < MIN_VALIDITY_SECONDS:
            row.status = MessageStatus.SUPPRESSED
            row.error_message = "expired before it could be sent (quiet hours or window closed)"
            session.commit()
            return "suppressed"
        validity = min(validity, remaining)
    if pacer is not None:
        waited = _wait_turn(session, row, pacer, now)
        if waited is not None:
            return waited
    try:
        result = backend.send(
            row.to_phone,
            row.body,
            settings.public_url(f"/twilio/status?outbound={row.id}"),
            validity,
        )
    except SmsError as exc:
        return _record_failure(session, row, exc, settings, now)

    # Store the SID at once: the window in which a crash could cause a resend is this commit.
    row.twilio_sid = result.sid
    row.status = (
        MessageStatus.SENT if result.status in ("sent", "delivered") else MessageStatus.ACCEPTED
    )
    row.sent_at = now
    row.error_code = None
    row.error_message = None
    session.commit()
    log.info(
        "message %s to %s handed over (%s)", message_id, mask_phone(row.to_phone), result.status
    )
    return "sent"


def _wait_turn(session: Session, row: OutboundMessage, pacer: Pacer, now: datetime) -> str | None:
    """Take the row's send slot: wait here for a short turn, or put the row back until its slot
    (a scheduled job and the sweep both bring it back). None: send now."""
    if row.paced_at is None:
        wait = pacer.reserve(row)
        if wait > INLINE_WAIT_SECONDS:
            slot = now + timedelta(seconds=wait)
            if row.expires_at is not None and slot > row.expires_at - timedelta(
                seconds=MIN_VALIDITY_SECONDS
            ):
                row.status = MessageStatus.SUPPRESSED
                row.error_message = "its turn at the sender's rate comes after it expires"
                session.commit()
                log.warning("message %s: the sender is booked past its expiry", row.id)
                return "suppressed"
            row.paced_at = slot
            row.status = MessageStatus.QUEUED
            row.next_attempt_at = slot
            row.attempts -= 1  # waiting a turn is not an attempt
            session.commit()
            _schedule(pacer.connection, row.id, slot)
            return "paced"
    else:
        wait = (row.paced_at - utcnow()).total_seconds()
    if wait > 0:
        time.sleep(min(wait, EARLY_WAKE_SECONDS))
    return None


def _schedule(connection: redis.Redis, message_id: int, at: datetime) -> None:
    """Run the send job again at `at` (RQ's scheduler, in every worker); if Redis fails here
    the sweep finds the row when it falls due."""
    try:
        Queue(PACED_QUEUE, connection=connection).enqueue_at(
            at, SEND_JOB, message_id, job_id=f"{send_job_id(message_id)}-at-{int(at.timestamp() * 1000)}",
            job_timeout=SEND_JOB_TIMEOUT, result_ttl=600, failure_ttl=86400,
            description=f"send outbound message {message_id} at its turn",
        )  # fmt: skip
    except (redis.ConnectionError, redis.TimeoutError):
        log.warning("message %s: could not schedule its turn; the sweep will", message_id)


def _suppression_reason(row: OutboundMessage) -> str | None:
    participant = row.participant
    if participant is None:
        return None
    if participant.status in (ParticipantStatus.OPTED_OUT, ParticipantStatus.WITHDRAWN):
        if row.kind not in OPT_OUT_EXEMPT:
            return f"participant {participant.status.value}"
    elif participant.status == ParticipantStatus.INVITED and row.kind not in PRE_CONSENT_KINDS:
        return "participant has not confirmed (no YES yet)"
    if participant.number_status != NumberStatus.OK:
        return f"number {participant.number_status.value}"
    return None


def _record_failure(
    session: Session, row: OutboundMessage, exc: SmsError, settings: Settings, now: datetime
) -> str:
    row.error_code = exc.code
    row.error_message = str(exc)[:255]
    row.paced_at = None  # a later attempt takes a new turn
    participant = row.participant
    if exc.ambiguous:
        # Twilio may have the message. Leave it 'sending'; the sweep reconciles before any resend.
        row.next_attempt_at = now + RECONCILE_AFTER
        session.commit()
        log.warning("message %s: no answer from Twilio, will reconcile", row.id)
        return "reconcile"
    if exc.transient and row.attempts < settings.send_max_attempts:
        row.status = MessageStatus.QUEUED
        row.next_attempt_at = now + backoff(row.attempts)
        session.commit()
        log.warning("message %s: attempt %d failed (%s), will retry", row.id, row.attempts, exc)
        return "retry"
    row.status = MessageStatus.FAILED
    if participant is not None and exc.code == OPTED_OUT:
        participant.status = ParticipantStatus.OPTED_OUT
        participant.opted_out_at = now
        participant.consent_source = "carrier_opt_out"
        record_opt_out(session, participant, source="carrier_opt_out", at=now, channel="carrier",
                       words=f"Twilio {OPTED_OUT}: the number texted STOP to Twilio")  # fmt: skip
        suppress_pending(session, participant, "participant opted out (Twilio 21610)")
    elif participant is not None and exc.code in (INVALID_NUMBER, NOT_MOBILE):
        participant.number_status = (
            NumberStatus.INVALID if exc.code == INVALID_NUMBER else NumberStatus.NOT_MOBILE
        )
        suppress_pending(session, participant, f"number {participant.number_status.value}")
    session.commit()
    log.warning("message %s failed permanently: %s", row.id, exc)
    return "failed"


# Only a message Twilio took this close to our claim can be ours.
RECONCILE_WINDOW = timedelta(seconds=30)


def reconcile(
    session: Session,
    row: OutboundMessage,
    backend: SmsBackend,
    now: datetime,
    http_timeout: float = 10.0,
) -> str:
    """Settle a row stuck in 'sending': did the provider take it? If not, queue it again.

    A match is the same recipient and body, taken by the provider between our claim and the
    end of that HTTP call, whose SID no other row holds. One match: it is ours. None: the
    send never reached the provider, so it is queued again. Several: nobody can tell which
    is ours, so the row waits for an admin (needs_review) instead of guessing.

    Each outcome is written only if the row is still in the claim that was looked up (status
    'sending', the same attempt): two clocks' sweeps may reconcile one row at once, and the
    slower one's "Twilio has nothing" must not requeue a text the faster one already had
    resent ("moved").
    """
    claimed_at = row.updated_at or row.created_at
    earliest = claimed_at - RECONCILE_WINDOW
    latest = claimed_at + timedelta(seconds=http_timeout) + RECONCILE_WINDOW
    try:
        found = backend.find_sent(row.to_phone, row.body, earliest)
    except SmsError as exc:
        log.warning("message %s: reconcile lookup failed (%s), will try later", row.id, exc)
        return "later" if _settle(session, row, next_attempt_at=now + RECONCILE_AFTER) else "moved"
    in_window = [f for f in found if f.created_at is None or earliest <= f.created_at <= latest]
    held = set(
        session.scalars(
            select(OutboundMessage.twilio_sid).where(
                OutboundMessage.twilio_sid.in_([f.sid for f in in_window]),
                OutboundMessage.id != row.id,
            )
        )
    ) if in_window else set()  # fmt: skip
    candidates = [f for f in in_window if f.sid not in held]
    if len(candidates) == 1:
        settled = _settle(session, row, twilio_sid=candidates[0].sid,
                          status=MessageStatus.ACCEPTED, sent_at=row.sent_at or now)  # fmt: skip
        return "found" if settled else "moved"
    if len(candidates) > 1:
        message = f"{len(candidates)} messages at Twilio could be this one: check before resending"
        if not _settle(session, row, needs_review=True, error_message=message):
            return "moved"
        log.warning("message %s: reconciliation ambiguous, marked for review", row.id)
        return "review"
    # Its turn at the sender's rate (if it had one) passed with the dead worker: the resend
    # books a new one, or it would go out at once beside the texts sent on time.
    settled = _settle(session, row, status=MessageStatus.QUEUED, next_attempt_at=now, paced_at=None)  # fmt: skip
    return "requeued" if settled else "moved"


def _settle(session: Session, row: OutboundMessage, **values: object) -> bool:
    """Write a reconciliation's outcome if `row` is still in the claim it looked at; commit.
    False: another sweep settled it, or a worker claimed it again, meanwhile."""
    done = session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == row.id,
            OutboundMessage.status == MessageStatus.SENDING,
            OutboundMessage.attempts == row.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    session.refresh(row)
    if not done:
        log.info("message %s: settled elsewhere while it was being reconciled", row.id)
    return bool(done)
