"""Surveys texted one item at a time (PEG, PHQ-2, GAD-2): their state between texts.

A survey prompt, when it goes out, opens a `SurveyResponse` and texts the first item; each
reply that reads as an answer moves it on (service/conversation/intents.py: `answer_survey`),
an answer that does not fit is asked again once, and STOP, HELP, PAUSE and crisis language
are handled as always, the survey waiting. At the end of the prompt's response window an open
survey closes: partial when some items were answered, expired when none was.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from messages.surveys import INSTRUMENTS, SURVEY_KINDS, Instrument, question
from service.models import (
    Participant,
    Prompt,
    SurveyAnswer,
    SurveyResponse,
    SurveyStatus,
)


def instrument_of(response: SurveyResponse) -> Instrument:
    return INSTRUMENTS[response.instrument]


def start_survey(session: Session, participant: Participant, prompt: Prompt, now: datetime) -> str:
    """Open the survey a prompt asks for and return the text of its first item. A survey the
    member has not finished closes first: one survey is answered at a time."""
    close_open_surveys(session, participant, now)
    instrument = INSTRUMENTS[SURVEY_KINDS[prompt.kind]]
    response = SurveyResponse(
        participant_id=participant.id, prompt_id=prompt.id, instrument=instrument.key,
        version=instrument.version, language=participant.language, started_at=now,
        expires_at=prompt.window_ends_at or now, status=SurveyStatus.OPEN,
    )  # fmt: skip
    session.add(response)
    session.flush()
    return question(instrument, 0, participant.language)


def open_survey(session: Session, participant: Participant, now: datetime) -> SurveyResponse | None:  # fmt: skip
    """The member's survey still waiting for an answer, if any."""
    return session.scalar(
        select(SurveyResponse)
        .where(
            SurveyResponse.participant_id == participant.id,
            SurveyResponse.status == SurveyStatus.OPEN,
            SurveyResponse.expires_at > now,
        )
        .order_by(SurveyResponse.id.desc())
        .limit(1)
    )


def current_question(response: SurveyResponse) -> str:
    """The item the member is being asked now (a reminder repeats it)."""
    return question(instrument_of(response), response.item_index, response.language)


def _closed_status(session: Session, response_id: int) -> SurveyStatus:
    answered = session.scalar(
        select(SurveyAnswer.id)
        .where(SurveyAnswer.response_id == response_id, SurveyAnswer.value.is_not(None))
        .limit(1)
    )
    return SurveyStatus.PARTIAL if answered is not None else SurveyStatus.EXPIRED


def _close(session: Session, responses: list[SurveyResponse], now: datetime) -> int:
    closed = 0
    for response in responses:
        status = _closed_status(session, response.id)
        closed += session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.id == response.id, SurveyResponse.status == SurveyStatus.OPEN)
            .values(status=status, completed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.refresh(response)
    return closed


def close_open_surveys(session: Session, participant: Participant, now: datetime) -> int:
    """Close the member's open surveys (a new one starts)."""
    return _close(session, list(session.scalars(select(SurveyResponse).where(
        SurveyResponse.participant_id == participant.id,
        SurveyResponse.status == SurveyStatus.OPEN,
    ))), now)  # fmt: skip


def expire_surveys(session: Session, now: datetime, limit: int = 500) -> int:
    """Open surveys whose window has ended: partial, or expired when nothing was answered."""
    due = list(session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.status == SurveyStatus.OPEN, SurveyResponse.expires_at <= now)
        .order_by(SurveyResponse.expires_at)
        .limit(limit)
    ))  # fmt: skip
    closed = _close(session, due, now)
    session.commit()
    return closed


def survey_history(session: Session, participant_id: int) -> list[SurveyResponse]:
    """The member's surveys with their answers, oldest first (exports, the member page)."""
    return list(
        session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.participant_id == participant_id)
            .options(selectinload(SurveyResponse.answers))
            .order_by(SurveyResponse.started_at, SurveyResponse.id)
        )
    )
