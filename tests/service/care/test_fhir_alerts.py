"""FHIR export validated by fhir.resources' R4 models; alerts list and acknowledgement."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.models import Alert, Participant, ParticipantStatus

PHONE = "+12085550143"


@pytest.fixture
def member(session, make_group):
    group = make_group()
    participant = Participant(group=group, phone=PHONE, status=ParticipantStatus.ACTIVE)
    session.add(participant)
    session.commit()
    return participant


def test_fhir_bundle_is_valid_r4_with_loinc_pain(client, member, make_staff, sms_in):
    from fhir.resources.R4B.bundle import Bundle

    clin = make_staff("clinician", groups=(member.group,))
    sms_in(PHONE, "pain 6 mood 4")
    response = client.get(f"/api/v1/participants/{member.id}/fhir", headers=clin.headers)
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    bundle = Bundle.model_validate(response.get_json())
    observations = [
        e.resource for e in bundle.entry if e.resource.__resource_type__ == "Observation"
    ]
    by_code = {o.code.coding[0].code: o for o in observations}
    assert by_code["72514-3"].code.coding[0].system == "http://loinc.org"
    assert by_code["72514-3"].valueInteger == 6
    assert by_code["mood-0-10"].valueInteger == 4
    assert PHONE not in response.get_data(as_text=True)


def test_alerts_are_listed_for_the_group_and_acknowledged_once(
    client, session, member, make_staff, sms_in
):
    clin = make_staff("clinician", groups=(member.group,))
    outsider = make_staff("clinician")
    sms_in(PHONE, "I don't want to be alive anymore")
    alerts = client.get(
        f"/api/v1/groups/{member.group_id}/alerts", headers=clin.headers
    ).get_json()["items"]
    assert [a["kind"] for a in alerts] == ["crisis"]
    alert_id = alerts[0]["id"]
    assert (
        client.post(f"/api/v1/alerts/{alert_id}/ack", headers=outsider.headers).status_code == 403
    )
    missing = client.post(f"/api/v1/alerts/{alert_id}/ack", json={}, headers=clin.headers)
    assert missing.status_code == 422 and "action" in missing.get_json()["fields"]
    ack = {"action": "called_client", "note": "safety plan reviewed"}
    acked = client.post(f"/api/v1/alerts/{alert_id}/ack", json=ack, headers=clin.headers).get_json()
    assert acked["acknowledged_by"] == clin.user.id and acked["acknowledged_at"]
    assert (acked["ack_action"], acked["ack_note"]) == ("called_client", "safety plan reviewed")
    again = client.post(
        f"/api/v1/alerts/{alert_id}/ack",
        json={"action": "other", "note": "x"},
        headers=clin.headers,
    ).get_json()
    assert again["acknowledged_at"] == acked["acknowledged_at"]
    open_only = client.get(f"/api/v1/groups/{member.group_id}/alerts?open=1", headers=clin.headers)
    assert open_only.get_json()["items"] == []
    assert session.scalar(select(Alert)).acknowledged_at is not None
