"""Sending figures, with real worker processes (`flask --app wsgi worker`) and the real twilio
client against a loopback Twilio that answers after 150 ms, as the real round trip does.

- Send path: the project's workers against a plain loop of the twilio client at the same
  concurrency (threads), pacing off: the ratio of messages a second Twilio saw.
- Pacing: a group note at TWILIO_SENDER_MPS, the loopback Twilio answering 429 / 20429 to
  any second in which the sender is handed more than its rate: the rate Twilio saw against
  the configured one, the rate errors and the duplicates.

Every run is bounded by its `window` in seconds.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from rq import Queue
from sqlalchemy import delete, func, select
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from jobs.cli import WORKER_QUEUES
from service import create_app
from service.messaging.outbox import ALIVE_KEY, queue_message
from service.messaging.pacing import KEY
from service.models import Group, MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import db
from service.platform.redis_conn import get_redis
from tests.twilio_fake import FakeTwilio, created

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_SID = "AC" + "0" * 31 + "1"
FROM = "+15005550006"
LATENCY = 0.150
SEND_GOAL = 0.8  # the project's workers against the plain loop (issue 13)


def _rate(arrivals: list[float]) -> float:
    ordered = sorted(arrivals)
    return (len(ordered) - 1) / (ordered[-1] - ordered[0]) if len(ordered) > 1 else 0.0


def _run_workers(env: dict[str, str], fake: FakeTwilio, mps: float, members: int,
                 workers: int, window: float) -> None:  # fmt: skip
    """Queue a note to `members`, start `workers` worker processes, wait until all have left
    or `window` seconds pass, then stop the workers."""
    settings = {
        **env, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_FROM_NUMBER": FROM, "TWILIO_API_BASE_URL": fake.url,
        "TWILIO_SENDER_MPS": f"{mps:g}", "LOG_LEVEL": "ERROR",
    }  # fmt: skip
    app = create_app(settings)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with app.app_context():
            get_redis(app).delete(KEY.format(sender=FROM))  # a fresh sender
            for name in WORKER_QUEUES:  # jobs of rows the earlier benches deleted
                Queue(name, connection=get_redis(app)).empty()
            for stale in get_redis(app).keys(ALIVE_KEY.format("*")):  # an earlier run's workers
                get_redis(app).delete(stale)
            session = db.session()
            session.execute(delete(OutboundMessage))
            session.execute(delete(Participant))
            session.commit()
            group = session.scalars(select(Group)).first() or Group(name="bench", timezone="UTC")
            group.timezone = "UTC"
            people = [
                Participant(group=group, phone=f"+1415{i:07d}", status=ParticipantStatus.ACTIVE,
                            quiet_start="00:00", quiet_end="00:01")
                for i in range(members)
            ]  # fmt: skip
            session.add_all([group, *people])
            session.commit()
            argv = [sys.executable, "-m", "flask", "--app", "wsgi", "worker"]
            procs = [
                subprocess.Popen(
                    argv,
                    cwd=ROOT,
                    env={**os.environ, **settings},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(workers)
            ]
            # The note goes to a running deployment: every worker up (heartbeating) first.
            redis = get_redis(app)
            started = time.monotonic() + 60
            while time.monotonic() < started and len(redis.keys(ALIVE_KEY.format("*"))) < workers:
                time.sleep(0.2)
            for person in people:
                queue_message(session, body="Group note: no session next week. Take care!",
                              kind="group_note", participant=person)  # fmt: skip
            session.commit()  # the send jobs are enqueued here
            waiting = select(func.count(OutboundMessage.id)).where(
                OutboundMessage.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING))
            )
            deadline = time.monotonic() + window
            while time.monotonic() < deadline:
                time.sleep(0.5)
                session.expire_all()
                if not session.scalar(waiting):
                    break
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)


def plain_loop_rate(messages: int, concurrency: int) -> float:
    """The twilio client alone: `concurrency` threads, one client (pooled session) each."""
    fake = FakeTwilio()
    fake.respond((*created("auto"), LATENCY))

    def run(share: int, offset: int) -> None:
        client = Client(ACCOUNT_SID, "0" * 32, http_client=TwilioHttpClient(timeout=10))
        client.api.base_url = fake.url
        for i in range(share):
            client.messages.create(to=f"+1415{offset + i:07d}", from_=FROM, body="Group note.")

    share = messages // concurrency
    threads = [threading.Thread(target=run, args=(share, k * share)) for k in range(concurrency)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        return _rate(fake.arrivals)
    finally:
        fake.close()


def bench_send_path(env: dict[str, str], messages: int = 800, concurrency: int = 8) -> str:
    """The project's send path against the plain loop, pacing off, at equal concurrency."""
    plain = plain_loop_rate(messages, concurrency)
    fake = FakeTwilio()
    fake.respond((*created("auto"), LATENCY))
    try:
        _run_workers(env, fake, 0, messages, concurrency, window=120)
        ours = _rate(fake.arrivals)
        sent = len(fake.accepted)
    finally:
        fake.close()
    ratio = ours / plain if plain else 0.0
    return (
        f"| send path: {concurrency} worker processes against {concurrency} threads of the plain "
        f"twilio client | {messages} texts, 150 ms Twilio, pacing off ({sent} sent) | "
        f"{ours:.1f} against {plain:.1f} msgs/s: ratio {ratio:.2f} (goal >= {SEND_GOAL}) | |"
    )


def bench_pacing(env: dict[str, str], mps: float, members: int, workers: int,
                 window: float) -> str:  # fmt: skip
    """A note to `members` at `mps`, measured for at most `window` seconds."""
    fake = FakeTwilio(carrier_mps=mps)
    fake.respond((*created("auto"), LATENCY))
    try:
        _run_workers(env, fake, mps, members, workers, window)
    finally:
        fake.close()
    arrivals = sorted(fake.arrivals)
    if os.environ.get("PACING_DEBUG"):
        print([round(b - a, 3) for a, b in itertools.pairwise(arrivals)])
    rate = _rate(arrivals)
    sent = len(fake.accepted)
    twice = sum(c - 1 for c in Counter(m["to"] for m in fake.accepted).values() if c > 1)
    return (
        f"| pacing: a note to {members:,} members at TWILIO_SENDER_MPS={mps:g} | {workers} worker "
        f"processes, 150 ms Twilio, {window:.0f} s at most | {rate:.2f} texts/s handed over "
        f"({rate / mps:.3f}x the configured rate; goal within 5%), {sent:,} sent, "
        f"{fake.rate_errors} rate errors (429/20429), {twice} duplicates | |"
    )
