"""kill -9 the worker at 20+ random points while 300 messages go out: nothing lost, nothing
sent twice, everything settled within 60 s of the last kill."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from rq.job import Job
from sqlalchemy import func, select

from jobs.sweeps import run_sweep
from service.messaging.outbox import ALIVE_KEY, ALIVE_SECONDS, queue_message, send_job_id
from service.messaging.sms import get_backend
from service.models import Group, MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import db
from service.platform.redis_conn import get_redis
from tests.conftest import daytime_zone, twilio_env
from tests.faults.conftest import Proc, flask_cmd, one_member, service_env, wait_until
from tests.twilio_fake import FakeTwilio, created

MESSAGES = 300
KILLS = 24
SETTLED = {MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.DELIVERED}

pytestmark = pytest.mark.faults


def test_killing_the_worker_loses_and_doubles_nothing(
    postgres_url, base_env, make_app, fake_twilio_auto, procs, fault_dir
):
    settings = {**twilio_env(fake_twilio_auto.url), "TWILIO_HTTP_TIMEOUT": "2"}
    app = make_app(**settings)
    with app.app_context():
        session = db.session()
        group = Group(name="Faults", timezone=daytime_zone())
        people = [
            Participant(group=group, phone=f"+1208555{i:04d}", status=ParticipantStatus.ACTIVE)
            for i in range(30)
        ]
        session.add_all([group, *people])
        session.commit()
        for i in range(MESSAGES):
            queue_message(
                session, body=f"Fault test message {i}", kind="prompt", participant=people[i % 30]
            )
        session.commit()  # the send jobs are enqueued after this commit

        env = service_env(base_env, **settings)
        worker = Proc(flask_cmd("worker"), env, fault_dir / "worker.log")
        procs.append(worker)
        rng = random.Random(11)
        backend = get_backend(app)
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.1, 0.8))
            worker.kill()  # kill -9 the worker and its work-horse, mid-send or not
            run_sweep(app, session, backend)  # the clock's sweep, as it would run meanwhile
            worker.start()
        last_kill = time.monotonic()

        def settled() -> bool:
            run_sweep(app, session, backend)
            session.expire_all()
            waiting = session.scalar(
                select(func.count(OutboundMessage.id)).where(OutboundMessage.status.not_in(SETTLED))
            )
            return waiting == 0

        assert wait_until(settled, 60, every=1.0), "not every message settled within 60 s"
        took = time.monotonic() - last_kill
        rows = session.scalars(select(OutboundMessage)).all()
        assert len(rows) == MESSAGES and all(r.twilio_sid for r in rows)
        assert not [r.id for r in rows if r.needs_review]
        sends = Counter(m["body"] for m in fake_twilio_auto.accepted)
        doubled = {body: n for body, n in sends.items() if n > 1}
        assert doubled == {}, f"sent twice: {doubled}"
        assert len(sends) == MESSAGES, "a message never reached Twilio"
        assert len({r.twilio_sid for r in rows}) == MESSAGES
        print(f"\n{KILLS} kills; settled {took:.1f} s after the last; 0 lost, 0 doubled")


def test_a_send_left_by_a_killed_worker_goes_once_after_its_execution_expires(
    postgres_url, base_env, make_app, procs, fault_dir
):
    """The worker dies mid-send; two minutes later Redis expires its execution but still lists
    it for a minute more. A sweep then must requeue the text, not fail on RQ's stale entry
    (found by the scale-out bench: each such sweep failed until the listing expired too)."""
    fake = FakeTwilio()
    fake.respond((500, None, 12.0), (*created("auto"), 0.05))  # the first send hangs
    try:
        settings = {**twilio_env(fake.url), "TWILIO_HTTP_TIMEOUT": "2"}
        app = make_app(**settings)
        with app.app_context():
            session = db.session()
            person = one_member(session, "+12085550100")
            row = queue_message(session, body="Orphaned send", kind="prompt", participant=person)
            session.commit()
            worker = Proc(flask_cmd("worker"), service_env(base_env, **settings),
                          fault_dir / "worker.log")  # fmt: skip
            procs.append(worker)
            assert wait_until(lambda: len(fake.requests) == 1, 30), "the worker never sent"
            worker.kill()  # mid-send: Twilio has not taken it
            redis_client = get_redis(app)
            alive = ALIVE_KEY.format(
                Job.fetch(send_job_id(row.id), connection=redis_client).worker_name
            )
            assert wait_until(lambda: not redis_client.exists(alive), ALIVE_SECONDS + 5)

            # A sweep that comes late (its first lookups failed, or no clock ran for two
            # minutes) finds Redis has expired the execution itself (the heartbeat TTL: the job
            # timeout + 60 s) but lists it for 60 s more. That expiry, brought forward:
            listing = f"rq:executions:{send_job_id(row.id)}"
            executions = redis_client.zrange(listing, 0, -1)
            assert executions, "RQ recorded no execution for the killed send"
            for execution in executions:
                redis_client.delete(f"rq:execution:{send_job_id(row.id)}:{execution.decode()}")

            report = run_sweep(app, session, get_backend(app))  # the send's timeout has passed
            assert report.failed_steps == []
            assert report.reconciled == 1 and report.enqueued == 1

            worker.start()

            def sent() -> bool:
                session.expire_all()
                return session.get(OutboundMessage, row.id).status in SETTLED

            assert wait_until(sent, 30), "the requeued text was never sent"
            assert [m["body"] for m in fake.accepted] == ["Orphaned send"]
    finally:
        fake.close()
