"""Login (rate limited), logout."""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from flask import flash, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from service.models import StaffUser
from service.platform.db import db
from service.platform.redis_conn import get_redis
from service.staff.auth import verify_password
from service.ui import login_required, safe_next, ui

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
WINDOW = timedelta(minutes=15)


def _throttle_keys(email: str) -> list[str]:
    ip = request.remote_addr or "unknown"
    return [f"login:ip:{ip}", f"login:email:{email}"]


def _too_many(email: str) -> bool:
    try:
        counts = get_redis().mget(_throttle_keys(email))
    except redis.RedisError:
        return False  # fail open on the throttle, never on the password check
    limits = (MAX_ATTEMPTS * 4, MAX_ATTEMPTS)
    return any(int(c or 0) >= limit for c, limit in zip(counts, limits, strict=True))


def _record_failure(email: str) -> None:
    try:
        with get_redis().pipeline() as pipe:
            for key in _throttle_keys(email):
                pipe.incr(key)
                pipe.expire(key, int(WINDOW.total_seconds()))
            pipe.execute()
    except redis.RedisError as exc:
        log.warning("login throttle not recorded, Redis unavailable: %s", type(exc).__name__)


@ui.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Email and password; five failures in 15 minutes lock the form for that email."""
    if request.method == "GET":
        return render_template("ui/login.html")
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    if _too_many(email):
        flash("Too many attempts. Please wait 15 minutes and try again.", "error")
        return render_template("ui/login.html", email=email), 429
    user = db.session().scalar(select(StaffUser).where(StaffUser.email == email))
    if not verify_password(user, password):
        _record_failure(email)
        flash("That email and password do not match an active account.", "error")
        return render_template("ui/login.html", email=email), 401
    assert user is not None
    session.clear()
    session["user_id"] = user.id
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
