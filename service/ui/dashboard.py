"""Clinician pages: the group dashboard, alerts, a member's page, CSV and FHIR exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from messages.phone import display_phone
from messages.surveys import INSTRUMENTS
from service.care.alert_workflow import (
    ACK_ACTIONS,
    ALERT_NAMES,
    AckError,
    acknowledge,
    may_acknowledge,
    triage_key,
)
from service.care.compliance import compliance
from service.care.fhir import observations_bundle
from service.care.summaries import (
    ANSWERED_STATUSES,
    MemberSummary,
    adherence,
    group_distributions,
    group_summary,
    series,
)
from service.messaging.delivery import delivery_label
from service.models import (
    Alert,
    AlertNotification,
    AuditEvent,
    GroupSession,
    InboundMessage,
    Observation,
    OutboundMessage,
    Participant,
    Prompt,
    PromptStatus,
    Role,
    StaffUser,
)
from service.platform.db import db, iso, utcnow
from service.programme.consent import consent_history
from service.programme.status import status_of
from service.programme.surveys import survey_history
from service.programme.zones import suggest_zone, zone_history
from service.staff.audit import events
from service.staff.auth import can_write_group
from service.ui import csv_safe, group_or_403, login_required, participant_or_403, safe_next, ui
from service.ui.charts import (
    Chart,
    Marker,
    PromptMark,
    chart_range,
    distribution_chart,
    member_chart,
)


@ui.get("/groups/<int:group_id>/dashboard")
@login_required
def dashboard(group_id: int) -> str:
    """Adherence, latest values, the group's trends and the alerts queue."""
    group = group_or_403(group_id)
    session = db.session()
    now = utcnow()
    days = chart_range(request.args.get("days"))
    start = now - timedelta(days=days)
    alerts = sorted(
        session.scalars(
            select(Alert)
            .where(Alert.group_id == group.id)
            .options(
                selectinload(Alert.participant),
                selectinload(Alert.acknowledged_by),
                selectinload(Alert.notifications).selectinload(AlertNotification.outbound_message),
            )
            .order_by(Alert.acknowledged_at.is_not(None), Alert.created_at.desc())
            .limit(100)
        ).all(),
        key=triage_key,
    )
    zone = ZoneInfo(group.timezone)
    charts = {
        kind: distribution_chart(days_of, start, now, zone, kind)
        for kind, days_of in group_distributions(session, group, start).items()
    }
    rows = sorted(group_summary(session, group, now), key=_need)
    shown = rows if request.args.get("members") == "all" else rows[:MEMBERS_SHOWN]
    people = {
        p.id: p
        for p in session.scalars(
            select(Participant).where(Participant.id.in_([r.participant_id for r in shown]))
        )
    }
    today = now.astimezone(zone).date()
    return render_template(
        "ui/dashboard.html", group=group, rows=shown, people=people, all_members=len(rows), alerts=alerts,
        charts=charts, days=days, today=today, month_ago=today - timedelta(days=30),
        zone=zone, ema=compliance(session, Participant.group_id == group.id, now, since=start), **_ack_context(),
    )  # fmt: skip


MEMBERS_SHOWN = 100  # the dashboard lists the members most in need first; "show all" for more


def _need(row: MemberSummary) -> tuple[int, int, str]:
    """Who a clinician should look at first: fewest prompts answered this week (members sent
    nothing this week last), then the highest latest pain, then by name."""
    answered = row.adherence_7.percent
    pain = row.latest_pain.value if row.latest_pain else -1
    return (answered if answered is not None else 101, -pain, row.name or "")


def _ack_context() -> dict[str, object]:
    settings = current_app.extensions["paceline.settings"]
    return {
        "actions": ACK_ACTIONS,
        "can_ack": lambda alert: may_acknowledge(g.current_user, alert, settings),
    }


