"""Sending through the real twilio client: end to end against Prism, error paths against a
loopback server, and the consent and idempotency rules of the send job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobs.send import deliver
from jobs.sweeps import run_sweep
from service.messaging.outbox import queue_message
from service.messaging.sms import get_backend
from service.models import (
    Group,
    MessageStatus,
    NumberStatus,
    OutboundMessage,
    Participant,
    ParticipantStatus,
)
from service.platform.db import db, utcnow
from tests.conftest import run_jobs, twilio_env
from tests.twilio_fake import FakeTwilio, created, error

PHONE = "+12085550143"


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


def _participant(session, status=ParticipantStatus.ACTIVE, phone=PHONE):
    group = Group(name="G", timezone="America/New_York")
    participant = Participant(group=group, phone=phone, status=status)
    session.add_all([group, participant])
    session.commit()
    return participant


def _queue(session, participant, kind="prompt", body="Time for a 2-minute pacing break."):
    row = queue_message(session, body=body, kind=kind, participant=participant)
    session.commit()
    return row


@pytest.mark.prism
def test_invitation_goes_through_the_real_twilio_client_to_prism(make_app, prism_url):
    app = make_app(**twilio_env(prism_url))
    with app.app_context():
        session = db.session()
        participant = _participant(session, ParticipantStatus.INVITED)
        row = _queue(session, participant, kind="invitation", body="Riverside: reply YES to join.")
        run_jobs(app)
        session.expire_all()
        row = session.get(OutboundMessage, row.id)
        assert row.status in (MessageStatus.ACCEPTED, MessageStatus.SENT), row.error_message
        assert row.twilio_sid and row.twilio_sid.startswith(("SM", "MM"))
        assert row.attempts == 1 and row.sent_at is not None


def _send_with(make_app, fake, *responses, status=ParticipantStatus.ACTIVE):
    app = make_app(**twilio_env(fake.url), SEND_MAX_ATTEMPTS="3")
    fake.respond(*responses)
    ctx = app.app_context()
    ctx.push()
    session = db.session()
    participant = _participant(session, status)
    row = _queue(session, participant)
    run_jobs(app)
    session.expire_all()
    return (
        app,
        ctx,
        session,
        session.get(OutboundMessage, row.id),
        session.get(Participant, participant.id),
    )


def test_request_carries_status_callback_and_validity_period(make_app, fake_twilio):
    _app, ctx, _session, row, _ = _send_with(make_app, fake_twilio, created("SM" + "b" * 32))
    try:
        assert row.status == MessageStatus.ACCEPTED and row.twilio_sid == "SM" + "b" * 32
        form = fake_twilio.requests[0]
        assert form["To"] == [PHONE] and form["From"] == ["+15005550006"]
        assert form["StatusCallback"] == [
            f"https://paceline.example.org/twilio/status?outbound={row.id}"
        ]
        assert form["ValidityPeriod"] == ["14400"]
    finally:
        ctx.pop()


@pytest.mark.parametrize(
    "response", [error(429, 20429, "Too Many Requests"), error(500, 20500, "Internal")]
)
def test_transient_errors_retry_with_backoff_then_fail(make_app, fake_twilio, response):
    app, ctx, session, row, _ = _send_with(make_app, fake_twilio, response)
    try:
        assert row.status == MessageStatus.QUEUED and row.attempts == 1
        assert row.next_attempt_at > utcnow() + timedelta(seconds=20)
        backend, settings = get_backend(app), app.extensions["paceline.settings"]
        # Not due yet: a stray job does nothing.
        assert deliver(session, row.id, backend, settings) == "skip"
        later = row.next_attempt_at + timedelta(seconds=1)
        assert deliver(session, row.id, backend, settings, now=later) == "retry"
        session.refresh(row)
        assert deliver(session, row.id, backend, settings, now=row.next_attempt_at) == "failed"
        session.refresh(row)
        assert row.status == MessageStatus.FAILED and row.attempts == 3
        assert row.error_code == response[1]["code"]
        assert len(fake_twilio.requests) == 3
    finally:
        ctx.pop()


def test_21610_marks_the_participant_opted_out_and_suppresses_the_rest(make_app, fake_twilio):
    app, ctx, session, row, participant = _send_with(
        make_app, fake_twilio, error(400, 21610, "Attempt to send to unsubscribed recipient")
    )
    try:
        assert row.status == MessageStatus.FAILED and row.error_code == 21610
        assert participant.status == ParticipantStatus.OPTED_OUT
        later = _queue(session, participant)
        run_jobs(app)
        session.refresh(later)
        assert later.status == MessageStatus.SUPPRESSED
        assert len(fake_twilio.requests) == 1
    finally:
        ctx.pop()


@pytest.mark.parametrize(
    ("code", "expected"), [(21211, NumberStatus.INVALID), (21614, NumberStatus.NOT_MOBILE)]
)
def test_invalid_numbers_are_marked_for_the_facilitator(make_app, fake_twilio, code, expected):
    _app, ctx, _session, row, participant = _send_with(
        make_app, fake_twilio, error(400, code, "bad number")
    )
    try:
        assert row.status == MessageStatus.FAILED
        assert participant.number_status == expected
    finally:
        ctx.pop()


def test_a_timeout_after_sending_is_reconciled_not_resent(make_app, fake_twilio):
    app = make_app(**{**twilio_env(fake_twilio.url), "TWILIO_HTTP_TIMEOUT": "0.5"})
    # Twilio takes the message but answers after the client gave up.
    fake_twilio.respond((201, created("SM" + "c" * 32)[1], 1.5))
    with app.app_context():
        session = db.session()
        row = _queue(session, _participant(session))
        run_jobs(app)
        session.expire_all()
        row = session.get(OutboundMessage, row.id)
        assert row.status == MessageStatus.SENDING and row.twilio_sid is None
        assert "no answer" in row.error_message

        # The sweep asks Twilio before anything is resent, and finds the message.
        report = run_sweep(app, session, get_backend(app), now=utcnow() + timedelta(minutes=3))
        assert report.reconciled == 1
        session.refresh(row)
        assert row.status == MessageStatus.ACCEPTED and row.twilio_sid == "SM" + "c" * 32
        assert len(fake_twilio.requests) == 1


def test_a_send_that_never_reached_twilio_is_requeued_by_reconciliation(app, session):
    row = _queue(session, _participant(session))
    # A worker died between claiming the row and calling the provider, minutes ago.
    row.status = MessageStatus.SENDING
    row.updated_at = utcnow() - timedelta(minutes=5)
    session.commit()
    report = run_sweep(app, session, get_backend(app))
    assert report.reconciled == 1
    session.refresh(row)
    assert row.status == MessageStatus.QUEUED
    run_jobs(app)
    session.refresh(row)
    assert row.status == MessageStatus.SENT and len(get_backend(app).sent) == 1


def test_a_requeued_send_books_a_new_turn_at_the_senders_rate(app, session):
    """A paced text whose worker died mid-send still holds its turn, long past. Requeued by
    reconciliation, it must book a new turn: with the old one it went out at once beside the
    texts on time, over the sender's rate (the scale-out bench's killed host did this)."""
    row = _queue(session, _participant(session))
    row.status = MessageStatus.SENDING
    row.paced_at = row.updated_at = utcnow() - timedelta(minutes=5)
    session.commit()
    assert run_sweep(app, session, get_backend(app)).reconciled == 1
    session.refresh(row)
    assert (row.status, row.paced_at) == (MessageStatus.QUEUED, None)


def test_opted_out_and_invited_participants_get_nothing_but_what_they_may(app, session):
    stopped = _participant(session, ParticipantStatus.OPTED_OUT)
    invited = _participant(session, ParticipantStatus.INVITED, phone="+12085550178")
    prompt = _queue(session, stopped)
    confirmation = _queue(
        session, stopped, kind="opt_out_confirmation", body="You're unsubscribed."
    )
    early_prompt = _queue(session, invited)
    invitation = _queue(session, invited, kind="invitation", body="Reply YES to join.")
    run_jobs(app)
    session.expire_all()
    got = {r.id: r.status for r in session.scalars(select(OutboundMessage))}
    assert got[prompt.id] == MessageStatus.SUPPRESSED
    assert got[early_prompt.id] == MessageStatus.SUPPRESSED
    assert got[confirmation.id] == MessageStatus.SENT
    assert got[invitation.id] == MessageStatus.SENT


def test_two_jobs_for_one_row_send_once(app, session):
    row = _queue(session, _participant(session))
    backend, settings = get_backend(app), app.extensions["paceline.settings"]
    assert deliver(session, row.id, backend, settings) == "sent"
    assert deliver(session, row.id, backend, settings) == "skip"
    assert len(backend.sent) == 1


def _crashed_while_sending(session, row, seconds_ago=300.0):
    """A worker claimed the row and was killed: the row stays 'sending' and its job stays
    'started' by a worker that no longer heartbeats."""
    from rq.job import Job, JobStatus

    from service.messaging.outbox import send_job_id
    from service.platform.redis_conn import get_redis

    job = Job.fetch(send_job_id(row.id), connection=get_redis())
    job.worker_name = "killed-worker"
    job.set_status(JobStatus.STARTED)
    job.save()
    row.status = MessageStatus.SENDING
    session.commit()
    session.execute(
        OutboundMessage.__table__.update()
        .where(OutboundMessage.id == row.id)
        .values(updated_at=utcnow() - timedelta(seconds=seconds_ago))
    )
    session.commit()
    session.refresh(row)


def test_two_identical_texts_with_one_stuck_are_not_given_one_sid(app, session):
    participant = _participant(session)
    first = _queue(session, participant, body="Same words")
    second = _queue(session, participant, body="Same words")
    backend = get_backend(app)
    # Twilio took both texts; only the first SID was stored before the worker died.
    backend.send(participant.phone, "Same words", "", 600)
    backend.send(participant.phone, "Same words", "", 600)
    held, unknown = backend.sent[0][0], backend.sent[1][0]
    first.status, first.twilio_sid = MessageStatus.ACCEPTED, held
    session.commit()
    _crashed_while_sending(session, second, seconds_ago=20)
    # One candidate is left once the SID another row holds is skipped.
    report = run_sweep(app, session, backend)
    assert report.reconciled == 1 and not report.failed_steps
    session.refresh(second)
    assert second.twilio_sid == unknown and second.status == MessageStatus.ACCEPTED


def test_an_ambiguous_reconciliation_waits_for_an_admin(app, session):
    participant = _participant(session)
    row = _queue(session, participant, body="Same words")
    backend = get_backend(app)
    backend.send(participant.phone, "Same words", "", 600)
    backend.send(participant.phone, "Same words", "", 600)
    _crashed_while_sending(session, row, seconds_ago=20)
    report = run_sweep(app, session, backend)
    assert not report.failed_steps
    session.refresh(row)
    assert row.needs_review and row.twilio_sid is None and row.status == MessageStatus.SENDING
    assert "check before resending" in row.error_message
    # It is not reconciled again, nor resent, by later sweeps.
    run_sweep(app, session, backend, now=utcnow() + timedelta(minutes=10))
    run_jobs(app)
    assert len(backend.sent) == 2


def test_a_send_left_by_a_dead_worker_is_settled_without_waiting_minutes(app, session):
    row = _queue(session, _participant(session))
    timeout = app.extensions["paceline.settings"].twilio_http_timeout
    # Its worker was killed: once an HTTP call could have ended, it is settled, not in minutes.
    _crashed_while_sending(session, row, seconds_ago=timeout + 6)
    report = run_sweep(app, session, get_backend(app))
    assert report.reconciled == 1 and report.enqueued == 1, report
    run_jobs(app)
    session.refresh(row)
    assert row.status == MessageStatus.SENT and len(get_backend(app).sent) == 1


def test_status_only_moves_forward(app, session, twilio_post):
    row = _queue(session, _participant(session))
    run_jobs(app)
    session.refresh(row)
    for word in ("delivered", "sent", "queued"):
        params = {"MessageSid": row.twilio_sid, "MessageStatus": word}
        assert twilio_post(f"/twilio/status?outbound={row.id}", params).status_code == 204
    session.expire_all()
    assert session.get(OutboundMessage, row.id).status == MessageStatus.DELIVERED
