"""The "Replies to read" page: what clients wrote that needs a person, with mark-as-handled."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service.care.replies import WHY, mark_handled, replies_to_read
from service.models import InboundMessage
from service.platform.db import db, utcnow
from service.ui import group_or_403, login_required, ui


@ui.get("/groups/<int:group_id>/replies")
@login_required
def replies(group_id: int) -> str:
    """The group's replies to read, crisis and concern first, then newest first."""
    group = group_or_403(group_id)
    show_handled = request.args.get("handled") == "1"
    rows = replies_to_read(db.session(), group.id, include_handled=show_handled)
    return render_template(
        "ui/replies.html",
        group=group,
        rows=rows,
        why=WHY,
        zone=ZoneInfo(group.timezone),
        show_handled=show_handled,
    )


@ui.post("/replies/<int:message_id>/handled")
@login_required
def reply_handled(message_id: int) -> Response:
    """Mark one reply handled by the current user (anyone who may read the group)."""
    session = db.session()
    message = session.get(InboundMessage, message_id)
    if message is None or message.participant is None:
        abort(404)
    group = group_or_403(message.participant.group_id)
    if mark_handled(session, message, g.current_user, utcnow()):
        session.commit()
        flash("Marked as handled.", "ok")
    else:
        flash("Someone had already marked that reply as handled.", "ok")
    return redirect(url_for("ui.replies", group_id=group.id))
