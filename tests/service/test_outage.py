"""When the database is down: inbound texts are spooled (Redis, then a file), answered from
the text alone, and drained into the database later; bad characters never make a 500.

The database outage here is real: the app points at a PostgreSQL port nobody listens on.
The full outage (a cluster stopped for 60 s under load) is in tests/faults/.
"""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import select

from service.conversation.spooled import drain_spool
from service.models import (
    Alert,
    AlertKind,
    InboundMessage,
    OutboundMessage,
    Participant,
    ParticipantStatus,
)
from service.platform import spool
from service.platform.db import db
from tests.conftest import ACCOUNT_SID, FROM_NUMBER, twilio_signature

DOWN_DB = "postgresql://postgres@127.0.0.1:1/nothing"
PHONE = "+12085550143"


def _text(client: FlaskClient, body: str, sid: str, phone: str = PHONE):
    params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone, "To": FROM_NUMBER,
              "Body": body, "NumMedia": "0"}  # fmt: skip
    signature = twilio_signature("/twilio/inbound", params)
    return client.post("/twilio/inbound", data=params, headers={"X-Twilio-Signature": signature})


def _enrol(session, make_group) -> Participant:
    participant = Participant(
        group=make_group(), phone=PHONE, name="Alex", status=ParticipantStatus.ACTIVE
    )
    session.add(participant)
    session.commit()
    return participant


def test_texts_during_an_outage_are_spooled_answered_and_drained(
    app, session, make_app, make_group, tmp_path
):
    participant = _enrol(session, make_group)
    down = make_app(DATABASE_URL=DOWN_DB, INSTANCE_PATH=str(tmp_path))
    client = down.test_client()
    crisis = _text(client, "I hope I don't wake up tomorrow", "SM" + "1" * 32)
    assert crisis.status_code == 200
    assert "988" in crisis.get_data(as_text=True)  # resources inside the request
    stop_reply = _text(client, "pain 6", "SM" + "2" * 32)
    assert stop_reply.status_code == 200 and "<Message" not in stop_reply.get_data(as_text=True)
    with down.app_context():
        assert spool.depth(down).redis == 2
        health = down.test_client().get("/healthz").get_json()
    assert health["status"] == "degraded" and health["spool"]["waiting"] == 2

    up = make_app(INSTANCE_PATH=str(tmp_path))
    with up.app_context():
        report = drain_spool(up, db.session())
        assert report.inbound == 2
        assert spool.depth(up).total == 0
        again = drain_spool(up, db.session())  # idempotent: nothing left, nothing doubled
        assert again.inbound == 0
    session.expire_all()
    stored = session.scalars(select(InboundMessage).order_by(InboundMessage.received_at)).all()
    assert [m.body for m in stored] == ["I hope I don't wake up tomorrow", "pain 6"]
    assert stored[0].crisis
    alert = session.scalar(select(Alert).where(Alert.participant_id == participant.id))
    assert alert is not None and alert.kind == AlertKind.CRISIS
    replies = {r.kind: r.status.value for r in session.scalars(select(OutboundMessage))}
    assert replies["crisis"] == "accepted"  # given at the edge, recorded as sent
    assert replies["ack_log"] == "suppressed"  # a late "thanks" is not worth a text


def test_with_redis_down_too_the_spool_is_a_file(app, session, make_app, make_group, tmp_path):
    _enrol(session, make_group)
    down = make_app(
        DATABASE_URL=DOWN_DB, REDIS_URL="redis://127.0.0.1:1/0", INSTANCE_PATH=str(tmp_path)
    )
    response = _text(down.test_client(), "STOP", "SM" + "3" * 32)
    assert response.status_code == 200 and "unsubscribed" in response.get_data(as_text=True)
    lines = (tmp_path / "spool" / spool.FILE_NAME).read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["form"]["Body"] == "STOP"

    up = make_app(INSTANCE_PATH=str(tmp_path))
    with up.app_context():
        assert drain_spool(up, db.session()).inbound == 1
    session.expire_all()
    assert session.scalar(select(Participant)).status == ParticipantStatus.OPTED_OUT
    assert not list((tmp_path / "spool").glob(spool.FILE_NAME + "*"))


