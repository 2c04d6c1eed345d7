"""JSON API v1: auth, roles, groups, enrolment."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.models import MessageStatus, OutboundMessage, Participant
from tests.conftest import run_jobs


def test_requests_without_a_valid_token_get_401(client):
    assert client.get("/api/v1/groups").status_code == 401
    response = client.get("/api/v1/groups", headers={"Authorization": "Bearer pl_nope"})
    assert response.status_code == 401
    assert "token" in response.get_json()["error"]


def test_facilitator_creates_a_group_and_is_assigned_to_it(client, make_staff):
    fac = make_staff("facilitator")
    response = client.post(
        "/api/v1/groups", json={"name": "Tuesday", "timezone": "Europe/London"}, headers=fac.headers
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Tuesday" and body["timezone"] == "Europe/London"
    assert [s["email"] for s in body["staff"]] == [fac.user.email]
    listed = client.get("/api/v1/groups", headers=fac.headers).get_json()["items"]
    assert [g["id"] for g in listed] == [body["id"]]


def test_bad_group_input_gets_422_with_field_errors_and_stores_nothing(client, make_staff, session):
    fac = make_staff("facilitator")
    response = client.post(
        "/api/v1/groups", json={"name": "", "timezone": "Mars/Olympus"}, headers=fac.headers
    )
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"name", "timezone"}
    assert client.get("/api/v1/groups", headers=fac.headers).get_json()["items"] == []


def test_clinicians_cannot_create_groups(client, make_staff):
    clin = make_staff("clinician")
    response = client.post(
        "/api/v1/groups", json={"name": "X", "timezone": "UTC"}, headers=clin.headers
    )
    assert response.status_code == 403


def test_enrolment_queues_an_invitation_that_a_worker_sends(
    app, client, make_staff, make_group, session
):
    group = make_group()
    fac = make_staff("facilitator", groups=(group,))
    response = client.post(
        f"/api/v1/groups/{group.id}/participants",
        json={"phone": "(208) 555-0143", "name": "Alex", "language": "en"},
        headers=fac.headers,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "invited" and body["phone"] == "+12085550143"

    message = session.scalar(select(OutboundMessage))
    assert message.kind == "invitation" and message.status == MessageStatus.QUEUED
    assert "Riverside Pain Service" in message.body
    assert "YES" in message.body and "STOP" in message.body and "HELP" in message.body

    run_jobs(app)
    session.expire_all()
    message = session.scalar(select(OutboundMessage))
    assert message.status == MessageStatus.SENT
    assert message.twilio_sid.startswith("SM")
    assert app.extensions["paceline.sms"].sent[-1][1] == "+12085550143"


def test_the_same_phone_twice_is_409_and_a_bad_phone_is_422(
    client, make_staff, make_group, session
):
    group = make_group()
    other = make_group("Thursday")
    fac = make_staff("facilitator", groups=(group, other))
    url = f"/api/v1/groups/{group.id}/participants"
    assert client.post(url, json={"phone": "+12085550143"}, headers=fac.headers).status_code == 201
    again = client.post(
        f"/api/v1/groups/{other.id}/participants",
        json={"phone": "208-555-0143"},
        headers=fac.headers,
    )
    assert again.status_code == 409
    bad = client.post(
        url, json={"phone": "12345", "timezone": "Nowhere", "language": "fr"}, headers=fac.headers
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"phone", "timezone", "language"}
    assert len(session.scalars(select(Participant)).all()) == 1
    assert len(session.scalars(select(OutboundMessage)).all()) == 1


def test_staff_see_only_their_groups(client, make_staff, make_group):
    mine, theirs = make_group("Mine"), make_group("Theirs")
    clin = make_staff("clinician", groups=(mine,))
    fac_other = make_staff("facilitator", groups=(theirs,))
    enrol = client.post(
        f"/api/v1/groups/{theirs.id}/participants",
        json={"phone": "+12085550178"},
        headers=fac_other.headers,
    )
    pid = enrol.get_json()["id"]
    assert client.get(f"/api/v1/groups/{theirs.id}", headers=clin.headers).status_code == 403
    assert client.get(f"/api/v1/participants/{pid}", headers=clin.headers).status_code == 403
    assert (
        client.get(f"/api/v1/participants/{pid}/messages", headers=clin.headers).status_code == 403
    )
    assert client.get(f"/api/v1/groups/{mine.id}", headers=clin.headers).status_code == 200
    listed = client.get("/api/v1/groups", headers=clin.headers).get_json()["items"]
    assert [g["name"] for g in listed] == ["Mine"]


def test_clinicians_read_but_do_not_enrol(client, make_staff, make_group):
    group = make_group()
    clin = make_staff("clinician", groups=(group,))
    response = client.post(
        f"/api/v1/groups/{group.id}/participants",
        json={"phone": "+12085550143"},
        headers=clin.headers,
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/groups/{group.id}", headers=clin.headers).status_code == 200


def test_admins_see_every_group(client, admin, make_group):
    make_group("A"), make_group("B")
    names = [
        g["name"] for g in client.get("/api/v1/groups", headers=admin.headers).get_json()["items"]
    ]
    assert names == ["A", "B"]


def test_missing_resources_are_404(client, admin):
    assert client.get("/api/v1/groups/999", headers=admin.headers).status_code == 404
    assert client.get("/api/v1/participants/999", headers=admin.headers).status_code == 404


def test_non_json_body_is_400(client, admin, make_group):
    group = make_group()
    response = client.post(
        f"/api/v1/groups/{group.id}/participants", data="phone=1", headers=admin.headers
    )
    assert response.status_code == 400


def test_an_invitation_enrolled_at_night_waits_for_the_morning(
    app, client, make_staff, make_group, session
):
    from service.platform.db import utcnow
    from tests.conftest import night_zone

    group = make_group(timezone=night_zone())
    fac = make_staff("facilitator", groups=(group,))
    url = f"/api/v1/groups/{group.id}/participants"
    assert client.post(url, json={"phone": "+12085550143"}, headers=fac.headers).status_code == 201
    run_jobs(app)
    message = session.scalar(select(OutboundMessage))
    session.refresh(message)
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at > utcnow() + timedelta(hours=5)  # 08:00 local at the earliest
    assert app.extensions["paceline.sms"].sent == []


def test_replies_to_read_through_the_api(client, make_staff, make_group, session, sms_in):
    from service.models import Participant, ParticipantStatus

    group, other = make_group(), make_group("Other")
    clin = make_staff("clinician", groups=(group,))
    outsider = make_staff("clinician", groups=(other,))
    session.add(
        Participant(group=group, phone="+12085550143", name="Alex", status=ParticipantStatus.ACTIVE)
    )
    session.commit()
    sms_in("+12085550143", "called my sister, it helped")
    sms_in("+12085550143", "i'm not suicidal, just tired")
    url = f"/api/v1/groups/{group.id}/replies"
    items = client.get(url, headers=clin.headers).get_json()["items"]
    assert [i["why"] for i in items] == ["concern", "note"]
    assert items[0]["concern"] is True and items[0]["crisis"] is False
    assert items[0]["crisis_reason"] == "thoughts"
    assert client.get(url, headers=outsider.headers).status_code == 403
    handled = f"/api/v1/replies/{items[1]['id']}/handled"
    assert client.post(handled, headers=outsider.headers).status_code == 403
    body = client.post(handled, headers=clin.headers).get_json()
    assert body["handled_at"] and body["handled_by_id"] == clin.user.id
    assert [i["why"] for i in client.get(url, headers=clin.headers).get_json()["items"]] == [
        "concern"
    ]
    assert len(client.get(url + "?handled=1", headers=clin.headers).get_json()["items"]) == 2
