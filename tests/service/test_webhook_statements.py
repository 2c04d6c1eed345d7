"""The inbound webhook's cost per text: a plain log reply from an enrolled member answering
their open prompt runs at most six SQL statements (issue 13), whatever is in the tables."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.models import Observation, Participant, ParticipantStatus, Prompt, PromptStatus
from service.platform.db import utcnow
from tests.conftest import ACCOUNT_SID, FROM_NUMBER
from tests.service.test_page_queries import counted

PHONE = "+12085550143"


def _member_with_open_prompt(session, make_group) -> Participant:
    member = Participant(group=make_group(), phone=PHONE, status=ParticipantStatus.ACTIVE,
                         consent_at=utcnow() - timedelta(days=3))  # fmt: skip
    session.add(member)
    session.flush()
    now = utcnow()
    session.add(Prompt(participant_id=member.id, slot_key="t-1", kind="checkin_pain",
                       expecting="pain", scheduled_for=now - timedelta(minutes=5),
                       sent_at=now - timedelta(minutes=5), status=PromptStatus.SENT,
                       window_ends_at=now + timedelta(hours=2)))  # fmt: skip
    session.commit()
    return member


def _post(twilio_post, sid: str, body: str):
    return twilio_post("/twilio/inbound", {"MessageSid": sid, "AccountSid": ACCOUNT_SID,
                                          "From": PHONE, "To": FROM_NUMBER, "Body": body,
                                          "NumMedia": "0"})  # fmt: skip


def test_a_plain_log_reply_costs_at_most_six_statements(app, session, make_group, twilio_post):
    member = _member_with_open_prompt(session, make_group)
    with counted(app) as statements:
        response = _post(twilio_post, "SM" + "a" * 32, "6")
    assert response.status_code == 200
    session.expire_all()
    assert [o.value for o in session.scalars(select(Observation))] == [6]
    prompt = session.scalar(select(Prompt).where(Prompt.participant_id == member.id))
    assert prompt.status == PromptStatus.ANSWERED
    work = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]  # fmt: skip
    assert len(work) <= 6, "\n".join(s.split("\n")[0][:120] for s in work)
