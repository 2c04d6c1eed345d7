"""On-call crisis notifications by email: delivered, retried on failure, failure visible."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobs.notify import MAX_ATTEMPTS, process_notifications
from service.models import (
    AlertNotification,
    Group,
    NotificationStatus,
    Participant,
    ParticipantStatus,
)
from service.platform.db import db, utcnow
from tests.conftest import free_port, run_jobs
from tests.smtp_sink import SmtpSink

PHONE = "+12085550143"


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


def _crisis(app, sms_in_factory):
    session = db.session()
    group = Group(name="Tuesday", timezone="America/New_York")
    session.add_all([group, Participant(group=group, phone=PHONE, status=ParticipantStatus.ACTIVE)])
    session.commit()
    sms_in_factory(app.test_client())(PHONE, "I keep thinking about suicide")
    return session


def test_crisis_email_reaches_the_on_call_contact_without_the_message_text(
    make_app, smtp, sms_in_factory
):
    app = make_app(
        CRISIS_ALERT_EMAIL="oncall@example.org",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_STARTTLS="false",
    )
    with app.app_context():
        session = _crisis(app, sms_in_factory)
        run_jobs(app)
        assert len(smtp.messages) == 1
        recipients, data = smtp.messages[0]
        assert recipients == ["oncall@example.org"]
        assert "Crisis alert #" in data and "Tuesday" in data
        assert "thinking about suicide" not in data and PHONE not in data
        note = session.scalar(select(AlertNotification))
        session.refresh(note)
        assert note.status == NotificationStatus.SENT and note.attempts == 1


def test_a_failing_mail_server_is_retried_then_shown_as_failed(make_app, sms_in_factory):
    app = make_app(
        CRISIS_ALERT_EMAIL="oncall@example.org",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(free_port()),
        SMTP_STARTTLS="false",
    )
    with app.app_context():
        session = _crisis(app, sms_in_factory)
        run_jobs(app)
        note = session.scalar(select(AlertNotification))
        session.refresh(note)
        assert note.status == NotificationStatus.PENDING and note.attempts == 1
        assert "ConnectionRefused" in note.last_error
        settings = app.extensions["paceline.settings"]
        now = utcnow()
        for _ in range(MAX_ATTEMPTS):
            now += timedelta(hours=1)
            process_notifications(session, settings, now)
        session.refresh(note)
        assert note.status == NotificationStatus.FAILED and note.attempts == MAX_ATTEMPTS
