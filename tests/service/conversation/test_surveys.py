"""A survey texted one item at a time, through the signed webhook: answers, a second asking,
keywords and crisis language in the middle, expiry as partial, the screen alert."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.models import (
    Alert,
    AlertKind,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    SurveyResponse,
    SurveyStatus,
)
from service.platform.db import utcnow
from service.programme.dispatch import dispatch_due, tick
from service.programme.reminders import remind_due

PHONE = "+12085550143"


def _member(session, make_group, language="en"):
    group = make_group()
    member = Participant(group=group, phone=PHONE, status=ParticipantStatus.ACTIVE,
                         language=language)  # fmt: skip
    session.add(member)
    session.commit()
    return member


def _send_survey(session, member, kind, now=None):
    now = now or utcnow()
    session.add(Prompt(participant=member, slot_key=f"s-{kind}-{now.timestamp()}", kind=kind,
                       expecting="survey", status=PromptStatus.PLANNED, scheduled_for=now))  # fmt: skip
    session.commit()
    assert dispatch_due(session, now) == (1, 0)
    return session.scalars(select(SurveyResponse).order_by(SurveyResponse.id.desc())).first()


def _last_text(session) -> str:
    return session.scalars(select(OutboundMessage).order_by(OutboundMessage.id.desc())).first().body


def test_a_phq2_is_asked_item_by_item_scored_and_a_positive_screen_alerts(
    session, make_group, sms_in
):
    member = _member(session, make_group)
    survey = _send_survey(session, member, "survey_phq2")
    assert survey.status == SurveyStatus.OPEN and survey.instrument == "phq2"
    first = _last_text(session)
    assert (
        first.startswith("2 quick questions about your mood.") and "interest or pleasure" in first
    )

    sms_in(PHONE, "several days")
    assert "down, depressed, or hopeless" in _last_text(session)
    prompt = session.scalar(select(Prompt))
    session.refresh(prompt)
    assert prompt.status == PromptStatus.ANSWERED  # no reminder now
    sms_in(PHONE, "7")  # not 0-3: asked once more
    assert _last_text(session).startswith("Sorry, that answer doesn't fit.")
    sms_in(PHONE, "nearly every day")
    assert _last_text(session).startswith("Thank you")
    session.refresh(survey)
    assert survey.status == SurveyStatus.COMPLETE and survey.score == 4 and survey.positive
    assert [(a.link_id, a.value) for a in survey.answers] == [("phq2-1", 1), ("phq2-2", 3)]
    alert = session.scalar(select(Alert))
    assert alert.kind == AlertKind.SCREEN and alert.detail.startswith("PHQ-2 4/6: positive")
    # Answers are not pain logs.
    assert not session.scalars(select(Prompt).where(Prompt.kind == "checkin_pain")).all()


def test_a_peg_in_spanish_scores_the_mean_and_a_negative_screen_raises_nothing(
    session, make_group, sms_in
):
    member = _member(session, make_group, "es")
    survey = _send_survey(session, member, "survey_peg")
    assert _last_text(session).startswith("Control semanal del dolor (3 preguntas).")
    for answer in ("6", "siete", "8/10"):
        sms_in(PHONE, answer)
    assert _last_text(session).startswith("Gracias")
    session.refresh(survey)
    assert survey.score == 7.0 and survey.positive is None
    phq = _send_survey(session, member, "survey_gad2")
    sms_in(PHONE, "0")
    sms_in(PHONE, "varios días")
    session.refresh(phq)
    assert phq.score == 1 and phq.positive is False
    assert session.scalar(select(Alert)) is None


def test_stop_help_and_crisis_still_work_in_the_middle_of_a_survey(session, make_group, sms_in):
    member = _member(session, make_group)
    survey = _send_survey(session, member, "survey_gad2")
    sms_in(PHONE, "HELP")
    assert "STOP" in _last_text(session)  # the help text, not an answer
    sms_in(PHONE, "I want to end my life")
    crisis = session.scalar(select(Alert))
    assert crisis is not None and crisis.kind == AlertKind.CRISIS
    session.refresh(survey)
    assert survey.status == SurveyStatus.OPEN and survey.answers == []
    sms_in(PHONE, "1")  # the survey goes on after the crisis reply
    session.refresh(survey)
    assert [a.value for a in survey.answers] == [1]
    sms_in(PHONE, "STOP")
    session.refresh(member)
    assert member.status == ParticipantStatus.OPTED_OUT
    session.refresh(survey)
    assert len(survey.answers) == 1  # STOP is not an answer


def test_an_unreadable_answer_twice_moves_on_and_the_survey_ends_partial(
    session, make_group, sms_in
):
    member = _member(session, make_group)
    survey = _send_survey(session, member, "survey_phq2")
    sms_in(PHONE, "hmm")
    sms_in(PHONE, "no idea")  # asked twice: skipped, next item
    assert "down, depressed" in _last_text(session)
    sms_in(PHONE, "2")
    session.refresh(survey)
    assert survey.status == SurveyStatus.PARTIAL and survey.score is None
    assert [a.value for a in survey.answers] == [None, 2]


def test_an_unfinished_survey_expires_partial_and_a_reminder_repeats_the_item(
    app, session, make_group, sms_in
):
    member = _member(session, make_group)
    now = utcnow()
    survey = _send_survey(session, member, "survey_peg", now)
    prompt = session.scalar(select(Prompt))
    assert remind_due(session, prompt.reminder_at + timedelta(seconds=1)) == 1
    assert _last_text(session).startswith("Reminder: Weekly pain check")
    sms_in(PHONE, "5")
    untouched = _send_survey(session, member, "survey_phq2", now + timedelta(seconds=1))
    session.refresh(survey)
    assert survey.status == SurveyStatus.PARTIAL  # a new survey closed the unfinished one
    settings = app.extensions["paceline.settings"]
    report = tick(session, settings, untouched.expires_at + timedelta(seconds=1))
    assert report.surveys_closed == 1
    session.refresh(untouched)
    assert untouched.status == SurveyStatus.EXPIRED and untouched.completed_at is not None
