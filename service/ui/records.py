"""A member's record as data: consent evidence, time zone, everything held (an admin's export
before a deletion on request), and the deletion itself, confirmed and audited."""

from __future__ import annotations

import csv
import io
import json

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from messages.phone import mask_phone
from messages.schedule import check_timezone
from messages.surveys import INSTRUMENTS
from service.care.fhir import questionnaire
from service.models import Participant, ParticipantStatus, Role
from service.platform.db import db, utcnow
from service.programme.consent import consent_history
from service.programme.enrolment import withdraw
from service.programme.erasure import consent_json, erase_member, holdings, member_record
from service.programme.plans import replan
from service.programme.zones import set_zone
from service.ui import csv_safe, participant_or_403, role_required, ui


@ui.get("/participants/<int:participant_id>/consent.csv")
@role_required(Role.ADMIN, Role.FACILITATOR, Role.CLINICIAN)
def export_consent(participant_id: int) -> Response:
    """The member's consent evidence: each opt-in with the wording answered, each opt-out."""
    participant = participant_or_403(participant_id)
    events = consent_history(db.session(), participant.id)
    columns = ["at", "kind", "source", "channel", "wording_version", "wording", "words",
               "message_sid", "staff_id"]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["participant_id", *columns])
    for event in events:
        row = consent_json(event)
        writer.writerow([participant.id, *(csv_safe(row[c]) for c in columns)])
    g.audit_detail = f"consent evidence; rows={len(events)}"
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="paceline-member{participant.id}-consent.csv"'
    })  # fmt: skip


@ui.post("/participants/<int:participant_id>/zone")
@role_required(Role.ADMIN, Role.FACILITATOR)
def set_member_zone(participant_id: int) -> Response:
    """Set the member's own time zone, or back to the group's; the change is kept."""
    participant = participant_or_403(participant_id, write=True)
    zone = request.form.get("timezone", "").strip() or None
    if zone and (reason := check_timezone(zone)):
        flash(f"Time zone not changed: {reason}.", "error")
        return redirect(url_for("ui.member", participant_id=participant.id))
    session = db.session()
    now = utcnow()
    if set_zone(session, participant, zone, source="staff", at=now, staff_id=g.current_user.id):
        replan(session, participant, now)
        session.commit()
        g.audit_detail = "time zone changed"
        flash(f"Time zone set to {participant.effective_timezone()}"
              f"{'' if zone else ' (the group’s)'}; the plan is updated.", "ok")  # fmt: skip
    return redirect(url_for("ui.member", participant_id=participant.id))


@ui.get("/participants/<int:participant_id>/record.json")
@role_required(Role.ADMIN)
def export_member(participant_id: int) -> Response:
    """Everything held about the member, as JSON (a person's right to their data)."""
    participant = participant_or_403(participant_id)
    record = member_record(db.session(), participant)
    rows = sum(len(v) for v in record.values() if isinstance(v, list))
    g.audit_detail = f"the member's whole record; rows={rows}"
    return Response(json.dumps(record, indent=2, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition":
                             f'attachment; filename="paceline-member{participant.id}.json"'})  # fmt: skip


def _confirmation(participant: Participant) -> str:
    """What an admin types to confirm: the last four digits of the member's number."""
    return participant.phone[-4:]


@ui.get("/participants/<int:participant_id>/delete")
@role_required(Role.ADMIN)
def erase_member_page(participant_id: int) -> str:
    """What deleting this member's data removes, the export to take first, and the form."""
    participant = participant_or_403(participant_id)
    return render_template(
        "ui/erase_member.html", p=participant, held=holdings(db.session(), participant.id),
        masked=mask_phone(participant.phone), error=None,
    )  # fmt: skip


@ui.post("/participants/<int:participant_id>/delete")
@role_required(Role.ADMIN)
def erase_member_now(participant_id: int) -> Response | tuple[str, int]:
    """Delete everything held about the member, once the admin has typed the confirmation."""
    participant = participant_or_403(participant_id, write=True)
    session = db.session()
    if request.form.get("confirm", "").strip() != _confirmation(participant):
        g.audit_detail = "deletion not confirmed"
        return render_template(
            "ui/erase_member.html", p=participant, held=holdings(session, participant.id),
            masked=mask_phone(participant.phone),
            error="Type the last four digits of the member's number to confirm.",
        ), 422  # fmt: skip
    group_id, label = participant.group_id, participant.name or f"Member {participant.id}"
    if participant.status not in (ParticipantStatus.OPTED_OUT, ParticipantStatus.WITHDRAWN):
        withdraw(session, participant, staff_id=g.current_user.id)  # nothing more is sent
        session.flush()
    counts = erase_member(session, current_app.extensions["paceline.settings"], participant)
    session.commit()
    g.audit_detail = f"erased on request: {counts.describe()}"
    flash(f"{label}'s data is deleted ({counts.describe()}). The audit trail keeps that it was.",
          "ok")  # fmt: skip
    return redirect(url_for("ui.group", group_id=group_id))


@ui.get("/fhir/Questionnaire/<questionnaire_id>")
def questionnaire_resource(questionnaire_id: str) -> Response:
    """The canonical Questionnaire of a survey (no client data, so no sign-in): what the
    exported QuestionnaireResponses point at."""
    instrument = INSTRUMENTS.get(questionnaire_id.removeprefix("paceline-"))
    if instrument is None or not questionnaire_id.startswith("paceline-"):
        abort(404)
    base_url = current_app.extensions["paceline.settings"].public_base_url
    response = jsonify(questionnaire(instrument, base_url))
    response.mimetype = "application/fhir+json"
    return response
