"""A member's record: consent evidence, time-zone history, deletion on request with an export
first, the retention rule for people who left, and the audit trail's own retention."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sqlalchemy import func, select

from jobs.retention import retention_sweep
from service.models import (
    Alert,
    AlertKind,
    AlertNotification,
    AuditEvent,
    ConsentEvent,
    InboundMessage,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    SuppressedNumber,
    ZoneChange,
)
from service.platform.db import utcnow
from service.staff import audit
from tests.service.test_ui import Browser

PHONE = "+12085550143"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _join(client, session, sms_in, admin_group_and_fac):
    """Enrol through the web app, answer YES, log a value: a member with a real history."""
    group, fac = admin_group_and_fac
    browser = Browser(client, fac.user.email)
    assert browser.post(f"/groups/{group.id}/enrol", {"phone": PHONE, "name": "Alex"}).status_code == 302  # fmt: skip
    sms_in(PHONE, "Yes!", sid="SMjoin0001")
    sms_in(PHONE, "pain 6 mood 4")
    return browser, session.scalar(select(Participant).where(Participant.phone == PHONE))


def _setup(make_group, make_staff):
    group = make_group()
    return group, make_staff("facilitator", groups=(group,))


def test_an_opt_in_keeps_the_wording_answered_and_an_opt_out_the_words(
    client, session, sms_in, make_group, make_staff
):
    browser, member = _join(client, session, sms_in, _setup(make_group, make_staff))
    sms_in(PHONE, "stop texting me please", sid="SMstop0001")
    events = session.scalars(select(ConsentEvent).order_by(ConsentEvent.id)).all()
    assert [(e.kind, e.source, e.message_sid) for e in events] == [
        ("opt_in", "sms_yes", "SMjoin0001"), ("opt_out", "sms_stop", "SMstop0001")
    ]  # fmt: skip
    invitation = session.scalar(select(OutboundMessage).where(OutboundMessage.kind == "invitation"))
    assert events[0].wording == invitation.body and events[0].words == "Yes!"
    assert events[0].wording_version.startswith("invitation/en/")
    assert events[1].words == "stop texting me please"

    response = browser.get(f"/participants/{member.id}/consent.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["kind"] for r in rows] == ["opt_in", "opt_out"]
    assert rows[0]["wording"] == invitation.body and rows[1]["message_sid"] == "SMstop0001"
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.participant_id, last.detail) == ("export", member.id, "consent evidence; rows=2")  # fmt: skip
    page = browser.get(f"/participants/{member.id}").get_data(as_text=True)
    assert "Opted out" in page and "stop texting me please" in page


def test_a_zone_change_is_kept_and_a_bad_zone_changes_nothing(
    client, session, sms_in, make_group, make_staff
):
    browser, member = _join(client, session, sms_in, _setup(make_group, make_staff))
    assert browser.post(f"/participants/{member.id}/zone", {"timezone": "Mars/Olympus"}).status_code == 302  # fmt: skip
    session.refresh(member)
    assert member.timezone is None and _count(session, ZoneChange) == 0
    browser.post(f"/participants/{member.id}/zone", {"timezone": "America/Boise"})
    browser.post(f"/participants/{member.id}/zone", {"timezone": ""})  # back to the group's
    changes = session.scalars(select(ZoneChange).order_by(ZoneChange.id)).all()
    assert [(c.from_zone, c.to_zone, c.source) for c in changes] == [
        (None, "America/Boise", "staff"), ("America/Boise", None, "staff")
    ]  # fmt: skip
    assert all(c.staff_id is not None for c in changes)
    session.refresh(member)
    assert member.timezone is None


def test_enrolment_stores_a_given_zone_as_the_first_change(client, session, make_group, make_staff):
    group, fac = _setup(make_group, make_staff)
    response = client.post(f"/api/v1/groups/{group.id}/participants", headers=fac.headers,
                           json={"phone": PHONE, "timezone": "America/Denver"})  # fmt: skip
    assert response.status_code == 201
    change = session.scalar(select(ZoneChange))
    assert (change.from_zone, change.to_zone, change.source) == (
        None,
        "America/Denver",
        "enrolment",
    )
    member_id = response.get_json()["id"]
    client.patch(f"/api/v1/participants/{member_id}", headers=fac.headers,
                 json={"timezone": "America/Chicago"})  # fmt: skip
    assert _count(session, ZoneChange) == 2
    # Personal quiet hours that would let texts out after 9 p.m. are refused, nothing changes.
    bad = client.patch(f"/api/v1/participants/{member_id}", headers=fac.headers,
                       json={"quiet_start": "22:30", "quiet_end": "07:00"})  # fmt: skip
    assert bad.status_code == 422 and "quiet_start" in bad.get_json()["fields"]
    assert session.get(Participant, member_id).quiet_start is None
    # A number whose area code is in another zone than the group's: suggested, not applied.
    other = client.post(f"/api/v1/groups/{group.id}/participants", headers=fac.headers,
                        json={"phone": "+12125550123"}).get_json()  # fmt: skip
    assert other["suggested_timezone"] == "America/New_York" and other["own_timezone"] is None
    assert other["timezone"] == group.timezone


def test_a_schedule_with_nights_shorter_than_the_law_allows_is_refused(
    client, make_group, make_staff
):
    group, fac = _setup(make_group, make_staff)
    response = client.put(f"/api/v1/groups/{group.id}/schedule", headers=fac.headers, json={
        "quiet_start": "22:00", "quiet_end": "08:00", "items": [{"kind": "pacing", "at": "10:00"}]
    })  # fmt: skip
    assert response.status_code == 422
    assert "21:00-08:00" in response.get_json()["fields"]["quiet_start"]


def _history_with_an_alert(session, member):
    alert = Alert(group_id=member.group_id, participant=member, kind=AlertKind.CRISIS, detail="x")
    oncall = OutboundMessage(to_phone="+12085550999", body=f"Crisis reply from {member.name}",
                             kind="crisis_alert", participant_id=None)  # fmt: skip
    session.add_all([alert, oncall])
    session.flush()
    session.add(AlertNotification(alert=alert, channel="sms", target="+12085550999",
                                  outbound_message_id=oncall.id))  # fmt: skip
    session.commit()
    return oncall.id


def test_an_admin_exports_then_deletes_a_members_data_on_request(
    client, app, session, sms_in, make_group, make_staff, admin
):
    setup = _setup(make_group, make_staff)
    fac_browser, member = _join(client, session, sms_in, setup)
    oncall_id = _history_with_an_alert(session, member)
    member_id = member.id
    # Only admins see the export and the deletion.
    assert fac_browser.get(f"/participants/{member_id}/record.json").status_code == 403
    assert fac_browser.post(f"/participants/{member_id}/delete", {"confirm": "0143"}).status_code == 403  # fmt: skip

    browser = Browser(app.test_client(), admin.user.email)
    record = json.loads(
        browser.get(f"/participants/{member_id}/record.json").get_data(as_text=True)
    )
    assert record["member"]["phone"] == PHONE
    assert {m["body"] for m in record["messages_received"]} == {"Yes!", "pain 6 mood 4"}
    assert {(o["kind"], o["value"]) for o in record["logs"]} == {("pain", 6), ("mood", 4)}
    assert record["consent"][0]["source"] == "sms_yes" and record["surveys"] == []

    page = browser.get(f"/participants/{member_id}/delete").get_data(as_text=True)
    assert "Export first" in page and "2 pain and mood logs" in page
    wrong = browser.post(f"/participants/{member_id}/delete", {"confirm": "9999"})
    assert wrong.status_code == 422 and session.get(Participant, member_id) is not None

    assert browser.post(f"/participants/{member_id}/delete", {"confirm": "0143"}).status_code == 302
    session.expire_all()
    assert session.get(Participant, member_id) is None
    for model in (Observation, ConsentEvent, Alert, AlertNotification, Prompt):
        assert _count(session, model) == 0, model
    assert session.scalar(select(func.count()).select_from(InboundMessage).where(
        InboundMessage.body.is_not(None))) == 0  # fmt: skip
    assert session.get(OutboundMessage, oncall_id) is None  # the on-call text named them
    assert _count(session, SuppressedNumber) == 0  # they never texted STOP
    entry = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (entry.action, entry.participant_id, entry.staff_id) == (
        "write",
        member_id,
        admin.user.id,
    )
    assert entry.detail.startswith("erased on request:") and PHONE not in entry.detail
    assert audit.verify(session).broken_at is None
    # The number may be enrolled again: the person was not opted out.
    assert fac_browser.post(f"/groups/{setup[0].id}/enrol", {"phone": PHONE}).status_code == 302


def test_a_stopped_number_whose_data_is_deleted_is_never_invited_again_until_start(
    client, session, sms_in, make_group, make_staff
):
    group, fac = _setup(make_group, make_staff)
    _browser, member = _join(client, session, sms_in, (group, fac))
    sms_in(PHONE, "STOP")
    session.refresh(member)
    member.opted_out_at = utcnow() - timedelta(days=400)
    session.commit()
    app_settings = client.application.extensions["paceline.settings"]
    assert retention_sweep(session, app_settings, utcnow()) == 1
    assert _count(session, Participant) == 0 and _count(session, SuppressedNumber) == 1
    digest = session.scalar(select(SuppressedNumber.digest))
    assert PHONE not in digest and "2085550143" not in digest

    refused = client.post(f"/api/v1/groups/{group.id}/participants", headers=fac.headers,
                          json={"phone": PHONE})  # fmt: skip
    assert refused.status_code in (409, 422)
    assert "opted out" in json.dumps(refused.get_json())
    sent_before = _count(session, OutboundMessage)
    sms_in(PHONE, "hello?")  # nothing is texted back after STOP
    assert _count(session, OutboundMessage) == sent_before
    sms_in(PHONE, "START")  # they ask for texts again: told how to join, suppression lifted
    assert _count(session, SuppressedNumber) == 0
    assert _count(session, OutboundMessage) == sent_before + 1
    again = client.post(f"/api/v1/groups/{group.id}/participants", headers=fac.headers,
                        json={"phone": PHONE})  # fmt: skip
    assert again.status_code == 201


def test_retention_erases_only_those_who_left_long_enough_ago(app, session, make_group):
    settings = app.extensions["paceline.settings"]
    assert settings.retention_days_after_exit == 365
    group = make_group()
    now = utcnow()
    old_stop = Participant(group=group, phone="+12085550101", status=ParticipantStatus.OPTED_OUT,
                           opted_out_at=now - timedelta(days=366))  # fmt: skip
    old_withdrawn = Participant(group=group, phone="+12085550102",
                                status=ParticipantStatus.WITHDRAWN,
                                withdrawn_at=now - timedelta(days=400))  # fmt: skip
    recent = Participant(group=group, phone="+12085550103", status=ParticipantStatus.OPTED_OUT,
                         opted_out_at=now - timedelta(days=100))  # fmt: skip
    active = Participant(group=group, phone="+12085550104", status=ParticipantStatus.ACTIVE)
    session.add_all([old_stop, old_withdrawn, recent, active])
    session.flush()
    for p in (old_stop, old_withdrawn, recent, active):
        session.add(Observation(participant=p, kind="pain", value=5, recorded_at=now - timedelta(days=500)))  # fmt: skip
        session.add(Prompt(participant=p, slot_key="k", kind="pacing", status=PromptStatus.SENT,
                           scheduled_for=now - timedelta(days=500)))  # fmt: skip
    session.commit()
    gone = {old_stop.id, old_withdrawn.id}

    assert retention_sweep(session, settings, now) == 2
    assert retention_sweep(session, settings, now) == 0  # nothing repeats
    session.expire_all()
    assert set(session.scalars(select(Participant.phone))) == {"+12085550103", "+12085550104"}
    assert _count(session, Observation) == 2 and _count(session, Prompt) == 2
    rows = session.scalars(select(AuditEvent).where(AuditEvent.participant_id.in_(gone))).all()
    assert len(rows) == 2 and all(r.address == "system" and r.staff_id is None for r in rows)
    assert all("retention rule (365 days" in r.detail for r in rows)
    assert _count(session, SuppressedNumber) == 1  # only the one who texted STOP


def test_the_audit_trail_is_pruned_after_six_years_and_still_verifies(session):
    now = utcnow()
    for days_ago in (2300, 2250, 10, 1):
        audit.record(session, at=now - timedelta(days=days_ago), action="view",
                     object_type="participant", object_id="1", participant_id=1)  # fmt: skip
    assert audit.prune(session, 2192, now) == 2
    assert audit.prune(session, 2192, now) == 0
    verdict = audit.verify(session)
    assert verdict.broken_at is None and verdict.rows == 3
    marker = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert marker.object_id == "prune" and "pruned 2 rows" in marker.detail
    # A prefix removed any other way is found: the remaining rows do not start at an anchor.
    first = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()
    session.delete(first)
    session.commit()
    assert audit.verify(session).broken_at is not None
