"""Pages at a clinic's size: the clinician dashboard and a member page for a group of 2,000
members with 90 days of logs (two check-ins a day, four in five answered), served by the Flask
test client (the application's own cost, no network). Reports the median of five loads after
a warm-up, and the SQL statements each page ran.
"""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, event, insert, select, text

from service.models import (
    Group,
    Observation,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    StaffUser,
)
from service.platform.db import db, utcnow
from service.staff.auth import create_user

GOAL_MS = 300  # issue 13: the dashboard for 2,000 members with 90 days of logs
PASSWORD = "bench password 1"
NAME = "Clinic-size group"


def seed(members: int = 2000, days: int = 90) -> Group:
    """A group of `members` with `days` of prompts and logs, inserted in bulk."""
    session = db.session()
    for old in session.scalars(select(Group).where(Group.name == NAME)):  # an earlier run
        session.execute(delete(Participant).where(Participant.group_id == old.id))
        session.delete(old)
    session.commit()
    group = Group(name=NAME, timezone="America/New_York")
    session.add(group)
    session.flush()
    session.execute(
        insert(Participant),
        [{"group_id": group.id, "phone": f"+1628{i:07d}", "name": f"Member {i}",
          "status": ParticipantStatus.ACTIVE, "language": "en"} for i in range(members)],
    )  # fmt: skip
    ids = session.scalars(select(Participant.id).where(Participant.group_id == group.id)).all()
    now = utcnow()
    prompts, observations = [], []
    for n, pid in enumerate(ids):
        for day in range(days):
            for slot, hour in enumerate((14, 23)):  # 10:00 and 19:00 in New York
                at = (now - timedelta(days=day)).replace(hour=hour, minute=0, second=0)
                answered = (n + day + slot) % 5 != 0
                prompts.append({
                    "participant_id": pid, "slot_key": f"b-{day}-{slot}", "kind": "checkin_both",
                    "expecting": "checkin", "scheduled_for": at, "sent_at": at,
                    "status": PromptStatus.ANSWERED if answered else PromptStatus.MISSED,
                    "answered_at": at + timedelta(minutes=20) if answered else None,
                })  # fmt: skip
                if answered:
                    for kind, value in (("pain", 3 + (n + day) % 6), ("mood", 2 + (n * day) % 7)):
                        observations.append({"participant_id": pid, "kind": kind, "value": value,
                                             "recorded_at": at + timedelta(minutes=20)})  # fmt: skip
    for table, rows in ((Prompt, prompts), (Observation, observations)):
        for start in range(0, len(rows), 20_000):
            session.execute(insert(table), rows[start : start + 20_000])
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        # What autovacuum would have done by the time a clinician looks: fresh statistics and
        # the visibility map that lets the range counts read the covering indexes alone.
        with session.get_bind().connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("VACUUM ANALYZE participants, prompts, observations"))
    return group


def _login(app: Flask, email: str):
    client = app.test_client()
    base = app.extensions["paceline.settings"].public_base_url
    page = client.get("/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", base_url=base, headers={"Referer": base + "/"},
                           data={"email": email, "password": PASSWORD, "csrf_token": token})  # fmt: skip
    assert response.status_code == 302, response.status_code
    return client, base


def _time(app: Flask, client, base: str, path: str) -> tuple[float, int]:
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("")

    engine = db.engine(app)
    assert client.get(path, base_url=base).status_code == 200  # warm-up
    timings = []
    for _ in range(5):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        response = client.get(path, base_url=base)
        timings.append((time.perf_counter() - start) * 1000)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200
    return statistics.median(timings), len(statements)


def rows(app: Flask, members: int = 2000, days: int = 90) -> list[str]:
    """Seed, then time the dashboard (30 and 90 days) and one member's page."""
    started = time.perf_counter()
    group = seed(members, days)
    seeded = time.perf_counter() - started
    session = db.session()
    email = "bench-clinician@example.org"
    user = session.scalar(select(StaffUser).where(StaffUser.email == email)) or create_user(
        session, email, "clinician", PASSWORD
    )
    group.staff.append(user)
    session.commit()
    member = session.scalar(select(Participant.id).where(Participant.group_id == group.id))
    client, base = _login(app, user.email)
    out = []
    load = f"{members:,} members, {days} days of logs (seeded in {seeded:.0f} s)"
    for label, path in (
        ("clinician dashboard", f"/groups/{group.id}/dashboard"),
        ("clinician dashboard, 90-day charts", f"/groups/{group.id}/dashboard?days=90"),
        (
            "clinician dashboard, all 2,000 members listed",
            f"/groups/{group.id}/dashboard?members=all",
        ),
        ("member page, 90-day chart", f"/participants/{member}?days=90"),
    ):
        ms, statements = _time(app, client, base, path)
        out.append(
            f"| {label} | {load} | median {ms:.0f} ms, {statements} SQL statements "
            f"({ms / GOAL_MS:.2f}x the {GOAL_MS} ms goal) | |"
        )
    return out
