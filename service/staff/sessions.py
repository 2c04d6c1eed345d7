"""Staff sessions kept on the server: each signed-in browser is a row, so a person can see
where they are signed in and sign out everywhere, and a password change or reset ends them.

The browser's cookie holds a random token; the row holds its SHA-256 digest, when the session
began and was last used, the address and the browser. A session ends on sign-out, after
SESSION_IDLE_MINUTES without activity, 12 hours after it began whatever the activity, or
when it is ended from the account page or by a password change.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.models import StaffSession, StaffUser
from service.staff.auth import token_digest

ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute


def start(session: Session, user: StaffUser, address: str, user_agent: str,
          now: datetime) -> str:  # fmt: skip
    """Begin a session for `user`; return the token for the cookie (stored only hashed)."""
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(user=user, token_hash=token_digest(token), created_at=now,
                             last_seen_at=now, address=address[:45],
                             user_agent=user_agent[:160]))  # fmt: skip
    return token


def find(session: Session, token: str | None) -> StaffSession | None:
    """The live session of a cookie's token, or None."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == token_digest(token)))
    return row if row is not None and row.ended_at is None else None


def expiry(row: StaffSession, now: datetime, idle_minutes: int) -> str | None:
    """'idle' or 'expired' when the session has run out, else None."""
    if now - row.created_at > ABSOLUTE:
        return "expired"
    if now - row.last_seen_at > timedelta(minutes=idle_minutes):
        return "idle"
    return None


def touch(row: StaffSession, now: datetime) -> bool:
    """Note activity (at most once a minute); True when the row changed."""
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        return True
    return False


def end(row: StaffSession, reason: str, now: datetime) -> None:
    row.ended_at = now
    row.ended_reason = reason


def end_all(session: Session, user: StaffUser, reason: str, now: datetime,
            keep: StaffSession | None = None) -> int:  # fmt: skip
    """End every live session of `user` (but `keep`); return how many ended."""
    query = update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(StaffSession.id != keep.id)
    result = session.execute(
        query.values(ended_at=now, ended_reason=reason).execution_options(synchronize_session=False)
    )
    return result.rowcount


def live(session: Session, user: StaffUser, now: datetime, idle_minutes: int) -> list[StaffSession]:
    """The user's sessions that have not ended or run out, newest first."""
    rows = session.scalars(
        select(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.last_seen_at.desc())
    ).all()
    return [r for r in rows if expiry(r, now, idle_minutes) is None]
