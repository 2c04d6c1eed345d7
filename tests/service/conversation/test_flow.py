"""The whole flow through HTTP: enrol -> invitation -> YES -> "pain 7" -> STOP -> suppressed;
and a crisis text -> alert + notification job + crisis reply."""

from __future__ import annotations

from sqlalchemy import select

from service.messaging.outbox import queue_message
from service.models import (
    Alert,
    AlertNotification,
    InboundMessage,
    MessageStatus,
    NotificationStatus,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
)
from tests.conftest import run_jobs

PHONE = "+12085550143"


def _enrol(client, staff, group, phone=PHONE, **extra):
    response = client.post(
        f"/api/v1/groups/{group.id}/participants",
        json={"phone": phone, **extra},
        headers=staff.headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_enrol_yes_pain_stop_then_nothing_more_is_sent(
    app, client, session, make_staff, make_group, sms_in
):
    group = make_group()
    fac = make_staff("facilitator", groups=(group,))
    clin = make_staff("clinician", groups=(group,))
    pid = _enrol(client, fac, group)
    run_jobs(app)

    response = sms_in(PHONE, "Yes")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert "welcome" in response.get_data(as_text=True).lower()
    participant = session.get(Participant, pid)
    session.refresh(participant)
    assert participant.status == ParticipantStatus.ACTIVE
    assert participant.consent_source == "sms_yes" and participant.consent_at is not None

    response = sms_in(PHONE, "pain 7")
    assert "pain 7/10" in response.get_data(as_text=True)
    observations = client.get(f"/api/v1/participants/{pid}/observations", headers=clin.headers)
    items = observations.get_json()["items"]
    assert [(o["kind"], o["value"]) for o in items] == [("pain", 7)]
    assert items[0]["source"]["inbound_message_id"] is not None

    response = sms_in(PHONE, "STOP")
    assert "unsubscribed" in response.get_data(as_text=True)
    session.refresh(participant)
    assert participant.status == ParticipantStatus.OPTED_OUT

    # Anything queued for them afterwards is suppressed by the worker, never sent.
    queue_message(session, body="Time for a pacing break", kind="prompt", participant=participant)
    session.commit()
    sent_before = len(app.extensions["paceline.sms"].sent)
    run_jobs(app)
    assert len(app.extensions["paceline.sms"].sent) == sent_before
    last = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id.desc())).first()
    assert last.status == MessageStatus.SUPPRESSED

    # And further texts from them get no answer (other than opting back in).
    assert "<Message" not in sms_in(PHONE, "pain 5").get_data(as_text=True)
    assert "welcome back" in sms_in(PHONE, "START").get_data(as_text=True).lower()

    conversation = client.get(
        f"/api/v1/participants/{pid}/messages", headers=clin.headers
    ).get_json()
    directions = [m["direction"] for m in conversation["items"]]
    assert directions.count("inbound") == 5
    assert conversation["items"][0]["kind"] == "invitation"


def test_a_crisis_text_alerts_notifies_and_replies_at_once(make_app, sms_in_factory):
    app = make_app(CRISIS_ALERT_PHONE="+12085550199")
    with app.app_context():
        from service.platform.db import db

        session = db.session()
        client = app.test_client()
        sms_in = sms_in_factory(client)
        from service.models import Group

        group = Group(name="G", timezone="America/Chicago")
        session.add(group)
        participant = Participant(group=group, phone=PHONE, status=ParticipantStatus.ACTIVE)
        session.add(participant)
        session.commit()

        response = sms_in(PHONE, "pain 8, honestly I want to die")
        text = response.get_data(as_text=True)
        assert "988" in text and "911" in text and "not watched around the clock" in text

        alert = session.scalar(select(Alert))
        assert alert.kind.value == "crisis" and alert.group_id == group.id
        inbound = session.scalar(select(InboundMessage))
        assert inbound.crisis and inbound.body == "pain 8, honestly I want to die"
        assert [(o.kind, o.value) for o in session.scalars(select(Observation))] == [("pain", 8)]

        note = session.scalar(select(AlertNotification))
        assert note.channel == "sms" and note.status == NotificationStatus.PENDING
        run_jobs(app)  # the notification job queues the on-call SMS, then sends it
        session.expire_all()
        note = session.scalar(select(AlertNotification))
        assert note.status == NotificationStatus.SENT
        oncall = session.get(OutboundMessage, note.outbound_message_id)
        assert oncall.to_phone == "+12085550199" and oncall.status == MessageStatus.SENT
        assert "ALERT" in oncall.body and "want to die" not in oncall.body


def test_idioms_are_not_crises(app, session, make_group, sms_in):
    group = make_group()
    session.add(Participant(group=group, phone=PHONE, status=ParticipantStatus.ACTIVE))
    session.commit()
    text = sms_in(PHONE, "this pain is killing me").get_data(as_text=True)
    assert "988" not in text
    assert session.scalar(select(Alert)) is None
