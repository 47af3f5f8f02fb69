"""The outbox: order, acknowledgement, rejected rows kept aside, on a real SQLite cache."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.store import models as m
from kiosk.store import outbox_repo
from kiosk.store.db import open_cache

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
HASH = "ab" * 32


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


def _add(session: Session, n: int, created_at: dt.datetime) -> str:
    key = str(uuid.uuid4())
    outbox_repo.add(
        session,
        uuid=key,
        kind="complaint",
        ticket_no=f"C-K01-{n:04d}-X",
        payload={"text": f"complaint {n}"},
        token_sha256=HASH,
        created_at=created_at,
    )
    return key


def test_pending_is_oldest_first_and_ties_keep_insertion_order(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as s:
        late = _add(s, 1, T0 + dt.timedelta(minutes=5))
        first = _add(s, 2, T0)
        second = _add(s, 3, T0)  # same instant: after `first`, which was written before it
        third = _add(s, 4, T0 + dt.timedelta(seconds=1))
    with sessions() as s:
        entries = outbox_repo.pending(s, 10)
        assert [e.uuid for e in entries] == [first, second, third, late]
        assert [e.uuid for e in outbox_repo.pending(s, 2)] == [first, second]
        assert entries[0].created_at == T0
        assert entries[0].token_sha256 == HASH
        assert entries[0].payload == {"text": "complaint 2"}


def test_created_at_is_kept_as_utc(sessions: sessionmaker[Session]) -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    with sessions.begin() as s:
        _add(s, 1, dt.datetime(2026, 3, 1, 17, 0, tzinfo=shanghai))
    with sessions() as s:
        (entry,) = outbox_repo.pending(s, 1)
    assert entry.created_at == dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_naive_created_at_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, pytest.raises(ValueError, match="timezone-aware"):
        _add(s, 1, dt.datetime(2026, 3, 1, 9, 0))


def test_submission_and_outbox_row_commit_or_roll_back_together(
    sessions: sessionmaker[Session],
) -> None:
    def create_then_fail() -> None:
        with sessions.begin() as s:
            _add(s, 1, T0)
            s.add(m.Counter(name="tickets", value=1))
            raise RuntimeError("power cut before commit")

    with pytest.raises(RuntimeError):
        create_then_fail()
    with sessions() as s:
        assert outbox_repo.depth(s) == 0
        assert s.scalar(select(func.count()).select_from(m.OutboxTokenHash)) == 0
        assert s.get(m.Counter, "tickets") is None


def test_ack_removes_rows_and_their_token_hashes(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        keys = [_add(s, n, T0 + dt.timedelta(seconds=n)) for n in range(3)]
    with sessions.begin() as s:
        assert outbox_repo.ack(s, keys[:2]) == 2
        assert outbox_repo.ack(s, []) == 0
    with sessions() as s:
        assert [e.uuid for e in outbox_repo.pending(s, 10)] == [keys[2]]
        assert outbox_repo.depth(s) == 1
        hashes = s.scalars(select(m.OutboxTokenHash.uuid)).all()
        assert hashes == [keys[2]]


def test_rejected_rows_are_kept_aside_with_the_reason(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        keep, bad = _add(s, 1, T0), _add(s, 2, T0 + dt.timedelta(seconds=1))
    with sessions.begin() as s:
        outbox_repo.reject(s, bad, "ticket number belongs to another kiosk")
    with sessions.begin() as s:
        # An acknowledgement never removes a row that was set aside.
        assert outbox_repo.ack(s, [bad]) == 0
    with sessions() as s:
        assert [e.uuid for e in outbox_repo.pending(s, 10)] == [keep]
        assert outbox_repo.depth(s) == 1
        assert outbox_repo.rejected_count(s) == 1
        (entry,) = outbox_repo.rejected(s)
        assert entry.uuid == bad
        assert entry.last_error == "ticket number belongs to another kiosk"
        assert entry.attempts == 1


def test_failed_tries_are_counted_on_pending_rows(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        key = _add(s, 1, T0)
    for _ in range(2):
        with sessions.begin() as s:
            outbox_repo.note_failure(s, [key], "offline")
    with sessions() as s:
        (entry,) = outbox_repo.pending(s, 1)
    assert (entry.attempts, entry.last_error) == (2, "offline")
