"""Login (rate limited), logout."""

from __future__ import annotations

import logging
import time

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from service.models import StaffUser
from service.platform.db import db, utcnow
from service.staff.auth import verify_password
from service.staff.throttle import client_address, record_failure, record_success, wait_seconds
from service.ui import login_required, safe_next, ui

log = logging.getLogger(__name__)


@ui.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Email and password; wrong passwords buy growing delays for that account (see
    service/staff/throttle.py), never a lockout of everyone behind one address."""
    if request.method == "GET":
        return render_template("ui/login.html")
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    address = client_address(request, app.extensions["paceline.settings"].trusted_proxies)
    wait = wait_seconds(app, email, address)
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
        record_failure(app, email, address)
        flash("That email and password do not match an active account.", "error")
        return render_template("ui/login.html", email=email), 401
    record_success(app, email, address)
    assert user is not None
    session.clear()
    user.last_login_at = utcnow()
    db.session().commit()
    session["user_id"] = user.id
    session["started"] = session["seen"] = time.time()
    session["pw"] = user.password_hash[-16:]  # a password change ends other sessions
    session.permanent = True
    return redirect(safe_next(request.args.get("next"), url_for("ui.home")))


@ui.post("/logout")
@login_required
def logout() -> Response:
    """End the session."""
    session.clear()
    flash("You are logged out.", "ok")
    return redirect(url_for("ui.login"))
