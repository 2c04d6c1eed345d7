"""What each reply intent does to a known participant, and the text it answers with.

`respond(turn)` applies the safety and consent rules that come before any intent (crisis
first, nothing after STOP, invited members only join or ask for help), then looks the intent
up in `HANDLERS`: one small function per intent, each returning a (kind, text) reply or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from messages.parse import Intent, Reply
from messages.surveys import question, read_answer, reask, score, thanks
from messages.system import Org, logged_values, system_text
from service.conversation.alerts import raise_alert, raise_crisis, rules_after_commit
from service.messaging.outbox import suppress_pending
from service.models import (
    AlertKind,
    InboundMessage,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    SurveyAnswer,
    SurveyResponse,
    SurveyStatus,
)
from service.platform.settings import Settings
from service.programme.consent import record_opt_in, record_opt_out
from service.programme.extras import send_extra_exercise
from service.programme.plans import cancel_planned, replan
from service.programme.reminders import answer_prompt
from service.programme.surveys import instrument_of

FLARE_DAYS = 3
# The fixed crisis reply: two messages (resources; when the care team will see it).
CRISIS_TEXTS = ("crisis", "crisis_followup")
NOTE_ACK_EVERY = timedelta(hours=24)

Answer = tuple[str, str]


@dataclass
class Turn:
    """One parsed reply from one known participant, and what it answers."""

    session: Session
    settings: Settings
    participant: Participant
    inbound: InboundMessage
    reply: Reply
    prompt: Prompt | None
    late: bool
    now: datetime
    org: Org
    survey: SurveyResponse | None = None  # a survey waiting for this member's answer

    def text(self, key: str, **values: object) -> Answer:
        """A system text in the participant's language, tagged with its key."""
        return key, system_text(key, self.participant.language, self.org, **values)


def respond(turn: Turn) -> list[Answer]:
    """Apply `turn` and return the replies to send, in order (at most one, plus crisis)."""
    p, intent = turn.participant, turn.reply.intent
    # Safety first: the alert is raised whatever the participant's status.
    if turn.reply.crisis or turn.reply.concern:
        raise_crisis(
            turn.session,
            turn.settings,
            p,
            turn.inbound,
            turn.now,
            concern=not turn.reply.crisis,
            reason=turn.reply.crisis_reason,
        )
    if p.status in (ParticipantStatus.OPTED_OUT, ParticipantStatus.WITHDRAWN):
        # Nothing is ever sent after STOP except the answer to opting back in.
        if intent == Intent.OPT_IN and p.status == ParticipantStatus.OPTED_OUT:
            return [opt_in(turn, resubscribe=True)]
        return []
    if intent == Intent.OPT_OUT:
        return [opt_out(turn)]
    crisis = turn.reply.crisis or turn.reply.concern
    replies = [turn.text(key) for key in CRISIS_TEXTS] if crisis else []
    if p.status == ParticipantStatus.INVITED:
        if crisis:
            return replies
        if intent == Intent.OPT_IN:
            return [opt_in(turn, resubscribe=False)]
        if intent == Intent.HELP:
            return [turn.text("help")]
        return [turn.text("not_yet_joined")]
    if turn.survey is not None and not crisis and intent in SURVEY_ANSWER_INTENTS:
        return [answer_survey(turn, turn.survey)]
    answer = HANDLERS[intent](turn)
    if answer and not replies:
        replies.append(answer)
    return replies


# --- consent ---------------------------------------------------------------------------------


def opt_out(turn: Turn) -> Answer:
    """STOP: nothing more is sent or planned; one confirmation."""
    p = turn.participant
    p.status = ParticipantStatus.OPTED_OUT
    p.opted_out_at = turn.now
    p.consent_source = "sms_stop"
    record_opt_out(turn.session, p, source="sms_stop", at=turn.now, words=turn.inbound.body,
                   message_sid=turn.inbound.message_sid)  # fmt: skip
    suppress_pending(turn.session, p, "participant opted out")
    cancel_planned(turn.session, p)
    p.next_plan_at = None
    return "opt_out_confirmation", system_text("stopped", p.language, turn.org)


def opt_in(turn: Turn, resubscribe: bool) -> Answer:
    """YES to an invitation, or START after STOP: active again and planned afresh."""
    p = turn.participant
    p.status = ParticipantStatus.ACTIVE
    p.consent_at = turn.now
    p.consent_source = "sms_resubscribe" if resubscribe else "sms_yes"
    record_opt_in(turn.session, p, source=p.consent_source, at=turn.now, words=turn.inbound.body,
                  message_sid=turn.inbound.message_sid)  # fmt: skip
    p.opted_out_at = None
    p.paused_until = None
    replan(turn.session, p, turn.now)
    return turn.text("resubscribed" if resubscribe else "welcome")


# --- surveys, one item at a time ---------------------------------------------------------------

# What an answer to a survey item reads as; keywords (STOP, HELP, PAUSE, MORE, ...) keep their
# meaning in the middle of a survey, and crisis language is answered before anything else.
SURVEY_ANSWER_INTENTS = frozenset({Intent.LOG, Intent.NOTE, Intent.SKIP})


