"""Signing in (a password, then a code when two-step sign-in is on; rate limited), signing
out, and the one-time password reset links admins send."""

from __future__ import annotations

import logging

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select
from werkzeug.wrappers import Response

from service.models import StaffUser
from service.platform.db import db, utcnow
from service.staff import sessions as staff_sessions
from service.staff.auth import verify_password
from service.staff.second_factor import check_code, recovery_left
from service.staff.throttle import client_address, record_failure, record_success, wait_seconds
from service.ui import login_required, safe_next, ui

log = logging.getLogger(__name__)
PENDING = "pending_2fa"  # the user id whose password matched, waiting for their code


def _address() -> str:
    return client_address(request, current_app.extensions["paceline.settings"].trusted_proxies)


def _throttled(key: str) -> float:
    return wait_seconds(current_app._get_current_object(), key, _address())  # type: ignore[attr-defined]


def complete_login(user: StaffUser) -> Response:
    """Begin the server-side session and set the cookie."""
    next_url = session.get("next")
    session.clear()
    now = utcnow()
    token = staff_sessions.start(db.session(), user, _address(),
                                 request.headers.get("User-Agent", ""), now)  # fmt: skip
    user.last_login_at = now
    db.session().commit()
    session["user_id"] = user.id
    session["sid"] = token
    session["pw"] = user.password_hash[-16:]  # a password change ends other sessions
    session.permanent = True
    return redirect(safe_next(next_url, url_for("ui.home")))


@ui.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Email and password; wrong passwords buy growing delays for that account (see
    service/staff/throttle.py), never a lockout of everyone behind one address."""
    if request.method == "GET":
        return render_template("ui/login.html")
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    wait = _throttled(email)
    if wait > 0:
        flash(
            f"Too many attempts. Please wait {max(1, round(wait))} seconds and try again.", "error"
        )
        g.audit_detail = "throttled: too many attempts"
        return render_template("ui/login.html", email=email), 429
    user = db.session().scalar(select(StaffUser).where(StaffUser.email == email))
    if user is not None:
        g.audit_staff = (user.id, user.role.value)
    if not verify_password(user, password):
        g.audit_detail = "wrong password" if user is not None else f"no such account: {email[:120]}"
        record_failure(app, email, _address())
        flash("That email and password do not match an active account.", "error")
        return render_template("ui/login.html", email=email), 401
    record_success(app, email, _address())
    assert user is not None
    next_url = request.args.get("next")
    if user.totp_enabled_at is not None:
        session.clear()
        session[PENDING] = user.id
        session["next"] = next_url
        g.audit_detail = "password matched; waiting for the second step"
        return redirect(url_for("ui.login_code"))
    session["next"] = next_url
    return complete_login(user)


@ui.route("/login/code", methods=["GET", "POST"])
def login_code() -> str | Response | tuple[str, int]:
    """The second step: a code from the authenticator app, or a recovery code."""
    user_id = session.get(PENDING)
    user = db.session().get(StaffUser, user_id) if user_id else None
    if user is None or not user.active or user.totp_enabled_at is None:
        session.pop(PENDING, None)
        return redirect(url_for("ui.login"))
    g.audit_staff = (user.id, user.role.value)
    if request.method == "GET":
        return render_template("ui/login_code.html")
    key = "2fa:" + user.email
    wait = _throttled(key)
    if wait > 0:
        flash(f"Too many attempts. Please wait {max(1, round(wait))} seconds.", "error")
        g.audit_detail = "throttled: too many codes"
        return render_template("ui/login_code.html"), 429
    used = check_code(user, request.form.get("code") or "")
    if used is None:
        record_failure(current_app._get_current_object(), key, _address())  # type: ignore[attr-defined]
        g.audit_detail = "wrong code"
        flash("That code is not right. Codes change every 30 seconds.", "error")
        return render_template("ui/login_code.html"), 401
    record_success(current_app._get_current_object(), key, _address())  # type: ignore[attr-defined]
    g.audit_detail = f"second step: {used}"
    if used == "recovery code":
        left = len(recovery_left(user))
        flash(f"You used a recovery code; {left} left. Make new ones on your account page.", "ok")
    return complete_login(user)


@ui.post("/logout")
@login_required
def logout() -> Response:
    """End the session (this browser only; the account page ends the others)."""
    row = g.get("staff_session")
    if row is not None:
        staff_sessions.end(row, "signed out", utcnow())
        db.session().commit()
    session.clear()
    flash("You are logged out.", "ok")
    return redirect(url_for("ui.login"))


@ui.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password from a one-time link an admin sent (it expires in an hour)."""
    from service.staff.resets import ResetError, redeem, valid_reset

    reset = valid_reset(db.session(), token)
    if reset is None:
        return render_template("ui/reset.html", invalid=True), 410
    g.audit_staff = (reset.user.id, reset.user.role.value)
    if request.method == "GET":
        return render_template("ui/reset.html", user=reset.user)
    new = request.form.get("password") or ""
    if new != (request.form.get("confirm") or ""):
        flash("The two passwords differ.", "error")
        return render_template("ui/reset.html", user=reset.user), 422
    try:
        redeem(db.session(), reset, new, utcnow())
    except ResetError as exc:
        db.session().rollback()
        flash(f"Not changed: {exc}.", "error")
        return render_template("ui/reset.html", user=reset.user), 422
    db.session().commit()
    g.audit_detail = "password chosen from a reset link; every session ended"
    session.clear()
    flash("Your password is set. Log in with it now.", "ok")
    return redirect(url_for("ui.login"))
