"""A group note at the sender's rate: the estimate walks the same schedule the workers take,
and the facilitator decides before anything is queued when some members would be missed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from service.models import Group, OutboundMessage, Participant, ParticipantStatus
from service.platform.db import db, utcnow
from service.programme.broadcast import estimate_broadcast
from service.staff.auth import create_user
from tests.conftest import twilio_env
from tests.service.test_ui import PASSWORD, Browser


def _group(session, n: int, quiet_in: timedelta) -> Group:
    """`n` active members in UTC whose quiet hours begin `quiet_in` from now."""
    now = utcnow()
    start = (now + quiet_in).strftime("%H:%M")
    end = (now - timedelta(hours=1)).strftime("%H:%M")
    group = Group(name="Big group", timezone="UTC")
    session.add(group)
    session.add_all(
        Participant(group=group, phone=f"+1208555{i:04d}", status=ParticipantStatus.ACTIVE,
                    quiet_start=start, quiet_end=end)
        for i in range(n)
    )  # fmt: skip
    session.commit()
    return group


def test_estimate_counts_who_the_senders_rate_would_miss(app, session):
    group = _group(session, 300, timedelta(minutes=3))
    now = utcnow()
    one = estimate_broadcast(group, "No session next week.", now, mps=1)
    # 300 texts at 1 a second take 299 s; quiet hours begin in about 3 minutes (less the
    # minute a text needs to be worth sending), so roughly the last 180-240 miss it.
    assert one.recipients == 300 and one.seconds == 299
    assert 150 <= one.too_late <= 250
    assert estimate_broadcast(group, "No session next week.", now, mps=100).too_late == 0
    # Texts already booked on the sender push everyone later.
    booked = estimate_broadcast(group, "No session next week.", now, mps=100, backlog_seconds=600)
    assert booked.too_late == 300
    # Two-segment notes take twice the turns.
    long = estimate_broadcast(group, "x" * 200, now, mps=10)
    assert long.segments == 2 and long.seconds == 2 * 299 / 10


def test_facilitator_sees_the_estimate_before_anything_is_queued(make_app):
    app = make_app(**{**twilio_env("http://127.0.0.1:9"), "TWILIO_SENDER_MPS": "1"})
    with app.app_context():
        session = db.session()
        group = _group(session, 300, timedelta(minutes=3))
        user = create_user(session, "fac@example.org", "facilitator", PASSWORD)
        group.staff.append(user)
        session.commit()
        browser = Browser(app.test_client(), "fac@example.org")
        page = browser.post(f"/groups/{group.id}/message", {"body": "No session next week."})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and "Not sent yet." in text
        assert "members would not get it before their quiet hours begin" in text
        assert "(1 text a second) it takes about 5 minutes" in text
        count = select(func.count(OutboundMessage.id))
        assert session.scalar(count) == 0  # nothing queued until the facilitator decides
        sent = browser.post(
            f"/groups/{group.id}/message", {"body": "No session next week.", "confirmed": "1"}
        )
        assert sent.status_code == 302 and session.scalar(count) == 300
