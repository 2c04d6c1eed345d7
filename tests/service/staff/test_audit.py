"""The audit trail: every staff route leaves a row (or is listed as leaving none), reads and
exports name the member and the rows, nothing personal is written, the hash chain catches an
edited, removed or inserted row, and a read that cannot be audited is not served."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select, text

from service.models import AuditEvent, Observation, Participant, ParticipantStatus
from service.platform.db import db, utcnow
from service.staff.audit import EVENTS, UNAUDITED, count, record, verify
from tests.service.test_ui import PASSWORD, Browser, anonymous


def test_every_staff_route_is_audited_or_listed_as_not(app):
    rules = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}
    missing = sorted(set(rules) - set(EVENTS) - UNAUDITED)
    assert not missing, f"routes with no audit decision: {missing}"
    assert not set(EVENTS) - set(rules), "audit events for routes that do not exist"
    for endpoint, (action, _, _) in EVENTS.items():
        methods = rules[endpoint]
        wanted = {"GET"} if action in ("view", "export") else {"POST", "PUT", "PATCH"}
        assert methods & wanted, f"{endpoint} is a {action} but answers {methods}"


@pytest.fixture
def clinic(session, make_group, make_staff):
    group = make_group("Audited", "America/New_York")
    other = make_group("Elsewhere", "Europe/London")
    member = Participant(group=group, phone="+12085550143", name="Alex",
                         status=ParticipantStatus.ACTIVE)  # fmt: skip
    session.add(member)
    session.flush()
    session.add(Observation(participant=member, kind="pain", value=6, recorded_at=utcnow()))
    session.commit()
    return {
        "group": group, "other": other, "member": member,
        "clinician": make_staff("clinician", groups=(group,)),
        "outsider": make_staff("clinician", groups=(other,)),
        "admin": make_staff("admin"),
    }  # fmt: skip


def _rows(session):
    session.expire_all()
    return session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_reads_exports_and_sign_ins_leave_rows_without_personal_details(client, session, clinic):
    member, clinician = clinic["member"], clinic["clinician"].user
    browser = Browser(client, clinician.email)  # a sign-in
    browser.get(f"/participants/{member.id}")
    browser.get(f"/groups/{clinic['group'].id}/export.csv")
    anonymous(client).post("/login", {"email": clinician.email, "password": "not it"})
    outsider = Browser(client, clinic["outsider"].user.email)
    assert outsider.get(f"/participants/{member.id}").status_code == 403
    rows = _rows(session)
    kinds = [(r.action, r.object_type, r.outcome) for r in rows]
    assert kinds == [
        ("login", "staff", "ok"), ("view", "participant", "ok"), ("export", "group", "ok"),
        ("login", "staff", "failed"), ("login", "staff", "ok"), ("view", "participant", "denied"),
    ]  # fmt: skip
    view, export, failed = rows[1], rows[2], rows[3]
    assert (view.staff_id, view.role, view.participant_id) == (clinician.id, "clinician", member.id)
    assert export.detail.endswith("rows=1") and failed.detail == "wrong password"
    assert failed.staff_id == clinician.id and rows[5].staff_id == clinic["outsider"].user.id
    # No phone number, no message text, anywhere in the trail.
    for row in rows:
        for value in (row.detail, row.object_id or "", row.address):
            assert not re.search(r"\+?\d{10,}", value), value


def test_admins_read_the_trail_and_who_viewed_a_record(client, session, clinic):
    member = clinic["member"]
    Browser(client, clinic["clinician"].user.email).get(f"/participants/{member.id}")
    admin = Browser(client, clinic["admin"].user.email)
    page = admin.get(f"/participants/{member.id}").get_data(as_text=True)
    assert "Who viewed this record" in page
    assert clinic["clinician"].user.email in page or "(clinician)" in page
    trail = admin.get(f"/admin/audit?participant_id={member.id}&action=view").get_data(as_text=True)
    assert "member " + str(member.id) in trail
    csv_text = admin.get("/admin/audit.csv?action=view").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("id,at,staff_id,role")
    assert admin.get("/admin/audit?action=bogus").status_code == 400
    # Not for anyone else, in the web app or the API.
    clinician = Browser(client, clinic["clinician"].user.email)
    assert clinician.get("/admin/audit").status_code == 403
    assert "Who viewed this record" not in clinician.get(f"/participants/{member.id}").get_data(
        as_text=True
    )
    headers = {"Authorization": f"Bearer {clinic['clinician'].token}"}
    assert client.get("/api/v1/audit", headers=headers).status_code == 403
    api = client.get(f"/api/v1/audit?participant_id={member.id}",
                     headers={"Authorization": f"Bearer {clinic['admin'].token}"})  # fmt: skip
    assert api.status_code == 200 and api.get_json()["items"][0]["participant_id"] == member.id


def test_the_chain_catches_an_edited_removed_or_inserted_row(app, session):
    for i in range(5):
        record(session, action="write", object_type="staff", object_id=str(i))
    assert verify(session).broken_at is None and verify(session).rows == 5
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # The application cannot edit a row: the database refuses the UPDATE.
    with pytest.raises(Exception, match="append-only"):
        session.execute(
            text(
                "UPDATE audit_events SET detail = 'x' WHERE id = (SELECT min(id) FROM audit_events)"
            )
        )
        session.flush()
    session.rollback()
    ids = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    # Someone with the database's keys edits a row behind the trigger's back...
    _without_update_trigger(
        session, f"UPDATE audit_events SET outcome = 'denied' WHERE id = {ids[2]}"
    )
    verdict = verify(session)
    assert verdict.broken_at == ids[2] and "changed" in verdict.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output
    # ...or removes one: the next row no longer follows.
    _without_update_trigger(session, f"UPDATE audit_events SET outcome = 'ok' WHERE id = {ids[2]}")
    session.execute(text(f"DELETE FROM audit_events WHERE id = {ids[3]}"))
    session.commit()
    verdict = verify(session)
    assert verdict.broken_at == ids[4] and "removed or inserted" in verdict.reason


def _without_update_trigger(session, statement: str) -> None:
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
        session.execute(text(statement))
        session.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update"))
    else:
        sql = session.scalar(
            text("SELECT sql FROM sqlite_master WHERE name = 'audit_events_no_update'")
        )
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text(statement))
        session.execute(text(sql))
    session.commit()


def test_two_writers_at_once_keep_one_chain(app, session):
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with app.app_context(), db.new_session() as own:
                barrier.wait()
                for i in range(10):
                    record(own, action="view", object_type="group", object_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert count(session) == 40 and verify(session).broken_at is None


def test_a_read_that_cannot_be_audited_is_not_served(client, session, clinic):
    browser = Browser(client, clinic["clinician"].user.email)
    session.execute(text("ALTER TABLE audit_events RENAME TO audit_events_away"))
    session.commit()
    try:
        response = browser.get(f"/participants/{clinic['member'].id}")
        assert response.status_code == 503
        assert "Alex" not in response.get_data(as_text=True)
    finally:
        session.rollback()
        session.execute(text("ALTER TABLE audit_events_away RENAME TO audit_events"))
        session.commit()
    assert browser.get(f"/participants/{clinic['member'].id}").status_code == 200
    assert PASSWORD  # the shared staff password of these tests


def test_research_exports_leave_a_row_with_scope_and_counts_even_while_streaming(
    client, session, clinic
):
    group, clinician = clinic["group"], clinic["clinician"].user
    browser = Browser(client, clinician.email)
    for path, detail in (
        ("tidy.csv", "tidy CSV, all dates; members=1 observations=1 surveys=0"),
        ("redcap.csv", "REDCap data, all dates; members=1 observations=1 surveys=0"),
        ("redcap-dictionary.csv", "REDCap data dictionary (no client data)"),
        ("prompts.csv", "prompt times (EMA compliance), all dates; rows=0"),
    ):
        response = browser.get(f"/groups/{group.id}/export/{path}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        response.get_data()  # the whole stream
        row = _rows(session)[-1]
        assert (row.action, row.object_type, row.object_id, row.detail) == (
            "export", "group", str(group.id), detail)  # fmt: skip
    assert Browser(client, clinic["outsider"].user.email).get(
        f"/groups/{group.id}/export/tidy.csv").status_code == 403  # fmt: skip
    assert _rows(session)[-1].outcome == "denied"
