"""Races on PostgreSQL: Twilio redelivering one MessageSid ten times at once and 'sent' and
'delivered' callbacks for one message arriving together (through real gunicorn), and two
clocks' sweeps reconciling one stuck send."""

from __future__ import annotations

import sys
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import sessionmaker

from jobs.send import deliver, reconcile
from service.messaging.outbox import queue_message
from service.messaging.sms import get_backend
from service.models import (
    Group,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Participant,
    ParticipantStatus,
)
from service.platform.db import db, utcnow
from tests.conftest import (
    ACCOUNT_SID,
    FROM_NUMBER,
    daytime_zone,
    free_port,
    twilio_env,
    twilio_signature,
)
from tests.faults.conftest import Proc, one_member, service_env, wait_until
from tests.twilio_fake import FakeTwilio, created

pytestmark = pytest.mark.faults


def _post(base: str, path: str, params: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        base + path,
        data=urlencode(params).encode(),
        headers={"X-Twilio-Signature": twilio_signature(path, params)},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _all_at_once(calls: list[tuple[str, dict[str, str]]], base: str) -> list[tuple[int, str]]:
    results: list[tuple[int, str] | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int, path: str, params: dict[str, str]) -> None:
        barrier.wait()
        results[i] = _post(base, path, params)

    threads = [threading.Thread(target=run, args=(i, p, q)) for i, (p, q) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return [r for r in results if r is not None]


def _gunicorn(base_env, fault_dir, procs) -> str:
    port = free_port()
    web = Proc(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--timeout", "15",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        service_env(base_env), fault_dir / "web.log",
    )  # fmt: skip
    procs.append(web)
    base = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: _ready(base), 30), "gunicorn did not start"
    return base


def _ready(base: str) -> bool:
    try:
        return _post(base, "/twilio/status", {})[0] == 204
    except urllib.error.URLError:
        return False


def test_concurrent_redelivery_answers_the_same_every_time(
    postgres_url, base_env, make_app, procs, fault_dir
):
    app = make_app()
    with app.app_context():
        session = db.session()
        group = Group(name="Races", timezone=daytime_zone())
        session.add_all([group, Participant(group=group, phone="+12085550143",
                                            status=ParticipantStatus.ACTIVE)])  # fmt: skip
        session.commit()
    base = _gunicorn(base_env, fault_dir, procs)
    for n in range(30):
        body = "I want to die" if n % 3 == 0 else f"pain {n % 11}"
        params = {"MessageSid": f"SM{n:032x}", "AccountSid": ACCOUNT_SID, "From": "+12085550143",
                  "To": FROM_NUMBER, "Body": body, "NumMedia": "0"}  # fmt: skip
        answers = _all_at_once([("/twilio/inbound", params)] * 10, base)
        assert [status for status, _ in answers] == [200] * 10, answers
        assert len({text for _, text in answers}) == 1, "every redelivery gets the same reply"
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count(InboundMessage.id))) == 30


def test_racing_status_callbacks_never_move_a_message_backwards(
    postgres_url, base_env, make_app, procs, fault_dir
):
    app = make_app()
    with app.app_context():
        session = db.session()
        rows = [
            OutboundMessage(
                to_phone="+12085550143",
                body=f"m{i}",
                kind="prompt",
                channel="api",
                status=MessageStatus.ACCEPTED,
                twilio_sid=f"SM{i:032x}",
            )
            for i in range(100)
        ]
        session.add_all(rows)
        session.commit()
        ids = [r.id for r in rows]
    base = _gunicorn(base_env, fault_dir, procs)
    for i, row_id in enumerate(ids):
        sid = f"SM{i:032x}"
        calls = [
            (f"/twilio/status?outbound={row_id}", {"MessageSid": sid, "MessageStatus": word})
            for word in ("sent", "delivered")
        ]
        assert [s for s, _ in _all_at_once(calls, base)] == [204, 204]
    with app.app_context():
        session = db.session()
        statuses = session.scalars(select(OutboundMessage.status)).all()
    assert set(statuses) == {MessageStatus.DELIVERED}, "a status moved backwards"


