"""What the per-text and per-tick queries cost at a million rows (issue 13, item 5).

With the million members of the herd bench enrolled, one row per member is added (in SQL, by
INSERT ... SELECT) to prompts, outbound messages, ratings and alerts, so each table holds at
least 1,000,000 rows; then each query a text or a tick runs against one member is timed over
200 random members (median and 99th percentile, in ms). PostgreSQL only: the SQLite bench
stops at the herd.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select, text

from service.care.alert_rules import _recent_alert
from service.conversation.inbound import sender_state
from service.models import AlertKind, OutboundMessage, Participant, Prompt
from service.platform.db import utcnow
from service.programme.reminders import cancel_reminder

SAMPLES = 200
FILL = """
INSERT INTO prompts (participant_id, slot_key, kind, expecting, status, scheduled_for, sent_at,
                     window_ends_at, created_at)
  SELECT id, 'cost', 'checkin_both', 'checkin', 'answered', :at, :at, :at, :at FROM participants;
INSERT INTO outbound_messages (participant_id, to_phone, body, kind, channel, status, attempts,
                               segments, created_at, updated_at, prompt_id)
  SELECT p.participant_id, '+10000000000', 'x', 'reminder', 'api', 'sent', 1, 1, :at, :at, p.id
  FROM prompts p WHERE p.slot_key = 'cost';
INSERT INTO observations (participant_id, kind, value, recorded_at, late)
  SELECT id, 'pain', 5, :at, false FROM participants;
INSERT INTO alerts (group_id, participant_id, kind, detail, created_at)
  SELECT group_id, id, 'high_pain', 'pain 8/10', :at FROM participants;
ANALYZE prompts; ANALYZE outbound_messages; ANALYZE observations; ANALYZE alerts;
"""


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def rows(session) -> list[str]:  # type: ignore[no-untyped-def]
    """Fill the tables beside the enrolled members and time each query; the caller clears."""
    if session.get_bind().dialect.name != "postgresql":
        return ["| queries at a million rows | - | not run: PostgreSQL only | |"]
    at = utcnow() - timedelta(days=2)
    for statement in FILL.split(";"):
        if statement.strip():
            session.execute(text(statement), {"at": at} if ":at" in statement else {})
    session.commit()
    sizes = {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (Participant, Prompt, OutboundMessage)
    }
    people = session.execute(select(Participant.id, Participant.phone)).all()
    sample = random.Random(13).sample(people, SAMPLES)
    now = utcnow()
    queries: dict[str, Callable[[int, str], object]] = {
        "the webhook's read (member by phone, open prompt, waiting survey)": lambda _pid, phone: (
            sender_state(session, phone, now)
        ),
        "a queued reminder suppressed (outbox by prompt)": lambda pid, _phone: cancel_reminder(
            session, session.scalar(select(Prompt).where(Prompt.participant_id == pid).limit(1))
        ),
        "the alert rules' one-a-day check (alerts by member and kind)": lambda pid, _phone: (
            _recent_alert(session, session.get(Participant, pid), AlertKind.HIGH_PAIN, now)
        ),
        "the rules' 14-day baseline (ratings by member, kind and time)": lambda pid, _phone: (
            session.execute(
                text(
                    "SELECT value, recorded_at FROM observations WHERE participant_id = :p "
                    "AND kind = 'pain' AND recorded_at >= :since"
                ),
                {"p": pid, "since": now - timedelta(days=14)},
            ).all()
        ),
        "a member's prompts for the member page (prompts by member and time)": lambda pid, _p: (
            session.execute(
                select(Prompt.id).where(Prompt.participant_id == pid, Prompt.sent_at >= at)
            ).all()
        ),
    }
    out = []
    load = (f"{sizes['participants']:,} members, {sizes['prompts']:,} prompts, "
            f"{sizes['outbound_messages']:,} outbox rows, 1,000,000+ ratings and alerts")  # fmt: skip
    for label, query in queries.items():
        timings = []
        for pid, phone in sample:
            timings.append(_timed(lambda q=query, pid=pid, phone=phone: q(pid, phone)))
            session.rollback()  # each as its own transaction, nothing kept
        ordered = sorted(timings)
        out.append(
            f"| {label} | {load} | median {statistics.median(ordered):.2f} ms, p99 "
            f"{ordered[int(0.99 * len(ordered)) - 1]:.2f} ms over {SAMPLES} members | |"
        )
    return out
