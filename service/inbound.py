"""What happens when a client's text arrives: store it, understand it, act, and choose the reply.

Runs inside the webhook request, so it only touches the database; anything slow (notifying
the on-call contact) is a job enqueued after the commit. Replies are returned to the caller,
which answers Twilio with TwiML; each is also recorded in the outbox as a `reply` row so the
conversation and its delivery status are complete.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import redis
from flask import Flask, current_app
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from messages.parse import Intent, Reply, parse_reply
from messages.phone import InvalidPhoneNumber, mask_phone, normalize_phone
from messages.segments import count_segments
from messages.system import logged_values, system_text
from service.alert_rules import check_observation
from service.db import after_commit, utcnow
from service.enrolment import org_of
from service.models import (
    Alert,
    AlertKind,
    AlertNotification,
    InboundMessage,
    MessageStatus,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.outbox import URGENT_QUEUE, suppress_pending
from service.planning import cancel_planned, cancel_reminder, replan, send_extra_exercise
from service.redis_conn import get_redis
from service.settings import Settings

log = logging.getLogger(__name__)

LATE_REPLY_HORIZON = timedelta(hours=24)
FLARE_DAYS = 3
NOTE_ACK_EVERY = timedelta(hours=24)
NOTIFY_JOB = "jobs.notify.notify_alert"


@dataclass
class InboundResult:
    """The replies to send back (already recorded as outbox rows) and what the message was."""

    replies: list[OutboundMessage] = field(default_factory=list)
    inbound: InboundMessage | None = None
    duplicate: bool = False


@dataclass(frozen=True)
class OpenPrompt:
    """The prompt a reply answers, what it asked, and whether the answer is late."""

    prompt: Prompt
    expecting: str | None
    late: bool


def open_prompt(session: Session, participant: Participant, now: datetime) -> OpenPrompt | None:
    """The participant's latest sent prompt: open inside its window, late up to 24 h after."""
    prompt = session.scalar(
        select(Prompt)
        .where(
            Prompt.participant_id == participant.id,
            Prompt.sent_at.is_not(None),
            Prompt.sent_at >= now - LATE_REPLY_HORIZON,
            Prompt.status.in_((PromptStatus.SENT, PromptStatus.MISSED)),
        )
        .order_by(Prompt.sent_at.desc(), Prompt.id.desc())
        .limit(1)
    )
    if prompt is None:
        return None
    late = prompt.status == PromptStatus.MISSED or (
        prompt.window_ends_at is not None and now > prompt.window_ends_at
    )
    return OpenPrompt(prompt=prompt, expecting=prompt.expecting, late=late)


def handle_inbound(
    session: Session,
    settings: Settings,
    message_sid: str,
    from_phone: str,
    body: str,
    num_media: int = 0,
    now: datetime | None = None,
) -> InboundResult:
    """Store and act on one inbound SMS; idempotent on `message_sid`. The caller commits."""
    now = now or utcnow()
    existing = session.scalar(
        select(InboundMessage).where(InboundMessage.message_sid == message_sid)
    )
    if existing is not None:
        replies = (
            [session.get(OutboundMessage, existing.reply_message_id)]
            if existing.reply_message_id
            else []
        )
        return InboundResult(replies=[r for r in replies if r], inbound=existing, duplicate=True)

    try:
        phone = normalize_phone(from_phone, settings.default_phone_region)
    except InvalidPhoneNumber:
        phone = None
    participant = (
        session.scalar(select(Participant).where(Participant.phone == phone)) if phone else None
    )
    if participant is None:
        return _unknown_sender(session, settings, message_sid, phone, body, now)

    found = open_prompt(session, participant, now)
    reply = parse_reply(body, found.expecting if found else None)
    inbound = InboundMessage(
        message_sid=message_sid,
        participant=participant,
        body=body,
        num_media=num_media,
        received_at=now,
        intent=reply.intent.value,
        crisis=reply.crisis,
        prompt_id=found.prompt.id if found else None,
        late=bool(found and found.late),
    )
    session.add(inbound)
    session.flush()
    log.info(
        "inbound %s from %s: intent=%s crisis=%s",
        message_sid,
        mask_phone(participant.phone),
        reply.intent.value,
        reply.crisis,
    )
    handler = _Conversation(session, settings, participant, inbound, reply, found, now)
    texts = handler.run()
    result = InboundResult(inbound=inbound)
    for kind, text in texts:
        result.replies.append(
            _record_reply(session, participant, participant.phone, kind, text, now)
        )
    if result.replies:
        inbound.reply_message_id = result.replies[0].id
    return result


