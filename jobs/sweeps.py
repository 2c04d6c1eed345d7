"""The periodic sweep: the database is the truth, so find work that has no live job and queue it.

Each step runs on its own: one failing step (or one bad row inside it) is logged and skipped,
and the others still run in the same sweep. Crisis notifications go first.

1. crisis and concern alerts nobody acknowledged in time: escalated (on-call again, the
   group's clinicians);
2. due on-call notifications (crisis first);
3. the inbound spool, kept while the database was down;
4. due outbox rows without a live send job (Redis restarted empty, a worker died);
5. rows stuck in 'sending': reconciled with Twilio before any resend, at once when their
   worker is gone, after RECONCILE_AFTER otherwise;
6. rating rules (high pain, change from baseline) whose job was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.context import job_app
from jobs.notify import process_notifications
from jobs.rules import sweep_rules
from jobs.send import RECONCILE_AFTER, reconcile
from service.care.alert_workflow import escalate_due
from service.conversation.spooled import drain_spool
from service.messaging.outbox import enqueue_sends, send_job_lost
from service.messaging.sms import SmsBackend, get_backend
from service.models import AlertNotification, MessageStatus, NotificationStatus, OutboundMessage
from service.platform.db import db, utcnow

log = logging.getLogger(__name__)
BATCH = 1000
STALE_BATCH = 200


@dataclass
class SweepReport:
    """What one sweep did, and which steps failed."""

    enqueued: int = 0
    reconciled: int = 0
    notifications: int = 0
    drained: int = 0
    escalated: int = 0
    rules: int = 0
    failed_steps: list[str] = field(default_factory=list)


def sweep() -> dict[str, object]:
    """RQ entry point for the clock: one sweep."""
    with job_app() as app:
        report = run_sweep(app, db.session(), get_backend(app))
        return report.__dict__


def run_sweep(
    app: Flask, session: Session, backend: SmsBackend, now: datetime | None = None
) -> SweepReport:
    """Notifications, spool, due rows, stale sends: each step isolated from the others."""
    now = now or utcnow()
    report = SweepReport()
    steps: list[tuple[str, Callable[[], None]]] = [
        ("escalations", lambda: _escalations(app, session, now, report)),
        ("notifications", lambda: _notifications(app, session, now, report)),
        ("spool", lambda: _spool(app, session, report)),
        ("due sends", lambda: _due(app, session, now, report)),
        ("stale sends", lambda: _stale(app, session, backend, now, report)),
        ("alert rules", lambda: _rules(session, now, report)),
    ]
    for name, step in steps:
        try:
            step()
        except Exception:
            session.rollback()
            report.failed_steps.append(name)
            log.exception("sweep: step '%s' failed; the other steps still ran", name)
    if report.enqueued or report.reconciled or report.notifications or report.drained:
        log.info(
            "sweep: %d enqueued, %d reconciled, %d notifications, %d spooled texts drained",
            report.enqueued,
            report.reconciled,
            report.notifications,
            report.drained,
        )
    return report


def _rules(session: Session, now: datetime, report: SweepReport) -> None:
    report.rules = sweep_rules(session, now)


def _escalations(app: Flask, session: Session, now: datetime, report: SweepReport) -> None:
    report.escalated = escalate_due(session, app.extensions["paceline.settings"], now)


def _notifications(app: Flask, session: Session, now: datetime, report: SweepReport) -> None:
    due = session.scalar(
        select(AlertNotification.id)
        .where(
            AlertNotification.status == NotificationStatus.PENDING,
            AlertNotification.next_attempt_at <= now,
        )
        .limit(1)
    )
    if due:
        report.notifications = process_notifications(
            session, app.extensions["paceline.settings"], now
        )


def _spool(app: Flask, session: Session, report: SweepReport) -> None:
    drained = drain_spool(app, session)
    report.drained = drained.inbound + drained.statuses


def _due(app: Flask, session: Session, now: datetime, report: SweepReport) -> None:
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
    report.enqueued += enqueue_sends(app, due)


def _stale(
    app: Flask, session: Session, backend: SmsBackend, now: datetime, report: SweepReport
) -> None:
    timeout = app.extensions["paceline.settings"].twilio_http_timeout
    # A send in flight ends within the HTTP timeout: after that, a row still 'sending' whose
    # job is gone or whose worker stopped heartbeating was left by a crash.
    settled_by = now - timedelta(seconds=timeout + 5)
    rows = session.scalars(
        select(OutboundMessage)
        .where(
            OutboundMessage.status == MessageStatus.SENDING,
            OutboundMessage.needs_review.is_(False),
            OutboundMessage.updated_at <= settled_by,
        )
        .order_by(OutboundMessage.updated_at)
        .limit(STALE_BATCH)
        # As the database has them now: a row this session loaded before a worker claimed it
        # would otherwise keep its old status, and requeueing it would change nothing.
        .execution_options(populate_existing=True)
    ).all()
    for row in rows:
        if row.updated_at > now - RECONCILE_AFTER and not send_job_lost(app, row.id):
            continue  # its worker is alive and may still answer: wait for the usual delay
        try:
            outcome = reconcile(session, row, backend, now, timeout)
        except Exception:
            session.rollback()
            log.exception("sweep: message %s could not be reconciled; next sweep retries", row.id)
            continue
        report.reconciled += 1
        if outcome == "requeued":
            report.enqueued += enqueue_sends(app, [row.id])
