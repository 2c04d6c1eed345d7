"""Each staff member's own account: password, two-step sign-in, where they are signed in.
And the admin's "send a password reset link"."""

from __future__ import annotations

import smtplib

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service.models import Role, StaffSession, StaffUser
from service.platform.db import db, utcnow
from service.platform.mail import send_mail
from service.staff import second_factor
from service.staff import sessions as staff_sessions
from service.staff.auth import verify_password
from service.staff.resets import LIFETIME, ResetError, issue_reset, set_password
from service.ui import login_required, role_required, ui

PENDING_SECRET = "totp_pending"  # noqa: S105 - the session key, not a secret


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["paceline.settings"]


@ui.get("/account")
@login_required
def account() -> str:
    """Change the password, set up two-step sign-in, see and end sessions."""
    user: StaffUser = g.current_user
    now = utcnow()
    setup = None
    secret = session.get(PENDING_SECRET)
    if secret and user.totp_enabled_at is None:
        uri = second_factor.provisioning_uri(secret, user.email, _settings().org_name)
        setup = {"qr": second_factor.qr_svg(uri, "QR code for your authenticator app"),
                 "key": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))}  # fmt: skip
    return render_template(
        "ui/account.html", user=user, setup=setup, current=g.staff_session,
        sessions=staff_sessions.live(db.session(), user, now, _settings().session_idle_minutes),
        recovery_left=len(second_factor.recovery_left(user)),
        required=_settings().require_2fa_for_admins and user.role == Role.ADMIN,
    )  # fmt: skip


@ui.post("/account/password")
@login_required
def change_password() -> Response:
    """The current password, then the new one twice; other sessions end."""
    user: StaffUser = g.current_user
    form = request.form
    if not verify_password(user, form.get("current", "")):
        flash("Your current password is not right; nothing changed.", "error")
        return redirect(url_for("ui.account"))
    if form.get("new", "") != form.get("confirm", ""):
        flash("The two new passwords differ; nothing changed.", "error")
        return redirect(url_for("ui.account"))
    try:
        set_password(db.session(), user, form.get("new", ""), utcnow(), keep=g.staff_session)
    except ResetError as exc:
        db.session().rollback()
        flash(f"Not changed: {exc}.", "error")
        return redirect(url_for("ui.account"))
    db.session().commit()
    session["pw"] = user.password_hash[-16:]  # this browser stays signed in
    g.audit_detail = "password changed; other sessions ended"
    flash("Password changed. You are signed out everywhere else.", "ok")
    return redirect(url_for("ui.account"))


@ui.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    """Sign one of your own sessions out."""
    row = db.session().get(StaffSession, session_id)
    if row is None or row.user_id != g.current_user.id:
        abort(404)
    staff_sessions.end(row, "signed out from the account page", utcnow())
    db.session().commit()
    if row.id == g.staff_session.id:
        session.clear()
        return redirect(url_for("ui.login"))
    flash("That session is signed out.", "ok")
    return redirect(url_for("ui.account"))


