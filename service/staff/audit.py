"""The audit trail: who read, exported or changed what, and every sign-in, in a hash chain.

HIPAA asks for audit controls: a record of who saw which client's record and who exported
what, kept for six years. Every staff request whose endpoint is listed in `EVENTS` leaves one
row, written after the response is decided (so the outcome is known: ok, denied, refused,
failed), in a transaction of its own after the view's. Rows carry the staff id and role, the client address
(X-Forwarded-For only from TRUSTED_PROXIES), the object and, for exports, the scope and row
count; never message bodies or phone numbers.

Each row holds the hash of the row before it and its own hash over both, so an edited,
inserted or deleted row breaks the chain: `flask --app wsgi audit verify` walks it. The
application never updates or deletes a row (a trigger refuses UPDATE), and appends under a
lock so two requests at once cannot fork the chain.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Select, delete, func, select, text
from sqlalchemy.orm import Session

from service.models import AuditEvent
from service.platform.db import db, utcnow
from service.staff.throttle import client_address

log = logging.getLogger(__name__)

GENESIS = "0" * 64

# endpoint: (action, object type, the view argument naming the object). Views and exports
# of client data, every write, and sign-ins. tests/service/staff/test_audit.py fails on a
# staff route that is neither here nor in UNAUDITED.
EVENTS: dict[str, tuple[str, str, str | None]] = {
    # reading client data
    "ui.member": ("view", "participant", "participant_id"),
    "ui.dashboard": ("view", "group", "group_id"),
    "ui.group": ("view", "group", "group_id"),
    "ui.replies": ("view", "group", "group_id"),
    "ui.alert_page": ("view", "alert", "alert_id"),
    "ui.simulator": ("view", "simulator", None),
    "ui.schedule": ("view", "group", "group_id"),  # with ?member=, that member's plan
    "ui.staff": ("view", "staff", None),
    "ui.staff_member": ("view", "staff", "user_id"),
    "ui.operations": ("view", "operations", None),
    "api.list_groups": ("view", "group", None),
    "api.get_schedule": ("view", "group", "group_id"),
    "api.list_sessions": ("view", "group", "group_id"),
    "api.participant_schedule": ("view", "participant", "participant_id"),
    "api.group_alerts": ("view", "group", "group_id"),
    "api.get_group": ("view", "group", "group_id"),
    "api.list_group_participants": ("view", "group", "group_id"),
    "api.get_participant": ("view", "participant", "participant_id"),
    "api.participant_messages": ("view", "participant", "participant_id"),
    "api.participant_observations": ("view", "participant", "participant_id"),
    "api.group_replies": ("view", "group", "group_id"),
    "api.group_compliance": ("view", "group", "group_id"),
    "api.participant_surveys": ("view", "participant", "participant_id"),
    # exports
    "ui.export_csv": ("export", "group", "group_id"),
    "ui.export_fhir": ("export", "participant", "participant_id"),
    "ui.export_consent": ("export", "participant", "participant_id"),
    "ui.export_tidy": ("export", "group", "group_id"),
    "ui.export_redcap": ("export", "group", "group_id"),
    "ui.export_redcap_dictionary": ("export", "group", "group_id"),
    "ui.export_prompts": ("export", "group", "group_id"),
    "ui.export_member": ("export", "participant", "participant_id"),
    "api.participant_fhir": ("export", "participant", "participant_id"),
    "ui.audit_export": ("export", "audit", None),
    "api.audit_events": ("view", "audit", None),
    "ui.audit_log": ("view", "audit", None),
    # writes
    "ui.enrol_one": ("write", "group", "group_id"),
    "ui.enrol_many": ("write", "group", "group_id"),
    "ui.member_action": ("write", "participant", "participant_id"),
    "ui.set_member_zone": ("write", "participant", "participant_id"),
    "ui.erase_member_page": ("view", "participant", "participant_id"),
    "ui.erase_member_now": ("write", "participant", "participant_id"),
    "ui.test_prompt": ("write", "participant", "participant_id"),
    "ui.group_message": ("write", "group", "group_id"),
    "ui.save_schedule": ("write", "group", "group_id"),
    "ui.add_session_ui": ("write", "group", "group_id"),
    "ui.ack_alert": ("write", "alert", "alert_id"),
    "ui.reply_handled": ("write", "reply", "message_id"),
    "ui.simulator_send": ("write", "simulator", None),
    "ui.new_group": ("write", "group", None),
    "ui.create_staff": ("write", "staff", None),
    "ui.update_staff": ("write", "staff", "user_id"),
    "ui.new_token": ("write", "token", "user_id"),
    "ui.revoke_token": ("write", "token", "token_id"),
    "api.acknowledge_alert": ("write", "alert", "alert_id"),
    "api.create_group": ("write", "group", None),
    "api.enrol_participant": ("write", "group", "group_id"),
    "api.reply_handled": ("write", "reply", "message_id"),
    "api.put_schedule": ("write", "group", "group_id"),
    "api.add_session": ("write", "group", "group_id"),
    "api.update_participant": ("write", "participant", "participant_id"),
    # the staff member's own account
    "ui.account": ("view", "account", None),
    "ui.change_password": ("write", "account", None),
    "ui.end_session": ("write", "session", "session_id"),
    "ui.end_all_sessions": ("write", "session", None),
    "ui.totp_start": ("write", "account", None),
    "ui.totp_confirm": ("write", "account", None),
    "ui.totp_new_codes": ("write", "account", None),
    "ui.totp_disable": ("write", "account", None),
    "ui.send_reset": ("write", "staff", "user_id"),
    "ui.reset_password": ("write", "account", None),
    # signing in and out (the outcome says whether the password or code matched)
    "ui.login": ("login", "staff", None),
    "ui.login_code": ("login", "staff", None),
    "ui.logout": ("logout", "staff", None),
}
ACTIONS = ("view", "export", "write", "login", "logout")
# Routes that leave no row: no client data and no change (the home page lists group names),
# or not a staff request at all (Twilio's signed webhooks, the health check, static files).
UNAUDITED = frozenset({"static", "health.healthz", "webhooks.inbound", "webhooks.status",
                       "ui.home", "ui.questionnaire_resource"})  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """What one request did, before it is chained."""

    at: datetime
    staff_id: int | None
    role: str | None
    address: str
    action: str
    object_type: str
    object_id: str | None
    participant_id: int | None
    detail: str
    outcome: str


def row_hash(prev_hash: str, event: AuditEvent | Entry) -> str:
    """SHA-256 over the previous hash and the row's fields, in a fixed form."""
    fields = {
        "at": event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "staff_id": event.staff_id, "role": event.role, "address": event.address,
        "action": event.action, "object_type": event.object_type, "object_id": event.object_id,
        "participant_id": event.participant_id, "detail": event.detail, "outcome": event.outcome,
    }  # fmt: skip
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _outcome(status: int) -> str:
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "denied"
    if status >= 500:
        return "failed"
    return "refused"


