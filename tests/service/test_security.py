"""Web hardening: one safe_next for every redirect, security headers, a simulator that shows
only the viewer's own members."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from service.models import OutboundMessage
from tests.service.test_ui import PASSWORD, Browser, anonymous, world  # noqa: F401

BYPASSES = [
    "//evil.example",
    "/\t/evil.example",
    "/%09/evil.example",  # decoded by the query string parser into a tab
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/\r\nSet-Cookie: x=1",
    "/%0d%0aSet-Cookie:%20x=1",
    " //evil.example",
    "/\x00/evil.example",
    "///evil.example",
    "",
]


@pytest.mark.parametrize("target", BYPASSES)
def test_login_next_never_leaves_the_site(client, world, target):  # noqa: F811
    browser = anonymous(client)
    response = browser.post(
        f"/login?next={quote(target, safe='%')}",
        {"email": world["fac"].user.email, "password": PASSWORD},
    )
    if "\x00" in target:  # a NUL is refused before any view runs
        assert response.status_code == 422
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", BYPASSES)
def test_acknowledge_back_never_leaves_the_site(client, session, world, target):  # noqa: F811
    from sqlalchemy import select

    from service.models import Alert

    browser = Browser(client, world["other_clin"].user.email)
    alert = session.scalar(select(Alert))
    response = browser.post(
        f"/alerts/{alert.id}/ack", {"back": target, "action": "no_action_needed"}
    )
    if "\x00" in target:  # a NUL is refused before any view runs
        assert response.status_code == 422
        return
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/groups/{world['theirs'].id}/dashboard")


def test_a_path_on_the_site_is_kept(client, world):  # noqa: F811
    browser = anonymous(client)
    response = browser.post(
        "/login?next=/groups/1/dashboard%3Fx%3D1",
        {"email": world["fac"].user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/groups/1/dashboard?x=1"


def test_every_page_sends_the_security_headers(client, world):  # noqa: F811
    for url in ("/login", "/healthz", "/api/v1/groups"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "service" / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text and " onsubmit=" not in text and " onclick=" not in text, path


def test_the_simulator_never_shows_on_call_or_staff_texts(client, session, world):  # noqa: F811
    session.add(OutboundMessage(to_phone="+12085550100", body="Riverside ALERT: open alert #7",
                                kind="crisis_alert", channel="api"))  # fmt: skip
    session.commit()
    for who in ("fac", "admin"):
        page = Browser(client, world[who].user.email).get(
            f"/simulator?phone={quote('+12085550100')}"
        )
        assert page.status_code == 200
        assert "ALERT" not in page.get_data(as_text=True)


def test_one_address_cannot_lock_out_its_colleagues(client, world):  # noqa: F811
    # Someone behind the clinic's proxy tries thirty accounts that do not exist...
    for n in range(30):
        assert (
            anonymous(client)
            .post("/login", {"email": f"nobody{n}@x.org", "password": "no"})
            .status_code
            == 401
        )
    # ...and a colleague at the same address still logs in at once.
    ok = anonymous(client).post("/login", {"email": world["clin"].user.email, "password": PASSWORD})
    assert ok.status_code == 302


def test_wrong_passwords_buy_growing_delays_per_account(client, world):  # noqa: F811
    email = world["fac"].user.email
    statuses = [
        anonymous(client).post("/login", {"email": email, "password": "no"}).status_code
        for _ in range(6)
    ]
    assert statuses[:4] == [401, 401, 401, 401] and 429 in statuses[4:]
    page = anonymous(client).post("/login", {"email": email, "password": PASSWORD})
    assert page.status_code == 429 and "Please wait" in page.get_data(as_text=True)


def test_the_throttle_fails_closed_when_redis_is_down(make_app, world):  # noqa: F811
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        client = app.test_client()
        email = world["fac"].user.email
        statuses = []
        for _ in range(6):
            browser = anonymous(client)
            statuses.append(browser.post("/login", {"email": email, "password": "no"}).status_code)
        assert 429 in statuses, "still limited without Redis"


def test_forwarded_for_is_believed_only_from_trusted_proxies(make_app):
    from flask import request

    from service.staff.throttle import client_address

    app = make_app(TRUSTED_PROXIES="10.0.0.0/8")
    headers = {"X-Forwarded-For": "203.0.113.7, 10.0.0.5"}
    with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}):
        assert client_address(request, ("10.0.0.0/8",)) == "203.0.113.7"
    with app.test_request_context(
        "/", headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.9"}
    ):
        assert client_address(request, ("10.0.0.0/8",)) == "198.51.100.9"  # not a proxy of ours