@ui.post("/account/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    """Sign out everywhere, this browser included."""
    ended = staff_sessions.end_all(db.session(), g.current_user, "signed out everywhere", utcnow())
    db.session().commit()
    g.audit_detail = f"signed out everywhere ({ended} sessions)"
    session.clear()
    flash("You are signed out everywhere.", "ok")
    return redirect(url_for("ui.login"))


@ui.post("/account/two-step/start")
@login_required
def totp_start() -> Response:
    """A new secret for the authenticator app, shown as a QR code until confirmed."""
    if g.current_user.totp_enabled_at is not None:
        flash("Two-step sign-in is already on.", "ok")
    else:
        session[PENDING_SECRET] = second_factor.new_secret()
    return redirect(url_for("ui.account") + "#two-step")


@ui.post("/account/two-step/confirm")
@login_required
def totp_confirm() -> str | Response:
    """A code from the app proves it holds the secret: turn two-step sign-in on and show the
    recovery codes, once."""
    user: StaffUser = g.current_user
    secret = session.get(PENDING_SECRET)
    if not secret or user.totp_enabled_at is not None:
        return redirect(url_for("ui.account") + "#two-step")
    if not second_factor.code_ok(secret, request.form.get("code", "")):
        flash(
            "That code is not right: check the app shows Paceline and try the newest code.", "error"
        )
        return redirect(url_for("ui.account") + "#two-step")
    codes = second_factor.enable(user, secret, utcnow())
    db.session().commit()
    session.pop(PENDING_SECRET, None)
    g.audit_detail = "two-step sign-in turned on"
    return render_template("ui/recovery_codes.html", codes=codes)


@ui.post("/account/two-step/codes")
@login_required
def totp_new_codes() -> str | Response:
    """Ten new recovery codes (the old ones stop working); the password is asked again."""
    user: StaffUser = g.current_user
    if user.totp_enabled_at is None or not verify_password(user, request.form.get("current", "")):
        flash("Your current password is not right; no new codes.", "error")
        return redirect(url_for("ui.account") + "#two-step")
    codes = second_factor.new_recovery_codes(user)
    db.session().commit()
    g.audit_detail = "new recovery codes"
    return render_template("ui/recovery_codes.html", codes=codes)


@ui.post("/account/two-step/off")
@login_required
def totp_disable() -> Response:
    """Turn two-step sign-in off (not allowed for admins when it is required)."""
    user: StaffUser = g.current_user
    if _settings().require_2fa_for_admins and user.role == Role.ADMIN:
        flash("Admins must keep two-step sign-in on here.", "error")
        return redirect(url_for("ui.account") + "#two-step")
    if not verify_password(user, request.form.get("current", "")):
        flash("Your current password is not right; two-step sign-in stays on.", "error")
        return redirect(url_for("ui.account") + "#two-step")
    second_factor.disable(user)
    db.session().commit()
    g.audit_detail = "two-step sign-in turned off"
    flash("Two-step sign-in is off.", "ok")
    return redirect(url_for("ui.account") + "#two-step")


@ui.post("/admin/staff/<int:user_id>/reset")
@role_required(Role.ADMIN)
def send_reset(user_id: int) -> Response:
    """Email a one-time link to choose a new password (shown here when no mail server is set)."""
    user = db.session().get(StaffUser, user_id)
    if user is None or not user.active:
        abort(404)
    token = issue_reset(db.session(), user, g.current_user, utcnow())
    db.session().commit()
    link = _settings().public_url(url_for("ui.reset_password", token=token))
    minutes = int(LIFETIME.total_seconds() // 60)
    if not _settings().smtp_host:
        g.audit_detail = "reset link shown to the admin (no mail server set)"
        flash(f"No mail server is set (SMTP_HOST), so give {user.email} this link yourself; it "
              f"works once, for {minutes} minutes: {link}", "ok")  # fmt: skip
        return redirect(url_for("ui.staff_member", user_id=user.id))
    try:
        send_mail(_settings(), user.email, f"[{_settings().org_name}] Choose a new password",
                  f"An administrator sent you this link to choose a new Paceline password.\n\n"
                  f"{link}\n\nIt works once, for {minutes} minutes. If you did not expect it, "
                  "tell your administrator.")  # fmt: skip
    except (OSError, smtplib.SMTPException) as exc:
        g.audit_detail = f"reset link not mailed: {type(exc).__name__}"
        flash(f"The link could not be mailed ({type(exc).__name__}); try again.", "error")
        return redirect(url_for("ui.staff_member", user_id=user.id))
    g.audit_detail = "reset link mailed"
    flash(f"A reset link was mailed to {user.email}; it works once, for {minutes} minutes.", "ok")
    return redirect(url_for("ui.staff_member", user_id=user.id))