def _staff() -> tuple[int | None, str | None]:
    user = g.get("current_user") or g.get("user")
    return (user.id, user.role.value) if user is not None else (None, None)


def entry_for(response: Response) -> Entry | None:
    """The audit entry of this request, or None when its endpoint is not audited."""
    event = EVENTS.get(request.endpoint or "")
    if event is None:
        return None
    action, object_type, argument = event
    reading = action in ("view", "export")
    if reading != (request.method == "GET"):
        return None  # the login form itself, a create form's GET: nothing happened yet
    object_id = (request.view_args or {}).get(argument) if argument else None
    participant_id = int(object_id) if object_type == "participant" and object_id else None
    participant_id = g.get("audit_participant", participant_id)  # the simulator, a member's plan
    staff_id, role = _staff()
    if action == "login" and staff_id is None:
        staff_id, role = g.get("audit_staff", (None, None))
    settings = current_app.extensions["paceline.settings"]
    return Entry(
        at=utcnow(), staff_id=staff_id, role=role,
        address=client_address(request, settings.trusted_proxies)[:45],
        action=action, object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        participant_id=participant_id,
        detail=str(g.get("audit_detail", ""))[:255],
        outcome="failed" if action == "login" and response.status_code == 401
        else _outcome(response.status_code),
    )  # fmt: skip


