"""A herd of due prompts at a programme's size: `enrolled` active members (seeded in bulk, not
through the ORM) of whom `due` have a prompt due this minute; one planner tick is timed.

What it shows: whether every due prompt is handed to the send queue inside the minute, and
that the cost follows what is due, not who is enrolled (the same `due` at 10x the enrolled).
Bounded: one tick per row; the members and prompts are deleted afterwards.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import delete, insert, select, text

from service.models import (
    Group,
    NumberStatus,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.platform.db import db, utcnow
from service.programme.dispatch import tick

CHUNK = 20_000


def _phone(i: int) -> str:
    """Valid +1 303 numbers, 10,000 per exchange from 555 up."""
    return f"+1303{200 + i // 10_000:03d}{i % 10_000:04d}"


def _clear(session) -> None:  # type: ignore[no-untyped-def]
    for model in (OutboundMessage, Prompt, Participant):
        session.execute(delete(model))
    session.commit()


def herd(app, enrolled: int, due: int) -> str:  # type: ignore[no-untyped-def]
    session = db.session()
    _clear(session)
    group = session.scalars(select(Group)).first()
    now = utcnow().replace(hour=16, minute=0, second=0, microsecond=0)  # 11:00 in New York
    later = now + timedelta(days=3)
    seed_start = time.perf_counter()
    for start in range(0, enrolled, CHUNK):
        session.execute(insert(Participant), [
            {"group_id": group.id, "phone": _phone(i), "name": "", "language": "en",
             "status": ParticipantStatus.ACTIVE, "number_status": NumberStatus.OK,
             "plan_epoch": 0, "next_plan_at": later}
            for i in range(start, min(enrolled, start + CHUNK))
        ])  # fmt: skip
        session.commit()
    ids = list(session.scalars(select(Participant.id).order_by(Participant.id).limit(due)))
    session.execute(insert(Prompt), [
        {"participant_id": pid, "slot_key": "herd", "kind": "pacing",
         "status": PromptStatus.PLANNED, "scheduled_for": now - timedelta(seconds=20)}
        for pid in ids
    ])  # fmt: skip
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE participants; ANALYZE prompts"))
        session.commit()
    seeded = time.perf_counter() - seed_start
    session.expunge_all()
    start = time.perf_counter()
    report = tick(session, app.extensions["paceline.settings"], now)
    seconds = time.perf_counter() - start
    _clear(session)
    goal = "inside the minute" if seconds < 60 and report.sent == due else "LATE"
    return (f"| planner tick, a herd due at once | {enrolled:,} enrolled, {due:,} due | "
            f"{seconds:.1f} s, {report.sent:,} handed to the send queue ({goal}) | "
            f"seeded in {seeded:.0f} s |")  # fmt: skip