def answer_survey(turn: Turn, response: SurveyResponse) -> Answer:
    """Record the answer to the item asked, ask again once when it does not fit, then the next
    item; after the last, score it and raise a `screen` alert for a positive PHQ-2 or GAD-2."""
    instrument = instrument_of(response)
    index, lang = response.item_index, response.language
    item = instrument.items[index]
    value = None
    if turn.reply.intent != Intent.SKIP:
        value = read_answer(item, turn.inbound.body or "").value
        if value is None and not response.reasked:
            response.reasked = True
            return "survey_reask", reask(instrument, index, lang)
    turn.session.add(SurveyAnswer(response_id=response.id, link_id=item.link_id, value=value,
                                  answered_at=turn.now, inbound_message_id=turn.inbound.id))  # fmt: skip
    if turn.prompt is not None and turn.prompt.id == response.prompt_id:
        _mark_prompt(turn, PromptStatus.ANSWERED)  # answered in its window: no reminder
    response.item_index, response.reasked = index + 1, False
    if response.item_index < len(instrument.items):
        return "survey_item", question(instrument, response.item_index, lang)
    turn.session.flush()
    values = {a.link_id: a.value for a in turn.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.response_id == response.id))}  # fmt: skip
    result = score(instrument, [values.get(i.link_id) for i in instrument.items])
    response.status = SurveyStatus.COMPLETE if result.value is not None else SurveyStatus.PARTIAL
    response.completed_at, response.score, response.positive = (
        turn.now,
        result.value,
        result.positive,
    )
    if result.positive:
        high = instrument.score_range[1]
        raise_alert(turn.session, turn.participant, turn.inbound, AlertKind.SCREEN,
                    f"{instrument.name} {result.value:g}/{high}: positive screen "
                    f"(3 or more)", turn.now, reason=instrument.key)  # fmt: skip
    return "survey_done", thanks(instrument, lang)


# --- logs and prompt answers -------------------------------------------------------------------


def on_log(turn: Turn) -> Answer:
    """Pain and mood values: stored as observations, the open prompt answered."""
    p, reply, prompt = turn.participant, turn.reply, turn.prompt
    for kind in ("pain", "mood"):
        value = getattr(reply, kind)
        if value is None:
            continue
        turn.session.add(
            Observation(
                participant=p,
                kind=kind,
                value=value,
                recorded_at=turn.now,
                inbound_message_id=turn.inbound.id,
                prompt_id=prompt.id if prompt else None,
                late=turn.late,
                rules_due_at=turn.now,  # high pain, change from baseline: jobs/rules.py
            )
        )
        rules_after_commit(turn.session)
    if prompt is not None and prompt.status in (PromptStatus.SENT, PromptStatus.MISSED):
        answer_prompt(turn.session, prompt, PromptStatus.ANSWERED, turn.now,
                      from_statuses=(PromptStatus.SENT, PromptStatus.MISSED))  # fmt: skip
    key, ack = turn.text("ack_log", values=logged_values(p.language, reply.pain, reply.mood))
    if reply.out_of_range:
        ack += " " + system_text("reask_range", p.language, turn.org)
    return key, ack


def on_note(turn: Turn) -> Answer | None:
    """Free text is kept for the clinician; acknowledged at most once a day."""
    if turn.reply.out_of_range:
        return turn.text("reask_range")
    recent_ack = turn.session.scalar(
        select(func.count(OutboundMessage.id)).where(
            OutboundMessage.participant_id == turn.participant.id,
            OutboundMessage.kind == "ack_note",
            OutboundMessage.created_at >= turn.now - NOTE_ACK_EVERY,
        )
    )
    return None if recent_ack else turn.text("ack_note")


def _mark_prompt(turn: Turn, status: PromptStatus) -> None:
    if turn.prompt is not None and turn.prompt.status == PromptStatus.SENT:
        answer_prompt(turn.session, turn.prompt, status, turn.now)


def on_done(turn: Turn) -> Answer:
    """DONE: the open exercise was done."""
    _mark_prompt(turn, PromptStatus.DONE)
    return turn.text("ack_done")


def on_skip(turn: Turn) -> Answer:
    """SKIP: the open prompt is skipped, no reminder."""
    _mark_prompt(turn, PromptStatus.SKIPPED)
    return turn.text("ack_skip")


# --- state changes (their effect on planning lives in the planner) -----------------------------


def on_pause(turn: Turn) -> Answer:
    """PAUSE [N]: no prompts for N days."""
    days = turn.reply.pause_days or 1
    p = turn.participant
    p.status = ParticipantStatus.PAUSED
    p.paused_until = turn.now + timedelta(days=days)
    cancel_planned(turn.session, p)
    return turn.text("ack_pause", days=days)


def on_resume(turn: Turn) -> Answer:
    """RESUME: prompts again from the next tick (and says so when nothing was paused)."""
    p = turn.participant
    if p.status != ParticipantStatus.PAUSED:
        return turn.text("not_paused")
    p.status = ParticipantStatus.ACTIVE
    p.paused_until = None
    replan(turn.session, p, turn.now)
    return turn.text("ack_resume")


def on_more(turn: Turn) -> Answer:
    """MORE: another exercise now, within the daily limit."""
    if send_extra_exercise(turn.session, turn.settings, turn.participant, turn.now):
        return turn.text("ack_more")
    return turn.text("ack_more_limited")


def on_flare(turn: Turn) -> Answer:
    """FLARE: a lighter plan for a few days, and the care team is told."""
    p = turn.participant
    p.flare_until = turn.now + timedelta(days=FLARE_DAYS)
    replan(turn.session, p, turn.now)
    raise_alert(
        turn.session,
        p,
        turn.inbound,
        AlertKind.FLARE,
        "participant reported a pain flare",
        turn.now,
    )
    return turn.text("ack_flare")


HANDLERS: dict[Intent, Callable[[Turn], Answer | None]] = {
    Intent.OPT_IN: lambda turn: turn.text("already_active"),
    Intent.OPT_OUT: opt_out,
    Intent.HELP: lambda turn: turn.text("help"),
    Intent.LOG: on_log,
    Intent.NOTE: on_note,
    Intent.DONE: on_done,
    Intent.SKIP: on_skip,
    Intent.PAUSE: on_pause,
    Intent.RESUME: on_resume,
    Intent.MORE: on_more,
    Intent.FLARE: on_flare,
}
