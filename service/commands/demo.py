"""Demo data for `make run`: one group, three staff accounts, a few enrolled phones."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.models import Group, Participant, StaffUser
from service.platform.settings import Settings
from service.programme.enrolment import enrol
from service.staff.auth import create_user, issue_token

DEMO_GROUP = "Tuesday pain-management group (demo)"
DEMO_STAFF = (
    ("admin@paceline.test", "admin", "Demo Admin"),
    ("facilitator@paceline.test", "facilitator", "Demo Facilitator"),
    ("clinician@paceline.test", "clinician", "Demo Clinician"),
)
DEMO_PHONES = (("+12025550143", "Alex"), ("+12025550178", "Sam"))


def seed_demo(session: Session, settings: Settings, password: str) -> list[str]:
    """Create the demo group and accounts unless they exist; return lines to print."""
    lines = []
    users = {}
    for email, role, name in DEMO_STAFF:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = create_user(session, email, role, password, name)
        users[role] = user
    group = session.scalar(select(Group).where(Group.name == DEMO_GROUP))
    if group is None:
        group = Group(name=DEMO_GROUP, timezone=settings.default_timezone)
        group.staff.extend([users["facilitator"], users["clinician"]])
        session.add(group)
        session.flush()
        for phone, name in DEMO_PHONES:
            if session.scalar(select(Participant).where(Participant.phone == phone)) is None:
                enrol(session, settings, group, phone, name)
    token = issue_token(session, users["facilitator"])
    session.commit()
    lines.append(f"Demo group: {group.name} (id {group.id})")
    for email, role, _ in DEMO_STAFF:
        lines.append(f"  {role:<12} {email}  password: {password}")
    lines.append(f"  facilitator API token: {token}")
    return lines
