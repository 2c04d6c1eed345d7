"""Staff web app through the Flask test client: login, CSRF, roles on every page and export,
bulk enrolment, group notes, schedule editor, simulator."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import ClassVar
from urllib.parse import quote

import pytest
from flask import g
from markupsafe import escape
from sqlalchemy import func, select

from service.models import (
    Alert,
    AlertKind,
    InboundMessage,
    Observation,
    OutboundMessage,
    Participant,
    ParticipantStatus,
)
from service.platform.db import utcnow

PASSWORD = "correct horse battery"


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browser:
    """A logged-in test client that sends the page's CSRF token with every form."""

    # Session cookies are Secure when PUBLIC_BASE_URL is https, and CSRF then checks the
    # referrer, as a browser sends it.
    BASE = "https://paceline.example.org"
    HEADERS: ClassVar[dict[str, str]] = {"Referer": BASE + "/"}

    def __init__(self, client, email: str, password: str = PASSWORD) -> None:
        self.client = client
        page = self.get("/login").get_data(as_text=True)
        self.token = token_from(page)
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.token = token_from(self.get("/").get_data(as_text=True))

    @staticmethod
    def _fresh_request_globals() -> None:
        # The test holds an app context open, so its requests share flask.g; a browser's
        # requests would not. Forget the per-request CSRF token cache between them.
        g.pop("csrf_token", None)

    def get(self, url: str):
        self._fresh_request_globals()
        return self.client.get(url, base_url=self.BASE)

    def post(self, url: str, data: dict | None = None, **kwargs):
        self._fresh_request_globals()
        return self.client.post(
            url,
            data={**(data or {}), "csrf_token": self.token},
            base_url=self.BASE,
            headers=self.HEADERS,
            **kwargs,
        )


def anonymous(client):
    """A browser that has not logged in (the login form's token only)."""
    browser = Browser.__new__(Browser)
    browser.client = client
    browser.token = token_from(browser.get("/login").get_data(as_text=True))
    return browser


@pytest.fixture
def world(app, session, make_staff, make_group):
    mine, theirs = make_group("Mine", "America/New_York"), make_group("Theirs", "Europe/London")
    fac = make_staff("facilitator", groups=(mine,))
    clin = make_staff("clinician", groups=(mine,))
    other_fac = make_staff("facilitator", groups=(theirs,))
    other_clin = make_staff("clinician", groups=(theirs,))
    admin = make_staff("admin")
    member = Participant(
        group=theirs, phone="+447911123456", name="Theirs member", status=ParticipantStatus.ACTIVE
    )
    own = Participant(
        group=mine, phone="+12085550143", name="Alex", status=ParticipantStatus.ACTIVE
    )
    session.add_all([member, own])
    session.flush()
    session.add(Observation(participant=member, kind="pain", value=5, recorded_at=utcnow()))
    session.add(
        Alert(group_id=theirs.id, participant=member, kind=AlertKind.HIGH_PAIN, detail="pain 9/10")
    )
    their_reply = InboundMessage(
        message_sid="SMtheirs", participant=member, body="Theirs note", intent="note", to_read=True
    )
    session.add(their_reply)
    session.commit()
    return {
        "their_reply": their_reply,
        "mine": mine,
        "theirs": theirs,
        "fac": fac,
        "clin": clin,
        "other_fac": other_fac,
        "other_clin": other_clin,
        "admin": admin,
        "member": member,
        "own": own,
    }


