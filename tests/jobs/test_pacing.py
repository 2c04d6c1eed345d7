"""Pacing per sender: the shared schedule in real Redis, and real workers sending through the
real twilio client to a loopback Twilio at the configured rate, urgent texts first."""

from __future__ import annotations

import itertools
import time

import pytest
from rq import SimpleWorker
from rq.scheduler import RQScheduler
from sqlalchemy import func, select

from jobs.cli import WORKER_QUEUES
from service.messaging.outbox import queue_message
from service.messaging.pacing import backlog_seconds, reserve
from service.models import Group, MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import db
from service.platform.redis_conn import get_redis
from tests.conftest import twilio_env
from tests.twilio_fake import FakeTwilio, created


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio()
    fake.respond(created("auto"))
    yield fake
    fake.close()


def test_reservations_space_a_sender_and_urgent_texts_do_not_wait(redis_client):
    sender = "+12085550999"
    waits = [reserve(redis_client, sender, 1, 10).wait for _ in range(5)]
    # 10 segments a second: each next slot is 0.1 s after the one before.
    assert waits[0] == pytest.approx(0, abs=0.01)
    for before, after in itertools.pairwise(waits):
        assert after - before == pytest.approx(0.1, abs=0.02)
    # A two-segment text books two slots.
    two = reserve(redis_client, sender, 2, 10).wait
    assert reserve(redis_client, sender, 1, 10).wait - two == pytest.approx(0.2, abs=0.02)
    # An urgent text goes at once, and what follows waits for it too.
    booked = backlog_seconds(redis_client, sender)
    assert reserve(redis_client, sender, 1, 10, urgent=True).wait == 0
    assert backlog_seconds(redis_client, sender) == pytest.approx(booked + 0.1, abs=0.02)
    # Another sender has its own schedule.
    assert reserve(redis_client, "MG" + "0" * 32, 1, 10).wait == pytest.approx(0, abs=0.01)


def _members(session, n: int) -> list[Participant]:
    group = Group(name="Paced", timezone="UTC")
    people = [
        Participant(group=group, phone=f"+1208555{i:04d}", status=ParticipantStatus.ACTIVE)
        for i in range(n)
    ]
    session.add_all([group, *people])
    session.commit()
    return people


def _work_until_sent(app, n: int, limit: float) -> None:
    """Real RQ workers and RQ's scheduler (which brings back texts waiting their turn) until
    `n` texts have left or `limit` seconds pass."""
    deadline = time.monotonic() + limit
    session = db.session()
    connection = get_redis(app)
    while time.monotonic() < deadline:
        # RQ's scheduler, as each long-running worker runs it once a second: due turns move
        # to their queue. (A burst worker's own scheduler would wait for the lock.)
        scheduler = RQScheduler(list(WORKER_QUEUES), connection=connection)
        scheduler.acquire_locks()
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
        SimpleWorker(list(WORKER_QUEUES), connection=connection).work(burst=True)
        session.expire_all()
        left = session.scalar(
            select(func.count(OutboundMessage.id)).where(
                OutboundMessage.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING))
            )
        )
        if not left:
            return
        time.sleep(0.05)
    raise AssertionError(f"{left} of {n} texts still waiting after {limit} s")


def test_a_broadcast_leaves_at_the_senders_rate_and_a_crisis_reply_jumps_the_queue(
    make_app, fake_twilio
):
    mps, n = 20, 60
    app = make_app(**{**twilio_env(fake_twilio.url), "TWILIO_SENDER_MPS": str(mps)})
    with app.app_context():
        session = db.session()
        people = _members(session, n)
        for person in people:
            queue_message(session, body="Group note: no session next week.", kind="broadcast",
                          participant=person)  # fmt: skip
        session.commit()
        crisis = queue_message(session, body="If you are in danger call 988.",
                               kind="crisis_reply", participant=people[-1], urgent=True)  # fmt: skip
        session.commit()
        started = time.monotonic()
        _work_until_sent(app, n + 1, limit=n / mps + 20)
        arrivals = sorted(fake_twilio.arrivals)
        assert len(arrivals) == n + 1  # each text once: none lost, none twice
        bodies = [r["Body"][0] for r in fake_twilio.requests]
        # The crisis reply was queued last and went within the first second, not after 3 s.
        crisis_at = arrivals[bodies.index("If you are in danger call 988.")]
        assert crisis_at - started < 1.0
        # The rate Twilio saw, first to last: within 5% of the configured rate.
        rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
        assert rate == pytest.approx(mps, rel=0.05), f"{rate:.2f} texts/s at {mps} MPS"
        session.expire_all()
        assert session.get(OutboundMessage, crisis.id).status in (
            MessageStatus.SENT, MessageStatus.ACCEPTED)  # fmt: skip


