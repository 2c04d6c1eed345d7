"""Redis flushed, then killed and restarted empty: every due row is re-enqueued within one
sweep, the worker and the clock keep running, and nothing is sent twice."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from jobs.sweeps import run_sweep
from service.messaging.outbox import queue_message
from service.messaging.sms import get_backend
from service.models import Group, MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import db
from tests.conftest import daytime_zone, twilio_env
from tests.faults.conftest import Proc, flask_cmd, service_env, wait_until

SETTLED = {MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.DELIVERED}

pytestmark = pytest.mark.faults


def test_redis_flushed_and_restarted_empty_loses_nothing(
    postgres_url, base_env, make_app, fake_twilio_auto, own_redis, procs, fault_dir
):
    settings = {**twilio_env(fake_twilio_auto.url), "TWILIO_HTTP_TIMEOUT": "2",
                "REDIS_URL": own_redis.url}  # fmt: skip
    app = make_app(**settings)
    with app.app_context():
        session = db.session()
        group = Group(name="Redis faults", timezone=daytime_zone())
        people = [
            Participant(group=group, phone=f"+1303555{i:04d}", status=ParticipantStatus.ACTIVE)
            for i in range(20)
        ]
        session.add_all([group, *people])
        session.commit()

        def queue(first: int, count: int) -> None:
            for i in range(first, first + count):
                queue_message(session, body=f"Redis fault message {i}", kind="prompt",
                              participant=people[i % 20])  # fmt: skip
            session.commit()

        def waiting() -> int:
            session.expire_all()
            return session.scalar(
                select(func.count(OutboundMessage.id)).where(OutboundMessage.status.not_in(SETTLED))
            )

        # 1. Jobs enqueued, then Redis loses them all before any worker ran.
        queue(0, 100)
        own_redis.client().flushall()
        report = run_sweep(app, session, get_backend(app))
        assert report.enqueued == 100, "every due row is re-enqueued within one sweep"

        env = service_env(base_env, **settings)
        worker = Proc(flask_cmd("worker"), env, fault_dir / "worker.log")
        clock = Proc(flask_cmd("clock"), env, fault_dir / "clock.log")
        procs.extend([worker, clock])
        assert wait_until(lambda: waiting() == 0, 60, every=0.5), "the first 100 did not go out"

        # 2. Redis dies; texts are queued while it is down; it comes back empty.
        own_redis.kill()
        queue(100, 20)  # their after-commit enqueue fails: only the database knows them
        time.sleep(3)
        own_redis.start()
        time.sleep(2)
        assert worker.alive() and clock.alive(), "worker and clock survive a Redis restart"
        # The clock's own sweep (every 15 s) finds them; the worker sends them.
        assert wait_until(lambda: waiting() == 0, 60, every=1.0), (
            "rows queued during the outage were lost"
        )
        assert worker.alive() and clock.alive()

    sends = Counter(m["body"] for m in fake_twilio_auto.accepted)
    assert len(sends) == 120 and max(sends.values()) == 1, "lost or doubled sends"
