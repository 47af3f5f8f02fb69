"""The maintenance PIN: its rules, its salted slow hash, and the lockout after wrong PINs.

The device file keeps only `scrypt$n=…,r=…,p=…$<salt>$<hash>` (base64), never the PIN. A PIN
has at most 10^12 values and as few as 10^6, so the hash only slows down someone who copied the
file; what protects the kiosk is the lockout (`PinGuard`): `lockout_attempts` wrong PINs in a
row lock the pad for `lockout_minutes`, counted in the database so a restart does not reset it.
While the pad is locked no PIN is checked at all, so the lock cannot be used to test PINs.

scrypt with n=2^15, r=8 takes about 0.1 s and 32 MiB: call `PinGuard.attempt` and `hash_pin`
off the GUI thread.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import itertools
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import MaintenanceConfig
from kiosk.errors import KnownError
from kiosk.maintenance.audit import AuditAction, AuditLog, utcnow
from kiosk.store import maintenance_repo

__all__ = [
    "PIN_MAX",
    "PIN_MIN",
    "PinAttempt",
    "PinGuard",
    "PinHashError",
    "PinPadState",
    "PinResult",
    "PinRuleError",
    "PinStoreError",
    "check_pin_rules",
    "hash_pin",
    "pin_problem",
    "verify_pin",
]

PIN_MIN = 6
PIN_MAX = 12
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
# A hash from a tampered file must not make one check take minutes or gigabytes.
_MAX_N = 2**18
_MAX_R = 32
_MAX_P = 4
_HASH_FORM = re.compile(
    r"scrypt\$n=(?P<n>[0-9]{1,7}),r=(?P<r>[0-9]{1,3}),p=(?P<p>[0-9]{1,2})"
    r"\$(?P<salt>[A-Za-z0-9+/]+={0,2})\$(?P<key>[A-Za-z0-9+/]+={0,2})"
)
_DIGITS = re.compile(r"[0-9]+")
# Longer input than any PIN is wrong without being hashed.
_LONGEST_CHECKED = 64


class PinRuleError(KnownError):
    """A new PIN breaks the rules; str(err) says which, in words for staff."""


class PinHashError(KnownError):
    """The stored PIN hash cannot be used (hand-edited or damaged): set the PIN again."""


class PinStoreError(KnownError):
    """The lockout state cannot be read or written (database locked, disk full…)."""


# --- rules and hashing ---------------------------------------------------------------------------


def pin_problem(pin: str) -> str | None:
    """Why `pin` cannot be a maintenance PIN, or None when it can."""
    if not (_DIGITS.fullmatch(pin) and PIN_MIN <= len(pin) <= PIN_MAX):
        return f"The PIN must be {PIN_MIN} to {PIN_MAX} digits (0-9)."
    if len(set(pin)) == 1:
        return "The PIN must not be one digit repeated."
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):  # 123456, 987654, also across 9-0 (890123)
        return "The PIN must not be a run of consecutive digits such as 123456."
    return None


def check_pin_rules(pin: str) -> None:
    """Raise PinRuleError when `pin` breaks the rules."""
    problem = pin_problem(pin)
    if problem is not None:
        raise PinRuleError(problem)


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """The self-describing salted hash of a new PIN; raises PinRuleError for a bad PIN.

    (n, r, p) are scrypt's costs; lower them only in tests.
    """
    check_pin_rules(pin)
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(pin, salt, n, r, p)
    return f"scrypt$n={n},r={r},p={p}${_b64(salt)}${_b64(key)}"


def verify_pin(pin: str, encoded: str) -> bool:
    """True when `pin` is the PIN `encoded` was made from (compared in constant time).

    Raises PinHashError when `encoded` is not a usable hash.
    """
    match = _HASH_FORM.fullmatch(encoded)
    if match is None:
        raise PinHashError(
            "The stored maintenance PIN hash is not valid: set the PIN again "
            "with `mall-kiosk set-pin`."
        )
    n, r, p = int(match["n"]), int(match["r"]), int(match["p"])
    if not (n >= 2 and n & (n - 1) == 0 and n <= _MAX_N and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        raise PinHashError(
            f"The stored maintenance PIN hash has costs this kiosk will not use (n={n}, r={r}, "
            f"p={p}): set the PIN again with `mall-kiosk set-pin`."
        )
    try:
        salt = base64.b64decode(match["salt"], validate=True)
        expected = base64.b64decode(match["key"], validate=True)
    except binascii.Error as err:
        raise PinHashError(
            "The stored maintenance PIN hash is damaged: set the PIN again "
            "with `mall-kiosk set-pin`."
        ) from err
    if len(pin) > _LONGEST_CHECKED:
        return False
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p, length=len(expected)), expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, *, length: int = _KEY_BYTES) -> bytes:
    maxmem = 128 * r * (n + p) + 2**20
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- the PIN pad and its lockout ---------------------------------------------------------------

PinResult = Literal["ok", "wrong", "locked", "not_set"]


@dataclass(frozen=True, slots=True)
class PinPadState:
    """What the PIN pad shows.

    pin_set: a PIN exists (otherwise maintenance mode cannot be opened: `mall-kiosk set-pin`).
    locked_until: when the pad opens again (aware, UTC), None when it is not locked.
    retry_in_s: whole seconds until then, rounded up (0 when not locked).
    attempts_left: wrong PINs still allowed before the pad locks.
    """

    pin_set: bool
    locked_until: dt.datetime | None
    retry_in_s: int
    attempts_left: int

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@dataclass(frozen=True, slots=True)
class PinAttempt:
    """The outcome of one PIN typed on the pad, and the pad's state after it."""

    result: PinResult
    state: PinPadState