def _alert_or_403(alert_id: int) -> Alert:
    alert = db.session().get(Alert, alert_id)
    if alert is None:
        abort(404)
    group_or_403(alert.group_id)
    return alert


@ui.post("/alerts/<int:alert_id>/ack")
@login_required
def ack_alert(alert_id: int) -> Response:
    """Acknowledge an alert with what was done and a note (the first acknowledgement is kept)."""
    alert = _alert_or_403(alert_id)
    settings = current_app.extensions["paceline.settings"]
    form = request.form
    try:
        if acknowledge(
            alert, g.current_user, form.get("action"), form.get("note"), utcnow(), settings
        ):
            db.session().commit()
            flash(f"Alert #{alert.id} acknowledged.", "ok")
        else:
            flash(f"Alert #{alert.id} had already been acknowledged.", "ok")
    except AckError as exc:
        if exc.status == 403:
            abort(403)
        flash(f"Alert #{alert.id} not acknowledged: {exc}.", "error")
    return redirect(
        safe_next(request.form.get("back"), url_for("ui.dashboard", group_id=alert.group_id))
    )


@ui.get("/alerts/<int:alert_id>")
@login_required
def alert_page(alert_id: int) -> Response:
    """Where the on-call email links: the member's page, scrolled to their alerts."""
    alert = _alert_or_403(alert_id)
    return redirect(url_for("ui.member", participant_id=alert.participant_id) + "#alerts")


@ui.get("/participants/<int:participant_id>")
@login_required
def member(participant_id: int) -> str:
    """One member: chart, logs, notes, alerts and the conversation."""
    participant = participant_or_403(participant_id)
    session = db.session()
    now = utcnow()
    days = chart_range(request.args.get("days"))
    start = now - timedelta(days=days)
    observations = series(session, participant.id, start)
    inbound = session.scalars(
        select(InboundMessage).where(InboundMessage.participant_id == participant.id)
    ).all()
    outbound = session.scalars(
        select(OutboundMessage).where(OutboundMessage.participant_id == participant.id)
    ).all()
    conversation = sorted(
        [("in", m.received_at, m) for m in inbound]
        + [("out", m.sent_at or m.created_at, m) for m in outbound],
        key=lambda item: (item[1], item[0] == "out"),
    )
    alerts = sorted(
        session.scalars(
            select(Alert)
            .where(Alert.participant_id == participant.id)
            .options(
                selectinload(Alert.acknowledged_by),
                selectinload(Alert.notifications).selectinload(AlertNotification.outbound_message),
            )
        ).all(),
        key=triage_key,
    )
    zone = ZoneInfo(participant.effective_timezone())
    settings = current_app.extensions["paceline.settings"]
    header = {
        "phone": display_phone(participant.phone, settings.default_phone_region),
        "status": status_of(participant, now),
        "last_reply": max((m.received_at for m in inbound), default=None),
        "adherence_7": adherence(session, [participant.id], now - timedelta(days=7))[
            participant.id
        ],
        "adherence_30": adherence(session, [participant.id], now - timedelta(days=30))[
            participant.id
        ],
        "open_alerts": sum(1 for a in alerts if a.acknowledged_at is None),
    }
    return render_template(
        "ui/member.html", p=participant, zone=zone,
        chart=_member_chart(participant, observations, alerts, start, now, zone), days=days,
        observations=list(reversed(observations)), notes=[m for m in inbound if m.intent == "note"],
        conversation=list(reversed(conversation)), alerts=alerts, header=header, now=now,
        delivery_label=delivery_label, can_write=can_write_group(g.current_user, participant.group),
        access=_access_log(participant),
        consent=consent_history(session, participant.id),
        ema=compliance(session, [participant.id], now), surveys=survey_history(session, participant.id),
        instruments=INSTRUMENTS,
        zones=zone_history(session, participant.id), zone_suggestion=suggest_zone(participant),
        **_ack_context(),
    )  # fmt: skip