def _unknown_sender(
    session: Session,
    settings: Settings,
    message_sid: str,
    phone: str | None,
    body: str,
    now: datetime,
) -> InboundResult:
    """A number we do not know: keep only the SID (no health data) and say how to join."""
    inbound = InboundMessage(message_sid=message_sid, participant=None, body=None, received_at=now)
    session.add(inbound)
    session.flush()
    result = InboundResult(inbound=inbound)
    intent = parse_reply(body).intent
    if phone and intent not in (Intent.OPT_OUT,):
        text = system_text("unknown_number", None, org_of(settings))
        result.replies.append(_record_reply(session, None, phone, "unknown_number", text, now))
        inbound.reply_message_id = result.replies[0].id
    log.info("inbound %s from an unknown number %s", message_sid, mask_phone(phone))
    return result


def _record_reply(
    session: Session,
    participant: Participant | None,
    phone: str,
    kind: str,
    text: str,
    now: datetime,
) -> OutboundMessage:
    row = OutboundMessage(
        participant=participant,
        to_phone=phone,
        body=text,
        kind=kind,
        channel="reply",
        status=MessageStatus.ACCEPTED,
        attempts=1,
        next_attempt_at=None,
        segments=count_segments(text),
        sent_at=now,
    )
    session.add(row)
    session.flush()
    return row


