"""The maintenance audit log: who did what, when, and what it changed.

Every maintenance action is recorded here: PIN right, wrong or refused while locked, settings
changed, PIN set, enrollment, test print, export, restart… A record holds who (the name staff
typed when entering, or "pin"), when (UTC), the action, and details as short texts (for a
setting: its key and old → new). Secrets never reach it: detail names that carry one (pin,
token, code, password…) are replaced by "(hidden)" whatever the caller passes, so a mistake in
a caller cannot write a PIN or a device token into the log. Each record also goes to the kiosk's
log file, which staff export with the diagnostics.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.errors import KnownError
from kiosk.store import maintenance_repo

__all__ = ["HIDDEN", "AuditAction", "AuditEntry", "AuditError", "AuditLog", "staff_name"]

log = logging.getLogger(__name__)

HIDDEN = "(hidden)"
MAX_WHO = 80
MAX_DETAIL = 500
# Detail names whose value is a secret or a credential, never written.
_SECRET_DETAILS = frozenset(
    {"pin", "pin_hash", "token", "device_token", "code", "enrollment_code", "password", "secret"}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class AuditAction(enum.StrEnum):
    """What staff did. Stored as the value; add members here rather than inventing strings."""

    PIN_OK = "pin_ok"  # maintenance mode opened
    PIN_FAILED = "pin_failed"  # a wrong PIN
    PIN_LOCKED = "pin_locked"  # too many wrong PINs: the pad locked
    PIN_REFUSED_LOCKED = "pin_refused_locked"  # a PIN typed while the pad was locked
    PIN_SET = "pin_set"
    MAINTENANCE_CLOSED = "maintenance_closed"  # left, or closed by itself when idle
    CONFIG_SET = "config_set"
    CONFIG_UNSET = "config_unset"  # back to the default
    ENROLL = "enroll"
    ENROLL_FAILED = "enroll_failed"
    POSITION_SET = "position_set"  # "you are here" and facing direction
    TEST_PRINT = "test_print"
    SYNC_NOW = "sync_now"
    EXPORT = "export"  # logs and diagnostics to a USB stick
    RESTART = "restart"
    EXIT_KIOSK = "exit_kiosk"
    VENUE_IMPORT = "venue_import"  # `mall-kiosk import-imdf` (a failed one says why)
    VENUE_RELOAD = "venue_reload"  # `mall-kiosk --reload-venue`: back to the configured source


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record of the audit log."""

    id: int
    at: dt.datetime  # aware, UTC
    who: str
    action: str
    details: Mapping[str, str]

    def summary(self) -> str:
        """The record on one line, for a list on screen or the command line."""
        what = ", ".join(f"{k}: {v}" for k, v in self.details.items())
        when = self.at.strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{when}  {self.who}  {self.action}" + (f"  ({what})" if what else "")


class AuditError(KnownError):
    """The audit log cannot be written or read (disk full, database locked…)."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AuditLog:
    """Appends to and reads the audit log in the kiosk's database.

    Each call is its own transaction, so a record stays even when what follows fails. Blocks on
    the database: from a view model, call it where its other database work runs.
    """

    def __init__(
        self, sessions: sessionmaker[Session], *, clock: Callable[[], dt.datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    def record(
        self, who: str, action: AuditAction, details: Mapping[str, object] | None = None
    ) -> AuditEntry:
        """Append one record; raises AuditError when the database cannot take it."""
        clean_who = clean_name(who)
        clean = {
            _clip(str(name), 60): HIDDEN if name in _SECRET_DETAILS else _clip(str(value))
            for name, value in (details or {}).items()
        }
        try:
            with self._sessions.begin() as session:
                row = maintenance_repo.append_audit(
                    session, at=self._clock(), who=clean_who, action=action.value, details=clean
                )
        except OperationalError as exc:
            raise AuditError(f"cannot write the maintenance audit log: {exc.orig}") from exc
        entry = _entry(row)
        log.info("maintenance audit: %s", entry.summary())
        return entry

    def recent(self, limit: int = 50, action: AuditAction | None = None) -> list[AuditEntry]:
        """The newest `limit` records (of one action when given), newest first."""
        try:
            with self._sessions() as session:
                rows = maintenance_repo.recent_audit(
                    session, limit, action.value if action is not None else None
                )
        except OperationalError as exc:
            raise AuditError(f"cannot read the maintenance audit log: {exc.orig}") from exc
        return [_entry(row) for row in rows]


def clean_name(who: str) -> str:
    """A staff name as recorded: one line, at most MAX_WHO characters, never empty."""
    text = " ".join(_CONTROL.sub(" ", who).split())
    return _clip(text, MAX_WHO) or "unknown"


def _clip(text: str, limit: int = MAX_DETAIL) -> str:
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entry(row: maintenance_repo.AuditRow) -> AuditEntry:
    return AuditEntry(id=row.id, at=row.at, who=row.who, action=row.action, details=row.details)


def staff_name(given: str | None) -> str:
    """Who a command's change is recorded as: --staff, else the login name."""
    if given:
        return clean_name(given)
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (a container's bare uid)
        user = "unknown user"
    return f"{user} (command line)"