def _access_log(participant: Participant) -> list[tuple[AuditEvent, StaffUser | None]] | None:
    """Who read or changed this record lately (admins only; None for everyone else)."""
    if g.current_user.role != Role.ADMIN:
        return None
    session = db.session()
    rows = list(events(session, participant_id=participant.id, limit=20))
    ids = {e.staff_id for e in rows if e.staff_id is not None}
    staff = {u.id: u for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))}
    return [(e, staff.get(e.staff_id) if e.staff_id else None) for e in rows]


def _member_chart(
    participant: Participant,
    observations: list[Observation],
    alerts: list[Alert],
    start: datetime,
    now: datetime,
    zone: ZoneInfo,
) -> Chart:
    session = db.session()
    prompts = session.execute(
        select(Prompt.sent_at, Prompt.status).where(
            Prompt.participant_id == participant.id,
            Prompt.sent_at >= start,
            Prompt.status.in_((*ANSWERED_STATUSES, PromptStatus.MISSED)),
        )
    ).all()
    sessions = session.scalars(
        select(GroupSession.starts_at).where(
            GroupSession.group_id == participant.group_id,
            GroupSession.starts_at >= start,
            GroupSession.starts_at <= now,
        )
    ).all()
    return member_chart(
        observations,
        [PromptMark(at, status in ANSWERED_STATUSES) for at, status in prompts],
        [Marker(at, f"Group session {at.astimezone(zone):%H:%M}") for at in sessions],
        [Marker(a.created_at, f"{ALERT_NAMES[a.kind.value]} alert") for a in alerts
         if a.created_at >= start],
        start, now, zone, participant.name or "this member",
    )  # fmt: skip


def _date_arg(name: str, default: date) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, f"{name} must be a date as YYYY-MM-DD")


@ui.get("/groups/<int:group_id>/export.csv")
@login_required
def export_csv(group_id: int) -> Response:
    """Every observation of the group's members between two local dates, inclusive."""
    group = group_or_403(group_id)
    zone = ZoneInfo(group.timezone)
    today = utcnow().astimezone(zone).date()
    first = _date_arg("from", today - timedelta(days=30))
    last = _date_arg("to", today)
    if last < first:
        abort(400, "the end date is before the start date")
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
    rows = (
        db.session()
        .execute(
            select(Observation, Participant)
            .join(Participant, Participant.id == Observation.participant_id)
            .where(
                Participant.group_id == group.id,
                Observation.recorded_at >= start,
                Observation.recorded_at < end,
            )
            .order_by(Observation.recorded_at, Observation.id)
        )
        .all()
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["participant_id", "name", "kind", "value", "recorded_at_utc", "recorded_at_local", "late",
                     "loinc"])  # fmt: skip
    for obs, participant in rows:
        local = obs.recorded_at.astimezone(ZoneInfo(participant.effective_timezone()))
        writer.writerow([participant.id, csv_safe(participant.name), obs.kind, obs.value, iso(obs.recorded_at),
                         local.isoformat(), "yes" if obs.late else "no",
                         "72514-3" if obs.kind == "pain" else ""])  # fmt: skip
    g.audit_detail = f"observations from {first} to {last}; rows={len(rows)}"
    filename = f"paceline-group{group.id}-{first}-to-{last}.csv"
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@ui.get("/participants/<int:participant_id>/fhir.json")
@login_required
def export_fhir(participant_id: int) -> Response:
    """The member's observations as a FHIR R4 Bundle."""
    participant = participant_or_403(participant_id)
    rows = series(db.session(), participant.id)
    surveys = survey_history(db.session(), participant.id)
    g.audit_detail = f"FHIR Bundle of observations and surveys; rows={len(rows) + len(surveys)}"
    base_url = current_app.extensions["paceline.settings"].public_base_url
    response = jsonify(observations_bundle(participant, rows, surveys, base_url))
    response.mimetype = "application/fhir+json"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="paceline-participant{participant.id}.fhir.json"'
    )
    return response
