"""`make bench`: parser and crisis-detector throughput, inbound webhook latency, outbox send
throughput, the planner tick, sending at the sender's rate (pacing), and last the scale-out
across three network-namespace hosts (bench/scale_out.py: its own PostgreSQL and Redis; it
says why when it cannot run, e.g. without root).

Runs on SQLite and the embedded Redis in a scratch directory unless DATABASE_URL/REDIS_URL
are set. Every loop is bounded. Prints a Markdown table to paste into docs/scaling.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from rq import SimpleWorker
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bench.herd import enrolment_wave, herd
from bench.pages import rows as page_rows
from bench.parser import rows as parser_rows
from bench.scale_out import rows as scale_out_rows
from bench.sending import bench_pacing, bench_send_path
from bench.webhook_load import rows as webhook_load_rows
from jobs.cli import WORKER_QUEUES
from service import create_app
from service.commands.cli import upgrade_database
from service.messaging.outbox import queue_message
from service.models import Group, Participant, ParticipantStatus
from service.platform.db import db
from service.platform.redis_conn import get_redis, stop_embedded_redis

REPLIES = ["6", "pain 6 mood 4", "about a 5 I think", "STOP", "DONE", "pause 3",
           "called my friend today, felt good", "7/10", "I want to die", "my back is killing me"]  # fmt: skip
TOKEN = "0123456789abcdef0123456789abcdef"
# (MPS, members, worker processes, seconds at most): a long code, and a short code's rate.
PACING_RUNS = ((1, 2000, 2, 60), (20, 2000, 8, 40), (100, 2000, 24, 40))
BASE = "https://bench.example.org"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_webhook(app, n: int = 500) -> str:
    app.extensions["paceline.sms"].stream = open(os.devnull, "w")  # the replies, not printed
    client = app.test_client()
    validator = RequestValidator(TOKEN)
    timings = []
    for i in range(n):
        params = {
            "MessageSid": f"SM{i:032x}",
            "From": f"+1202555{i % 200:04d}",
            "To": "+15005550006",
            "Body": REPLIES[i % len(REPLIES)],
            "NumMedia": "0",
        }
        sig = validator.compute_signature(BASE + "/twilio/inbound", params)
        start = time.perf_counter()
        response = client.post("/twilio/inbound", data=params, headers={"X-Twilio-Signature": sig})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return (
        f"| POST /twilio/inbound | {n} signed texts, 200 participants | "
        f"p50 {statistics.median(timings):.1f} ms, p95 {pct(timings, 0.95):.1f} ms, "
        f"max {max(timings):.1f} ms | Twilio allows 15 s |"
    )


def bench_outbox(app, n: int = 1000) -> str:
    session = db.session()
    people = session.scalars(select(Participant)).all()
    start = time.perf_counter()
    for i in range(n):
        queue_message(
            session,
            body="Time for a 2-minute pacing break.",
            kind="prompt",
            participant=people[i % len(people)],
        )
    session.commit()
    queued = time.perf_counter() - start
    app.extensions["paceline.sms"].stream = open(os.devnull, "w")
    start = time.perf_counter()
    SimpleWorker(list(WORKER_QUEUES), connection=get_redis(app)).work(burst=True)
    sent = time.perf_counter() - start
    return (
        f"| outbox: queue + commit + enqueue | {n} messages | {n / queued:,.0f} msgs/s | |\n"
        f"| outbox: one worker sends (console backend) | {n} messages | {n / sent:,.0f} msgs/s | "
        f"{sent / n * 1000:.1f} ms each: claim, consent check, send, store SID |"
    )


def bench_planner(app, enrolled: int, due: int) -> str:
    """Tick cost with `enrolled` active people of whom `due` need planning and sending now."""
    from datetime import timedelta

    from sqlalchemy import delete, update

    from service.models import OutboundMessage, Prompt
    from service.platform.db import utcnow
    from service.programme.dispatch import tick

    session = db.session()
    session.execute(delete(OutboundMessage))
    session.execute(delete(Prompt))
    session.execute(delete(Participant))
    session.commit()
    noon = utcnow().replace(hour=16, minute=0, second=0, microsecond=0)  # 11:00 in New York
    group = session.scalars(select(Group)).first()
    later = noon + timedelta(days=30)
    session.add_all(
        Participant(
            group=group,
            phone=f"+1303555{i:04d}",
            status=ParticipantStatus.ACTIVE,
            next_plan_at=noon if i < due else later,
        )
        for i in range(enrolled)
    )
    session.commit()
    session.expunge_all()  # a tick starts from an empty session, as in the clock's job
    settings = app.extensions["paceline.settings"]
    start = time.perf_counter()
    first = tick(session, settings, noon)
    plan_seconds = time.perf_counter() - start
    # A quiet tick a minute later: nothing due, everyone enrolled.
    session.execute(update(Participant).values(next_plan_at=later))
    session.commit()
    start = time.perf_counter()
    tick(session, settings, noon + timedelta(minutes=1))
    idle_ms = (time.perf_counter() - start) * 1000
    return (
        f"| planner tick | {enrolled:,} enrolled, {due} due | {plan_seconds * 1000:.0f} ms "
        f"({first.planned} slots planned, {first.sent} sent); next idle tick {idle_ms:.1f} ms | |"
    )


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="plb-"))
    env = {
        "PACELINE_ENV": "test",
        "INSTANCE_PATH": str(scratch),
        "LOG_LEVEL": "ERROR",
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": BASE,
        "TWILIO_SENDER_MPS": "0",  # the worker's own speed; the pacing rows set their rate
    }
    env.setdefault(
        "DATABASE_URL", os.environ.get("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    )
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    app = create_app(env)
    upgrade_database(app)
    rows = ["| what | load | result | note |", "|---|---|---|---|", *parser_rows()]
    try:
        with app.app_context():
            session = db.session()
            group = Group(name="bench", timezone="America/New_York")
            session.add(group)
            for i in range(200):
                session.add(
                    Participant(
                        group=group, phone=f"+1202555{i:04d}", status=ParticipantStatus.ACTIVE
                    )
                )
            session.commit()
            rows.append(bench_webhook(app))
            rows.append(bench_outbox(app))
            rows.append(bench_planner(app, enrolled=500, due=50))
            rows.append(bench_planner(app, enrolled=5000, due=50))
            rows.append(herd(app, enrolled=100_000, due=10_000))
            rows.append(herd(app, enrolled=1_000_000, due=10_000, replanning=True))
            rows.append(herd(app, enrolled=100_000, due=20_000, kind="checkin_both"))
            rows.append(enrolment_wave(app, enrolled=100_000, new=10_000))
            rows.extend(page_rows(app))
            rows.extend(webhook_load_rows(app, env))
        rows.append(bench_send_path(env))
        for mps, members, workers, window in PACING_RUNS:
            rows.append(bench_pacing(env, mps, members, workers, window))
    finally:
        if not os.environ.get("REDIS_URL"):
            stop_embedded_redis(scratch)
        shutil.rmtree(scratch, ignore_errors=True)
    rows.extend(scale_out_rows())
    db_name = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"\nPaceline bench on {db_name}, {os.cpu_count()} cores\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