class PinGuard:
    """Checks PINs typed on the pad, counts wrong ones, locks the pad, and audits each try.

    The lockout is kept in the database (shared with `mall-kiosk` commands on the same kiosk).
    `clock` gives the current time (aware); tests move it instead of waiting. A clock set
    backwards never lengthens a lock beyond `lockout`.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditLog,
        pin_hash: str,
        *,
        max_attempts: int = 5,
        lockout: dt.timedelta = dt.timedelta(minutes=5),
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._sessions = sessions
        self._audit = audit
        self._pin_hash = pin_hash
        self._max_attempts = max_attempts
        self._lockout = lockout
        self._clock = clock

    @classmethod
    def from_config(
        cls,
        sessions: sessionmaker[Session],
        audit: AuditLog,
        config: MaintenanceConfig,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> PinGuard:
        return cls(
            sessions,
            audit,
            config.pin_hash,
            max_attempts=config.lockout_attempts,
            lockout=dt.timedelta(minutes=config.lockout_minutes),
            clock=clock,
        )

    def set_pin_hash(self, pin_hash: str) -> None:
        """Use a new PIN from now on (after it was set in maintenance mode)."""
        self._pin_hash = pin_hash

    def state(self) -> PinPadState:
        """The pad's state now (reads the database; a lock that ran out counts as none)."""
        now = self._clock()
        try:
            with self._sessions() as session:
                row = maintenance_repo.get_lockout(session)
        except OperationalError as exc:
            raise PinStoreError(f"cannot read the PIN lockout: {exc.orig}") from exc
        return self._view(self._current(row, now), now)

    def attempt(self, pin: str, who: str = "pin") -> PinAttempt:
        """Check a PIN typed on the pad by `who` (the name typed, or "pin"), count it, audit it.

        Raises PinHashError when the stored hash is unusable; PinStoreError or AuditError when
        the database cannot be used.
        """
        try:
            return self._attempt(pin, who)
        except OperationalError as exc:
            raise PinStoreError(f"cannot record the PIN attempt: {exc.orig}") from exc

    def _attempt(self, pin: str, who: str) -> PinAttempt:
        now = self._clock()
        if not self._pin_hash:
            self._audit.record(who, AuditAction.PIN_FAILED, {"reason": "no PIN is set"})
            return PinAttempt("not_set", self.state())
        with self._sessions() as session:
            stored = maintenance_repo.get_lockout(session)
        current = self._current(stored, now)
        if current.locked_until is not None:
            # Locked: the PIN is not even looked at.
            if current != stored:  # a lock shortened after the clock went back
                self._save(current)
            state = self._view(current, now)
            self._audit.record(
                who,
                AuditAction.PIN_REFUSED_LOCKED,
                {"locked_until": _stamp(current.locked_until)},
            )
            return PinAttempt("locked", state)

        try:
            right = verify_pin(pin, self._pin_hash)  # slow: outside any transaction
        except PinHashError:
            self._audit.record(who, AuditAction.PIN_FAILED, {"reason": "the PIN hash is unusable"})
            raise
        if right:
            after = maintenance_repo.LockoutRow(failures=0, locked_until=None)
            self._save(after)
            self._audit.record(who, AuditAction.PIN_OK)
            return PinAttempt("ok", self._view(after, now))

        with self._sessions.begin() as session:
            # Counted again inside the write: another process may have counted meanwhile.
            latest = self._current(maintenance_repo.get_lockout(session), now)
            failures = latest.failures + 1
            if failures >= self._max_attempts:
                after = maintenance_repo.LockoutRow(failures=0, locked_until=now + self._lockout)
            else:
                after = maintenance_repo.LockoutRow(failures=failures, locked_until=None)
            maintenance_repo.set_lockout(session, after.failures, after.locked_until)
        state = self._view(after, now)
        self._audit.record(who, AuditAction.PIN_FAILED, {"attempts_left": str(state.attempts_left)})
        if after.locked_until is not None:
            self._audit.record(
                who,
                AuditAction.PIN_LOCKED,
                {"locked_until": _stamp(after.locked_until), "after": f"{failures} wrong PINs"},
            )
            return PinAttempt("locked", state)
        return PinAttempt("wrong", state)

    # --- helpers ------------------------------------------------------------------------------

    def _current(
        self, row: maintenance_repo.LockoutRow, now: dt.datetime
    ) -> maintenance_repo.LockoutRow:
        """The stored state as of `now`: a lock that ran out is gone (with its count), and a
        lock ending further ahead than `lockout` (the clock went back) ends `lockout` from now."""
        until = row.locked_until
        if until is None:
            return row
        if until <= now:
            return maintenance_repo.LockoutRow(failures=0, locked_until=None)
        if until - now > self._lockout:
            return maintenance_repo.LockoutRow(failures=0, locked_until=now + self._lockout)
        return row

    def _view(self, row: maintenance_repo.LockoutRow, now: dt.datetime) -> PinPadState:
        retry = 0
        if row.locked_until is not None:
            retry = max(1, math.ceil((row.locked_until - now).total_seconds()))
        return PinPadState(
            pin_set=bool(self._pin_hash),
            locked_until=row.locked_until,
            retry_in_s=retry,
            attempts_left=0
            if row.locked_until is not None
            else max(self._max_attempts - row.failures, 0),
        )

    def _save(self, row: maintenance_repo.LockoutRow) -> None:
        with self._sessions.begin() as session:
            maintenance_repo.set_lockout(session, row.failures, row.locked_until)


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
