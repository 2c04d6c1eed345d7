"""Pages at a clinic's size: the dashboard and the member page run a fixed number of SQL
statements, however many members, alerts and notifications there are (no N+1)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from service.models import (
    Alert,
    AlertKind,
    AlertNotification,
    Group,
    Observation,
    Participant,
    ParticipantStatus,
)
from service.platform.db import db, utcnow
from tests.service.test_ui import Browser


@contextmanager
def counted(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _grow(session, group, members: int, offset: int) -> Participant:
    now = utcnow()
    last = None
    for i in range(members):
        p = Participant(group=group, phone=f"+1208555{offset + i:04d}", name=f"M{offset + i}",
                        status=ParticipantStatus.ACTIVE)  # fmt: skip
        session.add(p)
        session.flush()
        for day in range(5):
            session.add(
                Observation(
                    participant=p, kind="pain", value=5, recorded_at=now - timedelta(days=day)
                )
            )
        alert = Alert(
            group_id=group.id, participant=p, kind=AlertKind.CRISIS, detail="x", created_at=now
        )
        session.add(alert)
        session.flush()
        session.add_all(
            AlertNotification(alert_id=alert.id, channel="sms", target="+12085550100")
            for _ in range(3)
        )
        last = p
    session.commit()
    return last


def test_dashboard_and_member_page_queries_do_not_grow_with_rows(app, client, session, make_staff):
    group = Group(name="Big", timezone="America/New_York")
    session.add(group)
    session.commit()
    clinician = make_staff("clinician", groups=(group,))
    browser = Browser(client, clinician.user.email)
    member = _grow(session, group, 2, 0)
    # The test's requests share one session (its app context stays open): a warm-up request
    # of the same page first, so each counted one starts from the same state.
    browser.get(f"/groups/{group.id}/dashboard")
    with counted(app) as small:
        assert browser.get(f"/groups/{group.id}/dashboard").status_code == 200
    browser.get(f"/participants/{member.id}")
    with counted(app) as small_member:
        assert browser.get(f"/participants/{member.id}").status_code == 200
    member = _grow(session, group, 20, 100)
    browser.get(f"/groups/{group.id}/dashboard")
    with counted(app) as large:
        assert browser.get(f"/groups/{group.id}/dashboard").status_code == 200
    browser.get(f"/participants/{member.id}")
    with counted(app) as large_member:
        assert browser.get(f"/participants/{member.id}").status_code == 200
    assert len(large) == len(small), (len(small), len(large))
    assert len(large_member) == len(small_member)


def test_dashboard_lists_members_most_in_need_first_and_all_on_request(client, session, make_staff):
    group = Group(name="Clinic", timezone="America/New_York")
    session.add(group)
    session.flush()
    people = [Participant(group=group, phone=f"+1208555{i:04d}", name=f"P{i:03d}",
                          status=ParticipantStatus.ACTIVE) for i in range(105)]  # fmt: skip
    session.add_all(people)
    session.flush()
    session.add(Observation(participant=people[104], kind="pain", value=9, recorded_at=utcnow()))
    session.commit()
    browser = Browser(client, make_staff("clinician", groups=(group,)).user.email)
    page = browser.get(f"/groups/{group.id}/dashboard").get_data(as_text=True)
    assert page.count('<td data-label="Member">') == 100 and "show all 105 members" in page
    # Nobody was sent anything this week, so the highest latest pain comes first.
    first = page.index('<td data-label="Member">')
    assert "P104" in page[first : first + 200]
    everyone = browser.get(f"/groups/{group.id}/dashboard?members=all").get_data(as_text=True)
    assert everyone.count('<td data-label="Member">') == 105