def test_an_unreadable_spool_entry_is_kept_aside_and_does_not_block_the_rest(
    app, session, make_app, make_group, tmp_path
):
    _enrol(session, make_group)
    up = make_app(INSTANCE_PATH=str(tmp_path))
    with up.app_context():
        from datetime import UTC, datetime

        spool.spool(up, "inbound", {"MessageSid": "SMbad", "From": PHONE, "Body": "x"}, {},
                    datetime.now(UTC), [])  # fmt: skip
        spool.spool(up, "inbound", {"MessageSid": "SM" + "4" * 32, "From": PHONE, "Body": "pain 3"},
                    {}, datetime.now(UTC), [])  # fmt: skip
        # the first entry is broken: a received time nobody can read
        raw = spool.peek_redis(up, 10)[0][0]
        broken = json.loads(raw)
        broken["received_at"] = "2026-13-45T99:99:99Z"
        from service.platform.redis_conn import get_redis

        get_redis(up).lset(spool.SPOOL_KEY, 0, json.dumps(broken))
        report = drain_spool(up, db.session())
        assert report.inbound == 1
        assert spool.dead_letters(up) == 1
        assert spool.depth(up).total == 0
    session.expire_all()
    assert [m.body for m in session.scalars(select(InboundMessage))] == ["pain 3"]


def test_a_nul_in_a_text_is_replaced_and_its_length_kept(app, session, make_group, client):
    _enrol(session, make_group)
    response = _text(client, "I want to die\x00\x00", "SM" + "5" * 32)
    assert response.status_code == 200 and "988" in response.get_data(as_text=True)
    stored = session.scalar(select(InboundMessage))
    assert stored.body == "I want to die\ufffd\ufffd" and stored.original_length == 15
    assert stored.crisis


def test_staff_input_with_a_nul_is_refused_and_nothing_is_stored(
    client, session, make_staff, make_group
):
    group = make_group()
    fac = make_staff("facilitator", groups=(group,))
    response = client.post(
        f"/api/v1/groups/{group.id}/participants",
        json={"phone": "+12085550199", "name": "Bad\x00name"},
        headers=fac.headers,
    )
    assert response.status_code == 422
    assert "name" in response.get_json()["fields"]
    assert session.scalars(select(Participant)).all() == []


def test_a_redelivered_text_gets_the_same_answer(app, session, make_group, client):
    _enrol(session, make_group)
    first = _text(client, "I want to die", "SM" + "6" * 32).get_data(as_text=True)
    second = _text(client, "I want to die", "SM" + "6" * 32).get_data(as_text=True)
    assert first == second and first.count("<Message") == 2
    assert len(session.scalars(select(InboundMessage)).all()) == 1


def test_admins_see_the_spool_and_sends_for_review(app, session, make_staff, client):
    from datetime import UTC, datetime

    from service.models import MessageStatus
    from tests.service.test_ui import Browser

    admin = make_staff("admin")
    fac = make_staff("facilitator")
    session.add(
        OutboundMessage(
            to_phone=PHONE,
            body="x",
            kind="prompt",
            channel="api",
            status=MessageStatus.SENDING,
            needs_review=True,
            error_message="2 messages at Twilio could be this one",
        )
    )
    session.commit()
    spool.spool(app, "inbound", {"MessageSid": "SMx", "From": PHONE, "Body": "hi"}, {},
                datetime.now(UTC), [])  # fmt: skip
    page = Browser(client, admin.user.email).get("/admin/operations").get_data(as_text=True)
    assert "2 messages at Twilio could be this one" in page and "+1********43" in page
    assert "<strong>1</strong>" in page
    assert Browser(client, fac.user.email).get("/admin/operations").status_code == 403