def append(session: Session, entries: list[Entry]) -> list[AuditEvent]:
    """Chain `entries` onto the trail and commit. Serialised: an advisory lock on PostgreSQL,
    the write lock SQLite takes at BEGIN on the others."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7700101)"))
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = prev or GENESIS
    rows = []
    for entry in entries:
        digest = row_hash(prev, entry)
        row = AuditEvent(**entry.__dict__, prev_hash=prev, hash=digest)
        session.add(row)
        rows.append(row)
        prev = digest
    session.commit()
    return rows


def system_entry(**fields: object) -> Entry:
    """An entry made outside a request (the retention job, the CLI): no staff, address 'system'."""
    defaults: dict[str, object] = {"at": utcnow(), "staff_id": None, "role": None,
                                   "address": "system", "object_id": None,
                                   "participant_id": None, "detail": "", "outcome": "ok"}  # fmt: skip
    return Entry(**{**defaults, **fields})  # type: ignore[arg-type]


def record(session: Session, **fields: object) -> None:
    """Append one entry from outside a request, and commit."""
    append(session, [system_entry(**fields)])


def audit_response(response: Response) -> Response:
    """after_request: write this request's entry. A read that cannot be audited is not
    served (503): no client record leaves unrecorded."""
    entry = entry_for(response)
    if entry is None:
        return response
    session = db.session()
    try:
        # The view has committed what it meant to; whatever is still open is a read (or work
        # the teardown would roll back anyway). Ending it frees SQLite's write lock for us.
        session.rollback()
        append(session, [entry])
    except Exception:
        session.rollback()
        log.exception("audit: could not record %s %s", entry.action, entry.object_type)
        if entry.action in ("view", "export") and entry.outcome == "ok":
            return Response("The audit trail could not be written, so this record is not "
                            "shown. Try again in a moment.", status=503, mimetype="text/plain")  # fmt: skip
    return response


def _fresh() -> None:
    """What a view tells the trail starts empty for every request."""
    for name in ("audit_detail", "audit_staff", "audit_participant"):
        g.pop(name, None)


def init_app(app: Flask) -> None:
    app.before_request(_fresh)
    app.after_request(audit_response)


@dataclass(frozen=True)
class Verdict:
    """What `audit verify` found."""

    rows: int
    broken_at: int | None  # the id of the first row whose hash does not hold
    reason: str = ""


def verify(session: Session) -> Verdict:
    """Walk the chain in order; the first row that does not hold, and why.

    After rows older than AUDIT_RETENTION_DAYS were pruned, the chain starts from the hash
    the pruning recorded (in a row of its own, itself chained): a prefix removed any other
    way is still found.
    """
    anchors = {
        detail.rsplit("anchor=", 1)[1]
        for detail in session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.object_type == "audit", AuditEvent.object_id == "prune"
            )
        )
        if "anchor=" in detail
    }
    prev = GENESIS
    count = 0
    rows = session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )
    try:
        for row in rows:
            count += 1
            if count == 1 and row.prev_hash in anchors:
                prev = row.prev_hash
            if row.prev_hash != prev:
                return Verdict(count, row.id, "it does not follow the row before it "
                               "(a row was removed or inserted)")  # fmt: skip
            if row_hash(prev, row) != row.hash:
                return Verdict(count, row.id, "its contents do not match its hash (it was changed)")
            prev = row.hash
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: never leave it open
    return Verdict(count, None)


def prune(session: Session, keep_days: int, now: datetime | None = None) -> int:
    """Delete rows older than `keep_days` (AUDIT_RETENTION_DAYS, six years at least) and chain
    a row recording the hash the remaining trail starts from; commits."""
    now = now or utcnow()
    cutoff = now - timedelta(days=keep_days)
    last_old = session.scalar(
        select(AuditEvent).where(AuditEvent.at < cutoff).order_by(AuditEvent.id.desc()).limit(1)
    )
    if last_old is None:
        return 0
    removed = session.execute(
        delete(AuditEvent).where(AuditEvent.id <= last_old.id)
    ).rowcount  # fmt: skip
    append(session, [system_entry(
        at=now, action="write", object_type="audit", object_id="prune",
        detail=f"pruned {removed} rows older than {cutoff:%Y-%m-%d}; anchor={last_old.hash}",
    )])  # fmt: skip
    log.info("audit: pruned %d rows older than %s", removed, cutoff.date())
    return removed


def _query(*, staff_id: int | None = None, participant_id: int | None = None,
           action: str | None = None, since: datetime | None = None,
           until: datetime | None = None, before_id: int | None = None) -> Select[tuple[AuditEvent]]:  # fmt: skip
    query = select(AuditEvent)
    if staff_id is not None:
        query = query.where(AuditEvent.staff_id == staff_id)
    if participant_id is not None:
        query = query.where(AuditEvent.participant_id == participant_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return query


def events(session: Session, limit: int | None = 100, **filters: Any) -> Iterator[AuditEvent]:
    """Newest first, filtered (staff_id, participant_id, action, since, until, before_id)."""
    query = _query(**filters).order_by(AuditEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    yield from session.scalars(query.execution_options(yield_per=1000))


def count(session: Session, **filters: Any) -> int:
    """How many events the filters match."""
    return session.scalar(select(func.count()).select_from(_query(**filters).subquery())) or 0
