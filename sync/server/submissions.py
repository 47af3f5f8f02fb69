"""Submissions pushed by kiosks, and the status changes that flow back to them.

A batch is stored in one transaction with two bulk inserts. Each item's uuid is its idempotency
key: whatever the retries, an item is stored once, and the answer for a replayed item says so.
"""

from __future__ import annotations

import json
import typing
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from sync.schemas import (
    MAX_PAYLOAD_KEYS,
    MAX_TEXT,
    StatusChange,
    StatusReply,
    SubmissionBatch,
    SubmissionBatchReply,
    SubmissionResult,
    TicketStatus,
)
from sync.server.db import Database
from sync.server.devices import DeviceIdentity
from sync.server.errors import CentralError
from sync.server.models import Staff, StatusEvent, Submission, utcnow

TICKET_STATUSES: tuple[str, ...] = typing.get_args(TicketStatus)
STATUS_PAGE = 500
MAX_DEPTH = 6
MAX_KEY = 100
MAX_PAYLOAD_CHARS = 64 * 1024


def payload_problem(payload: Mapping[str, Any]) -> str | None:
    """Why the server refuses to keep `payload`, or None when it is acceptable."""
    try:
        size = len(json.dumps(payload, ensure_ascii=False, allow_nan=False))
    except ValueError:
        return "payload holds a number JSON does not allow (NaN or infinity)"
    if size > MAX_PAYLOAD_CHARS:
        return f"payload is larger than {MAX_PAYLOAD_CHARS} characters"
    return next(_problems(payload, "payload", 0), None)