def test_two_answers_racing_into_one_survey_are_both_kept(
    postgres_url, base_env, make_app, procs, fault_dir
):
    """Two texts at once for the same survey item (a member answering twice quickly): the
    unique (response, item) row makes one of them retry, which then answers the next item.
    Nothing is lost and no item holds two answers."""
    from datetime import timedelta

    from service.models import Prompt, PromptStatus, SurveyResponse, SurveyStatus
    from service.platform.db import utcnow

    app = make_app()
    with app.app_context():
        session = db.session()
        member = one_member(session, "+12085550143", "Survey races")
        member_id = member.id
    base = _gunicorn(base_env, fault_dir, procs)
    rounds = 12
    for n in range(rounds):
        with app.app_context():
            session = db.session()
            now = utcnow()
            prompt = Prompt(participant_id=member_id, slot_key=f"race-{n}", kind="survey_phq2",
                            expecting="survey", status=PromptStatus.SENT, scheduled_for=now,
                            sent_at=now, window_ends_at=now + timedelta(hours=2))  # fmt: skip
            session.add(prompt)
            session.flush()
            session.add(SurveyResponse(participant_id=member_id, prompt_id=prompt.id,
                                       instrument="phq2", started_at=now,
                                       expires_at=now + timedelta(hours=2)))  # fmt: skip
            session.commit()
        calls = [
            ("/twilio/inbound", {"MessageSid": f"SMrace{n:03d}{k}{'0' * 22}", "AccountSid": ACCOUNT_SID,
                                 "From": "+12085550143", "To": FROM_NUMBER, "Body": str(k + 1),
                                 "NumMedia": "0"})
            for k in range(2)
        ]  # fmt: skip
        answers = _all_at_once(calls, base)
        assert [status for status, _ in answers] == [200, 200], answers
    with app.app_context():
        session = db.session()
        surveys = session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)).all()
        assert len(surveys) == rounds
        for survey in surveys:
            assert survey.status == SurveyStatus.COMPLETE, survey.id
            assert sorted(a.value for a in survey.answers) == [1, 2]
            assert sorted(a.link_id for a in survey.answers) == ["phq2-1", "phq2-2"]
        assert session.scalar(select(func.count(InboundMessage.id))) == 2 * rounds


def test_two_sweeps_reconciling_one_stuck_send_requeue_it_once(postgres_url, make_app):
    """Two clocks' sweeps take the same send left 'sending' by a dead worker. The slower one's
    Twilio lookup finds nothing, but before it answers the faster one has requeued the text
    and a worker has sent it: the slower one must not queue it a second time."""
    fake = FakeTwilio()
    fake.respond((*created("auto"), 0.05))
    try:
        app = make_app(**twilio_env(fake.url))
        backend, settings = get_backend(app), app.extensions["paceline.settings"]
        with app.app_context():
            session = db.session()
            person = one_member(session, "+12085550101", "Races")
            row = queue_message(session, body="Reconciled once", kind="prompt", participant=person)
            session.commit()
            # A claim whose worker died a minute ago, before Twilio took the text.
            session.execute(update(OutboundMessage).where(OutboundMessage.id == row.id).values(
                status=MessageStatus.SENDING, attempts=1,
                updated_at=utcnow() - timedelta(minutes=1)))  # fmt: skip
            session.commit()

            slower = sessionmaker(bind=db.engine(app), expire_on_commit=False)()
            stale = slower.get(OutboundMessage, row.id)
            fake.list_delays = [1.5]  # the slower sweep's lookup answers late
            outcome: list[str] = []
            thread = threading.Thread(target=lambda: outcome.append(
                reconcile(slower, stale, backend, utcnow(), 2)))  # fmt: skip
            thread.start()
            assert wait_until(lambda: fake.list_delays == [], 5), "the slower lookup never began"

            session.refresh(row)
            assert reconcile(session, row, backend, utcnow(), 2) == "requeued"
            assert deliver(session, row.id, backend, settings) == "sent"
            thread.join(10)
            slower.close()

            assert outcome == ["moved"]
            session.refresh(row)
            assert row.status == MessageStatus.ACCEPTED and row.twilio_sid
            assert deliver(session, row.id, backend, settings) == "skip"
            assert [m["body"] for m in fake.accepted] == ["Reconciled once"]
    finally:
        fake.close()
