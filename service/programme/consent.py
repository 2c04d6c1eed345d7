"""Consent evidence, and the numbers that must never be invited again.

Every opt-in keeps what the person said YES to (the invitation's exact wording and a version
id naming it), every opt-out the words they used; both with the channel, time and inbound
MessageSid, exportable per member. When an opted-out member's data is deleted, only a keyed
digest of the number stays in `suppressed_numbers`, so a later enrolment of that number is
refused: deleting someone's data must never restart texts they stopped.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.models import ConsentEvent, OutboundMessage, Participant, SuppressedNumber
from service.platform.settings import Settings

MAX_WORDS = 160


def wording_version(kind: str, language: str, wording: str) -> str:
    """A stable id of one exact wording: 'invitation/en/3f2a9c1b04de'."""
    return f"{kind}/{language}/{hashlib.sha256(wording.encode()).hexdigest()[:12]}"


def _invitation(session: Session, participant: Participant) -> OutboundMessage | None:
    """The last invitation the member was sent: what a YES answers."""
    return session.scalar(
        select(OutboundMessage)
        .where(OutboundMessage.participant_id == participant.id,
               OutboundMessage.kind == "invitation")
        .order_by(OutboundMessage.id.desc())
        .limit(1)
    )  # fmt: skip


def record_opt_in(
    session: Session,
    participant: Participant,
    *,
    source: str,
    at: datetime,
    words: str | None = None,
    message_sid: str | None = None,
    channel: str = "sms",
) -> ConsentEvent:
    """Keep the evidence of one opt-in; a YES is tied to the invitation it answers."""
    wording = version = None
    if source == "sms_yes" and (invitation := _invitation(session, participant)) is not None:
        wording = invitation.body
        version = wording_version("invitation", participant.language, wording)
    elif source == "sms_resubscribe":
        version = "keyword/START"
    event = ConsentEvent(
        participant_id=participant.id, kind="opt_in", source=source, channel=channel, at=at,
        wording=wording, wording_version=version, words=_clip(words), message_sid=message_sid,
    )  # fmt: skip
    session.add(event)
    return event


def record_opt_out(
    session: Session,
    participant: Participant,
    *,
    source: str,
    at: datetime,
    words: str | None = None,
    message_sid: str | None = None,
    channel: str = "sms",
    staff_id: int | None = None,
    kind: str = "opt_out",
) -> ConsentEvent:
    """Keep the evidence of one opt-out (the words used), or of a withdrawal by staff."""
    event = ConsentEvent(
        participant_id=participant.id, kind=kind, source=source, channel=channel, at=at,
        words=_clip(words), message_sid=message_sid, staff_id=staff_id,
    )  # fmt: skip
    session.add(event)
    return event


def consent_history(session: Session, participant_id: int) -> list[ConsentEvent]:
    """The member's consent events, oldest first."""
    return list(
        session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.participant_id == participant_id)
            .order_by(ConsentEvent.at, ConsentEvent.id)
        )
    )


def _clip(words: str | None) -> str | None:
    return words.strip()[:MAX_WORDS] if words else None


# --- numbers that opted out and were then deleted --------------------------------------------


def number_digest(settings: Settings, phone: str) -> str:
    """A keyed digest of an E.164 number: it matches the number, and cannot be read back
    (an unkeyed hash of a ten-digit number can be reversed by trying them all)."""
    key = hmac.new(settings.secret_key.encode(), b"suppressed-numbers", hashlib.sha256).digest()
    return hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()


def suppress_number(
    session: Session, settings: Settings, phone: str, opted_out_at: datetime | None
) -> None:
    """Remember that this number stopped texts, before its other data is deleted."""
    digest = number_digest(settings, phone)
    if session.get(SuppressedNumber, digest) is None:
        session.add(SuppressedNumber(digest=digest, opted_out_at=opted_out_at))


def suppressed(session: Session, settings: Settings, phone: str) -> SuppressedNumber | None:
    """The suppression of `phone`, if it opted out before its data was deleted."""
    return session.get(SuppressedNumber, number_digest(settings, phone))


def lift_suppression(session: Session, settings: Settings, phone: str) -> bool:
    """START from a suppressed number: the person asks to be texted again."""
    result = session.execute(
        delete(SuppressedNumber).where(SuppressedNumber.digest == number_digest(settings, phone))
    )
    return bool(result.rowcount)