def _problems(value: object, where: str, depth: int) -> Iterator[str]:
    if depth > MAX_DEPTH:
        yield f"{where} is nested deeper than {MAX_DEPTH} levels"
    elif isinstance(value, str) and len(value) > MAX_TEXT:
        yield f"{where} is longer than {MAX_TEXT} characters"
    elif isinstance(value, dict | list) and len(value) > MAX_PAYLOAD_KEYS:
        yield f"{where} has more than {MAX_PAYLOAD_KEYS} entries"
    elif isinstance(value, dict):
        for key, item in value.items():
            if len(key) > MAX_KEY:
                yield f"{where} has a key longer than {MAX_KEY} characters"
            yield from _problems(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _problems(item, f"{where}[{index}]", depth + 1)


def store_batch(
    db: Database, device: DeviceIdentity, batch: SubmissionBatch
) -> SubmissionBatchReply:
    """Store the new items of `batch`; one answer per item, in the batch's order."""
    now = utcnow()
    results: list[SubmissionResult] = []
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    with db.write() as session:
        uuids = [item.uuid for item in batch.items]
        owners: dict[uuid.UUID, str] = {
            row.uuid: row.kiosk_code
            for row in session.execute(
                select(Submission.uuid, Submission.kiosk_code).where(Submission.uuid.in_(uuids))
            )
        }
        tickets: dict[str, uuid.UUID] = {
            row.ticket_no: row.uuid
            for row in session.execute(
                select(Submission.ticket_no, Submission.uuid).where(
                    Submission.ticket_no.in_([item.ticket_no for item in batch.items])
                )
            )
        }
        for item in batch.items:
            owner = owners.get(item.uuid)
            if owner == device.kiosk_code:
                results.append(SubmissionResult(uuid=item.uuid, status="duplicate"))
                continue
            reason: str | None
            if owner is not None:
                reason = "this uuid was already submitted by another kiosk"
            elif tickets.get(item.ticket_no, item.uuid) != item.uuid:
                reason = f"ticket number {item.ticket_no} is already used by another submission"
            else:
                reason = payload_problem(item.payload)
            if reason is not None:
                results.append(SubmissionResult(uuid=item.uuid, status="rejected", reason=reason))
                continue
            owners[item.uuid] = device.kiosk_code
            tickets[item.ticket_no] = item.uuid
            rows.append(
                {
                    "uuid": item.uuid,
                    "device_id": device.id,
                    "kiosk_code": device.kiosk_code,
                    "kind": item.kind,
                    "ticket_no": item.ticket_no,
                    "created_at": item.created_at,
                    "received_at": now,
                    "token_sha256": item.token_sha256,
                    "payload": item.payload,
                    "status": "received",
                }
            )
            events.append(
                {
                    "submission_uuid": item.uuid,
                    "kiosk_code": device.kiosk_code,
                    "status": "received",
                    "note": None,
                    "at": now,
                    "actor": "server",
                    "staff_id": None,
                }
            )
            results.append(SubmissionResult(uuid=item.uuid, status="accepted"))
        if rows:
            session.execute(insert(Submission), rows)
            session.execute(insert(StatusEvent), events)
    return SubmissionBatchReply(results=results)


def set_status(
    db: Database,
    ticket_no: str,
    status: str,
    *,
    note: str | None = None,
    staff: str | None = None,
) -> int:
    """Record a status change of the submission with `ticket_no`; returns the event's seq.

    `staff` names the staff account making the change (None: the command line).
    """
    if status not in TICKET_STATUSES:
        raise CentralError(f'unknown status "{status}"; one of: {", ".join(TICKET_STATUSES)}')
    if note is not None and len(note) > MAX_TEXT:
        raise CentralError(f"the note is longer than {MAX_TEXT} characters")
    with db.write() as session:
        submission = session.scalar(select(Submission).where(Submission.ticket_no == ticket_no))
        if submission is None:
            raise CentralError(f"no submission has the ticket number {ticket_no}")
        staff_id: int | None = None
        if staff is not None:
            staff_id = session.scalar(
                select(Staff.id).where(Staff.name == staff, Staff.disabled_at.is_(None))
            )
            if staff_id is None:
                raise CentralError(f'no active staff account "{staff}"')
        actor = f"staff:{staff}" if staff is not None else "cli"
        return record_status(session, submission, status, note=note, actor=actor, staff_id=staff_id)


def record_status(
    session: Session,
    submission: Submission,
    status: str,
    *,
    note: str | None,
    actor: str,
    staff_id: int | None = None,
) -> int:
    """Append a status event to `submission` and make it its status, in the caller's write
    transaction (`Database.write`, so events commit in seq order); returns the event's seq.

    `actor` says who: "cli", "staff:<name>", "shopper" (the tracking page)."""
    event = StatusEvent(
        submission_uuid=submission.uuid,
        kiosk_code=submission.kiosk_code,
        status=status,
        note=note,
        at=utcnow(),
        actor=actor,
        staff_id=staff_id,
    )
    session.add(event)
    session.execute(
        update(Submission).where(Submission.uuid == submission.uuid).values(status=status)
    )
    session.flush()
    return event.seq


def status_since(
    db: Database, device: DeviceIdentity, since: str | None, *, limit: int = STATUS_PAGE
) -> StatusReply:
    """The status changes of the kiosk's submissions after cursor `since`, oldest first.

    A cursor that is not a number, or is beyond the newest event (a database restored from an
    older backup), starts again from the beginning: the kiosk re-reads, it never misses.
    """
    seq = int(since) if since and since.isdigit() and len(since) <= 18 else 0
    with db.reads() as session:
        newest = session.scalar(select(func.max(StatusEvent.seq))) or 0
        if seq > newest:
            seq = 0
        rows = session.execute(
            select(
                StatusEvent.seq,
                StatusEvent.submission_uuid,
                Submission.ticket_no,
                StatusEvent.status,
                StatusEvent.note,
                StatusEvent.at,
            )
            .join(Submission, Submission.uuid == StatusEvent.submission_uuid)
            .where(StatusEvent.kiosk_code == device.kiosk_code, StatusEvent.seq > seq)
            .order_by(StatusEvent.seq)
            .limit(limit)
        ).all()
    changes = [
        StatusChange(
            uuid=row.submission_uuid,
            ticket_no=row.ticket_no,
            status=row.status,
            note=row.note,
            changed_at=row.at,
        )
        for row in rows
    ]
    return StatusReply(cursor=str(rows[-1].seq if rows else seq), changes=changes)
