"""One-time password reset links: an admin sends one, the person chooses a new password.

The link carries a random token (only its SHA-256 digest is stored), works once and expires
after an hour. Choosing a password through it ends every session of the account.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.models import PasswordReset, StaffUser
from service.platform.db import utcnow
from service.staff import sessions as staff_sessions
from service.staff.auth import hash_password, token_digest
from service.staff.passwords import password_problem

LIFETIME = timedelta(hours=1)


class ResetError(ValueError):
    """A new password that may not be chosen; the message is safe to show."""


def issue_reset(session: Session, user: StaffUser, admin: StaffUser, now: datetime) -> str:
    """A new link token for `user` (earlier unused links stop working)."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user=user, created_by_id=admin.id, token_hash=token_digest(token),
                              created_at=now, expires_at=now + LIFETIME))  # fmt: skip
    return token


def valid_reset(session: Session, token: str) -> PasswordReset | None:
    """The unused, unexpired reset of `token` for an active account, or None."""
    if not token or len(token) > 100:
        return None
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_digest(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset if reset.user.active else None


def set_password(session: Session, user: StaffUser, new: str, now: datetime,
                 keep: object | None = None) -> None:  # fmt: skip
    """Check and set `user`'s new password; end their other sessions."""
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ResetError(problem)
    user.password_hash = hash_password(new)
    staff_sessions.end_all(session, user, "password changed", now, keep=keep)  # type: ignore[arg-type]


def redeem(session: Session, reset: PasswordReset, new: str, now: datetime) -> None:
    """Set the password from a reset link. It also turns two-step sign-in off: a reset is how
    someone who lost their phone and recovery codes gets back in (they set it up again)."""
    set_password(session, reset.user, new, now)
    reset.user.totp_secret = reset.user.totp_enabled_at = reset.user.recovery_codes = None
    reset.used_at = now
