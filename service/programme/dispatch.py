"""The planner's tick: wake pauses and flares, plan, send the due prompts, remind, close windows.

One `tick(session, settings, now)` does it all and is safe to run twice at once: dispatch
claims each prompt with a conditional UPDATE (planned -> sent) and, on PostgreSQL, selects
with FOR UPDATE SKIP LOCKED, so two clocks never send one prompt twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from messages.library import choose
from messages.schedule import Programme, send_window_after
from messages.surveys import SURVEY_KINDS
from service.messaging.outbox import outbox_values, queue_message, queue_rows
from service.models import (
    Group,
    NumberStatus,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
)
from service.platform.bulk import id_in, update_many
from service.platform.settings import Settings
from service.programme.extras import recent_content_keys, recent_content_keys_of, say
from service.programme.plans import BATCH, locked, plan_due, programme_of, replan
from service.programme.reminders import close_windows, remind_due
from service.programme.status import status_of
from service.programme.surveys import expire_surveys, start_survey
from service.programme.windows import queue_in_allowed_hours, quiet_spans_of

log = logging.getLogger(__name__)

TICK_BUDGET_SECONDS = 45.0  # ticks come every 60 s; a tick stops starting batches after this
STALE_AFTER = timedelta(minutes=30)  # a prompt this late (outage) is dropped, not sent


@dataclass(frozen=True)
class TickReport:
    """What one tick did."""

    woken: int
    planned: int
    sent: int
    cancelled: int
    reminded: int
    missed: int
    surveys_closed: int = 0


def tick(session: Session, settings: Settings, now: datetime) -> TickReport:
    """One planning pass; commits as it goes. Each step runs on its own: one that fails is
    logged and rolled back, and the others still run."""

    deadline = time.monotonic() + TICK_BUDGET_SECONDS

    def step(name: str, run: Callable[[], Any], empty: Any) -> Any:
        """Run one batch after another until a batch finds nothing or the tick's time is up:
        no fixed cap per tick, so a backlog (10,000 due in one minute) drains in that minute."""
        total = empty
        while True:
            try:
                got = run()
            except Exception:
                session.rollback()
                log.exception("planner tick: step '%s' failed; the other steps still ran", name)
                return total
            total = (
                tuple(map(sum, zip(total, got, strict=True)))
                if isinstance(got, tuple)
                else total + got
            )
            if not any(got if isinstance(got, tuple) else (got,)) or time.monotonic() > deadline:
                return total

    # What is due now goes first; planning ahead (36 hours) can wait for the next tick.
    woken = step("wake", lambda: wake_due(session, settings, now), 0)
    sent, cancelled = step("dispatch", lambda: dispatch_due(session, now), (0, 0))
    reminded = step("remind", lambda: remind_due(session, now), 0)
    missed = step("close windows", lambda: close_windows(session, now), 0)
    surveys = step("close surveys", lambda: expire_surveys(session, now), 0)
    planned = step("plan", lambda: plan_due(session, now), 0)
    return TickReport(woken, planned, sent, cancelled, reminded, missed, surveys)


def wake_due(session: Session, settings: Settings, now: datetime) -> int:
    """End pauses and flares whose time is up: plan again and say a short hello."""
    woken = 0
    paused = session.scalars(
        locked(
            select(Participant)
            .where(Participant.paused_until <= now, Participant.status == ParticipantStatus.PAUSED)
            .limit(BATCH),
            session,
        )
    ).all()
    for participant in paused:
        participant.status = ParticipantStatus.ACTIVE
        participant.paused_until = None
        replan(session, participant, now)
        say(session, participant, "resume", now)
        woken += 1
    flared = session.scalars(
        locked(select(Participant).where(Participant.flare_until <= now).limit(BATCH), session)
    ).all()
    for participant in flared:
        participant.flare_until = None
        replan(session, participant, now)
        if participant.status == ParticipantStatus.ACTIVE:
            say(session, participant, "flare_end", now)
        woken += 1
    session.commit()
    return woken


def dispatch_due(session: Session, now: datetime) -> tuple[int, int]:
    """Send every planned prompt whose time has come; cancel those that may no longer go.

    Set-based, so a herd of 10,000 due at 09:00 leaves in that minute: each batch is claimed
    with one conditional UPDATE per outcome (planned -> sent with each prompt's words and
    windows; planned -> cancelled), the words are chosen from one query of everyone's recent
    content, and the outbox rows go in one INSERT, their send jobs enqueued after the commit
    (service/platform/bulk.py: one array per column on PostgreSQL, not one parameter per value).
    """
    ids = session.scalars(
        locked(
            select(Prompt.id)
            .where(Prompt.status == PromptStatus.PLANNED, Prompt.scheduled_for <= now)
            .order_by(Prompt.scheduled_for, Prompt.id)
            .limit(BATCH),
            session,
        )
    ).all()
    if not ids:
        return 0, 0
    # Taken first, read second: the lock and the order need only the index, and the rows of
    # the batch (with their people) are then read by id.
    due = session.scalars(
        select(Prompt)
        .where(id_in(session, Prompt.id, ids))
        .order_by(Prompt.scheduled_for, Prompt.id)
        .options(joinedload(Prompt.participant, innerjoin=True))
    ).all()
    hours = _Hours(session, now)
    reasons = {p.id: _cannot_send(p.participant, p, now, hours) for p in due}
    cancelled = _claim(session, [p for p in due if reasons[p.id]], PromptStatus.CANCELLED, now)
    for prompt in cancelled:
        log.info("prompt %s cancelled: %s", prompt.id, reasons[prompt.id])
    going = [p for p in due if not reasons[p.id]]
    recent = recent_content_keys_of(session, {p.participant_id for p in going})
    words: dict[int, tuple[str | None, str | None]] = {}  # prompt id: (content key, text)
    for prompt in going:
        if prompt.kind in SURVEY_KINDS:  # a standard measure: its first item, one at a time
            words[prompt.id] = (f"survey:{SURVEY_KINDS[prompt.kind]}", None)
            continue
        keys = recent.setdefault(prompt.participant_id, [])
        content = choose((prompt.kind,), keys)
        keys.insert(0, content.key)  # two prompts of one person in a batch vary too
        words[prompt.id] = (content.key, content.text(prompt.participant.language))

    def sent(prompt: Prompt) -> dict[str, object]:
        """What a prompt that goes now records: its words, its answer window, its reminder."""
        plan = hours.of(prompt.participant)
        reminder = now + timedelta(minutes=plan.reminder_after_minutes)
        return {
            "content_key": words[prompt.id][0],
            "window_ends_at": now + timedelta(minutes=plan.response_window_minutes),
            "reminder_at": reminder if prompt.expecting else prompt.reminder_at,
        }

    claimed = _claim(session, going, PromptStatus.SENT, now, sent)
    rows = []
    for prompt in claimed:  # another tick may have taken some: they are not in `claimed`
        participant = prompt.participant
        text = words[prompt.id][1]
        if text is None:
            text = start_survey(session, participant, prompt, now)
        rows.append(hours.outbox_row(participant, text, prompt))
    queue_rows(session, rows)
    session.commit()
    return len(claimed), len(cancelled)


class _Hours:
    """Each batch's programmes and sending windows, worked out once per distinct case: a herd
    of 10,000 shares a few groups and zones, and `now` is the same for all of it."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self.groups: dict[int, Programme] = {}
        self.windows: dict[tuple[object, ...], tuple[datetime, datetime]] = {}
        self.people: dict[int, tuple[datetime, datetime]] = {}

    def of(self, participant: Participant) -> Programme:
        if participant.group_id not in self.groups:
            group = self.session.get(Group, participant.group_id)
            self.groups[participant.group_id] = programme_of(group)
        return self.groups[participant.group_id]

    def window(self, participant: Participant) -> tuple[datetime, datetime]:
        """(from, until) for a text that is not a reply, as `send_window` has it."""
        if participant.id not in self.people:
            spans = tuple(quiet_spans_of(participant, self.of(participant)))
            if spans not in self.windows:
                self.windows[spans] = send_window_after(self.now, spans)
            self.people[participant.id] = self.windows[spans]
        return self.people[participant.id]

    def quiet_now(self, participant: Participant) -> bool:
        return self.window(participant)[0] > self.now

    def outbox_row(self, participant: Participant, text: str, prompt: Prompt) -> dict[str, object]:
        """The outbox row of a prompt going now (outside quiet hours: `_cannot_send` cancels
        the others), expiring when the member's next quiet hours begin."""
        send_at, until = self.window(participant)
        return outbox_values(body=text, kind="prompt", participant=participant, prompt=prompt,
                             next_attempt_at=send_at, expires_at=until)  # fmt: skip


