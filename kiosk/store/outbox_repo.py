"""The outbox: shoppers' submissions waiting for the central service's acknowledgement.

A submission and its outbox row are written by the caller in one transaction. A row leaves the
outbox only when the server acknowledged it (accepted, or a duplicate of what it already has);
a row the server rejected is kept aside with the reason for maintenance staff, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, literal_column, select, update
from sqlalchemy.orm import Session

from kiosk.store import models as m

PENDING = "pending"
REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One outbox row with its tracking-token hash, as the sync agent sends it."""

    uuid: str
    kind: str
    ticket_no: str
    payload: dict[str, Any]
    token_sha256: str
    created_at: dt.datetime  # aware, UTC
    attempts: int
    last_error: str | None


def add(
    session: Session,
    *,
    uuid: str,
    kind: str,
    ticket_no: str,
    payload: dict[str, Any],
    token_sha256: str,
    created_at: dt.datetime,
) -> None:
    """Queue a submission. `created_at` must be timezone-aware (SQLite keeps no offset, so it
    is stored as UTC)."""
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    session.add(
        m.OutboxItem(
            uuid=uuid,
            kind=kind,
            ticket_no=ticket_no,
            payload=payload,
            created_at=created_at.astimezone(dt.UTC),
            state=PENDING,
            attempts=0,
        )
    )
    session.add(m.OutboxTokenHash(uuid=uuid, token_sha256=token_sha256))


def pending(session: Session, limit: int) -> list[OutboxEntry]:
    """The oldest `limit` rows still to send, in the order they were created."""
    stmt = (
        select(m.OutboxItem, m.OutboxTokenHash.token_sha256)
        .outerjoin(m.OutboxTokenHash, m.OutboxTokenHash.uuid == m.OutboxItem.uuid)
        .where(m.OutboxItem.state == PENDING)
        # rowid breaks ties between rows created in the same microsecond: insertion order.
        .order_by(m.OutboxItem.created_at, literal_column("outbox.rowid"))
        .limit(limit)
    )
    return [_entry(item, token) for item, token in session.execute(stmt)]


def ack(session: Session, uuids: Collection[str]) -> int:
    """Remove rows the server acknowledged; returns how many were removed."""
    if not uuids:
        return 0
    ids = list(uuids)
    session.execute(delete(m.OutboxTokenHash).where(m.OutboxTokenHash.uuid.in_(ids)))
    result = session.execute(
        delete(m.OutboxItem).where(m.OutboxItem.uuid.in_(ids), m.OutboxItem.state == PENDING)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def reject(session: Session, uuid: str, reason: str) -> None:
    """Set a row aside: the server will not take it. It stays for staff to look at."""
    session.execute(
        update(m.OutboxItem)
        .where(m.OutboxItem.uuid == uuid)
        .values(state=REJECTED, last_error=reason, attempts=m.OutboxItem.attempts + 1)
    )


def note_failure(session: Session, uuids: Collection[str], error: str) -> None:
    """Count a failed try on rows that are still pending (for the maintenance screen)."""
    if not uuids:
        return
    session.execute(
        update(m.OutboxItem)
        .where(m.OutboxItem.uuid.in_(list(uuids)), m.OutboxItem.state == PENDING)
        .values(attempts=m.OutboxItem.attempts + 1, last_error=error)
    )


def depth(session: Session) -> int:
    """How many submissions still wait to be sent."""
    stmt = select(func.count()).select_from(m.OutboxItem).where(m.OutboxItem.state == PENDING)
    return session.scalar(stmt) or 0


def rejected_count(session: Session) -> int:
    stmt = select(func.count()).select_from(m.OutboxItem).where(m.OutboxItem.state == REJECTED)
    return session.scalar(stmt) or 0


def rejected(session: Session) -> Sequence[OutboxEntry]:
    """Rows the server refused, oldest first, with the reason in `last_error`."""
    stmt = (
        select(m.OutboxItem, m.OutboxTokenHash.token_sha256)
        .outerjoin(m.OutboxTokenHash, m.OutboxTokenHash.uuid == m.OutboxItem.uuid)
        .where(m.OutboxItem.state == REJECTED)
        .order_by(m.OutboxItem.created_at, literal_column("outbox.rowid"))
    )
    return [_entry(item, token) for item, token in session.execute(stmt)]


def _entry(item: m.OutboxItem, token_sha256: str | None) -> OutboxEntry:
    created = item.created_at
    if created.tzinfo is None:  # SQLite returns what add() stored: UTC without an offset
        created = created.replace(tzinfo=dt.UTC)
    return OutboxEntry(
        uuid=item.uuid,
        kind=item.kind,
        ticket_no=item.ticket_no,
        payload=item.payload,
        token_sha256=token_sha256 or "",
        created_at=created,
        attempts=item.attempts,
        last_error=item.last_error,
    )
