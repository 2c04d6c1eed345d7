"""Alerts raised by what a client writes: crisis (with on-call notifications) and flare."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import redis
from flask import Flask, current_app
from rq import Queue
from sqlalchemy.orm import Session

from service.care.alert_workflow import first_escalation
from service.messaging.outbox import URGENT_QUEUE
from service.models import Alert, AlertKind, AlertNotification, InboundMessage, Participant
from service.platform.db import after_commit, transaction_state
from service.platform.redis_conn import get_redis
from service.platform.settings import Settings

log = logging.getLogger(__name__)

NOTIFY_JOB = "jobs.notify.notify_alert"
RULES_JOB = "jobs.rules.check_due_rules"
# Set while a rules job is queued and has not started: texts meanwhile need no job of their
# own. It expires in case that job is lost (the sweep has the ratings anyway).
RULES_PENDING_KEY = "paceline:rules:pending"
RULES_PENDING_SECONDS = 30


def raise_alert(
    session: Session,
    participant: Participant,
    inbound: InboundMessage,
    kind: AlertKind,
    detail: str,
    now: datetime,
    reason: str | None = None,
) -> Alert:
    """Add an alert for the participant's group, tied to the message that raised it."""
    alert = Alert(
        group_id=participant.group_id,
        participant=participant,
        kind=kind,
        detail=detail,
        reason=reason,
        inbound_message_id=inbound.id,
        created_at=now,
    )
    session.add(alert)
    session.flush()
    return alert


REASON_WORDS = {
    "wish_dead": "wish to be dead",
    "thoughts": "thoughts of suicide",
    "method": "a method or means",
    "plan": "intent or a plan",
    "preparing": "preparing (note, goodbyes, giving things away)",
    "burden": "feeling a burden",
    "no_reason": "no reason to live",
    "trapped": "feeling trapped",
    "self_harm": "self-harm",
}


def raise_crisis(
    session: Session,
    settings: Settings,
    participant: Participant,
    inbound: InboundMessage,
    now: datetime,
    concern: bool = False,
    reason: str | None = None,
) -> Alert:
    """A crisis alert, plus one notification per on-call channel, enqueued after the commit.

    A concern (a negated or third-party mention) is an alert marked for review: no page.
    """
    why = REASON_WORDS.get(reason or "", "suicide or self-harm")
    if concern:
        alert = raise_alert(
            session,
            participant,
            inbound,
            AlertKind.CONCERN,
            f"mentions suicide or self-harm, negated or about someone else ({why}): please review",
            now,
            reason,
        )
        alert.next_escalation_at = first_escalation(settings, AlertKind.CONCERN, now)
        return alert
    alert = raise_alert(
        session,
        participant,
        inbound,
        AlertKind.CRISIS,
        f"message may signal a crisis: {why}",
        now,
        reason,
    )
    alert.next_escalation_at = first_escalation(settings, AlertKind.CRISIS, now)
    targets = []
    if settings.crisis_alert_phone:
        targets.append(("sms", settings.crisis_alert_phone))
    if settings.crisis_alert_email:
        targets.append(("email", settings.crisis_alert_email))
    for channel, target in targets:
        session.add(
            AlertNotification(alert=alert, channel=channel, target=target, next_attempt_at=now)
        )
    if not targets:
        log.warning("crisis alert %s raised but no CRISIS_ALERT_PHONE/EMAIL is set", alert.id)
        return alert
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    alert_id = alert.id
    after_commit(session, lambda: enqueue_notify(app, alert_id))
    return alert


def enqueue_notify(app: Flask, alert_id: int) -> None:
    """Enqueue the on-call notification job; the sweep retries if Redis is unreachable."""
    _enqueue(app, URGENT_QUEUE, NOTIFY_JOB, alert_id, f"notification for alert {alert_id}",
             job_id=f"notify-{alert_id}")  # fmt: skip


def _enqueue(app: Flask, queue: str, job: str, arg: int, what: str, **options: Any) -> None:
    """Enqueue one job after a commit; Redis trouble is logged, and the sweep finds the work
    in the database instead."""
    try:
        Queue(queue, connection=get_redis(app)).enqueue(
            job, arg, job_timeout=60, failure_ttl=7 * 86400, **options
        )
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.warning("could not enqueue the %s, the sweep will take it: %s", what, exc)


def rules_after_commit(session: Session) -> None:
    """Have the rating rules of this transaction's new ratings run in a job once they are
    committed (asked once per transaction); the sweep runs them if the job is lost."""
    state = transaction_state(session)
    if state.get("rules_asked"):
        return
    state["rules_asked"] = True
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(session, lambda: ask_for_rules(app))


def ask_for_rules(app: Flask) -> None:
    """Make sure a rules job is coming: one job runs every rating still due, so a busy
    minute of texts costs one Redis SET each (a job is enqueued only by the text that finds
    none coming), not one job each. The job clears the flag before it reads, so a rating
    committed after its read asks for the next job. Redis trouble leaves the ratings due for
    the sweep."""
    try:
        connection = get_redis(app)
        if connection.set(RULES_PENDING_KEY, "1", nx=True, ex=RULES_PENDING_SECONDS):
            Queue("default", connection=connection).enqueue(
                RULES_JOB, job_timeout=300, result_ttl=600, failure_ttl=7 * 86400,
                description="rating rules of the ratings still due",
            )  # fmt: skip
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.warning("could not ask for the alert-rules job, the sweep will run them: %s", exc)
