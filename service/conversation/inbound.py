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
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from messages.parse import Intent, Reply, parse_reply
from messages.phone import InvalidPhoneNumber, mask_phone, normalize_phone
from messages.segments import count_segments
from messages.system import system_text
from service.conversation.intents import CRISIS_TEXTS, Turn, respond
from service.models import (
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Participant,
    Prompt,
    PromptStatus,
    SurveyResponse,
    SurveyStatus,
)
from service.platform.db import utcnow
from service.platform.settings import Settings
from service.programme.consent import lift_suppression, suppressed
from service.programme.enrolment import org_of

log = logging.getLogger(__name__)

LATE_REPLY_HORIZON = timedelta(hours=24)


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


@cache
def _sender_state_query() -> Any:
    """Built once: the participant by phone, their latest sent prompt a reply may answer
    (correlated), and their survey still waiting (correlated). Bound per text."""
    p, s = aliased(Prompt), aliased(SurveyResponse)
    latest_prompt = (
        select(p.id)
        .where(
            p.participant_id == Participant.id,
            p.sent_at.is_not(None),
            p.sent_at >= bindparam("answerable_since"),
            p.status.in_((PromptStatus.SENT, PromptStatus.MISSED)),
        )
        .order_by(p.sent_at.desc(), p.id.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    waiting_survey = (
        select(s.id)
        .where(
            s.participant_id == Participant.id,
            s.status == SurveyStatus.OPEN,
            s.expires_at > bindparam("now"),
        )
        .order_by(s.id.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    return (
        select(Participant, Prompt, SurveyResponse)
        .select_from(Participant)
        .outerjoin(Prompt, Prompt.id == latest_prompt)
        .outerjoin(SurveyResponse, SurveyResponse.id == waiting_survey)
        .where(Participant.phone == bindparam("phone"))
    )


def sender_state(
    session: Session, phone: str, now: datetime
) -> tuple[Participant, OpenPrompt | None, SurveyResponse | None] | None:
    """The participant with this number, the prompt a reply answers (open inside its window,
    late up to 24 h after) and any survey waiting: one statement, the webhook's only read."""
    row = session.execute(
        _sender_state_query(),
        {"phone": phone, "now": now, "answerable_since": now - LATE_REPLY_HORIZON},
    ).first()
    if row is None:
        return None
    participant, prompt, survey = row
    found = None
    if prompt is not None:
        late = prompt.status == PromptStatus.MISSED or (
            prompt.window_ends_at is not None and now > prompt.window_ends_at
        )
        found = OpenPrompt(prompt=prompt, expecting=prompt.expecting, late=late)
    return participant, found, survey


def handle_inbound(
    session: Session,
    settings: Settings,
    message_sid: str,
    from_phone: str,
    body: str,
    num_media: int = 0,
    now: datetime | None = None,
    redelivery: bool = True,
) -> InboundResult:
    """Store and act on one inbound SMS; idempotent on `message_sid`. The caller commits.

    With `redelivery=False` the caller expects a new MessageSid and skips the lookup: a
    redelivery then fails the insert on the unique SID (IntegrityError), and the caller rolls
    back and asks again with `redelivery=True`, which answers as the first time did."""
    now = now or utcnow()
    existing = (
        session.scalar(select(InboundMessage).where(InboundMessage.message_sid == message_sid))
        if redelivery
        else None
    )
    if existing is not None:
        return InboundResult(
            replies=_stored_replies(session, existing), inbound=existing, duplicate=True
        )

    try:
        phone = normalize_phone(from_phone, settings.default_phone_region)
    except InvalidPhoneNumber:
        phone = None
    state = sender_state(session, phone, now) if phone else None
    if state is None:
        return _unknown_sender(session, settings, message_sid, phone, body, now)
    participant, found, survey = state
    reply = parse_reply(body, found.expecting if found else None)
    inbound = InboundMessage(
        message_sid=message_sid,
        participant=participant,
        body=body,
        num_media=num_media,
        received_at=now,
        intent=reply.intent.value,
        crisis=reply.crisis,
        concern=reply.concern,
        crisis_reason=reply.crisis_reason,
        review=reply.review,
        to_read=needs_reading(reply),
        prompt_id=found.prompt.id if found else None,
        late=bool(found and found.late),
    )
    session.add(inbound)
    session.flush()
    log.info(
        "inbound %s from %s: intent=%s crisis=%s concern=%s",
        message_sid,
        mask_phone(participant.phone),
        reply.intent.value,
        reply.crisis,
        reply.concern,
    )
    turn = Turn(
        session,
        settings,
        participant,
        inbound,
        reply,
        found.prompt if found else None,
        bool(found and found.late),
        now,
        org_of(settings),
        survey=survey,
    )
    texts = respond(turn)
    result = InboundResult(inbound=inbound)
    for kind, text in texts:
        result.replies.append(
            _record_reply(session, participant, participant.phone, kind, text, now)
        )
    if result.replies:
        inbound.reply_message_id = result.replies[0].id
    return result


def _stored_replies(session: Session, inbound: InboundMessage) -> list[OutboundMessage]:
    """The replies first given to `inbound` (a redelivery gets exactly the same answer)."""
    first = (
        session.get(OutboundMessage, inbound.reply_message_id) if inbound.reply_message_id else None
    )
    if first is None:
        return []
    # Replies to one text are recorded together: same recipient, same moment, ids in a row.
    return list(
        session.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.channel == "reply",
                OutboundMessage.to_phone == first.to_phone,
                OutboundMessage.sent_at == first.sent_at,
                OutboundMessage.id >= first.id,
                OutboundMessage.id < first.id + 4,
            )
            .order_by(OutboundMessage.id)
        )
    )


def needs_reading(reply: Reply) -> bool:
    """Whether a person should read this reply: a note, a flagged or unsure reading, a crisis."""
    return reply.intent == Intent.NOTE or reply.review is not None or reply.crisis or reply.concern


def _unknown_sender(
    session: Session,
    settings: Settings,
    message_sid: str,
    phone: str | None,
    body: str,
    now: datetime,
) -> InboundResult:
    """A number we do not know: keep only the SID (no health data) and say how to join.

    Crisis language from anyone gets the crisis resources, enrolled or not.
    """
    inbound = InboundMessage(message_sid=message_sid, participant=None, body=None, received_at=now)
    session.add(inbound)
    session.flush()
    result = InboundResult(inbound=inbound)
    reply = parse_reply(body)
    org = org_of(settings)
    if phone and (reply.crisis or reply.concern):
        for key in CRISIS_TEXTS:
            text = system_text(key, None, org)
            result.replies.append(_record_reply(session, None, phone, key, text, now))
        log.warning("crisis language from an unknown number %s: resources sent", mask_phone(phone))
    elif phone and suppressed(session, settings, phone) is not None:
        # Once enrolled, opted out, and their data deleted: still nothing after STOP, until
        # START says they want texts again (then they hear how to join, like anyone).
        if reply.intent == Intent.OPT_IN:
            lift_suppression(session, settings, phone)
            text = system_text("unknown_number", None, org)
            result.replies.append(_record_reply(session, None, phone, "unknown_number", text, now))
    elif phone and reply.intent != Intent.OPT_OUT:
        text = system_text("unknown_number", None, org)
        result.replies.append(_record_reply(session, None, phone, "unknown_number", text, now))
    if result.replies:
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
