"""Admin pages: staff accounts (create, role, groups, deactivate) and their API tokens."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from messages.phone import mask_phone
from service.models import ApiToken, Group, OutboundMessage, Role, StaffUser
from service.platform.db import db, utcnow
from service.platform.spool import dead_letters
from service.platform.spool import depth as spool_depth
from service.staff.auth import AuthError, create_user, issue_token
from service.ui import role_required, ui


@ui.get("/admin/staff")
@role_required(Role.ADMIN)
def staff() -> str:
    """Every staff account, its groups and tokens."""
    session = db.session()
    users = session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    groups = session.scalars(select(Group).order_by(Group.name)).all()
    return render_template("ui/staff.html", users=users, groups=groups, roles=list(Role))


@ui.get("/admin/staff/<int:user_id>")
@role_required(Role.ADMIN)
def staff_member(user_id: int) -> str:
    """One account: role, groups, active or not, and its API tokens."""
    session = db.session()
    user = session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    groups = session.scalars(select(Group).order_by(Group.name)).all()
    return render_template("ui/staff_member.html", u=user, groups=groups, roles=list(Role))


@ui.post("/admin/staff")
@role_required(Role.ADMIN)
def create_staff() -> Response:
    """Create an account with a first password the person should change."""
    session = db.session()
    try:
        user = create_user(session, request.form.get("email", ""), request.form.get("role", ""),
                           request.form.get("password", ""), request.form.get("name", ""))  # fmt: skip
        session.commit()
    except AuthError as exc:
        session.rollback()
        flash(f"Not created: {exc}", "error")
        return redirect(url_for("ui.staff"))
    flash(f"Created {user.role.value} {user.email}.", "ok")
    return redirect(url_for("ui.staff"))


@ui.post("/admin/staff/<int:user_id>")
@role_required(Role.ADMIN)
def update_staff(user_id: int) -> Response:
    """Change role, group assignments and whether the account is active."""
    session = db.session()
    user = session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    try:
        role = Role(request.form.get("role", user.role.value))
    except ValueError:
        abort(400)
    active = request.form.get("active") == "1"
    if user.id == g.current_user.id and (role != Role.ADMIN or not active):
        flash("You cannot remove your own admin access.", "error")
        return redirect(url_for("ui.staff_member", user_id=user.id))
    wanted = {int(x) for x in request.form.getlist("groups") if x.isdigit()}
    user.role = role
    user.active = active
    user.groups = (
        list(session.scalars(select(Group).where(Group.id.in_(wanted))).all()) if wanted else []
    )
    if not active:
        for token in user.tokens:
            token.revoked_at = token.revoked_at or utcnow()
    session.commit()
    flash(f"Saved {user.email}.", "ok")
    return redirect(url_for("ui.staff_member", user_id=user.id))


@ui.post("/admin/staff/<int:user_id>/token")
@role_required(Role.ADMIN)
def new_token(user_id: int) -> str:
    """Issue an API token; it is shown once."""
    session = db.session()
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        abort(404)
    token = issue_token(session, user)
    session.commit()
    return render_template("ui/token.html", user=user, token=token)


@ui.post("/admin/tokens/<int:token_id>/revoke")
@role_required(Role.ADMIN)
def revoke_token(token_id: int) -> Response:
    """Revoke an API token at once."""
    session = db.session()
    token = session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    token.revoked_at = token.revoked_at or utcnow()
    session.commit()
    flash(f"Token {token.prefix}... revoked.", "ok")
    return redirect(url_for("ui.staff_member", user_id=token.user_id))


@ui.get("/admin/operations")
@role_required(Role.ADMIN)
def operations() -> str:
    """What an operator must look at: the inbound spool, dead letters, sends for review."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    review = (
        db.session()
        .scalars(
            select(OutboundMessage)
            .where(OutboundMessage.needs_review.is_(True))
            .order_by(OutboundMessage.created_at.desc())
            .limit(200)
        )
        .all()
    )
    return render_template(
        "ui/operations.html",
        spool=spool_depth(app),
        dead_letters=dead_letters(app),
        review=review,
        mask_phone=mask_phone,
    )
