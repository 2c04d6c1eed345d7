"""The outbox: write an outbound message row, and enqueue its send job once the row is committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

import redis
from flask import Flask, current_app
from rq import Queue
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import as_text
from sqlalchemy import update
from sqlalchemy.orm import Session

from messages.segments import count_segments
from service.models import MessageStatus, OutboundMessage, Participant, Prompt
from service.platform.bulk import insert_many
from service.platform.db import after_commit, transaction_state, utcnow
from service.platform.redis_conn import get_redis

log = logging.getLogger(__name__)

SEND_JOB = "jobs.send.send_message"
SMS_QUEUE = "sms"
URGENT_QUEUE = "urgent"
PACED_QUEUE = "paced"  # texts brought back at their turn (jobs/send.py) go before new sends
SEND_JOB_TIMEOUT = 60
ENQUEUE_PIPELINE = 100  # send jobs per Redis pipeline
LIVE_JOB_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
# Each worker process refreshes this key every few seconds (jobs/cli.py); a job 'started' by
# a worker whose key has expired will never finish: its worker was killed.
ALIVE_KEY = "paceline:alive:{}"
ALIVE_SECONDS = 10


def worker_alive(connection: redis.Redis, worker_name: str | None) -> bool:
    """Whether the worker that started a job still heartbeats."""
    return bool(worker_name) and bool(connection.exists(ALIVE_KEY.format(worker_name)))


def _job_is_live(connection: redis.Redis, job: Job | None) -> bool:
    if job is None:
        return False
    status = job.get_status(refresh=False)
    if status == JobStatus.STARTED:
        return worker_alive(connection, job.worker_name)
    return status in LIVE_JOB_STATES


def _discard(connection: redis.Redis, job: Job) -> None:
    """Delete a job that will not finish, so its message can be enqueued afresh.

    A worker killed mid-job leaves its execution listed in the job's execution registry after
    the execution itself has expired (RQ 2.x keeps the list 60 s longer), and `Job.delete()`
    fails fetching it: drop those stale entries, then delete the job. A job that is gone
    already (another sweep discarded it, or its TTL ran out) needs nothing.
    """
    try:
        job.delete()
        return
    except (InvalidJobOperation, NoSuchJobError):
        return
    except ValueError:
        pass
    registry = job.execution_registry.key
    stale = [f"{job.id}:{as_text(execution)}" for execution in connection.zrange(registry, 0, -1)]
    with connection.pipeline() as pipe:
        if stale:
            pipe.zrem(job.started_job_registry.key, *stale)
        pipe.delete(registry)
        pipe.execute()
    job.delete()


def send_job_lost(app: Flask, message_id: int) -> bool:
    """True when no live job will ever finish this row's send (gone, failed, or its worker
    died). Redis trouble counts as lost: the caller only acts after the HTTP timeout."""
    try:
        connection = get_redis(app)
        job = Job.fetch_many([send_job_id(message_id)], connection=connection)[0]
        return not _job_is_live(connection, job)
    except (redis.ConnectionError, redis.TimeoutError):
        return True


def send_job_id(message_id: int) -> str:
    """The one RQ job id of an outbox row: enqueuing twice never makes two live jobs."""
    return f"send-{message_id}"


def queue_message(
    session: Session,
    *,
    body: str,
    kind: str,
    participant: Participant | None = None,
    to_phone: str | None = None,
    prompt: Prompt | None = None,
    urgent: bool = False,
) -> OutboundMessage:
    """Add an outbound message to the outbox; its send job is enqueued after the commit.

    `urgent` messages (on-call alerts) go on the queue workers drain first.
    """
    row = stage_message(session, body=body, kind=kind, participant=participant,
                        to_phone=to_phone, prompt=prompt)  # fmt: skip
    session.flush()
    _enqueue_after_commit(session, row.id, URGENT_QUEUE if urgent else SMS_QUEUE)
    return row


def stage_message(
    session: Session,
    *,
    body: str,
    kind: str,
    participant: Participant | None = None,
    to_phone: str | None = None,
    prompt: Prompt | None = None,
) -> OutboundMessage:
    """Add an outbox row without flushing it: many staged rows go to the database in one
    batched INSERT; `enqueue_staged` then books their send jobs for after the commit."""
    phone = to_phone or (participant.phone if participant else None)
    if not phone:
        raise ValueError("an outbound message needs a participant or a phone number")
    row = OutboundMessage(
        participant=participant,
        to_phone=phone,
        body=body,
        kind=kind,
        channel="api",
        status=MessageStatus.QUEUED,
        next_attempt_at=utcnow(),
        segments=count_segments(body),
        prompt_id=prompt.id if prompt is not None else None,
    )
    session.add(row)
    return row


def enqueue_staged(session: Session, rows: Iterable[OutboundMessage]) -> None:
    """Flush staged rows (one batched INSERT) and enqueue their sends after the commit."""
    rows = list(rows)
    if rows:
        session.flush()
        for row in rows:
            _enqueue_after_commit(session, row.id, SMS_QUEUE)


def outbox_values(
    *,
    body: str,
    kind: str,
    participant: Participant,
    next_attempt_at: datetime,
    expires_at: datetime | None,
    prompt: Prompt | None = None,
) -> dict[str, object]:
    """The columns of one new outbox row for `queue_rows` (a batch), as `stage_message` sets them."""
    return {
        "participant_id": participant.id,
        "to_phone": participant.phone,
        "body": body,
        "kind": kind,
        "channel": "api",
        "status": MessageStatus.QUEUED,
        "next_attempt_at": next_attempt_at,
        "expires_at": expires_at,
        "segments": _segments(body),
        "prompt_id": prompt.id if prompt is not None else None,
    }


@lru_cache(maxsize=4096)
def _segments(body: str) -> int:
    return count_segments(body)  # a herd of one prompt's words: counted once


def queue_rows(session: Session, rows: Sequence[dict[str, object]]) -> list[int]:
    """Insert many outbox rows (`outbox_values`) in one statement; their sends are enqueued
    after the commit. Their ids."""
    ids = insert_many(session, OutboundMessage.__table__, rows)
    for message_id in ids:
        _enqueue_after_commit(session, message_id, SMS_QUEUE)
    return ids


def _enqueue_after_commit(session: Session, message_id: int, queue_name: str) -> None:
    """Collect the transaction's new rows; one pipelined enqueue per queue after the commit."""
    state = transaction_state(session)
    pending: dict[str, list[int]] | None = state.get("pending_sends")
    if pending is None:
        batches: dict[str, list[int]] = {}
        pending = state["pending_sends"] = batches
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def flush() -> None:
            for name, ids in batches.items():
                enqueue_sends(app, ids, name)

        after_commit(session, flush)
    pending.setdefault(queue_name, []).append(message_id)


