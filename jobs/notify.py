"""Telling the on-call contact about a crisis alert, by SMS (through the outbox) and email (SMTP).

A notification that fails is retried with backoff; after MAX_ATTEMPTS it is marked failed,
which the alert shows. Nothing is dropped silently.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.context import job_app
from messages.system import system_text
from service.messaging.outbox import queue_message
from service.models import Alert, AlertNotification, Group, NotificationStatus
from service.platform.db import db, utcnow
from service.platform.mail import send_mail
from service.platform.settings import Settings
from service.programme.enrolment import org_of

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def notify_alert(alert_id: int) -> int:
    """RQ entry point: send the pending notifications of one alert."""
    with job_app() as app:
        return process_notifications(
            db.session(), app.extensions["paceline.settings"], alert_id=alert_id
        )


def process_notifications(
    session: Session, settings: Settings, now: datetime | None = None, alert_id: int | None = None
) -> int:
    """Send every due pending notification (of one alert, or all); return how many went out."""
    now = now or utcnow()
    query = select(AlertNotification).where(
        AlertNotification.status == NotificationStatus.PENDING,
        AlertNotification.next_attempt_at <= now,
    )
    if alert_id is not None:
        query = query.where(AlertNotification.alert_id == alert_id)
    sent = 0
    for note in session.scalars(query.order_by(AlertNotification.id)).all():
        note.attempts += 1
        try:
            if note.channel == "sms":
                _queue_sms(session, settings, note)
            else:
                _send_email(settings, note)
        except (OSError, smtplib.SMTPException) as exc:
            note.last_error = f"{type(exc).__name__}: {exc}"[:255]
            if note.attempts >= MAX_ATTEMPTS:
                note.status = NotificationStatus.FAILED
                log.error("alert %s: %s notification failed for good", note.alert_id, note.channel)
            else:
                note.next_attempt_at = now + timedelta(
                    seconds=min(30 * 2 ** (note.attempts - 1), 1800)
                )
                log.warning(
                    "alert %s: %s notification failed, will retry", note.alert_id, note.channel
                )
        else:
            note.status = NotificationStatus.SENT
            note.sent_at = now
            note.last_error = None
            sent += 1
        session.commit()
    return sent


def _alert_summary(note: AlertNotification) -> tuple[Alert, Group]:
    alert = note.alert
    return alert, alert.participant.group


def _queue_sms(session: Session, settings: Settings, note: AlertNotification) -> None:
    alert, group = _alert_summary(note)
    body = system_text("crisis_alert_sms", "en", org_of(settings), group=group.name, alert=alert.id)
    row = queue_message(session, body=body, kind="crisis_alert", to_phone=note.target, urgent=True)
    note.outbound_message_id = row.id


def _send_email(settings: Settings, note: AlertNotification) -> None:
    alert, group = _alert_summary(note)
    # No message text or phone number in email: the alert page has them, behind a login.
    send_mail(
        settings,
        note.target,
        f"[{settings.org_name}] Crisis alert #{alert.id} in group {group.name}",
        f"A participant in group '{group.name}' sent a message that may signal a crisis "
        f"(suicide or self-harm).\n\nAlert #{alert.id}, raised {alert.created_at:%Y-%m-%d %H:%M} UTC.\n"
        f"Open it in Paceline: {settings.public_url(f'/alerts/{alert.id}')}\n\n"
        "The participant was sent crisis resources automatically. Please follow your "
        "service's crisis protocol and acknowledge the alert once handled.",
    )
