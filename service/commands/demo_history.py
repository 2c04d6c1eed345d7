"""Six weeks of plausible history for `make run`'s demo groups, so every page means something.

Each demo member joined six weeks ago and got two check-ins a day: answered about four times
in five (pain easing, mood lifting, with day-to-day noise), missed the rest. One member had a
flare in week three (raised and acknowledged), another a high-pain day (acknowledged with a
note), and a few notes were left for the clinician. Everyone answered a PEG each Monday and a
PHQ-2 before the last two sessions; one PHQ-2 was positive (its screen alert still open). Each group meets weekly (six sessions
behind, three ahead). Deterministic: a fixed seed per member.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from messages.library import rotate
from messages.surveys import INSTRUMENTS, score
from service.models import (
    Alert,
    AlertKind,
    Group,
    GroupSession,
    InboundMessage,
    MessageStatus,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    StaffUser,
    SurveyAnswer,
    SurveyResponse,
    SurveyStatus,
)
from service.programme.consent import record_opt_in

DAYS = 42
NOTES = (
    "Walked to the corner shop and back today, first time in weeks.",
    "The breathing one helps at night.",
    "Bad sleep, back stiff this morning.",
    "Called my sister like the text said. Nice chat.",
    "Group was good this week, thank you.",
)


def seed_history(
    session: Session, participants: list[Participant], clinician: StaffUser, now: datetime
) -> int:
    """Add six weeks of prompts, replies, logs, notes and two alerts; return rows added.

    Does nothing for a member who already has prompts (make run may start many times)."""
    added = 0
    for index, participant in enumerate(participants):
        has_history = session.scalar(
            select(Prompt.id).where(Prompt.participant_id == participant.id).limit(1)
        )
        if has_history:
            continue
        added += _member_history(session, participant, index, clinician, now)
    for group in {p.group for p in participants}:
        added += _weekly_sessions(session, group, now)
    for index, participant in enumerate(participants):
        added += _survey_history(session, participant, index, now)
    session.commit()
    return added


def _weekly_sessions(session: Session, group: Group, now: datetime) -> int:
    """A group session each week at 14:00 local, six weeks back and three ahead (once)."""
    if session.scalar(select(GroupSession.id).where(GroupSession.group_id == group.id).limit(1)):
        return 0
    zone = ZoneInfo(group.timezone)
    first = now.astimezone(zone).date() - timedelta(days=DAYS - 2)
    for week in range(9):
        starts = datetime.combine(first + timedelta(weeks=week), time(14), zone)
        session.add(GroupSession(group=group, starts_at=starts.astimezone(UTC),
                                 title=f"Session {week + 1}"))  # fmt: skip
    return 9


def _member_history(
    session: Session, participant: Participant, index: int, clinician: StaffUser, now: datetime
) -> int:
    rng = random.Random(1000 + index)
    zone = ZoneInfo(participant.effective_timezone())
    participant.status = ParticipantStatus.ACTIVE
    participant.consent_at = now - timedelta(days=DAYS, hours=2)
    participant.consent_source = "sms_yes"
    record_opt_in(session, participant, source="sms_yes", at=participant.consent_at, words="YES",
                  message_sid=f"SMdemo{participant.id:026d}")  # fmt: skip
    participant.next_plan_at = now  # the planner carries on from today
    start_pain, start_mood = rng.randint(5, 7), rng.randint(3, 5)
    rows = 0
    today = now.astimezone(zone).date()
    for day in range(DAYS, 0, -1):
        local_day = today - timedelta(days=day)  # local calendar days: DST-safe
        progress = (DAYS - day) / DAYS
        for slot, (hour, expecting) in enumerate(((10, "pain"), (19, "checkin"))):
            sent = datetime.combine(local_day, time(hour, rng.randint(0, 20)), zone)
            answered = rng.random() < 0.8
            prompt = Prompt(
                participant=participant,
                slot_key=f"demo-{local_day.isoformat()}-{slot}",
                kind="checkin_pain" if expecting == "pain" else "checkin_both",
                expecting=expecting,
                status=PromptStatus.ANSWERED if answered else PromptStatus.MISSED,
                scheduled_for=sent,
                sent_at=sent,
                window_ends_at=sent + timedelta(hours=2),
                answered_at=sent + timedelta(minutes=rng.randint(2, 70)) if answered else None,
            )
            content = rotate(prompt.kind, day)
            prompt.content_key = content.key
            session.add(prompt)
            session.flush()
            session.add(
                OutboundMessage(
                    participant=participant,
                    to_phone=participant.phone,
                    body=content.text(participant.language),
                    kind="prompt",
                    channel="api",
                    status=MessageStatus.DELIVERED,
                    attempts=1,
                    next_attempt_at=sent,
                    sent_at=sent,
                    delivered_at=sent,
                    created_at=sent,
                    prompt_id=prompt.id,
                )
            )
            rows += 2
            if not answered:
                continue
            flare = index == 0 and 20 <= day <= 22
            pain = round(start_pain - 2 * progress + rng.uniform(-1.2, 1.2) + (3 if flare else 0))
            mood = round(start_mood + 2 * progress + rng.uniform(-1.2, 1.2) - (2 if flare else 0))
            pain, mood = max(0, min(10, pain)), max(0, min(10, mood))
            at = prompt.answered_at
            body = f"{pain}" if expecting == "pain" else f"{pain} {mood}"
            inbound = InboundMessage(
                message_sid=f"SMdemo{participant.id:04d}{day:03d}{slot}", participant=participant,
                body=body, received_at=at, intent="log", prompt_id=prompt.id,
            )  # fmt: skip
            session.add(inbound)
            session.flush()
            session.add(Observation(participant=participant, kind="pain", value=pain,
                                    recorded_at=at, inbound_message_id=inbound.id,
                                    prompt_id=prompt.id))  # fmt: skip
            rows += 2
            if expecting == "checkin":
                session.add(Observation(participant=participant, kind="mood", value=mood,
                                        recorded_at=at, inbound_message_id=inbound.id,
                                        prompt_id=prompt.id))  # fmt: skip
                rows += 1
            if flare and day == 22 and slot == 0:
                _alert(session, participant, inbound, AlertKind.FLARE, "participant reported a pain flare",
                       at, clinician, "called_client", "Went through the flare plan together.")  # fmt: skip
            if index == 1 and day == 9 and slot == 1 and pain >= 0:
                inbound.body = "pain 8, rough day"
                _alert(session, participant, inbound, AlertKind.HIGH_PAIN, "pain 8/10", at,
                       clinician, "left_message", "Left a voicemail; she texted back she is resting.")  # fmt: skip
        if day % 9 == index % 9:
            note_at = datetime.combine(local_day, time(15, rng.randint(0, 59)), zone)
            session.add(InboundMessage(
                message_sid=f"SMdemonote{participant.id:04d}{day:03d}", participant=participant,
                body=NOTES[(day + index) % len(NOTES)], received_at=note_at, intent="note",
                to_read=day < 4,
            ))  # fmt: skip
            rows += 1
    return rows


def _survey_history(session: Session, participant: Participant, index: int, now: datetime) -> int:
    """A PEG every Monday at 11:00, easing with the pain; a PHQ-2 before the last two sessions,
    positive once for the third member (its screen alert left open for the clinician)."""
    if session.scalar(select(SurveyResponse.id).where(SurveyResponse.participant_id == participant.id).limit(1)):  # fmt: skip
        return 0
    rng = random.Random(2000 + index)
    zone = ZoneInfo(participant.effective_timezone())
    today = now.astimezone(zone).date()
    mondays = [today - timedelta(days=d) for d in range(1, DAYS) if (today - timedelta(days=d)).weekday() == 0]  # fmt: skip
    sessions = list(session.scalars(
        select(GroupSession.starts_at)
        .where(GroupSession.group_id == participant.group_id, GroupSession.starts_at < now)
        .order_by(GroupSession.starts_at.desc())
        .limit(2)
    ))  # fmt: skip
    planned = [("peg", datetime.combine(day, time(11), zone).astimezone(UTC)) for day in mondays]
    planned += [("phq2", start - timedelta(hours=1)) for start in sessions]
    rows = 0
    for key, sent in sorted(planned, key=lambda item: item[1]):
        weeks_ago = (now - sent).days / 7
        if key == "peg":
            base = 4 + round(weeks_ago / 2)
            values = [max(0, min(10, base + rng.randint(-1, 1) + offset)) for offset in (0, 1, -1)]
        else:
            values = (
                [2, 3] if index == 2 and weeks_ago < 1 else [rng.randint(0, 1), rng.randint(0, 1)]
            )
        instrument = INSTRUMENTS[key]
        prompt = Prompt(participant=participant, slot_key=f"demo-survey-{key}-{sent:%Y%m%d%H%M}",
                        kind=f"survey_{key}", expecting="survey", status=PromptStatus.ANSWERED,
                        scheduled_for=sent, sent_at=sent, window_ends_at=sent + timedelta(hours=2),
                        answered_at=sent + timedelta(minutes=6), content_key=f"survey:{key}")  # fmt: skip
        session.add(prompt)
        session.flush()
        result = score(instrument, values)
        done = sent + timedelta(minutes=6 + 2 * len(values))
        response = SurveyResponse(participant_id=participant.id, prompt_id=prompt.id,
                                  instrument=key, language=participant.language, started_at=sent,
                                  expires_at=prompt.window_ends_at, status=SurveyStatus.COMPLETE,
                                  item_index=len(values), completed_at=done, score=result.value,
                                  positive=result.positive)  # fmt: skip
        session.add(response)
        session.flush()
        for n, (item, value) in enumerate(zip(instrument.items, values, strict=True)):
            session.add(SurveyAnswer(response_id=response.id, link_id=item.link_id, value=value,
                                     answered_at=sent + timedelta(minutes=6 + 2 * n)))  # fmt: skip
        if result.positive:
            inbound = InboundMessage(message_sid=f"SMdemoscreen{participant.id:04d}",
                                     participant=participant, body=str(values[-1]),
                                     received_at=done, intent="log")  # fmt: skip
            session.add(inbound)
            session.flush()
            session.add(Alert(group_id=participant.group_id, participant=participant,
                              kind=AlertKind.SCREEN, reason=key, inbound_message_id=inbound.id,
                              detail=f"{instrument.name} {result.value:g}/6: positive screen (3 or more)",
                              created_at=done))  # fmt: skip
        rows += 2 + len(values)
    return rows


def _alert(session: Session, participant: Participant, inbound: InboundMessage, kind: AlertKind,
           detail: str, at: datetime, clinician: StaffUser, action: str, note: str) -> None:  # fmt: skip
    session.flush()
    session.add(
        Alert(
            group_id=participant.group_id,
            participant=participant,
            kind=kind,
            detail=detail,
            inbound_message_id=inbound.id,
            created_at=at,
            acknowledged_at=at + timedelta(hours=3),
            acknowledged_by_id=clinician.id,
            ack_action=action,
            ack_note=note,
        )
    )
