"""Twilio webhooks: signatures (forged, missing, behind a proxy), idempotency, unknown numbers,
status callbacks out of order."""

from __future__ import annotations

from sqlalchemy import func, select

from service.messaging.outbox import queue_message
from service.models import (
    InboundMessage,
    MessageStatus,
    NumberStatus,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
)
from tests.conftest import ACCOUNT_SID, FROM_NUMBER, run_jobs, twilio_signature

PHONE = "+12085550143"


def _active(session, make_group, phone=PHONE):
    participant = Participant(group=make_group(), phone=phone, status=ParticipantStatus.ACTIVE)
    session.add(participant)
    session.commit()
    return participant


def _params(body="pain 6", sid="SM" + "1" * 32, sender=PHONE):
    return {
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "To": FROM_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_forged_or_missing_signatures_get_403_and_store_nothing(
    client, session, make_group, twilio_post
):
    _active(session, make_group)
    params = _params()
    assert twilio_post("/twilio/inbound", params, signature="").status_code == 403
    forged = twilio_signature("/twilio/inbound", params, token="0" * 32)
    assert twilio_post("/twilio/inbound", params, signature=forged).status_code == 403
    tampered = twilio_signature("/twilio/inbound", {**params, "Body": "pain 1"})
    assert twilio_post("/twilio/inbound", params, signature=tampered).status_code == 403
    assert _count(session, InboundMessage) == 0 and _count(session, Observation) == 0


def test_signature_is_checked_against_the_public_url_behind_a_proxy(client, session, make_group):
    _active(session, make_group)
    params = _params()
    signature = twilio_signature(
        "/twilio/inbound", params
    )  # signed for https://paceline.example.org
    response = client.post(
        "/twilio/inbound",
        data=params,
        base_url="http://10.0.0.5:8000",
        headers={"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 200
    assert _count(session, Observation) == 1


def test_a_redelivered_message_stores_nothing_new_and_answers_the_same(session, make_group, sms_in):
    _active(session, make_group)
    first = sms_in(PHONE, "pain 6", sid="SM" + "2" * 32).get_data(as_text=True)
    again = sms_in(PHONE, "pain 6", sid="SM" + "2" * 32).get_data(as_text=True)
    assert first == again and "pain 6/10" in first
    assert _count(session, InboundMessage) == 1
    assert _count(session, Observation) == 1
    assert _count(session, OutboundMessage) == 1


def test_an_unknown_number_gets_how_to_join_and_no_health_data_is_kept(session, sms_in):
    text = sms_in("+12085550111", "pain 9, very low mood").get_data(as_text=True)
    assert "isn't enrolled" in text
    inbound = session.scalar(select(InboundMessage))
    assert inbound.participant_id is None and inbound.body is None
    assert _count(session, Observation) == 0
    assert _count(session, Participant) == 0


def test_out_of_range_gets_a_friendly_reask_and_no_log(session, make_group, sms_in):
    _active(session, make_group)
    text = sms_in(PHONE, "pain 12").get_data(as_text=True)
    assert "0 to 10" in text
    assert _count(session, Observation) == 0


def test_pause_resume_flare_and_notes(session, make_group, sms_in):
    participant = _active(session, make_group)
    assert "2 days" in sms_in(PHONE, "pause 2").get_data(as_text=True)
    session.refresh(participant)
    assert participant.status == ParticipantStatus.PAUSED and participant.paused_until
    sms_in(PHONE, "resume")
    session.refresh(participant)
    assert participant.status == ParticipantStatus.ACTIVE and participant.paused_until is None
    assert "flare" in sms_in(PHONE, "FLARE").get_data(as_text=True)
    session.refresh(participant)
    assert participant.flare_until is not None
    first_note = sms_in(PHONE, "called my friend today, felt good").get_data(as_text=True)
    second_note = sms_in(PHONE, "Thanks!").get_data(as_text=True)
    assert "saved for your care team" in first_note
    assert "<Message" not in second_note  # one acknowledgement a day, not a reply to every note
    notes = session.scalars(select(InboundMessage).where(InboundMessage.intent == "note")).all()
    assert [n.body for n in notes] == ["called my friend today, felt good", "Thanks!"]


def test_more_sends_one_exercise_and_is_rate_limited(app, session, make_group, sms_in):
    _active(session, make_group)
    replies = [sms_in(PHONE, "MORE").get_data(as_text=True) for _ in range(4)]
    assert all("on its way" in r for r in replies[:3]) and "plenty" in replies[3]
    run_jobs(app)
    extra = session.scalars(
        select(OutboundMessage).where(OutboundMessage.kind == "extra_exercise")
    ).all()
    assert len(extra) == 3 and len({m.body for m in extra}) == 3
    assert all(m.status == MessageStatus.SENT for m in extra)


def _callback(twilio_post, sid, status, outbound=None, error_code=None):
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID}
    if error_code:
        params["ErrorCode"] = str(error_code)
    path = "/twilio/status" + (f"?outbound={outbound}" if outbound else "")
    return twilio_post(path, params)


def test_status_callbacks_never_move_a_message_backwards(app, session, make_group, twilio_post):
    participant = _active(session, make_group)
    row = queue_message(session, body="hello", kind="prompt", participant=participant)
    session.commit()
    run_jobs(app)
    session.refresh(row)
    sid = row.twilio_sid
    assert _callback(twilio_post, sid, "delivered").status_code == 204
    assert _callback(twilio_post, sid, "sent").status_code == 204  # late, out of order
    assert _callback(twilio_post, sid, "delivered").status_code == 204  # repeated
    session.refresh(row)
    assert row.status == MessageStatus.DELIVERED and row.delivered_at is not None


def test_a_forged_status_callback_changes_nothing(app, session, make_group, twilio_post):
    participant = _active(session, make_group)
    row = queue_message(session, body="hello", kind="prompt", participant=participant)
    session.commit()
    run_jobs(app)
    session.refresh(row)
    params = {"MessageSid": row.twilio_sid, "MessageStatus": "failed"}
    assert twilio_post("/twilio/status", params, signature="bogus").status_code == 403
    session.refresh(row)
    assert row.status == MessageStatus.SENT


def test_twiml_replies_are_tracked_through_their_action_url(
    session, make_group, sms_in, twilio_post
):
    _active(session, make_group)
    sms_in(PHONE, "HELP")
    reply = session.scalar(select(OutboundMessage).where(OutboundMessage.channel == "reply"))
    assert reply.kind == "help" and reply.status == MessageStatus.ACCEPTED
    _callback(twilio_post, "SM" + "9" * 32, "undelivered", outbound=reply.id, error_code=30006)
    session.refresh(reply)
    assert reply.status == MessageStatus.UNDELIVERED and reply.twilio_sid == "SM" + "9" * 32
    assert reply.participant.number_status == NumberStatus.NOT_MOBILE


def test_the_open_prompt_decides_what_a_bare_number_means(session, make_group, sms_in):
    from datetime import timedelta

    from service.conversation.inbound import sender_state
    from service.models import Prompt, PromptStatus
    from service.platform.db import utcnow

    participant = _active(session, make_group)
    now = utcnow()
    assert sender_state(session, PHONE, now) == (participant, None, None)
    prompt = Prompt(
        participant=participant,
        slot_key="checkin-mood",
        kind="checkin_mood",
        expecting="mood",
        status=PromptStatus.SENT,
        scheduled_for=now,
        sent_at=now - timedelta(minutes=5),
        window_ends_at=now + timedelta(hours=1),
    )
    session.add(prompt)
    session.commit()
    _, found, _ = sender_state(session, PHONE, now)
    assert found.prompt.id == prompt.id and found.expecting == "mood" and not found.late

    sms_in(PHONE, "4")
    observation = session.scalar(select(Observation))
    assert (observation.kind, observation.value, observation.prompt_id) == ("mood", 4, prompt.id)
    assert not observation.late
    session.refresh(prompt)
    assert prompt.status.value == "answered"


def test_a_reply_after_the_window_is_logged_and_marked_late(session, make_group, sms_in):
    from datetime import timedelta

    from service.models import Prompt, PromptStatus
    from service.platform.db import utcnow

    participant = _active(session, make_group)
    now = utcnow()
    prompt = Prompt(
        participant=participant,
        slot_key="checkin-pain",
        kind="checkin_pain",
        expecting="pain",
        status=PromptStatus.MISSED,
        scheduled_for=now - timedelta(hours=5),
        sent_at=now - timedelta(hours=5),
        window_ends_at=now - timedelta(hours=3),
    )
    session.add(prompt)
    session.commit()
    sms_in(PHONE, "about a 6")
    observation = session.scalar(select(Observation))
    assert (observation.kind, observation.value, observation.late) == ("pain", 6, True)
    assert session.scalar(select(InboundMessage)).late


def test_resume_when_nothing_was_paused_says_so(session, make_group, sms_in):
    _active(session, make_group)
    assert "not paused" in sms_in(PHONE, "resume").get_data(as_text=True)
