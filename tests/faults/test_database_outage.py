"""A 60-second database outage under signed inbound traffic, through real gunicorn: every text
answered (crisis texts with the resources, inside the request), none lost, every crisis
alerted once the database is back."""

from __future__ import annotations

import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from jobs.sweeps import run_sweep
from service.commands.cli import upgrade_database
from service.messaging.sms import get_backend
from service.models import (
    Alert,
    AlertKind,
    AlertNotification,
    Group,
    InboundMessage,
    Participant,
    ParticipantStatus,
)
from service.platform import spool
from service.platform.db import db
from tests.conftest import ACCOUNT_SID, FROM_NUMBER, daytime_zone, free_port, twilio_signature
from tests.faults.conftest import Proc, service_env, wait_until

OUTAGE_SECONDS = 60
CRISIS = "I hope I don't wake up tomorrow"

pytestmark = pytest.mark.faults


def _post(base: str, sid: str, phone: str, body: str) -> tuple[int, str]:
    params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone, "To": FROM_NUMBER,
              "Body": body, "NumMedia": "0"}  # fmt: skip
    request = urllib.request.Request(
        base + "/twilio/inbound",
        data=urlencode(params).encode(),
        headers={"X-Twilio-Signature": twilio_signature("/twilio/inbound", params)},
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status, response.read().decode()


def test_a_database_outage_loses_no_text(
    own_postgres, postgres_url, base_env, make_app, procs, fault_dir
):
    instance = fault_dir / "instance"
    settings = {"DATABASE_URL": own_postgres.url, "INSTANCE_PATH": str(instance),
                "CRISIS_ALERT_PHONE": "+12085550100"}  # fmt: skip
    app = make_app(**settings)
    upgrade_database(app)
    with app.app_context():
        session = db.session()
        group = Group(name="Outage", timezone=daytime_zone())
        people = [
            Participant(group=group, phone=f"+1404555{i:04d}", status=ParticipantStatus.ACTIVE)
            for i in range(30)
        ]
        session.add_all([group, *people])
        session.commit()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = Proc(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--timeout", "15",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        service_env(base_env, **settings),
        fault_dir / "web.log",
    )  # fmt: skip
    procs.append(web)
    assert wait_until(lambda: _up(base), 30), "gunicorn did not start"

    texts = []  # (sid, phone, body, crisis?)
    for i in range(300):
        crisis = i % 10 == 3
        texts.append(
            (f"SM{i:032x}", people[i % 30].phone, CRISIS if crisis else f"pain {i % 11}", crisis)
        )
    answers: dict[str, tuple[int, str]] = {}

    def send(batch: list[tuple[str, str, str, bool]], spread: float) -> None:
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = []
            for sid, phone, body, _ in batch:
                futures.append((sid, pool.submit(_post, base, sid, phone, body)))
                time.sleep(spread)
            for sid, future in futures:
                answers[sid] = future.result()

    send(texts[:50], 0.0)
    own_postgres.stop()
    outage_started = time.monotonic()
    send(texts[50:250], (OUTAGE_SECONDS - 2) / 200)
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_started)))
    own_postgres.start()
    send(texts[250:], 0.0)

    assert all(status == 200 for status, _ in answers.values()), "every text answered 200"
    for sid, _phone, _body, crisis in texts:
        if crisis:
            assert "988" in answers[sid][1], "crisis resources inside the request"

    with app.app_context():
        session = db.session()
        backend = get_backend(app)

        def drained() -> bool:
            run_sweep(app, session, backend)
            session.expire_all()
            return spool.depth(app).total == 0

        assert wait_until(drained, 60, every=1.0), "the spool did not drain"
        stored = session.scalar(select(func.count(InboundMessage.id)))
        distinct = session.scalar(select(func.count(func.distinct(InboundMessage.message_sid))))
        alerts = session.scalar(select(func.count(Alert.id)).where(Alert.kind == AlertKind.CRISIS))
        notifications = session.scalar(select(func.count(AlertNotification.id)))
    assert stored == distinct == 300, f"{300 - stored} texts lost"
    assert alerts == 30, "every crisis alerted after recovery"
    assert notifications == 30, "every crisis paged on-call"


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
            return response.status in (200, 503)
    except OSError:
        return False