def _claim(
    session: Session,
    prompts: list[Prompt],
    status: PromptStatus,
    now: datetime,
    details: Callable[[Prompt], dict[str, object]] | None = None,
) -> list[Prompt]:
    """Move `prompts` from planned to `status` in one conditional UPDATE, with each prompt's
    own `details`; the ones this tick won (a second clock may hold others), their new state
    set on the objects without reading them back."""
    if not prompts:
        return []
    values: dict[str, object] = {"status": status}
    if status == PromptStatus.SENT:
        values["sent_at"] = now
    own = {p.id: details(p) for p in prompts} if details else {}
    rows = [{"id": p.id, **own.get(p.id, {})} for p in prompts]
    table = Prompt.__table__
    won = set(update_many(session, table, rows, also=values, where=table.c.status == PromptStatus.PLANNED))  # fmt: skip
    claimed = [p for p in prompts if p.id in won]
    for prompt in claimed:
        for name, value in {**values, **own.get(prompt.id, {})}.items():
            set_committed_value(prompt, name, value)
    return claimed


def _cannot_send(
    participant: Participant, prompt: Prompt, now: datetime, hours: _Hours
) -> str | None:
    if participant.status != ParticipantStatus.ACTIVE:
        return f"participant {participant.status.value}"
    if participant.number_status != NumberStatus.OK:
        return f"number {participant.number_status.value}"
    if now - prompt.scheduled_for > STALE_AFTER:
        return "stale (the planner was not running at its time)"
    if hours.quiet_now(participant):
        return "quiet hours"
    return None


