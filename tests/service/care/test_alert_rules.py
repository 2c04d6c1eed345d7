"""Clinical alert rules: pain 8 or more, a worsening of 3 from the 14-day baseline (5 readings
on 4 days at least), 3 days silent (not while paused)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobs.sweeps import run_sweep
from service.care.alert_rules import scan_silence
from service.messaging.sms import get_backend
from service.models import Alert, Observation, Participant, ParticipantStatus, Prompt, PromptStatus
from service.platform.db import utcnow
from service.platform.redis_conn import get_redis
from tests.conftest import run_jobs

PHONE = "+12085550143"


@pytest.fixture
def sms_in(app, client, sms_in_factory):
    """A text through the webhook, then the jobs it enqueued (the rating rules run in one)."""
    send = sms_in_factory(client)

    def text_then_jobs(*args, **kwargs):
        response = send(*args, **kwargs)
        run_jobs(app)
        return response

    return text_then_jobs


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


def _history(session, participant, kind, readings):
    now = utcnow()
    for days, value in readings:
        session.add(Observation(participant=participant, kind=kind, value=value,
                                recorded_at=now - timedelta(days=days)))  # fmt: skip
    session.commit()


def test_a_worsening_from_the_personal_baseline_alerts(session, make_group, sms_in):
    participant = _member(session, make_group)
    _history(session, participant, "mood", ((5, 7), (4, 6), (3, 7), (2, 6), (2.1, 7)))
    sms_in(PHONE, "mood 5")  # within 3 of the 6.6 average
    assert _kinds(session) == []
    sms_in(PHONE, "mood 3")
    alert = session.scalar(select(Alert))
    assert (
        alert.kind.value == "change"
        and "mood 3/10, down from a 14-day average of 6.3" in alert.detail
    )


def test_an_improvement_is_not_an_alert(session, make_group, sms_in):
    participant = _member(session, make_group)
    _history(session, participant, "pain", ((6, 8), (5, 8), (4, 9), (3, 8), (2, 8)))
    sms_in(PHONE, "pain 4")  # down 4.2 points: good news
    assert _kinds(session) == []
    sms_in(PHONE, "mood 9")
    assert _kinds(session) == []


def test_no_baseline_from_five_readings_in_a_few_minutes(session, make_group, sms_in):
    participant = _member(session, make_group)
    now = utcnow()
    for minutes, value in ((5, 2), (4, 2), (3, 3), (2, 2), (1, 2)):
        session.add(Observation(participant=participant, kind="pain", value=value,
                                recorded_at=now - timedelta(minutes=minutes)))  # fmt: skip
    session.commit()
    sms_in(PHONE, "pain 7")  # up 4.8, but the "baseline" is three minutes old
    assert _kinds(session) == []


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


def test_paused_members_are_not_silent(session, make_group):
    participant = _member(session, make_group, consent_at=utcnow() - timedelta(days=10))
    now = utcnow()
    session.add(Prompt(participant=participant, slot_key="a", kind="checkin_pain", expecting="pain",
                       status=PromptStatus.MISSED, scheduled_for=now - timedelta(hours=30),
                       sent_at=now - timedelta(hours=30), window_ends_at=now - timedelta(hours=20)))  # fmt: skip
    participant.status = ParticipantStatus.PAUSED
    session.commit()
    assert scan_silence(session, now) == 0


def test_the_rules_wait_for_their_job_and_the_sweep_runs_a_lost_one(
    app, session, make_group, sms_in_factory, client
):
    _member(session, make_group)
    assert sms_in_factory(client)(PHONE, "pain 9").status_code == 200
    session.expire_all()
    assert _kinds(session) == []  # the webhook stored the rating; its rules are due
    assert session.scalar(select(Observation)).rules_due_at is not None
    get_redis(app).flushdb()  # Redis lost the job (restarted empty)
    run_sweep(app, session, get_backend(app))  # too soon: a live job may still be on its way
    assert _kinds(session) == []
    later = utcnow() + timedelta(minutes=2)
    assert run_sweep(app, session, get_backend(app), now=later).rules == 1
    assert run_sweep(app, session, get_backend(app), now=later).rules == 0
    session.expire_all()
    assert _kinds(session) == ["high_pain"]
    assert session.scalar(select(Observation)).rules_due_at is None


def test_a_burst_of_ratings_needs_one_rules_job_and_a_later_rating_asks_for_the_next(
    app, session, make_group, sms_in_factory, client
):
    """Each text with a rating makes sure a rules job is coming (one Redis SET) instead of
    enqueueing its own: five members' high pain in a burst is one job, which alerts each of
    them; a rating that arrives once that job has started asks for another."""
    from rq import Queue

    from service.conversation.alerts import RULES_JOB

    group = make_group()
    phones = [f"+120855502{i:02d}" for i in range(5)]
    session.add_all(Participant(group=group, phone=phone, status=ParticipantStatus.ACTIVE)
                    for phone in phones)  # fmt: skip
    session.commit()
    send = sms_in_factory(client)
    for phone in phones:
        assert send(phone, "pain 9").status_code == 200
    jobs = Queue("default", connection=get_redis(app))
    assert [job.func_name for job in jobs.jobs] == [RULES_JOB]
    run_jobs(app)
    session.expire_all()
    assert _kinds(session) == ["high_pain"] * 5
    assert send(phones[0], "mood 2").status_code == 200  # the first job has run: a new one
    assert [job.func_name for job in jobs.jobs] == [RULES_JOB]
    run_jobs(app)
    assert session.scalar(select(func.count()).where(Observation.rules_due_at.is_not(None))) == 0