def enqueue_sends(app: Flask, message_ids: Iterable[int], queue_name: str = SMS_QUEUE) -> int:
    """Enqueue send jobs for committed rows, skipping rows whose job is still live.

    Never raises for Redis trouble: the periodic sweep finds rows left without a job.
    """
    ids = list(message_ids)
    if not ids:
        return 0
    connection = get_redis(app)
    try:
        job_ids = [send_job_id(i) for i in ids]
        existing = Job.fetch_many(job_ids, connection=connection)
        queue = Queue(queue_name, connection=connection)
        to_enqueue = []
        for message_id, job in zip(ids, existing, strict=True):
            if _job_is_live(connection, job):
                continue
            if job is not None:
                _discard(connection, job)  # finished, failed, or 'started' by a dead worker
            to_enqueue.append(message_id)
        # Pipelined (RQ's enqueue_many), ENQUEUE_PIPELINE jobs at a time: Redis runs one
        # pipeline without a break, and the workers waiting out their turns at the sender's
        # rate ask it for the time; a herd's thousand jobs at once would hold them all up.
        for start in range(0, len(to_enqueue), ENQUEUE_PIPELINE):
            queue.enqueue_many([
                Queue.prepare_data(SEND_JOB, (message_id,), job_id=send_job_id(message_id),
                                   timeout=SEND_JOB_TIMEOUT, result_ttl=3600,
                                   failure_ttl=7 * 86400,
                                   description=f"send outbound message {message_id}")
                for message_id in to_enqueue[start : start + ENQUEUE_PIPELINE]
            ])  # fmt: skip
        return len(to_enqueue)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.warning("could not enqueue %d send job(s), the sweep will retry: %s", len(ids), exc)
        return 0


def suppress_pending(session: Session, participant: Participant, reason: str) -> int:
    """Mark every not-yet-sent message of `participant` suppressed (opt-out, invalid number)."""
    result = session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.participant_id == participant.id,
            OutboundMessage.status == MessageStatus.QUEUED,
        )
        .values(status=MessageStatus.SUPPRESSED, error_message=reason, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount
