"""Research exports of a group, streamed: tidy long CSV, REDCap data and dictionary, and every
prompt's times (service/care/research.py). Readable by anyone who may read the group; each
download leaves an audit row with its scope and row counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Response, g, stream_with_context
from sqlalchemy import func, select

from service.care.research import (
    Member,
    count_rows,
    dictionary_lines,
    members_of,
    prompt_lines,
    redcap_lines,
    tidy_lines,
)
from service.models import Prompt
from service.platform.db import db, utcnow
from service.ui import group_or_403, login_required, ui


def _stream(lines: Iterator[str], filename: str) -> Response:
    return Response(stream_with_context(lines), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })  # fmt: skip


def _scope(group_id: int) -> tuple[list[Member], list[int]]:
    members = members_of(db.session(), group_id)
    return members, [m.id for m in members]


def _data_export(group_id: int, what: str, filename: str,
                 lines: Callable[[list[Member]], Iterator[str]]) -> Response:  # fmt: skip
    """A group's members' data as a streamed CSV, the audit row counting what it holds."""
    group = group_or_403(group_id)
    members, ids = _scope(group.id)
    counts = count_rows(db.session(), ids)
    g.audit_detail = (f"{what}, all dates; members={len(ids)} observations={counts['observations']} "
                      f"surveys={counts['surveys']}")  # fmt: skip
    return _stream(lines(members), f"paceline-group{group.id}-{filename}")


@ui.get("/groups/<int:group_id>/export/tidy.csv")
@login_required
def export_tidy(group_id: int) -> Response:
    """One row per observation: ratings, survey items and scores (long format)."""
    return _data_export(group_id, "tidy CSV", "tidy.csv",
                        lambda members: tidy_lines(db.session(), members))  # fmt: skip


@ui.get("/groups/<int:group_id>/export/redcap.csv")
@login_required
def export_redcap(group_id: int) -> Response:
    """The REDCap data import file for the group."""
    return _data_export(group_id, "REDCap data", "redcap.csv",
                        lambda members: redcap_lines(db.session(), members, utcnow()))  # fmt: skip


@ui.get("/groups/<int:group_id>/export/redcap-dictionary.csv")
@login_required
def export_redcap_dictionary(group_id: int) -> Response:
    """The REDCap data dictionary matching the data file."""
    group = group_or_403(group_id)
    g.audit_detail = "REDCap data dictionary (no client data)"
    return _stream(dictionary_lines(), f"paceline-group{group.id}-redcap-dictionary.csv")


@ui.get("/groups/<int:group_id>/export/prompts.csv")
@login_required
def export_prompts(group_id: int) -> Response:
    """Every prompt that asked for an answer: intended, sent, delivered and answered times."""
    group = group_or_403(group_id)
    members, ids = _scope(group.id)
    sent = db.session().scalar(select(func.count()).select_from(Prompt).where(
        Prompt.participant_id.in_(ids), Prompt.expecting.is_not(None), Prompt.sent_at.is_not(None)))  # fmt: skip
    g.audit_detail = f"prompt times (EMA compliance), all dates; rows={sent}"
    return _stream(prompt_lines(db.session(), members, utcnow()), f"paceline-group{group.id}-prompts.csv")  # fmt: skip
