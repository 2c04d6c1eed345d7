"""A herd of due prompts at a programme's size: `enrolled` active members (seeded in bulk, not
through the ORM) of whom `due` have a prompt due this minute; one planner tick is timed.

What it shows: whether every due prompt is handed to the send queue inside the minute, and
that the cost follows what is due, not who is enrolled (the same `due` at 10x the enrolled);
that 20,000 fixed-time check-ins due in one minute are all sent and none dropped as stale;
that 10,000 people enrolled at once are planned within two ticks (two minutes); and that at
a million active the replanning each minute needs (every member every 12 hours: 1,389 a
minute) fits in one tick, so the backlog does not grow.
Bounded: a fixed number of ticks per row; the members and prompts are deleted afterwards.
"""

from __future__ import annotations

import time
from datetime import timedelta

from rq import Queue
from sqlalchemy import delete, func, insert, select, text, update

from bench.query_costs import rows as query_cost_rows
from service.messaging.outbox import SMS_QUEUE
from service.models import (
    Alert,
    Group,
    NumberStatus,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.platform.db import db, utcnow
from service.platform.redis_conn import get_redis
from service.programme.dispatch import tick

CHUNK = 20_000


def _phone(i: int) -> str:
    """Valid +1 303 numbers, 10,000 per exchange from 555 up."""
    return f"+1303{200 + i // 10_000:03d}{i % 10_000:04d}"


def _clear(session) -> None:  # type: ignore[no-untyped-def]
    for model in (Alert, Observation, OutboundMessage, Prompt, Participant):
        session.execute(delete(model))
    session.commit()


NOON = 16  # 11:00 in New York, the bench group's zone: inside every quiet-hours rule
REPLAN_PER_MINUTE = -(-1_000_000 // (12 * 60))  # a million members, each every 12 hours


def _seed(session, enrolled: int, later) -> Group:  # type: ignore[no-untyped-def]
    group = session.scalars(select(Group)).first()
    for start in range(0, enrolled, CHUNK):
        session.execute(insert(Participant), [
            {"group_id": group.id, "phone": _phone(i), "name": "", "language": "en",
             "status": ParticipantStatus.ACTIVE, "number_status": NumberStatus.OK,
             "plan_epoch": 0, "next_plan_at": later}
            for i in range(start, min(enrolled, start + CHUNK))
        ])  # fmt: skip
        session.commit()
    return group


def _analyze(session) -> None:  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE participants; ANALYZE prompts"))
        session.commit()


def herd(app, enrolled: int, due: int, kind: str = "pacing", replanning: bool = False) -> str:  # type: ignore[no-untyped-def]
    """`due` prompts of `kind` due this minute among `enrolled`; with `replanning`, also the
    next minute's share of a million members' replanning (REPLAN_PER_MINUTE)."""
    session = db.session()
    _clear(session)
    now = utcnow().replace(hour=NOON, minute=0, second=0, microsecond=0)
    later = now + timedelta(days=3)
    seed_start = time.perf_counter()
    _seed(session, enrolled, later)
    ids = list(session.scalars(select(Participant.id).order_by(Participant.id).limit(due)))
    expecting = "checkin" if kind.startswith("checkin") else None
    session.execute(insert(Prompt), [
        {"participant_id": pid, "slot_key": "herd", "kind": kind, "expecting": expecting,
         "status": PromptStatus.PLANNED, "scheduled_for": now - timedelta(seconds=20)}
        for pid in ids
    ])  # fmt: skip
    session.commit()
    _analyze(session)
    seeded = time.perf_counter() - seed_start
    session.expunge_all()
    settings = app.extensions["paceline.settings"]
    start = time.perf_counter()
    report = tick(session, settings, now)
    seconds = time.perf_counter() - start
    jobs = _send_jobs(app)
    goal = (
        "inside the minute, none dropped"
        if seconds < 60 and report.sent == due == jobs and report.cancelled == 0
        else "NOT MET"
    )
    out = (f"| planner tick, {kind} due at once | {enrolled:,} enrolled, {due:,} due | "
           f"one tick {seconds:.2f} s ({'under' if seconds < 1 else 'over'} the 1 s goal), "
           f"{report.sent:,} sent and their {jobs:,} send jobs queued, {report.cancelled} "
           f"cancelled ({goal}) | seeded in {seeded:.0f} s |")  # fmt: skip
    if replanning:
        out += "\n" + _replan_minute(session, settings, now + timedelta(minutes=1), enrolled)
        out += "\n" + "\n".join(query_cost_rows(session))
    _clear(session)
    return out


def _send_jobs(app) -> int:  # type: ignore[no-untyped-def]
    """How many send jobs the tick queued; the queue is emptied after, since the herd's rows
    are deleted and no worker is to send them."""
    sends = Queue(SMS_QUEUE, connection=get_redis(app))
    jobs = sends.count
    sends.empty()
    return jobs


def _replan_minute(session, settings, now, enrolled: int) -> str:  # type: ignore[no-untyped-def]
    """The members whose 12-hour replanning falls in this minute at a million: one tick."""
    due = min(REPLAN_PER_MINUTE, enrolled)
    ids = select(Participant.id).order_by(Participant.id.desc()).limit(due).scalar_subquery()
    session.execute(update(Participant).where(Participant.id.in_(ids)).values(next_plan_at=now))
    session.commit()
    session.expunge_all()
    start = time.perf_counter()
    report = tick(session, settings, now)
    seconds = time.perf_counter() - start
    left = session.scalar(
        select(func.count()).select_from(Participant).where(Participant.next_plan_at <= now)
    )
    goal = "the backlog does not grow" if left == 0 and seconds < 60 else "NOT MET"
    return (f"| replanning at a million | {enrolled:,} enrolled, {due:,} due to be replanned "
            f"this minute | one tick {seconds:.1f} s, {report.planned:,} slots planned, {left} "
            f"left waiting ({goal}) | |")  # fmt: skip


def enrolment_wave(app, enrolled: int, new: int = 10_000, ticks: int = 4) -> str:  # type: ignore[no-untyped-def]
    """`new` members enrolled at once among `enrolled`: ticks a minute apart until all are
    planned (at most `ticks`); the goal is all of them within two minutes."""
    session = db.session()
    _clear(session)
    now = utcnow().replace(hour=NOON, minute=0, second=0, microsecond=0)
    _seed(session, enrolled, now + timedelta(days=3))
    fresh = select(Participant.id).order_by(Participant.id).limit(new).scalar_subquery()
    session.execute(update(Participant).where(Participant.id.in_(fresh)).values(next_plan_at=now))
    session.commit()
    _analyze(session)
    session.expunge_all()
    settings = app.extensions["paceline.settings"]
    waiting = new
    used, seconds, planned = 0, 0.0, 0
    while waiting and used < ticks:
        at = now + timedelta(minutes=used)
        start = time.perf_counter()
        planned += tick(session, settings, at).planned
        seconds += time.perf_counter() - start
        used += 1
        waiting = session.scalar(
            select(func.count()).select_from(Participant).where(Participant.next_plan_at <= at)
        )
    _clear(session)
    goal = "within 2 minutes" if not waiting and used <= 2 else "NOT MET"
    return (f"| {new:,} enrolled at once | {enrolled:,} enrolled | all planned in {used} "
            f"tick(s), {seconds:.1f} s of planning, {planned:,} slots, {waiting} waiting "
            f"({goal}) | {new / seconds:,.0f} members planned a second |")  # fmt: skip
