"""Set-based statements for large batches (service/platform/bulk.py), on the database the suite
runs on: SQLite here, PostgreSQL in CI's second run, where they take the array forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.models import MessageStatus, OutboundMessage, Participant, ParticipantStatus
from service.platform.bulk import id_in, insert_many, update_many
from service.platform.db import utcnow

TABLE = OutboundMessage.__table__


@pytest.fixture
def people(session, make_group):
    group = make_group()
    members = [Participant(group=group, phone=f"+1208555{i:04d}", status=ParticipantStatus.ACTIVE)
               for i in range(3)]  # fmt: skip
    session.add_all(members)
    session.commit()
    return members


def _row(person, body, at):
    return {"participant_id": person.id, "to_phone": person.phone, "body": body, "kind": "prompt",
            "status": MessageStatus.QUEUED, "next_attempt_at": at, "segments": 1}  # fmt: skip


def test_insert_many_writes_what_the_orm_would_and_returns_ids_in_the_rows_order(session, people):
    now = utcnow()
    rows = [_row(p, f"text {i}", now + timedelta(minutes=i)) for i, p in enumerate(people)]
    ids = insert_many(session, TABLE, rows)
    session.commit()
    assert len(ids) == 3 and ids == sorted(ids)
    for message_id, person, i in zip(ids, people, range(3), strict=True):
        row = session.get(OutboundMessage, message_id)
        assert (row.participant_id, row.body, row.status) == (person.id, f"text {i}", MessageStatus.QUEUED)  # fmt: skip
        assert row.next_attempt_at == now + timedelta(minutes=i)
        # The Python-side defaults an ORM insert applies: channel, attempts, review, times.
        assert (row.channel, row.attempts, row.needs_review) == ("api", 0, False)
        assert row.created_at is not None and row.updated_at is not None
        assert row.expires_at is None and row.twilio_sid is None


def test_insert_many_with_every_column_alike_inserts_every_row(session, people):
    now = utcnow()
    ids = insert_many(session, TABLE, [_row(people[0], "same", now)] * 4)
    session.commit()
    assert len(set(ids)) == 4
    assert session.scalar(select(func.count()).select_from(TABLE).where(TABLE.c.body == "same")) == 4  # fmt: skip


def test_insert_many_refuses_rows_that_name_different_columns_and_writes_nothing(session, people):
    now = utcnow()
    odd = {**_row(people[1], "b", now), "expires_at": now}
    with pytest.raises(ValueError, match="same columns"):
        insert_many(session, TABLE, [_row(people[0], "a", now), odd])
    session.rollback()
    assert session.scalar(select(func.count()).select_from(TABLE)) == 0
    assert insert_many(session, TABLE, []) == []


def test_update_many_changes_only_the_rows_that_still_qualify(session, people):
    now = utcnow()
    ids = insert_many(session, TABLE, [_row(p, "x", now) for p in people])
    session.commit()
    taken = ids[1]  # another worker got there first
    session.execute(TABLE.update().where(TABLE.c.id == taken).values(status=MessageStatus.SENDING))
    changed = update_many(
        session, TABLE, [{"id": i, "error_message": f"note {i}"} for i in ids],
        also={"status": MessageStatus.SUPPRESSED}, where=TABLE.c.status == MessageStatus.QUEUED,
    )  # fmt: skip
    session.commit()
    assert sorted(changed) == [ids[0], ids[2]]
    session.expire_all()
    rows = {i: session.get(OutboundMessage, i) for i in ids}
    assert [rows[i].status for i in ids] == [MessageStatus.SUPPRESSED, MessageStatus.SENDING,
                                             MessageStatus.SUPPRESSED]  # fmt: skip
    assert [rows[i].error_message for i in ids] == [f"note {ids[0]}", None, f"note {ids[2]}"]


def test_update_many_without_a_condition_sets_each_rows_own_values(session, people):
    ids = insert_many(session, TABLE, [_row(p, "x", utcnow()) for p in people])
    update_many(session, TABLE, [{"id": i, "segments": n + 2} for n, i in enumerate(ids)])
    session.commit()
    session.expire_all()
    assert [session.get(OutboundMessage, i).segments for i in ids] == [2, 3, 4]


def test_id_in_matches_the_listed_ids_and_nothing_for_none(session, people):
    ids = [p.id for p in people]
    query = select(func.count()).select_from(Participant.__table__)
    assert session.scalar(query.where(id_in(session, Participant.id, ids[:2]))) == 2
    assert session.scalar(query.where(id_in(session, Participant.id, []))) == 0
