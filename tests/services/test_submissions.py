"""Filing submissions on a real SQLite cache: one transaction for ticket, status and outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.submissions import Complaint, ComplaintCategory, FeedbackType, Store
from kiosk.domain.tickets import TicketFormatError, parse_ticket
from kiosk.services.submissions import SubmissionError, SubmissionService
from kiosk.store import models as m
from kiosk.store.db import open_cache

BASE = "https://m.yunhui-plaza.example/T"


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


def complaint(text: str = "The escalator on 2F stopped suddenly") -> Complaint:
    return Complaint(
        type=FeedbackType.COMPLAINT,
        category=ComplaintCategory.SAFETY,
        store=Store(None, "云汇广场"),
        occurred_at=None,
        description=text,
        desired_outcome=None,
        contact=None,
        lang="zh",
    )


def count(sessions: sessionmaker[Session], model: type[m.Base]) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_each_filing_gets_the_next_ticket_and_an_outbox_row(
    sessions: sessionmaker[Session],
) -> None:
    service = SubmissionService(sessions, "K07", BASE)
    filed = [service.file(complaint()) for _ in range(3)]
    assert [parse_ticket(f.ticket_no).counter for f in filed] == [1, 2, 3]
    assert all(f.ticket_no.startswith("C-K07-") for f in filed)
    assert count(sessions, m.OutboxItem) == 3
    assert count(sessions, m.TicketStatus) == 3
    for f in filed:
        assert f.tracking_url.startswith(f"{BASE}/{f.ticket_no}?t=")
        token = f.tracking_url.split("?t=", 1)[1]
        with sessions() as s:
            stored = s.scalar(
                select(m.OutboxTokenHash.token_sha256).where(m.OutboxTokenHash.uuid == f.uuid)
            )
            payload = s.get(m.OutboxItem, f.uuid)
        assert stored is not None
        assert token not in str(payload.payload if payload else "")
        assert stored != token


def test_a_failure_between_submission_and_outbox_leaves_neither(
    sessions: sessionmaker[Session],
) -> None:
    service = SubmissionService(sessions, "K07", BASE)
    service.file(complaint())
    with sessions.begin() as s:
        s.execute(
            text(
                "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox "
                "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
            )
        )
    with pytest.raises(SubmissionError, match="could not be saved"):
        service.file(complaint("second"))
    assert count(sessions, m.OutboxItem) == 1
    assert count(sessions, m.TicketStatus) == 1
    with sessions.begin() as s:
        s.execute(text("DROP TRIGGER fail_outbox"))
    # The failed attempt did not use up a ticket number.
    assert parse_ticket(service.file(complaint("third")).ticket_no).counter == 2


def test_lookup_by_ticket_number(sessions: sessionmaker[Session]) -> None:
    service = SubmissionService(sessions, "K07", BASE)
    filed = service.file(complaint())
    found = service.lookup(filed.ticket_no.lower().replace("-", " "))
    assert found is not None
    assert found.status == "submitted"
    wrong = filed.ticket_no[:-1] + ("A" if filed.ticket_no[-1] != "A" else "B")
    with pytest.raises(TicketFormatError):
        service.lookup(wrong)
