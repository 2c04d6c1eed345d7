"""Losing Redis loses nothing: the sweep finds due outbox rows and queues them again."""

from __future__ import annotations

from sqlalchemy import select

from jobs.sweeps import run_sweep
from service.messaging.outbox import queue_message
from service.messaging.sms import get_backend
from service.models import Group, MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.redis_conn import get_redis
from tests.conftest import run_jobs


def test_rows_survive_redis_losing_everything(app, session):
    group = Group(name="G", timezone="UTC")
    people = [
        Participant(group=group, phone=f"+1208555{n:04d}", status=ParticipantStatus.ACTIVE)
        for n in range(140, 150)
    ]
    session.add_all([group, *people])
    session.commit()
    for p in people:
        queue_message(session, body="Breathe in for 4, out for 6.", kind="prompt", participant=p)
    session.commit()

    get_redis(app).flushall()  # Redis restarted empty: every queued job is gone
    run_jobs(app)
    assert get_backend(app).sent == []

    report = run_sweep(app, session, get_backend(app))
    assert report.enqueued == 10
    assert run_sweep(app, session, get_backend(app)).enqueued == 0  # jobs are live: not twice
    run_jobs(app)
    session.expire_all()
    statuses = {m.status for m in session.scalars(select(OutboundMessage))}
    assert statuses == {MessageStatus.SENT}
    assert len(get_backend(app).sent) == 10


def test_sweep_with_redis_down_does_not_raise_or_lose_rows(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        from service.platform.db import db

        session = db.session()
        group = Group(name="G", timezone="UTC")
        p = Participant(group=group, phone="+12085550143", status=ParticipantStatus.ACTIVE)
        session.add_all([group, p])
        session.commit()
        queue_message(session, body="hello", kind="prompt", participant=p)
        session.commit()  # the after-commit enqueue fails quietly
        assert run_sweep(app, session, get_backend(app)).enqueued == 0
        assert session.scalar(select(OutboundMessage)).status == MessageStatus.QUEUED
