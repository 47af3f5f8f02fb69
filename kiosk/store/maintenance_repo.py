"""What maintenance mode keeps in the cache: the audit log and the PIN lockout.

The audit log is append-only (no function here changes or removes a row, and the table's
triggers refuse it). Rows are read back newest first by insertion order, not by time, so a
clock set backwards cannot reorder the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store import models as m

_LOCKOUT_ROW = 1


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit record as stored."""

    id: int
    at: dt.datetime  # aware, UTC
    who: str
    action: str
    details: Mapping[str, str]


def append_audit(
    session: Session,
    *,
    at: dt.datetime,
    who: str,
    action: str,
    details: Mapping[str, str],
) -> AuditRow:
    """Add one record in the caller's transaction. `at` must be timezone-aware."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    row = m.AuditRecord(at=at.astimezone(dt.UTC), who=who, action=action, details=dict(details))
    session.add(row)
    session.flush()
    return _view(row)


def recent_audit(session: Session, limit: int, action: str | None = None) -> list[AuditRow]:
    """The newest `limit` records (of one `action` when given), newest first."""
    query = select(m.AuditRecord).order_by(m.AuditRecord.id.desc()).limit(max(limit, 0))
    if action is not None:
        query = query.where(m.AuditRecord.action == action)
    return [_view(row) for row in session.scalars(query)]


@dataclass(frozen=True, slots=True)
class LockoutRow:
    """Wrong PINs since the last right one (or the last lockout), and the lock's end if any."""

    failures: int
    locked_until: dt.datetime | None  # aware, UTC


def get_lockout(session: Session) -> LockoutRow:
    row = session.get(m.PinLockout, _LOCKOUT_ROW)
    if row is None:
        return LockoutRow(failures=0, locked_until=None)
    return LockoutRow(failures=row.failures, locked_until=_aware(row.locked_until))


def set_lockout(session: Session, failures: int, locked_until: dt.datetime | None) -> None:
    """Record the lockout state in the caller's transaction."""
    if locked_until is not None and locked_until.tzinfo is None:
        raise ValueError("locked_until must be timezone-aware")
    until = locked_until.astimezone(dt.UTC) if locked_until is not None else None
    row = session.get(m.PinLockout, _LOCKOUT_ROW)
    if row is None:
        session.add(m.PinLockout(id=_LOCKOUT_ROW, failures=failures, locked_until=until))
    else:
        row.failures = failures
        row.locked_until = until


def _view(row: m.AuditRecord) -> AuditRow:
    when = _aware(row.at)
    assert when is not None  # the column is NOT NULL
    return AuditRow(
        id=row.id,
        at=when,
        who=row.who,
        action=row.action,
        details={str(k): str(v) for k, v in row.details.items()},
    )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite keeps no offset: what was stored as UTC comes back naive."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)
