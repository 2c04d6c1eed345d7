"""Staff accounts: changing a password (breach list, other sessions end), where you are signed
in and signing out everywhere, two-step sign-in with recovery codes, admins required to use
it, and one-time reset links mailed through a real (loopback) SMTP server."""

from __future__ import annotations

import quopri
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from service.models import PasswordReset, StaffSession
from service.platform.db import db, utcnow
from service.staff.auth import create_user
from service.staff.passwords import password_problem
from tests.service.test_ui import PASSWORD, Browser, anonymous, token_from
from tests.smtp_sink import SmtpSink

NEW = "violet harbour lantern 42"


@pytest.mark.parametrize(
    ("password", "why"),
    [("short one", "at least 12"), ("password1234", "most common"), ("qwertyuiop123", "most common"),
     ("aaaaaaaaaaaaaaaa", "too easy"), ("ann.lee2024!!", "email"), (NEW, None)],
)  # fmt: skip
def test_password_rules(password, why):
    problem = password_problem(password, email="ann.lee@example.org")
    assert (problem is None) if why is None else (why in problem), problem


def test_change_password_needs_the_current_one_and_ends_other_sessions(
    app, client, session, make_staff
):
    staff = make_staff("facilitator")
    here = Browser(client, staff.user.email)
    elsewhere = Browser(app.test_client(), staff.user.email)
    bad = here.post("/account/password", {"current": "wrong", "new": NEW, "confirm": NEW})
    assert bad.status_code == 302 and "not right" in here.get("/account").get_data(as_text=True)
    weak = here.post("/account/password",
                     {"current": PASSWORD, "new": "password1234", "confirm": "password1234"})  # fmt: skip
    assert "most common passwords" in here.get("/account").get_data(as_text=True)
    assert weak.status_code == 302
    here.post("/account/password", {"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert "Password changed" in here.get("/account").get_data(as_text=True)  # still signed in
    assert elsewhere.get("/").status_code == 302  # the other browser is out
    assert (
        anonymous(client)
        .post("/login", {"email": staff.user.email, "password": PASSWORD})
        .status_code
        == 401
    )
    Browser(app.test_client(), staff.user.email, NEW)  # the new one works


def test_sessions_are_listed_and_end_one_by_one_or_everywhere(app, client, session, make_staff):
    staff = make_staff("clinician")
    here = Browser(client, staff.user.email)
    other = Browser(app.test_client(), staff.user.email)
    page = here.get("/account").get_data(as_text=True)
    assert "this browser" in page and page.count('<td data-label="Signed in">') == 2
    other_row = session.scalars(select(StaffSession).order_by(StaffSession.id)).all()[-1]
    here.post(f"/account/sessions/{other_row.id}/end", {})
    assert other.get("/").status_code == 302 and here.get("/").status_code == 200
    third = Browser(app.test_client(), staff.user.email)
    here.post("/account/sessions/end-all", {})
    assert here.get("/").status_code == 302 and third.get("/").status_code == 302
    session.expire_all()
    assert all(r.ended_at is not None for r in session.scalars(select(StaffSession)))


def _turn_on_two_step(browser) -> tuple[str, list[str]]:
    browser.post("/account/two-step/start", {})
    page = browser.get("/account").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn here
    secret = (
        re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    )
    assert browser.post("/account/two-step/confirm", {"code": "000000"}).status_code == 302
    shown = browser.post("/account/two-step/confirm", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _password_step(client, email: str, password: str = PASSWORD):
    browser = anonymous(client)
    response = browser.post("/login", {"email": email, "password": password})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    browser.token = re.search(r'name="csrf_token" value="([^"]+)"',
                              browser.get("/login/code").get_data(as_text=True)).group(1)  # fmt: skip
    return browser


def test_two_step_sign_in_with_a_code_or_a_recovery_code_once(app, session, make_staff):
    staff = make_staff("clinician")
    secret, codes = _turn_on_two_step(Browser(app.test_client(), staff.user.email))
    client = app.test_client()
    step = _password_step(client, staff.user.email)
    assert step.get("/").status_code == 302  # the password alone is not enough
    assert step.post("/login/code", {"code": "123456"}).status_code == 401
    assert step.post("/login/code", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert step.get("/").status_code == 200
    client = app.test_client()
    step = _password_step(client, staff.user.email)
    assert step.post("/login/code", {"code": codes[0].upper()}).status_code == 302
    client = app.test_client()
    step = _password_step(client, staff.user.email)
    assert step.post("/login/code", {"code": codes[0]}).status_code == 401  # used up


def test_admins_must_set_up_two_step_when_required(make_app):
    app = make_app(REQUIRE_2FA_FOR_ADMINS="true")
    with app.app_context():
        session = db.session()
        create_user(session, "boss@example.org", "admin", PASSWORD)
        session.commit()
        browser = anonymous(app.test_client())
        assert (
            browser.post("/login", {"email": "boss@example.org", "password": PASSWORD}).status_code
            == 302
        )
        browser.token = token_from(browser.get("/account").get_data(as_text=True))
        response = browser.get("/admin/staff")
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/account#two-step"
        )
        account = browser.get("/account")
        assert account.status_code == 200, account.headers.get("Location")
        _turn_on_two_step(browser)
        assert browser.get("/admin/staff").status_code == 200


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


def test_a_reset_link_is_mailed_works_once_and_ends_every_session(make_app, smtp):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_STARTTLS="false")
    with app.app_context():
        session = db.session()
        admin = create_user(session, "admin@example.org", "admin", PASSWORD)
        user = create_user(session, "fran@example.org", "facilitator", PASSWORD)
        session.commit()
        signed_in = Browser(app.test_client(), user.email)
        Browser(app.test_client(), admin.email).post(f"/admin/staff/{user.id}/reset", {})
        ((recipients, raw),) = smtp.messages
        assert recipients == ["fran@example.org"]
        link = re.search(r"https://\S+/reset/[\w-]+", quopri.decodestring(raw).decode()).group(0)
        path = link.split("paceline.example.org", 1)[1]
        visitor = anonymous(app.test_client())
        page = visitor.get(path)
        assert page.status_code == 200 and "fran@example.org" in page.get_data(as_text=True)
        visitor.token = re.search(
            r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)
        ).group(1)
        weak = visitor.post(path, {"password": "password1234", "confirm": "password1234"})
        assert weak.status_code == 422
        assert visitor.post(path, {"password": NEW, "confirm": NEW}).status_code == 302
        assert signed_in.get("/").status_code == 302  # every session ended
        Browser(app.test_client(), user.email, NEW)
        assert visitor.get(path).status_code == 410  # once only
        # A link older than an hour does not work.
        Browser(app.test_client(), admin.email).post(f"/admin/staff/{user.id}/reset", {})
        reset = session.scalars(select(PasswordReset).order_by(PasswordReset.id.desc())).first()
        reset.expires_at = utcnow() - timedelta(minutes=1)
        session.commit()
        second = re.search(
            r"/reset/[\w-]+", quopri.decodestring(smtp.messages[-1][1]).decode()
        ).group(0)
        assert anonymous(app.test_client()).get(second).status_code == 410
