"""Filing a shopper's submission: ticket number, tracking token, local status and outbox row,
all in one transaction, then the receipt.

The shopper never waits on the network: the sync agent delivers the outbox later. The tracking
token leaves this process only inside the printed QR code; the cache keeps its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.submissions import (
    Complaint,
    ReturnRequestSubmission,
    ServiceTimes,
    Submission,
    promise,
)
from kiosk.domain.tickets import make_ticket, new_tracking_token, parse_ticket, token_sha256
from kiosk.errors import KnownError
from kiosk.printing.receipt import tracking_url
from kiosk.store import models as m
from kiosk.store import outbox_repo

log = logging.getLogger(__name__)

_COUNTER = "tickets"


class SubmissionError(KnownError):
    """The submission could not be saved (disk full, database locked…); nothing was written."""


@dataclass(frozen=True, slots=True)
class FiledTicket:
    """A saved submission as the confirmation screen and the receipt show it."""

    uuid: str
    ticket_no: str
    kind: str
    created_at: dt.datetime
    tracking_url: str
    promise_zh: str
    promise_en: str
    summary_zh: tuple[str, ...]
    summary_en: tuple[str, ...]
    callback_possible: bool
    # What to bring to the service desk (zh, en): return and repair requests only.
    checklist: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TicketLookup:
    ticket_no: str
    status: str
    note: str | None
    changed_at: dt.datetime | None


class SubmissionService:
    """Writes submissions to the cache and answers "where is my ticket?" from it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        kiosk_code: str,
        tracking_base: str,
        times: ServiceTimes | None = None,
        *,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
    ) -> None:
        self._sessions = sessions
        self._kiosk_code = kiosk_code
        self._tracking_base = tracking_base
        self._times = times or ServiceTimes()
        self._listeners: list[Callable[[], None]] = []
        self._now = now

    def file(self, submission: Submission) -> FiledTicket:
        """Save `submission` with its ticket number, status and outbox row, all or nothing."""
        created_at = self._now()
        token = new_tracking_token()
        item_id = str(uuid.uuid4())
        try:
            with self._sessions.begin() as session:
                ticket_no = make_ticket(
                    submission.ticket_kind, self._kiosk_code, self._next_counter(session)
                )
                session.add(
                    m.TicketStatus(
                        uuid=item_id,
                        ticket_no=ticket_no,
                        status="submitted",
                        note=None,
                        changed_at=created_at.astimezone(dt.UTC),
                    )
                )
                outbox_repo.add(
                    session,
                    uuid=item_id,
                    kind=submission.kind,
                    ticket_no=ticket_no,
                    payload=submission.to_payload(),
                    token_sha256=token_sha256(token),
                    created_at=created_at,
                )
        except SQLAlchemyError as exc:
            log.error("could not save a %s: %s", submission.kind, exc)
            raise SubmissionError(f"the submission could not be saved: {exc}") from exc
        log.info("filed %s %s", submission.kind, ticket_no)
        for listener in self._listeners:
            listener()
        return FiledTicket(
            uuid=item_id,
            ticket_no=ticket_no,
            kind=submission.kind,
            created_at=created_at,
            tracking_url=tracking_url(self._tracking_base, ticket_no, token),
            promise_zh=promise(submission, "zh", self._times),
            promise_en=promise(submission, "en", self._times),
            summary_zh=tuple(submission.summary("zh")),
            summary_en=tuple(submission.summary("en")),
            callback_possible=_callback_possible(submission),
            checklist=_checklist(submission),
        )

    def on_filed(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each submission is saved (the sync agent sends it at once)."""
        self._listeners.append(listener)

    def lookup(self, text: str) -> TicketLookup | None:
        """The cached status of a ticket number (raises TicketFormatError for a mistyped one)."""
        ticket = parse_ticket(text)
        with self._sessions() as session:
            row = session.scalar(
                select(m.TicketStatus).where(m.TicketStatus.ticket_no == ticket.text)
            )
            if row is None:
                return None
            return TicketLookup(row.ticket_no, row.status, row.note, row.changed_at)

    def _next_counter(self, session: Session) -> int:
        counter = session.get(m.Counter, _COUNTER)
        if counter is None:
            session.add(m.Counter(name=_COUNTER, value=1))
            session.flush()
            return 1
        session.execute(
            update(m.Counter).where(m.Counter.name == _COUNTER).values(value=m.Counter.value + 1)
        )
        session.refresh(counter)
        return counter.value


def _checklist(submission: Submission) -> tuple[tuple[str, str], ...]:
    if isinstance(submission, ReturnRequestSubmission):
        return tuple((line.text("zh"), line.text("en")) for line in submission.decision.bring)
    return ()


def _callback_possible(submission: Submission) -> bool:
    if isinstance(submission, Complaint):
        return submission.callback_possible
    contact = submission.contact
    return contact is not None and contact.callback_possible