def test_pages_need_login_and_forms_need_csrf(client, world):
    browser = anonymous(client)
    assert browser.get("/").status_code == 302
    assert (
        browser.get(f"/groups/{world['mine'].id}/dashboard")
        .headers["Location"]
        .startswith("/login")
    )
    browser.token = "forged"
    response = browser.post("/login", {"email": world["fac"].user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_sessions_end_after_idle_time_and_after_twelve_hours(client, session, world):
    from datetime import timedelta

    from service.models import StaffSession

    def live_row():
        session.expire_all()
        return session.scalar(
            select(StaffSession)
            .where(StaffSession.ended_at.is_(None))
            .order_by(StaffSession.id.desc())
        )

    browser = Browser(client, world["fac"].user.email)
    assert browser.get("/").status_code == 200
    for column, ago in (("last_seen_at", 31), ("created_at", 12 * 60 + 1)):
        row = live_row()
        setattr(row, column, utcnow() - timedelta(minutes=ago))
        session.commit()
        response = browser.get("/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        page = browser.get("/login").get_data(as_text=True)
        assert "You were signed out" in page
        session.expire_all()
        assert session.get(StaffSession, row.id).ended_reason in ("idle", "expired")
        browser = Browser(client, world["fac"].user.email)  # and in again
    # The simulator's refresh is not activity: it does not keep a session alive.
    row = live_row()
    row.last_seen_at = before = utcnow() - timedelta(minutes=20)
    session.commit()
    client.get("/", base_url=Browser.BASE, headers={"X-Paceline-Poll": "1"})
    assert live_row().last_seen_at == before
    browser.get("/")
    assert live_row().last_seen_at > before


def test_wrong_passwords_are_rate_limited(client, world):
    email = world["fac"].user.email
    for _ in range(4):  # three free tries, then a delay before the next one
        browser = anonymous(client)
        assert browser.post("/login", {"email": email, "password": "nope"}).status_code == 401
    browser = anonymous(client)
    assert browser.post("/login", {"email": email, "password": PASSWORD}).status_code == 429


def test_logout_ends_the_session(client, world):
    browser = Browser(client, world["fac"].user.email)
    assert browser.post("/logout").status_code == 302
    assert browser.get("/").status_code == 302


@pytest.mark.parametrize("who", ["clin", "fac"])
def test_no_page_or_export_leaks_another_group(client, world, who):
    browser = Browser(client, world[who].user.email)
    theirs, member = world["theirs"], world["member"]
    urls = [
        f"/groups/{theirs.id}",
        f"/groups/{theirs.id}/dashboard",
        f"/groups/{theirs.id}/schedule",
        f"/groups/{theirs.id}/export.csv",
        f"/groups/{theirs.id}/export/tidy.csv",
        f"/groups/{theirs.id}/export/redcap.csv",
        f"/groups/{theirs.id}/export/redcap-dictionary.csv",
        f"/groups/{theirs.id}/export/prompts.csv",
        f"/groups/{theirs.id}/replies",
        f"/participants/{member.id}",
        f"/participants/{member.id}/fhir.json",
        f"/participants/{member.id}/consent.csv",
        f"/participants/{member.id}/record.json",
        f"/participants/{member.id}/delete",
    ]
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 403, url
        assert "Theirs member" not in response.get_data(as_text=True)
    posts = [
        (f"/groups/{theirs.id}/enrol", {"phone": "+12085550111"}),
        (f"/groups/{theirs.id}/bulk", {"rows": "+12085550111"}),
        (f"/groups/{theirs.id}/message", {"body": "hi"}),
        (f"/groups/{theirs.id}/schedule", {"daily_cap": "2"}),
        (f"/participants/{member.id}/withdraw", {}),
        (f"/participants/{member.id}/zone", {"timezone": "UTC"}),
        (f"/participants/{member.id}/delete", {"confirm": member.phone[-4:]}),
        (f"/replies/{world['their_reply'].id}/handled", {}),
    ]
    for url, data in posts:
        assert browser.post(url, data).status_code == 403, url
    home = browser.get("/").get_data(as_text=True)
    assert "Mine" in home and "Theirs" not in home
    simulator = browser.get(f"/simulator?phone={quote(member.phone)}")
    assert simulator.status_code == 403
    assert (
        browser.post("/simulator/send", {"phone": member.phone, "body": "pain 2"}).status_code
        == 403
    )


def test_clinicians_read_but_cannot_change_their_group(client, world):
    browser = Browser(client, world["clin"].user.email)
    mine = world["mine"]
    assert browser.get(f"/groups/{mine.id}/dashboard").status_code == 200
    assert browser.get(f"/groups/{mine.id}/export.csv").status_code == 200
    assert browser.post(f"/groups/{mine.id}/enrol", {"phone": "+12085550111"}).status_code == 403
    own = world["own"]
    assert browser.get(f"/participants/{own.id}/consent.csv").status_code == 200
    assert browser.post(f"/participants/{own.id}/zone", {"timezone": "UTC"}).status_code == 403
    assert browser.get("/admin/staff").status_code == 403


def test_bulk_enrolment_reports_every_row_and_imports_nothing_until_told(client, session, world):
    browser = Browser(client, world["fac"].user.email)
    mine = world["mine"]
    rows = "phone,name\n208-555-0101,Ana\n12345,Bad\n+12085550143,Alex again\n208-555-0102,Ben\n2085550101,Ana twice\n"
    response = browser.post(f"/groups/{mine.id}/bulk", {"rows": rows})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        "invalid" in html
        and "duplicate: already enrolled" in html
        and "same number as line 2" in html
    )
    count = session.scalar(
        select(func.count(Participant.id)).where(Participant.group_id == mine.id)
    )
    assert count == 1  # only Alex, who was there before
    again = browser.post(f"/groups/{mine.id}/bulk", {"rows": rows, "skip_bad": "1"})
    assert again.status_code == 302
    names = sorted(
        session.scalars(select(Participant.name).where(Participant.group_id == mine.id)).all()
    )
    assert names == ["Alex", "Ana", "Ben"]
    invitations = session.scalars(
        select(OutboundMessage).where(OutboundMessage.kind == "invitation")
    ).all()
    assert len(invitations) == 2


def test_group_note_skips_opted_out_and_waits_out_quiet_hours(client, session, world):
    browser = Browser(client, world["fac"].user.email)
    mine = world["mine"]
    session.add(Participant(group=mine, phone="+12085550144", status=ParticipantStatus.OPTED_OUT))
    night_owl = Participant(
        group=mine,
        phone="+12085550145",
        status=ParticipantStatus.ACTIVE,
        quiet_start="00:00",
        quiet_end="23:59",
    )
    session.add(night_owl)
    session.commit()
    assert (
        browser.post(
            f"/groups/{mine.id}/message", {"body": "No group next week. Take care!"}
        ).status_code
        == 302
    )
    notes = session.scalars(
        select(OutboundMessage).where(OutboundMessage.kind == "group_note")
    ).all()
    assert {n.to_phone for n in notes} == {"+12085550143", "+12085550145"}
    waiting = next(n for n in notes if n.to_phone == "+12085550145")
    assert waiting.next_attempt_at > utcnow() and waiting.expires_at > waiting.next_attempt_at


def test_schedule_editor_refuses_a_bad_programme_and_saves_a_good_one(client, session, world):
    browser = Browser(client, world["fac"].user.email)
    mine = world["mine"]
    form = {
        "daily_cap": "3",
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "response_window_minutes": "120",
        "reminder_after_minutes": "60",
        "item-0-kind": "pacing",
        "item-0-mode": "window",
        "item-0-start": "15:00",
        "item-0-end": "11:00",
        "item-0-count": "1",
        "item-0-gap": "60",
        "item-0-days": ["mon", "tue"],
        "item-1-kind": "",
        "item-1-mode": "at",
        "item-2-kind": "breathing",
        "item-2-mode": "at",
        "item-2-at": "23:30",
        "item-2-days": ["mon"],
    }
    bad = browser.post(f"/groups/{mine.id}/schedule", form)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Item 1, window: the window ends before it starts" in text
    # The third box holds the second filled-in item: the error names it as the page shows it.
    assert "Item 3, fixed time: falls in quiet hours" in text and "items[" not in text
    session.refresh(mine)
    assert mine.schedule is None
    form.update({"item-0-start": "10:00", "item-0-end": "15:00", "item-2-at": "12:00"})
    assert browser.post(f"/groups/{mine.id}/schedule", form).status_code == 302
    session.refresh(mine)
    assert mine.schedule["items"][0]["window"] == ["10:00", "15:00"]
    page = browser.get(f"/groups/{mine.id}/schedule").get_data(as_text=True)
    assert "Pacing break" in page and "Next 14 days for a new member" in page
    # The preview carries the words that will be sent, not only the kind.
    from messages.library import contents_of

    pacing_words = {c.text("en") for c in contents_of(("pacing",))}
    preview = page[page.index('id="preview"') :]
    assert any(str(escape(w)) in preview for w in pacing_words)
    # A member's own plan: the prompts planned for them, in their language.
    own = world["own"]
    page = browser.get(f"/groups/{mine.id}/schedule?member={own.id}").get_data(as_text=True)
    assert f"Next 14 days for {own.name}" in page


def test_facilitator_sends_a_test_prompt_that_respects_consent(client, session, world):
    from service.models import OutboundMessage, Prompt

    own = world["own"]
    page = Browser(client, world["fac"].user.email)
    assert "Send a test prompt now" in page.get(f"/participants/{own.id}").get_data(as_text=True)
    response = page.post(f"/participants/{own.id}/test-prompt", {})
    assert response.status_code == 302
    sent = session.scalar(select(OutboundMessage).where(OutboundMessage.participant_id == own.id))
    prompt = session.get(Prompt, sent.prompt_id)
    assert sent.kind == "prompt" and prompt.kind == "checkin_both" and prompt.status.value == "sent"
    assert "Test check-in queued" in page.get(f"/participants/{own.id}").get_data(as_text=True)
    # The reply is logged against the test prompt, like any check-in.
    page.post("/simulator/send", {"phone": own.phone, "body": "6 4"})
    session.expire_all()
    assert {(o.kind, o.value, o.prompt_id) for o in session.scalars(
        select(Observation).where(Observation.participant_id == own.id))} == {
        ("pain", 6, prompt.id), ("mood", 4, prompt.id)}  # fmt: skip
    # No consent, no text: a member who stopped gets nothing, and nothing is written.
    own.status = ParticipantStatus.OPTED_OUT
    session.commit()
    before = session.scalar(select(func.count(Prompt.id)))
    page.post(f"/participants/{own.id}/test-prompt", {})
    assert "No test prompt sent: the member is" in page.get(f"/participants/{own.id}").get_data(
        as_text=True
    )
    assert session.scalar(select(func.count(Prompt.id))) == before
    # Clinicians read; they do not send.
    clinician = Browser(client, world["clin"].user.email)
    assert clinician.post(f"/participants/{own.id}/test-prompt", {}).status_code == 403


def test_simulator_replies_go_through_the_signed_webhook(client, session, world):
    browser = Browser(client, world["fac"].user.email)
    own = world["own"]
    assert (
        browser.post("/simulator/send", {"phone": own.phone, "body": "pain 7"}).status_code == 302
    )
    assert (
        session.scalar(select(Observation).where(Observation.participant_id == own.id)).value == 7
    )
    page = browser.get(f"/simulator?phone={quote(own.phone)}").get_data(as_text=True)
    assert "pain 7" in page and "pain 7/10" in page


def test_simulator_is_absent_with_the_twilio_backend(make_app, world):
    from tests.conftest import twilio_env

    app = make_app(
        **twilio_env("http://127.0.0.1:9"), PUBLIC_BASE_URL="https://paceline.example.org"
    )
    with app.app_context():
        client = app.test_client()
        browser = Browser(client, world["fac"].user.email)
        assert browser.get("/simulator").status_code == 404


def test_dashboard_shows_latest_values_alerts_and_exports_csv(client, session, world):
    browser = Browser(client, world["other_clin"].user.email)
    theirs, member = world["theirs"], world["member"]
    page = browser.get(f"/groups/{theirs.id}/dashboard").get_data(as_text=True)
    assert "5/10" in page and "High pain" in page and "<svg" in page
    alert = session.scalar(select(Alert))
    # An acknowledgement must say what was done: without it nothing changes.
    assert browser.post(f"/alerts/{alert.id}/ack").status_code == 302
    session.refresh(alert)
    assert alert.acknowledged_at is None
    done = {"action": "called_client", "note": "Spoke with her, pain settling"}
    assert browser.post(f"/alerts/{alert.id}/ack", done).status_code == 302
    session.refresh(alert)
    assert alert.acknowledged_by_id == world["other_clin"].user.id
    assert (alert.ack_action, alert.ack_note) == ("called_client", "Spoke with her, pain settling")
    page = browser.get(f"/groups/{theirs.id}/dashboard").get_data(as_text=True)
    assert "Called the client. Note: Spoke with her, pain settling" in page
    today = utcnow().date()
    csv_text = browser.get(
        f"/groups/{theirs.id}/export.csv?from={today - timedelta(days=2)}&to={today + timedelta(days=1)}"
    ).get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("participant_id,name,kind,value")
    assert f"{member.id},Theirs member,pain,5" in csv_text
    assert (
        browser.get(f"/groups/{theirs.id}/export.csv?from=2027-01-02&to=2027-01-01").status_code
        == 400
    )
    fhir = browser.get(f"/participants/{member.id}/fhir.json")
    assert fhir.status_code == 200 and fhir.get_json()["resourceType"] == "Bundle"


def test_admin_manages_staff_and_tokens(client, session, world):
    browser = Browser(client, world["admin"].user.email)
    assert (
        browser.post(
            "/admin/staff",
            {"email": "new@example.org", "role": "clinician", "password": "long enough pw"},
        ).status_code
        == 302
    )
    from service.models import StaffUser

    user = session.scalar(select(StaffUser).where(StaffUser.email == "new@example.org"))
    assert (
        browser.post(
            f"/admin/staff/{user.id}",
            {"role": "clinician", "active": "1", "groups": [str(world["mine"].id)]},
        ).status_code
        == 302
    )
    session.refresh(user)
    assert [g.name for g in user.groups] == ["Mine"]
    token_page = browser.post(f"/admin/staff/{user.id}/token").get_data(as_text=True)
    token = re.search(r'value="(pl_[^"]+)"', token_page).group(1)
    assert (
        client.get("/api/v1/groups", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    browser.post(f"/admin/staff/{user.id}", {"role": "clinician", "active": "0"})
    assert (
        client.get("/api/v1/groups", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert (
        browser.post(
            f"/admin/staff/{world['admin'].user.id}", {"role": "clinician", "active": "1"}
        ).status_code
        == 302
    )
    session.refresh(world["admin"].user)
    assert world["admin"].user.role.value == "admin"  # cannot demote yourself

    # The staff page is a table: name, role, groups, last login and status, in words.
    page = browser.get("/admin/staff").get_data(as_text=True)
    link = f'<a href="/admin/staff/{user.id}">'
    row = re.search(r"<tr>\s*<td data-label=\"Name\">" + re.escape(link) + ".*?</tr>", page, re.S)
    row = row.group(0)
    assert "Clinician" in row and "none yet" in row and "never" in row and "Deactivated" in row
    assert "Last login" in page and world["admin"].user.last_login_at is not None
    one = browser.get(f"/admin/staff/{user.id}").get_data(as_text=True)
    assert "Revoked" in one and "data-confirm" in one


def test_acknowledge_never_redirects_off_site(client, session, world):
    browser = Browser(client, world["other_clin"].user.email)
    alert = session.scalar(select(Alert))
    response = browser.post(
        f"/alerts/{alert.id}/ack",
        {"back": "https://evil.example/phish", "action": "no_action_needed"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/groups/{world['theirs'].id}/dashboard")


def test_replies_to_read_put_crisis_first_and_can_be_marked_handled(client, session, world, sms_in):
    own = world["own"]
    sms_in(own.phone, "is there a way to stop the texts on weekends?")
    sms_in(own.phone, "my friend died by suicide last year")
    sms_in(own.phone, "pain 5")  # a plain log: not on the list
    sms_in(own.phone, "I hope I don't wake up tomorrow")
    browser = Browser(client, world["fac"].user.email)
    page = browser.get(f"/groups/{world['mine'].id}/replies").get_data(as_text=True)
    crisis = page.index("I hope I don&#39;t wake up tomorrow")
    concern = page.index("my friend died by suicide")
    question = page.index("is there a way to stop")
    assert crisis < concern < question, "crisis, then concern, then the rest newest first"
    assert "Crisis language" in page and "A question about the texts" in page
    assert "pain 5" not in page and "Theirs note" not in page
    first = session.scalar(
        select(InboundMessage).where(InboundMessage.body.like("is there a way%"))
    )
    response = browser.post(f"/replies/{first.id}/handled", {})
    assert response.status_code == 302
    session.expire_all()
    handled = session.get(InboundMessage, first.id)
    assert handled.handled_at is not None and handled.handled_by_id == world["fac"].user.id
    page = browser.get(f"/groups/{world['mine'].id}/replies").get_data(as_text=True)
    assert "is there a way to stop" not in page
    page = browser.get(f"/groups/{world['mine'].id}/replies?handled=1").get_data(as_text=True)
    assert "is there a way to stop" in page and "Handled by" in page
    # a clinician of the group may mark handled too; the group page shows the count
    clinician = Browser(client, world["clin"].user.email)
    assert "Replies to read (2)" in clinician.get(f"/groups/{world['mine'].id}").get_data(
        as_text=True
    )


def test_member_page_opens_with_a_summary_and_one_status_rule(client, session, world):
    own = world["own"]
    own.status = ParticipantStatus.PAUSED
    own.paused_until = utcnow() + timedelta(days=3)
    session.commit()
    page = (
        Browser(client, world["fac"].user.email)
        .get(f"/participants/{own.id}")
        .get_data(as_text=True)
    )
    assert "(208) 555-0143" in page  # national format at home
    assert "Paused</span> until" in page and "English" in page and "none yet" in page
    body = client.get(f"/api/v1/participants/{own.id}", headers=world["fac"].headers).get_json()
    assert body["display_status"]["word"] == "paused" and body["display_status"]["until"]
    group_page = Browser(client, world["fac"].user.email).get(f"/groups/{world['mine'].id}")
    assert "paused" in group_page.get_data(as_text=True)


def test_delivery_state_is_said_in_plain_words(session, world):
    from datetime import UTC, datetime

    from service.messaging.delivery import delivery_label
    from service.models import MessageStatus

    now = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    held = OutboundMessage(to_phone="+1", body="x", kind="prompt", channel="api",
                           status=MessageStatus.QUEUED, attempts=0,
                           next_attempt_at=datetime(2026, 12, 2, 23, 0, tzinfo=UTC))  # fmt: skip
    assert (
        delivery_label(held, "Asia/Tokyo", now)
        == "queued: held for quiet hours until 08:00 (Asia/Tokyo)"
    )
    failed = OutboundMessage(to_phone="+1", body="x", kind="prompt", channel="api",
                             status=MessageStatus.FAILED, error_code=21614)  # fmt: skip
    assert delivery_label(failed, "UTC", now) == "failed: not a mobile number"