def test_a_text_whose_turn_comes_after_it_expires_is_not_sent(make_app, fake_twilio):
    from datetime import timedelta

    from service.platform.db import utcnow

    app = make_app(**{**twilio_env(fake_twilio.url), "TWILIO_SENDER_MPS": "1"})
    with app.app_context():
        session = db.session()
        (person,) = _members(session, 1)
        from service.messaging.pacing import KEY, sender_key

        settings = app.extensions["paceline.settings"]
        key = KEY.format(sender=sender_key(settings.twilio_messaging_service_sid,
                                           settings.twilio_from_number))  # fmt: skip
        get_redis(app).set(key, f"{time.time() + 600:.6f}")  # the sender is booked 10 min ahead
        row = queue_message(session, body="Time for a pacing break.", kind="prompt",
                            participant=person)  # fmt: skip
        row.expires_at = utcnow() + timedelta(minutes=5)
        session.commit()
        _work_until_sent(app, 1, limit=10)
        session.expire_all()
        row = session.get(OutboundMessage, row.id)
        assert row.status == MessageStatus.SUPPRESSED and "after it expires" in row.error_message
        assert fake_twilio.arrivals == []


def test_texts_behind_a_booked_sender_wait_their_turn_then_leave(make_app, fake_twilio):
    """The sender is booked 3 s ahead: each text is put back until its slot (RQ's scheduler
    brings it back; nothing is sent before the sender is free, nothing twice) and they leave
    at the sender's rate."""
    from service.messaging.pacing import KEY, sender_key

    app = make_app(**{**twilio_env(fake_twilio.url), "TWILIO_SENDER_MPS": "4"})
    with app.app_context():
        session = db.session()
        people = _members(session, 6)
        settings = app.extensions["paceline.settings"]
        key = KEY.format(sender=sender_key(settings.twilio_messaging_service_sid,
                                           settings.twilio_from_number))  # fmt: skip
        booked_until = time.time() + 3
        get_redis(app).set(key, f"{booked_until:.6f}")
        started = time.monotonic()
        for person in people:
            queue_message(session, body="Time for a pacing break.", kind="prompt",
                          participant=person)  # fmt: skip
        session.commit()
        _work_until_sent(app, 6, limit=20)
        arrivals = sorted(fake_twilio.arrivals)
        assert len(arrivals) == 6 and len({r["To"][0] for r in fake_twilio.requests}) == 6
        assert arrivals[0] - started > 2.5  # none before the sender was free
        # A quarter-second apart on average. RQ's scheduler counts whole seconds, so two turns
        # in the same second may come back in either order; the rate over the run holds.
        span = arrivals[-1] - arrivals[0]
        assert span >= 5 * 0.25 * 0.8, [round(b - a, 3) for a, b in itertools.pairwise(arrivals)]
        session.expire_all()
        rows = session.scalars(select(OutboundMessage)).all()
        assert all(r.paced_at is not None and r.attempts == 1 for r in rows)


def test_the_sweep_and_the_planner_tick_do_not_wait_behind_a_broadcast(make_app, fake_twilio):
    """A broadcast keeps the send queue full for as long as it takes at the sender's rate; the
    sweep (crisis escalations, on-call retries) and the tick (prompts falling due) enqueued
    after it must still run at once, not when the last text has left."""
    from rq import Queue

    from jobs.planning import planning_tick
    from jobs.sweeps import sweep

    mps, n = 10, 30
    app = make_app(**{**twilio_env(fake_twilio.url), "TWILIO_SENDER_MPS": str(mps)})
    with app.app_context():
        session = db.session()
        for person in _members(session, n):
            queue_message(session, body="Group note: the room has changed.", kind="broadcast",
                          participant=person)  # fmt: skip
        session.commit()  # 30 send jobs: 3 s at 10 a second
        connection = get_redis(app)
        swept = Queue("maintenance", connection=connection).enqueue(sweep)
        ticked = Queue("default", connection=connection).enqueue(planning_tick)
        _work_until_sent(app, n, limit=n / mps + 20)
        swept.refresh()
        ticked.refresh()
        assert swept.get_status() == "finished" and ticked.get_status() == "finished"
        sent_at = sorted(session.scalars(select(OutboundMessage.sent_at)).all())
        # Both ran before the broadcast was a tenth done (it lasts about 3 s).
        assert swept.ended_at < sent_at[n // 10] and ticked.ended_at < sent_at[n // 10]
