"""The staff web app: server-rendered pages with session login, CSRF on every form, and the
same group-level access rules as the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for

from messages.phone import display_phone
from messages.text import spreadsheet_safe
from service.care.alert_workflow import ALERT_NAMES
from service.models import Group, Participant, Role
from service.platform.db import db, utcnow
from service.platform.inputs import unstorable_field
from service.programme.status import status_of
from service.staff import sessions as staff_sessions
from service.staff.auth import can_read_group, can_write_group

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}

ui = Blueprint("ui", __name__, template_folder="../templates")

F = TypeVar("F", bound=Callable[..., Any])


POLL_HEADER = "X-Paceline-Poll"  # the simulator's refresh: not a person's activity
# Pages an admin without two-step sign-in may still open when REQUIRE_2FA_FOR_ADMINS is on.
SETUP_ENDPOINTS = frozenset({"ui.account", "ui.totp_start", "ui.totp_confirm", "ui.logout",
                             "ui.change_password", "static"})  # fmt: skip


@ui.before_app_request
def _load_user() -> None:
    """The signed-in staff member, unless the session has ended: signed out (here or
    everywhere), deactivated, password changed, idle longer than SESSION_IDLE_MINUTES, or
    begun more than 12 hours ago (service/staff/sessions.py)."""
    g.current_user = None
    g.staff_session = None
    g.session_expired = g.needs_2fa_setup = False
    user_id = session.get("user_id")
    if user_id is None:
        return
    dbs = db.session()
    row = staff_sessions.find(dbs, session.get("sid"))
    user = row.user if row is not None and row.user_id == user_id else None
    if user is None or not user.active or session.get("pw") != user.password_hash[-16:]:
        session.clear()
        return
    now = utcnow()
    settings = current_app.extensions["paceline.settings"]
    reason = staff_sessions.expiry(row, now, settings.session_idle_minutes)
    if reason is not None:
        staff_sessions.end(row, reason, now)
        dbs.commit()
        session.clear()
        g.session_expired = True
        return
    if not request.headers.get(POLL_HEADER) and staff_sessions.touch(row, now):
        dbs.commit()
    g.current_user = user
    g.staff_session = row
    if (
        settings.require_2fa_for_admins
        and user.role == Role.ADMIN
        and user.totp_enabled_at is None
        and request.endpoint not in SETUP_ENDPOINTS
        and request.blueprint == "ui"
    ):
        g.needs_2fa_setup = True


@ui.before_request
def _refuse_unstorable_input() -> None:
    field = unstorable_field(request)
    if field is not None:
        abort(
            422,
            f"The field '{field}' holds a character that cannot be stored (an invisible control "
            "character). Nothing was saved: remove it and try again.",
        )


@ui.app_context_processor
def _template_globals() -> dict[str, Any]:
    settings = current_app.extensions["paceline.settings"]
    return {
        "current_user": g.get("current_user"),
        "org_name": settings.org_name,
        "simulator_enabled": settings.sms_backend == "console",
    }


@ui.record_once
def _jinja_globals(state: Any) -> None:
    """Names the templates' macros need too (a context processor does not reach an imported
    macro): alert kinds and languages in words, the one status rule, phones as people write
    them."""
    state.app.jinja_env.globals.update(
        alert_names=ALERT_NAMES,
        language_names=LANGUAGE_NAMES,
        member_status=lambda participant: status_of(participant, utcnow()),
        show_phone=lambda phone: display_phone(
            phone, current_app.extensions["paceline.settings"].default_phone_region
        ),
    )


_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f\\]")


def csv_safe(value: object) -> str:
    """Text for a CSV cell with spreadsheet formulas neutralised (CSV injection)."""
    return spreadsheet_safe("" if value is None else str(value))


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`. The one check for every redirect
    that takes a URL from the request (login's `next`, an acknowledgement's `back`).

    Refused: anything a browser could read as another origin or scheme: `//host`, `/\\host`,
    `https:`, `javascript:`, and any whitespace or control character (browsers drop tabs and
    newlines inside URLs, so `/\t/evil.example` would become `//evil.example`, and CR/LF
    would break the Location header)."""
    if not target or not target.startswith("/"):
        return fallback
    for form in (target, unquote(target)):  # encoded forms too: "/%09/evil.example"
        parts = urlsplit(form)
        if _UNSAFE_IN_URL.search(form) or parts.scheme or parts.netloc or form.startswith("//"):
            return fallback
    return target


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("needs_2fa_setup"):
            flash("Admins must set up two-step sign-in before anything else.", "error")
            return redirect(url_for("ui.account") + "#two-step")
        if g.get("current_user") is None:
            if g.get("session_expired"):
                flash("You were signed out: the session had ended (time without activity, "
                      "or a sign-in older than 12 hours). Please log in again.", "ok")  # fmt: skip
            return redirect(url_for("ui.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def role_required(*roles: Role) -> Callable[[F], F]:
    """Only these roles (403 for the others)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def group_or_403(group_id: int, write: bool = False) -> Group:
    """The group if the current user may see (or change) it."""
    group = db.session().get(Group, group_id)
    if group is None:
        abort(404)
    allowed = (
        can_write_group(g.current_user, group) if write else can_read_group(g.current_user, group)
    )
    if not allowed:
        abort(403)
    return group


def participant_or_403(participant_id: int, write: bool = False) -> Participant:
    """The participant if the current user may see (or change) their group."""
    participant = db.session().get(Participant, participant_id)
    if participant is None:
        abort(404)
    group_or_403(participant.group_id, write=write)
    return participant


from service.ui import (  # noqa: E402,F401
    account,
    admin,
    audit_views,
    auth_views,
    dashboard,
    exports,
    groups,
    records,
    replies,
    schedule,
    simulator,
)
