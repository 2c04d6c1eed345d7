"""The periodic sweep: the database is the truth, so find work that has no live job and queue it.

Losing Redis (a restart with no persistence) loses nothing: due outbox rows get new send jobs,
rows stuck in 'sending' are reconciled with Twilio, pending on-call notifications retried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.context import job_app
from jobs.notify import process_notifications
from jobs.send import RECONCILE_AFTER, reconcile
from service.messaging.outbox import enqueue_sends
from service.messaging.sms import SmsBackend, get_backend
from service.models import AlertNotification, MessageStatus, NotificationStatus, OutboundMessage
from service.platform.db import db, utcnow

log = logging.getLogger(__name__)
BATCH = 1000


@dataclass(frozen=True)
class SweepReport:
    """What one sweep did."""

    enqueued: int
    reconciled: int
    notifications: int


def sweep() -> dict[str, int]:
    """RQ entry point for the clock: one sweep."""
    with job_app() as app:
        report = run_sweep(app, db.session(), get_backend(app))
        return report.__dict__


def run_sweep(
    app: Flask, session: Session, backend: SmsBackend, now: datetime | None = None
) -> SweepReport:
    """Re-enqueue due rows, reconcile stale sends, retry due notifications."""
    now = now or utcnow()
    due = session.scalars(
        select(OutboundMessage.id)
        .where(
            OutboundMessage.status == MessageStatus.QUEUED,
            OutboundMessage.channel == "api",
            OutboundMessage.next_attempt_at <= now,
        )
        .order_by(OutboundMessage.next_attempt_at)
        .limit(BATCH)
    ).all()
    enqueued = enqueue_sends(app, due)

    stale = session.scalars(
        select(OutboundMessage)
        .where(
            OutboundMessage.status == MessageStatus.SENDING,
            OutboundMessage.updated_at <= now - RECONCILE_AFTER,
        )
        .limit(100)
    ).all()
    reconciled = 0
    for row in stale:
        outcome = reconcile(session, row, backend, now)
        reconciled += 1
        if outcome == "requeued":
            enqueue_sends(app, [row.id])

    has_due_notifications = session.scalar(
        select(AlertNotification.id)
        .where(
            AlertNotification.status == NotificationStatus.PENDING,
            AlertNotification.next_attempt_at <= now,
        )
        .limit(1)
    )
    notified = (
        process_notifications(session, app.extensions["paceline.settings"], now)
        if has_due_notifications
        else 0
    )
    if enqueued or reconciled or notified:
        log.info(
            "sweep: %d enqueued, %d reconciled, %d notifications", enqueued, reconciled, notified
        )
    return SweepReport(enqueued=enqueued, reconciled=reconciled, notifications=notified)