class _Conversation:
    """Applies one parsed reply to one known participant; `run` returns (kind, text) replies."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        participant: Participant,
        inbound: InboundMessage,
        reply: Reply,
        found: OpenPrompt | None,
        now: datetime,
    ) -> None:
        self.session = session
        self.settings = settings
        self.p = participant
        self.inbound = inbound
        self.reply = reply
        self.found = found
        self.now = now
        self.org = org_of(settings)

    def text(self, key: str, **values: object) -> tuple[str, str]:
        return key, system_text(key, self.p.language, self.org, **values)

    def run(self) -> list[tuple[str, str]]:
        status = self.p.status
        intent = self.reply.intent
        # Safety first: the alert is raised whatever the participant's status.
        if self.reply.crisis:
            self.raise_crisis()
        if status in (ParticipantStatus.OPTED_OUT, ParticipantStatus.WITHDRAWN):
            # Nothing is ever sent after STOP except the answer to opting back in.
            if intent == Intent.OPT_IN and status == ParticipantStatus.OPTED_OUT:
                return [self.opt_in(resubscribe=True)]
            return []
        if intent == Intent.OPT_OUT:
            return [self.opt_out()]
        replies: list[tuple[str, str]] = []
        if self.reply.crisis:
            replies.append(self.text("crisis"))
        if status == ParticipantStatus.INVITED:
            if intent == Intent.OPT_IN:
                replies.append(self.opt_in(resubscribe=False))
            elif intent == Intent.HELP:
                replies.append(self.text("help"))
            elif not replies:
                replies.append(self.text("not_yet_joined"))
            return replies[:1]
        action = getattr(self, f"on_{intent.value}")
        answer = action()
        if answer and not replies:
            replies.append(answer)
        return replies

    # --- consent ---

    def opt_out(self) -> tuple[str, str]:
        self.p.status = ParticipantStatus.OPTED_OUT
        self.p.opted_out_at = self.now
        self.p.consent_source = "sms_stop"
        suppress_pending(self.session, self.p, "participant opted out")
        cancel_planned(self.session, self.p)
        self.p.next_plan_at = None
        return "opt_out_confirmation", system_text("stopped", self.p.language, self.org)

    def opt_in(self, resubscribe: bool) -> tuple[str, str]:
        self.p.status = ParticipantStatus.ACTIVE
        self.p.consent_at = self.now
        self.p.consent_source = "sms_resubscribe" if resubscribe else "sms_yes"
        self.p.opted_out_at = None
        self.p.paused_until = None
        replan(self.session, self.p, self.now)
        return self.text("resubscribed" if resubscribe else "welcome")

    def on_opt_in(self) -> tuple[str, str] | None:
        return self.text("already_active")

    def on_opt_out(self) -> tuple[str, str]:  # pragma: no cover - handled in run()
        return self.opt_out()

    def on_help(self) -> tuple[str, str]:
        return self.text("help")

    # --- logs and prompt answers ---

    def on_log(self) -> tuple[str, str]:
        prompt = self.found.prompt if self.found else None
        late = bool(self.found and self.found.late)
        for kind in ("pain", "mood"):
            value = getattr(self.reply, kind)
            if value is None:
                continue
            check_observation(self.session, self.p, kind, value, self.now, self.inbound.id)
            self.session.add(
                Observation(
                    participant=self.p,
                    kind=kind,
                    value=value,
                    recorded_at=self.now,
                    inbound_message_id=self.inbound.id,
                    prompt_id=prompt.id if prompt else None,
                    late=late,
                )
            )
        if prompt is not None and prompt.status in (PromptStatus.SENT, PromptStatus.MISSED):
            prompt.status = PromptStatus.ANSWERED
            prompt.answered_at = self.now
            cancel_reminder(self.session, prompt)
        values = logged_values(self.p.language, self.reply.pain, self.reply.mood)
        key, ack = self.text("ack_log", values=values)
        if self.reply.out_of_range:
            ack += " " + system_text("reask_range", self.p.language, self.org)
        return key, ack

    def on_note(self) -> tuple[str, str] | None:
        if self.reply.out_of_range:
            return self.text("reask_range")
        recent_ack = self.session.scalar(
            select(func.count(OutboundMessage.id)).where(
                OutboundMessage.participant_id == self.p.id,
                OutboundMessage.kind == "ack_note",
                OutboundMessage.created_at >= self.now - NOTE_ACK_EVERY,
            )
        )
        return None if recent_ack else self.text("ack_note")

    def _mark_prompt(self, status: PromptStatus) -> None:
        if self.found and self.found.prompt.status == PromptStatus.SENT:
            self.found.prompt.status = status
            self.found.prompt.answered_at = self.now
            cancel_reminder(self.session, self.found.prompt)

    def on_done(self) -> tuple[str, str]:
        self._mark_prompt(PromptStatus.DONE)
        return self.text("ack_done")

    def on_skip(self) -> tuple[str, str]:
        self._mark_prompt(PromptStatus.SKIPPED)
        return self.text("ack_skip")

    # --- state changes (their effect on planning lives in the planner) ---

    def on_pause(self) -> tuple[str, str]:
        days = self.reply.pause_days or 1
        self.p.status = ParticipantStatus.PAUSED
        self.p.paused_until = self.now + timedelta(days=days)
        cancel_planned(self.session, self.p)
        return self.text("ack_pause", days=days)

    def on_resume(self) -> tuple[str, str]:
        self.p.status = ParticipantStatus.ACTIVE
        self.p.paused_until = None
        replan(self.session, self.p, self.now)
        return self.text("ack_resume")

    def on_more(self) -> tuple[str, str]:
        if send_extra_exercise(self.session, self.settings, self.p, self.now):
            return self.text("ack_more")
        return self.text("ack_more_limited")

    def on_flare(self) -> tuple[str, str]:
        self.p.flare_until = self.now + timedelta(days=FLARE_DAYS)
        replan(self.session, self.p, self.now)
        self._alert(AlertKind.FLARE, "participant reported a pain flare")
        return self.text("ack_flare")

    # --- alerts ---

    def _alert(self, kind: AlertKind, detail: str) -> Alert:
        alert = Alert(
            group_id=self.p.group_id,
            participant=self.p,
            kind=kind,
            detail=detail,
            inbound_message_id=self.inbound.id,
            created_at=self.now,
        )
        self.session.add(alert)
        self.session.flush()
        return alert

    def raise_crisis(self) -> None:
        alert = self._alert(AlertKind.CRISIS, "message may signal a crisis (suicide or self-harm)")
        targets = []
        if self.settings.crisis_alert_phone:
            targets.append(("sms", self.settings.crisis_alert_phone))
        if self.settings.crisis_alert_email:
            targets.append(("email", self.settings.crisis_alert_email))
        for channel, target in targets:
            self.session.add(
                AlertNotification(
                    alert=alert, channel=channel, target=target, next_attempt_at=self.now
                )
            )
        if not targets:
            log.warning("crisis alert %s raised but no CRISIS_ALERT_PHONE/EMAIL is set", alert.id)
            return
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        alert_id = alert.id
        after_commit(self.session, lambda: enqueue_notify(app, alert_id))


def enqueue_notify(app: Flask, alert_id: int) -> None:
    """Enqueue the on-call notification job; the sweep retries if Redis is unreachable."""
    try:
        Queue(URGENT_QUEUE, connection=get_redis(app)).enqueue(
            NOTIFY_JOB, alert_id, job_id=f"notify-{alert_id}", job_timeout=60, failure_ttl=7 * 86400
        )
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.warning(
            "could not enqueue notification for alert %s, the sweep will: %s", alert_id, exc
        )