class TestPromptRefused(Exception):
    """A test prompt may not go to this member (no consent, stopped, unusable number)."""


def send_test_prompt(
    session: Session, participant: Participant, now: datetime, *, ignore_quiet_hours: bool
) -> OutboundMessage:
    """A check-in sent now at a facilitator's request, to see the programme as a member does.

    Consent is checked as for any prompt (active members with a usable number only). Quiet
    hours are waited out unless `ignore_quiet_hours` (the console backend, where nothing reaches
    a phone). The reply is logged like any check-in; no reminder follows a test."""
    if participant.status != ParticipantStatus.ACTIVE:
        raise TestPromptRefused(f"the member is {status_of(participant, now).label.lower()}")
    if participant.number_status != NumberStatus.OK:
        raise TestPromptRefused("the member's number cannot receive texts")
    programme = programme_of(participant.group)
    prompt = Prompt(
        participant=participant, slot_key=f"test-{now:%Y%m%dT%H%M%S%f}", kind="checkin_both",
        expecting="checkin", status=PromptStatus.SENT, scheduled_for=now, sent_at=now,
        window_ends_at=now + timedelta(minutes=programme.response_window_minutes),
    )  # fmt: skip
    session.add(prompt)
    session.flush()
    content = choose((prompt.kind,), recent_content_keys(session, participant))
    prompt.content_key = content.key
    body = content.text(participant.language)
    if ignore_quiet_hours:
        return queue_message(session, body=body, kind="prompt", participant=participant,
                             prompt=prompt)  # fmt: skip
    return queue_in_allowed_hours(session, participant, body, "prompt", now, prompt)
