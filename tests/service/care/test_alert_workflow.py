"""The alert workflow: triage order, acknowledgement with an action, who may acknowledge what,
and escalation of a crisis nobody acknowledges (on-call again, then the group's clinicians),
with every notification recorded and delivered through a real SMTP server and the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobs.sweeps import run_sweep
from service.care.alert_workflow import AckError, acknowledge, triage_key
from service.messaging.sms import get_backend
from service.models import (
    Alert,
    AlertKind,
    AlertNotification,
    Group,
    NotificationStatus,
    Participant,
    ParticipantStatus,
)
from service.platform.db import db, utcnow
from service.staff.auth import create_user
from tests.conftest import run_jobs
from tests.smtp_sink import SmtpSink

PHONE = "+12085550143"


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def clinic(make_app, sms_in_factory, smtp):
    app = make_app(CRISIS_ALERT_PHONE="+12085550100", CRISIS_ALERT_EMAIL="oncall@example.org",
                   SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_STARTTLS="false",
                   CRISIS_ESCALATE_MINUTES="15", CRISIS_ESCALATE_MAX="2")  # fmt: skip
    ctx = app.app_context()
    ctx.push()
    session = db.session()
    group = Group(name="Tuesday", timezone="America/New_York")
    session.add_all([group, Participant(group=group, phone=PHONE, status=ParticipantStatus.ACTIVE)])
    session.commit()
    clinicians = [_staff(session, "clinician", group, n) for n in range(2)]
    facilitator = _staff(session, "facilitator", group, 9)
    send = sms_in_factory(app.test_client())
    yield app, session, send, clinicians, facilitator
    ctx.pop()


class _Staff:
    def __init__(self, user):
        self.user = user


def _staff(session, role, group, n):
    user = create_user(session, f"{role}{n}@example.org", role, "correct horse battery")
    group.staff.append(user)
    session.commit()
    return _Staff(user)


def _notes(session, alert_id):
    session.expire_all()
    return session.scalars(
        select(AlertNotification)
        .where(AlertNotification.alert_id == alert_id)
        .order_by(AlertNotification.id)
    ).all()


def test_a_crisis_nobody_acknowledges_escalates_then_stops(clinic, smtp):
    app, session, send, clinicians, _ = clinic
    send(PHONE, "I keep thinking about suicide")
    run_jobs(app)  # the first notice: on-call SMS and email
    alert = session.scalar(select(Alert))
    assert alert.next_escalation_at == alert.created_at + timedelta(minutes=15)
    assert [(n.round, n.channel) for n in _notes(session, alert.id)] == [(0, "sms"), (0, "email")]
    backend = get_backend(app)
    # Ten minutes on: not yet.
    run_sweep(app, session, backend, now=utcnow() + timedelta(minutes=10))
    assert len(_notes(session, alert.id)) == 2
    # Sixteen minutes on, and a second clock sweeping at the same moment: one round only.
    later = utcnow() + timedelta(minutes=16)
    first = run_sweep(app, session, backend, now=later)
    second = run_sweep(app, session, backend, now=later)
    assert (first.escalated, second.escalated) == (1, 0)
    round_one = [n for n in _notes(session, alert.id) if n.round == 1]
    targets = sorted(n.target for n in round_one)
    assert targets == sorted(
        ["+12085550100", "oncall@example.org", *(c.user.email for c in clinicians)]
    )
    run_jobs(app)
    assert all(n.status == NotificationStatus.SENT for n in _notes(session, alert.id))
    assert len(smtp.messages) == 1 + 3  # the first email, then on-call and both clinicians
    # The second and last round (CRISIS_ESCALATE_MAX=2), then nothing more.
    assert run_sweep(app, session, backend, now=utcnow() + timedelta(minutes=32)).escalated == 1
    assert run_sweep(app, session, backend, now=utcnow() + timedelta(minutes=60)).escalated == 0
    session.refresh(alert)
    assert alert.escalations == 2 and alert.next_escalation_at is None


def test_an_acknowledged_crisis_does_not_escalate(clinic):
    app, session, send, clinicians, _ = clinic
    send(PHONE, "I want to die")
    alert = session.scalar(select(Alert))
    assert acknowledge(alert, clinicians[0].user, "called_client", "safe, plan made", utcnow(),
                       app.extensions["paceline.settings"])  # fmt: skip
    session.commit()
    report = run_sweep(app, session, get_backend(app), now=utcnow() + timedelta(minutes=20))
    assert report.escalated == 0
    assert {n.round for n in _notes(session, alert.id)} == {0}


def test_who_may_acknowledge_what(clinic):
    app, session, send, clinicians, facilitator = clinic
    settings = app.extensions["paceline.settings"]
    send(PHONE, "I want to die")
    send(PHONE, "FLARE")
    crisis = session.scalar(select(Alert).where(Alert.kind == AlertKind.CRISIS))
    flare = session.scalar(select(Alert).where(Alert.kind == AlertKind.FLARE))
    with pytest.raises(AckError) as refused:
        acknowledge(crisis, facilitator.user, "called_client", None, utcnow(), settings)
    assert refused.value.status == 403  # a crisis stays the clinicians'
    with pytest.raises(AckError):
        acknowledge(flare, facilitator.user, None, None, utcnow(), settings)  # no action chosen
    with pytest.raises(AckError):
        acknowledge(
            flare, facilitator.user, "other", "", utcnow(), settings
        )  # "other" needs a note
    assert acknowledge(flare, facilitator.user, "texted_client", None, utcnow(), settings)
    # The first acknowledgement is kept.
    assert not acknowledge(flare, clinicians[0].user, "no_action_needed", None, utcnow(), settings)
    assert flare.acknowledged_by_id == facilitator.user.id


def test_triage_puts_the_most_serious_and_longest_waiting_first(clinic):
    _app, session, send, *_ = clinic
    send(PHONE, "FLARE")
    send(PHONE, "my friend died by suicide")
    send(PHONE, "I want to die")
    kinds = [a.kind for a in sorted(session.scalars(select(Alert)).all(), key=triage_key)]
    assert kinds == [AlertKind.CRISIS, AlertKind.CONCERN, AlertKind.FLARE]
