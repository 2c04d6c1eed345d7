"""Clinical alert rules: pain 8 or more, a change of 3 from the 14-day baseline, 3 days silent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.care.alert_rules import scan_silence
from service.models import Alert, Observation, Participant, ParticipantStatus, Prompt, PromptStatus
from service.platform.db import utcnow

PHONE = "+12025550143"


def _member(session, make_group, **extra):
    participant = Participant(
        group=make_group(), phone=PHONE, status=ParticipantStatus.ACTIVE, **extra
    )
    session.add(participant)
    session.commit()
    return participant


def _kinds(session):
    return sorted(a.kind.value for a in session.scalars(select(Alert)))


def test_high_pain_alerts_once_a_day(session, make_group, sms_in):
    _member(session, make_group)
    sms_in(PHONE, "pain 8")
    sms_in(PHONE, "pain 9")
    assert _kinds(session) == ["high_pain"]


def test_a_change_from_the_personal_baseline_alerts(session, make_group, sms_in):
    participant = _member(session, make_group)
    now = utcnow()
    for days, value in ((5, 2), (4, 3), (3, 2), (2, 3)):
        session.add(
            Observation(
                participant=participant,
                kind="mood",
                value=value,
                recorded_at=now - timedelta(days=days),
            )
        )
    session.commit()
    sms_in(PHONE, "mood 4")  # within 3 of the 2.5 average
    assert _kinds(session) == []
    sms_in(PHONE, "mood 7")
    alert = session.scalar(select(Alert))
    assert alert.kind.value == "change" and "up from a 14-day average" in alert.detail


def test_three_silent_days_raise_no_reply(session, make_group):
    now = utcnow()
    participant = _member(session, make_group, consent_at=now - timedelta(days=10))
    for day in range(3):
        sent = now - timedelta(days=day, hours=3)
        session.add(Prompt(participant=participant, slot_key=f"s{day}", kind="checkin_both", expecting="checkin",
                           status=PromptStatus.MISSED, scheduled_for=sent, sent_at=sent,
                           window_ends_at=sent + timedelta(hours=2)))  # fmt: skip
    session.commit()
    assert scan_silence(session, now) == 1
    assert scan_silence(session, now) == 0  # not twice
    assert _kinds(session) == ["no_reply"]


def test_a_reply_in_the_last_three_days_means_no_alert(session, make_group, sms_in):
    now = utcnow()
    participant = _member(session, make_group, consent_at=now - timedelta(days=10))
    sent = now - timedelta(hours=3)
    session.add(Prompt(participant=participant, slot_key="s", kind="checkin_both", expecting="checkin",
                       status=PromptStatus.MISSED, scheduled_for=sent, sent_at=sent,
                       window_ends_at=sent + timedelta(hours=2)))  # fmt: skip
    session.commit()
    sms_in(PHONE, "called my sister")
    assert scan_silence(session, now + timedelta(minutes=1)) == 0
