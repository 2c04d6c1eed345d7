"""Demo data for `make run`: two groups with six weeks of history, three staff accounts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from messages.schedule import DEFAULT_PROGRAMME_JSON
from service.commands.demo_history import seed_history
from service.models import Group, Participant, StaffUser
from service.platform.db import utcnow
from service.platform.settings import Settings
from service.programme.enrolment import enrol
from service.staff.auth import create_user, issue_token, user_for_token

DEMO_GROUP = "Tuesday pain-management group (demo)"
DEMO_GROUP_2 = "Thursday CBT for pain (demo)"
DEMO_STAFF = (
    ("admin@paceline.test", "admin", "Demo Admin"),
    ("facilitator@paceline.test", "facilitator", "Demo Facilitator"),
    ("clinician@paceline.test", "clinician", "Demo Clinician"),
)
# Two members of the first group stay invited, to try YES in the phone simulator.
# The default programme plus the standard measures: a PEG each Monday, a PHQ-2 an hour
# before each group session.
DEMO_SCHEDULE = {
    **DEFAULT_PROGRAMME_JSON,
    "items": [
        *DEFAULT_PROGRAMME_JSON["items"],  # type: ignore[misc]
        {"kind": "survey_peg", "days": ["mon"], "at": "11:00"},
        {"kind": "survey_phq2", "session": "before", "offset_minutes": 60},
    ],
}
DEMO_PHONES = (("+12025550143", "Alex"), ("+12025550178", "Sam"))
DEMO_HISTORY = {
    DEMO_GROUP: (("+12025550111", "Maria"), ("+12025550112", "Dev"), ("+12025550113", "Jo")),
    DEMO_GROUP_2: (("+12025550121", "Lee"), ("+12025550122", "Rosa", "es"),
                   ("+12025550123", "Pat"), ("+12025550124", "Kim")),
}  # fmt: skip


def seed_demo(session: Session, settings: Settings, password: str) -> list[str]:
    """Create the demo group and accounts unless they exist; return lines to print."""
    lines = []
    users = {}
    for email, role, name in DEMO_STAFF:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = create_user(session, email, role, password, name)
        users[role] = user
    groups = {}
    for name in (DEMO_GROUP, DEMO_GROUP_2):
        group = session.scalar(select(Group).where(Group.name == name))
        if group is None:
            group = Group(name=name, timezone=settings.default_timezone, schedule=DEMO_SCHEDULE)
            group.staff.extend([users["facilitator"], users["clinician"]])
            session.add(group)
            session.flush()
        groups[name] = group
    group = groups[DEMO_GROUP]
    for phone, name in DEMO_PHONES:
        if session.scalar(select(Participant).where(Participant.phone == phone)) is None:
            enrol(session, settings, group, phone, name)
    with_history = []
    for group_name, people in DEMO_HISTORY.items():
        for phone, name, *language in people:
            member = session.scalar(select(Participant).where(Participant.phone == phone))
            if member is None:
                member = Participant(group=groups[group_name], phone=phone, name=name,
                                     language=language[0] if language else "en")  # fmt: skip
                session.add(member)
            with_history.append(member)
    session.flush()
    seed_history(session, with_history, users["clinician"], utcnow())
    token = _demo_token(session, settings, users["facilitator"])
    session.commit()
    lines.append(f"Demo groups: {DEMO_GROUP} (id {group.id}), {DEMO_GROUP_2}")
    for email, role, _ in DEMO_STAFF:
        lines.append(f"  {role:<12} {email}  password: {password}")
    lines.append(f"  facilitator API token: {token}")
    return lines


def _demo_token(session: Session, settings: Settings, user: StaffUser) -> str:
    """The demo facilitator's API token, reused across `make run` starts (kept in the
    instance folder, development only) instead of a new one each time."""
    path = Path(settings.instance_path) / "demo-api-token"
    if path.exists():
        token = path.read_text().strip()
        if user_for_token(session, token) is not None:
            return token
    token = issue_token(session, user)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token
