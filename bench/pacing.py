"""Pacing figures: a group broadcast sent by real worker processes (`flask --app wsgi worker`)
through the real twilio client to a loopback Twilio that answers after 150 ms, as the real
round trip does, and refuses (429 / 20429) any second in which a sender is handed more than
its rate. Reports the rate Twilio saw against the configured TWILIO_SENDER_MPS, the rate
errors and the duplicates. Every run is bounded by `window` seconds.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import delete, func, select

from service import create_app
from service.messaging.outbox import queue_message
from service.messaging.pacing import KEY
from service.models import Group, MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import db
from service.platform.redis_conn import get_redis
from tests.twilio_fake import FakeTwilio, created

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_SID = "AC" + "0" * 31 + "1"


def bench_pacing(env: dict[str, str], mps: float, members: int, workers: int,
                 window: float) -> str:  # fmt: skip
    """Queue a note to `members`, start `workers` worker processes, measure for `window` s."""
    fake = FakeTwilio(carrier_mps=mps)
    fake.respond((*created("auto"), 0.150))
    settings = {
        **env, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_FROM_NUMBER": "+15005550006", "TWILIO_API_BASE_URL": fake.url,
        "TWILIO_SENDER_MPS": f"{mps:g}", "LOG_LEVEL": "ERROR",
    }  # fmt: skip
    app = create_app(settings)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with app.app_context():
            session = db.session()
            get_redis(app).delete(KEY.format(sender="+15005550006"))  # a fresh sender
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
            for person in people:
                queue_message(session, body="Group note: no session next week. Take care!",
                              kind="group_note", participant=person)  # fmt: skip
            session.commit()  # the send jobs are enqueued here
            child_env = {**os.environ, **settings}
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                    cwd=ROOT,
                    env=child_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(workers)
            ]
            deadline = time.monotonic() + window
            while time.monotonic() < deadline:
                time.sleep(0.5)
                session.expire_all()
                left = session.scalar(
                    select(func.count(OutboundMessage.id)).where(
                        OutboundMessage.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING))
                    )
                )
                if not left:
                    break
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)
        fake.close()
    arrivals = sorted(fake.arrivals)
    if os.environ.get("PACING_DEBUG"):
        print([round(b - a, 3) for a, b in itertools.pairwise(arrivals)])
    sent = len(arrivals) - fake.rate_errors
    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
    twice = sum(c - 1 for c in Counter(m["to"] for m in fake.accepted).values() if c > 1)
    return (
        f"| pacing: a note to {members:,} members at TWILIO_SENDER_MPS={mps:g} | {workers} worker "
        f"processes, 150 ms Twilio, {window:.0f} s at most | {rate:.2f} texts/s handed over "
        f"({rate / mps:.3f}x the configured rate; goal within 5%), {sent:,} sent, "
        f"{fake.rate_errors} rate errors (429/20429), {twice} duplicates | |"
    )
