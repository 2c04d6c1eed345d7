"""Admin pages for the audit trail: read it filtered, export it (itself an audited export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from flask import Response, abort, g, render_template, request, stream_with_context
from sqlalchemy import select

from service.models import Role, StaffUser
from service.platform.db import db
from service.staff.audit import ACTIONS, count, events
from service.ui import role_required, ui

PAGE = 100
COLUMNS = ("id", "at", "staff_id", "role", "address", "action", "object_type", "object_id",
           "participant_id", "detail", "outcome", "prev_hash", "hash")  # fmt: skip


def _filters() -> dict[str, object]:
    """The page's filters from the query string; a bad value is a 400, not a guess."""
    args = request.args
    out: dict[str, object] = {}
    for name in ("staff_id", "participant_id", "before_id"):
        raw = args.get(name, "").strip()
        if raw:
            if not raw.isdigit():
                abort(400, f"{name} must be a whole number")
            out[name] = int(raw)
    action = args.get("action", "").strip()
    if action:
        if action not in ACTIONS:
            abort(400, f"action must be one of {', '.join(ACTIONS)}")
        out["action"] = action
    for name, key, shift in (("from", "since", 0), ("to", "until", 1)):
        raw = args.get(name, "").strip()
        if raw:
            try:
                day = datetime.strptime(raw, "%Y-%m-%d").date()
            except ValueError:
                abort(400, f"{name} must be a date as YYYY-MM-DD")
            out[key] = datetime.combine(day + timedelta(days=shift), time(0), UTC)
    return out


@ui.get("/admin/audit")
@role_required(Role.ADMIN)
def audit_log() -> str:
    """The trail, newest first, 100 a page, filtered by staff, member, kind and dates."""
    session = db.session()
    filters = _filters()
    rows = list(events(session, limit=PAGE, **filters))  # type: ignore[arg-type]
    staff = {u.id: u for u in session.scalars(select(StaffUser).order_by(StaffUser.email))}
    total = count(session, **{k: v for k, v in filters.items() if k != "before_id"})
    return render_template("ui/audit.html", rows=rows, staff=staff, actions=ACTIONS,
                           args=request.args, total=total, page=PAGE)  # fmt: skip


@ui.get("/admin/audit.csv")
@role_required(Role.ADMIN)
def audit_export() -> Response:
    """The filtered trail as CSV, streamed (every column, hashes included, so it can be
    checked outside Paceline)."""
    session = db.session()
    filters = {k: v for k, v in _filters().items() if k != "before_id"}
    g.audit_detail = (
        f"rows={count(session, **filters)} filters={','.join(sorted(filters)) or 'none'}"
    )

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in events(session, limit=None, **filters):  # type: ignore[arg-type]
            writer.writerow([getattr(row, c) if c != "at" else row.at.isoformat() for c in COLUMNS])
            if buffer.tell() > 32_768:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})  # fmt: skip
